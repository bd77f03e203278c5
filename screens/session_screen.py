"""The editor screen's half of its session: the timers (check, chrome, save) and what the
screen does when the session tells it of an edit, a check, a save or a notice
(wizard.session.SessionListener). The decisions are the session's; here they are drawn."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual.timer import Timer

from screens._textual_compat import StartupFrameScreen
from wizard.filestate import POLL_INTERVAL
from wizard.session import (
    DEFERRED_CHECK_DELAY,
    RETRY_DELAY,
    SAVE_DELAY,
    EditOutcome,
    Notice,
    SaveOutcome,
)

if TYPE_CHECKING:
    from wizard.session import EditSession

# While typing, what a check changes besides the problems panel (field marks, stepper, status
# and title bars) is redrawn this long after it, in a later frame: Textual redraws the box
# around everything changed in a frame, and bars at the top and bottom with the stepper on
# the left would make that the whole screen (≈ 10–15 ms) before the panel could show.
CHROME_DELAY = 0.04
T = TypeVar("T")


class FromSession(Generic[T]):
    """A read-only attribute of the screen that is its session's (`editor.draft`, …)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, screen: SessionScreen, owner: type | None = None) -> T:
        return getattr(screen.session, self.name)  # type: ignore[no-any-return]


class SessionScreen(StartupFrameScreen):
    session: EditSession
    _check_timer: Timer | None = None
    _chrome_timer: Timer | None = None
    _save_timer: Timer | None = None
    _title_pending = False
    _closed = False
    _loop: asyncio.AbstractEventLoop | None = None
    _file_wake_queued = False

    if TYPE_CHECKING:

        def update_panel(self) -> None: ...
        def update_title(self) -> None: ...
        def update_chrome(self) -> None: ...
        def update_status(self, parts: dict[str, Any] | None = None) -> None: ...
        def show_conflict(self, then: Any = None) -> None: ...

    def _chrome_later(self, title: bool = False) -> None:
        self._title_pending |= title
        if self._chrome_timer is None:
            self._chrome_timer = self.set_timer(CHROME_DELAY, self.update_chrome)

    def edited(self, path: str, record: bool = True) -> None:
        self.session.edited(path, record)

    def session_edited(self, path: str, outcome: EditOutcome) -> None:
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_now)
        self._chrome_later(title=path.startswith("project.title"))
        if outcome.plan.now:
            # After the frame that echoes the key (the check and the panel follow it), or
            # at the latest DEFERRED_CHECK_DELAY later if the screen keeps being redrawn.
            self.call_after_refresh(self._due_check)
            self._check_timer = self.set_timer(DEFERRED_CHECK_DELAY, self._due_check)
        elif outcome.plan.delay is not None:
            self._check_timer = self.set_timer(outcome.plan.delay, partial(self.run_check, typing=True))  # fmt: skip

    def _due_check(self) -> None:
        if self.session.check_due and not self._closed:
            self.run_check(typing=True)

    def run_check(self, typing: bool = False) -> None:
        """Check the draft and show its problems; the rest of the screen that follows from a
        check is updated at once, or, while typing, CHROME_DELAY later."""
        self.session.check(typing)

    def session_checked(self) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        self.update_panel()

    def session_check_done(self, typing: bool) -> None:
        self._chrome_later() if typing else self.update_chrome()

    # -- the attached files, kept live from open -----------------------------------------------
    def watch_files(self) -> None:
        """Every POLL_INTERVAL a stat of each attached file (cheap); a file whose stat changed
        is read in the session's file thread, and a state that changed is checked at once:
        a file changed or removed on disk shows in the problems panel, whichever section is
        shown."""
        self._loop = asyncio.get_running_loop()
        self.session.files.on_read = self._file_read
        self.set_interval(POLL_INTERVAL, partial(self.poll_files, True))

    def _file_read(self) -> None:
        """From the file thread: a file was read; taken in on the screen's thread."""
        loop = self._loop
        if loop is None or self._file_wake_queued:
            return  # files read one after another are taken in by one poll
        self._file_wake_queued = True
        try:
            loop.call_soon_threadsafe(self._file_woken)
        except RuntimeError:  # the app has ended
            pass

    def _file_woken(self) -> None:
        self._file_wake_queued = False
        self.poll_files()

    def poll_files(self, stat: bool = False) -> None:
        if self._closed or not self.is_attached:
            return
        if self.session.look_at_files(stat_now=stat):
            self.run_check()

    def save_now(self, wait: bool = False) -> bool:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        return self.session.save(wait)

    def session_saving(self, future: Future[datetime | None]) -> None:
        if not self._closed:
            self.update_status()
            self.run_worker(self._await_save(future), group="save", exit_on_error=False)

    async def _await_save(self, future: Future[datetime | None]) -> None:
        try:
            await asyncio.wrap_future(future)
        except Exception:
            pass
        self.session.saved(future, background=True)

    def session_saved(self, outcome: SaveOutcome, background: bool) -> None:
        if self._closed or not self.is_attached:
            return
        self.update_status()
        if outcome == "conflict" and background:
            self.show_conflict()
        elif outcome == "failed" and self._save_timer is None:
            self._save_timer = self.set_timer(RETRY_DELAY, self.save_now)

    def session_notice(self, notice: Notice) -> None:
        if notice.exit_note:  # said again on the terminal once the wizard has ended
            notes = getattr(self.app, "exit_notes", None)
            if notes is not None:
                notes.append(notice.text)
            if notice.lost and hasattr(self.app, "lost_text"):
                self.app.lost_text = True
        elif self._closed:
            return
        if self.is_attached:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)  # fmt: skip

    def flush(self) -> bool:
        """Save whatever is pending and wait for it (quit, leave). False: the text is not on
        disk (the save failed, or the file changed underneath and waits for a choice)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        return self.session.flush()

    def _stop_timers(self) -> None:
        for timer in (self._check_timer, self._chrome_timer):
            if timer is not None:
                timer.stop()
        self._check_timer = self._chrome_timer = None
