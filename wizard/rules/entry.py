"""申报书 · 填写格式: text typed into a money, number or date field that is not one.

The wizard keeps such text in the draft's `[meta.unparsed]` table (wizard.entry) instead of
dropping it; until it is replaced by a value, it is an error here, so the draft cannot be
marked ready with a field the applicant believes filled but that holds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from wizard.draft import Draft
from wizard.entry import EntryError, kind_of, read_entry
from wizard.guide import Form
from wizard.rules.budget import amount_label
from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule

_SHOWN = 40  # characters of the typed text quoted in a message

_WANTED: dict[str | None, tuple[str, str]] = {
    "money": ("数字（万元）", "a number (10k CNY)"),
    "int": ("整数", "a whole number"),
    "date": ("日期，如 1978-03-02", "a date such as 1978-03-02"),
    None: ("有效的值", "a valid value"),
}


def _reason(text: str, kind: str) -> str:
    try:
        read_entry(text, kind)
    except EntryError as exc:
        return exc.reason
    return "range"  # readable, but outside what the field takes (months > 1200)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def unreadable(path: str, text: str, draft: Draft, form: Form) -> Finding:
    kind = kind_of(path)
    zh_kind, en_kind = _WANTED[kind]
    shown = _quoted(text)
    zh, en = amount_label(draft, form, path, "zh"), amount_label(draft, form, path, "en")
    if kind is not None and _reason(text, kind) == "range":
        return Finding(
            path,
            f"{zh}：“{shown}”超出允许范围，请核对。",
            f"{en}: '{shown}' is out of range; check it.",
        )
    return Finding(
        path,
        f"{zh}：无法识别“{shown}”，请填写{zh_kind}。",
        f"{en}: cannot read '{shown}'; type {en_kind}.",
    )


@rule("entry_readable")
def entry_readable(ctx: Context) -> Iterator[Finding]:
    for path, text in ctx.draft.meta.unparsed.items():
        yield unreadable(path, text, ctx.draft, ctx.guide.form)
