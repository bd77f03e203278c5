"""Eligibility of the Chinese project leader, the team's 项目负责人 (国科发资〔2020〕107号 as
summarised in English; errors). No leader yet: nothing to judge here; required_fields says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from wizard.draft import Person
from wizard.rules.model import Context, Finding
from wizard.rules.params import MinParams, NotBeforeParams
from wizard.rules.registry import rule


def _leader(ctx: Context) -> tuple[str, Person] | None:
    """(path prefix `team[i]`, the leader), or None while the team has none."""
    i = ctx.draft.leader_index
    if i is None:
        return None
    return f"team[{i}]", ctx.draft.team[i]


@rule("leader_title_or_doctorate")
def leader_title_or_doctorate(ctx: Context) -> Iterator[Finding]:
    found = _leader(ctx)
    if found is None:
        return
    at, leader = found
    if leader.title is None or leader.degree is None:
        return
    if leader.title not in ("正高级", "副高级") and leader.degree != "博士":
        yield Finding(
            f"{at}.title",
            "项目负责人既无高级职称也无博士学位。通知要求负责人须具有高级职称或博士学位："
            "请核实职称和学位，或更换负责人。",
            "The leader has neither a senior title nor a doctorate. The notice requires the "
            "leader to hold one: check the title and degree, or choose another leader.",
        )


@rule("leader_months", params=MinParams)
def leader_months(ctx: Context) -> Iterator[Finding]:
    found = _leader(ctx)
    if found is None:
        return
    at, leader = found
    minimum = cast(MinParams, ctx.params).min
    months = leader.months_per_year
    if months is not None and months < minimum:
        yield Finding(
            f"{at}.months_per_year",
            f"项目负责人每年投入 {months} 个月，少 {minimum - months} 个月。通知要求每年不少于 "
            f"{minimum} 个月：请调整到至少 {minimum} 个月。",
            f"The leader spends {months} months a year, {minimum - months} short. The notice "
            f"requires at least {minimum}: raise it to {minimum} or more.",
        )


@rule("leader_birth", params=NotBeforeParams)
def leader_birth(ctx: Context) -> Iterator[Finding]:
    found = _leader(ctx)
    if found is None:
        return
    at, leader = found
    not_before = cast(NotBeforeParams, ctx.params).not_before
    born = leader.birth_date
    if born is not None and born < not_before:
        yield Finding(
            f"{at}.birth_date",
            f"项目负责人出生于 {born}，早于 {not_before}。通知要求负责人须为 {not_before} 以后"
            "出生：请核实出生日期，或更换负责人。",
            f"The leader was born on {born}, before {not_before}. The notice requires the "
            f"leader to be born on or after {not_before}: check the date, or choose another "
            "leader.",
        )
