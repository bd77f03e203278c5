"""Draft files without the draft model: reading with a size cap, listing, atomic writes, temp
sweeps and a quick peek at a draft's title.

Nothing here imports pydantic, so the drafts home can draw its first frame before the models
are built (start-up is judged against a bare Textual app; see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

MAX_DRAFT_BYTES = 2 * 1024 * 1024
DRAFT_SUFFIX = ".toml"
TRASH_DIR = ".trash"


class DraftError(Exception):
    """A draft file that cannot be loaded. The message names file, place and expectation."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path = Path(path)
        self.where = where
        self.problem = problem
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")


def read_draft_text(path: Path | str) -> str:
    """A draft file's text: at most MAX_DRAFT_BYTES, UTF-8; DraftError otherwise."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            raw = handle.read(MAX_DRAFT_BYTES + 1)
    except OSError as exc:
        raise DraftError(p, "", f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_DRAFT_BYTES:
        raise DraftError(p, "", f"larger than {MAX_DRAFT_BYTES // 1024 // 1024} MiB; not a draft")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DraftError(p, f"line {line}", "not UTF-8 text") from None


def parse_toml(text: str, path: Path | str) -> dict[str, object]:
    """TOML with money as Decimal; DraftError naming the file if it is not TOML."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise DraftError(path, "", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise DraftError(path, "", "nested too deeply; not a draft") from None


@dataclass(frozen=True)
class DraftPeek:
    """What a drafts list shows before the draft is validated (any value may be missing)."""

    title: str
    direction: str
    updated: str
    status: str


def _text(table: object, key: str) -> str:
    value = table.get(key) if isinstance(table, dict) else None
    return value if isinstance(value, str) else ""


def peek_draft(path: Path | str) -> DraftPeek:
    """Title, direction, last save and status straight from the TOML; DraftError if the file
    cannot be read or is not TOML. The values are not validated: `load_draft` does that."""
    data = parse_toml(read_draft_text(path), path)
    meta = data.get("meta")
    updated = meta.get("updated") if isinstance(meta, dict) else None
    stamp = updated.strftime("%Y-%m-%d %H:%M") if isinstance(updated, date) else ""
    return DraftPeek(
        title=_text(data.get("project"), "title"),
        direction=_text(data, "direction"),
        updated=stamp,
        status=_text(meta, "status"),
    )


def draft_files(folder: Path) -> list[Path]:
    """The draft files directly in `folder`: *.toml, not hidden, not temp files, sorted."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix == DRAFT_SUFFIX
        and not p.name.startswith(".")
        and not p.is_symlink()  # a link could lead saves outside the drafts folder
        and p.is_file()
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, os.replace, fsync the folder."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


STALE_TEMP_SECONDS = 60
# Exactly what atomic_write's mkstemp makes (`.<name>.toml.<8 random>.tmp`), so a sweep in a
# folder that is not only ours (`wizard open ~/x.toml`) never removes anyone else's files.
_OUR_TEMP = re.compile(r"^\..+\.toml\.[A-Za-z0-9_]{8}\.tmp$")


def sweep_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temp files a killed save left behind (old enough that no save is writing them)."""
    if not folder.is_dir():
        return []
    cutoff = (now if now is not None else time.time()) - STALE_TEMP_SECONDS
    removed: list[Path] = []
    for p in folder.iterdir():
        if _OUR_TEMP.match(p.name) and not p.is_symlink():
            with contextlib.suppress(OSError):
                if p.stat().st_mtime < cutoff:
                    p.unlink()
                    removed.append(p)
    return removed
