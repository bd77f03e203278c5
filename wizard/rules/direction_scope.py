"""领域方向 and 执行期: the project belongs to the direction and runs as long as it allows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from wizard.guide import FieldOfWork, Fields, Topic
from wizard.names import key
from wizard.rules.h2020 import topic_code
from wizard.rules.model import Clause, Context, Finding
from wizard.rules.params import PeriodParams
from wizard.rules.registry import rule


def _field_clause(ctx: Context) -> Clause:
    return Clause(ctx.direction.code, "领域方向", ctx.direction.fields.text)


def find_field(fields: Fields, name: str) -> FieldOfWork | None:
    """The field `name` names, in Chinese or English, as a reviewer reads it."""
    found = fields.find(name)
    if found is not None:
        return found
    k = key(name)
    for item in fields.items:
        if k in (key(item.zh), key(item.en)):
            return item
    return None


def find_topic(field: FieldOfWork, text: str) -> Topic | None:
    """The topic `text` names: its key, Chinese or English name, or an H2020 code in any case,
    alone or as "CODE: title"."""
    code = topic_code(text)
    k = key(text)
    for t in field.topics:
        if t.key == text or (t.code is not None and code == t.code.upper()):
            return t
        if k in (key(t.zh), key(t.en)) or (t.code is not None and k == key(t.code)):
            return t
    return None


@rule("field_in_direction")
def field_in_direction(ctx: Context) -> Iterator[Finding]:
    fields = ctx.direction.fields
    project = ctx.draft.project
    if not project.field.strip() or fields.mode == "unrestricted":
        return
    field = find_field(fields, project.field.strip())
    if field is None:
        names_zh = "、".join(f.zh for f in fields.items)
        names_en = "; ".join(f.en for f in fields.items)
        if fields.mode == "priority":
            yield Finding(
                "project.field",
                f"“{project.field}”不在本方向优先支持的领域（{names_zh}）之内。本方向不限于所列"
                "领域，可以申报，但所列领域优先支持。",
                f"'{project.field}' is not one of this direction's priority fields ({names_en}). "
                "The direction is not limited to them, so it may be submitted, but listed "
                "fields are favoured.",
                severity="info",
                clause=_field_clause(ctx),
            )
        else:
            yield Finding(
                "project.field",
                f"“{project.field}”不是方向 {ctx.direction.code} 的领域。项目须属于本方向的领域"
                f"方向：请从{names_zh}中选择。",
                f"'{project.field}' is not a field of direction {ctx.direction.code}. The "
                f"project must belong to one of its fields: choose one of {names_en}.",
                clause=_field_clause(ctx),
            )
        return
    topic = project.topic.strip()
    if field.topics and topic and find_topic(field, topic) is None:
        keys_zh = "、".join(t.key for t in field.topics)
        keys_en = "; ".join(f"{t.code}: {t.en}" if t.code else t.en for t in field.topics)
        yield Finding(
            "project.topic",
            f"“{topic}”不是领域“{field.zh}”下的方向。项目须属于所选领域的方向：请从{keys_zh}"
            "中选择。",
            f"'{topic}' is not a topic of the field '{field.en}'. The project must belong to "
            f"one of its topics: choose one of {keys_en}.",
            clause=_field_clause(ctx),
        )


def _span(months: int, lang: str) -> str:
    if lang == "en":
        if months % 12 == 0:
            years = months // 12
            return f"{years} year" + ("s" if years != 1 else "")
        return f"{months} months"
    return f"{months // 12} 年" if months % 12 == 0 else f"{months} 个月"


def _force(text: str) -> tuple[str, str] | None:
    """(zh, en) of the guide's own softening word, if the clause has one."""
    for word, en in (("原则上", "in principle"), ("一般", "generally")):
        if word in text:
            return word, en
    return None


@rule("period", params=PeriodParams)
def period(ctx: Context) -> Iterator[Finding]:
    months = ctx.draft.project.months
    if months is None:
        return
    params = cast(PeriodParams, ctx.params)
    low, high = params.min_months, params.max_months
    force = _force(ctx.requirement.text)
    if low is not None and low == high and months != low and force is None:
        # "项目执行期为 2年": one length, not a range.
        diff_zh = f"短 {low - months} 个月" if months < low else f"长 {months - low} 个月"
        diff_en = (
            f"{low - months} months short" if months < low else f"{months - low} months too long"
        )
        yield Finding(
            "project.months",
            f"执行期 {months} 个月，比 {_span(low, 'zh')}{diff_zh}。项目执行期须为 "
            f"{_span(low, 'zh')}：请改为 {low} 个月。",
            f"The period of {months} months is {diff_en}. The project period must be "
            f"{_span(low, 'en')}: make it {low} months.",
        )
        return
    if low is not None and months < low:
        yield _outside(months, low, False, force)
    if high is not None and months > high:
        yield _outside(months, high, True, force)


def _outside(months: int, bound: int, over: bool, force: tuple[str, str] | None) -> Finding:
    """The period is short of `bound` (or, `over`, longer than it): the notice's word for
    the limit is strict (须, must) or softened (`force`: 原则上, 一般), reasons then allowed."""
    span_zh, span_en = _span(bound, "zh"), _span(bound, "en")
    if over:
        by_zh, by_en = f"长 {months - bound} 个月", f"{months - bound} months longer than"
        need_zh, need_en = "不超过", "not exceed"
        fix_zh, fix_en = f"请缩短到 {bound} 个月以内", f"shorten it to {bound} months or less"
    else:
        by_zh, by_en = f"短 {bound - months} 个月", f"{bound - months} months short of"
        need_zh, need_en = ("不少于" if force else "至少"), "be at least"
        fix_zh, fix_en = f"请改为至少 {bound} 个月", f"make it at least {bound} months"
    if force is not None:
        word_zh, word_en = force
        zh = f"项目执行期{word_zh}{need_zh} {span_zh}：{fix_zh}；如确需，请在申报书中说明理由。"
        en = f"The project period should {word_en} {need_en} {span_en}: {fix_en}. "
        en += "If it is needed, give the reasons in the application."
    else:
        zh = f"项目执行期须{need_zh} {span_zh}：{fix_zh}。"
        en = f"The project period must {need_en} {span_en}: {fix_en}."
    return Finding(
        "project.months",
        f"执行期 {months} 个月，比 {span_zh}{by_zh}。{zh}",
        f"The period of {months} months is {by_en} {span_en}. {en}",
    )
