"""wizard.attachments: what is on disk at an attachment's path, for the rules to judge."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.factories import clean_draft
from wizard.attachments import file_state, states
from wizard.guide import Guide
from wizard.rules import evaluate


def test_state_of_a_file(tmp_path: Path) -> None:
    data = b"x" * (3 << 20)  # read in several chunks
    (tmp_path / "a.pdf").write_bytes(data)
    state = file_state(tmp_path, "a.pdf")
    assert state.problem == "" and state.size == len(data)
    assert state.sha256 == hashlib.sha256(data).hexdigest()


def test_missing_file(tmp_path: Path) -> None:
    assert file_state(tmp_path, "none.pdf").problem == "missing"


def test_symlink_and_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "real.pdf").write_bytes(b"1")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "real.pdf")
    (tmp_path / "folder").mkdir()
    assert file_state(tmp_path, "link.pdf").problem == "not_regular"
    assert file_state(tmp_path, "folder").problem == "not_regular"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    assert file_state(tmp_path, "pipe").problem == "not_regular"


def test_states_feed_the_rule_end_to_end(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    (tmp_path / "attachments").mkdir()
    for a in draft.attachments:
        data = f"scan of {a.key}".encode()
        (tmp_path / a.path).write_bytes(data)
        a.sha256, a.size = hashlib.sha256(data).hexdigest(), len(data)
    found = states(draft, tmp_path)
    assert set(found) == {a.path for a in draft.attachments}
    assert not [v for v in evaluate(draft, guide, found) if v.rule == "gen-attachments"]
    (tmp_path / draft.attachments[0].path).write_bytes(b"changed")
    (tmp_path / draft.attachments[1].path).unlink()
    found = states(draft, tmp_path)
    paths = {v.path for v in evaluate(draft, guide, found) if v.rule == "gen-attachments"}
    assert paths == {"attachments[0].sha256", "attachments[1].path"}


@pytest.mark.parametrize("path", ["/etc/passwd", "../x.pdf", "a/../../x.pdf", "C:\\x.pdf"])
def test_paths_outside_the_folder_are_not_read(tmp_path: Path, path: str) -> None:
    assert file_state(tmp_path, path).problem == "outside"


def test_outside_path_is_reported(tmp_path: Path, guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.attachments[0].path = "../elsewhere.pdf"
    found = states(draft, tmp_path)
    [v] = [
        v
        for v in evaluate(draft, guide, found)
        if v.rule == "gen-attachments" and v.path == "attachments[0].path"
    ]
    assert "不在申报书所在文件夹内" in v.message_zh
