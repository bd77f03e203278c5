"""The Chinese side: lead unit, credit codes, eligibility, subordination, enterprises."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from wizard.money import format_money
from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule
from wizard.uscc import uscc_problem


@rule("one_lead_unit")
def one_lead_unit(ctx: Context) -> Iterator[Finding]:
    leads = [i for i, u in enumerate(ctx.draft.units) if u.role == "lead"]
    if not ctx.draft.units:
        return
    if not leads:
        yield Finding(
            "units[0].role",
            "没有牵头单位：请指定一家中方牵头单位。",
            "There is no lead unit: choose one Chinese unit to lead.",
        )
    for i in leads[1:]:
        yield Finding(
            f"units[{i}].role",
            f"有 {len(leads)} 家牵头单位：只能有一家，请把其余改为参与单位。",
            f"There are {len(leads)} lead units: only one may lead; make the others participants.",
        )


_USCC_WHY = {
    "length": ("应为 18 位", "must have 18 characters"),
    "characters": (
        "含有不允许的字符（第3–8位须为数字，不用 I、O、S、V、Z）",
        "has characters that are not allowed (3rd–8th must be digits; no I, O, S, V, Z)",
    ),
    "check": ("校验位不正确，可能有录入错误", "has a wrong check character: probably a typo"),
}


@rule("credit_code")
def credit_code(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if not unit.credit_code.strip():
            continue
        problem = uscc_problem(unit.credit_code)
        if problem:
            zh, en = _USCC_WHY[problem]
            yield Finding(
                f"units[{i}].credit_code",
                f"统一社会信用代码{zh}：请对照营业执照或登记证书重新填写。",
                f"The unified social credit code {en}: copy it again from the registration "
                "certificate.",
            )


@rule("no_government_units")
def no_government_units(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if unit.kind == "government":
            yield Finding(
                f"units[{i}].kind",
                f"“{unit.name}”是国家机关：国家机关不得牵头或参与申报，请删除该单位。",
                f"'{unit.name}' is a government body: government bodies may neither lead nor "
                "take part; remove it.",
            )


@rule("leader_in_units")
def leader_in_units(ctx: Context) -> Iterator[Finding]:
    unit = ctx.draft.leader.unit.strip()
    names = {u.name.strip() for u in ctx.draft.units}
    if unit and unit not in names:
        yield Finding(
            "leader.unit",
            f"项目负责人所在单位“{unit}”不在中方单位名单中：请选择已列出的单位。",
            f"The leader's unit '{unit}' is not one of the Chinese units: choose a listed unit.",
        )


@rule("min_units")
def min_units(ctx: Context) -> Iterator[Finding]:
    count = int(ctx.requirement.params.get("count", 1))
    have = len(ctx.draft.units)
    if have < count:
        yield Finding(
            "units",
            f"中方参与单位只有 {have} 家：本方向须有 {count} 家及以上，请再添加 {count - have} 家。",
            f"Only {have} Chinese unit(s): this direction needs {count} or more; "
            f"add {count - have}.",
        )


@rule("no_subordination")
def no_subordination(ctx: Context) -> Iterator[Finding]:
    units = ctx.draft.units
    names = {u.name.strip(): i for i, u in enumerate(units) if u.name.strip()}
    siblings: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        parent = unit.parent.strip()
        if not parent:
            continue
        if parent in names and names[parent] != i:
            yield Finding(
                f"units[{i}].parent",
                f"“{unit.name}”隶属于本项目的另一家单位“{parent}”：中方参与单位须互无隶属关系，"
                "请删除其一或换成无隶属关系的单位。",
                f"'{unit.name}' belongs to '{parent}', another unit of this project: the units "
                "must be independent of each other; drop one or pick an independent unit.",
            )
        siblings[parent].append(i)
    for parent, members in siblings.items():
        if len(members) > 1 and parent not in names:
            for i in members[1:]:
                yield Finding(
                    f"units[{i}].parent",
                    f"“{units[i].name}”与“{units[members[0]].name}”同属“{parent}”："
                    "请确认两者互无隶属关系。",
                    f"'{units[i].name}' and '{units[members[0]].name}' share the parent body "
                    f"'{parent}': make sure neither is subordinate to the other.",
                    severity="warning",
                )


@rule("enterprise_matching")
def enterprise_matching(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if unit.kind != "enterprise" or unit.funding is None:
            continue
        matching = unit.matching if unit.matching is not None else Decimal(0)
        if matching < unit.funding:
            has, needs = format_money(matching), format_money(unit.funding)
            yield Finding(
                f"units[{i}].matching",
                f"企业“{unit.name}”配套 {has} 万元，少于其获得的政府资助 {needs} 万元："
                f"请将配套出资提高到至少 {needs} 万元。",
                f"Enterprise '{unit.name}' matches {has} but receives {needs} "
                f"(10k CNY): raise its matching funds to at least {needs}.",
            )


@rule("encourage_enterprise")
def encourage_enterprise(ctx: Context) -> Iterator[Finding]:
    if ctx.draft.units and not any(u.kind == "enterprise" for u in ctx.draft.units):
        yield Finding(
            "units",
            "本方向鼓励企业参与、优先支持产学研联合研发：可考虑增加企业参与单位。",
            "This direction encourages enterprises to take part and favours joint "
            "industry-research work: consider adding an enterprise.",
            severity="info",
        )
