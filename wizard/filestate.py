"""Attachment files as the editor last found them, kept live without blocking a key.

`wizard check`, the package and the office files read every attached file when they run
(wizard.attachments.states). The editor cannot: a check runs on every keystroke and a scan
may be hundreds of MiB. `FileStates` keeps, per attachment path, the state last read
(size, SHA-256, or the problem) together with the file's stat key (device, inode, mode,
size, mtime_ns, ctime_ns). A cheap `lstat` of each path tells whether that state still
holds; only a file whose stat changed is read again, in a background thread, and the
result is taken in by the next `update` (the next check).

Racy files: a file changed twice within the filesystem's timestamp granularity could keep
its size and mtime. As git does for its index, a reading of a file modified within
`RACY_NS` of the read is not trusted for long: the file is read once more at the next
stat, when its mtime has aged.

No Textual here: the thread is a plain one-worker executor; `on_read` (called from that
thread) lets a screen wake up to take the result in sooner than the next check.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # wizard.attachments brings the rules' model (and so the rules) in: imported where a file
    # is first looked at, not when the editor's session is made.
    from wizard.attachments import FileState
    from wizard.draft import Draft

# How often the editor looks at the files at most while it is open (a stat per file).
POLL_INTERVAL = 3.0
# A file modified this close to its reading may change again with the same stat key.
RACY_NS = 2_000_000_000

# What stat says of a path: (device, inode, mode, size, mtime_ns, ctime_ns); MISSING when
# there is nothing at the path.
StatKey = tuple[int, int, int, int, int, int]
MISSING: StatKey = (-1, -1, -1, -1, -1, -1)


def stat_key(folder: Path, path: str) -> StatKey:
    """The stat key of `path` (relative to `folder`), without following a final link.
    OSError other than "not there" (a folder that cannot be searched) propagates."""
    try:
        info = os.lstat(folder / path.strip().replace("\\", "/"))
    except (FileNotFoundError, NotADirectoryError):
        return MISSING
    return (
        info.st_dev,
        info.st_ino,
        info.st_mode,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
    )


def _key_or_none(folder: Path, path: str) -> StatKey | None:
    try:
        return stat_key(folder, path)
    except OSError:
        return None


@dataclass(frozen=True)
class Reading:
    """One read of a file: its state and the stat key it had throughout (None: the file
    changed while it was read, so the state belongs to no stat key)."""

    path: str
    state: FileState
    key: StatKey | None
    racy: bool = False  # modified within RACY_NS of the read: read it again later


def read(
    folder: Path | str,
    path: str,
    reader: Callable[[Path, str], FileState] | None = None,
    now_ns: Callable[[], int] = time.time_ns,
) -> Reading:
    """Read and hash the file (slow: call it in a thread). The stat key is taken before and
    after the read; a file changed in between gives a Reading without a key."""
    if reader is None:
        from wizard.attachments import file_state

        reader = file_state
    folder = Path(folder)
    started = now_ns()
    before = _key_or_none(folder, path)
    state = reader(folder, path)
    after = _key_or_none(folder, path)
    key = before if before == after else None
    racy = key is not None and key != MISSING and started - key[4] < RACY_NS
    return Reading(path.strip(), state, key, racy)


def attached_paths(draft: Draft) -> list[str]:
    """The paths of the draft's attachments that record a file (size and SHA-256): the
    ones the rules compare with what is on disk."""
    return [a.path.strip() for a in draft.attachments if a.sha256 and a.path.strip()]


@dataclass
class _Known:
    key: StatKey | None  # the stat key the state holds for (None: not known yet)
    state: FileState | None = None
    racy: bool = False


class FileStates:
    """The state of each attachment file, by path, kept current by stat (see the module).

    `known` maps each path whose state is current to it: what `evaluate` is given. A path
    being read (or never looked at) is not in it, so the rules say nothing of it yet.
    Everything but `read` and the executor's work runs on the caller's (UI) thread.
    """

    def __init__(
        self,
        folder: Path | str,
        *,
        interval: float = POLL_INTERVAL,
        reader: Callable[[Path, str], FileState] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        now_ns: Callable[[], int] = time.time_ns,
        background: bool = True,
    ) -> None:
        self.folder = Path(folder)
        self.interval = interval
        self.known: dict[str, FileState] = {}
        self.on_read: Callable[[], None] | None = None  # from the reading thread
        self._reader = reader
        self._monotonic = monotonic
        self._now_ns = now_ns
        self._background = background
        self._entries: dict[str, _Known] = {}
        self._reading: set[str] = set()  # paths given to the thread, not taken in yet
        self._done: list[Reading] = []  # read by the thread, taken in by the next update
        self._lock = threading.Condition()
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False
        self._last_stat: float | None = None

    # -- what is known -----------------------------------------------------------------------
    def state(self, path: str) -> FileState | None:
        """The current state of the file at `path`; None while it is being read."""
        return self.known.get(path.strip())

    def pending(self, path: str) -> bool:
        return path.strip() in self._reading

    @property
    def busy(self) -> bool:
        """A file is being read (or read and not taken in yet)."""
        return bool(self._reading)

    # -- keeping it current ------------------------------------------------------------------
    def update(self, paths: Iterable[str], force: bool = False) -> bool:
        """Take in what the thread has read, and (at most every `interval` seconds, or at
        once if `force`) stat each of `paths`, reading again the files whose stat changed.
        True if `known` changed (a check would say something else)."""
        changed = self._take_in()
        now = self._monotonic()
        if force or self._last_stat is None or now - self._last_stat >= self.interval:
            self._last_stat = now
            for path in dict.fromkeys(p.strip() for p in paths if p.strip()):
                changed |= self._restat(path)
        return changed

    def _restat(self, path: str) -> bool:
        from wizard.attachments import FileState, relative_problem

        if relative_problem(path) is not None:
            return self._set(path, _Known(None, FileState(path, "outside")))
        try:
            key = stat_key(self.folder, path)
        except OSError as exc:
            state = FileState(path, "unreadable", detail=exc.strerror or str(exc))
            return self._set(path, _Known(None, state))
        if key == MISSING:
            return self._set(path, _Known(MISSING, FileState(path, "missing")))
        entry = self._entries.get(path)
        if entry is not None and entry.key == key and entry.state is not None and not entry.racy:
            return False
        if entry is not None and entry.key == key and entry.state is not None:
            # Racy: keep showing it, but read it once more now that its mtime has aged.
            entry.racy = False
            self._submit(path)
            return False
        self._entries[path] = _Known(key)
        had = self.known.pop(path, None) is not None
        self._submit(path)
        return had

    def _set(self, path: str, entry: _Known) -> bool:
        self._entries[path] = entry
        assert entry.state is not None
        old = self.known.get(path)
        self.known[path] = entry.state
        return old != entry.state

    def accept(self, reading: Reading) -> bool:
        """Take in a reading (the thread's, or one the screen made when attaching) if it
        still holds: the file's stat key now is the one it was read with. Otherwise the
        file is read again. True if `known` changed."""
        path = reading.path
        if reading.key is None or _key_or_none(self.folder, path) != reading.key:
            # Changed while (or since) it was read: unknown until the next stat reads it
            # again (not at once: a file being written would be read over and over).
            self._entries[path] = _Known(None)
            return self.known.pop(path, None) is not None
        return self._set(path, _Known(reading.key, reading.state, reading.racy))

    def _take_in(self) -> bool:
        if not self._done:
            return False
        with self._lock:
            done, self._done = self._done, []
        changed = False
        for reading in done:
            self._reading.discard(reading.path)
            changed |= self.accept(reading)
        return changed

    # -- the reading thread ------------------------------------------------------------------
    def _submit(self, path: str) -> None:
        if self._closed or path in self._reading:
            return
        self._reading.add(path)
        if not self._background:
            self._finished(self._read(path))
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wizard-files")
        future = self._executor.submit(self._read, path)
        future.add_done_callback(self._done_callback)

    def _read(self, path: str) -> Reading:
        return read(self.folder, path, self._reader, self._now_ns)

    def _done_callback(self, future: Future[Reading]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:  # pragma: no cover - file_state reports OS errors as states
            return
        self._finished(future.result())

    def _finished(self, reading: Reading) -> None:
        with self._lock:
            self._done.append(reading)
            self._lock.notify_all()
        wake = self.on_read
        if wake is not None and not self._closed:
            wake()

    def wait(self, timeout: float = 5.0) -> bool:
        """Until every file given to the thread is read (tests, and `wizard` tools that want
        a complete answer); True if none is left unread."""
        with self._lock:
            return self._lock.wait_for(
                lambda: not (self._reading - {r.path for r in self._done}), timeout
            )

    def close(self) -> None:
        """No more reading (a file being read finishes in its thread; nobody waits for it)."""
        self._closed = True
        self.on_read = None
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
