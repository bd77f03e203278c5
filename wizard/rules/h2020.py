"""Horizon 2020 link of the EU co-funding directions (1.4, 1.5)."""

from __future__ import annotations

from collections.abc import Iterator

from wizard.money import format_money
from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule


@rule("h2020_participants")
def h2020_participants(ctx: Context) -> Iterator[Finding]:
    listed = {n.strip() for n in ctx.draft.h2020.participants if n.strip()}
    if not listed:
        return
    for i, unit in enumerate(ctx.draft.units):
        name = unit.name.strip()
        if name and name not in listed:
            yield Finding(
                f"units[{i}].name",
                f"“{name}”不在地平线2020项目 participants 名单中：中方申报单位须为正式合作伙伴，"
                "请把它加入名单或从中方单位中删除。",
                f"'{name}' is not in the H2020 proposal's participants list: every Chinese "
                "applicant must be a formal partner; list it there or remove it here.",
            )


@rule("h2020_budget_cap")
def h2020_budget_cap(ctx: Context) -> Iterator[Finding]:
    cap = ctx.draft.h2020.cn_budget
    requested = ctx.draft.budget.total
    if cap is not None and requested > cap:
        asked, limit, over = (format_money(v) for v in (requested, cap, requested - cap))
        yield Finding(
            "h2020.cn_budget",
            f"申请中央财政经费 {asked} 万元超过地平线2020项目中的中方预算 {limit} 万元："
            f"请把预算压缩 {over} 万元。",
            f"The requested {asked} exceeds the Chinese budget in the H2020 proposal, "
            f"{limit} (10k CNY): cut {over}.",
        )


@rule("h2020_topic_matches")
def h2020_topic_matches(ctx: Context) -> Iterator[Finding]:
    h_topic = ctx.draft.h2020.topic.strip()
    p_topic = ctx.draft.project.topic.strip()
    if h_topic and p_topic and h_topic != p_topic:
        yield Finding(
            "h2020.topic",
            f"地平线2020指南编号“{h_topic}”与项目方向“{p_topic}”不一致：请改为 {p_topic}。",
            f"H2020 topic '{h_topic}' differs from the project's topic '{p_topic}': "
            f"make it {p_topic}.",
        )


@rule("h2020_call_year")
def h2020_call_year(ctx: Context) -> Iterator[Finding]:
    years = [int(y) for y in ctx.requirement.params.get("years", [])]
    year = ctx.draft.h2020.call_year
    if year is not None and years and year not in years:
        allowed = "、".join(str(y) for y in years)
        yield Finding(
            "h2020.call_year",
            f"地平线2020指南年度 {year} 不在本次征集之列：只受理 {allowed} 年度指南项目。",
            f"H2020 call year {year} is outside this call: only {', '.join(map(str, years))} "
            "topics are accepted.",
        )
