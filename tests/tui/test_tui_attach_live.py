"""附件: a file changed or removed on disk after it was attached shows in the problems panel
and the form while the editor is open (wizard.filestate, read in the background)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from screens.editor import EditorScreen
from tests.conftest import settle_until
from tests.factories import v2_draft
from tests.helpers import at_section
from wizard.draft import Attachment, Draft
from wizard.filestate import FileStates
from wizard.guide import Guide

KEY = "cooperation_agreement"
SCAN = b"%PDF-1.4 cooperation agreement, signed"


@pytest.fixture(autouse=True)
def _quick_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor looks at the files every POLL_INTERVAL seconds: a fraction of it here."""
    monkeypatch.setattr("screens.session_screen.POLL_INTERVAL", 0.2)


def state_line(ed: EditorScreen) -> str:
    return str(ed.query_one(f"#att-state-{KEY}", Static).render())


def file_problems(ed: EditorScreen) -> list[str]:
    """The problems of the attachment's file (its path or its content) the panel lists."""
    return [
        v.message_en
        for v in ed.violations
        if v.path.startswith("attachments[") and v.path.endswith((".path", ".sha256"))
    ]


def panel_text(ed: EditorScreen) -> str:
    panel = ed.problems.violation_list
    return "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))


def scan_attached(tmp_path: Path, guide: Guide) -> tuple[Path, Draft]:
    """The scan on disk, and a 1.2 draft that records it as attached (size and SHA-256)."""
    scan = tmp_path / "协议.pdf"
    scan.write_bytes(SCAN)
    draft = v2_draft(guide, "1.2")
    draft.attachments.append(
        Attachment(
            key=KEY, path="协议.pdf", size=len(SCAN), sha256=hashlib.sha256(SCAN).hexdigest()
        )
    )
    return scan, draft


async def attach(pilot: object, ed: EditorScreen, path: str) -> None:
    field = ed.query_one(f"#att-path-{KEY}", Input)
    field.value = path
    ed.query_one(f"#att-attach-{KEY}", Button).press()
    await settle_until(pilot, lambda: "✓" in state_line(ed))


async def test_a_file_changed_after_attaching_shows_in_the_panel(
    tmp_path: Path, guide: Guide
) -> None:
    scan = tmp_path / "协议.pdf"
    scan.write_bytes(SCAN)
    async with at_section(tmp_path, guide, v2_draft(guide, "1.2"), "attachments", "en") as (
        pilot,
        ed,
    ):
        await attach(pilot, ed, "协议.pdf")
        await settle_until(pilot, lambda: ed.checked and not file_problems(ed))
        # Changed on disk, same size: no key pressed, no section switched.
        scan.write_bytes(SCAN.upper())
        os.utime(scan, ns=(1_600_000_000 * 10**9,) * 2)
        await settle_until(pilot, lambda: bool(file_problems(ed)))
        [message] = file_problems(ed)
        assert "changed after it was attached" in message
        await settle_until(pilot, lambda: "changed since attached" in state_line(ed))
        assert "changed after it was attached" in panel_text(ed)
        # Seen from another section too: removed while the project section is shown.
        await ed.show_section("project")
        scan.unlink()
        await settle_until(pilot, lambda: any("no longer there" in m for m in file_problems(ed)))
        assert ed.current == "project"
        await ed.show_section("attachments")
        await settle_until(pilot, lambda: "file missing" in state_line(ed))
        # Put back as attached: the problem goes.
        scan.write_bytes(SCAN)
        await settle_until(pilot, lambda: not file_problems(ed))
        await settle_until(pilot, lambda: "✓ unchanged" in state_line(ed))


async def test_a_file_changed_on_disk_shows_without_ever_visiting_the_section(
    tmp_path: Path, guide: Guide
) -> None:
    """From open, whichever section is shown: no key, no visit to 附件."""
    scan, draft = scan_attached(tmp_path, guide)
    async with at_section(tmp_path, guide, draft, "project", "en") as (pilot, ed):
        await settle_until(pilot, lambda: ed.checked and not file_problems(ed))
        await settle_until(pilot, lambda: "协议.pdf" in ed.session.files.known)
        scan.write_bytes(SCAN.upper())
        os.utime(scan, ns=(1_600_000_000 * 10**9,) * 2)
        await settle_until(pilot, lambda: bool(file_problems(ed)))
        assert "changed after it was attached" in file_problems(ed)[0]
        assert ed.current == "project" and "attachments" not in ed.forms


async def test_unchanged_files_stay_ok_and_are_not_read_again(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wizard.attachments

    scan, draft = scan_attached(tmp_path, guide)
    os.utime(scan, ns=(1_600_000_000 * 10**9,) * 2)  # long ago: not racy
    reads: list[str] = []
    real = wizard.attachments.file_state

    def counted(folder: Path | str, path: str) -> wizard.attachments.FileState:
        reads.append(path)
        return real(folder, path)

    monkeypatch.setattr(wizard.attachments, "file_state", counted)
    stats: list[bool] = []
    update = FileStates.update

    def stat_counted(self: FileStates, paths: Iterable[str], force: bool = False) -> bool:
        if force:
            stats.append(True)
        return update(self, paths, force)

    monkeypatch.setattr(FileStates, "update", stat_counted)
    async with at_section(tmp_path, guide, draft, "attachments") as (pilot, ed):
        await settle_until(pilot, lambda: "✓ 未改动" in state_line(ed))
        await settle_until(pilot, lambda: ed.checked and not ed.session.files.busy)
        assert not file_problems(ed)
        # Several polls later (each a stat): still fine, and the file was read once.
        polls = len(stats)
        await settle_until(pilot, lambda: len(stats) >= polls + 5)
        assert not file_problems(ed) and "✓ 未改动" in state_line(ed)
        assert reads == ["协议.pdf"]


async def test_a_missing_file_shows_at_the_first_check_without_visiting_the_section(
    tmp_path: Path, guide: Guide
) -> None:
    draft = v2_draft(guide, "1.2")
    draft.attachments = [Attachment(key=KEY, path="gone.pdf", size=3, sha256="0" * 64)]
    async with at_section(tmp_path, guide, draft, "project") as (pilot, ed):
        await settle_until(pilot, lambda: ed.checked)
        assert any("已不存在" in v.message_zh for v in ed.violations)
        assert "attachments" not in ed.forms


async def test_a_long_folder_path_is_shortened_in_its_middle_not_wrapped(
    tmp_path: Path, guide: Guide
) -> None:
    from screens.forms.attachments import FolderLine

    folder = tmp_path / "申报材料-2020-中瑞政府间合作" / "a-rather-long-folder-name-for-drafts"
    folder.mkdir(parents=True)
    async with at_section(folder, guide, v2_draft(guide, "1.2"), "attachments", size=(80, 24)) as (
        pilot,
        ed,
    ):
        line = ed.query_one("#att-folder", FolderLine)
        await settle_until(pilot, lambda: line.size.width > 0)
        shown = str(line.render())
        assert line.size.height == 1 and "…" in shown
        assert shown.startswith(str(folder)[:4]) and shown.endswith("drafts")
        assert line.tooltip == str(folder)  # the whole path, on hover


def test_middle_ellipsis_keeps_both_ends_in_the_width() -> None:
    from rich.cells import cell_len

    from screens.forms.attachments import middle_ellipsis

    assert middle_ellipsis("/home/a/drafts", 14) == "/home/a/drafts"  # fits: whole
    short = middle_ellipsis("/home/用户/申报材料/中瑞合作/草稿", 16)
    assert cell_len(short) <= 16 and short.startswith("/home/") and short.endswith("/草稿")
    cut = middle_ellipsis("/srv/projects/2020/intergovernmental/drafts", 24)
    assert cell_len(cut) <= 24 and cut.endswith("/drafts") and "…" in cut


async def test_marking_ready_judges_every_attached_file_even_one_still_being_read(
    tmp_path: Path, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file being read is not judged by the check; marking the draft ready waits for the
    reads, so a file changed on disk cannot slip through (EditSession.read_all_files)."""
    import time

    import wizard.attachments

    scan, draft = scan_attached(tmp_path, guide)
    real = wizard.attachments.file_state
    slow_disk: list[bool] = []

    def read(folder: Path | str, path: str) -> wizard.attachments.FileState:
        if slow_disk:
            time.sleep(0.5)  # a large scan on a slow disk
        return real(folder, path)

    monkeypatch.setattr(wizard.attachments, "file_state", read)
    async with at_section(tmp_path, guide, draft, "review", "en") as (pilot, ed):
        await settle_until(pilot, lambda: "协议.pdf" in ed.session.files.known)
        slow_disk.append(True)
        scan.write_bytes(SCAN.upper())  # same size, other bytes, just before Mark ready
        os.utime(scan, ns=(1_600_000_000 * 10**9,) * 2)
        ed.action_mark_ready()
        assert any("changed after it was attached" in m for m in file_problems(ed))
        assert ed.draft.meta.status == "draft"
