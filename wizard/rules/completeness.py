"""申报书必填项: every field the forms need is filled."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wizard.catalogue import label
from wizard.draft import BUDGET_CATEGORIES
from wizard.rules.direction_scope import find_field
from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _missing(path: str) -> Finding:
    return Finding(
        path,
        f"“{label(path, 'zh')}”未填写：请填写此项。",
        f"{label(path, 'en')} is empty: fill it in.",
    )


def _bad_email(path: str) -> Finding:
    return Finding(
        path,
        f"“{label(path, 'zh')}”不是有效的邮箱地址：请填写形如 name@example.org 的地址。",
        f"{label(path, 'en')} is not an e-mail address: use the form name@example.org.",
    )


def _blank(pairs: tuple[tuple[str, str], ...]) -> Iterator[Finding]:
    """A finding for each (path, text) whose text is empty."""
    for path, value in pairs:
        if not value.strip():
            yield _missing(path)


def _project(ctx: Context) -> Iterator[Finding]:
    p = ctx.draft.project
    yield from _blank(
        (("project.title", p.title), ("project.title_en", p.title_en), ("project.field", p.field))
    )
    field = find_field(ctx.direction.fields, p.field.strip()) if p.field.strip() else None
    if field is not None and field.topics and not p.topic.strip():
        yield _missing("project.topic")
    if p.start is None:
        yield _missing("project.start")
    if p.months is None:
        yield _missing("project.months")
    if not p.summary.strip():
        yield _missing("project.summary")
    if not any(k.strip() for k in p.keywords):
        yield _missing("project.keywords")


_LEADER_CHOICES = tuple(
    (key, f"leader.{key}")
    for key in ("birth_date", "title", "degree", "months_per_year", "other_projects")
)


def _leader(ctx: Context) -> Iterator[Finding]:
    lead = ctx.draft.leader
    if not lead.name.strip():
        yield _missing("leader.name")
    for key, path in _LEADER_CHOICES:
        if getattr(lead, key) is None:
            yield _missing(path)
    if not lead.unit.strip():
        yield _missing("leader.unit")
    email = lead.email.strip()
    if not email:
        yield _missing("leader.email")
    elif not _EMAIL.match(email):
        yield _bad_email("leader.email")
    if not lead.phone.strip():
        yield _missing("leader.phone")


def _units(ctx: Context) -> Iterator[Finding]:
    units = ctx.draft.units
    if not units:
        yield Finding(
            "units",
            "尚未填写中方单位：请至少添加牵头单位。",
            "No Chinese unit yet: add at least the lead unit.",
        )
    for i, unit in enumerate(units):
        if not unit.name.strip():
            yield _missing(f"units[{i}].name")
        if unit.kind is None:
            yield _missing(f"units[{i}].kind")
        if not unit.credit_code.strip():
            yield _missing(f"units[{i}].credit_code")
        if unit.registered is None:
            yield _missing(f"units[{i}].registered")
        if unit.funding is None:
            yield _missing(f"units[{i}].funding")
        if unit.kind == "enterprise" and unit.matching is None:
            yield _missing(f"units[{i}].matching")


def _partner(ctx: Context) -> Iterator[Finding]:
    partner = ctx.draft.partner
    yield from _blank((("partner.country", partner.country), ("partner.agency", partner.agency)))
    if not partner.institutions:
        yield Finding(
            "partner.institutions",
            "尚未填写外方合作单位：请至少添加一家。",
            "No partner institution yet: add at least one.",
        )
    for i, inst in enumerate(partner.institutions):
        if not inst.name.strip():
            yield _missing(f"partner.institutions[{i}].name")
        if inst.kind is None:
            yield _missing(f"partner.institutions[{i}].kind")
        if not inst.contact.strip():
            yield _missing(f"partner.institutions[{i}].contact")
        email = inst.email.strip()
        if not email:
            yield _missing(f"partner.institutions[{i}].email")
        elif not _EMAIL.match(email):
            yield _bad_email(f"partner.institutions[{i}].email")


def _h2020(ctx: Context) -> Iterator[Finding]:
    h = ctx.draft.h2020
    yield from _blank((("h2020.proposal", h.proposal), ("h2020.topic", h.topic)))
    if h.call_year is None:
        yield _missing("h2020.call_year")
    if not any(n.strip() for n in h.participants):
        yield _missing("h2020.participants")
    if h.cn_budget is None:
        yield _missing("h2020.cn_budget")


@rule("required_fields")
def required_fields(ctx: Context) -> Iterator[Finding]:
    # A field holding unreadable text is not empty: rules/entry.py reports what is wrong.
    unparsed = ctx.draft.meta.unparsed
    if not unparsed:
        yield from _required(ctx)
        return
    yield from (f for f in _required(ctx) if f.path not in unparsed)


def _required(ctx: Context) -> Iterator[Finding]:
    yield from _project(ctx)
    yield from _leader(ctx)
    yield from _units(ctx)
    yield from _partner(ctx)
    if ctx.direction.h2020:
        yield from _h2020(ctx)
    if all(getattr(ctx.draft.budget, c) is None for c in BUDGET_CATEGORIES):
        yield Finding(
            "budget.equipment",
            "经费预算尚未填写：请按科目填写中央财政经费（无此项填 0）。",
            "The budget is empty: fill in central funding by category (0 where none).",
        )
