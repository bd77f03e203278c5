"""A key is drawn before the check it starts (issue 15, Speed): the frame that echoes a typed
character does not wait for the rules and the problems panel; the panel follows in the next
frame. bench/tui.py measures the same with the real `wizard` in a pty (key → echo, key →
problems panel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import wizard.rules as rules_module
from tests.helpers import editing, settle_until, typing_draft
from wizard.guide import Guide


async def test_the_edit_handler_leaves_the_check_to_after_the_frame(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handler itself must not check: in a terminal the frame that draws the key waits
    for it (≈ 5 ms more per key on a large draft). Pilot may draw before the change handler
    runs either way, so the order of frame and check is not what is asserted here; the pty
    figures of bench/tui.py measure that."""
    path = typing_draft(tmp_path, "echo.toml", "1.6", "project.title")
    async with editing(tmp_path, guide, open_path=path) as (_app, pilot, ed):
        await settle_until(pilot, lambda: ed.checked)
        await pilot.pause(0.2)  # a quiet spell: the next edit is checked at once
        checks: list[int] = []
        original_evaluate = rules_module.evaluate

        def evaluate(*args: Any, **kwargs: Any) -> Any:
            checks.append(1)
            return original_evaluate(*args, **kwargs)

        monkeypatch.setattr(rules_module, "evaluate", evaluate)
        form = ed.current_form
        field = form.boxes["project.title"].editor
        form._edited(field, "新标题")  # what Input.Changed calls
        assert ed.draft.project.title == "新标题"
        assert checks == [], "the check ran inside the key's own handler"
        await settle_until(pilot, lambda: bool(checks))
        assert len(checks) == 1 and not ed.session.check_due
