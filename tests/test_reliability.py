"""Nothing lost, nothing let in: kills mid-save, locks, hostile files, paths, offline."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import socket
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import clean_draft
from wizard.cli import main
from wizard.display import printable
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.lock import DraftLock, DraftLocked
from wizard.store import (
    TRASH_DIR,
    DraftError,
    draft_files,
    duplicate_draft,
    load_draft,
    move_to_trash,
    parse_draft,
    rename_draft,
    save_draft,
    sweep_temp_files,
)

KILLS = int(os.environ.get("WIZARD_KILLS", "200"))
KILL_SECONDS = float(os.environ.get("WIZARD_KILL_SECONDS", "60"))

posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")


def _save_forever(path: Path, start: int) -> None:
    """Child process: save a draft that grows by one keyword per save, forever."""
    draft = new_draft("1.6")
    draft.project.summary = "长文本" * 2000
    n = start
    while True:
        draft.project.keywords = [str(i) for i in range(n)]
        save_draft(draft, path)
        n += 1


@posix_only
def test_sigkill_mid_save_never_leaves_a_broken_draft(tmp_path: Path) -> None:
    path = tmp_path / "draft.toml"
    save_draft(new_draft("1.6"), path)
    rng = random.Random(20200615)
    last = 0
    kills = 0
    deadline = time.monotonic() + KILL_SECONDS
    while kills < KILLS and time.monotonic() < deadline:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            try:
                _save_forever(path, last)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.001, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        kills += 1
        draft = load_draft(path)  # never truncated, never empty
        keywords = draft.project.keywords
        assert keywords == [str(i) for i in range(len(keywords))]
        assert len(keywords) >= last  # the previous or a newer version, never older
        last = len(keywords)
    print(f"{kills} kills, last version had {last} keywords")
    assert kills >= min(KILLS, 50), f"only {kills} kills in {KILL_SECONDS}s"
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    future = time.time() + 3600
    assert sorted(sweep_temp_files(tmp_path, now=future)) == sorted(leftovers)
    assert [p.name for p in tmp_path.iterdir()] == ["draft.toml"]


def test_fresh_temp_files_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".draft.toml.abcd1234.tmp").write_text("being written")
    (tmp_path / ".someone-elses.tmp").write_text("not ours")
    assert sweep_temp_files(tmp_path) == []
    assert draft_files(tmp_path) == []


def test_second_editor_is_refused_with_owner_details(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    save_draft(new_draft("1.9"), path)
    with DraftLock(path):
        with pytest.raises(DraftLocked) as info:
            DraftLock(path).acquire()
        assert info.value.owner is not None and info.value.owner.pid == os.getpid()
        assert str(os.getpid()) in info.value.owner.describe("zh")
    with DraftLock(path):  # released: free again
        pass


@posix_only
def test_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    save_draft(new_draft("1.9"), path)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        held = DraftLock(path)  # kept referenced: FileLock releases when collected
        held.acquire()
        os.write(write_end, b"x")
        time.sleep(60)
        os._exit(0)
    os.read(read_end, 1)
    with pytest.raises(DraftLocked):
        DraftLock(path).acquire()
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with DraftLock(path) as lock:
        assert lock.held


# -- hostile files ---------------------------------------------------------------------------

toml_scalars = st.one_of(
    st.text(max_size=50),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "-0.001", "1.23456789", "9999-12-31"]),
)
keys = st.sampled_from(
    ["schema_version", "guide", "direction", "meta", "project", "leader", "units", "partner",
     "budget", "attest", "h2020", "funding", "months", "title", "status", "x", "名称"]
)  # fmt: skip


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value in {"nan", "inf", "-inf", "1e400", "-0.001",
                                             "1.23456789", "9999-12-31"}:  # fmt: skip
        return value
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        lines.append(f"schema_version = {draw(st.sampled_from(['1', '2', '0', '-1', '1.0']))}")
        lines.append(f'direction = "{draw(st.sampled_from(["1.6", "1.4", "9.9", ""]))}"')
    for _ in range(draw(st.integers(0, 6))):
        header = draw(st.sampled_from(["", "[project]", "[[units]]", "[budget]", "[leader]",
                                       "[partner]", "[[partner.institutions]]", "[meta]"]))  # fmt: skip
        if header:
            lines.append(header)
        for _ in range(draw(st.integers(0, 4))):
            key = draw(keys)
            if key.isascii():
                lines.append(f"{key} = {_toml_value(draw(toml_scalars))}")
    return "\n".join(lines) + "\n"


def _assert_loads_or_fails_cleanly(path: Path, guide: Guide) -> None:
    before = path.read_bytes()
    try:
        load_draft(path, guide)
    except DraftError as exc:
        assert str(path) in str(exc)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--json"])
    assert code in (0, 1, 2), err.getvalue()
    report = json.loads(out.getvalue())
    assert (code == 2) == (report["files"][0]["error"] is not None)
    assert path.read_bytes() == before


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=toml_documents())
def test_random_toml_documents_load_or_fail_cleanly(guide: Guide, tmp_path: Path, doc: str) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_text(doc, "utf-8")
    _assert_loads_or_fails_cleanly(path, guide)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_random_bytes_load_or_fail_cleanly(guide: Guide, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(b"schema_version = 1\n" + data)
    _assert_loads_or_fails_cleanly(path, guide)


@pytest.mark.parametrize(
    "content",
    [
        "a = " + "[" * 50_000 + "]" * 50_000,
        'schema_version = 1\ndirection = "1.6"\n[project]\ntitle = "' + "长" * 3_000_000 + '"\n',
        'schema_version = 1\ndirection = "1.6"\n[project]\nkeywords = [' + '"k",' * 200_000 + "]\n",
        'schema_version = 1\ndirection = "1.6"\n[project]\nstart = 0001-01-01\nmonths = 99999999\n',
        'schema_version = 1\ndirection = "1.6"\n[[units]]\nfunding = inf\n',
        'schema_version = 1\ndirection = "1.6"\n[[units]]\nfunding = "100"\nrole = 3\n',
        "schema_version = 99\n",
    ],
    ids=["deep", "10MB-string", "huge-array", "out-of-range", "inf", "wrong-types", "future"],
)
def test_extreme_files(guide: Guide, tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(content, "utf-8")
    started = time.monotonic()
    _assert_loads_or_fails_cleanly(path, guide)
    assert time.monotonic() - started < 10


def test_check_on_hostile_folder_never_tracebacks(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.toml").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "b.toml").write_text("a = " + "[" * 50_000 + "]" * 50_000)
    (tmp_path / "c.toml").write_text("schema_version = 1\n[[units]]\nfunding = -1e999\n")
    assert main(["check", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and out.count("无法读取") == 3


def test_over_precise_and_negative_money_load_and_are_reported(guide: Guide) -> None:
    text = 'schema_version = 1\ndirection = "1.9"\n[[units]]\nfunding = -1.234\n'
    draft = parse_draft(text, "x.toml", guide)
    assert draft.units[0].funding == Decimal("-1.234")


# -- display injection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]52;c;aGVsbG8=\x07", "\\x1b]52;c;aGVsbG8=\\x07"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("\x9b31m", "\\x9b31m"),
        ("[b]x[/b] 清华", "[b]x[/b] 清华"),
        ("line\nbreak", "line\\x0abreak"),
    ],
)
def test_printable_escapes_controls(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_file_names_in_cli_output_are_escaped(
    guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_draft(clean_draft(guide, "1.9"), tmp_path / "evil\x1b[31m.toml")
    main(["check", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "evil\\x1b[31m.toml" in out


# -- paths ------------------------------------------------------------------------------------


def test_trash_keeps_every_deleted_draft(tmp_path: Path) -> None:
    for _ in range(3):
        save_draft(new_draft("1.9"), tmp_path / "a.toml")
        moved = move_to_trash(tmp_path / "a.toml")
        assert moved.parent == tmp_path / TRASH_DIR
    assert len(list((tmp_path / TRASH_DIR).iterdir())) == 3
    assert draft_files(tmp_path) == []


def test_trash_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / TRASH_DIR).symlink_to(elsewhere)
    save_draft(new_draft("1.9"), drafts / "a.toml")
    with pytest.raises(OSError):
        move_to_trash(drafts / "a.toml")
    assert (drafts / "a.toml").exists() and list(elsewhere.iterdir()) == []


def test_rename_never_overwrites_and_stays_in_folder(tmp_path: Path) -> None:
    save_draft(new_draft("1.9"), tmp_path / "a.toml")
    save_draft(new_draft("1.9"), tmp_path / "b.toml")
    renamed = rename_draft(tmp_path / "a.toml", "../b")
    assert renamed.parent == tmp_path and renamed.name == "b-2.toml"
    assert (tmp_path / "b.toml").exists()


def test_duplicate_is_a_fresh_draft(guide: Guide, tmp_path: Path) -> None:
    draft = clean_draft(guide, "1.9")
    draft.meta.status = "ready"
    save_draft(draft, tmp_path / "a.toml")
    copy = duplicate_draft(tmp_path / "a.toml", guide)
    assert copy.parent == tmp_path and load_draft(copy, guide).meta.status == "draft"


def test_symlinked_drafts_are_not_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    save_draft(new_draft("1.9"), outside)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "link.toml").symlink_to(outside)
    assert draft_files(drafts) == []


# -- offline ------------------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network use attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_check_never_uses_the_network(
    no_network: None, guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_draft(clean_draft(guide, "1.4"), tmp_path / "a.toml")
    assert main(["check", str(tmp_path), "--json"]) == 0
    assert main(["directions"]) == 0
    assert main(["new", "--direction", "1.6", "--drafts-dir", str(tmp_path)]) == 0
    capsys.readouterr()


def test_python_is_3_11_or_newer() -> None:
    assert sys.version_info >= (3, 11)
