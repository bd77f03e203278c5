"""中方单位: the Chinese units (the lead chosen, not typed twice). The project leader is a
member of the team (screens/forms/team.py)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from screens.fields import FieldSpec
from screens.forms.base import ListSection, unit_kind_options
from screens.forms.links import rename_unit
from wizard.catalogue import t
from wizard.draft import Unit


class UnitsForm(ListSection):
    section = "units"
    LIST_NAME = "units"
    DETAIL = (
        FieldSpec("units[].name"),
        FieldSpec("units[].kind", "select"),
        FieldSpec("units[].credit_code"),
        FieldSpec("units[].parent"),
        FieldSpec("units[].registered", "date"),
        FieldSpec("units[].region"),
        FieldSpec("units[].address"),
        FieldSpec("units[].postcode"),
        FieldSpec("units[].funding", "money"),
        FieldSpec("units[].matching", "money"),
    )

    def item_prompt(self, i: int, item: Any) -> Text:
        mark = "★ " if item.role == "lead" else "  "
        kind = f"  ({t(f'unit_kind.{item.kind}', self.lang)})" if item.kind else ""
        return Text.assemble(mark, super().item_prompt(i, item), (kind, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("form.units", lead=True)

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "units[].kind":
            return unit_kind_options(self.lang)
        return None

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        super().after_edit(path, old, new)
        if path.startswith("units[") and path.endswith(".name"):
            # The team members and 课题 of the unit follow its new name.
            rename_unit(self.draft, old or "", new or "")
        if path.endswith(".kind") and self.index is not None:
            self.refresh_prompt(self.index)

    def new_item(self) -> Any:
        return Unit(role="lead" if not self.draft.units else "participant")
