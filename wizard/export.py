"""A draft as a readable document (Markdown, HTML) or a documented JSON document.

Pure: no I/O and nothing time-dependent, so the same draft always exports to the same
bytes (the golden tests rely on it). The order is the 申报书's (2016 template): the cover
(项目名称, 所属专项, 指南方向, 推荐单位, 申报单位, 项目负责人), the 项目基本信息表 (with the units,
the 课题, the foreign side, Horizon 2020, the enterprises' matching and the 考核指标), then the
parts of `guide.form.parts` in order, each with its text or its structured data (进度安排,
研究团队, 经费预算 per 课题 and for the project, 附件), "无" where a part is empty; then the
attestations and the problems with their clauses. Budget categories are the guide's
(`guide.form.categories`): no category is named here. The JSON schema is documented in
docs/export-format.md.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from wizard.catalogue import clause_line, clause_where, counts_text, label, status_text, t
from wizard.check import inert_json, violation_json
from wizard.display import printable
from wizard.draft import BUDGET_SOURCES, H2020, Attachment, Draft, Person, Task, Unit
from wizard.guide import AttachmentKind, Direction, Guide, Part, Requirement, Severity
from wizard.money import format_money, format_ratio, safe_decimals
from wizard.rules import Violation, counts, evaluate
from wizard.rules.budget import indirect_base, indirect_cap_amount
from wizard.rules.common import category_label
from wizard.rules.model import AttachmentStates

ExportFormat = Literal["md", "html", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("md", "html", "json")
SCHEMA = "guide-wizard-export/2"

EMPTY = "—"
_ZERO = Decimal(0)

# An amount by category key and source (None: every source): Task.amount, Draft.amount.
AmountOf = Callable[[str, str | None], Decimal]
BasisOf = Callable[[str], str]

# ---------------------------------------------------------------------------------------------
# Values as text
# ---------------------------------------------------------------------------------------------


def money(value: Decimal | None) -> str | None:
    """An amount for the JSON document: wizard.money's format without grouping (`2562.85`)."""
    return format_money(value, grouping=False) if value is not None else None


def _show(value: object, lang: str) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return t("export.yes" if value else "export.no", lang)
    if isinstance(value, Decimal):
        return format_money(value)  # as the screens show it: 2,562.85
    if isinstance(value, datetime):
        return _local(value).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _local(value: datetime) -> datetime:
    """A stored time in the reader's local time, with its offset (a draft saved on a UTC
    machine shows 17:45:12+08:00 in Beijing, not 09:45:12+00:00)."""
    return value.astimezone().replace(microsecond=0)


def _stamp(value: datetime | None) -> str | None:
    return _local(value).isoformat() if value is not None else None


def effective_status(draft: Draft, violations: list[Violation]) -> str:
    """`ready` only when the draft is marked so and the check finds no error now."""
    errors = counts(violations)["error"]
    return "ready" if draft.meta.status == "ready" and not errors else "draft"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _named(prefix: str, value: str | None, lang: str) -> str:
    """A model value as the catalogue names it (`unit_kind.university` → 高等院校)."""
    return t(f"{prefix}{value}", lang) if value else EMPTY


def _list(values: Sequence[str], lang: str) -> str:
    kept = [v for v in values if v.strip()]
    return t("enum_sep", lang).join(kept) if kept else EMPTY


def _ratio(matching: Decimal | None, funding: Decimal | None) -> str | None:
    if matching is None or not funding:
        return None
    return format_ratio(matching, funding)


def _title(item: Part | AttachmentKind, lang: str) -> str:
    return item.en if lang == "en" else item.zh


_BUDGET_PATH = re.compile(r"^tasks\[(\d+)\]\.budget\.([^.]+)(?:\.([a-z]+))?$")
_LINE_PARTS = frozenset((*BUDGET_SOURCES, "basis"))


def field_name(guide: Guide, path: str, lang: str) -> str:
    """The name of a field path as the form shows it; a 课题's budget line by its category
    (the guide's) and source: `课题1 材料费（中央财政）`, `task 1: Materials (Central funds)`;
    a part of the text by its title (`申报书正文：进度安排`)."""
    if path.startswith("narrative."):
        form_part = guide.form.part(path.removeprefix("narrative."))
        if form_part is not None:
            return f"{label(path, lang)}{t('colon', lang)}{_title(form_part, lang)}"
    match = _BUDGET_PATH.match(path)
    if match is None:
        return label(path, lang)
    i, key, part = int(match.group(1)), match.group(2), match.group(3)
    name = t("field.task_at", lang, n=i + 1) + category_label(guide.form, key, lang)
    if part in _LINE_PARTS:
        return _annotated(name, t(f"source.{part}", lang), lang)
    return name


# ---------------------------------------------------------------------------------------------
# Facts shared by every format
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttestationState:
    origin: str  # direction code or "general"
    requirement: Requirement
    ticked: bool


def attestation_states(draft: Draft, guide: Guide) -> list[AttestationState]:
    """Every attestation the draft's direction asks for, in the guide's order."""
    direction = guide.direction(draft.direction)
    if direction is None:
        return []
    return [
        AttestationState(origin, r, draft.attest.get(r.id) is True)
        for origin, r in guide.requirements_for(direction)
        if r.kind == "attestation"
    ]


def _cap_tiers(guide: Guide, direction: Direction | None) -> list[dict[str, object]] | None:
    """The tiers of the indirect-cost rule that applies to the direction, if one does."""
    if direction is None or not guide.form.indirect_keys:
        return None
    for _, r in guide.requirements_for(direction):
        if r.rule == "indirect_cap":
            return list(r.params.get("tiers", []))
    return None


@dataclass(frozen=True, slots=True)
class TaskCap:
    """A 课题's indirect costs against their cap, on the central column as the rule judges
    them (wizard.rules.budget: 直接费用 − 设备购置费, marginal tiers)."""

    base: Decimal
    cap: Decimal
    indirect: Decimal

    @property
    def within(self) -> bool:
        return self.indirect <= self.cap


def task_cap(task: Task, guide: Guide, tiers: list[dict[str, object]] | None) -> TaskCap | None:
    if tiers is None:
        return None
    form = guide.form
    central = {c.key: task.amount(c.key, "central") for c in form.categories}
    base = indirect_base(central, form)
    indirect = sum((central[k] for k in form.indirect_keys), _ZERO)
    return TaskCap(base, indirect_cap_amount(base, tiers), indirect)


def _shows_h2020(draft: Draft, direction: Direction | None) -> bool:
    """The Horizon 2020 block: for directions linked to it, or a draft that has any of it."""
    return (direction is not None and direction.h2020) or draft.h2020 != H2020()


def _matching_units(draft: Draft) -> list[tuple[int, Unit]]:
    """Enterprises first (their own ratio is what the matching rule judges), then any other
    unit that brings matching funds; a non-enterprise with 0 matching is left out."""
    enterprises = [(i, u) for i, u in enumerate(draft.units) if u.kind == "enterprise"]
    others = [
        (i, u)
        for i, u in enumerate(draft.units)
        if u.kind != "enterprise" and u.matching is not None and u.matching != 0
    ]
    return enterprises + others


def _source_totals(draft: Draft, guide: Guide) -> dict[str, Decimal]:
    """The project's amount by source, over every 课题 and category."""
    return {
        s: sum((draft.amount(c.key, s) for c in guide.form.categories), _ZERO)
        for s in BUDGET_SOURCES
    }


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """One attachment as the list shows it: a kind the direction requires (with the draft's
    record, if any), or a record the draft holds under a key the list does not have."""

    key: str
    kind: AttachmentKind | None
    required: bool
    record: Attachment | None


def attachment_rows(draft: Draft, guide: Guide, direction: Direction | None) -> list[AttachmentRow]:
    rows: list[AttachmentRow] = []
    seen: set[str] = set()
    if direction is not None:
        for kind, _ in guide.attachments_for(direction):
            seen.add(kind.key)
            rows.append(AttachmentRow(kind.key, kind, True, draft.attachment(kind.key)))
    for record in draft.attachments:
        if record.key not in seen:
            seen.add(record.key)
            known = next((k for k in guide.form.attachments if k.key == record.key), None)
            rows.append(AttachmentRow(record.key, known, False, record))
    return rows


def _calendar_year(draft: Draft, year: int | None) -> int | None:
    start = draft.project.start
    return start.year + year - 1 if start is not None and year is not None else None


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def _person_json(p: Person) -> dict[str, Any]:
    return {
        "name": p.name,
        "gender": p.gender,
        "birth_date": _day(p.birth_date),
        "id_type": p.id_type,
        "id_number": p.id_number,
        "title": p.title,
        "degree": p.degree,
        "unit": p.unit,
        "role": p.role,
        "task": p.task,
        "months_per_year": p.months_per_year,
        "other_projects": p.other_projects,
        "email": p.email,
        "phone": p.phone,
    }


def _lines_json(
    amount: AmountOf, guide: Guide, lang: str, basis: BasisOf | None = None
) -> list[dict[str, Any]]:
    """The categories of guide.form with their amount by source (`amount(key, source)`)."""
    rows = []
    for c in guide.form.categories:
        row: dict[str, Any] = {
            "key": c.key,
            "label": category_label(guide.form, c.key, lang),
            "group": (c.group_en if lang == "en" else c.group) or None,
            "direct": c.direct,
            "purchase": c.purchase,
        }
        row.update({s: money(amount(c.key, s)) for s in BUDGET_SOURCES})
        row["total"] = money(amount(c.key, None))
        if basis is not None:
            row["basis"] = basis(c.key)
        rows.append(row)
    return rows


def _sums_json(amount: AmountOf, guide: Guide) -> dict[str, Any]:
    form = guide.form

    def by_source(keys: Sequence[str]) -> dict[str, str | None]:
        out: dict[str, str | None] = {
            s: money(sum((amount(k, s) for k in keys), _ZERO)) for s in BUDGET_SOURCES
        }
        out["total"] = money(sum((amount(k, None) for k in keys), _ZERO))
        return out

    keys = [c.key for c in form.categories]
    return {
        "direct": by_source(form.direct_keys),
        "indirect": by_source(form.indirect_keys),
        "total": by_source(keys),
    }


def _task_json(
    draft: Draft, guide: Guide, i: int, task: Task, tiers: list[dict[str, object]] | None, lang: str
) -> dict[str, Any]:
    def amount(key: str, source: str | None) -> Decimal:
        return task.amount(key, source)

    def basis(key: str) -> str:
        line = task.line(key)
        return line.basis if line is not None else ""

    cap = task_cap(task, guide, tiers)
    known = {c.key for c in guide.form.categories}
    return {
        "number": i + 1,
        "name": task.name,
        "unit": task.unit,
        "leader": task.leader,
        "content": task.content,
        "budget": {
            "categories": _lines_json(amount, guide, lang, basis),
            **_sums_json(amount, guide),
            "indirect_cap": None
            if cap is None
            else {
                "base": money(cap.base),
                "cap": money(cap.cap),
                "indirect": money(cap.indirect),
                "within": cap.within,
            },
            # Lines under a key the guide's form does not have (kept, not counted).
            "unknown_categories": sorted(k for k in task.budget if k not in known),
        },
    }


def export_data(
    draft: Draft, guide: Guide, lang: str, files: AttachmentStates | None = None
) -> dict[str, Any]:
    """The export as JSON-ready data (schema guide-wizard-export/2, docs/export-format.md),
    in the order of the 申报书."""
    direction = guide.direction(draft.direction)
    violations = evaluate(draft, guide, files)
    p, lead, lead_unit = draft.project, draft.leader, draft.lead_unit
    tiers = _cap_tiers(guide, direction)
    matching = _matching_units(draft)
    h = draft.h2020
    sources = _source_totals(draft, guide)
    violation_rows = []
    for v in violations:
        row = violation_json(v, lang)
        row["field"] = field_name(guide, v.path, lang)
        row["clause"]["source"] = v.clause.source
        violation_rows.append(row)
    central = sources["central"]
    return {
        "schema": SCHEMA,
        "lang": lang,
        "guide": {"id": guide.id, "title": guide.title_en if lang == "en" else guide.title},
        "direction": {
            "code": draft.direction,
            "known": direction is not None,
            "title": (direction.title_en if lang == "en" else direction.title)
            if direction
            else None,
            "partner": direction.partner.get(lang) if direction else None,
            "funding": money(direction.funding.amount) if direction else None,
            "projects": {"low": direction.projects.low, "high": direction.projects.high}
            if direction
            else None,
            "period": direction.period.get(lang) if direction else None,
        },
        "status": effective_status(draft, violations),
        "marked": draft.meta.status,
        "status_text": status_text(draft.meta.status, counts(violations)["error"], lang),
        "created": _stamp(draft.meta.created),
        "updated": _stamp(draft.meta.updated),
        "counts": counts(violations),
        "cover": {
            "title": p.title,
            "programme": guide.title_en if lang == "en" else guide.title,
            "direction": draft.direction,
            "recommender": draft.recommender.name,
            "applicant": lead_unit.name if lead_unit is not None else None,
            "leader": lead.name if lead is not None else None,
        },
        "project": {
            "title": p.title,
            "title_en": p.title_en,
            "field": p.field,
            "topic": p.topic,
            "start": _day(p.start),
            "end": _day(p.end),
            "months": p.months,
            "years": p.years,
            "summary": p.summary,
            "keywords": list(p.keywords),
            "tasks": len(draft.tasks),
            "units": len(draft.units),
            "budget": {
                **{s: money(sources[s]) for s in BUDGET_SOURCES},
                "total": money(sum(sources.values(), _ZERO)),
            },
        },
        "recommender": {"name": draft.recommender.name, "kind": draft.recommender.kind},
        "contact": {
            "name": draft.contact.name,
            "phone": draft.contact.phone,
            "email": draft.contact.email,
        },
        "leader": None
        if lead is None
        else {"team_index": draft.leader_index, **_person_json(lead)},
        "units": [
            {
                "name": u.name,
                "role": u.role,
                "kind": u.kind,
                "credit_code": u.credit_code,
                "parent": u.parent,
                "registered": _day(u.registered),
                "region": u.region,
                "address": u.address,
                "postcode": u.postcode,
                "funding": money(u.funding),
                "matching": money(u.matching),
            }
            for u in draft.units
        ],
        "partner": {
            "country": draft.partner.country,
            "agency": draft.partner.agency,
            "submitted": draft.partner.submitted,
            "reference": draft.partner.reference,
            "lead": {
                "name": draft.partner.lead.name,
                "title": draft.partner.lead.title,
                "institution": draft.partner.lead.institution,
                "email": draft.partner.lead.email,
            },
            "contribution": draft.partner.contribution,
            "agreement_signed": _day(draft.partner.agreement_signed),
            "institutions": [
                {"name": i.name, "kind": i.kind, "contact": i.contact, "email": i.email}
                for i in draft.partner.institutions
            ],
        },
        "h2020": {
            "proposal": h.proposal,
            "topic": h.topic,
            "call_year": h.call_year,
            "participants": list(h.participants),
            "cn_budget": money(h.cn_budget),
        }
        if _shows_h2020(draft, direction)
        else None,
        "matching": {
            "units": [
                {
                    "unit": i,
                    "name": u.name,
                    "kind": u.kind,
                    "funding": money(u.funding),
                    "matching": money(u.matching),
                    "ratio": _ratio(u.matching, u.funding),
                }
                for i, u in matching
            ],
            "funding": money(sum((u.funding or _ZERO for _, u in matching), _ZERO)),
            "matching": money(sum((u.matching or _ZERO for _, u in matching), _ZERO)),
        },
        "targets": [
            {"name": g.name, "kind": g.kind, "value": g.value, "method": g.method, "task": g.task}
            for g in draft.targets
        ],
        "parts": [
            {
                "key": part.key,
                "title": _title(part, lang),
                "holds": part.holds or None,
                "text": draft.narrative.get(part.key, ""),
                "chars": len(draft.narrative.get(part.key, "").strip()),
            }
            for part in guide.form.parts
        ],
        "plan": [
            {
                "year": s.year,
                "calendar_year": _calendar_year(draft, s.year),
                "content": s.content,
            }
            for s in draft.plan
        ],
        "team": [_person_json(m) for m in draft.team],
        "tasks": [
            _task_json(draft, guide, i, task, tiers, lang) for i, task in enumerate(draft.tasks)
        ],
        "budget": {
            "categories": _lines_json(draft.amount, guide, lang),
            **_sums_json(draft.amount, guide),
            "units_funding": money(draft.units_funding),
            "difference": money(central - draft.units_funding),
            "balanced": central == draft.units_funding,
        },
        "attachments": [
            {
                "key": row.key,
                "label": _title(row.kind, lang) if row.kind is not None else row.key,
                "required": row.required,
                "optional": row.kind.optional if row.kind is not None else None,
                "path": row.record.path if row.record else "",
                "size": row.record.size if row.record else None,
                "sha256": row.record.sha256 if row.record else "",
                "attached": _stamp(row.record.attached) if row.record else None,
                "not_applicable": row.record.not_applicable if row.record else False,
                "note": row.record.note if row.record else "",
            }
            for row in attachment_rows(draft, guide, direction)
        ],
        "attestations": [
            {
                "id": a.requirement.id,
                "direction": a.origin,
                "item": a.requirement.item,
                "severity": a.requirement.severity,
                "text": a.requirement.text,
                "text_en": a.requirement.text_en,
                "ticked": a.ticked,
            }
            for a in attestation_states(draft, guide)
        ],
        "violations": violation_rows,
    }


def render_json(
    draft: Draft, guide: Guide, lang: str, files: AttachmentStates | None = None
) -> str:
    """The JSON document, inert on any terminal as `wizard check --json` is (`inert_json`)."""
    return inert_json(export_data(draft, guide, lang, files)) + "\n"


# ---------------------------------------------------------------------------------------------
# The document Markdown and HTML are rendered from
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fields:
    """Label–value rows."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[tuple[str, ...], ...] = ()
    numeric: frozenset[int] = frozenset()  # columns of amounts, right-aligned
    row_classes: tuple[str, ...] = ()  # HTML classes of the body rows (ticked / unticked)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """A long user text (the summary), line breaks kept."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Note:
    text: str


@dataclass(frozen=True, slots=True)
class Issue:
    severity: Severity
    severity_label: str
    field: str
    path: str
    message: str
    clause: str


@dataclass(frozen=True, slots=True)
class Issues:
    items: tuple[Issue, ...]


Block = Fields | Table | Heading | Text | Note | Issues


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: str
    facts: Fields
    sections: tuple[Section, ...] = field(default_factory=tuple)


_ZH_NUMBERS = "一二三四五六七八九十"


def _numbered(n: int, title: str, lang: str) -> str:
    number = str(n) if lang == "en" or n > len(_ZH_NUMBERS) else _ZH_NUMBERS[n - 1]
    return t("export.numbered", lang, n=number, title=title)


def _none(lang: str) -> Note:
    """What the 申报书 writes where a part has nothing: 无."""
    return Note(t("export.none", lang))


# Fields whose stored value is a model value the catalogue names (`person_role.leader`).
_NAMED_VALUES = {
    "title": "leader_title.",
    "degree": "leader_degree.",
    "gender": "gender.",
    "id_type": "id_type.",
    "role": "person_role.",
}


def _person_value(person: Person, name: str, lang: str) -> str:
    value = getattr(person, name)
    if name in _NAMED_VALUES:
        return _named(_NAMED_VALUES[name], value, lang)
    return _show(value, lang)


def _fields(section: str, model: object, names: Sequence[str], lang: str) -> Fields:
    """Label–value rows of `model`'s fields `names`, labelled as the form labels them."""
    rows = []
    for name in names:
        value = getattr(model, name)
        shown = _list(value, lang) if isinstance(value, list) else _show(value, lang)
        rows.append((label(f"{section}.{name}", lang), shown))
    return Fields(tuple(rows))


def _direction_name(draft: Draft, direction: Direction | None, lang: str) -> str:
    if direction is None:
        return f"{draft.direction or EMPTY} {t('export.unknown_direction', lang)}"
    return f"{direction.code} {direction.title_en if lang == 'en' else direction.title}"


def _cover_section(
    draft: Draft, guide: Guide, direction: Direction | None, lang: str
) -> list[Block]:
    lead, unit = draft.leader, draft.lead_unit
    recommender = draft.recommender
    shown = recommender.name.strip() or EMPTY
    if recommender.kind:
        shown = _annotated(shown, _named("recommender_kind.", recommender.kind, lang), lang)
    rows = (
        (label("project.title", lang), _show(draft.project.title, lang)),
        (t("export.programme", lang), guide.title_en if lang == "en" else guide.title),
        (t("export.direction_line", lang), _direction_name(draft, direction, lang)),
        (label("recommender.name", lang), shown),
        (t("export.applicant", lang), _show(unit.name if unit else "", lang)),
        (t("export.sec_leader", lang), _show(lead.name if lead else "", lang)),
    )
    return [Fields(rows)]


def _money_header(first: str, lang: str, basis: bool = False) -> tuple[str, ...]:
    sources = tuple(t(f"source.{s}", lang) for s in BUDGET_SOURCES)
    tail = (t("source.basis", lang),) if basis else ()
    return (first, *sources, t("export.total", lang), *tail)


def _basic_section(
    draft: Draft, guide: Guide, direction: Direction | None, lang: str
) -> list[Block]:
    p = draft.project
    rows: list[tuple[str, str]] = [
        (label("direction", lang), _direction_name(draft, direction, lang))
    ]
    if direction is not None:
        rows.append((t("export.partner_side", lang), direction.partner.get(lang)))
    rows += _fields("project", p, ("title", "title_en", "field", "topic", "start"), lang).rows
    rows.append((t("export.end", lang), _show(p.end, lang)))
    rows += _fields("project", p, ("months", "keywords"), lang).rows
    rows.append((t("export.task_count", lang), str(len(draft.tasks))))
    rows.append((t("export.unit_count", lang), str(len(draft.units))))
    rec = draft.recommender
    rows.append((label("recommender.name", lang), _show(rec.name, lang)))
    rows.append((label("recommender.kind", lang), _named("recommender_kind.", rec.kind, lang)))
    rows += _fields("contact", draft.contact, ("name", "phone", "email"), lang).rows
    blocks: list[Block] = [Fields(tuple(rows))]
    blocks.append(Text(label("project.summary", lang), p.summary.strip() or EMPTY))

    sources = _source_totals(draft, guide)
    total = sum(sources.values(), _ZERO)
    blocks.append(Heading(t("export.budget_by_source", lang)))
    blocks.append(
        Table(
            _money_header(t("export.project", lang), lang),
            ((t("export.total", lang), *(_show(sources[s], lang) for s in BUDGET_SOURCES),
              _show(total, lang)),),
            numeric=frozenset(range(1, len(BUDGET_SOURCES) + 2)),
        )
    )  # fmt: skip

    blocks.append(Heading(t("export.sec_leader", lang)))
    lead = draft.leader
    if lead is None:
        blocks.append(Note(t("export.no_leader", lang)))
    else:
        names = ("name", "gender", "birth_date", "id_type", "id_number", "title", "degree",
                 "unit", "months_per_year", "other_projects", "email", "phone")  # fmt: skip
        blocks.append(
            Fields(tuple((label(f"team[].{n}", lang), _person_value(lead, n, lang)) for n in names))
        )
    blocks.append(Heading(t("export.sec_units", lang)))
    blocks += _units_blocks(draft, lang)
    blocks.append(Heading(t("export.sec_tasks", lang)))
    blocks += _tasks_blocks(draft, guide, lang)
    blocks.append(Heading(t("export.sec_partner", lang)))
    blocks += _partner_blocks(draft, lang)
    if _shows_h2020(draft, direction):
        blocks.append(Heading(t("export.sec_h2020", lang)))
        h2020_names = ("proposal", "topic", "call_year", "participants", "cn_budget")
        blocks.append(_fields("h2020", draft.h2020, h2020_names, lang))
    blocks.append(Heading(t("export.sec_matching", lang)))
    blocks += _matching_blocks(draft, lang)
    blocks.append(Heading(t("export.sec_targets", lang)))
    blocks += _targets_blocks(draft, lang)
    return blocks


def _units_blocks(draft: Draft, lang: str) -> list[Block]:
    if not draft.units:
        return [Note(t("export.no_units", lang))]
    names = ("name", "role", "kind", "credit_code", "parent", "registered", "region",
             "address", "postcode", "funding")  # fmt: skip
    header = (t("export.number", lang), *(label(f"units[].{n}", lang) for n in names))
    rows = tuple(
        (
            str(i),
            _show(u.name, lang),
            t(f"role.{u.role}", lang),
            _named("unit_kind.", u.kind, lang),
            _show(u.credit_code, lang),
            _show(u.parent, lang),
            _show(u.registered, lang),
            _show(u.region, lang),
            _show(u.address, lang),
            _show(u.postcode, lang),
            _show(u.funding, lang),
        )
        for i, u in enumerate(draft.units, start=1)
    )
    footer = ((t("export.total", lang), *([""] * 9), _show(draft.units_funding, lang)),)
    return [Table(header, rows, footer, frozenset({10}))]


def _tasks_blocks(draft: Draft, guide: Guide, lang: str) -> list[Block]:
    if not draft.tasks:
        return [_none(lang)]
    keys = [c.key for c in guide.form.categories]
    header = (
        t("export.number", lang),
        label("tasks[].name", lang),
        label("tasks[].unit", lang),
        label("tasks[].leader", lang),
        t("source.central", lang),
        t("export.total", lang),
    )
    rows = tuple(
        (
            str(i),
            _show(task.name, lang),
            _show(task.unit, lang),
            _show(task.leader, lang),
            _show(sum((task.amount(k, "central") for k in keys), _ZERO), lang),
            _show(sum((task.amount(k) for k in keys), _ZERO), lang),
        )
        for i, task in enumerate(draft.tasks, start=1)
    )
    blocks: list[Block] = [Table(header, rows, numeric=frozenset({4, 5}))]
    for i, task in enumerate(draft.tasks, start=1):
        blocks.append(
            Text(
                label(f"tasks[{i - 1}].content", lang),
                task.content.strip() or t("export.none", lang),
            )
        )
    return blocks


def _partner_blocks(draft: Draft, lang: str) -> list[Block]:
    partner = draft.partner
    blocks: list[Block] = [
        Fields(
            (
                *_fields(
                    "partner", partner, ("country", "agency", "submitted", "reference"), lang
                ).rows,
                *_fields(
                    "partner.lead", partner.lead, ("name", "title", "institution", "email"), lang
                ).rows,
                *_fields("partner", partner, ("agreement_signed",), lang).rows,
            )
        ),
        Text(
            label("partner.contribution", lang),
            partner.contribution.strip() or t("export.none", lang),
        ),
    ]
    if partner.institutions:
        header = (
            t("export.number", lang),
            label("partner.institutions[].name", lang),
            label("partner.institutions[].kind", lang),
            label("partner.institutions[].contact", lang),
            label("partner.institutions[].email", lang),
        )
        rows = tuple(
            (
                str(i),
                _show(inst.name, lang),
                _named("unit_kind.", inst.kind, lang),
                _show(inst.contact, lang),
                _show(inst.email, lang),
            )
            for i, inst in enumerate(partner.institutions, start=1)
        )
        blocks.append(Table(header, rows))
    else:
        blocks.append(Note(t("export.no_institutions", lang)))
    return blocks


def _matching_blocks(draft: Draft, lang: str) -> list[Block]:
    units = _matching_units(draft)
    if not units:
        return [Note(t("export.no_matching", lang))]
    header = (
        t("export.number", lang),
        label("units[].name", lang),
        label("units[].kind", lang),
        label("units[].funding", lang),
        label("units[].matching", lang),
        t("export.ratio", lang),
    )
    rows = tuple(
        (
            str(i + 1),
            _show(u.name, lang),
            _named("unit_kind.", u.kind, lang),
            _show(u.funding, lang),
            _show(u.matching, lang),
            _ratio(u.matching, u.funding) or EMPTY,
        )
        for i, u in units
    )
    funding = sum((u.funding or _ZERO for _, u in units), _ZERO)
    matching = sum((u.matching or _ZERO for _, u in units), _ZERO)
    footer = (
        (
            t("export.total", lang),
            "",
            "",
            _show(funding, lang),
            _show(matching, lang),
            _ratio(matching, funding) or EMPTY,
        ),
    )
    return [Table(header, rows, footer, frozenset({3, 4, 5}))]


def _targets_blocks(draft: Draft, lang: str) -> list[Block]:
    if not draft.targets:
        return [_none(lang)]
    names = ("name", "kind", "value", "method", "task")
    header = (t("export.number", lang), *(label(f"targets[].{n}", lang) for n in names))
    rows = tuple(
        (str(i), *(_show(getattr(g, n), lang) for n in names))
        for i, g in enumerate(draft.targets, start=1)
    )
    return [Table(header, rows)]


def _plan_blocks(draft: Draft, lang: str) -> list[Block]:
    if not draft.plan:
        return [_none(lang)]
    header = (label("plan[].year", lang), label("plan[].content", lang))
    rows = []
    for stage in draft.plan:
        calendar = _calendar_year(draft, stage.year)
        year = (
            t("export.plan_year", lang, n=stage.year, year=calendar)
            if stage.year is not None and calendar is not None
            else _show(stage.year, lang)
        )
        rows.append((year, _show(stage.content, lang)))
    return [Table(header, tuple(rows))]


def _team_blocks(draft: Draft, lang: str) -> list[Block]:
    if not draft.team:
        return [_none(lang)]
    names = ("name", "gender", "birth_date", "id_type", "id_number", "title", "degree", "unit",
             "role", "task", "months_per_year", "other_projects", "email", "phone")  # fmt: skip
    header = (t("export.number", lang), *(label(f"team[].{n}", lang) for n in names))
    rows = tuple(
        (str(i), *(_person_value(m, n, lang) for n in names))
        for i, m in enumerate(draft.team, start=1)
    )
    return [Table(header, rows)]


def _category_rows(
    amount: AmountOf, guide: Guide, lang: str, basis: BasisOf | None = None
) -> tuple[list[tuple[str, ...]], tuple[tuple[str, ...], ...]]:
    """The rows of a budget table in the form's order: each group's subtotal above its
    categories (其中：…), the direct subtotal, the indirect categories; the total as footer."""
    form = guide.form

    def cells(keys: Sequence[str]) -> tuple[str, ...]:
        by_source = [sum((amount(k, s) for k in keys), _ZERO) for s in BUDGET_SOURCES]
        return (*(_show(v, lang) for v in by_source), _show(sum(by_source, _ZERO), lang))

    tail = 1 if basis is not None else 0
    rows: list[tuple[str, ...]] = []
    seen_groups: set[str] = set()
    direct = [c for c in form.categories if c.direct]
    for c in direct:
        group = c.group_en if lang == "en" else c.group
        name = category_label(form, c.key, lang)
        if group:
            if group not in seen_groups:
                seen_groups.add(group)
                members = [
                    m.key for m in direct if (m.group_en if lang == "en" else m.group) == group
                ]
                rows.append((group, *cells(members), *([""] * tail)))
            name = t("export.of_which", lang, name=name)
        rows.append((name, *cells([c.key]), *((basis(c.key),) if basis else ())))
    rows.append((t("export.direct", lang), *cells(form.direct_keys), *([""] * tail)))
    for c in form.categories:
        if not c.direct:
            rows.append(
                (
                    category_label(form, c.key, lang),
                    *cells([c.key]),
                    *((basis(c.key),) if basis else ()),
                )
            )
    keys = [c.key for c in form.categories]
    footer = ((t("export.total", lang), *cells(keys), *([""] * tail)),)
    return rows, footer


def _budget_blocks(
    draft: Draft, guide: Guide, direction: Direction | None, lang: str
) -> list[Block]:
    numeric = frozenset(range(1, len(BUDGET_SOURCES) + 2))
    tiers = _cap_tiers(guide, direction)
    blocks: list[Block] = []
    for i, task in enumerate(draft.tasks):
        heading = t("export.task_budget", lang, n=i + 1)
        if task.name.strip():
            heading = f"{heading}{t('colon', lang)}{task.name.strip()}"
        blocks.append(Heading(heading))

        def basis(key: str, task: Task = task) -> str:
            line = task.line(key)
            return line.basis.strip() if line is not None and line.basis.strip() else EMPTY

        rows, footer = _category_rows(task.amount, guide, lang, basis)
        blocks.append(
            Table(_money_header(t("export.category", lang), lang, basis=True), tuple(rows),
                  footer, numeric)
        )  # fmt: skip
        cap = task_cap(task, guide, tiers)
        if cap is not None:
            state = t("export.within_cap" if cap.within else "export.over_cap", lang)
            blocks.append(
                Fields(
                    (
                        (t("export.indirect_base", lang), _show(cap.base, lang)),
                        (t("export.indirect_cap", lang), _annotated(_show(cap.cap, lang), state, lang)),
                    )
                )
            )  # fmt: skip
    if not draft.tasks:
        blocks.append(_none(lang))
    blocks.append(Heading(t("export.project_budget", lang)))
    rows, footer = _category_rows(draft.amount, guide, lang)
    blocks.append(
        Table(_money_header(t("export.category", lang), lang), tuple(rows), footer, numeric)
    )
    central = _source_totals(draft, guide)["central"]
    difference = central - draft.units_funding
    state = t("export.balanced" if difference == 0 else "export.unbalanced", lang)
    facts: list[tuple[str, str]] = [
        (t("export.units_funding", lang), _show(draft.units_funding, lang)),
        (t("export.difference", lang), _annotated(_show(difference, lang), state, lang)),
    ]
    if direction is not None:
        facts.append((t("export.direction_funding", lang), _direction_funding(direction, lang)))
        facts.append((t("export.direction_projects", lang), _direction_projects(direction, lang)))
    blocks.append(Fields(tuple(facts)))
    blocks.append(Note(t("export.central_reading", lang)))
    return blocks


def _size(size: int | None, lang: str) -> str:
    return t("export.bytes", lang, n=f"{size:,}") if size is not None else EMPTY


def _attachments_blocks(
    draft: Draft, guide: Guide, direction: Direction | None, lang: str
) -> list[Block]:
    rows_data = attachment_rows(draft, guide, direction)
    if not rows_data:
        return [_none(lang)]
    header = (
        t("export.number", lang),
        t("export.attachment", lang),
        label("attachments[].path", lang),
        t("export.size", lang),
        "SHA-256",
        label("attachments[].not_applicable", lang),
        label("attachments[].note", lang),
    )
    rows = []
    for n, row in enumerate(rows_data, start=1):
        name = _title(row.kind, lang) if row.kind is not None else row.key
        if row.kind is not None and row.kind.optional:
            name = _annotated(name, t("export.optional", lang), lang)
        r = row.record
        rows.append(
            (
                str(n),
                name,
                _show(r.path, lang) if r else EMPTY,
                _size(r.size, lang) if r else EMPTY,
                _show(r.sha256, lang) if r else EMPTY,
                _show(r.not_applicable, lang) if r else _show(False, lang),
                _show(r.note, lang) if r else EMPTY,
            )
        )
    return [Table(header, tuple(rows), numeric=frozenset({3}))]


def _part_blocks(
    part: Part, draft: Draft, guide: Guide, direction: Direction | None, lang: str
) -> list[Block]:
    """A part of the 申报书: its text, then the structured data of the section it holds."""
    text = draft.narrative.get(part.key, "").strip()
    blocks: list[Block] = []
    if text:
        blocks.append(Text(t("export.part_text", lang, chars=len(text)), text))
    holders = {
        "plan": lambda: _plan_blocks(draft, lang),
        "team": lambda: _team_blocks(draft, lang),
        "tasks": lambda: _budget_blocks(draft, guide, direction, lang),
        "attachments": lambda: _attachments_blocks(draft, guide, direction, lang),
    }
    held = holders.get(part.holds)
    if held is not None:
        blocks += held()
    if not blocks:
        blocks.append(_none(lang))
    return blocks


def _annotated(value: str, note: str, lang: str) -> str:
    return t("annotated", lang, value=value, note=note)


def _direction_funding(direction: Direction, lang: str) -> str:
    f = direction.funding
    if lang == "en":
        return f.amount_text(lang)
    return f.text.removeprefix("共拟支持经费：").rstrip("。") or f.amount_text(lang)


def _direction_projects(direction: Direction, lang: str) -> str:
    p = direction.projects
    return (
        p.span if lang == "en" else (p.text.removeprefix("拟支持项目数：").rstrip("。") or p.span)
    )


def _attestation_section(draft: Draft, guide: Guide, lang: str) -> list[Block]:
    states = attestation_states(draft, guide)
    if not states:
        return [Note(t("export.no_attestations", lang))]
    ticked = sum(1 for s in states if s.ticked)
    intro = t("export.attest_tally", lang, ticked=ticked, total=len(states))
    if lang == "en":
        header: tuple[str, ...] = (
            t("export.attest_state", lang),
            t("export.severity", lang),
            t("export.clause", lang),
            t("export.requirement", lang),
            t("export.verbatim", lang),
        )
    else:
        header = (
            t("export.attest_state", lang),
            t("export.severity", lang),
            t("export.clause", lang),
            t("export.verbatim", lang),
        )
    rows: list[tuple[str, ...]] = []
    for s in states:
        r = s.requirement
        row = [
            t("export.ticked" if s.ticked else "export.unticked", lang),
            EMPTY if s.ticked else t(f"severity.{r.severity}", lang),  # nothing left to do
            f"{clause_where(s.origin, lang, name_general=True)}{r.item}",
        ]
        if lang == "en":
            row.append(r.text_en)
        row.append(r.text)
        rows.append(tuple(row))
    classes = tuple("ticked" if s.ticked else "unticked" for s in states)
    return [Note(intro), Table(header, tuple(rows), row_classes=classes)]


def _issues_section(guide: Guide, violations: list[Violation], lang: str) -> list[Block]:
    c = counts(violations)
    summary = counts_text(c, lang)
    if not violations:
        return [Note(t("export.no_issues", lang, counts=summary))]
    items = tuple(
        Issue(
            v.severity,
            t(f"severity.{v.severity}", lang),
            field_name(guide, v.path, lang),
            v.path,
            v.message(lang),
            clause_line(v.clause, lang, name_general=True),
        )
        for v in violations
    )
    return [Note(summary), Issues(items)]


def export_document(
    draft: Draft, guide: Guide, lang: str, files: AttachmentStates | None = None
) -> Document:
    direction = guide.direction(draft.direction)
    violations = evaluate(draft, guide, files)
    title = draft.project.title.strip() or t("export.untitled", lang)
    deadline = guide.general.deadline.at
    facts = Fields(
        (
            (t("export.guide", lang), guide.title_en if lang == "en" else guide.title),
            (label("direction", lang), draft.direction or EMPTY),
            (
                t("export.status", lang),
                status_text(draft.meta.status, counts(violations)["error"], lang),
            ),
            (t("export.created", lang), _show(draft.meta.created, lang)),
            (t("export.updated", lang), _show(draft.meta.updated, lang)),
            (t("export.deadline", lang), deadline.isoformat(sep=" ")),
            (t("export.check", lang), counts_text(counts(violations), lang)),
        )
    )
    sections = [
        Section("cover", t("export.sec_cover", lang), tuple(_cover_section(draft, guide, direction, lang))),
        Section("basic", t("export.sec_basic", lang), tuple(_basic_section(draft, guide, direction, lang))),
    ]  # fmt: skip
    for n, part in enumerate(guide.form.parts, start=1):
        sections.append(
            Section(
                f"part-{part.key}",
                _numbered(n, _title(part, lang), lang),
                tuple(_part_blocks(part, draft, guide, direction, lang)),
            )
        )
    sections.append(
        Section(
            "attest", t("export.sec_attest", lang), tuple(_attestation_section(draft, guide, lang))
        )
    )
    sections.append(
        Section(
            "issues", t("export.sec_issues", lang), tuple(_issues_section(guide, violations, lang))
        )
    )
    return Document(lang, f"{t('export.doc_title', lang)} · {title}", facts, tuple(sections))


# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def _safe(text: str) -> str:
    """Controls and bidi overrides shown escaped, in every format (see wizard.display)."""
    return printable(unicodedata.normalize("NFC", text), keep_newlines=True)


def md_escape(text: str) -> str:
    """User text as literal Markdown: no markup, no raw HTML, no entity, no table break."""
    text = _MD_INLINE.sub(r"\\\1", _safe(text))
    return _MD_ENTITY.sub(r"\\&", text)


def _md_cell(text: str) -> str:
    return md_escape(text).replace("\r\n", "\n").replace("\n", " ")


def _md_block_text(text: str) -> str:
    escaped = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), md_escape(text))
    # Two trailing spaces keep the user's line breaks inside one paragraph.
    return "  \n".join(line.rstrip() for line in escaped.splitlines()) or EMPTY


def _md_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: frozenset[int],
    bold_rows: int = 0,
) -> str:
    """A GFM table; the last `bold_rows` rows (totals) in bold."""

    def cell(text: str, bold: bool) -> str:
        escaped = _md_cell(text)
        return f"**{escaped}**" if bold and escaped else escaped

    lines = ["| " + " | ".join(cell(h, False) for h in header) + " |"]
    lines.append(
        "| " + " | ".join("---:" if i in numeric else "---" for i in range(len(header))) + " |"
    )
    first_bold = len(rows) - bold_rows
    lines.extend(
        "| " + " | ".join(cell(c, n >= first_bold) for c in row) + " |"
        for n, row in enumerate(rows)
    )
    return "\n".join(lines)


def _md_fields(fields: Fields, lang: str) -> str:
    colon = t("colon", lang)
    return "\n".join(f"- **{_md_cell(k)}**{colon}{_md_cell(v)}" for k, v in fields.rows)


def _md_blocks(blocks: Sequence[Block], lang: str) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Fields):
            yield _md_fields(block, lang)
        elif isinstance(block, Table):
            yield _md_table(
                block.header, [*block.rows, *block.footer], block.numeric, len(block.footer)
            )
        elif isinstance(block, Heading):
            yield f"### {_md_cell(block.text)}"
        elif isinstance(block, Text):
            yield f"**{_md_cell(block.label)}**\n\n{_md_block_text(block.text)}"
        elif isinstance(block, Note):
            yield _md_block_text(block.text)
        else:
            entries = []
            for n, issue in enumerate(block.items, start=1):
                entries.append(
                    f"{n}. **{_md_cell(issue.severity_label)}** · {_md_cell(issue.field)} "
                    f"(`{issue.path}`)  \n"
                    f"   {_md_cell(issue.message)}  \n"
                    f"   > {_md_cell(issue.clause)}"
                )
            yield "\n".join(entries)


def render_markdown(document: Document) -> str:
    out = [f"# {_md_cell(document.title)}", "", _md_fields(document.facts, document.lang)]
    for section in document.sections:
        out += ["", f"## {_md_cell(section.title)}"]
        for chunk in _md_blocks(section.blocks, document.lang):
            out += ["", chunk]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Microsoft YaHei", "SimSun", sans-serif; color: #111; background: #fff;
  margin: 0; line-height: 1.5; font-size: 15px; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid #333; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; vertical-align: top;
  text-align: left; overflow-wrap: anywhere; }
thead th, tfoot td { background: #f0f0f0; }
tfoot td { font-weight: bold; }
table.fields th { width: 14rem; background: #f7f7f7; font-weight: normal; color: #333; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.text { white-space: pre-wrap; border: 1px solid #bbb; padding: .5rem; margin: .4rem 0; }
.note { margin: .4rem 0; }
tr.unticked td:first-child { color: #a00; font-weight: bold; }
tr.ticked td:first-child { color: #060; }
ol.issues { padding-left: 1.5rem; }
ol.issues li { margin: .5rem 0; }
.sev { display: inline-block; min-width: 3em; padding: 0 .3em; border-radius: 3px;
  font-weight: bold; text-align: center; border: 1px solid currentColor; }
li.error .sev { color: #a00; }
li.warning .sev { color: #8a5a00; }
li.info .sev { color: #035; }
.clause { margin: .2rem 0 0; padding-left: .6rem; border-left: 3px solid #bbb;
  color: #444; font-size: .92em; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; }
@media print {
  @page { size: A4; margin: 15mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, li, .text { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th, tfoot td, table.fields th { background: none; }
}
""".strip()


def _h(text: str) -> str:
    return html.escape(_safe(text), quote=True)


def _html_fields(fields: Fields) -> str:
    rows = "".join(f"<tr><th>{_h(k)}</th><td>{_h(v)}</td></tr>" for k, v in fields.rows)
    return f'<table class="fields"><tbody>{rows}</tbody></table>'


def _html_cells(row: Sequence[str], numeric: frozenset[int], tag: str = "td") -> str:
    cells = []
    for i, c in enumerate(row):
        cls = ' class="num"' if i in numeric and tag == "td" else ""
        cells.append(f"<{tag}{cls}>{_h(c)}</{tag}>")
    return "".join(cells)


def _html_table(table: Table) -> str:
    head = f"<thead><tr>{_html_cells(table.header, table.numeric, 'th')}</tr></thead>"
    body_rows = []
    for n, row in enumerate(table.rows):
        cls = f' class="{table.row_classes[n]}"' if n < len(table.row_classes) else ""
        body_rows.append(f"<tr{cls}>{_html_cells(row, table.numeric)}</tr>")
    foot = "".join(f"<tr>{_html_cells(row, table.numeric)}</tr>" for row in table.footer)
    return (
        f'<table class="grid">{head}<tbody>{"".join(body_rows)}</tbody>'
        + (f"<tfoot>{foot}</tfoot>" if foot else "")
        + "</table>"
    )


def _html_blocks(section: Section) -> Iterator[str]:
    for block in section.blocks:
        if isinstance(block, Fields):
            yield _html_fields(block)
        elif isinstance(block, Table):
            yield _html_table(block)
        elif isinstance(block, Heading):
            yield f"<h3>{_h(block.text)}</h3>"
        elif isinstance(block, Text):
            yield f'<h3>{_h(block.label)}</h3><div class="text">{_h(block.text)}</div>'
        elif isinstance(block, Note):
            yield f'<p class="note">{_h(block.text)}</p>'
        else:
            items = "".join(
                f'<li class="{issue.severity}"><span class="sev">{_h(issue.severity_label)}</span>'
                f" <strong>{_h(issue.field)}</strong> <code>{_h(issue.path)}</code>"
                f"<div>{_h(issue.message)}</div>"
                f'<div class="clause">{_h(issue.clause)}</div></li>'
                for issue in block.items
            )
            yield f'<ol class="issues">{items}</ol>'


def render_html(document: Document) -> str:
    lang = "en" if document.lang == "en" else "zh-CN"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="guide-wizard">',
        f"<title>{_h(document.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_h(document.title)}</h1>",
        _html_fields(document.facts),
    ]
    for section in document.sections:
        out.append(f'<section id="{section.key}">')
        out.append(f"<h2>{_h(section.title)}</h2>")
        out.extend(_html_blocks(section))
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def render_export(
    draft: Draft,
    guide: Guide,
    fmt: str,
    lang: str = "zh",
    files: AttachmentStates | None = None,
) -> str:
    """The draft exported as `fmt` ("md", "html" or "json") in `lang` ("zh" or "en"). No
    Decimal operation raises in here, whatever the amounts (`safe_decimals`).

    `files`: the attached files as found beside the draft (wizard.attachments.states), so the
    problems say which is missing or changed, as `wizard check` does; None: not checked."""
    with safe_decimals():
        return _render_export(draft, guide, fmt, lang, files)


def _render_export(
    draft: Draft, guide: Guide, fmt: str, lang: str, files: AttachmentStates | None
) -> str:
    if fmt == "json":
        return render_json(draft, guide, lang, files)
    if fmt == "md":
        return render_markdown(export_document(draft, guide, lang, files))
    if fmt == "html":
        return render_html(export_document(draft, guide, lang, files))
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")


_SUFFIXES: dict[str, ExportFormat] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


def format_for(suffix: str) -> ExportFormat | None:
    """The export format an output file's suffix (".html") implies, if any."""
    return _SUFFIXES.get(suffix.lower())
