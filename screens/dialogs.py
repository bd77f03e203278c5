"""Small modal dialogs: confirm, text prompt, help."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from screens.i18n import t

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
    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", show=False)]
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
        yield Input(self.value, id="prompt-input")

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

    BINDINGS: ClassVar[list[Binding]] = [Binding("escape,f1", "cancel", show=False)]
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
