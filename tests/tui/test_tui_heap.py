"""The collector's pauses (screens/heap.py): a built form is kept out of the collector's
walk, and the forms an editor drops (F2, a direction switch, leaving) are freed, not kept."""

from __future__ import annotations

import contextlib
import gc
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

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


@contextlib.asynccontextmanager
async def units_shown(tmp_path: Path, guide: Guide) -> AsyncIterator[tuple[Pilot[Any], Any]]:
    """An editor, checked, its 中方单位 form built and shown; the heap unfrozen after."""
    path = typing_draft(tmp_path, "heap.toml", "1.6", "project.title")
    try:
        async with editing(tmp_path, guide, open_path=path) as (_app, pilot, ed):
            await settle_until(pilot, lambda: ed.checked)
            await ed.show_section("units")
            await pilot.pause()
            yield pilot, ed
    finally:
        gc.unfreeze()


async def test_the_forms_dropped_on_a_language_switch_are_freed(
    tmp_path: Path, guide: Guide
) -> None:
    async with units_shown(tmp_path, guide) as (pilot, ed):
        # The project form has a narrative field (a TextArea): Textual's theme watcher kept
        # it, and its form, alive (OrderedKeys._on_unmount).
        dropped = {name: weakref.ref(form) for name, form in ed.forms.items()}
        assert set(dropped) == {"project", "units"}
        await pilot.press("f2")  # the language: every form is built anew
        await settle_until(pilot, lambda: ed.lang == "en" and bool(ed.forms))
        await pilot.pause(SETTLE_SECONDS * 2)  # the new forms are kept: the heap frozen
        await settle_until(pilot, lambda: gc.get_freeze_count() > 0)
        gc.collect()
        kept = sorted(name for name, ref in dropped.items() if ref() is not None)
        assert kept == [], f"dropped forms kept (frozen, or held by a signal): {kept}"


async def test_a_dropped_form_still_held_when_the_heap_would_freeze_is_freed_later(
    tmp_path: Path, guide: Guide
) -> None:
    """On a loaded machine a removed form's last references (the compositor's map until the
    next layout) can outlive SETTLE_SECONDS: frozen then, it was never freed. The freeze now
    waits for the forms dropped at the release (`make stress` caught the test above)."""
    async with units_shown(tmp_path, guide) as (pilot, ed):
        held = [ed.forms["units"]]  # as a lagging reference would
        dropped = weakref.ref(held[0])
        await pilot.press("f2")
        await settle_until(pilot, lambda: ed.lang == "en" and bool(ed.forms))
        await pilot.pause(SETTLE_SECONDS * 2)  # the freeze's first moment: still held
        assert gc.get_freeze_count() == 0, "frozen while a dropped form was alive"
        held.clear()
        await pilot.pause(SETTLE_SECONDS * 2)
        await settle_until(pilot, lambda: gc.get_freeze_count() > 0)
        gc.collect()
        assert dropped() is None, "the dropped form was frozen, never to be freed"
