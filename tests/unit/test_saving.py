"""The save side of the core: hand-written comments survive a save, a file changed
underneath is never overwritten, field-by-field merge, recovery copies."""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import clean_draft
from wizard.conflict import (
    DraftChanged,
    TrackedDraft,
    copy_path,
    field_diffs,
    merge_data,
)
from wizard.draft import Draft, Unit
from wizard.guide import Guide
from wizard.recovery import (
    discard_recovery,
    list_recoveries,
    recovery_dirs,
    restore_recovery,
    write_recovery,
)
from wizard.store import DraftText, draft_data, dump_draft, load_draft, save_draft

HAND_EDITED_NOTES = (
    "# 我的备注：预算待财务处确认\n",
    "  # 外方联系人下周回复\n",
    "funding = 12.50  # 含间接费用\n",
)


def hand_edited(guide: Guide, tmp_path: Path) -> tuple[Path, str]:
    """A draft someone edited with a text editor: comments, blank lines, a moved key."""
    draft = clean_draft(guide, "1.6")
    draft.units[0].funding = Decimal("12.50")
    text = dump_draft(draft)
    text = text.replace("[[tasks]]", "# 我的备注：预算待财务处确认\n\n[[tasks]]", 1)
    text = text.replace("[partner]\n", "[partner]\n  # 外方联系人下周回复\n", 1)
    text = text.replace("funding = 12.50\n", "funding = 12.50  # 含间接费用\n", 1)
    path = tmp_path / "hand.toml"
    path.write_text(text, "utf-8")
    return path, text


def same(a: Draft, b: Draft) -> bool:
    """Equal but for the save stamps (a save sets meta.updated/created in the file)."""
    skip = {"meta": {"updated", "created"}}
    return a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


def test_save_keeps_hand_written_comments_and_key_order(guide: Guide, tmp_path: Path) -> None:
    path, text = hand_edited(guide, tmp_path)
    draft = load_draft(path, guide)
    tracked = TrackedDraft(path, text.encode())
    draft.project.title = "改过的标题"
    draft.units.append(Unit(name="新单位", role="participant"))
    tracked.write(draft_data(draft))
    after = path.read_text("utf-8")
    for note in HAND_EDITED_NOTES:
        assert note in after, note
    assert 'title = "改过的标题"' in after and 'name = "新单位"' in after
    assert same(load_draft(path, guide), draft)
    # Only the edited lines changed: everything else is the file as written by hand.
    gone = set(text.splitlines()) - set(after.splitlines())
    assert all(line.startswith(("title =", "updated =", "created =")) for line in gone), gone
    # A second save (the editor keeps the document) keeps them too.
    draft.units.pop(0)
    tracked.write(draft_data(draft))
    after = path.read_text("utf-8")
    assert HAND_EDITED_NOTES[0] in after and HAND_EDITED_NOTES[1] in after
    assert same(load_draft(path, guide), draft)


def test_plain_save_before_the_fix_loses_comments(guide: Guide, tmp_path: Path) -> None:
    """What a save did before DraftText: the plain dump (still used for the wizard's own
    layout, where it writes the same bytes)."""
    path, _ = hand_edited(guide, tmp_path)
    draft = load_draft(path, guide)
    save_draft(draft, path)
    assert HAND_EDITED_NOTES[0] not in path.read_text("utf-8")
    own = dump_draft(draft)
    assert DraftText(own).render(draft_data(draft)) == own


def test_kept_unreadable_text_round_trips_with_comments(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    base = DraftText("# 手写\n" + dump_draft(draft))
    draft.meta.unparsed = {"tasks[0].budget.materials.central": "四十多", "units[0].funding": "x"}
    out = base.render(draft_data(draft))
    assert out.startswith("# 手写\n") and '"tasks[0].budget.materials.central" = "四十多"' in out
    assert Draft.model_validate(tomllib.loads(out, parse_float=Decimal)) == draft
    theirs = draft.model_copy(deep=True)
    theirs.meta.unparsed = {}
    [diff] = field_diffs(draft_data(draft), draft_data(theirs))
    assert diff.path == "meta.unparsed"
    merged = merge_data(draft_data(draft), draft_data(theirs), {"meta.unparsed"})
    assert merged["meta"]["unparsed"] == {}
    draft.meta.unparsed = {}
    out = base.render(draft_data(draft))
    assert "unparsed" not in out and out.startswith("# 手写\n")


def test_unpatchable_layout_falls_back_to_the_plain_dump(guide: Guide, tmp_path: Path) -> None:
    draft = clean_draft(guide, "1.6")
    data = tomllib.loads(dump_draft(draft), parse_float=Decimal)
    # Inline tables and dotted keys: valid TOML the round trip need not keep.
    text = "# note\n" + "\n".join(
        f"{k} = {v!r}".replace("'", '"') for k, v in data.items() if not isinstance(v, dict | list)
    )
    text += '\nproject = { title = "x" }\n'
    base = DraftText(text)
    out = base.render(draft_data(draft))
    assert tomllib.loads(out, parse_float=Decimal) == tomllib.loads(
        dump_draft(draft), parse_float=Decimal
    )


@settings(max_examples=40, deadline=None)
@given(
    title=st.text(max_size=40),
    funding=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    units=st.integers(min_value=0, max_value=4),
)
def test_round_trip_always_reads_back_as_the_draft(
    guide: Guide, title: str, funding: Decimal, units: int
) -> None:
    draft = clean_draft(guide, "1.6")
    text = "# top\n" + dump_draft(draft).replace("[[team]]\n", "[[team]]\n# about the leader\n")
    base = DraftText(text)
    draft.project.title = title
    draft.units = [Unit(name=f"单位{i}", funding=funding) for i in range(units)]
    out = base.render(draft_data(draft))
    assert Draft.model_validate(tomllib.loads(out, parse_float=Decimal)) == draft
    assert "# about the leader" in out


def test_save_never_overwrites_a_file_changed_underneath(guide: Guide, tmp_path: Path) -> None:
    draft = clean_draft(guide, "1.6")
    path = save_draft(draft, tmp_path / "a.toml")
    tracked = TrackedDraft.read(path)
    theirs = path.read_text("utf-8").replace(draft.project.title, "别人改的")
    path.write_text(theirs, "utf-8")
    draft.project.title = "我改的"
    with pytest.raises(DraftChanged) as caught:
        tracked.write(draft_data(draft))
    assert caught.value.theirs == theirs.encode()
    assert path.read_text("utf-8") == theirs  # untouched
    # Chosen: keep mine over theirs.
    tracked.accept(caught.value.theirs or b"")
    tracked.write(draft_data(draft))
    assert load_draft(path).project.title == "我改的"
    # My own saves are never a conflict; a file gone is written anew.
    tracked.write(draft_data(draft))
    path.unlink()
    tracked.write(draft_data(draft))
    assert path.exists()


def test_same_size_change_with_old_mtime_is_a_conflict(guide: Guide, tmp_path: Path) -> None:
    """The hash decides, not mtime and size: a rewrite of equal length, its mtime put back."""
    draft = clean_draft(guide, "1.6")
    draft.project.title = "AAAA"
    path = save_draft(draft, tmp_path / "a.toml")
    st_before = path.stat()
    tracked = TrackedDraft.read(path)
    path.write_text(path.read_text("utf-8").replace("AAAA", "BBBB"), "utf-8")
    os.utime(path, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    with pytest.raises(DraftChanged):
        tracked.write(draft_data(draft))


def test_field_diffs_and_merge(guide: Guide) -> None:
    mine = clean_draft(guide, "1.6")
    theirs = mine.model_copy(deep=True)
    mine.project.title = "我的标题"
    theirs.project.title = "文件的标题"
    assert theirs.leader is not None
    theirs.leader.name = "王五"
    theirs.units.append(Unit(name="他们加的单位"))
    theirs.meta.last_field = "team[0].name"  # the reading position is never a conflict
    diffs = field_diffs(draft_data(mine), draft_data(theirs))
    paths = [d.path for d in diffs]
    assert paths == ["project.title", "team[0].name", f"units[{len(mine.units)}]"], paths
    merged = merge_data(
        draft_data(mine), draft_data(theirs), {"team[0].name", f"units[{len(mine.units)}]"}
    )
    result = Draft.model_validate(merged)
    assert result.project.title == "我的标题"
    assert result.leader is not None and result.leader.name == "王五"
    assert result.units[-1].name == "他们加的单位"
    # A unit only I have, merged as theirs: dropped.
    back = merge_data(draft_data(theirs), draft_data(mine), {f"units[{len(mine.units)}]"})
    assert len(back["units"]) == len(mine.units)


def test_copy_beside_fits_a_long_name(tmp_path: Path) -> None:
    path = tmp_path / ("𠮷" * 60 + ".toml")
    copy = copy_path(path, "theirs")
    assert copy.parent == tmp_path and len(os.fsencode(copy.name)) <= 200
    assert copy.name.endswith(".toml") and ".theirs-" in copy.name


def test_recovery_copies_are_written_listed_restored_discarded(
    guide: Guide, tmp_path: Path
) -> None:
    draft = clean_draft(guide, "1.6")
    original = tmp_path / ("𠮷" * 60 + ".toml")
    where = write_recovery(dump_draft(draft), original)
    assert where.parent == recovery_dirs()[0]
    assert oct(where.stat().st_mode & 0o777) == oct(0o600)
    second = write_recovery(dump_draft(draft), tmp_path / "b.toml")
    found = list_recoveries()
    assert [r.path for r in found] == [where, second]
    assert found[0].original == str(original)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    restored = restore_recovery(found[0], drafts)
    assert restored.parent == drafts and restored.name.endswith("-恢复.toml")
    assert load_draft(restored, guide) == draft
    discard_recovery(found[1])
    assert list_recoveries() == []


def test_recovery_falls_back_when_the_first_folder_fails(
    guide: Guide, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setattr(
        "wizard.recovery.recovery_dirs", lambda: [blocked / "recovery", tmp_path / "second"]
    )
    where = write_recovery(dump_draft(clean_draft(guide, "1.6")), tmp_path / "a.toml")
    assert where.parent == tmp_path / "second"
    monkeypatch.setattr("wizard.recovery.recovery_dirs", lambda: [blocked / "recovery"])
    with pytest.raises(OSError):
        write_recovery("x", tmp_path / "a.toml")


def test_only_a_hand_edited_file_loads_the_round_trip_library(guide: Guide, tmp_path: Path) -> None:
    """tomlkit (≈ 2.5 MiB, ≈ 30 ms in the save thread) is for files with comments of their
    own: the editor's autosaves of a file in the wizard's layout never import it."""
    import subprocess
    import sys

    plain = save_draft(clean_draft(guide, "1.6"), tmp_path / "plain.toml", touch=False)
    hand, _ = hand_edited(guide, tmp_path)
    code = (
        "import sys; from pathlib import Path; from wizard.store import DraftText, draft_data, "
        "load_draft; from wizard.guide import load_guide\n"
        "for name in sys.argv[1:]:\n"
        "    path = Path(name); text = DraftText(path.read_text('utf-8'))\n"
        "    draft = load_draft(path, load_guide()); draft.project.title += '改'\n"
        "    text.render(draft_data(draft)); text.render(draft_data(draft))\n"
        "    print(path.name, 'tomlkit' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(plain), str(hand)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).absolute().parents[2],
    )
    assert run.stdout.split("\n")[:2] == ["plain.toml False", "hand.toml True"], run.stderr
