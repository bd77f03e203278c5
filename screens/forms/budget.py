"""经费预算: categories with live totals, a bar per category, a gauge against the direction."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from screens.fields import (
    FieldSpec,
)
from screens.forms.base import SectionForm, bar, money_text
from wizard.catalogue import label, t
from wizard.draft import BUDGET_CATEGORIES

if TYPE_CHECKING:
    from wizard.rules import Violation


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
        average = direction.average_funding
        cap = direction.funding.amount
        unit = t("form.budget_unit", self.lang)
        out = Text()
        top = max([b.amount(c) for c in BUDGET_CATEGORIES] + [Decimal(0)])
        width = 22 if en else 16

        def row(name: str, value: Decimal, scale: Decimal, style: str, shown: str) -> None:
            # A label longer than the column has the line above to itself (never cut).
            if cell_len(name) > width:
                out.append(name + "\n", "dim")
                name = ""
            out.append(_fit(name, width) + " ", "dim")
            out.append(bar(value, scale, 16), style)
            out.append(f" {shown}\n")

        for c in BUDGET_CATEGORIES:
            row(
                label(f"budget.{c}", self.lang), b.amount(c), top, "cyan", money_text(getattr(b, c))
            )
        out.append(f"{t('form.budget_direct', self.lang)}: {money_text(b.direct)}  ")
        out.append(f"{label('budget.indirect', self.lang)}: {money_text(b.amount('indirect'))}\n")
        out.append(f"{t('form.budget_total', self.lang)}: {money_text(total)} {unit}\n", "bold")
        diff = units - total
        out.append(f"{t('form.budget_units', self.lang)}: {money_text(units)}\n")
        out.append(
            f"{t('form.budget_diff', self.lang)}: {'+' if diff > 0 else ''}{money_text(diff)}\n",
            "green" if diff == 0 else "bold red",
        )
        gauge_top = max(cap, total)
        style = "green" if total <= average else ("yellow" if total <= cap else "red")
        row(t("form.budget_request", self.lang), total, gauge_top, style, money_text(total))
        row(t("form.budget_avg", self.lang), average, gauge_top, "blue", money_text(average))
        row(t("form.budget_cap", self.lang), cap, gauge_top, "magenta", money_text(cap))
        out.rstrip()
        self.query_one("#budget-stats", Static).update(out)


def _fit(text: str, width: int) -> str:
    """`text` cut or padded to `width` terminal cells (double-width characters count 2)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
