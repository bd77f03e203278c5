"""The editing session without a terminal (wizard/session.py): saving and its failures, a file
changed underneath and the three ways out of it, recovery copies, undo/redo, when to check,
and what a direction switch changes."""

from __future__ import annotations

import os
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.factories import clean_draft, write_attachments
from wizard.catalogue import t
from wizard.filestate import POLL_INTERVAL, FileStates
from wizard.guide import Guide
from wizard.lock import DraftLock, lock_path
from wizard.session import (
    CHECK_INTERVAL,
    DEFERRED_CHECK_DELAY,
    INLINE_CHECK_BUDGET,
    CheckPlan,
    EditOutcome,
    EditSession,
    Notice,
    SaveOutcome,
)
from wizard.store import dump_draft, load_draft, save_draft


class Recorder:
    """A listener that remembers what the session told it."""

    def __init__(self) -> None:
        self.edits: list[tuple[str, EditOutcome]] = []
        self.checks = 0
        self.done: list[bool] = []
        self.saving: list[Future[datetime | None]] = []
        self.saved: list[tuple[SaveOutcome, bool]] = []
        self.notices: list[Notice] = []

    def session_edited(self, path: str, outcome: EditOutcome) -> None:
        self.edits.append((path, outcome))

    def session_checked(self) -> None:
        self.checks += 1

    def session_check_done(self, typing: bool) -> None:
        self.done.append(typing)

    def session_saving(self, future: Future[datetime | None]) -> None:
        self.saving.append(future)

    def session_saved(self, outcome: SaveOutcome, background: bool) -> None:
        self.saved.append((outcome, background))

    def session_notice(self, notice: Notice) -> None:
        self.notices.append(notice)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def open_session(
    guide: Guide, tmp_path: Path, code: str = "1.6", **kw: Any
) -> tuple[EditSession, Recorder]:
    path = save_draft(clean_draft(guide, code), tmp_path / "a.toml")
    draft = load_draft(path, guide)
    write_attachments(draft, tmp_path)  # the files it records, as attached
    session = EditSession(path, draft, guide, "zh", text=path.read_text("utf-8"), **kw)
    listener = Recorder()
    session.listener = listener
    return session, listener


def edit_title(session: EditSession, title: str) -> EditOutcome:
    session.draft.project.title = title
    return session.edited("project.title")


def test_an_edit_is_unsaved_until_saved_then_on_disk(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    assert not session.dirty
    edit_title(session, "新标题")
    assert session.dirty and heard.edits[0][0] == "project.title"
    assert session.save(wait=True)
    assert not session.dirty and session.save_error == ""
    assert heard.saved == [("saved", False)]
    assert load_draft(session.path, guide).project.title == "新标题"
    assert session.draft.meta.updated is not None  # the stamp of the save
    session.close()


def test_a_background_save_is_started_and_its_outcome_heard(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    edit_title(session, "后台保存")
    assert session.save()  # started in the save thread
    (future,) = heard.saving
    future.result(timeout=10)
    assert session.saved(future)
    assert heard.saved == [("saved", True)] and session.pending is None
    assert load_draft(session.path, guide).project.title == "后台保存"
    session.close()


def test_nothing_edited_writes_nothing(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    before = session.path.read_bytes()
    session.note_focus("project", "project.title")  # the reading position alone
    assert session.save(wait=True)
    assert session.path.read_bytes() == before and heard.saving == heard.saved == []
    session.close()


def test_a_failed_save_keeps_the_text_unsaved_and_says_why(
    guide: Guide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, heard = open_session(guide, tmp_path)
    edit_title(session, "磁盘已满")

    def full(data: dict[str, Any], touch: bool = True, force: bool = False) -> datetime:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(session.file, "write", full)
    assert not session.save(wait=True)
    assert session.dirty and "No space left on device" in session.save_error
    assert heard.saved == [("failed", False)]
    monkeypatch.undo()  # the disk has room again: the retry writes it
    assert session.save(wait=True) and not session.dirty and session.save_error == ""
    assert load_draft(session.path, guide).project.title == "磁盘已满"
    session.close()


def changed_underneath(session: EditSession, guide: Guide, title: str) -> None:
    theirs = load_draft(session.path, guide)
    theirs.project.title = title
    session.path.write_text(dump_draft(theirs), "utf-8")


def test_a_file_changed_underneath_is_a_conflict_not_overwritten(
    guide: Guide, tmp_path: Path
) -> None:
    session, heard = open_session(guide, tmp_path)
    changed_underneath(session, guide, "外部修改")
    edit_title(session, "我的修改")
    assert not session.save(wait=True)
    assert session.conflict is not None and session.dirty and session.save_error
    assert heard.saved == [("conflict", False)]
    assert load_draft(session.path, guide).project.title == "外部修改"
    theirs = session.theirs()
    assert theirs is not None and theirs.project.title == "外部修改"
    assert not session.save(wait=True)  # nothing is written while the choice waits
    session.close()


def test_keep_mine_writes_mine_and_keeps_theirs_beside(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    changed_underneath(session, guide, "外部修改")
    edit_title(session, "我的修改")
    session.save(wait=True)
    assert session.keep_mine()
    assert session.conflict is None and not session.dirty
    assert load_draft(session.path, guide).project.title == "我的修改"
    copies = [p for p in tmp_path.iterdir() if p != session.path and "theirs" in p.name]
    assert len(copies) == 1 and "外部修改" in copies[0].read_text("utf-8")
    assert any(copies[0].name in n.text for n in heard.notices)
    session.close()


def test_take_theirs_edits_the_files_version_and_keeps_mine_beside(
    guide: Guide, tmp_path: Path
) -> None:
    clock = Clock()
    session, _ = open_session(guide, tmp_path, monotonic=clock)
    changed_underneath(session, guide, "外部修改")
    edit_title(session, "我的修改")
    session.save(wait=True)
    theirs = session.theirs()
    clock.now += 60  # the choice comes later than the typing
    assert theirs is not None and session.take_theirs(theirs)
    assert session.draft.project.title == "外部修改" and not session.dirty
    mine = [p for p in tmp_path.iterdir() if "mine" in p.name]
    assert len(mine) == 1 and "我的修改" in mine[0].read_text("utf-8")
    step = session.undo()  # one step back to what the applicant had
    assert step is not None and step.state["project"]["title"] == "我的修改"
    session.close()


def test_merge_takes_the_chosen_fields_from_the_file(guide: Guide, tmp_path: Path) -> None:
    session, _ = open_session(guide, tmp_path)
    theirs_draft = load_draft(session.path, guide)
    theirs_draft.project.title = "外部标题"
    theirs_draft.project.summary = "外部摘要"
    session.path.write_text(dump_draft(theirs_draft), "utf-8")
    session.draft.project.summary = "我的摘要"
    session.edited("project.summary")
    session.save(wait=True)
    theirs = session.theirs()
    assert theirs is not None
    assert session.merge(theirs, {"project.title"}) is True
    on_disk = load_draft(session.path, guide)
    assert on_disk.project.title == "外部标题" and on_disk.project.summary == "我的摘要"
    session.close()


def test_rescue_writes_a_recovery_copy(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    edit_title(session, "救回来的标题")
    where = session.rescue()
    assert where is not None and "救回来的标题" in where.read_text("utf-8")
    assert not session.dirty and session.written_to == where
    (note,) = [n for n in heard.notices if n.exit_note]
    assert str(where) in note.text and not note.lost
    session.close()


def test_save_elsewhere_never_overwrites(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    edit_title(session, "另存的标题")
    taken = tmp_path / "taken.toml"
    taken.write_text("x", "utf-8")
    assert not session.save_elsewhere(str(taken))
    assert taken.read_text("utf-8") == "x" and session.dirty
    assert heard.notices[-1].severity == "error"
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert session.save_elsewhere(str(folder))  # a folder: the draft's name in it
    assert load_draft(folder / "a.toml", guide).project.title == "另存的标题"
    assert not session.dirty and session.written_to == folder / "a.toml"
    session.close()


def locked_session(guide: Guide, tmp_path: Path) -> tuple[EditSession, DraftLock, Recorder]:
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    lock = DraftLock(path)
    lock.acquire()
    session = EditSession(path, load_draft(path, guide), guide, "en", lock=lock)
    heard = Recorder()
    session.listener = heard
    return session, lock, heard


def test_close_saves_and_lets_the_lock_go(guide: Guide, tmp_path: Path) -> None:
    session, lock, _ = locked_session(guide, tmp_path)
    path = session.path
    edit_title(session, "closing")
    session.close()
    assert not lock.held
    assert load_draft(path, guide).project.title == "closing"


def test_undo_and_redo_restore_the_draft_but_not_the_reading_position(
    guide: Guide, tmp_path: Path
) -> None:
    clock = Clock()
    session, _ = open_session(guide, tmp_path, monotonic=clock)
    before = session.draft.project.title
    edit_title(session, "第一次")
    clock.now += 10  # a pause: a new step
    edit_title(session, "第二次")
    session.note_focus("units", "units[0].name")
    step = session.undo()
    assert step is not None and step.path == "project.title"
    assert not session.restore(step)  # same direction
    assert session.draft.project.title == "第一次"
    assert session.draft.meta.last_section == "units"  # the session's own state stays
    step = session.undo()
    assert step is not None
    session.restore(step)
    assert session.draft.project.title == before
    assert session.undo() is None
    step = session.redo()
    assert step is not None
    session.restore(step)
    assert session.draft.project.title == "第一次"
    session.close()


def test_an_edit_to_a_ready_draft_makes_it_a_draft_again(guide: Guide, tmp_path: Path) -> None:
    session, heard = open_session(guide, tmp_path)
    assert session.set_status("ready")
    outcome = edit_title(session, "改了")
    assert outcome.back_to_draft and session.draft.meta.status == "draft"
    assert heard.notices and not heard.notices[-1].exit_note
    session.close()


def test_check_plan_now_after_quiet_later_within_the_interval(guide: Guide, tmp_path: Path) -> None:
    clock = Clock()
    perf = Clock()
    session, heard = open_session(guide, tmp_path, monotonic=clock, perf_counter=perf)
    assert edit_title(session, "a").plan == CheckPlan(now=True)  # never checked: at once
    session.check(typing=True)
    assert session.checked and heard.checks == 1 and heard.done == [True]
    assert session.last_check == clock.now and session.check_cost == 0.0
    clock.now += CHECK_INTERVAL / 4
    plan = edit_title(session, "ab").plan  # within the interval: at its end
    assert not plan.now and plan.delay == pytest.approx(CHECK_INTERVAL * 3 / 4)
    assert edit_title(session, "abc").plan == CheckPlan()  # one is due already
    session.check(typing=True)
    clock.now += CHECK_INTERVAL * 2
    assert edit_title(session, "abcd").plan.now  # quiet again


def test_a_dear_check_never_runs_in_the_edits_handler(guide: Guide, tmp_path: Path) -> None:
    clock = Clock()
    session, _ = open_session(guide, tmp_path, monotonic=clock)
    session.check()
    session.check_cost = INLINE_CHECK_BUDGET * 3  # as after a check of a very large draft
    clock.now += 60  # long quiet
    plan = edit_title(session, "x").plan
    assert not plan.now and plan.delay == DEFERRED_CHECK_DELAY
    session.close()


def test_check_finds_the_problems_and_their_paths(guide: Guide, tmp_path: Path) -> None:
    session, _ = open_session(guide, tmp_path)
    session.check()
    assert session.errors() == 0
    edit_title(session, "")
    session.check()
    assert "project.title" in session.invalid_paths and session.errors() >= 1
    session.close()


def test_check_judges_the_attached_files_as_read_in_the_background(
    guide: Guide, tmp_path: Path
) -> None:
    """A removed file is said at once (a stat); a changed one once its thread has read it,
    at the next check; each file is stat at most every POLL_INTERVAL between checks."""
    clock = Clock()
    session, _ = open_session(guide, tmp_path, monotonic=clock)
    session.files = FileStates(tmp_path, monotonic=clock)
    session.check()
    assert session.errors() == 0  # nothing read yet: nothing said of the files
    assert session.files.wait()
    clock.now += 1
    session.check()
    assert session.errors() == 0 and len(session.files.known) == len(session.draft.attachments)
    first, second = session.draft.attachments[:2]
    (tmp_path / first.path).unlink()
    (tmp_path / second.path).write_bytes(b"%PDF-1.4 another scan")
    clock.now += 1
    session.check()
    assert session.errors() == 0  # within the interval: not looked at
    clock.now += POLL_INTERVAL
    session.check()
    assert "attachments[0].path" in session.invalid_paths  # missing: no reading needed
    assert session.files.wait()
    session.check()
    assert "attachments[1].sha256" in session.invalid_paths
    assert session.errors() == 2
    session.close()


def test_completeness_follows_the_last_check(guide: Guide, tmp_path: Path) -> None:
    """Worked out once per check (the stepper, the status bar and every section switch ask
    for it), and anew after the next check."""
    session, _ = open_session(guide, tmp_path)
    assert session.parts() is None  # not checked yet
    session.check()
    parts = session.parts()
    assert parts is not None and parts["project"].complete
    assert session.parts() is parts
    edit_title(session, "")
    session.check()
    after = session.parts()
    assert after is not parts and after is not None
    assert not after["project"].complete and after["project"].errors >= 1
    session.close()


def test_flush_runs_a_due_check_then_saves(guide: Guide, tmp_path: Path) -> None:
    clock = Clock()
    session, _ = open_session(guide, tmp_path, monotonic=clock)
    session.check()
    edit_title(session, "")  # within the interval: the check is due, not run
    assert session.check_due and "project.title" not in session.invalid_paths
    assert session.flush()
    assert "project.title" in session.invalid_paths and not session.dirty
    session.close()


def test_switch_plan_names_what_goes_and_apply_does_it(guide: Guide, tmp_path: Path) -> None:
    session, _ = open_session(guide, tmp_path, code="1.4")
    session.draft.meta.status = "ready"
    attest_before = dict(session.draft.attest)
    changes = session.switch_changes("1.6")
    assert t("switch.ready", "zh") in changes
    dropped = [k for k in attest_before if k.startswith("1.4")]
    if dropped:
        assert t("switch.attest", "zh", count=len(dropped)) in changes
    assert session.draft.direction == "1.4"  # the plan changes nothing
    session.apply_switch("1.6")
    assert session.draft.direction == "1.6"
    assert all(not k.startswith("1.4") for k in session.draft.attest)
    session.close()


def test_a_lost_lock_file_is_taken_again(guide: Guide, tmp_path: Path) -> None:
    session, lock, heard = locked_session(guide, tmp_path)
    path = session.path
    os.unlink(lock_path(path))  # someone cleaned the folder
    edit_title(session, "relocked")
    assert session.save(wait=True)
    assert session.draft_lock is not lock and session.draft_lock is not None
    assert session.draft_lock.held and lock_path(path).exists()
    assert heard.notices
    session.close()


def test_keys_typed_before_the_due_check_runs_share_it(guide: Guide, tmp_path: Path) -> None:
    """`now` is "after the frame that draws the key": keys typed before that frame share the
    one check instead of each asking for their own."""
    clock = Clock()
    session, heard = open_session(guide, tmp_path, monotonic=clock)
    assert edit_title(session, "a").plan == CheckPlan(now=True)
    assert session.check_due
    assert edit_title(session, "ab").plan == CheckPlan()  # the same frame: one check
    session.check(typing=True)
    assert not session.check_due and heard.checks == 1
    session.close()
