"""Saves that never overwrite a change made elsewhere.

The editor remembers what it last read from or wrote to the draft file (modification time,
size and SHA-256 of the bytes). Before each save the file is read again: if its bytes are not
the ones remembered, another program (a text editor, a second wizard, a sync client) changed
it, and the save raises `DraftChanged` instead of writing. The applicant then keeps their own
version (the file's is copied beside it), takes the file's (theirs is copied beside), or
merges field by field (`field_diffs`, `merge_data`).
"""

from __future__ import annotations

import copy
import errno
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wizard.files import (
    DRAFT_SUFFIX,
    MAX_DRAFT_BYTES,
    NotRegularFile,
    atomic_write,
    free_name,
    open_regular,
    read_limited,
)
from wizard.store import DraftText, write_draft_data

# Fields a save itself changes, or the editor's own reading position: never a conflict.
IGNORED = frozenset({"meta.updated", "meta.created", "meta.last_section", "meta.last_field"})


@dataclass(frozen=True)
class Stamp:
    """What a draft file held when the wizard last read or wrote it."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, raw: bytes, path: Path) -> Stamp:
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            mtime = 0
        return cls(mtime, len(raw), hashlib.sha256(raw).hexdigest())


class DraftChanged(Exception):
    """The draft file is not what the wizard last read or wrote: nothing was written."""

    def __init__(self, path: Path, theirs: bytes | None) -> None:
        self.path = path
        self.theirs = theirs  # the file's bytes now; None: gone or not a regular file
        super().__init__(f"{path}: changed by another program since it was opened")


def read_current(path: Path) -> bytes | None:
    """The file's bytes now (at most the draft cap + 1), or None if it is not there or not a
    regular file. Never follows a symbolic link and never blocks on a FIFO."""
    try:
        fd = open_regular(path)
    except (FileNotFoundError, NotRegularFile):
        return None
    try:
        return read_limited(fd, MAX_DRAFT_BYTES + 1)
    finally:
        os.close(fd)


class TrackedDraft:
    """A draft file as the editor last read or wrote it: its stamp, and its text so the next
    save keeps the file's own comments and layout (`DraftText`)."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self.overwrite_next = False  # the applicant chose to replace whatever is there
        self.accept(raw)

    @classmethod
    def read(cls, path: Path) -> TrackedDraft:
        return cls(path, read_current(path) or b"")

    def accept(self, raw: bytes) -> None:
        """From now on the file as it holds `raw` is the one saves may replace."""
        self.stamp = Stamp.of(raw, self.path)
        self.text = DraftText(raw.decode("utf-8", "replace"))

    def check(self) -> None:
        """Raise DraftChanged if the file is not what was last read or written. A file that
        is gone is not a conflict: the save writes it anew."""
        try:
            now = read_current(self.path)
        except OSError:
            now = None
            if not os.path.lexists(self.path):
                return
        if now is None:
            if not os.path.lexists(self.path):
                return
            raise DraftChanged(self.path, None)
        if len(now) != self.stamp.size or hashlib.sha256(now).hexdigest() != self.stamp.sha256:
            raise DraftChanged(self.path, now)

    def write(self, data: dict[str, Any], touch: bool = True, force: bool = False) -> datetime:
        """Check, then write `data` atomically (comments kept); the new bytes are remembered."""
        if not (force or self.overwrite_next):
            self.check()
        self.overwrite_next = False
        updated = write_draft_data(data, self.path, touch=touch, base=self.text)
        raw = self.text.text.encode("utf-8")
        self.stamp = Stamp.of(raw, self.path)
        return updated


def lock_identity(path: Path) -> tuple[int, int] | None:
    """Device and inode of a lock file; None if it is not there."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# -- copies beside the draft ------------------------------------------------------------------

_MAX_NAME_BYTES = 200  # below the 255-byte name limit, with room for a temp file's prefix


def copy_path(path: Path, tag: str, now: datetime | None = None) -> Path:
    """A new, unused file name beside `path` for a copy of one side of a conflict."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem = path.stem
    tail = f".{tag}-{stamp}"
    while len(os.fsencode(f".{stem}{tail}-99{DRAFT_SUFFIX}.XXXXXXXX.tmp")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    return free_name(path, stem + tail)


def write_copy(path: Path, tag: str, raw: bytes) -> Path:
    """Write `raw` to a new file beside `path` (never over an existing one)."""
    target = copy_path(path, tag)
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "exists", str(target))
    atomic_write(target, raw)
    return target


# -- field by field -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDiff:
    path: str  # e.g. "project.title", "units[1].name", "units[3]" (a unit only one side has)
    mine: Any  # None: not on this side
    theirs: Any


# Tables whose keys are not field names (`[meta.unparsed]` is keyed by field paths): one field.
_LEAF_TABLES = frozenset({"meta.unparsed"})


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and prefix not in _LEAF_TABLES:
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}[{index}]", out)
        out[f"{prefix}[]"] = len(value)
    else:
        out[prefix] = value


_MISSING = object()


def field_diffs(mine: dict[str, Any], theirs: dict[str, Any]) -> list[FieldDiff]:
    """The fields whose values differ between two draft snapshots (`draft_data`), in the
    order of `mine`; a unit or institution only one side has is one entry."""
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _flatten(mine, "", a)
    _flatten(theirs, "", b)
    out: list[FieldDiff] = []
    seen_items: set[str] = set()
    for path in [*a, *(p for p in b if p not in a)]:
        if path in IGNORED or path.endswith("[]"):
            continue
        item = _ITEM.match(path)
        if item:
            whole = item.group(1)
            index = int(item.group(2))
            in_a = index < a.get(f"{whole}[]", 0)
            in_b = index < b.get(f"{whole}[]", 0)
            if in_a != in_b:  # a whole unit only one side has
                key = f"{whole}[{index}]"
                if key not in seen_items:
                    seen_items.add(key)
                    out.append(FieldDiff(key, _get(mine, key), _get(theirs, key)))
                continue
        va, vb = a.get(path, _MISSING), b.get(path, _MISSING)
        if va != vb:
            out.append(
                FieldDiff(path, None if va is _MISSING else va, None if vb is _MISSING else vb)
            )
    return out


_ITEM = re.compile(r"^([a-z_.]+)\[(\d+)\]")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in _STEP.findall(path)]


def _get(data: Any, path: str) -> Any:
    for step in _steps(path):
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return copy.deepcopy(data)


def _order(path: str) -> list[tuple[int, int, str]]:
    return [(0, s, "") if isinstance(s, int) else (1, 0, s) for s in _steps(path)]


def merge_data(
    mine: dict[str, Any], theirs: dict[str, Any], take: set[str] | frozenset[str]
) -> dict[str, Any]:
    """`mine` with the fields in `take` (paths from `field_diffs`) as `theirs` has them."""
    out = copy.deepcopy(mine)
    drops: list[tuple[list[Any], int]] = []
    for path in sorted(take, key=_order):
        steps = _steps(path)
        value = _get(theirs, path)
        parent: Any = out
        source: Any = theirs
        for step in steps[:-1]:
            parent = parent[step]
            source = source[step]
        last = steps[-1]
        if isinstance(last, int):
            if value is None:  # a unit only I have: theirs drops it
                drops.append((parent, last))
            elif last < len(parent):
                parent[last] = value
            else:  # a unit only they have: add it
                parent.append(value)
        elif value is None and isinstance(source, dict) and last not in source:
            parent.pop(last, None)
        else:
            parent[last] = value
    for parent, index in sorted(drops, key=lambda d: -d[1]):
        del parent[index]
    return out
