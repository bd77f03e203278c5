"""Recovery copies: where typed text goes when the draft itself cannot be written.

When a save fails (disk full, a folder made read-only, a file name the file system refuses)
and the wizard has to leave (quit, a signal, the terminal closed), the draft is written as a
recovery copy to the user's state folder (`platformdirs.user_state_dir`, e.g.
`~/.local/state/guide-wizard/recovery` on Linux; `$WIZARD_RECOVERY_DIR` overrides it), or, if
that fails too, to a folder in the system's temp folder. Each copy is a complete draft file
(`<time>-<pid>.toml`) with a small `.json` beside it naming the draft it was meant for. The
next start lists them and offers to restore each into the drafts folder or discard it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wizard.files import DRAFT_SUFFIX, atomic_write, read_draft_text

RECOVERY_ENV = "WIZARD_RECOVERY_DIR"
APP_NAME = "guide-wizard"


def recovery_dirs() -> list[Path]:
    """Where recovery copies are written, first choice first, and looked for at start."""
    chosen = os.environ.get(RECOVERY_ENV)
    if chosen:
        first = Path(chosen)
    else:
        import platformdirs

        first = Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "recovery"
    user = os.getuid() if hasattr(os, "getuid") else 0
    second = Path(tempfile.gettempdir()) / f"{APP_NAME}-recovery-{user}"
    return [first] if chosen else [first, second]


@dataclass(frozen=True)
class Recovery:
    path: Path  # the copy
    original: str  # the draft it was meant for ("" if unknown)
    saved: str  # when, ISO 8601


def _side(path: Path) -> Path:
    return path.with_suffix(".json")


def write_recovery(text: str, original: Path, now: datetime | None = None) -> Path:
    """Write a recovery copy of a draft's text; returns where. Raises OSError (the last
    folder's) if no recovery folder can be written."""
    stamp = (now or datetime.now().astimezone()).replace(microsecond=0)
    error: OSError | None = None
    for folder in recovery_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            base = f"{stamp.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
            target = folder / f"{base}{DRAFT_SUFFIX}"
            n = 2
            while os.path.lexists(target):
                target = folder / f"{base}-{n}{DRAFT_SUFFIX}"
                n += 1
            atomic_write(target, text.encode("utf-8"))
            with contextlib.suppress(OSError):  # the applicant's text: theirs alone to read
                os.chmod(target, 0o600)
            side = {"original": os.fsdecode(original), "saved": stamp.isoformat()}
            with contextlib.suppress(OSError):  # the copy itself is what counts
                atomic_write(_side(target), json.dumps(side, ensure_ascii=True).encode())
            return target
        except OSError as exc:
            error = exc
    assert error is not None
    raise error


def list_recoveries() -> list[Recovery]:
    """Every recovery copy waiting in the recovery folders, oldest first."""
    found: list[Recovery] = []
    for folder in recovery_dirs():
        try:
            paths = [p for p in folder.glob(f"*{DRAFT_SUFFIX}") if p.is_file()]
            paths = [p for p in paths if not p.is_symlink()]
            paths.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
        except OSError:
            continue
        for path in paths:
            original, saved = "", ""
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                side = json.loads(_side(path).read_text("utf-8"))
                original, saved = str(side.get("original", "")), str(side.get("saved", ""))
            found.append(Recovery(path, original, saved))
    return found


def discard_recovery(recovery: Recovery) -> None:
    """Remove a recovery copy (the applicant chose to)."""
    with contextlib.suppress(FileNotFoundError):
        _side(recovery.path).unlink()
    with contextlib.suppress(FileNotFoundError):
        recovery.path.unlink()


def restore_recovery(recovery: Recovery, folder: Path) -> Path:
    """Put a recovery copy into the drafts `folder` as a new draft (never over an existing
    file), named after the draft it was meant for; then remove the copy."""
    from wizard.store import new_draft_path

    text = read_draft_text(recovery.path)
    stem = Path(recovery.original).stem if recovery.original else "draft"
    target = new_draft_path(folder, f"{stem[:40]}-恢复")
    atomic_write(target, text.encode("utf-8"))
    discard_recovery(recovery)
    return target
