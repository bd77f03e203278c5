"""限项 across drafts: the same person (by ID number, else name + birth date) counted."""

from __future__ import annotations

from datetime import date

from tests.factories import clean_draft, person
from wizard.draft import Draft
from wizard.guide import Guide
from wizard.rules.limits import cross_draft_counts, cross_draft_findings, person_key


def _drafts(guide: Guide, n: int) -> list[Draft]:
    drafts = []
    for i in range(n):
        d = clean_draft(guide, "1.6")
        # A different leader in each by default (ID numbers differ by sequence).
        d.team[0] = person(f"负责人{i}", "清华大学", "leader", None, date(1970, 1, 1), 100 + i)
        d.tasks[0].leader = f"负责人{i}"
        drafts.append(d)
    return drafts


def test_person_key_by_id_then_name_and_birth() -> None:
    a = person("张三", "X", n=1)
    b = person("张 三", "Y", n=1)  # same ID number, other spelling
    assert person_key(a) == person_key(b)
    a.id_number = ""
    assert person_key(a) == "name:张三:1980-01-01"
    a.birth_date = None
    assert person_key(a) is None
    c = person("李四", "X", n=1)
    c.id_number = " " + c.id_number.lower() + " "
    assert person_key(c) == person_key(person("王五", "X", n=1))  # the ID decides


def test_distinct_people_are_not_counted(guide: Guide) -> None:
    drafts = _drafts(guide, 2)
    for i, d in enumerate(drafts):  # everyone different
        for m, p in enumerate(d.team):
            d.team[m] = person(
                p.name + str(i), p.unit, p.role or "core", p.task, n=10 * i + m + 200
            )
    assert cross_draft_counts(drafts) == []
    assert cross_draft_findings(drafts, ["a.toml", "b.toml"]) == []


def test_same_leader_in_two_drafts(guide: Guide) -> None:
    drafts = _drafts(guide, 2)
    drafts[1].team[0] = drafts[0].team[0].model_copy()
    found = cross_draft_findings(drafts, ["a.toml", "b.toml"])
    leader = [f for f in found if f.kind == "leader_once"]
    assert [(f.draft, f.path) for f in leader] == [(0, "team[0].name"), (1, "team[0].name")]
    assert "b.toml" in leader[0].zh and "a.toml" in leader[1].en


def test_core_member_on_three_drafts_is_over_the_limit(guide: Guide) -> None:
    drafts = _drafts(guide, 3)  # the same 李四, 王五, 钱七 on each (factory IDs)
    counts = {c.name: c for c in cross_draft_counts(drafts)}
    assert counts["钱七"].drafts == (0, 1, 2)
    found = [f for f in cross_draft_findings(drafts, ["a", "b", "c"]) if f.kind == "limit"]
    assert {f.draft for f in found} == {0, 1, 2}
    assert all("3" in f.zh for f in found)
    assert cross_draft_findings(drafts[:2], ["a", "b"]) == []  # two is within the limit


def test_general_members_are_not_counted(guide: Guide) -> None:
    drafts = _drafts(guide, 3)
    for d in drafts:
        for p in d.team[1:]:
            p.role = "general"
    assert [f for f in cross_draft_findings(drafts, ["a", "b", "c"]) if f.kind == "limit"] == []


def test_unloaded_files_are_skipped(guide: Guide) -> None:
    drafts: list[Draft | None] = [None, *_drafts(guide, 2)]
    assert all(0 not in c.drafts for c in cross_draft_counts(drafts))


def test_a_person_on_many_drafts_names_ten_others_and_counts_the_rest(guide: Guide) -> None:
    drafts = _drafts(guide, 15)  # the same 钱七 (core) on every team
    labels = [f"d{i:02d}.toml" for i in range(15)]
    found = [f for f in cross_draft_findings(drafts, labels) if f.kind == "limit"]
    assert {f.draft for f in found} == set(range(15))  # every draft still told
    first = next(f for f in found if f.draft == 0)
    assert "d01.toml、" in first.zh and "d10.toml 等 14 份" in first.zh
    assert "d11.toml" not in first.zh and "15 份申报书" in first.zh
    assert "d10.toml and 4 more" in first.en
    last = next(f for f in found if f.draft == 14)
    assert "d00.toml" in last.en and "d14.toml" not in last.en
