"""The `wizard` program: the core's command line with the terminal wizard plugged in.

`wizard.cli` is the core's command line and never imports the UI; it takes the runner of the
terminal wizard as an argument. This module passes `run_tui`, so bare `wizard`, `wizard open
FILE` and `wizard new …` (in a terminal) open the screens, and every other command is the
core's. Textual is imported only when the screens open: `wizard check --help` stays quick.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.guide import Guide

SWITCH_INTERVAL = 0.001  # seconds (CPython's default: 0.005)


def run_tui(drafts_dir: Path, guide: Guide | None, lang: str, open_path: Path | None) -> int:
    """Open the terminal wizard on `drafts_dir` (on `open_path` when given); the exit code."""
    from screens.app import run_app
    from screens.heap import keep_what_is_built

    keep_what_is_built()  # the modules just imported live as long as the program
    # The save thread makes the TOML in Python, holding the interpreter in 5 ms slices by
    # default: a key read meanwhile waited for the slice's end before it could be echoed.
    sys.setswitchinterval(SWITCH_INTERVAL)
    return run_app(drafts_dir, guide, lang, open_path=open_path)


def main(argv: Sequence[str] | None = None) -> int:
    from wizard.cli import main as cli_main

    return cli_main(argv, tui=run_tui)
