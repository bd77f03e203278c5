"""Form fields bound to draft paths: value access, parsing and the field widget."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Select, Static, TextArea

from screens._textual_compat import (
    OrderedCheckbox,
    OrderedKeys,
    QuietWidthInput,
    set_localized_bindings,
)
from wizard import fieldpath
from wizard.catalogue import label, t
from wizard.display import printable
from wizard.draft import Draft
from wizard.entry import EntryError, read_entry
from wizard.fieldpath import Slot
from wizard.money import in_range


class FieldError(ValueError):
    """Text the field cannot take; `key` names the message in wizard.catalogue."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class FieldSpec:
    pattern: str  # e.g. "project.title", "units[].name"
    kind: str = "text"  # text, area, int, date, money, select, bool, comma, lines

    @property
    def dom_id(self) -> str:
        return "f-" + re.sub(r"[^a-z0-9_]", "-", self.pattern.replace("[]", ""))


def resolve(draft: Draft, path: str) -> Slot:
    """The slot a concrete path names (`units[2].name`, `tasks[0].budget.labour.central`)."""
    return fieldpath.resolve(draft, path)


def concrete(pattern: str, index: int | None) -> str:
    return pattern.replace("[]", f"[{index if index is not None else 0}]")


def format_value(value: Any, kind: str) -> str:
    """The text an editor shows for a draft value. Control characters a file may carry are
    shown escaped (a field never sends ESC or OSC sequences to the terminal); the draft keeps
    the original until the applicant edits that field."""
    if value is None:
        return ""
    if kind == "comma":
        return printable(", ".join(value))
    if kind == "lines":
        return printable("\n".join(value), keep_newlines=True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and in_range(value):
        return format(value, "f")  # 500, never 5E+2 (the field reads its own text back)
    return printable(str(value), keep_newlines=kind == "area")


def parse_value(text: str, kind: str) -> Any:
    if kind in ("text", "area"):
        return text
    if kind == "comma":
        return [k.strip() for k in re.split(r"[,，、;；]", text) if k.strip()]
    if kind == "lines":
        return [k.strip() for k in text.splitlines() if k.strip()]
    if kind in ("money", "int", "date"):
        try:
            return read_entry(text, kind)
        except EntryError as exc:
            key = "range" if exc.reason == "range" else kind
            raise FieldError(f"ed.field_error.{key}") from None
    return text


def assign(draft: Draft, path: str, value: Any) -> None:
    slot = resolve(draft, path)
    try:
        slot.set(value)
    except ValidationError:
        raise FieldError("ed.field_error.range") from None


def plain(text: str) -> Text:
    """User text as a renderable that is never markup."""
    return Text(printable(text))


class FieldBox(Vertical):
    """A label (the field's, or a `title` of the guide's: a budget category, a narrative
    part), the editor widget and a line for the field's own error."""

    DEFAULT_CSS = """
    FieldBox { height: auto; margin: 0 0 1 0; }
    FieldBox > .field-label { color: $text-muted; }
    FieldBox > .field-error { color: $error; display: none; }
    FieldBox.-has-error > .field-error { display: block; }
    FieldBox.-invalid > .field-label { color: $error; text-style: bold; }
    FieldBox.-invalid > Input, FieldBox.-invalid > Select > SelectCurrent,
    FieldBox.-invalid > TextArea { border: tall $error; }
    FieldBox > TextArea { height: 5; }
    FieldBox > TextArea.short { height: 4; }
    /* Compact (80×24): no border, so an empty field is a shaded line, not nothing. */
    FieldBox > Input.-textual-compact, FieldBox > TextArea.-textual-compact,
    FieldBox > Select.-textual-compact > SelectCurrent { background: $foreground 15%; }
    FieldBox > Input.-textual-compact:focus, FieldBox > TextArea.-textual-compact:focus,
    FieldBox > Select.-textual-compact:focus > SelectCurrent {
        background: $primary 30%;
    }
    FieldBox.-invalid > Input.-textual-compact, FieldBox.-invalid > TextArea.-textual-compact,
    FieldBox.-invalid > Select.-textual-compact > SelectCurrent { background: $error 25%; }
    /* An open list stays above the status bar and the footer. */
    FieldBox > Select > SelectOverlay { margin: 0 0 2 0; }
    """

    def __init__(
        self, spec: FieldSpec, editor: Widget, lang: str, title: str | None = None
    ) -> None:
        super().__init__(id="box-" + spec.dom_id[2:], classes="field")
        self.spec = spec
        self.editor = editor
        self.lang = lang
        self.title = title
        self._error = ""

    def compose(self) -> ComposeResult:
        title = self.title if self.title is not None else label(self.spec.pattern, self.lang)
        yield Label(Text(title), classes="field-label")
        yield self.editor
        yield from self.compose_below()
        yield Static("", classes="field-error", markup=False)

    def compose_below(self) -> ComposeResult:
        """Hook: what stands between the editor and the error line."""
        yield from ()

    def set_error(self, message: str) -> None:
        # Called on every edit: an unchanged message must not cost a layout pass.
        if message == self._error:
            return
        self._error = message
        self.query_one(".field-error", Static).update(message)
        self.set_class(bool(message), "-has-error")


# A form's edit handler, called by a field as soon as its text changes (see FieldInput).
EditHook = Callable[[Widget, str], None]


class FieldInput(QuietWidthInput):
    """A one-line form field whose typing redraws the field, not the whole screen's layout
    (screens/_textual_compat.py), and reaches the draft at once.

    The draft is updated in the value watcher, synchronously with the key that changed the
    text, not from the `Changed` message: that message travels up through the form's queue,
    and a section switch or reload in between (keys typed in one burst) would show the old
    value and lose the key.
    """

    def value_set(self, value: str) -> None:
        if self.on_edit is not None:
            self.on_edit(self, value)

    on_edit: EditHook | None = None


class FieldArea(OrderedKeys, TextArea):
    """A multi-line form field whose edits reach the draft at once (as FieldInput)."""

    on_edit: EditHook | None = None

    def _report(self) -> None:
        if self.on_edit is not None:
            self.on_edit(self, self.text)

    def edit(self, edit: Any) -> Any:
        result = super().edit(edit)
        self._report()
        return result

    def load_text(self, text: str) -> None:
        super().load_text(text)
        self._report()

    def undo(self) -> None:
        super().undo()
        self._report()

    def redo(self) -> None:
        super().redo()
        self._report()


class FieldSelect(Select[str]):
    """A form's choice field: it knows its choices (`values`, kept as they are set), and its
    open list names its Escape key in the UI language (the footer shows Textual's
    `esc Dismiss menu` otherwise)."""

    def __init__(self, options: list[tuple[Text, str]], *, lang: str, **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        self.lang = lang
        self.values: tuple[str, ...] = tuple(v for _, v in options)
        self.shown: tuple[tuple[str, str], ...] = shown_choices(options)

    def set_options(self, options: Iterable[tuple[RenderableType, str]]) -> None:
        options = list(options)
        super().set_options(options)
        self.values = tuple(v for _, v in options)
        self.shown = shown_choices(options)


def shown_choices(options: Iterable[tuple[RenderableType, str]]) -> tuple[tuple[str, str], ...]:
    """What a select's choices look like (their text with its styles, and their value), to
    tell if new ones differ."""
    return tuple(
        (o.markup if isinstance(o, Text) else str(o) if isinstance(o, str) else repr(o), v)
        for o, v in options
    )

    def on_mount(self) -> None:
        from textual.binding import Binding

        overlay = self.query_one("SelectOverlay")
        set_localized_bindings(overlay, [Binding("escape", "dismiss", t("key.dismiss", self.lang))])


def make_editor(
    spec: FieldSpec, lang: str, options: list[tuple[Text | str, str]] | None = None
) -> Widget:
    """The input widget for a field kind; its id is the spec's dom id."""
    if spec.kind == "select":
        # Choices are shown as plain text, never as markup (unit names, guide texts).
        plain_options = [(Text(o) if isinstance(o, str) else o, v) for o, v in options or []]
        select = FieldSelect(
            plain_options,
            prompt=t("form.choose", lang),
            id=spec.dom_id,
            allow_blank=True,
            lang=lang,
        )
        select.field_pattern = spec.pattern  # type: ignore[attr-defined]
        return select
    if spec.kind == "bool":
        box = OrderedCheckbox(label(spec.pattern, lang), id=spec.dom_id)
        box.field_pattern = spec.pattern  # type: ignore[attr-defined]
        return box
    if spec.kind in ("area", "lines"):
        area = FieldArea(id=spec.dom_id, soft_wrap=True, show_line_numbers=False)
        if spec.kind == "lines":
            area.add_class("short")
        area.field_pattern = spec.pattern  # type: ignore[attr-defined]
        return area
    placeholder = {"date": "YYYY-MM-DD", "money": t("form.budget_unit", lang)}.get(spec.kind, "")
    # No Textual validators (the rules check the draft): validate_on=[] also spares each
    # field a -valid/-invalid restyle (~3 ms) when its first value is set.
    field = FieldInput(
        id=spec.dom_id, placeholder=placeholder, select_on_focus=False, validate_on=[]
    )
    field.field_pattern = spec.pattern  # type: ignore[attr-defined]
    return field
