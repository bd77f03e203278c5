"""A draft as a readable summary (Markdown, HTML) or a documented JSON document.

Pure: no I/O and nothing time-dependent, so the same draft always exports to the same
bytes (the golden tests rely on it). Sections follow the official online form: 项目基本信息,
中方单位, 外方合作单位, 企业配套, 经费预算, 附件与承诺, then the remaining violations.
The JSON schema is documented in docs/export-format.md.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from wizard.check import violation_json
from wizard.display import printable
from wizard.draft import BUDGET_DIRECT, H2020, Draft, Unit
from wizard.guide import Direction, Guide, Requirement, Severity
from wizard.labels import (
    LABELS,
    ROLE_LABELS,
    SEVERITY_LABELS,
    UNIT_KIND_LABELS,
    Label,
    label,
    status_text,
)
from wizard.money import format_money, safe_decimals
from wizard.rules import Violation, counts, evaluate
from wizard.rules.budget import indirect_cap_amount

ExportFormat = Literal["md", "html", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("md", "html", "json")
SCHEMA = "guide-wizard-export/1"

EMPTY = "—"

# Program texts of the export in both languages; field names come from wizard.labels.
_TEXT: dict[str, Label] = {
    "doc_title": Label("申报书摘要", "Application summary"),
    "untitled": Label("（未命名项目）", "(untitled project)"),
    "guide": Label("指南", "Guide"),
    "status": Label("状态", "Status"),
    "created": Label("创建时间", "Created"),
    "updated": Label("更新时间", "Updated"),
    "deadline": Label("申报截止", "Filing deadline"),
    "check": Label("校验结果", "Check"),
    "partner_side": Label("合作方", "Partner side"),
    "direction_funding": Label("本方向共拟支持经费", "Direction's whole funding"),
    "direction_projects": Label("拟支持项目数", "Projects to be funded"),
    "direction_period": Label("执行期要求", "Period rule"),
    "unknown_direction": Label("（指南中没有此方向）", "(not a direction of the guide)"),
    "sec_project": Label("项目基本信息", "Project information"),
    "sec_leader": Label("项目负责人", "Project leader"),
    "sec_units": Label("中方单位", "Chinese units"),
    "sec_partner": Label("外方合作单位", "Foreign partner"),
    "sec_h2020": Label("地平线2020项目", "Horizon 2020 proposal"),
    "sec_matching": Label("企业配套", "Enterprise matching funds"),
    "sec_budget": Label("经费预算", "Budget"),
    "sec_attachments": Label("附件与承诺", "Attachments and attestations"),
    "sec_issues": Label("待处理问题", "Remaining issues"),
    "no": Label("序号", "No."),
    "total": Label("合计", "Total"),
    "ratio": Label("配套/资助", "Matching / funding"),
    "no_units": Label("尚未填写中方单位。", "No Chinese unit yet."),
    "no_institutions": Label("尚未填写外方合作单位。", "No partner institution yet."),
    "no_matching": Label(
        "中方单位中没有企业，也没有单位填写自筹/配套经费。",
        "No enterprise among the Chinese units and no unit with matching funds.",
    ),
    "category": Label("科目", "Category"),
    "amount": Label("金额（万元）", "Amount (10k CNY)"),
    "direct": Label("直接费用小计", "Direct costs"),
    "units_funding": Label("各单位中央财政经费合计", "Units' central funding, sum"),
    "difference": Label("预算合计与单位合计之差", "Budget total less units' sum"),
    "balanced": Label("一致", "balanced"),
    "unbalanced": Label("不一致", "not balanced"),
    "indirect_cap": Label("间接费用上限", "Indirect-cost cap"),
    "attest_intro": Label(
        "以下事项无法从申报数据中核实，须由申报人核实后在“承诺事项”中勾选。"
        "附件（如合作协议、知识产权协议）在国家科技管理信息系统中上传。",
        "The data cannot show the following; the applicant ticks each once it is true. "
        "Attachments (cooperation and IP agreements) are uploaded in the national S&T "
        "management information system.",
    ),
    "no_attestations": Label(
        "本方向没有需要勾选的承诺事项。", "This direction has nothing to attest."
    ),
    "attest_state": Label("状态", "State"),
    "severity": Label("级别", "Severity"),
    "clause": Label("条款", "Clause"),
    "requirement": Label("要求", "Requirement"),
    "verbatim": Label("指南原文", "Guide text (verbatim)"),
    "ticked": Label("☑ 已确认", "☑ ticked"),
    "unticked": Label("☐ 未确认", "☐ not ticked"),
    "attested": Label("已确认", "Ticked"),
    "no_issues": Label("没有待处理的问题。", "No remaining issues."),
    "basis": Label("依据", "Clause"),
    "general": Label("通用要求", "General"),
    "yes": Label("是", "yes"),
    "no_": Label("否", "no"),
}

# Draft values are the form's Chinese options; English readers get a translation.
_TITLES: dict[str, str] = {
    "正高级": "Senior (full)",
    "副高级": "Senior (associate)",
    "中级": "Intermediate",
    "初级": "Junior",
    "无": "None",
}
_DEGREES: dict[str, str] = {
    "博士": "Doctorate",
    "硕士": "Master's",
    "学士": "Bachelor's",
    "其他": "Other",
}


def _t(key: str, lang: str) -> str:
    return _TEXT[key].get(lang)


def _label(path: str, lang: str) -> str:
    return LABELS[path].get(lang)


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
        return _t("yes" if value else "no_", lang)
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


def _kind(kind: str | None, lang: str) -> str:
    return UNIT_KIND_LABELS[kind].get(lang) if kind else EMPTY


def _leader_title(value: str | None, lang: str) -> str:
    if not value:
        return EMPTY
    return _TITLES.get(value, value) if lang == "en" else value


def _leader_degree(value: str | None, lang: str) -> str:
    if not value:
        return EMPTY
    return _DEGREES.get(value, value) if lang == "en" else value


def _list(values: Sequence[str], lang: str) -> str:
    kept = [v for v in values if v.strip()]
    return ("、" if lang != "en" else ", ").join(kept) if kept else EMPTY


def _ratio(matching: Decimal | None, funding: Decimal | None) -> str | None:
    if matching is None or not funding:
        return None
    return f"{(matching / funding * 100).quantize(Decimal(1))}%"


def _clause_origin(direction: str, lang: str) -> str:
    return _t("general", lang) if direction == "general" else direction


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


def _indirect_cap(draft: Draft, guide: Guide, direction: Direction | None) -> Decimal | None:
    if direction is None:
        return None
    for _, r in guide.requirements_for(direction):
        if r.rule == "indirect_cap":
            base = draft.budget.direct - draft.budget.amount("equipment")
            return indirect_cap_amount(base, list(r.params.get("tiers", [])))
    return None


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


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def export_data(draft: Draft, guide: Guide, lang: str) -> dict[str, Any]:
    """The export as JSON-ready data (schema guide-wizard-export/1, docs/export-format.md)."""
    direction = guide.direction(draft.direction)
    violations = evaluate(draft, guide)
    p, lead, b = draft.project, draft.leader, draft.budget
    cap = _indirect_cap(draft, guide, direction)
    matching = _matching_units(draft)
    h = draft.h2020
    violation_rows = []
    for v in violations:
        row = violation_json(v, lang)
        row["field"] = label(v.path, lang)
        row["clause"]["source"] = v.clause.source
        violation_rows.append(row)
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
        "project": {
            "title": p.title,
            "title_en": p.title_en,
            "field": p.field,
            "topic": p.topic,
            "start": _day(p.start),
            "months": p.months,
            "summary": p.summary,
            "keywords": list(p.keywords),
        },
        "leader": {
            "name": lead.name,
            "birth_date": _day(lead.birth_date),
            "title": lead.title,
            "degree": lead.degree,
            "unit": lead.unit,
            "months_per_year": lead.months_per_year,
            "email": lead.email,
            "phone": lead.phone,
            "other_projects": lead.other_projects,
        },
        "units": [
            {
                "name": u.name,
                "role": u.role,
                "kind": u.kind,
                "credit_code": u.credit_code,
                "parent": u.parent,
                "registered": _day(u.registered),
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
            "funding": money(sum((u.funding or Decimal(0) for _, u in matching), Decimal(0))),
            "matching": money(sum((u.matching or Decimal(0) for _, u in matching), Decimal(0))),
        },
        "budget": {
            "categories": [
                {
                    "key": c,
                    "label": _label(f"budget.{c}", lang),
                    "amount": money(getattr(b, c)),
                }
                for c in BUDGET_DIRECT
            ],
            "direct": money(b.direct),
            "indirect": money(b.indirect),
            "total": money(b.total),
            "units_funding": money(draft.units_funding),
            "difference": money(b.total - draft.units_funding),
            "balanced": b.total == draft.units_funding,
            "indirect_cap": money(cap),
            "other_note": b.other_note,
        },
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


_UNSAFE_IN_JSON = re.compile(
    "[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029\ud800-\udfff]"
)


def render_json(draft: Draft, guide: Guide, lang: str) -> str:
    text = json.dumps(export_data(draft, guide, lang), ensure_ascii=False, indent=2)
    # json.dumps escapes C0 controls but lets C1 and bidi controls through raw; they can only
    # stand inside string literals, where a \\u escape is valid JSON and harmless on a terminal.
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


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
    return f"{n}. {title}" if lang == "en" else f"{_ZH_NUMBERS[n - 1]}、{title}"


def _clause_line(v: Violation, lang: str) -> str:
    c = v.clause
    source = (
        f"（{c.source}）" if c.source and lang != "en" else (f" ({c.source})" if c.source else "")
    )
    return f"{_clause_origin(c.direction, lang)} {c.item}：{c.text}{source}"


def _project_section(draft: Draft, direction: Direction | None, lang: str) -> list[Block]:
    p, lead = draft.project, draft.leader
    direction_name = (
        f"{direction.code} {direction.title_en if lang == 'en' else direction.title}"
        if direction
        else f"{draft.direction or EMPTY} {_t('unknown_direction', lang)}"
    )
    rows: list[tuple[str, str]] = [(_label("direction", lang), direction_name)]
    if direction is not None:
        rows.append((_t("partner_side", lang), direction.partner.get(lang)))
    rows += [
        (_label("project.title", lang), _show(p.title, lang)),
        (_label("project.title_en", lang), _show(p.title_en, lang)),
        (_label("project.field", lang), _show(p.field, lang)),
        (_label("project.topic", lang), _show(p.topic, lang)),
        (_label("project.start", lang), _show(p.start, lang)),
        (_label("project.months", lang), _show(p.months, lang)),
        (_label("project.keywords", lang), _list(p.keywords, lang)),
    ]
    blocks: list[Block] = [Fields(tuple(rows))]
    blocks.append(Text(_label("project.summary", lang), p.summary.strip() or EMPTY))
    blocks.append(Heading(_t("sec_leader", lang)))
    blocks.append(
        Fields(
            (
                (_label("leader.name", lang), _show(lead.name, lang)),
                (_label("leader.birth_date", lang), _show(lead.birth_date, lang)),
                (_label("leader.title", lang), _leader_title(lead.title, lang)),
                (_label("leader.degree", lang), _leader_degree(lead.degree, lang)),
                (_label("leader.unit", lang), _show(lead.unit, lang)),
                (_label("leader.months_per_year", lang), _show(lead.months_per_year, lang)),
                (_label("leader.email", lang), _show(lead.email, lang)),
                (_label("leader.phone", lang), _show(lead.phone, lang)),
                (_label("leader.other_projects", lang), _show(lead.other_projects, lang)),
            )
        )
    )
    return blocks


def _units_section(draft: Draft, lang: str) -> list[Block]:
    if not draft.units:
        return [Note(_t("no_units", lang))]
    header = (
        _t("no", lang),
        _label("units[].name", lang),
        _label("units[].role", lang),
        _label("units[].kind", lang),
        _label("units[].credit_code", lang),
        _label("units[].parent", lang),
        _label("units[].registered", lang),
        _label("units[].funding", lang),
    )
    rows = tuple(
        (
            str(i),
            _show(u.name, lang),
            ROLE_LABELS[u.role].get(lang),
            _kind(u.kind, lang),
            _show(u.credit_code, lang),
            _show(u.parent, lang),
            _show(u.registered, lang),
            _show(u.funding, lang),
        )
        for i, u in enumerate(draft.units, start=1)
    )
    footer = ((_t("total", lang), "", "", "", "", "", "", _show(draft.units_funding, lang)),)
    return [Table(header, rows, footer, frozenset({7}))]


def _partner_section(draft: Draft, direction: Direction | None, lang: str) -> list[Block]:
    partner = draft.partner
    blocks: list[Block] = [
        Fields(
            (
                (_label("partner.country", lang), _show(partner.country, lang)),
                (_label("partner.agency", lang), _show(partner.agency, lang)),
                (_label("partner.submitted", lang), _show(partner.submitted, lang)),
                (_label("partner.reference", lang), _show(partner.reference, lang)),
            )
        )
    ]
    if partner.institutions:
        header = (
            _t("no", lang),
            _label("partner.institutions[].name", lang),
            _label("partner.institutions[].kind", lang),
            _label("partner.institutions[].contact", lang),
            _label("partner.institutions[].email", lang),
        )
        rows = tuple(
            (
                str(i),
                _show(inst.name, lang),
                _kind(inst.kind, lang),
                _show(inst.contact, lang),
                _show(inst.email, lang),
            )
            for i, inst in enumerate(partner.institutions, start=1)
        )
        blocks.append(Table(header, rows))
    else:
        blocks.append(Note(_t("no_institutions", lang)))
    h = draft.h2020
    if _shows_h2020(draft, direction):
        blocks.append(Heading(_t("sec_h2020", lang)))
        blocks.append(
            Fields(
                (
                    (_label("h2020.proposal", lang), _show(h.proposal, lang)),
                    (_label("h2020.topic", lang), _show(h.topic, lang)),
                    (_label("h2020.call_year", lang), _show(h.call_year, lang)),
                    (_label("h2020.participants", lang), _list(h.participants, lang)),
                    (_label("h2020.cn_budget", lang), _show(h.cn_budget, lang)),
                )
            )
        )
    return blocks


def _matching_section(draft: Draft, lang: str) -> list[Block]:
    units = _matching_units(draft)
    if not units:
        return [Note(_t("no_matching", lang))]
    header = (
        _t("no", lang),
        _label("units[].name", lang),
        _label("units[].kind", lang),
        _label("units[].funding", lang),
        _label("units[].matching", lang),
        _t("ratio", lang),
    )
    rows = tuple(
        (
            str(i + 1),
            _show(u.name, lang),
            _kind(u.kind, lang),
            _show(u.funding, lang),
            _show(u.matching, lang),
            _ratio(u.matching, u.funding) or EMPTY,
        )
        for i, u in units
    )
    funding = sum((u.funding or Decimal(0) for _, u in units), Decimal(0))
    matching = sum((u.matching or Decimal(0) for _, u in units), Decimal(0))
    footer = (
        (
            _t("total", lang),
            "",
            "",
            _show(funding, lang),
            _show(matching, lang),
            _ratio(matching, funding) or EMPTY,
        ),
    )
    return [Table(header, rows, footer, frozenset({3, 4, 5}))]


def _budget_section(
    draft: Draft, guide: Guide, direction: Direction | None, lang: str
) -> list[Block]:
    b = draft.budget
    rows = tuple((_label(f"budget.{c}", lang), _show(getattr(b, c), lang)) for c in BUDGET_DIRECT)
    footer = (
        (_t("direct", lang), _show(b.direct, lang)),
        (_label("budget.indirect", lang), _show(b.indirect, lang)),
        (_t("total", lang), _show(b.total, lang)),
    )
    blocks: list[Block] = [
        Table((_t("category", lang), _t("amount", lang)), rows, footer, frozenset({1}))
    ]
    difference = b.total - draft.units_funding
    state = _t("balanced" if difference == 0 else "unbalanced", lang)
    facts: list[tuple[str, str]] = [
        (_t("units_funding", lang), _show(draft.units_funding, lang)),
        (_t("difference", lang), _annotated(_show(difference, lang), state, lang)),
    ]
    cap = _indirect_cap(draft, guide, direction)
    if cap is not None:
        facts.append((_t("indirect_cap", lang), _show(cap, lang)))
    if direction is not None:
        facts.append((_t("direction_funding", lang), _direction_funding(direction, lang)))
        facts.append((_t("direction_projects", lang), _direction_projects(direction, lang)))
    if b.other_note.strip():
        facts.append((_label("budget.other_note", lang), b.other_note))
    blocks.append(Fields(tuple(facts)))
    return blocks


def _annotated(value: str, note: str, lang: str) -> str:
    return f"{value} ({note})" if lang == "en" else f"{value}（{note}）"


def _direction_funding(direction: Direction, lang: str) -> str:
    f = direction.funding
    amount = format_money(f.amount)
    if lang == "en":
        return f"{amount}{' approx.' if f.approx else ''} (10k CNY)"
    return f.text.removeprefix("共拟支持经费：").rstrip("。") or f"{amount} 万元"


def _direction_projects(direction: Direction, lang: str) -> str:
    p = direction.projects
    count = str(p.low) if p.low == p.high else f"{p.low}–{p.high}"
    return count if lang == "en" else (p.text.removeprefix("拟支持项目数：").rstrip("。") or count)


def _attestation_section(draft: Draft, guide: Guide, lang: str) -> list[Block]:
    states = attestation_states(draft, guide)
    if not states:
        return [Note(_t("no_attestations", lang))]
    ticked = sum(1 for s in states if s.ticked)
    tally = f"{_t('attested', lang)} {ticked}/{len(states)}"
    intro = (
        f"{_t('attest_intro', lang)} {tally}."
        if lang == "en"
        else f"{_t('attest_intro', lang)}{tally}。"
    )
    if lang == "en":
        header: tuple[str, ...] = (
            _t("attest_state", lang),
            _t("severity", lang),
            _t("clause", lang),
            _t("requirement", lang),
            _t("verbatim", lang),
        )
    else:
        header = (
            _t("attest_state", lang),
            _t("severity", lang),
            _t("clause", lang),
            _t("verbatim", lang),
        )
    rows: list[tuple[str, ...]] = []
    for s in states:
        r = s.requirement
        row = [
            _t("ticked" if s.ticked else "unticked", lang),
            EMPTY if s.ticked else SEVERITY_LABELS[r.severity].get(lang),  # nothing left to do
            f"{_clause_origin(s.origin, lang)} {r.item}",
        ]
        if lang == "en":
            row.append(r.text_en)
        row.append(r.text)
        rows.append(tuple(row))
    classes = tuple("ticked" if s.ticked else "unticked" for s in states)
    return [Note(intro), Table(header, tuple(rows), row_classes=classes)]


def _issues_section(violations: list[Violation], lang: str) -> list[Block]:
    c = counts(violations)
    summary = _counts_text(c, lang)
    if not violations:
        stop = ". " if lang == "en" else "。"
        return [Note(f"{summary}{stop}{_t('no_issues', lang)}")]
    items = tuple(
        Issue(
            v.severity,
            SEVERITY_LABELS[v.severity].get(lang),
            label(v.path, lang),
            v.path,
            v.message(lang),
            _clause_line(v, lang),
        )
        for v in violations
    )
    return [Note(summary), Issues(items)]


def _counts_text(c: dict[str, int], lang: str) -> str:
    if lang == "en":
        return f"{c['error']} errors, {c['warning']} warnings, {c['info']} info"
    return f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"


def export_document(draft: Draft, guide: Guide, lang: str) -> Document:
    direction = guide.direction(draft.direction)
    violations = evaluate(draft, guide)
    title = draft.project.title.strip() or _t("untitled", lang)
    deadline = guide.general.deadline.at
    facts = Fields(
        (
            (_t("guide", lang), guide.title_en if lang == "en" else guide.title),
            (_label("direction", lang), draft.direction or EMPTY),
            (_t("status", lang), status_text(draft.meta.status, counts(violations)["error"], lang)),
            (_t("created", lang), _show(draft.meta.created, lang)),
            (_t("updated", lang), _show(draft.meta.updated, lang)),
            (_t("deadline", lang), deadline.isoformat(sep=" ")),
            (_t("check", lang), _counts_text(counts(violations), lang)),
        )
    )
    parts: list[tuple[str, list[Block]]] = [
        ("project", _project_section(draft, direction, lang)),
        ("units", _units_section(draft, lang)),
        ("partner", _partner_section(draft, direction, lang)),
        ("matching", _matching_section(draft, lang)),
        ("budget", _budget_section(draft, guide, direction, lang)),
        ("attachments", _attestation_section(draft, guide, lang)),
        ("issues", _issues_section(violations, lang)),
    ]
    sections = tuple(
        Section(key, _numbered(n, _t(f"sec_{key}", lang), lang), tuple(blocks))
        for n, (key, blocks) in enumerate(parts, start=1)
    )
    return Document(lang, f"{_t('doc_title', lang)} · {title}", facts, sections)


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
    colon = ": " if lang == "en" else "："
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


def render_export(draft: Draft, guide: Guide, fmt: str, lang: str = "zh") -> str:
    """The draft exported as `fmt` ("md", "html" or "json") in `lang` ("zh" or "en"). No
    Decimal operation raises in here, whatever the amounts (`safe_decimals`)."""
    with safe_decimals():
        return _render_export(draft, guide, fmt, lang)


def _render_export(draft: Draft, guide: Guide, fmt: str, lang: str) -> str:
    if fmt == "json":
        return render_json(draft, guide, lang)
    if fmt == "md":
        return render_markdown(export_document(draft, guide, lang))
    if fmt == "html":
        return render_html(export_document(draft, guide, lang))
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
