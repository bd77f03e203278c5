"""项目信息: title, field and topic of this direction, period (its end derived), summary, the
推荐单位 and the 项目联系人."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from screens.fields import (
    FieldBox,
    FieldSpec,
)
from screens.forms.base import SectionForm
from wizard.catalogue import RECOMMENDER_KIND_LABELS, label, t
from wizard.draft import RECOMMENDER_KINDS


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
    RECOMMENDER = (
        FieldSpec("recommender.name"),
        FieldSpec("recommender.kind", "select"),
    )
    CONTACT = (
        FieldSpec("contact.name"),
        FieldSpec("contact.phone"),
        FieldSpec("contact.email"),
    )

    def compose_fields(self) -> ComposeResult:
        direction = self.session.direction
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
            if spec.pattern == "project.months":
                # Read-only lines that follow from the data: nothing to type twice.
                yield Static("", id="project-end", classes="derived", markup=False)
                yield Static("", id="project-counts", classes="derived", markup=False)
        yield Label(t("form.recommender", self.lang), classes="subtitle")
        for spec in self.RECOMMENDER:
            yield self.box(spec, self.options_for(spec))
        for spec in self.CONTACT:
            yield self.box(spec)

    def load(self) -> None:
        super().load()
        self.show_derived()

    def show_derived(self) -> None:
        """The period's last day and project years, and how many 课题 and units there are."""
        project = self.draft.project
        end = project.end
        if end is None:
            end_text = t("form.end_unknown", self.lang)
        else:
            end_text = t("form.end", self.lang, end=end.isoformat(), years=project.years)
        self.query_one("#project-end", Static).update(end_text)
        counts = t(
            "form.counts", self.lang, tasks=len(self.draft.tasks), units=len(self.draft.units)
        )
        self.query_one("#project-counts", Static).update(counts)

    DEFAULT_CSS = """
    ProjectForm .direction-row { height: auto; margin: 0 0 1 0; layout: vertical; }
    ProjectForm #direction-line { width: 1fr; }
    ProjectForm #switch-direction { width: auto; margin: 0 0 0 0; }
    ProjectForm .derived { color: $text-muted; }
    ProjectForm #project-counts { margin: 0 0 1 0; }
    """

    def _direction_text(self) -> Text:
        d = self.session.direction
        title = d.title_en if self.lang == "en" else d.title
        return Text.assemble(
            (label("direction", self.lang) + t("colon", self.lang), "dim"), f"{d.code} {title}"
        )

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        direction = self.session.direction
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
        if spec.pattern == "recommender.kind":
            return [(RECOMMENDER_KIND_LABELS[k].get(self.lang), k) for k in RECOMMENDER_KINDS]
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "project.topic":
            options = self.reset_options(box)
            box.display = bool(options) or bool(self.draft.project.topic)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        if path == "project.field":
            self.load()
        elif path in ("project.start", "project.months"):
            self.show_derived()

    @on(Button.Pressed, "#switch-direction")
    def _switch(self) -> None:
        self.post_message(self.Action("switch_direction"))

    def focus_other(self, path: str) -> bool:
        if path == "direction":
            self.query_one("#switch-direction", Button).focus()
            return True
        return super().focus_other(path)
