"""申报书必填项: every field the forms need is filled."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import cast

from pydantic import BaseModel

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


def _unfilled(
    section: BaseModel, fields: tuple[str, ...], at: str, i: int | None = None
) -> tuple[Finding, ...]:
    """A finding for each of `fields` of `section` that is unset or blank text, at
    `at.field` (`at[i].field` for the `i`th of a list). It runs on every person and unit
    of every check: values read from `__dict__`, paths written only for what is missing."""
    values = section.__dict__
    found: tuple[Finding, ...] = ()
    for name in fields:
        value = values[name]
        if value is None or (value.__class__ is str and not value.strip()):
            found += (_missing(f"{at}.{name}" if i is None else f"{at}[{i}].{name}"),)
    return found


def _email(value: str, at: str, required: bool = True) -> tuple[Finding, ...]:
    """The e-mail address `at`.email: missing (when `required`) or not of the form
    name@example.org."""
    email = value.strip()
    if not email:
        return (_missing(f"{at}.email"),) if required else ()
    return () if _EMAIL.match(email) else (_bad_email(f"{at}.email"),)


# What a list that must not be empty says while it is.
_NONE_YET = {
    "team": (
        "尚未填写研究团队：请至少添加项目负责人。",
        "No research team yet: add at least the project leader.",
    ),
    "tasks": (
        "尚未设置课题：项目至少须有一个课题。",
        "No task (课题) yet: a project has at least one.",
    ),
    "units": (
        "尚未填写中方单位：请至少添加牵头单位。",
        "No Chinese unit yet: add at least the lead unit.",
    ),
    "partner.institutions": (
        "尚未填写外方合作单位：请至少添加一家。",
        "No partner institution yet: add at least one.",
    ),
}


def _none_yet(path: str, items: Sequence[object]) -> Iterator[Finding]:
    if not items:
        yield Finding(path, *_NONE_YET[path])


def _project(ctx: Context) -> Iterator[Finding]:
    p = ctx.draft.project
    yield from _unfilled(p, ("title", "title_en", "field"), "project")
    field = find_field(ctx.direction.fields, p.field.strip()) if p.field.strip() else None
    if field is not None and field.topics and not p.topic.strip():
        yield _missing("project.topic")
    yield from _unfilled(p, ("start", "months", "summary"), "project")
    if not any(k.strip() for k in p.keywords):
        yield _missing("project.keywords")


_PERSON_FIELDS = (
    "name", "gender", "birth_date", "id_type", "title", "degree", "role", "months_per_year",
    "id_number", "unit",
)  # fmt: skip
# Whose national projects count for the 限项 (国科发资〔2020〕107号 as summarised).
_COUNTED = frozenset({"leader", "task_leader", "core"})


def _team(ctx: Context) -> Iterator[Finding]:
    team = ctx.draft.team
    yield from _none_yet("team", team)
    for i, person in enumerate(team):
        at = f"team[{i}]"
        yield from _unfilled(person, _PERSON_FIELDS, "team", i)
        if person.role != "leader" and person.task is None:
            yield _missing(f"{at}.task")
        if person.role in _COUNTED and person.other_projects is None:
            yield _missing(f"{at}.other_projects")
        # The leader's e-mail and phone are required; anyone's e-mail must be one.
        leads = person.role == "leader"
        yield from _email(person.email, at, required=leads)
        if leads:
            yield from _unfilled(person, ("phone",), at)


def _cover(ctx: Context) -> Iterator[Finding]:
    d = ctx.draft
    yield from _unfilled(d.recommender, ("name", "kind"), "recommender")
    yield from _unfilled(d.contact, ("name", "phone"), "contact")
    yield from _email(d.contact.email, "contact")


def _tasks(ctx: Context) -> Iterator[Finding]:
    draft, form = ctx.draft, ctx.guide.form
    yield from _none_yet("tasks", draft.tasks)
    categories = form.shape.by_key
    for i, task in enumerate(draft.tasks):
        at = f"tasks[{i}]"
        yield from _unfilled(task, ("name", "unit", "leader", "content"), at)
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


_UNIT_FIELDS = ("name", "kind", "credit_code", "registered", "region", "address", "funding")


def _units(ctx: Context) -> Iterator[Finding]:
    units = ctx.draft.units
    yield from _none_yet("units", units)
    for i, unit in enumerate(units):
        yield from _unfilled(unit, _UNIT_FIELDS, "units", i)
        if unit.kind == "enterprise" and unit.matching is None:
            yield _missing(f"units[{i}].matching")


def _partner(ctx: Context) -> Iterator[Finding]:
    partner = ctx.draft.partner
    yield from _unfilled(partner, ("country", "agency"), "partner")
    yield from _unfilled(partner.lead, ("name", "institution"), "partner.lead")
    yield from _unfilled(partner, ("contribution",), "partner")
    yield from _email(partner.lead.email, "partner.lead")
    agreements = cast(RequiredParams, ctx.params).agreements
    if partner.agreement_signed is None and agreements:
        wanted = {kind.key for kind, _ in ctx.guide.attachments_for(ctx.direction)}
        if wanted.intersection(agreements):
            yield _missing("partner.agreement_signed")
    yield from _none_yet("partner.institutions", partner.institutions)
    for i, inst in enumerate(partner.institutions):
        at = f"partner.institutions[{i}]"
        yield from _unfilled(inst, ("name", "kind", "contact"), at)
        yield from _email(inst.email, at)


def _h2020(ctx: Context) -> Iterator[Finding]:
    h = ctx.draft.h2020
    yield from _unfilled(h, ("proposal", "topic", "call_year"), "h2020")
    if not any(n.strip() for n in h.participants):
        yield _missing("h2020.participants")
    yield from _unfilled(h, ("cn_budget",), "h2020")


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
