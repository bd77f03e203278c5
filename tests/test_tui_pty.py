"""The real `wizard` command in a pseudo-terminal: type into a field, quit, find the text saved."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.pty_driver import PtyApp
from wizard.draft import new_draft
from wizard.store import load_draft, save_draft

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def test_typed_text_reaches_the_file_after_quitting(tmp_path: Path) -> None:
    draft = new_draft("1.6")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title"
    path = save_draft(draft, tmp_path / "pty.toml")
    app = PtyApp(
        [sys.executable, "-m", "wizard", "open", str(path)], cols=100, rows=30, cwd=str(ROOT)
    )
    try:
        app.wait_for("1.6", timeout=30)
        app.wait_for("项目名称", timeout=30)
        app.send("中欧 AMR 预警".encode())
        app.wait_for("中欧 AMR 预警", timeout=10)  # echoed in the field and the header
        app.send(b"\x11")  # ctrl+q: quit right away, before the autosave debounce
        assert app.wait_exit() == 0
    finally:
        app.close()
    assert load_draft(path).project.title == "中欧 AMR 预警"


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_signal_while_typing_saves_pending_text(tmp_path: Path, signame: str) -> None:
    import signal

    draft = new_draft("1.9")
    draft.meta.last_section, draft.meta.last_field = "project", "project.title"
    path = save_draft(draft, tmp_path / "sig.toml")
    app = PtyApp(
        [sys.executable, "-m", "wizard", "open", str(path)], cols=100, rows=30, cwd=str(ROOT)
    )
    try:
        app.wait_for("项目名称", timeout=30)
        app.send("信号测试".encode())
        app.wait_for("信号测试", timeout=10)
        # At once: the autosave debounce (about a second) has not fired yet.
        app.process.send_signal(getattr(signal, signame))
        app.wait_exit()
    finally:
        app.close()
    assert load_draft(path).project.title == "信号测试"


def test_control_sequences_in_a_draft_never_reach_the_terminal(tmp_path: Path) -> None:
    from wizard.draft import Unit

    draft = new_draft("1.6")
    draft.project.title = "标题\x1b]52;c;aGk=\x07\u202eevil"
    draft.leader.name = "\x1b[2J李[b]明[/b]"
    draft.units = [Unit(name="单位\x9b31m\x1b]8;;http://x\x07[/]", role="lead")]
    draft.meta.last_section = "units"
    path = save_draft(draft, tmp_path / "evil\x1b[31m.toml")
    app = PtyApp(
        [sys.executable, "-m", "wizard", "--drafts-dir", str(tmp_path)],
        cols=120,
        rows=40,
        cwd=str(ROOT),
    )
    try:
        app.wait_for("evil", timeout=30)  # the home list shows the file, escaped
        app.send(b"\r")  # open the draft
        app.wait_for("单位", timeout=15)
        app.wait_for("[/]", timeout=15)  # markup shown literally
        app.send(b"\x11")
        app.wait_exit()
    finally:
        app.close()
    for injected in (b"\x1b]52", b"\x1b]8;;http", b"\x1b[2J\xe6", b"\xc2\x9b", "\u202e".encode()):
        at = app.raw.find(injected)
        assert at < 0, (injected, bytes(app.raw[max(0, at - 200) : at + 60]))
    saved = load_draft(path)
    assert saved.project.title.startswith("标题\x1b]52")  # the data itself is kept
    assert saved.units[0].name == "单位\x9b31m\x1b]8;;http://x\x07[/]"
