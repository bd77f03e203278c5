"""A rule that fails is reported, never ends the check (wizard/rules/engine.py `_findings`):
the editor and `wizard check` keep judging everything else, and the draft cannot be marked
ready on the failed rule's word."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdnum.cn import ric

from tests.factories import clean_draft
from tests.helpers import run_cli
from wizard.guide import Guide
from wizard.idcard import check_resident_id
from wizard.progress import section_of
from wizard.rules import evaluate
from wizard.rules.team import id_problem
from wizard.store import save_draft


def break_the_id_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-stdnum raising what it should not (as it did: KeyError for 119999…)."""

    def calc_check_digit(number: str) -> str:
        raise RuntimeError("boom")

    monkeypatch.delenv("WIZARD_DEBUG", raising=False)
    monkeypatch.setattr(ric, "calc_check_digit", calc_check_digit)
    check_resident_id.cache_clear()  # numbers judged by earlier tests are not asked again
    id_problem.cache_clear()


def test_the_failed_rule_is_an_error_and_the_others_are_judged(
    guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.title = ""  # another rule's problem, still found
    break_the_id_library(monkeypatch)
    found = evaluate(draft, guide)
    [failed] = [v for v in found if "未能检查" in v.message_zh]
    assert failed.severity == "error" and "RuntimeError" in failed.message_en
    assert failed.rule == "gen-team-id" and section_of(failed, guide) == "review"  # its panel
    assert any(v.path == "project.title" for v in found)


def test_wizard_check_reports_it_and_debug_lets_it_through(
    guide: Guide,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = clean_draft(guide, "1.6")
    path = save_draft(draft, tmp_path / "d.toml", touch=False)
    break_the_id_library(monkeypatch)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code != 70 and "internal error" not in err and "未能检查" in out
    monkeypatch.setenv("WIZARD_DEBUG", "1")
    with pytest.raises(RuntimeError):
        evaluate(draft, guide)
