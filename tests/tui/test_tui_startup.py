"""How the wizard starts and checks: what is drawn before the models load, what is checked when.

The start-up design (docs/performance.md): the drafts home draws its list from a quick read of
each file, then a thread validates and checks every draft; `wizard open` shows the editor
without building the home; the editor checks once after its first frame and then on every
edit, in the edit's own handler (a burst of edits shares one check).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from screens._textual_compat import notification_messages
from screens.app import WizardApp
from screens.editor import CHECK_INTERVAL, EditorScreen
from screens.home import PENDING, HomeScreen
from tests.factories import clean_draft
from tests.helpers import settle_until
from wizard.files import DraftError, peek_draft
from wizard.guide import Guide
from wizard.store import load_draft, save_draft

ROOT = Path(__file__).resolve().parents[2]


def test_first_frame_needs_no_models() -> None:
    """The home's imports leave pydantic, the rules and the editor for later."""
    code = (
        "import sys, screens.app, wizard.cli\n"
        "heavy = [m for m in ('pydantic', 'wizard.draft', 'wizard.rules', 'screens.editor',"
        " 'wizard.lock') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_collector_is_back_once_the_editor_is_drawn(tmp_path: Path, guide: Guide) -> None:
    """The launcher stops the garbage collector for start-up (screens/launcher.py); once the
    first screen is drawn it runs again, with start-up's objects frozen out of its walks.
    In a process of its own: the test process's collector is left alone."""
    path = save_draft(clean_draft(guide, "1.6"), tmp_path / "a.toml")
    code = (
        "import asyncio, gc, sys\n"
        "from pathlib import Path\n"
        "from screens.app import WizardApp\n"
        "from tests.helpers import settle_until\n"
        "gc.disable()\n"
        "async def main():\n"
        "    app = WizardApp(Path(sys.argv[1]).parent, open_path=Path(sys.argv[1]))\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        await settle_until(pilot, gc.isenabled, timeout=30)\n"
        "        print(gc.isenabled(), gc.get_freeze_count() > 0, app.screen.current)\n"
        "        await app.action_quit()\n"
        "asyncio.run(main())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    assert out.stdout.split() == ["True", "True", "project"]


def test_peek_reads_title_without_validating(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.title = "中瑞合作"
    path = save_draft(draft, tmp_path / "a.toml")
    peek = peek_draft(path)
    assert (peek.title, peek.direction, peek.status) == ("中瑞合作", "1.6", "draft")
    assert peek.updated  # "YYYY-MM-DD HH:MM"
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("schema_version = 1\n[project]\ntitle = 3\n", "utf-8")
    assert peek_draft(wrong).title == ""  # not a string: left to validation
    broken = tmp_path / "broken.toml"
    broken.write_text("title = = 3", "utf-8")
    try:
        peek_draft(broken)
    except DraftError as exc:
        assert "not valid TOML" in str(exc)
    else:
        raise AssertionError("a broken file must not peek")


async def test_home_lists_before_it_checks(tmp_path: Path, guide: Guide) -> None:
    save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")
    release = threading.Event()
    original = HomeScreen.assess

    def slow_assess(self: HomeScreen, listing: int) -> None:
        release.wait(10)
        original(self, listing)

    HomeScreen.assess = slow_assess  # type: ignore[method-assign]
    try:
        app = WizardApp(tmp_path, guide)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            table = home.query_one("#drafts", DataTable)
            assert str(table.get_row_at(0)[0]) == "a.toml"  # the name at once
            # The title from a quick read in a thread.
            await settle_until(pilot, lambda: "测试项目 1.9" in map(str, table.get_row_at(0)))
            row = [str(c) for c in table.get_row_at(0)]
            assert "测试项目 1.9" in row and PENDING in row  # title now, counts to come
            assert home.entries == {}
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            row = [str(c) for c in table.get_row_at(0)]
            assert "0 / 0" in row and PENDING not in row
            assert len(home.entries) == 1
    finally:
        HomeScreen.assess = original  # type: ignore[method-assign]
        release.set()


async def test_open_shows_the_editor_alone_and_home_on_leaving(
    tmp_path: Path, guide: Guide
) -> None:
    path = save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")
    save_draft(clean_draft(guide, "1.6"), tmp_path / "b.toml")
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await pilot.press("escape")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(Path(k).name for k in home.entries) == ["a.toml", "b.toml"]
        assert not any(isinstance(s, EditorScreen) for s in app.screen_stack)


async def _open(pilot: Pilot[Any], app: WizardApp) -> EditorScreen:
    await settle_until(pilot, lambda: isinstance(app.screen, EditorScreen) and app.screen.checked)
    screen = app.screen
    assert isinstance(screen, EditorScreen)
    return screen


async def test_editor_checks_after_first_frame_then_on_each_edit(
    tmp_path: Path, guide: Guide
) -> None:
    draft = clean_draft(guide, "1.9")
    draft.project.title = ""
    path = save_draft(draft, tmp_path / "a.toml")
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(pilot, app)
        assert "project.title" in ed.invalid_paths
        title = ed.current_form.boxes["project.title"]
        await settle_until(pilot, lambda: title.has_class("-invalid"))
        # A quiet spell: the next edit is checked at once.
        await settle_until(pilot, lambda: time.monotonic() > ed.session.last_check + CHECK_INTERVAL)
        field = title.editor
        assert isinstance(field, Input)
        field.value = "有了标题"
        await pilot.pause()  # the Changed handler only; no timer has fired
        assert "project.title" not in ed.invalid_paths
        assert ed._check_timer is None
        # The field's red mark goes after the frame that showed the edit.
        await settle_until(pilot, lambda: not title.has_class("-invalid"))


async def test_a_burst_of_edits_shares_one_check(
    tmp_path: Path, guide: Guide, monkeypatch: Any
) -> None:
    import wizard.session

    interval = 1.0  # longer than the default, so a loaded test machine cannot outrun it
    monkeypatch.setattr(wizard.session, "CHECK_INTERVAL", interval)
    path = save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(pilot, app)
        # A quiet spell: the first edit below is checked at once.
        await settle_until(pilot, lambda: time.monotonic() > ed.session.last_check + interval)
        runs: list[int] = []
        check = ed.run_check

        def counted(typing: bool = False) -> None:
            runs.append(1)
            check(typing=typing)

        ed.run_check = counted  # type: ignore[method-assign]
        # A cheap check, as on an idle machine (a dear one is deferred: test_tui_races).
        ed.session.check_cost = 0.0
        field = ed.current_form.boxes["project.title"].editor
        assert isinstance(field, Input)
        for text in ("", "a", "", "ab", ""):  # five edits before the next frame
            field.value = text
        await settle_until(pilot, lambda: bool(runs) and not ed.session.check_due)
        assert len(runs) == 1  # after the frame: one check, of the last edit's state
        assert "project.title" in ed.invalid_paths
        for text in ("abc", ""):  # more edits within the interval after that check
            field.value = text
        await pilot.pause()
        assert len(runs) == 1
        assert ed._check_timer is not None  # …share one check at the interval's end
        await settle_until(pilot, lambda: len(runs) >= 2 and ed._check_timer is None)
        assert len(runs) == 2
        assert "project.title" in ed.invalid_paths  # the last edit's state


async def test_autosave_writes_the_draft_as_it_was(tmp_path: Path, guide: Guide) -> None:
    """The save thread writes a snapshot: an edit made while it writes is not half in it."""
    path = save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(pilot, app)
        ed.draft.project.title = "第一版"
        ed.session.dirty = True
        ed.save_now()
        ed.draft.project.title = "第二版"  # after the snapshot, before or during the write
        assert ed.session.pending is not None
        ed.session.pending.result(timeout=10)
        assert load_draft(path, guide).project.title == "第一版"
        assert ed.draft.meta.updated is not None and ed.draft.meta.created is not None


async def test_panel_scrollbar_follows_its_contents(tmp_path: Path, guide: Guide) -> None:
    """The problems list repaints without a screen layout, yet its scrollbar still comes and
    goes with its length (screens/_textual_compat.py)."""
    from bench.samples import large_draft

    path = save_draft(large_draft(guide), tmp_path / "large.toml", touch=False)
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await _open(pilot, app)
        panel = ed.query_one("#violations")
        assert not panel.show_vertical_scrollbar  # the project section has no problems
        await pilot.press("f4")  # all 50 problems
        await pilot.pause()
        assert panel.show_vertical_scrollbar
        assert panel.max_scroll_y > 0
        await pilot.press("f4")
        await pilot.pause()
        assert not panel.show_vertical_scrollbar


async def test_long_text_scrolls_in_its_field(tmp_path: Path, guide: Guide) -> None:
    """Form inputs skip Textual's per-key layout pass but still follow the cursor."""
    path = save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        ed = await _open(pilot, app)
        field = ed.current_form.boxes["project.title"].editor
        assert isinstance(field, Input)
        field.focus()
        field.value = "长" * 60  # wider than the field
        await pilot.press("end", "a", "b")
        await pilot.pause()
        assert field.value.endswith("长ab")
        assert field.scroll_x > 0 and field.scroll_x == field.max_scroll_x
        assert ed.draft.project.title == field.value


async def test_checking_thread_failure_is_reported_not_fatal(
    tmp_path: Path, guide: Guide, monkeypatch: Any
) -> None:
    import wizard.store

    save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")

    def broken(*args: Any) -> Any:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(wizard.store, "list_drafts", broken)
    app = WizardApp(tmp_path, guide)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)  # still running, the quick list still shown
        row = [str(c) for c in home.query_one("#drafts", DataTable).get_row_at(0)]
        assert "测试项目 1.9" in row
        assert any("Input/output error" in m for m in notification_messages(app))
