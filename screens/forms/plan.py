"""进度安排: one row per project year, generated from the project's start and period.

Year 1 is the calendar year the project starts in (wizard.draft.Project.years counts the
years the period touches); each row shows the part of that year the period covers. A row
writes the `Stage` of its year, created on the first keystroke. A stage whose year is not in
the period (the period was shortened) or that has no year is kept and shown, marked, so
nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static, TextArea

from screens.fields import FieldArea, FieldBox, FieldSpec
from screens.forms.base import SectionForm, focus_now
from wizard.catalogue import t
from wizard.draft import Project, Stage

CONTENT = FieldSpec("plan[].content", "area")


@dataclass(frozen=True)
class Row:
    """One row of the schedule: a project year, or a stage that fits no year of the period."""

    key: str  # "y3" for year 3; "s4" for plan[4] when it has no year of its own row
    year: int | None
    title: str
    outside: bool = False


def year_range(project: Project, year: int) -> tuple[date, date] | None:
    """The days of project year `year` (1-based) inside the period, or None when unknown."""
    start, end = project.start, project.end
    if start is None or end is None:
        return None
    calendar = start.year + year - 1
    first = max(start, date(calendar, 1, 1))
    last = min(end, date(calendar, 12, 31))
    return (first, last) if first <= last else None


def plan_rows(draft: Any, lang: str) -> list[Row]:
    """The rows the form shows: every year of the period, then every stage left over."""
    project = draft.project
    years = project.years
    rows = []
    for n in range(1, years + 1):
        span = year_range(project, n)
        assert span is not None
        title = t("form.plan_year", lang, n=n, start=span[0].isoformat(), end=span[1].isoformat())
        rows.append(Row(f"y{n}", n, title))
    seen = set(range(1, years + 1))
    bound: set[int] = set()
    extra = []
    for i, stage in enumerate(draft.plan):
        if stage.year is not None and stage.year in seen and stage.year not in bound:
            bound.add(stage.year)
            continue
        if stage.year is not None and stage.year not in seen and stage.year not in bound:
            bound.add(stage.year)
            extra.append(
                Row(f"y{stage.year}", stage.year, t("form.plan_outside", lang, n=stage.year), True)
            )
            continue
        title = (
            t("form.plan_extra", lang, n=stage.year)
            if stage.year is not None
            else t("form.plan_no_year", lang)
        )
        extra.append(Row(f"s{i}", None, title, True))
    extra.sort(key=lambda r: (r.year is None, r.year or 0))
    return rows + extra


def stage_index(plan: list[Stage], row: Row) -> int | None:
    """The index in `plan` of the stage a row shows, None while the year has none."""
    if row.year is None:
        return int(row.key[1:])
    for i, stage in enumerate(plan):
        if stage.year == row.year:
            return i
    return None


class PlanRow(FieldBox):
    """A year's label, its text and the field's error line (styled as a FieldBox)."""

    def __init__(self, row: Row, editor: Widget, lang: str, generation: int) -> None:
        # Rows are rebuilt when the period changes: a new generation never meets the ids
        # of the rows still being removed.
        Vertical.__init__(self, id=f"plan-row-{generation}-{row.key}", classes="field")
        self.spec = CONTENT
        self.editor = editor
        self.lang = lang
        self._error = ""
        self.row = row
        self.set_class(row.outside, "-outside")

    def compose(self) -> ComposeResult:
        yield Label(Text(self.row.title), classes="field-label")
        yield self.editor
        yield Static("", classes="field-error", markup=False)


class PlanForm(SectionForm):
    section = "plan"

    DEFAULT_CSS = """
    PlanForm #plan-rows { height: auto; }
    PlanForm PlanRow.-outside > .field-label { color: $warning; }
    """

    def __init__(self, editor: Any) -> None:
        super().__init__(editor)
        self.rows: dict[str, PlanRow] = {}
        self._shown: list[Row] = []
        self._generation = 0

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(t("form.plan_intro", self.lang)), classes="hint")
        yield Static(Text(t("form.plan_unknown", self.lang)), id="plan-unknown", classes="hint")
        self._shown = plan_rows(self.draft, self.lang)
        with Vertical(id="plan-rows"):
            for row in self._shown:
                yield self._make_row(row)

    def _make_row(self, row: Row) -> PlanRow:
        i = stage_index(self.draft.plan, row)
        text = self.draft.plan[i].content if i is not None else ""
        area = FieldArea(
            text,
            id=f"f-plan-{self._generation}-{row.key}",
            soft_wrap=True,
            show_line_numbers=False,
        )
        area.add_class("short")
        area.field_pattern = CONTENT.pattern  # type: ignore[attr-defined]
        area.plan_row = row  # type: ignore[attr-defined]
        area.on_edit = self._row_edited
        if self.screen.has_class("-narrow"):
            area.compact = True
        box = PlanRow(row, area, self.lang, self._generation)
        self.rows[row.key] = box
        return box

    # -- values ------------------------------------------------------------------------------
    def load(self) -> None:
        self._loading = True
        try:
            wanted = plan_rows(self.draft, self.lang)
            if wanted != self._shown:
                self._shown = wanted
                holder = self.query_one("#plan-rows", Vertical)
                for box in self.rows.values():
                    box.remove()
                self.rows = {}
                self._generation += 1
                holder.mount_all([self._make_row(row) for row in wanted])
            else:
                for row in wanted:
                    area = self.rows[row.key].editor
                    assert isinstance(area, TextArea)
                    i = stage_index(self.draft.plan, row)
                    text = self.draft.plan[i].content if i is not None else ""
                    if area.text != text:
                        with area.prevent(TextArea.Changed):
                            area.load_text(text)
            self.query_one("#plan-unknown").display = self.draft.project.years == 0
        finally:
            self._loading = False

    def _row_edited(self, widget: Widget, text: str) -> None:
        if self._loading:
            return
        row: Row = widget.plan_row  # type: ignore[attr-defined]
        plan = self.draft.plan
        i = stage_index(plan, row)
        if i is None:
            assert row.year is not None
            if not text:
                return
            # Appended: the stages already there keep their places (and the rows theirs).
            plan.append(Stage(year=row.year, content=text))
            i = len(plan) - 1
        elif plan[i].content == text:
            return
        else:
            plan[i].content = text
        self.session.edited(f"plan[{i}].content")

    def index_for(self, pattern: str) -> int | None:
        row = getattr(self.screen.focused, "plan_row", None)
        return stage_index(self.draft.plan, row) if isinstance(row, Row) else None

    # -- marks and jumps ---------------------------------------------------------------------
    def _paths_of(self, row: Row) -> set[str]:
        out = {f"plan.{row.year}"} if row.year is not None else set()
        i = stage_index(self.draft.plan, row)
        if i is not None:
            out |= {f"plan[{i}]", f"plan[{i}].content", f"plan[{i}].year"}
        return out

    def _missing(self, row: Row) -> bool:
        """A year of the period without its entry (what a problem on `plan` is about)."""
        return (
            row.year is not None and not row.outside and stage_index(self.draft.plan, row) is None
        )

    def mark(self, paths: set[str]) -> None:
        whole = "plan" in paths
        for box in self.rows.values():
            invalid = bool(self._paths_of(box.row) & paths) or (whole and self._missing(box.row))
            if box.has_class("-invalid") != invalid:
                box.set_class(invalid, "-invalid")

    def focus_path(self, path: str) -> bool:
        row_key = None
        match = re.match(r"^plan\[(\d+)\]", path)
        if match:
            i = int(match.group(1))
            if i < len(self.draft.plan):
                year = self.draft.plan[i].year
                row_key = f"y{year}" if f"y{year}" in self.rows else f"s{i}"
                if (
                    row_key in self.rows
                    and stage_index(self.draft.plan, self.rows[row_key].row) != i
                ):
                    row_key = f"s{i}"
        elif path == "plan":  # a year left out: its row
            row_key = next((k for k, b in self.rows.items() if self._missing(b.row)), None)
        else:
            match = re.match(r"^plan\.(\d+)$", path)
            if match:
                row_key = f"y{match.group(1)}"
        box = self.rows.get(row_key or "")
        if box is None:
            return self.focus_other(path)
        self._focus(box.editor)
        self.call_after_refresh(self.scroll_to_widget, box, animate=False)
        return True

    def focus_other(self, path: str) -> bool:
        for box in self.rows.values():
            self._focus(box.editor)
            self.call_after_refresh(self.scroll_home, animate=False)
            return True
        return False

    def _focus(self, widget: Widget) -> None:
        if widget.is_attached:
            focus_now(widget)
        else:  # a row of a rebuilt schedule, mounted on the next refresh
            self.call_after_refresh(widget.focus, False)
