"""Horizon 2020 link (directions 1.4 and 1.5 only)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Static, TextArea

from screens.fields import (
    FieldSpec,
)
from screens.forms.base import SectionForm
from wizard.catalogue import t


class H2020Form(SectionForm):
    section = "h2020"
    SPECS = (
        FieldSpec("h2020.proposal"),
        FieldSpec("h2020.topic"),
        FieldSpec("h2020.call_year", "int"),
        FieldSpec("h2020.participants", "lines"),
        FieldSpec("h2020.cn_budget", "money"),
    )

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(t("form.h2020_intro", self.lang)), classes="hint")
        for spec in self.SPECS:
            yield self.box(spec)
            if spec.pattern == "h2020.participants":
                yield Button(
                    t("form.fill_participants", self.lang), id="fill-participants", compact=True
                )

    @on(Button.Pressed, "#fill-participants")
    def _fill(self) -> None:
        names = [u.name for u in self.draft.units if u.name.strip()]
        area = self.boxes["h2020.participants"].editor
        assert isinstance(area, TextArea)
        area.load_text("\n".join(names))
