"""Attached files on disk: where an attachment's path leads, and whether the file is still
the one recorded (size and SHA-256). The only I/O of the attachment checks; the rules get
its answers as data (`AttachmentState`, passed to `evaluate`), so they stay pure.

An attachment's path is relative to the draft's folder and must stay inside it: an absolute
path or one with `..` that leaves the folder is refused, as are links and anything that is
not a regular file (wizard.files.open_regular).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from wizard.draft import Attachment, Draft
from wizard.files import NotRegularFile, open_regular
from wizard.rules.model import AttachmentState

# Attachments are scans (PDF); larger files are refused rather than hashed for minutes.
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024
_CHUNK = 1 << 20

# The state of an attached file is the rules' own type: they judge it without reading files.
FileState = AttachmentState


def matches(state: AttachmentState, attachment: Attachment) -> bool:
    """The file is the one recorded when it was attached."""
    return not state.problem and attachment.sha256 == state.sha256 and attachment.size == state.size


def relative_problem(path: str) -> str | None:
    """Why `path` cannot name a file inside the draft's folder, or None."""
    text = path.strip()
    if not text:
        return "empty"
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute():
        return "absolute"
    if PureWindowsPath(text).drive:
        return "absolute"
    depth = 0
    for part in PurePosixPath(text.replace("\\", "/")).parts:
        if part == "..":
            depth -= 1
            if depth < 0:
                return "outside"
        elif part not in ("", "."):
            depth += 1
    return None


def file_state(folder: Path | str, path: str) -> FileState:
    """Read the file `path` (relative to `folder`) and hash it."""
    if relative_problem(path) is not None:
        return FileState(path, "outside")
    folder = Path(folder)
    target = folder / path.strip().replace("\\", "/")
    # A linked folder on the way must not lead outside the draft's folder either.
    try:
        inside = target.parent.resolve().is_relative_to(folder.resolve())
    except OSError:
        inside = False
    if not inside:
        return FileState(path, "outside")
    try:
        fd = open_regular(target)
    except NotRegularFile as exc:
        return FileState(path, "not_regular", detail=exc.strerror or "")
    except FileNotFoundError:
        return FileState(path, "missing")
    except OSError as exc:
        return FileState(path, "unreadable", detail=exc.strerror or str(exc))
    try:
        size = os.fstat(fd).st_size
        if size > MAX_ATTACHMENT_BYTES:
            return FileState(path, "too_large", size=size)
        digest = hashlib.sha256()
        read = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > MAX_ATTACHMENT_BYTES:
                return FileState(path, "too_large", size=read)
            digest.update(chunk)
        return FileState(path, size=read, sha256=digest.hexdigest())
    except OSError as exc:
        return FileState(path, "unreadable", detail=exc.strerror or str(exc))
    finally:
        os.close(fd)


def states(draft: Draft, folder: Path | str) -> dict[str, FileState]:
    """The state of every attachment path the draft records (each path read once)."""
    return states_of((a.path.strip() for a in draft.attachments), folder)


def states_of(paths: Iterable[str], folder: Path | str) -> dict[str, FileState]:
    out: dict[str, FileState] = {}
    for path in paths:
        if path and path not in out:
            out[path] = file_state(folder, path)
    return out


def record(attachment: Attachment, state: FileState, now: datetime | None = None) -> None:
    """Write what was read into the attachment (size, SHA-256, when): the file as attached."""
    if state.problem:
        raise ValueError(f"cannot attach {state.path!r}: {state.problem}")
    attachment.path = state.path
    attachment.size = state.size
    attachment.sha256 = state.sha256
    attachment.attached = (now or datetime.now().astimezone()).replace(microsecond=0)
