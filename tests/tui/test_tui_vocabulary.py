"""One vocabulary: every string on screen in the UI language, Textual's own too (issue 10, obs. 6).

The palette's prompt and system commands, the footer's keys, the problems panel, `wizard
check`, punctuation and English plural forms.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from tests.factories import clean_draft
from tests.helpers import (
    editing,
    make_app,
    overlay_open,
    palette_search,
    screen_text,
    settle_until,
    wait_check,
    widget_for,
)
from wizard.catalogue import label
from wizard.cli import main
from wizard.draft import Draft
from wizard.guide import Guide
from wizard.progress import section_of
from wizard.store import save_draft

# What Textual itself would show: its system commands, their help, its palette's prompt.
TEXTUAL_WORDS = (
    "Search for commands",
    "Keys",
    "Maximize",
    "Screenshot",
    "Theme",
    "Quit the application",
    "No matches found",
    "palette",
    "Dismiss menu",
    "Focus Next",
)


def more_central(draft: Draft, guide: Guide, extra: Decimal, units_too: bool = False) -> None:
    """`extra` more central funds in the first 课题 (its first direct category, from the
    guide), and in the lead unit's funding too when `units_too` (the sums still agree)."""
    line = draft.tasks[0].budget[guide.form.direct_keys[0]]
    line.central = (line.central or Decimal(0)) + extra
    if units_too:
        draft.units[0].funding = (draft.units[0].funding or Decimal(0)) + extra
        draft.h2020.cn_budget = Decimal(100000)  # 1.4: the Chinese H2020 budget covers it


def draft_file(
    tmp_path: Path, guide: Guide, code: str = "1.4", extra: Decimal = Decimal(0)
) -> Path:
    draft = clean_draft(guide, code)
    more_central(draft, guide, extra)
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    return path


async def open_palette(pilot: Pilot[Any], query: str = "") -> str:
    await pilot.press("ctrl+p")
    await settle_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await palette_search(pilot, query)
    return screen_text(pilot.app)  # type: ignore[arg-type]


async def search(pilot: Pilot[Any], query: str) -> str:
    await palette_search(pilot, query)
    return screen_text(pilot.app)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_palette_speaks_the_ui_language(tmp_path: Path, guide: Guide, lang: str) -> None:
    app = make_app(tmp_path, guide, lang=lang, open_path=draft_file(tmp_path, guide))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await open_palette(pilot)
        assert ("搜索命令…" if lang == "zh" else "Search for commands…") in shown
        if lang == "zh":
            for word in ("退出", "按键一览", "最大化", "截图", "浅色主题", "转到："):
                assert word in await search(pilot, word), word
            for word in ("Keys", "Maximize", "Quit", "Screenshot", "Theme"):
                shown = await search(pilot, word)
                assert "没有匹配的命令" in shown, word
                assert shown.count(word) == 1, word  # only in what was typed
        else:
            for word in ("Quit", "Keys", "Maximize", "Screenshot", "Light theme"):
                assert word in await search(pilot, word), word
            shown = await search(pilot, "Quit")
            assert "Save every change and leave the wizard" in shown  # ours, not Textual's
            assert "Quit the application" not in shown
        shown = await search(pilot, "xyzzyq")
        nothing = "没有匹配的命令" if lang == "zh" else "No command matches"
        assert nothing in shown
        assert "No matches found" not in shown


async def test_keys_command_lists_the_screens_keys_translated(tmp_path: Path, guide: Guide) -> None:
    app = make_app(tmp_path, guide, open_path=draft_file(tmp_path, guide))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await open_palette(pilot, "按键一览")
        await pilot.press("enter")
        await settle_until(
            pilot,
            lambda: not isinstance(app.screen, CommandPalette) and "上一节" in screen_text(app),
        )
        shown = screen_text(app)
        for words in ("按键一览", "上一节", "下一节", "下一项", "上一项", "退出向导", "命令"):
            assert words in shown, words
        for word in TEXTUAL_WORDS:
            assert word not in shown, word


async def footer_with(pilot: Pilot[Any], words: str) -> str:
    """The footer line, once it shows `words` (it is rebuilt after the keys change)."""

    def footer() -> str:
        return screen_text(pilot.app).splitlines()[-1]  # type: ignore[arg-type]

    await settle_until(pilot, lambda: words in footer())
    return footer()


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_footer_keys_in_the_ui_language(tmp_path: Path, guide: Guide, lang: str) -> None:
    """`^p palette` and, with a dropdown open, `esc Dismiss menu` were Textual's English."""
    async with editing(
        tmp_path, guide, lang=lang, open_path=draft_file(tmp_path, guide), size=(120, 40)
    ) as (_app, pilot, ed):
        footer = await footer_with(pilot, "^p ")
        assert ("^p 命令" if lang == "zh" else "^p Commands") in footer
        select = widget_for(ed, "project.field")
        select.focus()
        await pilot.pause()
        await overlay_open(pilot, select)
        footer = await footer_with(pilot, "esc ")
        assert ("esc 关闭列表" if lang == "zh" else "esc Close list") in footer
        for word in TEXTUAL_WORDS:
            assert word not in footer, word
        # The language switched while the editor is open: the app's keys follow.
        await pilot.press("escape")
        await ed.set_lang("en" if lang == "zh" else "zh")
        await pilot.pause()
        footer = await footer_with(pilot, "^p Commands" if lang == "zh" else "^p 命令")
        assert ("^p Commands" if lang == "zh" else "^p 命令") in footer


async def test_problems_panel_names_no_raw_ids(tmp_path: Path, guide: Guide) -> None:
    """The budget's own problem (its total) read `✗ budget` in the Chinese panel; in v2 the
    project's total is the 课题's (`tasks`)."""
    path = draft_file(tmp_path, guide, extra=Decimal("9999"))
    async with editing(tmp_path, guide, open_path=path, size=(120, 40)) as (app, pilot, ed):
        await wait_check(pilot)
        [v] = [v for v in ed.violations if v.path == "tasks"]
        await ed.show_section(section_of(v, guide))
        await wait_check(pilot)
        shown = screen_text(app)
        assert any(f"{icon} {label('tasks', 'zh')}" in shown for icon in "✗!i"), shown
        assert not any(f"{icon} tasks" in shown for icon in "✗!i"), shown


async def test_english_form_has_english_colon_and_singular(tmp_path: Path, guide: Guide) -> None:
    """`Direction：` (a Chinese full-width colon in English) and `1 warnings`."""
    draft = clean_draft(guide, "1.4")
    more_central(draft, guide, Decimal(1600), units_too=True)  # one warning: over the average
    path = tmp_path / "d.toml"
    save_draft(draft, path)
    async with editing(tmp_path, guide, lang="en", open_path=path, size=(120, 40)) as (
        app,
        pilot,
        ed,
    ):
        await ed.show_section("project")
        await wait_check(pilot)
        shown = screen_text(app)
        assert "Direction: 1.4" in shown
        assert "：" not in shown.split("Direction")[1].splitlines()[0]
        counts = [v.severity for v in ed.violations]
        assert counts.count("warning") == 1, ed.violations
        assert "1 warning ·" in shown
        assert "1 warnings" not in shown


def test_check_in_chinese_names_fields_and_clauses(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`wizard check` printed `budget  (budget)` and `↳ general 资金管理办法 …`."""
    draft_file(tmp_path, guide, extra=Decimal("9999"))
    main(["check", str(tmp_path)])
    out = capsys.readouterr().out
    assert "(budget)" not in out and "(tasks)" not in out
    assert f"tasks  ({label('tasks', 'zh')})" in out  # the project's total: the 课题's
    assert "↳ general" not in out
    assert "↳ 资金管理办法" in out
    assert "共拟支持经费：共拟支持经费" not in out


def test_check_in_english_says_one_warning(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.4")
    more_central(draft, guide, Decimal(1600), units_too=True)
    save_draft(draft, tmp_path / "d.toml")
    main(["check", str(tmp_path), "--lang", "en"])
    out = capsys.readouterr().out
    assert "1 warning," in out
    assert "1 warnings" not in out
