"""中方单位与负责人: the Chinese units (the lead chosen, not typed twice) and the leader."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Select

from screens.fields import (
    FieldBox,
    FieldSelect,
    FieldSpec,
    plain,
)
from screens.forms.base import ListSection, unit_kind_options
from screens.i18n import t
from wizard.draft import Unit
from wizard.labels import UNIT_KIND_LABELS

TITLES = ("正高级", "副高级", "中级", "初级", "无")
TITLE_EN = {
    "正高级": "Senior",
    "副高级": "Associate senior",
    "中级": "Intermediate",
    "初级": "Junior",
    "无": "None",
}
DEGREES = ("博士", "硕士", "学士", "其他")
DEGREE_EN = {"博士": "Doctorate", "硕士": "Master", "学士": "Bachelor", "其他": "Other"}


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
        kind = f"  ({UNIT_KIND_LABELS[item.kind].get(self.lang)})" if item.kind else ""
        return Text.assemble(mark, super().item_prompt(i, item), (kind, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("form.units", lead=True)
        yield Label(t("form.leader", self.lang), classes="subtitle")
        for spec in self.LEADER:
            yield self.box(spec, self.options_for(spec))

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        en = self.lang == "en"
        if spec.pattern == "units[].kind":
            return unit_kind_options(self.lang)
        if spec.pattern == "leader.title":
            return [(TITLE_EN[x] if en else x, x) for x in TITLES]
        if spec.pattern == "leader.degree":
            return [(DEGREE_EN[x] if en else x, x) for x in DEGREES]
        if spec.pattern == "leader.unit":
            names = [u.name for u in self.draft.units if u.name.strip()]
            return [(plain(n), n) for n in dict.fromkeys(names)]
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "leader.unit":
            options = self.options_for(box.spec) or []
            select = box.editor
            assert isinstance(select, FieldSelect)
            if list(select.values) != [v for _, v in options]:
                with select.prevent(Select.Changed):
                    select.set_options(options)

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
