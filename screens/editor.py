"""The draft editor: section stepper, the current section's form, live problems, autosave."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from screens.dialogs import ConfirmDialog, HelpDialog
from screens.forms import FORMS, SectionForm
from screens.i18n import localized_bindings, t
from screens.picker import PickerScreen
from wizard.display import printable
from wizard.draft import H2020, Draft
from wizard.guide import Direction, Guide
from wizard.labels import SEVERITY_LABELS, label
from wizard.lock import DraftLock
from wizard.progress import (
    completeness,
    overall,
    section_of,
    section_of_path,
    section_title,
    sections_for,
)
from wizard.rules import Violation, counts, evaluate
from wizard.store import save_draft

CHECK_DELAY = 0.2
SAVE_DELAY = 0.8
SEV_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
SEV_ICON = {"error": "✗", "warning": "!", "info": "i"}


def editor_bindings(lang: str) -> list[Binding]:
    return [
        Binding("f7", "prev_section", t("key.prev", lang)),
        Binding("f8", "next_section", t("key.next", lang)),
        Binding("ctrl+pageup", "prev_section", show=False),
        Binding("ctrl+pagedown", "next_section", show=False),
        Binding("ctrl+s", "save", t("key.save", lang)),
        Binding("f1", "help", t("key.help", lang)),
        Binding("f2", "toggle_lang", t("key.lang", lang)),
        Binding("f3", "toggle_clause", t("key.clause", lang)),
        Binding("f4", "toggle_scope", t("key.scope", lang)),
        Binding("f9", "focus_problems", t("key.problems", lang)),
        Binding("escape", "home", t("key.back", lang)),
        Binding("q", "app.quit", t("key.quit", lang), show=False),
    ]


class EditorScreen(Screen[None]):
    DEFAULT_CSS = """
    EditorScreen { layout: vertical; }
    EditorScreen #title-bar { height: 1; background: $primary; color: $text; padding: 0 1; }
    EditorScreen #body { height: 1fr; }
    EditorScreen #stepper { width: 24; height: 1fr; border-right: solid $primary; }
    EditorScreen #main { width: 1fr; height: 1fr; layout: horizontal; }
    EditorScreen #form-area { width: 1fr; height: 1fr; }
    EditorScreen #problems { width: 38; height: 1fr; border-left: solid $primary; }
    EditorScreen #problems-head { text-style: bold; padding: 0 1; background: $boost; }
    EditorScreen #violations { height: 1fr; border: none; }
    EditorScreen #vdetail { height: auto; max-height: 8; padding: 0 1; border-top: solid $primary; }
    EditorScreen #statusbar { height: 1; background: $boost; padding: 0 1; }
    EditorScreen.-narrow #stepper { width: 20; }
    EditorScreen.-narrow #main { layout: vertical; }
    EditorScreen.-narrow #problems { width: 100%; height: 7; border-left: none;
        border-top: solid $primary; }
    EditorScreen.-narrow #vdetail { display: none; }
    .-invalid { }
    """

    def __init__(
        self,
        path: Path,
        draft: Draft,
        guide: Guide,
        lang: str,
        clock: Callable[[], datetime] | None = None,
        lock: DraftLock | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.lock = lock  # released when the editor closes, after the last save
        self.draft = draft
        self.guide = guide
        self.lang = lang
        self.clock = clock
        self.forms: dict[str, SectionForm] = {}
        self.current = ""
        self.violations: list[Violation] = evaluate(draft, guide)
        self.invalid_paths: set[str] = {v.path for v in self.violations}
        self.dirty = False
        self.meta_dirty = False
        self.save_error = ""
        self.show_clause = False
        self.all_scope = False
        self._check_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wizard-save")
        self._pending: Future[datetime | None] | None = None
        self._shown: list[Violation] = []
        self._bindings = localized_bindings(self, editor_bindings(lang))  # type: ignore[assignment]

    # -- properties --------------------------------------------------------------------------
    @property
    def direction(self) -> Direction:
        d = self.guide.direction(self.draft.direction)
        assert d is not None
        return d

    @property
    def sections(self) -> tuple[str, ...]:
        return sections_for(self.direction)

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        with Horizontal(id="body"):
            yield OptionList(id="stepper")
            with Container(id="main"):
                yield Container(id="form-area")
                with Vertical(id="problems"):
                    yield Static("", id="problems-head")
                    yield OptionList(id="violations")
                    yield Static("", id="vdetail")
        yield Static("", id="statusbar")
        yield Footer()

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

    def update_title(self) -> None:
        d = self.direction
        title = self.draft.project.title or t("home.untitled", self.lang)
        text = Text.assemble(
            (t("app.title", self.lang), "bold"),
            " · ",
            f"{d.code} {d.title_en if self.lang == 'en' else d.title}",
            " · ",
            printable(title),
        )
        self.query_one("#title-bar", Static).update(text)

    def update_stepper(self) -> None:
        stepper = self.query_one("#stepper", OptionList)
        parts = completeness(self.draft, self.guide, self.violations)
        per: dict[str, list[Violation]] = {s: [] for s in self.sections}
        for v in self.violations:
            per.setdefault(section_of(v, self.guide), []).append(v)
        options = []
        for s in self.sections:
            errors = sum(1 for v in per[s] if v.severity == "error")
            warnings = sum(1 for v in per[s] if v.severity == "warning")
            prompt = Text(section_title(s, self.lang), "bold" if s == self.current else "")
            prompt.append("\n  ")
            if errors:
                prompt.append(f"✗{errors} ", "red")
            if warnings:
                prompt.append(f"!{warnings} ", "yellow")
            if not errors and not warnings:
                prompt.append("✓ ", "green")
            if s != "review":
                prompt.append(f"{parts[s].percent}%", "dim")
            options.append(Option(prompt, id=s))
        highlighted = self.sections.index(self.current) if self.current in self.sections else 0
        with stepper.prevent(OptionList.OptionHighlighted):
            stepper.set_options(options)
            stepper.highlighted = highlighted

    def update_status(self) -> None:
        try:
            bar = self.query_one("#statusbar", Static)
        except NoMatches:  # closing: the save finished after the widgets went
            return
        c = counts(self.violations)
        parts = overall(completeness(self.draft, self.guide, self.violations))
        if self.save_error:
            saved = Text(t("ed.save_failed", self.lang, error=self.save_error), "bold red")
        elif self.dirty:
            saved = Text(t("ed.unsaved", self.lang), "yellow")
        elif self._pending is not None and not self._pending.done():
            saved = Text(t("ed.saving", self.lang), "yellow")
        elif self.draft.meta.updated is not None:
            stamp = self.draft.meta.updated.strftime("%Y-%m-%d %H:%M:%S")
            saved = Text(t("ed.saved_at", self.lang, time=stamp), "green")
        else:
            saved = Text(t("ed.never_saved", self.lang))
        text = Text.assemble(
            saved,
            " · ",
            (t(f"status.{self.draft.meta.status}", self.lang), "bold"),
            " · ",
            t("ed.counts", self.lang, **c),
            " · ",
            t("ed.complete", self.lang, percent=parts.percent),
            " · ",
            (printable(self.path.name), "dim"),
        )
        bar.update(text)

    def update_panel(self) -> None:
        panel = self.query_one("#violations", OptionList)
        here = [v for v in self.violations if section_of(v, self.guide) == self.current]
        all_scope = self.all_scope or self.current == "review"
        shown = self.violations if all_scope else here
        head = (
            t("ed.problems_all", self.lang, total=len(self.violations))
            if all_scope
            else t("ed.problems_here", self.lang, n=len(here), total=len(self.violations))
        )
        self.query_one("#problems-head", Static).update(head + "  (F4)")
        options: list[Option | None] = []
        ordered: list[Violation] = []
        for sev in ("error", "warning", "info"):
            group = [v for v in shown if v.severity == sev]
            if not group:
                continue
            options.append(
                Option(
                    Text(f"{SEVERITY_LABELS[sev].get(self.lang)} {len(group)}", SEV_STYLE[sev]),
                    disabled=True,
                )
            )
            for v in group:
                prompt = Text.assemble((SEV_ICON[sev] + " ", SEV_STYLE[sev]))
                if all_scope:
                    prompt.append(
                        f"[{section_title(section_of(v, self.guide), self.lang)}] ", "dim"
                    )
                prompt.append(label(v.path, self.lang) + "\n", "bold")
                prompt.append(printable(v.message(self.lang)))
                if self.show_clause:
                    prompt.append("\n↳ " + self._clause_text(v), "dim italic")
                options.append(Option(prompt, id=f"v{len(ordered)}"))
                ordered.append(v)
        if not options:
            key = "ed.no_problems_all" if all_scope else "ed.no_problems"
            options.append(Option(Text(t(key, self.lang), "green"), disabled=True))
        self._shown = ordered
        old = panel.highlighted
        panel.set_options(options)
        if old is not None and old < len(options):
            panel.highlighted = old
        self.update_detail()

    def _clause_text(self, v: Violation) -> str:
        where = "" if v.clause.direction == "general" else f"{v.clause.direction} "
        text = f"{where}{v.clause.item}：{v.clause.text}"
        if v.clause.source:
            text += f"（{v.clause.source}）"
        return text

    def _highlighted_violation(self) -> Violation | None:
        panel = self.query_one("#violations", OptionList)
        option = panel.highlighted_option
        if option is None or not option.id or not option.id.startswith("v"):
            return None
        index = int(option.id[1:])
        return self._shown[index] if index < len(self._shown) else None

    def update_detail(self) -> None:
        detail = self.query_one("#vdetail", Static)
        v = self._highlighted_violation()
        if v is None:
            detail.update(Text(t("ed.clause_hint", self.lang), "dim"))
            return
        text = Text.assemble((label(v.path, self.lang) + "\n", "bold"))
        if self.show_clause:
            text.append(t("ed.clause", self.lang) + "：", "bold")
            text.append(self._clause_text(v))
        else:
            text.append(t("ed.clause_hint", self.lang), "dim")
        detail.update(text)

    # -- sections ----------------------------------------------------------------------------
    async def show_section(self, section: str, focus: bool = True) -> None:
        if section not in self.sections:
            section = self.sections[0]
        area = self.query_one("#form-area", Container)
        if self.current in self.forms and self.current != section:
            self.forms[self.current].display = False
        self.current = section
        form = self.forms.get(section)
        if form is None:
            form = FORMS[section](self)
            self.forms[section] = form
            await area.mount(form)
        else:
            form.display = True
            form.relist()
            form.load()
        form.mark(self.invalid_paths)
        form.on_check(self.violations)
        if self.draft.meta.last_section != section:
            self.draft.meta.last_section = section
            self.meta_dirty = True
        self.update_stepper()
        self.update_panel()
        if focus:
            form.focus_other("")

    async def goto_path(self, path: str, section: str | None = None) -> None:
        section = section or section_of_path(path)
        if section not in self.sections:
            return
        if section != self.current:
            await self.show_section(section, focus=False)
        self.current_form.focus_path(path)

    async def goto(self, v: Violation) -> None:
        await self.goto_path(v.path, section_of(v, self.guide))

    @on(OptionList.OptionSelected, "#stepper")
    async def _step(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id != self.current:
            await self.show_section(event.option.id)

    @on(OptionList.OptionSelected, "#violations")
    async def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("v"):
            index = int(option_id[1:])
            if index < len(self._shown):
                await self.goto(self._shown[index])

    @on(OptionList.OptionHighlighted, "#violations")
    def _vhighlight(self) -> None:
        self.update_detail()

    async def action_next_section(self) -> None:
        i = self.sections.index(self.current)
        await self.show_section(self.sections[min(i + 1, len(self.sections) - 1)])

    async def action_prev_section(self) -> None:
        i = self.sections.index(self.current)
        await self.show_section(self.sections[max(i - 1, 0)])

    # -- edits, checks, saves -----------------------------------------------------------------
    def note_focus(self, section: str, path: str) -> None:
        meta = self.draft.meta
        if meta.last_field != path or meta.last_section != section:
            meta.last_field = path
            meta.last_section = section
            self.meta_dirty = True

    def edited(self, path: str) -> None:
        """A form changed the draft at `path`: check soon, save soon."""
        self.dirty = True
        if self.draft.meta.status == "ready":
            self.draft.meta.status = "draft"
            self.notify(t("ed.back_to_draft", self.lang), markup=False)
        if self._check_timer is None:
            self._check_timer = self.set_timer(CHECK_DELAY, self.run_check)
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_now)
        if path.startswith("project.title"):
            self.update_title()
        self.update_status()

    def run_check(self) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        self.violations = evaluate(self.draft, self.guide)
        self.invalid_paths = {v.path for v in self.violations}
        if self.current in self.forms:
            self.current_form.mark(self.invalid_paths)
            self.current_form.on_check(self.violations)
        self.update_stepper()
        self.update_panel()
        self.update_status()

    def _write(self, snapshot: Draft, touch: bool) -> datetime | None:
        """In the save thread: write a copy of the draft (atomic, fsync'd by the store)."""
        save_draft(snapshot, self.path, touch=touch)
        return snapshot.meta.updated

    def save_now(self, ui: bool = True, wait: bool = False) -> bool:
        """Write pending changes: in the save thread, or at once when `wait` (quit, leave).

        Saves are serialized by a one-thread executor, so a later save never lands before an
        earlier one. Only the reading position changed (last section/field): the file is
        written without touching meta.updated.
        """
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.dirty or self.meta_dirty:
            snapshot = self.draft.model_copy(deep=True)
            touch = self.dirty
            self.dirty = False
            self.meta_dirty = False
            future = self._executor.submit(self._write, snapshot, touch)
            self._pending = future
            if not wait:
                if ui:
                    self.update_status()
                self.run_worker(
                    self._await_save(future, touch, ui), group="save", exit_on_error=False
                )
                return True
        future = self._pending
        if future is None:
            return not self.save_error
        try:
            future.result()
        except Exception:
            pass
        return self._saved(future, True, ui)

    async def _await_save(self, future: Future[datetime | None], touch: bool, ui: bool) -> None:
        try:
            await asyncio.wrap_future(future)
        except Exception:
            pass
        self._saved(future, touch, ui)

    def _saved(self, future: Future[datetime | None], touch: bool, ui: bool) -> bool:
        if self._pending is future:
            self._pending = None
        exc = future.exception()
        if exc is not None:
            self.save_error = str(getattr(exc, "strerror", None) or exc)
            self.dirty = True  # try again
            if ui and self.is_attached:
                self.update_status()
                if self._save_timer is None:
                    self._save_timer = self.set_timer(5, self.save_now)
            return False
        self.save_error = ""
        updated = future.result()
        if touch and updated is not None:
            self.draft.meta.updated = updated
        if ui and self.is_attached:
            self.update_status()
        return True

    def flush(self) -> bool:
        """Save whatever is pending and wait for it (quit, leave)."""
        if self._check_timer is not None:
            self.run_check()
        return self.save_now(wait=True)

    def on_unmount(self) -> None:
        # Last resort (the app is closing without a quit action): no UI left to update.
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        self.save_now(ui=False, wait=True)
        self._executor.shutdown(wait=True)
        if self.lock is not None:
            self.lock.release()

    def action_save(self) -> None:
        self.dirty = True
        self.save_now(wait=True)

    def action_check(self) -> None:
        self.run_check()
        c = counts(self.violations)
        self.notify(t("checked", self.lang, counts=t("ed.counts", self.lang, **c)), markup=False)

    def set_status(self, status: str) -> None:
        self.draft.meta.status = status  # type: ignore[assignment]
        self.dirty = True
        self.save_now(wait=True)
        self.run_check()

    def action_mark_ready(self) -> None:
        self.run_check()
        errors = counts(self.violations)["error"]
        if errors:
            self.notify(t("review.not_ready", self.lang, n=errors), severity="error", markup=False)
            return
        self.set_status("ready")
        self.notify(t("review.ready", self.lang), markup=False)

    async def action_home(self) -> None:
        self.flush()
        self.app.pop_screen()

    # -- panel toggles, help, language -------------------------------------------------------
    def action_toggle_clause(self) -> None:
        self.show_clause = not self.show_clause
        self.update_panel()

    def action_toggle_scope(self) -> None:
        self.all_scope = not self.all_scope
        self.update_panel()

    def action_focus_problems(self) -> None:
        self.query_one("#violations", OptionList).focus()

    def action_help(self) -> None:
        from screens.fields import help_text

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
                req = self.guide.requirement(pattern.split(".", 1)[1])
                if req is not None:
                    body.append(f"{req.item}\n{req.text}\n{req.text_en}\n")
            body.append(help_text(pattern, self.lang) or t("ed.help_none", self.lang))
            related = [v for v in self.violations if v.path == path]
            if related:
                body.append("\n\n" + t("ed.related", self.lang) + "\n", "bold")
                for v in related:
                    body.append(
                        f"{SEVERITY_LABELS[v.severity].get(self.lang)} ", SEV_STYLE[v.severity]
                    )
                    body.append(printable(v.message(self.lang)) + "\n")
                    body.append("↳ " + self._clause_text(v) + "\n", "dim")
            body.append("\n\n" + t("ed.help_keys", self.lang), "dim")
        self.app.push_screen(HelpDialog(title, body, self.lang))

    async def action_toggle_lang(self) -> None:
        await self.set_lang("en" if self.lang != "en" else "zh")

    async def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.app.lang = lang  # type: ignore[attr-defined]
        focused_path = self.draft.meta.last_field
        for form in self.forms.values():
            await form.remove()
        self.forms.clear()
        self._bindings = localized_bindings(self, editor_bindings(lang))  # type: ignore[assignment]
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
        def chosen(code: str | None) -> None:
            if code and code != self.draft.direction:
                self.confirm_switch(code)

        self.app.push_screen(PickerScreen(self.guide, self.lang, self.draft.direction), chosen)

    def switch_changes(self, code: str) -> list[str]:
        new = self.guide.direction(code)
        assert new is not None
        old = self.direction
        lang, draft = self.lang, self.draft
        out: list[str] = []
        p = draft.project
        if p.field and new.fields.mode == "listed" and new.fields.find(p.field) is None:
            out.append(t("switch.field", lang, value=printable(p.field)))
        field = new.fields.find(p.field)
        topics = {tp.key for tp in field.topics} if field else set()
        if p.topic and (field is None or p.topic not in topics):
            out.append(t("switch.topic", lang, value=printable(p.topic)))
        if old.h2020 and not new.h2020 and draft.h2020 != H2020():
            out.append(t("switch.h2020", lang))
        if new.h2020 and not old.h2020:
            out.append(t("switch.h2020_new", lang))
        keep = {r.id for _, r in self.guide.requirements_for(new) if r.kind == "attestation"}
        dropped = [k for k in draft.attest if k not in keep]
        if dropped:
            out.append(t("switch.attest", lang, count=len(dropped)))
        country = draft.partner.country.strip()
        if country and country not in (new.partner.zh, new.partner.en):
            partner = new.partner.en if lang == "en" else new.partner.zh
            out.append(t("switch.partner", lang, value=printable(country), partner=partner))
        if draft.budget.total > new.funding.amount:
            out.append(t("switch.budget", lang, total=draft.budget.total, cap=new.funding.amount))
        if draft.meta.status == "ready":
            out.append(t("switch.ready", lang))
        return out

    def confirm_switch(self, code: str) -> None:
        changes = self.switch_changes(code)
        body = (
            "\n".join(f"• {c}" for c in changes)
            if changes
            else t("picker.switch_nochange", self.lang)
        )
        new = self.guide.direction(code)
        assert new is not None
        title = (
            t("picker.switch_title", self.lang, code=code)
            + "  "
            + (new.title_en if self.lang == "en" else new.title)
        )

        async def done(ok: bool | None) -> None:
            if ok:
                await self.apply_switch(code)

        self.app.push_screen(ConfirmDialog(title, body, self.lang), done)

    async def apply_switch(self, code: str) -> None:
        new = self.guide.direction(code)
        assert new is not None
        draft = self.draft
        p = draft.project
        if p.field and new.fields.mode == "listed" and new.fields.find(p.field) is None:
            p.field = ""
        field = new.fields.find(p.field)
        if p.topic and (field is None or p.topic not in {tp.key for tp in field.topics}):
            p.topic = ""
        if not new.h2020:
            draft.h2020 = H2020()
        keep = {r.id for _, r in self.guide.requirements_for(new) if r.kind == "attestation"}
        draft.attest = {k: v for k, v in draft.attest.items() if k in keep}
        draft.direction = code
        for form in self.forms.values():
            await form.remove()
        self.forms.clear()
        section = self.current if self.current in self.sections else "project"
        self.current = ""
        self.edited("direction")
        self.run_check()
        self.update_title()
        await self.show_section(section)
        self.notify(t("switched", self.lang, code=code), markup=False)

    # -- command palette ---------------------------------------------------------------------
    def palette_commands(self) -> list[tuple[str, str, Any]]:
        lang = self.lang
        out: list[tuple[str, str, Any]] = []
        for s in self.sections:
            title = section_title(s, lang)

            async def go(section: str = s) -> None:
                await self.show_section(section)

            out.append((t("cmd.goto", lang, section=title), "", go))
        out.append((t("cmd.check", lang), t("cmd.check_help", lang), self.action_check))
        out.append((t("cmd.lang", lang), "", self.action_toggle_lang))
        out.append((t("cmd.direction", lang), "", self.action_switch_direction))
        out.append((t("cmd.ready", lang), "", self.action_mark_ready))
        out.append((t("cmd.save", lang), "", self.action_save))
        out.append((t("cmd.home", lang), "", self.action_home))
        return out
