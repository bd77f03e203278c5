"""Pilot tests of the terminal wizard: fill drafts from empty to ready, jump, autosave, resume."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from screens.editor import EditorScreen
from screens.fields import FieldSpec, format_value
from screens.home import HomeScreen
from tests.factories import clean_draft, write_attachments
from tests.helpers import (
    checked,
    editing,
    editor,
    make_app,
    palette_search,
    press_button,
    put,
    screen_text,
    settle_until,
    wait_check,
    widget_for,
)
from wizard.draft import Draft
from wizard.guide import Guide
from wizard.store import draft_files, load_draft


def text_of(value: Any, kind: str) -> str:
    return format_value(value, kind)


async def fill_fields(
    pilot: Pilot[Any], ed: EditorScreen, model: Any, specs: tuple[FieldSpec, ...]
) -> None:
    for spec in specs:
        attr = spec.pattern.rsplit(".", 1)[1]
        value = getattr(model, attr)
        # Some choices come from earlier edits (field → topics, unit names → leader's unit):
        # let those edits land first.
        if spec.pattern in ("project.topic", "tasks[].leader"):
            await pilot.pause()
        if spec.kind in ("select", "bool"):
            if value not in (None, ""):
                # A 课题 number is chosen by its text ("2"), as the picker holds it.
                shown = str(value) if isinstance(value, int) and spec.kind == "select" else value
                await put(pilot, ed, spec.pattern, shown, settle=False)
        elif value not in (None, "", []):
            await put(pilot, ed, spec.pattern, text_of(value, spec.kind), settle=False)
    await pilot.pause()


def dump(draft: Draft) -> dict[str, Any]:
    data = draft.model_dump()
    data["meta"].pop("updated")
    return data


async def fill_to_ready(pilot: Pilot[Any], ed: EditorScreen, target: Draft) -> None:
    from screens.forms import H2020Form, PartnerForm, ProjectForm, TasksForm, TeamForm, UnitsForm

    # Project: typed keys for the first characters of the title, the rest set.
    await ed.show_section("project")
    title = widget_for(ed, "project.title")
    title.focus()
    await pilot.press("A", "B")
    assert ed.draft.project.title == "AB"
    await fill_fields(pilot, ed, target.project, ProjectForm.SPECS)
    assert ed.draft.project.topic == target.project.topic

    # Units, 课题, team: the first of each exists (the lead unit, a 课题, the leader); add the
    # rest. The enterprises' matching is entered in its own section, the 课题's leaders once
    # the team is there.
    lists: tuple[tuple[str, list[Any], tuple[Any, ...]], ...] = (
        ("units", target.units, UnitsForm.DETAIL),
        ("tasks", target.tasks, TasksForm.DETAIL),
        ("team", target.team, TeamForm.DETAIL),
    )
    later = ("units[].matching", "tasks[].leader")
    for section, items, detail in lists:
        await ed.show_section(section)
        specs = tuple(s for s in detail if s.pattern not in later)
        for i, item in enumerate(items):
            if i > 0:
                await press_button(pilot, ed, f"#{section}-add")
            assert ed.current_form.index == i
            await fill_fields(pilot, ed, item, specs)
    await ed.show_section("tasks")
    for i, task in enumerate(target.tasks):
        await ed.goto_path(f"tasks[{i}].leader")
        await put(pilot, ed, "tasks[].leader", task.leader)

    await ed.show_section("partner")
    await fill_fields(pilot, ed, target.partner, PartnerForm.SPECS)
    for i, inst in enumerate(target.partner.institutions):
        await press_button(pilot, ed, "#partner-institutions-add")
        assert ed.current_form.index == i
        await fill_fields(pilot, ed, inst, PartnerForm.DETAIL)

    if ed.direction.h2020:
        await ed.show_section("h2020")
        await fill_fields(pilot, ed, target.h2020, H2020Form.SPECS)

    # Enterprises: matching funds are entered here.
    await ed.show_section("enterprises")
    form = ed.current_form
    for j, unit in enumerate(u for u in target.units if u.kind == "enterprise"):
        form.select_index("units", [u.name for u in ed.draft.units].index(unit.name))
        await pilot.pause()
        assert form.index == j
        await put(pilot, ed, "units[].matching", str(unit.matching))

    # 经费预算: each 课题's matrix, cell by cell, and the 测算依据.
    await ed.show_section("budget")
    for i, task in enumerate(target.tasks):
        await ed.goto_path(f"tasks[{i}].budget")
        assert ed.current_form.index_for("tasks[]") == i
        for category, line in task.budget.items():
            for source in ("central", "local", "own", "other"):
                value = getattr(line, source)
                if value is not None:
                    await put(pilot, ed, f"tasks[].budget.{category}.{source}", str(value))
            await put(pilot, ed, f"tasks[].budget.{category}.basis", line.basis, settle=False)
    await pilot.pause()

    # The parts whose screens the other v2 screens helper builds (推荐单位, 联系人, the
    # partner's PI, 考核指标, 进度安排, 正文, 附件): set here until those forms are merged.
    draft = ed.draft
    for name in ("recommender", "contact", "targets", "plan", "narrative", "attachments"):
        setattr(draft, name, copy.deepcopy(getattr(target, name)))
    for name in ("lead", "contribution", "agreement_signed"):
        setattr(draft.partner, name, copy.deepcopy(getattr(target.partner, name)))
    for i, unit in enumerate(target.units):
        for name in ("region", "address", "postcode"):
            setattr(draft.units[i], name, getattr(unit, name))
    write_attachments(target, ed.path.parent)  # the files attached, beside the draft
    ed.edited("attachments")

    await ed.show_section("attest")
    for pattern in list(ed.current_form.boxes):
        await put(pilot, ed, pattern, True, settle=False)
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("code", ["1.4", "1.6", "1.9"])
async def test_fill_new_draft_to_ready(tmp_path: Path, guide: Guide, code: str) -> None:
    target = clean_draft(guide, code)
    async with editing(tmp_path, guide, new_direction=code, size=(120, 40)) as (_app, pilot, ed):
        (path,) = draft_files(tmp_path)
        assert ed.path == path
        assert ed.sections[5] == ("h2020" if code == "1.4" else "enterprises")
        await fill_to_ready(pilot, ed, target)
        await wait_check(pilot)
        errors = [v for v in ed.violations if v.severity == "error"]
        assert errors == [], [(v.path, v.message_en) for v in errors]

        # A broken rule shows up (panel, stepper, invalid mark) and goes away when fixed.
        await ed.goto_path("team[0].months_per_year")
        form = ed.current_form
        assert ed.current == "team" and form.index == 0
        await put(pilot, ed, "team[].months_per_year", "3")
        await wait_check(pilot)
        assert any(v.path == "team[0].months_per_year" for v in ed.violations)
        assert form.boxes["team[].months_per_year"].has_class("-invalid")
        await put(pilot, ed, "team[].months_per_year", "8")
        await wait_check(pilot)
        assert not any(v.path == "team[0].months_per_year" for v in ed.violations)
        assert not form.boxes["team[].months_per_year"].has_class("-invalid")

        # Review: mark ready.
        await ed.show_section("review")
        await press_button(pilot, ed, "#mark-ready")
        assert ed.draft.meta.status == "ready"
        assert load_draft(path, guide).meta.status == "ready"

        # Any later edit turns it back into a draft; autosave writes within about a second.
        await ed.show_section("project")
        await put(pilot, ed, "project.title", "新标题 [b]")
        assert ed.draft.meta.status == "draft"
        # Autosave: within about a second.
        await settle_until(pilot, lambda: load_draft(path, guide).project.title == "新标题 [b]")
        saved = load_draft(path, guide)
        assert saved.project.title == "新标题 [b]"
        assert saved.meta.status == "draft"
        assert dump(saved) == dump(ed.draft)
        expected = dump(target)
        got = dump(saved)
        for key in ("units", "partner", "team", "tasks", "attest"):
            assert got[key] == expected[key], key
        if code == "1.4":
            assert got["h2020"] == expected["h2020"]


async def test_jump_from_violation_focuses_field(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.6", size=(120, 40)) as (_app, pilot, ed):
        # 1.6 names Sweden (pre-filled) but no agency: the agency is the empty field here.
        await ed.show_section("units")
        ed.action_toggle_scope()  # all sections
        panel = ed.query_one("#violations", OptionList)
        panel.focus()
        index = next(
            i
            for i, o in enumerate(panel.options)
            if o.id and ed.problems.shown[int(o.id[1:])].path == "partner.agency"
        )
        panel.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert ed.current == "partner"
        assert ed.focused is widget_for(ed, "partner.agency")
        assert ed.current_form.boxes["partner.agency"].has_class("-invalid")
        # A path inside a list selects the entry: units[0].credit_code.
        await ed.goto_path("units[0].credit_code")
        await pilot.pause()
        assert ed.current == "units"
        assert ed.focused is widget_for(ed, "units[].credit_code")
        # Next/previous section keys.
        ed.query_one("#violations").focus()
        await pilot.press("f8")
        assert ed.current == "team"
        await pilot.press("f7", "f7")
        assert ed.current == "project"


async def test_money_parse_error_keeps_text(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.9", size=(80, 24)) as (_app, pilot, ed):
        await ed.show_section("units")
        await put(pilot, ed, "units[].funding", "12.5")
        assert ed.draft.units[0].funding == Decimal("12.5")
        field = widget_for(ed, "units[].funding")
        field.focus()
        await pilot.press("x")
        await pilot.pause()
        assert field.value == "12.5x"
        box = ed.current_form.boxes["units[].funding"]
        assert box.has_class("-has-error")
        # The draft holds what the field shows: the typed text, not the number before it.
        assert ed.draft.units[0].funding is None
        assert ed.draft.meta.unparsed == {"units[0].funding": "12.5x"}
        # Switching sections and back keeps what was typed.
        await ed.show_section("project")
        await ed.show_section("units")
        field = widget_for(ed, "units[].funding")
        assert field.value == "12.5x"
        field.focus()
        await pilot.press("end", "backspace")
        await pilot.pause()
        assert not box.has_class("-has-error")
        assert ed.draft.units[0].funding == Decimal("12.5")
        assert ed.draft.meta.unparsed == {}


async def test_unreadable_entry_is_kept_shown_and_blocks_ready(
    tmp_path: Path, guide: Guide
) -> None:
    """Issue 10, observation 1: 四十多 over 40 left no `materials` key and no word."""
    from wizard.store import save_draft

    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "d.toml")
    category = guide.form.categories[2]  # a direct category of the guide (材料费 today)
    cell = f"tasks[].budget.{category.key}.central"
    async with editing(tmp_path, guide, open_path=path, size=(120, 40)) as (app, pilot, ed):
        await ed.show_section("budget")
        await put(pilot, ed, cell, "")
        await put(pilot, ed, cell, "四十多")
        await ed.show_section("team")
        await put(pilot, ed, "team[].birth_date", "1978/3/2")  # read, not refused
        await ed.show_section("units")
        await put(pilot, ed, "units[].funding", "四十万元整")  # read as 40
        await pilot.press("ctrl+q")
    saved = load_draft(path, guide)
    assert saved.meta.unparsed == {f"tasks[0].budget.{category.key}.central": "四十多"}
    assert saved.tasks[0].budget[category.key].central is None
    assert str(saved.team[0].birth_date) == "1978-03-02"
    assert saved.units[0].funding == Decimal("40")

    async with editing(tmp_path, guide, open_path=path, size=(120, 40)) as (app, pilot, ed):
        await ed.show_section("budget")
        await wait_check(pilot)
        assert widget_for(ed, cell).value == "四十多"
        assert ed.current_form.boxes[cell].has_class("-has-error")
        found = [v for v in ed.violations if "“四十多”" in v.message("zh")]
        assert [v.severity for v in found] == ["error"]
        assert found[0].path == f"tasks[0].budget.{category.key}.central"
        assert "四十多" in screen_text(app)  # in the problems panel
        ed.action_mark_ready()
        await pilot.pause()
        assert ed.draft.meta.status == "draft"
        await put(pilot, ed, cell, "1,234.5")
        await wait_check(pilot)
        assert ed.draft.tasks[0].budget[category.key].central == Decimal("1234.5")
        assert ed.draft.meta.unparsed == {}
        assert not [v for v in ed.violations if v.rule == "gen-entry-format"]
        await pilot.press("ctrl+q")
    assert "unparsed" not in path.read_text("utf-8")


async def test_quit_flushes_and_reopen_resumes(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.6", size=(100, 30)) as (app, pilot, ed):
        path = ed.path
        await ed.show_section("partner")
        w = widget_for(ed, "partner.reference")
        w.focus()
        await pilot.press("R", "1")
        await pilot.press("ctrl+q")  # quit at once: the pending save is flushed
    saved = load_draft(path, guide)
    assert saved.partner.reference == "R1"
    assert saved.meta.last_section == "partner"
    assert saved.meta.last_field == "partner.reference"

    async with editing(tmp_path, guide, open_path=path, size=(100, 30)) as (app, pilot, ed):
        assert ed.current == "partner"
        assert ed.focused is widget_for(ed, "partner.reference")
        assert ed.focused.value == "R1"
        # q in an input types a q; it does not quit.
        await pilot.press("q")
        assert ed.focused.value == "R1q"
        assert app.is_running


async def test_markup_in_user_text_is_literal(tmp_path: Path, guide: Guide) -> None:
    from wizard.store import save_draft

    draft = clean_draft(guide, "1.6")
    draft.project.title = "[bold]标题[/bold] [/]"
    draft.units[1].name = "[b]x[/b]"
    draft.units[2].name = "[/]"
    draft.team[0].unit = "[/]"
    path = tmp_path / "markup.toml"
    save_draft(draft, path)
    (tmp_path / "broken [red].toml").write_text("schema_version = 1\nunits = [[/]]\n")
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        svg = screen_text(app)
        assert "[bold]标题[/bold]" in svg
        assert "broken [red].toml" in svg
        # Notifications name files literally too (duplicate → "…[/]-副本.toml").
        table = app.screen.query_one("#drafts")
        table.move_cursor(row=table.get_row_index(str(path)))
        await pilot.press("c")
        await pilot.pause()
        assert len(draft_files(tmp_path)) == 3
        app.open_draft(path)
        await pilot.pause()
        ed = editor(app)
        await ed.show_section("units")
        await pilot.pause()
        ed.action_toggle_scope()
        ed.current_form.scroll_home(animate=False)
        await pilot.pause()
        svg = screen_text(app)
        assert "[b]x[/b]" in svg
        assert "[/]" in svg
        await put(pilot, ed, "units[].name", "[i]y")
        await wait_check(pilot)
        svg = screen_text(app)
        assert "[i]y" in svg
        # The leader's unit, a choice of the team form, shown literally.
        await ed.show_section("team")
        assert ed.query_one("#f-team-unit", Select).value == "[/]"


async def test_home_actions(tmp_path: Path, guide: Guide) -> None:
    from wizard.store import save_draft

    draft = clean_draft(guide, "1.9")
    save_draft(draft, tmp_path / "a.toml")
    (tmp_path / "bad.toml").write_text("not toml = = =")
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await checked(pilot)
        assert len(home.entries) == 2
        bad = home.entries[str(tmp_path / "bad.toml")]
        assert bad.error is not None
        # Duplicate, rename, delete (into .trash, unique names, never unlinked).
        await pilot.press("c")
        await pilot.pause()
        assert len(draft_files(tmp_path)) == 3
        table = home.query_one("#drafts")
        table.move_cursor(row=0)
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one(Input).value = "bad"  # taken: the rename must not overwrite
        await pilot.press("enter")
        await pilot.pause()
        names = sorted(p.name for p in draft_files(tmp_path))
        assert "bad.toml" in names and "bad-2.toml" in names
        assert (tmp_path / "bad.toml").read_text() == "not toml = = ="
        for _ in range(2):
            home.query_one("#drafts").move_cursor(row=0)
            await pilot.press("d")
            await pilot.pause()
            await pilot.press("enter")  # confirm
            await pilot.pause()
        trash = sorted((tmp_path / ".trash").iterdir())
        assert len(trash) == 2
        assert len(draft_files(tmp_path)) == 1
        # New: direction picker with filter-as-you-type.
        await pilot.press("n")
        await pilot.pause()
        picker = app.screen
        picker.query_one(Input).value = "sweden"
        await pilot.pause()
        assert [d.code for d in picker.shown] == ["1.6"]
        picker.query_one(Input).value = "2.1"
        await pilot.pause()
        assert [d.code for d in picker.shown] == ["2.1"]
        picker.query_one(Input).value = "瑞典"
        await pilot.pause()
        assert [d.code for d in picker.shown] == ["1.6"]
        await pilot.press("enter")
        await pilot.pause()
        ed = editor(app)
        assert ed.draft.direction == "1.6"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home
        await checked(pilot)
        assert len(home.entries) == 2


async def test_switch_direction_warns(tmp_path: Path, guide: Guide) -> None:
    from wizard.store import save_draft

    draft = clean_draft(guide, "1.4")
    path = tmp_path / "eu.toml"
    save_draft(draft, path)
    async with editing(tmp_path, guide, open_path=path, size=(120, 40)) as (app, pilot, ed):
        changes = ed.switch_changes("1.6")
        text = "\n".join(changes)
        assert "地平线2020" in text and "领域方向" in text
        ed.action_switch_direction()
        await pilot.pause()
        app.screen.query_one(Input).value = "1.6"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert "ConfirmDialog" in type(dialog).__name__
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert ed.draft.direction == "1.6"
        assert ed.draft.project.field == ""
        assert "h2020" not in ed.sections
        assert all(not k.startswith("1.4") for k in ed.draft.attest)
        ed.flush()
        assert load_draft(path, guide).direction == "1.6"


async def test_language_switch_and_help(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.9", size=(120, 40)) as (app, pilot, ed):
        assert ed.focused is widget_for(ed, "project.title")
        await pilot.press("tab")  # tab order follows reading order
        assert ed.focused is widget_for(ed, "project.title_en")
        await pilot.press("shift+tab")
        assert ed.focused is widget_for(ed, "project.title")
        await pilot.press("f2")
        await pilot.pause()
        assert ed.lang == "en"
        assert ed.focused is widget_for(ed, "project.title")
        assert "Project" in str(ed.query_one("#stepper", OptionList).options[0].prompt)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpDialog"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ed
        names = [name for name, _, _ in ed.palette_commands()]
        assert "Mark ready" in names and "Check now" in names


async def test_palette_and_ctrl_c_flush(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.9", size=(120, 40)) as (app, pilot, ed):
        path = ed.path
        await pilot.press("ctrl+p")
        await pilot.pause()
        await palette_search(pilot, "经费预算")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is ed
        assert ed.current == "budget"
        first = guide.form.categories[0].key
        widget_for(ed, f"tasks[].budget.{first}.central").focus()
        await pilot.press("1", "2")
        await pilot.press("ctrl+c")
    assert load_draft(path, guide).tasks[0].budget[first].central == Decimal("12")


async def test_draft_open_elsewhere_is_refused(tmp_path: Path, guide: Guide) -> None:
    from wizard.lock import DraftLock
    from wizard.store import save_draft

    path = tmp_path / "a.toml"
    save_draft(clean_draft(guide, "1.9"), path)
    other = DraftLock(path)
    other.acquire()  # another editor has it open
    try:
        app = make_app(tmp_path, guide)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert app.open_draft(path) is None
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("d", "enter")  # delete is refused too
            await pilot.pause()
            assert path.exists()
    finally:
        other.release()
    app = make_app(tmp_path, guide, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert editor(app).draft_lock is not None and editor(app).draft_lock.held
        await pilot.press("escape")
        await pilot.pause()
        probe = DraftLock(path)
        probe.acquire()  # released when the editor closed
        probe.release()
