"""Snapshots of the v2 parts (issue 15) in Chinese and English, at 80×24 and 120×40: the grown
project and partner forms, 考核指标, 进度安排, 申报书正文 and 附件.
Regenerate with `pytest tests/test_tui_v2_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from screens.app import WizardApp
from screens.editor import EditorScreen
from tests.conftest import settle_until
from tests.factories import v2_draft
from wizard.draft import Attachment, Stage
from wizard.filestate import attached_paths
from wizard.guide import Guide
from wizard.store import save_draft

STAMP = datetime(2020, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
ROOT = Path(tempfile.gettempdir()) / "wizard-snapshots-v2"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
SCAN = b"%PDF-1.4 cooperation agreement"

# section → (direction, the field shown first: the new ones, so the picture shows them)
CASES = {
    "project": ("1.6", "recommender.name"),
    "partner": ("1.2", "partner.lead.name"),
    "targets": ("1.6", ""),
    "plan": ("1.6", ""),
    "narrative": ("1.6", ""),
    "attachments": ("1.2", ""),
}


def app_for(guide: Guide, section: str, lang: str, size: str) -> WizardApp:
    code, field = CASES[section]
    folder = ROOT / f"{section}-{lang}-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    draft = v2_draft(guide, code)
    draft.recommender.name = "上海市科学技术委员会"
    draft.recommender.kind = "local"
    draft.contact.name = "王五"
    draft.partner.lead.name = "Dr. Ana Pérez"
    draft.partner.contribution = "外方提供测试平台与数据。"
    draft.plan = [Stage(year=2, content="完成材料合成与中期检查。")]
    draft.narrative["status"] = "储能材料的国内外研究现状。"
    (folder / "协议.pdf").write_bytes(SCAN)
    draft.attachments = [
        Attachment(
            key="cooperation_agreement",
            path="协议.pdf",
            size=len(SCAN),
            sha256=hashlib.sha256(SCAN).hexdigest(),
            attached=STAMP,
        )
    ]
    draft.meta.created = draft.meta.updated = STAMP
    draft.meta.last_section = section
    draft.meta.last_field = field
    path = save_draft(draft, folder / "储能材料.toml", touch=False)
    return WizardApp(folder, guide, lang, open_path=path, clock=lambda: STAMP)


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    screen = pilot.app.screen
    if isinstance(screen, EditorScreen) and "attachments" in screen.forms:
        # The attachments' files read and taken in (the form takes them in as they come).
        files = screen.session.files
        paths = attached_paths(screen.draft)
        await settle_until(pilot, lambda: all(files.state(p) for p in paths) and not files.busy)
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
        if isinstance(widget, TextArea):
            # A line drawn in the blink's "off" phase is cached under the key a cursor that
            # does not blink uses: drop the cache so the cursor is drawn, whatever the phase.
            widget.notify_style_update()
            widget.refresh()
    await pilot.pause()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("section", list(CASES))
def test_v2_section(snap_compare: Any, guide: Guide, section: str, lang: str, size: str) -> None:
    app = app_for(guide, section, lang, size)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=settle)
