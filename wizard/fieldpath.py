"""Field paths of a draft (`team[2].name`, `partner.lead.email`, `narrative.status`,
`tasks[0].budget.materials.central`): read and write the value a path names.

One walker for the forms, the undo history and the tests, so every part of the draft —
lists of records, nested tables and the keyed tables (`narrative`, a 课题's `budget`) — is
reached the same way. Pure; no UI imports.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from wizard.draft import BudgetLine

_SEGMENT = re.compile(r"(\w+)(?:\[(\d+)\])?")


class PathError(LookupError):
    """A path that names nothing in the draft."""


class Slot:
    """What `resolve` returns for a path: read with `get`, write with `set`. For a key of a
    keyed table (`narrative.status`, `tasks[0].budget.materials`), the entry is created on
    the first write."""

    __slots__ = ("_create", "_holder", "_key", "_line")

    def __init__(
        self, holder: Any, key: str, line: str | None = None, create: bool = False
    ) -> None:
        self._holder = holder
        self._key = key
        self._line = line  # the BudgetLine attribute under a budget category
        self._create = create

    def get(self) -> Any:
        if isinstance(self._holder, dict):
            value = self._holder.get(self._key)
            if self._line is None:
                return value
            return getattr(value, self._line) if value is not None else None
        return getattr(self._holder, self._key)

    def set(self, value: Any) -> None:
        if isinstance(self._holder, dict):
            if self._line is None:
                self._holder[self._key] = value
                return
            line = self._holder.get(self._key)
            if line is None:
                line = self._holder[self._key] = BudgetLine()
            setattr(line, self._line, value)
            return
        setattr(self._holder, self._key, value)


def _parts(path: str) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for piece in path.split("."):
        match = _SEGMENT.fullmatch(piece)
        if match is None:
            raise PathError(path)
        out.append((match.group(1), int(match.group(2)) if match.group(2) else None))
    return out


def resolve(root: BaseModel, path: str) -> Slot:
    """The slot a concrete path names; PathError if a list index or a field is not there."""
    parts = _parts(path)
    node: Any = root
    for depth, (name, index) in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, dict):
            if last:
                return Slot(node, name)
            if depth == len(parts) - 2 and index is None:
                # A budget category then its source: the line may not exist yet.
                line = parts[-1][0]
                if line not in BudgetLine.model_fields:
                    raise PathError(path)
                return Slot(node, name, line)
            raise PathError(path)
        if not isinstance(node, BaseModel) or name not in type(node).model_fields:
            raise PathError(path)
        if last and index is None:
            return Slot(node, name)
        node = getattr(node, name)
        if index is not None:
            if not isinstance(node, list) or index >= len(node):
                raise PathError(path)
            node = node[index]
            if last:
                raise PathError(path)  # a path names a field, not a whole record
    raise PathError(path)  # pragma: no cover - an empty path


def value_at(root: BaseModel, path: str) -> Any:
    """The value a path names (None for a budget line or narrative part not written yet)."""
    return resolve(root, path).get()
