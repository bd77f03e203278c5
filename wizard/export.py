"""A draft as a readable summary (Markdown, HTML) or a documented JSON document.

Pure: no I/O and nothing time-dependent, so the same draft always exports to the same
bytes (the golden tests rely on it). Sections follow the official online form: 项目基本信息,
中方单位, 外方合作单位, 企业配套, 经费预算, 附件与承诺, then the remaining violations.
The JSON schema is documented in docs/export-format.md.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from wizard.catalogue import clause_line, clause_where, counts_text, label, status_text, t
from wizard.check import inert_json, violation_json
from wizard.display import printable
from wizard.draft import BUDGET_DIRECT, H2020, Draft, Leader, Unit
from wizard.guide import Direction, Guide, Requirement, Severity
from wizard.money import format_money, format_ratio, safe_decimals
from wizard.rules import Violation, counts, evaluate
from wizard.rules.budget import indirect_cap_amount

ExportFormat = Literal["md", "html", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("md", "html", "json")
SCHEMA = "guide-wizard-export/1"

EMPTY = "—"

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


def _kind(kind: str | None, lang: str) -> str:
    return t(f"unit_kind.{kind}", lang) if kind else EMPTY


def _list(values: Sequence[str], lang: str) -> str:
    kept = [v for v in values if v.strip()]
    return t("enum_sep", lang).join(kept) if kept else EMPTY


def _ratio(matching: Decimal | None, funding: Decimal | None) -> str | None:
    if matching is None or not funding:
        return None
    return format_ratio(matching, funding)


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
                    "label": label(f"budget.{c}", lang),
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


def render_json(draft: Draft, guide: Guide, lang: str) -> str:
    """The JSON document, inert on any terminal as `wizard check --json` is (`inert_json`)."""
    return inert_json(export_data(draft, guide, lang)) + "\n"


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
    return t("export.numbered", lang, n=n if lang == "en" else _ZH_NUMBERS[n - 1], title=title)


# Fields whose stored value is a model value the catalogue names (`leader_title.正高级`).
_NAMED_VALUES = {"leader.title": "leader_title", "leader.degree": "leader_degree"}


def _fields(section: str, model: object, names: Sequence[str], lang: str) -> Fields:
    """Label–value rows of `model`'s fields `names`, labelled as the form labels them."""
    rows = []
    for name in names:
        path, value = f"{section}.{name}", getattr(model, name)
        if isinstance(value, list):
            shown = _list(value, lang)
        elif value and path in _NAMED_VALUES:
            shown = t(f"{_NAMED_VALUES[path]}.{value}", lang)
        else:
            shown = _show(value, lang)
        rows.append((label(path, lang), shown))
    return Fields(tuple(rows))


def _project_section(draft: Draft, direction: Direction | None, lang: str) -> list[Block]:
    p, lead = draft.project, draft.leader
    direction_name = (
        f"{direction.code} {direction.title_en if lang == 'en' else direction.title}"
        if direction
        else f"{draft.direction or EMPTY} {t('export.unknown_direction', lang)}"
    )
    rows: list[tuple[str, str]] = [(label("direction", lang), direction_name)]
    if direction is not None:
        rows.append((t("export.partner_side", lang), direction.partner.get(lang)))
    names = ("title", "title_en", "field", "topic", "start", "months", "keywords")
    blocks: list[Block] = [Fields((*rows, *_fields("project", p, names, lang).rows))]
    blocks.append(Text(label("project.summary", lang), p.summary.strip() or EMPTY))
    blocks.append(Heading(t("export.sec_leader", lang)))
    blocks.append(_fields("leader", lead, tuple(Leader.model_fields), lang))
    return blocks


def _units_section(draft: Draft, lang: str) -> list[Block]:
    if not draft.units:
        return [Note(t("export.no_units", lang))]
    header = (
        t("export.number", lang),
        label("units[].name", lang),
        label("units[].role", lang),
        label("units[].kind", lang),
        label("units[].credit_code", lang),
        label("units[].parent", lang),
        label("units[].registered", lang),
        label("units[].funding", lang),
    )
    rows = tuple(
        (
            str(i),
            _show(u.name, lang),
            t(f"role.{u.role}", lang),
            _kind(u.kind, lang),
            _show(u.credit_code, lang),
            _show(u.parent, lang),
            _show(u.registered, lang),
            _show(u.funding, lang),
        )
        for i, u in enumerate(draft.units, start=1)
    )
    footer = ((t("export.total", lang), "", "", "", "", "", "", _show(draft.units_funding, lang)),)
    return [Table(header, rows, footer, frozenset({7}))]


def _partner_section(draft: Draft, direction: Direction | None, lang: str) -> list[Block]:
    partner = draft.partner
    names: tuple[str, ...] = ("country", "agency", "submitted", "reference")
    blocks: list[Block] = [_fields("partner", partner, names, lang)]
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
                _kind(inst.kind, lang),
                _show(inst.contact, lang),
                _show(inst.email, lang),
            )
            for i, inst in enumerate(partner.institutions, start=1)
        )
        blocks.append(Table(header, rows))
    else:
        blocks.append(Note(t("export.no_institutions", lang)))
    h = draft.h2020
    if _shows_h2020(draft, direction):
        blocks.append(Heading(t("export.sec_h2020", lang)))
        names = ("proposal", "topic", "call_year", "participants", "cn_budget")
        blocks.append(_fields("h2020", h, names, lang))
    return blocks


def _matching_section(draft: Draft, lang: str) -> list[Block]:
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
            t("export.total", lang),
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
    rows = tuple((label(f"budget.{c}", lang), _show(getattr(b, c), lang)) for c in BUDGET_DIRECT)
    footer = (
        (t("export.direct", lang), _show(b.direct, lang)),
        (label("budget.indirect", lang), _show(b.indirect, lang)),
        (t("export.total", lang), _show(b.total, lang)),
    )
    blocks: list[Block] = [
        Table((t("export.category", lang), t("export.amount", lang)), rows, footer, frozenset({1}))
    ]
    difference = b.total - draft.units_funding
    state = t("export.balanced" if difference == 0 else "export.unbalanced", lang)
    facts: list[tuple[str, str]] = [
        (t("export.units_funding", lang), _show(draft.units_funding, lang)),
        (t("export.difference", lang), _annotated(_show(difference, lang), state, lang)),
    ]
    cap = _indirect_cap(draft, guide, direction)
    if cap is not None:
        facts.append((t("export.indirect_cap", lang), _show(cap, lang)))
    if direction is not None:
        facts.append((t("export.direction_funding", lang), _direction_funding(direction, lang)))
        facts.append((t("export.direction_projects", lang), _direction_projects(direction, lang)))
    if b.other_note.strip():
        facts.append((label("budget.other_note", lang), b.other_note))
    blocks.append(Fields(tuple(facts)))
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


def _issues_section(violations: list[Violation], lang: str) -> list[Block]:
    c = counts(violations)
    summary = counts_text(c, lang)
    if not violations:
        return [Note(t("export.no_issues", lang, counts=summary))]
    items = tuple(
        Issue(
            v.severity,
            t(f"severity.{v.severity}", lang),
            label(v.path, lang),
            v.path,
            v.message(lang),
            clause_line(v.clause, lang, name_general=True),
        )
        for v in violations
    )
    return [Note(summary), Issues(items)]


def export_document(draft: Draft, guide: Guide, lang: str) -> Document:
    direction = guide.direction(draft.direction)
    violations = evaluate(draft, guide)
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
        Section(key, _numbered(n, t(f"export.sec_{key}", lang), lang), tuple(blocks))
        for n, (key, blocks) in enumerate(parts, start=1)
    )
    return Document(lang, f"{t('export.doc_title', lang)} · {title}", facts, sections)


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
