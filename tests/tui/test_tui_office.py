"""The research office's files from the terminal wizard: the review section's 导出 Word and
打包, the drafts home's 导出汇总表 (Excel)."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import openpyxl
from textual.widgets import Button

from screens.app import WizardApp
from screens.editor import EditorScreen
from screens.home import HomeScreen
from tests.conftest import settle_until
from tests.factories import clean_draft
from wizard.guide import Guide
from wizard.store import save_draft

CLOCK = datetime(2020, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def folder_with_draft(tmp_path: Path, guide: Guide) -> Path:
    """A clean 1.6 draft with its attachments on disk, recorded as attached."""
    draft = clean_draft(guide, "1.6")
    for i, item in enumerate(draft.attachments):
        data = f"scan {i}".encode()
        (tmp_path / item.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / item.path).write_bytes(data)
        item.sha256, item.size = hashlib.sha256(data).hexdigest(), len(data)
    path = tmp_path / "proj.toml"
    save_draft(draft, path)
    return path


def notices(app: WizardApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def open_review(pilot: Any, app: WizardApp) -> EditorScreen:
    await pilot.pause()
    editor = app.screen
    assert isinstance(editor, EditorScreen)
    await editor.show_section("review")
    await pilot.pause()
    return editor


async def test_review_exports_word_and_packs(tmp_path: Path, guide: Guide) -> None:
    path = folder_with_draft(tmp_path, guide)
    app = WizardApp(tmp_path, guide, open_path=path, clock=lambda: CLOCK)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_review(pilot, app)
        editor.query_one("#export-docx", Button).press()
        await settle_until(pilot, lambda: (tmp_path / "proj.docx").exists())
        assert (tmp_path / "proj.docx").read_bytes()[:2] == b"PK"
        assert "proj.docx" in notices(app)
        editor.query_one("#pack", Button).press()
        package = tmp_path / "proj.package.zip"
        await settle_until(pilot, package.exists)
        with zipfile.ZipFile(package) as archive:
            assert {"proj.toml", "proj.docx", "proj.html", "manifest.json"} <= set(
                archive.namelist()
            )
        assert "proj.package.zip" in notices(app)


async def test_pack_refused_with_the_reason(tmp_path: Path, guide: Guide) -> None:
    path = folder_with_draft(tmp_path, guide)
    changed = tmp_path / clean_draft(guide, "1.6").attachments[0].path
    changed.write_bytes(b"another scan")
    app = WizardApp(tmp_path, guide, open_path=path, clock=lambda: CLOCK)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_review(pilot, app)
        editor.query_one("#pack", Button).press()
        await settle_until(pilot, lambda: "未打包" in notices(app))
        assert changed.name in notices(app)
        assert not (tmp_path / "proj.package.zip").exists()


async def test_home_exports_the_summary_workbook(tmp_path: Path, guide: Guide) -> None:
    folder_with_draft(tmp_path, guide)
    app = WizardApp(tmp_path, guide, clock=lambda: CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("x")
        target = tmp_path / "汇总表.xlsx"
        await settle_until(pilot, lambda: "已导出汇总表" in notices(app))
        assert openpyxl.load_workbook(target).sheetnames == ["汇总", "问题", "人员", "单位"]
        commands = [name for name, _, _ in app.screen.palette_commands()]
        assert "导出汇总表 (Excel)" in commands
