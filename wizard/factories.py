"""The models' empty lists and tables: `Field(default_factory=empty_list)`, not `list`.

Pydantic reads a default factory's signature when it builds a model (does it take the data
validated so far?). For a builtin such as `list` or `dict`, `inspect.signature` parses the
type's text signature with the `tokenize` module, whose regular expressions are compiled on
first use: ≈ 12 ms for the first field and ≈ 0.3 ms for each of the ~30 after, at every
start-up. A Python function's signature is read from its code object (microseconds).
"""

from __future__ import annotations

from typing import Any


def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[Any, Any]:
    return {}
