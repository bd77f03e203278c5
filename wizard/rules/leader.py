"""General eligibility of the Chinese project leader (from the 2020 notice; warnings)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from wizard.rules.model import Context, Finding
from wizard.rules.params import MaxParams, MinParams, NotBeforeParams
from wizard.rules.registry import rule


@rule("leader_title_or_doctorate")
def leader_title_or_doctorate(ctx: Context) -> Iterator[Finding]:
    leader = ctx.draft.leader
    if leader.title is None or leader.degree is None:
        return
    if leader.title not in ("正高级", "副高级") and leader.degree != "博士":
        yield Finding(
            "leader.title",
            "项目负责人既无高级职称也无博士学位。通知要求负责人应具有高级职称或博士学位："
            "请核实职称和学位，或更换负责人。",
            "The leader has neither a senior title nor a doctorate. The notice says the leader "
            "should hold one: check the title and degree, or choose another leader.",
        )


@rule("leader_months", params=MinParams)
def leader_months(ctx: Context) -> Iterator[Finding]:
    minimum = cast(MinParams, ctx.params).min
    months = ctx.draft.leader.months_per_year
    if months is not None and months < minimum:
        yield Finding(
            "leader.months_per_year",
            f"项目负责人每年投入 {months} 个月，少 {minimum - months} 个月。通知要求每年不少于 "
            f"{minimum} 个月：请调整到至少 {minimum} 个月。",
            f"The leader spends {months} months a year, {minimum - months} short. The notice "
            f"requires at least {minimum}: raise it to {minimum} or more.",
        )


@rule("leader_birth", params=NotBeforeParams)
def leader_birth(ctx: Context) -> Iterator[Finding]:
    not_before = cast(NotBeforeParams, ctx.params).not_before
    born = ctx.draft.leader.birth_date
    if born is not None and born < not_before:
        yield Finding(
            "leader.birth_date",
            f"项目负责人出生于 {born}，早于 {not_before}。通知要求负责人应为 {not_before} 以后"
            "出生：请核实出生日期，或更换负责人。",
            f"The leader was born on {born}, before {not_before}. The notice says the leader "
            f"should be born on or after {not_before}: check the date, or choose another "
            "leader.",
        )


@rule("leader_projects", params=MaxParams)
def leader_projects(ctx: Context) -> Iterator[Finding]:
    maximum = cast(MaxParams, ctx.params).max
    count = ctx.draft.leader.other_projects
    if count is not None and count + 1 > maximum:
        over = count + 1 - maximum
        yield Finding(
            "leader.other_projects",
            f"加上本项目，负责人申报和在研的国家项目共 {count + 1} 个，多 {over} 个。通知限合计 "
            f"{maximum} 个：请核实项目数，或更换负责人。",
            f"Counting this one, the leader has {count + 1} national projects applied for or "
            f"under way, {over} too many. The notice allows {maximum} in all: check the "
            "count, or choose another leader.",
        )
