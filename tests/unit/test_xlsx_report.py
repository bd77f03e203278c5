"""The research office's 汇总表 (wizard.xlsx_report), read back with openpyxl: the sheets, one
row per draft, amounts as numbers in 万元, frozen and filtered headers, 超项 highlighted,
and no formula from user text."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.factories import FILE_BYTES, clean_draft
from wizard.check import check_paths
from wizard.display import printable
from wizard.draft import Draft
from wizard.guide import Guide, load_guide
from wizard.store import save_draft
from wizard.xlsx_report import MONEY_FORMAT, OVER_FILL, display_width, render_xlsx


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(None)


def with_files(draft: Draft, folder: Path) -> Draft:
    """The draft's attachments written into `folder`, as clean_draft records them."""
    for item in draft.attachments:
        (folder / item.path).parent.mkdir(parents=True, exist_ok=True)
        (folder / item.path).write_bytes(FILE_BYTES)
    return draft


def folder_of_drafts(tmp_path: Path, guide: Guide) -> Path:
    first = with_files(clean_draft(guide, "1.6"), tmp_path)
    save_draft(first, tmp_path / "a.toml")
    second = with_files(clean_draft(guide, "1.4"), tmp_path)
    second.project.title = "第二个项目"
    second.team[1].other_projects = 3  # 李四: 3 others + this one, over the limit of 2
    save_draft(second, tmp_path / "b.toml")
    (tmp_path / "broken.toml").write_text("title = ", encoding="utf-8")
    return tmp_path


def workbook(tmp_path: Path, guide: Guide) -> openpyxl.Workbook:
    reports = check_paths([folder_of_drafts(tmp_path, guide)], guide)
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(reports, guide)))


def rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sheets_header_frozen_and_filtered(tmp_path: Path, guide: Guide) -> None:
    wb = workbook(tmp_path, guide)
    assert wb.sheetnames == ["汇总", "问题", "人员", "单位"]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(cell.font.bold for cell in ws[1])


def test_summary_one_row_per_draft_with_numbers(tmp_path: Path, guide: Guide) -> None:
    wb = workbook(tmp_path, guide)
    ws = wb["汇总"]
    table = rows(ws)
    assert table[0] == [
        "项目名称", "指南方向", "牵头单位", "项目负责人", "中央财政", "其他来源", "合计",
        "错误", "警告", "提示", "完整度", "状态", "最后保存", "文件",
    ]  # fmt: skip
    by_file = {Path(str(r[13])).name: r for r in table[1:]}
    assert set(by_file) == {"a.toml", "b.toml", "broken.toml"}
    a = by_file["a.toml"]
    draft = clean_draft(guide, "1.6")
    central = sum((draft.amount(c.key, "central") for c in guide.form.categories), Decimal(0))
    total = sum((draft.amount(c.key) for c in guide.form.categories), Decimal(0))
    assert a[:4] == [draft.project.title, "1.6", "清华大学", "张三"]
    assert Decimal(str(a[4])) == central and Decimal(str(a[6])) == total
    assert Decimal(str(a[5])) == total - central
    row_a = next(r for r in ws.iter_rows(min_row=2) if str(r[13].value).endswith("a.toml"))
    for cell in row_a[4:7]:
        assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT
    assert row_a[10].number_format == "0%" and 0 < row_a[10].value <= 1
    reports = {r.path.name: r for r in check_paths([tmp_path], guide)}
    for name in ("a.toml", "b.toml"):
        found = [v.severity for v in reports[name].violations]
        assert by_file[name][7:10] == [found.count(s) for s in ("error", "warning", "info")]
    assert by_file["b.toml"][7] >= 1  # the 限项 error
    assert "无法读取" in str(by_file["broken.toml"][11])


def test_issues_every_violation(tmp_path: Path, guide: Guide) -> None:
    reports = check_paths([folder_of_drafts(tmp_path, guide)], guide)
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(reports, guide)))
    table = rows(wb["问题"])
    assert table[0] == ["文件", "规则", "级别", "字段", "字段路径", "说明", "依据"]
    expected = [(str(r.path), v.rule, v.path) for r in reports for v in r.violations]
    assert [(r[0], r[1], r[4]) for r in table[1:]] == expected
    assert any(r[2] == "错误" and r[4] == "team[1].other_projects" for r in table[1:])


def test_people_across_drafts_over_the_limit_highlighted(tmp_path: Path, guide: Guide) -> None:
    ws = workbook(tmp_path, guide)["人员"]
    table = rows(ws)
    header = table[0]
    assert header[:3] == ["姓名", "证件类型", "证件号码"] and header[-1] == "超项"
    people = {r[0]: (i, r) for i, r in enumerate(table[1:], 2)}
    row, li = people["李四"]
    assert li[7] == 2  # in both drafts
    assert li[9] == 4 and li[10] == 2  # 3 declared + this one; 2 over
    assert all(cell.fill.fgColor.rgb == OVER_FILL.fgColor.rgb for cell in ws[row])
    row, zhang = people["张三"]
    assert zhang[4] == "项目负责人" and zhang[10] is None
    assert ws[row][0].fill.fill_type is None


def test_units_sheet(tmp_path: Path, guide: Guide) -> None:
    table = rows(workbook(tmp_path, guide)["单位"])
    units = {r[0]: r for r in table[1:]}
    assert units["清华大学"][3:5] == [2, 0]  # leads both
    assert units["中国科学院物理研究所"][3:5] == [0, 2]


def test_column_widths_count_wide_characters_twice(tmp_path: Path, guide: Guide) -> None:
    ws = workbook(tmp_path, guide)["单位"]
    assert display_width("中国科学院物理研究所") == 20
    assert ws.column_dimensions["A"].width >= 20


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")']
)
def test_no_formula_from_user_text(tmp_path: Path, guide: Guide, text: str) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.title = text
    draft.team[0].name = text
    save_draft(draft, tmp_path / "a.toml")
    reports = check_paths([tmp_path], guide)
    assert reports[0].draft is not None
    loaded = reports[0].draft.project.title  # as the store gives it back
    data = render_xlsx(reports, guide)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode(), name
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["汇总"]["A2"].value == printable(loaded, keep_newlines=True)
    for cell in (wb["汇总"]["A2"], wb["人员"]["A2"]):
        assert cell.data_type == "s"
        # Read as text by a spreadsheet: quoted, or (a tab, a CR) shown escaped.
        assert cell.quotePrefix or not cell.value.startswith(("=", "+", "-", "@"))


def test_controls_escaped_and_same_bytes(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.title = "标题\x1b[31m\x00"
    save_draft(draft, tmp_path / "a.toml")
    reports = check_paths([tmp_path], guide)
    data = render_xlsx(reports, guide)
    assert data == render_xlsx(reports, guide)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["汇总"]["A2"].value == "标题\\x1b[31m\\x00"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from wizard.cli import main; rc = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('openpyxl', 'docx', 'lxml') if m in sys.modules); "
        "print('HEAVY', heavy); sys.exit(rc)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).absolute().parents[2],
    )


def test_check_without_xlsx_imports_neither_openpyxl_nor_docx(tmp_path: Path, guide: Guide) -> None:
    save_draft(with_files(clean_draft(guide, "1.6"), tmp_path), tmp_path / "a.toml")
    done = run_cli("check", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    report = tmp_path / "out" / "report.xlsx"
    report.parent.mkdir()
    done = run_cli("check", str(tmp_path), "--xlsx", str(report))
    assert done.returncode == 0, done.stderr
    assert f"汇总表: {report}" in done.stdout
    assert openpyxl.load_workbook(report).sheetnames == ["汇总", "问题", "人员", "单位"]


def test_check_xlsx_refuses_another_suffix(tmp_path: Path, guide: Guide) -> None:
    save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    done = run_cli("check", str(tmp_path), "--xlsx", str(tmp_path / "report.csv"))
    assert done.returncode == 2 and ".xlsx" in done.stderr
    assert not (tmp_path / "report.csv").exists()
