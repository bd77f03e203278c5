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
import weakref
from collections.abc import Iterable

__all__ = ["SETTLE_SECONDS", "keep_what_is_built", "release", "start_collecting"]

# How long after a form is built the heap is frozen: a removed form's last references (the
# compositor's map, pending messages) are gone by then.
SETTLE_SECONDS = 0.5
# On a loaded machine a removed form's last references can outlive SETTLE_SECONDS (the
# compositor's map is rebuilt at the next layout): the freeze waits for the dropped forms to
# be freed, this many times at most, then freezes anyway (what is still held then is held by
# something else, and leaks frozen or not).
MAX_WAITS = 10
_collect_first = False
_dropped: list[weakref.ref[object]] = []
_waits = 0


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


def keep_what_is_built() -> bool:
    """Everything alive now lives on: future collections no longer walk it (≈ 0.1 ms; after
    a `release()`, one full collection first). False, and nothing frozen, while a widget
    dropped at that release is still alive after the collection: call again a moment
    later."""
    global _collect_first, _waits
    if _collect_first:
        gc.unfreeze()
        gc.collect()
        if any(ref() is not None for ref in _dropped) and _waits < MAX_WAITS:
            _waits += 1
            return False
        _collect_first, _waits = False, 0
        _dropped.clear()
    gc.freeze()
    return True


def release(dropped: Iterable[object] = ()) -> None:
    """Widgets are being dropped: the collector sees everything again, and the next freeze
    waits for `dropped` to be freed."""
    global _collect_first
    gc.unfreeze()
    _collect_first = True
    _dropped.extend(weakref.ref(widget) for widget in dropped)
