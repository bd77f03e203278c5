"""What the rule engine returns: violations, each citing the clause it enforces."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

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


AttachmentProblem = Literal["", "outside", "missing", "not_regular", "unreadable", "too_large"]


@dataclass(frozen=True, slots=True)
class AttachmentState:
    """What is on disk at an attachment's path (relative to the draft's folder), as
    wizard.attachments finds it: the rules never read files. `problem` is "" when the file
    is there and was read (then `size` and `sha256` are set); "outside" for a path that is
    absolute or climbs out of the draft's folder (not read)."""

    path: str
    problem: AttachmentProblem = ""
    size: int | None = None
    sha256: str = ""
    detail: str = ""  # the system's words for an unreadable file


# Attachment path → its state; None where the files were not checked (no folder at hand).
AttachmentStates = Mapping[str, AttachmentState]


@dataclass(slots=True)
class Context:
    draft: Draft
    guide: Guide
    direction: Direction
    requirement: Requirement
    params: Any = None  # the requirement's params as its rule's model (rules.params)
    attachments: AttachmentStates | None = None  # None: files not checked
    # What several rules derive from the draft, computed once per evaluation (common.py).
    shared: dict[str, Any] | None = None


RuleFunction = Callable[[Context], Iterable[Finding]]


_ZH_LEADS = ("并且", "并", "且", "而且", "和")
_EN_LEADS = ("and ", "but ", "while ")


def sentence(text: str, lang: str, *, inner: bool = False) -> str:
    """A clause of the guide as a whole sentence: without the conjunction it had as the
    second half of one ("并确保…", "and must make sure…"), capitalised, and ending with a
    full stop (none when `inner`: to be quoted inside another sentence)."""
    text = " ".join(text.split()) if lang == "en" else text.strip()
    if lang == "en":
        lowered = text.lower()
        for lead in _EN_LEADS:
            if lowered.startswith(lead):
                text = text[len(lead) :]
                break
        text = text.rstrip(" ,;:.")
        text = text[:1].upper() + text[1:]
        return text if inner else text + "."
    for lead in _ZH_LEADS:
        if text.startswith(lead) and len(text) > len(lead) + 1:
            text = text[len(lead) :]
            break
    text = text.rstrip("，、；：。,;: ")
    return text if inner else text + "。"


def clause_parts(text: str, item: str) -> tuple[str, str]:
    """(item, clause) of a line the guide writes as "item：clause" ("共拟支持经费：3000万元人民币。"),
    so that "item：clause" is never written with the item twice; (item, text) otherwise."""
    head, sep, rest = text.partition("：")
    if sep and rest.strip() and len(head) <= 12 and head.strip():
        return head.strip(), rest.strip()
    return item, text
