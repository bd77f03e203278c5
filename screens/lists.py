"""An OptionList whose changing contents repaint the list, not the whole screen's layout."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import OptionList


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
