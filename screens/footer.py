"""A footer that fits its width: the least useful keys are left out rather than cut.

Textual's Footer draws every key in a row and cuts the row at the screen's edge (`f3 Cla` at
80 columns). This one leaves keys out, least useful first (DROP_FIRST), until the rest and
the palette key fit; every key still works, and the palette's Keys command lists them all.
The Textual internals it needs (`FooterKey` and its `key_display`, `description`, `action`;
the footer's `_bindings_ready`) come from screens/_textual_compat.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from screens._textual_compat import FooterKey, footer_bindings_ready

# Actions whose keys are left out first, in this order (all still work; autosave makes
# Ctrl+S the least needed). Keys not named here go last, from the right.
DROP_FIRST = (
    "save",
    "toggle_scope",
    "toggle_clause",
    "refresh",
    "focus_problems",
    "duplicate",
    "rename",
    "toggle_lang",
    "help",
)


def key_width(key: FooterKey) -> int:
    """Cells a (non-compact) footer key takes: ` f7 上一节 `."""
    width = cell_len(key.key_display) + 2
    if key.description:
        width += cell_len(key.description) + 1
    if key.has_class("-command-palette"):
        width += 2  # its left border and right padding
    return width


def fitting(widgets: list[Widget], width: int) -> list[Widget]:
    """`widgets` without the least useful keys, so that what is left fits `width` cells."""
    keys = [w for w in widgets if isinstance(w, FooterKey)]
    if len(keys) != len(widgets):  # groups, labels: not used by the wizard; leave as is
        return widgets
    total = sum(key_width(k) for k in keys)
    order = sorted(
        (k for k in keys if not k.has_class("-command-palette")),
        key=lambda k: (
            DROP_FIRST.index(k.action.rsplit(".", 1)[-1])
            if k.action.rsplit(".", 1)[-1] in DROP_FIRST
            else len(DROP_FIRST) + len(keys) - keys.index(k)
        ),
    )
    dropped: set[int] = set()
    for key in order:
        if total <= width:
            break
        dropped.add(id(key))
        total -= key_width(key)
    return [w for w in widgets if id(w) not in dropped]


class FittingFooter(Footer):
    """Footer whose keys fit the screen's width."""

    def __init__(self) -> None:
        super().__init__()
        self._fitted_width = 0
        self._composed: tuple[object, ...] | None = None
        self._pending = False  # a recompose is asked for and has not run yet

    def _shown(self, width: int) -> tuple[object, ...]:
        """What the keys are composed from: the width and every shown binding as drawn."""
        app = self.app
        return (
            width,
            tuple(
                (b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip)
                for _, b, enabled, tooltip in self.screen.active_bindings.values()
                if b.show
            ),
        )

    def compose(self) -> Iterable[Widget]:
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        self._pending = False
        keys = list(super().compose())
        self._composed = self._shown(width) if footer_bindings_ready(self) else None
        yield from fitting(keys, width)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual recomposes every key whenever the screen's bindings are updated (each focus
        # change; three times before the drafts home's first frame settles): here only when
        # what the keys show has changed, and once for any number of updates before it runs.
        if screen is self.screen and (
            self._pending
            or (self._composed is not None and self._shown(self._fitted_width) == self._composed)
        ):
            return
        super().bindings_changed(screen)
        if screen is self.screen and self.is_attached and screen.app.app_focus:
            self._pending = True  # Footer.bindings_changed asked for a recompose

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width and footer_bindings_ready(self):
            self.call_after_refresh(self.recompose)
