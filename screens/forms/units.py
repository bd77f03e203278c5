"""中方单位与负责人: the Chinese units (the lead chosen, not typed twice) and the leader."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label

from screens.fields import (
    FieldBox,
    FieldSpec,
    plain,
)
from screens.forms.base import ListSection, unit_kind_options, value_options
from wizard.catalogue import t
from wizard.draft import LEADER_DEGREES, LEADER_TITLES, Unit


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
    LEADER = (
        FieldSpec("leader.name"),
        FieldSpec("leader.unit", "select"),
        FieldSpec("leader.birth_date", "date"),
        FieldSpec("leader.title", "select"),
        FieldSpec("leader.degree", "select"),
        FieldSpec("leader.months_per_year", "int"),
        FieldSpec("leader.email"),
        FieldSpec("leader.phone"),
        FieldSpec("leader.other_projects", "int"),
    )

    def item_prompt(self, i: int, item: Any) -> Text:
        mark = "★ " if item.role == "lead" else "  "
        kind = f"  ({t(f'unit_kind.{item.kind}', self.lang)})" if item.kind else ""
        return Text.assemble(mark, super().item_prompt(i, item), (kind, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("form.units", lead=True)
        yield Label(t("form.leader", self.lang), classes="subtitle")
        for spec in self.LEADER:
            yield self.box(spec, self.options_for(spec))

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "units[].kind":
            return unit_kind_options(self.lang)
        if spec.pattern == "leader.title":
            return value_options("leader_title", LEADER_TITLES, self.lang)
        if spec.pattern == "leader.degree":
            return value_options("leader_degree", LEADER_DEGREES, self.lang)
        if spec.pattern == "leader.unit":
            names = [u.name for u in self.draft.units if u.name.strip()]
            return [(plain(n), n) for n in dict.fromkeys(names)]
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "leader.unit":
            self.reset_options(box)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        super().after_edit(path, old, new)
        if path.startswith("units[") and path.endswith(".name"):
            if self.draft.leader.unit and self.draft.leader.unit == old:
                self.draft.leader.unit = new
            self.refresh_options("leader.unit", self.boxes["leader.unit"])
            self.show_value(self.boxes["leader.unit"], "leader.unit", self.draft.leader.unit)
        if path.endswith(".kind") and self.index is not None:
            self.list_widget.replace_option_prompt_at_index(
                self.index, self.item_prompt(self.index, self.items()[self.index])
            )

    def list_changed(self) -> None:
        super().list_changed()
        box = self.boxes["leader.unit"]
        self.refresh_options("leader.unit", box)
        self.show_value(box, "leader.unit", self.draft.leader.unit)

    def new_item(self) -> Any:
        return Unit(role="lead" if not self.draft.units else "participant")
