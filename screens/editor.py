"""The draft editor screen: the stepper, the current section's form, the problems panel and
the title and status bars. What is edited, checked and saved is the session's
(wizard/session.py); the timers and the screen's side of the session are
screens/session_screen.py, the save dialogs screens/save_flow.py, the commands (undo, help,
language, direction, palette) screens/editor_commands.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.timer import Timer

from screens._textual_compat import set_localized_bindings
from screens.editor_commands import EditorCommands, editor_bindings
from screens.footer import FittingFooter
from screens.forms import form_class
from screens.forms.base import SectionForm
from screens.heap import SETTLE_SECONDS, keep_what_is_built, release
from screens.save_flow import SaveFlow
from screens.session_screen import FromSession, SessionScreen
from screens.widgets.bars import StatusBar, TitleBar
from screens.widgets.problems import ProblemsPanel
from screens.widgets.stepper import SectionStepper
from wizard.progress import section_of, section_of_path
from wizard.session import (
    CHECK_INTERVAL,
    SAVE_DELAY,
    EditSession,
)

if TYPE_CHECKING:
    from wizard.draft import Draft
    from wizard.guide import Direction, Guide
    from wizard.lock import DraftLock
    from wizard.rules import Violation

__all__ = ["CHECK_INTERVAL", "SAVE_DELAY", "EditorScreen"]


class EditorScreen(SaveFlow, EditorCommands, SessionScreen):
    DEFAULT_CSS = """
    EditorScreen { layout: vertical; }
    EditorScreen #title-bar { height: 1; background: $primary; color: $text; padding: 0 1; }
    EditorScreen #body { height: 1fr; }
    EditorScreen #stepper { width: 24; height: 1fr; border-right: solid $primary; }
    EditorScreen #main { width: 1fr; height: 1fr; layout: horizontal; }
    EditorScreen #form-area { width: 1fr; height: 1fr; }
    EditorScreen #problems { width: 38; height: 1fr; border-left: solid $primary; }
    EditorScreen #problems-head { height: 1; text-style: bold; padding: 0 1; background: $boost; }
    EditorScreen #violations { height: 1fr; border: none; }
    EditorScreen #vdetail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary; }
    EditorScreen #statusbar { height: 1; background: $boost; padding: 0 1; }
    EditorScreen.-narrow #stepper { width: 20; }
    EditorScreen.-narrow #main { layout: vertical; }
    EditorScreen.-narrow #problems { width: 100%; height: 7; border-left: none;
        border-top: solid $primary; }
    EditorScreen.-narrow #vdetail { display: none; }
    /* Narrow: an open list stays above the problems panel's divider (7 + 1 rows), the
       status bar and the footer, instead of being drawn across the divider. */
    EditorScreen.-narrow FieldBox > Select > SelectOverlay { margin: 0 0 10 0; }
    """

    draft: FromSession[Draft] = FromSession()
    guide: FromSession[Guide] = FromSession()
    path: FromSession[Path] = FromSession()
    draft_lock: FromSession[DraftLock | None] = FromSession()
    direction: FromSession[Direction] = FromSession()
    sections: FromSession[tuple[str, ...]] = FromSession()
    violations: FromSession[list[Violation]] = FromSession()
    invalid_paths: FromSession[set[str]] = FromSession()
    checked: FromSession[bool] = FromSession()
    save_error: FromSession[str] = FromSession()
    dirty: FromSession[bool] = FromSession()

    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session
        session.listener = self
        self.lang = lang = session.lang
        self.forms: dict[str, SectionForm] = {}
        self.current = ""
        self.all_scope = False
        self.problems = ProblemsPanel(session.guide, lang)
        # Held, not queried: a query walks every widget of the screen (≈ 8 ms on a large
        # draft's form), and these are redrawn after every check.
        self.title_bar = TitleBar()
        self.stepper = SectionStepper()
        self.status_bar = StatusBar()
        self._switching = asyncio.Lock()
        self._heap_timer: Timer | None = None
        self._resumed = False
        set_localized_bindings(self, editor_bindings(lang))

    def compose(self) -> ComposeResult:
        yield self.title_bar
        with Horizontal(id="body"):
            yield self.stepper
            with Container(id="main"):
                yield Container(id="form-area")
                yield self.problems
        yield self.status_bar
        yield FittingFooter()

    async def on_mount(self) -> None:
        self.update_title()
        self.update_stepper()
        self.update_status()
        section = self.draft.meta.last_section
        if section not in self.sections:
            section = self.sections[0]
        await self.show_section(section, focus=False)
        target = self.draft.meta.last_field
        if target and section_of_path(target) == section:
            self.current_form.focus_path(target)
        else:
            self.current_form.focus_other("")
        self.call_after_refresh(self.first_check)
        self.watch_files()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (Textual calls each class's, the subclass first).
        # Shown the first time, every widget was styled as it was mounted, a moment ago:
        # Textual's restyle of the whole screen on resume was a third of the first frame's
        # styling (docs/performance.md, open). Later resumes (back from a dialog) restyle.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def first_check(self) -> None:
        if not self.checked:
            self.run_check()

    @property
    def narrow(self) -> bool:
        return self.size.width < 100 or self.size.height < 30

    def on_resize(self) -> None:
        narrow = self.narrow
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            for form in self.forms.values():
                form.set_compact(narrow)

    @property
    def current_form(self) -> SectionForm:
        return self.forms[self.current]

    # -- drawing what the session holds ------------------------------------------------------
    def update_title(self) -> None:
        self.title_bar.show(self.session, self.lang)

    def update_stepper(self, parts: dict[str, Any] | None = None) -> None:
        self.stepper.show(self.session, self.current, self.lang, parts)

    def update_status(self, parts: dict[str, Any] | None = None) -> None:
        if self.status_bar.is_attached:  # not while closing: a save finished after it
            self.status_bar.show(self.session, self.lang, parts)

    def update_panel(self) -> None:
        self.problems.show(self.violations, self.checked, self.current, self.all_scope)

    def update_chrome(self) -> None:
        """Field marks, the section's own summary (review, budget), stepper, status, title."""
        if self._chrome_timer is not None:
            self._chrome_timer.stop()
            self._chrome_timer = None
        if self._title_pending:
            self._title_pending = False
            self.update_title()
        checked = self.checked
        parts = self.session.parts()
        if self.current in self.forms:
            # Restyling a field that turned red or back costs ~3–5 ms (Textual re-applies
            # the stylesheet to its subtree).
            self.current_form.mark(self.invalid_paths)
            if checked:
                self.current_form.on_check(self.violations)
        self.update_stepper(parts)
        self.update_status(parts)

    # -- sections ----------------------------------------------------------------------------
    async def show_section(self, section: str, focus: bool = True) -> None:
        # One switch at a time (a click on the stepper and F8 may overlap), and `current`
        # names a section only once its form is mounted: checks, chrome updates and
        # autosaves run while a new form mounts and use `current_form`.
        async with self._switching:
            if section not in self.sections:
                section = self.sections[0]
            form = self.forms.get(section)
            if form is None:
                form = form_class(section)(self.session)
                form.display = False
                await self.query_one("#form-area", Container).mount(form)
                self.forms[section] = form
                self._keep_built_later()  # the form lives as long as the editor
            else:
                form.relist()
                form.load()
            if self.current in self.forms and self.current != section:
                self.forms[self.current].display = False
            form.display = True
            self.current = section
            form.mark(self.invalid_paths)
            form.on_check(self.violations)
            self.session.note_section(section)
            self.update_stepper()
            self.update_panel()
            if focus:
                form.focus_other("")

    def _keep_built_later(self) -> None:
        if self._heap_timer is not None:
            self._heap_timer.stop()
        self._heap_timer = self.set_timer(SETTLE_SECONDS, self._keep_built)

    def _keep_built(self) -> None:
        if not keep_what_is_built():  # a dropped form is not gone yet: a moment later
            self._keep_built_later()

    async def goto_path(self, path: str, section: str | None = None) -> None:
        section = section or section_of_path(path)
        if section not in self.sections:
            return
        if section != self.current:
            await self.show_section(section, focus=False)
        self.current_form.focus_path(path)

    async def goto(self, v: Violation) -> None:
        await self.goto_path(v.path, section_of(v, self.guide))

    async def drop_forms(self) -> None:
        """Remove every section's form (the draft, its direction or the language changed);
        the next show_section builds it anew. Callers pick the section from `current`."""
        dropped = list(self.forms.values())
        for form in dropped:
            await form.remove()
        self.forms.clear()
        release(dropped)

    async def rebuild(self) -> None:
        """Show the session's new draft (the file's version, or a merge): forms built anew."""
        await self.drop_forms()
        section = self.current if self.current in self.sections else self.sections[0]
        self.current = ""
        await self.show_section(section)
        self.update_title()
        self.run_check()

    async def action_choose(self) -> None:
        """Enter on the section list or the problems panel: switch or jump before the keys
        typed after Enter are handled (elsewhere Enter is the focused widget's)."""
        focused = self.focused
        if isinstance(focused, SectionStepper) and (section := focused.chosen()):
            if section != self.current:
                await self.show_section(section)
        elif focused is self.problems.violation_list and (
            v := self.problems.highlighted_violation()
        ):
            await self.goto(v)
        else:
            raise SkipAction()

    @on(SectionStepper.SectionChosen)
    async def _step(self, event: SectionStepper.SectionChosen) -> None:
        if event.section != self.current:
            await self.show_section(event.section)

    @on(ProblemsPanel.Jump)
    async def _jump(self, event: ProblemsPanel.Jump) -> None:
        await self.goto(event.violation)

    @on(SectionForm.Action)
    async def _form_action(self, event: SectionForm.Action) -> None:
        await self.run_action(event.action)

    async def action_next_section(self) -> None:
        i = self.sections.index(self.current)
        await self.show_section(self.sections[min(i + 1, len(self.sections) - 1)])

    async def action_prev_section(self) -> None:
        i = self.sections.index(self.current)
        await self.show_section(self.sections[max(i - 1, 0)])

    def on_unmount(self) -> None:
        # Last resort (the app is closing without a quit action): no UI left to update.
        self._stop_timers()
        self._closed = True
        self.session.files.on_read = None
        self.session.close()
        if self._heap_timer is not None:
            self._heap_timer.stop()
        release()
