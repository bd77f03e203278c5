"""The collector's pauses (screens/heap.py): a built form is kept out of the collector's
walk, and the forms an editor drops (F2, a direction switch, leaving) are freed, not kept."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from screens.heap import SETTLE_SECONDS
from tests.helpers import editing, settle_until, typing_draft
from wizard.guide import Guide


async def test_a_built_form_is_kept_out_of_the_collectors_walk(
    tmp_path: Path, guide: Guide
) -> None:
    path = typing_draft(tmp_path, "heap.toml", "1.6", "project.title")
    gc.unfreeze()
    try:
        async with editing(tmp_path, guide, open_path=path) as (_app, pilot, ed):
            await settle_until(pilot, lambda: ed.checked)
            gc.unfreeze()
            assert gc.get_freeze_count() == 0
            await ed.show_section("units")
            await settle_until(pilot, lambda: gc.get_freeze_count() > 0)
            assert gc.is_tracked(ed.forms["units"])
    finally:
        gc.unfreeze()


async def test_the_forms_dropped_on_a_language_switch_are_freed(
    tmp_path: Path, guide: Guide
) -> None:
    path = typing_draft(tmp_path, "heap.toml", "1.6", "project.title")
    try:
        async with editing(tmp_path, guide, open_path=path) as (_app, pilot, ed):
            await settle_until(pilot, lambda: ed.checked)
            await ed.show_section("units")
            await pilot.pause()
            dropped = weakref.ref(ed.forms["units"])
            await pilot.press("f2")  # the language: every form is built anew
            await settle_until(pilot, lambda: ed.lang == "en" and bool(ed.forms))
            await pilot.pause(SETTLE_SECONDS * 2)  # the new forms are kept: the heap frozen
            await settle_until(pilot, lambda: gc.get_freeze_count() > 0)
            gc.collect()
            assert dropped() is None, "a dropped form was kept (frozen, or held by a signal)"
    finally:
        gc.unfreeze()
