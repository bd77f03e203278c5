"""Money: the budget adds up, stays within the direction, and respects the indirect-cost cap."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from wizard.catalogue import label
from wizard.draft import BUDGET_CATEGORIES, Draft
from wizard.money import format_money, in_range
from wizard.rules.model import Clause, Context, Finding, clause_parts
from wizard.rules.params import TiersParams
from wizard.rules.registry import rule

fm = format_money

CENT = Decimal("0.01")


_BUDGET_PATHS = tuple((c, f"budget.{c}") for c in BUDGET_CATEGORIES)


def _irregular(value: Decimal) -> bool:
    # Out of range first: quantize on such a value is what would fail.
    return not in_range(value) or value < 0 or value != value.quantize(CENT)


def irregular_amounts(draft: Draft) -> Iterator[tuple[str, Decimal]]:
    """(path, amount) of every amount that is negative or has more than two decimals.

    In the order of the form: budget, units, H2020 budget. Paths are built only for these.
    """
    budget = draft.budget
    for c, path in _BUDGET_PATHS:
        value = getattr(budget, c)
        if value is not None and _irregular(value):
            yield path, value
    for i, unit in enumerate(draft.units):
        if unit.funding is not None and _irregular(unit.funding):
            yield f"units[{i}].funding", unit.funding
        if unit.matching is not None and _irregular(unit.matching):
            yield f"units[{i}].matching", unit.matching
    if draft.h2020.cn_budget is not None and _irregular(draft.h2020.cn_budget):
        yield "h2020.cn_budget", draft.h2020.cn_budget


@rule("money_format")
def money_format(ctx: Context) -> Iterator[Finding]:
    for path, value in irregular_amounts(ctx.draft):
        if not in_range(value):
            # Refused when a file loads or a field is typed; only a draft built in code has one.
            yield Finding(
                path,
                f"“{label(path, 'zh')}”{fm(value)} 超出金额范围：请按万元填写实际金额。",
                f"{label(path, 'en')} {fm(value)} is out of range: enter the amount in 10k CNY.",
            )
        elif value < 0:
            yield Finding(
                path,
                f"“{label(path, 'zh')}”为负数（{fm(value)} 万元）。金额不得为负：请更正。",
                f"{label(path, 'en')} is negative ({fm(value)}). Amounts cannot be negative: "
                "correct it.",
            )
        else:
            yield Finding(
                path,
                f"“{label(path, 'zh')}”{fm(value)} 万元超过两位小数。金额以万元计，最多两位小数："
                f"请改为 {fm(value.quantize(CENT))} 或其他两位小数的金额。",
                f"{label(path, 'en')} {fm(value)} has more than 2 decimals. Amounts are in "
                f"10k CNY with at most 2 decimals: make it {fm(value.quantize(CENT))} or "
                "another amount with 2 decimals.",
            )


@rule("budget_units_sum")
def budget_units_sum(ctx: Context) -> Iterator[Finding]:
    draft = ctx.draft
    if all(getattr(draft.budget, c) is None for c in BUDGET_CATEGORIES):
        return
    total = draft.budget.total
    units = draft.units_funding
    if draft.units and units != total:
        gap = fm(abs(units - total))
        more_zh, more_en = ("多", "more") if units > total else ("少", "less")
        yield Finding(
            "units",
            f"各单位中央财政经费合计 {fm(units)} 万元，比预算合计 {fm(total)} 万元{more_zh} "
            f"{gap} 万元。两者须相等：请调整单位经费或预算科目。",
            f"The units' central funding adds up to {fm(units)}, {gap} {more_en} than the "
            f"budget total of {fm(total)} (10k CNY). They must be equal: adjust the units' "
            "funding or the budget.",
        )


def _funding_clause(ctx: Context) -> Clause:
    # The guide writes "共拟支持经费：3000万元人民币。": the item, then the clause.
    item, text = clause_parts(ctx.direction.funding.text, "共拟支持经费")
    return Clause(ctx.direction.code, item, text)


@rule("funding_total")
def funding_total(ctx: Context) -> Iterator[Finding]:
    total = ctx.draft.budget.total
    funding = ctx.direction.funding
    cap = funding.amount
    if total <= cap:
        return
    over = fm(total - cap)
    if funding.approx:
        # "…万元左右": an approximate total; exceeding it needs a reason, it is not refused.
        yield Finding(
            "budget",
            f"申请经费 {fm(total)} 万元，超过本方向共拟支持经费约 {fm(cap)} 万元（指南为“左右”），"
            f"多 {over} 万元：请核实预算；如确需，请在申报书中说明理由。",
            f"The request of {fm(total)} is {over} above the direction's total funding of "
            f"about {fm(cap)} (10k CNY; the guide says 'about'): check the budget, and if it "
            "is needed, give the reasons in the application.",
            severity="warning",
            clause=_funding_clause(ctx),
        )
        return
    yield Finding(
        "budget",
        f"申请经费 {fm(total)} 万元，超过本方向共拟支持经费 {fm(cap)} 万元，多 {over} 万元："
        f"请把预算压缩到 {fm(cap)} 万元以内。",
        f"The request of {fm(total)} exceeds the direction's total funding of {fm(cap)} "
        f"(10k CNY) by {over}: cut the budget to {fm(cap)} or less.",
        clause=_funding_clause(ctx),
    )


@rule("funding_average")
def funding_average(ctx: Context) -> Iterator[Finding]:
    direction = ctx.direction
    total = ctx.draft.budget.total
    count = max(direction.projects.low, 1)
    average = direction.average_funding
    if average < total <= direction.funding.amount:
        amount = fm(direction.funding.amount)
        yield Finding(
            "budget",
            f"申请经费 {fm(total)} 万元，比本方向平均每项约 {fm(average)} 万元（{amount} 万元 ÷ "
            f"{count} 项）多 {fm(total - average)} 万元：请核实预算是否合理。",
            f"The request of {fm(total)} is {fm(total - average)} above this direction's "
            f"average of about {fm(average)} per project ({amount} / {count}, 10k CNY): "
            "check that it is justified.",
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


@rule("indirect_cap", params=TiersParams)
def indirect_cap(ctx: Context) -> Iterator[Finding]:
    budget = ctx.draft.budget
    indirect = budget.amount("indirect")
    if indirect <= 0:
        return
    base = budget.direct - budget.amount("equipment")
    cap = indirect_cap_amount(base, ctx.params)
    if indirect > cap:
        yield Finding(
            "budget.indirect",
            f"间接费用 {fm(indirect)} 万元超过上限 {fm(cap)} 万元（按直接费用扣除设备费后的 "
            f"{fm(base)} 万元分段核定），多 {fm(indirect - cap)} 万元：请降到 {fm(cap)} 万元以内。",
            f"Indirect costs of {fm(indirect)} exceed the cap of {fm(cap)} (tiered on direct "
            f"costs less equipment, {fm(base)}) by {fm(indirect - cap)} (10k CNY): lower them "
            f"to {fm(cap)} or less.",
        )


@rule("other_note")
def other_note(ctx: Context) -> Iterator[Finding]:
    budget = ctx.draft.budget
    if budget.amount("other") > 0 and not budget.other_note.strip():
        yield Finding(
            "budget.other_note",
            "其他支出大于零，但没有说明。其他支出应说明用途：请填写这笔支出的用途。",
            "Other costs are above zero but not explained. Other costs need their purpose: "
            "say what they pay for.",
        )
