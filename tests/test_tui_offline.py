"""A whole terminal-wizard session and `wizard check` with the network made unusable."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.test_tui_flows import editor, make_app, put, wait_check
from wizard.cli import main
from wizard.guide import Guide
from wizard.store import draft_files, load_draft


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network use attempted: {args!r}")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


async def test_tui_session_and_check_never_use_the_network(
    no_network: None, tmp_path: Path, guide: Guide, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(tmp_path, guide, new_direction="1.6")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ed = editor(app)
        await put(pilot, ed, "project.title", "离线测试")
        await wait_check(pilot)
        await ed.show_section("review")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.action_quit()
    (path,) = draft_files(tmp_path)
    assert load_draft(path, guide).project.title == "离线测试"
    assert main(["check", str(tmp_path)]) == 1  # errors left, and no network touched
    capsys.readouterr()


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe[/]\x1b[2J",
        b"schema_version = 7\n",
        b'schema_version = 1\ndirection = "1.6"\n[project]\nmonths = "[b]x"\n',
    ],
    ids=["not-utf8", "future", "wrong-type"],
)
async def test_broken_file_shows_error_dialog_and_stays_untouched(
    tmp_path: Path, guide: Guide, content: bytes
) -> None:
    from screens.dialogs import HelpDialog

    path = tmp_path / "broken [red].toml"
    path.write_bytes(content)
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        shown = str(app.screen.body)
        assert "broken [red].toml" in shown and "\x1b" not in shown
        await pilot.press("escape")
        await pilot.pause()
        await app.action_quit()
    assert path.read_bytes() == content


async def test_review_export_writes_html_and_markdown_beside_the_draft(
    tmp_path: Path, guide: Guide
) -> None:
    from tests.factories import clean_draft
    from tests.test_tui_flows import press_button
    from wizard.store import save_draft

    draft = clean_draft(guide, "1.6")
    draft.units[0].name = "<script>alert(1)</script>"
    path = save_draft(draft, tmp_path / "a.toml")
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = editor(app)
        await ed.show_section("review")
        await pilot.pause()
        await press_button(pilot, ed, "#export")
        await app.action_quit()
    html = (tmp_path / "a.zh.html").read_text("utf-8")
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "经费预算" in (tmp_path / "a.zh.md").read_text("utf-8")
    assert draft_files(tmp_path) == [path]  # exports are not drafts
