"""`wizard check DIR`: 限项 across drafts, by ID number (name + birth date when none)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.factories import clean_draft, leader_of, person
from wizard.check import FileReport, cross_draft_violations
from wizard.draft import Draft
from wizard.guide import Guide


def _reports(drafts: list[Draft]) -> list[FileReport]:
    return [FileReport(Path(f"d{i}.toml"), draft=d) for i, d in enumerate(drafts)]


def _distinct(guide: Guide, n: int) -> list[Draft]:
    """Drafts with different titles and, by default, different people."""
    out = []
    for i in range(n):
        d = clean_draft(guide, "1.6")
        d.project.title = f"项目{i}"
        for m, p in enumerate(d.team):
            d.team[m] = person(p.name, p.unit, p.role or "core", p.task, n=100 * i + m + 10)
        out.append(d)
    return out


def test_same_id_number_is_the_same_leader_whatever_the_name(guide: Guide) -> None:
    drafts = _distinct(guide, 2)
    drafts[1].team[0] = drafts[0].team[0].model_copy(update={"name": "Zhang San"})
    reports = _reports(drafts)
    cross_draft_violations(reports, guide)
    [v] = reports[1].violations
    assert v.rule == "cross-same-leader" and v.severity == "error"
    assert v.path == "team[0].name" and "d0.toml" in v.message_zh
    assert v.clause.item == "申报通知 · 限项" and "一个项目" in v.clause.text


def test_same_name_different_id_numbers_are_two_people(guide: Guide) -> None:
    drafts = _distinct(guide, 2)
    reports = _reports(drafts)
    cross_draft_violations(reports, guide)
    assert all(r.violations == [] for r in reports)


def test_core_member_on_three_applications(guide: Guide) -> None:
    drafts = _distinct(guide, 3)
    shared = person("共同骨干", "清华大学", "core", 1, date(1979, 9, 9), n=999)
    for d in drafts:
        d.team.append(shared.model_copy())
    reports = _reports(drafts)
    cross_draft_violations(reports, guide)
    for r in reports:
        [v] = r.violations
        assert v.rule == "cross-project-limit" and v.path.endswith(".other_projects")
        assert "共同骨干" in v.message_zh and "3" in v.message_zh
    assert leader_of(drafts[0]).name  # the leaders are untouched
