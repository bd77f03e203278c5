"""What the guide already says is filled in (issue 10, observation 10); the applicant can
still change it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from tests.helpers import editing, put, wait_check, widget_for
from wizard.draft import follow_topic, new_draft, prefill_partner
from wizard.guide import Direction, Guide


def direction(guide: Guide, code: str) -> Direction:
    found = guide.direction(code)
    assert found is not None
    return found


def test_new_draft_takes_partner_and_agency_from_the_direction(guide: Guide) -> None:
    draft = new_draft(direction(guide, "1.7"), guide.id)
    assert draft.direction == "1.7"
    assert draft.partner.country == "奥地利"
    assert draft.partner.agency == "奥地利联邦教育、科学和研究部"
    sweden = new_draft(direction(guide, "1.6"), guide.id)
    assert (sweden.partner.country, sweden.partner.agency) == ("瑞典", "")
    riken = new_draft(direction(guide, "2.1"), guide.id)
    assert riken.partner.country == "日本理化学研究所（RIKEN）"
    # A code alone (old callers, tests) fills nothing in.
    assert new_draft("1.7").partner.country == ""


def test_switch_refills_what_the_old_direction_filled_and_keeps_own_entries(
    guide: Guide,
) -> None:
    austria, russia, sweden = (direction(guide, c) for c in ("1.7", "2.5", "1.6"))
    draft = new_draft(austria, guide.id)
    assert prefill_partner(draft, russia, old=austria) == ["partner.country", "partner.agency"]
    assert draft.partner.country == "俄罗斯" and draft.partner.agency == "俄罗斯科学与高等教育部"
    assert prefill_partner(draft, sweden, old=russia) == ["partner.country", "partner.agency"]
    assert (draft.partner.country, draft.partner.agency) == ("瑞典", "")  # Sweden names none
    draft.partner.country = "瑞典王国"  # the applicant's own words
    draft.partner.agency = "Vinnova"
    assert prefill_partner(draft, austria, old=sweden) == []
    assert (draft.partner.country, draft.partner.agency) == ("瑞典王国", "Vinnova")


def test_h2020_topic_follows_the_sub_topic(guide: Guide) -> None:
    eu = direction(guide, "1.4")
    draft = new_draft(eu, guide.id)
    first, second = (f.topics[0].key for f in eu.fields.items[:2])
    draft.project.topic = first
    assert follow_topic(draft, eu, "") == ["h2020.topic"]
    assert draft.h2020.topic == first
    draft.project.topic = second
    assert follow_topic(draft, eu, first) == ["h2020.topic"] and draft.h2020.topic == second
    draft.h2020.topic = "H2020-OWN-TOPIC"  # typed by the applicant: kept
    draft.project.topic = first
    assert follow_topic(draft, eu, second) == [] and draft.h2020.topic == "H2020-OWN-TOPIC"
    sweden = new_draft(direction(guide, "1.6"), guide.id)
    sweden.project.topic = "x"
    assert follow_topic(sweden, direction(guide, "1.6"), "") == []


async def test_wizard_prefills_partner_and_h2020_topic(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.4", size=(120, 40)) as (_app, pilot, ed):
        await ed.show_section("partner")
        assert widget_for(ed, "partner.country").value == "欧盟"
        await put(pilot, ed, "partner.country", "欧洲联盟")  # still the applicant's to change
        assert ed.draft.partner.country == "欧洲联盟"
        await ed.show_section("project")
        eu = direction(guide, "1.4")
        field = eu.fields.items[0]
        await put(pilot, ed, "project.field", field.zh)
        await pilot.pause()
        topic = widget_for(ed, "project.topic")
        assert isinstance(topic, Select)
        await put(pilot, ed, "project.topic", field.topics[0].key)
        await wait_check(pilot)
        assert ed.draft.h2020.topic == field.topics[0].key
        await ed.show_section("h2020")
        assert widget_for(ed, "h2020.topic").value == field.topics[0].key
        assert not [v for v in ed.violations if v.path == "h2020.topic"]


async def test_direction_switch_refills_the_partner(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.7", size=(120, 40)) as (_app, pilot, ed):
        assert ed.draft.partner.agency == "奥地利联邦教育、科学和研究部"
        await ed.apply_switch("2.5")
        await pilot.pause()
        assert (ed.draft.partner.country, ed.draft.partner.agency) == (
            "俄罗斯",
            "俄罗斯科学与高等教育部",
        )
        await ed.show_section("partner")
        assert widget_for(ed, "partner.agency").value == "俄罗斯科学与高等教育部"


async def test_switch_away_from_h2020_drops_its_kept_texts(tmp_path: Path, guide: Guide) -> None:
    async with editing(tmp_path, guide, new_direction="1.4", size=(120, 40)) as (_app, pilot, ed):
        await ed.show_section("h2020")
        await put(pilot, ed, "h2020.cn_budget", "很多")
        await ed.show_section("budget")
        cell = f"tasks[0].budget.{guide.form.direct_keys[2]}.central"
        await put(pilot, ed, cell.replace("[0]", "[]"), "四十多")
        assert set(ed.draft.meta.unparsed) == {"h2020.cn_budget", cell}
        await ed.apply_switch("1.6")
        await wait_check(pilot)
        assert ed.draft.meta.unparsed == {cell: "四十多"}
        assert [v.path for v in ed.violations if v.rule == "gen-entry-format"] == [cell]
