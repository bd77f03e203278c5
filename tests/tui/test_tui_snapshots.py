"""Snapshot tests of every screen, in Chinese and English, at 80×24 and 120×40.

Deterministic: fixed drafts folder paths, fixed meta.updated, no clock-dependent text.
Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import inspect
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.app import WizardApp
from tests.factories import clean_draft, write_attachments
from wizard.draft import Draft
from wizard.guide import Guide
from wizard.store import save_draft

STAMP = datetime(2020, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
ROOT = Path(tempfile.gettempdir()) / "wizard-snapshots"

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def sample_draft(guide: Guide, code: str = "1.4") -> Draft:
    """A mostly filled draft in Chinese with a few problems left to show."""
    draft = clean_draft(guide, code)
    draft.project.title = "面向碳中和的新型储能材料联合研究"
    draft.project.title_en = "Joint research on energy-storage materials for carbon neutrality"
    draft.units[1].name = "中国科学院大连化学物理研究所"
    if len(draft.units) > 2:
        draft.units[2].name = "宁德时代新能源科技股份有限公司"
        draft.units[2].matching = Decimal("3")
    leader = draft.leader
    assert leader is not None
    leader.months_per_year = 4
    leader.name = "李明"
    draft.tasks[0].leader = "李明"
    draft.partner.institutions[0].contact = ""
    draft.attest.pop(next(iter(draft.attest)))
    # 其他支出 (the guide's last direct category) without its 测算依据.
    other = draft.tasks[0].budget[guide.form.direct_keys[-1]]
    other.central, other.basis = Decimal("2"), ""
    draft.meta.created = STAMP
    draft.meta.updated = STAMP
    return draft


def folder(name: str) -> Path:
    path = ROOT / name
    # A fixed path (the home shows the folder); exist_ok: two test runs on one machine
    # (worktrees) may make it at the same moment.
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


def app_for(
    guide: Guide, name: str, lang: str, section: str | None = None, code: str = "1.4"
) -> WizardApp:
    drafts = folder(name)
    draft = sample_draft(guide, code)
    path = drafts / "储能材料.toml"
    if section is not None:
        draft.meta.last_section = section
        draft.meta.last_field = ""
    save_draft(draft, path, touch=False)
    write_attachments(draft, drafts)  # the files it records, as attached
    empty = sample_draft(guide, "1.6")
    empty.project.title = "中瑞 [b]合作[/b] 项目"
    empty.meta.status = "draft"
    save_draft(empty, drafts / "sweden.toml", touch=False)
    (drafts / "broken.toml").write_text("schema_version = 1\n[project]\ntitle = 3\n")
    return WizardApp(
        drafts,
        guide,
        lang,
        open_path=path if section is not None else None,
        clock=lambda: STAMP,
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Let the screen settle; stop cursor blinking so the picture does not depend on timing."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the drafts home's checking thread
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


SECTIONS = ["project", "units", "partner", "h2020", "enterprises", "budget", "attest", "review"]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("section", SECTIONS)
def test_section(snap_compare: Any, guide: Guide, section: str, lang: str, size: str) -> None:
    app = app_for(guide, f"{section}-{lang}-{size}", lang, section)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home(snap_compare: Any, guide: Guide, lang: str, size: str) -> None:
    app = app_for(guide, f"home-{lang}-{size}", lang)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_picker(snap_compare: Any, guide: Guide, lang: str, size: str) -> None:
    app = app_for(guide, f"picker-{lang}-{size}", lang)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one("Input").value = "1.4" if lang == "zh" else "eu"
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run)


Step = Callable[[Pilot[Any]], Any]  # an action on the app; awaited if it returns an awaitable

# A screen after some steps: (drafts folder, language, section opened or the home, size, steps).
SCENES: dict[str, tuple[str, str, str | None, tuple[int, int], tuple[Step, ...]]] = {
    "delete_confirm_zh": ("delete-zh", "zh", None, (80, 24), (lambda p: p.press("d"),)),
    "switch_direction_warning_en": (
        "switch-en", "en", "project", (120, 40), (lambda p: p.app.screen.confirm_switch("1.6"),),
    ),
    "all_problems_with_clauses_zh_120": (
        "problems-zh", "zh", "units", (120, 40), (lambda p: p.press("f4", "f3"),),
    ),
    "field_help_en": (
        "help-en", "en", "team", (120, 40),
        (lambda p: p.app.screen.goto_path("team[0].months_per_year"), lambda p: p.press("f1")),
    ),
}  # fmt: skip


@pytest.mark.parametrize("scene", SCENES)
def test_scene(snap_compare: Any, guide: Guide, scene: str) -> None:
    name, lang, section, size, steps = SCENES[scene]
    app = app_for(guide, name, lang, section)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for step in steps:
            done = step(pilot)
            if inspect.isawaitable(done):
                await done
            await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)
