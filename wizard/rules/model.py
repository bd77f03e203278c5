"""What the rule engine returns: violations, each citing the clause it enforces."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wizard.draft import Draft
from wizard.guide import Direction, Guide, Requirement, Severity

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Clause:
    """The guide clause a violation enforces: direction code (or 'general'), item, verbatim text."""

    direction: str
    item: str
    text: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    severity: Severity
    path: str
    message_zh: str
    message_en: str
    clause: Clause

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_zh

    @property
    def section(self) -> str:
        """The form section the path belongs to (its first segment)."""
        head = self.path.split(".", 1)[0]
        return head.split("[", 1)[0]


# Finding and Context are built per finding and per rule on every evaluation (every
# keystroke in the editor); they are not frozen because a frozen dataclass takes about four
# times as long to build. Rules and the engine only read them.
@dataclass(slots=True)
class Finding:
    """What a rule function reports; the engine adds rule id and clause.

    `severity` overrides the requirement's (e.g. sibling units under one parent are only a
    warning under a subordination rule that is an error); `clause` overrides the citation
    where the clause is the direction's own data (funding, fields, period).
    """

    path: str
    zh: str
    en: str
    severity: Severity | None = None
    clause: Clause | None = None


@dataclass(slots=True)
class Context:
    draft: Draft
    guide: Guide
    direction: Direction
    requirement: Requirement


RuleFunction = Callable[[Context], Iterable[Finding]]
