"""Nothing lost, nothing let in: kills mid-save, locks, hostile files, paths, offline."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import clean_draft, write_attachments
from wizard.cli import main
from wizard.display import printable
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.lock import DraftLock, DraftLocked, lock_path, owner_path, read_owner
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
@pytest.mark.slow
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
        time.sleep(rng.uniform(0.001, 0.03))  # the kill lands at a random point of a save
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
        time.sleep(60)  # the child holds the lock until the parent kills it
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
     "budget", "attest", "h2020", "funding", "months", "title", "status", "x", "名称",
     "team", "tasks", "central", "own", "basis", "role", "id_number", "task", "year", "sha256",
     "size", "lead", "narrative", "recommender", "contact", "targets", "plan", "attachments"]
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
        lines.append(f"schema_version = {draw(st.sampled_from(['1', '2', '3', '0', '-1', '1.0']))}")
        lines.append(f'direction = "{draw(st.sampled_from(["1.6", "1.4", "9.9", ""]))}"')
    for _ in range(draw(st.integers(0, 6))):
        header = draw(st.sampled_from(["", "[project]", "[[units]]", "[budget]", "[leader]",
                                       "[partner]", "[[partner.institutions]]", "[meta]",
                                       "[[team]]", "[[tasks]]", "[tasks.budget.materials]",
                                       "[tasks.budget.x]", "[partner.lead]", "[[targets]]",
                                       "[[plan]]", "[narrative]", "[[attachments]]",
                                       "[recommender]", "[contact]"]))  # fmt: skip
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


def test_check_never_uses_the_network(
    no_network: list[str], guide: Guide, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = clean_draft(guide, "1.4")
    save_draft(draft, tmp_path / "a.toml")
    write_attachments(draft, tmp_path)  # check judges the attached files beside the draft
    assert main(["check", str(tmp_path), "--json"]) == 0
    assert main(["directions"]) == 0
    assert main(["new", "--direction", "1.6", "--drafts-dir", str(tmp_path)]) == 0
    capsys.readouterr()


def test_python_is_3_11_or_newer() -> None:
    assert sys.version_info >= (3, 11)


# -- files opened by name: links, FIFOs, a full disk (issue 11, items 4, 5, 10) ----------------

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")


class Blocked(BaseException):
    """Raised by `within`; not an OSError, so no `except OSError` in the code swallows it."""


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block takes longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise Blocked(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_symlinked_owner_file_never_writes_outside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    path = drafts / "a.toml"
    save_draft(new_draft("1.9"), path)
    owner_path(path).symlink_to(outside)
    with DraftLock(path):
        assert outside.read_text() == "precious"
        owner = read_owner(path)  # the link was replaced by a real owner file
        assert owner is not None and owner.pid == os.getpid()
        assert not owner_path(path).is_symlink()
    assert outside.read_text() == "precious" and outside.exists()


@fifo_only
def test_fifo_owner_file_never_blocks(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    save_draft(new_draft("1.9"), path)
    os.mkfifo(owner_path(path))
    with within(5), DraftLock(path):  # writing the owner file would wait for a reader
        assert read_owner(path) is not None
        owner_path(path).unlink()
        os.mkfifo(owner_path(path))
        with pytest.raises(DraftLocked) as info:  # reading it would wait for a writer
            DraftLock(path).acquire()
        assert info.value.owner is None


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_lock_file_that_is_not_a_regular_file_is_refused_in_one_line(
    tmp_path: Path, kind: str
) -> None:
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("needs mkfifo")
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    path = tmp_path / "a.toml"
    save_draft(new_draft("1.9"), path)
    if kind == "symlink":
        lock_path(path).symlink_to(outside)
    else:
        os.mkfifo(lock_path(path))
    with within(5), pytest.raises(OSError) as info:
        DraftLock(path).acquire()
    message = str(info.value)
    assert "not a regular file" in message and "\n" not in message and ".a.toml.lock" in message
    assert outside.read_text() == "precious"


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (needs root and mount rights; skipped otherwise)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode(errors='replace')}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 512)
    finally:
        os.close(fd)


def test_full_disk_leaves_no_empty_owner_file(full_disk: Path) -> None:
    path = full_disk / "a.toml"
    save_draft(new_draft("1.9"), path)
    _fill(full_disk)
    with DraftLock(path) as lock:
        assert lock.held  # the lock itself needs no space
        assert not owner_path(path).exists()  # not written at all, rather than left empty
    assert load_draft(path).direction == "1.9"


def test_full_disk_never_leaves_a_stale_owner(full_disk: Path) -> None:
    path = full_disk / "a.toml"
    save_draft(new_draft("1.9"), path)
    owner_path(path).write_text('{"pid": 1, "user": "gone", "host": "old", "since": "x"}')
    _fill(full_disk)
    with DraftLock(path):
        # Ours (removing the stale file freed the room) or none; never the dead process.
        owner = read_owner(path)
        assert owner is None or owner.pid == os.getpid()
        if owner is None:
            assert not owner_path(path).exists()


def test_full_disk_save_keeps_the_old_draft(full_disk: Path) -> None:
    path = full_disk / "a.toml"
    save_draft(new_draft("1.9"), path)
    before = path.read_bytes()
    _fill(full_disk)
    draft = new_draft("1.6")
    draft.project.summary = "长文本" * 20_000
    with pytest.raises(OSError):
        save_draft(draft, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in full_disk.iterdir()) == ["a.toml", "filler"]


# -- bounded work: a structural pre-check before tomllib (issue 11, item 8) --------------------

CAP = 2 * 1024 * 1024
HEAD = 'schema_version = 1\ndirection = "1.6"\n'
PATHOLOGICAL = {
    "header-a.a.a": "[" + "a." * (CAP // 2 - 2) + "a]\n",
    "array-of-tables-a.a.a": "[[" + "a." * (CAP // 2 - 3) + "a]]\n",
    "dotted-key": HEAD + "a" + ".a" * (CAP // 2 - 30) + " = 1\n",
    "spaced-dotted-key": HEAD + "a" + " . a" * (CAP // 4 - 20) + " = 1\n",
    "inline-dotted-key": HEAD + "x = {" + "a." * (CAP // 2 - 30) + "a = 1}\n",
    "dot-then-spaces": HEAD + "x." + " " * (CAP - 60) + "\n",
    "many-keys": HEAD + "".join(f"k{i} = 1\n" for i in range(CAP // 12)),
    "many-tables": HEAD + "[[units]]\n" * (CAP // 10 - 10),
    "long-array": HEAD + "[project]\nkeywords = [" + "1," * (CAP // 2 - 40) + "]\n",
    "many-strings": HEAD + "[project]\nkeywords = [" + '"k",' * (CAP // 4 - 40) + "]\n",
    "deep-inline": HEAD + "x = " + "{a=" * (CAP // 3 - 20),
}


@pytest.mark.parametrize("content", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_shapes_up_to_the_cap_answer_in_under_2_s(
    guide: Guide, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "x.toml"
    path.write_text(content[:CAP], "utf-8")
    out, err = io.StringIO(), io.StringIO()
    # CPU seconds of this process, not wall time: the bound is on the work done, which a busy
    # machine (make stress: 8 workers beside CPU hogs) does not change. Unbounded, these
    # shapes took 20 s to most of an hour.
    started = time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path)])
    elapsed = time.process_time() - started
    print(f"FIGURE {path.stat().st_size / 1048576:.2f} MiB: {elapsed:.2f} CPU s")
    assert code == 2 and elapsed < 2, (elapsed, out.getvalue()[:300])
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "x.toml" in lines[1] and "Traceback" not in err.getvalue()


def test_pre_check_counts_nothing_inside_strings_or_comments(guide: Guide) -> None:
    text = (
        HEAD + "# a.b.c.d.e.f.g.h.i.j = [,,,]\n[project]\n"
        'summary = """' + "a.b.c.d.e.f.g.h.i.j = 1, [x]\n" * 30_000 + '"""\n'
        "title = 'p.q.r.s.t.u.v.w.x.y = {}'\n"
        'title_en = "' + "k = v, " * 20_000 + '"\n'
    )
    draft = parse_draft(text, "x.toml", guide)
    assert draft.project.title.startswith("p.q.r")


def test_pre_check_names_the_line(guide: Guide) -> None:
    text = HEAD + '[project]\nsummary = """\n\n\n"""\n' + "a.b.c.d.e.f.g.h.i.j = 1\n"
    with pytest.raises(DraftError, match=r"x.toml: line 8: .*dotted parts"):
        parse_draft(text, "x.toml", guide)


HEAD2 = 'schema_version = 2\ndirection = "1.6"\n'
UNDER_THE_CAPS = {
    "990-team-members": HEAD2
    + '[[team]]\nname = "同名"\nrole = "core"\nid_type = "resident_id"\nid_number = "1"\ntask = 1\n'
    * 990,
    "330-tasks-with-budget-lines": HEAD2
    + "".join(
        f'[[tasks]]\nname = "课题{i}"\n[tasks.budget.materials]\ncentral = 1.5\nown = 1\n'
        f"[tasks.budget.labour]\ncentral = 2\n"
        for i in range(330)
    ),
    "990-units-one-name": HEAD
    + '[[units]]\nname = "同名单位"\nkind = "university"\nfunding = 1.5\nmatching = 1\n' * 990,
    "99,990-keywords": HEAD + "[project]\nkeywords = [" + '"关键词",' * 99_990 + "]\n",
    "19,990-attestations": HEAD + "[attest]\n" + "".join(f"a{i} = true\n" for i in range(19_990)),
}


@pytest.mark.parametrize("content", UNDER_THE_CAPS.values(), ids=UNDER_THE_CAPS.keys())
def test_the_largest_shapes_the_pre_check_lets_through_answer_in_under_2_s(
    guide: Guide, tmp_path: Path, content: str
) -> None:
    path = tmp_path / "x.toml"
    path.write_text(content, "utf-8")
    for argv in (["check", str(path)], ["export", str(path), "--to", "html"]):
        out, err = io.StringIO(), io.StringIO()
        started = time.process_time()  # CPU seconds: see the test above
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        elapsed = time.process_time() - started
        print(f"FIGURE {argv[0]} {path.stat().st_size / 1048576:.2f} MiB: {elapsed:.2f} CPU s")
        assert code in (0, 1, 2) and elapsed < 2 and "Traceback" not in err.getvalue()
