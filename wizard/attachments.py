"""Attachments on disk: a file's size and SHA-256, for recording when attached and for the
rules' check that it is still there and unchanged (wizard.rules.attachments, which never
reads files itself: the caller passes these states to `evaluate`).

Paths are relative to the draft's folder. Symbolic links and anything but a regular file are
refused, as wizard.files.open_regular does; files are read in chunks.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path, PurePath, PureWindowsPath

from wizard.draft import Draft
from wizard.files import NotRegularFile, open_regular
from wizard.rules.model import AttachmentState

CHUNK = 1 << 20


def file_state(folder: Path | str, path: str) -> AttachmentState:
    """The state of the file at `path` (relative to `folder`; an absolute path or one with
    `..` is not read: attachments live in or under the draft's folder)."""
    relative = PurePath(path.replace("\\", "/"))
    if relative.is_absolute() or PureWindowsPath(path).drive or ".." in relative.parts:
        return AttachmentState(path, "outside")
    full = Path(folder) / relative
    try:
        fd = open_regular(full)
    except NotRegularFile:
        return AttachmentState(path, "not_regular")
    except FileNotFoundError:
        return AttachmentState(path, "missing")
    except OSError:
        return AttachmentState(path, "unreadable")
    digest = hashlib.sha256()
    size = 0
    try:
        while True:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
    except OSError:
        return AttachmentState(path, "unreadable")
    finally:
        os.close(fd)
    return AttachmentState(path, "", size, digest.hexdigest())


def states(draft: Draft, folder: Path | str) -> dict[str, AttachmentState]:
    """The state of every attachment path the draft records (each path read once)."""
    return states_of((a.path.strip() for a in draft.attachments), folder)


def states_of(paths: Iterable[str], folder: Path | str) -> dict[str, AttachmentState]:
    out: dict[str, AttachmentState] = {}
    for path in paths:
        if path and path not in out:
            out[path] = file_state(folder, path)
    return out
