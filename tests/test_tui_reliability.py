"""The terminal wizard under stress: interrupts, broken files, locks, leftovers, hostile text,
no network. The interrupt and injection tests run the real `wizard` in a pseudo-terminal.

Figures for docs/reliability.md: `pytest tests/test_tui_reliability.py -s` prints them.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import DataTable, OptionList

from screens._textual_compat import notification_messages, render_frame
from screens.app import NoControlCharacters, WizardApp
from screens.dialogs import HelpDialog
from screens.editor import SAVE_DELAY, EditorScreen
from screens.home import HomeScreen
from tests.conftest import settle_until
from tests.test_tui_flows import editor, make_app, put, screen_text, wait_check
from wizard.cli import main
from wizard.draft import Draft, Unit, new_draft
from wizard.guide import Guide
from wizard.lock import DraftLock, owner_path
from wizard.store import MAX_DRAFT_BYTES, STALE_TEMP_SECONDS, load_draft, save_draft

ROOT = Path(__file__).resolve().parent.parent
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty and signals")

# What a draft may carry to attack the terminal or the renderer.
OSC52 = "\x1b]52;c;aGk=\x07"  # write "hi" to the clipboard
CSI_CLEAR = "\x1b[2J"
RLO = "\u202e"  # right-to-left override
C1_CSI = "\x9b31m"
OSC8 = "\x1b]8;;http://x\x07"
INJECTED_BYTES = (b"\x1b]52", b"\x1b]8;;http", b"\x1b[2J\xe6", b"\xc2\x9b", RLO.encode())


def figure(name: str, value: str) -> None:
    print(f"\nFIGURE {name}: {value}")


# -- a real `wizard` in a pseudo-terminal ----------------------------------------------------


def pty_app(argv: list[str], ctty: bool = False, cols: int = 110, rows: int = 32) -> Any:
    """The real `wizard` in bench's PtyApp; with `ctty` the pty is its controlling terminal."""
    from bench.pty_driver import PtyApp

    return PtyApp(
        [sys.executable, "-m", "wizard", *argv],
        cols,
        rows,
        cwd=str(ROOT),
        controlling_terminal=ctty,
    )


def close_app(app: Any) -> None:
    if app.master >= 0:
        app.close()
    elif app.process.poll() is None:
        os.killpg(app.process.pid, signal.SIGKILL)
        app.process.wait(timeout=10)


def typing_draft(tmp_path: Path, name: str = "sig.toml") -> Path:
    draft = new_draft("1.9")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title"
    return save_draft(draft, tmp_path / name)


def no_leftovers(folder: Path) -> list[str]:
    """Owner and temp files still in the folder (the empty `.lock` file may stay: the OS lock
    on it is what counts, and it goes with the process)."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") and p.suffix != ".lock"
    )


INTERRUPTS = ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "ctrl+c", "terminal-closed"]


@POSIX
@pytest.mark.parametrize("how", INTERRUPTS)
def test_interrupt_while_typing_saves_pending_text(tmp_path: Path, how: str) -> None:
    """Text typed a moment ago — the autosave debounce has not fired — is on disk after the
    interrupt, the process ends with 0, and the lock is released."""
    path = typing_draft(tmp_path)
    typed = f"中断测试 {how}"
    start = time.perf_counter()
    app = pty_app(["open", str(path)], ctty=how == "terminal-closed")
    try:
        app.wait_for("项目名称", timeout=8)
        app.send(typed.encode())
        app.wait_for(typed, timeout=5)  # drawn in the field: the draft has it in memory
        # The autosave fires SAVE_DELAY after the first key of an edit; on a loaded machine
        # (make stress) it may beat the echo. Then one more key starts a new unsaved edit,
        # until the file lacks what the field shows.
        for more in "一二三四五":
            if typed not in path.read_text("utf-8"):
                break
            typed += more
            app.send(more.encode())
            app.wait_for(typed, timeout=5)
        assert typed not in path.read_text("utf-8")
        sent = time.perf_counter()
        if how == "ctrl+c":
            app.send(b"\x03")
        elif how == "terminal-closed":
            os.close(app.master)  # the kernel hangs up the terminal: SIGHUP
            app.master = -1
        else:
            app.process.send_signal(getattr(signal, how))
        if app.master >= 0:
            code = app.wait_exit(timeout=6)
        else:
            code = app.process.wait(timeout=6)
        exited = time.perf_counter() - sent
    finally:
        close_app(app)
    total = time.perf_counter() - start
    figure(f"interrupt {how}", f"exit {code} {exited:.2f}s after it, {total:.1f}s in all")
    assert load_draft(path).project.title == typed
    # SIGHUP from a real hang-up may end the process after the save when its own terminal
    # writes fail; the text is on disk first either way.
    assert code == 0 or how == "terminal-closed", code
    assert exited < SAVE_DELAY + 4
    assert no_leftovers(tmp_path) == [], no_leftovers(tmp_path)


# -- broken files ------------------------------------------------------------------------------

BROKEN: dict[str, tuple[bytes, str]] = {
    "not-utf8": (b'schema_version = 1\ntitle = "\xff\xfe"\n', "not UTF-8 text"),
    "invalid-toml": (b"schema_version = 1\n[project\ntitle = [b]x[/b]\n", "not valid TOML"),
    "future-schema": (b"schema_version = 7\n", "written by a newer wizard"),
    "huge": (b"schema_version = 1\n" + b"# " + b"x" * (MAX_DRAFT_BYTES + 10) + b"\n", "larger"),
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
        await pilot.pause(SAVE_DELAY + 0.3)  # long enough for any autosave to have fired
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
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        ed = editor(app)
        assert ed.draft_lock is not None and ed.draft_lock.held
        await app.action_quit()
    assert not owner_path(path).exists()
    with DraftLock(path):
        pass


@POSIX
def test_real_wizard_names_the_process_holding_the_draft(tmp_path: Path) -> None:
    path = typing_draft(tmp_path, "held.toml")
    before = path.read_bytes()
    start = time.perf_counter()
    with DraftLock(path):
        app = pty_app(["open", str(path)])
        try:
            shown = app.wait_for(f"进程 {os.getpid()}", timeout=8)  # in the error toast
            assert "held.toml" in app.text()
            app.send(b"q")
            assert app.wait_exit(timeout=6) == 0
        finally:
            app.close()
    figure("lock refusal shown", f"{shown:.2f}s after start ({time.perf_counter() - start:.1f}s)")
    assert path.read_bytes() == before
    assert not owner_path(path).exists()  # ours, released; the wizard never took it


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


def hostile_draft() -> Draft:
    draft = new_draft("1.6")
    draft.project.title = f"标题{OSC52}{RLO}evil [b]x[/b]"
    draft.leader.name = f"{CSI_CLEAR}李[b]明[/b][/]"
    draft.units = [
        Unit(name=f"单位{C1_CSI}{OSC8}[/]", role="lead"),
        Unit(name=f"机关[link=http://x]y[/link]{OSC52}", role="participant", kind="government"),
    ]
    draft.meta.last_section = "units"
    return draft


HOSTILE_FILE = f"evil{CSI_CLEAR}[b]x[red]{RLO}.toml"


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
    app = make_app(tmp_path, guide, new_direction="1.6")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        ed = editor(app)
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


@POSIX
def test_real_terminal_never_receives_injected_sequences(tmp_path: Path) -> None:
    path = save_draft(hostile_draft(), tmp_path / HOSTILE_FILE)
    before = path.read_bytes()
    start = time.perf_counter()
    app = pty_app(["--drafts-dir", str(tmp_path)], cols=130, rows=40)
    try:
        app.wait_for("evil\\x1b[2J[b]x[red]\\u202e.toml", timeout=8)  # home, escaped
        app.send(b"\r")
        app.wait_for("单位\\x9b31m\\x1b]8;;http://x\\x07[/]", timeout=5)  # units list
        app.wait_for("机关[link=http://x]y[/link]\\x1b]52", timeout=5)
        app.send(b"\x1b")  # back home
        app.wait_for("草稿文件夹", timeout=5)
        app.send(b"q")
        assert app.wait_exit(timeout=6) == 0
    finally:
        app.close()
    figure("pty injection", f"{len(app.raw)} bytes read, {time.perf_counter() - start:.1f}s")
    for injected in INJECTED_BYTES:
        assert injected not in app.raw, injected
    # Opened and left without typing: the last reading position is written, the text kept.
    assert load_draft(path).leader.name == hostile_draft().leader.name
    assert len(path.read_bytes()) >= len(before) - 200


# -- offline ----------------------------------------------------------------------------------


@pytest.fixture
def network_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way to reach the network fails the test, even if the caller swallowed the error."""
    calls: list[str] = []

    def refuse(name: str) -> Any:
        def refused(*args: object, **kwargs: object) -> None:
            calls.append(f"{name}{args!r}")
            raise AssertionError(f"network use attempted: {name}{args!r}")

        return refused

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield calls
    assert calls == []


async def test_whole_session_and_check_use_no_network(
    network_calls: list[str], tmp_path: Path, guide: Guide, capsys: pytest.CaptureFixture[str]
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
    assert network_calls == []
