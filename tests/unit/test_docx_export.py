"""The 申报书 as Word (wizard.docx_export), read back with python-docx as a reviewer's Word
would show it: the template's order, the tables, the fonts, "无" for an empty part, and
user text kept inert."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table

from tests.factories import clean_draft
from wizard.docx_export import BODY_FONT, HEADING_FONT, render_docx
from wizard.draft import Draft
from wizard.guide import Guide, load_guide
from wizard.money import format_money


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(None)


@pytest.fixture
def draft(guide: Guide) -> Draft:
    return clean_draft(guide, "1.6")


def read(draft: Draft, guide: Guide) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(draft, guide)))


def headings(doc: docx.document.Document, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_cover_then_basic_table_then_the_eight_parts_in_order(draft: Draft, guide: Guide) -> None:
    doc = read(draft, guide)
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert texts[:2] == ["国家重点研发计划", "项目申报书"]
    cover = texts[2:8]
    assert [t.split("：")[0] for t in cover] == [
        "项目名称", "所属专项", "指南方向", "推荐单位", "申报单位", "项目负责人",
    ]  # fmt: skip
    assert cover[0] == f"项目名称：{draft.project.title}"
    assert "政府间国际科技创新合作" in cover[1]
    assert cover[2].startswith("指南方向：1.6 ")
    assert cover[5] == "项目负责人：张三"
    numbered = ["一", "二", "三", "四", "五", "六", "七", "八"]
    assert headings(doc, 1) == ["项目基本信息表"] + [
        f"{n}、{part.zh}" for n, part in zip(numbered, guide.form.parts, strict=True)
    ]
    basic = doc.tables[0]
    fields = {row.cells[0].text: row.cells[1].text for row in basic.rows}
    assert fields["项目名称"] == draft.project.title
    assert fields["申报单位"] == "清华大学"
    assert fields["课题数"] == str(len(draft.tasks))


def _table_after(doc: docx.document.Document, heading: str) -> list[list[str]]:
    """The rows of the first table after the heading `heading` (body order)."""
    body = doc.element.body
    seen = False
    for child in body.iterchildren():
        if (
            child.tag == qn("w:p")
            and "".join(t.text or "" for t in child.iter(qn("w:t"))) == heading
        ):
            seen = True
        elif seen and child.tag == qn("w:tbl"):
            table = Table(child, doc._body)
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table after {heading!r}")


def test_team_plan_budget_and_attachment_tables(draft: Draft, guide: Guide) -> None:
    doc = read(draft, guide)
    team = _table_after(doc, "六、研究团队")
    assert team[0][:3] == ["序号", "姓名", "性别"]
    assert [row[1] for row in team[1:]] == [p.name for p in draft.team]
    assert team[1][9] == "项目负责人"
    plan = _table_after(doc, "四、进度安排")
    assert plan[1:] == [["2021", "第 1 年的工作。"], ["2022", "第 2 年的工作。"]]
    tasks = _table_after(doc, "课题设置")
    assert [row[1] for row in tasks[1:]] == [t.name for t in draft.tasks]
    by_source = _table_after(doc, "项目经费预算表（按来源）")
    assert by_source[0] == [
        "科目", "合计（万元）", "中央财政（万元）", "地方财政（万元）", "单位自筹（万元）",
        "其他（万元）",
    ]  # fmt: skip
    total_row = by_source[-1]
    total = sum((draft.amount(c.key) for c in guide.form.categories), Decimal(0))
    central = sum((draft.amount(c.key, "central") for c in guide.form.categories), Decimal(0))
    assert total_row[:3] == ["合计", format_money(total), format_money(central)]
    names = [row[0].strip() for row in by_source[1:]]
    # Every category of the guide's form, in its order (a group's members after its row).
    assert [n for n in names if n in {c.zh for c in guide.form.categories}] == [
        c.zh for c in guide.form.categories
    ]
    first_task = _table_after(doc, f"课题经费预算表：1. {draft.tasks[0].name}")
    assert first_task[0][-1] == "测算依据"
    attachments = _table_after(doc, "八、指南所要求的附件")
    assert [row[2] for row in attachments[1:]] == [a.path for a in draft.attachments]
    assert all(row[4] == "已附" for row in attachments[1:])


def test_amounts_right_aligned_with_two_decimals(draft: Draft, guide: Guide) -> None:
    doc = read(draft, guide)
    for table in doc.tables[1:]:
        header = [c.text for c in table.rows[0].cells]
        money_columns = [i for i, h in enumerate(header) if "万元" in h]
        for row in table.rows[1:]:
            for i in money_columns:
                cell = row.cells[i]
                assert cell.paragraphs[0].alignment == 2, (header[i], cell.text)  # RIGHT
                assert cell.text.split(".")[-1].isdigit() and len(cell.text.split(".")[-1]) == 2


def test_fonts_set_with_the_east_asian_attribute(draft: Draft, guide: Guide) -> None:
    doc = read(draft, guide)

    def east_asian(style: str) -> str | None:
        fonts = doc.styles[style].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win
        return fonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == BODY_FONT
    for style in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        assert east_asian(style) == HEADING_FONT
    cell_run = doc.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert cell_run._r.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT


def test_every_table_repeats_its_header_row(draft: Draft, guide: Guide) -> None:
    doc = read(draft, guide)
    for table in doc.tables[1:]:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_empty_parts_say_none(draft: Draft, guide: Guide) -> None:
    draft.narrative = {}
    draft.plan = []
    draft.attachments = []
    doc = read(draft, guide)
    paragraphs = [p.text for p in doc.paragraphs]
    for n, part in enumerate(guide.form.parts):
        if part.key in ("status", "foundation", "organisation", "schedule"):
            heading = f"{'一二三四五六七八'[n]}、{part.zh}"
            assert paragraphs[paragraphs.index(heading) + 1] == "无", part.key
    # 1.6 requires attachments: their list stays, each 未附.
    rows = _table_after(doc, "八、指南所要求的附件")
    assert rows[1:] and all(row[4] == "未附" for row in rows[1:])


def test_user_text_is_inert(draft: Draft, guide: Guide) -> None:
    draft.narrative["status"] = (
        '=HYPERLINK("http://evil.example")\x1b[31m 红\u202e\x07\n第二行\n\n第二段'
    )
    draft.project.title = "标题\x00\x0b{ PAGE }"
    data = render_docx(draft, guide)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert "fldSimple" not in xml and "fldChar" not in xml and "instrText" not in xml
    assert "hyperlink" not in xml and "evil.example" not in rels
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("一、国内外现状及趋势")
    assert texts[i + 1] == '=HYPERLINK("http://evil.example")\\x1b[31m 红\\u202e\\x07\n第二行'
    assert texts[i + 2] == "第二段"
    assert any(t == "项目名称：标题\\x00\\x0b{ PAGE }" for t in texts)


def test_same_draft_same_bytes(draft: Draft, guide: Guide) -> None:
    assert render_docx(draft, guide) == render_docx(draft, guide)
    with zipfile.ZipFile(io.BytesIO(render_docx(draft, guide))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_english_labels(draft: Draft, guide: Guide) -> None:
    doc = docx.Document(io.BytesIO(render_docx(draft, guide, "en")))
    assert headings(doc, 1)[1] == f"1. {guide.form.parts[0].en}"
