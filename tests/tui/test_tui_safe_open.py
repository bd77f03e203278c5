"""The terminal wizard beside planted files (issue 11, items 4, 5): a FIFO or a link named
like the draft's owner or lock file never freezes the UI nor writes outside the folder."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from screens._textual_compat import notification_messages
from screens.home import HomeScreen
from tests.helpers import editing, make_app
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.lock import lock_path, owner_path
from wizard.store import save_draft

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs mkfifo and symlinks")


@pytest.mark.parametrize("planted", ["owner-fifo", "owner-link"])
async def test_planted_owner_file_neither_freezes_nor_writes_outside(
    tmp_path: Path, guide: Guide, planted: str
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    path = save_draft(new_draft("1.6"), drafts / "a.toml")
    owner = owner_path(path)
    if planted == "owner-fifo":
        os.mkfifo(owner)
    else:
        owner.symlink_to(outside)
    opened_other_end = threading.Event()

    def unblock() -> None:  # only runs if the wizard is stuck opening the FIFO
        opened_other_end.set()
        for flags in (os.O_RDONLY | os.O_NONBLOCK, os.O_RDWR):
            try:
                os.close(os.open(owner, flags))
            except OSError:
                pass

    # Long enough that a loaded machine (make stress) opens and quits well within it; a
    # wizard stuck on the FIFO waits for it, then fails.
    timer = threading.Timer(30, unblock)
    timer.start()
    try:
        async with editing(drafts, guide, open_path=path, size=(110, 32)) as (app, _pilot, ed):
            assert ed.draft_lock is not None and ed.draft_lock.held
            assert not owner.is_symlink()
            await app.action_quit()
    finally:
        timer.cancel()
    assert not opened_other_end.is_set(), "the UI thread blocked on the owner file"
    assert outside.read_text() == "precious"


async def test_planted_lock_link_is_refused_with_one_line(tmp_path: Path, guide: Guide) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    path = save_draft(new_draft("1.6"), drafts / "a.toml")
    before = path.read_bytes()
    lock_path(path).symlink_to(outside)
    app = make_app(drafts, guide, open_path=path)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        told = notification_messages(app)
        assert any("not a regular file" in m and ".a.toml.lock" in m for m in told), told
        await app.action_quit()
    assert outside.read_text() == "precious" and path.read_bytes() == before
