"""Drafts on disk: list, load, save atomically, and name new files safely."""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from wizard.draft import SCHEMA_VERSION, Draft
from wizard.files import (
    DRAFT_SUFFIX,
    MAX_DRAFT_BYTES,
    STALE_TEMP_SECONDS,
    TRASH_DIR,
    DraftError,
    atomic_write,
    draft_files,
    parse_toml,
    read_draft_text,
    sweep_temp_files,
)
from wizard.guide import Guide
from wizard.migrate import upgrade

__all__ = [
    "DRAFT_SUFFIX",
    "MAX_DRAFT_BYTES",
    "STALE_TEMP_SECONDS",
    "TRASH_DIR",
    "DraftEntry",
    "DraftError",
    "DraftText",
    "atomic_write",
    "draft_data",
    "draft_files",
    "dump_data",
    "dump_draft",
    "duplicate_draft",
    "list_drafts",
    "load_draft",
    "move_to_trash",
    "new_draft_path",
    "parse_draft",
    "read_draft_text",
    "rename_draft",
    "safe_stem",
    "save_draft",
    "sweep_temp_files",
    "write_draft_data",
]

HEADER = (
    "# 国家重点研发计划“政府间国际科技创新合作”重点专项 申报书草稿\n"
    "# Draft application, intergovernmental S&T innovation cooperation call.\n"
    "# Edit with `wizard`; format: docs/draft-format.md\n\n"
)


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
    data = parse_toml(text, path)
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
    if version == 1:
        data, _notes = upgrade(data)
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
    return parse_draft(read_draft_text(path), Path(path), guide)


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_empty(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_empty(v) for v in value]
    return value


def _table(header: str, values: dict[str, Any]) -> str:
    body = tomli_w.dumps(values, multiline_strings=True)
    return f"{header}\n{body}\n"


def draft_data(draft: Draft) -> dict[str, Any]:
    """A snapshot of the draft as plain data (no model objects shared with the draft), cheap
    enough for the UI thread; `write_draft_data` writes it from any thread."""
    return draft.model_dump(mode="python")


_NO_H2020 = {"proposal": "", "topic": "", "participants": []}
_NO_LEAD = {"name": "", "title": "", "institution": "", "email": ""}
# The tables in the order they are written (the order of the 申报书 where it has one).
_TABLES = ("project", "recommender", "contact")
_LISTS = ("units", "team", "tasks")
_LATER_TABLES = ("h2020",)
_LATER_LISTS = ("targets", "plan")
_END = ("narrative", "attest")


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Draft data exactly as the written file reads back with tomllib: no None values, no
    empty [h2020], [meta.unparsed] or partner lead table, no empty lists of tables."""
    out: dict[str, Any] = _drop_empty(data)
    meta = out.get("meta")
    if isinstance(meta, dict) and not meta.get("unparsed"):
        meta.pop("unparsed", None)
    if out.get("h2020") == _NO_H2020:
        del out["h2020"]
    for key in (*_LISTS, *_LATER_LISTS, "attachments"):
        if not out.get(key):
            out.pop(key, None)
    for task in out.get("tasks", ()):
        if isinstance(task, dict) and not task.get("budget"):
            task.pop("budget", None)
    partner = out.get("partner")
    if isinstance(partner, dict):
        if not partner.get("institutions"):
            partner.pop("institutions", None)
        if partner.get("lead") == _NO_LEAD:
            partner.pop("lead", None)
    return out


def _dump_normalized(data: dict[str, Any]) -> str:
    data = dict(data)
    out = [
        HEADER,
        tomli_w.dumps({k: data.pop(k) for k in ("schema_version", "guide", "direction")}),
    ]
    out.append("\n")
    meta = dict(data.pop("meta"))
    unparsed = meta.pop("unparsed", None)
    out.append(_table("[meta]", meta))
    if unparsed:
        out.append(_table("[meta.unparsed]", unparsed))

    def dump(key: str) -> None:
        if key in data:
            value = data.pop(key)
            out.append(tomli_w.dumps({key: value}, multiline_strings=True) + "\n")

    for key in (*_TABLES, *_LISTS, "partner", *_LATER_TABLES, *_LATER_LISTS, *_END):
        dump(key)
    dump("attachments")
    assert not data, f"unwritten draft keys: {sorted(data)}"
    return "".join(out).rstrip("\n") + "\n"


def dump_data(data: dict[str, Any]) -> str:
    """Draft data as TOML in the documented key order, one [[units]] table per unit."""
    return _dump_normalized(_normalized(data))


def dump_draft(draft: Draft) -> str:
    """The draft as TOML in the documented key order."""
    return dump_data(draft_data(draft))


def _toml_item(key: str, value: Any) -> Any:
    """`value` as a tomlkit item written the way `dump_data` writes it (Decimal money kept
    exact, long text as a multi-line string)."""
    import tomlkit

    return tomlkit.parse(tomli_w.dumps({key: value}, multiline_strings=True))[key]


def _toml_table(entry: dict[str, Any]) -> Any:
    """One [[…]] table (a unit, an institution) as `dump_data` writes it."""
    import tomlkit

    return tomlkit.parse(_table("[[t]]", entry))["t"][0]


def _same(before: Any, after: Any) -> bool:
    return (type(before) is type(after) and before == after) or (
        not isinstance(before, bool | str | dict | list)
        and not isinstance(after, bool | str | dict | list)
        and before == after
    )


def _patch(container: Any, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Change the tomlkit `container` (which reads as `old`) to read as `new`, touching only
    the keys whose values differ: comments, blank lines and key order stay. True if more
    than values of existing keys changed (keys or tables added or removed)."""
    from tomlkit.items import AoT, Table

    structural = False
    for key in [k for k in old if k not in new]:
        del container[key]
        structural = True
    for key, value in new.items():
        if key in old:
            before = old[key]
            if _same(before, value):
                continue
            item = container[key]
            if isinstance(value, dict) and isinstance(before, dict) and isinstance(item, Table):
                structural |= _patch(item, before, value)
                continue
            if (
                isinstance(item, AoT)
                and isinstance(before, list)
                and isinstance(value, list)
                and value
                and all(isinstance(v, dict) for v in value)
            ):
                for index, entry in enumerate(value):
                    if index < len(before):
                        structural |= _patch(item[index], before[index], entry)
                    else:
                        item.append(_toml_table(entry))
                        structural = True
                while len(item) > len(value):
                    del item[len(item) - 1]
                    structural = True
                continue
            if isinstance(value, dict | list) or isinstance(before, dict | list):
                structural = True
        else:
            structural = True
        container[key] = _toml_item(key, value)
    return structural


class DraftText:
    """A draft file's text as last read or written, so the next save changes only what was
    edited: comments, blank lines and key order written by hand survive (tomlkit, a
    round-trip TOML library). A file in the wizard's own layout is written by the plain
    dump (fast: tomlkit parses a large draft in ≈ 55 ms, so it is used only when it pays,
    and parses once per editor, in the save thread)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._data: dict[str, Any] | None = None
        self._doc: Any = None
        self._canonical: bool | None = None

    def render(self, data: dict[str, Any]) -> str:
        target = _normalized(data)
        try:
            out = self._round_trip(target)
        except Exception:  # a layout tomlkit cannot patch: the plain dump, comments lost
            out = None
        if out is None:
            self._doc = None
            self._canonical = True
            out = _dump_normalized(target)
        self.text = out
        self._data = target
        return out

    def _round_trip(self, target: dict[str, Any]) -> str | None:
        import tomllib
        from decimal import Decimal

        if self._canonical:
            return None
        if self._data is None:
            self._data = tomllib.loads(self.text, parse_float=Decimal)
        if self._canonical is None:
            try:
                self._canonical = _dump_normalized(self._data) == self.text
            except Exception:
                self._canonical = False
            if self._canonical:
                return None
        import tomlkit

        first = self._doc is None
        if first:
            self._doc = tomlkit.parse(self.text)
        structural = _patch(self._doc, self._data, target)
        out: str = self._doc.as_string()
        # Never write what does not read back as the draft. Checked on the first save and
        # whenever keys or tables were added or removed; a new value for a key already in
        # place (most saves: a keystroke in a field) is one item replaced, and costs no
        # second parse (≈ 6 ms for a large draft).
        if (first or structural) and tomllib.loads(out, parse_float=Decimal) != target:
            return None
        return out


def write_draft_data(
    data: dict[str, Any],
    path: Path | str,
    *,
    touch: bool = True,
    base: DraftText | None = None,
) -> datetime:
    """Write a `draft_data` snapshot atomically; with `touch`, stamp meta.updated (and
    meta.created if unset) first. With `base` (the file's text as last read or written),
    the file's own comments and layout are kept. Returns the snapshot's meta.updated."""
    meta = data["meta"]
    if touch:
        meta["updated"] = datetime.now().astimezone().replace(microsecond=0)
        if meta.get("created") is None:
            meta["created"] = meta["updated"]
    text = base.render(data) if base is not None else dump_data(data)
    atomic_write(Path(path), text.encode("utf-8"))
    updated: datetime = meta.get("updated")
    return updated


def save_draft(draft: Draft, path: Path | str, *, touch: bool = True) -> Path:
    """Write atomically: temp file in the same folder, fsync, os.replace, fsync the folder."""
    data = draft_data(draft)
    write_draft_data(data, path, touch=touch)
    if touch:
        draft.meta.updated = data["meta"]["updated"]
        draft.meta.created = data["meta"]["created"]
    return Path(path)


_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]")
# Names Windows keeps for devices, whatever the suffix or case (`nul.toml` is the null
# device there, and a draft sent to a colleague on Windows must open as a file).
_WINDOWS_DEVICES = re.compile(
    r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(?:COM|LPT)[0-9¹²³])(?:\.|$)", re.IGNORECASE
)


def safe_stem(title: str, limit: int = 60) -> str:
    """A file-name stem from a title: no separators, control characters or leading dots,
    and never a Windows device name (`CON`, `NUL`, `COM1`… get a trailing `_`)."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("-", text).strip()
    text = re.sub(r"\s+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-.")
    text = text.replace("..", ".")
    stem = text[:limit].strip("-.") or "draft"
    device = _WINDOWS_DEVICES.match(stem)
    if device is not None:
        name = device.group().rstrip(".")
        stem = f"{name}_{stem[len(name) :]}"
    return stem


def new_draft_path(folder: Path, title: str) -> Path:
    """A path in `folder` for a new draft named after `title`, unique among its files."""
    return _unique(folder, safe_stem(title))


@dataclass
class DraftEntry:
    path: Path
    draft: Draft | None
    error: DraftError | None


def list_drafts(folder: Path, guide: Guide | None = None) -> list[DraftEntry]:
    entries: list[DraftEntry] = []
    for path in draft_files(folder):
        try:
            entries.append(DraftEntry(path, load_draft(path, guide), None))
        except DraftError as exc:
            entries.append(DraftEntry(path, None, exc))
    return entries


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
