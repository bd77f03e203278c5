"""`wizard export` and `wizard guide check`.

The golden files in tests/golden/ are the exports of one fixed draft. After an intended change
of the export or of the guide data, regenerate them with
`UPDATE_GOLDEN=1 python -m pytest tests/test_export.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import time
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.factories import clean_draft
from wizard.cli import main
from wizard.draft import Draft, new_draft
from wizard.export import SCHEMA, render_export
from wizard.guide import Guide
from wizard.money import format_money
from wizard.rules import evaluate
from wizard.store import dump_draft, load_draft, parse_draft, save_draft

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
GUIDE_FILE = ROOT / "data" / "directions.toml"
CST = timezone(timedelta(hours=8))


@pytest.fixture(autouse=True)
def beijing_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Exports show times in the reader's local time: fix it (the goldens are in +08:00)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def first_own_attestation(draft: Draft, guide: Guide) -> str:
    direction = guide.direction(draft.direction)
    assert direction is not None
    return next(r.id for r in direction.requirements if r.kind == "attestation")


def golden_draft(guide: Guide) -> Draft:
    """A 1.6 draft with fixed timestamps, one unticked attestation and one empty field."""
    draft = clean_draft(guide, "1.6")
    draft.meta.created = datetime(2020, 5, 6, 9, 30, tzinfo=CST)
    draft.meta.updated = datetime(2020, 5, 28, 17, 45, 12, tzinfo=CST)
    draft.project.title_en = "Test project 1.6: R&D <together>"
    draft.project.summary = "第一行。\n第二行 | 含竖线。"
    draft.attest[first_own_attestation(draft, guide)] = False
    draft.leader.phone = ""
    return draft


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"{path} missing: run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; see the module docstring"


@pytest.mark.parametrize(
    ("fmt", "lang", "name"),
    [
        ("md", "zh", "export-1.6.zh.md"),
        ("md", "en", "export-1.6.en.md"),
        ("json", "zh", "export-1.6.zh.json"),
    ],
)
def test_golden(guide: Guide, fmt: str, lang: str, name: str) -> None:
    check_golden(name, render_export(golden_draft(guide), guide, fmt, lang))


def test_export_is_deterministic(guide: Guide) -> None:
    for fmt in ("md", "html", "json"):
        first = render_export(golden_draft(guide), guide, fmt)
        assert first == render_export(golden_draft(guide), guide, fmt)


def test_markdown_sections_in_form_order(guide: Guide) -> None:
    md = render_export(golden_draft(guide), guide, "md")
    titles = re.findall(r"^## (.+)$", md, re.MULTILINE)
    assert titles == [
        "一、项目基本信息",
        "二、中方单位",
        "三、外方合作单位",
        "四、企业配套",
        "五、经费预算",
        "六、附件与承诺",
        "七、待处理问题",
    ]
    en = render_export(golden_draft(guide), guide, "md", "en")
    assert "## 5. Budget" in en and "## 6. Attachments and attestations" in en


def test_markdown_escapes_user_text(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.project.title = "<script>alert(1)</script> | *x*"
    draft.units[0].name = "A | B"
    md = render_export(draft, guide, "md")
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\> \| \*x\*" in md
    unit_row = next(line for line in md.splitlines() if "A \\| B" in line)
    assert unit_row.count(" | ") == 7  # 8 columns: the user's pipe did not add one


def test_budget_table_and_totals(guide: Guide) -> None:
    draft = golden_draft(guide)
    data = json.loads(render_export(draft, guide, "json"))
    budget = data["budget"]
    assert [c["key"] for c in budget["categories"]][:2] == ["equipment", "materials"]
    assert Decimal(budget["total"]) == draft.budget.total
    assert Decimal(budget["direct"]) + Decimal(budget["indirect"]) == Decimal(budget["total"])
    assert Decimal(budget["units_funding"]) == draft.units_funding
    assert budget["balanced"] is True
    md = render_export(draft, guide, "md")
    assert f"| **直接费用小计** | **{draft.budget.direct:.2f}** |" in md
    assert f"| **合计** | **{draft.budget.total:.2f}** |" in md


def test_over_precise_money_is_not_rounded_away(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.budget.other = Decimal("1.005")
    data = json.loads(render_export(draft, guide, "json"))
    other = next(c for c in data["budget"]["categories"] if c["key"] == "other")
    assert other["amount"] == "1.005"


def no_floats(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            no_floats(item)
    elif isinstance(value, list):
        for item in value:
            no_floats(item)
    else:
        assert not isinstance(value, float), value


def test_json_document(guide: Guide) -> None:
    draft = golden_draft(guide)
    data = json.loads(render_export(draft, guide, "json", "en"))
    assert data["schema"] == SCHEMA == "guide-wizard-export/1"
    assert data["lang"] == "en"
    assert list(data)[9:] == [
        "counts",
        "project",
        "leader",
        "units",
        "partner",
        "h2020",
        "matching",
        "budget",
        "attestations",
        "violations",
    ]
    no_floats(data)
    violations = evaluate(draft, guide)
    assert len(data["violations"]) == len(violations)
    assert data["counts"]["error"] == sum(v.severity == "error" for v in violations)
    unticked = first_own_attestation(draft, guide)
    states = {a["id"]: a["ticked"] for a in data["attestations"]}
    assert states[unticked] is False and sum(states.values()) == len(states) - 1
    attest = next(v for v in data["violations"] if v["path"] == f"attest.{unticked}")
    assert attest["clause"]["text"] == guide.requirement(unticked).text  # type: ignore[union-attr]
    assert data["matching"]["units"][0]["ratio"] == "200%"


def test_json_escapes_control_and_bidi_characters(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.project.summary = "a\u202eb\x85c\x1bd"
    text = render_export(draft, guide, "json")
    assert "\u202e" not in text and "\x85" not in text and "\x1b" not in text
    assert json.loads(text)["project"]["summary"] == "a\u202eb\x85c\x1bd"


class Tags(HTMLParser):
    """The element and attribute names a page really has (escaped text is not markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes.update(name for name, _ in attrs)


def test_html_is_escaped_and_self_contained(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.project.title = "<script>alert(1)</script>"
    draft.project.summary = "R&D & more\n<img src=x onerror=alert(2)>"
    draft.units[0].name = 'A & B "<b>"'
    draft.partner.institutions[0].contact = "<a href='https://evil.example'>x</a>"
    page = render_export(draft, guide, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<img" not in page and "<a " not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "R&amp;D &amp; more" in page
    assert "A &amp; B &quot;&lt;b&gt;&quot;" in page
    # Nothing external: no attribute that loads or links anything, no remote CSS.
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?https?:", page)
    tags = Tags()
    tags.feed(page)
    assert tags.names <= {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2",
                          "h3", "section", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
                          "p", "div", "ol", "li", "span", "strong", "code"}  # fmt: skip
    assert tags.attributes <= {"lang", "charset", "name", "content", "class", "id"}
    assert not re.search(r"url\(|@import", page)
    assert "@media print" in page and "<style>" in page
    for section in ("project", "units", "partner", "matching", "budget", "attachments", "issues"):
        assert f'<section id="{section}">' in page


def test_html_attestations_and_violations(guide: Guide) -> None:
    draft = golden_draft(guide)
    unticked = first_own_attestation(draft, guide)
    requirement = guide.requirement(unticked)
    assert requirement is not None
    page = render_export(draft, guide, "html", "en")
    assert '<tr class="unticked"><td>☐ not ticked</td>' in page
    assert page.count('<tr class="ticked">') == sum(draft.attest.values())
    assert requirement.text in page and requirement.text_en in page
    assert '<ol class="issues"><li class="error">' in page
    assert "leader.phone" in page
    assert '<div class="clause">' in page


def test_empty_and_unknown_direction_drafts_export(guide: Guide) -> None:
    empty = new_draft("1.1", guide.id)
    empty.units = []
    lost = new_draft("9.9", guide.id)
    for draft in (empty, lost):
        for fmt in ("md", "html", "json"):
            for lang in ("zh", "en"):
                assert render_export(draft, guide, fmt, lang)
    data = json.loads(render_export(lost, guide, "json"))
    assert data["direction"]["known"] is False
    assert data["violations"][0]["path"] == "direction"


def test_unknown_format_is_refused(guide: Guide) -> None:
    with pytest.raises(ValueError, match="pdf"):
        render_export(golden_draft(guide), guide, "pdf")


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def draft_file(guide: Guide, tmp_path: Path) -> Path:
    path = tmp_path / "draft.toml"
    save_draft(golden_draft(guide), path, touch=False)
    return path


def test_cli_export_to_stdout(
    guide: Guide, draft_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", str(draft_file))
    assert code == 0
    assert out == render_export(load_draft(draft_file, guide), guide, "md", "zh")
    code, out, _ = run(capsys, "--lang", "en", "export", str(draft_file), "--to", "json")
    assert code == 0 and json.loads(out)["lang"] == "en"


def test_cli_export_to_file(
    guide: Guide, draft_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = draft_file.read_bytes()
    target = tmp_path / "out" / "summary.html"
    target.parent.mkdir()  # a missing folder is refused, not made (test_cli)
    code, out, _ = run(capsys, "export", str(draft_file), "-o", str(target), "--lang", "en")
    assert code == 0 and out.strip() == str(target)
    draft = load_draft(draft_file, guide)
    assert target.read_text(encoding="utf-8") == render_export(draft, guide, "html", "en")
    code, _, _ = run(capsys, "export", str(draft_file), "-o", str(tmp_path / "a.json"))
    assert code == 0 and json.loads((tmp_path / "a.json").read_text())["schema"] == SCHEMA
    code, _, _ = run(capsys, "export", str(draft_file), "--to", "md", "-o", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# ")
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert draft_file.read_bytes() == before


def test_cli_export_never_overwrites_a_draft(
    draft_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = draft_file.read_bytes()
    code, _, err = run(capsys, "export", str(draft_file), "-o", str(draft_file))
    assert code == 2 and "draft itself" in err
    link = tmp_path / "link.md"
    link.symlink_to(draft_file)
    code, _, err = run(capsys, "export", str(draft_file), "-o", str(link))
    assert code == 2 and "draft itself" in err
    code, _, err = run(capsys, "export", str(draft_file), "-o", str(tmp_path / "other.toml"))
    assert code == 2 and ".toml" in err
    assert draft_file.read_bytes() == before


def test_cli_export_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = 1\n[budget]\nequipment = nan\n")
    code, _, err = run(capsys, "export", str(broken))
    assert code == 2 and "budget.equipment" in err
    with pytest.raises(SystemExit) as exc:
        main(["export", str(broken), "--to", "pdf"])
    assert exc.value.code == 2


def test_cli_export_of_the_docs_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", str(ROOT / "docs" / "example-draft.toml"), "--to", "json")
    assert code == 0
    assert json.loads(out)["counts"] == {"error": 0, "warning": 0, "info": 0}


# --- wizard guide check -----------------------------------------------------------------------


def test_guide_check_real_file(guide: Guide, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "guide", "check", str(GUIDE_FILE), "--lang", "en")
    assert code == 0, err
    assert f"directions: {len(guide.directions)} (" in out
    low = sum(d.projects.low for d in guide.directions)
    high = sum(d.projects.high for d in guide.directions)
    assert f"projects: {low}–{high}" in out
    funding = format_money(sum((d.funding.amount for d in guide.directions), Decimal(0)))
    assert f"funding: {funding} (10k CNY)" in out  # as every amount is written: 35,040.00
    assert re.search(r"^\s+attestation\s+\d+\s+\d+\s+\d+\s+\d+$", out, re.MULTILINE)
    code, out, _ = run(capsys, "guide", "check", str(GUIDE_FILE))
    assert code == 0 and "有效" in out and f"方向：{len(guide.directions)} 个" in out


def broken_copy(tmp_path: Path, change: Any) -> tuple[Path, str]:
    """The real data file with one direction's requirement changed; (path, direction code)."""
    data = tomllib.loads(GUIDE_FILE.read_text(encoding="utf-8"))
    direction = next(d for d in data["directions"] if d.get("requirements"))
    change(direction["requirements"])
    path = tmp_path / "broken.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path, direction["code"]


def test_guide_check_broken_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(requirements: list[dict[str, Any]]) -> None:
        requirements[0]["severity"] = "fatal"

    path, code_ = broken_copy(tmp_path, change)
    code, out, err = run(capsys, "guide", "check", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"direction {code_}" in err and "requirements[0].severity" in err


def test_guide_check_unknown_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(requirements: list[dict[str, Any]]) -> None:
        rule = next(r for r in requirements if r["kind"] == "rule")
        rule["rule"] = "no_such_rule"

    path, code_ = broken_copy(tmp_path, change)
    code, _, err = run(capsys, "guide", "check", str(path))
    assert code == 2
    assert f"direction {code_}" in err and ".rule" in err and "no_such_rule" in err


def test_guide_check_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("id = \n")
    code, _, err = run(capsys, "guide", "check", str(bad))
    assert code == 2 and "not valid TOML" in err
    code, _, err = run(capsys, "guide", "check", str(tmp_path / "none.toml"))
    assert code == 2 and "cannot read" in err
    with pytest.raises(SystemExit) as exc:
        main(["guide"])
    assert exc.value.code == 2


def test_dumped_golden_draft_round_trips(guide: Guide) -> None:
    # The golden exports are of the draft as a file would hold it.
    draft = golden_draft(guide)
    again = parse_draft(dump_draft(draft), "golden.toml", guide)
    assert render_export(again, guide, "json") == render_export(draft, guide, "json")


# --- issue 10, observation 9: the export and the CLI say what the screen says ---------------


def test_status_is_the_screens_word_and_is_recomputed(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.attest[first_own_attestation(draft, guide)] = True
    draft.leader.phone = "010-12345678"
    draft.meta.status = "ready"
    assert "- **状态**：可提交" in render_export(draft, guide, "md")
    assert "- **Status**: ready" in render_export(draft, guide, "md", "en")
    data = json.loads(render_export(draft, guide, "json"))
    assert (data["status"], data["marked"], data["status_text"]) == ("ready", "ready", "可提交")
    # A hand-edited file marked ready that has an error is not exported as ready.
    draft.leader.phone = ""
    md = render_export(draft, guide, "md")
    assert "- **状态**：标记为可提交，但仍有 1 个错误" in md
    assert "已就绪" not in md
    assert "marked ready, but 1 error remains" in render_export(draft, guide, "md", "en")
    data = json.loads(render_export(draft, guide, "json"))
    assert (data["status"], data["marked"]) == ("draft", "ready")


def test_times_in_local_time_with_the_offset(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.meta.updated = datetime(2020, 5, 28, 9, 45, 12, tzinfo=UTC)
    md = render_export(draft, guide, "md")
    assert "- **更新时间**：2020-05-28 17:45:12+08:00" in md
    assert json.loads(render_export(draft, guide, "json"))["updated"] == "2020-05-28T17:45:12+08:00"


def test_one_money_format_as_on_screen(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.budget.equipment = Decimal("2562.85")
    draft.budget.materials = Decimal("300.0")
    md = render_export(draft, guide, "md")
    assert "| 设备费 | 2,562.85 |" in md
    assert "| 材料费 | 300.00 |" in md
    data = json.loads(render_export(draft, guide, "json"))
    amounts = {c["key"]: c["amount"] for c in data["budget"]["categories"]}
    assert (amounts["equipment"], amounts["materials"]) == ("2562.85", "300.00")


def test_cli_check_shows_money_and_status_like_the_screen(
    tmp_path: Path, guide: Guide, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = golden_draft(guide)
    draft.budget.equipment = (draft.budget.equipment or Decimal(0)) + Decimal("2462.845")
    draft.meta.status = "ready"
    path = tmp_path / "d.toml"
    save_draft(draft, path, touch=False)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert "标记为可提交，但仍有" in out
    assert "预算合计 2,562.845 万元" in out
    assert not re.search(r"\d\.0 万元|\d{4}\.\d+ 万元", out), out  # no 300.0, no 2562.845
    code, out, _ = run(capsys, "check", str(path), "--json")
    report = json.loads(out)["files"][0]
    assert (report["status"], report["marked"]) == ("draft", "ready")


def test_ticked_attestations_carry_no_severity(guide: Guide) -> None:
    draft = golden_draft(guide)
    md = render_export(draft, guide, "md")
    rows = [line for line in md.splitlines() if line.startswith("| ☑")]
    assert rows and all("错误" not in r and "警告" not in r for r in rows)
    unticked = [line for line in md.splitlines() if line.startswith("| ☐")]
    assert unticked and all("错误" in r for r in unticked)


def test_enterprise_ratio_comes_first(guide: Guide) -> None:
    from wizard.draft import Unit

    draft = golden_draft(guide)
    for unit in draft.units:
        unit.matching = Decimal(0) if unit.kind != "enterprise" else unit.matching
    draft.units.append(
        Unit(name="某某科技有限公司", kind="enterprise", funding=Decimal(10), matching=Decimal(30))
    )
    data = json.loads(render_export(draft, guide, "json"))
    rows = data["matching"]["units"]
    assert rows[0]["kind"] == "enterprise"
    assert all(r["kind"] == "enterprise" or r["ratio"] != "0%" for r in rows), rows
    assert "300%" in [r["ratio"] for r in rows]
