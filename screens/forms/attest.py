"""承诺事项: the direction's attestations as checkboxes with the clause text."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Checkbox, Static

from screens.fields import (
    FieldBox,
    FieldSpec,
)
from screens.forms.base import SectionForm
from wizard.catalogue import t


class AttestForm(SectionForm):
    section = "attest"

    def attestations(self) -> list[Any]:
        g, d = self.session.guide, self.session.direction
        return [r for _, r in g.requirements_for(d) if r.kind == "attestation"]

    def compose_fields(self) -> ComposeResult:
        reqs = self.attestations()
        yield Static(
            t("form.attest_intro" if reqs else "form.attest_none", self.lang), classes="hint"
        )
        self._clauses: list[tuple[FieldBox, Static]] = []
        for req in reqs:
            spec = FieldSpec(f"attest.{req.id}", "bool")
            box = self.box(spec)
            sev = t(f"severity.{req.severity}", self.lang)
            assert isinstance(box.editor, Checkbox)  # a "bool" field's editor
            box.editor.label = Text(f"{t('form.attest_confirm', self.lang)} · {req.item} · {sev}")
            text = req.text if self.lang != "en" else f"{req.text}\n{req.text_en}"
            self._clauses.append((box, Static(Text(text), classes="clause-text")))
            yield box

    def on_mount(self) -> None:
        for box, clause in self._clauses:
            box.mount(clause)
            box.query_one(".field-label").display = False
        super().on_mount()

    def _edited(self, widget: Widget, value: Any) -> None:
        box = self._box_of(widget)
        if box is None or self._loading:
            return
        key = box.spec.pattern.split(".", 1)[1]
        if (self.draft.attest.get(key) is True) == bool(value):
            return
        if value:
            self.draft.attest[key] = True
        else:
            self.draft.attest.pop(key, None)
        self.session.edited(box.spec.pattern)
