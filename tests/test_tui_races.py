"""Two races of the editor screen (issue 10, item 8), each provoked on purpose."""

from __future__ import annotations

import asyncio
from pathlib import Path

from screens.app import WizardApp
from screens.editor import EditorScreen
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.store import save_draft


async def _open(tmp_path: Path, guide: Guide) -> WizardApp:
    draft = new_draft("1.6")
    path = save_draft(draft, tmp_path / "race.toml")
    return WizardApp(tmp_path, guide, open_path=path)


async def test_chrome_update_while_a_new_section_mounts(tmp_path: Path, guide: Guide) -> None:
    """A check's chrome update (a timer) can run while a section's form is being mounted;
    it used to find `current` naming the new section and query its unmounted widgets
    (NoMatches, the app died)."""
    app = await _open(tmp_path, guide)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        ed.run_check()
        switch = asyncio.create_task(ed.show_section("units"))
        await asyncio.sleep(0)  # show_section runs up to the form's mount
        ed.update_chrome()  # as the chrome timer would, mid-mount
        ed.run_check()
        await switch
        await pilot.pause()
        assert ed.current == "units"
        assert app.is_running


async def test_editor_batch_uses_textuals_lock(tmp_path: Path, guide: Guide) -> None:
    """`EditorScreen.lock` (the draft lock) shadowed Textual's widget lock, so `batch()` —
    which Textual and widgets use to group updates — raised TypeError."""
    app = await _open(tmp_path, guide)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ed = app.screen
        assert isinstance(ed, EditorScreen)
        async with ed.batch():
            ed.update_chrome()
        assert ed.draft_lock is not None and ed.draft_lock.held
