"""The editor's title bar (app · direction · project title) and status bar (saved state,
status, problem counts, completeness, file name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.widgets import Static

from wizard.catalogue import counts_text, t
from wizard.display import printable
from wizard.progress import overall

if TYPE_CHECKING:
    from wizard.session import EditSession


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


class TitleBar(Static):
    def __init__(self) -> None:
        super().__init__("", id="title-bar")
        self._parts: tuple[str, ...] = ()

    def show(self, session: EditSession, lang: str) -> None:
        d = session.direction
        title = session.draft.project.title or t("home.untitled", lang)
        line = TitleLine(
            t("app.title", lang),
            d.code,
            d.title_en if lang == "en" else d.title,
            printable(title.replace("\n", " ")),
        )
        if line.parts != self._parts:
            self._parts = line.parts
            self.update(line, layout=False)


class StatusBar(Static):
    def __init__(self) -> None:
        super().__init__("", id="statusbar")
        self._text = Text()

    def show(self, session: EditSession, lang: str, parts: dict[str, Any] | None = None) -> None:
        draft = session.draft
        if session.save_error:
            saved = Text(t("ed.save_failed", lang, error=session.save_error), "bold red")
        elif session.dirty:
            saved = Text(t("ed.unsaved", lang), "yellow")
        elif session.saving:
            saved = Text(t("ed.saving", lang), "yellow")
        elif draft.meta.updated is not None:
            stamp = draft.meta.updated.strftime("%Y-%m-%d %H:%M:%S")
            saved = Text(t("ed.saved_at", lang, time=stamp), "green")
        else:
            saved = Text(t("ed.never_saved", lang))
        text = Text.assemble(saved, " · ", (t(f"status.{draft.meta.status}", lang), "bold"))
        if session.checked:
            from wizard.rules import counts

            if parts is None:
                parts = session.parts()
            assert parts is not None  # checked
            percent = overall(parts).percent
            text.append(" · " + counts_text(counts(session.violations), lang, sep=" · "))
            text.append(" · " + t("ed.complete", lang, percent=percent))
        else:
            text.append(" · " + t("ed.checking", lang))
        text.append(" · ")
        text.append(printable(session.path.name), "dim")
        if text != self._text:  # one line, fixed size: no layout pass needed
            self._text = text
            self.update(text, layout=False)
