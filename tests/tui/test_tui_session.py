"""The editor on its session: an edit reaches the problems panel inside the key's own handler
(no message hop between the form and the check), and the forms never call the editor."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from textual.widgets import Input

from tests.factories import clean_draft
from tests.helpers import editor_ready, settle_until
from wizard.guide import Guide
from wizard.session import CHECK_INTERVAL
from wizard.store import save_draft

ROOT = Path(__file__).resolve().parents[2]


async def test_an_edit_updates_the_problems_panel_within_its_own_handler(
    tmp_path: Path, guide: Guide
) -> None:
    from screens.app import WizardApp

    path = save_draft(clean_draft(guide, "1.9"), tmp_path / "a.toml")
    app = WizardApp(tmp_path, guide, open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        ed = await editor_ready(pilot)
        await settle_until(pilot, lambda: time.monotonic() > ed.session.last_check + CHECK_INTERVAL)
        ed.session.check_cost = 0.0  # a cheap check, as on an idle machine
        field = ed.current_form.boxes["project.title"].editor
        assert isinstance(field, Input)
        seen: list[list[str]] = []
        handler = field.on_edit  # type: ignore[attr-defined]

        def edited(widget: Any, text: Any) -> None:
            handler(widget, text)
            # Back from the key's handler: the panel already lists what the edit caused.
            seen.append([v.path for v in ed.problems.shown])

        field.on_edit = edited  # type: ignore[attr-defined]
        field.value = ""
        await settle_until(pilot, lambda: bool(seen))
        assert "project.title" in seen[0]


def test_no_form_calls_the_editor() -> None:
    forms = sorted((ROOT / "screens" / "forms").glob("*.py"))
    calls = [p.name for p in forms if "self.editor." in p.read_text("utf-8")]
    assert calls == []
