"""The foreign side: both sides file, from the partner country, with the named agency and
the designated institutions. Names are compared as a reviewer would (wizard.names)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from wizard.guide import Designated, Direction
from wizard.names import countries, same_name
from wizard.rules.model import Context, Finding
from wizard.rules.params import DesignatedParams
from wizard.rules.registry import rule


@rule("both_sides_file")
def both_sides_file(ctx: Context) -> Iterator[Finding]:
    if not ctx.draft.partner.submitted:
        yield Finding(
            "partner.submitted",
            "外方尚未确认向其本国项目征集部门同步申报。单方申报项目无效：请与外方确认其已就"
            "同一项目申报，然后勾选此项。",
            "The partner has not confirmed that it files with its own country's agency, and "
            "one-sided applications are void: confirm that the partner files the same project "
            "there, then tick this.",
        )


def _country_code(direction: Direction) -> str | None:
    return direction.countries[0] if len(direction.countries) == 1 else None


def _other_agency(ctx: Context, value: str) -> tuple[str, str] | None:
    """(zh, en) of the known different body `value` names: listed as one, or the agency of
    another direction."""
    agency = ctx.direction.agency
    assert agency is not None
    other = agency.other_named(value)
    if other is not None:
        return other.zh, other.en
    for d in ctx.guide.directions:
        if d.agency is not None and d.code != ctx.direction.code:
            if d.agency.matches(value, _country_code(d)):
                return d.agency.zh, d.agency.en
    return None


@rule("partner_agency")
def partner_agency(ctx: Context) -> Iterator[Finding]:
    agency = ctx.direction.agency
    value = ctx.draft.partner.agency.strip()
    if agency is None or not value or agency.matches(value, _country_code(ctx.direction)):
        return
    other = _other_agency(ctx, value)
    if other is not None:
        other_zh, other_en = other
        yield Finding(
            "partner.agency",
            f"外方申报部门“{value}”是{other_zh}，不是本方向指南规定的外方部门。指南规定外方部门为"
            f"“{agency.zh}”（{agency.en}）：请与外方确认其向该部门申报，并改填该部门。",
            f"The partner agency '{value}' is {other_en}, not the agency the guide names for "
            f"this direction. The guide names {agency.en} ({agency.zh}): confirm with the "
            "partner that it files there, and enter that agency.",
        )
        return
    history_zh, history_en = agency.history("zh"), agency.history("en")
    yield Finding(
        "partner.agency",
        f"未能确认外方申报部门“{value}”就是指南规定的“{agency.zh}”（{agency.en}"
        + (f"；{history_zh}" if history_zh else "")
        + "）。请与外方核实其向该部门申报，并填写该部门的正式名称（中文、外文或缩写均可）。",
        f"The partner agency '{value}' could not be recognised as the one the guide names, "
        f"{agency.en} ({agency.zh}"
        + (f"; {history_en}" if history_en else "")
        + "). Check with the partner that it files there, and enter that agency's official "
        "name (in Chinese, English, the partner's language or as an abbreviation).",
        severity="warning",
    )


@rule("partner_country")
def partner_country(ctx: Context) -> Iterator[Finding]:
    allowed = ctx.direction.countries
    value = ctx.draft.partner.country.strip()
    if not allowed or not value:
        return
    partner = ctx.direction.partner
    if same_name(value, partner.zh) or same_name(value, partner.en):
        return  # as the guide names the partner ("日本理化学研究所（RIKEN）")
    table = countries()
    code = table.code_of(value)
    if code is not None and code in allowed:
        return
    if len(allowed) > 1:
        want_zh = f"{partner.zh}成员国或地平线 2020 联系国"
        want_en = f"a member state of the {partner.en} or a country associated to Horizon 2020"
    else:
        want_zh, want_en = partner.zh, partner.en
    if code is None:
        yield Finding(
            "partner.country",
            f"未能识别外方国家“{value}”。本方向合作方应来自{want_zh}：请填写国家名称，"
            f"如“{partner.zh}”。",
            f"The partner country '{value}' is not recognised. This direction's partner must "
            f"be from {want_en}: enter the country's name, e.g. '{partner.en}'.",
            severity="warning",
        )
        return
    country = table.by_code[code]
    as_zh = "" if same_name(value, country.zh) else f"（{country.zh}）"
    as_en = "" if same_name(value, country.en) else f" ({country.en})"
    yield Finding(
        "partner.country",
        f"外方国家“{value}”{as_zh}不是本方向的合作方国家：本方向合作方须来自{want_zh}。"
        "请改选与该国合作的指南方向，或改填合作方所在国家。",
        f"The partner country '{value}'{as_en} is not this direction's partner: it "
        f"must be from {want_en}. Choose the direction for that country, or correct the "
        "country.",
    )


def _designated(ctx: Context) -> Designated:
    wanted = cast(DesignatedParams, ctx.params).designated
    for body in ctx.direction.designated:
        if body.id == wanted:
            return body
    raise LookupError(f"direction {ctx.direction.code}: no designated institution {wanted!r}")


@rule("partner_institution", params=DesignatedParams)
def partner_institution(ctx: Context) -> Iterator[Finding]:
    params = cast(DesignatedParams, ctx.params)
    body = _designated(ctx)
    institutions = ctx.draft.partner.institutions
    if not institutions:
        return
    if params.all:
        for i, inst in enumerate(institutions):
            name = inst.name.strip()
            if not name or body.is_unit(name):
                continue
            other = body.other_named(name)
            what_zh = f"是{other.zh}，" if other else ""
            what_en = f"is {other.en}, " if other else ""
            yield Finding(
                f"partner.institutions[{i}].name",
                f"外方单位“{name}”{what_zh}不是{body.zh}（{body.en}）或其下属机构。本方向外方"
                f"合作方须为{body.zh}的单位：请改填其所在的{body.zh}机构（如“{body.en}”或其"
                "中心、实验室），或删除该单位。",
                f"The partner institution '{name}' {what_en}is not {body.en} ({body.zh}) or "
                f"one of its units. This direction's partner must belong to {body.en}: enter "
                f"its {body.en} unit (e.g. '{body.en}' or one of its centres or laboratories), "
                "or remove it.",
            )
    elif not any(body.is_unit(inst.name) for inst in institutions if inst.name.strip()):
        yield Finding(
            "partner.institutions[0].name",
            f"外方单位中没有{body.zh}（{body.en}）：指南指定其为外方项目承担单位。请添加该单位"
            "（或其学院、研究所），名称中外文均可。",
            f"None of the partner institutions is {body.en} ({body.zh}): the guide designates "
            "it as the partner-side implementing institution. Add it (or one of its faculties "
            "or institutes), under its name in any language.",
        )


@rule("research_units_only")
def research_units_only(ctx: Context) -> Iterator[Finding]:
    draft = ctx.draft
    sides: tuple[tuple[str, str, str, list[tuple[str, str | None]]], ...] = (
        ("units", "中方单位", "The Chinese unit", [(u.name, u.kind) for u in draft.units]),
        (
            "partner.institutions",
            "外方单位",
            "The partner institution",
            [(p.name, p.kind) for p in draft.partner.institutions],
        ),
    )
    for at, side_zh, side_en, named in sides:
        for i, (name, kind) in enumerate(named):
            if kind is not None and kind not in ("university", "institute"):
                yield Finding(
                    f"{at}[{i}].kind",
                    f"{side_zh}“{name}”不是科研机构或高校。本方向实施单位必须是科研机构或高校："
                    "请删除该单位，或换成科研机构或高校。",
                    f"{side_en} '{name}' is not a research institution or university. This "
                    "direction admits only those: remove it or replace it with one.",
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
                f"{zh}没有科研单位（含大学）。“2+2”模式要求{zh}至少有一家科研单位（含大学）："
                "请添加一家。",
                f"The {en} side has no research unit (universities included). The 2+2 model "
                f"needs at least one on the {en} side: add one.",
            )
        if "enterprise" not in kinds:
            yield Finding(
                path,
                f"{zh}没有企业。“2+2”模式要求{zh}至少有一家企业参与：请添加一家。",
                f"The {en} side has no enterprise. The 2+2 model needs at least one enterprise "
                f"on the {en} side: add one.",
            )
