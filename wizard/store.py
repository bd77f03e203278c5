"""Drafts on disk: list, load, save atomically, and name new files safely."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from wizard.draft import SCHEMA_VERSION, Draft
from wizard.guide import Guide

MAX_DRAFT_BYTES = 2 * 1024 * 1024
DRAFT_SUFFIX = ".toml"
TRASH_DIR = ".trash"
HEADER = (
    "# 国家重点研发计划“政府间国际科技创新合作”重点专项 申报书草稿\n"
    "# Draft application, intergovernmental S&T innovation cooperation call.\n"
    "# Edit with `wizard`; format: docs/draft-format.md\n\n"
)


class DraftError(Exception):
    """A draft file that cannot be loaded. The message names file, place and expectation."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path = Path(path)
        self.where = where
        self.problem = problem
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for piece in loc:
        out += f"[{piece}]" if isinstance(piece, int) else (f".{piece}" if out else piece)
    return out


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best effort: the line where the last key of `loc` is set."""
    keys = [p for p in loc if isinstance(p, str)]
    if not keys:
        return None
    pattern = re.compile(rf"^\s*\"?{re.escape(keys[-1])}\"?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_draft(text: str, path: Path | str, guide: Guide | None = None) -> Draft:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise DraftError(path, "", f"not valid TOML: {exc}") from None
    except RecursionError:
        raise DraftError(path, "", "nested too deeply; not a draft") from None
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise DraftError(path, "schema_version", f"expected the number {SCHEMA_VERSION}")
    if version > SCHEMA_VERSION:
        raise DraftError(
            path,
            "schema_version",
            f"written by a newer wizard (version {version}; this one reads {SCHEMA_VERSION})",
        )
    if version < 1:
        raise DraftError(path, "schema_version", f"expected {SCHEMA_VERSION}, found {version}")
    try:
        draft = Draft.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        line = _line_of(text, loc)
        where = (f"line {line}, " if line else "") + f"field {_field_path(loc)}"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise DraftError(path, where, f"{first['msg']}{more}") from None
    if guide is not None:
        if draft.guide != guide.id:
            raise DraftError(
                path, "field guide", f"unknown guide {draft.guide!r}; expected {guide.id!r}"
            )
        if guide.direction(draft.direction) is None:
            codes = ", ".join(d.code for d in guide.directions)
            raise DraftError(
                path, "field direction", f"unknown direction {draft.direction!r}; one of {codes}"
            )
    return draft


def load_draft(path: Path | str, guide: Guide | None = None) -> Draft:
    """Read and validate a draft; raises DraftError and never writes to the file."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            raw = handle.read(MAX_DRAFT_BYTES + 1)
    except OSError as exc:
        raise DraftError(p, "", f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_DRAFT_BYTES:
        raise DraftError(p, "", f"larger than {MAX_DRAFT_BYTES // 1024 // 1024} MiB; not a draft")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DraftError(p, f"line {line}", "not UTF-8 text") from None
    return parse_draft(text, p, guide)


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def _table(header: str, values: dict[str, Any]) -> str:
    body = tomli_w.dumps(values, multiline_strings=True)
    return f"{header}\n{body}\n"


def dump_draft(draft: Draft) -> str:
    """The draft as TOML in the documented key order, one [[units]] table per unit."""
    data = _drop_empty(draft.model_dump(mode="python"))
    units = data.pop("units")
    partner = data.pop("partner")
    institutions = partner.pop("institutions")
    out = [
        HEADER,
        tomli_w.dumps({k: data.pop(k) for k in ("schema_version", "guide", "direction")}),
    ]
    out.append("\n")
    for key in ("meta", "project", "leader"):
        out.append(_table(f"[{key}]", data.pop(key)))
    out.extend(_table("[[units]]", unit) for unit in units)
    out.append(_table("[partner]", partner))
    out.extend(_table("[[partner.institutions]]", inst) for inst in institutions)
    h2020 = data.pop("h2020")
    if h2020 != {"proposal": "", "topic": "", "participants": []}:
        out.append(_table("[h2020]", h2020))
    for key in ("attest", "budget"):
        out.append(_table(f"[{key}]", data.pop(key)))
    assert not data, f"unwritten draft keys: {sorted(data)}"
    return "".join(out).rstrip("\n") + "\n"


def save_draft(draft: Draft, path: Path | str, *, touch: bool = True) -> Path:
    """Write atomically: temp file in the same folder, fsync, os.replace, fsync the folder."""
    p = Path(path)
    if touch:
        draft.meta.updated = datetime.now().astimezone().replace(microsecond=0)
        if draft.meta.created is None:
            draft.meta.created = draft.meta.updated
    text = dump_draft(draft)
    atomic_write(p, text.encode("utf-8"))
    return p


def atomic_write(path: Path, data: bytes) -> None:
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


_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]")


def safe_stem(title: str, limit: int = 60) -> str:
    """A file-name stem from a title: no separators, control characters or leading dots."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("-", text).strip()
    text = re.sub(r"\s+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-.")
    text = text.replace("..", ".")
    return text[:limit].strip("-.") or "draft"


def new_draft_path(folder: Path, title: str) -> Path:
    """A path in `folder` for a new draft named after `title`, unique among its files."""
    return _unique(folder, safe_stem(title))


@dataclass
class DraftEntry:
    path: Path
    draft: Draft | None
    error: DraftError | None


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


def list_drafts(folder: Path, guide: Guide | None = None) -> list[DraftEntry]:
    entries: list[DraftEntry] = []
    for path in draft_files(folder):
        try:
            entries.append(DraftEntry(path, load_draft(path, guide), None))
        except DraftError as exc:
            entries.append(DraftEntry(path, None, exc))
    return entries


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


def _unique(folder: Path, stem: str, suffix: str = DRAFT_SUFFIX) -> Path:
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def _move_no_clobber(src: Path, dst: Path) -> None:
    """Rename without ever replacing an existing file (a hard link fails if dst exists)."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError as exc:
        if exc.errno in (errno.EEXIST,):
            raise
        # File systems without hard links (FAT on a USB stick): check, then rename.
        if dst.exists() or dst.is_symlink():
            raise FileExistsError(errno.EEXIST, "exists", str(dst)) from None
        os.rename(src, dst)
        return
    os.unlink(src)


def move_to_trash(path: Path) -> Path:
    """Move a draft into `<folder>/.trash/` under a name not used there yet; never deletes."""
    trash = path.parent / TRASH_DIR
    if trash.is_symlink():
        raise OSError(f"{trash} is a symbolic link; refusing to move drafts through it")
    trash.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    while True:
        target = _unique(trash, f"{path.stem}.{stamp}")
        try:
            _move_no_clobber(path, target)
            return target
        except FileExistsError:
            continue


def rename_draft(path: Path, title: str) -> Path:
    """Give a draft the file name made from `title`, in the same folder, never overwriting."""
    stem = safe_stem(title)
    if path.stem == stem:
        return path
    while True:
        target = _unique(path.parent, stem)
        try:
            _move_no_clobber(path, target)
            return target
        except FileExistsError:
            continue


def duplicate_draft(path: Path, guide: Guide | None = None) -> Path:
    """A copy of a draft as a new file (status back to draft), named after its title."""
    draft = load_draft(path, guide)
    draft.meta.status = "draft"
    draft.meta.created = None
    target = new_draft_path(path.parent, f"{draft.project.title or path.stem}-副本")
    save_draft(draft, target)
    return target
