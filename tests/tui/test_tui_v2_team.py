"""The 研究团队 and 课题 sections (issue 15): people added and typed in, the ID number checked
as typed, filter and sort, the leader moved, a hundred people kept fluid, 课题 removed and
moved with the team's 课题 numbers following, Ctrl+Z, jumps to a member's field, snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Select

from screens._textual_compat import notification_messages
from screens.editor import EditorScreen
from screens.forms.team import TeamForm
from tests.conftest import settle_until
from tests.factories import team_draft
from tests.helpers import BAD_CHECK, SIZES, at_section
from tests.helpers import settle_snapshot as _settle
from tests.helpers import v2_snapshot_app as snapshot_app
from wizard.guide import Guide
from wizard.store import load_draft

VALID_ID = "11010519491231002X"


def field(ed: EditorScreen, pattern: str) -> Any:
    return ed.current_form.boxes[pattern].editor


async def press(pilot: Pilot[Any], ed: EditorScreen, button_id: str) -> None:
    ed.query_one(f"#{button_id}", Button).press()
    await pilot.pause()


def prompts(ed: EditorScreen, list_id: str) -> list[str]:
    widget = ed.query_one(f"#{list_id}", OptionList)
    return [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]


async def test_add_a_member_type_the_fields_and_the_id_check_digit(
    tmp_path: Path, guide: Guide
) -> None:
    async with at_section(tmp_path, guide, team_draft(guide, people=3), "team") as (pilot, ed):
        assert ed.current == "team"
        await press(pilot, ed, "team-add")
        form = ed.current_form
        assert len(ed.draft.team) == 4 and form.index == 3
        assert ed.focused is field(ed, "team[].name")  # the new member's first field
        await pilot.press(*"王五")
        assert ed.draft.team[3].name == "王五"
        assert "王五" in prompts(ed, "list-team")[3]

        field(ed, "team[].id_type").value = "resident_id"
        await pilot.pause()
        box = form.boxes["team[].id_number"]
        field(ed, "team[].id_number").focus()
        await pilot.press(*BAD_CHECK)
        assert ed.draft.team[3].id_number == BAD_CHECK  # kept as typed, and said at once
        assert box.has_class("-has-error")
        assert "校验位不符" in str(box.query_one(".field-error").render())
        # The rules say it too: in the problems panel, the field marked, the row ✗.
        await settle_until(pilot, lambda: any(v.path == "team[3].id_number" for v in ed.violations))
        await settle_until(pilot, lambda: box.has_class("-invalid"))
        assert "✗" in prompts(ed, "list-team")[3]
        await pilot.press("backspace", "X")
        assert ed.draft.team[3].id_number == BAD_CHECK[:-1] + "X"
        assert not box.has_class("-has-error")
        await pilot.press("backspace", "backspace")
        assert "18" in str(box.query_one(".field-error").render())  # too short now
        # A passport number is text: no check digit.
        field(ed, "team[].id_type").value = "passport"
        await pilot.pause()
        assert not box.has_class("-has-error")

        # Every field of a person, in reading order by Tab.
        field(ed, "team[].name").focus()
        await pilot.pause()
        order = [s.pattern for s in form.DETAIL]
        seen = [order[0]]
        for _ in order[1:]:
            await pilot.press("tab")
            seen.append(getattr(ed.focused, "field_pattern", ""))
        assert seen == order

        field(ed, "team[].unit").value = "中国科学院物理研究所"
        field(ed, "team[].task").value = "2"
        field(ed, "team[].role").value = "core"
        await pilot.pause()
        person = ed.draft.team[3]
        assert (person.unit, person.task, person.role) == ("中国科学院物理研究所", 2, "core")
        assert "课题2" in prompts(ed, "list-team")[3]
        ed.flush()
    saved = load_draft(tmp_path / "draft.toml", guide)
    assert saved.team[3].name == "王五" and saved.team[3].task == 2


async def test_leader_is_starred_and_making_someone_leader_moves_the_role(
    tmp_path: Path, guide: Guide
) -> None:
    async with at_section(tmp_path, guide, team_draft(guide, people=3), "team") as (pilot, ed):
        assert prompts(ed, "list-team")[0].startswith("★")
        ed.query_one("#list-team", OptionList).highlighted = 2
        await pilot.pause()
        assert ed.current_form.index == 2
        await press(pilot, ed, "team-lead")
        assert [p.role for p in ed.draft.team] == ["core", "task_leader", "leader"]
        assert ed.draft.leader_index == 2
        assert prompts(ed, "list-team")[2].startswith("★")
        assert not prompts(ed, "list-team")[0].startswith("★")
        # The role picker does the same.
        ed.query_one("#list-team", OptionList).highlighted = 1
        await pilot.pause()
        field(ed, "team[].role").value = "leader"
        await pilot.pause()
        assert [p.role for p in ed.draft.team] == ["core", "leader", "core"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [p.role for p in ed.draft.team] == ["core", "task_leader", "leader"]


async def test_filter_as_you_type_and_sort(tmp_path: Path, guide: Guide) -> None:
    draft = team_draft(guide, people=12)
    draft.team[1].role, draft.team[11].role = "general", "task_leader"
    async with at_section(tmp_path, guide, draft, "team") as (pilot, ed):
        box = ed.query_one("#team-filter", Input)
        box.focus()
        await pilot.press(*"成员01")
        await pilot.pause()
        shown = prompts(ed, "list-team")
        assert len(shown) == 3 and all("成员01" in p for p in shown)  # 010, 011, 012
        # Picking a filtered line edits that member.
        ed.query_one("#list-team", OptionList).highlighted = 1
        await pilot.pause()
        assert ed.current_form.index == 10
        assert field(ed, "team[].name").value == "成员011"
        # By unit, and by ID number.
        box.value = "物理"
        await pilot.pause()
        assert len(prompts(ed, "list-team")) == 6
        box.value = VALID_ID[:8]
        await pilot.pause()
        assert len(prompts(ed, "list-team")) == 1 and "张三" in prompts(ed, "list-team")[0]
        box.value = "无此人"
        await pilot.pause()
        assert "没有匹配" in prompts(ed, "list-team")[0]
        box.value = ""
        await pilot.pause()
        assert len(prompts(ed, "list-team")) == 12

        ed.query_one("#team-sort", Select).value = "role"
        await pilot.pause()
        form = ed.current_form
        assert isinstance(form, TeamForm)
        roles = [ed.draft.team[i].role for i in form.shown_order()]
        assert roles[:4] == ["leader", "task_leader", "core", "general"]
        assert "成员012" in prompts(ed, "list-team")[1]
        ed.query_one("#team-sort", Select).value = "name"
        await pilot.pause()
        names = [ed.draft.team[i].name for i in form.shown_order()]
        assert names == sorted(names)
        assert "张三" in prompts(ed, "list-team")[0]
        assert ed.draft.team[0].name == "张三"  # the draft's order is kept


async def test_a_hundred_people_typing_redraws_one_line(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, team_draft(guide, people=100), "team") as (pilot, ed):
        widget = ed.query_one("#list-team", OptionList)
        assert widget.option_count == 100
        widget.highlighted = 57
        await pilot.pause()
        rebuilt = []
        original = widget.set_options

        def counting(*args: Any, **kw: Any) -> Any:
            rebuilt.append(1)
            return original(*args, **kw)

        widget.set_options = counting  # type: ignore[method-assign]
        field(ed, "team[].name").focus()
        await pilot.press("end", *"甲乙丙")
        await settle_until(pilot, lambda: ed.checked)
        assert ed.draft.team[57].name == "成员058甲乙丙"
        assert "成员058甲乙丙" in str(widget.get_option_at_index(57).prompt)
        assert rebuilt == []  # one prompt replaced per key, never the whole list


async def test_member_jump_from_a_path_selects_the_row(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, team_draft(guide, people=5), "project") as (pilot, ed):
        await ed.goto_path("team[3].id_number")
        await pilot.pause()
        assert ed.current == "team" and ed.current_form.index == 3
        assert ed.focused is field(ed, "team[].id_number")
        assert ed.query_one("#list-team", OptionList).highlighted == 3
        # Even when a filter hides the row.
        ed.query_one("#team-filter", Input).value = "张三"
        await pilot.pause()
        await ed.goto_path("team[4].email")
        await pilot.pause()
        assert ed.current_form.index == 4 and ed.focused is field(ed, "team[].email")
        assert len(prompts(ed, "list-team")) == 5
        # F1 shows the field's help.
        await pilot.press("f1")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "HelpDialog"
        await pilot.press("escape")


async def test_renaming_a_unit_renames_it_for_the_team_and_the_tasks(
    tmp_path: Path, guide: Guide
) -> None:
    async with at_section(tmp_path, guide, team_draft(guide, people=4), "units") as (pilot, ed):
        assert "units[].name" in ed.current_form.boxes
        assert not any(p.startswith("leader.") for p in ed.current_form.boxes)
        field(ed, "units[].name").focus()
        await pilot.press("end", *"深圳国际研究生院")
        new = "清华大学深圳国际研究生院"
        assert ed.draft.units[0].name == new
        assert [p.unit for p in ed.draft.team if p.unit.startswith("清华")] == [new, new]
        assert ed.draft.tasks[0].unit == new
        await ed.show_section("team")
        assert field(ed, "team[].unit").value == new


async def test_tasks_add_remove_move_and_the_team_follows(tmp_path: Path, guide: Guide) -> None:
    draft = team_draft(guide, people=5, tasks=3)
    draft.team[1].task, draft.team[2].task, draft.team[3].task = 1, 2, 3
    async with at_section(tmp_path, guide, draft, "tasks") as (pilot, ed):
        assert ed.current == "tasks"
        assert prompts(ed, "list-tasks")[1].startswith("课题2 课题名称2")

        # Leader choices: the 课题's unit's members first.
        ed.query_one("#list-tasks", OptionList).highlighted = 1
        await pilot.pause()
        leader = field(ed, "tasks[].leader")
        own = [p.name for p in ed.draft.team if p.unit == ed.draft.tasks[1].unit]
        assert list(leader.values[: len(own)]) == own
        leader.value = own[0]
        field(ed, "tasks[].content").load_text("研究内容二")
        await pilot.pause()
        assert ed.draft.tasks[1].leader == own[0]
        assert ed.draft.tasks[1].content == "研究内容二"

        # Remove 课题2: who was in it has none, who was in 课题3 is in 课题2 now.
        await press(pilot, ed, "tasks-remove")
        assert [t.name for t in ed.draft.tasks] == ["课题名称1", "课题名称3"]
        assert [p.task for p in ed.draft.team[1:4]] == [1, None, 2]
        assert any("课题名称2" in n and "Ctrl+Z" in n for n in notification_messages(pilot.app))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [t.name for t in ed.draft.tasks] == ["课题名称1", "课题名称2", "课题名称3"]
        assert [p.task for p in ed.draft.team[1:4]] == [1, 2, 3]
        assert ed.draft.tasks[1].content == "研究内容二"

        # Move 课题1 down: the numbers swap with it.
        ed.query_one("#list-tasks", OptionList).highlighted = 0
        await pilot.pause()
        await press(pilot, ed, "tasks-down")
        assert [t.name for t in ed.draft.tasks][:2] == ["课题名称2", "课题名称1"]
        assert [p.task for p in ed.draft.team[1:4]] == [2, 1, 3]
        assert prompts(ed, "list-tasks")[0].startswith("课题1 课题名称2")

        # Duplicate: inserted after, later numbers move down.
        await press(pilot, ed, "tasks-duplicate")
        assert len(ed.draft.tasks) == 4 and ed.current_form.index == 2
        assert [p.task for p in ed.draft.team[1:4]] == [2, 1, 4]
        await press(pilot, ed, "tasks-add")
        assert len(ed.draft.tasks) == 5 and ed.focused is field(ed, "tasks[].name")

        # The team's 课题 picker names them "课题N name".
        await ed.show_section("team")
        options = field(ed, "team[].task").values
        assert list(options) == ["1", "2", "3", "4", "5"]


async def test_a_renamed_task_is_renamed_in_the_teams_picker(tmp_path: Path, guide: Guide) -> None:
    """The picker's choices keep their values (the 课题 numbers); their texts are new."""
    draft = team_draft(guide, people=3, tasks=2)
    async with at_section(tmp_path, guide, draft, "team") as (pilot, ed):
        picker = field(ed, "team[].task")
        assert any("课题名称2" in text for text, _ in picker.shown)
        await ed.show_section("tasks")
        ed.query_one("#list-tasks", OptionList).highlighted = 1
        await pilot.pause()
        field(ed, "tasks[].name").value = "土壤微生物组研究"
        await pilot.pause()
        await ed.show_section("team")
        await pilot.pause()
        picker = field(ed, "team[].task")
        assert list(picker.values) == ["1", "2"]
        shown = [str(o.prompt) for o in picker.query_one("SelectOverlay", OptionList).options]
        assert any("土壤微生物组研究" in text for text in shown), shown
        assert not any("课题名称2" in text for text in shown)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("section", ["team", "tasks"])
def test_snapshot(snap_compare: Any, guide: Guide, section: str, lang: str, size: str) -> None:
    app = snapshot_app(guide, section, lang, f"{section}-{lang}-{size}")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_settle)


async def test_an_id_number_with_an_unknown_region_is_said_as_typed_and_checked(
    tmp_path: Path, guide: Guide
) -> None:
    """python-stdnum raised KeyError inside the field's change handler for 119999… (a known
    province, an unknown county, the right check digit): wizard/idcard.py."""
    async with at_section(tmp_path, guide, team_draft(guide, people=3), "team") as (pilot, ed):
        form = ed.current_form
        field(ed, "team[].id_type").value = "resident_id"
        await pilot.pause()
        box = form.boxes["team[].id_number"]
        field(ed, "team[].id_number").value = "119999198001010018"
        await pilot.pause()
        assert box.has_class("-has-error")
        assert "地区码" in str(box.query_one(".field-error").render())
        path = f"team[{form.index}].id_number"
        await settle_until(pilot, lambda: any(v.path == path for v in ed.violations))
        [v] = [v for v in ed.violations if v.path == path]
        assert "119999" in v.message_zh
