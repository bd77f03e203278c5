"""The section forms of the editor: one widget per section, mounted when first shown."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from screens.fields import (
    FieldBox,
    FieldError,
    FieldSpec,
    assign,
    concrete,
    format_value,
    make_editor,
    parse_value,
    plain,
    resolve,
)
from screens.i18n import t
from wizard.draft import BUDGET_CATEGORIES, INSTITUTION_KINDS, UNIT_KINDS, Institution, Unit
from wizard.labels import SEVERITY_LABELS, UNIT_KIND_LABELS, label
from wizard.progress import completeness, group_by_section, section_title, sections_for

if TYPE_CHECKING:
    from screens.editor import EditorScreen
    from wizard.rules import Violation

TITLES = ("正高级", "副高级", "中级", "初级", "无")
TITLE_EN = {
    "正高级": "Senior",
    "副高级": "Associate senior",
    "中级": "Intermediate",
    "初级": "Junior",
    "无": "None",
}
DEGREES = ("博士", "硕士", "学士", "其他")
DEGREE_EN = {"博士": "Doctorate", "硕士": "Master", "学士": "Bachelor", "其他": "Other"}


def _money(value: Decimal | None) -> str:
    return f"{value:,.2f}" if value is not None else "—"


class SectionForm(VerticalScroll):
    """Base: builds FieldBoxes from specs, writes edits into the draft, marks invalid fields."""

    DEFAULT_CSS = """
    SectionForm { padding: 0 1; height: 1fr; }
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

    def __init__(self, editor: EditorScreen) -> None:
        super().__init__(id=f"form-{self.section}", classes="section-form")
        self.editor = editor
        self.boxes: dict[str, FieldBox] = {}
        self._loading = False
        # Text the user typed that the draft cannot hold (e.g. "12,x" as money), per path.
        self.raw: dict[str, str] = {}

    @property
    def lang(self) -> str:
        return self.editor.lang

    @property
    def draft(self) -> Any:
        return self.editor.draft

    def box(self, spec: FieldSpec, options: list[tuple[Text | str, str]] | None = None) -> FieldBox:
        editor = make_editor(spec, self.lang, options)
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
        if self.editor.has_class("-narrow"):
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
        model, attr = resolve(self.draft, path)
        return getattr(model, attr)

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        """Choices that depend on other data (topics of the field, unit names)."""

    def show_value(self, box: FieldBox, path: str | None, value: Any) -> None:
        widget = box.editor
        kind = box.spec.kind
        if isinstance(widget, Input):
            text = self.raw.get(path or "", format_value(value, kind))
            if widget.value != text:
                with widget.prevent(Input.Changed):
                    widget.value = text
            box.set_error(t("ed.field_error." + kind, self.lang) if path in self.raw else "")
        elif isinstance(widget, TextArea):
            text = format_value(value, kind)
            if widget.text != text:
                with widget.prevent(TextArea.Changed):
                    widget.load_text(text)
        elif isinstance(widget, Select):
            wanted = value if value not in (None, "") else Select.NULL
            known = {v for _, v in widget._options}
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

    def _edited(self, widget: Widget, text_or_value: Any) -> None:
        box = self._box_of(widget)
        if box is None or self._loading:
            return
        path = self.path_of(box.spec.pattern)
        if path is None:
            return
        kind = box.spec.kind
        try:
            value = (
                parse_value(text_or_value, kind)
                if isinstance(text_or_value, str) and kind not in ("select",)
                else text_or_value
            )
            model, attr = resolve(self.draft, path)
            old = getattr(model, attr)
            if kind == "select" and value is Select.NULL:
                value = "" if attr in ("field", "topic", "unit") else None
            if value == old and type(value) is type(old):
                self.raw.pop(path, None)
                box.set_error("")
                return
            assign(self.draft, path, value)
        except FieldError as exc:
            self.raw[path] = text_or_value
            box.set_error(t(exc.key, self.lang))
            return
        self.raw.pop(path, None)
        box.set_error("")
        self.after_edit(path, old, value)
        self.editor.edited(path)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        """Hook: keep dependent choices in step (topics, unit names)."""

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._edited(event.input, event.value)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        self._edited(event.text_area, event.text_area.text)

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
                self.editor.note_focus(self.section, path)

    # -- violations --------------------------------------------------------------------------
    def mark(self, paths: set[str]) -> None:
        for pattern, box in self.boxes.items():
            path = self.path_of(pattern)
            box.set_class(path in paths, "-invalid")
            box.editor.set_class(path in paths, "-invalid")

    def on_check(self, violations: list[Violation]) -> None:
        """Hook: a new check result (review, budget)."""

    def focus_path(self, path: str) -> bool:
        """Focus the field of a concrete path; True when found."""
        match = re.match(r"^(units|partner\.institutions)\[(\d+)\]\.(\w+)$", path)
        pattern = path
        if match:
            self.select_index(match.group(1), int(match.group(2)))
            pattern = f"{match.group(1)}[].{match.group(3)}"
        box = self.boxes.get(pattern)
        if box is not None:
            box.editor.focus(scroll_visible=False)
            self.call_after_refresh(self.scroll_to_widget, box, animate=False)
            return True
        return self.focus_other(path)

    def select_index(self, list_name: str, index: int) -> None:
        """Hook: show the list entry a path names."""

    def focus_other(self, path: str) -> bool:
        for box in self.boxes.values():
            if box.display and box.editor.focusable:
                box.editor.focus(scroll_visible=False)
                self.call_after_refresh(self.scroll_home, animate=False)
                return True
        widgets = list(self.query("Input, Select, TextArea, Checkbox, OptionList, Button"))
        for widget in widgets:
            if widget.focusable:
                widget.focus()
                return True
        return False

    def relist(self) -> None:
        """Hook: rebuild list widgets after data changed elsewhere."""


class ProjectForm(SectionForm):
    section = "project"
    SPECS = (
        FieldSpec("project.title"),
        FieldSpec("project.title_en"),
        FieldSpec("project.field", "select"),
        FieldSpec("project.topic", "select"),
        FieldSpec("project.start", "date"),
        FieldSpec("project.months", "int"),
        FieldSpec("project.summary", "area"),
        FieldSpec("project.keywords", "comma"),
    )

    def compose_fields(self) -> ComposeResult:
        direction = self.editor.direction
        yield Horizontal(
            Static(self._direction_text(), id="direction-line"),
            Button(t("cmd.direction", self.lang), id="switch-direction", compact=True),
            classes="direction-row",
        )
        for spec in self.SPECS:
            if spec.pattern == "project.field" and direction.fields.mode != "listed":
                spec = FieldSpec("project.field", "text")
                if direction.fields.mode == "priority":
                    items = "、".join(
                        f.en if self.lang == "en" else f.zh for f in direction.fields.items
                    )
                    yield Static(
                        Text(t("form.priority_field", self.lang, items=items)), classes="hint"
                    )
                else:
                    yield Static(Text(t("form.any_field", self.lang)), classes="hint")
            yield self.box(spec, self.options_for(spec))

    DEFAULT_CSS = """
    ProjectForm .direction-row { height: auto; margin: 0 0 1 0; layout: vertical; }
    ProjectForm #direction-line { width: 1fr; }
    ProjectForm #switch-direction { width: auto; margin: 0 0 0 0; }
    """

    def _direction_text(self) -> Text:
        d = self.editor.direction
        title = d.title_en if self.lang == "en" else d.title
        return Text.assemble((label("direction", self.lang) + "：", "dim"), f"{d.code} {title}")

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        direction = self.editor.direction
        if spec.pattern == "project.field":
            return [(f.en if self.lang == "en" else f.zh, f.zh) for f in direction.fields.items]
        if spec.pattern == "project.topic":
            field = direction.fields.find(self.draft.project.field)
            if field is None:
                return []
            return [
                (
                    (tp.code + " " if tp.code else "") + (tp.en if self.lang == "en" else tp.zh),
                    tp.key,
                )
                for tp in field.topics
            ]
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "project.topic":
            options = self.options_for(box.spec) or []
            select = box.editor
            assert isinstance(select, Select)
            if [v for _, v in select._options if v is not Select.NULL] != [v for _, v in options]:
                with select.prevent(Select.Changed):
                    select.set_options(
                        [(Text(o) if isinstance(o, str) else o, v) for o, v in options]
                    )
            box.display = bool(options) or bool(self.draft.project.topic)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if path == "project.field":
            self.load()

    @on(Button.Pressed, "#switch-direction")
    def _switch(self) -> None:
        self.editor.action_switch_direction()

    def focus_other(self, path: str) -> bool:
        if path == "direction":
            self.query_one("#switch-direction", Button).focus()
            return True
        return super().focus_other(path)


class ListSection(SectionForm):
    """A form with a list (units or institutions) and a detail form for the selected entry."""

    LIST_NAME = "units"
    DETAIL: tuple[FieldSpec, ...] = ()
    index: int | None = None

    def items(self) -> list[Any]:
        return list(self.draft.units)

    def item_prompt(self, i: int, item: Any) -> Text:
        return plain(item.name) if item.name.strip() else Text(t("form.unnamed", self.lang), "dim")

    def compose_list(self, title_key: str, lead: bool = False) -> ComposeResult:
        yield Label(t(title_key, self.lang), classes="subtitle")
        yield OptionList(id=f"list-{self.LIST_NAME.replace('.', '-')}", classes="items")
        buttons = [
            Button(t("form.add", self.lang), id=f"{self.list_key}-add", compact=True),
            Button(t("form.remove", self.lang), id=f"{self.list_key}-remove", compact=True),
            Button(t("form.up", self.lang), id=f"{self.list_key}-up", compact=True),
            Button(t("form.down", self.lang), id=f"{self.list_key}-down", compact=True),
        ]
        if lead:
            buttons.append(Button(t("form.make_lead", self.lang), id="units-lead", compact=True))
        yield Horizontal(*buttons, classes="list-buttons")
        yield Static("", id=f"{self.LIST_NAME.replace('.', '-')}-detail-title", classes="subtitle")
        with Vertical(classes="detail"):
            for spec in self.DETAIL:
                yield self.box(spec, self.options_for(spec))

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
        prompts = [Option(self.item_prompt(i, item)) for i, item in enumerate(items)]
        if not prompts:
            prompts = [Option(Text(t(self.empty_key, self.lang), "dim"), disabled=True)]
        highlighted = self.index
        with widget.prevent(OptionList.OptionHighlighted):
            widget.set_options(prompts)
            widget.highlighted = highlighted
        self._detail_title()

    empty_key = "form.no_units"

    def _detail_title(self) -> None:
        items = self.items()
        title = self.query_one(f"#{self.LIST_NAME.replace('.', '-')}-detail-title", Static)
        if self.index is None:
            title.update("")
        else:
            title.update(
                Text.assemble(
                    t("form.unit_detail", self.lang),
                    f"{self.index + 1}. ",
                    self.item_prompt(self.index, items[self.index]),
                )
            )

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
        if event.option_index != self.index:
            self.index = event.option_index
            self._detail_title()
            self.load()
            self.mark(self.editor.invalid_paths)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self.list_widget or not self.items():
            return
        first = self.DETAIL[0] if self.DETAIL else None
        if first is not None:
            self.boxes[first.pattern].editor.focus()

    def list_changed(self) -> None:
        self.relist()
        self.load()
        self.editor.edited(self.LIST_NAME)
        self.mark(self.editor.invalid_paths)

    def holder(self) -> list[Any]:
        return self.draft.units  # type: ignore[no-any-return]

    def new_item(self) -> Any:
        return Unit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        prefix = self.list_key + "-"
        if not bid.startswith(prefix):
            return
        action = bid[len(prefix) :]
        holder = self.holder()
        i = self.index
        if action == "add":
            holder.append(self.new_item())
            self.index = len(holder) - 1
        elif i is None:
            return
        elif action == "remove":
            holder.pop(i)
            self.removed(i)
        elif action == "up" and i > 0:
            holder[i - 1], holder[i] = holder[i], holder[i - 1]
            self.index = i - 1
        elif action == "down" and i < len(holder) - 1:
            holder[i + 1], holder[i] = holder[i], holder[i + 1]
            self.index = i + 1
        elif action == "lead":
            for j, unit in enumerate(holder):
                unit.role = "lead" if j == i else "participant"
        else:
            return
        event.stop()
        self.list_changed()
        if action == "add":
            self.boxes[self.DETAIL[0].pattern].editor.focus()

    def removed(self, index: int) -> None:
        """Hook after an entry was removed."""

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if path.endswith(".name") and self.index is not None:
            self.list_widget.replace_option_prompt_at_index(
                self.index, self.item_prompt(self.index, self.items()[self.index])
            )
            self._detail_title()

    def mark(self, paths: set[str]) -> None:
        super().mark(paths)
        self.list_widget.set_class(self.LIST_NAME in paths, "-invalid")

    def focus_other(self, path: str) -> bool:
        if path == self.LIST_NAME:
            self.list_widget.focus()
            return True
        return super().focus_other(path)


def unit_kind_options(
    lang: str, kinds: tuple[str, ...] = UNIT_KINDS
) -> list[tuple[Text | str, str]]:
    return [(UNIT_KIND_LABELS[k].get(lang), k) for k in kinds]


class UnitsForm(ListSection):
    section = "units"
    LIST_NAME = "units"
    DETAIL = (
        FieldSpec("units[].name"),
        FieldSpec("units[].kind", "select"),
        FieldSpec("units[].credit_code"),
        FieldSpec("units[].parent"),
        FieldSpec("units[].registered", "date"),
        FieldSpec("units[].funding", "money"),
        FieldSpec("units[].matching", "money"),
    )
    LEADER = (
        FieldSpec("leader.name"),
        FieldSpec("leader.unit", "select"),
        FieldSpec("leader.birth_date", "date"),
        FieldSpec("leader.title", "select"),
        FieldSpec("leader.degree", "select"),
        FieldSpec("leader.months_per_year", "int"),
        FieldSpec("leader.email"),
        FieldSpec("leader.phone"),
        FieldSpec("leader.other_projects", "int"),
    )

    def item_prompt(self, i: int, item: Any) -> Text:
        mark = "★ " if item.role == "lead" else "  "
        kind = f"  ({UNIT_KIND_LABELS[item.kind].get(self.lang)})" if item.kind else ""
        return Text.assemble(mark, super().item_prompt(i, item), (kind, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("form.units", lead=True)
        yield Label(t("form.leader", self.lang), classes="subtitle")
        for spec in self.LEADER:
            yield self.box(spec, self.options_for(spec))

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        en = self.lang == "en"
        if spec.pattern == "units[].kind":
            return unit_kind_options(self.lang)
        if spec.pattern == "leader.title":
            return [(TITLE_EN[x] if en else x, x) for x in TITLES]
        if spec.pattern == "leader.degree":
            return [(DEGREE_EN[x] if en else x, x) for x in DEGREES]
        if spec.pattern == "leader.unit":
            names = [u.name for u in self.draft.units if u.name.strip()]
            return [(plain(n), n) for n in dict.fromkeys(names)]
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "leader.unit":
            options = self.options_for(box.spec) or []
            select = box.editor
            assert isinstance(select, Select)
            if [v for _, v in select._options if v is not Select.NULL] != [v for _, v in options]:
                with select.prevent(Select.Changed):
                    select.set_options(options)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        super().after_edit(path, old, new)
        if path.startswith("units[") and path.endswith(".name"):
            if self.draft.leader.unit and self.draft.leader.unit == old:
                self.draft.leader.unit = new
            self.refresh_options("leader.unit", self.boxes["leader.unit"])
            self.show_value(self.boxes["leader.unit"], "leader.unit", self.draft.leader.unit)
        if path.endswith(".kind") and self.index is not None:
            self.list_widget.replace_option_prompt_at_index(
                self.index, self.item_prompt(self.index, self.items()[self.index])
            )

    def list_changed(self) -> None:
        super().list_changed()
        box = self.boxes["leader.unit"]
        self.refresh_options("leader.unit", box)
        self.show_value(box, "leader.unit", self.draft.leader.unit)

    def new_item(self) -> Any:
        return Unit(role="lead" if not self.draft.units else "participant")


class PartnerForm(ListSection):
    section = "partner"
    LIST_NAME = "partner.institutions"
    empty_key = "form.no_institutions"
    SPECS = (
        FieldSpec("partner.country"),
        FieldSpec("partner.agency"),
        FieldSpec("partner.submitted", "bool"),
        FieldSpec("partner.reference"),
    )
    DETAIL = (
        FieldSpec("partner.institutions[].name"),
        FieldSpec("partner.institutions[].kind", "select"),
        FieldSpec("partner.institutions[].contact"),
        FieldSpec("partner.institutions[].email"),
    )

    def items(self) -> list[Any]:
        return list(self.draft.partner.institutions)

    def holder(self) -> list[Any]:
        return self.draft.partner.institutions  # type: ignore[no-any-return]

    def new_item(self) -> Any:
        return Institution()

    def compose_fields(self) -> ComposeResult:
        d = self.editor.direction
        hint = d.partner.en if self.lang == "en" else d.partner.zh
        if d.agency is not None:
            hint += " · " + (d.agency.en if self.lang == "en" else d.agency.zh)
        yield Static(Text(hint), classes="hint")
        for spec in self.SPECS:
            yield self.box(spec)
        yield from self.compose_list("form.institutions")

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "partner.institutions[].kind":
            return unit_kind_options(self.lang, INSTITUTION_KINDS)
        return None

    def index_for(self, pattern: str) -> int | None:
        return self.index if pattern.startswith("partner.institutions[]") else None


class H2020Form(SectionForm):
    section = "h2020"
    SPECS = (
        FieldSpec("h2020.proposal"),
        FieldSpec("h2020.topic"),
        FieldSpec("h2020.call_year", "int"),
        FieldSpec("h2020.participants", "lines"),
        FieldSpec("h2020.cn_budget", "money"),
    )

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(t("form.h2020_intro", self.lang)), classes="hint")
        for spec in self.SPECS:
            yield self.box(spec)
            if spec.pattern == "h2020.participants":
                yield Button(
                    t("form.fill_participants", self.lang), id="fill-participants", compact=True
                )

    @on(Button.Pressed, "#fill-participants")
    def _fill(self) -> None:
        names = [u.name for u in self.draft.units if u.name.strip()]
        area = self.boxes["h2020.participants"].editor
        assert isinstance(area, TextArea)
        area.load_text("\n".join(names))


class EnterprisesForm(ListSection):
    section = "enterprises"
    LIST_NAME = "units"
    DETAIL = (FieldSpec("units[].funding", "money"), FieldSpec("units[].matching", "money"))
    empty_key = "form.no_enterprises"

    def enterprise_indexes(self) -> list[int]:
        return [i for i, u in enumerate(self.draft.units) if u.kind == "enterprise"]

    def items(self) -> list[Any]:
        return [self.draft.units[i] for i in self.enterprise_indexes()]

    def compose_fields(self) -> ComposeResult:
        yield Label(t("form.enterprises", self.lang), classes="subtitle")
        yield OptionList(id="list-units", classes="items")
        yield Static("", id="units-detail-title", classes="subtitle")
        with Vertical(classes="detail"):
            for spec in self.DETAIL:
                yield self.box(spec)
        yield Static("", id="enterprise-summary")

    def item_prompt(self, i: int, item: Any) -> Text:
        name = plain(item.name) if item.name.strip() else Text(t("form.unnamed", self.lang), "dim")
        funding, matching = item.funding, item.matching
        if funding:
            ratio = f"{(matching or Decimal(0)) / funding:.0%}"
        else:
            ratio = "—"
        info = t(
            "form.matching_ratio",
            self.lang,
            matching=_money(matching),
            funding=_money(funding),
            ratio=ratio,
        )
        ok = matching is not None and funding is not None and matching >= funding
        return Text.assemble(name, "  ", (info, "green" if ok else "yellow"))

    def on_mount(self) -> None:
        super().on_mount()
        if not self.items():
            self.query_one(".detail").display = False

    def index_for(self, pattern: str) -> int | None:
        indexes = self.enterprise_indexes()
        if self.index is None or self.index >= len(indexes):
            return None
        return indexes[self.index]

    def select_index(self, list_name: str, index: int) -> None:
        indexes = self.enterprise_indexes()
        if index in indexes:
            self.index = indexes.index(index)
            self.relist()
            self.load()

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if self.index is not None:
            self.list_widget.replace_option_prompt_at_index(
                self.index, self.item_prompt(self.index, self.items()[self.index])
            )

    def relist(self) -> None:
        super().relist()
        detail = self.query(".detail")
        if detail:
            detail.first().display = bool(self.items())

    def mark(self, paths: set[str]) -> None:
        SectionForm.mark(self, paths)
        self.list_widget.set_class("units" in paths, "-invalid")

    def focus_other(self, path: str) -> bool:
        self.list_widget.focus()
        return True


BAR_WIDTH = 24


def bar(value: Decimal, top: Decimal, width: int = BAR_WIDTH) -> str:
    if top <= 0 or value <= 0:
        return "░" * width
    filled = min(width, round(float(value / top) * width))
    return "█" * filled + "░" * (width - filled)


class BudgetForm(SectionForm):
    section = "budget"
    SPECS = (
        *(FieldSpec(f"budget.{c}", "money") for c in BUDGET_CATEGORIES),
        FieldSpec("budget.other_note"),
    )

    DEFAULT_CSS = """
    BudgetForm #budget-stats { height: auto; border: round $primary; padding: 0 1; margin: 0 0 1 0; }
    """

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="budget-stats")
        yield from super().compose_fields()

    def on_mount(self) -> None:
        super().on_mount()
        self.update_stats()

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        self.update_stats()

    def on_check(self, violations: list[Violation]) -> None:
        self.update_stats()

    def update_stats(self) -> None:
        en = self.lang == "en"
        draft, direction = self.draft, self.editor.direction
        b = draft.budget
        total = b.total
        units = draft.units_funding
        average = (direction.funding.amount / max(direction.projects.low, 1)).quantize(
            Decimal("0.01")
        )
        cap = direction.funding.amount
        unit = t("form.budget_unit", self.lang)
        out = Text()
        top = max([b.amount(c) for c in BUDGET_CATEGORIES] + [Decimal(0)])
        width = 16 if en else 14

        def row(name: str, value: Decimal, scale: Decimal, style: str, shown: str) -> None:
            out.append(_fit(name, width) + " ", "dim")
            out.append(bar(value, scale, 16), style)
            out.append(f" {shown}\n")

        for c in BUDGET_CATEGORIES:
            row(label(f"budget.{c}", self.lang), b.amount(c), top, "cyan", _money(getattr(b, c)))
        out.append(f"{t('form.budget_direct', self.lang)}: {_money(b.direct)}  ")
        out.append(f"{label('budget.indirect', self.lang)}: {_money(b.amount('indirect'))}\n")
        out.append(f"{t('form.budget_total', self.lang)}: {_money(total)} {unit}\n", "bold")
        diff = units - total
        out.append(f"{t('form.budget_units', self.lang)}: {_money(units)}\n")
        out.append(
            f"{t('form.budget_diff', self.lang)}: {diff:+,.2f}\n",
            "green" if diff == 0 else "bold red",
        )
        gauge_top = max(cap, total)
        style = "green" if total <= average else ("yellow" if total <= cap else "red")
        row(t("form.budget_request", self.lang), total, gauge_top, style, _money(total))
        row(t("form.budget_avg", self.lang), average, gauge_top, "blue", _money(average))
        row(t("form.budget_cap", self.lang), cap, gauge_top, "magenta", _money(cap))
        out.rstrip()
        self.query_one("#budget-stats", Static).update(out)


def _fit(text: str, width: int) -> str:
    """`text` cut or padded to `width` terminal cells (double-width characters count 2)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class AttestForm(SectionForm):
    section = "attest"

    def attestations(self) -> list[Any]:
        g, d = self.editor.guide, self.editor.direction
        return [r for _, r in g.requirements_for(d) if r.kind == "attestation"]

    def compose_fields(self) -> ComposeResult:
        reqs = self.attestations()
        yield Static(
            t("form.attest_intro" if reqs else "form.attest_none", self.lang), classes="hint"
        )
        for req in reqs:
            spec = FieldSpec(f"attest.{req.id}", "bool")
            box = self.box(spec)
            sev = SEVERITY_LABELS[req.severity].get(self.lang)
            box.editor.label = Text(f"{t('form.attest_confirm', self.lang)} · {req.item} · {sev}")
            text = req.text if self.lang != "en" else f"{req.text}\n{req.text_en}"
            box.help_static = Static(Text(text), classes="clause-text")  # type: ignore[attr-defined]
            yield box

    def on_mount(self) -> None:
        for box in self.boxes.values():
            box.mount(box.help_static)  # type: ignore[attr-defined]
            box.query_one(".field-label").display = False
        super().on_mount()

    def _edited(self, widget: Widget, value: Any) -> None:
        box = self._box_of(widget)
        if box is None or self._loading:
            return
        key = box.spec.pattern.split(".", 1)[1]
        if (self.draft.attest.get(key) is True) == bool(value):
            return
        if value:
            self.draft.attest[key] = True
        else:
            self.draft.attest.pop(key, None)
        self.editor.edited(box.spec.pattern)


class ReviewForm(SectionForm):
    section = "review"

    DEFAULT_CSS = """
    ReviewForm #review-buttons { height: auto; margin: 1 0; }
    ReviewForm #review-buttons Button { margin: 0 1 0 0; }
    """

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="review-status")
        with Horizontal(id="review-buttons"):
            yield Button(t("review.mark_ready", self.lang), id="mark-ready", variant="success")
            yield Button(t("review.back_draft", self.lang), id="back-draft")
        yield Static("", id="review-body")

    def on_mount(self) -> None:
        super().on_mount()
        self.on_check(self.editor.violations)

    def on_check(self, violations: list[Violation]) -> None:
        lang, editor = self.lang, self.editor
        draft, guide = editor.draft, editor.guide
        errors = sum(1 for v in violations if v.severity == "error")
        status = t(f"status.{draft.meta.status}", lang)
        head = Text(t("review.status", lang, status=status) + "\n", "bold")
        head.append(
            t("review.ready", lang)
            if draft.meta.status == "ready"
            else (t("review.not_ready", lang, n=errors) if errors else ""),
            "green" if draft.meta.status == "ready" else "red",
        )
        self.query_one("#review-status", Static).update(head)
        self.query_one("#mark-ready", Button).disabled = errors > 0 or draft.meta.status == "ready"
        self.query_one("#back-draft", Button).disabled = draft.meta.status != "ready"
        body = Text()
        parts = completeness(draft, guide, violations)
        body.append(t("review.complete", lang) + "\n", "bold underline")
        sections = [s for s in sections_for(editor.direction) if s != "review"]
        for s in sections:
            c = parts[s]
            body.append(f"  {bar(Decimal(c.filled), Decimal(max(c.total, 1)), 12)} ", "cyan")
            body.append(f"{c.percent:>3}%  {section_title(s, lang)}\n")
        a = parts["attest"]
        body.append("\n" + t("review.attest", lang, done=a.filled, total=a.total) + "\n", "bold")
        for _, req in guide.requirements_for(editor.direction):
            if req.kind != "attestation":
                continue
            done = draft.attest.get(req.id) is True
            body.append("  ✓ " if done else "  ✗ ", "green" if done else "red")
            body.append(f"{req.item}: ", "dim")
            body.append((req.text_en if lang == "en" else req.text) + "\n")
        grouped = group_by_section(violations, guide)
        body.append("\n")
        if not violations:
            body.append(t("review.none", lang), "green")
        for s in sections:
            items = grouped[s]
            if not items:
                continue
            body.append(f"{section_title(s, lang)} ({len(items)})\n", "bold underline")
            for sev in ("error", "warning", "info"):
                for v in items:
                    if v.severity != sev:
                        continue
                    body.append(f"  {SEVERITY_LABELS[sev].get(lang)} ", _SEV_STYLE[sev])
                    body.append(f"{label(v.path, lang)}: ", "bold")
                    body.append(Text(v.message(lang)))
                    body.append("\n")
        self.query_one("#review-body", Static).update(body)

    @on(Button.Pressed, "#mark-ready")
    def _ready(self) -> None:
        self.editor.action_mark_ready()

    @on(Button.Pressed, "#back-draft")
    def _back(self) -> None:
        self.editor.set_status("draft")


_SEV_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}

FORMS: dict[str, type[SectionForm]] = {
    "project": ProjectForm,
    "units": UnitsForm,
    "partner": PartnerForm,
    "h2020": H2020Form,
    "enterprises": EnterprisesForm,
    "budget": BudgetForm,
    "attest": AttestForm,
    "review": ReviewForm,
}
