"""Draft files without the draft model: reading with a size cap, listing, atomic writes, temp
sweeps and a quick peek at a draft's title.

Nothing here imports pydantic, so the drafts home can draw its first frame before the models
are built (start-up is judged against a bare Textual app; see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
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


class NotRegularFile(OSError):
    """A path that is a FIFO, device, socket, folder or (where links are not followed) a link."""

    def __init__(self, path: Path | str, kind: str, hint: str = "") -> None:
        self.kind = kind
        text = f"is a {kind}, not a regular file" + (f"; {hint}" if hint else "")
        super().__init__(errno.EINVAL, text, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def file_kind(mode: int) -> str:
    """What a stat mode is, in words, for the one-line refusals."""
    for test, kind in (
        (stat.S_ISREG, "regular file"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
    ):
        if test(mode):
            return kind
    return "special file"


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def open_regular(path: Path | str, flags: int = os.O_RDONLY, mode: int = 0o666, *,
                 follow: bool = False) -> int:  # fmt: skip
    """A descriptor on `path`, which must be a regular file: NotRegularFile otherwise.

    Opened non-blocking, so a FIFO or device answers at once instead of waiting for a
    writer, and (unless `follow`) with O_NOFOLLOW, so a planted link never leads a write
    outside the folder. The check is on the opened descriptor (fstat), not the name.
    """
    extra = _NONBLOCK | _BINARY | (0 if follow else _NOFOLLOW)
    try:
        fd = os.open(path, flags | extra, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise NotRegularFile(path, "symbolic link") from None
        if exc.errno == errno.ENXIO:  # a FIFO with no reader, opened for writing
            raise NotRegularFile(path, "FIFO (named pipe)") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, file_kind(info.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_limited(fd: int, limit: int) -> bytes:
    """Up to `limit` bytes from `fd` (read to the end or the limit, whichever comes first)."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_draft_text(path: Path | str) -> str:
    """A draft file's text: a regular file (a named link is followed; a FIFO, device or
    socket is refused at once), at most MAX_DRAFT_BYTES, UTF-8; DraftError otherwise."""
    p = Path(path)
    try:
        fd = open_regular(p, follow=True)
        try:
            raw = read_limited(fd, MAX_DRAFT_BYTES + 1)
        finally:
            os.close(fd)
    except NotRegularFile as exc:
        raise DraftError(p, "", f"{exc.strerror}; not a draft") from None
    except OSError as exc:
        raise DraftError(p, "", f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_DRAFT_BYTES:
        raise DraftError(p, "", f"larger than {MAX_DRAFT_BYTES // 1024 // 1024} MiB; not a draft")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DraftError(p, f"line {line}", "not UTF-8 text") from None


# Bounds a draft never comes near (it has 2-part keys at most, a handful of units and
# institutions, a few hundred keys); each keeps tomllib's work on a 2 MiB file well under a
# second. Dotted keys and headers are quadratic in tomllib (100,000 parts: 30 s), so the
# number of parts matters most. Measured figures: docs/reliability.md.
MAX_KEY_PARTS = 8
MAX_KEYS = 20_000
MAX_TABLES = 1_000
MAX_ITEMS = 100_000

# Strings and comments, so what is inside them is not counted as structure. Multi-line
# strings first; a closing run may end in up to two extra quotes.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|""?(?!"))*"""(?:""?)?'
    r"|'''(?:[^']|''?(?!'))*'''(?:''?)?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*",
    re.DOTALL,
)
# Each part: a dot, blanks, then optionally a run of key characters and blanks (so no two
# ways to match the same blanks: linear however many spaces a file holds).
_DOTTED = re.compile(rf"(?:\.[ \t]*(?:[^.\s=\[\]{{}},]+[ \t]*)?){{{MAX_KEY_PARTS}}}")
_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def comments(text: str) -> list[str]:
    """The TOML comments in `text` (outside strings), each from its `#` to the line end."""
    return [m.group() for m in _OPAQUE.finditer(text) if m.group().startswith("#")]


def _blank(match: re.Match[str]) -> str:
    """A string or comment as an empty string, keeping its line breaks (for line numbers)."""
    return '""' + "\n" * match.group().count("\n")


def structure_problem(text: str) -> tuple[str, str] | None:
    """(where, problem) if `text` has a shape no draft has and that would make the TOML
    parser slow (long dotted keys, too many keys, tables or list items); None otherwise.
    Cheap: a few passes of the regular-expression engine over the text."""
    bare = _OPAQUE.sub('""', text)
    dotted = _DOTTED.search(bare)
    if dotted is not None:
        bare = _OPAQUE.sub(_blank, text)  # again, keeping line breaks, to name the line
        dotted = _DOTTED.search(bare)
        assert dotted is not None
        line = bare.count("\n", 0, dotted.start()) + 1
        return f"line {line}", f"a key or table name of more than {MAX_KEY_PARTS} dotted parts"
    for count, limit, what in (
        (bare.count("="), MAX_KEYS, "keys"),
        (len(_TABLE.findall(bare)), MAX_TABLES, "tables"),
        (bare.count(","), MAX_ITEMS, "list items"),
    ):
        if count > limit:
            return "", f"more than {limit:,} {what}"
    return None


def parse_toml(text: str, path: Path | str) -> dict[str, object]:
    """TOML with money as Decimal; DraftError naming the file if it is not TOML or has a
    shape no draft has (`structure_problem`), which is refused before the parser runs."""
    problem = structure_problem(text)
    if problem is not None:
        raise DraftError(path, problem[0], f"{problem[1]}; not a draft")
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
    """The draft files directly in `folder`: *.toml, not hidden, not temp files, not the v1
    copies kept by a draft's first v2 save (`<name>.v1.toml`), sorted."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix == DRAFT_SUFFIX
        and not p.name.startswith(".")
        and V1_COPY.search(p.name) is None
        and not p.is_symlink()  # a link could lead saves outside the drafts folder
        and p.is_file()
    )


_TEMP_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _temp_name(path: Path) -> Path:
    tail = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(8))
    return path.with_name(f".{path.name}.{tail}.tmp")


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    """A fresh temp file beside `path`, created exclusively and never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = _temp_name(path)
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(path))


def existing_target(path: Path) -> os.stat_result | None:
    """The lstat of a file a save would replace: None if there is none (or it is a link,
    which the save replaces rather than writes through); NotRegularFile for a FIFO,
    device, socket or folder; PermissionError for a read-only file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return None
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(path, file_kind(info.st_mode))
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise PermissionError(
            errno.EACCES, "read-only file; not overwritten (make it writable to save)", str(path)
        )
    return info


def _keep_owner_and_mode(fd: int, tmp: Path, info: os.stat_result) -> None:
    """Give the temp file the replaced file's permission bits, group and (as root) owner."""
    mode = stat.S_IMODE(info.st_mode)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - Windows: only the read-only bit exists
        os.chmod(tmp, mode)
    if hasattr(os, "fchown"):
        for uid in (info.st_uid, -1):  # the owner only root may change; the group often
            try:
                os.fchown(fd, uid, info.st_gid)
                break
            except OSError:
                continue


def _write_all(fd: int, data: bytes) -> None:
    """All of `data` to `fd` (os.write may write less than asked), then fsync."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, os.replace, fsync the folder.

    A file being replaced keeps its permission bits and group (0664 stays 0664); a new one
    gets 0666 less the umask, as any editor's. A read-only file, or one that is not a
    regular file, is refused (PermissionError, NotRegularFile) and left as it is.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    info = existing_target(path)
    fd, tmp = _create_temp(path, 0o600 if info is not None else 0o666)
    try:
        try:
            if info is not None:
                _keep_owner_and_mode(fd, tmp, info)
            _write_all(fd, data)
        finally:
            os.close(fd)
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


# -- the v1 file kept beside its first v2 save ---------------------------------------------------

# `<name>.v1.toml`, `<name>.v1-2.toml`, …: copies of format-1 drafts, not drafts to list.
V1_COPY = re.compile(r"\.v1(?:-[0-9]+)?\.toml$")
_V1_LINE = re.compile(rb"^[ \t]*schema_version[ \t]*=[ \t]*1[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)


class KeepV1Error(OSError):
    """The v1 file could not be kept beside the draft, so the draft was not saved."""


def is_v1(raw: bytes) -> bool:
    """Whether draft bytes are a format-1 draft (`schema_version = 1`)."""
    if _V1_LINE.search(raw) is None:  # cheap: most files say 2, or nothing
        return False
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    version = data.get("schema_version")
    return version == 1 and not isinstance(version, bool)


def free_name(path: Path, stem: str) -> Path:
    """The first unused name of `<stem>.toml`, `<stem>-2.toml`, `<stem>-3.toml`, … beside
    `path`."""
    candidate = path.with_name(f"{stem}{DRAFT_SUFFIX}")
    n = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{stem}-{n}{DRAFT_SUFFIX}")
        n += 1
    return candidate


def v1_copy_path(path: Path) -> Path:
    """The first unused name of `<name>.v1.toml`, `<name>.v1-2.toml`, … beside `path`."""
    return free_name(path, f"{path.stem}.v1")


def write_new(path: Path, data: bytes) -> None:
    """Write a new file atomically, never over an existing one (FileExistsError): a temp
    file in the same folder, fsync, then a hard link to the name (or, where the file system
    has none, a rename after checking the name is free), fsync the folder."""
    fd, tmp = _create_temp(path, 0o666)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT on a USB stick)
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
            os.rename(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def keep_v1(path: Path) -> Path | None:
    """Before a draft's first v2 save: if the file at `path` is a v1 draft, copy its bytes
    exactly to `<name>.v1.toml` beside it (never over an existing file) and return where;
    None if there is no v1 file there. KeepV1Error if the copy cannot be written: then
    the caller must not replace the draft (nothing is lost)."""
    try:
        fd = open_regular(path)
    except (FileNotFoundError, NotRegularFile):
        return None
    try:
        raw = read_limited(fd, MAX_DRAFT_BYTES + 1)
    finally:
        os.close(fd)
    if not is_v1(raw):
        return None
    for _ in range(100):
        target = v1_copy_path(path)
        try:
            write_new(target, raw)
            return target
        except FileExistsError:
            continue  # taken meanwhile: the next name
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise KeepV1Error(
                exc.errno or errno.EIO,
                f"未能将 v1 原文件保留为 {target.name}（{reason}），草稿未保存 / "
                f"could not keep the v1 file as {target.name} ({reason}); the draft was not saved",
                str(target),
            ) from exc
    raise KeepV1Error(errno.EEXIST, f"no free name for the v1 copy of {path.name}", str(path))
