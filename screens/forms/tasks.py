"""课题: the project's tasks, each with its 承担单位, its leader (a team member) and content.

The team and the targets name a 课题 by its number: removing or moving one renumbers them
(screens/forms/links.py) in the same undo step. The budget of each 课题 is the budget form's.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from screens.fields import FieldBox, FieldSpec, plain
from screens.forms.base import ListSection
from screens.forms.links import task_inserted, task_removed, tasks_swapped, unit_options
from wizard.catalogue import t
from wizard.draft import Task


class TasksForm(ListSection):
    section = "tasks"
    LIST_NAME = "tasks"
    ITEM = Task
    DETAIL_KEY = "tasks.detail"
    empty_key = "tasks.empty"
    DETAIL = (
        FieldSpec("tasks[].name"),
        FieldSpec("tasks[].unit", "select"),
        FieldSpec("tasks[].leader", "select"),
        FieldSpec("tasks[].content", "area"),
    )

    def item_prompt(self, i: int, item: Any) -> Text:
        head = t("tasks.number", self.lang, n=i + 1) + " "
        tail = f"  {item.unit.strip()}" if item.unit.strip() else ""
        return Text.assemble(head, super().item_prompt(i, item), (tail, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("tasks.title", duplicate=True)

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "tasks[].unit":
            return unit_options(self.draft)
        if spec.pattern == "tasks[].leader":
            return self.leader_options()
        return None

    def leader_options(self) -> list[tuple[Text | str, str]]:
        """The team's members, those of the 课题's unit first (then the others, dimmed)."""
        unit = ""
        if self.index is not None and self.index < len(self.draft.tasks):
            unit = self.draft.tasks[self.index].unit
        names = [p.name for p in self.draft.team if p.name.strip()]
        own = [p.name for p in self.draft.team if p.name.strip() and unit and p.unit == unit]
        out: list[tuple[Text | str, str]] = [(plain(n), n) for n in dict.fromkeys(own)]
        seen = set(own)
        others = t("tasks.other_units", self.lang)
        for name in dict.fromkeys(names):
            if name not in seen:
                person_unit = next((p.unit for p in self.draft.team if p.name == name), "")
                out.append(
                    (Text.assemble(plain(name), (f"  {person_unit or others}", "dim")), name)
                )
        return out

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern in ("tasks[].unit", "tasks[].leader"):
            self.reset_options(box)  # their texts name the units' members: compared too

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        super().after_edit(path, old, new)
        if path.endswith(".unit") and self.index is not None:
            # The leader's choices put the unit's own members first.
            box = self.boxes["tasks[].leader"]
            self.refresh_options("tasks[].leader", box)
            leader_path = f"tasks[{self.index}].leader"
            self.show_value(box, leader_path, self.value_of(leader_path))
            self.refresh_prompt(self.index)

    def removed(self, index: int) -> None:
        super().removed(index)
        task_removed(self.draft, index, len(self.draft.tasks) + 1)

    def moved(self, i: int, j: int) -> None:
        super().moved(i, j)
        tasks_swapped(self.draft, i, j)

    def inserted(self, index: int) -> None:
        super().inserted(index)
        task_inserted(self.draft, index)
