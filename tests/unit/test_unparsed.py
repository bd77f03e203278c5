"""Text that cannot be read is kept in the draft ([meta.unparsed]) and blocks "ready"."""

from __future__ import annotations

from pathlib import Path

from tests.factories import clean_draft, direct_key, leader_of, leader_path
from wizard.guide import Guide
from wizard.rules import evaluate
from wizard.store import dump_draft, load_draft, parse_draft, save_draft


def _materials(guide: Guide) -> tuple[str, str]:
    """(key, zh label) of the 材料费 category, found through the guide."""
    key = direct_key(guide)
    category = guide.form.category(key)
    assert category is not None
    return key, category.zh


def test_unparsed_text_round_trips_under_meta(guide: Guide, tmp_path: Path) -> None:
    draft = clean_draft(guide, "1.6")
    key, _ = _materials(guide)
    path = f"tasks[0].budget.{key}.central"
    draft.tasks[0].budget[key].central = None
    draft.meta.unparsed[path] = "四十多"
    draft.meta.unparsed["units[0].funding"] = 'a "quoted" = [x]'
    text = dump_draft(draft)
    assert "[meta.unparsed]" in text
    assert text.index("[meta]") < text.index("[meta.unparsed]") < text.index("[project]")
    saved = save_draft(draft, tmp_path / "d.toml")
    again = load_draft(saved, guide)
    assert again.meta.unparsed == {path: "四十多", "units[0].funding": 'a "quoted" = [x]'}
    assert again.meta.status == "draft"


def test_old_drafts_have_no_unparsed_table(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    text = dump_draft(draft)
    assert "unparsed" not in text
    assert parse_draft(text, "d.toml", guide).meta.unparsed == {}


def test_unparsed_text_is_an_error_with_its_clause(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    assert not [v for v in evaluate(draft, guide) if v.severity == "error"]
    key, zh = _materials(guide)
    path = f"tasks[0].budget.{key}.central"
    draft.tasks[0].budget[key].central = None
    draft.meta.unparsed[path] = "四十多万"
    found = [v for v in evaluate(draft, guide) if v.path == path]
    assert [v.rule for v in found] == ["gen-entry-format"]  # not also "empty"
    (v,) = found
    assert v.severity == "error"
    task = draft.tasks[0].name
    assert (
        v.message("zh")
        == f"课题1“{task}” {zh}（中央财政）：无法识别“四十多万”，请填写数字（万元）。"
    )
    assert "cannot read '四十多万'" in v.message("en")
    assert v.clause.source and "非指南原文" in v.clause.source


def test_unparsed_date_message_names_the_format(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    leader_of(draft).birth_date = None
    path = leader_path(draft, "birth_date")
    draft.meta.unparsed[path] = "三月二日"
    (v,) = [v for v in evaluate(draft, guide) if v.path == path]
    assert "1978-03-02" in v.message("zh") and v.severity == "error"


def test_out_of_range_text_says_so(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    key, zh = _materials(guide)
    path = f"tasks[1].budget.{key}.own"
    draft.meta.unparsed[path] = "1000000000"
    draft.meta.unparsed["project.months"] = "1300"
    found = {
        v.path: v.message("zh") for v in evaluate(draft, guide) if v.rule == "gen-entry-format"
    }
    assert found[path].endswith(f"{zh}（单位自筹）：“1000000000”超出允许范围，请核对。")
    assert "超出允许范围" in found["project.months"]


def test_swapped_entries_take_their_kept_texts_along() -> None:
    from wizard.entry import unparsed_after_swap

    kept = {"units[0].funding": "四十多", "units[2].matching": "x", "tasks[0].budget.a.own": "y"}
    assert unparsed_after_swap(kept, "units", 0, 1) == {
        "units[1].funding": "四十多",
        "units[2].matching": "x",
        "tasks[0].budget.a.own": "y",
    }
