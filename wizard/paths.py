"""Where drafts live by default."""

from __future__ import annotations

import os
from pathlib import Path

DRAFTS_ENV = "WIZARD_DRAFTS_DIR"


def drafts_dir(option: str | None = None) -> Path:
    """--drafts-dir, else $WIZARD_DRAFTS_DIR, else ./drafts."""
    chosen = option or os.environ.get(DRAFTS_ENV) or "drafts"
    return Path(chosen)
