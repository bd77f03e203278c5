"""Each Textual internal the screens use (screens/_textual_compat.py), pinned: when a Textual
release renames or reshapes one, the test naming it fails here, before a screen misbehaves."""

from __future__ import annotations

import inspect
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, TextArea

from screens._textual_compat import (
    OrderedInput,
    QuietWidthInput,
    RepaintingOptionList,
    notification_messages,
    post_as_driver,
    render_frame,
    set_localized_bindings,
)
from screens.fields import FieldSelect
from tests.helpers import settle_until


def params(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_input_watch_value_is_the_value_watcher_and_sets_virtual_size() -> None:
    watcher = Input.__dict__.get("_watch_value")
    assert callable(watcher), "Textual's Input has no _watch_value: QuietWidthInput is dead"
    assert params(watcher) == ["self", "value"], "Input._watch_value changed its signature"
    assert "virtual_size" in inspect.getsource(watcher), (
        "Input._watch_value no longer stores the text width in virtual_size"
    )
    assert isinstance(Input.__dict__.get("virtual_size") or Widget.virtual_size, Reactive)


def test_widget_virtual_size_is_a_layout_reactive_and_scroll_update_takes_a_size() -> None:
    reactive = Widget.__dict__.get("virtual_size")
    assert isinstance(reactive, Reactive), "Widget.virtual_size is no longer a Reactive"
    assert reactive._layout, "Widget.virtual_size no longer asks for a layout pass"
    update = Widget.__dict__.get("_scroll_update")
    assert callable(update), "Widget._scroll_update is gone: RepaintingOptionList is dead"
    assert params(update) == ["self", "virtual_size"]
    ours = RepaintingOptionList.__dict__["virtual_size"]
    assert isinstance(ours, Reactive) and not ours._layout
    assert issubclass(RepaintingOptionList, OptionList)


def test_dom_node_keeps_merged_bindings_per_class_and_a_map_per_node() -> None:
    assert "_merged_bindings" in DOMNode.__annotations__ or hasattr(DOMNode, "_merged_bindings")

    class Probe(Screen[None]):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "nothing", "Base")]

    node = Probe()
    assert isinstance(type(node)._merged_bindings, BindingsMap)
    assert isinstance(node._bindings, BindingsMap), "DOMNode._bindings is not a BindingsMap"


class _Form(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f9", "nothing", "kept")]

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def compose(self) -> ComposeResult:
        field = QuietWidthInput(id="field")
        field.value_set = self.seen.append  # type: ignore[method-assign]
        yield field
        yield RepaintingOptionList(*[str(i) for i in range(50)], id="list")


class _App(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_Form())


async def test_the_compat_widgets_and_bindings_work_on_this_textual() -> None:
    app = _App()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, _Form)
        field = screen.query_one("#field", QuietWidthInput)
        field.value = "abc"
        assert screen.seen[-1] == "abc"  # in the watcher, before any message
        assert field.virtual_size == Size(field.content_width, 1)
        listing = screen.query_one("#list", RepaintingOptionList)
        await pilot.pause()
        assert listing.max_scroll_y > 0  # the scrollbar follows the content without a layout
        set_localized_bindings(screen, [Binding("f2", "nothing", "本地化")])
        await pilot.pause()
        shown = {b.key: b.description for _, b, *_ in app.active_bindings.values()}
        assert shown.get("f2") == "本地化" and shown.get("f9") == "kept"


async def test_field_select_knows_its_values_without_textual_internals() -> None:
    from rich.text import Text

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield FieldSelect([(Text("A"), "a")], id="s", allow_blank=True, lang="zh")

    app = Host()
    async with app.run_test() as pilot:
        select = app.query_one("#s", FieldSelect)
        assert select.values == ("a",)
        select.set_options([(Text("B"), "b"), (Text("C"), "c")])
        await pilot.pause()
        assert select.values == ("b", "c")


def test_the_test_internals_keep_their_shape() -> None:
    from textual._compositor import Compositor
    from textual.app import App as TextualApp

    update = Compositor.render_update
    assert params(update) == ["self", "full", "screen_stack", "simplify"], (
        "Compositor.render_update changed its signature: render_frame needs updating"
    )
    assert isinstance(TextualApp.__dict__.get("_background_screens"), property)


async def test_notifications_driver_and_frame_helpers_work_on_this_textual() -> None:
    from textual import events
    from textual.widgets import Label

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="typed")
            yield Label("框架可见")

    app = Host()
    async with app.run_test(size=(40, 8)) as pilot:
        app.notify("已保存", markup=False)
        await pilot.pause()
        assert notification_messages(app) == ["已保存"]
        typed = app.query_one("#typed", Input)
        typed.focus()
        for key in "ab":
            event = events.Key(key, key)
            event.set_sender(app)
            post_as_driver(app, event)
        await settle_until(pilot, lambda: typed.value == "ab")
        from io import StringIO

        from rich.console import Console

        out = StringIO()
        Console(file=out, width=40, height=8, force_terminal=True).print(render_frame(app))
        assert "框架可见" in out.getvalue()


def test_the_compositor_footer_and_toast_internals_keep_their_shape() -> None:
    from textual._compositor import Compositor
    from textual.widgets import Footer

    from screens._textual_compat import FooterKey, Toast

    chops = Compositor.__dict__.get("_render_chops")
    assert callable(chops), "Compositor._render_chops is gone: wide characters get cut again"
    assert params(chops) == ["self", "crop", "is_rendered_line"]
    assert callable(Compositor.__dict__.get("_get_renders")), "Compositor._get_renders is gone"
    assert "cuts" in Compositor.__dict__, "Compositor.cuts is gone"
    assert callable(Compositor.__dict__.get("render_strips")), "Compositor.render_strips is gone"
    key = FooterKey("f1", "F1", "帮助", "help")
    assert (key.key_display, key.description, key.action) == ("F1", "帮助", "help")
    assert "_bindings_ready" in inspect.getsource(Footer), "Footer._bindings_ready is gone"
    assert "_notification" in inspect.signature(Toast.__init__).parameters or (
        "_notification" in inspect.getsource(Toast.__init__)
    ), "Toast no longer keeps its notification"


def test_text_fields_bind_their_edit_keys_and_events_know_when_they_are_taken() -> None:
    """OrderedKeys reads a field's own bindings (`_bindings.key_to_bindings`) and whether a
    handler took the key (`Event._stop_propagation`)."""
    for field in (OrderedInput(), TextArea()):
        bound = field._bindings.key_to_bindings
        assert "backspace" in bound and "home" in bound, type(field).__name__
    assert "ctrl+u" in OrderedInput()._bindings.key_to_bindings
    key = events.Key("x", "x")
    assert key._stop_propagation is False
    key.stop()
    assert key._stop_propagation is True, "Event.stop no longer sets _stop_propagation"


def test_option_list_prompt_internals_keep_their_shape() -> None:
    """RepaintingOptionList._replace_option_prompt reads the line cache and the render cache."""
    source = inspect.getsource(OptionList)
    for name in ("_line_cache", "_option_render_cache", "_get_left_gutter_width", "_clear_caches"):
        assert name in source, f"OptionList.{name} is gone: _replace_option_prompt is stale"
    assert params(OptionList._replace_option_prompt) == ["self", "index", "prompt"]
    from textual.widgets._option_list import _LineCache

    assert {"heights", "index_to_line", "lines"} <= set(_LineCache.__dataclass_fields__)


async def test_a_new_prompt_of_the_same_height_repaints_its_own_lines_only() -> None:
    """A check changes one or two counts in the stepper: the other sections' lines are not
    drawn again, and what is drawn is the new text (also when the height changes)."""
    from rich.text import Text

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield RepaintingOptionList(*(Text(f"第{i}节\n  {i}%") for i in range(6)), id="steps")

    def shown(app: App[None]) -> str:
        from io import StringIO

        from rich.console import Console

        out = StringIO()
        Console(file=out, width=40, height=16, force_terminal=False).print(render_frame(app))
        return out.getvalue()

    app = Host()
    async with app.run_test(size=(40, 16)) as pilot:
        steps = app.query_one("#steps", RepaintingOptionList)
        await pilot.pause()
        assert "第0节" in shown(app)
        kept = [key for key in steps._option_render_cache.keys() if key[0] is steps.options[0]]
        assert kept, "option 0 was never rendered"
        steps.replace_option_prompt_at_index(2, Text("第2节\n  ✓ 100%"))
        assert all(key in steps._option_render_cache for key in kept), (
            "a new prompt for option 2 dropped option 0's rendering"
        )
        await pilot.pause()
        frame = shown(app)
        assert "✓ 100%" in frame and "2%" not in frame.replace("12%", "")
        assert "第5节" in frame
        steps.replace_option_prompt_at_index(1, Text("第1节\n  1%\n  多一行"))  # taller
        await pilot.pause()
        frame = shown(app)
        assert "多一行" in frame and "第5节" in frame
        assert frame.index("多一行") < frame.index("第2节")


def test_screen_resume_can_skip_the_restyle() -> None:
    """EditorScreen._on_screen_resume sets `refresh_styles` before Screen's handler reads it."""
    assert events.ScreenResume().refresh_styles is True
    source = inspect.getsource(Screen._on_screen_resume)
    assert "event.refresh_styles" in source and "update_node_styles" in source


def test_the_start_up_batch_and_resize_internals_keep_their_shape() -> None:
    """StartupFrameApp / StartupFrameScreen: the batch a Textual app starts in, the frame a
    screen draws and the callbacks its idle runs, and the Resize the app keeps even when the
    size is unchanged."""
    app = App[None]()
    assert app._batch_count == 0 and app._size is None
    assert "self._batch_count -= 1" in inspect.getsource(App._end_batch)
    run = inspect.getsource(App._process_messages)
    assert "with self.batch_update():" in run and "events.Mount()" in run
    resize = inspect.getsource(App._on_resize)
    assert resize.index("self._resize_event = event") < resize.index("self._size == event.size")
    idle = inspect.getsource(Screen._on_idle)
    assert "_batch_count" in idle and "_invoke_and_clear_callbacks" in idle
    refresh = inspect.getsource(Screen._compositor_refresh)
    assert "render_update" in refresh and "app._display" in refresh
    timer = inspect.getsource(Screen._on_timer_update)
    assert "self._repaint_required" in timer and "_compositor_refresh" in timer


async def test_a_reactable_keeps_its_watchers_by_name_with_the_watching_node() -> None:
    """OrderedKeys._on_unmount takes a removed field's entries out of the app's watchers
    (TextArea watches the app's theme; Textual prunes closed nodes only on a change)."""

    class Watching(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(id="area")

    app = Watching()
    async with app.run_test() as pilot:
        area = app.query_one("#area", TextArea)
        entries = getattr(app, "__watchers")["theme"]
        assert any(node is area for node, _callback in entries)
        await area.remove()
        await pilot.pause()
        assert any(node is area for node, _callback in entries), "Textual prunes it now"
