"""企业与配套: the enterprise units' central funding and matching funds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static

from screens.fields import (
    FieldSpec,
    plain,
)
from screens.forms.base import ListSection, SectionForm, focus_now, money_text
from wizard.catalogue import t
from wizard.money import format_ratio


class EnterprisesForm(ListSection):
    section = "enterprises"
    LIST_NAME = "units"
    DETAIL = (FieldSpec("units[].funding", "money"), FieldSpec("units[].matching", "money"))
    empty_key = "form.no_enterprises"

    def enterprise_indexes(self) -> list[int]:
        return [i for i, u in enumerate(self.draft.units) if u.kind == "enterprise"]

    def items(self) -> list[Any]:
        return [self.draft.units[i] for i in self.enterprise_indexes()]

    def compose_fields(self) -> ComposeResult:
        yield Label(t("form.enterprises", self.lang), classes="subtitle")
        yield OptionList(id="list-units", classes="items")
        yield Static("", id="units-detail-title", classes="subtitle")
        with Vertical(classes="detail"):
            for spec in self.DETAIL:
                yield self.box(spec)
        yield Static("", id="enterprise-summary")

    def item_prompt(self, i: int, item: Any) -> Text:
        name = plain(item.name) if item.name.strip() else Text(t("form.unnamed", self.lang), "dim")
        funding, matching = item.funding, item.matching
        if funding:
            ratio = format_ratio(matching or Decimal(0), funding)
        else:
            ratio = "—"
        info = t(
            "form.matching_ratio",
            self.lang,
            matching=money_text(matching),
            funding=money_text(funding),
            ratio=ratio,
        )
        ok = matching is not None and funding is not None and matching >= funding
        return Text.assemble(name, "  ", (info, "green" if ok else "yellow"))

    def on_mount(self) -> None:
        super().on_mount()
        if not self.items():
            self.query_one(".detail").display = False

    def index_for(self, pattern: str) -> int | None:
        indexes = self.enterprise_indexes()
        if self.index is None or self.index >= len(indexes):
            return None
        return indexes[self.index]

    def select_index(self, list_name: str, index: int) -> None:
        indexes = self.enterprise_indexes()
        if index in indexes:
            self.index = indexes.index(index)
            self.relist()
            self.load()

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if self.index is not None:
            self.list_widget.replace_option_prompt_at_index(
                self.index, self.item_prompt(self.index, self.items()[self.index])
            )

    def relist(self) -> None:
        super().relist()
        detail = self.query(".detail")
        if detail:
            detail.first().display = bool(self.items())

    def mark(self, paths: set[str]) -> None:
        SectionForm.mark(self, paths)
        self.list_widget.set_class("units" in paths, "-invalid")

    def focus_other(self, path: str) -> bool:
        focus_now(self.list_widget)
        return True
