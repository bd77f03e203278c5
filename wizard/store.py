"""Drafts on disk: list, load, save atomically, and name new files safely."""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from wizard.draft import SCHEMA_VERSION, Draft
from wizard.files import (
    DRAFT_SUFFIX,
    MAX_DRAFT_BYTES,
    STALE_TEMP_SECONDS,
    TRASH_DIR,
    V1_COPY,
    DraftError,
    KeepV1Error,
    atomic_write,
    comments,
    draft_files,
    is_v1,
    keep_v1,
    parse_toml,
    read_draft_text,
    sweep_temp_files,
    v1_copy_path,
)
from wizard.guide import Guide
from wizard.migrate import upgrade, v1_path

__all__ = [
    "DRAFT_SUFFIX",
    "MAX_DRAFT_BYTES",
    "STALE_TEMP_SECONDS",
    "TRASH_DIR",
    "DraftEntry",
    "DraftError",
    "DraftText",
    "KeepV1Error",
    "Migration",
    "atomic_write",
    "draft_data",
    "draft_files",
    "dump_data",
    "dump_draft",
    "duplicate_draft",
    "list_drafts",
    "load_draft",
    "migrate_file",
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
        field = _field_path(loc)
        if version == 1:  # named as the v1 file has it
            field = v1_path(field)
            loc = tuple(field.split("."))
        line = _line_of(text, loc)
        where = (f"line {line}, " if line else "") + f"field {field}"
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


def draft_data(draft: Draft) -> dict[str, Any]:
    """A snapshot of the draft as plain data (no model objects shared with the draft), cheap
    enough for the UI thread; `write_draft_data` writes it from any thread."""
    return draft.model_dump(mode="python")


# -- the writer ---------------------------------------------------------------------------------
# The wizard's own layout: one table per section, one [[…]] table per unit, person, 课题,
# target, stage and attachment, a 课题's budget lines as [tasks.budget.<category>] subtables,
# long or multi-line text as a multi-line string folded at about FOLD_COLUMNS columns (a line-
# ending backslash joins the pieces again: the value is the text exactly as typed).

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip
# Characters a basic string must escape (a multi-line one keeps line feeds and tabs as they are).
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x08\x0a-\x1f\x7f]')
_NEEDS_ESCAPE_ML = re.compile(r'["\\\x00-\x08\x0b-\x1f\x7f]')
LONG_TEXT = 80  # columns: longer text is written as a multi-line string
FOLD_COLUMNS = 80  # display columns (a CJK character is two)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


_KEYS: dict[str, str] = {}


def _key(key: str) -> str:
    out = _KEYS.get(key)
    if out is None:
        out = key if _BARE_KEY.match(key) else '"' + _NEEDS_ESCAPE.sub(_escape, key) + '"'
        if len(_KEYS) < 10_000:
            _KEYS[key] = out
    return out


def _width(text: str) -> int:
    """Display columns, near enough for folding: UTF-8 bytes and characters averaged (an
    ASCII character is 1, a CJK one (3 bytes) 2), at the speed of the encoder."""
    return (len(text.encode("utf-8", "surrogatepass")) + len(text)) // 2


def _fold(line: str) -> list[str]:
    """`line` cut into pieces of about FOLD_COLUMNS columns (as many characters as fit on
    the line's average width), each cut before a character that is not a space or tab (the
    line-ending backslash would drop those), at a word's start where there is one near."""
    width = _width(line)
    if width <= FOLD_COLUMNS:
        return [line]
    step = max(8, len(line) * FOLD_COLUMNS // width)
    pieces: list[str] = []
    start, end = 0, len(line)
    while end - start > step:
        cut = start + step
        space = line.rfind(" ", max(start + 1, cut - 20), cut)
        if space != -1 and line[space + 1] not in " \t":
            cut = space + 1
        else:
            while cut < end and line[cut] in " \t":  # a run of blanks: cut after it
                cut += 1
            if cut >= end:
                break
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


def _string(text: str) -> str:
    if "\n" not in text and (len(text) <= LONG_TEXT // 2 or _width(text) <= LONG_TEXT):
        return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'
    lines = []
    for line in text.split("\n"):
        pieces = _fold(line) if len(line) > FOLD_COLUMNS // 2 else [line]
        lines.append("\\\n".join(_NEEDS_ESCAPE_ML.sub(_escape, p) for p in pieces))
    return '"""\n' + "\n".join(lines) + '"""'


def _decimal(value: Decimal) -> str:
    text = str(value).lower()
    return text if "." in text or "e" in text else text + ".0"


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):  # datetime is a date
        return str(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = ",\n".join(
            "    "
            + ('"' + _NEEDS_ESCAPE.sub(_escape, v) + '"' if isinstance(v, str) else _literal(v))
            for v in value
        )
        return f"[\n{items},\n]"
    raise TypeError(f"cannot write {type(value).__name__} to a draft")


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _write_table(out: list[str], name: str, table: dict[str, Any], *, entry: bool = False) -> None:
    """`table` as TOML: its header (`[[name]]` for an entry of a list of tables), its keys,
    then its subtables, each after a blank line."""
    subtables = []
    lines = []
    for key, value in table.items():
        if isinstance(value, dict) or _is_tables(value):
            subtables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_literal(value)}\n")
    if entry:
        out.append(f"[[{name}]]\n")
    elif lines or not subtables:
        out.append(f"[{name}]\n")
    out.extend(lines)
    for key, value in subtables:
        if out and out[-1] != "\n":
            out.append("\n")
        sub = f"{name}.{_key(key)}"
        if isinstance(value, dict):
            _write_table(out, sub, value)
        else:
            for i, item in enumerate(value):
                if i:
                    out.append("\n")
                _write_table(out, sub, item, entry=True)


_NO_H2020 = {"proposal": "", "topic": "", "participants": []}
_NO_LEAD = {"name": "", "title": "", "institution": "", "email": ""}
# The sections in the order they are written: the order of the 申报书 where it has one.
SECTIONS = (
    "meta",
    "project",
    "recommender",
    "contact",
    "units",
    "team",
    "tasks",
    "partner",
    "h2020",
    "targets",
    "plan",
    "narrative",
    "attest",
    "attachments",
)
# Lists of tables: not written when empty (they read back as absent, which is the default).
_TABLE_LISTS = ("units", "team", "tasks", "targets", "plan", "attachments")


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Draft data exactly as the written file reads back with tomllib: no None values, no
    empty [h2020], [meta.unparsed] or [partner.lead] table, no empty lists of tables, no
    empty budget of a 课题."""
    out: dict[str, Any] = _drop_empty(data)
    meta = out.get("meta")
    if isinstance(meta, dict) and not meta.get("unparsed"):
        meta.pop("unparsed", None)
    if out.get("h2020") == _NO_H2020:
        del out["h2020"]
    for key in _TABLE_LISTS:
        if key in out and not out[key]:
            del out[key]
    for task in out.get("tasks", ()):
        if isinstance(task, dict) and "budget" in task and not task["budget"]:
            del task["budget"]
    partner = out.get("partner")
    if isinstance(partner, dict):
        if "institutions" in partner and not partner["institutions"]:
            del partner["institutions"]
        if partner.get("lead") == _NO_LEAD:
            del partner["lead"]
    return out


def _dump_normalized(data: dict[str, Any]) -> str:
    data = dict(data)
    out = [HEADER]
    for key in ("schema_version", "guide", "direction"):
        out.append(f"{key} = {_literal(data.pop(key))}\n")
    for key in SECTIONS:
        if key not in data:
            continue
        value = data.pop(key)
        if isinstance(value, dict):
            out.append("\n")
            _write_table(out, key, value)
        else:
            for entry in value:
                out.append("\n")
                _write_table(out, key, entry, entry=True)
    assert not data, f"unwritten draft keys: {sorted(data)}"
    return "".join(out)


def dump_data(data: dict[str, Any]) -> str:
    """Draft data as TOML in the documented key order and layout."""
    return _dump_normalized(_normalized(data))


def dump_draft(draft: Draft) -> str:
    """The draft as TOML in the documented key order."""
    return dump_data(draft_data(draft))


def _toml_item(key: str, value: Any) -> Any:
    """`value` as a tomlkit item written the way `dump_data` writes it (Decimal money kept
    exact, long text as a multi-line string, tables and lists of tables in its layout)."""
    import tomlkit

    if isinstance(value, dict) or _is_tables(value):
        out: list[str] = []
        if isinstance(value, dict):
            _write_table(out, "t", value)
        else:
            for i, entry in enumerate(value):
                out.append("\n" if i else "")
                _write_table(out, "t", entry, entry=True)
        return tomlkit.parse("".join(out))["t"]
    return tomlkit.parse(f"t = {_literal(value)}\n")["t"]


def _toml_table(entry: dict[str, Any]) -> Any:
    """One [[…]] table (a unit, a person, a 课题…) as `dump_data` writes it."""
    import tomlkit

    out: list[str] = []
    _write_table(out, "t", entry, entry=True)
    return tomlkit.parse("".join(out))["t"][0]


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


_HEADER_COMMENTS = frozenset(line for line in HEADER.splitlines() if line)


def _hand_written(text: str) -> bool:
    """Whether `text` has comments besides the wizard's header (outside strings)."""
    return any(c.rstrip() not in _HEADER_COMMENTS for c in comments(text))


def _upgrade_doc(doc: Any, target: dict[str, Any]) -> Any:
    """A v1 tomlkit document rebuilt in the v2 shape, its comments and layout kept: the
    [leader] table becomes the first [[team]] table where it stood, [[tasks]] follows it,
    [budget] goes, and the sections v1 did not have are put in their documented places.
    The values are then patched to `target` as for any file."""
    import tomlkit

    present = {key.key for key, _ in doc.body if key is not None}
    present.discard("budget")
    if "leader" in present or "units" in present:
        present |= {"team", "tasks"}
    anchors: dict[str, list[str]] = {}
    last = "direction"
    for key in SECTIONS:
        if key in present:
            last = key
        elif key in target:
            anchors.setdefault(last, []).append(key)
    new = tomlkit.document()

    def add(key: str) -> None:
        new.append(key, _toml_item(key, target[key]))
        for later in anchors.get(key, ()):
            add(later)

    # The team (and the 课题 after it) go after the units, as documented; where the file
    # has no units, where the leader stood.
    leader = doc.get("leader")
    after = "units" if "units" in present else "leader"

    def add_team() -> None:
        if leader is not None:
            team = tomlkit.aot()
            team.append(leader)
            new.append("team", team)
        elif "team" in target:
            new.append("team", _toml_item("team", target["team"]))
        if "tasks" in target:
            add("tasks")

    for key, item in doc.body:
        if key is None:
            new.append(None, item)
            continue
        name = key.key
        if name in ("budget", "leader"):
            if name == after:
                add_team()
            continue
        new.append(key, item)
        if name == after:
            add_team()
        for later in anchors.get(name, ()):
            add(later)
    return new


class DraftText:
    """A draft file's text as last read or written, so the next save changes only what was
    edited: comments, blank lines and key order written by hand survive (tomlkit, a
    round-trip TOML library). A file in the wizard's own layout is written by the plain
    dump (fast: tomlkit parses a large draft in ≈ 55 ms, so it is used only when it pays,
    and parses once per editor, in the save thread). A v1 file is saved as v2: in the
    wizard's layout, or, if it has comments of its own, rebuilt with them (`_upgrade_doc`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._data: dict[str, Any] | None = None
        self._doc: Any = None
        self._canonical: bool | None = None
        self._v1: bool | None = None
        # Where the save that wrote this text kept the v1 file it replaced (`keep_v1`).
        self.kept: Path | None = None

    @property
    def v1(self) -> bool:
        """Whether the text is a format-1 draft (its first save keeps a copy: `keep_v1`)."""
        if self._v1 is None:
            self._v1 = is_v1(self.text.encode("utf-8", "replace"))
        return self._v1

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
        self._v1 = False
        return out

    def _round_trip(self, target: dict[str, Any]) -> str | None:
        import tomllib

        if self._canonical:
            return None
        if self._data is None:
            self._data = tomllib.loads(self.text, parse_float=Decimal)
        first = self._doc is None
        if first and self._data.get("schema_version") == 1:
            if not _hand_written(self.text):
                return None  # the wizard's own v1 layout: its v2 layout
            import tomlkit

            self._doc = _upgrade_doc(tomlkit.parse(self.text), target)
            self._data = tomllib.loads(self._doc.as_string(), parse_float=Decimal)
        if self._canonical is None:
            try:
                self._canonical = _dump_normalized(self._data) == self.text
            except Exception:
                self._canonical = False
            if self._canonical:
                return None
        if first and self._doc is None:
            # Imported only for a file edited by hand (≈ 2.5 MiB and ≈ 30 ms, in the save
            # thread, which holds the interpreter meanwhile).
            import tomlkit

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
    the file's own comments and layout are kept. Returns the snapshot's meta.updated.

    The first save over a v1 file keeps that file, byte for byte, as `<name>.v1.toml`
    beside it (`keep_v1`); if that copy cannot be written, KeepV1Error (an OSError) is
    raised and the file is not replaced."""
    meta = data["meta"]
    if touch:
        meta["updated"] = datetime.now().astimezone().replace(microsecond=0)
        if meta.get("created") is None:
            meta["created"] = meta["updated"]
    target = Path(path)
    kept = keep_v1(target) if base is None or base.v1 else None
    text = base.render(data) if base is not None else dump_data(data)
    if base is not None:
        base.kept = kept
    atomic_write(target, text.encode("utf-8"))
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


@dataclass
class Migration:
    """What `migrate_file` did with one file: `outcome` is "migrated" (or, in a dry run,
    would be), "current" (already format 2) or "refused" (with the one-line reason)."""

    path: Path
    outcome: Literal["migrated", "current", "refused"]
    kept: Path | None = None  # where the v1 file was kept
    reason: str = ""
    notes: list[str] = field(default_factory=list)


def migrate_file(path: Path, *, dry_run: bool = False) -> Migration:
    """Convert one draft file to format 2 as the wizard's first save would: the file keeps
    its comments, the v1 file is kept beside it (`<name>.v1.toml`), meta.updated is not
    changed. A draft that does not load (as format 1 or 2) is refused and left as it is."""
    try:
        text = read_draft_text(path)
        raw = text.encode("utf-8")
        old = is_v1(raw)
        draft = parse_draft(text, path)
    except DraftError as exc:
        return Migration(
            path, "refused", reason=f"{exc.where}: {exc.problem}" if exc.where else exc.problem
        )
    if not old:
        return Migration(path, "current")
    _, notes = upgrade(parse_toml(text, path))
    if dry_run:
        return Migration(path, "migrated", kept=v1_copy_path(path), notes=notes)
    base = DraftText(text)
    try:
        write_draft_data(draft_data(draft), path, touch=False, base=base)
    except OSError as exc:
        return Migration(path, "refused", reason=str(exc.strerror or exc))
    return Migration(path, "migrated", kept=base.kept, notes=notes)


_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f\x7f]")
# Names Windows keeps for devices, whatever the suffix or case (`nul.toml` is the null
# device there, and a draft sent to a colleague on Windows must open as a file).
_WINDOWS_DEVICES = re.compile(
    r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(?:COM|LPT)[0-9¹²³])(?:\.|$)", re.IGNORECASE
)


def safe_stem(title: str, limit: int = 60) -> str:
    """A file-name stem from a title: no separators, control characters or leading dots,
    never a Windows device name (`CON`, `NUL`, `COM1`… get a trailing `_`) and never the
    name of a v1 copy (`x.v1` gets a trailing `_`)."""
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
    if V1_COPY.search(stem + DRAFT_SUFFIX):  # a v1 copy's name is not listed as a draft
        stem += "_"
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
