"""Helpers shared by the test modules (no test module imports another one).

- waiting: `settle_until` (a Pilot), `wait_check` (the editor's check), `checked` (the home's);
- the editor in Pilot: `make_app`, `editor`, `open_at`, `at_section`, `widget_for`, `put`,
  `press_button`, `screen_text`;
- the real `wizard` in a pseudo-terminal: `pty_app`, `close_app`, `typing_draft`;
- the command line: `run_cli`;
- the rules: `CODES`, `check`.

Fixtures (`guide`, `no_network`, `wheel`, the recovery folder) are in conftest.py.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from wizard.draft import Draft, new_draft
from wizard.guide import Guide
from wizard.rules import Violation, evaluate
from wizard.store import save_draft

if TYPE_CHECKING:  # the unit tests never import Textual
    from textual.pilot import Pilot

    from screens.app import WizardApp
    from screens.editor import EditorScreen

ROOT = Path(__file__).resolve().parent.parent
CLOCK = datetime(2020, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty and signals")


def figure(name: str, value: str) -> None:
    """A measured figure for docs/reliability.md (`pytest … -s` prints them)."""
    print(f"\nFIGURE {name}: {value}")


# -- waiting on a condition ----------------------------------------------------------------


async def settle_until(pilot: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (a wait on what the test looks for, not a
    fixed pause: under load a scroll or a thread's result can take several frames)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(0.02)
    await pilot.pause()  # what just became true (a dialog pushed, say) composed and drawn


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, step: float = 0.02) -> None:
    """The same outside an event loop (a file written by another process or thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(step)


def check_settled(ed: EditorScreen) -> bool:
    """The editor has checked the draft as it is and drawn what follows from the check: no
    check and no chrome update is waiting on its timer."""
    return ed.checked and ed._check_timer is None and ed._chrome_timer is None


async def wait_check(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until the editor (the top screen, or the one under a dialog) has checked the
    last edit and updated its panel, marks and stepper."""
    from screens.editor import EditorScreen

    await pilot.pause()  # an edit just made: its Changed message handled
    editors = [s for s in pilot.app.screen_stack if isinstance(s, EditorScreen)]
    if editors:
        await settle_until(pilot, lambda: check_settled(editors[-1]), timeout)


async def editor_ready(pilot: Pilot[Any], timeout: float = 30.0) -> EditorScreen:
    """Wait until the editor is on top and has checked the draft it opened (it checks after
    its first frame) and drawn what follows; the editor."""
    from screens.editor import EditorScreen

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, EditorScreen) and check_settled(screen)

    await settle_until(pilot, ready, timeout)
    return editor(pilot.app)  # type: ignore[arg-type]


async def overlay_open(pilot: Pilot[Any], select: Any) -> Any:
    """Open a Select's list and wait until it is laid out on screen; the list."""
    select.action_show_overlay()
    overlay = select.query_one("SelectOverlay")
    await settle_until(pilot, lambda: select.expanded and overlay.region.height > 0)
    await pilot.wait_for_scheduled_animations()
    return overlay


async def palette_search(pilot: Pilot[Any], query: str) -> None:
    """Type `query` into the open command palette and wait until its search has finished
    and the list shows what it found (or that nothing matches)."""
    from textual.command import CommandPalette
    from textual.widgets import Input

    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette), palette
    palette.query_one(Input).value = query
    await pilot.pause()  # Input.Changed handled: the search worker started

    def searching() -> bool:
        return any(w.node is palette and not w.is_finished for w in pilot.app.workers)

    await settle_until(pilot, lambda: not searching())


async def checked(pilot: Pilot[Any]) -> None:
    """Wait for the drafts home's checking thread (it fills the counts after the list)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- the editor in Pilot ----------------------------------------------------------------------


def make_app(folder: Path, guide: Guide, **kw: Any) -> WizardApp:
    from screens.app import WizardApp

    return WizardApp(folder, guide, clock=lambda: CLOCK, **kw)


def editor(app: WizardApp) -> EditorScreen:
    from screens.editor import EditorScreen

    screen = app.screen
    assert isinstance(screen, EditorScreen), screen
    return screen


@contextlib.asynccontextmanager
async def editing(
    folder: Path, guide: Guide, size: tuple[int, int] = (120, 40), **kw: Any
) -> AsyncIterator[tuple[WizardApp, Pilot[Any], EditorScreen]]:
    """The wizard run in Pilot with its editor on screen: a new draft (`new_direction=`) or
    a file (`open_path=`); the app, the pilot and the editor."""
    app = make_app(folder, guide, **kw)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot, editor(app)


def open_at(folder: Path, guide: Guide, draft: Draft, section: str, lang: str = "zh") -> WizardApp:
    """The wizard opening `draft`, saved as `folder`/draft.toml, at the top of `section`."""
    from screens.app import WizardApp

    draft.meta.last_section = section
    draft.meta.last_field = ""
    path = save_draft(draft, folder / "draft.toml", touch=False)
    return WizardApp(folder, guide, lang, open_path=path)


@contextlib.asynccontextmanager
async def at_section(
    folder: Path,
    guide: Guide,
    draft: Draft,
    section: str,
    lang: str = "zh",
    size: tuple[int, int] = (120, 40),
) -> AsyncIterator[tuple[Pilot[Any], EditorScreen]]:
    """`open_at` run in Pilot, its first frame drawn: the pilot (the app is `pilot.app`)
    and the editor."""
    app = open_at(folder, guide, draft, section, lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield pilot, editor(app)


def widget_for(ed: EditorScreen, pattern: str) -> Any:
    return ed.current_form.boxes[pattern].editor


async def put(
    pilot: Pilot[Any], ed: EditorScreen, pattern: str, value: Any, settle: bool = True
) -> None:
    """Set a field the way a user's edit would (one Changed message), then let it settle."""
    from textual.widgets import Checkbox, Input, Select, TextArea

    w = widget_for(ed, pattern)
    if isinstance(w, Input):
        w.value = value
    elif isinstance(w, TextArea):
        w.load_text(value)
    elif isinstance(w, Select):
        w.value = value
    elif isinstance(w, Checkbox):
        w.value = value
    if settle:
        await pilot.pause()


async def press_button(pilot: Pilot[Any], ed: EditorScreen, selector: str) -> None:
    from textual.widgets import Button

    button = ed.query_one(selector, Button)
    button.press()
    await pilot.pause()


def screen_text(app: WizardApp) -> str:
    """The screen's text, line by line, from the SVG screenshot (styles dropped)."""
    svg = app.export_screenshot()
    rows: dict[float, list[str]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="[\d.]+" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(m.group(1)), []).append(html.unescape(m.group(2)))
    return "\n".join("".join(parts).replace("\xa0", " ") for _, parts in sorted(rows.items()))


# -- a real `wizard` in a pseudo-terminal ----------------------------------------------------


def pty_app(argv: list[str], ctty: bool = False, cols: int = 110, rows: int = 32) -> Any:
    """The real `wizard` in bench's PtyApp; with `ctty` the pty is its controlling terminal."""
    from bench.pty_driver import PtyApp

    return PtyApp(
        [sys.executable, "-m", "wizard", *argv],
        cols,
        rows,
        cwd=str(ROOT),
        controlling_terminal=ctty,
    )


def close_app(app: Any) -> None:
    if app.master >= 0:
        app.close()
    elif app.process.poll() is None:
        os.killpg(app.process.pid, signal.SIGKILL)
        app.process.wait(timeout=10)


def typing_draft(
    tmp_path: Path, name: str = "sig.toml", code: str = "1.9", field: str = "project.title"
) -> Path:
    """A new draft that opens with the cursor in `field` of the project section."""
    draft = new_draft(code)
    draft.meta.last_section, draft.meta.last_field = "project", field
    return save_draft(draft, tmp_path / name)


# -- the command line ------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`wizard ARGV` in this process: its exit code, standard output and standard error."""
    from wizard.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the rules -------------------------------------------------------------------------------

CODES = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9",
         "2.0", "2.1", "2.2", "2.3", "2.4", "2.5"]  # fmt: skip


def by_rule(guide: Guide, violations: list[Violation], rule: str) -> list[Violation]:
    """The violations raised by requirements whose rule function is `rule`."""
    out = []
    for v in violations:
        req = guide.requirement(v.rule)
        if req is not None and (req.rule == rule or (rule == "attestation" and req.kind == rule)):
            out.append(v)
    return out


def check(guide: Guide, draft: Draft, rule: str) -> list[Violation]:
    return by_rule(guide, evaluate(draft, guide), rule)


# -- the v2 sections' snapshots (team, 课题, budget) --------------------------------------

# A resident ID whose check digit is wrong (its last character should be 6).
BAD_CHECK = "110105194912310021"

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def settle_snapshot(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


def v2_snapshot_app(guide: Guide, section: str, lang: str, name: str) -> WizardApp:
    import shutil
    import tempfile
    from datetime import datetime, timedelta, timezone
    from decimal import Decimal

    from screens.app import WizardApp
    from tests.factories import team_draft

    stamp = datetime(2020, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    folder = Path(tempfile.gettempdir()) / "wizard-snapshots-v2" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    draft = team_draft(guide, people=6, tasks=2)
    draft.team[2].id_type = "resident_id"
    draft.team[2].id_number = BAD_CHECK
    draft.tasks[0].content = "研究内容。"
    if section == "budget":  # a few amounts, by the guide's categories
        from wizard.draft import BudgetLine

        for n, category in enumerate(guide.form.categories[:5]):
            draft.tasks[0].budget[category.key] = BudgetLine(
                central=Decimal(10 * (n + 1)), own=Decimal(n) if n % 2 else None
            )
    draft.meta.created = draft.meta.updated = stamp
    draft.meta.last_section = section
    path = save_draft(draft, folder / "团队.toml", touch=False)
    return WizardApp(folder, guide, lang, open_path=path, clock=lambda: stamp)
