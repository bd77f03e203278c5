"""Keys queued right after a focus move land in the newly focused field (issue 10, item 2).

In Pilot: a burst is posted as the terminal driver posts one read's keys, so every key of it
is already waiting when the focus-moving key is handled. The same with the real `wizard` in
a pty: tests/pty/test_pty_keys_land.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input, OptionList

from screens._textual_compat import post_as_driver
from tests.helpers import editing, typing_draft
from wizard.guide import Guide

# -- the same in Pilot: a burst posted as the terminal driver posts one read's keys ----------


def burst(app: Any, *keys: str) -> None:
    """Queue `keys` on the app at once, as the driver does for keys read in one go (Pilot's
    own `press` waits for the app to be idle after every key, which hides the race)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else ("\r" if key == "enter" else None))
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
