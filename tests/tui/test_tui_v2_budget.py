"""The 经费预算 section (issue 15): per 课题, the guide's categories × the sources, typed amounts
exact in the draft, live totals, the indirect cap and its room, the 课题 picker, jumps from
the problems panel to a cell, layout at 80×24 and 120×40, another guide's categories."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Select

from screens.app import WizardApp
from screens.editor import EditorScreen
from screens.forms.budget import BudgetForm, CellBox
from tests.factories import team_draft
from tests.helpers import SIZES, at_section
from tests.helpers import settle_snapshot as _settle
from wizard.draft import BUDGET_SOURCES, BudgetLine
from wizard.guide import Guide
from wizard.rules.model import Clause, Violation
from wizard.store import load_draft


def budget_form(ed: EditorScreen) -> BudgetForm:
    form = ed.current_form
    assert isinstance(form, BudgetForm), form
    return form


def cell(ed: EditorScreen, category: str, source: str) -> Any:
    return budget_form(ed).cells[f"tasks[].budget.{category}.{source}"].editor


def shown(form: BudgetForm, key: str) -> str:
    return form._texts[key].plain


def stats(form: BudgetForm) -> str:
    return form._texts["stats"].plain


async def type_into(pilot: Pilot[Any], widget: Any, text: str) -> None:
    widget.focus()
    await pilot.pause()
    widget.value = ""  # as select-all and delete would
    await pilot.press(*text)


def keys(guide: Guide) -> dict[str, str]:
    """Category keys by role, from the guide (never named in the test either)."""
    form = guide.form
    direct = [c.key for c in form.categories if c.direct and not c.purchase]
    return {
        "purchase": form.purchase_keys[0],
        "a": direct[0],
        "b": direct[1],
        "indirect": form.indirect_keys[0],
    }


async def test_typed_amounts_are_exact_and_totals_follow(tmp_path: Path, guide: Guide) -> None:
    k = keys(guide)
    async with at_section(tmp_path, guide, team_draft(guide, tasks=2), "budget") as (pilot, ed):
        form = budget_form(ed)
        assert [c.key for c in guide.form.categories] == [
            p.split(".")[2] for p in form.cells if p.endswith(".central")
        ]
        await type_into(pilot, cell(ed, k["a"], "central"), "12.35")
        await type_into(pilot, cell(ed, k["b"], "central"), "7.65")
        await type_into(pilot, cell(ed, k["b"], "own"), "3")
        await type_into(pilot, cell(ed, k["b"], "local"), "0.1")
        line = ed.draft.tasks[0].budget[k["b"]]
        assert ed.draft.tasks[0].budget[k["a"]].central == Decimal("12.35")
        assert (line.central, line.local, line.own) == (Decimal("7.65"), Decimal("0.1"), 3)
        assert str(line.central) == "7.65"  # exact, never a float
        assert shown(form, f"r-{k['b']}") == "10.75"
        assert shown(form, "c-central") == "20.00"
        assert shown(form, "c-own") == "3.00"
        assert shown(form, "c-total") == "23.10"
        assert "23.10" in stats(form)  # the project's total
        # The equipment group's subtotal.
        group = guide.form.category(k["purchase"])
        assert group is not None and group.group
        await type_into(pilot, cell(ed, k["purchase"], "central"), "20")
        members = [c.key for c in guide.form.categories if c.group == group.group]
        expected = sum((ed.draft.tasks[0].amount(c, "central") for c in members), Decimal(0))
        assert expected >= 20
        assert shown(form, f"g-{group.group}-central") == f"{expected:.2f}"
        # 测算依据.
        basis = form.boxes[f"tasks[].budget.{k['b']}.basis"].editor
        await type_into(pilot, basis, "按市场价")
        assert ed.draft.tasks[0].budget[k["b"]].basis == "按市场价"

        # Text that is not an amount: kept, said under the matrix, the value goes.
        await type_into(pilot, cell(ed, k["a"], "central"), "四十多")
        box = form.cells[f"tasks[].budget.{k['a']}.central"]
        assert isinstance(box, CellBox) and box.has_class("-has-error")
        assert ed.draft.tasks[0].budget[k["a"]].central is None
        assert ed.draft.meta.unparsed == {f"tasks[0].budget.{k['a']}.central": "四十多"}
        assert "四十多" not in str(form.query_one("#budget-cell-error").render())
        assert str(form.query_one("#budget-cell-error").render()).strip()
        await type_into(pilot, cell(ed, k["a"], "central"), "1,234.5")
        assert ed.draft.tasks[0].budget[k["a"]].central == Decimal("1234.5")
        assert not str(form.query_one("#budget-cell-error").render()).strip()

        # The second 课题: its own cells.
        ed.query_one("#budget-task", Select).value = "2"
        await pilot.pause()
        assert form.task_index == 1 and cell(ed, k["a"], "central").value == ""
        await type_into(pilot, cell(ed, k["a"], "other"), "5")
        assert ed.draft.tasks[1].budget[k["a"]].other == Decimal(5)
        assert ed.draft.amount(k["a"]) == Decimal("1239.5")
        ed.flush()
    saved = load_draft(tmp_path / "draft.toml", guide)
    assert saved.tasks[0].budget[k["a"]].central == Decimal("1234.5")
    assert saved.tasks[1].budget[k["a"]].other == Decimal(5)


async def test_indirect_cap_and_room_on_central_direct_less_purchase(
    tmp_path: Path, guide: Guide
) -> None:
    k = keys(guide)
    draft = team_draft(guide, tasks=1)
    draft.tasks[0].budget = {
        k["purchase"]: BudgetLine(central=Decimal(20)),
        k["a"]: BudgetLine(central=Decimal(80), own=Decimal(50)),
    }
    async with at_section(tmp_path, guide, draft, "budget") as (pilot, ed):
        form = budget_form(ed)
        # Base 100 − 20 = 80 on central funds; the guide's first tier is 20 %.
        assert "16.00" in stats(form) and "80.00" in stats(form)
        await type_into(pilot, cell(ed, k["indirect"], "central"), "10")
        assert "6.00" in stats(form)  # room left
        await type_into(pilot, cell(ed, k["indirect"], "central"), "20")
        assert "超出上限 4.00" in stats(form)
        # Other sources are not in the base.
        await type_into(pilot, cell(ed, k["a"], "own"), "500")
        assert "超出上限 4.00" in stats(form)


async def test_problem_in_the_panel_jumps_to_the_cell(tmp_path: Path, guide: Guide) -> None:
    k = keys(guide)
    async with at_section(tmp_path, guide, team_draft(guide, tasks=2), "project") as (pilot, ed):
        path = f"tasks[1].budget.{k['a']}.central"
        clause = Clause("general", "test", "test")
        ed.violations = [Violation("test", "error", path, "问题", "problem", clause)]
        ed.all_scope = True
        ed.update_panel()
        panel = ed.query_one("#violations", OptionList)
        ed.action_focus_problems()
        await pilot.pause()
        assert panel.highlighted is not None
        await pilot.press("enter")
        await pilot.pause()
        form = budget_form(ed)
        assert ed.current == "budget" and form.task_index == 1
        assert ed.query_one("#budget-task", Select).value == "2"
        assert ed.focused is cell(ed, k["a"], "central")
        # focus_path straight, and a whole category's path (its central cell).
        assert form.focus_path(f"tasks[0].budget.{k['b']}.own")
        await pilot.pause()
        assert form.task_index == 0 and ed.focused is cell(ed, k["b"], "own")
        assert form.focus_path(f"tasks[1].budget.{k['indirect']}")
        await pilot.pause()
        assert form.task_index == 1 and ed.focused is cell(ed, k["indirect"], "central")
        # F1 names the category and the source.
        await pilot.press("f1")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "HelpDialog"
        category = guide.form.category(k["indirect"])
        assert category is not None
        assert category.zh in form.help_for(f"tasks[].budget.{k['indirect']}.central")
        await pilot.press("escape")


async def test_tab_goes_row_by_row_through_the_matrix(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, team_draft(guide, tasks=1), "budget") as (pilot, ed):
        first = guide.form.categories[0].key
        cell(ed, first, "central").focus()
        await pilot.pause()
        order = []
        for _ in range(8):
            order.append(getattr(ed.focused, "field_pattern", ""))
            await pilot.press("tab")
        second = guide.form.categories[1].key
        expected = [f"tasks[].budget.{c}.{s}" for c in (first, second) for s in BUDGET_SOURCES]
        assert order == expected


async def test_removing_a_task_and_undo_keep_the_budget(tmp_path: Path, guide: Guide) -> None:
    k = keys(guide)
    draft = team_draft(guide, tasks=2)
    draft.tasks[1].budget = {k["a"]: BudgetLine(central=Decimal("42.5"))}
    async with at_section(tmp_path, guide, draft, "tasks") as (pilot, ed):
        ed.query_one("#list-tasks", OptionList).highlighted = 1
        await pilot.pause()
        ed.query_one("#tasks-remove").press()  # type: ignore[attr-defined]
        await pilot.pause()
        await ed.show_section("budget")
        assert budget_form(ed).task_index == 0
        assert ed.draft.amount(k["a"]) == 0
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ed.draft.tasks[1].budget[k["a"]].central == Decimal("42.5")
        await ed.goto_path(f"tasks[1].budget.{k['a']}.central")
        await pilot.pause()
        assert budget_form(ed).task_index == 1
        assert ed.focused is cell(ed, k["a"], "central")
        assert cell(ed, k["a"], "central").value == "42.5"


def cell_line(widget: Any) -> str:
    """What a cell shows on screen (its one line), trailing space dropped."""
    return widget.render_line(0).text.rstrip()


@pytest.mark.parametrize("size", list(SIZES))
async def test_amounts_are_right_aligned_with_two_decimals(
    tmp_path: Path, guide: Guide, size: str
) -> None:
    """An amount not being edited is shown as the totals show it (20.00, right-aligned);
    being edited, as typed; text that is not an amount, as typed."""
    k = keys(guide)
    draft = team_draft(guide, tasks=1)
    draft.tasks[0].budget = {
        k["a"]: BudgetLine(central=Decimal("20.0"), own=Decimal("1234.5")),
        k["b"]: BudgetLine(central=Decimal(7)),
    }
    draft.meta.unparsed["tasks[0].budget." + k["b"] + ".local"] = "四十多"
    async with at_section(tmp_path, guide, draft, "budget", size=SIZES[size]) as (pilot, ed):
        cell(ed, k["purchase"], "central").focus()
        await pilot.pause()
        central, own = cell(ed, k["a"], "central"), cell(ed, k["a"], "own")
        width = central.region.width
        assert cell_line(central) == "20.00".rjust(width)
        grouped = "1,234.50" if width >= 8 else "1234.50"
        assert cell_line(own) == grouped.rjust(width)
        assert cell_line(cell(ed, k["b"], "central")).endswith(" 7.00")
        assert cell_line(cell(ed, k["b"], "local")) == "四十多"  # left as typed
        central.focus()
        await pilot.pause()
        assert central.value == "20.0" and cell_line(central).startswith("20.0")
        await pilot.press(*["backspace"] * 4, "2", "5")
        await pilot.pause()
        assert ed.draft.tasks[0].budget[k["a"]].central == Decimal("25")
        await pilot.press("tab")
        await pilot.pause()
        assert cell_line(central) == "25.00".rjust(width)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
async def test_matrix_fits_the_form(tmp_path: Path, guide: Guide, lang: str, size: str) -> None:
    """Every cell inside the form and wide enough for an amount; at 120 columns a category
    is one line of four inputs, at 80 its label has the line above."""
    async with at_section(
        tmp_path, guide, team_draft(guide, tasks=1), "budget", lang=lang, size=SIZES[size]
    ) as (_pilot, ed):
        form = budget_form(ed)
        right = form.content_region.right
        for category in guide.form.categories:
            row = [form.cells[f"tasks[].budget.{category.key}.{s}"] for s in BUDGET_SOURCES]
            ys = {box.region.y for box in row}
            assert len(ys) == 1, category.key  # the four on one line
            for box in row:
                assert box.region.right <= right and box.region.width >= 6
            label = row[0].parent.children[0]  # type: ignore[union-attr]
            if size == "120x40":
                assert label.region.y == row[0].region.y  # beside its inputs
            else:
                assert label.region.y < row[0].region.y  # on the line above
                assert row[0].region.width >= 10


async def test_another_guides_categories(tmp_path: Path, guide: Guide) -> None:
    """Three categories of another shape: the matrix is the guide's, nothing else."""
    from wizard.guide import BudgetCategory

    shape = [
        BudgetCategory(key="alpha", zh="甲费", en="Alpha", purchase=True),
        BudgetCategory(key="beta", zh="乙费", en="Beta"),
        BudgetCategory(key="gamma", zh="丙费", en="Gamma", direct=False),
    ]
    other = guide.model_copy(update={"form": guide.form.model_copy(update={"categories": shape})})
    draft = team_draft(other, tasks=1)
    async with at_section(tmp_path, other, draft, "budget") as (pilot, ed):
        form = budget_form(ed)
        assert {p.split(".")[2] for p in form.cells} == {"alpha", "beta", "gamma"}
        await type_into(pilot, cell(ed, "beta", "central"), "100")
        await type_into(pilot, cell(ed, "alpha", "central"), "40")
        assert ed.draft.tasks[0].budget["beta"].central == Decimal(100)
        # Base: the direct costs less the purchase, 140 − 40; the guide's tiers, 20 %.
        assert "20.00" in stats(form) and "100.00" in stats(form)


def snapshot_app(guide: Guide, lang: str, name: str) -> WizardApp:
    from tests.helpers import v2_snapshot_app as team_app

    return team_app(guide, "budget", lang, name)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot(snap_compare: Any, guide: Guide, lang: str, size: str) -> None:
    app = snapshot_app(guide, lang, f"budget-{lang}-{size}")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_settle)


@pytest.mark.parametrize("size", list(SIZES))
async def test_large_totals_stay_on_one_line(tmp_path: Path, guide: Guide, size: str) -> None:
    """Totals of four and five digits (12,960.00) stay on their line: ungrouped where the
    column is too narrow for the grouping, never wrapped into a second line."""
    k = keys(guide)
    draft = team_draft(guide, tasks=1)
    draft.tasks[0].budget = {
        k["a"]: BudgetLine(central=Decimal("9876.5"), own=Decimal("1234")),
        k["b"]: BudgetLine(central=Decimal("3083.5")),
    }
    async with at_section(tmp_path, guide, draft, "budget", size=SIZES[size]) as (pilot, ed):
        await pilot.pause()
        form = budget_form(ed)
        assert shown(form, "c-central") == "12,960.00"
        for key, cell_widget in form._sums.items():
            assert cell_widget.size.height == 1, (key, form._texts.get(key))
            # the same amount: grouped, ungrouped, or a whole amount without its ".00"
            text = str(cell_widget.render()).replace(",", "")
            full = shown(form, key).replace(",", "")
            assert text in (full, full.removesuffix(".00")), key


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_task_picker_names_the_task_once(tmp_path: Path, guide: Guide, lang: str) -> None:
    """The picker read "课题 课题1：…" ("Task Task 1 …"): a label "课题" beside a choice that
    already starts with it. It names the 课题 once."""
    from tests.helpers import screen_text

    draft = team_draft(guide, tasks=2)
    draft.tasks[0].name = "Alpha"
    async with at_section(tmp_path, guide, draft, "budget", lang=lang) as (pilot, ed):
        await pilot.pause()
        picker = ed.query_one("#budget-task", Select)
        rows = screen_text(pilot.app).splitlines()[picker.region.y : picker.region.bottom]
        shown = " ".join(row.split("│")[1] for row in rows)  # the form's column
        head = "课题" if lang == "zh" else "Task"
        assert "Alpha" in shown
        assert shown.count(head) == 1, shown


async def test_blank_categories_are_named_until_each_has_an_amount(
    tmp_path: Path, guide: Guide
) -> None:
    """经费预算 stuck below 100 % with no error: the form says which categories of which 课题
    are blank (a 0 is an amount), and says nothing once every one has one."""
    from textual.widgets import Static

    draft = team_draft(guide, people=2, tasks=1)
    k = keys(guide)
    for category in guide.form.categories:  # every category has an amount but one
        draft.tasks[0].budget[category.key] = BudgetLine(central=Decimal(1))
    draft.tasks[0].budget.pop(k["b"])
    name = next(c.zh for c in guide.form.categories if c.key == k["b"])
    async with at_section(tmp_path, guide, draft, "budget") as (pilot, ed):
        await pilot.pause()
        gaps = ed.query_one("#budget-gaps", Static)
        await _until(pilot, lambda: gaps.display and name in str(gaps.render()))
        assert "课题1" in str(gaps.render()) and "填 0" in str(gaps.render())
        await type_into(pilot, cell(ed, k["b"], "central"), "0")
        ed.run_check()
        await _until(pilot, lambda: not gaps.display)


async def _until(pilot: Pilot[Any], condition: Any) -> None:
    from tests.helpers import settle_until

    await settle_until(pilot, condition)
