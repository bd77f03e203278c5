"""Each rule: a draft that breaks it, and the clean draft that passes it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import add_central, clean_draft, direct_key, edit, leader_of, leader_path
from tests.helpers import CODES, check
from wizard.draft import Institution, Unit
from wizard.guide import Guide
from wizard.rules import evaluate
from wizard.rules.budget import indirect_cap_amount


@pytest.mark.parametrize("code", CODES)
def test_clean_draft_has_no_errors_or_warnings(guide: Guide, code: str) -> None:
    violations = evaluate(clean_draft(guide, code), guide)
    assert [v for v in violations if v.severity != "info"] == []


@pytest.mark.parametrize("code", CODES)
def test_every_violation_cites_a_clause_and_speaks_both_languages(guide: Guide, code: str) -> None:
    from wizard.draft import new_draft

    for v in evaluate(new_draft(code), guide):
        assert v.clause.text and v.clause.item and v.clause.direction in ("general", code)
        assert v.message_zh and v.message_en and v.message_zh != v.message_en


def test_empty_draft_reports_missing_fields(guide: Guide) -> None:
    from wizard.draft import new_draft

    paths = {v.path for v in check(guide, new_draft("1.6"), "required_fields")}
    assert {"project.title", "team[0].name", "units[0].name", "partner.country"} <= paths
    assert "h2020.proposal" not in paths
    assert "h2020.proposal" in {v.path for v in check(guide, new_draft("1.4"), "required_fields")}


def test_bad_email_is_reported(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    leader_of(draft).email = "zhang at example"
    assert [v.path for v in check(guide, draft, "required_fields")] == [leader_path(draft, "email")]


def test_field_must_belong_to_direction(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.project.field = "航天"
    [v] = check(guide, draft, "field_in_direction")
    assert v.severity == "error" and v.path == "project.field"


# The field and topic: a topic of another field, any field where the direction names none,
# another field where it names priorities (info only).
@pytest.mark.parametrize(
    ("code", "changes", "expected"),
    [
        ("1.4", {"project.topic": "SC1-99-2020"}, [("project.topic", "error")]),
        ("2.1", {"project.field": "天文学"}, []),
        ("2.4", {"project.field": "海洋科学"}, [("project.field", "info")]),
    ],
    ids=["topic-must-belong-to-field", "unrestricted-accepts-any", "priority-gives-info"],
)
def test_field_in_direction(
    guide: Guide, code: str, changes: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    found = check(guide, edit(clean_draft(guide, code), changes), "field_in_direction")
    assert [(v.path, v.severity) for v in found] == expected


@pytest.mark.parametrize(
    ("code", "months", "severity"),
    [("1.9", 36, "error"), ("1.9", 18, "error"), ("1.6", 40, "error"), ("1.2", 40, "warning"),
     ("2.0", 30, "warning"), ("1.1", 48, "warning"), ("1.7", 36, "warning")],
)  # fmt: skip
def test_period_breaks(guide: Guide, code: str, months: int, severity: str) -> None:
    draft = clean_draft(guide, code)
    draft.project.months = months
    [v] = check(guide, draft, "period")
    assert v.severity == severity and v.path == "project.months"


@pytest.mark.parametrize(("code", "months"), [("1.9", 24), ("1.6", 36), ("1.1", 36)])
def test_period_passes(guide: Guide, code: str, months: int) -> None:
    draft = clean_draft(guide, code)
    draft.project.months = months
    assert check(guide, draft, "period") == []


@pytest.mark.parametrize("code", [c for c in CODES if c != "1.3"])
def test_one_sided_filing_is_void_where_the_guide_says_so(guide: Guide, code: str) -> None:
    draft = clean_draft(guide, code)
    draft.partner.submitted = False
    [v] = check(guide, draft, "both_sides_file")
    assert v.severity == "error" and v.path == "partner.submitted"


def test_uruguay_has_no_one_sided_clause(guide: Guide) -> None:
    """1.3's clauses do not say 单方申报无效: no error for it there."""
    draft = clean_draft(guide, "1.3")
    draft.partner.submitted = False
    assert check(guide, draft, "both_sides_file") == []


@pytest.mark.parametrize("code", ["1.1", "1.3", "1.7", "2.5"])
def test_named_agency_is_checked(guide: Guide, code: str) -> None:
    draft = clean_draft(guide, code)
    direction = guide.direction(code)
    assert direction is not None and direction.agency is not None
    draft.partner.agency = direction.agency.en
    assert check(guide, draft, "partner_agency") == []
    # A name that matches none: a warning that names the guide's agency, not what was typed.
    draft.partner.agency = "Some other ministry"
    [v] = check(guide, draft, "partner_agency")
    assert v.severity == "warning" and direction.agency.zh in v.message_zh
    assert direction.agency.en in v.message_en
    # A known different body stays an error.
    draft.partner.agency = direction.agency.others[0].en
    [v] = check(guide, draft, "partner_agency")
    assert v.severity == "error" and direction.agency.zh in v.message_zh


def test_eu_flagship_needs_three_units(guide: Guide) -> None:
    draft = clean_draft(guide, "1.4")
    draft.units.pop()
    draft.units[0].funding = (draft.units[0].funding or Decimal(0)) + Decimal(0)
    assert [v.path for v in check(guide, draft, "min_units")] == ["units"]
    assert check(guide, clean_draft(guide, "1.4"), "min_units") == []
    assert check(guide, clean_draft(guide, "1.5").model_copy(), "min_units") == []


def test_subordinate_unit_is_an_error_and_siblings_are_not(guide: Guide) -> None:
    draft = clean_draft(guide, "1.4")
    draft.units[1].parent = draft.units[0].name
    [v] = check(guide, draft, "no_subordination")
    assert v.severity == "error" and v.path == "units[1].parent"
    # Two units under one ministry are not subordinate to each other.
    draft.units[1].parent = "教育部"
    draft.units[0].parent = "教育部"
    assert check(guide, draft, "no_subordination") == []


@pytest.mark.parametrize("code", ["1.4", "1.6", "1.7", "1.8"])
def test_enterprise_must_match_its_funding(guide: Guide, code: str) -> None:
    draft = clean_draft(guide, code)
    enterprise = next(i for i, u in enumerate(draft.units) if u.kind == "enterprise")
    draft.units[enterprise].matching = Decimal("0.5")
    [v] = check(guide, draft, "enterprise_matching")
    assert v.severity == "error" and v.path == f"units[{enterprise}].matching"


def test_enterprise_matching_is_not_required_elsewhere(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    draft.units[2].matching = Decimal(0)
    assert check(guide, draft, "enterprise_matching") == []


def test_h2020_every_unit_is_a_participant(guide: Guide) -> None:
    draft = clean_draft(guide, "1.4")
    draft.h2020.participants = draft.h2020.participants[:2]
    [v] = check(guide, draft, "h2020_participants")
    assert v.path == "units[2].name" and v.severity == "error"


def test_h2020_budget_cap(guide: Guide) -> None:
    draft = clean_draft(guide, "1.5")
    draft.h2020.cn_budget = Decimal("1")
    [v] = check(guide, draft, "h2020_budget_cap")
    assert v.path == "h2020.cn_budget" and v.severity == "error"


def test_h2020_topic_must_match_project(guide: Guide) -> None:
    draft = clean_draft(guide, "1.4")
    draft.h2020.topic = "SC5-27-2020" if draft.project.topic != "SC5-27-2020" else "SFS-40-2020"
    [v] = check(guide, draft, "h2020_topic_matches")
    assert v.path == "h2020.topic"


def test_h2020_call_year(guide: Guide) -> None:
    draft = clean_draft(guide, "1.5")
    draft.h2020.call_year = 2017
    [v] = check(guide, draft, "h2020_call_year")
    assert v.path == "h2020.call_year" and v.severity == "error"
    draft.h2020.call_year = 2018
    assert check(guide, draft, "h2020_call_year") == []


def test_two_plus_two(guide: Guide) -> None:
    draft = clean_draft(guide, "1.6")
    draft.partner.institutions = [draft.partner.institutions[0]]
    [v] = check(guide, draft, "two_plus_two")
    assert v.path == "partner.institutions" and "enterprise" in v.message_en
    draft = clean_draft(guide, "1.6")
    for unit in draft.units:
        if unit.kind in ("university", "institute"):
            unit.kind = "other"
    [v] = check(guide, draft, "two_plus_two")
    assert v.path == "units" and "research" in v.message_en


def test_uruguay_undertaking_institution(guide: Guide) -> None:
    draft = clean_draft(guide, "1.3")
    draft.partner.institutions[0].name = "Universidad ORT Uruguay"
    [v] = check(guide, draft, "partner_institution")
    assert v.severity == "error"
    draft.partner.institutions[0].name = "Universidad de la República"
    assert check(guide, draft, "partner_institution") == []


def test_riken_only(guide: Guide) -> None:
    draft = clean_draft(guide, "2.1")
    draft.partner.institutions.append(
        Institution(name="University of Tokyo", kind="university", contact="X", email="x@u.jp")
    )
    [v] = check(guide, draft, "partner_institution")
    assert v.path == "partner.institutions[1].name"


def test_israel_research_units_only(guide: Guide) -> None:
    draft = clean_draft(guide, "2.2")
    draft.units[1].kind = "enterprise"
    draft.units[1].matching = Decimal(100)
    [v] = check(guide, draft, "research_units_only")
    assert v.path == "units[1].kind" and v.severity == "error"


def test_one_lead_unit(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    draft.units[1].role = "lead"
    [v] = check(guide, draft, "one_lead_unit")
    assert v.path == "units[1].role"
    draft.units[0].role = draft.units[1].role = "participant"
    [v] = check(guide, draft, "one_lead_unit")
    assert v.path == "units[0].role"


@pytest.mark.parametrize(
    ("code", "problem"),
    [("91110108MA01234567", "check"), ("9111010", "length"), ("91AB0108MA0000001X", "characters")],
)
def test_credit_code_breaks(guide: Guide, code: str, problem: str) -> None:
    from wizard.uscc import uscc_problem

    assert uscc_problem(code) == problem
    draft = clean_draft(guide, "1.9")
    draft.units[0].credit_code = code
    [v] = check(guide, draft, "credit_code")
    assert v.path == "units[0].credit_code"


def test_credit_codes_accepted_including_letter_authorities() -> None:
    from stdnum.cn import uscc as stdnum_uscc

    from wizard.uscc import uscc_problem, with_check_character

    assert uscc_problem("91110000600037341L") is None  # a published code
    assert uscc_problem("9111 0000 6000 3734 1l") is None  # spaces and case forgiven
    for authority in ("A1", "N2", "Y1"):
        code = with_check_character(f"{authority}110000MA0000001")
        assert uscc_problem(code) is None
        assert not stdnum_uscc.is_valid(code)  # why we do not call stdnum's validate()


def test_government_unit_is_an_error(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    draft.units[1].kind = "government"
    [v] = check(guide, draft, "no_government_units")
    assert v.path == "units[1].kind" and v.severity == "error"


def test_leader_belongs_to_a_unit(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    leader_of(draft).unit = "北京大学"
    [v] = check(guide, draft, "leader_in_units")
    assert v.path == leader_path(draft, "unit")


@pytest.mark.parametrize(
    ("attr", "value", "rule", "path"),
    [
        ("title", "中级", "leader_title_or_doctorate", "title"),
        ("months_per_year", 4, "leader_months", "months_per_year"),
        ("birth_date", date(1959, 12, 31), "leader_birth", "birth_date"),
        ("other_projects", 2, "project_limit", "other_projects"),
    ],
)
def test_leader_eligibility_errors(
    guide: Guide, attr: str, value: object, rule: str, path: str
) -> None:
    # Errors since v2: the notice (as summarised) states them as conditions.
    draft = clean_draft(guide, "1.9")
    leader = leader_of(draft)
    leader.id_type = "passport"  # the birth date is not checked against an ID here
    if attr == "title":
        leader.degree = "硕士"
    setattr(leader, attr, value)
    [v] = check(guide, draft, rule)
    assert v.severity == "error" and v.path == leader_path(draft, path) and v.clause.source


def test_leader_born_on_the_first_day_passes(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    leader = leader_of(draft)
    leader.birth_date = date(1960, 1, 1)
    leader.title, leader.degree = "中级", "博士"
    leader.other_projects = 1
    assert check(guide, draft, "leader_birth") == []
    assert check(guide, draft, "leader_title_or_doctorate") == []
    assert check(guide, draft, "project_limit") == []


def test_budget_must_equal_units_funding(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    line = draft.tasks[0].budget[direct_key(guide)]
    line.central = (line.central or Decimal(0)) + 1
    [v] = check(guide, draft, "budget_units_sum")
    assert v.severity == "error" and "1.00 less" in v.message_en


def test_request_above_direction_total_is_an_error(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")  # 160 万元 for about 4 projects
    add_central(draft, guide, Decimal(200))
    [v] = check(guide, draft, "funding_total")
    assert v.severity == "error" and v.clause.item == "共拟支持经费"
    assert check(guide, draft, "funding_average") == []


def test_request_above_average_is_a_warning(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    add_central(draft, guide, Decimal(60))
    [v] = check(guide, draft, "funding_average")
    assert v.severity == "warning" and "40.00" in v.message_zh


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("1.234")])
def test_negative_or_over_precise_money(guide: Guide, amount: Decimal) -> None:
    draft = clean_draft(guide, "1.9")
    draft.units.append(Unit(name="x", funding=amount))
    assert [v.path for v in check(guide, draft, "money_format")] == ["units[3].funding"]


def test_indirect_cap_tiers() -> None:
    tiers: list[dict[str, object]] = [
        {"upto": 500, "rate": Decimal("0.20")},
        {"upto": 1000, "rate": Decimal("0.15")},
        {"rate": Decimal("0.13")},
    ]
    assert indirect_cap_amount(Decimal(400), tiers) == Decimal("80.00")
    assert indirect_cap_amount(Decimal(800), tiers) == Decimal("145.00")
    assert indirect_cap_amount(Decimal(1500), tiers) == Decimal("240.00")


def test_indirect_above_cap_is_an_error_naming_cap_and_excess(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    form = guide.form
    [indirect] = form.indirect_keys
    task = draft.tasks[0]
    direct = sum(task.amount(k, "central") for k in form.direct_keys)
    base = direct - sum(task.amount(k, "central") for k in form.purchase_keys)
    cap = (base * Decimal("0.2")).quantize(Decimal("0.01"))
    task.budget[indirect].central = cap + 1
    [v] = check(guide, draft, "indirect_cap")
    assert v.path == f"tasks[0].budget.{indirect}.central"
    assert str(cap) in v.message_en and "by 1" in v.message_en
    task.budget[indirect].central = cap
    assert check(guide, draft, "indirect_cap") == []


def test_other_costs_need_a_note(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    req = guide.requirement("gen-other-note")
    assert req is not None
    [other] = req.params["categories"]
    add_central(draft, guide, Decimal(1), key=other)
    draft.tasks[0].budget[other].basis = ""
    [v] = check(guide, draft, "basis_required")
    assert v.severity == "error"
    draft.tasks[0].budget[other].basis = "样品运输"
    assert check(guide, draft, "basis_required") == []


@pytest.mark.parametrize("code", CODES)
def test_unticked_attestations_are_violations(guide: Guide, code: str) -> None:
    draft = clean_draft(guide, code)
    ids = list(draft.attest)
    assert ids, "every direction has at least the general attestations"
    draft.attest[ids[0]] = False
    [v] = check(guide, draft, "attestation")
    assert v.path == f"attest.{ids[0]}"


def test_encourage_enterprise_is_info(guide: Guide) -> None:
    draft = clean_draft(guide, "1.2")
    draft.units = draft.units[:2]
    draft.units[0].funding = (draft.units[0].funding or Decimal(0)) + 0
    found = check(guide, draft, "encourage_enterprise")
    assert found and all(v.severity == "info" for v in found)


def test_unknown_direction(guide: Guide) -> None:
    draft = clean_draft(guide, "1.9")
    draft.direction = "3.1"
    [v] = evaluate(draft, guide)
    assert v.path == "direction" and v.severity == "error"


def test_evaluate_is_deterministic(guide: Guide) -> None:
    from wizard.draft import new_draft

    draft = new_draft("1.4")
    assert evaluate(draft, guide) == evaluate(draft.model_copy(deep=True), guide)
