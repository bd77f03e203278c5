"""The format-2 examples in docs/ are complete: every section filled, ID numbers and credit
codes valid, each unit's funding its 课题's 中央财政 total, the attachments the direction
requires present beside the draft and unchanged, and `wizard check` finds nothing."""

from __future__ import annotations

import hashlib
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.cn import ric

from wizard.check import check_paths
from wizard.guide import Guide
from wizard.store import dump_draft, load_draft
from wizard.uscc import uscc_problem

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLES = {"1.6": DOCS / "example-draft.toml", "1.4": DOCS / "example-draft-1.4.toml"}


@pytest.mark.parametrize("code", EXAMPLES)
def test_example_is_complete_and_consistent(code: str, guide: Guide) -> None:
    path = EXAMPLES[code]
    text = path.read_text("utf-8")
    assert tomllib.loads(text)["schema_version"] == 2
    draft = load_draft(path, guide)
    assert draft.direction == code
    assert dump_draft(draft) == text  # the wizard's own layout: a save changes nothing
    direction = guide.direction(code)
    assert direction is not None
    assert draft.recommender.name and draft.recommender.kind
    assert draft.contact.name and draft.contact.phone and draft.contact.email
    assert draft.leader is not None and draft.leader_index == 0
    for unit in draft.units:
        assert uscc_problem(unit.credit_code) is None, unit.name
        assert unit.region and unit.address and unit.postcode
        mine = [t for t in draft.tasks if t.unit == unit.name]
        assert mine and unit.funding == sum((t.amount(k, "central") for t in mine for k in t.budget), Decimal(0))  # fmt: skip
    names = {p.name: p for p in draft.team}
    for person in draft.team:
        if person.id_type == "resident_id":
            ric.validate(person.id_number)
            assert ric.get_birth_date(person.id_number) == person.birth_date
            assert (int(person.id_number[16]) % 2 == 1) == (person.gender == "male")
        assert person.unit in {u.name for u in draft.units}
        assert person.task is None or 1 <= person.task <= len(draft.tasks)
    for task in draft.tasks:
        assert names[task.leader].unit == task.unit
        assert set(task.budget) == {c.key for c in guide.form.categories}
    assert [s.year for s in draft.plan] == list(range(1, draft.project.years + 1))
    assert set(draft.narrative) == {p.key for p in guide.form.parts}
    assert all(t.task for t in draft.targets)
    assert draft.partner.lead.name and draft.partner.contribution
    required = {kind.key for kind, _ in guide.attachments_for(direction)}
    assert {a.key for a in draft.attachments} == required
    for item in draft.attachments:
        raw = (path.parent / item.path).read_bytes()
        assert raw.startswith(b"%PDF-") and len(raw) == item.size
        assert hashlib.sha256(raw).hexdigest() == item.sha256


@pytest.mark.parametrize("code", EXAMPLES)
def test_example_checks_clean(code: str, guide: Guide) -> None:
    [report] = check_paths([EXAMPLES[code]], guide)
    assert report.error is None
    assert [v.path for v in report.violations if v.severity in ("error", "warning")] == []
