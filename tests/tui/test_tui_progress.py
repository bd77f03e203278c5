"""The stepper tells the truth: ✓ and 100 % only for a complete, error-free section."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.factories import clean_draft, write_attachments
from tests.helpers import editor, make_app, wait_check
from wizard.guide import Guide
from wizard.store import save_draft


def stepper_lines(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    stepper = editor(app).query_one("#stepper", OptionList)
    out = {}
    for option in stepper.options:
        title, _, mark = str(option.prompt).partition("\n")
        out[title] = mark.strip()
    return out


async def test_new_draft_stepper_claims_nothing_done(tmp_path: Path, guide: Guide) -> None:
    app = make_app(tmp_path, guide, new_direction="1.6")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await wait_check(pilot)
        lines = stepper_lines(app)
        assert "✓" not in lines["企业与配套"] and "100%" not in lines["企业与配套"]
        assert "✓" not in lines["检查与定稿"]
        assert all("100%" not in mark for mark in lines.values()), lines


async def test_review_not_ticked_while_an_error_remains(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    path = save_draft(draft, tmp_path / "d.toml")
    write_attachments(draft, tmp_path)
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await wait_check(pilot)
        assert stepper_lines(app)["检查与定稿"].startswith("✓")
        ed = editor(app)
        ed.draft.units[0].credit_code = "bad"
        ed.edited("units[0].credit_code")
        await wait_check(pilot)
        lines = stepper_lines(app)
        assert lines["检查与定稿"].startswith("✗1"), lines
        assert lines["中方单位"].startswith("✗1") and "100%" not in lines["中方单位"]
