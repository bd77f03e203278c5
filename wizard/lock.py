"""One editor per draft: an OS file lock beside the draft, with who holds it.

The OS releases the lock when its holder dies (even by SIGKILL or a power cut), so a lock
left by a dead process is simply taken over; the owner file is only there to tell a second
editor who has the draft open.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from wizard.catalogue import t
from wizard.files import NotRegularFile, atomic_write, file_kind, open_regular, read_limited

OWNER_MAX_BYTES = 4096


@dataclass(frozen=True)
class Owner:
    pid: int
    user: str
    host: str
    since: str

    def describe(self, lang: str) -> str:
        """`user@host（进程 42，自 … 起）`: who has a draft open, as the screens say it."""
        return t("lock.owner", lang, user=self.user, host=self.host, pid=self.pid, since=self.since)


class DraftLocked(Exception):
    def __init__(self, path: Path, owner: Owner | None) -> None:
        self.path = path
        self.owner = owner
        who = owner.describe("en") if owner else "another process"
        super().__init__(f"{path}: being edited by {who}")


def lock_path(draft: Path) -> Path:
    return draft.with_name(f".{draft.name}.lock")


def owner_path(draft: Path) -> Path:
    return draft.with_name(f".{draft.name}.owner")


def read_owner(draft: Path) -> Owner | None:
    """Who holds the draft, from its owner file; None if that is missing, unreadable, not a
    regular file (a link or FIFO is never followed or waited on) or not what we write."""
    try:
        fd = open_regular(owner_path(draft))
        try:
            raw = read_limited(fd, OWNER_MAX_BYTES)
        finally:
            os.close(fd)
        data = json.loads(raw.decode("utf-8"))
        return Owner(int(data["pid"]), str(data["user"]), str(data["host"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check_regular_or_absent(path: Path) -> None:
    """NotRegularFile if `path` exists as anything but a regular file (never followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, file_kind(mode), "remove it to edit the draft")


def _write_owner(draft: Path, text: str) -> None:
    """Write the owner file whole or not at all. Whatever is under its name (a stale file,
    a planted link or FIFO) is removed first, never opened: the lock is ours, so is the
    name. Then temp file + rename; on failure (disk full) no owner file is left, rather
    than an empty one or a stale one naming a process that is gone."""
    path = owner_path(draft)
    with contextlib.suppress(OSError):
        os.unlink(path)
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "?"


class DraftLock:
    """Hold with `acquire()` (raises DraftLocked) and `release()`, or as a context manager."""

    def __init__(self, draft: Path) -> None:
        self.draft = draft
        self._lock = FileLock(str(lock_path(draft)), timeout=0, is_singleton=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self) -> None:
        """Take the lock. DraftLocked if another process holds it; NotRegularFile (an
        OSError, one line) if the lock file is a link, FIFO, device or folder."""
        _check_regular_or_absent(lock_path(self.draft))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise DraftLocked(self.draft, read_owner(self.draft)) from None
        since = datetime.now().astimezone().replace(microsecond=0).isoformat()
        owner = {"pid": os.getpid(), "user": _current_user(), "host": socket.gethostname(),
                 "since": since}  # fmt: skip
        _write_owner(self.draft, json.dumps(owner))

    def release(self) -> None:
        if not self._lock.is_locked:
            return
        with contextlib.suppress(OSError):
            owner_path(self.draft).unlink()
        self._lock.release()

    def __enter__(self) -> DraftLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
