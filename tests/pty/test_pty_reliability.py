"""The real `wizard` command in a pseudo-terminal, under interrupts: signals, ctrl+c, ctrl+q
and a closed terminal while typing, a draft that cannot be saved, a draft another process
holds, and hostile text that must never reach the terminal.

Figures for docs/reliability.md: `pytest tests/pty/test_pty_reliability.py -s` prints them.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from screens.editor import SAVE_DELAY
from tests.factories import HOSTILE_FILE, INJECTED_BYTES, LONG_NAME, hostile_draft
from tests.helpers import POSIX, close_app, figure, pty_app, typing_draft
from wizard.lock import DraftLock, owner_path
from wizard.recovery import list_recoveries
from wizard.store import load_draft, save_draft

pytestmark = POSIX


def no_leftovers(folder: Path) -> list[str]:
    """Owner and temp files still in the folder (the empty `.lock` file may stay: the OS lock
    on it is what counts, and it goes with the process)."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(".") and p.suffix != ".lock"
    )


INTERRUPTS = [
    "SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "ctrl+c", "ctrl+q", "terminal-closed",
    "terminal-gone",
]  # fmt: skip
# terminal-closed: the pty is the wizard's controlling terminal; closing it, the kernel sends
# SIGHUP. terminal-gone: it is not (started by a tool, under setsid): no signal comes, the
# terminal just stops answering, and the wizard must notice by itself.


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
        if how in ("ctrl+c", "ctrl+q"):  # ctrl+q: quit at once, before the autosave
            app.send(b"\x03" if how == "ctrl+c" else b"\x11")
        elif how in ("terminal-closed", "terminal-gone"):
            os.close(app.master)  # with ctty the kernel hangs up the terminal: SIGHUP
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
    assert code == 0 or how in ("terminal-closed", "terminal-gone"), code
    assert exited < SAVE_DELAY + 4
    assert no_leftovers(tmp_path) == [], no_leftovers(tmp_path)


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


# -- a draft that cannot be saved -----------------------------------------------------------


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "terminal-closed"])
def test_signal_when_the_draft_cannot_be_saved_writes_a_recovery_copy(
    tmp_path: Path, how: str
) -> None:
    path = typing_draft(tmp_path, "short.toml").rename(tmp_path / LONG_NAME)
    typed = f"信号{how}"
    app = pty_app(["open", str(path)], ctty=how == "terminal-closed")
    try:
        app.wait_for("项目名称", timeout=8)
        app.send(typed.encode())
        app.wait_for(typed, timeout=5)
        if how == "terminal-closed":
            os.close(app.master)  # the kernel hangs up the terminal: SIGHUP
            app.master = -1
            code = app.process.wait(timeout=8)
        else:
            app.process.send_signal(getattr(signal, how))
            code = app.wait_exit(timeout=8)
    finally:
        close_app(app)
    figure(f"unsaveable draft, {how}", f"exit {code}")
    [copy] = list_recoveries()
    assert load_draft(copy.path).project.title == typed
    if how == "terminal-closed":
        return  # nobody left to tell; the exit may follow a failed write to the terminal
    assert code == 0
    # Said on the terminal after the wizard let it go (stderr: the same pty).
    assert copy.path.name.encode() in app.raw


def test_signal_when_nothing_can_be_written_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("WIZARD_RECOVERY_DIR", str(blocked / "recovery"))
    path = typing_draft(tmp_path, "short.toml").rename(tmp_path / LONG_NAME)
    app = pty_app(["open", str(path)])
    try:
        app.wait_for("项目名称", timeout=8)
        app.send("无处可写".encode())
        app.wait_for("无处可写", timeout=5)
        app.process.send_signal(signal.SIGTERM)
        code = app.wait_exit(timeout=8)
    finally:
        close_app(app)
    assert code == 75, code
