"""The Chinese side: lead unit, credit codes, eligibility, subordination, enterprises."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import cast

from wizard.draft import Unit
from wizard.money import format_money
from wizard.names import is_part_of, key, name_set, same_name, variants
from wizard.rules.common import unlisted_unit
from wizard.rules.model import Context, Finding, sentence
from wizard.rules.params import CountParams, SubordinationParams
from wizard.rules.registry import rule
from wizard.uscc import uscc_detail


@rule("one_lead_unit")
def one_lead_unit(ctx: Context) -> Iterator[Finding]:
    leads = [i for i, u in enumerate(ctx.draft.units) if u.role == "lead"]
    if not ctx.draft.units:
        return
    if not leads:
        yield Finding(
            "units[0].role",
            "没有牵头单位。每个项目须明确一家中方牵头单位：请指定一家。",
            "There is no lead unit. Each project must name one Chinese lead unit: choose one.",
        )
    for i in leads[1:]:
        yield Finding(
            f"units[{i}].role",
            f"有 {len(leads)} 家牵头单位，多 {len(leads) - 1} 家。只能有一家牵头单位：请把其余"
            "改为参与单位。",
            f"There are {len(leads)} lead units, {len(leads) - 1} too many. Only one may lead: "
            "make the others participants.",
        )


def _uscc_why(problem: str, position: int, char: str) -> tuple[str, str]:
    if problem == "length":
        return (
            f"有 {position} 位，应为 18 位",
            f"has {position} characters; it must have 18",
        )
    if problem == "characters":
        if 3 <= position <= 8:
            return (
                f"第 {position} 位“{char}”不对：第 3–8 位（登记管理机关行政区划码）须为数字",
                f"has '{char}' at position {position}: positions 3–8 (the region code) must "
                "be digits",
            )
        return (
            f"第 {position} 位“{char}”不是允许的字符（数字或除 I、O、S、V、Z 以外的大写字母）",
            f"has '{char}' at position {position}, which is not allowed (digits and capital "
            "letters other than I, O, S, V, Z)",
        )
    return (
        f"校验位（第 18 位“{char}”）不正确，可能有录入错误",
        f"has a wrong check character ('{char}', position 18): probably a typo",
    )


@rule("credit_code")
def credit_code(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if not unit.credit_code.strip():
            continue
        detail = uscc_detail(unit.credit_code)
        if detail is not None:
            zh, en = _uscc_why(*detail)
            yield Finding(
                f"units[{i}].credit_code",
                f"“{unit.name}”的统一社会信用代码{zh}：请对照营业执照或登记证书重新填写。",
                f"The unified social credit code of '{unit.name}' {en}: copy it again from the "
                "registration certificate.",
            )


@rule("no_government_units")
def no_government_units(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if unit.kind == "government":
            yield Finding(
                f"units[{i}].kind",
                f"“{unit.name}”是国家机关。国家机关不得牵头或参与申报：请删除该单位。",
                f"'{unit.name}' is a government body. Government bodies may neither lead nor "
                "take part: remove it.",
            )


@rule("leader_in_units")
def leader_in_units(ctx: Context) -> Iterator[Finding]:
    draft = ctx.draft
    i = draft.leader_index
    if i is None:
        return
    unit = draft.team[i].unit.strip()
    if unit and not any(same_name(unit, u.name) for u in draft.units if u.name.strip()):
        yield unlisted_unit(draft, "leader", i, unit)


def _distinct(units: list[Unit]) -> tuple[int, list[int]]:
    """The number of distinct units (names compared as a reviewer would), and the indexes
    of repeats."""
    seen: dict[str, int] = {}
    repeats: list[int] = []
    distinct = 0
    for i, u in enumerate(units):
        name = u.name.strip()
        forms = variants(name) if name else ()
        if forms and any(f in seen for f in forms):
            repeats.append(i)
            continue
        distinct += 1
        for f in forms:
            seen.setdefault(f, i)
    return distinct, repeats


@rule("min_units", params=CountParams)
def min_units(ctx: Context) -> Iterator[Finding]:
    count = cast(CountParams, ctx.params).count
    units = ctx.draft.units
    have, repeats = _distinct(units)
    if have >= count:
        return
    note_zh = note_en = ""
    if repeats:
        names = "、".join(f"“{units[i].name.strip()}”" for i in repeats)
        names_en = ", ".join(f"'{units[i].name.strip()}'" for i in repeats)
        note_zh = f"（{names}重复列出，只计一家）"
        note_en = f" ({names_en} listed more than once, counted once)"
    yield Finding(
        "units",
        f"中方参与单位只有 {have} 家{note_zh}，少 {count - have} 家。本方向须有互无隶属关系的 "
        f"{count} 家及以上中方参与单位：请再添加 {count - have} 家。",
        f"There are only {have} distinct Chinese units{note_en}, {count - have} short. This "
        f"direction needs {count} or more independent Chinese units: add {count - have}.",
    )


def _split_parent(parent: str) -> list[str]:
    """A parent as written, possibly a chain: "中国科学院 / 沈阳分院", "A > B"."""
    for sep in ("＞", "→", "／", "；", ";"):
        parent = parent.replace(sep, "/")
    parent = parent.replace(">", "/")
    return [p.strip() for p in parent.split("/") if p.strip()]


class _Canon:
    """Names with renames and equivalent endings folded, per parameter set."""

    def __init__(self, params: SubordinationParams) -> None:
        self.suffixes = [(key(s.old), key(s.new)) for s in params.suffixes]
        self.renames = {self._ending(key(r.old)): self._ending(key(r.new)) for r in params.renames}

    def _ending(self, k: str) -> str:
        for old, new in self.suffixes:
            if k.endswith(old):
                return k[: -len(old)] + new
        return k

    def __call__(self, k: str) -> str:
        k = self._ending(k)
        return self.renames.get(k, k)


def _canon(params: SubordinationParams) -> _Canon:
    """Built once per parameter set (the engine parses params once per guide)."""
    canon = params._derived
    if not isinstance(canon, _Canon):
        canon = params._derived = _Canon(params)
    return canon


class _Keys:
    """The units' name keys, to find the units a name begins or ends with (a sub-unit's name
    holds its body's: 清华大学深圳国际研究生院, Facultad de Química de la Universidad …)
    with a few lookups rather than a comparison per unit."""

    def __init__(self, named: list[tuple[int, str]]) -> None:
        self.named = dict(named)
        self.by_key: dict[str, list[int]] = {}
        for i, name in named:
            k = key(name)
            if k:
                self.by_key.setdefault(k, []).append(i)
        self.lengths = sorted({len(k) for k in self.by_key})

    def bodies_of(self, name: str, not_: int) -> Iterator[int]:
        """Units (other than `not_`) that `name` is a part of."""
        k = key(name)
        found: list[int] = []
        for length in self.lengths:
            if length >= len(k):
                break
            for piece in (k[:length], k[-length:]):
                found.extend(j for j in self.by_key.get(piece, ()) if j != not_)
        for j in dict.fromkeys(found):
            if is_part_of(name, name_set(self.named[j])):
                yield j


@rule("no_subordination", params=SubordinationParams)
def no_subordination(ctx: Context) -> Iterator[Finding]:
    canon = _canon(cast(SubordinationParams, ctx.params))
    pairs = tuple((u.name, u.parent) for u in ctx.draft.units)
    # Findings are only read (the engine copies them into violations), so they can be shared
    # between evaluations: the units change far less often than the rest of the draft.
    return iter(_subordination(pairs, canon))


@lru_cache(maxsize=256)
def _subordination(pairs: tuple[tuple[str, str], ...], canon: _Canon) -> tuple[Finding, ...]:
    return tuple(_subordination_findings(pairs, canon))


def _subordination_findings(pairs: tuple[tuple[str, str], ...], canon: _Canon) -> Iterator[Finding]:
    named = [(i, name.strip()) for i, (name, _) in enumerate(pairs) if name.strip()]
    if len(named) < 2:
        return
    by_form: dict[str, list[int]] = {}
    for i, name in named:
        for form in {canon(v) for v in variants(name)}:
            by_form.setdefault(form, []).append(i)
    keys = _Keys(named)
    flagged: set[int] = set()
    for i, (unit_name, parent) in enumerate(pairs):
        for element in _split_parent(parent):
            same = [j for v in variants(element) for j in by_form.get(canon(v), ()) if j != i]
            j = same[0] if same else next(keys.bodies_of(element, i), None)
            if j is None:
                continue
            flagged.add(i)
            other = keys.named[j]
            how_zh = "" if same else f"（上级单位“{element}”属于“{other}”）"
            how_en = "" if same else f" (its parent '{element}' is part of '{other}')"
            yield Finding(
                f"units[{i}].parent",
                f"“{unit_name}”隶属于本项目的另一家单位“{other}”{how_zh}。中方参与单位须"
                "互无隶属关系：请删除其一，或换成无隶属关系的单位。",
                f"'{unit_name}' is subordinate to '{other}', another unit of this "
                f"project{how_en}. The Chinese units must be independent of each other: "
                "drop one, or pick an independent unit.",
            )
            break
    # A name that is another unit's name plus a unit word (清华大学深圳国际研究生院 beside
    # 清华大学) suggests a sub-unit even with no parent given.
    for i, name in named:
        if i in flagged:
            continue
        j = next(keys.bodies_of(name, i), None)
        if j is not None:
            other = keys.named[j]
            yield Finding(
                f"units[{i}].name",
                f"名称显示“{name}”可能是本项目另一家单位“{other}”的下属机构。中方参与单位须"
                "互无隶属关系：请核实；如确有隶属关系，请删除其一。",
                f"The name suggests that '{name}' may be part of '{other}', another unit of "
                "this project. The Chinese units must be independent: check it, and drop "
                "one if it is.",
                severity="warning",
            )


@rule("enterprise_matching")
def enterprise_matching(ctx: Context) -> Iterator[Finding]:
    for i, unit in enumerate(ctx.draft.units):
        if unit.kind != "enterprise" or unit.funding is None:
            continue
        matching = unit.matching if unit.matching is not None else Decimal(0)
        if matching < unit.funding:
            short = format_money(unit.funding - matching)
            funding, has = format_money(unit.funding), format_money(matching)
            yield Finding(
                f"units[{i}].matching",
                f"企业“{unit.name}”配套出资 {has} 万元，少于其获得的政府资助 "
                f"{funding} 万元，少 {short} 万元。参与企业应提供至少等额的配套出资：请提高到至少 "
                f"{funding} 万元。",
                f"The enterprise '{unit.name}' matches {has} but receives "
                f"{funding} (10k CNY), {short} short. Enterprises must match at least what "
                f"they receive: raise it to at least {funding}.",
            )


@rule("encourage_enterprise")
def encourage_enterprise(ctx: Context) -> Iterator[Finding]:
    if ctx.draft.units and not any(u.kind == "enterprise" for u in ctx.draft.units):
        req = ctx.requirement
        yield Finding(
            "units",
            f"目前没有企业参与。本方向{sentence(req.text, 'zh', inner=True)}：可考虑增加企业"
            "参与单位。",
            f"No enterprise takes part yet. The guide says: {sentence(req.text_en, 'en')} "
            "Consider adding an enterprise.",
            severity="info",
        )
