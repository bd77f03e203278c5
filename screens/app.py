"""The terminal wizard's app and `run_app`, the entry the CLI calls."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.segment import Segment
from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.filter import LineFilter
from textual.screen import Screen

from screens._textual_compat import (
    StartupFrameApp,
    install_whole_wide_characters,
    replace_bindings,
)
from screens.heap import start_collecting
from wizard.catalogue import t
from wizard.display import TERMINAL_CONTROLS, printable
from wizard.files import STALE_TEMP_SECONDS, DraftError, sweep_temp_files

try:
    import termios
except ImportError:  # Windows: no POSIX terminal to watch
    termios = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from textual.command import Provider

    from screens.editor import EditorScreen
    from wizard.guide import Guide
    from wizard.lock import DraftLock

# Start-up is judged against a bare Textual app (docs/performance.md): the drafts home draws
# its first frame with Textual and tomllib only. The models (pydantic), the guide, the rules
# and the editor's forms are imported when first used, after that frame; the home (and its
# DataTable) only when it is shown (`wizard open FILE` starts in the editor).

# After SIGTERM/SIGHUP/SIGINT/SIGQUIT/SIGUSR1 and the final save, the longest an orderly
# exit may take.
EXIT_GRACE_SECONDS = 2.0
# The signals that end the wizard after saving pending text (SIGQUIT and SIGUSR1 would
# otherwise end it at once: SIGQUIT with a core dump, SIGUSR1 silently).
EXIT_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1")
# How often the wizard makes sure its terminal is still there (_watch_terminal).
TERMINAL_CHECK_SECONDS = 1.0
# The exit status when typed text could be written nowhere (the draft, a recovery copy).
EXIT_UNSAVED = 75  # EX_TEMPFAIL


class NoControlCharacters(LineFilter):
    """Last line of defence: no control character in any drawn text ever reaches the terminal.

    User text is shown through `printable` (escaped, visible) wherever the wizard draws it;
    this filter catches whatever a widget draws raw (a pasted ESC in an input, a toast).
    Every character of wizard.display.TERMINAL_CONTROLS is zero cells wide, so dropping
    them keeps every line's layout.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        search = TERMINAL_CONTROLS.search
        if not any(search(text) for text, _, control in segments if not control):
            return segments
        sub = TERMINAL_CONTROLS.sub
        return [
            segment
            if segment.control or not search(segment.text)
            else Segment(sub("", segment.text), segment.style)
            for segment in segments
        ]


def wizard_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (textual.command is
    not needed for the first frame)."""
    from screens.palette import WizardCommands

    return WizardCommands


# The keys every Textual screen has (Screen.BINDINGS), by action: their names in wizard.catalogue.
TEXTUAL_SCREEN_KEYS = {
    "app.focus_next": "keys.focus_next",
    "app.focus_previous": "keys.focus_previous",
    "screen.copy_text": "keys.copy",
}


def app_bindings(lang: str) -> list[Binding]:
    """The app's own keys, described in the UI language (Textual's are in English)."""
    quit_text = t("key.quit_all", lang)
    return [
        Binding("ctrl+q", "quit", quit_text, show=False, priority=True),
        Binding("ctrl+c", "quit", quit_text, show=False, priority=True),
        # Shown at the footer's right (Textual's own says `palette`).
        Binding("ctrl+p", "command_palette", t("key.palette", lang), show=False, priority=True),
        # Tab and Shift+Tab as priority bindings: Textual's own are the screen's, run only when
        # the focused field hands the key up, by which time the keys typed after Tab have been
        # forwarded to that same field. Here they move the focus in the app's queue, in order.
        Binding("tab", "focus_next", t("keys.focus_next", lang), show=False, priority=True),
        Binding(
            "shift+tab", "focus_previous", t("keys.focus_previous", lang), show=False, priority=True
        ),
    ]


class WizardApp(StartupFrameApp[int]):
    TITLE = "申报书向导"
    # One provider for the screen's commands and the system commands (get_system_commands,
    # in the UI language): it can say so when nothing matches.
    COMMANDS: ClassVar[set[Any]] = {wizard_commands}
    BINDINGS: ClassVar[list[BindingType]] = [*app_bindings("en")]
    CSS = """
    Screen { background: $background; }
    """

    def __init__(
        self,
        drafts_dir: Path,
        guide: Guide | None = None,
        lang: str = "zh",
        open_path: Path | None = None,
        new_direction: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        install_whole_wide_characters()  # Chinese text drawn over other widgets stays whole
        self.drafts_dir = Path(drafts_dir)
        self._guide = guide
        self._guide_lock = threading.Lock()
        self._first_editor: EditorScreen | None = None
        self._lang = ""
        self.lang = lang
        self.open_path = open_path
        self.new_direction = new_direction
        self.clock = clock or (lambda: datetime.now().astimezone())
        self._no_controls = NoControlCharacters()
        self.watchdogs: list[threading.Timer] = []  # started by a signal, stopped by run_app
        # Said on the terminal once the wizard has ended: where text went that could not be
        # saved to its draft (a recovery copy, a save elsewhere), or that it is lost.
        self.exit_notes: list[str] = []
        self.lost_text = False
        self._quitting = False

    @property
    def guide(self) -> Guide:
        """The guide given, or the bundled one, loaded when first needed."""
        with self._guide_lock:  # the drafts home's checking thread may be loading it
            if self._guide is None:
                from wizard.guide import load_guide

                self._guide = load_guide()
            return self._guide

    def get_line_filters(self) -> list[LineFilter]:
        return [*super().get_line_filters(), self._no_controls]

    # -- the UI language, the command palette and Textual's own commands ---------------------
    @property
    def lang(self) -> str:
        return self._lang

    @lang.setter
    def lang(self, lang: str) -> None:
        if lang == self._lang:
            return
        self._lang = lang
        # Only the app's own keys (Ctrl+Q, Ctrl+C, Ctrl+P): Textual's are left out.
        replace_bindings(self, app_bindings(lang))
        if self.is_running and self.screen_stack:
            self.screen.refresh_bindings()

    def action_command_palette(self) -> None:
        """Textual's command palette, with its prompt in the UI language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            placeholder = t("palette.placeholder", self.lang)
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's system commands (quit, keys, maximize, screenshot, theme), in the UI
        language and done the wizard's way (quit saves; keys and screenshot say it in it)."""
        lang = self.lang
        yield SystemCommand(t("sys.quit", lang), t("sys.quit_help", lang), self.action_quit)
        yield SystemCommand(t("sys.keys", lang), t("sys.keys_help", lang), self.show_keys)
        if screen.maximized is not None:
            yield SystemCommand(
                t("sys.minimize", lang), t("sys.minimize_help", lang), screen.action_minimize
            )
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(
                t("sys.maximize", lang), t("sys.maximize_help", lang), screen.action_maximize
            )
        yield SystemCommand(
            t("sys.screenshot", lang), t("sys.screenshot_help", lang), self.take_screenshot
        )
        light = self.theme == "textual-light"
        yield SystemCommand(
            t("sys.theme_dark" if light else "sys.theme_light", lang),
            t("sys.theme_help", lang),
            partial(setattr, self, "theme", "textual-dark" if light else "textual-light"),
        )

    def keys_text(self, screen: Screen[Any]) -> Text:
        """The screen's keys and the app's, as the footer names them (widgets' own left out:
        Textual describes those in English only; a screen's, Tab and Shift+Tab, translated)."""
        out = Text()
        seen: set[tuple[str, str]] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            own = TEXTUAL_SCREEN_KEYS.get(binding.action)
            description = t(own, self.lang) if own else binding.description
            if active.node not in (screen, self) or not description:
                continue
            key = self.get_key_display(binding)
            if (key, description) not in seen:
                seen.add((key, description))
                out.append(f"{key:>10}", "bold")
                out.append(f"  {description}\n")
        return out

    def show_keys(self) -> None:
        from screens.dialogs import HelpDialog

        self.push_screen(
            HelpDialog(t("keys.title", self.lang), self.keys_text(self.screen), self.lang)
        )

    def take_screenshot(self) -> None:
        """Save the screen as SVG in the drafts folder (Textual's would go to ~/Downloads and
        say so in English), after the palette has closed."""

        def save() -> None:
            try:
                path = self.save_screenshot(path=str(self.drafts_dir))
            except OSError as exc:
                self.notify(
                    printable(t("home.failed", self.lang, error=exc)),
                    severity="error",
                    markup=False,
                )
                return
            self.notify(printable(t("sys.screenshot_saved", self.lang, path=path)), markup=False)

        self.set_timer(0.1, save)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._install_signal_handlers()
        self._watch_terminal()
        self.sweep_temp_files()
        if self._first_editor is not None:
            self.push_screen(self._first_editor)
            self._first_editor = None
        # Run once the first screen (the editor pushed above, or the drafts home) is drawn.
        self.call_after_refresh(start_collecting)  # screens/heap.py
        self.call_after_refresh(self.offer_recoveries)

    def offer_recoveries(self) -> None:
        """Recovery copies left by a session that could not save: offer each, one by one."""
        from wizard.recovery import list_recoveries

        try:
            found = list_recoveries()
        except OSError:
            return
        self._offer(found)

    def _offer(self, pending: list[Any]) -> None:
        from screens.dialogs import RecoveryDialog
        from wizard.recovery import discard_recovery, restore_recovery

        if not pending:
            return
        recovery, rest = pending[0], pending[1:]

        def chosen(choice: str | None) -> None:
            if choice == "restore":
                try:
                    target = restore_recovery(recovery, self.drafts_dir)
                except Exception as exc:  # DraftError, OSError: keep the copy, say why
                    self.notify(
                        printable(t("recovery.failed", self.lang, error=exc)),
                        severity="error",
                        markup=False,
                    )
                else:
                    self.notify(
                        printable(t("recovery.restored", self.lang, path=str(target))),
                        markup=False,
                    )
                    from screens.home import HomeScreen

                    if isinstance(self.screen, HomeScreen):
                        self.screen.refresh_table(select=target)
            elif choice == "discard":
                with contextlib.suppress(OSError):
                    discard_recovery(recovery)
            self._offer(rest)

        self.push_screen(RecoveryDialog(recovery, str(self.drafts_dir), self.lang), chosen)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: the drafts home; or, for `wizard open FILE` / `wizard new`, a
        blank screen the editor is pushed over at mount (the drafts home, which reads and
        checks every draft in the folder, is built only if the applicant goes there). When
        the draft cannot be opened, the home, with the reason shown over it."""
        editor = None
        if self.open_path is not None:
            editor = self.editor_for(self.open_path)
        elif self.new_direction is not None:
            editor = self.editor_for_new(self.new_direction)
        if editor is None:
            from screens.home import HomeScreen

            return HomeScreen()
        self._first_editor = editor
        return Screen()

    def leave_editor(self) -> None:
        """Back from the editor to the drafts home (built now if the editor came first)."""
        from screens.home import HomeScreen

        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, HomeScreen):
            self.pop_screen()
        else:  # `wizard open`: the editor came first, over a blank screen
            self.switch_screen(HomeScreen())

    def sweep_temp_files(self) -> list[Path]:
        """Remove the temp files a killed save left in the drafts folder (and beside the draft
        opened with `wizard open` when it lives elsewhere: only that draft's own temp files)."""
        removed: list[Path] = []
        with contextlib.suppress(OSError):  # an unreadable folder is reported by the home list
            removed += sweep_temp_files(self.drafts_dir)
        path = self.open_path
        if path is None:
            return removed
        with contextlib.suppress(OSError):
            if Path(path).parent.resolve() == self.drafts_dir.resolve():
                return removed
        cutoff = time.time() - STALE_TEMP_SECONDS
        # atomic_write's temp files: `.<name>.<random>.tmp` beside the draft.
        for tmp in Path(path).parent.glob(f".{glob.escape(Path(path).name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if not tmp.is_symlink() and tmp.is_file() and tmp.stat().st_mtime < cutoff:
                    tmp.unlink()
                    removed.append(tmp)
        return removed

    def lock(self, path: Path) -> DraftLock | None:
        """Hold the draft's one-editor lock, or say who has it open and return None."""
        from wizard.lock import DraftLock, DraftLocked

        lock = DraftLock(Path(path))
        try:
            lock.acquire()
        except DraftLocked as exc:
            who = exc.owner.describe(self.lang) if exc.owner else "?"
            self.notify(
                printable(t("home.locked", self.lang, name=Path(path).name, who=who)),
                severity="error",
                timeout=10,
                markup=False,
            )
            return None
        except OSError as exc:
            self.notify(
                printable(t("home.failed", self.lang, error=exc)), severity="error", markup=False
            )
            return None
        return lock

    def open_draft(self, path: Path) -> EditorScreen | None:
        screen = self.editor_for(path)
        if screen is not None:
            self.push_screen(screen)
        return screen

    def create_draft(self, code: str) -> EditorScreen | None:
        screen = self.editor_for_new(code)
        if screen is not None:
            self.push_screen(screen)
        return screen

    def editor_for(self, path: Path) -> EditorScreen | None:
        """An editor on the draft at `path` (loaded, locked), or None after saying why."""
        from screens.editor import EditorScreen
        from wizard.session import EditSession
        from wizard.store import parse_draft, read_draft_text

        try:
            # Read once: the editor remembers these bytes to notice changes made elsewhere.
            text = read_draft_text(path)
            draft = parse_draft(text, Path(path), self.guide)
        except DraftError as exc:
            from screens.dialogs import HelpDialog

            # A dialog, not a toast: the applicant must read which line and field is wrong.
            # Pushed once the screen below is in place (this may run before the app has one).
            body = Text(printable(str(exc), keep_newlines=True))
            dialog = HelpDialog(t("home.cannot_open_title", self.lang), body, self.lang)
            self.call_later(self.push_screen, dialog)
            return None
        lock = self.lock(path)
        if lock is None:
            return None
        session = EditSession(
            Path(path), draft, self.guide, self.lang, lock=lock, text=text, clock=self.clock
        )
        return EditorScreen(session)

    def editor_for_new(self, code: str) -> EditorScreen | None:
        """An editor on a new draft of direction `code`, saved at once; None after saying why."""
        from screens.editor import EditorScreen
        from wizard.draft import new_draft
        from wizard.session import EditSession
        from wizard.store import new_draft_path, save_draft

        direction = self.guide.direction(code)
        if direction is None:
            codes = ", ".join(d.code for d in self.guide.directions)
            self.notify(f"{printable(code)}: {codes}", severity="error", markup=False)
            return None
        draft = new_draft(direction, self.guide.id, now=self.clock())
        path = new_draft_path(self.drafts_dir, f"draft-{code}")
        try:
            save_draft(draft, path, touch=False)
        except OSError as exc:
            self.notify(
                printable(t("home.failed", self.lang, error=exc)), severity="error", markup=False
            )
            return None
        lock = self.lock(path)
        if lock is None:
            return None
        return EditorScreen(
            EditSession(path, draft, self.guide, self.lang, lock=lock, clock=self.clock)
        )

    def action_new_draft(self) -> None:
        from screens.picker import PickerScreen

        def chosen(code: str | None) -> None:
            if code:
                self.create_draft(code)

        self.push_screen(PickerScreen(self.guide, self.lang), chosen)

    def editors(self) -> list[EditorScreen]:
        # Not imported: no editor was ever opened (and quitting from the home stays instant).
        module = sys.modules.get("screens.editor")
        if module is None:
            return []
        return [s for s in self.screen_stack if isinstance(s, module.EditorScreen)]

    def flush_all(self) -> None:
        """Save every open draft now; a draft that cannot be saved goes to a recovery copy
        (no one is there to ask: a signal, the terminal closed)."""
        for screen in self.editors():
            if not screen.flush() and screen.session.dirty:
                screen.session.rescue()

    @property
    def exit_status(self) -> int:
        return EXIT_UNSAVED if self.lost_text else 0

    async def action_quit(self) -> None:
        """Quit once every open draft's text is on disk; for a draft that cannot be saved,
        the editor asks (retry, save elsewhere, recovery copy, or stay)."""
        if self._quitting:
            return
        self._quitting = True
        self._quit_next(list(reversed(self.editors())))

    def _quit_next(self, editors: list[EditorScreen]) -> None:
        if not editors:
            self.exit(self.exit_status)
            return
        first, rest = editors[0], editors[1:]
        first.leave(lambda: self._quit_next(rest))
        # Still asking: Escape there means stay, so a later Ctrl+Q asks again.
        self._quitting = False

    def _install_signal_handlers(self) -> None:
        """SIGTERM (shutdown, kill), SIGHUP (terminal closed), SIGINT (`kill -INT`; the
        Ctrl+C key itself is a key binding), SIGQUIT and SIGUSR1: save pending text (or write
        a recovery copy), then exit."""
        if self.is_headless:  # tests (`run_test`) keep their runner's own signal handling
            return
        loop = asyncio.get_running_loop()
        for name in EXIT_SIGNALS:
            sig = getattr(signal, name, None)
            if sig is None:  # Windows has no SIGHUP
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._terminate)

    def _watch_terminal(self) -> None:
        """A terminal can go away without a hang-up: when it was not the wizard's controlling
        terminal (started by a tool, under setsid or nohup) nobody sends SIGHUP, and Textual
        reads end-of-file for ever, at full speed, holding the drafts' locks. Once a second
        the terminal is asked for its settings; when it is gone, the wizard saves and exits
        as after SIGHUP. (Soon after, Textual's writer thread, failing to write, would stop
        taking frames and block the event loop for good: one check a second comes first.)"""
        if self.is_headless or termios is None:
            return
        stdin = sys.__stdin__
        if stdin is None or not stdin.isatty():
            return
        fd = stdin.fileno()
        term = termios

        def still_there() -> None:
            try:
                term.tcgetattr(fd)
            except (OSError, term.error):  # EIO: the pty's other end is closed
                watch.stop()
                self._terminate()

        watch = self.set_interval(TERMINAL_CHECK_SECONDS, still_there)

    def _terminate(self) -> None:
        # Saving is synchronous here, so the text is on disk before the terminal is let go.
        self.flush_all()
        # After a hang-up the terminal is gone and Textual's shutdown can block for ever
        # writing to it, leaving a process that still holds the drafts' locks. Everything is
        # saved by now: if the orderly exit has not ended the process soon, end it.
        from wizard.lock import owner_path

        owners = [owner_path(s.path) for s in self.editors()]
        status = self.exit_status

        def hard_exit() -> None:
            for owner in owners:  # the OS frees the lock itself when the process ends
                with contextlib.suppress(OSError):
                    owner.unlink()
            _write_notes(self.exit_notes)
            os._exit(status)

        watchdog = threading.Timer(EXIT_GRACE_SECONDS, hard_exit)
        watchdog.daemon = True
        watchdog.start()
        self.watchdogs.append(watchdog)
        self.exit(status)


def _write_notes(notes: list[str]) -> None:
    for note in notes:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(note + "\n")
            sys.stderr.flush()


def run_app(
    drafts_dir: Path,
    guide: Guide | None,
    lang: str = "zh",
    open_path: Path | None = None,
    new_direction: str | None = None,
) -> int:
    """Run the terminal wizard; returns the exit code."""
    app = WizardApp(drafts_dir, guide, lang, open_path, new_direction)
    result = app.run()
    for watchdog in app.watchdogs:  # the orderly exit made it
        watchdog.cancel()
    _write_notes(app.exit_notes)
    return max(int(result or 0), app.exit_status)
