"""Two races of the editor screen (issue 10, item 8), each provoked on purpose."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.helpers import editing, settle_until
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.store import save_draft


def _draft(tmp_path: Path) -> Path:
    return save_draft(new_draft("1.6"), tmp_path / "race.toml")


async def test_chrome_update_while_a_new_section_mounts(tmp_path: Path, guide: Guide) -> None:
    """A check's chrome update (a timer) can run while a section's form is being mounted;
    it used to find `current` naming the new section and query its unmounted widgets
    (NoMatches, the app died)."""
    async with editing(tmp_path, guide, open_path=_draft(tmp_path)) as (app, pilot, ed):
        ed.run_check()
        switch = asyncio.create_task(ed.show_section("units"))
        # One time-slice, no more: show_section runs up to the form's mount, and the chrome
        # update below lands mid-mount (the interleaving is what is tested).
        await asyncio.sleep(0)
        ed.update_chrome()  # as the chrome timer would, mid-mount
        ed.run_check()
        await switch
        await pilot.pause()
        assert ed.current == "units"
        assert app.is_running


async def test_editor_batch_uses_textuals_lock(tmp_path: Path, guide: Guide) -> None:
    """`EditorScreen.lock` (the draft lock) shadowed Textual's widget lock, so `batch()` —
    which Textual and widgets use to group updates — raised TypeError."""
    async with editing(tmp_path, guide, open_path=_draft(tmp_path)) as (_app, _pilot, ed):
        async with ed.batch():
            ed.update_chrome()
        assert ed.draft_lock is not None and ed.draft_lock.held


async def test_a_dear_check_never_runs_in_the_keys_own_handler(
    tmp_path: Path, guide: Guide
) -> None:
    """Hundreds of units make a check cost more than a frame; the key is then drawn first
    and the check follows (issue 11, item 8: keys stay under a frame)."""
    from textual.widgets import Input

    async with editing(tmp_path, guide, open_path=_draft(tmp_path)) as (_app, pilot, ed):
        ed.run_check()
        ed.session.check_cost = 0.05  # as measured after a check of a very large draft
        ed.session.last_check = 0.0  # long quiet: a cheap check would run inline now
        checks: list[int] = []
        original = ed.run_check

        def counting(typing: bool = False) -> None:
            checks.append(1)
            original(typing)

        ed.run_check = counting  # type: ignore[method-assign]
        title = ed.current_form.boxes["project.title"].editor
        assert isinstance(title, Input)
        title.value = "大"
        assert checks == []  # not in the handler
        await settle_until(pilot, lambda: bool(checks) and ed._check_timer is None)
        assert checks == [1]  # but soon after, once
        assert ed.draft.project.title == "大"
