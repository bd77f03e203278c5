"""Money: the budget adds up, stays within the direction, and respects the indirect-cost cap."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from wizard.draft import BUDGET_CATEGORIES, Draft
from wizard.labels import label
from wizard.money import format_money, in_range
from wizard.rules.model import Clause, Context, Finding
from wizard.rules.registry import rule

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
        amount = format_money(value)
        if not in_range(value):
            # Refused when a file loads or a field is typed; only a draft built in code has one.
            yield Finding(
                path,
                f"“{label(path, 'zh')}”{amount} 超出金额范围：请按万元填写实际金额。",
                f"{label(path, 'en')} {amount} is out of range: enter the amount in 10k CNY.",
            )
        elif value < 0:
            yield Finding(
                path,
                f"“{label(path, 'zh')}”为负数 {amount}：金额不得为负，请更正。",
                f"{label(path, 'en')} is negative ({amount}): amounts cannot be negative.",
            )
        else:
            yield Finding(
                path,
                f"“{label(path, 'zh')}”{amount} 超过两位小数：金额以万元计，最多两位小数。",
                f"{label(path, 'en')} {amount} has more than 2 decimals: amounts are in "
                "10k CNY with at most 2 decimals.",
            )


@rule("budget_units_sum")
def budget_units_sum(ctx: Context) -> Iterator[Finding]:
    draft = ctx.draft
    if all(getattr(draft.budget, c) is None for c in BUDGET_CATEGORIES):
        return
    total = draft.budget.total
    units = draft.units_funding
    if draft.units and units != total:
        got, want, diff = (format_money(v) for v in (units, total, units - total))
        yield Finding(
            "units",
            f"各单位中央财政经费合计 {got} 万元，与预算合计 {want} 万元不符"
            f"（相差 {diff}）：请调整单位经费或预算科目使两者相等。",
            f"The units' central funding adds up to {got} but the budget to {want} "
            f"(difference {diff}, 10k CNY): make them equal.",
        )


def _funding_clause(ctx: Context) -> Clause:
    return Clause(ctx.direction.code, "共拟支持经费", ctx.direction.funding.text)


@rule("funding_total")
def funding_total(ctx: Context) -> Iterator[Finding]:
    total = ctx.draft.budget.total
    cap = ctx.direction.funding.amount
    if total > cap:
        asked, limit = format_money(total), format_money(cap)
        yield Finding(
            "budget",
            f"申请经费 {asked} 万元超过本方向共拟支持经费 {limit} 万元：请压缩预算。",
            f"The request of {asked} exceeds the direction's whole funding of {limit} "
            "(10k CNY): reduce the budget.",
            clause=_funding_clause(ctx),
        )


@rule("funding_average")
def funding_average(ctx: Context) -> Iterator[Finding]:
    direction = ctx.direction
    total = ctx.draft.budget.total
    count = max(direction.projects.low, 1)
    average = (direction.funding.amount / count).quantize(CENT)
    if average < total <= direction.funding.amount:
        asked, mean = format_money(total), format_money(average)
        whole = format_money(direction.funding.amount)
        yield Finding(
            "budget",
            f"申请经费 {asked} 万元高于本方向平均每项约 {mean} 万元"
            f"（{whole} 万元 ÷ {count} 项）：请核实预算是否合理。",
            f"The request of {asked} is above this direction's average of about {mean} "
            f"per project ({whole} / {count}, 10k CNY): check it is justified.",
            clause=_funding_clause(ctx),
        )


def _decimal(value: object) -> Decimal:
    """A tier number as Decimal (the guide loads them as Decimal; tests may pass others)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def indirect_cap_amount(base: Decimal, tiers: list[dict[str, object]]) -> Decimal:
    """Marginal tiers: each rate applies to the part of `base` inside its band."""
    cap = Decimal(0)
    lower = Decimal(0)
    for tier in tiers:
        rate = _decimal(tier["rate"])
        upto = tier.get("upto")
        upper = _decimal(upto) if upto is not None else None
        if base <= lower:
            break
        band_top = base if upper is None else min(base, upper)
        cap += (band_top - lower) * rate
        if upper is None:
            break
        lower = upper
    return cap.quantize(CENT)


@rule("indirect_cap")
def indirect_cap(ctx: Context) -> Iterator[Finding]:
    budget = ctx.draft.budget
    indirect = budget.amount("indirect")
    if indirect <= 0:
        return
    base = budget.direct - budget.amount("equipment")
    cap = indirect_cap_amount(base, list(ctx.requirement.params.get("tiers", [])))
    if indirect > cap:
        has, limit, on, over = (format_money(v) for v in (indirect, cap, base, indirect - cap))
        yield Finding(
            "budget.indirect",
            f"间接费用 {has} 万元超过上限 {limit} 万元（直接费用扣除设备费后 {on} 万元"
            f"按比例核定），超出 {over} 万元：请降到 {limit} 万元以内。",
            f"Indirect costs of {has} exceed the cap of {limit} (on direct costs less "
            f"equipment, {on}) by {over} (10k CNY): lower them to {limit} or less.",
        )


@rule("other_note")
def other_note(ctx: Context) -> Iterator[Finding]:
    budget = ctx.draft.budget
    if budget.amount("other") > 0 and not budget.other_note.strip():
        yield Finding(
            "budget.other_note",
            "其他支出大于零但没有说明：请说明这笔支出的用途。",
            "Other costs are above zero with no explanation: say what they pay for.",
        )
