"""`wizard` on the command line: check, directions, rules, new."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import clean_draft, leader_of, resident_id, write_attachments
from tests.helpers import run_cli
from wizard.cli import main
from wizard.guide import Guide
from wizard.store import save_draft

ROOT = Path(__file__).resolve().parents[2]


def test_docs_example_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", str(ROOT / "docs" / "example-draft.toml"))
    assert code == 0, out
    assert "错误 0" in out


def test_check_reports_errors_with_clause_and_exit_1(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.6")
    draft.partner.submitted = False
    save_draft(draft, tmp_path / "a.toml")
    code, out, _ = run_cli(capsys, "check", str(tmp_path), "--lang", "en")
    assert code == 1
    assert "partner.submitted" in out and "one-sided" in out
    assert "单方申报项目无效" in out  # the clause, verbatim


def test_check_json_contract(guide: Guide, tmp_path: Path, capsys) -> None:
    draft = clean_draft(guide, "1.4")
    funding = draft.units[2].funding
    assert funding is not None
    draft.units[2].matching = (funding / 2).quantize(Decimal("0.01"))  # short, but well-formed
    save_draft(draft, tmp_path / "a.toml")
    (tmp_path / "b.toml").write_text("schema_version = 1\n[[units]]\nfunding = nan\n")
    code, out, _ = run_cli(capsys, "check", str(tmp_path), "--json")
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
    code, out, _ = run_cli(capsys, "check", str(tmp_path), "--json")
    rules = [v["rule"] for f in json.loads(out)["files"] for v in f["violations"]]
    assert rules.count("cross-same-leader") == 2 and rules.count("cross-same-title") == 2
    # v2: the leader applies for one project only (the notice, as summarised): an error.
    assert code == 1


def test_check_missing_path_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "check", "/nonexistent/x.toml")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


def test_check_output_escapes_control_characters(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.9")
    leader_of(draft).unit = "evil\x1b]52;c;aGk=\x07"
    save_draft(draft, tmp_path / "a.toml")
    _, out, _ = run_cli(capsys, "check", str(tmp_path / "a.toml"))
    assert "\x1b" not in out and "\\x1b" in out


def test_directions_lists_fifteen_with_guide_totals(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "directions")
    assert code == 0
    assert "共 15 个方向，项目 116–119 项" in out
    code, out, _ = run_cli(capsys, "directions", "--json")
    data = json.loads(out)
    assert len(data["directions"]) == 15
    kinds = {r["kind"] for d in data["directions"] for r in d["requirements"]}
    assert kinds == {"rule", "attestation", "info"}


def test_rules_doc_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "rules", "--md")
    assert code == 0
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == out, (
        "docs/rules.md is stale: run `wizard rules --md > docs/rules.md`"
    )


def test_rules_for_one_direction(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run_cli(capsys, "rules", "--direction", "1.6", "--json")
    rows = json.loads(out)["rules"]
    assert {r["direction"] for r in rows} == {"general", "1.6"}


def test_new_writes_a_skeleton_and_never_overwrites(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "new", "--direction", "1.6", "--drafts-dir", str(tmp_path))
    assert code == 0
    path = Path(out.strip())
    assert path.parent == tmp_path and path.is_file()
    code, _, err = run_cli(capsys, "new", "--direction", "1.6", "-o", str(path))
    assert code == 2 and "already exists" in err
    code, _, err = run_cli(capsys, "new", "--direction", "7.7", "-o", str(tmp_path / "x.toml"))
    assert code == 2 and "unknown direction" in err


def test_other_guide_file_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "data" / "directions.toml").read_text("utf-8")
    other = tmp_path / "g.toml"
    other.write_text(text.replace('id = "2020"', 'id = "2021"', 1), "utf-8")
    code, out, _ = run_cli(capsys, "--guide", str(other), "directions", "--json")
    assert code == 0 and json.loads(out)["guide"] == "2021"
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('severity = "error"', 'severity = "fatal"', 1), "utf-8")
    code, _, err = run_cli(capsys, "directions", "--guide", str(broken))
    assert code == 2 and "severity" in err


def test_cli_does_not_import_textual() -> None:
    probe = (
        "import sys; from wizard.cli import main; "
        "main(['directions']); assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_the_program_runs_the_cli_without_textual_until_a_screen_opens() -> None:
    """The `wizard` program (the console script and `python -m wizard`) is the core's
    command line with the terminal wizard plugged in; a command opens no screen and loads
    no Textual."""
    probe = (
        "import sys; from screens.launcher import main; "
        "main(['directions']); assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_core_cli_opens_screens_only_through_the_runner_it_is_given(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    code, _, err = run_cli(capsys, "open", str(path))
    assert code == 2 and "terminal wizard is not available" in err  # no runner, no screens
    calls: list[tuple[object, ...]] = []

    def tui(folder: Path, guide: Guide | None, lang: str, open_path: Path | None) -> int:
        calls.append((folder, guide, lang, open_path))
        return 0

    assert main(["open", str(path), "--lang", "en"], tui=tui) == 0
    assert main(["--drafts-dir", str(tmp_path)], tui=tui) == 0
    assert calls == [(tmp_path, None, "en", path), (tmp_path, None, "zh", None)]


def test_new_opens_the_wizard_only_in_a_terminal_and_only_with_a_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    opened: list[Path | None] = []

    def tui(folder: Path, guide: Guide | None, lang: str, open_path: Path | None) -> int:
        opened.append(open_path)
        return 0

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    argv = ["new", "--direction", "1.6", "--drafts-dir", str(tmp_path)]
    assert main([*argv, "--title", "a"], tui=tui) == 0
    assert main([*argv, "--title", "b", "--no-open"], tui=tui) == 0
    assert main([*argv, "--title", "c"]) == 0  # the core alone: the file, no screens
    assert opened == [tmp_path / "a.toml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "b.toml", "c.toml"]


def test_launcher_opens_the_terminal_wizard(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.app
    from screens.launcher import main as program

    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    opened: list[tuple[object, ...]] = []

    def run_app(folder: Path, guide: Guide | None, lang: str, open_path: Path | None) -> int:
        opened.append((folder, guide, lang, open_path))
        return 0

    monkeypatch.setattr(screens.app, "run_app", run_app)
    assert program(["open", str(path)]) == 0
    assert opened == [(tmp_path, None, "zh", path)]


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
    _, out, _ = run_cli(capsys, "directions")
    assert "申报截止 2020-06-15 16:00" in out


# -- output is inert, whatever the names (issue 11, item 9) ------------------------------------

HOSTILE = "x\x9b2J\x1b]52;c;aGk=\x07\u202eabc"


def test_check_json_escapes_every_control_bidi_and_surrogate(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    undecodable = Path(os.fsdecode(b"bad-\xff-name.toml"))  # not UTF-8: a surrogate escape
    for n, name in enumerate((f"{HOSTILE}.toml", undecodable)):
        draft = clean_draft(guide, "1.9")
        draft.project.title = f"同名 {HOSTILE}"  # the cross-draft message quotes it
        # Another leader each (the same leader in two drafts is an error of its own).
        leader_of(draft).id_number = resident_id(date(1975, 5, 1), 7 + n)
        leader_of(draft).name = f"张{n}"
        draft.tasks[0].leader = leader_of(draft).name
        save_draft(draft, tmp_path / name)
        write_attachments(draft, tmp_path)  # every attached file beside the drafts
    code, out, _ = run_cli(capsys, "check", str(tmp_path), "--json")
    raw = out.encode("utf-8", "surrogateescape")  # the bytes a terminal or a pipe gets
    raw.decode("utf-8")  # valid UTF-8
    for bad in ("\x9b", "\x1b", "\x07", "\u202e", "\udcff"):
        assert bad not in out, repr(bad)
    report = json.loads(out)
    names = sorted(Path(f["path"]).name for f in report["files"])
    assert names == sorted([f"{HOSTILE}.toml", os.fsdecode(b"bad-\xff-name.toml")])
    messages = [v["message"] for f in report["files"] for v in f["violations"]]
    assert any(HOSTILE in m for m in messages)  # escaped on the wire, intact once parsed
    assert code == 0


def test_plain_check_never_lets_a_name_start_a_line(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = "a.toml\nother.toml  [1.9]  错误 0，警告 0，提示 0"
    draft = clean_draft(guide, "1.9")
    draft.project.title = "t\nother.toml  [1.9]  错误 0"
    save_draft(draft, tmp_path / f"{fake}.toml")
    save_draft(draft, tmp_path / "b.toml")
    (tmp_path / "c\nd.toml").write_text("not toml [")
    _, out, _ = run_cli(capsys, "check", str(tmp_path))
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith("other.toml")]
    assert not [line for line in lines if line.startswith("d.toml")]
    assert "a.toml\\x0aother.toml" in out and "c\\x0ad.toml" in out


# -- files named on the command line (issue 11, items 4, 5, 10) --------------------------------

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")


@fifo_only
@pytest.mark.parametrize(
    "argv",
    [["check", "{f}"], ["check", "{f}", "--json"], ["export", "{f}"], ["open", "{f}"]],
    ids=["check", "check-json", "export", "open"],
)
def test_a_fifo_is_refused_at_once_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    code, out, err = run_cli(capsys, *[a.format(f=fifo) for a in argv])
    assert time.monotonic() - started < 2
    assert code == 2 and "FIFO" in out + err and "Traceback" not in out + err


def draft_beside(guide: Guide, folder: Path, name: str, text: str) -> tuple[Path, Path]:
    """A clean 1.9 draft saved as `folder`/a.toml, and the file `name` beside it holding
    someone's `text`."""
    draft = save_draft(clean_draft(guide, "1.9"), folder / "a.toml")
    target = folder / name
    target.write_text(text)
    return draft, target


def test_export_never_overwrites_without_force_and_never_makes_folders(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft, target = draft_beside(guide, tmp_path, "notes.md", "someone's notes")
    code, _, err = run_cli(capsys, "export", str(draft), "-o", str(target))
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text() == "someone's notes"
    code, _, _ = run_cli(capsys, "export", str(draft), "-o", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# ")
    missing = tmp_path / "no" / "such" / "out.md"
    code, _, err = run_cli(capsys, "export", str(draft), "-o", str(missing))
    assert code == 2 and "no such folder" in err and "not created" in err
    assert not (tmp_path / "no").exists()
    code, _, err = run_cli(capsys, "new", "--direction", "1.6", "-o", str(missing))
    assert code == 2 and "no such folder" in err and not (tmp_path / "no").exists()


def test_export_force_keeps_a_read_only_file(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft, target = draft_beside(guide, tmp_path, "final.md", "signed off")
    target.chmod(0o444)
    code, _, err = run_cli(capsys, "export", str(draft), "-o", str(target), "--force")
    assert code == 2 and "read-only" in err and err.count("\n") == 1
    assert target.read_text() == "signed off"
