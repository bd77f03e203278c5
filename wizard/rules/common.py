"""What several rules share: the units' name index, a 课题's and the project's central totals
(judged through the guide's budget categories, never by key), and how a 课题 or person is
named in a message."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from wizard.draft import Draft, Task
from wizard.guide import Form
from wizard.names import find_in, variant_index

ZERO = Decimal(0)

# The 中央财政 column is what the direction's funding, the units' funding and the indirect
# cap are judged on (财科教〔2016〕113号 governs central funds): our reading of the sources.
CENTRAL = "central"

SOURCE_ZH = {"central": "中央财政", "local": "地方财政", "own": "单位自筹", "other": "其他"}
SOURCE_EN = {
    "central": "central",
    "local": "local government",
    "own": "own funds",
    "other": "other",
}


@lru_cache(maxsize=256)
def _index(names: tuple[str, ...]) -> dict[str, int]:
    return variant_index(names)


def unit_position(draft: Draft, name: str) -> int | None:
    """The position in `draft.units` of the unit `name` names (wizard.names: width, script,
    case, brackets), or None. A blank name names none."""
    if not name.strip():
        return None
    index = _index(tuple(u.name.strip() for u in draft.units))
    return find_in(index, name.strip())


def task_central(task: Task, form: Form) -> Decimal:
    """A 课题's central funding over the guide's categories."""
    total = ZERO
    for c in form.categories:
        total += task.amount(c.key, CENTRAL)
    return total


def central_total(draft: Draft, form: Form) -> Decimal:
    """The project's central funding: every 课题, every category of the guide."""
    total = ZERO
    for task in draft.tasks:
        total += task_central(task, form)
    return total


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
