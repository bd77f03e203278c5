"""The terminal wizard under stress, in Pilot: broken files, locks, leftovers, hostile text,
no network. The same with the real `wizard` in a pseudo-terminal (interrupts, the lock's
holder named, injected sequences): tests/pty/test_pty_reliability.py.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import DataTable, OptionList

from screens._textual_compat import notification_messages, render_frame
from screens.app import NoControlCharacters, WizardApp
from screens.dialogs import HelpDialog
from screens.editor import SAVE_DELAY, EditorScreen
from screens.home import HomeScreen
from tests.factories import (
    C1_CSI,
    CSI_CLEAR,
    HOSTILE_FILE,
    INJECTED_BYTES,
    OSC52,
    RLO,
    clean_draft,
    hostile_draft,
)
from tests.helpers import (
    editing,
    editor,
    figure,
    make_app,
    press_button,
    put,
    screen_text,
    settle_until,
    typing_draft,
    wait_check,
)
from wizard.cli import main
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.lock import DraftLock, owner_path
from wizard.store import MAX_DRAFT_BYTES, STALE_TEMP_SECONDS, draft_files, load_draft, save_draft

# -- broken files ------------------------------------------------------------------------------

BROKEN: dict[str, tuple[bytes, str]] = {
    "not-utf8": (b'schema_version = 1\ntitle = "\xff\xfe"\n', "not UTF-8 text"),
    "invalid-toml": (b"schema_version = 1\n[project\ntitle = [b]x[/b]\n", "not valid TOML"),
    "future-schema": (b"schema_version = 7\n", "written by a newer wizard"),
    "huge": (b"schema_version = 1\n" + b"# " + b"x" * (MAX_DRAFT_BYTES + 10) + b"\n", "larger"),
    "wrong-type": (
        b'schema_version = 1\ndirection = "1.6"\n[project]\nmonths = "[b]x"\n',
        "project.months",
    ),
}
HOSTILE_NAME = "broken [b]x [link=x]y [red] \x1b]52;c;aGk=\x07.toml"  # no "/" in a name


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("route", ["open-path", "home-list"])
@pytest.mark.parametrize("case", list(BROKEN))
async def test_broken_file_shows_error_dialog_and_is_never_written(
    tmp_path: Path, guide: Guide, case: str, route: str
) -> None:
    content, expected = BROKEN[case]
    path = tmp_path / HOSTILE_NAME
    path.write_bytes(content)
    before = snapshot(tmp_path)
    app = make_app(tmp_path, guide, open_path=path if route == "open-path" else None)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        if route == "home-list":
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert home.query_one("#drafts", DataTable).row_count == 1  # listed, as unreadable
            await pilot.press("enter")
            await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, HelpDialog), dialog
        body = str(dialog.body)
        assert expected in body
        assert "\x1b" not in body and "\\x1b]52;c;aGk=\\x07" in body  # escaped, visible
        shown = screen_text(app)
        assert all(
            tag in shown for tag in ("[b]x", "[link=x]y", "[red]")
        )  # may wrap  # markup kept literal
        assert not any(isinstance(s, EditorScreen) for s in app.screen_stack)
        await pilot.press("escape")
        # Nothing may be written in the autosave's window: a pause as long as that window
        # is the behaviour under test, not a wait for something to happen.
        await pilot.pause(SAVE_DELAY + 0.3)
        await app.action_quit()
    assert snapshot(tmp_path) == before  # same bytes, same mtime, no lock/temp file made


# -- the one-editor lock --------------------------------------------------------------------


async def test_draft_held_by_another_process_is_refused_naming_the_holder(
    tmp_path: Path, guide: Guide
) -> None:
    path = save_draft(new_draft("1.6"), tmp_path / "held.toml")
    before = path.read_bytes()
    holder = DraftLock(path)
    holder.acquire()
    try:
        for route in ("open-path", "home-list"):
            app = make_app(tmp_path, guide, open_path=path if route == "open-path" else None)
            async with app.run_test(size=(110, 32)) as pilot:
                await pilot.pause()
                if route == "home-list":
                    await pilot.press("enter")
                    await pilot.pause()
                assert isinstance(app.screen, HomeScreen), (route, app.screen)
                told = notification_messages(app)
                assert any(f"进程 {os.getpid()}" in m and "held.toml" in m for m in told), told
                await app.action_quit()
            assert path.read_bytes() == before
    finally:
        holder.release()
    # Released: the wizard opens it and holds the lock itself until it quits.
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (app, pilot, ed):
        assert ed.draft_lock is not None and ed.draft_lock.held
        await app.action_quit()
    assert not owner_path(path).exists()
    with DraftLock(path):
        pass


# -- leftover temp files --------------------------------------------------------------------


def aged(path: Path, data: bytes = b"half a save", seconds: float = 0) -> Path:
    path.write_bytes(data)
    if seconds:
        then = time.time() - seconds
        os.utime(path, (then, then))
    return path


async def test_stale_temp_files_are_swept_at_start(tmp_path: Path, guide: Guide) -> None:
    drafts = tmp_path / "drafts"
    elsewhere = tmp_path / "elsewhere"
    drafts.mkdir()
    elsewhere.mkdir()
    save_draft(new_draft("1.6"), drafts / "a.toml")
    opened = save_draft(new_draft("1.6"), elsewhere / "b.toml")
    old = STALE_TEMP_SECONDS + 3600
    stale = [
        aged(drafts / ".a.toml.k3j9x0q1.tmp", seconds=old),
        aged(drafts / ".gone.toml.abcdefgh.tmp", seconds=old),
        aged(elsewhere / ".b.toml.zzzzzzzz.tmp", seconds=old),
    ]
    kept = [
        aged(drafts / ".a.toml.fresh123.tmp"),  # a save may be writing it right now
        aged(elsewhere / ".b.toml.fresh123.tmp"),
        aged(elsewhere / ".not-ours.tmp", seconds=old),  # not the opened draft's
    ]
    app = make_app(drafts, guide, open_path=opened)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await app.action_quit()
    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


async def test_unreadable_drafts_folder_does_not_stop_the_start(
    tmp_path: Path, guide: Guide
) -> None:
    missing = tmp_path / "no-such-folder"
    app = make_app(missing, guide)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await app.action_quit()


# -- hostile text in drafts -----------------------------------------------------------------


def ansi(app: WizardApp) -> str:
    """What the app would write to a truecolor terminal for the current screen."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=app.size.width, height=app.size.height, force_terminal=True,
        color_system="truecolor", legacy_windows=False, safe_box=False,
    )  # fmt: skip
    console.print(render_frame(app))
    return buffer.getvalue()


def assert_clean(app: WizardApp, where: str) -> str:
    out = ansi(app).encode("utf-8")
    for injected in INJECTED_BYTES:
        assert injected not in out, (where, injected)
    return screen_text(app)


async def test_hostile_text_is_shown_escaped_on_every_screen(tmp_path: Path, guide: Guide) -> None:
    save_draft(hostile_draft(), tmp_path / HOSTILE_FILE)
    app = make_app(tmp_path, guide)
    screens = 0
    async with app.run_test(size=(130, 36)) as pilot:
        await pilot.pause()
        shown = assert_clean(app, "home")
        assert "evil\\x1b[2J[b]x[red]\\u202e.toml" in shown  # file name, escaped and literal
        assert "\\x1b]52;c;aGk=\\x07\\u202eevil [b]x[/b]" in shown  # title
        await pilot.press("enter")
        await pilot.pause()
        ed = editor(app)
        ed.all_scope = True
        for section in ed.sections:
            await ed.show_section(section)
            await pilot.pause()
            shown = assert_clean(app, section)
            screens += 1
            assert "\\x1b]52;c;aGk=\\x07" in shown, section  # the title bar, at least
            if section == "team":
                ed.current_form.focus_path("team[0].name")  # scrolled into view
                await settle_until(pilot, lambda: "李[b]明" in screen_text(app))
                shown = assert_clean(app, "team: leader")
                assert "\\x1b[2J李[b]明[/b][/]" in shown  # leader name in its field
            if section == "units":
                assert "单位\\x9b31m\\x1b]8;;http://x\\x07[/]" in shown  # unit list
                # The problems panel quotes the government unit's name.
                panel = ed.query_one("#violations", OptionList)
                quoting = [
                    i
                    for i in range(panel.option_count)
                    if "机关" in str(panel.get_option_at_index(i).prompt)
                ]
                assert quoting, "no problem quotes the unit name"
                panel.focus()
                panel.highlighted = quoting[0]
                await pilot.pause()
                shown = assert_clean(app, "units: problems")
                assert "机关[link=http://x]y[/link]\\x1b]" in shown  # wrapped after
        await app.action_quit()
    figure("injection screens checked", f"{screens} editor sections + home, 130x36")
    # Nothing was typed: the file keeps its bytes (no save rewrote the hostile text).
    assert load_draft(tmp_path / HOSTILE_FILE).leader.name.startswith(CSI_CLEAR)


async def test_control_characters_typed_into_a_field_never_reach_the_terminal(
    tmp_path: Path, guide: Guide
) -> None:
    async with editing(tmp_path, guide, new_direction="1.6", size=(110, 32)) as (app, pilot, ed):
        await put(pilot, ed, "project.title", f"粘贴{OSC52}{RLO}{C1_CSI}")  # e.g. a paste
        await wait_check(pilot)
        assert ed.draft.project.title == f"粘贴{OSC52}{RLO}{C1_CSI}"  # the data as typed
        assert_clean(app, "typed")
        await app.action_quit()


def test_control_filter_keeps_layout_and_styles() -> None:
    from rich.segment import Segment
    from rich.style import Style
    from textual.color import Color

    bold = Style(bold=True)
    segments = [Segment("ab", bold), Segment(f"c{OSC52}d{RLO}", bold), Segment("", None, [])]
    out = NoControlCharacters().apply(segments, Color(0, 0, 0))
    assert [s.text for s in out] == ["ab", "c]52;c;aGk=d", ""]
    assert out[1].style == bold
    assert Segment.get_line_length(out) == Segment.get_line_length(segments)  # zero-width gone
    clean = [Segment("plain 中文", bold)]
    assert NoControlCharacters().apply(clean, Color(0, 0, 0)) is clean


async def test_review_export_escapes_the_draft_in_html_beside_it(
    tmp_path: Path, guide: Guide
) -> None:
    draft = clean_draft(guide, "1.6")
    draft.units[0].name = "<script>alert(1)</script>"
    path = save_draft(draft, tmp_path / "a.toml")
    async with editing(tmp_path, guide, open_path=path, size=(120, 40)) as (app, pilot, ed):
        await ed.show_section("review")
        await pilot.pause()
        await press_button(pilot, ed, "#export")
        await app.action_quit()
    html = (tmp_path / "a.zh.html").read_text("utf-8")
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "经费预算" in (tmp_path / "a.zh.md").read_text("utf-8")
    assert draft_files(tmp_path) == [path]  # exports are not drafts


# -- offline ----------------------------------------------------------------------------------


async def test_whole_session_and_check_use_no_network(
    no_network: list[str], tmp_path: Path, guide: Guide, capsys: pytest.CaptureFixture[str]
) -> None:
    path = typing_draft(tmp_path, "offline.toml")
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # open from the home list
        await pilot.pause()
        ed = editor(app)
        ed.current_form.focus_path("project.title")
        await pilot.press(*"offline")
        await pilot.press("ctrl+s")
        await wait_check(pilot)
        await pilot.press("f8")
        await ed.show_section("review")
        await pilot.pause()
        await pilot.press("escape")  # home
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert load_draft(path, guide).project.title == "offline"
    assert main(["check", str(tmp_path)]) == 1  # errors left in the draft
    assert main(["check", "--json", str(path)]) == 1
    capsys.readouterr()
    assert no_network == []
