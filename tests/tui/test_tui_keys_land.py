"""Keys queued right after a focus move land in the newly focused field (issue 10, item 2).

In Pilot: a burst is posted as the terminal driver posts one read's keys, so every key of it
is already waiting when the focus-moving key is handled. The same with the real `wizard` in
a pty: tests/pty/test_pty_keys_land.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Checkbox, Input, OptionList, TextArea

from screens._textual_compat import post_as_driver
from tests.factories import v2_draft
from tests.helpers import at_section, editing, make_app, typing_draft
from wizard.guide import Guide

# -- the same in Pilot: a burst posted as the terminal driver posts one read's keys ----------


CHARACTERS = {"enter": "\r", "space": " "}


def burst(app: Any, *keys: str) -> None:
    """Queue `keys` on the app at once, as the driver does for keys read in one go (Pilot's
    own `press` waits for the app to be idle after every key, which hides the race)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else CHARACTERS.get(key))
        event.set_sender(app)
        post_as_driver(app, event)


async def test_key_after_enter_on_a_problem_lands_in_the_field_it_jumps_to(
    tmp_path: Path, guide: Guide
) -> None:
    path = typing_draft(tmp_path, "burst.toml", "1.6", "project.title_en")
    async with editing(tmp_path, guide, open_path=path) as (app, pilot, ed):
        await pilot.wait_for_scheduled_animations()
        ed.run_check()
        burst(app, "f9", "enter", "z")
        await pilot.pause()
        await pilot.pause()
        focused = app.screen.focused
        target = getattr(focused, "field_pattern", None)
        assert target is not None and target != "project.title_en", focused
        assert isinstance(focused, Input) and focused.value.endswith("z")
        assert ed.draft.project.title_en == ""


async def test_key_after_enter_on_the_section_list_lands_in_that_section(
    tmp_path: Path, guide: Guide
) -> None:
    path = typing_draft(tmp_path, "burst.toml", "1.6", "project.title")
    async with editing(tmp_path, guide, open_path=path) as (app, pilot, ed):
        stepper = ed.query_one("#stepper", OptionList)
        stepper.focus()
        await pilot.pause()
        stepper.highlighted = ed.sections.index("units")
        burst(app, "enter", "y")
        await pilot.pause()
        await pilot.pause()
        assert ed.current == "units"
        assert ed.draft.units[0].name == "y"
        assert ed.draft.project.title == ""


# -- editing keys in a burst keep their order with the characters around them ---------------
#
# Backspace, Ctrl+U, Ctrl+W, Home, End, … are bindings of the field; Textual runs a widget's
# bindings only once the key has bubbled up to the app, one message queue per ancestor, while
# the characters typed after it are inserted by the field's own queue at once. Typed in one
# read ("End Ctrl+U 42"), the characters came first and the edit key was applied to them.


EDIT_BURSTS = [
    ("end", "ctrl+u", "A", "B", "C"),
    ("backspace", "x", "y", "left", "left", "home", "-", "end", "ctrl+w", "z"),
    ("home", "delete", "delete", "Q", "ctrl+k", "!"),
]


async def test_edit_keys_in_a_burst_apply_in_the_order_typed(tmp_path: Path, guide: Guide) -> None:
    """Each burst leaves the text that the same keys pressed one by one leave."""
    path = typing_draft(tmp_path, "burst.toml", "1.6", "project.title")
    async with editing(tmp_path, guide, open_path=path) as (app, pilot, ed):
        field = app.screen.focused
        assert isinstance(field, Input)
        for keys in EDIT_BURSTS:
            field.value, field.cursor_position = "hello world", 11
            await pilot.press(*keys)
            one_by_one = field.value
            field.value, field.cursor_position = "hello world", 11
            await pilot.pause()
            burst(app, *keys)
            await pilot.pause()
            await pilot.pause()
            assert (keys, field.value) == (keys, one_by_one)
            assert ed.draft.project.title == one_by_one


@pytest.mark.parametrize(
    ("section", "selector"),
    [
        ("narrative", "NarrativeBox > FieldArea"),  # a TextArea
        ("budget", "CellBox"),  # a money cell of the matrix (an input, its own box)
        ("team", "#team-filter"),  # a plain Input (the filter)
    ],
)
async def test_edit_keys_in_a_burst_keep_their_order_in_every_kind_of_field(
    tmp_path: Path, guide: Guide, section: str, selector: str
) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), section) as (pilot, ed):
        field = ed.query(selector).first()
        field.focus()
        await pilot.pause()
        for keys in EDIT_BURSTS:
            await put_text(pilot, field, "12 345")
            await pilot.press(*keys)
            one_by_one = text_of(field)
            await put_text(pilot, field, "12 345")
            burst(pilot.app, *keys)
            await pilot.pause()
            await pilot.pause()
            assert (keys, text_of(field)) == (keys, one_by_one)


def text_of(field: Any) -> str:
    return str(field.text if isinstance(field, TextArea) else field.value)


async def put_text(pilot: Any, field: Any, text: str) -> None:
    """The field holding `text`, the cursor at its end."""
    if isinstance(field, TextArea):
        field.load_text(text)
        field.move_cursor(field.document.end)
    else:
        field.value, field.cursor_position = text, len(text)
    await pilot.pause()


async def test_space_then_tab_in_one_go_ticks_each_box_it_was_typed_in(
    tmp_path: Path, guide: Guide
) -> None:
    """Space Tab Space Tab Space ticks the first three attestations: Tab (the app's own key)
    moved the focus before the box's Space binding ran, which then ticked the next box."""
    draft = v2_draft(guide, "1.4")
    draft.attest = {}
    async with at_section(tmp_path, guide, draft, "attest") as (pilot, ed):
        boxes = list(ed.current_form.query(Checkbox))
        assert len(boxes) >= 4
        boxes[0].focus()
        await pilot.pause()
        burst(pilot.app, "space", "tab", "space", "tab", "space")
        await pilot.pause()
        await pilot.pause()
        assert [b.value for b in boxes[:4]] == [True, True, True, False]
        assert sum(ed.draft.attest.values()) == 3


# -- choosing in a burst: a dropdown, the drafts table ---------------------------------------


@pytest.mark.xfail(
    strict=False,  # a race: never seen to pass, but a loaded machine must not fail CI on it
    reason="known, not fixed: the app forwards every key of a read to the closed Select "
    "before the Select has opened its list (Enter is the Select's own binding, run in its "
    "queue), and Tab, a priority binding, moves the focus in the app's queue before that: "
    "nothing is chosen and the letter lands two fields on. Fixing it means forwarding a key "
    "only once the last one has been handled (a change to every key's path).",
)
async def test_a_dropdown_choice_typed_in_one_go_is_the_choice_made_key_by_key(
    tmp_path: Path, guide: Guide
) -> None:
    """Enter (open), Down, Enter (choose), Tab, a letter: read in one go, the dropdown opens
    and closes on the same option, and the letter lands in the next field, as pressed one by
    one."""
    from textual.widgets import Select

    keys = ("enter", "down", "enter", "tab", "z")
    results = []
    for way in ("one by one", "burst"):
        folder = tmp_path / way.replace(" ", "-")
        folder.mkdir()
        path = typing_draft(folder, "select.toml", "1.6", "project.field")
        async with editing(folder, guide, open_path=path) as (app, pilot, ed):
            select = app.screen.focused
            assert isinstance(select, Select), select
            if way == "one by one":
                await pilot.press(*keys)
            else:
                burst(app, *keys)
                for _ in range(4):
                    await pilot.pause()
            focused = app.screen.focused
            results.append(
                (
                    ed.draft.project.field,
                    getattr(focused, "field_pattern", None),
                    getattr(focused, "value", None),
                )
            )
    assert results[0][0], "the key-by-key choice chose nothing"
    assert results[1] == results[0], f"burst {results[1]} vs key by key {results[0]}"


async def test_down_then_enter_in_one_go_on_the_drafts_opens_the_row_moved_to(
    tmp_path: Path, guide: Guide
) -> None:
    from textual.widgets import DataTable

    from screens.editor import EditorScreen
    from screens.home import HomeScreen
    from tests.factories import clean_draft
    from wizard.store import save_draft

    for i, code in enumerate(("1.4", "1.6", "1.9")):
        draft = clean_draft(guide, code)
        draft.project.title = f"草稿 {i}"
        save_draft(draft, tmp_path / f"d{i}.toml", touch=False)
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#drafts", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.pause()
        home_rows = [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(3)]
        burst(app, "down", "down", "enter")
        for _ in range(6):
            await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert str(app.screen.session.path) == home_rows[2]
