"""The rules at the right level (issue 14, draft format v2): each one broken, and passed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import (
    attachment_states,
    clean_draft,
    edit,
    person,
    resident_id,
    value_at,
)
from wizard.draft import Attachment, BudgetLine, Draft, Stage, Target, Task, Unit
from wizard.guide import Guide
from wizard.rules import Violation, evaluate
from wizard.rules.model import AttachmentState


def check(guide: Guide, draft: Draft, rule: str, **kw: object) -> list[Violation]:
    """The violations of requirements whose rule function is `rule` (or attestations)."""
    out = []
    for v in evaluate(draft, guide, **kw):  # type: ignore[arg-type]
        req = guide.requirement(v.rule)
        if req is not None and req.rule == rule:
            out.append(v)
    return out


def central(draft: Draft, guide: Guide, i: int, key: str) -> Decimal:
    return draft.tasks[i].amount(key, "central")


# --- the indirect cap per 课题 -----------------------------------------------------------------


def test_indirect_cap_is_per_task_on_direct_less_purchase(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    form = guide.form
    [ind] = form.indirect_keys
    [purchase] = form.purchase_keys
    task = draft.tasks[1]
    # Base = central direct − purchase; 20 % of it is the cap (below 500 万元).
    base = sum(task.amount(k, "central") for k in form.direct_keys) - task.amount(
        purchase, "central"
    )
    cap = (base * Decimal("0.20")).quantize(Decimal("0.01"))
    task.budget[ind].central = cap
    assert check(guide, draft, "indirect_cap") == []
    task.budget[ind].central = cap + Decimal("0.01")
    [v] = check(guide, draft, "indirect_cap")
    assert v.severity == "error"
    assert v.path == f"tasks[1].budget.{ind}.central"
    assert "课题2" in v.message_zh and "task 2" in v.message_en
    assert f"{cap:,.2f}" in v.message_en and "0.01" in v.message_en


def test_indirect_cap_leaves_out_only_the_purchase(guide: Guide) -> None:
    """设备购置费 is out of the base; 设备试制/改造/租赁 (same group 设备费) is in."""
    form = guide.form
    [purchase] = form.purchase_keys
    grouped = [c.key for c in form.categories if c.group and not c.purchase]
    assert grouped, "the 2020 form groups the equipment categories"
    draft = clean_draft(guide, "1.6")
    [ind] = form.indirect_keys
    task = draft.tasks[0]
    task.budget = {
        purchase: BudgetLine(central=Decimal("100")),
        grouped[0]: BudgetLine(central=Decimal("100")),
        ind: BudgetLine(central=Decimal("20")),
    }
    draft.units[0].funding = Decimal("220")
    # base = 100 (the other equipment), cap 20: at the cap.
    assert check(guide, draft, "indirect_cap") == []
    task.budget[ind].central = Decimal("20.01")
    draft.units[0].funding = Decimal("220.01")
    assert len(check(guide, draft, "indirect_cap")) == 1


def test_indirect_cap_other_sources_do_not_count(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    [ind] = guide.form.indirect_keys
    draft.tasks[0].budget[ind].own = Decimal("1000")
    assert check(guide, draft, "indirect_cap") == []


def test_indirect_cap_tiers_apply_per_task_not_to_the_project(guide: Guide) -> None:
    """Two 课题 of 600 each: per 课题 the cap is 100 + 15 = 115; on the project's 1200 it
    would be 100 + 75 + 26 = 201, less than 2 × 115: the per-课题 reading allows 230."""
    form = guide.form
    [ind] = form.indirect_keys
    direct = next(k for k in form.direct_keys if k not in form.purchase_keys)
    draft = clean_draft(guide, "1.6")
    for task in draft.tasks[:2]:
        task.budget = {
            direct: BudgetLine(central=Decimal("600")),
            ind: BudgetLine(central=Decimal("115")),
        }
    assert check(guide, draft, "indirect_cap") == []
    draft.tasks[0].budget[ind].central = Decimal("116")
    [v] = check(guide, draft, "indirect_cap")
    assert v.path.startswith("tasks[0].")


# --- units' central funding --------------------------------------------------------------------


def test_unit_funding_equals_its_tasks_central_total(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "budget_units_sum") == []
    draft.units[1].funding = (draft.units[1].funding or Decimal(0)) + 1
    [v] = check(guide, draft, "budget_units_sum")
    assert v.path == "units[1].funding" and v.severity == "error"
    assert "中国科学院物理研究所" in v.message_zh and "课题2" in v.message_zh
    assert "task 2" in v.message_en


def test_unit_names_are_compared_as_a_reviewer_reads_them(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.tasks[1].unit = "中国科学院物理研究所 "  # spacing and width do not matter
    draft.tasks[0].unit = "清华大学（Tsinghua University）"
    assert check(guide, draft, "budget_units_sum") == []
    assert check(guide, draft, "task_units") == []


def test_unit_carrying_no_task_must_have_no_central_funding(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.units.append(Unit(name="北京大学", kind="university", funding=Decimal("5")))
    [v] = check(guide, draft, "budget_units_sum")
    assert v.path == "units[3].funding" and "无课题" in v.message_zh


def test_two_tasks_of_one_unit_add_up(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    extra = Task(name="课题4", unit="清华大学", leader="张三", content="x", budget={
        guide.form.direct_keys[1]: BudgetLine(central=Decimal("3"))
    })  # fmt: skip
    draft.tasks.append(extra)
    assert len(check(guide, draft, "budget_units_sum")) == 1
    draft.units[0].funding = (draft.units[0].funding or Decimal(0)) + 3
    assert check(guide, draft, "budget_units_sum") == []


def test_project_central_total_against_direction_funding(guide: Guide) -> None:
    draft = clean_draft(guide, "1.3")  # 600 万元, exact
    key = guide.form.direct_keys[1]
    draft.tasks[0].budget[key].own = Decimal("5000")  # other sources are not judged here
    assert check(guide, draft, "funding_total") == []
    draft.tasks[0].budget[key].central = Decimal("600")
    draft.units[0].funding = draft.tasks[0].amount(key, "central") + sum(
        (draft.tasks[0].amount(k, "central") for k in draft.tasks[0].budget if k != key),
        Decimal(0),
    )
    [v] = check(guide, draft, "funding_total")
    assert v.severity == "error" and "central" in v.message_en


# --- other sources include the matching --------------------------------------------------------


def test_other_sources_must_cover_the_matching(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "other_sources_matching") == []
    for task in draft.tasks:
        for line in task.budget.values():
            line.own = line.local = line.other = None
    [v] = check(guide, draft, "other_sources_matching")
    assert v.severity == "error" and v.path == "tasks"
    enterprise = next(u for u in draft.units if u.kind == "enterprise")
    assert f"{enterprise.matching:,.2f}" in v.message_en


def test_other_sources_from_any_source_and_task_count(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    enterprise = next(u for u in draft.units if u.kind == "enterprise")
    for task in draft.tasks:
        for line in task.budget.values():
            line.own = None
    need = enterprise.matching or Decimal(0)
    key = guide.form.direct_keys[1]
    draft.tasks[0].budget[key].local = need / 2
    draft.tasks[1].budget[key].other = need / 2
    assert check(guide, draft, "other_sources_matching") == []


# --- 课题 and 课题负责人 -------------------------------------------------------------------------


def test_at_least_one_task_each_named_with_unit_and_leader(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.tasks[0].name = ""
    draft.tasks[1].leader = ""
    paths = {v.path for v in check(guide, draft, "required_fields")}
    assert {"tasks[0].name", "tasks[1].leader"} <= paths
    draft.tasks = []
    assert "tasks" in {v.path for v in check(guide, draft, "required_fields")}


def test_task_unit_must_be_listed(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.tasks[2].unit = "不存在的公司"
    [v] = check(guide, draft, "task_units")
    assert v.path == "tasks[2].unit" and "不存在的公司" in v.message_zh


def test_task_leader_must_be_on_the_team(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "task_leader_member") == []
    draft.tasks[1].leader = "赵某"
    [v] = check(guide, draft, "task_leader_member")
    assert v.path == "tasks[1].leader" and "赵某" in v.message_zh


def test_task_leader_must_be_of_the_task_unit(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.tasks[1].leader = "王五"  # 华为's task leader on the institute's 课题
    [v] = check(guide, draft, "task_leader_member")
    assert "华为技术有限公司" in v.message_zh and "中国科学院物理研究所" in v.message_zh


# --- team -------------------------------------------------------------------------------------


def test_exactly_one_leader(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "one_leader") == []
    draft.team[1].role = "leader"
    [v] = check(guide, draft, "one_leader")
    assert v.path == "team[1].role"
    for p in draft.team:
        p.role = "core"
    [v] = check(guide, draft, "one_leader")
    assert v.path == "team"


def test_no_leader_skips_the_leader_rules(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.team[0].role = "core"
    draft.team[0].birth_date = date(1950, 1, 1)
    draft.team[0].id_number = resident_id(date(1950, 1, 1), 1)
    for rule in ("leader_birth", "leader_months", "leader_title_or_doctorate", "leader_in_units"):
        assert check(guide, draft, rule) == []
    assert {v.path for v in check(guide, draft, "one_leader")} == {"team"}


def test_id_number_check_digit(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "team_id_number") == []
    good = draft.team[1].id_number
    bad_digit = "0" if good[-1] != "0" else "1"
    draft.team[1].id_number = good[:-1] + bad_digit
    [v] = check(guide, draft, "team_id_number")
    assert v.path == "team[1].id_number" and "校验位" in v.message_zh
    draft.team[1].id_number = good[:10]
    [v] = check(guide, draft, "team_id_number")
    assert "10" in v.message_zh


# A clean 1.6 draft with a few fields changed: what the rule finds, as (path, severity), and
# what each of its messages says.
@pytest.mark.parametrize(
    ("changes", "rule", "expected", "says"),
    [
        ({"team[1].role": "core"}, "task_leader_member", [("team[1].role", "error")], ""),
        ({"team[1].role": "task_leader", "tasks[1].leader": "李四"}, "task_leader_member", [], ""),
        ({"team[1].birth_date": date(1980, 2, 3)}, "team_id_number",
         [("team[1].birth_date", "error")], "1980-02-02"),
        ({"team[1].id_type": "passport", "team[1].id_number": "E12345678"}, "team_id_number",
         [], ""),
        ({"team[3].unit": "别的大学"}, "team_units", [("team[3].unit", "error")], ""),
        ({"team[3].unit": "清华大学"}, "team_units", [], ""),
        ({"team[3].task": 9}, "team_task", [("team[3].task", "error")], "9"),
    ],
    ids=[
        "a-task-leader-must-have-that-role", "a-task-leader-or-leader-passes",
        "birth-date-must-agree-with-the-id-number", "passport-numbers-are-text",
        "a-member-unit-must-be-listed", "a-listed-unit-passes", "a-member-task-must-exist",
    ],
)  # fmt: skip
def test_one_change(
    guide: Guide, changes: dict[str, object], rule: str, expected: list[tuple[str, str]], says: str
) -> None:
    found = check(guide, edit(clean_draft(guide, "1.6"), changes), rule)
    assert [(v.path, v.severity) for v in found] == expected
    assert all(says in v.message_zh for v in found)


@pytest.mark.parametrize("role", ["leader", "task_leader", "core"])
def test_project_limit_for_leader_task_leaders_and_core(guide: Guide, role: str) -> None:
    draft = clean_draft(guide, "1.6")
    i = {"leader": 0, "task_leader": 1, "core": 3}[role]
    assert draft.team[i].role == role
    draft.team[i].other_projects = 1
    assert check(guide, draft, "project_limit") == []
    draft.team[i].other_projects = 2
    [v] = check(guide, draft, "project_limit")
    assert v.path == f"team[{i}].other_projects" and v.severity == "error"
    assert "3" in v.message_zh and v.clause.source and "概括" in v.clause.source


def test_project_limit_does_not_count_general_members(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.team.append(person("孙八", "清华大学", "general", 1, n=8))
    draft.team[-1].other_projects = 5
    assert check(guide, draft, "project_limit") == []


def test_leader_applies_for_one_project_only_is_attested(guide: Guide) -> None:
    req = guide.requirement("gen-leader-one-project")
    assert req is not None and req.kind == "attestation" and req.severity == "error"
    assert req.source and "概括" in req.source
    draft = clean_draft(guide, "1.6")
    draft.attest.pop("gen-leader-one-project")
    assert "gen-leader-one-project" in {v.rule for v in evaluate(draft, guide)}


@pytest.mark.parametrize(
    ("attr", "value", "rule"),
    [
        ("title", "中级", "leader_title_or_doctorate"),
        ("months_per_year", 5, "leader_months"),
        ("birth_date", date(1959, 12, 31), "leader_birth"),
    ],
)
def test_leader_eligibility_is_an_error_citing_the_notice_as_summarised(
    guide: Guide, attr: str, value: object, rule: str
) -> None:
    draft = clean_draft(guide, "1.6")
    if attr == "title":
        draft.team[0].degree = "硕士"
    if attr == "birth_date":
        draft.team[0].id_type = "passport"
    setattr(draft.team[0], attr, value)
    [v] = check(guide, draft, rule)
    assert v.severity == "error" and v.path == f"team[0].{attr}"
    assert v.clause.source and "107号" in v.clause.source and "非原文" in v.clause.source


def test_leader_path_follows_the_team(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.team.insert(0, draft.team.pop(3))  # the leader is now team[1]
    draft.team[1].months_per_year = 2
    [v] = check(guide, draft, "leader_months")
    assert v.path == "team[1].months_per_year"


# --- plan, narrative, targets ------------------------------------------------------------------


def test_plan_one_entry_per_project_year(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert draft.project.years == 2
    assert check(guide, draft, "plan_years") == []
    draft.plan.pop()
    [v] = check(guide, draft, "plan_years")
    assert v.path == "plan" and "第 2 年" in v.message_zh
    draft.plan += [Stage(year=2, content="a"), Stage(year=2, content="b"), Stage(year=3)]
    paths = [v.path for v in check(guide, draft, "plan_years")]
    assert paths == ["plan[2].year", "plan[3].year"]


def test_plan_years_follow_the_period(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.start = date(2021, 7, 1)  # 24 months from July touch three years
    assert draft.project.years == 3
    [v] = check(guide, draft, "plan_years")
    assert "第 3 年" in v.message_zh


def test_narrative_parts_without_structured_data_need_text(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "narrative_filled") == []
    free = [p for p in guide.form.parts if not p.holds]
    held = [p for p in guide.form.parts if p.holds]
    draft.narrative[free[0].key] = "  "
    for p in held:
        draft.narrative.pop(p.key, None)
    [v] = check(guide, draft, "narrative_filled")
    assert v.path == f"narrative.{free[0].key}" and free[0].zh in v.message_zh
    draft.narrative[free[0].key] = "无"  # the template writes unused items "无"
    assert check(guide, draft, "narrative_filled") == []


def test_narrative_has_no_length_limit(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    for key in draft.narrative:
        draft.narrative[key] = "长" * 200_000
    assert check(guide, draft, "narrative_filled") == []


def test_targets_at_least_one_complete(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert check(guide, draft, "targets_complete") == []
    draft.targets.append(Target(name="专利", task=7))
    paths = {v.path for v in check(guide, draft, "targets_complete")}
    assert paths == {"targets[1].value", "targets[1].method", "targets[1].task"}
    draft.targets = []
    [v] = check(guide, draft, "targets_complete")
    assert v.path == "targets"


# --- attachments -------------------------------------------------------------------------------


def _keys(guide: Guide, code: str) -> list[str]:
    direction = guide.direction(code)
    assert direction is not None
    return [k.key for k, _ in guide.attachments_for(direction)]


def test_required_attachments_are_attached(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert "ip_agreement" in _keys(guide, "1.6")
    assert check(guide, draft, "attachments_required") == []
    draft.attachments = [a for a in draft.attachments if a.key != "ip_agreement"]
    [v] = check(guide, draft, "attachments_required")
    assert v.path == "attachments" and "知识产权协议" in v.message_zh
    assert v.clause.direction == "1.6"  # cites the clause that asks for it


def test_attachment_without_a_path_is_missing(guide: Guide) -> None:
    draft = clean_draft(guide, "1.4")
    i = next(i for i, a in enumerate(draft.attachments) if a.key == "h2020_proposal")
    draft.attachments[i].path = ""
    [v] = check(guide, draft, "attachments_required")
    assert v.path == f"attachments[{i}]"


@pytest.mark.parametrize("states", [False, True])
def test_a_path_typed_but_never_attached_is_not_attached(guide: Guide, states: bool) -> None:
    """A path with no size and SHA-256 recorded names no file content: an error, with or
    without the files at hand (the editor, `wizard check`)."""
    draft = clean_draft(guide, "1.4")
    found = attachment_states(draft) if states else None
    assert check(guide, draft, "attachments_required", attachments=found) == []
    i = next(i for i, a in enumerate(draft.attachments) if a.key == "h2020_proposal")
    draft.attachments[i].sha256, draft.attachments[i].size = "", None
    [v] = check(guide, draft, "attachments_required", attachments=found)
    assert v.path == f"attachments[{i}].path" and "尚未附上" in v.message_zh
    assert v.severity == "error"


def test_optional_attachment_may_be_not_applicable_with_a_note(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    i = next(i for i, a in enumerate(draft.attachments) if a.key == "partner_filing")
    draft.attachments[i] = Attachment(key="partner_filing", not_applicable=True)
    [v] = check(guide, draft, "attachments_required")
    assert v.path == f"attachments[{i}].note"
    draft.attachments[i].note = "外方系统不出具回执"
    assert check(guide, draft, "attachments_required") == []


def test_required_attachment_cannot_be_not_applicable(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    i = next(i for i, a in enumerate(draft.attachments) if a.key == "ip_agreement")
    draft.attachments[i] = Attachment(key="ip_agreement", not_applicable=True, note="没有")
    [v] = check(guide, draft, "attachments_required")
    assert v.path == f"attachments[{i}].not_applicable"


def test_attachment_files_checked_when_states_are_given(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    states = attachment_states(draft)
    assert check(guide, draft, "attachments_required", attachments=states) == []
    first = draft.attachments[0]
    states[first.path] = AttachmentState(first.path, "missing")
    [v] = check(guide, draft, "attachments_required", attachments=states)
    assert v.path == "attachments[0].path" and "已不存在" in v.message_zh
    states[first.path] = AttachmentState(first.path, "", first.size, "0" * 64)
    [v] = check(guide, draft, "attachments_required", attachments=states)
    assert v.path == "attachments[0].sha256" and "修改" in v.message_zh
    states[first.path] = AttachmentState(first.path, "not_regular")
    [v] = check(guide, draft, "attachments_required", attachments=states)
    assert "不是普通文件" in v.message_zh
    # Not checked (no folder at hand): only that it is recorded.
    assert check(guide, draft, "attachments_required") == []


# --- completeness of the new parts ----------------------------------------------------------------


# Every new part the forms need, emptied: required_fields names it.
NEW_REQUIRED = (
    "recommender.name recommender.kind contact.name contact.phone contact.email "
    "units[1].region units[1].address partner.lead.name partner.lead.institution "
    "partner.lead.email partner.contribution team[1].id_number team[1].task tasks[0].content"
).split()


@pytest.mark.parametrize("path", NEW_REQUIRED)
def test_new_parts_are_required(guide: Guide, path: str) -> None:
    draft = clean_draft(guide, "1.6")
    literal = path == "recommender.kind"
    empty = None if literal or not isinstance(value_at(draft, path), str) else ""
    edit(draft, {path: empty})
    assert path in {v.path for v in check(guide, draft, "required_fields")}


def test_bad_contact_email(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.contact.email = "nobody"
    [v] = [v for v in check(guide, draft, "required_fields") if v.path == "contact.email"]
    assert "name@example.org" in v.message_en


def test_agreement_date_where_an_agreement_is_required(guide: Guide) -> None:
    for code, wanted in (("1.6", True), ("1.2", True), ("1.1", False)):
        draft = clean_draft(guide, code)
        draft.partner.agreement_signed = None
        paths = {v.path for v in check(guide, draft, "required_fields")}
        assert ("partner.agreement_signed" in paths) is wanted, code


def test_empty_task_budget_and_unknown_category(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.tasks[0].budget = {}
    draft.tasks[1].budget["equipment"] = BudgetLine(central=Decimal("1"))  # a v1 key
    paths = {v.path for v in check(guide, draft, "required_fields")}
    first = guide.form.categories[0].key
    assert {f"tasks[0].budget.{first}.central", "tasks[1].budget.equipment"} <= paths


def test_money_format_names_task_category_and_source(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    key = guide.form.direct_keys[1]
    draft.tasks[1].budget[key].own = Decimal("-1")
    [v] = check(guide, draft, "money_format")
    assert v.path == f"tasks[1].budget.{key}.own"
    assert guide.form.categories[1].zh in v.message_zh and "单位自筹" in v.message_zh
    assert "task 2" in v.message_en


def test_other_costs_basis(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    req = guide.requirement("gen-other-note")
    assert req is not None
    [key] = req.params["categories"]
    draft.tasks[0].budget[key] = BudgetLine(central=Decimal("1"))
    draft.units[0].funding = (draft.units[0].funding or Decimal(0)) + 1
    [v] = check(guide, draft, "basis_required")
    assert v.path == f"tasks[0].budget.{key}.basis" and v.severity == "error"
    draft.tasks[0].budget[key].basis = "办公用品"
    assert check(guide, draft, "basis_required") == []


def test_an_empty_team_is_reported_once(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.team = []
    found = [v for v in evaluate(draft, guide) if v.path == "team"]
    assert len(found) == 1 and "研究团队" in found[0].message_zh
