"""The section stepper: each section's title with its problem counts and completeness;
choosing one posts `SectionStepper.SectionChosen`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from screens._textual_compat import RepaintingOptionList
from screens.styles import DONE_ICON, SEV_ICON
from wizard.progress import section_of, section_title

if TYPE_CHECKING:
    from wizard.rules import Violation
    from wizard.session import EditSession


class SectionStepper(RepaintingOptionList):
    @dataclass
    class SectionChosen(Message):
        section: str

    def __init__(self) -> None:
        super().__init__(id="stepper")
        self._prompts: list[Text] = []
        self._shown_for: tuple[Any, ...] = ()

    def show(
        self,
        session: EditSession,
        current: str,
        lang: str,
        parts: dict[str, Any] | None = None,
    ) -> None:
        """Section titles with their problem counts and completeness; only the lines that
        changed are redrawn (a check runs on every pause in typing)."""
        sections = session.sections
        if parts is None:
            parts = session.parts()
        # What the lines follow from; the lists and the completeness are new after each
        # check, so the chrome update after a check that found the same is ≈ free.
        shown_for = (sections, current, lang, session.violations, parts)
        if len(shown_for) == len(self._shown_for) and all(
            a is b or a == b for a, b in zip(shown_for, self._shown_for, strict=True)
        ):
            return
        self._shown_for = shown_for
        per: dict[str, list[Violation]] = {s: [] for s in sections}
        for v in session.violations:
            per.setdefault(section_of(v, session.guide), []).append(v)
        prompts = []
        for s in sections:
            prompt = Text(section_title(s, lang), "bold" if s == current else "")
            prompt.append("\n  ")
            if parts is None:
                prompt.append("…", "dim")
                prompts.append(prompt)
                continue
            # ✓ only when the section is complete (wizard.progress): filled, no error; the
            # review counts every error of the draft.
            errors = parts[s].errors
            warnings = sum(1 for v in per[s] if v.severity == "warning")
            if errors:
                prompt.append(f"{SEV_ICON['error']}{errors} ", "red")
            if warnings:
                prompt.append(f"{SEV_ICON['warning']}{warnings} ", "yellow")
            if not errors and not warnings and parts[s].complete:
                prompt.append(f"{DONE_ICON} ", "green")
            if s != "review":
                prompt.append(f"{parts[s].percent}%", "dim")
            prompts.append(prompt)
        highlighted = sections.index(current) if current in sections else 0
        old = self._prompts
        ids = [option.id for option in self.options]
        with self.prevent(OptionList.OptionHighlighted):
            if ids != list(sections) or len(old) != len(prompts):
                self.set_options([Option(p, id=s) for p, s in zip(prompts, sections, strict=True)])
            else:
                for index, (before, after) in enumerate(zip(old, prompts, strict=True)):
                    if before != after:
                        self.replace_option_prompt_at_index(index, after)
            if self.highlighted != highlighted:
                self.highlighted = highlighted
            elif old and prompts != old:
                # A section's counts may take more lines than its "…" did: the current
                # section, in sight when first shown, would slip below the stepper's end.
                self.scroll_to_highlight()
        self._prompts = prompts

    def chosen(self) -> str | None:
        """The highlighted section (Enter)."""
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.SectionChosen(event.option.id))
