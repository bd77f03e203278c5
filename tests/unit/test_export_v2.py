"""`wizard export` and `wizard check` on format v2 (issue 14): v1 files export as they load
(upgraded, not rewritten), the attached files are judged in both commands, every new part is
inert in every format, and a guide of another shape exports with its own categories."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import clean_draft, write_attachments
from tests.helpers import run_cli
from wizard.draft import BudgetLine
from wizard.export import render_export
from wizard.guide import Guide, read_guide
from wizard.store import save_draft

V1 = Path(__file__).resolve().parents[1] / "data" / "v1"
OTHER = Path(__file__).resolve().parents[1] / "data" / "other-shape.toml"


def test_a_v1_file_exports_as_v2_and_is_not_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "old.toml"
    source.write_bytes((V1 / "clean-1.6.toml").read_bytes())
    before = source.read_bytes()
    code, out, err = run_cli(capsys, "export", str(source), "--to", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "guide-wizard-export/2"
    assert len(data["tasks"]) == 1 and data["leader"]["role"] == "leader"  # upgraded on load
    assert data["budget"]["total"]["central"] != "0.00"  # v1 budget → 课题 1's central column
    code, out, _ = run_cli(capsys, "export", str(source))
    assert code == 0 and "## 七、经费预算" in out and "## 封面" in out
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.toml"]  # no .v1.toml made


def _saved(guide: Guide, folder: Path, with_files: bool) -> Path:
    draft = clean_draft(guide, "1.6")
    path = folder / "d.toml"
    save_draft(draft, path, touch=False)
    if with_files:
        write_attachments(draft, folder)
    return path


def test_export_and_check_judge_the_attached_files(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _saved(guide, tmp_path, with_files=True)
    code, out, _ = run_cli(capsys, "export", str(path), "--to", "json")
    assert code == 0 and json.loads(out)["counts"]["error"] == 0
    code, out, _ = run_cli(capsys, "check", str(path))  # one file, not a folder
    assert code == 0, out
    # One file changed after it was attached, one gone.
    first, second = sorted((tmp_path / "attachments").iterdir())
    first.write_bytes(b"%PDF-1.4 another scan\n")
    second.unlink()
    code, out, _ = run_cli(capsys, "export", str(path), "--to", "json")
    problems = [v for v in json.loads(out)["violations"] if v["path"].startswith("attachments")]
    assert len(problems) == 2 and all(v["severity"] == "error" for v in problems)
    code, out, _ = run_cli(capsys, "check", str(path), "--json")
    assert code == 1
    paths = [v["path"] for v in json.loads(out)["files"][0]["violations"]]
    assert sorted(paths) == sorted(v["path"] for v in problems)  # check and export agree
    code, out, _ = run_cli(capsys, "--lang", "en", "check", str(path))
    assert code == 1 and len(re.findall(r"^  \S+  attachments\[\d\]", out, re.MULTILINE)) == 2


def test_render_export_without_file_states_does_not_read_files(guide: Guide) -> None:
    # The library call is pure: the recorded attachments alone are judged.
    draft = clean_draft(guide, "1.6")
    data = json.loads(render_export(draft, guide, "json"))
    assert data["counts"]["error"] == 0


HOSTILE = "\x1b]52;c;aGk=\x07<script>x</script> | *b* \u202e"


def test_every_new_part_is_inert_in_every_format(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    key = guide.form.direct_keys[0]
    draft.narrative[guide.form.parts[0].key] = HOSTILE
    draft.tasks[0].content = HOSTILE
    draft.tasks[0].budget[key].basis = HOSTILE
    draft.team[1].name = HOSTILE
    draft.targets[0].value = HOSTILE
    draft.plan[0].content = HOSTILE
    draft.partner.contribution = HOSTILE
    draft.partner.lead.name = HOSTILE
    draft.contact.name = HOSTILE
    draft.recommender.name = HOSTILE
    draft.attachments[0].note = HOSTILE
    for lang in ("zh", "en"):
        md = render_export(draft, guide, "md", lang)
        page = render_export(draft, guide, "html", lang)
        text = render_export(draft, guide, "json", lang)
        for out in (md, page, text):
            assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "<script>" not in md and "<script>" not in page
        assert md.count(r"\<script\>x\</script\> \| \*b\*") >= 10
        assert page.count("&lt;script&gt;x&lt;/script&gt;") >= 10
        assert json.loads(text)["tasks"][0]["budget"]["categories"][0]["basis"] in (HOSTILE, "")
        assert json.loads(text)["partner"]["contribution"] == HOSTILE


def test_a_guide_of_another_shape_exports_its_own_categories(tmp_path: Path) -> None:
    other = read_guide(OTHER)
    draft = clean_draft(other, "9.9")
    draft.tasks = draft.tasks[:1]
    draft.tasks[0].budget = {
        "kit": BudgetLine(central=Decimal("500")),
        "work": BudgetLine(central=Decimal("1000")),
        "overhead": BudgetLine(central=Decimal("245")),
    }
    data = json.loads(render_export(draft, other, "json", "en"))
    assert [c["key"] for c in data["budget"]["categories"]] == ["kit", "work", "overhead"]
    cap = data["tasks"][0]["budget"]["indirect_cap"]
    # 30/25/20 % on work 1000 (the purchase left out): the rule's own function.
    assert (cap["base"], cap["cap"], cap["within"]) == ("1000.00", "245.00", True)
    assert [p["key"] for p in data["parts"]] == [p.key for p in other.form.parts]
    md = render_export(draft, other, "md", "en")
    titles = re.findall(r"^## (.+)$", md, re.MULTILINE)
    assert titles[2:-2] == [f"{n}. {p.en}" for n, p in enumerate(other.form.parts, start=1)]


def test_problems_in_a_budget_line_name_the_task_category_and_source(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.6")
    [indirect] = guide.form.indirect_keys
    category = guide.form.category(indirect)
    assert category is not None
    draft.tasks[1].budget[indirect].central = Decimal("100")  # over the 课题's cap
    save_draft(draft, tmp_path / "d.toml", touch=False)
    write_attachments(draft, tmp_path)
    code, out, _ = run_cli(capsys, "check", str(tmp_path / "d.toml"))
    path = f"tasks[1].budget.{indirect}.central"
    assert code == 1 and f"  {path}  (课题2 {category.zh}（中央财政）)" in out
    code, out, _ = run_cli(capsys, "--lang", "en", "check", str(tmp_path / "d.toml"))
    assert f"  {path}  (task 2: {category.en} (Central funds))" in out
    data = json.loads(render_export(draft, guide, "json"))
    [v] = [v for v in data["violations"] if v["path"] == path]
    assert v["field"] == f"课题2 {category.zh}（中央财政）"
    assert f"· 课题2 {category.zh}（中央财政） (`{path}`)" in render_export(draft, guide, "md")


def test_an_empty_part_is_named_by_its_title(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    part = next(p for p in guide.form.parts if not p.holds)
    del draft.narrative[part.key]
    data = json.loads(render_export(draft, guide, "json"))
    [v] = [v for v in data["violations"] if v["path"] == f"narrative.{part.key}"]
    assert v["field"] == f"申报书正文：{part.zh}"
