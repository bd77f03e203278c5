"""经费预算: per 课题, the guide's categories × the sources, with live totals and the caps.

Pick the 课题 at the top; the matrix has one row per category (`guide.form.categories`,
never a key named in code) and one money input per source (中央财政, 地方财政, 单位自筹,
其他), bound to `tasks[i].budget.<category>.<source>`, with the row's and the column's
合计; the categories of one `group` (设备费) are shown under one heading with its subtotal.
Below: the 测算依据 per category, then the 课题's direct costs, its indirect cap and the
room left, the project's totals by source, the units' central funding and the request
against the direction's funding. The 中央财政 column is what the direction's funding, the
units' funding and the indirect cap are judged on (our reading of 财科教〔2016〕113号).

Wide (120×40): a category's label and its four inputs on one line. Narrow (80×24): the
label on its own line, the four inputs below it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.strip import Strip
from textual.widgets import Input, Label, Select, Static

from screens.fields import FieldBox, FieldInput, FieldSpec
from screens.forms.base import SectionForm, bar, focus_now, money_text
from screens.forms.links import task_options
from wizard.catalogue import SOURCE_LABELS, t
from wizard.draft import BUDGET_SOURCES, Draft, Task
from wizard.entry import EntryError, read_money
from wizard.money import format_money
from wizard.progress import budget_hint
from wizard.rules.budget import indirect_cap_amount

if TYPE_CHECKING:
    from wizard.guide import BudgetCategory, Form
    from wizard.rules import Violation

_ZERO = Decimal(0)
# The sources' column heads: full names where the cells are wide, short ones beside labels.
_HEADS = {
    "central": ("budget.col_central", "budget.short_central"),
    "local": ("budget.col_local", "budget.short_local"),
    "own": ("budget.col_own", "budget.short_own"),
    "other": ("budget.col_other", "budget.short_other"),
}
_CELL = re.compile(r"^tasks\[(\d+)\]\.budget\.(\w+)(?:\.(\w+))?$")


def cell_text(typed: str, width: int) -> str | None:
    """What a money cell shows while it is not being edited: its amount as the totals and
    the other views show it (wizard.money.format_money: two decimals, thousands grouped),
    ungrouped when that is too wide; None for text that is not an amount or does not fit
    (shown as typed)."""
    try:
        amount = read_money(typed)
    except EntryError:
        return None
    if amount is None:
        return None
    for shown in (format_money(amount), format_money(amount, grouping=False)):
        if cell_len(shown) <= width:
            return shown
    return None


class SumCell(Static):
    """A total of the matrix: grouped as the other views show it (1,234.00), ungrouped
    where the column is too narrow for that (1234.00), never wrapped over two lines."""

    def __init__(self) -> None:
        super().__init__("", classes="num", markup=False)
        self._text = ""

    def show(self, text: str) -> None:
        self._text = text
        self.update(self._fitted(), layout=False)

    def _fitted(self) -> str:
        width = self.content_size.width
        if not width or cell_len(self._text) <= width:
            return self._text
        ungrouped = self._text.replace(",", "")
        if cell_len(ungrouped) > width and ungrouped.endswith(".00"):
            return ungrouped[:-3]  # whole 万元: nothing is lost
        return ungrouped

    def on_resize(self) -> None:
        self.update(self._fitted(), layout=False)


def _compact(field: Input) -> None:
    """`field.compact = True` before the field is mounted, without the restyle that setting
    costs then: Textual restyles a node at once on a class change, mounted or not, and the
    node is styled again when mounted (55 inputs: ≈ 40 ms of the section's first visit)."""
    field.set_reactive(Input.compact, True)
    field.add_class("-textual-compact", update=False)


class CellBox(FieldInput):
    """A cell of the matrix: a money input that is its own field box (no container around
    it; the row and the column name it). Right-aligned, in the totals' format, while another
    field has the focus; the text typed is left as typed (the draft holds its amount). Its
    error turns the cell red; the message is shown under the matrix.

    It has what SectionForm uses of a FieldBox: `spec`, `editor` (itself), `set_error`.
    """

    DEFAULT_CSS = """
    CellBox { width: 1fr; height: 1; margin: 0; padding: 0; background: $foreground 15%; }
    CellBox:focus { background: $primary 30%; }
    CellBox.-has-error, CellBox.-problem { background: $error 30%; }
    """

    def __init__(self, spec: FieldSpec, form: BudgetForm) -> None:
        super().__init__(id=spec.dom_id, select_on_focus=False, validate_on=[])
        _compact(self)
        self.spec = spec
        self.field_pattern = spec.pattern
        self.form = form
        self.on_edit = form._edited
        self._error = ""

    @property
    def editor(self) -> CellBox:
        return self

    def set_error(self, message: str) -> None:
        if message == self._error:
            return
        self._error = message
        self.set_class(bool(message), "-has-error")
        self.form.cell_error(self, message)

    def render_line(self, y: int) -> Strip:
        if y != 0 or self.has_focus or not self.value:
            return super().render_line(y)
        width = self.scrollable_content_region.width
        shown = cell_text(self.value, width)
        if shown is None:
            return super().render_line(y)  # not an amount, or too long: as typed
        line = " " * (width - cell_len(shown)) + shown
        return Strip([Segment(line)]).apply_style(self.rich_style)

    def on_focus(self) -> None:
        self.refresh()  # the text as typed, for editing

    def on_blur(self) -> None:
        self.refresh()


class BasisField(FieldInput):
    """The 测算依据 of one category: a text input that is its own field box, under a label
    of its own (`label`, the form's sibling widget: no container around the two)."""

    def __init__(self, spec: FieldSpec, form: BudgetForm, label: Static) -> None:
        super().__init__(id=spec.dom_id, select_on_focus=False, validate_on=[])
        _compact(self)
        self.spec = spec
        self.field_pattern = spec.pattern
        self.on_edit = form._edited
        self.label = label

    @property
    def editor(self) -> BasisField:
        return self

    def set_error(self, message: str) -> None:
        """Text is never refused: no error of its own."""


def _cell_pattern(category: str, source: str) -> str:
    return f"tasks[].budget.{category}.{source}"


class BudgetForm(SectionForm):
    section = "budget"

    DEFAULT_CSS = """
    BudgetForm { scrollbar-size-vertical: 1; }
    BudgetForm #budget-task { width: 1fr; margin: 0 0 1 0; }
    BudgetForm #budget-matrix { height: auto; }
    BudgetForm .brow {
        height: auto; grid-size: 6; grid-columns: 13 1fr 1fr 1fr 1fr 9;
        grid-rows: auto; grid-gutter: 0 1;
    }
    BudgetForm .brow > Static { height: auto; }
    BudgetForm .brow > .num { text-align: right; }
    BudgetForm .basis-label { color: $text-muted; }
    BudgetForm .basis-label.-problem { color: $error; text-style: bold; }
    BudgetForm BasisField { background: $foreground 15%; }
    BudgetForm BasisField:focus { background: $primary 30%; }
    BudgetForm BasisField.-problem { background: $error 25%; }
    BudgetForm .brow.head > Static { color: $text-muted; text-style: bold; }
    BudgetForm .brow.group > Static, BudgetForm .brow.total > Static { text-style: bold; }
    BudgetForm .brow.total { border-top: solid $primary; }
    BudgetForm.-stacked .brow { grid-size: 5; grid-columns: 1fr 1fr 1fr 1fr 9; grid-rows: 1; }
    BudgetForm.-stacked .brow > .blabel { column-span: 5; height: 1; }
    BudgetForm.-stacked .brow.head > .blabel { display: none; }
    BudgetForm #budget-cell-error { color: $error; height: auto; }
    BudgetForm #budget-gaps { color: $warning; height: auto; display: none; }
    BudgetForm #budget-empty { color: $text-muted; }
    BudgetForm #budget-stats {
        height: auto; border: round $primary; padding: 0 1; margin: 1 0 1 0;
    }
    """

    def __init__(self, editor: Any) -> None:
        super().__init__(editor)
        self.task_index: int | None = 0 if self.draft.tasks else None
        self.cells: dict[str, CellBox] = {}
        self._cell_errors: dict[str, str] = {}
        self._texts: dict[str, Text] = {}
        self._sums: dict[str, SumCell] = {}
        self._heads: dict[str, Static] = {}
        self._gaps = ""

    @property
    def form_shape(self) -> Form:
        return self.session.guide.form

    @property
    def categories(self) -> list[BudgetCategory]:
        return list(self.form_shape.categories)

    # -- layout ------------------------------------------------------------------------------
    def compose_fields(self) -> ComposeResult:
        lang = self.lang
        # The choices name the 课题 ("课题1 …"): no label "课题" before them.
        yield Select(
            task_options(self.draft, lang),
            value=str(self.task_index + 1) if self.task_index is not None else Select.NULL,
            allow_blank=self.task_index is None,
            id="budget-task",
            prompt=t("budget.no_task", lang),
        )
        yield Static(t("budget.no_task", lang), id="budget-empty")
        with Vertical(id="budget-matrix"):
            yield Grid(
                Static(t("budget.category", lang), classes="blabel"),
                *(self._head(s) for s in BUDGET_SOURCES),
                Static(t("budget.col_total", lang), classes="num"),
                classes="brow head",
            )
            group = ""
            for category in self.categories:
                name = category.en if lang == "en" else category.zh
                if category.group and category.group != group:
                    gname = (
                        category.group_en if lang == "en" and category.group_en else category.group
                    )
                    yield Grid(
                        Static(Text(gname), classes="blabel"),
                        *(self._sum(f"g-{category.group}-{s}") for s in BUDGET_SOURCES),
                        self._sum(f"g-{category.group}-total"),
                        classes="brow group",
                    )
                group = category.group
                cells = [self._cell(category.key, s) for s in BUDGET_SOURCES]
                yield Grid(
                    Static(Text(("  " if category.group else "") + name), classes="blabel"),
                    *cells,
                    self._sum(f"r-{category.key}"),
                    classes="brow",
                )
            yield Grid(
                Static(t("budget.total_row", lang), classes="blabel"),
                *(self._sum(f"c-{s}") for s in BUDGET_SOURCES),
                self._sum("c-total"),
                classes="brow total",
            )
        yield Static("", id="budget-cell-error", markup=False)
        # What keeps the section below 100 % with no error left: blank categories (a 0 is
        # an amount, blank is not), named per 课题.
        yield Static("", id="budget-gaps", markup=False)
        yield Label(t("budget.basis_title", lang), classes="subtitle")
        for category in self.categories:
            name = category.en if lang == "en" else category.zh
            label = Label(Text(t("budget.basis_of", lang, category=name)), classes="basis-label")
            field = BasisField(FieldSpec(_cell_pattern(category.key, "basis")), self, label)
            self._add_box(field)
            yield label
            yield field
        yield Static("", id="budget-stats")

    def _head(self, source: str) -> Static:
        widget = Static(t(_HEADS[source][1], self.lang), classes="num")
        self._heads[source] = widget
        return widget

    def _sum(self, key: str) -> SumCell:
        """A total's cell, found again by `key` (not an id: group names are guide text)."""
        widget = SumCell()
        self._sums[key] = widget
        return widget

    def _cell(self, category: str, source: str) -> CellBox:
        box = CellBox(FieldSpec(_cell_pattern(category, source), "money"), self)
        self._add_box(box)
        self.cells[box.spec.pattern] = box
        return box

    def _add_box(self, field: CellBox | BasisField) -> None:
        # The form's fields are their own boxes (spec, editor, set_error, as SectionForm
        # uses a FieldBox), with no container around each: a container per field was a
        # third of the section's widgets, and each one costs its mount, its styles and a
        # second layout pass when it is first shown.
        self.boxes[field.spec.pattern] = cast("FieldBox", field)

    def on_mount(self) -> None:
        super().on_mount()  # load(): the values and the totals (not again here)
        self._show_task_state()

    def set_compact(self, compact: bool) -> None:
        super().set_compact(compact)
        for box in self.boxes.values():
            box.editor.compact = True  # type: ignore[attr-defined]  # always one line
        self.set_class(compact, "-stacked")
        # The sources' full names where the cells are wide enough (stacked), short ones
        # beside the categories' labels.
        for source, head in self._heads.items():
            full, short = _HEADS[source]
            head.update(t(full if compact else short, self.lang))

    # -- which 课题 ------------------------------------------------------------------------------
    def index_for(self, pattern: str) -> int | None:
        return self.task_index if pattern.startswith("tasks[]") else None

    @property
    def current_task(self) -> Task | None:
        i = self.task_index
        return self.draft.tasks[i] if i is not None and i < len(self.draft.tasks) else None

    def _show_task_state(self) -> None:
        has = self.task_index is not None
        self.query_one("#budget-empty", Static).display = not has
        self.query_one("#budget-matrix", Vertical).display = has

    def relist(self) -> None:
        """The 课题 may have been renamed, added or removed elsewhere (or undone)."""
        tasks = self.draft.tasks
        if not tasks:
            self.task_index = None
        elif self.task_index is None or self.task_index >= len(tasks):
            self.task_index = 0 if self.task_index is None else len(tasks) - 1
        select = self.query_one("#budget-task", Select)
        with select.prevent(Select.Changed):
            select.set_options(task_options(self.draft, self.lang))
            if self.task_index is not None:
                select.value = str(self.task_index + 1)
        self._show_task_state()

    def load(self) -> None:
        super().load()
        self.update_totals()

    @on(Select.Changed, "#budget-task")
    def _task_chosen(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        if not isinstance(value, str) or not value.isdigit():
            return
        index = int(value) - 1
        if index != self.task_index and index < len(self.draft.tasks):
            self.task_index = index
            self._cell_errors.clear()
            self.load()
            self.mark(self.session.invalid_paths)

    def select_index(self, list_name: str, index: int) -> None:
        if list_name == "tasks" and index < len(self.draft.tasks) and index != self.task_index:
            self.task_index = index
            self.relist()
            self._cell_errors.clear()
            self.load()

    # -- totals ------------------------------------------------------------------------------
    def after_edit(self, path: str, old: Any, new: Any) -> None:
        self.update_totals()

    def on_check(self, violations: list[Violation]) -> None:
        self.update_totals()
        hint = budget_hint(self.draft, self.session.guide, self.lang)
        if hint != self._gaps:  # a new text can change the height: a layout pass, so only then
            self._gaps = hint
            gaps = self.query_one("#budget-gaps", Static)
            gaps.update(hint)
            gaps.display = bool(hint)

    def _put(self, key: str, text: Text | str) -> None:
        shown = text if isinstance(text, Text) else Text(text)
        if self._texts.get(key) == shown:
            return
        self._texts[key] = shown
        self._sums[key].show(shown.plain)

    def update_totals(self) -> None:
        task = self.current_task
        if task is not None:
            groups: dict[str, dict[str, Decimal]] = {}
            columns = dict.fromkeys(BUDGET_SOURCES, _ZERO)
            for category in self.categories:
                line = task.line(category.key)
                row = _ZERO
                for source in BUDGET_SOURCES:
                    amount = line.amount(source) if line is not None else _ZERO
                    row += amount
                    columns[source] += amount
                    if category.group:
                        group = groups.setdefault(category.group, {})
                        group[source] = group.get(source, _ZERO) + amount
                self._put(f"r-{category.key}", _amount(row))
            for name, sums in groups.items():
                for source in BUDGET_SOURCES:
                    self._put(f"g-{name}-{source}", _amount(sums.get(source, _ZERO)))
                self._put(f"g-{name}-total", _amount(sum(sums.values(), _ZERO)))
            for source, amount in columns.items():
                self._put(f"c-{source}", _amount(amount))
            self._put("c-total", _amount(sum(columns.values(), _ZERO)))
        self._update_stats()

    def indirect_tiers(self) -> list[dict[str, object]] | None:
        """The indirect-cost tiers of the requirement that caps them for this direction."""
        for _, requirement in self.session.guide.requirements_for(self.session.direction):
            if requirement.rule == "indirect_cap":
                tiers = requirement.params.get("tiers")
                return list(tiers) if tiers else None
        return None

    def task_figures(self, task: Task) -> dict[str, Decimal | None]:
        """The 课题's direct and indirect costs (all sources), and on central funds its
        indirect base (direct less the equipment purchase), cap and room left."""
        shape = self.form_shape
        direct = sum((task.amount(k) for k in shape.direct_keys), _ZERO)
        indirect = sum((task.amount(k) for k in shape.indirect_keys), _ZERO)
        central_direct = sum((task.amount(k, "central") for k in shape.direct_keys), _ZERO)
        purchase = sum((task.amount(k, "central") for k in shape.purchase_keys), _ZERO)
        central_indirect = sum((task.amount(k, "central") for k in shape.indirect_keys), _ZERO)
        tiers = self.indirect_tiers()
        base = central_direct - purchase
        cap = indirect_cap_amount(base, tiers) if tiers is not None else None
        return {
            "direct": direct,
            "indirect": indirect,
            "base": base,
            "cap": cap,
            "room": cap - central_indirect if cap is not None else None,
        }

    def _update_stats(self) -> None:
        lang = self.lang
        draft: Draft = self.draft
        unit = t("form.budget_unit", lang)
        out = Text()
        task = self.current_task
        if task is not None and self.task_index is not None:
            f = self.task_figures(task)
            out.append(t("tasks.number", lang, n=self.task_index + 1) + "  ", "bold")
            out.append(f"{t('budget.direct', lang)} {money_text(f['direct'])} · ")
            out.append(f"{t('budget.indirect', lang)} {money_text(f['indirect'])} {unit}\n")
            if f["cap"] is not None and f["room"] is not None:
                out.append(
                    t("budget.cap", lang, cap=money_text(f["cap"]), base=money_text(f["base"]))
                    + "\n"
                )
                room = f["room"]
                if room < 0:
                    out.append(t("budget.over", lang, over=money_text(-room)) + "\n", "bold red")
                else:
                    out.append(t("budget.room", lang, room=money_text(room)) + "\n", "green")
        totals = {s: _ZERO for s in BUDGET_SOURCES}
        for category in self.categories:
            for source in BUDGET_SOURCES:
                totals[source] += draft.amount(category.key, source)
        total = sum(totals.values(), _ZERO)
        out.append(t("budget.project", lang) + "\n", "bold")
        parts = [
            t("budget.by_source", lang, source=SOURCE_LABELS[s].get(lang), amount=money_text(a))
            for s, a in totals.items()
        ]
        out.append(" · ".join(parts) + "\n")
        out.append(f"{t('form.budget_total', lang)}: {money_text(total)} {unit}\n", "bold")
        central = totals["central"]
        units = draft.units_funding
        out.append(
            t("budget.units_central", lang, units=money_text(units), total=money_text(central))
            + "\n",
            "green" if units == central else "bold red",
        )
        direction = self.session.direction
        average = (direction.funding.amount / max(direction.projects.low, 1)).quantize(
            Decimal("0.01")
        )
        cap = direction.funding.amount
        width = 22 if lang == "en" else 16

        def row(name: str, value: Decimal, scale: Decimal, style: str) -> None:
            # A label longer than the column has the line above to itself (never cut).
            if cell_len(name) > width:
                out.append(name + "\n", "dim")
                name = ""
            out.append(set_cell_size(name, width) + " ", "dim")
            out.append(bar(value, scale, 16), style)
            out.append(f" {money_text(value)}\n")

        top = max(cap, central)
        style = "green" if central <= average else ("yellow" if central <= cap else "red")
        row(t("form.budget_request", lang), central, top, style)
        row(t("form.budget_avg", lang), average, top, "blue")
        row(t("form.budget_cap", lang), cap, top, "magenta")
        out.append(t("budget.reading", lang), "dim italic")
        key = "stats"
        if self._texts.get(key) != out:
            self._texts[key] = out
            self.query_one("#budget-stats", Static).update(out)

    # -- errors, marks, focus, help ------------------------------------------------------------
    def cell_error(self, box: CellBox, message: str) -> None:
        """A cell's own error (text that is not an amount), said under the matrix."""
        if message:
            self._cell_errors[box.spec.pattern] = message
        else:
            self._cell_errors.pop(box.spec.pattern, None)
        lines = []
        for pattern, text in self._cell_errors.items():
            category, source = pattern.split(".")[2:4]
            lines.append(f"{self._category_name(category)} · {self._source_name(source)}：{text}")
        self.query_one("#budget-cell-error", Static).update("\n".join(lines))

    def _category_name(self, key: str) -> str:
        category = self.form_shape.category(key)
        if category is None:
            return key
        return category.en if self.lang == "en" else category.zh

    def _source_name(self, source: str) -> str:
        found = SOURCE_LABELS.get(source)
        return found.get(self.lang) if found else source

    def mark(self, paths: set[str]) -> None:
        # A problem of a whole category (`tasks[0].budget.indirect`) marks its row's cells.
        rows = set()
        i = self.task_index
        for path in paths:
            match = _CELL.match(path)
            if match and int(match.group(1)) == i and match.group(3) is None:
                rows.add(match.group(2))
        # "-problem", not Input's own "-invalid" (which tints a compact input).
        for pattern, box in self.boxes.items():
            concrete_path = self.path_of(pattern)
            invalid = concrete_path in paths or pattern.split(".")[2] in rows
            if box.has_class("-problem") != invalid:
                box.set_class(invalid, "-problem")
                if isinstance(box, BasisField):
                    box.label.set_class(invalid, "-problem")

    def focus_other(self, path: str) -> bool:
        match = _CELL.match(path)
        if match is not None:
            index, category = int(match.group(1)), match.group(2)
            self.select_index("tasks", index)
            box = self.cells.get(_cell_pattern(category, "central"))
            if box is not None and self.task_index is not None:
                focus_now(box.editor)
                self.call_after_refresh(self.scroll_to_widget, box, animate=False)
                return True
        if self.task_index is None:
            focus_now(self.query_one("#budget-task", Select))
            return True
        return super().focus_other(path)

    def focus_path(self, path: str) -> bool:
        match = re.match(r"^tasks\[(\d+)\]\.budget$", path)
        if match is not None:
            self.select_index("tasks", int(match.group(1)))
            return self.focus_other("")
        return super().focus_path(path)

    def help_for(self, pattern: str) -> str:
        parts = pattern.split(".")
        if len(parts) == 4 and parts[1] == "budget":
            category = self.form_shape.category(parts[2])
            name = self._category_name(parts[2])
            own = ""
            if category is not None:
                own = category.help_en if self.lang == "en" else category.help_zh
            if parts[3] == "basis":
                text = t("budget.basis_of", self.lang, category=name)
            else:
                text = t(
                    "budget.cell_help", self.lang, category=name, source=self._source_name(parts[3])
                )
            return f"{text}\n{own}" if own else text
        return super().help_for(pattern)


def _amount(value: Decimal) -> str:
    return money_text(value) if value else "—"
