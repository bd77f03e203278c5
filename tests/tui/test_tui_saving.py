"""The editor's save pipeline when things go wrong (issue 11): a save that fails never lets
the wizard leave with the text unwritten; a file changed underneath is never overwritten;
hand-written comments survive; opening and leaving does not rewrite the file; recovery
copies are offered at the next start.

Figures for docs/reliability.md: `pytest tests/test_tui_saving.py -s` prints them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, SelectionList

from screens._textual_compat import notification_messages
from screens.dialogs import (
    ConflictDialog,
    MergeDialog,
    PromptDialog,
    RecoveryDialog,
    SaveFailedDialog,
)
from screens.editor import SAVE_DELAY
from screens.home import HomeScreen
from tests.factories import LONG_NAME, clean_draft
from tests.helpers import editing, editor, figure, make_app, put, settle_until
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.lock import DraftLock, lock_path
from wizard.recovery import list_recoveries, recovery_dirs, write_recovery
from wizard.store import dump_draft, load_draft, save_draft


@contextlib.contextmanager
def disk_full(folder: Path) -> Iterator[list[str]]:
    """os.replace into `folder` fails as on a full disk (ENOSPC); elsewhere it works."""
    real = os.replace
    calls: list[str] = []

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).parent == folder:
            calls.append(str(dst))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        real(src, dst, *args, **kwargs)

    os.replace = replace  # type: ignore[assignment]
    try:
        yield calls
    finally:
        os.replace = real


async def press_button(pilot: Any, button_id: str) -> None:
    # A dialog pushed by the last press may not have composed its buttons yet (loaded machine).
    await settle_until(pilot, lambda: bool(pilot.app.screen.query(f"#{button_id}")))
    button = pilot.app.screen.query_one(f"#{button_id}", Button)
    button.press()
    await pilot.pause()


# -- 1. a failed save keeps the text ------------------------------------------------------------


@pytest.mark.parametrize("how", ["ctrl+q", "q", "escape"])
async def test_failed_save_does_not_leave_until_the_text_is_written(
    tmp_path: Path, guide: Guide, how: str
) -> None:
    path = save_draft(new_draft("1.6"), tmp_path / "full.toml")
    before = path.read_bytes()
    app = make_app(tmp_path, guide, open_path=path)
    with disk_full(tmp_path) as calls:
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.pause()
            ed = editor(app)
            await put(pilot, ed, "project.title", "磁盘已满时输入的标题")
            if how == "q":
                ed.query_one("#stepper").focus()  # q quits where it is not typed
                await pilot.pause()
            await pilot.press(how)
            await pilot.pause()
            assert calls, "the save was not attempted"
            dialog = app.screen
            assert isinstance(dialog, SaveFailedDialog), dialog  # did not leave
            assert "No space left on device" in str(dialog.body)
            await press_button(pilot, "stay")  # Escape/stay: back in the editor, text kept
            assert app.screen is ed and ed.draft.project.title == "磁盘已满时输入的标题"
            await pilot.press(how if how != "q" else "ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, SaveFailedDialog)
            await press_button(pilot, "recovery")
            await pilot.pause()
            if how == "escape":
                assert isinstance(app.screen, HomeScreen)
                await app.action_quit()
    assert app.return_code == 0
    assert path.read_bytes() == before  # the disk was full: the old file is intact
    [copy] = list_recoveries()
    assert copy.original == str(path)
    assert load_draft(copy.path, guide).project.title == "磁盘已满时输入的标题"
    assert any(str(copy.path) in note for note in app.exit_notes)


async def test_failed_save_retry_and_save_elsewhere(tmp_path: Path, guide: Guide) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    path = save_draft(new_draft("1.6"), drafts / "full.toml")
    app = make_app(drafts, guide, open_path=path)
    async with app.run_test(size=(110, 32)) as pilot:
        with disk_full(drafts):
            await pilot.pause()
            ed = editor(app)
            await put(pilot, ed, "project.title", "重试")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, SaveFailedDialog)
            await press_button(pilot, "retry")  # still full: asked again
            assert isinstance(app.screen, SaveFailedDialog)
            await press_button(pilot, "elsewhere")
            prompt = app.screen
            assert isinstance(prompt, PromptDialog)
            taken = tmp_path / "taken.toml"
            taken.write_text("not mine")
            prompt.query_one(Input).value = str(taken)  # exists: never overwritten
            await press_button(pilot, "yes")
            assert isinstance(app.screen, SaveFailedDialog)
            assert taken.read_text() == "not mine"
            await press_button(pilot, "elsewhere")
            app.screen.query_one(Input).value = str(tmp_path / "usb")
            (tmp_path / "usb").mkdir()  # a folder: saved there under the draft's name
            await press_button(pilot, "yes")
            assert isinstance(app.screen, HomeScreen)
        assert load_draft(tmp_path / "usb" / "full.toml", guide).project.title == "重试"
        assert list_recoveries() == []
        # Disk freed: a failed save is retried and lands.
        await pilot.press("enter")
        await pilot.pause()
        ed = editor(app)
        with disk_full(drafts):
            await put(pilot, ed, "project.title", "再试一次")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, SaveFailedDialog)
        await press_button(pilot, "retry")
        assert isinstance(app.screen, HomeScreen)
        await app.action_quit()
    assert load_draft(path, guide).project.title == "再试一次"


async def test_long_file_name_that_cannot_be_saved_goes_to_recovery(
    tmp_path: Path, guide: Guide
) -> None:
    """A draft named 60 × 𠮷 (after a rename): every save fails with File name too long."""
    path = save_draft(new_draft("1.6"), tmp_path / "short.toml").rename(tmp_path / LONG_NAME)
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (app, pilot, ed):
        await put(pilot, ed, "project.title", "长文件名")
        # The autosave (SAVE_DELAY after the edit) failed and says so.
        await settle_until(pilot, lambda: bool(ed.save_error), SAVE_DELAY + 5)
        assert "File name too long" in ed.save_error
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, SaveFailedDialog)
        await press_button(pilot, "recovery")
    [copy] = list_recoveries()
    assert load_draft(copy.path, guide).project.title == "长文件名"


def _can_mount_tmpfs(folder: Path) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB tmpfs, filled to the last block."""
    folder = tmp_path / "tmpfs"
    folder.mkdir()
    if not _can_mount_tmpfs(folder):
        pytest.skip("cannot mount a tmpfs here (needs root on Linux)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Write filler until the file system refuses even one byte."""
    for name, block in (("filler", 4096), ("filler2", 1)):
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * block)
        finally:
            os.close(fd)


async def test_real_full_disk_keeps_the_text(small_disk: Path, guide: Guide) -> None:
    path = save_draft(new_draft("1.6"), small_disk / "full.toml")
    before = path.read_bytes()
    fill(small_disk)
    typed = "真的磁盘满了" * 300  # bigger than what is left
    async with editing(small_disk, guide, open_path=path, size=(110, 32)) as (app, pilot, ed):
        await put(pilot, ed, "project.title", typed)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, SaveFailedDialog), app.screen
        assert "No space left on device" in ed.save_error
        await press_button(pilot, "recovery")
    assert path.read_bytes() == before
    [copy] = list_recoveries()
    assert load_draft(copy.path, guide).project.title == typed
    assert [p.name for p in small_disk.iterdir() if p.suffix == ".tmp"] == []


# -- 2. conflicts --------------------------------------------------------------------------------


def outside_edit(path: Path, title: str) -> bytes:
    """Another program rewrites the draft (a text editor, a second wizard)."""
    text = path.read_text("utf-8")
    draft = load_draft(path)
    text = text.replace(f'title = "{draft.project.title}"', f'title = "{title}"', 1)
    text = text.replace('name = ""', 'name = "外部填写的负责人"', 1)
    path.write_text(text, "utf-8")
    return text.encode("utf-8")


@contextlib.asynccontextmanager
async def conflict(
    tmp_path: Path, guide: Guide, path: Path
) -> AsyncIterator[tuple[Any, Any, Any, bytes]]:
    """The draft at `path` open, rewritten by another program, then edited here: the
    conflict dialog is up. The app, the pilot, the editor, and the file's bytes."""
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (app, pilot, ed):
        theirs = outside_edit(ed.path, "外部修改的标题")
        await put(pilot, ed, "project.title", "我输入的标题")
        await settle_until(pilot, lambda: isinstance(app.screen, ConflictDialog), SAVE_DELAY + 3)
        assert ed.path.read_bytes() == theirs  # never overwritten
        yield app, pilot, ed, theirs


def copies(folder: Path, tag: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if f".{tag}-" in p.name)


async def test_conflict_keep_mine_copies_theirs_beside(tmp_path: Path, guide: Guide) -> None:
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "c.toml")
    async with conflict(tmp_path, guide, path) as (app, pilot, ed, theirs):
        shown = str(app.screen.body)
        assert "外部修改的标题" in shown and "我输入的标题" in shown
        await press_button(pilot, "mine")
        assert app.screen is ed
        await app.action_quit()
    assert load_draft(path, guide).project.title == "我输入的标题"
    [copy] = copies(tmp_path, "theirs")
    assert copy.read_bytes() == theirs


async def test_conflict_take_theirs_copies_mine_beside(tmp_path: Path, guide: Guide) -> None:
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "c.toml")
    async with conflict(tmp_path, guide, path) as (app, pilot, ed, theirs):
        await press_button(pilot, "theirs")
        await pilot.pause()
        assert ed.draft.project.title == "外部修改的标题"
        assert ed.current_form.boxes["project.title"].editor.value == "外部修改的标题"
        await app.action_quit()
    assert path.read_bytes() == theirs  # nothing more to write
    [copy] = copies(tmp_path, "mine")
    assert load_draft(copy, guide).project.title == "我输入的标题"


async def test_conflict_merge_field_by_field(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.team[0].name = ""
    draft.tasks[0].leader = ""  # the leader's 课题 named them
    path = save_draft(draft, tmp_path / "c.toml")
    async with conflict(tmp_path, guide, path) as (app, pilot, ed, _):
        await press_button(pilot, "merge")
        merge = app.screen
        assert isinstance(merge, MergeDialog)
        fields = merge.query_one(SelectionList)
        assert [d.path for d in merge.diffs] == ["project.title", "team[0].name"]
        fields.select("team[0].name")  # theirs for the leader, mine for the title
        await press_button(pilot, "apply")
        await pilot.pause()
        assert app.screen is ed
        await app.action_quit()
    saved = load_draft(path, guide)
    assert saved.project.title == "我输入的标题" and saved.team[0].name == "外部填写的负责人"
    assert len(copies(tmp_path, "theirs")) == 1


async def test_quit_during_a_conflict_asks_first(tmp_path: Path, guide: Guide) -> None:
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "c.toml")
    async with conflict(tmp_path, guide, path) as (app, pilot, _, theirs):
        await press_button(pilot, "later")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, SaveFailedDialog)
        await press_button(pilot, "resolve")
        assert isinstance(app.screen, ConflictDialog)
        await press_button(pilot, "mine")
        await pilot.pause()
    assert app.return_code == 0
    assert load_draft(path, guide).project.title == "我输入的标题"
    assert copies(tmp_path, "theirs")[0].read_bytes() == theirs


async def test_deleted_lock_is_taken_again_and_two_editors_never_overwrite(
    tmp_path: Path, guide: Guide
) -> None:
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "c.toml")
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (app, pilot, ed):
        # Deleted, nobody else came: the next save locks the draft again.
        lock_path(path).unlink()
        await put(pilot, ed, "project.title", "第一次")
        assert ed.flush()
        assert lock_path(path).exists()
        with pytest.raises(Exception, match="being edited"):
            DraftLock(path).acquire()
        # Deleted, and a second editor got in and saved: warned, and never overwritten.
        lock_path(path).unlink()
        second = DraftLock(path)
        second.acquire()
        try:
            theirs = outside_edit(path, "第二个编辑器")
            await put(pilot, ed, "project.title", "第一个编辑器")
            await settle_until(
                pilot, lambda: isinstance(app.screen, ConflictDialog), SAVE_DELAY + 3
            )
            told = notification_messages(app)
            assert any("锁文件被删除" in m for m in told), told
            assert path.read_bytes() == theirs
            await press_button(pilot, "later")
            await app.action_quit()  # the conflict: asked, not overwritten
            await pilot.pause()
            assert isinstance(app.screen, SaveFailedDialog)
            await press_button(pilot, "recovery")
        finally:
            second.release()
    assert path.read_bytes() == theirs
    assert load_draft(list_recoveries()[0].path).project.title == "第一个编辑器"


# -- 3. comments survive; no rewrite without an edit ------------------------------------------


def hand_written(path: Path, guide: Guide) -> bytes:
    text = dump_draft(clean_draft(guide, "1.6"))
    # Above the first 课题 (its budget follows it).
    text = text.replace("[[tasks]]", "# 预算待财务处确认 — budget to be confirmed\n\n[[tasks]]", 1)
    text = text.replace("[meta]\n", "[meta]\n# 手写的注释\n", 1)
    path.write_text(text, "utf-8")
    return text.encode("utf-8")


async def test_open_browse_and_quit_without_an_edit_leaves_the_file_alone(
    tmp_path: Path, guide: Guide
) -> None:
    path = tmp_path / "hand.toml"
    before = hand_written(path, guide)
    mtime = path.stat().st_mtime_ns
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (_app, pilot, ed):
        await ed.show_section("units")  # moves the reading position
        ed.current_form.focus_path("units[0].name")
        # The behaviour under test is that nothing is written in the autosave's window: a
        # pause as long as that window, not a wait for something to happen.
        await pilot.pause(SAVE_DELAY + 0.3)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # open again from the home, then quit
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


async def test_an_edit_keeps_hand_written_comments(tmp_path: Path, guide: Guide) -> None:
    path = tmp_path / "hand.toml"
    hand_written(path, guide)
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (_app, pilot, ed):
        await put(pilot, ed, "project.title", "新标题")
        await pilot.press("ctrl+q")
    text = path.read_text("utf-8")
    assert "# 预算待财务处确认 — budget to be confirmed\n" in text
    assert "[meta]\n# 手写的注释\n" in text
    assert load_draft(path, guide).project.title == "新标题"


# -- recovery copies at the next start ---------------------------------------------------------


async def test_next_start_offers_recovery_copies(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.title = "救回来的"
    write_recovery(dump_draft(draft), tmp_path / LONG_NAME)
    draft.project.title = "不要了"
    write_recovery(dump_draft(draft), tmp_path / "b.toml")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    app = make_app(drafts, guide)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle_until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        assert "𠮷" in str(app.screen.body)
        await press_button(pilot, "restore")
        await settle_until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        await press_button(pilot, "discard")
        await settle_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await app.action_quit()
    [restored] = [p for p in drafts.iterdir() if p.suffix == ".toml"]
    assert load_draft(restored, guide).project.title == "救回来的"
    assert list_recoveries() == []
    assert recovery_dirs()[0].is_dir()


async def test_recovery_later_keeps_the_copy(tmp_path: Path, guide: Guide) -> None:
    write_recovery(dump_draft(new_draft("1.6")), tmp_path / "a.toml")
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(110, 32)) as pilot:
        await settle_until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        await pilot.press("escape")
        await settle_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        await app.action_quit()
    assert len(list_recoveries()) == 1


# -- 8. the drafts home reads no file on the UI thread ------------------------------------------


async def test_home_draws_at_once_while_a_file_is_slow_to_read(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from textual.widgets import DataTable

    import screens.home

    save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    save_draft(clean_draft(guide, "1.9"), tmp_path / "slow.toml")
    release = threading.Event()
    reading = threading.Event()
    real = screens.home.peek_draft

    def slow_peek(path: Path) -> Any:
        if path.name == "slow.toml":  # e.g. a huge or pathological file
            reading.set()
            release.wait(5)
        return real(path)

    monkeypatch.setattr(screens.home, "peek_draft", slow_peek)
    started = time.perf_counter()
    app = make_app(tmp_path, guide)
    try:
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            table = home.query_one("#drafts", DataTable)
            names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            assert names == ["a.toml", "slow.toml"]  # both files, at once
            await settle_until(pilot, lambda: "测试项目 1.6" in map(str, table.get_row_at(0)))
            assert not release.is_set() and reading.is_set()  # still reading slow.toml
            shown = time.perf_counter() - started
            await pilot.press("f2")  # keys are answered meanwhile
            await pilot.pause()
            assert app.lang == "en"
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "测试项目 1.9" in map(str, table.get_row_at(1))
            await app.action_quit()
    finally:
        release.set()
    figure("home with a file that takes 5 s to read", f"list and keys after {shown:.2f}s")
    assert shown < 3


async def test_read_only_draft_asks_before_leaving(tmp_path: Path, guide: Guide) -> None:
    """A draft made read-only (0444) is refused by the save (never overwritten): the editor
    asks before it leaves, and the text goes where the applicant says."""
    path = save_draft(new_draft("1.6"), tmp_path / "ro.toml")
    path.chmod(0o444)
    before = path.read_bytes()
    async with editing(tmp_path, guide, open_path=path, size=(110, 32)) as (app, pilot, ed):
        await put(pilot, ed, "project.title", "只读草稿")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, SaveFailedDialog), app.screen
        await press_button(pilot, "recovery")
    assert path.read_bytes() == before
    [copy] = list_recoveries()
    assert load_draft(copy.path, guide).project.title == "只读草稿"
