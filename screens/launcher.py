"""The `wizard` program: the core's command line with the terminal wizard plugged in.

`wizard.cli` is the core's command line and never imports the UI; it takes the runner of the
terminal wizard as an argument. This module passes `run_tui`, so bare `wizard`, `wizard open
FILE` and `wizard new …` (in a terminal) open the screens, and every other command is the
core's. Textual is imported only when the screens open: `wizard check --help` stays quick.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.guide import Guide

SWITCH_INTERVAL = 0.001  # seconds (CPython's default: 0.005)
FRAMES_PER_SECOND = 120


def run_tui(drafts_dir: Path, guide: Guide | None, lang: str, open_path: Path | None) -> int:
    """Open the terminal wizard on `drafts_dir` (on `open_path` when given); the exit code."""
    # No garbage collection until the first screen is drawn (screens.heap.start_collecting):
    # start-up allocates about a million objects that live as long as the program (Textual,
    # the models, the guide), and the collector walked all of them several times over before
    # the first frame (≈ 100–250 ms, docs/performance.md). Start-up makes little garbage.
    gc.disable()
    # Pydantic looks for plugins (observability tools) by scanning every installed package's
    # entry points when it builds the first model (≈ 6 ms); the wizard uses none. An
    # explicit setting in the environment is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # The save thread makes the TOML in Python, holding the interpreter in 5 ms slices by
    # default: a key read meanwhile waited for the slice's end before it could be echoed.
    sys.setswitchinterval(SWITCH_INTERVAL)
    # Textual draws at most 60 frames a second, on a fixed beat: the problems panel, one frame
    # after the key's echo, waited 17–33 ms for its beat. At 120 it waits 8–17 (only frames
    # with something new are drawn, so an idle screen costs nothing more).
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
    try:
        from screens.app import run_app

        return run_app(drafts_dir, guide, lang, open_path=open_path)
    finally:
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    from wizard.cli import main as cli_main

    return cli_main(argv, tui=run_tui)
