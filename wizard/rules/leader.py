"""Eligibility of the Chinese project leader, the team's 项目负责人 (国科发资〔2020〕107号 as
summarised in English; errors). No leader yet: nothing to judge here; required_fields says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TypeVar, cast

from wizard.draft import Person
from wizard.rules.model import Context, Finding
from wizard.rules.params import MinParams, NotBeforeParams
from wizard.rules.registry import rule

T = TypeVar("T", int, date)


def _leader(ctx: Context) -> Iterator[tuple[str, Person]]:
    """(path prefix `team[i]`, the leader), once; nothing while the team has none."""
    i = ctx.draft.leader_index
    if i is not None:
        yield f"team[{i}]", ctx.draft.team[i]


def _below(ctx: Context, field: str, limit: T) -> Iterator[tuple[str, T]]:
    """(path, value) of the leader's `field` when it is filled in and below `limit`."""
    for at, leader in _leader(ctx):
        value = getattr(leader, field)
        if value is not None and value < limit:
            yield f"{at}.{field}", value


@rule("leader_title_or_doctorate")
def leader_title_or_doctorate(ctx: Context) -> Iterator[Finding]:
    for at, leader in _leader(ctx):
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
    minimum = cast(MinParams, ctx.params).min
    for at, months in _below(ctx, "months_per_year", minimum):
        short = minimum - months
        yield Finding(
            at,
            f"项目负责人每年投入 {months} 个月，少 {short} 个月。通知要求每年不少于 "
            f"{minimum} 个月：请调整到至少 {minimum} 个月。",
            f"The leader spends {months} months a year, {short} short. The notice "
            f"requires at least {minimum}: raise it to {minimum} or more.",
        )


@rule("leader_birth", params=NotBeforeParams)
def leader_birth(ctx: Context) -> Iterator[Finding]:
    not_before = cast(NotBeforeParams, ctx.params).not_before
    for at, born in _below(ctx, "birth_date", not_before):
        yield Finding(
            at,
            f"项目负责人出生于 {born}，早于 {not_before}。通知要求负责人须为 {not_before} 以后"
            "出生：请核实出生日期，或更换负责人。",
            f"The leader was born on {born}, before {not_before}. The notice requires the "
            f"leader to be born on or after {not_before}: check the date, or choose another "
            "leader.",
        )
