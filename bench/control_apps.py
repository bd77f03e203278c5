"""Baselines: a bare one-Label Textual app, and a no-validation form with a side panel.

Run as `python -m bench.control_apps bare|form`.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

READY = "READY-CONTROL"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(READY)


class FormApp(App[None]):
    """An Input whose change handler only copies the value into a side panel."""

    CSS = "Input { width: 1fr; } #panel { width: 40; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Input(id="field")
            yield Static(READY, id="panel")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#panel", Static).update(f"panel:{event.value}")


if __name__ == "__main__":
    (BareApp if sys.argv[1:] == ["bare"] else FormApp)().run()
