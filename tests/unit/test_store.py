"""Drafts on disk: round trip, atomic save, readable errors, safe names."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import clean_draft
from wizard.draft import new_draft
from wizard.guide import Guide
from wizard.store import (
    DraftError,
    dump_draft,
    list_drafts,
    load_draft,
    new_draft_path,
    safe_stem,
    save_draft,
)


def test_round_trip_keeps_everything_and_money_is_decimal(guide: Guide, tmp_path: Path) -> None:
    draft = clean_draft(guide, "1.4")
    draft.units[0].funding = Decimal("12.50")
    path = save_draft(draft, tmp_path / "a.toml")
    loaded = load_draft(path, guide)
    assert loaded == draft
    assert isinstance(loaded.units[0].funding, Decimal)
    assert str(loaded.units[0].funding) == "12.50"
    assert "funding = 12.50" in path.read_text("utf-8")


def test_file_is_readable_with_documented_key_order(guide: Guide, tmp_path: Path) -> None:
    text = dump_draft(clean_draft(guide, "1.6"))
    order = ["schema_version", "[meta]", "[project]", "[recommender]", "[contact]", "[[units]]",
             "[[team]]", "[[tasks]]", "[tasks.budget.", "[partner]", "[[partner.institutions]]",
             "[narrative]", "[attest]"]  # fmt: skip
    positions = [text.index(key) for key in order]
    assert positions == sorted(positions)
    assert "[h2020]" not in text
    assert "[h2020]" in dump_draft(clean_draft(guide, "1.4"))


def test_save_is_atomic_and_leaves_no_temp_files(guide: Guide, tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    save_draft(new_draft("1.9"), path)
    first = path.read_bytes()
    save_draft(clean_draft(guide, "1.9"), path)
    assert path.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_failed_write_keeps_the_old_file(guide: Guide, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.toml"
    save_draft(new_draft("1.9"), path)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_draft(clean_draft(guide, "1.9"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


BAD_FILES = [
    (b"\xff\xfe not utf8", "not UTF-8"),
    (b"schema_version = 1\nguide = \n", "not valid TOML"),
    (b'guide = "2020"\n', "schema_version"),
    (b"schema_version = 3\n", "newer wizard"),
    (b"schema_version = 0\n", "expected 2, found 0"),
    (b'schema_version = 1\ndirection = "9.9"\n', "unknown direction"),
    (b'schema_version = 1\nguide = "2019"\ndirection = "1.1"\n', "unknown guide"),
    (b'schema_version = 1\ndirection = "1.1"\n[project]\nmonths = "two"\n', "project.months"),
    (b'schema_version = 1\ndirection = "1.1"\n[[units]]\nfunding = nan\n', "units[0].funding"),
    (b'schema_version = 1\ndirection = "1.1"\n[project]\ntitel = "x"\n', "project.titel"),
    (b'schema_version = 2\ndirection = "1.1"\n[leader]\nname = "x"\n', "field leader"),
    (b'schema_version = 2\ndirection = "1.1"\n[[team]]\nid_type = "ssn"\n', "team[0].id_type"),
    (
        b'schema_version = 2\ndirection = "1.1"\n[[tasks]]\n[tasks.budget.labour]\nown = nan\n',
        "tasks[0].budget.labour.own",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_FILES)
def test_bad_files_raise_one_readable_error_and_stay_untouched(
    guide: Guide, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(DraftError) as info:
        load_draft(path, guide)
    message = str(info.value)
    assert str(path) in message and expected in message
    assert path.read_bytes() == content


def test_type_error_names_the_line(guide: Guide, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('schema_version = 1\ndirection = "1.1"\n\n[project]\nmonths = "two"\n')
    with pytest.raises(DraftError, match=r"line 5, field project\.months"):
        load_draft(path, guide)


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("中瑞 感染预防/抗生素", "中瑞-感染预防-抗生素"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "draft"),
        ("a\x1b[31mb\x00c", "a[31mbc"),
        ("", "draft"),
        ("x" * 300, "x" * 60),
        ("C:\\Windows\\evil", "C-Windows-evil"),
    ],
)
def test_safe_stem(title: str, stem: str) -> None:
    assert safe_stem(title) == stem


def test_new_draft_path_is_unique_and_inside_folder(tmp_path: Path) -> None:
    first = new_draft_path(tmp_path, "../x")
    assert first.parent == tmp_path
    first.write_text("")
    second = new_draft_path(tmp_path, "../x")
    assert second != first and second.parent == tmp_path


def test_list_drafts_shows_unreadable_files_too(guide: Guide, tmp_path: Path) -> None:
    save_draft(new_draft("1.9"), tmp_path / "good.toml")
    (tmp_path / "bad.toml").write_text("not toml [")
    (tmp_path / ".good.toml.123.tmp").write_text("")
    entries = list_drafts(tmp_path, guide)
    assert [e.path.name for e in entries] == ["bad.toml", "good.toml"]
    assert entries[0].error is not None and entries[1].draft is not None


@pytest.mark.parametrize(
    ("title", "stem"),
    [("CON", "CON_"), ("nul", "nul_"), ("COM1", "COM1_"), ("lpt9.项目", "lpt9_.项目"),
     ("Aux.", "Aux_"), ("CONSOLE", "CONSOLE"), ("COM10", "COM10"), ("nul-项目", "nul-项目")],
)  # fmt: skip
def test_safe_stem_never_makes_a_windows_device_name(title: str, stem: str) -> None:
    assert safe_stem(title) == stem


def test_new_draft_named_con_is_a_plain_file_name(tmp_path: Path) -> None:
    assert new_draft_path(tmp_path, "CON").name == "CON_.toml"


posix_modes = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


@posix_modes
def test_save_keeps_the_drafts_mode_and_group(tmp_path: Path) -> None:
    path = tmp_path / "shared.toml"
    save_draft(new_draft("1.9"), path)
    path.chmod(0o664)
    if os.geteuid() == 0:  # root saving a colleague's draft leaves it theirs
        os.chown(path, 4242, 4243)
    else:
        groups = [g for g in os.getgroups() if g != path.stat().st_gid]
        if groups:
            os.chown(path, -1, groups[0])
    before = path.stat()
    save_draft(new_draft("1.6"), path)
    after = path.stat()
    assert oct(after.st_mode & 0o7777) == "0o664"
    assert after.st_gid == before.st_gid and after.st_ino != before.st_ino  # replaced
    if os.geteuid() == 0:
        assert after.st_uid == 4242


@posix_modes
def test_new_draft_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        save_draft(new_draft("1.9"), tmp_path / "a.toml")
    finally:
        os.umask(old)
    assert (tmp_path / "a.toml").stat().st_mode & 0o777 == 0o640


@posix_modes
def test_read_only_draft_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "final.toml"
    save_draft(new_draft("1.9"), path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(PermissionError, match="read-only"):
        save_draft(new_draft("1.6"), path)
    assert path.read_bytes() == before and oct(path.stat().st_mode & 0o777) == "0o444"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["final.toml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
def test_fifo_draft_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(DraftError, match="FIFO"):
        load_draft(fifo)
    with pytest.raises(OSError, match="FIFO"):
        save_draft(new_draft("1.9"), fifo)  # never replaced by a save either
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
