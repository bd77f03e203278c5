"""What several rules share: the units' name index, a 课题's and the project's central totals
(judged through the guide's budget categories, never by key), and how a 课题 or person is
named in a message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal, TypeVar, cast

from wizard.draft import Draft, Task
from wizard.guide import Form
from wizard.names import find_in, variant_index
from wizard.rules.model import Context, Finding

T = TypeVar("T")

ZERO = Decimal(0)

# The 中央财政 column is what the direction's funding, the units' funding and the indirect
# cap are judged on (财科教〔2016〕113号 governs central funds): our reading of the sources.
CENTRAL = "central"

# How a message names a budget source mid-sentence: (zh, en).
SOURCE_WORDS = {
    "central": ("中央财政", "central"),
    "local": ("地方财政", "local government"),
    "own": ("单位自筹", "own funds"),
    "other": ("其他", "other"),
}


@lru_cache(maxsize=256)
def _index(names: tuple[str, ...]) -> dict[str, int]:
    return variant_index(names)


class UnitLookup:
    """The units' positions by any name a reviewer would take for theirs (wizard.names:
    width, script, case, brackets), with each name looked up once."""

    __slots__ = ("_index", "_memo")

    def __init__(self, draft: Draft) -> None:
        self._index = _index(tuple(u.name.strip() for u in draft.units))
        self._memo: dict[str, int | None] = {}

    def position(self, name: str) -> int | None:
        """The position in `draft.units` of the unit `name` names, or None (blank: none)."""
        try:
            return self._memo[name]
        except KeyError:
            pass
        stripped = name.strip()
        found = find_in(self._index, stripped) if stripped else None
        self._memo[name] = found
        return found


def _shared(ctx: Context, key: str, build: Callable[[], T]) -> T:
    """`build()` once per evaluation (ctx.shared), or every time without a shared memo."""
    memo = ctx.shared
    if memo is None:
        return build()
    try:
        return cast(T, memo[key])
    except KeyError:
        value = memo[key] = build()
        return value


def units_of(ctx: Context) -> UnitLookup:
    draft = ctx.draft
    return _shared(ctx, "units", lambda: UnitLookup(draft))


def unit_position(draft: Draft, name: str) -> int | None:
    """The position in `draft.units` of the unit `name` names, or None."""
    return UnitLookup(draft).position(name)


def task_central(task: Task, form: Form) -> Decimal:
    """A 课题's central funding over the guide's categories."""
    total = ZERO
    for c in form.categories:
        total += task.amount(c.key, CENTRAL)
    return total


@dataclass(frozen=True, slots=True)
class TaskSums:
    """A 课题's budget added up in one pass: its central funding over the guide's
    categories, and of it the direct, equipment-purchase and indirect parts; its other
    sources (地方财政 + 单位自筹 + 其他) over every line; whether any amount is filled in."""

    central: Decimal
    direct: Decimal
    purchase: Decimal
    indirect: Decimal
    other: Decimal
    filled: bool


def _task_sums(task: Task, form: Form) -> TaskSums:
    by_key = form.shape.by_key
    central = direct = purchase = indirect = other = ZERO
    filled = False
    for key, line in task.budget.items():
        for value in (line.local, line.own, line.other):
            if value is not None:
                other += value
                filled = True
        value = line.central
        if value is None:
            continue
        filled = True
        category = by_key.get(key)
        if category is None:
            continue  # not one of the guide's categories: reported by required_fields
        central += value
        if not category.direct:
            indirect += value
            continue
        direct += value
        if category.purchase:
            purchase += value
    return TaskSums(central, direct, purchase, indirect, other, filled)


def task_sums(ctx: Context) -> list[TaskSums]:
    """Each 课题's sums (`TaskSums`), once per evaluation."""
    draft, form = ctx.draft, ctx.guide.form
    return _shared(ctx, "task_sums", lambda: [_task_sums(t, form) for t in draft.tasks])


def task_centrals(ctx: Context) -> list[Decimal]:
    """Each 课题's central funding, once per evaluation."""
    return _shared(ctx, "task_centrals", lambda: [s.central for s in task_sums(ctx)])


def central_total(draft: Draft, form: Form) -> Decimal:
    """The project's central funding: every 课题, every category of the guide."""
    total = ZERO
    for task in draft.tasks:
        total += task_central(task, form)
    return total


def project_central(ctx: Context) -> Decimal:
    return _shared(ctx, "project_central", lambda: sum(task_centrals(ctx), ZERO))


def has_budget(draft: Draft) -> bool:
    """Whether any amount of any 课题 is filled in."""
    return any(
        getattr(line, s) is not None
        for task in draft.tasks
        for line in task.budget.values()
        for s in ("central", "local", "own", "other")
    )


def task_name(draft: Draft, i: int, lang: str) -> str:
    """`课题2“名称”` / `task 2 'name'`, for messages."""
    name = draft.tasks[i].name.strip()
    if lang == "en":
        return f"task {i + 1}" + (f" '{name}'" if name else "")
    return f"课题{i + 1}" + (f"“{name}”" if name else "")


def person_name(draft: Draft, i: int, lang: str) -> str:
    name = draft.team[i].name.strip()
    if lang == "en":
        return f"team member {i + 1}" + (f" '{name}'" if name else "")
    return f"第{i + 1}名成员" + (f"“{name}”" if name else "")


def category_label(form: Form, key: str, lang: str) -> str:
    c = form.category(key)
    if c is None:
        return key
    return c.en if lang == "en" else c.zh


# What a unit named where it is not one of the listed Chinese units breaks, by who names it.
_UNLISTED = {
    "task": ("课题承担单位须为所列申报单位", "It must be a listed unit: choose one"),
    "member": (
        "团队成员须为所列申报单位的人员",
        "Team members must work for a listed unit: choose a listed unit",
    ),
    "leader": (
        "负责人须为所列申报单位的在职人员",
        "The leader must work for a listed applicant unit: choose a listed unit",
    ),
}


Whose = Literal["task", "member", "leader"]


def unlisted_unit(draft: Draft, whose: Whose, i: int, unit: str) -> Finding:
    """`unit`, named by 课题 `i` (`whose` "task") or team member `i` ("member", "leader"),
    is not one of the listed Chinese units."""
    if whose == "task":
        path = f"tasks[{i}].unit"
        unit_zh = f"{task_name(draft, i, 'zh')}的承担单位“{unit}”"
        unit_en = f"The unit carrying out {task_name(draft, i, 'en')}, '{unit}',"
    else:
        path = f"team[{i}].unit"
        if whose == "member":
            unit_zh = f"{person_name(draft, i, 'zh')}的单位“{unit}”"
            unit_en = f"The unit of {person_name(draft, i, 'en')}, '{unit}',"
        else:
            unit_zh, unit_en = f"项目负责人所在单位“{unit}”", f"The leader's unit '{unit}'"
    must_zh, must_en = _UNLISTED[whose]
    return Finding(
        path,
        f"{unit_zh}不在中方单位名单中。{must_zh}：请选择已列出的单位，或把该单位加入中方单位。",
        f"{unit_en} is not one of the Chinese units. {must_en}, or add this one.",
    )
