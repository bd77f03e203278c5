"""A new 1.4 (China–EU, Horizon 2020) application from an empty drafts folder to "ready",
in the wizard alone (issue 15): home → new → the direction picker, then every part of the
申报书 filled through its form, in the stepper's order, until the problems panel shows no
error and the review's "mark ready" is taken; the file on disk is then what `wizard check`
passes.

The values are those of docs/example-draft-1.4.toml (a 1.4 draft that checks clean). Fields
are set by their ids as a user's edit would set them (`Input.value`, `TextArea` text,
`Select.value`, `Checkbox.value`, `Button.press()`); sections are chosen on the stepper and
attachments picked in the file picker's tree. Only the keys of the picker are pressed.
"""

from __future__ import annotations

import hashlib
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Checkbox, DirectoryTree, Input, OptionList, Select, TextArea

from screens.app import WizardApp
from screens.editor import EditorScreen
from tests.helpers import ROOT, make_app, settle_until, wait_check
from wizard.catalogue import t
from wizard.check import check_paths
from wizard.guide import Guide
from wizard.store import load_draft

pytestmark = pytest.mark.slow

Pilot = Any  # textual.pilot.Pilot[None]

# -- the values (docs/example-draft-1.4.toml) ----------------------------------------------

PROJECT = {
    "title": "面向健康土壤的中欧农业生物技术联合研究",
    "title_en": "China–EU joint research on agricultural biotechnology for healthy soils",
    "field": "食品、农业和生物技术",
}
PERIOD = {
    "topic": "SFS-40-2020",
    "start": "2021-01-01",
    "months": "36",
    "summary": "研究土壤健康评价方法与生物修复技术，建立决策平台并示范应用。",
    "keywords": "土壤健康, 生物修复, 农业生物技术, 中欧合作",
}
RECOMMENDER = {"name": "教育部", "kind": "ministry"}
CONTACT = {"name": "李娜", "phone": "010-62730001", "email": "lina@cau.edu.cn"}

UNITS = [
    {
        "name": "中国农业大学",
        "kind": "university",
        "credit_code": "12100000400001234Y",
        "parent": "教育部",
        "registered": "1995-09-01",
        "region": "北京市",
        "address": "北京市海淀区圆明园西路2号",
        "postcode": "100193",
        "funding": "570",
    },
    {
        "name": "中国科学院南京土壤研究所",
        "kind": "institute",
        "credit_code": "121000004250012342",
        "parent": "中国科学院",
        "registered": "1953-01-01",
        "region": "江苏省南京市",
        "address": "南京市玄武区北京东路71号",
        "postcode": "210008",
        "funding": "400",
    },
    {
        "name": "北京绿土科技有限公司",
        "kind": "enterprise",
        "credit_code": "91110108MA01ABCD1E",
        "parent": "",
        "registered": "2016-03-18",
        "region": "北京市",
        "address": "北京市海淀区上地信息路 10 号",
        "postcode": "100085",
        "funding": "200",  # its matching is typed in the enterprises section
    },
]

# name, gender, birth, 18-digit ID (check digit right), title, degree, unit, role, 课题,
# months a year, other national projects, e-mail, phone
TEAM = [
    ("王芳", "female", "1969-08-22", "110108196908220425", "正高级", "博士", 0, "leader",
     1, "8", "1", "wangfang@cau.edu.cn", "010-62730000"),
    ("周涛", "male", "1976-06-21", "110102197606210615", "正高级", "博士", 1, "task_leader",
     2, "8", "1", "zhoutao@issas.ac.cn", "025-86880000"),
    ("孙伟", "male", "1983-07-05", "320102198307050811", "副高级", "硕士", 2, "task_leader",
     3, "10", "0", "sunwei@lvtu.example.cn", "010-82800000"),
    ("吴敏", "female", "1992-11-11", "110101199211110225", "中级", "博士", 0, "core",
     1, "10", "0", "wumin@cau.edu.cn", ""),
]  # fmt: skip

TASKS = [  # name, 承担单位 (a unit's index), 课题负责人, content
    ("土壤健康评价指标体系与监测技术", 0, "王芳",
     "建立适用于中欧典型农田的土壤健康评价指标体系，研发多参数快速监测技术。"),
    ("退化土壤生物修复技术", 1, "周涛",
     "筛选土壤修复功能微生物，研发生物修复技术并在长期定位试验站验证。"),
    ("土壤健康管理决策平台与示范", 2, "孙伟",
     "开发面向农户与管理部门的土壤健康管理决策平台，在 3 个示范区应用。"),
]  # fmt: skip

# Per 课题, per category: the amounts by source and the 测算依据, as the example holds them
# (3 课题 × 11 categories: a table read, not retyped here).
EXAMPLE = ROOT / "docs" / "example-draft-1.4.toml"
BUDGET: list[dict[str, dict[str, Any]]] = [
    task["budget"]
    for task in tomllib.loads(EXAMPLE.read_text("utf-8"), parse_float=Decimal)["tasks"]
]

PARTNER = {
    "country": "欧盟",
    "agency": "欧盟委员会研究与创新总司",
    "submitted": True,
    "reference": "SEP-210600000",
    "contribution": "欧方联合体（5 国 8 家单位）承担长期定位试验与欧洲数据，"
    "地平线 2020 资助约 500 万欧元。",
}
PARTNER_LEAD = {
    "name": "Dr. Jan de Vries",
    "title": "Associate Professor",
    "institution": "Wageningen University",
    "email": "jan.devries@wur.nl",
}

TARGETS = [  # name, type, value, how it is checked, 课题
    ("土壤健康评价指标体系", "标准", "1 套（团体标准草案）", "专家评审意见", 1),
    ("生物修复技术", "技术", "2 项，修复后有机质提升 ≥ 10%", "第三方检测报告", 2),
    ("决策平台", "软件", "1 个，示范区 3 个", "软件著作权与应用证明", 3),
    ("论文", "论文", "≥ 12 篇（其中中欧合著 ≥ 6 篇）", "检索证明", 1),
]

PLAN = [
    "确定指标体系，布设中欧对比试验点；筛选功能微生物。",
    "完成监测技术与修复技术研发，决策平台原型。",
    "示范应用与效果评估，完成标准草案与项目总结。",
]

NARRATIVE = {
    "status": "土壤健康是粮食安全与可持续农业的基础。欧盟“土壤健康与食品”使命与我国耕地"
    "保护战略目标一致，双方在监测与修复技术上互补。",
    "goals": "目标：建立中欧共同认可的土壤健康评价与修复技术体系。\n"
    "内容：三个课题分别研究评价与监测、生物修复、决策平台与示范。",
    "foundation": "三家单位分别在土壤学、微生物修复和农业信息化方面有长期积累，已参与地平线"
    " 2020 项目申请 101000224。",
    "organisation": "中欧联合指导委员会每半年会商；风险为田间试验受气候影响，预案为多点布设与"
    "延长观测。",
}

ATTACHMENTS = {  # key → the scan the applicant put in the drafts folder
    "h2020_proposal": ("h2020-proposal.pdf", b"%PDF-1.4 Horizon 2020 proposal 101000224"),
    "h2020_translation": ("h2020-translation.pdf", b"%PDF-1.4 budget and tasks, Chinese"),
    "partner_filing": ("partner-filing.pdf", b"%PDF-1.4 SEP-210600000 submitted"),
}


# -- driving the screens -----------------------------------------------------------------


def ed_of(app: WizardApp) -> EditorScreen:
    editors = [s for s in app.screen_stack if isinstance(s, EditorScreen)]
    assert editors, app.screen_stack
    return editors[-1]


async def put(pilot: Pilot, ed: EditorScreen, widget_id: str, value: Any) -> None:
    """Set the field `#widget_id` of the section shown as the user's edit would.

    A text field writes the draft as its text changes (FieldInput, FieldArea); a choice or
    a checkbox reports by a message, handled in order at the next pause (`put_all`'s, or
    the caller's where a choice offers the next field's options)."""
    widget = ed.current_form.query_one(f"#{widget_id}")
    assert widget.display and not widget.disabled, widget_id
    if isinstance(widget, TextArea):
        widget.load_text(value)
    elif isinstance(widget, Input | Select | Checkbox):
        widget.value = value
    else:  # pragma: no cover - a field of another kind
        raise AssertionError(f"{widget_id}: {type(widget).__name__}")


async def put_all(pilot: Pilot, ed: EditorScreen, prefix: str, values: dict[str, Any]) -> None:
    for name, value in values.items():
        await put(pilot, ed, f"{prefix}{name}", value)
    await pilot.pause()


async def press(pilot: Pilot, ed: EditorScreen, button_id: str) -> None:
    button = ed.current_form.query_one(f"#{button_id}", Button)
    assert button.display and not button.disabled, button_id
    button.press()
    await pilot.pause()


async def section(pilot: Pilot, ed: EditorScreen, name: str) -> None:
    """Choose a section on the stepper (the list on the left)."""
    stepper = ed.query_one("#stepper", OptionList)
    index = next(
        i for i in range(stepper.option_count) if stepper.get_option_at_index(i).id == name
    )
    stepper.focus()
    stepper.highlighted = index
    stepper.action_select()
    await settle_until(pilot, lambda: ed.current == name and ed.current_form.display)


async def pick_item(pilot: Pilot, ed: EditorScreen, list_id: str, index: int) -> None:
    """Highlight entry `index` of a section's list (its detail form shows that entry)."""
    ed.current_form.query_one(f"#{list_id}", OptionList).highlighted = index
    await pilot.pause()


async def entry(pilot: Pilot, ed: EditorScreen, name: str, index: int) -> None:
    """Show entry `index` of the list `name` (units, team, tasks): the one a new draft
    starts with, or a new one ("添加")."""
    if index < len(getattr(ed.draft, name)):
        await pick_item(pilot, ed, f"list-{name}", index)
    else:
        await press(pilot, ed, f"{name}-add")


# -- the sections, in the stepper's order --------------------------------------------------


async def new_draft_for_1_4(pilot: Pilot, app: WizardApp) -> EditorScreen:
    await pilot.press("n")  # the home's "new"
    await settle_until(pilot, lambda: type(app.screen).__name__ == "PickerScreen")
    app.screen.query_one("#picker-filter", Input).value = "1.4"
    await settle_until(pilot, lambda: [d.code for d in app.screen.shown] == ["1.4"])  # type: ignore[attr-defined]
    await pilot.press("enter")
    await settle_until(pilot, lambda: isinstance(app.screen, EditorScreen))
    ed = ed_of(app)
    await wait_check(pilot)
    assert ed.draft.direction == "1.4" and ed.current == "project"
    return ed


async def fill_project(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "project")
    await put_all(pilot, ed, "f-project-", PROJECT)
    await put_all(pilot, ed, "f-project-", PERIOD)  # the topic is offered once the field is
    await put_all(pilot, ed, "f-recommender-", RECOMMENDER)
    await put_all(pilot, ed, "f-contact-", CONTACT)
    assert ed.draft.project.end is not None and ed.draft.project.end.isoformat() == "2023-12-31"


async def fill_units(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "units")
    for i, unit in enumerate(UNITS):
        await entry(pilot, ed, "units", i)  # a new draft has its lead unit's row
        await put_all(pilot, ed, "f-units-", unit)
    assert [u.role for u in ed.draft.units] == ["lead", "participant", "participant"]


async def fill_team(pilot: Pilot, ed: EditorScreen, with_tasks: bool) -> None:
    """The team; their 课题 once the 课题 exist (the team comes before them in the stepper,
    and a member's 课题 is chosen from the project's 课题: a second visit)."""
    await section(pilot, ed, "team")
    for i, person in enumerate(TEAM):
        name, gender, birth, id_no, title, degree, unit, role, task, months, other, mail, tel = (
            person
        )
        if with_tasks:
            await pick_item(pilot, ed, "list-team", i)
            await put(pilot, ed, "f-team-task", str(task))
            await pilot.pause()
            continue
        await entry(pilot, ed, "team", i)  # a new draft has its leader's row
        await put_all(
            pilot,
            ed,
            "f-team-",
            {
                "name": name,
                "gender": gender,
                "birth_date": birth,
                "id_type": "resident_id",
                "id_number": id_no,
                "title": title,
                "degree": degree,
                "unit": UNITS[unit]["name"],
                "role": role,
                "months_per_year": months,
                "other_projects": other,
                "email": mail,
                "phone": tel,
            },
        )
        id_box = ed.current_form.query_one("#box-team-id_number")
        assert not id_box.has_class("-has-error"), name  # the check digit is right
    if with_tasks:
        assert [p.task for p in ed.draft.team] == [p[8] for p in TEAM]
    else:
        assert ed.draft.leader is not None and ed.draft.leader.name == "王芳"


async def fill_tasks(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "tasks")
    for i, (name, unit, leader, content) in enumerate(TASKS):
        await entry(pilot, ed, "tasks", i)  # a new draft has 课题 1
        await put(pilot, ed, "f-tasks-name", name)
        await put(pilot, ed, "f-tasks-unit", UNITS[unit]["name"])
        await pilot.pause()  # the leader's choices follow the unit
        await put(pilot, ed, "f-tasks-leader", leader)  # the unit's own members come first
        await put(pilot, ed, "f-tasks-content", content)
        await pilot.pause()
    assert [(task.unit, task.leader) for task in ed.draft.tasks] == [
        (UNITS[u]["name"], leader) for _, u, leader, _ in TASKS
    ]


async def fill_partner(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "partner")
    await put_all(pilot, ed, "f-partner-", PARTNER)
    await put_all(pilot, ed, "f-partner-lead-", PARTNER_LEAD)
    # 1.4 asks for no signed agreement: its date is not asked for.
    assert not ed.current_form.query_one("#box-partner-agreement_signed").display
    for name, kind, contact, email in (
        ("Wageningen University", "university", "Dr. Jan de Vries", "jan.devries@wur.nl"),
        ("INRAE", "institute", "Dr. Marie Laurent", "marie.laurent@inrae.fr"),
    ):
        await press(pilot, ed, "partner-institutions-add")
        fields = {"name": name, "kind": kind, "contact": contact, "email": email}
        await put_all(pilot, ed, "f-partner-institutions-", fields)
    assert len(ed.draft.partner.institutions) == 2


async def fill_h2020(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "h2020")
    assert ed.draft.h2020.topic == "SFS-40-2020"  # followed the project's topic
    await put_all(
        pilot, ed, "f-h2020-", {"proposal": "101000224", "call_year": "2020", "cn_budget": "1600"}
    )
    await press(pilot, ed, "fill-participants")  # the Chinese units, from the units section
    assert ed.draft.h2020.participants == [u["name"] for u in UNITS]


async def fill_enterprises(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "enterprises")
    await pick_item(pilot, ed, "list-units", 0)  # the one enterprise
    await put(pilot, ed, "f-units-matching", "200")
    assert ed.draft.units[2].matching == 200


async def fill_targets(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "targets")
    for name, kind, value, method, task in TARGETS:
        await press(pilot, ed, "targets-add")
        await put_all(
            pilot,
            ed,
            "f-targets-",
            {"name": name, "kind": kind, "value": value, "method": method, "task": str(task)},
        )
    assert [target.task for target in ed.draft.targets] == [row[4] for row in TARGETS]


async def fill_plan(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "plan")
    areas = list(ed.current_form.query("PlanRow > TextArea").results(TextArea))
    assert len(areas) == len(PLAN)  # one row per project year, from start and period
    for area, text in zip(areas, PLAN, strict=True):
        area.load_text(text)
    await pilot.pause()
    assert [(s.year, s.content) for s in ed.draft.plan] == list(enumerate(PLAN, start=1))


async def fill_narrative(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "narrative")
    for key, text in NARRATIVE.items():
        await put(pilot, ed, f"f-narrative-{key}", text)
    await pilot.pause()
    # 四 进度安排, 六 研究团队, 七 经费预算 and 八 附件 are their sections' tables: no text box.
    held = {w.id for w in ed.current_form.query(".held")}
    assert held == {"held-schedule", "held-team", "held-budget", "held-attachments"}


async def fill_budget(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "budget")
    for i, lines in enumerate(BUDGET):
        await put(pilot, ed, "budget-task", str(i + 1))
        await pilot.pause()  # the matrix shows that 课题's budget
        for category, line in lines.items():
            for source, value in line.items():  # central, local, own, other, basis
                await put(pilot, ed, f"f-tasks-budget-{category}-{source}", str(value))
        await pilot.pause()
    central = [sum(task.amount(c, "central") for c in task.budget) for task in ed.draft.tasks]
    assert central == [570, 400, 200]  # each unit's 中央财政 is its 课题's


async def pick_in_tree(pilot: Pilot, app: WizardApp, name: str) -> None:
    """In the open file picker, move to the file `name` of the folder and choose it."""
    await settle_until(pilot, lambda: type(app.screen).__name__ == "FilePicker")
    tree = app.screen.query_one(DirectoryTree)

    def node() -> Any:
        return next((n for n in tree.root.children if n.data and n.data.path.name == name), None)

    await settle_until(pilot, lambda: node() is not None)  # the folder is read in a thread
    tree.move_cursor(node())
    await pilot.pause()
    await pilot.press("enter")
    await settle_until(pilot, lambda: isinstance(app.screen, EditorScreen))


async def fill_attachments(pilot: Pilot, app: WizardApp, ed: EditorScreen) -> None:
    """Each scan is put in the drafts folder, then picked in the file picker's tree."""
    folder = Path(ed.path).parent
    for name, data in ATTACHMENTS.values():
        (folder / name).write_bytes(data)
    await section(pilot, ed, "attachments")
    for key, (name, data) in ATTACHMENTS.items():
        await press(pilot, ed, f"att-browse-{key}")
        await pick_in_tree(pilot, app, name)
        state = ed.query_one(f"#att-state-{key}")
        await settle_until(pilot, lambda s=state: "✓" in str(s.render()))  # read and hashed
        entry = ed.draft.attachment(key)
        assert entry is not None and entry.path == name
        assert entry.sha256 == hashlib.sha256(data).hexdigest() and entry.size == len(data)


async def fill_attest(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "attest")
    boxes = list(ed.current_form.query(Checkbox).results(Checkbox))
    assert len(boxes) == 8
    for box in boxes:
        box.value = True
    await pilot.pause()
    assert all(ed.draft.attest.values()) and len(ed.draft.attest) == 8


async def mark_ready(pilot: Pilot, ed: EditorScreen) -> None:
    await section(pilot, ed, "review")
    await wait_check(pilot)
    errors = [f"{v.path}: {v.message('zh')}" for v in ed.violations if v.severity == "error"]
    assert errors == []
    panel = ed.query_one("#violations", OptionList)
    shown = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
    assert not any(line.startswith(t("severity.error", "zh")) for line in shown), shown
    await press(pilot, ed, "mark-ready")
    await settle_until(pilot, lambda: ed.draft.meta.status == "ready" and not ed.dirty)


# -- the test ------------------------------------------------------------------------------


async def test_a_new_1_4_application_from_empty_to_ready(tmp_path: Path, guide: Guide) -> None:
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = await new_draft_for_1_4(pilot, app)
        await fill_project(pilot, ed)
        await fill_units(pilot, ed)
        await fill_team(pilot, ed, with_tasks=False)
        await fill_tasks(pilot, ed)
        await fill_team(pilot, ed, with_tasks=True)
        await fill_partner(pilot, ed)
        await fill_h2020(pilot, ed)
        await fill_enterprises(pilot, ed)
        await fill_targets(pilot, ed)
        await fill_plan(pilot, ed)
        await fill_narrative(pilot, ed)
        await fill_budget(pilot, ed)
        await fill_attachments(pilot, app, ed)
        await fill_attest(pilot, ed)
        await mark_ready(pilot, ed)
        path = Path(ed.path)
    draft = load_draft(path, guide)
    assert draft.meta.status == "ready"
    [report] = check_paths([path], guide)  # `wizard check` on the file
    assert [
        f"{v.path}: {v.message('zh')}" for v in report.violations if v.severity == "error"
    ] == []
