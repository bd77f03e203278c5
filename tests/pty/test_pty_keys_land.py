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

import pytest

from bench.pty_driver import PtyApp
from tests.helpers import POSIX, ROOT, typing_draft
from wizard.store import load_draft

pytestmark = [POSIX, pytest.mark.slow]

TAB, SHIFT_TAB = b"\t", b"\x1b[Z"
F7, F8 = b"\x1b[18~", b"\x1b[19~"
END, CTRL_U, BACKSPACE = b"\x1b[F", b"\x15", b"\x7f"

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
    # Half a second of quiet: the last burst's edits are applied before ctrl+q (a user who
    # quits mid-burst is the interrupt tests' case, not this one's). Pacing, not a wait.
    _settle(app, 0.5)
    app.send(b"\x11")  # ctrl+q saves pending text first
    assert app.wait_exit(timeout=30) == 0


def test_keys_after_tab_and_shift_tab_land_in_the_new_field(tmp_path: Path) -> None:
    path = typing_draft(tmp_path, "tab.toml", "1.6")
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


def test_keys_after_section_switch_land_in_the_new_section(tmp_path: Path) -> None:
    path = typing_draft(tmp_path, "f8.toml", "1.6")
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


def test_edit_keys_typed_in_one_go_apply_in_order(tmp_path: Path) -> None:
    """End, Ctrl+U, then new text, in one write: the field holds the new text. Before the
    fix the characters overtook Ctrl+U (a binding, run only once the key had bubbled up to
    the app) and the field ended up empty."""
    path = typing_draft(tmp_path, "edit.toml", "1.6")
    app = _open(path)
    pace = random.Random(12)
    try:
        for i in range(BURSTS // 4):
            # the title becomes "t<i>" each time: End, Ctrl+U, the text, one Backspace, "!"
            app.send(END + CTRL_U + f"t{i}x".encode() + BACKSPACE + b"!")
            _settle(app, pace.choice((0.0, 0.005, 0.02, 0.1)))
        _quit(app)
    finally:
        app.close()
    saved = load_draft(path)
    assert saved.project.title == f"t{BURSTS // 4 - 1}!"
