"""The foreign side: both sides file, with the named agency, with the named institutions."""

from __future__ import annotations

from collections.abc import Iterator

from wizard.guide import normalise_name
from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule


@rule("both_sides_file")
def both_sides_file(ctx: Context) -> Iterator[Finding]:
    if not ctx.draft.partner.submitted:
        yield Finding(
            "partner.submitted",
            "外方尚未确认向其本国项目征集部门同步申报：单方申报项目无效，"
            "请与外方确认其已就同一项目申报后勾选此项。",
            "The partner has not confirmed filing with its own agency: one-sided applications "
            "are void. Confirm the partner files the same project there, then tick this.",
        )


@rule("partner_agency")
def partner_agency(ctx: Context) -> Iterator[Finding]:
    agency = ctx.direction.agency
    value = ctx.draft.partner.agency.strip()
    if agency is None or not value or agency.matches(value):
        return
    yield Finding(
        "partner.agency",
        f"外方申报部门“{value}”与指南不符：本方向外方部门为“{agency.zh}”。",
        f"Partner agency '{value}' is not the one the guide names: it is {agency.en}.",
    )


def _is_named(name: str, wanted: list[str]) -> bool:
    normalised = normalise_name(name)
    return any(normalise_name(w) and normalise_name(w) in normalised for w in wanted)


@rule("partner_institution")
def partner_institution(ctx: Context) -> Iterator[Finding]:
    names: list[str] = [str(n) for n in ctx.requirement.params.get("names", [])]
    require_all = bool(ctx.requirement.params.get("all", False))
    institutions = ctx.draft.partner.institutions
    if not institutions or not names:
        return
    if require_all:
        for i, inst in enumerate(institutions):
            if inst.name.strip() and not _is_named(inst.name, names):
                yield Finding(
                    f"partner.institutions[{i}].name",
                    f"外方单位“{inst.name}”不是{names[0]}：本方向外方须为{names[0]}，"
                    "请更正或删除该单位。",
                    f"'{inst.name}' is not {names[-1]}: this direction's partner must be "
                    f"{names[-1]}; correct or remove it.",
                )
    elif not any(_is_named(inst.name, names) for inst in institutions):
        yield Finding(
            "partner.institutions[0].name",
            f"外方单位中没有{names[0]}：本方向外方承担单位须为{names[0]}，请添加。",
            f"None of the partner institutions is {names[1] if len(names) > 1 else names[0]}: "
            "the guide names it as the partner-side institution; add it.",
        )


@rule("research_units_only")
def research_units_only(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if unit.kind is not None and unit.kind not in ("university", "institute"):
            yield Finding(
                f"units[{i}].kind",
                f"中方单位“{unit.name}”不是科研机构或高校：本方向实施单位必须是科研机构或高校。",
                f"Chinese unit '{unit.name}' is not a research institution or university: "
                "this direction admits only those.",
            )
    for i, inst in enumerate(ctx.draft.partner.institutions):
        if inst.kind is not None and inst.kind not in ("university", "institute"):
            yield Finding(
                f"partner.institutions[{i}].kind",
                f"外方单位“{inst.name}”不是科研机构或高校：本方向实施单位必须是科研机构或高校。",
                f"Partner institution '{inst.name}' is not a research institution or "
                "university: this direction admits only those.",
            )


@rule("two_plus_two")
def two_plus_two(ctx: Context) -> Iterator[Finding]:
    cn = {u.kind for u in ctx.draft.units}
    foreign = {i.kind for i in ctx.draft.partner.institutions}
    sides = (
        ("units", "中方", "Chinese", cn),
        ("partner.institutions", "外方", "partner", foreign),
    )
    for path, zh, en, kinds in sides:
        if not kinds & {"university", "institute"}:
            yield Finding(
                path,
                f"“2+2”模式要求{zh}至少有一家科研单位（含大学）：请添加。",
                f"The 2+2 model needs at least one research unit (incl. universities) on the "
                f"{en} side: add one.",
            )
        if "enterprise" not in kinds:
            yield Finding(
                path,
                f"“2+2”模式要求{zh}至少有一家企业参与：请添加。",
                f"The 2+2 model needs at least one enterprise on the {en} side: add one.",
            )
