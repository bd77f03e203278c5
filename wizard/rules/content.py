"""The 申报书's other parts: 课题 carried out by listed units, 进度安排 by project year, the
narrative parts written, 考核指标 complete."""

from __future__ import annotations

from collections.abc import Iterator

from wizard.rules.common import units_of, unlisted_unit
from wizard.rules.model import Context, Finding
from wizard.rules.registry import rule


@rule("task_units")
def task_units(ctx: Context) -> Iterator[Finding]:
    """Each 课题's 承担单位 is one of the listed units (names as a reviewer reads them)."""
    draft, units = ctx.draft, units_of(ctx)
    for t, task in enumerate(draft.tasks):
        unit = task.unit.strip()
        if not unit or units.position(unit) is not None:
            continue
        yield unlisted_unit(draft, "task", t, unit)


@rule("plan_years")
def plan_years(ctx: Context) -> Iterator[Finding]:
    """进度安排: one entry for each project year the period touches, none outside it."""
    draft = ctx.draft
    years = draft.project.years
    if years <= 0:
        return  # no period yet: required_fields asks for the start and months
    seen: dict[int, int] = {}
    for i, stage in enumerate(draft.plan):
        year = stage.year
        if year is None:
            continue
        if year > years:
            yield Finding(
                f"plan[{i}].year",
                f"进度安排第 {i + 1} 条为第 {year} 年，但项目执行期只跨 {years} 个年度：请删除或"
                "改为执行期内的年度。",
                f"Schedule entry {i + 1} is for year {year}, but the period spans only {years} "
                "years: remove it or move it into the period.",
            )
        elif year in seen:
            yield Finding(
                f"plan[{i}].year",
                f"进度安排第 {year} 年有多条（第 {seen[year] + 1} 条和第 {i + 1} 条）。每个年度"
                "一条：请合并。",
                f"The schedule has more than one entry for year {year} (entries "
                f"{seen[year] + 1} and {i + 1}). One entry a year: merge them.",
            )
        else:
            seen[year] = i
    missing = [y for y in range(1, years + 1) if y not in seen]
    if missing:
        shown_zh = "、".join(f"第 {y} 年" for y in missing)
        shown_en = ", ".join(str(y) for y in missing)
        yield Finding(
            "plan",
            f"进度安排缺少{shown_zh}。执行期跨 {years} 个年度，每个年度须有一条：请补充。",
            f"The schedule lacks year(s) {shown_en}. The period spans {years} years, each "
            "needs an entry: add them.",
        )


@rule("narrative_filled")
def narrative_filled(ctx: Context) -> Iterator[Finding]:
    """Every part of the 申报书 without structured data (`holds`) has text; the template has
    unused items written "无", so "无" counts as written. No length limit is set."""
    narrative = ctx.draft.narrative
    for part in ctx.guide.form.parts:
        if part.holds or narrative.get(part.key, "").strip():
            continue
        yield Finding(
            f"narrative.{part.key}",
            f"申报书“{part.zh}”部分未填写：请填写；不涉及的内容填“无”。",
            f"The application part '{part.en}' is empty: write it; where it does not apply, "
            "write 无 (none).",
        )


@rule("targets_complete")
def targets_complete(ctx: Context) -> Iterator[Finding]:
    """考核指标: at least one; each with its name, value at completion and how it is checked,
    and a 课题 number that exists."""
    draft = ctx.draft
    if not draft.targets:
        yield Finding(
            "targets",
            "尚未填写考核指标：请至少添加一项。",
            "No target (考核指标) yet: add at least one.",
        )
        return
    count = len(draft.tasks)
    fields = (
        ("name", "指标名称", "name"),
        ("value", "完成时的指标值", "value at completion"),
        ("method", "考核方式", "how it is checked"),
    )
    for i, target in enumerate(draft.targets):
        for attr, zh, en in fields:
            if not getattr(target, attr).strip():
                yield Finding(
                    f"targets[{i}].{attr}",
                    f"第 {i + 1} 项考核指标的“{zh}”未填写：请填写此项。",
                    f"Target {i + 1}: the {en} is empty: fill it in.",
                )
        if target.task is not None and target.task > count:
            yield Finding(
                f"targets[{i}].task",
                f"第 {i + 1} 项考核指标属于课题{target.task}，但项目只有 {count} 个课题："
                "请选择已有的课题。",
                f"Target {i + 1} belongs to task {target.task}, but the project has {count} "
                "tasks: choose an existing task.",
            )
