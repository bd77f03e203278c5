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

from tests.factories import full_draft, leader_of, write_attachments
from tests.helpers import run_cli
from wizard.cli import main
from wizard.draft import BudgetLine, Draft, new_draft
from wizard.export import SCHEMA, render_export
from wizard.guide import Guide
from wizard.money import format_money
from wizard.rules import evaluate
from wizard.store import dump_draft, load_draft, parse_draft, save_draft

ROOT = Path(__file__).resolve().parents[2]
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


def first_own_attestation(draft: Draft, guide: Guide) -> str:
    direction = guide.direction(draft.direction)
    assert direction is not None
    return next(r.id for r in direction.requirements if r.kind == "attestation")


def golden_draft(guide: Guide) -> Draft:
    """A full 1.6 draft (every v2 part) with fixed timestamps, one unticked attestation, one
    empty field, one text part left empty ("无") and the optional attachment not applicable."""
    draft = full_draft(guide, "1.6")
    draft.meta.created = datetime(2020, 5, 6, 9, 30, tzinfo=CST)
    draft.meta.updated = datetime(2020, 5, 28, 17, 45, 12, tzinfo=CST)
    for a in draft.attachments:
        a.attached = datetime(2020, 5, 1, 8, 0, tzinfo=CST)
    draft.project.title_en = "Test project 1.6: R&D <together>"
    draft.project.summary = "第一行。\n第二行 | 含竖线。"
    draft.attest[first_own_attestation(draft, guide)] = False
    leader_of(draft).phone = ""
    del draft.narrative[empty_part(guide)]
    optional = next(k for k, _ in guide.attachments_for(direction_of(draft, guide)) if k.optional)
    record = draft.attachment(optional.key)
    assert record is not None
    record.path, record.sha256, record.size, record.attached = "", "", None, None
    record.not_applicable, record.note = True, "外方无需单独提交证明 | 见合作协议"
    return draft


def direction_of(draft: Draft, guide: Guide) -> Any:
    direction = guide.direction(draft.direction)
    assert direction is not None
    return direction


def empty_part(guide: Guide) -> str:
    """A part of the form that is text only (no structured data): left empty in the golden."""
    return [p.key for p in guide.form.parts if not p.holds][-1]


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
    numbers = "一二三四五六七八"
    parts = [f"{numbers[i]}、{p.zh}" for i, p in enumerate(guide.form.parts)]
    assert titles == ["封面", "项目基本信息表", *parts, "承诺事项", "待处理问题"]
    assert parts[3:] == [
        "四、进度安排",
        "五、组织实施、保障措施及风险分析",
        "六、研究团队",
        "七、经费预算",
        "八、指南所要求的附件",
    ]
    en = render_export(golden_draft(guide), guide, "md", "en")
    assert "## 7. Budget" in en and "## 8. Attachments the guide requires" in en
    # The cover names what the 申报书's cover names, in its order.
    cover = md.split("## 封面", 1)[1].split("## ", 1)[0]
    labels = re.findall(r"^- \*\*(.+?)\*\*", cover, re.MULTILINE)
    assert labels == ["项目名称", "所属专项", "指南方向", "推荐单位", "申报单位", "项目负责人"]
    assert "- **项目负责人**：张三" in cover and "- **申报单位**：清华大学" in cover


def test_parts_hold_their_text_or_data_and_empty_ones_say_none(guide: Guide) -> None:
    draft = golden_draft(guide)
    md = render_export(draft, guide, "md")
    sections = dict(
        (m.group(1), m.group(2))
        for m in re.finditer(r"^## (.+?)\n(.*?)(?=^## |\Z)", md, re.MULTILINE | re.DOTALL)
    )
    empty = guide.form.part(empty_part(guide))
    assert empty is not None
    [title] = [k for k in sections if k.endswith(empty.zh)]
    assert sections[title].strip() == "无"
    schedule = next(v for k, v in sections.items() if k.endswith("进度安排"))
    assert "| 第 1 年（2021） | 第 1 年的工作。 |" in schedule
    team = next(v for k, v in sections.items() if k.endswith("研究团队"))
    assert team.count("\n| ") == len(draft.team) + 2  # header, rule, one row a person
    assert "| Wang Core | 男 | 1988-08-08 | 护照 | E12345678 |" in team
    attachments = next(v for k, v in sections.items() if k.endswith("指南所要求的附件"))
    assert "attachments/ip\\_agreement.pdf" in attachments
    assert "外方无需单独提交证明 \\| 见合作协议" in attachments
    # A draft with nothing in a structured part writes 无 there too.
    draft.plan, draft.team = [], []
    draft.narrative.clear()
    md = render_export(draft, guide, "md")
    assert md.count("\n\n无\n") >= len(guide.form.parts) - 2  # budget and attachments hold data


def test_markdown_escapes_user_text(guide: Guide) -> None:
    draft = golden_draft(guide)
    draft.project.title = "<script>alert(1)</script> | *x*"
    draft.units[0].name = "A | B"
    md = render_export(draft, guide, "md")
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\> \| \*x\*" in md
    unit_row = next(line for line in md.splitlines() if line.startswith("| 1 | A \\| B"))
    assert unit_row.count(" | ") == 10  # 11 columns: the user's pipe did not add one
    # Every new part's text is inert too: narrative, 课题 content, team, basis, notes.
    draft.narrative[guide.form.parts[0].key] = "# 标题\n<b>x</b> | y\n- item"
    draft.tasks[0].content = "[link](http://x) *em*"
    draft.team[1].name = "A|B"
    key = guide.form.direct_keys[0]
    draft.tasks[0].budget[key].basis = "<img src=x> | z"
    md = render_export(draft, guide, "md")
    assert "<b>" not in md and "<img src=x>" not in md and "[link](" not in md
    assert "\\# 标题" in md and "\\- item" in md and "\\[link\\](http://x) \\*em\\*" in md
    assert "| A\\|B |" in md and "\\<img src=x\\> \\| z" in md


def test_budget_tables_per_task_and_for_the_project(guide: Guide) -> None:
    draft = golden_draft(guide)
    form = guide.form
    data = json.loads(render_export(draft, guide, "json"))
    budget = data["budget"]
    assert [c["key"] for c in budget["categories"]] == [c.key for c in form.categories]
    total = sum((draft.amount(c.key) for c in form.categories), Decimal(0))
    assert Decimal(budget["total"]["total"]) == total
    central = sum((draft.amount(c.key, "central") for c in form.categories), Decimal(0))
    assert Decimal(budget["total"]["central"]) == central == draft.units_funding
    assert budget["balanced"] is True
    for part in ("direct", "indirect"):
        assert set(budget[part]) == {"central", "local", "own", "other", "total"}
    assert Decimal(budget["direct"]["total"]) + Decimal(budget["indirect"]["total"]) == total
    assert len(data["tasks"]) == len(draft.tasks)
    first = data["tasks"][0]["budget"]
    key = form.direct_keys[0]
    line = next(c for c in first["categories"] if c["key"] == key)
    assert (line["central"], line["local"]) == (
        f"{draft.tasks[0].amount(key, 'central'):.2f}",
        "2.25",
    )
    assert line["basis"] == draft.tasks[0].budget[key].basis
    md = render_export(draft, guide, "md")
    assert md.count("| 科目 | 中央财政 | 地方财政 | 单位自筹 | 其他 | 合计 | 测算依据 |") == len(
        draft.tasks
    )
    assert md.count("| 科目 | 中央财政 | 地方财政 | 单位自筹 | 其他 | 合计 |\n") == 1  # project
    assert f"| **合计** | **{central:.2f}** |" in md
    # 设备费 is the group's subtotal, its categories under it.
    purchase = form.category(form.purchase_keys[0])
    assert purchase is not None and purchase.group
    assert f"| 其中：{purchase.zh} |" in md and f"\n| {purchase.group} |" in md


def test_indirect_cap_per_task_is_the_rules_own(guide: Guide) -> None:
    from wizard.rules.budget import indirect_base, indirect_cap_amount

    draft = golden_draft(guide)
    form = guide.form
    [indirect] = form.indirect_keys
    draft.tasks[1].budget[indirect].central = Decimal("100")  # over the cap
    data = json.loads(render_export(draft, guide, "json"))
    tiers = next(
        r.params["tiers"]
        for _, r in guide.requirements_for(direction_of(draft, guide))
        if r.rule == "indirect_cap"
    )
    for i, task in enumerate(draft.tasks):
        central = {c.key: task.amount(c.key, "central") for c in form.categories}
        base = indirect_base(central, form)
        cap = data["tasks"][i]["budget"]["indirect_cap"]
        assert Decimal(cap["base"]) == base
        assert Decimal(cap["cap"]) == indirect_cap_amount(base, tiers)
        assert cap["within"] is (i != 1)
    assert any(v["path"] == f"tasks[1].budget.{indirect}.central" for v in data["violations"])
    md = render_export(draft, guide, "md")
    assert md.count("（已超过）") == 1 and md.count("（未超过）") == len(draft.tasks) - 1


def test_over_precise_money_is_not_rounded_away(guide: Guide) -> None:
    draft = golden_draft(guide)
    key = guide.form.direct_keys[-1]
    draft.tasks[0].budget[key] = BudgetLine(central=Decimal("1.005"), basis="x")
    data = json.loads(render_export(draft, guide, "json"))
    line = next(c for c in data["tasks"][0]["budget"]["categories"] if c["key"] == key)
    assert line["central"] == "1.005"


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
    assert data["schema"] == SCHEMA == "guide-wizard-export/2"
    assert data["lang"] == "en"
    assert list(data)[9:] == [
        "counts",
        "cover",
        "project",
        "recommender",
        "contact",
        "leader",
        "units",
        "partner",
        "h2020",
        "matching",
        "targets",
        "parts",
        "plan",
        "team",
        "tasks",
        "budget",
        "attachments",
        "attestations",
        "violations",
    ]
    assert [p["key"] for p in data["parts"]] == [p.key for p in guide.form.parts]
    assert data["project"]["tasks"] == len(draft.tasks) and data["project"]["units"] == 3
    assert data["project"]["end"] == "2022-12-31"
    assert data["leader"]["team_index"] == draft.leader_index
    assert data["partner"]["lead"]["name"] == "Dr. A"
    assert data["partner"]["agreement_signed"] == "2020-05-01"
    assert [t["name"] for t in data["targets"]] == [t.name for t in draft.targets]
    [na] = [a for a in data["attachments"] if a["not_applicable"]]
    assert na["path"] == "" and na["sha256"] == "" and na["note"]
    attached = [a for a in data["attachments"] if a["path"]]
    assert attached and all(len(a["sha256"]) == 64 and a["size"] for a in attached)
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
    parts = [f"part-{p.key}" for p in guide.form.parts]
    for section in ("cover", "basic", *parts, "attest", "issues"):
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
    assert f"team[{draft.leader_index}].phone" in page
    assert '<div class="clause">' in page


def test_empty_and_unknown_direction_drafts_export(guide: Guide) -> None:
    empty = new_draft("1.1", guide.id)
    empty.units, empty.team, empty.tasks = [], [], []
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
    draft = golden_draft(guide)
    save_draft(draft, path, touch=False)
    write_attachments(draft, tmp_path)  # the attached files, unchanged, beside the draft
    return path


def test_cli_export_to_stdout(
    guide: Guide, draft_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "export", str(draft_file))
    assert code == 0
    assert out == render_export(load_draft(draft_file, guide), guide, "md", "zh")
    code, out, _ = run_cli(capsys, "--lang", "en", "export", str(draft_file), "--to", "json")
    assert code == 0 and json.loads(out)["lang"] == "en"


def test_cli_export_to_file(
    guide: Guide, draft_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = draft_file.read_bytes()
    target = tmp_path / "out" / "summary.html"
    target.parent.mkdir()  # a missing folder is refused, not made (test_cli)
    code, out, _ = run_cli(capsys, "export", str(draft_file), "-o", str(target), "--lang", "en")
    assert code == 0 and out.strip() == str(target)
    draft = load_draft(draft_file, guide)
    assert target.read_text(encoding="utf-8") == render_export(draft, guide, "html", "en")
    code, _, _ = run_cli(capsys, "export", str(draft_file), "-o", str(tmp_path / "a.json"))
    assert code == 0 and json.loads((tmp_path / "a.json").read_text())["schema"] == SCHEMA
    code, _, _ = run_cli(
        capsys, "export", str(draft_file), "--to", "md", "-o", str(target), "--force"
    )
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# ")
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert draft_file.read_bytes() == before


def test_cli_export_never_overwrites_a_draft(
    draft_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = draft_file.read_bytes()
    code, _, err = run_cli(capsys, "export", str(draft_file), "-o", str(draft_file))
    assert code == 2 and "draft itself" in err
    link = tmp_path / "link.md"
    link.symlink_to(draft_file)
    code, _, err = run_cli(capsys, "export", str(draft_file), "-o", str(link))
    assert code == 2 and "draft itself" in err
    code, _, err = run_cli(capsys, "export", str(draft_file), "-o", str(tmp_path / "other.toml"))
    assert code == 2 and ".toml" in err
    assert draft_file.read_bytes() == before


def test_cli_export_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "export", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err
    broken = tmp_path / "broken.toml"
    broken.write_text("schema_version = 2\n[[units]]\nfunding = nan\n")
    code, _, err = run_cli(capsys, "export", str(broken))
    assert code == 2 and "units[0].funding" in err and "line 3" in err
    with pytest.raises(SystemExit) as exc:
        main(["export", str(broken), "--to", "pdf"])
    assert exc.value.code == 2


def test_cli_export_of_the_docs_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "export", str(ROOT / "docs" / "example-draft.toml"), "--to", "json"
    )
    assert code == 0
    assert json.loads(out)["counts"] == {"error": 0, "warning": 0, "info": 0}


# --- wizard guide check -----------------------------------------------------------------------


def test_guide_check_real_file(guide: Guide, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "guide", "check", str(GUIDE_FILE), "--lang", "en")
    assert code == 0, err
    assert f"directions: {len(guide.directions)} (" in out
    low = sum(d.projects.low for d in guide.directions)
    high = sum(d.projects.high for d in guide.directions)
    assert f"projects: {low}–{high}" in out
    funding = format_money(sum((d.funding.amount for d in guide.directions), Decimal(0)))
    assert f"funding: {funding} (10k CNY)" in out  # as every amount is written: 35,040.00
    assert re.search(r"^\s+attestation\s+\d+\s+\d+\s+\d+\s+\d+$", out, re.MULTILINE)
    code, out, _ = run_cli(capsys, "guide", "check", str(GUIDE_FILE))
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
    code, out, err = run_cli(capsys, "guide", "check", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"direction {code_}" in err and "requirements[0].severity" in err


def test_guide_check_unknown_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(requirements: list[dict[str, Any]]) -> None:
        rule = next(r for r in requirements if r["kind"] == "rule")
        rule["rule"] = "no_such_rule"

    path, code_ = broken_copy(tmp_path, change)
    code, _, err = run_cli(capsys, "guide", "check", str(path))
    assert code == 2
    assert f"direction {code_}" in err and ".rule" in err and "no_such_rule" in err


def test_guide_check_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("id = \n")
    code, _, err = run_cli(capsys, "guide", "check", str(bad))
    assert code == 2 and "not valid TOML" in err
    code, _, err = run_cli(capsys, "guide", "check", str(tmp_path / "none.toml"))
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
    leader_of(draft).phone = "010-12345678"
    draft.narrative[empty_part(guide)] = "正文。"
    draft.meta.status = "ready"
    assert "- **状态**：可提交" in render_export(draft, guide, "md")
    assert "- **Status**: ready" in render_export(draft, guide, "md", "en")
    data = json.loads(render_export(draft, guide, "json"))
    assert (data["status"], data["marked"], data["status_text"]) == ("ready", "ready", "可提交")
    # A hand-edited file marked ready that has an error is not exported as ready.
    leader_of(draft).phone = ""
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
    form = guide.form
    big, round_ = [c for c in form.categories if c.direct and not c.group][:2]
    draft.tasks[0].budget[big.key].central = Decimal("2562.85")
    draft.tasks[0].budget[round_.key].central = Decimal("300.0")
    md = render_export(draft, guide, "md")
    assert f"| {big.zh} | 2,562.85 | 0.00 |" in md
    assert f"| {round_.zh} | 300.00 | 0.00 |" in md
    data = json.loads(render_export(draft, guide, "json"))
    amounts = {c["key"]: c["central"] for c in data["tasks"][0]["budget"]["categories"]}
    assert (amounts[big.key], amounts[round_.key]) == ("2562.85", "300.00")


def test_cli_check_shows_money_and_status_like_the_screen(
    tmp_path: Path, guide: Guide, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = golden_draft(guide)
    key = guide.form.direct_keys[0]
    draft.tasks[0].budget[key].central = Decimal("2462.845")
    draft.meta.status = "ready"
    path = tmp_path / "d.toml"
    save_draft(draft, path, touch=False)
    code, out, _ = run_cli(capsys, "check", str(path))
    assert code == 1
    assert "标记为可提交，但仍有" in out
    assert "2,462.845" in out
    assert not re.search(r"\d\.0 万元|\d{4}\.\d+ 万元", out), out  # no 300.0, no 2562.845
    code, out, _ = run_cli(capsys, "check", str(path), "--json")
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
