"""申报书必填项: every field the forms need is filled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

from wizard.catalogue import label
from wizard.rules.direction_scope import find_field
from wizard.rules.model import Context, Finding
from wizard.rules.params import RequiredParams
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


_PERSON_CHOICES = ("gender", "birth_date", "id_type", "title", "degree", "role", "months_per_year")
# Whose national projects count for the 限项 (国科发资〔2020〕107号 as summarised).
_COUNTED = frozenset({"leader", "task_leader", "core"})


def _team(ctx: Context) -> Iterator[Finding]:
    team = ctx.draft.team
    if not team:
        yield Finding(
            "team",
            "尚未填写研究团队：请至少添加项目负责人。",
            "No research team yet: add at least the project leader.",
        )
    for i, person in enumerate(team):
        at = f"team[{i}]"
        if not person.name.strip():
            yield _missing(f"{at}.name")
        for key in _PERSON_CHOICES:
            if getattr(person, key) is None:
                yield _missing(f"{at}.{key}")
        if not person.id_number.strip():
            yield _missing(f"{at}.id_number")
        if not person.unit.strip():
            yield _missing(f"{at}.unit")
        if person.role != "leader" and person.task is None:
            yield _missing(f"{at}.task")
        if person.role in _COUNTED and person.other_projects is None:
            yield _missing(f"{at}.other_projects")
        if person.role == "leader":
            email = person.email.strip()
            if not email:
                yield _missing(f"{at}.email")
            elif not _EMAIL.match(email):
                yield _bad_email(f"{at}.email")
            if not person.phone.strip():
                yield _missing(f"{at}.phone")
        elif person.email.strip() and not _EMAIL.match(person.email.strip()):
            yield _bad_email(f"{at}.email")


def _cover(ctx: Context) -> Iterator[Finding]:
    d = ctx.draft
    if not d.recommender.name.strip():
        yield _missing("recommender.name")
    if d.recommender.kind is None:
        yield _missing("recommender.kind")
    yield from _blank((("contact.name", d.contact.name), ("contact.phone", d.contact.phone)))
    email = d.contact.email.strip()
    if not email:
        yield _missing("contact.email")
    elif not _EMAIL.match(email):
        yield _bad_email("contact.email")


def _tasks(ctx: Context) -> Iterator[Finding]:
    draft, form = ctx.draft, ctx.guide.form
    categories = form.shape.by_key
    if not draft.tasks:
        yield Finding(
            "tasks",
            "尚未设置课题：项目至少须有一个课题。",
            "No task (课题) yet: a project has at least one.",
        )
    for i, task in enumerate(draft.tasks):
        at = f"tasks[{i}]"
        yield from _blank(
            (
                (f"{at}.name", task.name),
                (f"{at}.unit", task.unit),
                (f"{at}.leader", task.leader),
                (f"{at}.content", task.content),
            )
        )
        for key in task.budget:
            if key not in categories:
                known = "、".join(c.key for c in form.categories)
                yield Finding(
                    f"{at}.budget.{key}",
                    f"课题{i + 1}的预算科目“{key}”不是本指南的预算科目（{known}）：请改到正确的科目。",
                    f"Budget category '{key}' of task {i + 1} is not one of this guide's "
                    f"({', '.join(c.key for c in form.categories)}): move it to the right one.",
                )
        if all(line.empty for line in task.budget.values()):
            first = form.categories[0].key
            yield Finding(
                f"{at}.budget.{first}.central",
                f"课题{i + 1}的经费预算尚未填写：请按科目填写中央财政经费（无此项填 0）。",
                f"The budget of task {i + 1} is empty: fill in central funding by category "
                "(0 where none).",
            )


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
        if not unit.region.strip():
            yield _missing(f"units[{i}].region")
        if not unit.address.strip():
            yield _missing(f"units[{i}].address")
        if unit.funding is None:
            yield _missing(f"units[{i}].funding")
        if unit.kind == "enterprise" and unit.matching is None:
            yield _missing(f"units[{i}].matching")


def _partner(ctx: Context) -> Iterator[Finding]:
    partner = ctx.draft.partner
    yield from _blank((("partner.country", partner.country), ("partner.agency", partner.agency)))
    lead = partner.lead
    yield from _blank(
        (
            ("partner.lead.name", lead.name),
            ("partner.lead.institution", lead.institution),
            ("partner.contribution", partner.contribution),
        )
    )
    email = lead.email.strip()
    if not email:
        yield _missing("partner.lead.email")
    elif not _EMAIL.match(email):
        yield _bad_email("partner.lead.email")
    agreements = cast(RequiredParams, ctx.params).agreements
    if partner.agreement_signed is None and agreements:
        wanted = {kind.key for kind, _ in ctx.guide.attachments_for(ctx.direction)}
        if wanted.intersection(agreements):
            yield _missing("partner.agreement_signed")
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


@rule("required_fields", params=RequiredParams)
def required_fields(ctx: Context) -> Iterator[Finding]:
    # A field holding unreadable text is not empty: rules/entry.py reports what is wrong.
    unparsed = ctx.draft.meta.unparsed
    if not unparsed:
        yield from _required(ctx)
        return
    yield from (f for f in _required(ctx) if f.path not in unparsed)


def _required(ctx: Context) -> Iterator[Finding]:
    yield from _project(ctx)
    yield from _cover(ctx)
    yield from _units(ctx)
    yield from _team(ctx)
    yield from _tasks(ctx)
    yield from _partner(ctx)
    if ctx.direction.h2020:
        yield from _h2020(ctx)
