"""Completeness tells the truth (wizard/progress.py): done means filled and error-free."""

from __future__ import annotations

from tests.factories import clean_draft
from wizard.draft import Unit, new_draft
from wizard.guide import Guide
from wizard.progress import Completeness, completeness, overall, section_of_path
from wizard.rules import evaluate


def parts_of(draft, guide: Guide) -> dict[str, Completeness]:  # type: ignore[no-untyped-def]
    return completeness(draft, guide, evaluate(draft, guide))


def test_empty_is_never_100() -> None:
    assert Completeness(0, 0).percent == 0
    assert not Completeness(0, 0).complete
    assert Completeness(3, 3).percent == 100 and Completeness(3, 3).complete
    assert Completeness(3, 3, errors=1).percent == 99
    assert not Completeness(3, 3, errors=1).complete


def test_new_draft_has_nothing_complete(guide: Guide) -> None:
    draft = new_draft("1.6", guide.id)
    parts = parts_of(draft, guide)
    for section, part in parts.items():
        assert not part.complete, section
        assert part.percent < 100, section
    # 企业与配套 ✓ 100% on every new draft: the lead unit's kind is not known yet.
    assert parts["enterprises"].percent == 0
    assert overall(parts).percent < 100


def test_clean_draft_is_complete_everywhere(guide: Guide) -> None:
    for code in ("1.6", "1.4", "2.1"):
        draft = clean_draft(guide, code)
        parts = parts_of(draft, guide)
        shown = [s for s, p in parts.items() if p.total]
        assert all(parts[s].complete for s in shown), (code, parts)
        assert parts["review"].complete
        assert overall(parts).percent == 100


def test_enterprises_done_when_kinds_known_and_no_enterprise_needed(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    parts = parts_of(draft, guide)
    assert parts["enterprises"].complete


def test_an_error_keeps_its_section_and_review_below_100(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    [indirect] = guide.form.indirect_keys
    line = draft.tasks[0].budget[indirect]
    line.central = (line.central or 0) + 500  # over the 课题's cap, the units' sums differ
    parts = parts_of(draft, guide)
    assert parts["budget"].errors and parts["budget"].percent == 99
    assert not parts["review"].complete and parts["review"].errors >= 1
    assert overall(parts).percent == 99


def test_units_not_complete_after_the_lead_unit_is_deleted(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    lead = next(i for i, u in enumerate(draft.units) if u.role == "lead")
    del draft.units[lead]
    parts = parts_of(draft, guide)
    assert not parts["units"].complete
    assert parts["units"].percent < 100
    draft.units = []
    parts = parts_of(draft, guide)
    assert parts["units"].percent < 100 and parts["enterprises"].percent < 100


def test_unknown_enterprise_unit_waits_for_its_amounts(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.units.append(Unit(name="某某科技有限公司", kind="enterprise"))
    parts = parts_of(draft, guide)
    assert not parts["enterprises"].complete


def test_unparsed_text_counts_against_its_section(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    key = guide.form.direct_keys[1]
    draft.tasks[0].budget[key].central = None
    cell = f"tasks[0].budget.{key}.central"
    draft.meta.unparsed[cell] = "四十多"
    assert section_of_path(cell) == "budget"
    parts = parts_of(draft, guide)
    assert not parts["budget"].complete and not parts["review"].complete


def test_every_v2_part_has_its_section(guide: Guide) -> None:
    """The parts of the whole application each count in their own section: an empty 课题
    name in 课题, a budget cell in 经费预算, a missing narrative part in 申报书正文."""
    draft = clean_draft(guide, "1.6")
    assert parts_of(draft, guide)["tasks"].complete
    draft.tasks[0].name = ""
    key = next(p.key for p in guide.form.parts if not p.holds)
    draft.narrative.pop(key)
    draft.plan = draft.plan[1:]
    parts = parts_of(draft, guide)
    assert not parts["tasks"].complete and parts["tasks"].errors
    assert not parts["narrative"].complete
    assert not parts["plan"].complete
    assert parts["budget"].complete and parts["team"].complete
    assert section_of_path("team[2].id_number") == "team"
    assert section_of_path("narrative.status") == "narrative"
    assert section_of_path("recommender.kind") == "project"
    assert section_of_path("attachments[0].path") == "attachments"


def test_budget_below_100_says_which_categories_are_blank(guide: Guide) -> None:
    """Filled by hand: amounts typed for the categories a 课题 spends on, the others left
    blank, no error left, and 经费预算 stays at 60 %: the hint names the blank ones."""
    from wizard.progress import budget_gaps, budget_hint

    draft = clean_draft(guide, "1.6")
    assert budget_gaps(draft, guide) == [] and budget_hint(draft, guide, "zh") == ""
    blank = ["labour", "expert"]
    for key in blank:
        draft.tasks[0].budget[key].central = None
    part = completeness(draft, guide, evaluate(draft, guide))["budget"]
    assert not part.complete and part.errors == 0
    assert budget_gaps(draft, guide) == [(0, blank)]
    zh = budget_hint(draft, guide, "zh")
    assert "课题1的劳务费、专家咨询费的中央财政经费为空" in zh and "填 0" in zh
    en = budget_hint(draft, guide, "en")
    names = {c.key: c.en for c in guide.form.categories}
    assert f"task 1 has no central funds for {names['labour']}, {names['expert']}" in en
    for task in draft.tasks[1:]:
        task.budget.pop("other")
    assert "另有 1 个课题" in budget_hint(draft, guide, "zh", most=2)
