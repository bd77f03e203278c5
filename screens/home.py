"""The drafts home: every draft in the folder, including the ones that cannot be read."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from screens._textual_compat import StartupFrameScreen, set_localized_bindings
from screens.dialogs import ConfirmDialog, PromptDialog
from screens.footer import FittingFooter
from wizard.catalogue import STRINGS, t
from wizard.display import printable
from wizard.files import TRASH_DIR, DraftError, draft_files, peek_draft

if TYPE_CHECKING:
    from screens.app import WizardApp
    from wizard.store import DraftEntry


def _width(cell: Any) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))


COLUMNS = ("file", "title", "direction", "saved", "problems", "complete", "status")
PENDING = "…"
# The longest the check of every draft waits for the first quick rows (seconds).
ASSESS_AFTER = 0.5
# The fewest cells a title (then a file name) is cut to before the next column gives way.
MIN_TITLE = 12
MIN_FILE = 10


def fit_columns(natural: list[int], available: int) -> list[int]:
    """Column widths that fit `available` cells: the title is cut first (to MIN_TITLE), then
    the file name (to MIN_FILE), then the title further; the counts and status never."""
    widths = list(natural)
    title, file = COLUMNS.index("title"), COLUMNS.index("file")
    padding = 2 * len(widths)  # DataTable: one cell each side of every column
    for index, floor in ((title, MIN_TITLE), (file, MIN_FILE), (title, 4)):
        excess = sum(widths) + padding - available
        if excess <= 0:
            break
        widths[index] = max(min(floor, widths[index]), widths[index] - excess)
    return widths


_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")


def _short_stamp(cells: list[Any]) -> list[Any]:
    """The row with its last-saved time without the year (`12-01 10:04`)."""
    index = COLUMNS.index("saved")
    saved = cells[index]
    if isinstance(saved, str) and _STAMP.fullmatch(saved):
        cells = [*cells[:index], saved[5:], *cells[index + 1 :]]
    return cells


def _cut(cell: Any, width: int) -> Any:
    """A cell cut to `width` cells with … (Text keeps its style)."""
    if _width(cell) <= width:
        return cell
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    text.truncate(max(width - 1, 0), overflow="crop")
    text.rstrip()  # a double-width character cut in half leaves a space
    text.append("…")
    return text


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
        # Offered in the command palette (the footer has no room left at 80 columns).
        Binding("x", "export_xlsx", t("home.export_xlsx", lang), show=False),
    ]


class HomeScreen(StartupFrameScreen):
    DEFAULT_CSS = """
    HomeScreen #home-title { height: 1; background: $primary; color: $text; padding: 0 1;
        text-style: bold; }
    HomeScreen #home-folder { height: auto; padding: 0 1; color: $text-muted; }
    HomeScreen #drafts { height: 1fr; }
    HomeScreen #home-empty { padding: 1 2; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, DraftEntry] = {}  # filled once the drafts are checked
        self._quick_rows: dict[Path, list[Any]] = {}
        self._listing = 0
        self._assessing = 0  # the listing whose check has been started
        self._bindings_lang = ""
        self._rows: dict[Path, list[Any]] = {}
        self._fitted_width = 0

    @property
    def wapp(self) -> WizardApp:
        return self.app  # type: ignore[return-value]

    @property
    def lang(self) -> str:
        return self.wapp.lang

    def compose(self) -> ComposeResult:
        self._localize_bindings()  # before the Footer is composed: it is built once
        yield Static("", id="home-title")
        yield Static("", id="home-folder")
        yield DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-empty")
        yield FittingFooter()

    def on_screen_resume(self) -> None:
        self.relabel()

    def _localize_bindings(self) -> None:
        set_localized_bindings(self, home_bindings(self.lang))
        self._bindings_lang = self.lang

    def relabel(self) -> None:
        if self._bindings_lang != self.lang:
            self._localize_bindings()
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
        """List the folder's file names at once; then, in a thread, a quick read of each
        file (title, direction, saved, status) fills the rows as it goes, and another
        thread loads and checks every draft for the problem counts and completeness.
        Nothing is read on the UI thread: a slow or huge file delays only its own row."""
        self.entries = {}
        self._listing += 1
        try:
            paths = draft_files(self.folder)
        except OSError as exc:  # an unreadable folder: say so, list nothing
            paths = []
            self._failed(exc)
        self._quick_rows = {path: self.pending_row(path) for path in paths}
        self._fill(select, self._quick_rows)
        # Started from the table's queue: after the table has measured its new rows (on its
        # idle) and the screen has drawn them. The check follows the first quick rows
        # (_peeked), or starts ASSESS_AFTER seconds after the listing, whichever comes
        # first: loading the models and the guide in a thread beside the first rows took
        # the UI thread's turns and held back the titles.
        listing = self._listing
        table = self.query_one("#drafts", DataTable)
        table.call_after_refresh(
            self.run_worker, partial(self.peek_all, listing, paths), thread=True, group="peek"
        )
        # A file slow to read holds back its batch of quick rows, not the check.
        self.set_timer(ASSESS_AFTER, partial(self._start_assess, listing))

    def pending_row(self, path: Path) -> list[Any]:
        """A row from the file name alone, before the file is read."""
        return [Text(printable(path.name), "bold"), *([PENDING] * (len(COLUMNS) - 1))]

    def peek_all(self, listing: int, paths: list[Path]) -> None:
        """In a worker thread: the quick rows, shown in batches (at most every 0.1 s)."""
        import time

        batch: dict[Path, list[Any]] = {}
        last = time.monotonic()
        for path in paths:
            if listing != self._listing:
                return
            batch[path] = self.quick_row(path)
            if time.monotonic() - last > 0.1:
                self.app.call_from_thread(self._peeked, listing, batch)
                batch = {}
                last = time.monotonic()
        if batch:
            self.app.call_from_thread(self._peeked, listing, batch)
        elif not paths:
            self.app.call_from_thread(self._start_assess, listing)

    def _peeked(self, listing: int, batch: dict[Path, list[Any]]) -> None:
        if listing != self._listing or self.entries or not self.is_attached:
            return  # listed again meanwhile, or the full rows are in already
        self._quick_rows.update(batch)
        self._fill(None, self._quick_rows)
        # Once these rows are drawn: the check of every draft (the counts, completeness).
        self.query_one("#drafts", DataTable).call_after_refresh(self._start_assess, listing)

    def _start_assess(self, listing: int) -> None:
        if listing != self._listing or self._assessing == listing or not self.is_attached:
            return
        self._assessing = listing
        self.run_worker(partial(self.assess, listing), thread=True, group="assess")

    def assess(self, listing: int) -> None:
        """In a worker thread: load and check every draft, then show the full rows."""
        from wizard.store import list_drafts

        try:
            entries = list_drafts(self.folder, self.wapp.guide)
            rows = {entry.path: self.row(entry) for entry in entries}
        except Exception as exc:  # the folder went away, …: keep the quick list, say why
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._assessed, listing, entries, rows)

    def _failed(self, exc: Exception) -> None:
        self.notify(
            printable(t("home.failed", self.lang, error=exc)), severity="error", markup=False
        )

    def _assessed(self, listing: int, entries: list[DraftEntry], rows: dict[Path, list[Any]]) -> None:  # fmt: skip
        if listing != self._listing or not self.is_attached:
            return  # the folder was listed again meanwhile; that listing's check follows
        self.entries = {str(entry.path): entry for entry in entries}
        self._fill(None, rows)

    def _columns(
        self, rows: dict[Path, list[Any]], available: int, short: bool
    ) -> tuple[list[str], list[int]]:
        labels = []
        for key in COLUMNS:
            name = f"home.col_short.{key}"
            labels.append(t(name if short and name in STRINGS else f"home.col.{key}", self.lang))
        natural = [
            max([cell_len(label), *(_width(cells[index]) for cells in rows.values())])
            for index, label in enumerate(labels)
        ]
        return labels, fit_columns(natural, available)

    def _table_width(self, rows: int) -> int:
        """Cells the table's columns may take: the screen's width, less a scrollbar when
        the rows overflow (title, folder, header and footer lines take four)."""
        width, height = self.app.size
        scrollbar = 2 if rows > height - 4 else 0
        return max(width - scrollbar, 20)

    def on_resize(self) -> None:
        if self._rows and self.app.size.width != self._fitted_width:
            self._fill(None, self._rows)

    @property
    def folder(self) -> Path:
        return self.wapp.drafts_dir

    def _fill(self, select: Path | None, rows: dict[Path, list[Any]]) -> None:
        table = self.query_one("#drafts", DataTable)
        keep = select
        if keep is None and table.row_count and table.cursor_row is not None:
            try:
                keep = Path(
                    table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
                    or ""
                )
            except Exception:
                keep = None
        lang = self.lang
        self._rows = rows
        # Columns too, sized here from the cells: DataTable measures auto-width columns only
        # at its next idle and keeps lines it drew before that, so full rows replacing quick
        # ones could stay drawn at the quick rows' widths. Sized to the screen: long titles
        # (and file names) are cut with … so the counts and the status stay in view.
        self._fitted_width = self.app.size.width
        available = self._table_width(len(rows))
        labels, widths = self._columns(rows, available, short=False)
        if widths[COLUMNS.index("title")] < MIN_TITLE:  # narrow: short names, no year
            rows = {path: _short_stamp(cells) for path, cells in rows.items()}
            labels, widths = self._columns(rows, available, short=True)
        table.clear(columns=True)
        for key, label, width in zip(COLUMNS, labels, widths, strict=True):
            table.add_column(_cut(label, width), key=key, width=width)
        for path, cells in rows.items():
            table.add_row(*(_cut(c, w) for c, w in zip(cells, widths, strict=True)), key=str(path))
        empty = self.query_one("#home-empty", Static)
        empty.update(t("home.empty", lang) if not rows else "")
        empty.display = not rows
        if keep is not None and keep in rows:
            table.move_cursor(row=table.get_row_index(str(keep)))

    def _unreadable_row(self, path: Path, err: DraftError | None) -> list[Any]:
        problem = (
            f"{err.where}: {err.problem}" if err and err.where else (err.problem if err else "")
        )
        return [
            Text(printable(path.name), "bold"),
            Text(printable(problem), "red"),
            "—",
            "—",
            "—",
            "—",
            Text(t("unreadable", self.lang), "bold red"),
        ]

    def _title(self, title: str) -> Text:
        if title.strip():
            return Text(printable(title))
        return Text(t("home.untitled", self.lang), "dim")

    def _status(self, status: str) -> Text:
        if status not in ("draft", "ready"):
            return Text(PENDING)
        return Text(t(f"status.{status}", self.lang), "bold green" if status == "ready" else "")

    def quick_row(self, path: Path) -> list[Any]:
        """A row from the file as written, before validation: counts still pending."""
        try:
            peek = peek_draft(path)
        except DraftError as err:
            return self._unreadable_row(path, err)
        return [
            Text(printable(path.name), "bold"),
            self._title(peek.title),
            Text(printable(peek.direction or "—")),
            peek.updated or "—",
            PENDING,
            PENDING,
            self._status(peek.status),
        ]

    def row(self, entry: DraftEntry) -> list[Any]:
        from wizard.progress import completeness, overall
        from wizard.rules import counts, evaluate

        if entry.draft is None:
            return self._unreadable_row(entry.path, entry.error)
        name = Text(printable(entry.path.name), "bold")
        draft = entry.draft
        guide = self.wapp.guide
        title = self._title(draft.project.title)
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
        return [
            name,
            title,
            draft.direction,
            updated,
            problems,
            f"{percent}%",
            self._status(draft.meta.status),
        ]

    def selected(self) -> Path | None:
        table = self.query_one("#drafts", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return Path(key) if key else None

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        path = self.selected()
        if path is None:
            return
        self.wapp.open_draft(path)

    def action_new(self) -> None:
        self.wapp.action_new_draft()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("home.export_xlsx", self.lang), "x", self.action_export_xlsx)]

    def action_export_xlsx(self) -> None:
        """The research office's 汇总表 of the whole folder, written into it (in a thread:
        every draft is loaded and checked)."""
        self.run_worker(
            partial(self._export_xlsx, self.folder, self.lang), thread=True, group="xlsx"
        )

    def _export_xlsx(self, folder: Path, lang: str) -> None:
        from wizard.check import check_paths
        from wizard.files import atomic_write
        from wizard.xlsx_report import render_xlsx

        target = folder / t("home.xlsx_name", lang)
        try:
            reports = check_paths([folder], self.wapp.guide)
            if not reports:
                self.app.call_from_thread(self.notify, t("home.xlsx_empty", lang), markup=False)
                return
            atomic_write(target, render_xlsx(reports, self.wapp.guide, lang))
        except OSError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        shown = printable(t("home.xlsx_written", lang, path=str(target)))
        self.app.call_from_thread(self.notify, shown, markup=False)

    def action_refresh(self) -> None:
        self.refresh_table()

    def action_duplicate(self) -> None:
        path = self.selected()
        if path is None:
            return
        from wizard.store import duplicate_draft

        try:
            target = duplicate_draft(path, self.wapp.guide)
        except Exception as exc:  # DraftError or OSError: say so, keep going
            self._failed(exc)
            return
        self.notify(printable(t("home.duplicated", self.lang, path=target.name)), markup=False)
        self.refresh_table(select=target)

    def action_rename(self) -> None:
        path = self.selected()
        if path is None:
            return

        def done(name: str | None) -> None:
            if not name:
                return
            from wizard.store import rename_draft

            target = self._move_unlocked(path, lambda: rename_draft(path, name))
            if target is None:
                return
            self.notify(printable(t("home.renamed", self.lang, path=target.name)), markup=False)
            self.refresh_table(select=target)

        self.app.push_screen(
            PromptDialog(t("home.rename_prompt", self.lang), path.stem, self.lang), done
        )

    def _move_unlocked(self, path: Path, move: Callable[[], Path]) -> Path | None:
        """Rename or trash a draft only while no editor has it; None (and a notice) if not."""
        lock = self.wapp.lock(path)
        if lock is None:
            return None
        try:
            return move()
        except OSError as exc:
            self._failed(exc)
            return None
        finally:
            lock.release()

    def action_delete(self) -> None:
        path = self.selected()
        if path is None:
            return
        try:
            title = peek_draft(path).title
        except DraftError:
            title = ""
        name = printable(title or path.name)
        trash = str(self.wapp.drafts_dir / TRASH_DIR)

        def done(ok: bool | None) -> None:
            if not ok:
                return
            from wizard.store import move_to_trash

            target = self._move_unlocked(path, lambda: move_to_trash(path))
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
