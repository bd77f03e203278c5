"""The 申报书 as a Word file (`wizard export FILE --to docx`), in the template's order: the
cover, the 项目基本信息表, then the eight parts of `guide.form.parts` — each with its text,
or its structured table (进度安排, 研究团队, 经费预算, 附件), or "无" where it is empty.

Built with python-docx (imported only here, only when a Word file is asked for). Chinese
fonts are set with the East Asian font attribute (w:rFonts w:eastAsia) on the styles, so Word
uses 宋体 for the body and 黑体 for headings rather than the theme's Latin fonts. Table header
rows repeat on every page (w:tblHeader); amounts are right-aligned, in 万元, two decimals.

User text is data: it goes into runs as plain text only (no field codes, no hyperlinks), with
control and bidi characters shown escaped (wizard.display.printable) and the characters XML
cannot hold removed. The same draft always gives the same bytes (fixed document properties
and zip metadata).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from wizard.catalogue import (
    GENDER_LABELS,
    ID_TYPE_LABELS,
    PERSON_ROLE_LABELS,
    RECOMMENDER_KIND_LABELS,
    SOURCE_LABELS,
    UNIT_KIND_LABELS,
    Label,
)
from wizard.display import printable
from wizard.draft import BUDGET_SOURCES, OTHER_SOURCES, Draft, Task
from wizard.guide import BudgetCategory, Guide, Part
from wizard.money import format_money, safe_decimals
from wizard.zipfixed import normalise_zip

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.shared import Length
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
EMPTY_PART = Label("无", "None")
# Document properties are fixed: the same draft gives the same file.
FIXED_STAMP = datetime(2000, 1, 1, tzinfo=UTC)

_TEXT: dict[str, Label] = {
    "programme": Label("国家重点研发计划", "National Key R&D Programme"),
    "doc": Label("项目申报书", "Project application"),
    "title": Label("项目名称", "Project title"),
    "programme_name": Label("所属专项", "Key special project"),
    "direction": Label("指南方向", "Guide direction"),
    "recommender": Label("推荐单位", "Recommending body"),
    "lead_unit": Label("申报单位", "Applying unit"),
    "leader": Label("项目负责人", "Project leader"),
    "basic": Label("项目基本信息表", "Basic information"),
    "title_en": Label("英文名称", "English title"),
    "field": Label("领域方向", "Field"),
    "topic": Label("研究方向", "Topic"),
    "period": Label("执行期", "Period"),
    "months": Label("个月", " months"),
    "keywords": Label("关键词", "Keywords"),
    "summary": Label("项目摘要", "Summary"),
    "recommender_kind": Label("推荐单位性质", "Kind of recommending body"),
    "unit_kind": Label("单位性质", "Kind of unit"),
    "credit_code": Label("统一社会信用代码", "Unified social credit code"),
    "region": Label("所在地区", "Region"),
    "address": Label("通讯地址", "Postal address"),
    "postcode": Label("邮政编码", "Postcode"),
    "participants": Label("参与单位", "Participating units"),
    "unit_count": Label("单位总数", "Number of units"),
    "task_count": Label("课题数", "Number of tasks"),
    "contact": Label("项目联系人", "Contact"),
    "phone": Label("电话", "Phone"),
    "email": Label("电子邮箱", "E-mail"),
    "partner": Label("外方合作", "Foreign partner"),
    "partner_country": Label("合作国家（地区、组织）", "Partner country (region, organisation)"),
    "partner_agency": Label("外方项目征集部门", "Partner's funding agency"),
    "partner_lead": Label("外方项目负责人", "Partner's principal investigator"),
    "partner_units": Label("外方合作单位", "Partner institutions"),
    "budget_total": Label("项目总预算（万元）", "Total budget (10k CNY)"),
    "of_which": Label("其中", "of which"),
    "no": Label("序号", "No."),
    "year": Label("年度", "Year"),
    "stage": Label("进度安排", "Work"),
    "targets": Label("考核指标", "Targets"),
    "target_name": Label("指标名称", "Target"),
    "target_kind": Label("类型", "Kind"),
    "target_value": Label("完成时指标值", "Value at completion"),
    "target_method": Label("考核方式", "How it is checked"),
    "task": Label("所属课题", "Task"),
    "tasks": Label("课题设置", "Tasks"),
    "task_name": Label("课题名称", "Task"),
    "task_unit": Label("承担单位", "Unit"),
    "task_leader": Label("课题负责人", "Leader"),
    "budget_by_source": Label("项目经费预算表（按来源）", "Project budget by source"),
    "budget_of_task": Label("课题经费预算表", "Budget of the task"),
    "category": Label("科目", "Category"),
    "total": Label("合计", "Total"),
    "other_sources": Label("其他来源", "Other sources"),
    "direct": Label("直接费用", "Direct costs"),
    "amount_unit": Label("（万元）", " (10k CNY)"),
    "attachment": Label("附件", "Attachment"),
    "file": Label("文件", "File"),
    "size": Label("大小（字节）", "Size (bytes)"),
    "state": Label("状态", "State"),
    "attached": Label("已附", "attached"),
    "not_applicable": Label("不适用", "not applicable"),
    "missing": Label("未附", "not attached"),
    "name": Label("姓名", "Name"),
    "gender": Label("性别", "Gender"),
    "born": Label("出生日期", "Born"),
    "id_type": Label("证件类型", "ID type"),
    "id_number": Label("证件号码", "ID number"),
    "pro_title": Label("职称", "Title"),
    "degree": Label("学位", "Degree"),
    "unit": Label("工作单位", "Unit"),
    "role": Label("人员分类", "Role"),
    "months_per_year": Label("每年投入（月）", "Months a year"),
}

_NUMERALS = "一二三四五六七八九十"
# Characters XML 1.0 cannot hold at all (printable shows the controls escaped already).
_NOT_XML = re.compile("[\ufffe\uffff]")


def _t(key: str, lang: str) -> str:
    return _TEXT[key].get(lang)


def inert(text: str) -> str:
    """User text as it may go into the document: newlines kept, every control and bidi
    character shown escaped, nothing XML refuses."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", printable(text, keep_newlines=True))


def _numbered(n: int, title: str, lang: str) -> str:
    if lang == "en":
        return f"{n}. {title}"
    return f"{_NUMERALS[n - 1] if n <= len(_NUMERALS) else n}、{title}"


def programme_name(guide: Guide, lang: str) -> str:
    """所属专项: the key special project the guide's title names (in its quotes)."""
    title = guide.title_en if lang == "en" else guide.title
    found = re.search(r"[“\"](.+?)[”\"]", title)
    if found is None:
        return title
    return f'"{found.group(1)}"' if lang == "en" else f"“{found.group(1)}”重点专项"


def _label(labels: dict[str, Label], key: str | None, lang: str) -> str:
    if not key:
        return ""
    found = labels.get(key)
    return found.get(lang) if found else key


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _money(value: Decimal) -> str:
    return format_money(value)


# ---------------------------------------------------------------------------------------------
# python-docx plumbing


def _set_fonts(rpr: object, east_asian: str, latin: str = LATIN_FONT) -> None:
    """w:rFonts with explicit fonts (and no theme fonts, which would win over them)."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc: DocxDocument) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)  # 小四
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    sizes = {"Title": 26, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12}  # 一号, 三号, 四号
    for name, size in sizes.items():
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = name != "Title"
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr(), HEADING_FONT)
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.space_after = Pt(6)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The Title style of python-docx's template draws a rule under itself.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
        ppr.remove(border)
    for name in ("Table Grid",):
        table_style = doc.styles[name]
        table_style.font.size = Pt(10.5)  # 五号
        _set_fonts(table_style.element.get_or_add_rPr(), BODY_FONT)


def _page(doc: DocxDocument) -> None:
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.5)


def _properties(doc: DocxDocument, draft: Draft, lang: str) -> None:
    props = doc.core_properties
    props.title = inert(draft.project.title)[:255] or _t("doc", lang)
    props.author = props.last_modified_by = "guide-wizard"
    props.created = props.modified = props.last_printed = FIXED_STAMP
    props.revision = 1
    props.comments = ""


def _para(doc: DocxDocument, text: str, style: str | None = None) -> None:
    """A paragraph of user text: one run, plain text (newlines become line breaks)."""
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(inert(text))


def _empty(doc: DocxDocument, lang: str) -> None:
    doc.add_paragraph().add_run(EMPTY_PART.get(lang))


def _repeat_header(table: Table) -> None:
    """The first row is the table's header row, repeated at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr = table.rows[0]._tr
    tr_pr = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    # A row split across pages is hard to read in a form; keep rows whole.
    for row in table.rows:
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant)


def _table(
    doc: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    widths: Sequence[float] | None = None,
    bold_rows: Sequence[int] = (),
) -> Table:
    """A grid table with a repeating bold header row; columns in `numeric` right-aligned.
    Cell text is user text (inert)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    table: Table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (row, values) in enumerate(zip(table.rows, [header, *rows], strict=True)):
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            _run(paragraph, value, bold=r == 0 or (r - 1) in bold_rows)
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif c in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths is not None:
        _widths(table, [Cm(w) for w in widths])
    _repeat_header(table)
    return table


def _fields_table(doc: DocxDocument, pairs: Sequence[tuple[str, str]]) -> Table:
    """A two-column form table: label | value (the label column bold)."""
    from docx.shared import Cm

    table: Table = doc.add_table(rows=len(pairs), cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for row, (name, value) in zip(table.rows, pairs, strict=True):
        left, right = row.cells
        _run(left.paragraphs[0], name, bold=True)
        _run(right.paragraphs[0], value)
    _widths(table, [Cm(5.0), Cm(11.0)])
    return table


def _widths(table: Table, widths: Sequence[Length]) -> None:
    """Column widths in the grid (LibreOffice reads these) and in every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, size: float | None = None) -> Run:
    """A run of user text in a table, its fonts set on the run itself (a table style's
    fonts are not honoured by every word processor)."""
    from docx.shared import Pt

    # Cells are dense: single spacing, no space after (the body's 1.25 and 4 pt are for text).
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(inert(text))
    _set_fonts(run._r.get_or_add_rPr(), BODY_FONT)
    if bold:
        run.bold = True
    run.font.size = Pt(size if size is not None else 10.5)  # 五号
    return run


# ---------------------------------------------------------------------------------------------
# The document


def _direction_text(draft: Draft, guide: Guide, lang: str) -> str:
    direction = guide.direction(draft.direction)
    if direction is None:
        return draft.direction
    title = direction.title_en if lang == "en" else direction.title
    return f"{direction.code} {title}"


def _cover(doc: DocxDocument, draft: Draft, guide: Guide, lang: str) -> None:
    from docx.shared import Pt

    for _ in range(3):
        doc.add_paragraph()
    doc.add_paragraph(_t("programme", lang), style="Title")
    doc.add_paragraph(_t("doc", lang), style="Title")
    for _ in range(3):
        doc.add_paragraph()
    lead = draft.lead_unit
    leader = draft.leader
    pairs = [
        (_t("title", lang), draft.project.title),
        (_t("programme_name", lang), programme_name(guide, lang)),
        (_t("direction", lang), _direction_text(draft, guide, lang)),
        (_t("recommender", lang), draft.recommender.name),
        (_t("lead_unit", lang), lead.name if lead else ""),
        (_t("leader", lang), leader.name if leader else ""),
    ]
    for name, value in pairs:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(48)
        paragraph.paragraph_format.space_after = Pt(12)
        head = paragraph.add_run(f"{name}{':' if lang == 'en' else '：'}")
        head.bold = True
        head.font.size = Pt(15)  # 小三
        body = paragraph.add_run(inert(value) or "")
        body.font.size = Pt(15)
        body.underline = True


def _sum(draft: Draft, guide: Guide, source: str | None) -> Decimal:
    return sum((draft.amount(c.key, source) for c in guide.form.categories), Decimal(0))


def _basic(doc: DocxDocument, draft: Draft, guide: Guide, lang: str) -> None:

    # Each on a page of its own: the basic table, and the parts after it (a break set on
    # the heading leaves no empty paragraph that could make a blank page).
    doc.add_heading(_t("basic", lang), level=1).paragraph_format.page_break_before = True
    p = draft.project
    lead = draft.lead_unit
    leader = draft.leader
    sep = ", " if lang == "en" else "、"
    period = ""
    if p.start is not None:
        end = p.end
        period = f"{p.start.isoformat()} – {end.isoformat() if end else '?'}"
        if p.months:
            period += (
                f"（{p.months}{_t('months', lang)}）" if lang != "en" else f" ({p.months} months)"
            )
    participants = [u.name for u in draft.units if u is not lead and u.name.strip()]
    total = _sum(draft, guide, None)
    by_source = "；".join(
        f"{SOURCE_LABELS[s].get(lang)} {_money(_sum(draft, guide, s))}" for s in BUDGET_SOURCES
    )
    partner = draft.partner
    partner_lead = ", ".join(
        x for x in (partner.lead.name, partner.lead.title, partner.lead.institution) if x.strip()
    )
    pairs: list[tuple[str, str]] = [
        (_t("title", lang), p.title),
        (_t("title_en", lang), p.title_en),
        (_t("programme_name", lang), programme_name(guide, lang)),
        (_t("direction", lang), _direction_text(draft, guide, lang)),
        (_t("field", lang), p.field),
        (_t("topic", lang), p.topic),
        (_t("period", lang), period),
        (_t("keywords", lang), sep.join(p.keywords)),
        (_t("recommender", lang), draft.recommender.name),
        (
            _t("recommender_kind", lang),
            _label(RECOMMENDER_KIND_LABELS, draft.recommender.kind, lang),
        ),
        (_t("lead_unit", lang), lead.name if lead else ""),
        (_t("unit_kind", lang), _label(UNIT_KIND_LABELS, lead.kind if lead else None, lang)),
        (_t("credit_code", lang), lead.credit_code if lead else ""),
        (_t("region", lang), lead.region if lead else ""),
        (_t("address", lang), lead.address if lead else ""),
        (_t("postcode", lang), lead.postcode if lead else ""),
        (_t("participants", lang), sep.join(participants)),
        (_t("unit_count", lang), str(len(draft.units))),
        (_t("task_count", lang), str(len(draft.tasks))),
        (_t("leader", lang), leader.name if leader else ""),
        (_t("contact", lang), draft.contact.name),
        (_t("phone", lang), draft.contact.phone),
        (_t("email", lang), draft.contact.email),
        (_t("partner_country", lang), partner.country),
        (_t("partner_agency", lang), partner.agency),
        (_t("partner_lead", lang), partner_lead),
        (_t("partner_units", lang), sep.join(i.name for i in partner.institutions if i.name)),
        (_t("budget_total", lang), f"{_money(total)}（{_t('of_which', lang)}：{by_source}）"),
        (_t("summary", lang), p.summary),
    ]
    _fields_table(doc, pairs)


def _plan(doc: DocxDocument, draft: Draft, lang: str) -> bool:
    stages = [s for s in draft.plan if s.content.strip() or s.year is not None]
    if not stages:
        return False
    start = draft.project.start
    rows = []
    for stage in sorted(stages, key=lambda s: s.year or 0):
        if stage.year is None:
            year = ""
        elif start is not None:
            year = str(start.year + stage.year - 1)
        else:
            year = f"第{stage.year}年" if lang != "en" else f"Year {stage.year}"
        rows.append([year, stage.content])
    _table(doc, [_t("year", lang), _t("stage", lang)], rows, widths=(2.5, 13.5))
    return True


def _team(doc: DocxDocument, draft: Draft, lang: str) -> bool:
    people = [p for p in draft.team if p.name.strip()]
    if not people:
        return False
    header = [
        _t(k, lang)
        for k in (
            "no", "name", "gender", "born", "id_type", "id_number", "pro_title", "degree",
            "unit", "role", "task", "months_per_year",
        )
    ]  # fmt: skip
    rows = [
        [
            str(i),
            p.name,
            _label(GENDER_LABELS, p.gender, lang),
            _day(p.birth_date),
            _label(ID_TYPE_LABELS, p.id_type, lang),
            p.id_number,
            p.title or "",
            p.degree or "",
            p.unit,
            _label(PERSON_ROLE_LABELS, p.role, lang),
            str(p.task) if p.task is not None else "",
            str(p.months_per_year) if p.months_per_year is not None else "",
        ]
        for i, p in enumerate(people, 1)
    ]
    table = _table(
        doc,
        header,
        rows,
        numeric=(11,),
        widths=(0.9, 1.9, 0.9, 2.2, 2.0, 3.9, 1.5, 1.2, 3.9, 2.2, 1.2, 1.6),
    )
    _small(table)
    return True


def _small(table: Table) -> None:
    """Wide tables in 小五 so twelve columns fit the page."""
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _category_rows(
    categories: Sequence[BudgetCategory], get: Callable[[Sequence[str]], list[str]], lang: str
) -> tuple[list[list[str]], list[int]]:
    """Rows of a budget table: 设备费-style groups first as a row of their own (the sum of
    their members, which follow indented), a 直接费用 subtotal after the last direct
    category, then the indirect ones and the 合计. `get(keys)`: the row's amounts."""
    rows: list[list[str]] = []
    bold: list[int] = []
    seen_groups: set[str] = set()
    direct = [c for c in categories if c.direct]
    indirect = [c for c in categories if not c.direct]
    for c in direct:
        if c.group:
            if c.group not in seen_groups:
                seen_groups.add(c.group)
                members = [m.key for m in direct if m.group == c.group]
                group_name = c.group_en if lang == "en" and c.group_en else c.group
                rows.append([group_name, *get(members)])
            rows.append([f"    {c.en if lang == 'en' else c.zh}", *get([c.key])])
        else:
            rows.append([c.en if lang == "en" else c.zh, *get([c.key])])
    bold.append(len(rows))
    rows.append([_t("direct", lang), *get([c.key for c in direct])])
    for c in indirect:
        rows.append([c.en if lang == "en" else c.zh, *get([c.key])])
    bold.append(len(rows))
    rows.append([_t("total", lang), *get([c.key for c in categories])])
    return rows, bold


def _budget(doc: DocxDocument, draft: Draft, guide: Guide, lang: str) -> bool:
    tasks = draft.tasks
    if not tasks or all(not t.name.strip() and not t.budget for t in tasks):
        return False
    form = guide.form
    unit = _t("amount_unit", lang)
    # 课题设置
    doc.add_heading(_t("tasks", lang), level=2)
    rows = []
    for i, task in enumerate(tasks, 1):
        total = sum((task.amount(c.key) for c in form.categories), Decimal(0))
        central = sum((task.amount(c.key, "central") for c in form.categories), Decimal(0))
        rows.append([str(i), task.name, task.unit, task.leader, _money(total), _money(central)])
    _table(
        doc,
        [
            _t("no", lang),
            _t("task_name", lang),
            _t("task_unit", lang),
            _t("task_leader", lang),
            _t("total", lang) + unit,
            SOURCE_LABELS["central"].get(lang) + unit,
        ],
        rows,
        numeric=(4, 5),
        widths=(1.0, 5.0, 3.6, 2.0, 2.2, 2.2),
    )

    # 项目经费预算表: every 课题 summed, by source.
    doc.add_heading(_t("budget_by_source", lang), level=2)
    sources: tuple[str | None, ...] = (None, "central", *OTHER_SOURCES)

    def project_amounts(keys: Sequence[str]) -> list[str]:
        return [_money(sum((draft.amount(k, s) for k in keys), Decimal(0))) for s in sources]

    body, bold = _category_rows(form.categories, project_amounts, lang)
    header = [
        _t("category", lang),
        _t("total", lang) + unit,
        *(SOURCE_LABELS[s].get(lang) + unit for s in ("central", *OTHER_SOURCES)),
    ]
    _table(
        doc, header, body, numeric=(1, 2, 3, 4, 5), bold_rows=bold,
        widths=(5.2, 2.2, 2.2, 2.2, 2.2, 2.0),
    )  # fmt: skip

    # Each 课题: by category, 中央财政 / 其他来源, and the 测算依据.
    for i, task in enumerate(tasks, 1):
        name = inert(task.name) or f"{i}"
        doc.add_heading(f"{_t('budget_of_task', lang)}：{i}. {name}", level=3)
        _task_budget(doc, task, guide, lang)
    return True


def _task_budget(doc: DocxDocument, task: Task, guide: Guide, lang: str) -> None:
    unit = _t("amount_unit", lang)

    def amounts(keys: Sequence[str]) -> list[str]:
        total = sum((task.amount(k) for k in keys), Decimal(0))
        central = sum((task.amount(k, "central") for k in keys), Decimal(0))
        basis = ""
        if len(keys) == 1:
            line = task.line(keys[0])
            basis = line.basis if line is not None else ""
        return [_money(total), _money(central), _money(total - central), basis]

    body, bold = _category_rows(guide.form.categories, amounts, lang)
    header = [
        _t("category", lang),
        _t("total", lang) + unit,
        SOURCE_LABELS["central"].get(lang) + unit,
        _t("other_sources", lang) + unit,
        SOURCE_LABELS["basis"].get(lang),
    ]
    _table(doc, header, body, numeric=(1, 2, 3), bold_rows=bold, widths=(4.6, 2.1, 2.1, 2.1, 5.1))


def _targets(doc: DocxDocument, draft: Draft, lang: str) -> None:
    targets = [t for t in draft.targets if t.name.strip() or t.value.strip()]
    if not targets:
        return
    doc.add_heading(_t("targets", lang), level=2)
    rows = [
        [str(i), t.name, t.kind, t.value, t.method, str(t.task) if t.task else ""]
        for i, t in enumerate(targets, 1)
    ]
    header = [
        _t(k, lang)
        for k in ("no", "target_name", "target_kind", "target_value", "target_method", "task")
    ]
    _table(doc, header, rows, widths=(1.0, 4.0, 2.0, 3.5, 3.5, 2.0))


def _attachments(doc: DocxDocument, draft: Draft, guide: Guide, lang: str) -> bool:
    direction = guide.direction(draft.direction)
    kinds = [kind for kind, _ in guide.attachments_for(direction)] if direction else []
    names = {k.key: (k.en if lang == "en" else k.zh) for k in guide.form.attachments}
    keys = [k.key for k in kinds]
    keys += [a.key for a in draft.attachments if a.key not in keys]
    if not keys:
        return False
    rows = []
    for i, key in enumerate(keys, 1):
        item = draft.attachment(key)
        if item is None or (not item.path.strip() and not item.not_applicable):
            state, path, size = _t("missing", lang), "", ""
        elif item.not_applicable:
            state = _t("not_applicable", lang)
            if item.note.strip():
                state += f"（{item.note}）" if lang != "en" else f" ({item.note})"
            path, size = item.path, ""
        else:
            state, path = _t("attached", lang), item.path
            size = f"{item.size:,}" if item.size is not None else ""
        rows.append([str(i), names.get(key, key), path, size, state])
    header = [_t(k, lang) for k in ("no", "attachment", "file", "size", "state")]
    _table(doc, header, rows, numeric=(3,), widths=(1.0, 5.0, 5.0, 2.2, 2.8))
    return True


def _orientation(doc: DocxDocument, landscape: bool) -> None:
    """A new section from a new page, landscape or back to portrait (A4, same margins)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    long, short = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _part(doc: DocxDocument, n: int, part: Part, draft: Draft, guide: Guide, lang: str) -> None:
    # The team table has twelve columns: its part is set on landscape pages.
    wide = part.holds == "team" and any(p.name.strip() for p in draft.team)
    if wide:
        _orientation(doc, landscape=True)
    heading = doc.add_heading(_numbered(n, part.en if lang == "en" else part.zh, lang), level=1)
    if n == 1:
        heading.paragraph_format.page_break_before = True
    text = draft.narrative.get(part.key, "")
    wrote = False
    if text.strip():
        for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
            _para(doc, chunk)
        wrote = True
    if part.holds == "plan":
        wrote = _plan(doc, draft, lang) or wrote
    elif part.holds == "team":
        wrote = _team(doc, draft, lang) or wrote
    elif part.holds == "tasks":
        wrote = _budget(doc, draft, guide, lang) or wrote
    elif part.holds == "attachments":
        wrote = _attachments(doc, draft, guide, lang) or wrote
    if part.key == "goals" and draft.targets:
        _targets(doc, draft, lang)
        wrote = True
    if wide:
        _orientation(doc, landscape=False)
    if not wrote:
        _empty(doc, lang)


def build_document(draft: Draft, guide: Guide, lang: str = "zh") -> DocxDocument:
    """The 申报书 as a python-docx Document (for tests that read it back)."""
    import docx

    with safe_decimals():
        doc = docx.Document()
        _styles(doc)
        _page(doc)
        _properties(doc, draft, lang)
        _cover(doc, draft, guide, lang)
        _basic(doc, draft, guide, lang)
        for n, part in enumerate(guide.form.parts, 1):
            _part(doc, n, part, draft, guide, lang)
    return doc


def render_docx(draft: Draft, guide: Guide, lang: str = "zh") -> bytes:
    """The 申报书 as the bytes of a .docx file; the same draft always gives the same bytes."""
    buffer = io.BytesIO()
    build_document(draft, guide, lang).save(buffer)
    return normalise_zip(buffer.getvalue())
