"""Undo and redo in the editor, and a unit's deletion that can be taken back (issue 10, item 3)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.widgets import Button, Input

from screens._textual_compat import notification_messages
from tests.helpers import editing, settle_until
from wizard.draft import Unit, new_draft
from wizard.guide import Guide
from wizard.store import save_draft


def _draft(tmp_path: Path, section: str = "project") -> Path:
    draft = new_draft("1.6")
    draft.units = [
        Unit(name="牵头大学", role="lead", kind="university", funding=Decimal(600)),
        Unit(name="参与研究所", kind="institute", funding=Decimal(200)),
    ]
    draft.meta.last_section = section
    return save_draft(draft, tmp_path / "undo.toml")


def _notices(app: Any) -> list[str]:
    return notification_messages(app)


async def test_deleting_a_unit_says_so_moves_focus_and_ctrl_z_brings_it_back(
    tmp_path: Path, guide: Guide
) -> None:
    async with editing(tmp_path, guide, open_path=_draft(tmp_path, "units")) as (app, pilot, ed):
        remove = ed.query_one("#units-remove", Button)
        remove.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [u.name for u in ed.draft.units] == ["参与研究所"]
        # The notice is the app's message, not the screen's: under load it lands a frame later.
        await settle_until(pilot, lambda: bool(_notices(app)))
        assert any("牵头大学" in n and "600.00" in n and "Ctrl+Z" in n for n in _notices(app))
        assert app.screen.focused is not remove  # a second Enter does not remove another
        await pilot.press("enter")
        await pilot.pause()
        assert len(ed.draft.units) == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [u.name for u in ed.draft.units] == ["牵头大学", "参与研究所"]
        assert ed.draft.units[0].funding == Decimal(600) and ed.draft.units[0].role == "lead"
        assert ed.current == "units"
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert [u.name for u in ed.draft.units] == ["参与研究所"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        ed.flush()
    from wizard.store import load_draft

    saved = load_draft(tmp_path / "undo.toml")
    assert [u.name for u in saved.units] == ["牵头大学", "参与研究所"]


async def test_undo_goes_back_field_by_field_and_shows_the_field(
    tmp_path: Path, guide: Guide
) -> None:
    async with editing(tmp_path, guide, open_path=_draft(tmp_path)) as (app, pilot, ed):
        title = ed.current_form.boxes["project.title"].editor
        title_en = ed.current_form.boxes["project.title_en"].editor
        assert isinstance(title, Input) and isinstance(title_en, Input)
        title.focus()
        await pilot.press("中", "欧")
        title_en.focus()
        await pilot.pause()
        await pilot.press("E", "U")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ed.draft.project.title == "中欧" and ed.draft.project.title_en == ""
        assert title_en.value == "" and app.screen.focused is title_en
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ed.draft.project.title == "" and title.value == ""
        assert app.screen.focused is title
        await pilot.press("ctrl+z")  # nothing left: said, not an error
        await pilot.pause()
        assert any("没有可撤销" in n for n in _notices(app))


async def test_more_than_a_hundred_edits_can_be_undone(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, open_path=_draft(tmp_path)) as (_app, _pilot, ed):
        title = ed.current_form.boxes["project.title"].editor
        title_en = ed.current_form.boxes["project.title_en"].editor
        assert isinstance(title, Input) and isinstance(title_en, Input)
        for n in range(60):  # alternating fields: 120 steps
            title.value = f"标题{n}"
            title_en.value = f"title {n}"
        for _ in range(120):
            await ed.action_undo()
        assert ed.draft.project.title == "" and ed.draft.project.title_en == ""
        assert title.value == ""


async def test_undo_keeps_and_restores_unreadable_text_and_moves_carry_it(
    tmp_path: Path, guide: Guide
) -> None:
    async with editing(tmp_path, guide, open_path=_draft(tmp_path, "units")) as (_app, pilot, ed):
        form = ed.current_form
        funding = form.boxes["units[].funding"].editor
        assert isinstance(funding, Input)
        funding.value = "六百多"  # unreadable: kept as typed, an error
        await pilot.pause()
        assert ed.draft.meta.unparsed == {"units[0].funding": "六百多"}
        await ed.show_section("team")
        name = ed.current_form.boxes["team[].name"].editor
        assert isinstance(name, Input)
        name.value = "李明"
        await pilot.pause()
        await ed.action_undo()  # undoes the leader's name only
        assert ed.draft.team[0].name == ""
        assert ed.draft.meta.unparsed == {"units[0].funding": "六百多"}
        await ed.action_undo()  # now the unreadable text itself
        assert ed.draft.meta.unparsed == {}
        await ed.action_redo()
        assert ed.draft.meta.unparsed == {"units[0].funding": "六百多"}
        # Moving the unit down moves its kept text with it, not onto the other unit.
        ed.query_one("#units-down", Button).press()
        await pilot.pause()
        assert [u.name for u in ed.draft.units] == ["参与研究所", "牵头大学"]
        assert ed.draft.meta.unparsed == {"units[1].funding": "六百多"}
