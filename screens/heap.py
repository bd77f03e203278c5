"""The garbage collector's pauses kept away from the keys (issue 15, Speed).

CPython's full collection walks every object it tracks: with a large draft's forms built
(≈ 365,000 objects) one takes 150–400 ms, and building forms is what triggers them, every
few section switches. The screen stands still meanwhile: a section switch of 60 ms took 400.
What lives as long as the program or the editor (the imported modules and the guide, the
editor's built forms) is moved out of the collector's sight (`gc.freeze`) once it is built:
start-up runs without the collector (screens/launcher.py) until the first frame is drawn.

A frozen object is never collected, so what is dropped must be handed back first: when an
editor drops its forms (F2, another direction) or closes, `release()` unfreezes everything,
and the next `keep_what_is_built()` collects before it freezes again: the dropped widgets
are freed then, not kept for the rest of the program.
"""

from __future__ import annotations

import gc

__all__ = ["SETTLE_SECONDS", "keep_what_is_built", "release", "start_collecting"]

# How long after a form is built the heap is frozen: a removed form's last references (the
# compositor's map, pending messages) are gone by then.
SETTLE_SECONDS = 0.5
_collect_first = False


def start_collecting() -> None:
    """Collect garbage again, once the first screen is drawn (the launcher stops the collector
    for start-up): the little garbage start-up made is collected once, and what is left
    (the modules, the models, the guide, the widgets: they live as long as the program) is
    kept out of every later collection. A no-op where the collector was left running (tests
    run the app in-process)."""
    if not gc.isenabled():
        gc.collect()
        gc.freeze()
        gc.enable()


def keep_what_is_built() -> None:
    """Everything alive now lives on: future collections no longer walk it (≈ 0.1 ms; after
    a `release()`, one full collection first)."""
    global _collect_first
    if _collect_first:
        _collect_first = False
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def release() -> None:
    """Widgets are being dropped: the collector sees everything again."""
    global _collect_first
    gc.unfreeze()
    _collect_first = True
