"""Small modal dialogs: confirm, text prompt, help."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from screens.i18n import t

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 80; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; margin: 0 0 1 0; }}
{name} .dialog-body {{ height: auto; max-height: 20; }}
{name} .dialog-buttons {{ height: auto; align-horizontal: right; margin: 1 0 0 0; }}
{name} .dialog-buttons Button {{ margin: 0 0 0 2; }}
"""


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str | Text, body: str | Text, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("no", self.lang), id="no")
                yield Button(t("yes", self.lang), id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class PromptDialog(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="PromptDialog")
    BINDINGS: ClassVar[list[Binding]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str, value: str, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Input(self.value, id="prompt-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("no", self.lang), id="no")
                yield Button(t("yes", self.lang), id="yes", variant="primary")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.dismiss(self.query_one(Input).value.strip() or None)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpDialog(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="HelpDialog")
    BINDINGS: ClassVar[list[Binding]] = [Binding("escape,f1", "close", show=False)]

    def __init__(self, title: str, body: Text, lang: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("close", self.lang), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
