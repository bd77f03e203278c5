"""evaluate() stays fast on a large v2 draft (10 课题, 60 people, 50 targets, 20 attachments,
60 units). `make bench` measures the 2 ms budget; here a CPU-time bound with headroom, so a
busy machine does not fail it but a rule that goes quadratic does."""

from __future__ import annotations

import statistics
import time

from tests.factories import attachment_states, large_v2_draft
from wizard.guide import Guide
from wizard.rules import evaluate


def test_large_v2_draft_is_consistent(guide: Guide) -> None:
    draft = large_v2_draft(guide)
    assert (len(draft.tasks), len(draft.team), len(draft.targets), len(draft.attachments)) == (
        10,
        60,
        50,
        20,
    )
    assert [v for v in evaluate(draft, guide) if v.severity != "info"] == []


def test_evaluate_on_a_large_v2_draft_is_fast(guide: Guide) -> None:
    draft = large_v2_draft(guide)
    states = attachment_states(draft)
    for _ in range(3):
        evaluate(draft, guide, states)
    samples = []
    for _ in range(30):
        start = time.process_time()
        evaluate(draft, guide, states)
        samples.append((time.process_time() - start) * 1000)
    assert statistics.median(samples) <= 8, samples
