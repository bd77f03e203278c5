"""研究团队: who is on the team, of which unit and 课题, with a valid ID; 课题负责人; 限项.

The 限项 (国科发资〔2020〕107号, as summarised in English): the leader and every 主要参与者
(骨干) hold at most 2 national projects applied for plus under way, this one counted. Across
drafts (`wizard check DIR`) see wizard.rules.limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import cast

from wizard.draft import Draft
from wizard.idcard import check_resident_id, ric_compact
from wizard.names import key
from wizard.rules.common import person_name, task_name, units_of, unlisted_unit
from wizard.rules.model import Context, Finding
from wizard.rules.params import RolesMaxParams
from wizard.rules.registry import rule

# How a message names a member's role mid-sentence: (zh, en).
_ROLE_WORDS = {
    "leader": ("项目负责人", "leader"),
    "task_leader": ("课题负责人", "task leader"),
    "core": ("骨干", "core member"),
    "general": ("一般", "member"),
}


@rule("one_leader")
def one_leader(ctx: Context) -> Iterator[Finding]:
    leaders = [i for i, p in enumerate(ctx.draft.team) if p.role == "leader"]
    if not ctx.draft.team:
        return  # no team at all: required_fields says so, once
    if not leaders:
        yield Finding(
            "team",
            "研究团队中没有项目负责人。项目须有一名项目负责人：请把一名成员的人员分类设为“项目负责人”。",
            "The team has no project leader. A project must have one: set one member's role "
            "to project leader.",
        )
    for i in leaders[1:]:
        yield Finding(
            f"team[{i}].role",
            f"研究团队中有 {len(leaders)} 名项目负责人，多 {len(leaders) - 1} 名。项目只能有一名"
            "项目负责人：请把其余成员改为课题负责人或骨干。",
            f"The team has {len(leaders)} project leaders, {len(leaders) - 1} too many. A "
            "project has one leader: make the others task leaders or core members.",
        )


@lru_cache(maxsize=1024)  # every member on every check: the messages made once a number
def id_problem(number: str) -> tuple[str, str, date | None]:
    """(why zh, why en, birth date) of a 居民身份证号码: ("", "", born) when valid."""
    found = check_resident_id(number)
    if found.fault == "length":
        n = found.length
        return f"有 {n} 位，应为 18 位", f"has {n} characters; it must have 18", None
    if found.fault == "checksum":
        return (
            "校验位（第 18 位）不正确，可能有录入错误",
            "has a wrong check digit (position 18): probably a typo",
            None,
        )
    code = ric_compact(number)
    if found.fault == "birth_date":
        return (
            f"中的出生日期（第 7–14 位 {code[6:14]}）不是真实的日期",
            f"carries a birth date (characters 7–14, {code[6:14]}) that is not a real date",
            None,
        )
    if found.fault == "region":
        return (
            f"中的地区码（前 6 位 {code[:6]}）在出生那年不存在",
            f"starts with a region code ({code[:6]}) that did not exist in the year of birth",
            None,
        )
    if found.fault is not None:
        return (
            "不是有效的号码（前 17 位须为数字，第 18 位为数字或 X）",
            "is not a valid number (17 digits, then a digit or X)",
            None,
        )
    return "", "", found.born


@rule("team_id_number")
def team_id_number(ctx: Context) -> Iterator[Finding]:
    """居民身份证: the 18-digit number's check digit (python-stdnum cn.ric) and the birth date
    it carries agree with the person's; passports and other papers are free text."""
    for i, person in enumerate(ctx.draft.team):
        number = person.id_number.strip()
        if person.id_type != "resident_id" or not number:
            continue
        zh, en, born = id_problem(number)
        if not zh and (born is None or person.birth_date is None or born == person.birth_date):
            continue
        who_zh, who_en = person_name(ctx.draft, i, "zh"), person_name(ctx.draft, i, "en")
        if zh:
            yield Finding(
                f"team[{i}].id_number",
                f"{who_zh}的居民身份证号码{zh}：请对照身份证重新填写。",
                f"The resident ID number of {who_en} {en}: copy it again from the ID card.",
            )
        elif born is not None and person.birth_date is not None and born != person.birth_date:
            yield Finding(
                f"team[{i}].birth_date",
                f"{who_zh}的出生日期 {person.birth_date} 与身份证号码中的 {born} 不一致：请核实。",
                f"The birth date of {who_en}, {person.birth_date}, differs from the one in the "
                f"ID number, {born}: check them.",
            )


@rule("team_units")
def team_units(ctx: Context) -> Iterator[Finding]:
    """Every member other than the leader (leader_in_units) works for a listed unit."""
    draft, units = ctx.draft, units_of(ctx)
    leader = draft.leader_index
    for i, person in enumerate(draft.team):
        unit = person.unit
        if i == leader or not unit.strip() or units.position(unit) is not None:
            continue
        unit = unit.strip()
        yield unlisted_unit(draft, "member", i, unit)


@rule("team_task")
def team_task(ctx: Context) -> Iterator[Finding]:
    """A member's 所属课题 is the number of an existing 课题."""
    draft = ctx.draft
    count = len(draft.tasks)
    for i, person in enumerate(draft.team):
        if person.task is None or person.task <= count:
            continue
        who_zh, who_en = person_name(draft, i, "zh"), person_name(draft, i, "en")
        yield Finding(
            f"team[{i}].task",
            f"{who_zh}的所属课题为课题{person.task}，但项目只有 {count} 个课题：请选择已有的课题。",
            f"{who_en[:1].upper()}{who_en[1:]} belongs to task {person.task}, but the project "
            f"has {count} tasks: choose an existing task.",
        )


def _members(draft: Draft) -> dict[str, int]:
    """Team members by the key of their name (the first with it)."""
    out: dict[str, int] = {}
    for i, person in enumerate(draft.team):
        k = key(person.name)
        if k:
            out.setdefault(k, i)
    return out


@rule("task_leader_member")
def task_leader_member(ctx: Context) -> Iterator[Finding]:
    """课题负责人: a team member of the 课题's 承担单位 whose role is 课题负责人 (or the
    项目负责人, who may lead a 课题)."""
    draft, units = ctx.draft, units_of(ctx)
    members: dict[str, int] | None = None
    for t, task in enumerate(draft.tasks):
        name = task.leader.strip()
        if not name:
            continue
        if members is None:
            members = _members(draft)
        folded = key(name)
        i = members.get(folded) if folded else None
        person = draft.team[i] if i is not None else None
        unit = task.unit.strip()
        if person is not None and person.role in ("task_leader", "leader"):
            # The common case, said nothing about: the right role, in the 承担单位.
            at = units.position(unit) if unit else None
            if at is None or not person.unit.strip() or units.position(person.unit) == at:
                continue
        where_zh, where_en = task_name(draft, t, "zh"), task_name(draft, t, "en")
        path = f"tasks[{t}].leader"
        if i is None:
            yield Finding(
                path,
                f"{where_zh}的课题负责人“{name}”不在研究团队中：请从研究团队中选择，或先把此人"
                "加入研究团队。",
                f"The leader of {where_en}, '{name}', is not on the team: choose a team member, "
                "or add the person to the team first.",
            )
            continue
        assert person is not None
        if person.role not in ("task_leader", "leader"):
            role_zh, role_en = _ROLE_WORDS.get(person.role or "", ("未填", "not set"))
            yield Finding(
                f"team[{i}].role",
                f"“{name}”是{where_zh}的课题负责人，但其人员分类为“{role_zh}”：请改为“课题负责人”，"
                "或另选课题负责人。",
                f"'{name}' leads {where_en} but the team lists the role as {role_en}: make it "
                "task leader, or choose another task leader.",
            )
        at = units.position(unit) if unit else None
        if at is None or not person.unit.strip():
            continue  # an unlisted or missing unit is reported where it is written
        if units.position(person.unit) != at:
            yield Finding(
                path,
                f"{where_zh}的课题负责人“{name}”的单位是“{person.unit.strip()}”，不是该课题的"
                f"承担单位“{unit}”。课题负责人须为承担单位的人员：请核实。",
                f"The leader of {where_en}, '{name}', works for '{person.unit.strip()}', not "
                f"for the unit carrying out the task, '{unit}'. A task leader must be of that "
                "unit: check it.",
            )


@rule("project_limit", params=RolesMaxParams)
def project_limit(ctx: Context) -> Iterator[Finding]:
    """限项: each person of `roles` holds at most `max` national projects applied for plus
    under way, this one counted."""
    params = cast(RolesMaxParams, ctx.params)
    roles = set(params.roles)
    maximum = params.max
    draft = ctx.draft
    for i, person in enumerate(draft.team):
        count = person.other_projects
        if person.role not in roles or count is None or count + 1 <= maximum:
            continue
        over = count + 1 - maximum
        role_zh, role_en = _ROLE_WORDS.get(person.role or "", ("", ""))
        name = person.name.strip()
        who_zh = role_zh + (f"“{name}”" if name else f"（第{i + 1}名成员）")
        who_en = role_en + (f" '{name}'" if name else f" (member {i + 1})")
        yield Finding(
            f"team[{i}].other_projects",
            f"加上本项目，{who_zh}申报和在研的国家科技计划项目共 {count + 1} 个，多 {over} 个。通知"
            f"限合计 {maximum} 个（不含国家自然科学基金）：请核实项目数，或调整人员。",
            f"Counting this one, the {who_en} has {count + 1} national projects applied for or "
            f"under way, {over} too many. The notice allows {maximum} in all (NSFC not "
            "counted): check the count, or change the team.",
        )
