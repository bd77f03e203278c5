"""The submission package (`wizard pack FILE [-o OUT.zip]`, `wizard pack --verify PKG.zip`).

A package is one zip holding the draft TOML, every attached file at its path relative to the
draft (so the unpacked folder is a working draft folder), the 申报书 as Word and as HTML, and
`manifest.json`: every other member's size and SHA-256, the guide, the wizard's version and
the rule results at packing time. Packing refuses while an attachment is missing or changed
since it was attached, and while errors remain (unless `allow_errors`), saying which.

Verifying reads the zip in memory and never extracts it: a member whose name is absolute,
has a `..` part, a backslash or a drive is reported and never opened as a path. Every hash is
checked again, the packed draft is judged again, and any changed, missing or extra member
is named. The same draft and files always give the same bytes (wizard.zipfixed).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import tomllib
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from wizard import __version__
from wizard.attachments import file_state, states
from wizard.draft import Draft
from wizard.files import open_regular, read_limited
from wizard.guide import Guide
from wizard.zipfixed import write_zip

if TYPE_CHECKING:
    from wizard.rules import Violation
    from wizard.rules.model import AttachmentStates

FORMAT = "guide-wizard-package/1"
MANIFEST = "manifest.json"
# No member of a package is read beyond this (an attachment is at most 512 MiB); a zip
# that claims more is refused before anything is inflated.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024
_CHUNK = 1 << 20

HtmlExport = Callable[[Draft, Guide, str], str]


class PackError(Exception):
    """Why a package was not written; every line names a file or a problem."""

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.details = list(details)

    def __str__(self) -> str:
        lines = [self.args[0], *(f"  {d}" for d in self.details)]
        return "\n".join(lines)


@dataclass
class Package:
    data: bytes
    manifest: dict[str, Any]
    violations: list[Violation]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def member_name(path: str) -> str:
    """An attachment's path (relative to the draft's folder) as a zip member name."""
    return posixpath.normpath(path.strip().replace("\\", "/"))


def unsafe_name(name: str) -> str | None:
    """Why a zip member's name must never become a path on disk, or None."""
    if not name or "\x00" in name:
        return "empty"
    if "\\" in name:
        return "backslash"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute():
        return "absolute"
    if PureWindowsPath(name).drive or ":" in name.split("/", 1)[0]:
        return "drive"
    if any(part == ".." for part in name.split("/")):
        return "parent"
    return None


def _read_regular(path: Path) -> bytes:
    """A regular file's bytes (no link, FIFO or device), at most MAX_MEMBER_BYTES."""
    fd = open_regular(path)
    try:
        data = read_limited(fd, MAX_MEMBER_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_MEMBER_BYTES:
        raise PackError(f"{path}: larger than {MAX_MEMBER_BYTES} bytes")
    return data


def _default_html(draft: Draft, guide: Guide, lang: str) -> str:
    from wizard.export import render_export

    return render_export(draft, guide, "html", lang)


def _judge(draft: Draft, guide: Guide, files: AttachmentStates) -> list[Violation]:
    from wizard.rules import evaluate

    return evaluate(draft, guide, files)


def rules_json(violations: Sequence[Violation], lang: str) -> dict[str, Any]:
    from wizard.check import violation_json
    from wizard.rules import counts

    return {
        "counts": counts(list(violations)),
        "violations": [violation_json(v, lang) for v in violations],
    }


def _attachment_files(draft: Draft, folder: Path) -> list[tuple[str, bytes]]:
    """Every attached file as (member name, bytes); PackError naming each one missing or
    changed since it was attached."""
    problems: list[str] = []
    out: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    for item in draft.attachments:
        path = item.path.strip()
        if not path:
            continue
        name = member_name(path)
        if name in seen:
            continue
        seen.add(name)
        where = unsafe_name(name)
        if where is not None:
            problems.append(f"{path}: not inside the draft's folder ({where})")
            continue
        state = file_state(folder, path)
        if state.problem:
            problems.append(f"{path}: {state.problem}")
            continue
        try:
            data = _read_regular(folder / name)
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        if not item.sha256 or item.size is None:
            problems.append(f"{path}: not recorded as attached (no SHA-256); attach it again")
        elif sha256(data) != item.sha256 or len(data) != item.size:
            problems.append(
                f"{path}: changed since it was attached (SHA-256 {sha256(data)[:12]}…, "
                f"recorded {item.sha256[:12]}…); check it and attach it again"
            )
        out.append((name, data))
    if problems:
        raise PackError("attachments missing or changed; nothing packed", problems)
    return out


def build_package(
    path: Path,
    guide: Guide,
    *,
    allow_errors: bool = False,
    lang: str = "zh",
    html: HtmlExport | None = None,
) -> Package:
    """The package of the draft at `path` (PackError says why not)."""
    from wizard.docx_export import render_docx
    from wizard.store import parse_draft

    raw = _read_regular(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: not UTF-8 text ({exc.reason}); not a draft") from None
    try:
        version = tomllib.loads(text).get("schema_version")
    except tomllib.TOMLDecodeError:
        version = None
    draft = parse_draft(text, path, guide)
    if version != 2:
        raise PackError(
            f"{path}: a draft of an older format; open and save it in the wizard "
            "(or `wizard migrate`) before packing"
        )
    files = _attachment_files(draft, path.parent)
    violations = _judge(draft, guide, states(draft, path.parent))
    errors = [v for v in violations if v.severity == "error"]
    if errors and not allow_errors:
        shown = [f"{v.path}: {v.message(lang)}" for v in errors[:10]]
        if len(errors) > 10:
            shown.append(f"… and {len(errors) - 10} more (wizard check {path})")
        raise PackError(
            f"{path}: {len(errors)} error(s) remain; not packed (--allow-errors packs anyway)",
            shown,
        )
    stem = path.stem
    members: list[tuple[str, bytes, str, str]] = [(path.name, raw, "draft", "")]
    keys = {member_name(a.path): a.key for a in draft.attachments if a.path.strip()}
    members += [(name, data, "attachment", keys.get(name, "")) for name, data in files]
    docx = render_docx(draft, guide, lang)
    page = (html or _default_html)(draft, guide, lang).encode("utf-8")
    members += [(f"{stem}.docx", docx, "docx", ""), (f"{stem}.html", page, "html", "")]
    names = [m[0] for m in members]
    clash = sorted({n for n in names if names.count(n) > 1} | ({MANIFEST} & set(names)))
    if clash:
        raise PackError("two files would have the same name in the package", clash)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "wizard": __version__,
        "guide": {"id": guide.id, "title": guide.title},
        "direction": draft.direction,
        "draft": path.name,
        "updated": draft.meta.updated.isoformat() if draft.meta.updated else None,
        "files": [
            {"path": name, "size": len(data), "sha256": sha256(data), "role": role}
            | ({"key": key} if key else {})
            for name, data, role, key in members
        ],
        "rules": rules_json(violations, lang),
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    data = write_zip([*((n, d) for n, d, _, _ in members), (MANIFEST, body.encode("utf-8"))])
    return Package(data, manifest, violations)


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}.package.zip")


# ---------------------------------------------------------------------------------------------
# Verify


@dataclass
class Verification:
    """What `wizard pack --verify` found; `ok` only when nothing is wrong."""

    unsafe: list[str] = field(default_factory=list)  # "name: why"
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts_then: dict[str, int] = field(default_factory=dict)
    counts_now: dict[str, int] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.unsafe or self.missing or self.changed or self.extra or self.problems)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    out = io.BytesIO()
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            if out.tell() + len(chunk) > MAX_MEMBER_BYTES:
                raise PackError(f"{info.filename}: larger than {MAX_MEMBER_BYTES} bytes")
            out.write(chunk)
    return out.getvalue()


def _packed_states(draft: Draft, members: dict[str, bytes]) -> AttachmentStates:
    """The attachments' states as the package holds them (for the rules)."""
    from wizard.rules.model import AttachmentState

    out: dict[str, AttachmentState] = {}
    for item in draft.attachments:
        path = item.path.strip()
        if not path or path in out:
            continue
        name = member_name(path)
        member = members.get(name) if unsafe_name(name) is None else None
        if member is None:
            out[path] = AttachmentState(path, "missing")
        else:
            out[path] = AttachmentState(path, "", len(member), sha256(member))
    return out


def verify_package(data: bytes, guide: Guide) -> Verification:
    """Check a package's bytes: names, hashes, the manifest, the rules. Nothing is written."""
    from wizard.rules import counts
    from wizard.store import DraftError, parse_draft

    result = Verification()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        result.problems.append(f"not a zip file ({exc})")
        return result
    with archive:
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_PACKAGE_BYTES:
            result.problems.append("the package claims more than 2 GiB; not read")
            return result
        members: dict[str, bytes] = {}
        for info in infos:
            why = unsafe_name(info.filename)
            if why is not None:
                result.unsafe.append(f"{info.filename!r}: {why}")
                continue
            if info.is_dir():
                continue
            if info.filename in members:
                result.unsafe.append(f"{info.filename!r}: twice in the package")
                continue
            try:
                members[info.filename] = _read_member(archive, info)
            except (PackError, zipfile.BadZipFile, OSError, EOFError) as exc:
                result.problems.append(f"{info.filename}: unreadable ({exc})")
    raw_manifest = members.pop(MANIFEST, None)
    if raw_manifest is None:
        result.problems.append(f"no {MANIFEST}")
        return result
    try:
        manifest = json.loads(raw_manifest.decode("utf-8"))
        files = manifest["files"]
        listed = {str(f["path"]): f for f in files}
    except (ValueError, KeyError, TypeError) as exc:
        result.problems.append(f"{MANIFEST}: not readable ({exc})")
        return result
    for name, entry in listed.items():
        member = members.get(name)
        if member is None:
            result.missing.append(name)
        elif sha256(member) != entry.get("sha256") or len(member) != entry.get("size"):
            result.changed.append(name)
    result.extra = sorted(set(members) - set(listed))
    then = manifest.get("rules", {}).get("counts", {})
    result.counts_then = {str(k): int(v) for k, v in then.items()} if isinstance(then, dict) else {}
    draft_name = manifest.get("draft")
    raw_draft = members.get(draft_name) if isinstance(draft_name, str) else None
    if raw_draft is None:
        result.problems.append("the draft is not in the package")
        return result
    try:
        draft = parse_draft(raw_draft.decode("utf-8"), draft_name, guide)
    except (DraftError, UnicodeDecodeError) as exc:
        result.problems.append(f"{draft_name}: {exc}")
        return result
    # The attachments as the packed draft recorded them.
    for item in draft.attachments:
        if not item.path.strip() or (item.not_applicable and not item.sha256):
            continue
        name = member_name(item.path)
        member = members.get(name)
        if member is None:
            if name not in result.missing:
                result.missing.append(name)
        elif item.sha256 and sha256(member) != item.sha256 and name not in result.changed:
            result.changed.append(name)
    result.violations = _judge(draft, guide, _packed_states(draft, members))
    result.counts_now = counts(result.violations)
    return result


__all__ = [
    "MANIFEST",
    "PackError",
    "Package",
    "Verification",
    "build_package",
    "default_output",
    "unsafe_name",
    "verify_package",
]
