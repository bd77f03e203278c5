"""The editor's first frame (issue 15, Speed: open a draft to its first section): drawn once,
before what waits for it, and a terminal that reports the size the app already has does not
make it lay the whole screen out again (screens/_textual_compat.py, "The first frame").
bench/tui.py measures the same with the real `wizard open` in a pty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual._compositor import Compositor
from textual.screen import Screen

from screens._textual_compat import post_as_driver
from tests.helpers import make_app, settle_until, typing_draft
from wizard.guide import Guide
from wizard.session import EditSession


def _record_frames(monkeypatch: pytest.MonkeyPatch, log: list[tuple[str, int]]) -> None:
    """Each frame the compositor makes for the terminal, with the app's batch depth then."""
    original = Compositor.render_update

    def render_update(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        from textual._context import active_app

        log.append(("frame", active_app.get()._batch_count))
        return original(compositor, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", render_update)


async def test_the_first_frame_is_not_drawn_to_be_dropped_and_the_check_follows_it(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual drew the editor inside its start-up batch and dropped that frame (≈ 40 ms on
    a large draft); the first check, queued for after the first frame, ran before any frame
    had reached the terminal (≈ 60 ms more before the applicant saw anything)."""
    log: list[tuple[str, int]] = []
    _record_frames(monkeypatch, log)
    original_check = EditSession.check

    def check(session: EditSession, *args: Any, **kwargs: Any) -> Any:
        log.append(("check", 0))
        return original_check(session, *args, **kwargs)

    monkeypatch.setattr(EditSession, "check", check)
    path = typing_draft(tmp_path, "first.toml", "1.4")
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_until(pilot, lambda: ("check", 0) in log)
        assert not app.starting
    dropped = [entry for entry in log if entry[0] == "frame" and entry[1] > 0]
    assert dropped == [], f"{len(dropped)} frame(s) drawn inside the start-up batch"
    first_check = log.index(("check", 0))
    assert ("frame", 0) in log[:first_check], "the first check ran before the first frame"


async def test_a_resize_to_the_same_size_repaints_without_a_new_layout(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal reports its size as the wizard starts (the size the app already has):
    Textual laid the whole editor out again for it (≈ 80 ms on a large draft). The picture
    is drawn again (a re-attached terminal needs it), the layout is not; a real resize is
    laid out as before."""
    path = typing_draft(tmp_path, "resize.toml", "1.4")
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_until(pilot, lambda: app.screen.__class__.__name__ == "EditorScreen")
        await pilot.pause(0.1)
        layouts: list[object] = []
        frames: list[tuple[str, int]] = []
        original_layout = Screen._refresh_layout

        def refresh_layout(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
            layouts.append(args or kwargs)
            original_layout(screen, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", refresh_layout)
        _record_frames(monkeypatch, frames)
        post_as_driver(app, events.Resize(app.size, app.size))
        await pilot.pause(0.1)
        assert layouts == [], "a resize to the same size laid the screen out again"
        assert frames, "the screen was not drawn again"

        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.1)
        assert layouts, "a real resize was not laid out"
        assert app.screen.size == (100, 30)
