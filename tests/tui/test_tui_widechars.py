"""Chinese text drawn over other widgets (notices, dropdowns) is shown whole (issue 10, obs. 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.widgets import Button, Static

from screens import _textual_compat as compositor
from screens._textual_compat import Toast, screen_strips, toast_message
from tests.factories import clean_draft, v2_draft
from tests.helpers import (
    CLOCK,
    at_section,
    editor,
    editor_ready,
    make_app,
    screen_text,
    settle_until,
)
from wizard.guide import Guide
from wizard.store import save_draft


def ready_draft(tmp_path: Path, guide: Guide) -> Path:
    draft = clean_draft(guide, "1.4")
    draft.meta.status = "ready"
    draft.meta.updated = CLOCK
    path = tmp_path / "ready.toml"
    save_draft(draft, path, touch=False)
    return path


async def toast_shown(pilot: Pilot[Any], text: str) -> str:
    """Wait until a toast with `text` is on screen; the text drawn in its box, joined."""

    def shown() -> list[Toast]:
        return [t for t in pilot.app.screen.query(Toast) if toast_message(t) == text]

    await settle_until(pilot, lambda: bool(shown()) and bool(shown()[0].region))
    await pilot.wait_for_scheduled_animations()  # the toast has slid into place
    region = shown()[0].region
    # What the screen draws there (the compositor's lines: what the terminal is sent).
    lines = screen_strips(pilot.app.screen)[region.y : region.bottom]
    return "".join(line.crop(region.x, region.right).text.strip(" ▌") for line in lines)


async def test_back_to_draft_notice_keeps_its_words(tmp_path: Path, guide: Guide) -> None:
    """Editing a ready draft says `已修改：状态改回“草稿”。`, not `状态改回“    ”`: the notice
    lies over the form's scrollbar and the problems panel, whose edges used to cut 草稿."""
    app = make_app(tmp_path, guide, open_path=ready_draft(tmp_path, guide))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        ed = editor(app)
        await pilot.press("x")  # into the focused title
        assert ed.draft.meta.status == "draft"
        shown = await toast_shown(pilot, "已修改：状态改回“草稿”。")
        assert shown == "已修改：状态改回“草稿”。"


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_export_notice_keeps_its_words(
    tmp_path: Path, guide: Guide, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, guide, open_path=ready_draft(tmp_path, guide))
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        ed = editor(app)
        await ed.show_section("review")
        await pilot.pause()
        ed.query_one("#export", Button).press()
        text = "已导出：ready.zh.html, ready.zh.md（与草稿同一文件夹）"
        shown = await toast_shown(pilot, text)
        assert shown.replace(" ", "") == text.replace(" ", "")


def restore(installed: bool) -> None:
    if installed:
        compositor.install_whole_wide_characters()
    else:
        compositor.uninstall_whole_wide_characters()


class Overlap(App[None]):
    """A wide-character line over four narrow widgets whose edges cross its characters."""

    CSS = """
    Horizontal { height: 3; }
    Horizontal Static { width: 3; height: 3; }
    #over { layer: above; offset: 0 1; width: 30; height: 1; }
    Screen { layers: below above; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            for i in range(6):
                yield Static("abc", id=f"s{i}")
        yield Static("中文字符不被切开", id="over")


@pytest.mark.parametrize("fixed", [True, False])
async def test_edges_beneath_do_not_cut_wide_characters(fixed: bool) -> None:
    """The cause: Textual cut a widget's line at the edges of the widgets beneath it."""
    was = compositor.whole_wide_characters_installed()
    compositor.uninstall_whole_wide_characters()
    if fixed:
        compositor.install_whole_wide_characters()
    try:
        app = Overlap()
        async with app.run_test(size=(40, 6)) as pilot:
            await pilot.pause()
            line = screen_text(app).splitlines()[1]  # type: ignore[arg-type]
    finally:
        restore(was)
    if fixed:
        assert line.startswith("中文字符不被切开")
    else:  # Textual's own compositor (this test fails once Textual fixes #6357: drop it)
        assert not line.startswith("中文字符不被切开")


async def test_screens_without_overlays_draw_as_before(tmp_path: Path, guide: Guide) -> None:
    """Where nothing lies over anything, the screen is drawn exactly as Textual draws it."""
    was = compositor.whole_wide_characters_installed()
    pictures = []
    for fixed in (False, True):
        folder = tmp_path / str(fixed)
        folder.mkdir()
        path = ready_draft(folder, guide)
        compositor.uninstall_whole_wide_characters()
        if fixed:
            compositor.install_whole_wide_characters()
        try:
            app = make_app(folder, guide)

            async def shot(app: Any = app, path: Path = path) -> str:
                async with app.run_test(size=(80, 24)) as pilot:
                    await pilot.app.workers.wait_for_complete()
                    await pilot.pause()
                    app.open_draft(path)
                    await editor_ready(pilot)
                    for widget in app.screen.query("Input, TextArea"):
                        widget.cursor_blink = False
                    await pilot.pause()
                    return screen_text(app)

            pictures.append(await shot())
        finally:
            restore(was)
    assert pictures[0] == pictures[1]


async def test_a_partial_update_leaves_the_terminal_as_a_full_redraw_would(
    tmp_path: Path, guide: Guide
) -> None:
    """screens/_textual_compat._line_renders asks the widgets for the drawn lines only: what a
    partial update writes over the last frame must equal a whole new frame, for a key's field,
    the bars at the top and bottom, the stepper and the problems panel, alone and together."""
    import pyte
    from rich.console import Console

    from screens.widgets.bars import StatusBar, TitleBar

    def terminal(*updates: Any) -> list[str]:
        screen = pyte.Screen(120, 40)
        stream = pyte.ByteStream(screen)
        console = Console(width=120, height=40, force_terminal=True, color_system="truecolor")
        for update in updates:
            stream.feed(update.render_segments(console).encode("utf-8"))
        return list(screen.display)

    draft = v2_draft(guide)
    async with at_section(tmp_path, guide, draft, "project") as (pilot, ed):
        await settle_until(pilot, lambda: ed.checked)
        compositor = ed._compositor
        title = ed.current_form.boxes["project.title"].editor
        groups = [
            [title],
            [ed.query_one(TitleBar), ed.query_one(StatusBar)],
            [ed.stepper],
            [ed.problems.violation_list],
            [title, ed.stepper, ed.problems.violation_list, ed.query_one(StatusBar)],
        ]
        for widgets in groups:
            before = compositor.render_update(full=True, screen_stack=[])
            for widget in widgets:
                widget.refresh()
            compositor.update_widgets(set(widgets))
            partial = compositor.render_update(screen_stack=[])
            assert partial is not None
            after = compositor.render_update(full=True, screen_stack=[])
            assert terminal(before, partial) == terminal(after), [type(w).__name__ for w in widgets]
