"""The command palette's entries: the screen's own (go to section, check, …) and the system
commands (`WizardApp.get_system_commands`), all in the UI language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from wizard.catalogue import t


def _nothing() -> None:
    """Choosing "no command matches" just closes the palette."""


class WizardCommands(Provider):
    """Command palette entries of the screen on top, then the system commands.

    The only provider (WizardApp.COMMANDS): Textual's own would list its system commands in
    English, and say `No matches found` in English when nothing matches.
    """

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        screen = self.screen
        getter = getattr(screen, "palette_commands", None)
        out = list(getter()) if getter is not None else []
        system = self.app.get_system_commands(screen)
        out += [(c.title, c.help, c.callback) for c in system if c.discover]
        return out

    @property
    def lang(self) -> str:
        return str(getattr(self.app, "lang", "zh"))

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(name), callback, help=help_text or None)
        if not found and query.strip():
            yield Hit(1.0, Text(t("palette.none", self.lang), "dim"), _nothing)
