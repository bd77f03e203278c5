"""The draft editor: section stepper, the current section's form, live problems, autosave."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens._textual_compat import RepaintingOptionList, set_localized_bindings
from screens.dialogs import ConfirmDialog, HelpDialog
from screens.footer import FittingFooter
from screens.forms import form_class
from screens.forms.base import focus_now
from screens.styles import DONE_ICON, SEV_ICON, SEV_STYLE
from wizard.catalogue import clause_line, counts_text, label, t
from wizard.conflict import (
    DraftChanged,
    TrackedDraft,
    field_diffs,
    lock_identity,
    merge_data,
    write_copy,
)
from wizard.display import printable
from wizard.draft import H2020, Draft, prefill_partner
from wizard.history import History, Step
from wizard.progress import (
    completeness,
    overall,
    section_of,
    section_of_path,
    section_title,
    sections_for,
)
from wizard.store import draft_data, write_draft_data

if TYPE_CHECKING:
    from screens.forms.base import SectionForm
    from wizard.guide import Direction, Guide
    from wizard.lock import DraftLock
    from wizard.rules import Violation

# The first edit after a quiet spell is checked at once, in its own change handler, so the
# problems panel follows the keystroke in the next frame; edits that follow within
# CHECK_INTERVAL (a paste, held keys) share one check at the end of the interval.
CHECK_INTERVAL = 0.1
# While typing, what a check changes besides the problems panel (field marks, stepper, status
# and title bars) is redrawn this long after it, in a later frame: Textual redraws the box
# around everything changed in a frame, and bars at the top and bottom with the stepper on
# the left would make that the whole screen (≈ 10–15 ms) before the panel could show.
CHROME_DELAY = 0.04
# A check dearer than this (evaluate and the problems panel) does not run in a key's handler,
# where it would delay that key's echo; it follows DEFERRED_CHECK_DELAY later instead.
INLINE_CHECK_BUDGET = 0.008
DEFERRED_CHECK_DELAY = 0.05
SAVE_DELAY = 0.8


class TitleLine:
    """The header: app · direction · project title, fitted to the width it is drawn at
    (the direction's name goes first, then the project title is cut with …), so a long
    title never pushes itself off the one line."""

    MIN_TITLE = 12  # cells of the project title kept before the direction's name goes

    def __init__(self, app_title: str, code: str, direction: str, title: str) -> None:
        self.parts = (app_title, code, direction, title)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        app_title, code, direction, title = self.parts
        width = options.max_width
        head = Text.assemble((app_title, "bold"), " · ", code, " ", direction, " · ")
        if head.cell_len + min(cell_len(title), self.MIN_TITLE) > width:
            head = Text.assemble((app_title, "bold"), " · ", code, " · ")
        line = head + Text(title)
        if line.cell_len > width:  # cut, and … right after the last whole character
            line.truncate(max(width - 1, 0), overflow="crop")
            line.rstrip()
            line.append("…")
        line.no_wrap = True
        yield line


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


class EditorScreen(Screen[None]):
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

    def __init__(
        self,
        path: Path,
        draft: Draft,
        guide: Guide,
        lang: str,
        clock: Callable[[], datetime] | None = None,
        lock: DraftLock | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        # Not `self.lock`: that is Textual's widget lock (Widget.batch uses it).
        self.draft_lock = lock  # released when the editor closes, after the last save
        # What the file held when read (`text`, as loaded) or last written: saves check it
        # has not changed underneath, and keep its comments (wizard/conflict.py).
        self.file = (
            TrackedDraft(path, text.encode("utf-8"))
            if text is not None
            else TrackedDraft.read(path)
        )
        from wizard.lock import lock_path

        self._lock_id = lock_identity(lock_path(path)) if lock is not None else None
        self.conflict: DraftChanged | None = None
        self._conflict_shown = False
        self._asking = False
        self.written_to: Path | None = None  # a save elsewhere or a recovery copy
        self.draft = draft
        self.guide = guide
        self.lang = lang
        self.clock = clock
        self.forms: dict[str, SectionForm] = {}
        self.current = ""
        # Filled by the first check, which runs once the editor is on screen.
        self.checked = False
        self.violations: list[Violation] = []
        self.invalid_paths: set[str] = set()
        self._last_check = 0.0
        self._stepper_prompts: list[Text] = []
        self._status_text = Text()
        self._title_text: tuple[str, ...] = ()
        self._panel_key: tuple[Any, ...] = ()
        self._detail_text = Text()
        self._chrome_timer: Timer | None = None
        self._title_pending = False
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
        self._switching = asyncio.Lock()
        self._check_cost = 0.0  # seconds the last check took
        self.history = History(draft_data(draft))
        set_localized_bindings(self, editor_bindings(lang))

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
            yield RepaintingOptionList(id="stepper")
            with Container(id="main"):
                yield Container(id="form-area")
                with Vertical(id="problems"):
                    yield Static("", id="problems-head")
                    yield RepaintingOptionList(id="violations")
                    yield Static("", id="vdetail")
        yield Static("", id="statusbar")
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

    def update_title(self) -> None:
        d = self.direction
        title = self.draft.project.title or t("home.untitled", self.lang)
        line = TitleLine(
            t("app.title", self.lang),
            d.code,
            d.title_en if self.lang == "en" else d.title,
            printable(title.replace("\n", " ")),
        )
        if line.parts != self._title_text:
            self._title_text = line.parts
            self.query_one("#title-bar", Static).update(line, layout=False)

    def update_stepper(self, parts: dict[str, Any] | None = None) -> None:
        """Section titles with their problem counts and completeness; only the lines that
        changed are redrawn (a check runs on every pause in typing)."""
        stepper = self.query_one("#stepper", OptionList)
        if parts is None and self.checked:
            parts = completeness(self.draft, self.guide, self.violations)
        per: dict[str, list[Violation]] = {s: [] for s in self.sections}
        for v in self.violations:
            per.setdefault(section_of(v, self.guide), []).append(v)
        prompts = []
        for s in self.sections:
            prompt = Text(section_title(s, self.lang), "bold" if s == self.current else "")
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
        highlighted = self.sections.index(self.current) if self.current in self.sections else 0
        old = self._stepper_prompts
        ids = [option.id for option in stepper.options]
        with stepper.prevent(OptionList.OptionHighlighted):
            if ids != list(self.sections) or len(old) != len(prompts):
                sections = self.sections
                stepper.set_options(
                    [Option(p, id=s) for p, s in zip(prompts, sections, strict=True)]
                )
            else:
                for index, (before, after) in enumerate(zip(old, prompts, strict=True)):
                    if before != after:
                        stepper.replace_option_prompt_at_index(index, after)
            if stepper.highlighted != highlighted:
                stepper.highlighted = highlighted
        self._stepper_prompts = prompts

    def update_status(self, parts: dict[str, Any] | None = None) -> None:
        try:
            bar = self.query_one("#statusbar", Static)
        except NoMatches:  # closing: the save finished after the widgets went
            return
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
            saved, " · ", (t(f"status.{self.draft.meta.status}", self.lang), "bold")
        )
        if self.checked:
            from wizard.rules import counts

            if parts is None:
                parts = completeness(self.draft, self.guide, self.violations)
            percent = overall(parts).percent
            text.append(" · " + counts_text(counts(self.violations), self.lang, sep=" · "))
            text.append(" · " + t("ed.complete", self.lang, percent=percent))
        else:
            text.append(" · " + t("ed.checking", self.lang))
        text.append(" · ")
        text.append(printable(self.path.name), "dim")
        if text != self._status_text:  # one line, fixed size: no layout pass needed
            self._status_text = text
            bar.update(text, layout=False)

    def update_panel(self) -> None:
        panel = self.query_one("#violations", OptionList)
        here = [v for v in self.violations if section_of(v, self.guide) == self.current]
        all_scope = self.all_scope or self.current == "review"
        shown = self.violations if all_scope else here
        if not self.checked:
            head = t("ed.problems_checking", self.lang)
        elif all_scope:
            head = t("ed.problems_all", self.lang, total=len(self.violations))
        else:
            head = t("ed.problems_here", self.lang, n=len(here), total=len(self.violations))
        self.query_one("#problems-head", Static).update(head + "  (F4)", layout=False)
        # Unchanged problems (most keystrokes): leave the list, its scroll and highlight alone.
        key = (self.checked, self.lang, self.current, all_scope, self.show_clause, tuple(shown))
        if key == self._panel_key:
            return
        self._panel_key = key
        options: list[Option | None] = []
        ordered: list[Violation] = []
        for sev in ("error", "warning", "info"):
            group = [v for v in shown if v.severity == sev]
            if not group:
                continue
            options.append(
                Option(
                    Text(f"{t(f'severity.{sev}', self.lang)} {len(group)}", SEV_STYLE[sev]),
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
            if not self.checked:
                empty = Text(t("ed.checking", self.lang), "dim")
            else:
                empty = Text(
                    t("ed.no_problems_all" if all_scope else "ed.no_problems", self.lang), "green"
                )
            options.append(Option(empty, disabled=True))
        self._shown = ordered
        old = panel.highlighted
        panel.set_options(options)
        if old is not None and old < len(options):
            panel.highlighted = old
        self.update_detail()

    def _clause_text(self, v: Violation) -> str:
        return clause_line(v.clause, self.lang)

    def _highlighted_violation(self) -> Violation | None:
        panel = self.query_one("#violations", OptionList)
        option = panel.highlighted_option
        if option is None or not option.id or not option.id.startswith("v"):
            return None
        index = int(option.id[1:])
        return self._shown[index] if index < len(self._shown) else None

    def update_detail(self) -> None:
        v = self._highlighted_violation()
        if v is None:
            text = Text(t("ed.clause_hint", self.lang), "dim")
        else:
            text = Text.assemble((label(v.path, self.lang) + "\n", "bold"))
            if self.show_clause:
                text.append(t("ed.clause", self.lang) + t("colon", self.lang), "bold")
                text.append(self._clause_text(v))
            else:
                text.append(t("ed.clause_hint", self.lang), "dim")
        if text != self._detail_text:  # its height can change: a layout pass, so only if new
            self._detail_text = text
            self.query_one("#vdetail", Static).update(text)

    # -- sections ----------------------------------------------------------------------------
    async def show_section(self, section: str, focus: bool = True) -> None:
        # One switch at a time (a click on the stepper and F8 may overlap), and `current`
        # names a section only once its form is mounted: checks, chrome updates and
        # autosaves run while a new form mounts and use `current_form`.
        async with self._switching:
            await self._show_section(section, focus)

    async def _show_section(self, section: str, focus: bool) -> None:
        if section not in self.sections:
            section = self.sections[0]
        form = self.forms.get(section)
        if form is None:
            form = form_class(section)(self)
            form.display = False
            await self.query_one("#form-area", Container).mount(form)
            self.forms[section] = form
        else:
            form.relist()
            form.load()
        if self.current in self.forms and self.current != section:
            self.forms[self.current].display = False
        form.display = True
        self.current = section
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

    async def action_choose(self) -> None:
        """Enter on the section list or the problems panel: switch or jump before the keys
        typed after Enter are handled (elsewhere Enter is the focused widget's)."""
        focused = self.focused
        if not isinstance(focused, OptionList) or focused.id not in ("stepper", "violations"):
            raise SkipAction()
        option = focused.highlighted_option
        if option is None or option.disabled:
            raise SkipAction()
        if focused.id == "stepper":
            if option.id and option.id != self.current:
                await self.show_section(option.id)
        elif option.id and option.id.startswith("v"):
            index = int(option.id[1:])
            if index < len(self._shown):
                await self.goto(self._shown[index])

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

    def edited(self, path: str, record: bool = True) -> None:
        """A form changed the draft at `path`: an undo step, check soon, save soon."""
        if record:
            self.history.record(draft_data(self.draft), path)
        self.dirty = True
        if self.draft.meta.status == "ready":
            self.draft.meta.status = "draft"
            self.notify(t("ed.back_to_draft", self.lang), markup=False)
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_now)
        self._chrome_later(title=path.startswith("project.title"))
        if self._check_timer is None:
            wait = self._last_check + CHECK_INTERVAL - time.monotonic()
            if wait <= 0 and self._check_cost <= INLINE_CHECK_BUDGET:
                self.run_check(typing=True)
                return
            # A draft whose check costs more than a frame's share (hundreds of units) is
            # checked after the key is drawn, never in the key's own handler.
            wait = max(wait, DEFERRED_CHECK_DELAY)
            self._check_timer = self.set_timer(wait, partial(self.run_check, typing=True))

    def run_check(self, typing: bool = False) -> None:
        """Check the draft and show its problems; the rest of the screen that follows from a
        check is updated at once, or, while typing, CHROME_DELAY later."""
        from wizard.rules import evaluate

        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        started = time.perf_counter()
        self.violations = evaluate(self.draft, self.guide)
        self.checked = True
        self.invalid_paths = {v.path for v in self.violations}
        self.update_panel()
        self._check_cost = time.perf_counter() - started
        self._last_check = time.monotonic()
        if typing:
            self._chrome_later()
        else:
            self.update_chrome()

    def _chrome_later(self, title: bool = False) -> None:
        self._title_pending |= title
        if self._chrome_timer is None:
            self._chrome_timer = self.set_timer(CHROME_DELAY, self.update_chrome)

    def update_chrome(self) -> None:
        """Field marks, the section's own summary (review, budget), stepper, status, title."""
        if self._chrome_timer is not None:
            self._chrome_timer.stop()
            self._chrome_timer = None
        if self._title_pending:
            self._title_pending = False
            self.update_title()
        parts = completeness(self.draft, self.guide, self.violations) if self.checked else None
        if self.current in self.forms:
            # Restyling a field that turned red or back costs ~3–5 ms (Textual re-applies
            # the stylesheet to its subtree).
            self.current_form.mark(self.invalid_paths)
            if self.checked:
                self.current_form.on_check(self.violations)
        self.update_stepper(parts)
        self.update_status(parts)

    def _write(self, snapshot: dict[str, Any], touch: bool) -> datetime | None:
        """In the save thread: write a snapshot of the draft (atomic, fsync'd by the store),
        unless the file changed underneath (DraftChanged: nothing written)."""
        return self.file.write(snapshot, touch)

    def save_now(self, ui: bool = True, wait: bool = False) -> bool:
        """Write pending changes: in the save thread, or at once when `wait` (quit, leave).

        Saves are serialized by a one-thread executor, so a later save never lands before an
        earlier one. Only a real edit writes: the reading position (last section/field) is
        written with the next edit, so opening a draft and leaving never rewrites it. While
        a conflict with the file waits for the applicant's choice, nothing is written.
        """
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.conflict is not None:
            return False
        if self.dirty:
            self._check_lock(ui)
            # Plain data, not a deep model copy: ~0.1 ms on the UI thread for a large draft;
            # the TOML is made in the save thread.
            snapshot = draft_data(self.draft)
            self.dirty = False
            self.meta_dirty = False
            future = self._executor.submit(self._write, snapshot, True)
            self._pending = future
            if not wait:
                if ui:
                    self.update_status()
                self.run_worker(
                    self._await_save(future, True, ui), group="save", exit_on_error=False
                )
                return True
        pending = self._pending
        if pending is None:
            return not self.save_error and not self.dirty
        try:
            pending.result()
        except Exception:
            pass
        return self._saved(pending, True, ui, ask=False)

    async def _await_save(self, future: Future[datetime | None], touch: bool, ui: bool) -> None:
        try:
            await asyncio.wrap_future(future)
        except Exception:
            pass
        self._saved(future, touch, ui)

    def _saved(
        self, future: Future[datetime | None], touch: bool, ui: bool, ask: bool = True
    ) -> bool:
        if self._pending is future:
            self._pending = None
        exc = future.exception()
        if isinstance(exc, DraftChanged):
            self.dirty = True  # kept in memory until the applicant chooses
            self.conflict = exc
            self.save_error = t("ed.conflict_short", self.lang)
            if ui and self.is_attached:
                self.update_status()
                if ask:
                    self.show_conflict()
            return False
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
            if self.draft.meta.created is None:
                self.draft.meta.created = updated
        if ui and self.is_attached:
            self.update_status()
        return True

    def flush(self) -> bool:
        """Save whatever is pending and wait for it (quit, leave). False: the text is not on
        disk (the save failed, or the file changed underneath and waits for a choice)."""
        if self._check_timer is not None:
            self.run_check()
        return self.save_now(wait=True)

    def _check_lock(self, ui: bool) -> None:
        """Before a save: is the lock file still the one this editor locked? If it was
        deleted (or replaced), a second editor could open the draft: lock it anew, or, if
        another process already has it, warn (the conflict check still stops either editor
        from overwriting the other's saves)."""
        from wizard.lock import DraftLock, DraftLocked, lock_path

        if self.draft_lock is None or self._lock_id is None:
            return
        if lock_identity(lock_path(self.path)) == self._lock_id:
            return
        fresh = DraftLock(self.path)
        try:
            fresh.acquire()
        except (DraftLocked, OSError) as exc:
            owner = getattr(exc, "owner", None)
            who = owner.describe(self.lang) if owner else "?"
            self._lock_id = lock_identity(lock_path(self.path))  # warn once per new lock
            if ui and self.is_attached:
                self.notify(
                    printable(t("ed.lock_lost", self.lang, who=who)),
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            return
        # Our old lock is on a file no longer in the folder: let it go (its owner file, if
        # any, is the new lock's now, so it is not removed).
        old = self.draft_lock
        self.draft_lock = fresh
        self._lock_id = lock_identity(lock_path(self.path))
        old._lock.release()
        if ui and self.is_attached:
            self.notify(t("ed.lock_renewed", self.lang), markup=False)

    # -- when a save cannot be done: conflicts, failures, recovery ----------------------------
    def _theirs(self, raw: bytes | None) -> Draft | None:
        from wizard.files import DraftError
        from wizard.store import parse_draft

        if raw is None:
            return None
        try:
            return parse_draft(raw.decode("utf-8"), self.path, self.guide)
        except (DraftError, UnicodeDecodeError, ValueError):
            return None

    def show_conflict(self, then: Callable[[], Any] | None = None) -> None:
        """The file changed underneath: show how, and let the applicant choose."""
        from screens.dialogs import ConflictDialog

        exc = self.conflict
        if exc is None or self._conflict_shown:
            return
        self._conflict_shown = True
        theirs = self._theirs(exc.theirs)
        diffs = field_diffs(draft_data(self.draft), draft_data(theirs)) if theirs else []

        async def chosen(choice: str | None) -> None:
            self._conflict_shown = False
            done = False
            if choice == "mine":
                done = self.keep_mine()
            elif choice == "theirs" and theirs is not None:
                done = await self.take_theirs(theirs)
            elif choice == "merge" and theirs is not None:
                self.ask_merge(theirs, diffs, then)
                return
            if done and then is not None:
                then()

        self.app.push_screen(
            ConflictDialog(self.path.name, diffs, theirs is not None, self.lang), chosen
        )

    def ask_merge(self, theirs: Draft, diffs: list[Any], then: Callable[[], Any] | None) -> None:
        from screens.dialogs import MergeDialog

        async def chosen(take: set[str] | None) -> None:
            if take is None:  # back to the choice
                self.show_conflict(then)
                return
            if await self.merge(theirs, take) and then is not None:
                then()

        self.app.push_screen(MergeDialog(diffs, self.lang), chosen)

    def _copy_beside(self, tag: str, raw: bytes) -> Path | None:
        try:
            return write_copy(self.path, tag, raw)
        except OSError as exc:
            reason = str(exc.strerror or exc)
            self.notify(
                printable(t("ed.copy_failed", self.lang, error=reason)),
                severity="error",
                markup=False,
            )
            return None

    def keep_mine(self) -> bool:
        """Keep the applicant's version; the file's is saved beside it as a copy."""
        exc = self.conflict
        if exc is None:
            return True
        if exc.theirs is not None:
            copy = self._copy_beside("theirs", exc.theirs)
            if copy is None:
                return False
            self.file.accept(exc.theirs)
            self.notify(printable(t("ed.kept_mine", self.lang, copy=copy.name)), markup=False)
        else:
            self.file.overwrite_next = True
        self.conflict = None
        self.save_error = ""
        self.dirty = True
        return self.save_now(wait=True)

    async def take_theirs(self, theirs: Draft) -> bool:
        """Take the file's version; the applicant's is saved beside it as a copy."""
        from wizard.store import dump_data

        exc = self.conflict
        if exc is None or exc.theirs is None:
            return False
        copy = self._copy_beside("mine", dump_data(draft_data(self.draft)).encode("utf-8"))
        if copy is None:
            return False
        self.file.accept(exc.theirs)
        self.conflict = None
        self.save_error = ""
        self.dirty = False
        await self.replace_draft(theirs)
        self.notify(printable(t("ed.took_theirs", self.lang, copy=copy.name)), markup=False)
        return True

    async def merge(self, theirs: Draft, take: set[str]) -> bool:
        """Mine, with the chosen fields as the file has them; the file's version is saved
        beside as a copy."""
        from pydantic import ValidationError

        exc = self.conflict
        if exc is None or exc.theirs is None:
            return False
        merged = merge_data(draft_data(self.draft), draft_data(theirs), take)
        try:
            draft = Draft.model_validate(merged)
        except ValidationError as err:
            self.notify(printable(str(err.errors()[0]["msg"])), severity="error", markup=False)
            return False
        copy = self._copy_beside("theirs", exc.theirs)
        if copy is None:
            return False
        self.file.accept(exc.theirs)
        self.conflict = None
        self.save_error = ""
        await self.replace_draft(draft)
        self.dirty = True
        ok = self.save_now(wait=True)
        self.notify(printable(t("ed.merged", self.lang, copy=copy.name)), markup=False)
        return ok

    async def _drop_forms(self) -> None:
        """Remove every section's form (the draft, its direction or the language changed);
        the next show_section builds the form anew. `current` stays as it was: callers pick
        the section to show from it."""
        for form in self.forms.values():
            await form.remove()
        self.forms.clear()

    async def replace_draft(self, draft: Draft, path: str = "project.title") -> None:
        """Edit `draft` from now on (the file's version, or a merge): forms built anew; one
        undo step goes back to the applicant's version."""
        self.draft = draft
        self.history.record(draft_data(draft), path)
        await self._drop_forms()
        section = self.current if self.current in self.sections else self.sections[0]
        self.current = ""
        await self.show_section(section)
        self.update_title()
        self.run_check()

    def leave(self, then: Callable[[], Any]) -> None:
        """Run `then` (quit, back home) once the text is on disk; if it cannot be saved, ask:
        retry (or resolve the conflict), save elsewhere, write a recovery copy, or stay."""
        from screens.dialogs import SaveFailedDialog

        if self._asking:
            return
        if self.flush():
            then()
            return
        self._asking = True
        conflict = self.conflict is not None

        def chosen(choice: str | None) -> None:
            self._asking = False
            if choice == "retry":
                self.dirty = True
                self.leave(then)
            elif choice == "resolve":
                self.show_conflict(lambda: self.leave(then))
            elif choice == "elsewhere":
                self.ask_elsewhere(then)
            elif choice == "recovery":
                where = self.rescue()
                if where is not None:
                    then()
                else:
                    self.leave(then)
            # None: stay in the editor; the text stays in memory and autosave retries.

        self.app.push_screen(
            SaveFailedDialog(self.path.name, self.save_error, conflict, self.lang), chosen
        )

    def ask_elsewhere(self, then: Callable[[], Any]) -> None:
        """Save the draft to a path the applicant types (never over an existing file)."""
        import os

        from screens.dialogs import PromptDialog

        def chosen(value: str | None) -> None:
            if not value:
                self.leave(then)
                return
            target = Path(value).expanduser()
            if target.is_dir():
                target = target / self.path.name
            if os.path.lexists(target):
                self.notify(
                    printable(t("ed.elsewhere_exists", self.lang, path=str(target))),
                    severity="error",
                    markup=False,
                )
                self.leave(then)
                return
            try:
                write_draft_data(draft_data(self.draft), target)
            except OSError as exc:
                self.notify(
                    printable(t("ed.elsewhere_failed", self.lang, error=exc.strerror or exc)),
                    severity="error",
                    markup=False,
                )
                self.leave(then)
                return
            self.dirty = False
            self.meta_dirty = False
            self.written_to = target
            self._note_exit(t("ed.saved_elsewhere", self.lang, path=str(target)))
            then()

        default = str(Path.home() / self.path.name)
        self.app.push_screen(PromptDialog(t("ed.elsewhere_prompt", self.lang), default, self.lang), chosen)  # fmt: skip

    def rescue(self) -> Path | None:
        """Write the draft as a recovery copy (the draft's own file could not be written);
        where it went, or None (and the reason in save_error) if nothing could be written."""
        from wizard.recovery import write_recovery
        from wizard.store import dump_data

        snapshot = draft_data(self.draft)
        snapshot["meta"]["updated"] = datetime.now().astimezone().replace(microsecond=0)
        try:
            where = write_recovery(dump_data(snapshot), self.path)
        except OSError as exc:
            self.save_error = str(exc.strerror or exc)
            self._note_exit(t("ed.rescue_failed", self.lang, name=self.path.name, error=self.save_error), lost=True)  # fmt: skip
            return None
        self.dirty = False
        self.meta_dirty = False
        self.written_to = where
        self._note_exit(t("ed.rescued", self.lang, name=self.path.name, path=str(where)))
        return where

    def _note_exit(self, message: str, lost: bool = False) -> None:
        """Tell the applicant now, and again on the terminal once the wizard has ended."""
        notes = getattr(self.app, "exit_notes", None)
        if notes is not None:
            notes.append(printable(message))
        if lost and hasattr(self.app, "lost_text"):
            self.app.lost_text = True
        if self.is_attached:
            self.notify(printable(message), severity="warning", timeout=15, markup=False)

    def on_unmount(self) -> None:
        # Last resort (the app is closing without a quit action): no UI left to update.
        if self._check_timer is not None:
            self._check_timer.stop()
            self._check_timer = None
        if self._chrome_timer is not None:
            self._chrome_timer.stop()
            self._chrome_timer = None
        if not self.save_now(ui=False, wait=True) and self.dirty:
            self.rescue()  # the draft could not be written: the text goes to a recovery copy
        self._executor.shutdown(wait=True)
        if self.draft_lock is not None:
            self.draft_lock.release()

    def action_save(self) -> None:
        self.dirty = True
        self.save_now(wait=True)

    # -- undo / redo --------------------------------------------------------------------------
    async def action_undo(self) -> None:
        await self._travel(self.history.undo(), "ed.undone", "ed.nothing_to_undo")

    async def action_redo(self) -> None:
        await self._travel(self.history.redo(), "ed.redone", "ed.nothing_to_redo")

    async def _travel(self, step: Step | None, done_key: str, none_key: str) -> None:
        if step is None:
            self.notify(t(none_key, self.lang), markup=False)
            return
        direction = self.draft.direction
        # The session's own state (status, reading position, save stamps) is not undone;
        # the text kept for unreadable entries is part of what was typed, so it is.
        meta = {**self.draft.meta.model_dump(), "unparsed": step.state["meta"]["unparsed"]}
        restored = Draft.model_validate({**step.state, "meta": meta})
        for name in Draft.model_fields:
            setattr(self.draft, name, getattr(restored, name))
        if self.draft.direction != direction:
            await self._drop_forms()
            self.current = ""
        elif self.current in self.forms:
            self.current_form.relist()
            self.current_form.load()
        self.edited(step.path, record=False)
        self.run_check()
        self.update_title()
        if not self.current:
            await self.show_section(section_of_path(step.path))
        await self.goto_path(step.path)
        self.notify(t(done_key, self.lang, what=label(step.path, self.lang)), markup=False)

    def action_check(self) -> None:
        from wizard.rules import counts

        self.run_check()
        c = counts(self.violations)
        self.notify(
            t("checked", self.lang, counts=counts_text(c, self.lang, sep=" · ")), markup=False
        )

    def set_status(self, status: str) -> None:
        self.draft.meta.status = status  # type: ignore[assignment]
        self.dirty = True
        self.save_now(wait=True)
        self.run_check()

    def action_mark_ready(self) -> None:
        from wizard.rules import counts

        self.run_check()
        errors = counts(self.violations)["error"]
        if errors:
            self.notify(t("review.not_ready", self.lang, n=errors), severity="error", markup=False)
            return
        self.set_status("ready")
        self.notify(t("review.ready", self.lang), markup=False)

    async def action_home(self) -> None:
        self.leave(self.app.leave_editor)  # type: ignore[attr-defined]

    # -- panel toggles, help, language -------------------------------------------------------
    def action_toggle_clause(self) -> None:
        self.show_clause = not self.show_clause
        self.update_panel()

    def action_toggle_scope(self) -> None:
        self.all_scope = not self.all_scope
        self.update_panel()

    def action_focus_problems(self) -> None:
        panel = self.query_one("#violations", OptionList)
        focus_now(panel)
        if panel.highlighted is None and self._shown:
            panel.highlighted = next(
                i for i, option in enumerate(panel.options) if not option.disabled
            )

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
                req = self.guide.requirement(pattern.split(".", 1)[1])
                if req is not None:
                    body.append(f"{req.item}\n{req.text}\n{req.text_en}\n")
            body.append(self.current_form.help_for(pattern) or t("ed.help_none", self.lang))
            related = [v for v in self.violations if v.path == path]
            if related:
                body.append("\n\n" + t("ed.related", self.lang) + "\n", "bold")
                for v in related:
                    body.append(f"{t(f'severity.{v.severity}', self.lang)} ", SEV_STYLE[v.severity])
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
        await self._drop_forms()
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
        central = sum(
            (draft.amount(c.key, "central") for c in self.guide.form.categories), Decimal(0)
        )
        if central > new.funding.amount:  # the direction's funding is judged on central funds
            out.append(t("switch.budget", lang, total=central, cap=new.funding.amount))
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
            unparsed = draft.meta.unparsed  # its kept texts go with the section
            draft.meta.unparsed = {k: v for k, v in unparsed.items() if not k.startswith("h2020.")}
        keep = {r.id for _, r in self.guide.requirements_for(new) if r.kind == "attestation"}
        draft.attest = {k: v for k, v in draft.attest.items() if k in keep}
        prefill_partner(draft, new, old=self.guide.direction(draft.direction))
        draft.direction = code
        await self._drop_forms()
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
        out.append((t("cmd.undo", lang), "Ctrl+Z", self.action_undo))
        out.append((t("cmd.redo", lang), "Ctrl+Y", self.action_redo))
        out.append((t("cmd.save", lang), "", self.action_save))
        out.append((t("cmd.home", lang), "", self.action_home))
        return out
