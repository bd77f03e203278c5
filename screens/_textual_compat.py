"""Every use of Textual's internals, in one module.

The screens use Textual's public API everywhere else. What is here reaches below it, for
speed (a key must not re-arrange a screen of dozens of widgets) or because no public way
exists (a screen's bindings in the UI language). Each use is pinned by a test in
tests/tui/test_textual_compat.py that fails loudly, naming the internal, when a Textual release
changes it; a Textual upgrade starts there.

The internals used:
- `Input._watch_value(value)`: Input's value watcher, which stores the text width in the
  layout reactive `virtual_size` (QuietWidthInput);
- `Widget.virtual_size` redefined as a non-layout reactive and `Widget._scroll_update(size)`,
  which updates the scrollbars for a new content size (RepaintingOptionList);
- `DOMNode._merged_bindings` (a class's bindings merged with its bases') and the instance's
  `_bindings` map, which the footer and the key dispatch read (set_localized_bindings,
  replace_bindings), and which a text field reads to run its own keys in order
  (OrderedKeys);
- `Event._stop_propagation`, whether a handler has already taken a key (OrderedKeys);
- the `"__watchers"` attribute of a reactable (`{name: [(node, callback)]}`, textual.reactive
  `_watch`), from which a removed text field takes its own entries (OrderedKeys);
- `FooterKey` (textual.widgets._footer) with its `key_display`, `description` and `action`,
  and `Footer._bindings_ready` (screens/footer.py fits the keys to the width);
- `Compositor._render_chops`, replaced so that wide characters drawn over other widgets
  stay whole (with the `cuts` and `_get_renders` it reads; see "Wide characters" below);
- `App._batch_count`, `App._end_batch`, `App._size`, `App._on_resize`, and the screen's
  `_compositor_refresh`, `_repaint_required` and `_on_idle`: the first frame is drawn once,
  before the callbacks that wait for it (StartupFrameApp, StartupFrameScreen; see "The
  first frame" below).

And for the tests, which look at what a user would see or send what a terminal would:
- `App._notifications`, the notifications shown now (notification_messages), and a
  `Toast` (textual.widgets._toast) with its `_notification` (toast_message);
- `Screen._compositor.render_strips`, the lines the terminal is sent (screen_strips);
- `App._driver.send_message`, a read's keys queued as the driver queues them (post_as_driver);
- `Screen._compositor.render_update` and `App._background_screens`, the frame written to the
  terminal (render_frame).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from typing import Any, TypeVar, cast

from rich.console import RenderableType
from textual import events
from textual._compositor import Compositor
from textual.app import App, ScreenError
from textual.binding import BindingsMap, BindingType
from textual.css.styles import RulesMap
from textual.dom import DOMNode, NoScreen
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, OptionList
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast


class OrderedKeys:
    """Mixin for a field (Input, TextArea, Checkbox): the keys bound on the field itself
    (Backspace, Delete, Ctrl+U, Ctrl+W, Ctrl+K, Home, End, the arrows, …) act in the order
    they were typed, with the characters around them.

    Textual inserts a character in the field's own `_on_key`, but runs a binding only after
    the key has bubbled up to the app, one message queue per ancestor. Keys read in one go
    (a fast typist, a terminal under load, a paste of keys) were then reordered: "End,
    Ctrl+U, 42" left the field empty, the 42 typed and then cleared. Here the field runs its
    own non-priority bindings in its `_on_key`, as the app would (the same bindings, in
    the same order, the same `check_action`), so nothing waits behind other queues. Keys the
    field does not bind bubble up as before.
    """

    async def _on_key(self, event: events.Key) -> None:
        await super()._on_key(event)  # type: ignore[misc]
        if event._stop_propagation:  # taken by the widget itself (a typed character)
            return
        widget = cast(Widget, self)
        for binding in widget._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await widget.app.run_action(binding.action, widget):
                event.stop()
                event.prevent_default()
                return

    def _on_unmount(self) -> None:
        # Textual's Input and TextArea subscribe to their screen's text-selection signal with
        # a callback that holds the field, under a weak key that the callback then keeps
        # alive: a removed field lived as long as its screen (every form an editor drops on
        # F2 or a direction switch, ≈ 1 MiB each). Textual prunes it only when a selection
        # starts.
        # TextArea also watches the app's theme (`App.__watchers`), which Textual prunes of
        # closed widgets only when the theme changes: every dropped narrative field kept its
        # whole form alive (found by tests/tui/test_tui_heap.py).
        widget = cast(Widget, self)
        for entries in getattr(widget.app, "__watchers", {}).values():
            entries[:] = [entry for entry in entries if entry[0] is not widget]
        try:
            screen = widget.screen
        except NoScreen:
            return
        screen.text_selection_started_signal.unsubscribe(widget)


class OrderedInput(OrderedKeys, Input):
    """Textual's Input with its own keys in typing order (OrderedKeys)."""


class OrderedCheckbox(OrderedKeys, Checkbox):
    """Textual's Checkbox whose Space and Enter tick this box, the one they were typed in:
    "Space Tab Space" in one go ticked the next box (the binding ran once the focus had
    moved on) or none."""


class QuietWidthInput(OrderedKeys, Input):
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

    def _replace_option_prompt(self, index: int, prompt: VisualType) -> None:
        """A new prompt of the same height repaints that option's lines only.

        Textual's own drops every option's rendering and repaints the whole list: the
        stepper, whose one or two counts change on a check, cost ≈ 10 ms a frame to draw
        again in full. A prompt whose height changes (or a list not laid out yet) takes
        Textual's way.
        """
        option = self.get_option_at_index(index)
        line_cache = self._line_cache
        first = line_cache.index_to_line.get(index)
        height = line_cache.heights.get(index)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        option._set_prompt(prompt)
        if first is None or height is None or width <= 0:
            self._clear_caches()
            return
        padding = self.get_component_styles("option-list--option").padding
        new_height = (
            self._get_visual(option).get_height(cast(RulesMap, self.styles), width - padding.width)
            + option._divider
        )
        if new_height != height:
            self._clear_caches()
            return
        cache = self._option_render_cache
        for key in [key for key in cache.keys() if key[0] is option]:
            cache.discard(key)
        top = first - self.scroll_offset.y
        self.refresh(Region(0, top, self.scrollable_content_region.width, height))


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


def toast_message(toast: Toast) -> str:
    """The message a toast shows (`Toast._notification`)."""
    return str(toast._notification.message)


def screen_strips(screen: Screen[Any]) -> list[Strip]:
    """The screen's lines as its compositor sends them to the terminal."""
    return list(screen._compositor.render_strips())


def render_frame(app: App[Any]) -> RenderableType:
    """The whole frame of the screen on top, as the app writes it to the terminal."""
    frame = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    assert frame is not None, "a full render_update gave no frame"
    return frame


def footer_bindings_ready(footer: Footer) -> bool:
    """Whether the footer has read the screen's bindings (it composes its keys from them)."""
    return bool(footer._bindings_ready)


# -- The first frame ---------------------------------------------------------------------------
# Textual starts an app inside a batch (`App._batch_count`): the default screen is composed,
# mounted, laid out *and drawn* in it, and `App._display` then drops that frame, since updates
# are held during a batch. Callbacks queued by `call_after_refresh` run at the batch's idle
# too, before any frame has reached the terminal (the editor's first check, ≈ 60 ms on a
# large draft, ran before its first frame). And the driver's first Resize, of the size the
# app already has, made Textual lay the whole screen out again (`App._on_resize` keeps the
# event for `_check_resize` even when the size is unchanged): ≈ 80 ms on the editor.
#
# StartupFrameApp and StartupFrameScreen: while the app starts, a screen does not draw and
# keeps its after-refresh callbacks; when the start-up batch ends the screen is drawn once,
# in full, and the callbacks run after that frame. A Resize to the size the app already has
# repaints the screen without laying it out again (a terminal re-attached or resumed after
# Ctrl+Z needs the picture, not a new layout). Pinned by tests/tui/test_textual_compat.py.

R = TypeVar("R")


class StartupFrameApp(App[R]):
    starting = True  # until the start-up batch ends

    def _end_batch(self) -> None:
        super()._end_batch()
        if self.starting and not self._batch_count:
            self.starting = False
            with suppress(ScreenError):
                self.screen.refresh()  # the frame held back during the batch

    async def _on_resize(self, event: events.Resize) -> None:
        # Runs before App's own handler (Textual calls each class's, the subclass first).
        if self._size is not None and event.size == self._size:
            event.prevent_default()
            event.stop()
            if not self.starting:
                with suppress(ScreenError):
                    self.screen.refresh()


def _starting(app: App[Any]) -> bool:
    return bool(getattr(app, "starting", False)) and app._batch_count > 0


class StartupFrameScreen(Screen[None]):
    def _compositor_refresh(self) -> None:
        app = self.app
        if self is app.screen and _starting(app):
            self._repaint_required = True  # drawn when the batch ends (StartupFrameApp)
            return
        super()._compositor_refresh()

    async def _on_idle(self, event: events.Idle) -> None:
        # Runs before Screen's own handler, which would run the after-refresh callbacks now.
        if _starting(self.app):
            event.prevent_default()


__all__ = [
    "FooterKey",
    "QuietWidthInput",
    "RepaintingOptionList",
    "StartupFrameApp",
    "StartupFrameScreen",
    "Toast",
    "footer_bindings_ready",
    "install_whole_wide_characters",
    "notification_messages",
    "post_as_driver",
    "render_frame",
    "replace_bindings",
    "screen_strips",
    "set_localized_bindings",
    "toast_message",
    "uninstall_whole_wide_characters",
    "whole_wide_characters_installed",
]


# -- Wide characters ------------------------------------------------------------------------
# Wide characters drawn over other widgets stay whole (toasts, dropdowns, dialogs).
#
# Textual's compositor cuts every line of the screen at each widget's left and right edge and
# keeps, for each piece, the topmost widget's text. It cuts the text of *every* widget at
# *every* edge on that line, including the edges of widgets hidden beneath it; a double-width
# character (Chinese) lying across such an edge is split by rich into two spaces. So a
# notice drawn over the form loses the words above the form's scrollbar or the problems
# panel's border: `已修改：状态改回“    ”。` (Textual issue #6357, open in 8.2.8).
#
# `install_whole_wide_characters()` replaces `Compositor._render_chops` by the same method,
# except that a widget's line is not cut where that widget is also the topmost one on both
# sides of the cut: the joined piece is kept at the first cut and the pieces it covers are
# left empty. It is checked by tests/tui/test_tui_widechars.py.

_EMPTY = Strip([], 0)
_original: Callable[..., Any] | None = None


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
    # Joining pieces across a cut is safe only inside the crop: every widget overlapping it
    # is rendered, so the topmost widget on each side of such a cut is known.
    crop_left, crop_right = crop.x, crop.right
    for render_region, strips in _line_renders(self, crop, is_rendered_line):
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            # The cuts this widget's line is divided at: where the topmost widget changes.
            starts: list[int] = []  # chops this widget wins, each at the start of a run
            joined: list[int] = []  # chops inside a run: covered by the run's piece
            divide_at: list[int] = []
            previous_won = False
            for cut in final_cuts[:-1]:
                won = line.get(cut) is None
                if won and previous_won and crop_left < cut < crop_right:
                    joined.append(cut)
                else:
                    if cut != final_cuts[0]:
                        divide_at.append(cut - render_x)
                    if won:
                        starts.append(cut)
                previous_won = won
            if not joined:  # nothing beneath: as Textual does it
                pieces = strip.divide([cut - render_x for cut in final_cuts[1:]])
                for cut, piece in zip(final_cuts, pieces, strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
                continue
            divide_at.append(final_cuts[-1] - render_x)
            run_starts = [final_cuts[0], *(cut + render_x for cut in divide_at[:-1])]
            won_starts = set(starts)
            for cut, piece in zip(run_starts, strip.divide(divide_at), strict=False):
                if cut in won_starts:
                    line[cut] = piece
            for cut in joined:
                line[cut] = _EMPTY
    return cast("Sequence[Mapping[int, Strip]]", chops)


def _line_renders(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Iterator[tuple[Region, list[Strip]]]:
    """The widgets' lines that the update draws, each run of them with the screen region it
    covers: Textual's `_get_renders` for the same widgets (those whose clip overlaps the
    crop, front to back), but only their lines in the crop that are drawn.

    Textual renders each of those widgets whole: a key echoed in a three-line Input asked
    every widget of the form for all its lines (≈ 670 lines and their filters a frame, for
    about 20 that are drawn), and a frame that redraws the title and status bars asked for
    every line of the screen. The lines drawn, and the widget on top in each piece of them,
    are the same (a widget rendered here for fewer lines wins the same pieces on them).
    """
    top, bottom = crop.y, crop.bottom
    crop_overlaps = crop.overlaps
    for widget, (region, clip) in self.visible_widgets.items():
        if not crop_overlaps(clip):
            continue
        visible = region.intersection(clip)
        if not visible.width or not visible.height:
            continue
        y, end = max(visible.y, top), min(visible.bottom, bottom)
        while y < end:
            if not is_rendered_line(y):
                y += 1
                continue
            first = y
            while y < end and is_rendered_line(y):
                y += 1
            window = Region(visible.x, first, visible.width, y - first)
            lines = Region(window.x - region.x, first - region.y, window.width, window.height)
            yield window, widget.render_lines(lines)


def install_whole_wide_characters() -> None:
    """Use `_render_chops` above for every screen (idempotent)."""
    global _original
    if _original is None:
        _original = Compositor._render_chops
        Compositor._render_chops = _render_chops  # type: ignore[method-assign]


def whole_wide_characters_installed() -> bool:
    return _original is not None


def uninstall_whole_wide_characters() -> None:
    """Back to Textual's own (tests compare the two)."""
    global _original
    if _original is not None:
        Compositor._render_chops = _original  # type: ignore[method-assign]
        _original = None
