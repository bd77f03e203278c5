"""项目基本信息: title, field and topic of this direction, period, summary."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.fields import (
    FieldBox,
    FieldSpec,
)
from screens.forms.base import SectionForm
from wizard.catalogue import label, t


class ProjectForm(SectionForm):
    section = "project"
    SPECS = (
        FieldSpec("project.title"),
        FieldSpec("project.title_en"),
        FieldSpec("project.field", "select"),
        FieldSpec("project.topic", "select"),
        FieldSpec("project.start", "date"),
        FieldSpec("project.months", "int"),
        FieldSpec("project.summary", "area"),
        FieldSpec("project.keywords", "comma"),
    )

    def compose_fields(self) -> ComposeResult:
        direction = self.editor.direction
        yield Horizontal(
            Static(self._direction_text(), id="direction-line"),
            Button(t("cmd.direction", self.lang), id="switch-direction", compact=True),
            classes="direction-row",
        )
        for spec in self.SPECS:
            if spec.pattern == "project.field" and direction.fields.mode != "listed":
                spec = FieldSpec("project.field", "text")
                if direction.fields.mode == "priority":
                    items = "、".join(
                        f.en if self.lang == "en" else f.zh for f in direction.fields.items
                    )
                    yield Static(
                        Text(t("form.priority_field", self.lang, items=items)), classes="hint"
                    )
                else:
                    yield Static(Text(t("form.any_field", self.lang)), classes="hint")
            yield self.box(spec, self.options_for(spec))

    DEFAULT_CSS = """
    ProjectForm .direction-row { height: auto; margin: 0 0 1 0; layout: vertical; }
    ProjectForm #direction-line { width: 1fr; }
    ProjectForm #switch-direction { width: auto; margin: 0 0 0 0; }
    """

    def _direction_text(self) -> Text:
        d = self.editor.direction
        title = d.title_en if self.lang == "en" else d.title
        return Text.assemble(
            (label("direction", self.lang) + t("colon", self.lang), "dim"), f"{d.code} {title}"
        )

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        direction = self.editor.direction
        if spec.pattern == "project.field":
            return [(f.en if self.lang == "en" else f.zh, f.zh) for f in direction.fields.items]
        if spec.pattern == "project.topic":
            field = direction.fields.find(self.draft.project.field)
            if field is None:
                return []
            return [
                (
                    (tp.code + " " if tp.code else "") + (tp.en if self.lang == "en" else tp.zh),
                    tp.key,
                )
                for tp in field.topics
            ]
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "project.topic":
            options = self.reset_options(box)
            box.display = bool(options) or bool(self.draft.project.topic)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if path == "project.field":
            self.load()

    @on(Button.Pressed, "#switch-direction")
    def _switch(self) -> None:
        self.editor.action_switch_direction()

    def focus_other(self, path: str) -> bool:
        if path == "direction":
            self.query_one("#switch-direction", Button).focus()
            return True
        return super().focus_other(path)
