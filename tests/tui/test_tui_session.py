"""The editor on its session: an edit reaches the session inside the key's own handler (no
message hop between the form and the session), its check follows the frame that echoes the
key, and the forms never call the editor."""

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


async def test_an_edit_reaches_the_session_in_its_handler_and_the_panel_after_the_frame(
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
        seen: list[tuple[bool, bool, list[str]]] = []
        handler = field.on_edit  # type: ignore[attr-defined]

        def edited(widget: Any, text: Any) -> None:
            handler(widget, text)
            # Back from the key's handler: the draft and the session know, the check is due.
            state = (ed.draft.project.title == "", ed.session.check_due)
            seen.append((*state, [v.path for v in ed.problems.shown]))

        field.on_edit = edited  # type: ignore[attr-defined]
        field.value = ""
        await settle_until(pilot, lambda: bool(seen))
        emptied, due, _ = seen[0]
        assert emptied and due
        await settle_until(pilot, lambda: "project.title" in [v.path for v in ed.problems.shown])
        assert not ed.session.check_due


def test_no_form_calls_the_editor() -> None:
    forms = sorted((ROOT / "screens" / "forms").glob("*.py"))
    calls = [p.name for p in forms if "self.editor." in p.read_text("utf-8")]
    assert calls == []
