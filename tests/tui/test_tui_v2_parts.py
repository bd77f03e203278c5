"""The v2 parts of the application in the editor (issue 15): 推荐单位 and 联系人, the
partner's PI, 考核指标, 进度安排, 申报书正文 and 附件 — typed into, undone, jumped to."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input, Static, TextArea

from screens._textual_compat import notification_messages
from screens.dialogs import HelpDialog
from screens.editor import EditorScreen
from tests.conftest import settle_until
from tests.factories import v2_draft
from tests.helpers import at_section
from wizard.draft import Draft, Stage, Target
from wizard.guide import Guide


@pytest.fixture(autouse=True)
def _no_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the forms: the check finds nothing (the rules have their own)."""
    monkeypatch.setattr("wizard.rules.evaluate", lambda draft, guide, files=None: [])


async def type_into(pilot: Any, widget: Any, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


# -- 项目信息 --------------------------------------------------------------------------------
async def test_recommender_and_contact_typed_reach_the_draft(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), "project") as (pilot, ed):
        await type_into(pilot, ed.query_one("#f-recommender-name", Input), "上海市科委")
        # Tab goes on in reading order: the kind, then the contact's name, phone, e-mail.
        await pilot.press("tab")
        assert ed.focused is not None and ed.focused.id == "f-recommender-kind"
        await pilot.press("tab")
        assert ed.focused is not None and ed.focused.id == "f-contact-name"
        await pilot.press(*"王五", "tab", *"021-1234", "tab", *"w@x.cn")
        await pilot.pause()
        assert ed.draft.recommender.name == "上海市科委"
        assert ed.draft.contact.name == "王五"
        assert ed.draft.contact.phone == "021-1234"
        assert ed.draft.contact.email == "w@x.cn"
        ed.query_one("#f-recommender-kind").value = "local"  # type: ignore[attr-defined]
        await pilot.pause()
        assert ed.draft.recommender.kind == "local"


async def test_end_date_and_counts_follow_the_period(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), "project") as (pilot, ed):
        end = ed.query_one("#project-end", Static)
        assert "2023-09-30" in str(end.render()) and "4" in str(end.render())
        assert "课题 2 个" in str(ed.query_one("#project-counts", Static).render())
        months = ed.query_one("#f-project-months", Input)
        months.focus()
        await pilot.pause()
        await pilot.press("backspace", "backspace", "1", "2")
        await settle_until(pilot, lambda: "2021-09-30" in str(end.render()))
        assert ed.draft.project.end == date(2021, 9, 30)


async def test_help_of_a_new_field(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), "project") as (pilot, ed):
        ed.query_one("#f-recommender-name", Input).focus()
        await pilot.pause()
        await pilot.press("f1")
        await settle_until(pilot, lambda: isinstance(pilot.app.screen, HelpDialog))
        text = str(pilot.app.screen.query_one(".dialog-body Static", Static).render())
        assert "推荐本项目的部门、地方或行业协会的全称" in text


# -- 外方合作 --------------------------------------------------------------------------------
async def test_partner_lead_typed_and_agreement_only_where_required(
    tmp_path: Path, guide: Guide
) -> None:
    # 1.2 asks for an agreement
    async with at_section(tmp_path, guide, v2_draft(guide, "1.2"), "partner") as (pilot, ed):
        await type_into(pilot, ed.query_one("#f-partner-lead-name", Input), "Dr. Pérez")
        await type_into(pilot, ed.query_one("#f-partner-agreement_signed", Input), "2020-05-01")
        assert ed.draft.partner.lead.name == "Dr. Pérez"
        assert ed.draft.partner.agreement_signed == date(2020, 5, 1)
        assert ed.query_one("#box-partner-agreement_signed").display
    other = tmp_path / "other"
    other.mkdir()
    # 1.9 asks for no agreement
    async with at_section(other, guide, v2_draft(guide, "1.9"), "partner") as (pilot, ed):
        assert not ed.query_one("#box-partner-agreement_signed").display


# -- 考核指标 --------------------------------------------------------------------------------
async def test_targets_add_duplicate_remove_and_undo(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), "targets") as (pilot, ed):
        await pilot.click("#targets-add")
        await pilot.pause()
        assert len(ed.draft.targets) == 2
        assert ed.focused is not None and ed.focused.id == "f-targets-name"
        await pilot.press(*"专利", "tab", *"发明专利", "tab", *"3项", "tab", *"授权证书")
        await pilot.pause()
        assert ed.draft.targets[1].model_dump() == {
            "name": "专利",
            "kind": "发明专利",
            "value": "3项",
            "method": "授权证书",
            "task": None,
        }
        ed.query_one("#f-targets-task").value = "2"  # type: ignore[attr-defined]
        await pilot.pause()
        assert ed.draft.targets[1].task == 2  # the 课题's number
        await pilot.click("#targets-duplicate")
        await pilot.pause()
        assert [t.name for t in ed.draft.targets] == ["论文", "专利", "专利"]
        await pilot.click("#targets-remove")
        await pilot.pause()
        await pilot.click("#targets-up")
        await pilot.pause()
        assert [t.name for t in ed.draft.targets] == ["专利", "论文"]
        assert any("专利" in n and "Ctrl+Z" in n for n in notification_messages(pilot.app))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [t.name for t in ed.draft.targets] == ["论文", "专利"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [t.name for t in ed.draft.targets] == ["论文", "专利", "专利"]


async def test_a_problem_on_a_target_field_lands_on_it(tmp_path: Path, guide: Guide) -> None:
    draft = v2_draft(guide)
    draft.targets.append(Target(name="标准", value="1项"))
    async with at_section(tmp_path, guide, draft, "project") as (pilot, ed):
        await ed.goto_path("targets[1].method")
        await pilot.pause()
        assert ed.current == "targets"
        assert ed.focused is not None and ed.focused.id == "f-targets-method"
        assert ed.query_one("#f-targets-name", Input).value == "标准"


# -- 进度安排 --------------------------------------------------------------------------------
def plan_titles(ed: EditorScreen) -> list[str]:
    return [str(label.render()) for label in ed.query("PlanRow > .field-label")]


async def test_plan_rows_follow_start_and_period_and_write_stages(
    tmp_path: Path, guide: Guide
) -> None:
    draft = v2_draft(guide)
    draft.plan = [Stage(year=9, content="旧的第9年")]
    async with at_section(tmp_path, guide, draft, "plan") as (pilot, ed):
        titles = plan_titles(ed)
        assert titles[:4] == [
            "第1年 2020-10-01 – 2020-12-31",
            "第2年 2021-01-01 – 2021-12-31",
            "第3年 2022-01-01 – 2022-12-31",
            "第4年 2023-01-01 – 2023-09-30",
        ]
        assert "第9年" in titles[4] and "不在执行期内" in titles[4]  # kept, not dropped
        areas = list(ed.query("PlanRow > TextArea").results(TextArea))
        assert areas[4].text == "旧的第9年"
        areas[1].focus()
        await pilot.pause()
        await pilot.press(*"中期检查")
        await pilot.pause()
        assert [s.model_dump() for s in ed.draft.plan] == [
            {"year": 9, "content": "旧的第9年"},
            {"year": 2, "content": "中期检查"},  # added after what was there
        ]
        # A shorter period: the rows follow; year 2's text stays where it was.
        ed.draft.project.months = 12
        await ed.show_section("project")
        await ed.show_section("plan")
        await settle_until(pilot, lambda: len(plan_titles(ed)) == 3)
        titles = plan_titles(ed)
        assert titles[0] == "第1年 2020-10-01 – 2020-12-31"
        assert titles[1] == "第2年 2021-01-01 – 2021-09-30"
        await ed.goto_path("plan[0].content")
        await pilot.pause()
        assert isinstance(ed.focused, TextArea) and ed.focused.text == "旧的第9年"
        await ed.goto_path("plan.1")
        await pilot.pause()
        assert isinstance(ed.focused, TextArea) and ed.focused.text == ""


async def test_a_stage_without_a_year_keeps_its_row(tmp_path: Path, guide: Guide) -> None:
    draft = v2_draft(guide)
    draft.plan = [Stage(year=3, content="第三年"), Stage(content="没有年度")]
    async with at_section(tmp_path, guide, draft, "plan") as (pilot, ed):
        areas = list(ed.query("PlanRow > TextArea").results(TextArea))
        assert [a.text for a in areas] == ["", "", "第三年", "", "没有年度"]
        areas[0].focus()
        await pilot.pause()
        await pilot.press("x")
        areas[4].focus()
        await pilot.pause()
        await pilot.press("end", "!")
        await pilot.pause()
        assert [(s.year, s.content) for s in ed.draft.plan] == [
            (3, "第三年"),
            (None, "没有年度!"),
            (1, "x"),
        ]


async def test_plan_typing_is_undoable(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), "plan") as (pilot, ed):
        areas = list(ed.query("PlanRow > TextArea").results(TextArea))
        areas[0].focus()
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert [s.model_dump() for s in ed.draft.plan] == [{"year": 1, "content": "a"}]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert ed.draft.plan == []


# -- 申报书正文 ------------------------------------------------------------------------------
async def test_narrative_counts_characters_as_typed(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide), "narrative") as (pilot, ed):
        area = ed.query_one("#f-narrative-status", TextArea)
        count = ed.query_one("#box-narrative-status .char-count", Static)
        assert str(count.render()) == "0 字"
        area.focus()
        await pilot.pause()
        await pilot.press(*"储能材料", "space", "a", "enter", "b")
        await pilot.pause()
        assert ed.draft.narrative["status"] == "储能材料 a\nb"
        assert str(count.render()) == "6 字"  # CJK one each; spaces and breaks not counted
        assert area.cursor_location == (1, 1)  # the cursor stays after what was typed
        # Parts held elsewhere point there; there is no text box for them.
        held = str(ed.query_one("#held-team", Static).render())
        assert held == "研究团队 → 见“研究团队”一节"
        assert not ed.query("#f-narrative-team")
        await ed.goto_path("narrative.organisation")
        await pilot.pause()
        assert ed.focused is not None and ed.focused.id == "f-narrative-organisation"


# -- 附件 ------------------------------------------------------------------------------------
def state_of(ed: EditorScreen, key: str) -> str:
    return str(ed.query_one(f"#att-state-{key}", Static).render())


async def test_attach_a_file_records_size_and_sha256_and_sees_a_change(
    tmp_path: Path, guide: Guide
) -> None:
    scan = tmp_path / "scans" / "协议.pdf"
    scan.parent.mkdir()
    scan.write_bytes(b"%PDF-1.4 agreement")
    async with at_section(tmp_path, guide, v2_draft(guide, "1.2"), "attachments") as (pilot, ed):
        key = "cooperation_agreement"
        await type_into(pilot, ed.query_one(f"#att-path-{key}", Input), "scans/协议.pdf")
        assert "按“附加”" in state_of(ed, key)
        ed.query_one(f"#att-attach-{key}", Button).press()
        await settle_until(pilot, lambda: "✓" in state_of(ed, key))
        entry = ed.draft.attachment(key)
        assert entry is not None
        assert entry.size == len(b"%PDF-1.4 agreement")
        assert entry.sha256 == hashlib.sha256(b"%PDF-1.4 agreement").hexdigest()
        assert entry.path == "scans/协议.pdf" and entry.attached is not None
        assert entry.sha256[:12] in state_of(ed, key)
        scan.write_bytes(b"%PDF-1.4 another agreement")
        await ed.show_section("project")
        await ed.show_section("attachments")  # shown again: the file is read again
        await settle_until(pilot, lambda: "✗" in state_of(ed, key))
        assert "已改动" in state_of(ed, key)
        scan.unlink()
        await ed.show_section("project")
        await ed.show_section("attachments")
        await settle_until(pilot, lambda: "找不到文件" in state_of(ed, key))
        await pilot.press("ctrl+z")  # the attaching is one undo step
        await settle_until(pilot, lambda: not entry_sha(ed, key))


def entry_sha(ed: EditorScreen, key: str) -> str:
    entry = ed.draft.attachment(key)
    return entry.sha256 if entry is not None else ""


async def test_a_path_outside_the_folder_is_refused(tmp_path: Path, guide: Guide) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (tmp_path / "secret.pdf").write_bytes(b"outside")
    async with at_section(drafts, guide, v2_draft(guide, "1.2"), "attachments") as (pilot, ed):
        key = "cooperation_agreement"
        await type_into(pilot, ed.query_one(f"#att-path-{key}", Input), "../secret.pdf")
        assert "草稿文件夹之外" in state_of(ed, key)
        ed.query_one(f"#att-attach-{key}", Button).press()
        await settle_until(
            pilot, lambda: any("未附加" in n for n in notification_messages(pilot.app))
        )
        entry = ed.draft.attachment(key)
        assert entry is not None and entry.sha256 == "" and entry.size is None


async def test_not_applicable_only_where_optional_and_jumps(tmp_path: Path, guide: Guide) -> None:
    async with at_section(tmp_path, guide, v2_draft(guide, "1.2"), "attachments") as (pilot, ed):
        optional = {k.key for k, _ in guide.attachments_for(ed.direction) if k.optional}
        for kind, _ in guide.attachments_for(ed.direction):
            assert bool(ed.query(f"#att-na-{kind.key}")) == (kind.key in optional)
        await ed.goto_path("attachments.cooperation_agreement")
        await pilot.pause()
        assert ed.focused is not None and ed.focused.id == "att-path-cooperation_agreement"


async def test_file_picker_chooses_a_relative_path(tmp_path: Path, guide: Guide) -> None:
    (tmp_path / "ip.pdf").write_bytes(b"ip")
    async with at_section(tmp_path, guide, v2_draft(guide, "1.2"), "attachments") as (pilot, ed):
        key = "cooperation_agreement"
        ed.query_one(f"#att-browse-{key}", Button).press()
        from screens.forms.attachments import FilePicker

        await settle_until(pilot, lambda: isinstance(pilot.app.screen, FilePicker))
        picker = pilot.app.screen
        assert isinstance(picker, FilePicker)
        picker.dismiss("ip.pdf")  # what choosing ip.pdf in the tree returns
        await settle_until(pilot, lambda: "✓" in state_of(ed, key))
        assert ed.draft.attachment(key) is not None
        assert ed.draft.attachment(key).path == "ip.pdf"  # type: ignore[union-attr]


# -- the problems panel ----------------------------------------------------------------------
def fake_problems(paths: list[str]) -> Any:
    from wizard.rules.model import Clause, Violation

    clause = Clause("general", "测试", "测试条款")

    def evaluate(draft: Draft, guide: Guide, files: Any = None) -> list[Violation]:
        return [Violation("test", "error", p, f"问题 {p}", f"problem {p}", clause) for p in paths]

    return evaluate


@pytest.mark.parametrize(
    ("path", "section", "focused_id"),
    [
        ("targets[0].value", "targets", "f-targets-value"),
        ("plan.2", "plan", None),
        ("narrative.goals", "narrative", "f-narrative-goals"),
        ("attachments.cooperation_agreement", "attachments", "att-path-cooperation_agreement"),
    ],
)
async def test_a_problem_marks_its_field_and_enter_jumps_there(
    tmp_path: Path,
    guide: Guide,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    section: str,
    focused_id: str | None,
) -> None:
    monkeypatch.setattr("wizard.rules.evaluate", fake_problems([path]))
    async with at_section(tmp_path, guide, v2_draft(guide, "1.2"), "project") as (pilot, ed):
        await settle_until(pilot, lambda: ed.checked)
        await pilot.press("f4", "f9")  # every section's problems, then the panel
        await pilot.pause()
        await pilot.press("enter")
        await settle_until(pilot, lambda: ed.current == section)
        await pilot.pause()
        focused = ed.focused
        assert focused is not None
        if focused_id is None:  # the row of project year 2
            assert focused.plan_row.year == 2  # type: ignore[attr-defined]
        else:
            assert focused.id == focused_id
        await settle_until(pilot, lambda: bool(ed.current_form.query(".-invalid")))
