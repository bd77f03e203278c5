"""The editor's attachment file states (wizard.filestate): a stat-keyed cache, files read in a
thread only when their stat changed, what a check is given."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from wizard.attachments import FileState, file_state
from wizard.filestate import RACY_NS, FileStates, attached_paths, read, stat_key

OLD = 1_600_000_000_000_000_000  # an mtime long past: not racy


def write(path: Path, data: bytes, mtime_ns: int = OLD) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, ns=(mtime_ns, mtime_ns))


class Counting:
    """file_state, counting the files it reads (and on which thread)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.threads: set[str] = set()

    def __call__(self, folder: Path, path: str) -> FileState:
        self.paths.append(path)
        self.threads.add(threading.current_thread().name)
        return file_state(folder, path)


def settled(files: FileStates, paths: list[str]) -> bool:
    """Stat, let the thread read what changed, take it in; True if `known` changed."""
    changed = files.update(paths, force=True)
    assert files.wait()
    return files.update(paths) or changed


def test_a_file_is_read_once_while_its_stat_is_unchanged(tmp_path: Path) -> None:
    write(tmp_path / "a.pdf", b"%PDF agreement")
    reader = Counting()
    files = FileStates(tmp_path, reader=reader)
    assert files.update(["a.pdf"]) is False  # nothing known yet: the rules say nothing
    assert files.state("a.pdf") is None and files.pending("a.pdf")
    assert files.wait()
    assert files.update(["a.pdf"]) is True  # taken in by the next update (check)
    state = files.state("a.pdf")
    assert state is not None and not state.problem
    assert state.sha256 == hashlib.sha256(b"%PDF agreement").hexdigest()
    assert state.size == len(b"%PDF agreement")
    for _ in range(3):
        assert settled(files, ["a.pdf"]) is False
    assert reader.paths == ["a.pdf"]
    assert reader.threads == {"wizard-files_0"}  # never on the caller's thread
    files.close()


def test_a_changed_mtime_reads_the_file_again(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write(target, b"one")
    files = FileStates(tmp_path)
    settled(files, ["a.pdf"])
    first = files.state("a.pdf")
    write(target, b"two", OLD + 10**9)
    assert files.update(["a.pdf"], force=True) is True  # the old state is no longer known
    assert files.state("a.pdf") is None
    assert files.wait() and files.update(["a.pdf"])
    second = files.state("a.pdf")
    assert first is not None and second is not None
    assert second.sha256 == hashlib.sha256(b"two").hexdigest() != first.sha256
    files.close()


def test_same_size_other_content_is_seen_even_with_the_mtime_put_back(tmp_path: Path) -> None:
    """Same size, and the mtime restored (touch -r): the inode's ctime still changed."""
    target = tmp_path / "scan.pdf"
    write(target, b"AAAA")
    files = FileStates(tmp_path)
    settled(files, ["scan.pdf"])
    before = stat_key(tmp_path, "scan.pdf")
    with open(target, "r+b") as f:
        f.write(b"BBBB")
    os.utime(target, ns=(OLD, OLD))
    after = stat_key(tmp_path, "scan.pdf")
    assert after[3:5] == before[3:5]  # size and mtime as they were
    if after == before:
        pytest.skip("this filesystem's ctime did not move")
    assert settled(files, ["scan.pdf"]) is True
    state = files.state("scan.pdf")
    assert state is not None and state.sha256 == hashlib.sha256(b"BBBB").hexdigest()
    files.close()


def test_a_removed_file_is_missing_at_once_without_reading(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "a.pdf", b"x")
    reader = Counting()
    files = FileStates(tmp_path, reader=reader)
    settled(files, ["sub/a.pdf"])
    (tmp_path / "sub" / "a.pdf").unlink()
    assert files.update(["sub/a.pdf"], force=True) is True  # no thread needed to know
    state = files.state("sub/a.pdf")
    assert state is not None and state.problem == "missing"
    assert reader.paths == ["sub/a.pdf"]
    # The folder gone as well, or a file where a folder was: missing too.
    (tmp_path / "sub").rmdir()
    (tmp_path / "sub").write_bytes(b"")
    files.update(["sub/a.pdf"], force=True)
    assert files.state("sub/a.pdf") == FileState("sub/a.pdf", "missing")
    # Put back: read again.
    (tmp_path / "sub").unlink()
    write(tmp_path / "sub" / "a.pdf", b"back")
    assert settled(files, ["sub/a.pdf"]) is True
    back = files.state("sub/a.pdf")
    assert back is not None and back.sha256 == hashlib.sha256(b"back").hexdigest()
    files.close()


def test_a_link_is_not_a_regular_file_and_relinking_is_seen(tmp_path: Path) -> None:
    write(tmp_path / "real.pdf", b"real")
    write(tmp_path / "other.pdf", b"other")
    (tmp_path / "link.pdf").symlink_to("real.pdf")
    files = FileStates(tmp_path)
    settled(files, ["link.pdf"])
    state = files.state("link.pdf")
    assert state is not None and state.problem == "not_regular"
    # The link's target changing does not matter (it is refused either way); the link
    # replaced by the file itself does.
    (tmp_path / "link.pdf").unlink()
    write(tmp_path / "link.pdf", b"now a file")
    assert settled(files, ["link.pdf"]) is True
    state = files.state("link.pdf")
    assert state is not None and not state.problem


def test_paths_outside_the_folder_are_never_stat(tmp_path: Path) -> None:
    reader = Counting()
    files = FileStates(tmp_path / "drafts", reader=reader)
    files.update(["../secret.pdf", "/etc/passwd"], force=True)
    assert files.state("../secret.pdf") == FileState("../secret.pdf", "outside")
    assert files.state("/etc/passwd") == FileState("/etc/passwd", "outside")
    assert reader.paths == [] and not files.busy


def test_stat_at_most_every_interval_unless_forced(tmp_path: Path) -> None:
    write(tmp_path / "a.pdf", b"a")
    clock = [100.0]
    files = FileStates(tmp_path, interval=3.0, monotonic=lambda: clock[0])
    settled(files, ["a.pdf"])
    (tmp_path / "a.pdf").unlink()
    assert files.update(["a.pdf"]) is False  # within the interval: not looked at
    clock[0] += 3.0
    assert files.update(["a.pdf"]) is True
    state = files.state("a.pdf")
    assert state is not None and state.problem == "missing"


def test_a_file_changed_while_read_is_not_trusted(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write(target, b"first")

    def changing(folder: Path, path: str) -> FileState:
        state = file_state(folder, path)
        write(target, b"second!", OLD + 5 * 10**9)  # written while it was being read
        return state

    reading = read(tmp_path, "a.pdf", changing)
    assert reading.key is None
    files = FileStates(tmp_path, background=False)
    assert files.accept(reading) is False and files.state("a.pdf") is None
    files.update(["a.pdf"], force=True)  # the next stat reads it again
    files.update(["a.pdf"])
    state = files.state("a.pdf")
    assert state is not None and state.sha256 == hashlib.sha256(b"second!").hexdigest()


def test_a_reading_is_taken_only_if_the_file_is_still_as_read(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write(target, b"as attached")
    reading = read(tmp_path, "a.pdf")
    files = FileStates(tmp_path, background=False)
    write(target, b"changed since", OLD + 10**9)
    assert files.accept(reading) is False and files.state("a.pdf") is None
    assert files.accept(read(tmp_path, "a.pdf")) is True
    state = files.state("a.pdf")
    assert state is not None and state.sha256 == hashlib.sha256(b"changed since").hexdigest()


def test_a_racy_file_is_read_once_more_when_it_has_aged(tmp_path: Path) -> None:
    """Modified just before it was read: the same stat key could hide a second change
    (timestamps are coarse), so the next stat reads it again, once."""
    write(tmp_path / "a.pdf", b"AAAA")
    now = [OLD + RACY_NS // 2]  # read half the racy window after its mtime
    reader = Counting()
    files = FileStates(tmp_path, reader=reader, now_ns=lambda: now[0], background=False)
    files.update(["a.pdf"], force=True)
    files.update(["a.pdf"])
    assert files.state("a.pdf") is not None and reader.paths == ["a.pdf"]
    key = stat_key(tmp_path, "a.pdf")
    now[0] = OLD + 10 * RACY_NS
    files.update(["a.pdf"], force=True)  # same stat key, but racy: read again
    assert files.state("a.pdf") is not None  # still shown while read again
    files.update(["a.pdf"])
    assert reader.paths == ["a.pdf", "a.pdf"]
    for _ in range(3):  # aged: no more reading while nothing changes
        files.update(["a.pdf"], force=True)
    assert reader.paths == ["a.pdf", "a.pdf"] and stat_key(tmp_path, "a.pdf") == key


def test_a_2_gib_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.truncate(2 * 1024**3)  # sparse: no disk used
    files = FileStates(tmp_path)
    settled(files, ["big.pdf"])
    state = files.state("big.pdf")
    assert state is not None and state.problem == "too_large"
    assert state.size == 2 * 1024**3
    files.close()


def test_the_wake_up_is_called_from_the_thread(tmp_path: Path) -> None:
    write(tmp_path / "a.pdf", b"a")
    woken = threading.Event()
    files = FileStates(tmp_path)
    files.on_read = woken.set
    files.update(["a.pdf"], force=True)
    assert woken.wait(5)
    assert files.update(["a.pdf"]) is True
    files.close()
    assert files.on_read is None


def test_attached_paths_are_those_with_a_recorded_file() -> None:
    from wizard.draft import Attachment, Draft

    draft = Draft.model_validate({"direction": "1.2"})
    draft.attachments = [
        Attachment(key="a", path=" a.pdf ", sha256="0" * 64, size=1),
        Attachment(key="b", path="typed-only.pdf"),
        Attachment(key="c", not_applicable=True, note="n/a"),
    ]
    assert attached_paths(draft) == ["a.pdf"]
