"""The one lookup of the catalogue, `t(key, lang, **placeholders)`, and the sentences that
several outputs (the screens, the CLI, the exports) say alike."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Protocol

from wizard.catalogue.strings import STRINGS


class UnknownKey(KeyError):
    """A key the catalogue does not have: a typo or a text not yet written in both languages."""


class _Formatter(string.Formatter):
    """str.format, plus English plural forms: `{n} {n:plural:error|errors}`."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec.startswith("plural:"):
            one, _, many = format_spec.removeprefix("plural:").partition("|")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(key: str, lang: str, **placeholders: object) -> str:
    """The text of `key` in `lang` ("en", anything else is Chinese), its `{name}`s filled in.

    An unknown key raises `UnknownKey`: a missing text is a bug, never shown as the key."""
    try:
        zh, en = STRINGS[key]
    except KeyError:
        raise UnknownKey(f"no text {key!r} in wizard.catalogue") from None
    text = en if lang == "en" else zh
    return _FORMATTER.format(text, **placeholders) if placeholders else text


def counts_text(counts: Mapping[str, int], lang: str, sep: str | None = None) -> str:
    """The problem counts as every output says them: `错误 1，警告 0，提示 2` /
    `1 error, 0 warnings, 2 info` (`sep` between the three, the list separator by default)."""
    return t(
        "counts",
        lang,
        error=counts.get("error", 0),
        warning=counts.get("warning", 0),
        info=counts.get("info", 0),
        sep=t("list_sep", lang) if sep is None else sep,
    )


def status_text(status: str, errors: int, lang: str) -> str:
    """The status word, or what a draft marked ready while errors remain really is
    (`标记为可提交，但仍有 1 个错误`)."""
    if status == "ready" and errors:
        return t("ready_with_errors", lang, errors=errors)
    return t(f"status.{status}", lang) if f"status.{status}" in STRINGS else status


class ClauseLike(Protocol):
    @property
    def direction(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str | None: ...


def clause_where(direction: str, lang: str, *, name_general: bool = False) -> str:
    """What a cited clause begins with: its direction's code and a space; for the call's
    general requirements nothing, or `通用要求 ` / `General ` where the reader needs it."""
    if direction != "general":
        return f"{direction} "
    return f"{t('clause.general', lang)} " if name_general else ""


def clause_line(clause: ClauseLike, lang: str, *, name_general: bool = False) -> str:
    """A cited clause as the screens, the CLI and the exports show it: where it is from
    (`clause_where`), the item, its verbatim text (`1.4 拟支持经费：…`); an item the text
    already begins with is not said twice."""
    where = clause_where(clause.direction, lang, name_general=name_general)
    text = clause.text
    if text.startswith(clause.item) and text[len(clause.item) : len(clause.item) + 1] in "：:":
        line = f"{where}{text}"
    else:
        line = f"{where}{clause.item}{t('colon', lang)}{text}"
    if clause.source:
        line = t("annotated", lang, value=line, note=clause.source)
    return line
