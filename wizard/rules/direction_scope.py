"""领域方向 and 执行期: the project belongs to the direction and runs as long as it allows."""

from __future__ import annotations

from collections.abc import Iterator

from wizard.rules.model import Clause, Context, Finding
from wizard.rules.registry import rule


def _field_clause(ctx: Context) -> Clause:
    return Clause(ctx.direction.code, "领域方向", ctx.direction.fields.text)


@rule("field_in_direction")
def field_in_direction(ctx: Context) -> Iterator[Finding]:
    fields = ctx.direction.fields
    project = ctx.draft.project
    if not project.field.strip() or fields.mode == "unrestricted":
        return
    field = fields.find(project.field.strip())
    if field is None:
        names_zh = "、".join(f.zh for f in fields.items)
        names_en = "; ".join(f.en for f in fields.items)
        if fields.mode == "priority":
            yield Finding(
                "project.field",
                f"“{project.field}”不在本方向优先支持的领域（{names_zh}）之内："
                "可以申报，但优先支持所列领域。",
                f"'{project.field}' is not one of this direction's priority fields ({names_en}): "
                "allowed, but listed fields are favoured.",
                severity="info",
                clause=_field_clause(ctx),
            )
        else:
            yield Finding(
                "project.field",
                f"“{project.field}”不是方向 {ctx.direction.code} 的领域：请从 {names_zh} 中选择。",
                f"'{project.field}' is not a field of direction {ctx.direction.code}: "
                f"choose one of {names_en}.",
                clause=_field_clause(ctx),
            )
        return
    topic = project.topic.strip()
    if field.topics and topic and not any(t.key == topic for t in field.topics):
        keys = "、".join(t.key for t in field.topics)
        yield Finding(
            "project.topic",
            f"“{topic}”不是领域“{field.zh}”下的方向：请从 {keys} 中选择。",
            f"'{topic}' is not a topic of the field '{field.en}': choose one of "
            + "; ".join(t.code or t.en for t in field.topics)
            + ".",
            clause=_field_clause(ctx),
        )


def _years(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


@rule("period")
def period(ctx: Context) -> Iterator[Finding]:
    months = ctx.draft.project.months
    if months is None:
        return
    low = ctx.requirement.params.get("min_months")
    high = ctx.requirement.params.get("max_months")
    if low is not None and months < int(low):
        yield Finding(
            "project.months",
            f"执行期 {months} 个月短于要求的 {_years(int(low))}：请改为至少 {low} 个月。",
            f"The period of {months} months is shorter than {low} months: make it at least {low}.",
        )
    if high is not None and months > int(high):
        yield Finding(
            "project.months",
            f"执行期 {months} 个月超过 {_years(int(high))}：请缩短到 {high} 个月以内。",
            f"The period of {months} months exceeds {high} months: shorten it to {high} or less.",
        )
