"""The drafts home: every draft in the folder, including the ones that cannot be read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from screens.dialogs import ConfirmDialog, PromptDialog
from screens.i18n import localized_bindings, t
from wizard.display import printable
from wizard.progress import completeness, overall
from wizard.rules import counts, evaluate
from wizard.store import (
    TRASH_DIR,
    DraftEntry,
    duplicate_draft,
    list_drafts,
    move_to_trash,
    rename_draft,
)

if TYPE_CHECKING:
    from screens.app import WizardApp


def home_bindings(lang: str) -> list[Binding]:
    return [
        Binding("n", "new", t("key.new", lang)),
        Binding("o", "open", t("key.open", lang)),
        Binding("c", "duplicate", t("key.duplicate", lang)),
        Binding("r", "rename", t("key.rename", lang)),
        Binding("delete,d", "delete", t("key.delete", lang)),
        Binding("f5", "refresh", t("key.refresh", lang)),
        Binding("f2", "toggle_lang", t("key.lang", lang)),
        Binding("q", "app.quit", t("key.quit", lang)),
    ]


class HomeScreen(Screen[None]):
    DEFAULT_CSS = """
    HomeScreen #home-title { height: 1; background: $primary; color: $text; padding: 0 1;
        text-style: bold; }
    HomeScreen #home-folder { height: auto; padding: 0 1; color: $text-muted; }
    HomeScreen #drafts { height: 1fr; }
    HomeScreen #home-empty { padding: 1 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, DraftEntry] = {}
        self._columns_lang = ""

    @property
    def wapp(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    @property
    def lang(self) -> str:
        return self.wapp.lang

    def compose(self) -> ComposeResult:
        yield Static("", id="home-title")
        yield Static("", id="home-folder")
        yield DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-empty")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self._bindings = localized_bindings(self, home_bindings(self.lang))  # type: ignore[assignment]
        self.refresh_bindings()
        self.query_one("#home-title", Static).update(
            Text(f"{t('app.title', self.lang)} · {t('home.title', self.lang)}")
        )
        folder = printable(str(self.wapp.drafts_dir))
        self.query_one("#home-folder", Static).update(
            Text(t("home.folder", self.lang, path=folder))
        )
        self.refresh_table()

    def refresh_table(self, select: Path | None = None) -> None:
        table = self.query_one("#drafts", DataTable)
        keep = select
        if keep is None and table.row_count and table.cursor_row is not None:
            try:
                keep = Path(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value or "")
            except Exception:
                keep = None
        lang = self.lang
        if self._columns_lang != lang:
            table.clear(columns=True)
            for key in ("file", "title", "direction", "saved", "problems", "complete", "status"):
                table.add_column(t(f"home.col.{key}", lang), key=key)
            self._columns_lang = lang
        else:
            table.clear()
        guide = self.wapp.guide
        self.entries = {}
        for entry in list_drafts(self.wapp.drafts_dir, guide):
            key = str(entry.path)
            self.entries[key] = entry
            table.add_row(*self.row(entry), key=key)
        empty = self.query_one("#home-empty", Static)
        empty.update(t("home.empty", lang) if not self.entries else "")
        empty.display = not self.entries
        if keep is not None and str(keep) in self.entries:
            table.move_cursor(row=table.get_row_index(str(keep)))

    def row(self, entry: DraftEntry) -> list[Any]:
        lang = self.lang
        name = Text(printable(entry.path.name), "bold")
        if entry.draft is None:
            err = entry.error
            problem = (
                f"{err.where}: {err.problem}" if err and err.where else (err.problem if err else "")
            )
            return [
                name,
                Text(printable(problem), "red"),
                "—",
                "—",
                "—",
                "—",
                Text(t("home.unreadable", lang), "bold red"),
            ]
        draft = entry.draft
        guide = self.wapp.guide
        title = (
            Text(printable(draft.project.title))
            if draft.project.title.strip()
            else Text(t("home.untitled", lang), "dim")
        )
        updated = draft.meta.updated.strftime("%Y-%m-%d %H:%M") if draft.meta.updated else "—"
        if guide.direction(draft.direction) is None:
            return [name, title, Text(printable(draft.direction)), updated, "—", "—", "—"]
        violations = evaluate(draft, guide)
        c = counts(violations)
        problems = Text.assemble(
            (str(c["error"]), "red" if c["error"] else "green"),
            " / ",
            (str(c["warning"]), "yellow" if c["warning"] else "green"),
        )
        percent = overall(completeness(draft, guide, violations)).percent
        status = Text(
            t(f"status.{draft.meta.status}", lang),
            "bold green" if draft.meta.status == "ready" else "",
        )
        return [name, title, draft.direction, updated, problems, f"{percent}%", status]

    def selected(self) -> DraftEntry | None:
        table = self.query_one("#drafts", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.entries.get(key or "")

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        self.wapp.open_draft(entry.path)

    def action_new(self) -> None:
        self.wapp.action_new_draft()

    def action_refresh(self) -> None:
        self.refresh_table()

    def action_duplicate(self) -> None:
        entry = self.selected()
        if entry is None or entry.draft is None:
            return
        try:
            target = duplicate_draft(entry.path, self.wapp.guide)
        except Exception as exc:  # DraftError or OSError: say so, keep going
            self.notify(
                printable(t("home.failed", self.lang, error=exc)), severity="error", markup=False
            )
            return
        self.notify(printable(t("home.duplicated", self.lang, path=target.name)), markup=False)
        self.refresh_table(select=target)

    def action_rename(self) -> None:
        entry = self.selected()
        if entry is None:
            return

        def done(name: str | None) -> None:
            if not name:
                return
            target = self._move_unlocked(entry.path, lambda: rename_draft(entry.path, name))
            if target is None:
                return
            self.notify(printable(t("home.renamed", self.lang, path=target.name)), markup=False)
            self.refresh_table(select=target)

        self.app.push_screen(
            PromptDialog(t("home.rename_prompt", self.lang), entry.path.stem, self.lang), done
        )

    def _move_unlocked(self, path: Path, move: Callable[[], Path]) -> Path | None:
        """Rename or trash a draft only while no editor has it; None (and a notice) if not."""
        lock = self.wapp.lock(path)
        if lock is None:
            return None
        try:
            return move()
        except OSError as exc:
            self.notify(
                printable(t("home.failed", self.lang, error=exc)), severity="error", markup=False
            )
            return None
        finally:
            lock.release()

    def action_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        title = entry.draft.project.title if entry.draft and entry.draft.project.title else ""
        name = printable(title or entry.path.name)
        trash = str(self.wapp.drafts_dir / TRASH_DIR)

        def done(ok: bool | None) -> None:
            if not ok:
                return
            target = self._move_unlocked(entry.path, lambda: move_to_trash(entry.path))
            if target is None:
                return
            self.notify(printable(t("home.deleted", self.lang, path=target)), markup=False)
            self.refresh_table()

        self.app.push_screen(
            ConfirmDialog(
                t("key.delete", self.lang),
                t("home.confirm_delete", self.lang, name=name, trash=printable(trash)),
                self.lang,
            ),
            done,
        )

    def action_toggle_lang(self) -> None:
        self.wapp.lang = "en" if self.lang != "en" else "zh"
        self.relabel()
