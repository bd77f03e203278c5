"""申报书正文: one text per part of the 申报书 (guide.form.parts), each with its length.

Parts whose data is structured (`holds`: the schedule, the team, the budget, the
attachments) are filled in their own sections; here they are a one-line pointer. No length
limit is invented: the guide sets none, so the count only tells the applicant how long the
text is.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from screens.fields import FieldArea, FieldBox, FieldSpec, make_editor
from screens.forms.base import SectionForm
from wizard.catalogue import t
from wizard.guide import Part
from wizard.progress import SECTIONS, section_of_path, section_title


def count_chars(text: str) -> int:
    """The length of a text as a 申报书 counts it (字数): every character one, a CJK
    character as much as a Latin letter; spaces and line breaks are not counted."""
    return sum(1 for ch in text if not ch.isspace())


def held_in(part: Part) -> str:
    """The section whose form holds a structured part's data."""
    return part.key if part.key in SECTIONS else section_of_path(part.holds)


class NarrativeBox(FieldBox):
    """A part's title, its text, its live character count and the field's error line."""

    def compose_below(self) -> ComposeResult:
        yield Static("", classes="char-count", markup=False)

    def show_count(self, text: str) -> None:
        self.query_one(".char-count", Static).update(
            t("form.chars", self.lang, n=count_chars(text))
        )


class NarrativeForm(SectionForm):
    section = "narrative"

    DEFAULT_CSS = """
    NarrativeForm NarrativeBox > TextArea { height: 8; }
    EditorScreen.-narrow NarrativeForm NarrativeBox > TextArea { height: 5; }
    NarrativeForm NarrativeBox > .char-count { color: $text-muted; text-align: right; }
    NarrativeForm .held { color: $text-muted; margin: 0 0 1 0; }
    """

    def parts(self) -> list[Part]:
        return list(self.session.guide.form.parts)

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(t("form.narrative_intro", self.lang)), classes="hint")
        en = self.lang == "en"
        for part in self.parts():
            name = part.en if en else part.zh
            if part.holds:
                section = section_title(held_in(part), self.lang)
                yield Static(
                    Text(t("form.narrative_held", self.lang, part=name, section=section)),
                    id=f"held-{part.key}",
                    classes="held",
                )
                continue
            spec = FieldSpec(f"narrative.{part.key}", "area")
            editor = make_editor(spec, self.lang)
            assert isinstance(editor, FieldArea)
            editor.on_edit = self._edited
            box = NarrativeBox(spec, editor, self.lang, name)
            self.boxes[spec.pattern] = box
            yield box

    def value_of(self, path: str) -> Any:
        return self.draft.narrative.get(path.split(".", 1)[1], "")

    def load(self) -> None:
        super().load()
        for pattern, box in self.boxes.items():
            if isinstance(box, NarrativeBox):
                box.show_count(self.value_of(pattern))

    def _edited(self, widget: Widget, text_or_value: Any) -> None:
        super()._edited(widget, text_or_value)
        box = self._box_of(widget)
        if isinstance(box, NarrativeBox) and not self._loading:
            box.show_count(text_or_value if isinstance(text_or_value, str) else "")
