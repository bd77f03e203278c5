"""Keys typed right after a focus move land in the newly focused field (issue 10, item 2).

The real `wizard` command in a pty: each burst is ONE write (as a fast typist, a paste or a
key-repeat produces), so every key of it is already waiting when the focus-moving key is
handled. Before the fix, Textual forwarded the following keys to the field that had focus,
and `End Tab 1` turned `equipment = 100` into `1001`.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, OptionList

from bench.pty_driver import PtyApp
from screens._textual_compat import post_as_driver
from screens.app import WizardApp
from screens.editor import EditorScreen
from wizard.draft import Draft, new_draft
from wizard.guide import Guide
from wizard.store import load_draft, save_draft

ROOT = Path(__file__).resolve().parent.parent

needs_pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

TAB, SHIFT_TAB = b"\t", b"\x1b[Z"
F7, F8 = b"\x1b[18~", b"\x1b[19~"
BURSTS = 200


def _open(path: Path) -> PtyApp:
    app = PtyApp(
        [sys.executable, "-m", "wizard", "open", str(path)], cols=120, rows=40, cwd=str(ROOT)
    )
    app.wait_for("项目名称", timeout=60)
    app.wait_until(lambda s: "检查中" not in s, timeout=30)
    return app


def _settle(app: PtyApp, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.pump(0.02)


def _quit(app: PtyApp) -> None:
    _settle(app, 0.5)
    app.send(b"\x11")  # ctrl+q saves pending text first
    assert app.wait_exit(timeout=30) == 0


@needs_pty
def test_keys_after_tab_and_shift_tab_land_in_the_new_field(tmp_path: Path) -> None:
    draft = new_draft("1.6")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title"
    path = save_draft(draft, tmp_path / "tab.toml")
    app = _open(path)
    pace = random.Random(10)
    try:
        for _ in range(BURSTS):
            # a in the title, Tab, b in the English title, Shift+Tab back: one write.
            app.send(b"a" + TAB + b"b" + SHIFT_TAB)
            # Bursts a few ms to ~a check/autosave interval apart, so checks, chrome updates
            # and autosaves run between and during them.
            _settle(app, pace.choice((0.0, 0.005, 0.02, 0.06, 0.15)))
        _quit(app)
    finally:
        app.close()
    saved = load_draft(path)
    assert saved.project.title == "a" * BURSTS
    assert saved.project.title_en == "b" * BURSTS


@needs_pty
def test_keys_after_section_switch_land_in_the_new_section(tmp_path: Path) -> None:
    draft = new_draft("1.6")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title"
    path = save_draft(draft, tmp_path / "f8.toml")
    app = _open(path)
    pace = random.Random(11)
    try:
        for _ in range(BURSTS // 4):
            # c in the title, F8 to the units section (its first field, the lead unit's name), d
            # there, F7 back.
            app.send(b"c" + F8 + b"d" + F7)
            _settle(app, pace.choice((0.0, 0.02, 0.1)))
        _quit(app)
    finally:
        app.close()
    saved = load_draft(path)
    assert saved.project.title == "c" * (BURSTS // 4)
    assert saved.units[0].name == "d" * (BURSTS // 4)  # the first field of the units form


# -- the same in Pilot: a burst posted as the terminal driver posts one read's keys ----------


def burst(app: Any, *keys: str) -> None:
    """Queue `keys` on the app at once, as the driver does for keys read in one go (Pilot's
    own `press` waits for the app to be idle after every key, which hides the race)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else ("\r" if key == "enter" else None))
        event.set_sender(app)
        post_as_driver(app, event)


async def _editor(tmp_path: Path, guide: Guide, draft: Draft) -> tuple[WizardApp, Path]:
    path = save_draft(draft, tmp_path / "burst.toml")
    return WizardApp(tmp_path, guide, open_path=path), path


async def test_key_after_enter_on_a_problem_lands_in_the_field_it_jumps_to(
    tmp_path: Path, guide: Guide
) -> None:
    draft = new_draft("1.6")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title_en"
    app, _ = await _editor(tmp_path, guide, draft)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = app.screen
        assert isinstance(ed, EditorScreen)
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
    draft = new_draft("1.6")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title"
    app, _ = await _editor(tmp_path, guide, draft)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = app.screen
        assert isinstance(ed, EditorScreen)
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
