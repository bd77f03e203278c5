"""Format 1 → 2 without loss: every v1 draft (the fixtures written by the v1 release's own
writer, the hand-written v1 example, the v1 snippets the tests use) opens, keeps every value
at its v2 place, validates, and its first save keeps the v1 file byte for byte beside it.
Also the v2 writer's own invariant: what is written reads back as the data."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import full_draft
from tests.helpers import run_cli
from wizard import files
from wizard.conflict import TrackedDraft
from wizard.draft import Draft, Stage, Task
from wizard.guide import Guide
from wizard.migrate import upgrade, v2_path
from wizard.store import (
    DraftError,
    DraftText,
    KeepV1Error,
    _normalized,
    draft_data,
    draft_files,
    dump_data,
    dump_draft,
    list_drafts,
    load_draft,
    migrate_file,
    parse_draft,
    safe_stem,
    save_draft,
    write_draft_data,
)

V1_DIR = Path(__file__).resolve().parents[1] / "data" / "v1"


def v1_file(folder: Path, fixture: str = "clean-1.6.toml") -> tuple[Path, bytes]:
    """A copy of the v1 fixture as `folder`/a.toml, and its bytes."""
    path = folder / "a.toml"
    shutil.copyfile(V1_DIR / fixture, path)
    return path, path.read_bytes()


def refuse_write_new(
    monkeypatch: pytest.MonkeyPatch, error: type[OSError], code: int, why: str
) -> None:
    """Keeping the v1 copy (files.write_new) fails as the system would: `error(code, why)`."""

    def refuse(target: Path, data: bytes) -> None:
        raise error(code, why, str(target))

    monkeypatch.setattr(files, "write_new", refuse)


V1_FILES = sorted(V1_DIR.glob("*.toml"))
# The v1 snippets other tests write (valid ones: they must open as before).
V1_SNIPPETS = [
    'schema_version = 1\ndirection = "1.6"\n[project]\nstart = 2021-01-01\nmonths = 36\n',
    'schema_version = 1\ndirection = "1.9"\n[[units]]\nfunding = -1.234\n',
    'schema_version = 1\ndirection = "1.6"\n[budget]\nequipment = 999999999.999999\n',
    'schema_version = 1\ndirection = "1.6"\n[leader]\nname = "李明"\n[budget]\nother_note = "x"\n',
]


def test_the_v1_fixtures_are_there() -> None:
    names = {p.name for p in V1_FILES}
    assert {"example-draft-1.6.toml", "large-1.4.toml", "hand-edited-1.2.toml"} <= names
    assert sum(n.startswith("clean-") for n in names) >= 15  # one per direction
    for path in V1_FILES:
        assert tomllib.loads(path.read_text("utf-8"))["schema_version"] == 1


def _leaves(value: Any, path: tuple[str | int, ...], out: list[tuple[tuple[str | int, ...], Any]]) -> None:  # fmt: skip
    if isinstance(value, dict) and path != ("meta", "unparsed"):
        for key, item in value.items():
            _leaves(item, (*path, key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, item in enumerate(value):
            _leaves(item, (*path, i), out)
    else:
        out.append((path, value))


def _tokens(path: str) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        out.append(int(index) if index else name)
    return tuple(out)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _v2_place(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """`v2_path` on token paths (keys such as `"1.6-ip"` hold dots)."""
    if path[0] in ("leader", "budget") and len(path) == 2:
        return _tokens(v2_path(f"{path[0]}.{path[1]}"))
    return path


def assert_nothing_lost(v1: dict[str, Any], v2: dict[str, Any]) -> int:
    """Every v1 leaf value is found at its v2 path; returns how many were compared."""
    leaves: list[tuple[tuple[str | int, ...], Any]] = []
    _leaves(v1, (), leaves)
    for path, value in leaves:
        if path == ("schema_version",):
            assert _at(v2, path) == 2
        elif path == ("meta", "unparsed"):
            assert _at(v2, path) == {v2_path(k): v for k, v in value.items()}
        elif path == ("meta", "last_field"):
            assert _at(v2, path) == v2_path(value)
        else:
            place = _v2_place(path)
            assert _at(v2, place) == value, (path, place)
    return len(leaves)


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.name)
def test_every_v1_fixture_opens_with_no_value_lost(path: Path, guide: Guide) -> None:
    text = path.read_text("utf-8")
    v1 = tomllib.loads(text, parse_float=Decimal)
    v2, notes = upgrade(v1)
    assert assert_nothing_lost(v1, v2) > 10
    assert v2["schema_version"] == 2 and "leader" not in v2 and "budget" not in v2
    draft = Draft.model_validate(v2)  # v2 validates
    assert parse_draft(text, path, guide) == draft  # opens as before (upgraded on load)
    if "leader" in v1:
        assert draft.leader is not None and draft.leader_index == 0
        assert notes
    # The v2 file the first save writes holds the same values again.
    written = tomllib.loads(dump_draft(draft), parse_float=Decimal)
    assert Draft.model_validate(written) == draft
    assert_nothing_lost(v1, written)


@pytest.mark.parametrize("text", V1_SNIPPETS)
def test_v1_snippets_of_the_tests_open_with_no_value_lost(text: str, guide: Guide) -> None:
    v1 = tomllib.loads(text, parse_float=Decimal)
    v2, _ = upgrade(v1)
    assert_nothing_lost(v1, v2)
    draft = parse_draft(text, "x.toml", guide)
    assert Draft.model_validate(v2) == draft


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.name)
def test_first_save_keeps_the_v1_file_byte_for_byte(path: Path, tmp_path: Path) -> None:
    draft_path = tmp_path / "申报书.toml"
    shutil.copyfile(path, draft_path)
    original = path.read_bytes()
    draft = load_draft(draft_path)
    tracked = TrackedDraft.read(draft_path)  # as the editor opens it
    draft.project.title = "改过的标题"
    tracked.write(draft_data(draft))
    kept = tmp_path / "申报书.v1.toml"
    assert kept.read_bytes() == original
    assert tracked.text.kept == kept
    after = draft_path.read_text("utf-8")
    assert tomllib.loads(after)["schema_version"] == 2
    assert load_draft(draft_path).project.title == "改过的标题"
    # A second save writes v2 over v2: no second copy.
    draft.project.title = "再改一次"
    tracked.write(draft_data(draft))
    assert tracked.text.kept is None
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "申报书.toml",
        "申报书.v1.toml",
    ]
    assert kept.read_bytes() == original


def test_plain_save_over_a_v1_file_keeps_it_too(tmp_path: Path) -> None:
    path, original = v1_file(tmp_path)
    draft = load_draft(path)
    save_draft(draft, path)
    save_draft(draft, path)
    assert (tmp_path / "a.v1.toml").read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "a.v1.toml"]


def test_an_existing_copy_is_never_overwritten(tmp_path: Path) -> None:
    path, _ = v1_file(tmp_path)
    (tmp_path / "a.v1.toml").write_text("mine", "utf-8")
    (tmp_path / "a.v1-2.toml").write_text("mine too", "utf-8")
    original = path.read_bytes()
    save_draft(load_draft(path), path)
    assert (tmp_path / "a.v1.toml").read_text("utf-8") == "mine"
    assert (tmp_path / "a.v1-2.toml").read_text("utf-8") == "mine too"
    assert (tmp_path / "a.v1-3.toml").read_bytes() == original


def test_copy_that_cannot_be_written_leaves_the_v1_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, original = v1_file(tmp_path, "hand-edited-1.2.toml")
    draft = load_draft(path)
    tracked = TrackedDraft.read(path)
    refuse_write_new(monkeypatch, PermissionError, 13, "Permission denied")
    with pytest.raises(KeepV1Error) as caught:
        tracked.write(draft_data(draft))
    message = str(caught.value.strerror)
    assert "a.v1.toml" in message and "Permission denied" in message
    assert "not saved" in message and "未保存" in message
    assert isinstance(caught.value, OSError)  # the editor's failed-save path takes it
    with pytest.raises(KeepV1Error):
        save_draft(draft, path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]
    # Once the copy can be written, the next save (the editor retries) keeps it.
    monkeypatch.undo()
    tracked.write(draft_data(draft))
    assert (tmp_path / "a.v1.toml").read_bytes() == original


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="POSIX permissions, not root")
def test_read_only_folder_refuses_the_copy_and_the_save(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path, original = v1_file(folder)
    draft = load_draft(path)
    folder.chmod(0o555)
    try:
        with pytest.raises(KeepV1Error):
            save_draft(draft, path)
    finally:
        folder.chmod(0o755)
    assert path.read_bytes() == original
    assert [p.name for p in folder.iterdir()] == ["a.toml"]


def test_hand_edited_v1_keeps_its_comments_as_v2(tmp_path: Path) -> None:
    path = V1_DIR / "hand-edited-1.2.toml"
    text = path.read_text("utf-8")
    draft = load_draft(path)
    base = DraftText(text)
    assert base.v1
    out = base.render(draft_data(draft))
    assert not base.v1
    for note in ("# 负责人信息来自人事处", "# 预算待财务处确认"):
        assert note in out
    assert Draft.model_validate(tomllib.loads(out, parse_float=Decimal)) == draft
    headers = [line for line in out.splitlines() if line.startswith("[")]
    order = [h for h in headers if h in ("[project]", "[[units]]", "[[team]]", "[[tasks]]", "[partner]")]  # fmt: skip
    assert list(dict.fromkeys(order)) == [
        "[project]",
        "[[units]]",
        "[[team]]",
        "[[tasks]]",
        "[partner]",
    ]  # the documented order
    assert "[leader]" not in out and "[budget]" not in out
    # The saves after it patch the kept document as for any v2 file.
    draft.tasks[0].name = "课题一"
    draft.tasks.append(Task(name="课题二"))
    out = base.render(draft_data(draft))
    assert "# 负责人信息来自人事处" in out and 'name = "课题二"' in out
    assert Draft.model_validate(tomllib.loads(out, parse_float=Decimal)) == draft


def test_wizard_layout_v1_is_saved_in_the_v2_layout(guide: Guide) -> None:
    text = (V1_DIR / "clean-1.6.toml").read_text("utf-8")
    draft = parse_draft(text, "a.toml")
    assert DraftText(text).render(draft_data(draft)) == dump_draft(draft)


def test_v1_copies_are_not_listed_as_drafts(tmp_path: Path) -> None:
    for name in ("a.toml", "a.v1.toml", "a.v1-2.toml", "b.v10.toml", "v1.toml"):
        shutil.copyfile(V1_DIR / "clean-1.6.toml", tmp_path / name)
    assert [p.name for p in draft_files(tmp_path)] == ["a.toml", "b.v10.toml", "v1.toml"]
    assert [e.path.name for e in list_drafts(tmp_path)] == ["a.toml", "b.v10.toml", "v1.toml"]
    assert safe_stem("项目.v1") == "项目.v1_" and safe_stem("x.v1-3") == "x.v1-3_"
    assert safe_stem("x.v12") == "x.v12"


# -- wizard migrate ---------------------------------------------------------------------------


def test_migrate_command_converts_in_bulk_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    for name in ("clean-1.6.toml", "hand-edited-1.2.toml", "large-1.4.toml"):
        shutil.copyfile(V1_DIR / name, folder / name)
    (folder / "newer.toml").write_text("schema_version = 3\n", "utf-8")
    (folder / "broken.toml").write_text('schema_version = 1\n[project]\ntitel = "x"\n', "utf-8")
    single = tmp_path / "one.toml"
    shutil.copyfile(V1_DIR / "new-1.9.toml", single)
    before = {p: p.read_bytes() for p in [*folder.iterdir(), single]}

    code, out, _ = run_cli(capsys, "migrate", str(folder), str(single), "--dry-run", "--lang", "en")
    assert code == 1
    assert {p: p.read_bytes() for p in [*folder.iterdir(), single]} == before  # nothing written
    assert "would be converted" in out and "4 to convert, 0 already format 2, 2 cannot" in out

    code, out, _ = run_cli(capsys, "migrate", str(folder), str(single), "--lang", "en")
    assert code == 1
    lines = out.splitlines()
    assert f"{folder / 'clean-1.6.toml'}  converted to format 2; the v1 file kept as clean-1.6.v1.toml" in lines  # fmt: skip
    assert any(
        line.startswith(str(folder / "newer.toml")) and "newer wizard" in line for line in lines
    )
    assert any(
        line.startswith(str(folder / "broken.toml")) and "project.titel" in line for line in lines
    )
    assert lines[-1] == "4 converted, 0 already format 2, 2 not converted"
    for name in ("clean-1.6", "hand-edited-1.2", "large-1.4"):
        assert (folder / f"{name}.v1.toml").read_bytes() == before[folder / f"{name}.toml"]
        assert tomllib.loads((folder / f"{name}.toml").read_text("utf-8"))["schema_version"] == 2
    assert (tmp_path / "one.v1.toml").read_bytes() == before[single]
    assert (folder / "broken.toml").read_bytes() == before[folder / "broken.toml"]
    # meta.updated is the draft's, not the migration's.
    assert load_draft(single).meta.updated == tomllib.loads(before[single].decode())["meta"]["updated"]  # fmt: skip

    (folder / "newer.toml").unlink()
    (folder / "broken.toml").unlink()
    code, out, _ = run_cli(capsys, "migrate", str(folder))
    assert code == 0
    assert out.splitlines()[-1] == "转换 0 个，已是格式 2 的 3 个，未转换 0 个"
    assert "已是格式 2，未改动" in out
    assert len(list(folder.glob("*.v1*.toml"))) == 3  # no second copy


def test_migrate_notes_are_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = v1_file(tmp_path)
    code, out, _ = run_cli(capsys, "migrate", str(path), "--dry-run")
    assert code == 0 and "注意：原设备费现为设备购置费" in out and "试运行" in out
    code, out, _ = run_cli(capsys, "migrate", str(path), "--dry-run", "--lang", "en")
    assert "note: 设备费 became 设备购置费" in out


def test_migrate_of_nothing_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "migrate", str(tmp_path))
    assert code == 2 and "no draft files found" in err
    code, _, err = run_cli(capsys, "migrate", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such file or folder" in err


def test_migrate_file_refuses_when_the_copy_cannot_be_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, original = v1_file(tmp_path)
    refuse_write_new(monkeypatch, OSError, 28, "No space left on device")
    result = migrate_file(path)
    assert result.outcome == "refused" and "No space left" in result.reason
    assert path.read_bytes() == original


# -- the v2 writer ----------------------------------------------------------------------------


def test_v2_layout_reads_well(guide: Guide) -> None:
    text = dump_draft(full_draft(guide, "1.4"))
    headers = [line for line in text.splitlines() if line.startswith("[")]
    firsts = list(dict.fromkeys(h for h in headers if not h.startswith("[tasks.budget")))
    assert firsts == [
        "[meta]", "[project]", "[recommender]", "[contact]", "[[units]]", "[[team]]",
        "[[tasks]]", "[partner]", "[partner.lead]", "[[partner.institutions]]", "[h2020]",
        "[[targets]]", "[[plan]]", "[narrative]", "[attest]", "[[attachments]]",
    ]  # fmt: skip
    assert "[tasks.budget.materials]" in headers
    assert not re.search(r"^\w+ = \[\n\s*\{", text, re.MULTILINE)  # no inline tables
    assert 'content = """\n' in text  # multi-line text as a multi-line string


LONG = "本项目围绕健康土壤与食品生产开展联合研究，" * 20 + " and some English, words  apart. "


@pytest.mark.parametrize(
    "text",
    ["", "一行", LONG, LONG + "\n" + LONG, "a\r\nb", 'quote " and """ and \\ and \\\n', "\t tab",
     "ends with quote\"", "\nstarts with a newline", "x" * 300, " " * 200 + "y", "控制\x01\x7f字符",
     "a\\" + "b" * 100, "  " + "长" * 100 + "  \n  "],
    ids=lambda t: f"{len(t)}-chars",
)  # fmt: skip
def test_any_text_reads_back_exactly(text: str, guide: Guide) -> None:
    draft = full_draft(guide, "1.6")
    draft.narrative["goals"] = text
    draft.tasks[0].content = text
    draft.project.keywords = [text]
    data = draft_data(draft)
    out = dump_data(data)
    assert tomllib.loads(out, parse_float=Decimal) == _normalized(data)
    # Long text is folded (keywords, list items, stay on one line each).
    assert max(len(line) for line in out.splitlines() if not line.startswith("    ")) < 100


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300), title=st.text(max_size=120))
def test_what_is_written_reads_back_equal(guide: Guide, text: str, title: str) -> None:
    draft = full_draft(guide, "1.4")
    draft.project.title = title
    draft.narrative["status"] = text
    draft.tasks[1].budget["materials"].basis = text
    draft.meta.unparsed = {"tasks[0].budget.materials.central": title}
    data = draft_data(draft)
    assert tomllib.loads(dump_data(data), parse_float=Decimal) == _normalized(data)


def test_empty_sections_read_back_equal(guide: Guide) -> None:
    draft = full_draft(guide, "1.6")
    draft.units, draft.team, draft.targets, draft.plan, draft.attachments = [], [], [], [], []
    draft.tasks = [Task()]
    draft.partner.institutions = []
    draft.partner.lead.name = ""
    draft.partner.lead.title = draft.partner.lead.institution = draft.partner.lead.email = ""
    draft.narrative = {}
    data = draft_data(draft)
    out = dump_data(data)
    assert tomllib.loads(out, parse_float=Decimal) == _normalized(data)
    assert Draft.model_validate(tomllib.loads(out, parse_float=Decimal)) == draft
    assert "[partner.lead]" not in out and "[[units]]" not in out


def test_v2_round_trip_keeps_hand_written_comments(guide: Guide, tmp_path: Path) -> None:
    draft = full_draft(guide, "1.4")
    text = dump_draft(draft)
    text = text.replace("[[team]]\n", "[[team]]\n# 身份证号已核对\n", 1)
    text = text.replace(
        "[tasks.budget.materials]\n", "# 材料费待询价\n[tasks.budget.materials]\n", 1
    )
    text = text.replace("[narrative]\n", "[narrative]\n# 正文由各单位提供\n", 1)
    path = tmp_path / "a.toml"
    path.write_text(text, "utf-8")
    tracked = TrackedDraft.read(path)
    draft.tasks[0].budget["materials"].own = Decimal("3.30")
    draft.tasks.append(Task(name="新课题"))
    draft.plan.append(Stage(year=3, content="第三年"))
    draft.narrative["status"] = "改过的现状。\n第二段"
    draft.team[1].id_number = "X"
    tracked.write(draft_data(draft))
    after = path.read_text("utf-8")
    for note in ("# 身份证号已核对", "# 材料费待询价", "# 正文由各单位提供"):
        assert note in after
    assert "own = 3.30" in after
    back = load_draft(path)
    assert back.tasks == draft.tasks and back.plan == draft.plan
    assert back.narrative == draft.narrative and back.team == draft.team
    assert not list(tmp_path.glob("*.v1*.toml"))  # a v2 file: no copy


def test_save_elsewhere_never_makes_a_copy(guide: Guide, tmp_path: Path) -> None:
    draft = full_draft(guide, "1.6")
    write_draft_data(draft_data(draft), tmp_path / "new.toml")
    assert [p.name for p in tmp_path.iterdir()] == ["new.toml"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('schema_version = 1\ndirection = "1.6"\n\n[budget]\nequipment = 1e26\n',
         "line 5, field budget.equipment"),
        ('schema_version = 1\ndirection = "1.6"\n[leader]\nname = "x"\nbirth_date = "y"\n',
         "line 5, field leader.birth_date"),
        ('schema_version = 1\ndirection = "1.6"\n[budget]\nother_note = 3\n',
         "line 4, field budget.other_note"),
        ('schema_version = 1\ndirection = "1.6"\n[budget]\nequipmnet = 3\n', "field budget."),
    ],
)  # fmt: skip
def test_a_problem_in_a_v1_file_is_named_as_the_file_has_it(text: str, where: str) -> None:
    with pytest.raises(DraftError) as info:
        parse_draft(text, "x.toml")
    assert where in str(info.value)
