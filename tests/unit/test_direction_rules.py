"""Every requirement of every direction is live: one clean draft per direction passes, and for
each checkable requirement a draft broken for it fails with that requirement's id."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.factories import clean_draft
from wizard.draft import Draft, Institution, Unit
from wizard.guide import Direction, Requirement, load_guide
from wizard.rules import evaluate

Breaker = Callable[[Draft, Requirement, Direction], None]


def _first_enterprise(draft: Draft) -> Unit:
    return next(u for u in draft.units if u.kind == "enterprise")


def _drop_enterprises(draft: Draft, req: Requirement, d: Direction) -> None:
    draft.units = [u for u in draft.units if u.kind != "enterprise"]


def _break_period(draft: Draft, req: Requirement, d: Direction) -> None:
    high = req.params.get("max_months")
    draft.project.months = int(high) + 6 if high is not None else 6


def _break_institution(draft: Draft, req: Requirement, d: Direction) -> None:
    extra = Institution(name="Another University", kind="university", contact="C", email="c@x.org")
    if req.params.get("all"):
        draft.partner.institutions.append(extra)
    else:
        draft.partner.institutions = [extra]


BREAKERS: dict[str, Breaker] = {
    "both_sides_file": lambda draft, req, d: setattr(draft.partner, "submitted", False),
    "partner_agency": lambda draft, req, d: setattr(draft.partner, "agency", "Other Ministry"),
    "period": _break_period,
    "min_units": lambda draft, req, d: draft.units.pop(),
    "no_subordination": lambda draft, req, d: setattr(draft.units[1], "parent", draft.units[0].name),
    "enterprise_matching": lambda draft, req, d: setattr(_first_enterprise(draft), "matching", Decimal(0)),
    "encourage_enterprise": _drop_enterprises,
    "h2020_participants": lambda draft, req, d: draft.h2020.participants.pop(),
    "h2020_budget_cap": lambda draft, req, d: setattr(draft.h2020, "cn_budget", Decimal("0.01")),
    "h2020_topic_matches": lambda draft, req, d: setattr(draft.h2020, "topic", "XX-1-2020"),
    "h2020_call_year": lambda draft, req, d: setattr(draft.h2020, "call_year", 2016),
    "one_lead_unit": lambda draft, req, d: setattr(draft.units[1], "role", "lead"),
    "two_plus_two": lambda draft, req, d: draft.partner.institutions.pop(),
    "partner_institution": _break_institution,
    "research_units_only": lambda draft, req, d: setattr(draft.units[1], "kind", "other"),
}  # fmt: skip

GUIDE = load_guide()
CASES = [
    pytest.param(d.code, r.id, id=r.id)
    for d in GUIDE.directions
    for r in d.requirements
    if r.kind != "info"
]


@pytest.mark.parametrize(("code", "req_id"), CASES)
def test_direction_requirement_fires_when_broken(code: str, req_id: str) -> None:
    direction = GUIDE.direction(code)
    req = GUIDE.requirement(req_id)
    assert direction is not None and req is not None
    draft = clean_draft(GUIDE, code)
    assert req_id not in {v.rule for v in evaluate(draft, GUIDE)}
    if req.kind == "attestation":
        draft.attest[req_id] = False
    else:
        assert req.rule in BREAKERS, f"no breaker for rule {req.rule}"
        BREAKERS[req.rule](draft, req, direction)
    fired = [v for v in evaluate(draft, GUIDE) if v.rule == req_id]
    assert fired, f"{req_id} did not fire"
    assert all(v.clause.direction == code and v.clause.text == req.text for v in fired)
    if req.kind == "attestation":
        assert fired[0].severity == req.severity
