"""What one form's edit means for the others: the links between units, team and 课题.

A team member names a unit and a 课题 (by number), a 课题 names its unit and its leader (a
member's name), a target names a 课题. Renaming, removing or moving the thing named keeps
the links: the forms call these (pure draft operations) before recording the undo step, so
Ctrl+Z restores the links with the edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from screens.fields import plain
from wizard.catalogue import t
from wizard.draft import Draft, Person, Target


def _follow(draft: Draft, list_name: str, field: str, old: str, new: str) -> list[str]:
    """The entries of the draft's `list_name` whose `field` is `old` get `new`; the paths
    changed. An empty old name names nothing."""
    if not old or old == new:
        return []
    changed = []
    for i, row in enumerate(getattr(draft, list_name)):
        if getattr(row, field) == old:
            setattr(row, field, new)
            changed.append(f"{list_name}[{i}].{field}")
    return changed


def rename_unit(draft: Draft, old: str, new: str) -> list[str]:
    """A unit was renamed from `old` to `new`: the team members and the 课题 that named it
    follow. Returns the paths changed."""
    return _follow(draft, "team", "unit", old, new) + _follow(draft, "tasks", "unit", old, new)


def rename_person(draft: Draft, old: str, new: str) -> list[str]:
    """A team member was renamed: the 课题 they lead follow."""
    return _follow(draft, "tasks", "leader", old, new)


def _renumbered(number: int | None, mapping: dict[int, int | None]) -> int | None:
    if number is None:
        return None
    return mapping.get(number, number)


def renumber_tasks(draft: Draft, mapping: dict[int, int | None]) -> list[str]:
    """The team's and the targets' 课题 numbers after 课题 were removed or moved: old
    number → new number (None: the 课题 is gone). Returns the paths changed."""
    changed = []
    groups: tuple[tuple[str, Sequence[Person | Target]], ...] = (
        ("team", draft.team),
        ("targets", draft.targets),
    )
    for name, rows in groups:
        for i, row in enumerate(rows):
            new = _renumbered(row.task, mapping)
            if new != row.task:
                row.task = new
                changed.append(f"{name}[{i}].task")
    return changed


def task_removed(draft: Draft, index: int, count: int) -> list[str]:
    """课题 `index` (0-based) was removed from `count` 课题: references to it go, later
    ones move up by one."""
    number = index + 1
    mapping: dict[int, int | None] = {number: None}
    mapping |= {n: n - 1 for n in range(number + 1, count + 1)}
    return renumber_tasks(draft, mapping)


def tasks_swapped(draft: Draft, i: int, j: int) -> list[str]:
    """课题 i and j (0-based) changed places."""
    return renumber_tasks(draft, {i + 1: j + 1, j + 1: i + 1})


def task_inserted(draft: Draft, index: int) -> list[str]:
    """A 课题 was inserted at `index` (0-based; a duplicate after its original): numbers
    from there on move down by one."""
    count = len(draft.tasks)
    return renumber_tasks(draft, {n: n + 1 for n in range(index + 1, count)})


def unit_names(draft: Draft) -> list[str]:
    return list(dict.fromkeys(u.name for u in draft.units if u.name.strip()))


def unit_options(draft: Draft) -> list[tuple[Text | str, str]]:
    """The listed units, as a select's choices (names are user text: never markup)."""
    return [(plain(name), name) for name in unit_names(draft)]


def task_title(draft: Draft, index: int, lang: str) -> Text:
    """`课题1 name` (`Task 1 name`), the way the pickers and the budget name a 课题."""
    name = draft.tasks[index].name.strip()
    head = t("tasks.number", lang, n=index + 1)
    if not name:
        return Text.assemble(head + " ", (t("form.unnamed", lang), "dim"))
    return Text.assemble(head + " ", plain(name))


def task_options(draft: Draft, lang: str) -> list[tuple[Text | str, str]]:
    """The 课题 as choices; the value is the 课题's number as text."""
    return [(task_title(draft, i, lang), str(i + 1)) for i in range(len(draft.tasks))]
