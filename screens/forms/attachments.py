"""附件: each file the guide requires for the direction, the clause that asks for it, the
file's path (inside the draft's folder), its size and whether it is still the file attached.

Attaching reads and hashes the file (wizard.attachments) in a worker thread: a large scan
must not freeze the screen. The draft keeps one `attachments` entry per required file,
keyed by the guide's attachment key and created on the first write.

Whether each attached file is still the one attached is the session's `files`
(wizard.filestate): a stat of each file when the section is shown, and every POLL_INTERVAL
seconds from open whichever section is shown (the editor's, screens/session_screen.py); a
file whose stat changed is read again in that cache's thread, and a state that changed is
checked at once (the problems panel follows, and this form's state lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DirectoryTree, Input, Label, Static

from screens._textual_compat import OrderedCheckbox
from screens.dialogs import Dialog
from screens.fields import FieldInput
from screens.forms.base import SectionForm, focus_now
from wizard.attachments import FileState, matches, record, relative_problem
from wizard.catalogue import label, t
from wizard.display import printable
from wizard.draft import Attachment
from wizard.filestate import Reading, read
from wizard.guide import AttachmentKind, Requirement

PATH = "attachments[].path"
NOT_APPLICABLE = "attachments[].not_applicable"
NOTE = "attachments[].note"


# What a file's problem (wizard.attachments.file_state, relative_problem) is called.
PROBLEM_KEYS = {
    "outside": "form.attach_outside",
    "absolute": "form.attach_outside",
    "missing": "form.attach_missing",
    "not_regular": "form.attach_not_regular",
    "unreadable": "form.attach_unreadable",
    "too_large": "form.attach_too_large",
}


def size_text(size: int | None) -> str:
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}"
    return f"{size} B"  # pragma: no cover


def state_text(entry: Attachment | None, state: FileState | None, lang: str) -> Text:
    """One line: what the wizard knows of the attached file."""
    if entry is not None and entry.not_applicable:
        return Text(t("form.attach_na", lang), "dim")
    path = entry.path.strip() if entry is not None else ""
    if entry is None or not path:
        return Text(t("form.attach_empty", lang), "dim")
    if relative_problem(path) is not None:
        return Text(t("form.attach_outside", lang), "red")
    if not entry.sha256:
        return Text(t("form.attach_pending", lang), "yellow")
    if state is None:
        return Text(t("form.attach_checking", lang), "dim")
    if state.problem:
        key = PROBLEM_KEYS.get(state.problem, "form.attach_unreadable")
        return Text(t(key, lang, size=size_text(state.size), detail=state.detail), "red")
    if matches(state, entry):
        return Text(
            t("form.attach_ok", lang, size=size_text(entry.size), sha=entry.sha256[:12] + "…"),
            "green",
        )
    return Text(t("form.attach_changed", lang, size=size_text(state.size)), "red")


def middle_ellipsis(text: str, width: int) -> str:
    """`text` in at most `width` cells: if longer, its middle replaced by "…", the start
    (where a path's root is) and the end (the draft's own folder) kept, cut after a
    separator where one is near."""
    if cell_len(text) <= width:
        return text
    if width < 2:
        return "…"[:width]
    room = width - 1
    tail_room = room - room // 2 if room > 2 else room
    tail = ""
    for ch in reversed(text):
        if cell_len(tail) + cell_len(ch) > tail_room:
            break
        tail = ch + tail
    cut = min((tail.find(sep) for sep in "/\\" if sep in tail[:-1]), default=-1)
    if 0 <= cut < len(tail) // 2:
        tail = tail[cut:]  # start the end at a separator: whole folder names
    head = ""
    for ch in text:
        if cell_len(head) + cell_len(ch) + cell_len(tail) > room:
            break
        head += ch
    return f"{head}…{tail}"


class FolderLine(Static):
    """The draft's folder on one line: a long path shortened in its middle (never wrapped
    inside a folder name); the whole path is its tooltip and shown in full where it fits."""

    DEFAULT_CSS = "FolderLine { height: 1; }"

    def __init__(self, folder: str, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.folder = folder
        self.tooltip = folder

    def render(self) -> Text:
        width = self.content_region.width or cell_len(self.folder)
        return Text(middle_ellipsis(self.folder, width), no_wrap=True, overflow="crop")


def refusal(problem: str, lang: str, size: int | None = None, detail: str = "") -> str:
    """Why a file cannot be attached, in a sentence (its ✗ line without the mark)."""
    key = PROBLEM_KEYS.get(problem, "form.attach_unreadable")
    return t(key, lang, size=size_text(size), detail=detail).removeprefix("✗ ")


class FilePicker(Dialog[str]):
    """The draft's folder as a tree: choosing a file returns its path relative to it."""

    DEFAULT_CSS = """
    FilePicker > Vertical { max-width: 100; height: 90%; }
    FilePicker DirectoryTree { height: 1fr; }
    FilePicker .pick-hint { color: $text-muted; }
    """

    def __init__(self, folder: Path, lang: str) -> None:
        super().__init__(t("form.pick_title", lang, folder=printable(str(folder))), lang)
        self.folder = folder

    def compose_body(self) -> ComposeResult:
        yield Static(t("form.pick_hint", self.lang), classes="pick-hint", markup=False)
        yield _Tree(self.folder, id="pick-tree")

    def buttons(self) -> list[tuple[str, str, bool]]:
        return [("key.cancel", "cancel", False)]

    def on_mount(self) -> None:
        focus_now(self.query_one(DirectoryTree))

    @on(DirectoryTree.FileSelected)
    def _chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        try:
            relative = event.path.relative_to(self.folder)
        except ValueError:
            return
        self.dismiss(relative.as_posix())

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class _Tree(DirectoryTree):
    """Hidden files (the draft's lock, editor backups) are not offered."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")]


class AttachmentsForm(SectionForm):
    section = "attachments"

    DEFAULT_CSS = """
    AttachmentsForm .attach-intro { color: $text-muted; }
    AttachmentsForm .attachment { height: auto; margin: 0 0 1 0; }
    AttachmentsForm .attachment-name { text-style: bold; }
    AttachmentsForm .attachment.-invalid .attachment-name { color: $error; }
    AttachmentsForm .attachment-clause { color: $text-muted; }
    AttachmentsForm .attachment-path { height: auto; align-vertical: middle; }
    AttachmentsForm .attachment-path Input { width: 1fr; }
    AttachmentsForm .attachment-path Button { min-width: 8; margin: 0 0 0 1; }
    AttachmentsForm .attachment-note-label { color: $text-muted; }
    """

    def __init__(self, editor: Any) -> None:
        super().__init__(editor)
        self.kinds: list[tuple[AttachmentKind, Requirement]] = []
        self._shown: dict[str, tuple[str, str]] = {}  # by key: the state line drawn

    @property
    def folder(self) -> Path:
        """The draft's folder: attachment paths are relative to it."""
        return Path(self.session.path).parent

    # -- layout ------------------------------------------------------------------------------
    def compose_fields(self) -> ComposeResult:
        guide = self.session.guide
        self.kinds = guide.attachments_for(self.session.direction)
        yield Static(Text(t("form.attach_intro", self.lang)), classes="attach-intro")
        yield FolderLine(printable(str(self.folder)), id="att-folder", classes="hint")
        if not self.kinds:
            yield Static(Text(t("form.attach_none", self.lang)), classes="hint")
        en = self.lang == "en"
        for kind, req in self.kinds:
            key = kind.key
            with Vertical(id=f"att-{key}", classes="attachment") as row:
                row.attach_key = key  # type: ignore[attr-defined]
                yield Label(Text(kind.en if en else kind.zh), classes="attachment-name")
                text = req.text_en if en else req.text
                clause = f"{req.item}{': ' if en else '：'}{text}"
                yield Static(
                    Text(t("form.attach_clause", self.lang, clause=clause)),
                    classes="attachment-clause",
                )
                with Horizontal(classes="attachment-path"):
                    path = FieldInput(
                        id=f"att-path-{key}",
                        placeholder=label(PATH, self.lang),
                        select_on_focus=False,
                        validate_on=[],
                    )
                    self._bind(path, key, PATH)
                    path.on_edit = self._path_edited
                    yield path
                    yield self._bind(
                        Button(t("form.attach", self.lang), id=f"att-attach-{key}", compact=True),
                        key,
                    )
                    yield self._bind(
                        Button(t("form.browse", self.lang), id=f"att-browse-{key}", compact=True),
                        key,
                    )
                yield Static("", id=f"att-state-{key}", classes="attachment-state")
                if kind.optional:
                    yield self._bind(
                        OrderedCheckbox(label(NOT_APPLICABLE, self.lang), id=f"att-na-{key}"),
                        key,
                        NOT_APPLICABLE,
                    )
                    yield Label(label(NOTE, self.lang), classes="attachment-note-label")
                    note = FieldInput(id=f"att-note-{key}", select_on_focus=False, validate_on=[])
                    self._bind(note, key, NOTE)
                    note.on_edit = self._note_edited
                    yield note

    @staticmethod
    def _bind(widget: Widget, key: str, pattern: str | None = None) -> Widget:
        widget.attach_key = key  # type: ignore[attr-defined]
        if pattern is not None:
            widget.field_pattern = pattern  # type: ignore[attr-defined]
        return widget

    # -- the draft's entries -----------------------------------------------------------------
    def entry_index(self, key: str) -> int | None:
        for i, item in enumerate(self.draft.attachments):
            if item.key == key:
                return i
        return None

    def _entry(self, key: str) -> int:
        """The index of the attachment entry of `key`, created on the first write."""
        i = self.entry_index(key)
        if i is None:
            self.draft.attachments.append(Attachment(key=key))
            i = len(self.draft.attachments) - 1
        return i

    def index_for(self, pattern: str) -> int | None:
        key = getattr(self.screen.focused, "attach_key", None)
        return self.entry_index(key) if isinstance(key, str) else None

    # -- values ------------------------------------------------------------------------------
    def load(self) -> None:
        self._loading = True
        try:
            for kind, _ in self.kinds:
                key = kind.key
                i = self.entry_index(key)
                entry = self.draft.attachments[i] if i is not None else None
                path = self.query_one(f"#att-path-{key}", Input)
                text = printable(entry.path) if entry is not None else ""
                if path.value != text:
                    with path.prevent(Input.Changed):
                        path.value = text
                if kind.optional:
                    box = self.query_one(f"#att-na-{key}", Checkbox)
                    na = entry is not None and entry.not_applicable
                    if box.value != na:
                        with box.prevent(Checkbox.Changed):
                            box.value = na
                    note = self.query_one(f"#att-note-{key}", Input)
                    note_text = printable(entry.note) if entry is not None else ""
                    if note.value != note_text:
                        with note.prevent(Input.Changed):
                            note.value = note_text
                self.show_state(key)
        finally:
            self._loading = False
        # Shown (again): are the files on disk still the ones attached? A stat each, after
        # the form is drawn; a file whose stat changed is read in the background.
        self.call_after_refresh(self.poll_files, True)

    def state_of(self, entry: Attachment | None) -> FileState | None:
        if entry is None or not entry.path.strip():
            return None
        return self.session.files.state(entry.path)

    def show_state(self, key: str) -> None:
        i = self.entry_index(key)
        entry = self.draft.attachments[i] if i is not None else None
        line = state_text(entry, self.state_of(entry), self.lang)
        drawn = (line.plain, str(line.style))
        if self._shown.get(key) != drawn:  # redrawing an unchanged line still costs a layout
            self._shown[key] = drawn
            self.query_one(f"#att-state-{key}", Static).update(line)

    def show_states(self) -> None:
        for kind, _ in self.kinds:
            self.show_state(kind.key)

    # -- the files on disk, kept live --------------------------------------------------------
    def poll_files(self, stat: bool = False) -> None:
        """Take in what was read; with `stat`, look at each attached file again (cheap). A
        state that changed is checked at once, so the problems panel shows it. The editor
        does the same every POLL_INTERVAL and when a file was read
        (screens/session_screen.py); here it is done at once when the section is shown."""
        if not self.is_attached:
            return
        if self.session.look_at_files(stat_now=stat):
            self.session.check()
        self.show_states()

    def on_check(self, violations: list[Any]) -> None:
        self.show_states()  # a check takes in the files read since the last one

    def _typed_entry(self, widget: Widget, text: str) -> tuple[str, int] | None:
        """The kind and entry a typed text belongs to (the entry made on the first letter);
        None while loading, or for an empty text and no entry yet."""
        if self._loading:
            return None
        key: str = widget.attach_key  # type: ignore[attr-defined]
        if self.entry_index(key) is None and not text:
            return None
        return key, self._entry(key)

    def _path_edited(self, widget: Widget, text: str) -> None:
        typed = self._typed_entry(widget, text)
        if typed is None:
            return
        key, i = typed
        entry = self.draft.attachments[i]
        if entry.path == text:
            return
        entry.path = text
        if entry.sha256 or entry.size is not None:
            # Another file: what was recorded belongs to the old path (Ctrl+Z brings it back).
            entry.sha256, entry.size, entry.attached = "", None, None
        self.session.edited(f"attachments[{i}].path")
        self.show_state(key)

    def _note_edited(self, widget: Widget, text: str) -> None:
        typed = self._typed_entry(widget, text)
        if typed is None:
            return
        _, i = typed
        if self.draft.attachments[i].note != text:
            self.draft.attachments[i].note = text
            self.session.edited(f"attachments[{i}].note")

    @on(Checkbox.Changed)
    def _na_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        key = getattr(event.checkbox, "attach_key", None)
        if self._loading or not isinstance(key, str):
            return
        i = self._entry(key)
        if self.draft.attachments[i].not_applicable != event.value:
            self.draft.attachments[i].not_applicable = event.value
            self.session.edited(f"attachments[{i}].not_applicable")
        self.show_state(key)

    # -- attaching ---------------------------------------------------------------------------
    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        key = getattr(event.button, "attach_key", None)
        if not isinstance(key, str):
            return
        event.stop()
        if (event.button.id or "").startswith("att-browse-"):
            self.browse(key)
        else:
            self.attach(key)

    def browse(self, key: str) -> None:
        def chosen(path: str | None) -> None:
            if path is None:
                return
            field = self.query_one(f"#att-path-{key}", Input)
            field.value = path  # written to the draft by the field (FieldInput.on_edit)
            self.attach(key)
            focus_now(field)

        self.app.push_screen(FilePicker(self.folder, self.lang), chosen)

    def attach(self, key: str) -> None:
        """Read the file at the entry's path in a worker thread, then record it."""
        i = self.entry_index(key)
        path = self.draft.attachments[i].path if i is not None else ""
        name = self._kind_name(key)
        problem = relative_problem(path)
        if problem is not None:
            why = (
                t("form.attach_empty", self.lang)
                if problem == "empty"
                else refusal("outside", self.lang)
            )
            self.notify(
                t("form.attach_refused", self.lang, name=name, why=why),
                severity="error",
                markup=False,
            )
            self.show_state(key)
            return
        self.query_one(f"#att-state-{key}", Static).update(
            Text(t("form.attach_checking", self.lang), "dim")
        )
        self._shown.pop(key, None)
        self.run_worker(  # one read of a kind's file at a time: a new one replaces the old
            partial(self._read, key, path),
            thread=True,
            group=f"attach-{key}",
            exclusive=True,
            exit_on_error=False,
        )

    def _read(self, key: str, path: str) -> None:
        """In a worker thread: read and hash the file; the screen hears of it afterwards."""
        reading = read(self.folder, path)
        self.app.call_from_thread(self._read_done, key, path, reading)

    def _read_done(self, key: str, path: str, reading: Reading) -> None:
        i = self.entry_index(key)
        if i is None or self.draft.attachments[i].path != path:
            return  # the path was changed while the file was read
        entry = self.draft.attachments[i]
        self.session.files.accept(reading)  # what the checks judge the file by from now on
        state = reading.state
        if state.problem:
            why = refusal(state.problem, self.lang, state.size, state.detail)
            self.notify(
                t("form.attach_refused", self.lang, name=self._kind_name(key), why=why),
                severity="error",
                markup=False,
            )
        else:
            clock = self.session.clock
            record(entry, state, now=clock() if clock is not None else None)
            self.session.edited(f"attachments[{i}].path")
            self.notify(
                t(
                    "form.attached",
                    self.lang,
                    name=self._kind_name(key),
                    size=size_text(state.size),
                ),
                markup=False,
            )
        self.show_state(key)

    def _kind_name(self, key: str) -> str:
        for kind, _ in self.kinds:
            if kind.key == key:
                return kind.en if self.lang == "en" else kind.zh
        return key

    # -- marks and jumps ---------------------------------------------------------------------
    def mark(self, paths: set[str]) -> None:
        flagged: set[str] = set()
        for path in paths:
            match = re.match(r"^attachments\[(\d+)\]", path)
            if match and int(match.group(1)) < len(self.draft.attachments):
                flagged.add(self.draft.attachments[int(match.group(1))].key)
            elif path.startswith("attachments."):
                flagged.add(path.split(".", 1)[1])
            elif path == "attachments":  # one not attached yet (it has no entry to name)
                flagged |= set(self._unattached())
        for kind, _ in self.kinds:
            row = self.query_one(f"#att-{kind.key}")
            invalid = kind.key in flagged
            if row.has_class("-invalid") != invalid:
                row.set_class(invalid, "-invalid")

    def _unattached(self) -> list[str]:
        """The keys of the required files with no path and not marked not applicable."""
        out = []
        for kind, _ in self.kinds:
            i = self.entry_index(kind.key)
            entry = self.draft.attachments[i] if i is not None else None
            if entry is None or (not entry.path.strip() and not entry.not_applicable):
                out.append(kind.key)
        return out

    def focus_path(self, path: str) -> bool:
        key, field = None, "path"
        match = re.match(r"^attachments\[(\d+)\](?:\.(\w+))?$", path)
        if match and int(match.group(1)) < len(self.draft.attachments):
            key = self.draft.attachments[int(match.group(1))].key
            field = match.group(2) or "path"
        elif path.startswith("attachments."):
            key = path.split(".", 1)[1]
        elif path == "attachments":
            key = next(iter(self._unattached()), None)
        if key is None or key not in {k.key for k, _ in self.kinds}:
            return self.focus_other(path)
        widget_id = {"not_applicable": "att-na", "note": "att-note"}.get(field, "att-path")
        found = self.query(f"#{widget_id}-{key}")
        target = found.first() if found else self.query_one(f"#att-path-{key}")
        focus_now(target)
        self.call_after_refresh(self.scroll_to_widget, self.query_one(f"#att-{key}"), animate=False)
        return True

    def focus_other(self, path: str) -> bool:
        for widget in self.query("Input, Button, Checkbox"):
            if widget.focusable:
                focus_now(widget)
                self.call_after_refresh(self.scroll_home, animate=False)
                return True
        return False
