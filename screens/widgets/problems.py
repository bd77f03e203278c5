"""The problems panel: a head (how many here, in all), the list grouped by severity, and the
highlighted problem's detail (its clause, F3). Choosing one posts `ProblemsPanel.Jump`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens._textual_compat import RepaintingOptionList
from screens.styles import SEV_ICON, SEV_STYLE
from wizard.catalogue import clause_line, label, t
from wizard.display import printable
from wizard.progress import section_of, section_title

if TYPE_CHECKING:
    from wizard.guide import Guide
    from wizard.rules import Violation


class ProblemsPanel(Vertical):
    @dataclass
    class Jump(Message):
        violation: Violation

    def __init__(self, guide: Guide, lang: str) -> None:
        super().__init__(id="problems")
        self.guide = guide
        self.lang = lang
        self.show_clause = False
        self.shown: list[Violation] = []
        self._key: tuple[Any, ...] = ()
        self._detail = Text()

    def compose(self) -> ComposeResult:
        yield Static("", id="problems-head")
        yield RepaintingOptionList(id="violations")
        yield Static("", id="vdetail")

    @property
    def violation_list(self) -> OptionList:
        return self.query_one("#violations", OptionList)

    def show(
        self, violations: list[Violation], checked: bool, section: str, all_scope: bool
    ) -> None:
        """The problems of `section` (all of them with `all_scope`, or on the review)."""
        lang = self.lang
        here = [v for v in violations if section_of(v, self.guide) == section]
        all_scope = all_scope or section == "review"
        shown = violations if all_scope else here
        if not checked:
            head = t("ed.problems_checking", lang)
        elif all_scope:
            head = t("ed.problems_all", lang, total=len(violations))
        else:
            head = t("ed.problems_here", lang, n=len(here), total=len(violations))
        self.query_one("#problems-head", Static).update(head + "  (F4)", layout=False)
        # Unchanged problems (most keystrokes): leave the list, its scroll and highlight alone.
        key = (checked, lang, section, all_scope, self.show_clause, tuple(shown))
        if key == self._key:
            return
        self._key = key
        options: list[Option | None] = []
        ordered: list[Violation] = []
        for sev in ("error", "warning", "info"):
            group = [v for v in shown if v.severity == sev]
            if not group:
                continue
            title = Text(f"{t(f'severity.{sev}', lang)} {len(group)}", SEV_STYLE[sev])
            options.append(Option(title, disabled=True))
            for v in group:
                prompt = Text.assemble((SEV_ICON[sev] + " ", SEV_STYLE[sev]))
                if all_scope:
                    prompt.append(f"[{section_title(section_of(v, self.guide), lang)}] ", "dim")
                prompt.append(label(v.path, lang) + "\n", "bold")
                prompt.append(printable(v.message(lang)))
                if self.show_clause:
                    prompt.append("\n↳ " + self.clause_text(v), "dim italic")
                options.append(Option(prompt, id=f"v{len(ordered)}"))
                ordered.append(v)
        if not options:
            if not checked:
                empty = Text(t("ed.checking", lang), "dim")
            else:
                none = "ed.no_problems_all" if all_scope else "ed.no_problems"
                empty = Text(t(none, lang), "green")
            options.append(Option(empty, disabled=True))
        self.shown = ordered
        panel = self.violation_list
        old = panel.highlighted
        panel.set_options(options)
        if old is not None and old < len(options):
            panel.highlighted = old
        self.update_detail()

    def clause_text(self, v: Violation) -> str:
        return clause_line(v.clause, self.lang)

    def _violation(self, option_id: str | None) -> Violation | None:
        if not option_id or not option_id.startswith("v"):
            return None
        index = int(option_id[1:])
        return self.shown[index] if index < len(self.shown) else None

    def highlighted_violation(self) -> Violation | None:
        option = self.violation_list.highlighted_option
        return None if option is None else self._violation(option.id)

    def update_detail(self) -> None:
        v = self.highlighted_violation()
        lang = self.lang
        if v is None:
            text = Text(t("ed.clause_hint", lang), "dim")
        else:
            text = Text.assemble((label(v.path, lang) + "\n", "bold"))
            if self.show_clause:
                text.append(t("ed.clause", lang) + t("colon", lang), "bold")
                text.append(self.clause_text(v))
            else:
                text.append(t("ed.clause_hint", lang), "dim")
        if text != self._detail:  # its height can change: a layout pass, so only if new
            self._detail = text
            self.query_one("#vdetail", Static).update(text)

    def focus_list(self) -> None:
        """Focus the list (at once: the next key goes to it), its first problem highlighted."""
        panel = self.violation_list
        self.screen.set_focus(panel, scroll_visible=False)
        if panel.highlighted is None and self.shown:
            panel.highlighted = next(
                i for i, option in enumerate(panel.options) if not option.disabled
            )

    @on(OptionList.OptionSelected, "#violations")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        v = self._violation(event.option.id)
        if v is not None:
            self.post_message(self.Jump(v))

    @on(OptionList.OptionHighlighted, "#violations")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.update_detail()
