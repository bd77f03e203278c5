"""The research office's 汇总表 (`wizard check DIR --xlsx REPORT.xlsx`), built with openpyxl
(imported only here, only when the report is asked for).

Sheets: 汇总 (one row per draft), 问题 (every violation), 人员 (every person across the
drafts, with how many of them they are in — 超项 highlighted), 单位 (every unit). Header rows
are frozen and filtered, column widths fit CJK text (two columns per wide character), amounts
are numbers (Decimal, never text) in a 万元 number format.

Cell text is data: a text that a spreadsheet would read as a formula (starting with = + - @,
a tab or a carriage return) is written as a string with the quote prefix set, and control
characters are shown escaped (wizard.display.printable). The same reports give the same bytes.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from wizard import names
from wizard.catalogue import (
    ID_TYPE_LABELS,
    PERSON_ROLE_LABELS,
    SEVERITY_LABELS,
    UNIT_KIND_LABELS,
    Label,
    clause_line,
    label,
    status_text,
)
from wizard.display import printable
from wizard.draft import Draft
from wizard.guide import Guide
from wizard.money import safe_decimals
from wizard.rules.limits import person_key
from wizard.zipfixed import normalise_zip

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from wizard.check import FileReport

MONEY_FORMAT = '#,##0.00 "万元"'
MONEY_FORMAT_EN = '#,##0.00 "(10k CNY)"'
PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
OVER_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
OVER_FONT = Font(name="Calibri", size=11, color="FF9C0006", bold=True)
HEADER_FONT = Font(name="Calibri", size=11, bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
FIXED_STAMP = datetime(2000, 1, 1)
MAX_WIDTH = 60
# What a spreadsheet reads as the start of a formula (or DDE): the text keeps its quote prefix.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# The limit of the call (国科发资〔2020〕107号) when the guide has no project_limit rule.
DEFAULT_LIMIT = 2
DEFAULT_LIMITED_ROLES = ("leader", "task_leader", "core")

_TEXT: dict[str, Label] = {
    "summary": Label("汇总", "Summary"),
    "issues": Label("问题", "Issues"),
    "people": Label("人员", "People"),
    "units": Label("单位", "Units"),
    "title": Label("项目名称", "Project title"),
    "direction": Label("指南方向", "Direction"),
    "lead_unit": Label("牵头单位", "Lead unit"),
    "leader": Label("项目负责人", "Project leader"),
    "central": Label("中央财政", "Central funds"),
    "other": Label("其他来源", "Other sources"),
    "total": Label("合计", "Total"),
    "errors": Label("错误", "Errors"),
    "warnings": Label("警告", "Warnings"),
    "info": Label("提示", "Info"),
    "completeness": Label("完整度", "Complete"),
    "status": Label("状态", "Status"),
    "saved": Label("最后保存", "Last saved"),
    "file": Label("文件", "File"),
    "unreadable": Label("无法读取", "unreadable"),
    "rule": Label("规则", "Rule"),
    "severity": Label("级别", "Severity"),
    "field": Label("字段", "Field"),
    "path": Label("字段路径", "Field path"),
    "message": Label("说明", "Message"),
    "clause": Label("依据", "Clause"),
    "name": Label("姓名", "Name"),
    "id_type": Label("证件类型", "ID type"),
    "id_number": Label("证件号码", "ID number"),
    "born": Label("出生日期", "Born"),
    "roles": Label("角色", "Roles"),
    "unit": Label("工作单位", "Unit"),
    "drafts": Label("申报书", "Drafts"),
    "in_drafts": Label("本批申报项目数", "Drafts here"),
    "declared": Label("自报其他项目数（最多）", "Other projects declared (most)"),
    "count": Label("合计项目数", "Projects in all"),
    "over": Label("超项", "Over the limit"),
    "unit_name": Label("单位名称", "Unit"),
    "credit_code": Label("统一社会信用代码", "Credit code"),
    "kind": Label("性质", "Kind"),
    "leads": Label("牵头项目数", "Projects led"),
    "joins": Label("参与项目数", "Projects joined"),
    "people_count": Label("人员数", "People"),
    "unit_central": Label("承担课题中央财政", "Central funds of its tasks"),
}


def _t(key: str, lang: str) -> str:
    return _TEXT[key].get(lang)


def display_width(text: str) -> int:
    """Columns `text` takes in a spreadsheet's default font: wide (CJK) characters two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def inert_text(text: str) -> str:
    """User text as a cell may hold it: controls shown escaped (openpyxl refuses them raw)."""
    return printable(text, keep_newlines=True)


def needs_quote(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str = "") -> Any:
    """Write one cell; text is always a string cell, never a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, str):
        text = inert_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        if needs_quote(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


@dataclass
class _Sheet:
    ws: Worksheet
    widths: list[int] = field(default_factory=list)
    row: int = 1

    def header(self, titles: Sequence[str]) -> None:
        for c, title in enumerate(titles, 1):
            cell = put(self.ws, 1, c, title)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center")
        self.widths = [display_width(t) for t in titles]
        self.row = 2

    def add(self, values: Sequence[object], formats: dict[int, str] | None = None) -> int:
        formats = formats or {}
        for c, value in enumerate(values, 1):
            put(self.ws, self.row, c, value, formats.get(c, ""))
            shown = _shown(value)
            longest = max((display_width(line) for line in shown.split("\n")), default=0)
            self.widths[c - 1] = max(self.widths[c - 1], longest)
        self.row += 1
        return self.row - 1

    def finish(self) -> None:
        ws = self.ws
        ws.freeze_panes = "A2"
        last = get_column_letter(len(self.widths))
        ws.auto_filter.ref = f"A1:{last}{max(self.row - 1, 1)}"
        for c, width in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(c)].width = min(width + 2, MAX_WIDTH)
        # Printed (offices do): landscape A4, all columns on one page wide, header on each page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = "1:1"


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f} 万元"
    if isinstance(value, datetime):
        return "2020-01-01 00:00"  # as DATE_FORMAT shows it
    return inert_text(str(value))


def _sum(draft: Draft, guide: Guide, source: str | None) -> Decimal:
    return sum((draft.amount(c.key, source) for c in guide.form.categories), Decimal(0))


def _completeness(report: FileReport, guide: Guide) -> Decimal | None:
    from wizard.progress import completeness, overall

    if report.draft is None:
        return None
    percent = overall(completeness(report.draft, guide, report.violations)).percent
    return Decimal(percent) / 100


def _saved(draft: Draft) -> datetime | None:
    updated = draft.meta.updated
    # As written in the file (its own offset): a spreadsheet has no time zones.
    return updated.replace(tzinfo=None) if updated is not None else None


def _summary(ws: Worksheet, reports: Sequence[FileReport], guide: Guide, lang: str) -> None:
    money = MONEY_FORMAT_EN if lang == "en" else MONEY_FORMAT
    sheet = _Sheet(ws)
    keys = (
        "title", "direction", "lead_unit", "leader", "central", "other", "total", "errors",
        "warnings", "info", "completeness", "status", "saved", "file",
    )  # fmt: skip
    sheet.header([_t(k, lang) for k in keys])
    formats = {5: money, 6: money, 7: money, 11: PERCENT_FORMAT, 13: DATE_FORMAT}
    for report in reports:
        draft = report.draft
        if draft is None:
            values: list[object] = [""] * 11
            values += [f"{_t('unreadable', lang)}: {report.error or ''}", None, str(report.path)]
            sheet.add(values)
            continue
        c = {"error": 0, "warning": 0, "info": 0}
        for v in report.violations:
            c[v.severity] = c.get(v.severity, 0) + 1
        lead = draft.lead_unit
        leader = draft.leader
        central = _sum(draft, guide, "central")
        total = _sum(draft, guide, None)
        sheet.add(
            [
                draft.project.title,
                draft.direction,
                lead.name if lead else "",
                leader.name if leader else "",
                central,
                total - central,
                total,
                c["error"],
                c["warning"],
                c["info"],
                _completeness(report, guide),
                status_text(draft.meta.status, c["error"], lang),
                _saved(draft),
                str(report.path),
            ],
            formats,
        )
    sheet.finish()


def _issues(ws: Worksheet, reports: Sequence[FileReport], lang: str) -> None:
    sheet = _Sheet(ws)
    keys = ("file", "rule", "severity", "field", "path", "message", "clause")
    sheet.header([_t(k, lang) for k in keys])
    for report in reports:
        for v in report.violations:
            severity = SEVERITY_LABELS.get(v.severity)
            sheet.add(
                [
                    str(report.path),
                    v.rule,
                    severity.get(lang) if severity else v.severity,
                    label(v.path, lang),
                    v.path,
                    v.message(lang),
                    clause_line(v.clause, lang),
                ]
            )
    # Messages and clauses are long: wrapped in a column of reasonable width.
    for column in ("F", "G"):
        ws.column_dimensions[column].width = MAX_WIDTH
        for cell in ws[column][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.finish()
    ws.column_dimensions["F"].width = ws.column_dimensions["G"].width = MAX_WIDTH


@dataclass
class PersonRow:
    """One person across the drafts: found by ID number, else by name and birth date."""

    name: str
    id_type: str | None
    id_number: str
    born: str
    roles: set[str] = field(default_factory=set)
    units: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    # The drafts where the person has each role (the 限项 counts only some roles).
    draft_roles: dict[str, set[str]] = field(default_factory=dict)
    declared: int | None = None  # the largest other_projects any draft gives

    @property
    def in_drafts(self) -> int:
        return len(self.drafts)

    def count(self, roles: Sequence[str] | None = None) -> int:
        """Projects in all: this batch's drafts (those where the person has one of `roles`,
        all when None), or what a draft declares plus itself, whichever is more (the drafts
        here may be among the declared ones). Our reading of the 限项, said in docs."""
        here = sum(1 for found in self.draft_roles.values() if roles is None or found & set(roles))
        declared = self.declared + 1 if self.declared is not None else 0
        return max(here, declared)

    def over(self, limit: int, roles: Sequence[str]) -> int:
        if not self.roles & set(roles):
            return 0
        return max(self.count(roles) - limit, 0)


def limit_of(guide: Guide) -> tuple[int, tuple[str, ...]]:
    """The 限项 of the guide's project_limit rule (max, roles), or the call's default."""
    for _, req in guide.all_requirements():
        if req.rule == "project_limit" and isinstance(req.params, dict):
            maximum = req.params.get("max", DEFAULT_LIMIT)
            roles = req.params.get("roles", DEFAULT_LIMITED_ROLES)
            if isinstance(maximum, int) and isinstance(roles, list | tuple):
                return maximum, tuple(str(r) for r in roles)
    return DEFAULT_LIMIT, DEFAULT_LIMITED_ROLES


def people(reports: Sequence[FileReport]) -> list[PersonRow]:
    rows: dict[str, PersonRow] = {}
    for report in reports:
        if report.draft is None:
            continue
        file = report.path.name
        for person in report.draft.team:
            key = person_key(person)
            if key is None:
                continue
            row = rows.get(key)
            if row is None:
                row = rows[key] = PersonRow(
                    person.name.strip(),
                    person.id_type,
                    person.id_number.strip(),
                    person.birth_date.isoformat() if person.birth_date else "",
                )
            found = row.draft_roles.setdefault(str(report.path), set())
            if person.role:
                row.roles.add(person.role)
                found.add(person.role)
            if person.unit.strip() and person.unit.strip() not in row.units:
                row.units.append(person.unit.strip())
            if file not in row.drafts:
                row.drafts.append(file)
            if person.other_projects is not None:
                row.declared = max(row.declared or 0, person.other_projects)
    return list(rows.values())


def _people(ws: Worksheet, reports: Sequence[FileReport], guide: Guide, lang: str) -> None:
    limit, roles = limit_of(guide)
    sheet = _Sheet(ws)
    keys = (
        "name", "id_type", "id_number", "born", "roles", "unit", "drafts", "in_drafts",
        "declared", "count", "over",
    )  # fmt: skip
    sheet.header([_t(k, lang) for k in keys])
    sep = ", " if lang == "en" else "、"
    order = tuple(PERSON_ROLE_LABELS)
    for person in people(reports):
        over = person.over(limit, roles)
        id_label = ID_TYPE_LABELS.get(person.id_type or "")
        row = sheet.add(
            [
                person.name,
                id_label.get(lang) if id_label else "",
                person.id_number,
                person.born,
                sep.join(
                    PERSON_ROLE_LABELS[r].get(lang)
                    for r in sorted(
                        person.roles, key=lambda r: order.index(r) if r in order else 99
                    )
                    if r in PERSON_ROLE_LABELS
                ),
                sep.join(person.units),
                sep.join(person.drafts),
                person.in_drafts,
                person.declared,
                person.count(roles),
                over or None,
            ]
        )
        if over:
            for cell in ws[row]:
                cell.fill = OVER_FILL
                cell.font = OVER_FONT
    sheet.finish()


def _units(ws: Worksheet, reports: Sequence[FileReport], guide: Guide, lang: str) -> None:
    money = MONEY_FORMAT_EN if lang == "en" else MONEY_FORMAT

    @dataclass
    class UnitRow:
        name: str
        credit_code: str = ""
        kind: str = ""
        leads: int = 0
        joins: int = 0
        people: set[str] = field(default_factory=set)
        drafts: list[str] = field(default_factory=list)
        central: Decimal = Decimal(0)

    rows: dict[str, UnitRow] = {}
    for report in reports:
        draft = report.draft
        if draft is None:
            continue
        for unit in draft.units:
            name = unit.name.strip()
            if not name:
                continue
            key = names.key(name) or name
            row = rows.setdefault(key, UnitRow(name))
            row.credit_code = row.credit_code or unit.credit_code.strip()
            kind = UNIT_KIND_LABELS.get(unit.kind or "")
            row.kind = row.kind or (kind.get(lang) if kind else "")
            if unit.role == "lead":
                row.leads += 1
            else:
                row.joins += 1
            row.drafts.append(report.path.name)
            for task in draft.tasks:
                if (names.key(task.unit.strip()) or task.unit.strip()) == key:
                    row.central += sum(
                        (task.amount(c.key, "central") for c in guide.form.categories),
                        Decimal(0),
                    )
            for person in draft.team:
                if (names.key(person.unit.strip()) or person.unit.strip()) == key:
                    found = person_key(person)
                    if found:
                        row.people.add(found)
    sheet = _Sheet(ws)
    keys = ("unit_name", "credit_code", "kind", "leads", "joins", "people_count",
            "unit_central", "drafts")  # fmt: skip
    sheet.header([_t(k, lang) for k in keys])
    sep = ", " if lang == "en" else "、"
    for row in rows.values():
        sheet.add(
            [row.name, row.credit_code, row.kind, row.leads, row.joins, len(row.people),
             row.central, sep.join(row.drafts)],
            {7: money},
        )  # fmt: skip
    sheet.finish()


def build_workbook(reports: Sequence[FileReport], guide: Guide, lang: str = "zh") -> Workbook:
    """The 汇总表 as an openpyxl Workbook (for tests that read it back)."""
    with safe_decimals():
        wb = Workbook()
        summary = wb.active
        summary.title = _t("summary", lang)
        _summary(summary, reports, guide, lang)
        _issues(wb.create_sheet(_t("issues", lang)), reports, lang)
        _people(wb.create_sheet(_t("people", lang)), reports, guide, lang)
        _units(wb.create_sheet(_t("units", lang)), reports, guide, lang)
    props = wb.properties
    props.creator = props.lastModifiedBy = "guide-wizard"
    props.created = props.modified = FIXED_STAMP
    return wb


def render_xlsx(reports: Sequence[FileReport], guide: Guide, lang: str = "zh") -> bytes:
    """The 汇总表 as the bytes of an .xlsx file; the same reports give the same bytes."""
    from zipfile import ZIP_DEFLATED, ZipFile

    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        # ExcelWriter, not Workbook.save: save stamps the current time as "modified".
        ExcelWriter(build_workbook(reports, guide, lang), archive).write_data()
    return normalise_zip(buffer.getvalue())


__all__ = ["build_workbook", "display_width", "people", "put", "render_xlsx"]
