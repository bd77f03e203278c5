"""Undo and redo of a session's edits to a draft. Pure; no UI imports.

The history keeps plain-data snapshots of the draft (`store.draft_data`): the state after the
latest edit, and before it one state per undo step. Typing in one field is one step, as in a
text editor: edits of the same field in quick succession are folded into the step that
began them; a change of field, a pause, or a change to a list (a unit deleted, moved, added)
starts a new step. Each step remembers the field it changed, so an undo can show it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Edits of one field closer together than this are one step.
COALESCE_SECONDS = 1.5
# Steps kept (the issue asks for at least the last 100).
UNDO_LIMIT = 200
# Paths naming a whole list: a structural change, never folded with the next edit.
LIST_PATHS = frozenset(
    {"units", "partner.institutions", "h2020.participants", "direction"}
    | {"team", "tasks", "targets", "plan", "attachments"}  # the v2 lists
)

State = dict[str, Any]


@dataclass(frozen=True)
class Step:
    state: State  # the draft as it was before (undo) or after (redo) the step
    path: str  # the field or list the step changed


class History:
    def __init__(
        self,
        state: State,
        limit: int = UNDO_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._current = state
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._limit = limit
        self._clock = clock
        self._last_path: str | None = None
        self._last_at = float("-inf")

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def record(self, state: State, path: str) -> None:
        """The draft changed at `path` and is now `state`."""
        now = self._clock()
        folds = (
            self._undo
            and path == self._last_path
            and path not in LIST_PATHS
            and now - self._last_at < COALESCE_SECONDS
        )
        if not folds:
            self._undo.append(Step(self._current, path))
            if len(self._undo) > self._limit:
                del self._undo[0]
        self._redo.clear()
        self._current = state
        self._last_path = path
        self._last_at = now

    def undo(self) -> Step | None:
        """The step to go back to (its state and the field it changed), or None."""
        return self._move(self._undo, self._redo)

    def redo(self) -> Step | None:
        """The step undone last, again, or None."""
        return self._move(self._redo, self._undo)

    def _move(self, source: list[Step], target: list[Step]) -> Step | None:
        """Take the last step of `source`, keeping where we are on `target` to come back."""
        if not source:
            return None
        step = source.pop()
        target.append(Step(self._current, step.path))
        self._current = step.state
        self._last_path = None  # the next edit starts a step of its own
        return step
