"""外方合作: the foreign partner, its agency and institutions."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from screens.fields import (
    FieldSpec,
)
from screens.forms.base import ListSection, unit_kind_options
from wizard.draft import INSTITUTION_KINDS, Institution


class PartnerForm(ListSection):
    section = "partner"
    LIST_NAME = "partner.institutions"
    empty_key = "form.no_institutions"
    SPECS = (
        FieldSpec("partner.country"),
        FieldSpec("partner.agency"),
        FieldSpec("partner.submitted", "bool"),
        FieldSpec("partner.reference"),
    )
    DETAIL = (
        FieldSpec("partner.institutions[].name"),
        FieldSpec("partner.institutions[].kind", "select"),
        FieldSpec("partner.institutions[].contact"),
        FieldSpec("partner.institutions[].email"),
    )

    def items(self) -> list[Any]:
        return list(self.draft.partner.institutions)

    def holder(self) -> list[Any]:
        return self.draft.partner.institutions  # type: ignore[no-any-return]

    def new_item(self) -> Any:
        return Institution()

    def compose_fields(self) -> ComposeResult:
        d = self.editor.direction
        hint = d.partner.en if self.lang == "en" else d.partner.zh
        if d.agency is not None:
            hint += " · " + (d.agency.en if self.lang == "en" else d.agency.zh)
        yield Static(Text(hint), classes="hint")
        for spec in self.SPECS:
            yield self.box(spec)
        yield from self.compose_list("form.institutions")

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "partner.institutions[].kind":
            return unit_kind_options(self.lang, INSTITUTION_KINDS)
        return None

    def index_for(self, pattern: str) -> int | None:
        return self.index if pattern.startswith("partner.institutions[]") else None
