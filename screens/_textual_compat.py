"""Every use of Textual's internals, in one module.

The screens use Textual's public API everywhere else. What is here reaches below it, for
speed (a key must not re-arrange a screen of dozens of widgets) or because no public way
exists (a screen's bindings in the UI language). Each use is pinned by a test in
tests/test_textual_compat.py that fails loudly, naming the internal, when a Textual release
changes it; a Textual upgrade starts there.

The internals used:
- `Input._watch_value(value)`: Input's value watcher, which stores the text width in the
  layout reactive `virtual_size` (QuietWidthInput);
- `Widget.virtual_size` redefined as a non-layout reactive and `Widget._scroll_update(size)`,
  which updates the scrollbars for a new content size (RepaintingOptionList);
- `DOMNode._merged_bindings` (a class's bindings merged with its bases') and the instance's
  `_bindings` map, which the footer and the key dispatch read (set_localized_bindings).

And for the tests, which look at what a user would see or send what a terminal would:
- `App._notifications`, the notifications shown now (notification_messages);
- `App._driver.send_message`, a read's keys queued as the driver queues them (post_as_driver);
- `Screen._compositor.render_update` and `App._background_screens`, the frame written to the
  terminal (render_frame).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from textual.app import App
from textual.binding import BindingsMap, BindingType
from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input, OptionList


class QuietWidthInput(Input):
    """An Input whose typing repaints the field, not the whole screen's layout, and which
    calls `value_set` synchronously with the key that changed the text.

    Textual's Input stores its text width as `virtual_size`, a layout reactive, on every
    change; a form screen with dozens of widgets then re-arranges them all on every key
    (≈ 6 ms here). The field's own box never depends on its text (fixed height, width from
    CSS), so the new width is stored without a layout pass and only the field is repainted.
    """

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Input.virtual_size, size)
            self.refresh()
        super()._watch_value(value)  # its own virtual_size assignment is now a no-op
        self.value_set(value)

    def value_set(self, value: str) -> None:
        """Called in the value watcher, after Textual's own, for every new value."""


class RepaintingOptionList(OptionList):
    """For lists that change on every check (the problems panel, the section stepper).

    An OptionList stores its content height as `virtual_size`, a layout reactive: each new
    set of options re-arranges and re-renders every widget on the screen (≈ 15 ms on the
    editor, docs/performance.md). The list's own box never depends on its contents (its
    size comes from CSS), so here a new content size only updates the scrollbar and repaints
    the list; a layout pass still happens when the scrollbar appears or goes (the
    `show_vertical_scrollbar` reactive asks for it), since that changes the lines' width.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, size: Size) -> None:
        self._scroll_update(size)
        self.refresh()


def replace_bindings(node: DOMNode, bindings: Iterable[BindingType]) -> None:
    """Give `node` exactly `bindings` (the class's own are left out)."""
    node._bindings = BindingsMap(bindings)


def set_localized_bindings(node: DOMNode, bindings: Iterable[BindingType]) -> None:
    """Give `node` its class's own bindings (tab, shift+tab, …) plus `bindings`, worded in
    the UI language: a key in `bindings` replaces the class's binding of that key (its
    English description). The footer shows them at its next refresh."""
    ours = BindingsMap(bindings)
    base = type(node)._merged_bindings
    if base is None:
        node._bindings = ours
        return
    kept = {k: v for k, v in base.key_to_bindings.items() if k not in ours.key_to_bindings}
    node._bindings = BindingsMap.merge([BindingsMap.from_keys(kept), ours])


def notification_messages(app: App[Any]) -> list[str]:
    """The messages of the notifications the app shows now."""
    return [str(n.message) for n in app._notifications]


def post_as_driver(app: App[Any], message: Message) -> None:
    """Queue `message` (a key) on the app as the terminal driver does for what it read."""
    driver = app._driver
    assert driver is not None, "the app has no driver (not running)"
    driver.send_message(message)


def render_frame(app: App[Any]) -> RenderableType:
    """The whole frame of the screen on top, as the app writes it to the terminal."""
    frame = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    assert frame is not None, "a full render_update gave no frame"
    return frame
