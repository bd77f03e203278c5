"""One editing session of a draft: its state and decisions, without a terminal.

`EditSession` holds what the editor screen edits and decides: the draft, its guide and path,
the one-editor lock, the file as last read or written (`TrackedDraft`), dirty state, undo and
redo (`History`), the last check's result and when to check next, the save pipeline (a
snapshot written in a one-thread executor; outcomes: saved, the file changed underneath, or
an OS error to retry), the choices when the file changed underneath (keep mine, take theirs,
merge), recovery copies and saves elsewhere, and what switching the direction would change.

The screen keeps the timers and the drawing: it listens (`SessionListener`) and is told of
edits (with a `CheckPlan`: check now, in N seconds, or one is already due), of checks, of saves
started and finished, and of notices to show. Clocks are injectable, so all of it is tested
without a terminal (tests/unit/test_session.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from wizard.catalogue import t
from wizard.conflict import DraftChanged, TrackedDraft, lock_identity, merge_data, write_copy
from wizard.display import printable
from wizard.draft import H2020, Draft, prefill_partner
from wizard.filestate import FileStates, attached_paths
from wizard.history import History, Step
from wizard.progress import Completeness, completeness, sections_for
from wizard.store import draft_data, dump_data, write_draft_data

if TYPE_CHECKING:
    from wizard.guide import Direction, Guide
    from wizard.lock import DraftLock
    from wizard.rules import Violation

# The first edit after a quiet spell is checked at once, just after the frame that echoes
# the key (a check in the key's own handler would hold its echo back by the check's cost),
# so the problems panel follows in the next frame; edits that follow within CHECK_INTERVAL
# (a paste, held keys) share one check at the end of the interval.
CHECK_INTERVAL = 0.05
# A check dearer than a frame (evaluate and the problems panel) is not run at once, where it
# would hold back the keys typed after it; it follows DEFERRED_CHECK_DELAY later instead.
# (Below a frame it costs the next key at most that frame: 300 units, ≈ 10 ms, run at once.)
INLINE_CHECK_BUDGET = 0.0167
DEFERRED_CHECK_DELAY = 0.05
SAVE_DELAY = 0.8  # an edit is saved this long after it (edits in between share the save)
# Marking a draft ready waits this long at most for its attached files to be read.
READY_READ_TIMEOUT = 5.0
RETRY_DELAY = 5.0  # a save that failed (disk full, permissions) is tried again this later

Severity = Literal["information", "warning", "error"]
SaveOutcome = Literal["saved", "conflict", "failed"]


@dataclass(frozen=True)
class Notice:
    """Something to tell the applicant. `exit_note`: say it again on the terminal once the
    wizard has ended (where the text went); `lost`: the text could not be written at all."""

    text: str
    severity: Severity = "information"
    timeout: float | None = None
    exit_note: bool = False
    lost: bool = False


@dataclass(frozen=True)
class CheckPlan:
    """When to check after an edit: `now` (as soon as the key is drawn: the screen checks
    right after the frame that echoes it), in `delay` seconds, or neither (a check is
    already due)."""

    now: bool = False
    delay: float | None = None


@dataclass(frozen=True)
class EditOutcome:
    plan: CheckPlan
    back_to_draft: bool  # the draft was marked ready; an edit makes it a draft again


class SessionListener(Protocol):
    """What the screen hears from its session (all on the UI thread)."""

    def session_edited(self, path: str, outcome: EditOutcome) -> None: ...
    def session_checked(self) -> None: ...  # show the problems (counted in the check's cost)
    def session_check_done(self, typing: bool) -> None: ...  # the rest a check changes
    def session_saving(self, future: Future[datetime | None]) -> None: ...
    def session_saved(self, outcome: SaveOutcome, background: bool) -> None: ...
    def session_notice(self, notice: Notice) -> None: ...


def _wall_clock() -> datetime:
    return datetime.now().astimezone()


class EditSession:
    def __init__(
        self,
        path: Path,
        draft: Draft,
        guide: Guide,
        lang: str,
        *,
        lock: DraftLock | None = None,
        text: str | None = None,
        clock: Callable[[], datetime] | None = None,
        wall: Callable[[], datetime] = _wall_clock,
        monotonic: Callable[[], float] = time.monotonic,
        perf_counter: Callable[[], float] = time.perf_counter,
    ) -> None:
        from wizard.lock import lock_path

        self.path = path
        self.draft = draft
        self.guide = guide
        self.lang = lang
        self.clock = clock  # the app's clock, for stamps in the draft (attachments)
        self._wall = wall  # recovery copies' stamps
        self._monotonic = monotonic
        self._perf = perf_counter
        self.listener: SessionListener | None = None
        self.draft_lock = lock  # released by close(), after the last save
        self._lock_id = lock_identity(lock_path(path)) if lock is not None else None
        # What the file held when read (`text`, as loaded) or last written: saves check it
        # has not changed underneath, and keep its comments (wizard/conflict.py).
        self.file = (
            TrackedDraft(path, text.encode("utf-8"))
            if text is not None
            else TrackedDraft.read(path)
        )
        self.dirty = False
        self.meta_dirty = False
        self.save_error = ""
        self.conflict: DraftChanged | None = None
        self.written_to: Path | None = None  # a save elsewhere or a recovery copy
        self.history = History(draft_data(draft), clock=monotonic)
        # Filled by the first check.
        self.checked = False
        self.violations: list[Violation] = []
        self._parts: dict[str, Completeness] = {}
        self._parts_of: list[Violation] | None = None  # the check `_parts` follows from
        self.invalid_paths: set[str] = set()
        self.last_check = 0.0  # monotonic time of the last check
        self.check_cost = 0.0  # seconds the last check took (evaluate and the panel)
        self.check_due = False  # a later check is planned (the screen's timer)
        self.pending: Future[datetime | None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wizard-save")
        # The attachment files as last read (stat-cached, hashed in their own thread): each
        # check judges the ones known (wizard/filestate.py).
        self.files = FileStates(path.parent)

    # -- what is edited ----------------------------------------------------------------------
    @property
    def direction(self) -> Direction:
        d = self.guide.direction(self.draft.direction)
        assert d is not None
        return d

    @property
    def sections(self) -> tuple[str, ...]:
        return sections_for(self.direction)

    def _say(self, notice: Notice) -> None:
        if self.listener is not None:
            self.listener.session_notice(notice)

    # -- edits and checks --------------------------------------------------------------------
    def edited(self, path: str, record: bool = True) -> EditOutcome:
        """The draft changed at `path`: an undo step (unless `record` is False), unsaved, a
        ready draft a draft again, and when to check."""
        if record:
            self.history.record(draft_data(self.draft), path)
        self.dirty = True
        back = self.draft.meta.status == "ready"
        if back:
            self.draft.meta.status = "draft"
            self._say(Notice(t("ed.back_to_draft", self.lang)))
        outcome = EditOutcome(self.plan_check(), back)
        if self.listener is not None:
            self.listener.session_edited(path, outcome)
        return outcome

    def plan_check(self) -> CheckPlan:
        if self.check_due:
            return CheckPlan()
        wait = self.last_check + CHECK_INTERVAL - self._monotonic()
        self.check_due = True
        if self.check_cost <= INLINE_CHECK_BUDGET:
            # At once after the key's frame, or at the end of the interval since the last.
            return CheckPlan(now=True) if wait <= 0 else CheckPlan(delay=wait)
        # A draft whose check costs more than a frame (hundreds of units): a while after
        # the key, so that the keys typed meanwhile share it.
        return CheckPlan(delay=max(wait, DEFERRED_CHECK_DELAY))

    def check(self, typing: bool = False) -> list[Violation]:
        """Check the draft; the listener shows the problems (within the check's measured
        cost), then the rest that follows from a check."""
        from wizard.rules import evaluate

        self.check_due = False
        started = self._perf()
        self.look_at_files()
        self.violations = evaluate(self.draft, self.guide, self.files.known)
        self.checked = True
        self.invalid_paths = {v.path for v in self.violations}
        if self.listener is not None:
            self.listener.session_checked()
        self.check_cost = self._perf() - started
        self.last_check = self._monotonic()
        if self.listener is not None:
            self.listener.session_check_done(typing)
        return self.violations

    def look_at_files(self, stat_now: bool = False) -> bool:
        """Take in the attached files read since the last look, and stat them (at most every
        POLL_INTERVAL, or now); True if a file's state changed (then a check shows it)."""
        return self.files.update(attached_paths(self.draft), force=stat_now)

    def read_all_files(self, timeout: float = READY_READ_TIMEOUT) -> bool:
        """Every attached file stat'ed now and read to its end (waiting up to `timeout`), so
        that the next check judges all of them: a file being read is not judged, and a
        draft must not be marked ready on a check that did not look. False if one is still
        being read."""
        self.look_at_files(stat_now=True)
        done = self.files.wait(timeout)
        self.look_at_files()
        return done

    def parts(self) -> dict[str, Completeness] | None:
        """Each section's completeness after the last check (None before the first), worked
        out once per check: the stepper, the status bar and a section switch all ask."""
        if not self.checked:
            return None
        if self._parts_of is not self.violations:
            self._parts = completeness(self.draft, self.guide, self.violations)
            self._parts_of = self.violations
        return self._parts

    def errors(self) -> int:
        from wizard.rules import counts

        return counts(self.violations)["error"]

    def note_focus(self, section: str, path: str) -> None:
        """The reading position, written with the next edit (never alone)."""
        meta = self.draft.meta
        if meta.last_field != path or meta.last_section != section:
            meta.last_field = path
            meta.last_section = section
            self.meta_dirty = True

    def note_section(self, section: str) -> None:
        if self.draft.meta.last_section != section:
            self.draft.meta.last_section = section
            self.meta_dirty = True

    def set_status(self, status: str) -> bool:
        """Mark the draft ready or a draft again, saved at once."""
        self.draft.meta.status = status  # type: ignore[assignment]
        self.dirty = True
        return self.save(wait=True)

    # -- undo / redo --------------------------------------------------------------------------
    def undo(self) -> Step | None:
        return self.history.undo()

    def redo(self) -> Step | None:
        return self.history.redo()

    def restore(self, step: Step) -> bool:
        """Put the draft as `step` has it; True if its direction changed. The session's own
        state (status, reading position, save stamps) is not undone; the text kept for
        unreadable entries is part of what was typed, so it is."""
        direction = self.draft.direction
        meta = {**self.draft.meta.model_dump(), "unparsed": step.state["meta"]["unparsed"]}
        restored = Draft.model_validate({**step.state, "meta": meta})
        for name in Draft.model_fields:
            setattr(self.draft, name, getattr(restored, name))
        return self.draft.direction != direction

    # -- saving -------------------------------------------------------------------------------
    def save(self, wait: bool = False) -> bool:
        """Write pending changes: in the save thread, or at once when `wait` (quit, leave).

        Saves are serialized by a one-thread executor, so a later save never lands before an
        earlier one. Only a real edit writes: the reading position (last section/field) is
        written with the next edit, so opening a draft and leaving never rewrites it. While
        a conflict with the file waits for the applicant's choice, nothing is written.
        True: started (not `wait`), or on disk (`wait`).
        """
        if self.conflict is not None:
            return False
        if self.dirty:
            self._check_lock()
            # Plain data, not a deep model copy: ~0.1 ms on the UI thread for a large draft;
            # the TOML is made in the save thread.
            snapshot = draft_data(self.draft)
            self.dirty = False
            self.meta_dirty = False
            future = self._executor.submit(self._write, snapshot)
            self.pending = future
            if not wait:
                if self.listener is not None:
                    self.listener.session_saving(future)
                return True
        pending = self.pending
        if pending is None:
            return not self.save_error and not self.dirty
        try:
            pending.result()
        except Exception:
            pass
        return self.saved(pending, background=False)

    def _write(self, snapshot: dict[str, Any]) -> datetime | None:
        """In the save thread: write a snapshot of the draft (atomic, fsync'd by the store),
        unless the file changed underneath (DraftChanged: nothing written)."""
        return self.file.write(snapshot, True)

    @property
    def saving(self) -> bool:
        return self.pending is not None and not self.pending.done()

    def saved(self, future: Future[datetime | None], background: bool = True) -> bool:
        """A save finished (`future` done): the session's state follows its outcome."""
        if self.pending is future:
            self.pending = None
        exc = future.exception()
        outcome: SaveOutcome
        if isinstance(exc, DraftChanged):
            self.dirty = True  # kept in memory until the applicant chooses
            self.conflict = exc
            self.save_error = t("ed.conflict_short", self.lang)
            outcome = "conflict"
        elif exc is not None:
            self.save_error = str(getattr(exc, "strerror", None) or exc)
            self.dirty = True  # try again
            outcome = "failed"
        else:
            self.save_error = ""
            updated = future.result()
            if updated is not None:
                self.draft.meta.updated = updated
                if self.draft.meta.created is None:
                    self.draft.meta.created = updated
            outcome = "saved"
        if self.listener is not None:
            self.listener.session_saved(outcome, background)
        return outcome == "saved"

    def _check_lock(self) -> None:
        """Before a save: is the lock file still the one this session locked? If it was
        deleted (or replaced), a second editor could open the draft: lock it anew, or, if
        another process already has it, warn (the conflict check still stops either editor
        from overwriting the other's saves)."""
        from wizard.lock import DraftLock, DraftLocked, lock_path

        if self.draft_lock is None or self._lock_id is None:
            return
        if lock_identity(lock_path(self.path)) == self._lock_id:
            return
        fresh = DraftLock(self.path)
        try:
            fresh.acquire()
        except (DraftLocked, OSError) as exc:
            owner = getattr(exc, "owner", None)
            who = owner.describe(self.lang) if owner else "?"
            self._lock_id = lock_identity(lock_path(self.path))  # warn once per new lock
            self._say(Notice(printable(t("ed.lock_lost", self.lang, who=who)), "warning", 10))
            return
        # Our old lock is on a file no longer in the folder: let it go (its owner file, if
        # any, is the new lock's now, so it is not removed).
        old = self.draft_lock
        self.draft_lock = fresh
        self._lock_id = lock_identity(lock_path(self.path))
        old._lock.release()
        self._say(Notice(t("ed.lock_renewed", self.lang)))

    def flush(self) -> bool:
        """Check if a check is due, save whatever is pending and wait for it (quit, leave,
        pack). False: the text is not on disk (the save failed, or the file changed
        underneath and waits for a choice)."""
        if self.check_due:
            self.check()
        return self.save(wait=True)

    def close(self) -> None:
        """The editor closes: the last save (or a recovery copy), then the lock goes."""
        if not self.save(wait=True) and self.dirty:
            self.rescue()  # the draft could not be written: the text goes to a recovery copy
        self._executor.shutdown(wait=True)
        self.files.close()
        if self.draft_lock is not None:
            self.draft_lock.release()

    # -- when a save cannot be done: conflicts, failures, recovery ----------------------------
    def theirs(self) -> Draft | None:
        """The file's version, while a conflict waits (None if unreadable or deleted)."""
        from wizard.files import DraftError
        from wizard.store import parse_draft

        raw = self.conflict.theirs if self.conflict is not None else None
        if raw is None:
            return None
        try:
            return parse_draft(raw.decode("utf-8"), self.path, self.guide)
        except (DraftError, UnicodeDecodeError, ValueError):
            return None

    def _copy_beside(self, tag: str, raw: bytes) -> Path | None:
        try:
            return write_copy(self.path, tag, raw)
        except OSError as exc:
            reason = str(exc.strerror or exc)
            self._say(Notice(printable(t("ed.copy_failed", self.lang, error=reason)), "error"))
            return None

    def _resolved(self, theirs_raw: bytes) -> None:
        self.file.accept(theirs_raw)
        self.conflict = None
        self.save_error = ""

    def keep_mine(self) -> bool:
        """Keep the applicant's version; the file's is saved beside it as a copy."""
        exc = self.conflict
        if exc is None:
            return True
        if exc.theirs is not None:
            copy = self._copy_beside("theirs", exc.theirs)
            if copy is None:
                return False
            self._resolved(exc.theirs)
            self._say(Notice(printable(t("ed.kept_mine", self.lang, copy=copy.name))))
        else:
            self.file.overwrite_next = True
            self.conflict = None
            self.save_error = ""
        self.dirty = True
        return self.save(wait=True)

    def take_theirs(self, theirs: Draft) -> bool:
        """Take the file's version; the applicant's is saved beside it as a copy. The caller
        shows the new draft (`replace_draft` was done)."""
        exc = self.conflict
        if exc is None or exc.theirs is None:
            return False
        copy = self._copy_beside("mine", dump_data(draft_data(self.draft)).encode("utf-8"))
        if copy is None:
            return False
        self._resolved(exc.theirs)
        self.dirty = False
        self.replace_draft(theirs)
        self._say(Notice(printable(t("ed.took_theirs", self.lang, copy=copy.name))))
        return True

    def merge(self, theirs: Draft, take: set[str]) -> bool | None:
        """Mine, with the chosen fields as the file has them, saved; the file's version is
        saved beside as a copy. None: nothing changed (a merge that is no valid draft, or no
        copy could be written); else whether the merge is on disk."""
        from pydantic import ValidationError

        exc = self.conflict
        if exc is None or exc.theirs is None:
            return None
        merged = merge_data(draft_data(self.draft), draft_data(theirs), take)
        try:
            draft = Draft.model_validate(merged)
        except ValidationError as err:
            self._say(Notice(printable(str(err.errors()[0]["msg"])), "error"))
            return None
        copy = self._copy_beside("theirs", exc.theirs)
        if copy is None:
            return None
        self._resolved(exc.theirs)
        self.replace_draft(draft)
        self.dirty = True
        ok = self.save(wait=True)
        self._say(Notice(printable(t("ed.merged", self.lang, copy=copy.name))))
        return ok

    def replace_draft(self, draft: Draft, path: str = "project.title") -> None:
        """Edit `draft` from now on (the file's version, or a merge); one undo step goes back
        to the applicant's version."""
        self.draft = draft
        self.history.record(draft_data(draft), path)

    def _exit_note(self, message: str, lost: bool = False) -> None:
        self._say(Notice(printable(message), "warning", 15, exit_note=True, lost=lost))

    def rescue(self) -> Path | None:
        """Write the draft as a recovery copy (the draft's own file could not be written);
        where it went, or None (and the reason in save_error) if nothing could be written."""
        from wizard.recovery import write_recovery

        snapshot = draft_data(self.draft)
        snapshot["meta"]["updated"] = self._wall().replace(microsecond=0)
        name = self.path.name
        try:
            where = write_recovery(dump_data(snapshot), self.path)
        except OSError as exc:
            self.save_error = str(exc.strerror or exc)
            self._exit_note(t("ed.rescue_failed", self.lang, name=name, error=self.save_error), lost=True)  # fmt: skip
            return None
        self._written(where)
        self._exit_note(t("ed.rescued", self.lang, name=name, path=str(where)))
        return where

    def _written(self, where: Path) -> None:
        self.dirty = False
        self.meta_dirty = False
        self.written_to = where

    def save_elsewhere(self, value: str) -> bool:
        """Save the draft to the path the applicant typed (a folder: the draft's name in it),
        never over an existing file; False (and said why) if it was not written."""
        target = Path(value).expanduser()
        if target.is_dir():
            target = target / self.path.name
        if os.path.lexists(target):
            self._say(Notice(printable(t("ed.elsewhere_exists", self.lang, path=str(target))), "error"))  # fmt: skip
            return False
        try:
            write_draft_data(draft_data(self.draft), target)
        except OSError as exc:
            reason = exc.strerror or exc
            self._say(Notice(printable(t("ed.elsewhere_failed", self.lang, error=reason)), "error"))  # fmt: skip
            return False
        self._written(target)
        self._exit_note(t("ed.saved_elsewhere", self.lang, path=str(target)))
        return True

    # -- switching the direction -------------------------------------------------------------
    def switch_changes(self, code: str) -> list[str]:
        """What switching to direction `code` would change or drop, in the applicant's words."""
        new = self.guide.direction(code)
        assert new is not None
        old = self.direction
        lang, draft = self.lang, self.draft
        out: list[str] = []
        p = draft.project
        drop_field, drop_topic = self._dropped_by(new)
        if drop_field:
            out.append(t("switch.field", lang, value=printable(p.field)))
        if drop_topic:
            out.append(t("switch.topic", lang, value=printable(p.topic)))
        if old.h2020 and not new.h2020 and draft.h2020 != H2020():
            out.append(t("switch.h2020", lang))
        if new.h2020 and not old.h2020:
            out.append(t("switch.h2020_new", lang))
        keep = self._attestations(new)
        dropped = [k for k in draft.attest if k not in keep]
        if dropped:
            out.append(t("switch.attest", lang, count=len(dropped)))
        country = draft.partner.country.strip()
        if country and country not in (new.partner.zh, new.partner.en):
            partner = new.partner.en if lang == "en" else new.partner.zh
            out.append(t("switch.partner", lang, value=printable(country), partner=partner))
        central = sum(
            (draft.amount(c.key, "central") for c in self.guide.form.categories), Decimal(0)
        )
        if central > new.funding.amount:  # the direction's funding is judged on central funds
            out.append(t("switch.budget", lang, total=central, cap=new.funding.amount))
        if draft.meta.status == "ready":
            out.append(t("switch.ready", lang))
        return out

    def _dropped_by(self, new: Direction) -> tuple[bool, bool]:
        """Whether the project's field, and its topic, have no place in direction `new`."""
        p = self.draft.project
        drop_field = (
            bool(p.field) and new.fields.mode == "listed" and new.fields.find(p.field) is None
        )
        field = new.fields.find(p.field)
        drop_topic = bool(p.topic) and (
            field is None or p.topic not in {tp.key for tp in field.topics}
        )
        return drop_field, drop_topic

    def _attestations(self, direction: Direction) -> set[str]:
        return {r.id for _, r in self.guide.requirements_for(direction) if r.kind == "attestation"}

    def apply_switch(self, code: str) -> None:
        """Switch the draft to direction `code`: what the new one has no place for goes (as
        switch_changes said), the partner is prefilled; then an edit of "direction"."""
        new = self.guide.direction(code)
        assert new is not None
        draft = self.draft
        p = draft.project
        drop_field, drop_topic = self._dropped_by(new)  # as switch_changes said
        if drop_field:
            p.field = ""
        if drop_topic:
            p.topic = ""
        if not new.h2020:
            draft.h2020 = H2020()
            unparsed = draft.meta.unparsed  # its kept texts go with the section
            draft.meta.unparsed = {k: v for k, v in unparsed.items() if not k.startswith("h2020.")}
        keep = self._attestations(new)
        draft.attest = {k: v for k, v in draft.attest.items() if k in keep}
        prefill_partner(draft, new, old=self.guide.direction(draft.direction))
        draft.direction = code
