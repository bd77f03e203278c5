"""The editor's commands besides editing: keys and palette, undo/redo, checks and 准备提交,
help (F1), the language (F2), the problems panel's toggles, switching the direction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from screens._textual_compat import set_localized_bindings
from screens.styles import SEV_STYLE
from wizard.catalogue import counts_text, label, t
from wizard.display import printable
from wizard.progress import section_of_path, section_title

if TYPE_CHECKING:
    from screens.forms.base import SectionForm
    from screens.widgets.problems import ProblemsPanel
    from wizard.history import Step
    from wizard.session import EditSession


def editor_bindings(lang: str) -> list[Binding]:
    # Keys that move the focus are priority bindings: they run in the app's own queue, before
    # the keys typed after them are handed to a field, and they focus at once (focus_now), so
    # `F8 x` puts x in the new section's field even when both arrive in one read.
    return [
        Binding("f7", "prev_section", t("key.prev", lang), priority=True),
        Binding("f8", "next_section", t("key.next", lang), priority=True),
        Binding("ctrl+pageup", "prev_section", show=False, priority=True),
        Binding("ctrl+pagedown", "next_section", show=False, priority=True),
        Binding("enter", "choose", show=False, priority=True),
        Binding("ctrl+s", "save", t("key.save", lang)),
        # Priority: the draft's undo, also in a TextArea (whose own undo would only know the
        # text, not a deleted unit).
        Binding("ctrl+z", "undo", t("key.undo", lang), show=False, priority=True),
        Binding("ctrl+y", "redo", t("key.redo", lang), show=False, priority=True),
        Binding("f1", "help", t("key.help", lang)),
        Binding("f2", "toggle_lang", t("key.lang", lang)),
        Binding("f3", "toggle_clause", t("key.clause", lang)),
        Binding("f4", "toggle_scope", t("key.scope", lang)),
        Binding("f9", "focus_problems", t("key.problems", lang), priority=True),
        Binding("escape", "home", t("key.back", lang)),
        Binding("q", "app.quit", t("key.quit", lang), show=False),
    ]


class EditorCommands(Screen[None]):
    session: EditSession
    lang: str
    current: str
    forms: dict[str, SectionForm]
    all_scope: bool
    problems: ProblemsPanel

    if TYPE_CHECKING:

        @property
        def current_form(self) -> SectionForm: ...
        async def show_section(self, section: str, focus: bool = True) -> None: ...
        async def goto_path(self, path: str, section: str | None = None) -> None: ...
        async def drop_forms(self) -> None: ...
        def run_check(self, typing: bool = False) -> None: ...
        def save_now(self, wait: bool = False) -> bool: ...
        def update_panel(self) -> None: ...
        def update_title(self) -> None: ...
        def update_status(self) -> None: ...

    # -- undo / redo --------------------------------------------------------------------------
    async def action_undo(self) -> None:
        await self._travel(self.session.undo(), "ed.undone", "ed.nothing_to_undo")

    async def action_redo(self) -> None:
        await self._travel(self.session.redo(), "ed.redone", "ed.nothing_to_redo")

    async def _travel(self, step: Step | None, done_key: str, none_key: str) -> None:
        if step is None:
            self.notify(t(none_key, self.lang), markup=False)
            return
        if self.session.restore(step):  # another direction: other sections
            await self.drop_forms()
            self.current = ""
        elif self.current in self.forms:
            self.current_form.relist()
            self.current_form.load()
        self.session.edited(step.path, record=False)
        self.run_check()
        self.update_title()
        if not self.current:
            await self.show_section(section_of_path(step.path))
        await self.goto_path(step.path)
        self.notify(t(done_key, self.lang, what=label(step.path, self.lang)), markup=False)

    # -- checks and status --------------------------------------------------------------------
    def action_check(self) -> None:
        from wizard.rules import counts

        self.run_check()
        c = counts(self.session.violations)
        self.notify(
            t("checked", self.lang, counts=counts_text(c, self.lang, sep=" · ")), markup=False
        )

    def set_status(self, status: str) -> None:
        self.session.set_status(status)
        self.run_check()

    def action_set_status(self, status: str) -> None:
        self.set_status(status)

    def action_mark_ready(self) -> None:
        if not self.session.read_all_files():
            self.notify(t("review.files_reading", self.lang), severity="warning", markup=False)
            return
        self.run_check()
        errors = self.session.errors()
        if errors:
            self.notify(t("review.not_ready", self.lang, n=errors), severity="error", markup=False)
            return
        self.set_status("ready")
        self.notify(t("review.ready", self.lang), markup=False)

    def action_save(self) -> None:
        self.session.dirty = True
        self.save_now(wait=True)

    # -- panel toggles, help, language -------------------------------------------------------
    def action_toggle_clause(self) -> None:
        self.problems.show_clause = not self.problems.show_clause
        self.update_panel()

    def action_toggle_scope(self) -> None:
        self.all_scope = not self.all_scope
        self.update_panel()

    def action_focus_problems(self) -> None:
        self.problems.focus_list()

    def action_help(self) -> None:
        focused = self.focused
        pattern = getattr(focused, "field_pattern", None)
        body = Text()
        if pattern is None:
            title = t("key.help", self.lang)
            body.append(t("ed.help_keys", self.lang))
        else:
            path = self.current_form.path_of(pattern) or pattern
            title = t("ed.help_title", self.lang, label=label(path, self.lang))
            if pattern.startswith("attest."):
                req = self.session.guide.requirement(pattern.split(".", 1)[1])
                if req is not None:
                    body.append(f"{req.item}\n{req.text}\n{req.text_en}\n")
            body.append(self.current_form.help_for(pattern) or t("ed.help_none", self.lang))
            related = [v for v in self.session.violations if v.path == path]
            if related:
                body.append("\n\n" + t("ed.related", self.lang) + "\n", "bold")
                for v in related:
                    body.append(f"{t(f'severity.{v.severity}', self.lang)} ", SEV_STYLE[v.severity])
                    body.append(printable(v.message(self.lang)) + "\n")
                    body.append("↳ " + self.problems.clause_text(v) + "\n", "dim")
            body.append("\n\n" + t("ed.help_keys", self.lang), "dim")
        from screens.dialogs import HelpDialog  # the dialogs are imported when first shown

        self.app.push_screen(HelpDialog(title, body, self.lang))

    async def action_toggle_lang(self) -> None:
        await self.set_lang("en" if self.lang != "en" else "zh")

    async def set_lang(self, lang: str) -> None:
        self.lang = self.session.lang = self.problems.lang = lang
        self.app.lang = lang  # type: ignore[attr-defined]
        focused_path = self.session.draft.meta.last_field
        await self.drop_forms()
        set_localized_bindings(self, editor_bindings(lang))
        self.refresh_bindings()
        self.update_title()
        self.update_status()
        section = self.current
        self.current = ""
        await self.show_section(section, focus=False)
        if focused_path and section_of_path(focused_path) == section:
            self.current_form.focus_path(focused_path)
        else:
            self.current_form.focus_other("")

    # -- direction ----------------------------------------------------------------------------
    def action_switch_direction(self) -> None:
        from screens.picker import PickerScreen

        code_now = self.session.draft.direction

        def chosen(code: str | None) -> None:
            if code and code != self.session.draft.direction:
                self.confirm_switch(code)

        self.app.push_screen(PickerScreen(self.session.guide, self.lang, code_now), chosen)

    def switch_changes(self, code: str) -> list[str]:
        return self.session.switch_changes(code)

    def confirm_switch(self, code: str) -> None:
        changes = self.session.switch_changes(code)
        body = (
            "\n".join(f"• {c}" for c in changes)
            if changes
            else t("picker.switch_nochange", self.lang)
        )
        new = self.session.guide.direction(code)
        assert new is not None
        title = (
            t("picker.switch_title", self.lang, code=code)
            + "  "
            + (new.title_en if self.lang == "en" else new.title)
        )

        async def done(ok: bool | None) -> None:
            if ok:
                await self.apply_switch(code)

        from screens.dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog(title, body, self.lang), done)

    async def apply_switch(self, code: str) -> None:
        self.session.apply_switch(code)
        await self.drop_forms()
        section = self.current if self.current in self.session.sections else "project"
        self.current = ""
        self.session.edited("direction")
        self.run_check()
        self.update_title()
        await self.show_section(section)
        self.notify(t("switched", self.lang, code=code), markup=False)

    # -- command palette ---------------------------------------------------------------------
    def palette_commands(self) -> list[tuple[str, str, Any]]:
        lang = self.lang
        out: list[tuple[str, str, Any]] = []
        for s in self.session.sections:
            title = section_title(s, lang)

            async def go(section: str = s) -> None:
                await self.show_section(section)

            out.append((t("cmd.goto", lang, section=title), "", go))
        out.append((t("cmd.check", lang), t("cmd.check_help", lang), self.action_check))
        out.append((t("cmd.lang", lang), "", self.action_toggle_lang))
        out.append((t("cmd.direction", lang), "", self.action_switch_direction))
        out.append((t("cmd.ready", lang), "", self.action_mark_ready))
        out.append((t("cmd.undo", lang), "Ctrl+Z", self.action_undo))
        out.append((t("cmd.redo", lang), "Ctrl+Y", self.action_redo))
        out.append((t("cmd.save", lang), "", self.action_save))
        out.append((t("cmd.home", lang), "", self.action_home))
        return out

    async def action_home(self) -> None:
        self.leave(self.app.leave_editor)  # type: ignore[attr-defined]

    if TYPE_CHECKING:

        def leave(self, then: Any) -> None: ...
