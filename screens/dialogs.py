"""Small modal dialogs: confirm, text prompt, help."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from screens._textual_compat import OrderedInput
from wizard.catalogue import t

DialogResult = TypeVar("DialogResult")


class Dialog(ModalScreen[DialogResult]):
    """A centred box: a title, a body, a row of buttons; Escape cancels."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 90%; max-width: 80; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    Dialog .dialog-title { text-style: bold; margin: 0 0 1 0; }
    Dialog .dialog-body { height: auto; max-height: 20; }
    Dialog .dialog-buttons { height: auto; align-horizontal: right; margin: 1 0 0 0; }
    Dialog .dialog-buttons Button { margin: 0 0 0 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]
    FOCUS = ""  # the id of the button focused at first ("" : the first focusable widget)

    def __init__(self, title: str | Text, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield from self.compose_body()
            with Horizontal(classes="dialog-buttons"):
                for key, button_id, primary in self.buttons():
                    yield Button(
                        t(key, self.lang), id=button_id, variant="primary" if primary else "default"
                    )

    def compose_body(self) -> ComposeResult:
        yield from ()

    def buttons(self) -> list[tuple[str, str, bool]]:
        """(label key, id, primary) from left to right."""
        return [("no", "no", False), ("yes", "yes", True)]

    def on_mount(self) -> None:
        if self.FOCUS:
            self.query_one(f"#{self.FOCUS}", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(Dialog[bool]):
    FOCUS = "yes"

    def __init__(self, title: str | Text, body: str | Text, lang: str) -> None:
        super().__init__(title, lang)
        self.body = body

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body"):
            yield Static(self.body, markup=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class PromptDialog(Dialog[str | None]):
    def __init__(self, title: str, value: str, lang: str) -> None:
        super().__init__(title, lang)
        self.value = value

    def compose_body(self) -> ComposeResult:
        yield OrderedInput(self.value, id="prompt-input")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.dismiss(self.query_one(Input).value.strip() or None)
        else:
            self.dismiss(None)


class HelpDialog(Dialog[None]):
    """Text the user reads (guide clauses, a file's problem); the body may carry styles."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1", "cancel", show=False)]
    FOCUS = "close"

    def __init__(self, title: str, body: Text, lang: str) -> None:
        super().__init__(title, lang)
        self.body = body

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body"):
            yield Static(self.body)

    def buttons(self) -> list[tuple[str, str, bool]]:
        return [("close", "close", True)]

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)


# -- saving: a save that failed, a file changed underneath, recovery copies -------------------


def _short(value: object, width: int = 28) -> str:
    """A field value in one line of at most `width` cells, shown as data."""
    from rich.cells import cell_len

    from wizard.display import printable

    text = "—" if value is None or value == "" else printable(str(value))
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


class ChoiceDialog(Dialog[str]):
    """A body and a row of choices; the pressed button's id is the result (Escape: None)."""

    def __init__(
        self, title: str | Text, body: str | Text, choices: list[tuple[str, str, bool]], lang: str
    ) -> None:
        super().__init__(title, lang)
        self.body = body
        self.choices = choices
        self.FOCUS = next((b for _, b, primary in choices if primary), "")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body"):
            yield Static(self.body, markup=False)

    def buttons(self) -> list[tuple[str, str, bool]]:
        return self.choices

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class SaveFailedDialog(ChoiceDialog):
    """Leaving while the text is not on disk: retry (or resolve the conflict), save
    elsewhere, write a recovery copy, or stay (Escape)."""

    def __init__(self, name: str, error: str, conflict: bool, lang: str) -> None:
        from wizard.display import printable

        key = "save.conflict_body" if conflict else "save.failed_body"
        body = t(key, lang, name=printable(name), error=printable(error))
        first = ("save.resolve", "resolve", True) if conflict else ("save.retry", "retry", True)
        choices = [
            ("save.stay", "stay", False),
            ("save.recovery", "recovery", False),
            ("save.elsewhere", "elsewhere", False),
            first,
        ]
        super().__init__(t("save.failed_title", lang), body, choices, lang)


class ConflictDialog(ChoiceDialog):
    """The draft file changed underneath: which fields differ, and the choices."""

    def __init__(self, name: str, diffs: list[Any], can_take: bool, lang: str) -> None:
        from wizard.catalogue import label
        from wizard.display import printable

        body = Text(t("conflict.body", lang, name=printable(name)) + "\n\n")
        if not can_take:
            body.append(t("conflict.unreadable", lang) + "\n", "bold red")
        for diff in diffs[:12]:
            body.append(label(diff.path, lang), "bold")
            body.append(f"\n  {t('conflict.mine', lang)}：{_short(diff.mine, 60)}\n")
            body.append(f"  {t('conflict.theirs', lang)}：{_short(diff.theirs, 60)}\n")
        if len(diffs) > 12:
            body.append(t("conflict.more", lang, n=len(diffs) - 12) + "\n", "dim")
        if can_take and not diffs:
            body.append(t("conflict.same", lang) + "\n", "dim")
        choices = [("conflict.later", "later", False)]
        if can_take:
            if diffs:
                choices.append(("conflict.merge", "merge", False))
            choices.append(("conflict.take", "theirs", False))
        choices.append(("conflict.keep", "mine", True))
        super().__init__(t("conflict.title", lang), body, choices, lang)


class MergeDialog(Dialog[set[str]]):
    """Field by field: each field that differs, ticked to take the file's value."""

    DEFAULT_CSS = """
    MergeDialog SelectionList { height: auto; max-height: 16; }
    """

    def __init__(self, diffs: list[Any], lang: str) -> None:
        super().__init__(t("merge.title", lang), lang)
        self.diffs = diffs

    def compose_body(self) -> ComposeResult:
        from textual.widgets import SelectionList

        from wizard.catalogue import label

        yield Static(t("merge.hint", self.lang), markup=False)
        options = []
        for diff in self.diffs:
            prompt = Text(label(diff.path, self.lang), "bold")
            prompt.append(f"\n  {t('conflict.mine', self.lang)}：{_short(diff.mine, 50)}")
            prompt.append(f"\n  {t('conflict.theirs', self.lang)}：{_short(diff.theirs, 50)}")
            options.append((prompt, diff.path, False))
        yield SelectionList[str](*options, id="merge-fields")

    def buttons(self) -> list[tuple[str, str, bool]]:
        return [("key.cancel", "cancel", False), ("merge.apply", "apply", True)]

    def on_mount(self) -> None:
        from textual.widgets import SelectionList

        self.query_one(SelectionList).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        from textual.widgets import SelectionList

        if event.button.id == "apply":
            self.dismiss(set(self.query_one(SelectionList).selected))
        else:
            self.dismiss(None)


class RecoveryDialog(ChoiceDialog):
    """A recovery copy found at start: restore it into the drafts folder, discard it, or
    decide later (Escape)."""

    def __init__(self, recovery: Any, folder: str, lang: str) -> None:
        from wizard.display import printable

        original = recovery.original or "?"
        body = t(
            "recovery.body",
            lang,
            original=printable(original),
            saved=printable(recovery.saved or "?"),
            path=printable(str(recovery.path)),
            folder=printable(folder),
        )
        choices = [
            ("recovery.later", "later", False),
            ("recovery.discard", "discard", False),
            ("recovery.restore", "restore", True),
        ]
        super().__init__(t("recovery.title", lang), body, choices, lang)
