"""The terminal wizard's app and `run_app`, the entry the CLI calls."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens.dialogs import HelpDialog
from screens.editor import EditorScreen
from screens.home import HomeScreen
from screens.i18n import t
from screens.picker import PickerScreen
from wizard.display import printable
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.lock import DraftLock, DraftLocked
from wizard.store import DraftError, load_draft, new_draft_path, save_draft, sweep_temp_files


class WizardCommands(Provider):
    """Command palette entries of the screen on top (go to section, check, language, …)."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        screen = self.screen
        getter = getattr(screen, "palette_commands", None)
        return list(getter()) if getter is not None else []

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text or None)


class WizardApp(App[int]):
    TITLE = "申报书向导"
    COMMANDS = App.COMMANDS | {WizardCommands}
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True)
    ]
    CSS = """
    Screen { background: $background; }
    """

    def __init__(
        self,
        drafts_dir: Path,
        guide: Guide,
        lang: str = "zh",
        open_path: Path | None = None,
        new_direction: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.drafts_dir = Path(drafts_dir)
        self.guide = guide
        self.lang = lang
        self.open_path = open_path
        self.new_direction = new_direction
        self.clock = clock or (lambda: datetime.now().astimezone())

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._install_signal_handlers()
        sweep_temp_files(self.drafts_dir)
        self.push_screen(HomeScreen())
        if self.open_path is not None:
            self.open_draft(self.open_path)
        elif self.new_direction is not None:
            self.create_draft(self.new_direction)

    def lock(self, path: Path) -> DraftLock | None:
        """Hold the draft's one-editor lock, or say who has it open and return None."""
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
        try:
            draft = load_draft(path, self.guide)
        except DraftError as exc:
            # A dialog, not a toast: the applicant must read which line and field is wrong.
            body = Text(printable(str(exc), keep_newlines=True))
            self.push_screen(HelpDialog(t("home.cannot_open_title", self.lang), body, self.lang))
            return None
        lock = self.lock(path)
        if lock is None:
            return None
        screen = EditorScreen(Path(path), draft, self.guide, self.lang, self.clock, lock)
        self.push_screen(screen)
        return screen

    def create_draft(self, code: str) -> EditorScreen | None:
        if self.guide.direction(code) is None:
            codes = ", ".join(d.code for d in self.guide.directions)
            self.notify(f"{printable(code)}: {codes}", severity="error", markup=False)
            return None
        draft = new_draft(code, self.guide.id, now=self.clock())
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
        screen = EditorScreen(path, draft, self.guide, self.lang, self.clock, lock)
        self.push_screen(screen)
        return screen

    def action_new_draft(self) -> None:
        def chosen(code: str | None) -> None:
            if code:
                self.create_draft(code)

        self.push_screen(PickerScreen(self.guide, self.lang), chosen)

    def flush_all(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                screen.flush()

    async def action_quit(self) -> None:
        self.flush_all()
        self.exit(0)

    def _install_signal_handlers(self) -> None:
        """SIGTERM (shutdown, kill) and SIGHUP (terminal closed): save pending text, then exit."""
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is None:  # Windows has no SIGHUP
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._terminate)

    def _terminate(self) -> None:
        # Saving is synchronous here, so the text is on disk before the terminal is let go.
        self.flush_all()
        self.exit(0)


def run_app(
    drafts_dir: Path,
    guide: Guide,
    lang: str = "zh",
    open_path: Path | None = None,
    new_direction: str | None = None,
) -> int:
    """Run the terminal wizard; returns the exit code."""
    app = WizardApp(drafts_dir, guide, lang, open_path, new_direction)
    result = app.run()
    return int(result or 0)
