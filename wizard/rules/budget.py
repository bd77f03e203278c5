"""Money: amounts are well-formed, the units' funding is their 课题's, the project stays within
the direction, each 课题's indirect costs respect the cap, other sources cover the matching.

Budget categories are the guide's (`guide.form.categories`); no key is named here. Amounts
judged against the direction, the units' funding and the indirect cap are the 中央财政 column
(财科教〔2016〕113号 governs central funds): our reading, said in the messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import cast

from wizard.catalogue import label
from wizard.draft import BUDGET_SOURCES, Draft
from wizard.guide import Form
from wizard.money import format_money, in_range
from wizard.rules.common import (
    SOURCE_WORDS,
    ZERO,
    category_label,
    project_central,
    task_centrals,
    task_name,
    task_sums,
    units_of,
)
from wizard.rules.model import Clause, Context, Finding, clause_parts
from wizard.rules.params import CategoriesParams, TiersParams
from wizard.rules.registry import rule

fm = format_money

CENT = Decimal("0.01")


# What `_judge` said of each amount, by its exact text (sign, digits and exponent: 1.0 and
# 1.000 are told apart); the same few amounts recur in every check of a draft.
_IRREGULAR: dict[str, bool] = {}


def _judge(value: Decimal) -> bool:
    # The common case first, without a quantize: 0 to 2 decimals, well within range.
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -2 <= exponent <= 0 and value.adjusted() < 8:
        return value < 0
    # Out of range first: quantize on such a value is what would fail.
    return not in_range(value) or value < 0 or value != value.quantize(CENT)


def _irregular(value: Decimal) -> bool:
    text = str(value)
    try:
        return _IRREGULAR[text]
    except KeyError:
        pass
    if len(_IRREGULAR) >= 4096:
        _IRREGULAR.clear()
    judged = _IRREGULAR[text] = _judge(value)
    return judged


def irregular_amounts(draft: Draft) -> Iterator[tuple[str, Decimal]]:
    """(path, amount) of every amount that is negative or has more than two decimals.

    In the order of the form: 课题 budgets, units, H2020 budget. Paths are built only for these.
    """
    for i, task in enumerate(draft.tasks):
        for key, line in task.budget.items():
            values = (line.central, line.local, line.own, line.other)  # BUDGET_SOURCES
            for s, value in enumerate(values):
                if value is not None and _irregular(value):
                    yield f"tasks[{i}].budget.{key}.{BUDGET_SOURCES[s]}", value
    for i, unit in enumerate(draft.units):
        if unit.funding is not None and _irregular(unit.funding):
            yield f"units[{i}].funding", unit.funding
        if unit.matching is not None and _irregular(unit.matching):
            yield f"units[{i}].matching", unit.matching
    if draft.h2020.cn_budget is not None and _irregular(draft.h2020.cn_budget):
        yield "h2020.cn_budget", draft.h2020.cn_budget


_BUDGET_PATH = re.compile(r"^tasks\[(\d+)\]\.budget\.([^.]+)\.([a-z]+)$")


def amount_label(draft: Draft, form: Form, path: str, lang: str) -> str:
    """The name of an amount's field: a 课题's budget line by its category and source."""
    match = _BUDGET_PATH.match(path)
    if match is None:
        return label(path, lang)
    i, key, source = int(match.group(1)), match.group(2), match.group(3)
    if i < len(draft.tasks):
        where = task_name(draft, i, lang)
    else:
        where = f"task {i + 1}" if lang == "en" else f"课题{i + 1}"
    cat = category_label(form, key, lang)
    zh, en = SOURCE_WORDS.get(source, (source, source))
    if lang == "en":
        return f"{where}: {cat} ({en})"
    return f"{where} {cat}（{zh}）"


@rule("money_format")
def money_format(ctx: Context) -> Iterator[Finding]:
    draft, form = ctx.draft, ctx.guide.form
    for path, value in irregular_amounts(draft):
        zh, en = amount_label(draft, form, path, "zh"), amount_label(draft, form, path, "en")
        if not in_range(value):
            # Refused when a file loads or a field is typed; only a draft built in code has one.
            yield Finding(
                path,
                f"“{zh}”{fm(value)} 超出金额范围：请按万元填写实际金额。",
                f"{en} {fm(value)} is out of range: enter the amount in 10k CNY.",
            )
        elif value < 0:
            yield Finding(
                path,
                f"“{zh}”为负数（{fm(value)} 万元）。金额不得为负：请更正。",
                f"{en} is negative ({fm(value)}). Amounts cannot be negative: correct it.",
            )
        else:
            yield Finding(
                path,
                f"“{zh}”{fm(value)} 万元超过两位小数。金额以万元计，最多两位小数："
                f"请改为 {fm(value.quantize(CENT))} 或其他两位小数的金额。",
                f"{en} {fm(value)} has more than 2 decimals. Amounts are in "
                f"10k CNY with at most 2 decimals: make it {fm(value.quantize(CENT))} or "
                "another amount with 2 decimals.",
            )


@rule("budget_units_sum")
def budget_units_sum(ctx: Context) -> Iterator[Finding]:
    """Every unit's central funding equals the central budgets of the 课题 it carries out
    (承担单位 = task.unit, names compared as a reviewer would)."""
    draft = ctx.draft
    if not draft.units or not any(s.filled for s in task_sums(ctx)):
        return
    shares = [ZERO] * len(draft.units)
    carried: list[list[int]] = [[] for _ in draft.units]
    units, centrals = units_of(ctx), task_centrals(ctx)
    for t, task in enumerate(draft.tasks):
        u = units.position(task.unit)
        if u is not None:
            shares[u] += centrals[t]
            carried[u].append(t)
    for i, unit in enumerate(draft.units):
        funding, share = unit.funding, shares[i]
        if funding is None or funding == share:
            continue  # an empty funding is reported by required_fields
        name = unit.name.strip() or f"第{i + 1}家单位"
        name_en = unit.name.strip() or f"unit {i + 1}"
        tasks_zh = "、".join(f"课题{t + 1}" for t in carried[i]) or "无课题"
        tasks_en = ", ".join(f"task {t + 1}" for t in carried[i]) or "no task"
        gap = fm(abs(funding - share))
        more_zh, more_en = ("多", "more") if funding > share else ("少", "less")
        yield Finding(
            f"units[{i}].funding",
            f"“{name}”的中央财政经费 {fm(funding)} 万元，比其承担的课题（{tasks_zh}）中央财政"
            f"预算合计 {fm(share)} 万元{more_zh} {gap} 万元。单位经费须等于其承担课题的中央财政"
            "经费之和：请调整单位经费或课题预算。",
            f"The central funding of '{name_en}', {fm(funding)}, is {gap} {more_en} than the "
            f"central budget of the tasks it carries out ({tasks_en}), {fm(share)} (10k CNY). "
            "A unit's funding must equal its tasks' central budgets: adjust the unit's "
            "funding or the tasks' budgets.",
        )


def _funding_clause(ctx: Context) -> Clause:
    # The guide writes "共拟支持经费：3000万元人民币。": the item, then the clause.
    item, text = clause_parts(ctx.direction.funding.text, "共拟支持经费")
    return Clause(ctx.direction.code, item, text)


@rule("funding_total")
def funding_total(ctx: Context) -> Iterator[Finding]:
    total = project_central(ctx)
    funding = ctx.direction.funding
    cap = funding.amount
    if total <= cap:
        return
    over = fm(total - cap)
    if funding.approx:
        # "…万元左右": an approximate total; exceeding it needs a reason, it is not refused.
        yield Finding(
            "tasks",
            f"申请中央财政经费 {fm(total)} 万元，超过本方向共拟支持经费约 {fm(cap)} 万元（指南为"
            f"“左右”），多 {over} 万元：请核实预算；如确需，请在申报书中说明理由。",
            f"The central funding requested, {fm(total)}, is {over} above the direction's "
            f"total funding of about {fm(cap)} (10k CNY; the guide says 'about'): check the "
            "budget, and if it is needed, give the reasons in the application.",
            severity="warning",
            clause=_funding_clause(ctx),
        )
        return
    yield Finding(
        "tasks",
        f"申请中央财政经费 {fm(total)} 万元，超过本方向共拟支持经费 {fm(cap)} 万元，多 {over} "
        f"万元：请把预算压缩到 {fm(cap)} 万元以内。",
        f"The central funding requested, {fm(total)}, exceeds the direction's total funding "
        f"of {fm(cap)} (10k CNY) by {over}: cut the budget to {fm(cap)} or less.",
        clause=_funding_clause(ctx),
    )


@rule("funding_average")
def funding_average(ctx: Context) -> Iterator[Finding]:
    direction = ctx.direction
    total = project_central(ctx)
    count = max(direction.projects.low, 1)
    average = direction.average_funding
    if average < total <= direction.funding.amount:
        amount = fm(direction.funding.amount)
        yield Finding(
            "tasks",
            f"申请中央财政经费 {fm(total)} 万元，比本方向平均每项约 {fm(average)} 万元（{amount} "
            f"万元 ÷ {count} 项）多 {fm(total - average)} 万元：请核实预算是否合理。",
            f"The central funding requested, {fm(total)}, is {fm(total - average)} above this "
            f"direction's average of about {fm(average)} per project ({amount} / {count}, "
            "10k CNY): check that it is justified.",
            clause=_funding_clause(ctx),
        )


def _decimal(value: object) -> Decimal:
    """A tier number as Decimal (the guide loads them as Decimal; tests may pass others)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def indirect_cap_amount(base: Decimal, tiers: list[dict[str, object]] | TiersParams) -> Decimal:
    """Marginal tiers: each rate applies to the part of `base` inside its band."""
    cap = Decimal(0)
    lower = Decimal(0)
    pairs = (
        [(t.rate, t.upto) for t in tiers.tiers]
        if isinstance(tiers, TiersParams)
        else [(t["rate"], t.get("upto")) for t in tiers]
    )
    for rate_value, upto in pairs:
        rate = _decimal(rate_value)
        upper = _decimal(upto) if upto is not None else None
        if base <= lower:
            break
        band_top = base if upper is None else min(base, upper)
        cap += (band_top - lower) * rate
        if upper is None:
            break
        lower = upper
    return cap.quantize(CENT)


def indirect_base(task_amount: dict[str, Decimal], form: Form) -> Decimal:
    """直接费用 − 设备购置费 from a 课题's central amounts by category key."""
    direct = sum((task_amount.get(k, ZERO) for k in form.direct_keys), ZERO)
    purchase = sum((task_amount.get(k, ZERO) for k in form.purchase_keys), ZERO)
    return direct - purchase


@rule("indirect_cap", params=TiersParams)
def indirect_cap(ctx: Context) -> Iterator[Finding]:
    """Per 课题 (财科教〔2016〕113号): central indirect costs ≤ the marginal-tier cap on the
    课题's central direct costs less the equipment purchase."""
    form = ctx.guide.form
    params = cast(TiersParams, ctx.params)
    indirect_keys = form.indirect_keys
    if not indirect_keys:
        return
    for i, sums in enumerate(task_sums(ctx)):
        indirect = sums.indirect
        if indirect <= 0:
            continue
        base = sums.direct - sums.purchase
        cap = indirect_cap_amount(base, params)
        if indirect <= cap:
            continue
        where_zh, where_en = task_name(ctx.draft, i, "zh"), task_name(ctx.draft, i, "en")
        over = fm(indirect - cap)
        yield Finding(
            f"tasks[{i}].budget.{indirect_keys[0]}.central",
            f"{where_zh}的间接费用（中央财政）{fm(indirect)} 万元超过上限 {fm(cap)} 万元（按该课题"
            f"直接费用扣除设备购置费后的 {fm(base)} 万元分段核定），多 {over} 万元：请降到 "
            f"{fm(cap)} 万元以内。",
            f"The indirect costs (central) of {where_en}, {fm(indirect)}, exceed the cap of "
            f"{fm(cap)} (tiered on the task's direct costs less equipment purchase, "
            f"{fm(base)}) by {over} (10k CNY): lower them to {fm(cap)} or less.",
        )


@rule("basis_required", params=CategoriesParams)
def basis_required(ctx: Context) -> Iterator[Finding]:
    """Categories whose use the guide wants explained (其他支出): an amount above zero needs
    its 测算依据."""
    form = ctx.guide.form
    for i, task in enumerate(ctx.draft.tasks):
        for key in cast(CategoriesParams, ctx.params).categories:
            line = task.line(key)
            if line is None or line.total <= 0 or line.basis.strip():
                continue
            cat_zh, cat_en = category_label(form, key, "zh"), category_label(form, key, "en")
            where_zh, where_en = task_name(ctx.draft, i, "zh"), task_name(ctx.draft, i, "en")
            yield Finding(
                f"tasks[{i}].budget.{key}.basis",
                f"{where_zh}的{cat_zh}大于零，但测算依据未说明用途。{cat_zh}应说明用途：请在测算"
                "依据中写明这笔支出的用途。",
                f"{cat_en} of {where_en} is above zero but its basis does not say what it "
                f"pays for. {cat_en} must be explained: say in the basis what it pays for.",
            )


@rule("other_sources_matching")
def other_sources_matching(ctx: Context) -> Iterator[Finding]:
    """其他来源 (地方财政 + 单位自筹 + 其他, every 课题) includes the units' matching funds, so
    it is at least their sum."""
    draft = ctx.draft
    matching = sum((u.matching for u in draft.units if u.matching is not None), ZERO)
    if matching <= 0:
        return
    other = sum((s.other for s in task_sums(ctx)), ZERO)
    if other >= matching:
        return
    short = fm(matching - other)
    yield Finding(
        "tasks",
        f"各课题其他来源经费（地方财政、单位自筹、其他）合计 {fm(other)} 万元，少于各单位配套"
        f"出资合计 {fm(matching)} 万元，少 {short} 万元。其他来源须包含企业配套出资：请在"
        "承担单位的课题预算中填写配套经费。",
        f"The tasks' other sources (local government, own funds, other) add up to "
        f"{fm(other)}, {short} less than the units' matching funds of {fm(matching)} "
        "(10k CNY). Other sources must include the enterprises' matching: enter the "
        "matching in the budgets of the tasks those units carry out.",
    )
