"""What every section form shares: field boxes bound to draft paths, lists of records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from screens.fields import (
    FieldArea,
    FieldBox,
    FieldError,
    FieldInput,
    FieldSelect,
    FieldSpec,
    assign,
    concrete,
    format_value,
    make_editor,
    parse_value,
    plain,
    resolve,
    shown_choices,
)
from wizard.catalogue import help_text, t
from wizard.display import printable
from wizard.draft import UNIT_KINDS, Unit, follow_topic
from wizard.entry import unparsed_after_removal, unparsed_after_swap
from wizard.money import format_money
from wizard.progress import section_title

if TYPE_CHECKING:
    from wizard.rules import Violation
    from wizard.session import EditSession


def focus_now(widget: Widget) -> None:
    """Focus `widget` before the next key is handled.

    `Widget.focus()` defers the change (`call_later`), so keys already waiting in the app's
    queue (a burst: a fast typist, key repeat, a paste) would still go to the old field.
    """
    widget.screen.set_focus(widget, scroll_visible=False)


ENTRY_FIELD_KINDS = frozenset({"money", "int", "date"})


def money_text(value: Decimal | None) -> str:
    """An amount as every output shows it (wizard.money.format_money), — when empty."""
    return format_money(value) if value is not None else "—"


class SectionForm(VerticalScroll):
    """Base: builds FieldBoxes from specs, writes edits into the draft, marks invalid fields."""

    DEFAULT_CSS = """
    /* The scrollbar is there from the first layout: with `auto` it appeared after it (most
       sections are taller than the screen), and every field, narrower now, was laid out and
       drawn again (one or two more full passes, a third of a section's first showing). */
    SectionForm { padding: 0 1; height: 1fr; overflow-y: scroll; }
    SectionForm .section-title { text-style: bold; color: $accent; margin: 0 0 1 0; }
    SectionForm .subtitle { text-style: bold; margin: 1 0 0 0; }
    SectionForm .hint { color: $text-muted; margin: 0 0 1 0; }
    SectionForm .list-buttons { height: auto; margin: 0 0 1 0; }
    SectionForm .list-buttons Button { min-width: 8; margin: 0 1 0 0; }
    SectionForm OptionList.items { height: auto; max-height: 8; margin: 0 0 1 0; }
    SectionForm OptionList.items.-invalid { border: tall $error; }
    SectionForm .detail { height: auto; }
    """

    section = ""
    SPECS: tuple[FieldSpec, ...] = ()

    class Action(Message):
        """A form asks for one of the editor's actions (`mark_ready`, `switch_direction`)."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def __init__(self, session: EditSession) -> None:
        super().__init__(id=f"form-{self.section}", classes="section-form")
        # Read-only handle: the draft, guide, language and the last check are the session's;
        # edits are told to it (`session.edited(path)`), which the editor screen listens to.
        self.session = session
        self.boxes: dict[str, FieldBox] = {}
        self._loading = False

    @property
    def raw(self) -> dict[str, str]:
        """Text typed that the draft cannot hold as a value (e.g. "12,5" as money), per path:
        the draft's own `meta.unparsed`, so it is saved and shown again on reopening."""
        unparsed: dict[str, str] = self.session.draft.meta.unparsed
        return unparsed

    @property
    def lang(self) -> str:
        return self.session.lang

    @property
    def draft(self) -> Any:
        return self.session.draft

    def box(self, spec: FieldSpec, options: list[tuple[Text | str, str]] | None = None) -> FieldBox:
        editor = make_editor(spec, self.lang, options)
        if isinstance(editor, FieldInput | FieldArea):
            editor.on_edit = self._edited
        box = FieldBox(spec, editor, self.lang)
        self.boxes[spec.pattern] = box
        return box

    def compose(self) -> ComposeResult:
        yield Label(Text(section_title(self.section, self.lang)), classes="section-title")
        yield from self.compose_fields()

    def compose_fields(self) -> ComposeResult:
        for spec in self.SPECS:
            yield self.box(spec, self.options_for(spec))

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        return None

    def index_for(self, pattern: str) -> int | None:
        return None

    def path_of(self, pattern: str) -> str | None:
        if "[]" in pattern:
            index = self.index_for(pattern)
            return None if index is None else concrete(pattern, index)
        return pattern

    def on_mount(self) -> None:
        self.load()
        if self.screen.has_class("-narrow"):
            self.set_compact(True)

    def set_compact(self, compact: bool) -> None:
        """Borderless one-line inputs on small terminals (80×24 shows twice the fields)."""
        for widget in self.query("Input, Select, TextArea"):
            widget.compact = compact  # type: ignore[attr-defined]

    # -- values ------------------------------------------------------------------------------
    def load(self) -> None:
        """Show the draft's values in every field (no edit events)."""
        self._loading = True
        try:
            for pattern, box in self.boxes.items():
                self.refresh_options(pattern, box)
                path = self.path_of(pattern)
                box.editor.disabled = path is None
                value = self.value_of(path) if path is not None else None
                self.show_value(box, path, value)
        finally:
            self._loading = False

    def value_of(self, path: str) -> Any:
        if path.startswith("attest."):
            return self.draft.attest.get(path.split(".", 1)[1]) is True
        return resolve(self.draft, path).get()

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        """Choices that depend on other data (topics of the field, unit names)."""

    def reset_options(self, box: FieldBox) -> list[tuple[Text | str, str]]:
        """Give the select of `box` its current `options_for` (only when their values or
        texts changed; without a Changed event); returns them."""
        options = self.options_for(box.spec) or []
        select = box.editor
        assert isinstance(select, FieldSelect)
        if select.shown != shown_choices(options):
            with select.prevent(Select.Changed):
                select.set_options([(Text(o) if isinstance(o, str) else o, v) for o, v in options])
        return options

    def show_value(self, box: FieldBox, path: str | None, value: Any) -> None:
        widget = box.editor
        kind = box.spec.kind
        if isinstance(widget, Input):
            typed = self.raw.get(path) if path is not None and kind in ENTRY_FIELD_KINDS else None
            text = format_value(value, kind) if typed is None else printable(typed)
            if widget.value != text:
                with widget.prevent(Input.Changed):
                    widget.value = text
            box.set_error("" if typed is None else self._entry_error(typed, kind))
        elif isinstance(widget, TextArea):
            text = format_value(value, kind)
            if widget.text != text:
                with widget.prevent(TextArea.Changed):
                    widget.load_text(text)
        elif isinstance(widget, Select):
            wanted = value if value not in (None, "") else Select.NULL
            known = widget.values if isinstance(widget, FieldSelect) else ()
            if wanted is not Select.NULL and wanted not in known:
                wanted = Select.NULL
            if widget.value != wanted:
                with widget.prevent(Select.Changed):
                    widget.value = wanted
        elif isinstance(widget, Checkbox):
            if widget.value != bool(value):
                with widget.prevent(Checkbox.Changed):
                    widget.value = bool(value)

    def _box_of(self, widget: Widget) -> FieldBox | None:
        pattern = getattr(widget, "field_pattern", None)
        return self.boxes.get(pattern) if pattern else None

    def _entry_error(self, text: str, kind: str) -> str:
        try:
            parse_value(text, kind)
        except FieldError as exc:
            return t(exc.key, self.lang)
        return t("ed.field_error.range", self.lang)  # readable, but the draft refused it

    def _edited(self, widget: Widget, text_or_value: Any) -> None:
        box = self._box_of(widget)
        if box is None or self._loading:
            return
        path = self.path_of(box.spec.pattern)
        if path is None:
            return
        kind = box.spec.kind
        unparsed = self.raw
        had_text = False
        try:
            value = (
                parse_value(text_or_value, kind)
                if isinstance(text_or_value, str) and kind not in ("select",)
                else text_or_value
            )
            slot = resolve(self.draft, path)
            old = slot.get()
            if kind == "select" and value is Select.NULL:
                value = "" if isinstance(old, str) else None
            had_text = unparsed.pop(path, None) is not None
            if value == old and type(value) is type(old):
                box.set_error("")
                if had_text:
                    self.session.edited(path)
                return
            assign(self.draft, path, value)
        except FieldError as exc:
            box.set_error(t(exc.key, self.lang))
            if kind in ENTRY_FIELD_KINDS and isinstance(text_or_value, str):
                self._keep_typed(path, text_or_value, had_text)
            return
        box.set_error("")
        self.after_edit(path, old, value)
        self.session.edited(path)
        if path == "project.topic":  # the Horizon 2020 topic follows the chosen sub-topic
            for followed in follow_topic(self.draft, self.session.direction, old or ""):
                self.session.edited(followed)

    def _keep_typed(self, path: str, text: str, had_text: bool) -> None:
        """Unreadable text replaces the field's value in the draft (`meta.unparsed`): the
        draft never holds an old number the field no longer shows."""
        unparsed = self.raw
        before = unparsed.get(path) if not had_text else None
        unparsed[path] = text
        slot = resolve(self.draft, path)
        old = slot.get()
        if old is not None:
            slot.set(None)
            self.after_edit(path, old, None)
        if old is not None or before != text:
            self.session.edited(path)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        """Hook: keep dependent choices in step (topics, unit names)."""

    # Text fields report their edits directly (FieldInput.on_edit, FieldArea.on_edit).

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._edited(event.select, event.value)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._edited(event.checkbox, event.value)

    def on_descendant_focus(self, event: Any) -> None:
        if event.widget is not self.screen.focused:
            return  # a late event of an earlier focus change
        pattern = getattr(event.widget, "field_pattern", None)
        if pattern:
            path = self.path_of(pattern)
            if path:
                self.session.note_focus(self.section, path)

    # -- violations --------------------------------------------------------------------------
    def mark(self, paths: set[str]) -> None:
        # Restyling a box is dear (its subtree, then a layout pass): only boxes that flip.
        # The box's class styles its label and editor (FieldBox.-invalid > … in fields.py).
        for pattern, box in self.boxes.items():
            invalid = self.path_of(pattern) in paths
            if box.has_class("-invalid") != invalid:
                box.set_class(invalid, "-invalid")

    def on_check(self, violations: list[Violation]) -> None:
        """Hook: a new check result (review, budget)."""

    def help_for(self, pattern: str) -> str:
        """F1's text for a field (its label's help; forms with fields of guide data, such
        as the budget's categories, say more)."""
        return help_text(pattern, self.lang)

    def focus_path(self, path: str) -> bool:
        """Focus the field of a concrete path; True when found."""
        match = re.match(r"^([\w.]+?)\[(\d+)\]\.(.+)$", path)
        pattern = path
        if match:
            self.select_index(match.group(1), int(match.group(2)))
            pattern = f"{match.group(1)}[].{match.group(3)}"
        box = self.boxes.get(pattern)
        if box is not None:
            focus_now(box.editor)
            self.call_after_refresh(self.scroll_to_widget, box, animate=False)
            return True
        return self.focus_other(path)

    def select_index(self, list_name: str, index: int) -> None:
        """Hook: show the list entry a path names."""

    def focus_other(self, path: str) -> bool:
        for box in self.boxes.values():
            if box.display and box.editor.focusable:
                focus_now(box.editor)
                self.call_after_refresh(self.scroll_home, animate=False)
                return True
        widgets = list(self.query("Input, Select, TextArea, Checkbox, OptionList, Button"))
        for widget in widgets:
            if widget.focusable:
                focus_now(widget)
                return True
        return False

    def relist(self) -> None:
        """Hook: rebuild list widgets after data changed elsewhere."""


class ListSection(SectionForm):
    """A form with a list (units or institutions) and a detail form for the selected entry."""

    LIST_NAME = "units"
    DETAIL: tuple[FieldSpec, ...] = ()
    DETAIL_KEY = "form.unit_detail"
    ITEM: type[Any] = Unit  # what "add" appends
    index: int | None = None

    def items(self) -> list[Any]:
        """The entries the list shows (all of the holder's, unless a form shows fewer)."""
        return list(self.holder())

    def item_prompt(self, i: int, item: Any) -> Text:
        return plain(item.name) if item.name.strip() else Text(t("form.unnamed", self.lang), "dim")

    def compose_list(
        self,
        title_key: str,
        lead: bool = False,
        duplicate: bool = False,
        lead_key: str = "form.make_lead",
    ) -> ComposeResult:
        yield Label(t(title_key, self.lang), classes="subtitle")
        yield from self.compose_above_list()
        yield OptionList(id=f"list-{self.LIST_NAME.replace('.', '-')}", classes="items")
        buttons = [Button(t("form.add", self.lang), id=f"{self.list_key}-add", compact=True)]
        if duplicate:
            buttons.append(
                Button(
                    t("form.duplicate", self.lang), id=f"{self.list_key}-duplicate", compact=True
                )
            )
        buttons += [
            Button(t("form.remove", self.lang), id=f"{self.list_key}-remove", compact=True),
            Button(t("form.up", self.lang), id=f"{self.list_key}-up", compact=True),
            Button(t("form.down", self.lang), id=f"{self.list_key}-down", compact=True),
        ]
        if lead:
            buttons.append(Button(t(lead_key, self.lang), id=f"{self.list_key}-lead", compact=True))
        yield Horizontal(*buttons, classes="list-buttons")
        yield from self.compose_buttons_extra()
        yield Static("", id=f"{self.LIST_NAME.replace('.', '-')}-detail-title", classes="subtitle")
        with Vertical(classes="detail"):
            for spec in self.DETAIL:
                yield self.box(spec, self.options_for(spec))

    def compose_buttons_extra(self) -> ComposeResult:
        """Hook: a second row of buttons under the list's (the team's "设为项目负责人")."""
        yield from ()

    def compose_above_list(self) -> ComposeResult:
        """Hook: widgets between the list's title and the list (the team's filter)."""
        yield from ()

    def shown_order(self) -> list[int]:
        """The indices of the entries the list shows, in the order shown (a filter or a
        sort may show fewer, or in another order)."""
        return list(range(len(self.items())))

    def option_of(self, index: int) -> int | None:
        """The list position that shows entry `index` (None: filtered out)."""
        shown = self._shown_indices
        if shown is None:
            return index
        try:
            return shown.index(index)
        except ValueError:
            return None

    _shown_indices: list[int] | None = None
    _detail_shown: Text | None = None  # what the detail title shows

    @property
    def list_key(self) -> str:
        return self.LIST_NAME.replace(".", "-")

    @property
    def list_widget(self) -> OptionList:
        return self.query_one(f"#list-{self.LIST_NAME.replace('.', '-')}", OptionList)

    def on_mount(self) -> None:
        items = self.items()
        self.index = 0 if items else None
        self.relist()
        super().on_mount()

    def relist(self) -> None:
        items = self.items()
        if self.index is not None and self.index >= len(items):
            self.index = len(items) - 1 if items else None
        if not items:
            self.index = None
        widget = self.list_widget
        shown = self.shown_order()
        self._shown_indices = shown if shown != list(range(len(items))) else None
        prompts = [Option(self.item_prompt(i, items[i])) for i in shown]
        if not prompts:
            prompts = [Option(Text(t(self.empty_key, self.lang), "dim"), disabled=True)]
        highlighted = self.option_of(self.index) if self.index is not None else None
        with widget.prevent(OptionList.OptionHighlighted):
            # Shown again (a section switch) with the same rows: keep them. Setting the
            # options re-measures and redraws every row (60 people, 50 targets).
            if not _same_options(widget.options, prompts):
                widget.set_options(prompts)
                widget.highlighted = highlighted
            elif widget.highlighted != highlighted:
                widget.highlighted = highlighted
        self._detail_title()

    empty_key = "form.no_units"

    def _detail_title(self) -> None:
        items = self.items()
        title = self.query_one(f"#{self.LIST_NAME.replace('.', '-')}-detail-title", Static)
        text = (
            Text()
            if self.index is None
            else Text.assemble(
                t(self.DETAIL_KEY, self.lang),
                f"{self.index + 1}. ",
                self.item_prompt(self.index, items[self.index]),
            )
        )
        shown = self._detail_shown
        if shown is None or not _same_prompt(shown, text):  # an update is a layout pass
            self._detail_shown = text
            title.update(text)

    def index_for(self, pattern: str) -> int | None:
        return self.index if pattern.startswith(self.LIST_NAME + "[]") else None

    def select_index(self, list_name: str, index: int) -> None:
        if list_name == self.LIST_NAME and index < len(self.items()):
            self.index = index
            self.relist()
            self.load()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is not self.list_widget or not self.items():
            return
        shown = self._shown_indices
        if shown is not None and event.option_index >= len(shown):
            return
        index = shown[event.option_index] if shown is not None else event.option_index
        if index != self.index:
            self.index = index
            self._detail_title()
            self.load()
            self.mark(self.session.invalid_paths)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self.list_widget or not self.items():
            return
        first = self.DETAIL[0] if self.DETAIL else None
        if first is not None:
            focus_now(self.boxes[first.pattern].editor)

    def list_changed(self) -> None:
        self.relist()
        self.load()
        self.session.edited(self.LIST_NAME)
        self.mark(self.session.invalid_paths)

    def holder(self) -> list[Any]:
        """The draft's list this form edits: LIST_NAME, a dotted path in the draft."""
        node: Any = self.draft
        for name in self.LIST_NAME.split("."):
            node = getattr(node, name)
        return node  # type: ignore[no-any-return]

    def new_item(self) -> Any:
        return self.ITEM()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        prefix = self.list_key + "-"
        if not bid.startswith(prefix):
            return
        action = bid[len(prefix) :]
        self.before_action(action)
        holder = self.holder()
        i = self.index
        if action == "add":
            holder.append(self.new_item())
            self.index = len(holder) - 1
        elif i is None:
            return
        elif action == "remove":
            name = self.item_prompt(i, holder[i]).plain.strip()
            funding = getattr(holder[i], "funding", None)
            if funding:
                name += f"（{format_money(funding)} {t('form.budget_unit', self.lang)}）"
            holder.pop(i)
            self.removed(i)
            # Said at once, undone with Ctrl+Z; the focus leaves 删除 so a second Enter
            # does not remove the next entry.
            self.notify(t("form.removed", self.lang, name=name), markup=False)
        elif action == "up" and i > 0:
            holder[i - 1], holder[i] = holder[i], holder[i - 1]
            self.moved(i, i - 1)
            self.index = i - 1
        elif action == "down" and i < len(holder) - 1:
            holder[i + 1], holder[i] = holder[i], holder[i + 1]
            self.moved(i, i + 1)
            self.index = i + 1
        elif action == "duplicate":
            holder.insert(i + 1, self.duplicate_item(holder[i]))
            self.inserted(i + 1)
            self.index = i + 1
        elif action == "lead":
            self.make_lead(i)
        else:
            return
        event.stop()
        self.list_changed()
        if action == "remove":
            focus_now(self.list_widget)
        if action in ("add", "duplicate"):
            focus_now(self.boxes[self.DETAIL[0].pattern].editor)

    def before_action(self, action: str) -> None:
        """Hook: a list button was pressed (add, duplicate, remove, up, down, lead)."""

    def duplicate_item(self, item: Any) -> Any:
        """The copy "复制" inserts after an entry."""
        return item.model_copy(deep=True)

    def inserted(self, index: int) -> None:
        """Hook after an entry was inserted at `index` (not at the end)."""
        meta = self.draft.meta
        if meta.unparsed:
            pattern = re.compile(rf"^{re.escape(self.LIST_NAME)}\[(\d+)\](\..*)$")
            moved = {}
            for path, text in meta.unparsed.items():
                match = pattern.match(path)
                if match is not None and int(match.group(1)) >= index:
                    path = f"{self.LIST_NAME}[{int(match.group(1)) + 1}]{match.group(2)}"
                moved[path] = text
            meta.unparsed = moved

    def make_lead(self, index: int) -> None:
        """ "设为牵头单位": entry `index` becomes the lead, the others participants."""
        for j, unit in enumerate(self.holder()):
            unit.role = "lead" if j == index else "participant"

    def removed(self, index: int) -> None:
        """Hook after an entry was removed: its unreadable texts go with it."""
        meta = self.draft.meta
        if meta.unparsed:
            meta.unparsed = unparsed_after_removal(meta.unparsed, self.LIST_NAME, index)

    def moved(self, i: int, j: int) -> None:
        """Hook after entries i and j changed places: their unreadable texts move with them."""
        meta = self.draft.meta
        if meta.unparsed:
            meta.unparsed = unparsed_after_swap(meta.unparsed, self.LIST_NAME, i, j)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if path.endswith(".name") and self.index is not None:
            self.refresh_prompt(self.index)
            self._detail_title()

    def refresh_prompt(self, index: int) -> None:
        """Redraw one entry of the list (an edit changes its line, not the others')."""
        position = self.option_of(index)
        if position is not None and position < self.list_widget.option_count:
            self.list_widget.replace_option_prompt_at_index(
                position, self.item_prompt(index, self.items()[index])
            )

    def mark(self, paths: set[str]) -> None:
        super().mark(paths)
        invalid = self.LIST_NAME in paths
        if self.list_widget.has_class("-invalid") != invalid:
            self.list_widget.set_class(invalid, "-invalid")

    def focus_other(self, path: str) -> bool:
        if path == self.LIST_NAME:
            focus_now(self.list_widget)
            return True
        return super().focus_other(path)


def value_options(prefix: str, values: tuple[str, ...], lang: str) -> list[tuple[Text | str, str]]:
    """A select's options: the model's values (wizard.draft) named by the catalogue
    (`unit_kind.university` → 高等院校)."""
    return [(t(f"{prefix}.{v}", lang), v) for v in values]


def unit_kind_options(
    lang: str, kinds: tuple[str, ...] = UNIT_KINDS
) -> list[tuple[Text | str, str]]:
    return value_options("unit_kind", kinds, lang)


BAR_WIDTH = 24


def bar(value: Decimal, top: Decimal, width: int = BAR_WIDTH) -> str:
    if top <= 0 or value <= 0:
        return "░" * width
    filled = min(width, round(float(value / top) * width))
    return "█" * filled + "░" * (width - filled)


def _same_prompt(a: object, b: object) -> bool:
    """The same text drawn the same way (rich's Text equality leaves out the base style)."""
    if isinstance(a, Text) and isinstance(b, Text):
        return a == b and a.style == b.style
    return type(a) is type(b) and a == b


def _same_options(current: Sequence[Option], new: Sequence[Option]) -> bool:
    return len(current) == len(new) and all(
        a.id == b.id and a.disabled == b.disabled and _same_prompt(a.prompt, b.prompt)
        for a, b in zip(current, new, strict=True)
    )
