"""A guide of another shape (tests/data/other-shape.toml, not a real edition) loads and
judges a draft: its categories, 30/25/20 % tiers, parts and attachments are data."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import clean_draft
from wizard.draft import BudgetLine, Draft
from wizard.guide import Guide, read_guide
from wizard.rules import evaluate

OTHER = Path(__file__).resolve().parents[1] / "data" / "other-shape.toml"


@pytest.fixture(scope="module")
def other() -> Guide:
    return read_guide(OTHER)


def _one_task(other: Guide, work: str, kit: str, overhead: str) -> Draft:
    draft = clean_draft(other, "9.9")
    draft.tasks = draft.tasks[:1]
    draft.tasks[0].budget = {
        "kit": BudgetLine(central=Decimal(kit)),
        "work": BudgetLine(central=Decimal(work)),
        "overhead": BudgetLine(central=Decimal(overhead)),
    }
    draft.units[0].funding = Decimal(work) + Decimal(kit) + Decimal(overhead)
    for u in draft.units[1:]:
        u.funding = None
    return draft


def test_it_loads_with_its_own_shape(other: Guide) -> None:
    form = other.form
    assert [c.key for c in form.categories] == ["kit", "work", "overhead"]
    assert form.purchase_keys == ("kit",) and form.indirect_keys == ("overhead",)
    direction = other.direction("9.9")
    assert direction is not None
    assert [k.key for k, _ in other.attachments_for(direction)] == ["letter"]


def test_a_clean_draft_of_it_is_clean(other: Guide) -> None:
    draft = clean_draft(other, "9.9")
    assert [v for v in evaluate(draft, other) if v.severity == "error"] == []


def test_indirect_cap_uses_its_tiers_and_categories(other: Guide) -> None:
    # base = work 1000 (kit 500 left out): 300 × 30 % + 300 × 25 % + 400 × 20 % = 245.
    at_cap = _one_task(other, "1000", "500", "245")
    assert [v for v in evaluate(at_cap, other) if v.rule == "t-indirect"] == []
    over = _one_task(other, "1000", "500", "245.01")
    [v] = [v for v in evaluate(over, other) if v.rule == "t-indirect"]
    assert v.path == "tasks[0].budget.overhead.central"
    assert "245.00" in v.message_en and "1,000.00" in v.message_en
    # Under the 2020 tiers (20/15/13 %) the cap on 1000 would be 175: 245 would fail there.


def test_its_parts_and_attachments_are_required(other: Guide) -> None:
    draft = clean_draft(other, "9.9")
    draft.narrative = {}
    draft.attachments = []
    draft.partner.agreement_signed = None
    paths = {v.path for v in evaluate(draft, other)}
    assert {"narrative.story", "attachments", "partner.agreement_signed"} <= paths
    assert "narrative.money" not in paths  # a part with structured data


def test_the_2020_categories_are_unknown_to_it(other: Guide, guide: Guide) -> None:
    draft = clean_draft(other, "9.9")
    draft.tasks[0].budget[guide.form.categories[2].key] = BudgetLine(central=Decimal("1"))
    paths = {v.path for v in evaluate(draft, other)}
    assert f"tasks[0].budget.{guide.form.categories[2].key}" in paths
