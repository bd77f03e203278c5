"""General eligibility of the Chinese project leader (from the 2020 notice; warnings)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule


@rule("leader_title_or_doctorate")
def leader_title_or_doctorate(ctx: Context) -> Iterator[Finding]:
    leader = ctx.draft.leader
    if leader.title is None or leader.degree is None:
        return
    if leader.title not in ("正高级", "副高级") and leader.degree != "博士":
        yield Finding(
            "leader.title",
            "项目负责人既无高级职称也无博士学位：通知要求具有高级职称或博士学位，"
            "请更换负责人或核实职称、学位。",
            "The leader has neither a senior title nor a doctorate: the notice requires one; "
            "choose another leader or check the title and degree.",
        )


@rule("leader_months")
def leader_months(ctx: Context) -> Iterator[Finding]:
    minimum = int(ctx.requirement.params.get("min", 6))
    months = ctx.draft.leader.months_per_year
    if months is not None and months < minimum:
        yield Finding(
            "leader.months_per_year",
            f"项目负责人每年投入 {months} 个月：通知要求不少于 {minimum} 个月，请调整。",
            f"The leader spends {months} months a year: the notice requires at least "
            f"{minimum}; adjust it.",
        )


@rule("leader_birth")
def leader_birth(ctx: Context) -> Iterator[Finding]:
    not_before = date.fromisoformat(str(ctx.requirement.params["not_before"]))
    born = ctx.draft.leader.birth_date
    if born is not None and born < not_before:
        yield Finding(
            "leader.birth_date",
            f"项目负责人出生于 {born}：通知要求 {not_before} 以后出生，请更换负责人或核实日期。",
            f"The leader was born on {born}: the notice requires birth on or after "
            f"{not_before}; choose another leader or check the date.",
        )


@rule("leader_projects")
def leader_projects(ctx: Context) -> Iterator[Finding]:
    maximum = int(ctx.requirement.params.get("max", 2))
    count = ctx.draft.leader.other_projects
    if count is not None and count + 1 > maximum:
        yield Finding(
            "leader.other_projects",
            f"加上本项目，负责人申报和在研的国家项目共 {count + 1} 个：通知限 {maximum} 个，"
            "请核实或更换负责人。",
            f"Counting this one, the leader has {count + 1} national projects applied for or "
            f"under way: the notice allows {maximum}; check or choose another leader.",
        )
