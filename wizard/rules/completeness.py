"""申报书必填项: every field the forms need is filled."""

from __future__ import annotations

import re
from collections.abc import Iterator

from wizard.draft import BUDGET_CATEGORIES
from wizard.labels import label
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


def _text(path: str, value: str) -> Iterator[Finding]:
    if not value.strip():
        yield _missing(path)


def _email(path: str, value: str) -> Iterator[Finding]:
    if not value.strip():
        yield _missing(path)
    elif not _EMAIL.match(value.strip()):
        yield _bad_email(path)


@rule("required_fields")
def required_fields(ctx: Context) -> Iterator[Finding]:
    draft, direction = ctx.draft, ctx.direction
    p = draft.project
    yield from _text("project.title", p.title)
    yield from _text("project.title_en", p.title_en)
    yield from _text("project.field", p.field)
    field = direction.fields.find(p.field)
    if field is not None and field.topics:
        yield from _text("project.topic", p.topic)
    if p.start is None:
        yield _missing("project.start")
    if p.months is None:
        yield _missing("project.months")
    yield from _text("project.summary", p.summary)
    if not [k for k in p.keywords if k.strip()]:
        yield _missing("project.keywords")

    lead = draft.leader
    yield from _text("leader.name", lead.name)
    for key in ("birth_date", "title", "degree", "months_per_year", "other_projects"):
        if getattr(lead, key) is None:
            yield _missing(f"leader.{key}")
    yield from _text("leader.unit", lead.unit)
    yield from _email("leader.email", lead.email)
    yield from _text("leader.phone", lead.phone)

    if not draft.units:
        yield Finding(
            "units",
            "尚未填写中方单位：请至少添加牵头单位。",
            "No Chinese unit yet: add at least the lead unit.",
        )
    for i, unit in enumerate(draft.units):
        at = f"units[{i}]"
        yield from _text(f"{at}.name", unit.name)
        if unit.kind is None:
            yield _missing(f"{at}.kind")
        yield from _text(f"{at}.credit_code", unit.credit_code)
        if unit.registered is None:
            yield _missing(f"{at}.registered")
        if unit.funding is None:
            yield _missing(f"{at}.funding")
        if unit.kind == "enterprise" and unit.matching is None:
            yield _missing(f"{at}.matching")

    partner = draft.partner
    yield from _text("partner.country", partner.country)
    yield from _text("partner.agency", partner.agency)
    if not partner.institutions:
        yield Finding(
            "partner.institutions",
            "尚未填写外方合作单位：请至少添加一家。",
            "No partner institution yet: add at least one.",
        )
    for i, inst in enumerate(partner.institutions):
        at = f"partner.institutions[{i}]"
        yield from _text(f"{at}.name", inst.name)
        if inst.kind is None:
            yield _missing(f"{at}.kind")
        yield from _text(f"{at}.contact", inst.contact)
        yield from _email(f"{at}.email", inst.email)

    if direction.h2020:
        h = draft.h2020
        yield from _text("h2020.proposal", h.proposal)
        yield from _text("h2020.topic", h.topic)
        if h.call_year is None:
            yield _missing("h2020.call_year")
        if not [n for n in h.participants if n.strip()]:
            yield _missing("h2020.participants")
        if h.cn_budget is None:
            yield _missing("h2020.cn_budget")

    if all(getattr(draft.budget, c) is None for c in BUDGET_CATEGORIES):
        yield Finding(
            "budget.equipment",
            "经费预算尚未填写：请按科目填写中央财政经费（无此项填 0）。",
            "The budget is empty: fill in central funding by category (0 where none).",
        )
