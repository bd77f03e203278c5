"""Horizon 2020 link of the EU co-funding directions (1.4, 1.5)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import cast

from wizard.money import format_money
from wizard.names import find_in, variant_index
from wizard.rules.common import project_central
from wizard.rules.model import Context, Finding
from wizard.rules.params import YearsParams
from wizard.rules.registry import rule

# A topic code is the text before the first ":" or space: "SFS-40-2020", "DT-ICT-01-2019",
# "LC-SC3-RES-11-2018-2019-2020" (a topic open in several years).
_CODE = re.compile(r"^\s*([A-Z0-9]+(?:-[A-Z0-9]+)+)(?=$|[\s:：])")
# Letters and digits groups, one of them a topic number, ending with the year.
_SPACED = re.compile(r"[A-Z][A-Z0-9]*(?:[\s_-]+[A-Z0-9]+)*[\s_-]+[0-9]{1,3}[A-Z]?[\s_-]+20[0-9]{2}")
_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")


@lru_cache(maxsize=1024)
def topic_code(text: str) -> str | None:
    """The H2020 topic code `text` starts with ("sfs-40-2020: Healthy soils" → SFS-40-2020)."""
    folded = unicodedata.normalize("NFKC", text).upper().replace("‐", "-").replace("–", "-")
    match = _CODE.match(folded)
    if match:
        return match.group(1)
    # "SFS 40 2020", "SFS_40_2020": the groups of a code written with other separators.
    head = folded.split(":", 1)[0].strip()
    if _SPACED.fullmatch(head) and _YEAR.search(head[-4:]):
        return re.sub(r"[\s_-]+", "-", head)
    return None


def code_years(code: str) -> tuple[int, ...]:
    """The work-programme years a topic code names (its trailing 4-digit groups)."""
    return tuple(int(y) for y in _YEAR.findall(code))


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


@rule("h2020_participants")
def h2020_participants(ctx: Context) -> Iterator[Finding]:
    listed = [n.strip() for n in ctx.draft.h2020.participants if n.strip()]
    if not listed:
        return
    index = variant_index(listed)
    units = [u.name.strip() for u in ctx.draft.units if u.name.strip()]
    by_unit = variant_index(units)
    # Entries in another script that match no unit may be a unit's English name: a unit not
    # found then cannot be judged (warning); with none, it is surely missing (error).
    latin_only = any(not _has_cjk(n) and find_in(by_unit, n) is None for n in listed)
    for i, unit in enumerate(ctx.draft.units):
        name = unit.name.strip()
        if not name or find_in(index, name) is not None:
            continue
        if latin_only and _has_cjk(name):
            # The list may give it under its English name, which cannot be compared.
            yield Finding(
                f"units[{i}].name",
                f"未在地平线2020项目 participants 名单中找到“{name}”。名单中有外文名称：若该单位以"
                f"英文名列出，请在名单中写成“{name}（英文名称）”以便核对；若未列出，中方申报单位"
                "须为正式合作伙伴，请把它加入名单或从中方单位中删除。",
                f"'{name}' was not found in the H2020 proposal's participants list. The list has "
                f"names in other languages: if the unit is listed under its English name, write "
                f"it as '{name} (English name)' there so it can be matched; if it is not listed, "
                "add it (every Chinese applicant must be a formal partner) or remove it here.",
                severity="warning",
            )
            continue
        yield Finding(
            f"units[{i}].name",
            f"“{name}”不在地平线2020项目 participants 名单中。中方申报单位须为正式合作伙伴："
            "请把它加入名单，或从中方单位中删除。",
            f"'{name}' is not in the H2020 proposal's participants list. Every Chinese "
            "applicant must be a formal partner: list it there or remove it here.",
        )


@rule("h2020_budget_cap")
def h2020_budget_cap(ctx: Context) -> Iterator[Finding]:
    cap = ctx.draft.h2020.cn_budget
    requested = project_central(ctx)
    if cap is not None and requested > cap:
        over = format_money(requested - cap)
        yield Finding(
            "h2020.cn_budget",
            f"申请中央财政经费 {format_money(requested)} 万元，超过地平线2020项目中的中方预算 "
            f"{format_money(cap)} 万元，多 {over} 万元：请把预算压缩到 {format_money(cap)} "
            "万元以内。",
            f"The requested {format_money(requested)} exceeds the Chinese budget in the H2020 "
            f"proposal, {format_money(cap)} (10k CNY), by {over}: cut the budget to "
            f"{format_money(cap)} or less.",
        )


@rule("h2020_topic_matches")
def h2020_topic_matches(ctx: Context) -> Iterator[Finding]:
    h_topic = ctx.draft.h2020.topic.strip()
    p_topic = ctx.draft.project.topic.strip()
    if not h_topic or not p_topic:
        return
    h_code = topic_code(h_topic) or h_topic.upper()
    p_code = topic_code(p_topic) or p_topic.upper()
    if h_code != p_code:
        yield Finding(
            "h2020.topic",
            f"地平线2020指南编号“{h_topic}”与项目所选指南编号 {p_code} 不一致。申报须针对所选"
            f"指南编号：请把地平线2020指南编号改为 {p_code}，或改选与之对应的项目方向。",
            f"The H2020 topic '{h_topic}' differs from the project's topic code {p_code}. The "
            f"application must address the chosen topic: make it {p_code}, or choose the "
            "project topic that matches.",
        )


@rule("h2020_call_year", params=YearsParams)
def h2020_call_year(ctx: Context) -> Iterator[Finding]:
    allowed = cast(YearsParams, ctx.params).years
    h = ctx.draft.h2020
    code = topic_code(h.topic) if h.topic.strip() else None
    from_code = code_years(code) if code else ()
    year = h.call_year
    allowed_zh = "、".join(str(y) for y in allowed)
    allowed_en = ", ".join(str(y) for y in allowed)
    if year is not None and from_code and year not in from_code:
        shown = "、".join(str(y) for y in from_code)
        yield Finding(
            "h2020.call_year",
            f"地平线2020指南年度填写为 {year}，而指南编号 {code} 显示为 {shown} 年度：请核对"
            "指南编号和年度，使两者一致。",
            f"The H2020 call year is given as {year}, but the topic code {code} is of "
            f"{', '.join(map(str, from_code))}: check the code and the year so that they agree.",
        )
    years = from_code or ((year,) if year is not None else ())
    if years and not any(y in allowed for y in years):
        path = "h2020.topic" if from_code else "h2020.call_year"
        shown = "、".join(str(y) for y in years)
        yield Finding(
            path,
            f"地平线2020指南年度 {shown} 不在本次征集之列：本方向只受理 {allowed_zh} 年度指南"
            "项目，请改为符合要求的地平线2020项目。",
            f"The H2020 call year {', '.join(map(str, years))} is outside this call: this "
            f"direction accepts only {allowed_en} topics; choose a Horizon 2020 project of "
            "those years.",
        )
