"""`wizard` on the command line: check, directions, rules, new."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import clean_draft
from wizard.cli import main
from wizard.guide import Guide
from wizard.store import save_draft

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_docs_example_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(ROOT / "docs" / "example-draft.toml"))
    assert code == 0, out
    assert "错误 0" in out


def test_check_reports_errors_with_clause_and_exit_1(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.6")
    draft.partner.submitted = False
    save_draft(draft, tmp_path / "a.toml")
    code, out, _ = run(capsys, "check", str(tmp_path), "--lang", "en")
    assert code == 1
    assert "partner.submitted" in out and "one-sided" in out
    assert "单方申报项目无效" in out  # the clause, verbatim


def test_check_json_contract(guide: Guide, tmp_path: Path, capsys) -> None:
    draft = clean_draft(guide, "1.4")
    draft.units[2].matching = draft.units[2].funding and draft.units[2].funding / 2
    save_draft(draft, tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text("schema_version = 1\n[[units]]\nfunding = nan\n")
    code, out, _ = run(capsys, "check", str(tmp_path), "--json")
    assert code == 2
    report = json.loads(out)
    a, b = report["files"]
    assert a["error"] is None and b["error"] and "b.toml" in b["error"]
    [v] = [v for v in a["violations"] if v["path"] == "units[2].matching"]
    assert set(v) == {"rule", "severity", "path", "message", "clause"}
    assert v["severity"] == "error"
    assert set(v["clause"]) == {"direction", "item", "text"} and v["clause"]["direction"] == "1.4"


def test_check_flags_same_leader_and_title_across_drafts(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    other = clean_draft(guide, "1.9")
    other.project.title = clean_draft(guide, "1.6").project.title
    save_draft(other, tmp_path / "b.toml")
    code, out, _ = run(capsys, "check", str(tmp_path), "--json")
    rules = [v["rule"] for f in json.loads(out)["files"] for v in f["violations"]]
    assert rules.count("cross-same-leader") == 2 and rules.count("cross-same-title") == 2
    assert code == 0  # warnings only


def test_check_missing_path_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "check", "/nonexistent/x.toml")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_check_output_escapes_control_characters(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.9")
    draft.leader.unit = "evil\x1b]52;c;aGk=\x07"
    save_draft(draft, tmp_path / "a.toml")
    _, out, _ = run(capsys, "check", str(tmp_path / "a.toml"))
    assert "\x1b" not in out and "\\x1b" in out


def test_directions_lists_fifteen_with_guide_totals(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "directions")
    assert code == 0
    assert "共 15 个方向，项目 116–119 项" in out
    code, out, _ = run(capsys, "directions", "--json")
    data = json.loads(out)
    assert len(data["directions"]) == 15
    kinds = {r["kind"] for d in data["directions"] for r in d["requirements"]}
    assert kinds == {"rule", "attestation", "info"}


def test_rules_doc_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--md")
    assert code == 0
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == out, (
        "docs/rules.md is stale: run `wizard rules --md > docs/rules.md`"
    )


def test_rules_for_one_direction(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(capsys, "rules", "--direction", "1.6", "--json")
    rows = json.loads(out)["rules"]
    assert {r["direction"] for r in rows} == {"general", "1.6"}


def test_new_writes_a_skeleton_and_never_overwrites(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "new", "--direction", "1.6", "--drafts-dir", str(tmp_path))
    assert code == 0
    path = Path(out.strip())
    assert path.parent == tmp_path and path.is_file()
    code, _, err = run(capsys, "new", "--direction", "1.6", "-o", str(path))
    assert code == 2 and "already exists" in err
    code, _, err = run(capsys, "new", "--direction", "7.7", "-o", str(tmp_path / "x.toml"))
    assert code == 2 and "unknown direction" in err


def test_other_guide_file_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "data" / "directions.toml").read_text("utf-8")
    other = tmp_path / "g.toml"
    other.write_text(text.replace('id = "2020"', 'id = "2021"', 1), "utf-8")
    code, out, _ = run(capsys, "--guide", str(other), "directions", "--json")
    assert code == 0 and json.loads(out)["guide"] == "2021"
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('severity = "error"', 'severity = "fatal"', 1), "utf-8")
    code, _, err = run(capsys, "directions", "--guide", str(broken))
    assert code == 2 and "severity" in err


def test_cli_does_not_import_textual() -> None:
    probe = (
        "import sys; from wizard.cli import main; "
        "main(['directions']); assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_python_dash_m_wizard_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "check", "--help"], cwd=ROOT, capture_output=True
    )
    assert result.returncode == 0 and b"--json" in result.stdout


def test_deadline_and_days_left(guide: Guide, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import datetime, timedelta, timezone

    deadline = guide.general.deadline
    beijing = timezone(timedelta(hours=8))
    assert deadline.days_left(datetime(2020, 6, 5, 16, 0, tzinfo=beijing)) == 10
    assert "已截止 1 天" in deadline.describe("zh", datetime(2020, 6, 16, 17, 0, tzinfo=beijing))
    assert "10 days left" in deadline.describe("en", datetime(2020, 6, 5, 9, 0, tzinfo=beijing))
    _, out, _ = run(capsys, "directions")
    assert "申报截止 2020-06-15 16:00" in out
