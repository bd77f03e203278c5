"""evaluate(draft, guide): every rule of the guide that the draft breaks. Pure, no I/O."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from pydantic import BaseModel

# Importing a rule module registers its rules (nothing else here names them).
import wizard.rules.attachments
import wizard.rules.budget
import wizard.rules.completeness
import wizard.rules.content
import wizard.rules.direction_scope
import wizard.rules.entry
import wizard.rules.h2020
import wizard.rules.leader
import wizard.rules.partner
import wizard.rules.team
import wizard.rules.units  # noqa: F401
from wizard.draft import Draft
from wizard.guide import Direction, Guide, Requirement, guide_index
from wizard.money import safe_decimals
from wizard.rules.model import (
    SEVERITY_ORDER,
    AttachmentStates,
    Clause,
    Context,
    Finding,
    RuleFunction,
    Violation,
    sentence,
)
from wizard.rules.registry import PARAMS, RULES


def clause_of(code: str, requirement: Requirement) -> Clause:
    return Clause(code, requirement.item, requirement.text, requirement.source)


def _attestation(requirement: Requirement) -> Finding:
    zh = sentence(requirement.text, "zh", inner=True)
    en = sentence(requirement.text_en, "en", inner=True)
    return Finding(
        f"attest.{requirement.id}",
        f"尚未确认：“{zh}”。核实属实后，请在“承诺事项”中勾选此项。",
        f"Not yet attested: “{en}”. Once it is true, tick it under Attestations.",
    )


@dataclass(frozen=True, slots=True)
class _Step:
    """One requirement to judge, with everything that depends on the guide alone."""

    requirement: Requirement
    function: RuleFunction | None  # None: an attestation, reported while not ticked
    params: BaseModel | None  # the requirement's params, parsed by the rule's model
    unticked: Finding | None
    clause: Clause
    key: str  # findings of one rule (or attestation) with the same path and text are one


def _plan(guide: Guide, direction: Direction) -> tuple[_Step, ...]:
    """The steps for drafts of `direction`, built once per guide and direction."""
    derived = guide_index(guide).derived
    cache_key = ("rules.engine", direction.code)
    known = derived.get(cache_key)
    if known is not None:
        return cast("tuple[_Step, ...]", known)
    # Direction clauses first, so a finding both a direction and a general requirement make
    # is reported once, citing the more specific clause.
    ordered = sorted(guide.requirements_for(direction), key=lambda pair: pair[0] == "general")
    steps: list[_Step] = []
    for code, requirement in ordered:
        if requirement.kind == "info":
            continue
        clause = clause_of(code, requirement)
        if requirement.kind == "attestation":
            unticked = _attestation(requirement)
            steps.append(_Step(requirement, None, None, unticked, clause, requirement.id))
        else:
            assert requirement.rule is not None
            function = RULES[requirement.rule]
            params = PARAMS[requirement.rule].model_validate(requirement.params)
            steps.append(_Step(requirement, function, params, None, clause, requirement.rule))
    plan = derived[cache_key] = tuple(steps)
    return plan


def evaluate(
    draft: Draft, guide: Guide, attachments: AttachmentStates | None = None
) -> list[Violation]:
    """The violations of `draft` against its direction in `guide`, errors first. No
    Decimal operation raises in here, whatever the amounts (`safe_decimals`).

    `attachments`: what is on disk at each attachment's path (wizard.attachments.states,
    computed by the caller that knows the draft's folder; a path not in it is not judged,
    as the editor's wizard.filestate holds only the files read so far); None: files not
    checked, only that each required attachment is recorded."""
    with safe_decimals():
        return _evaluate(draft, guide, attachments)


# The last (guide, direction code, direction, plan) evaluated: a draft is checked again and
# again against the same guide (every edit), and looking the plan up through the guide's
# index costs more than some rules.
_last: tuple[Guide, str, Direction, tuple[_Step, ...]] | None = None


def _direction_plan(guide: Guide, code: str) -> tuple[Direction, tuple[_Step, ...]] | None:
    global _last
    last = _last
    if last is not None and last[0] is guide and last[1] == code:
        return last[2], last[3]
    direction = guide.direction(code)
    if direction is None:
        return None
    plan = _plan(guide, direction)
    _last = (guide, code, direction, plan)
    return direction, plan


def _evaluate(draft: Draft, guide: Guide, states: AttachmentStates | None) -> list[Violation]:
    known = _direction_plan(guide, draft.direction)
    if known is None:
        codes = ", ".join(d.code for d in guide.directions)
        return [
            Violation(
                "direction",
                "error",
                "direction",
                f"指南方向“{draft.direction}”不存在：请从 {codes} 中选择。",
                f"Direction '{draft.direction}' does not exist: choose one of {codes}.",
                Clause("general", "二、领域和方向", guide.section_text),
            )
        ]
    direction, plan = known
    found: list[Violation] = []
    seen: set[tuple[str, str, str]] = set()
    attest = draft.attest
    # One context for every step: a rule's findings are all taken before the next step.
    ctx = Context(draft, guide, direction, plan[0].requirement, None, states, {}) if plan else None
    for step in plan:
        requirement = step.requirement
        findings: Iterable[Finding]
        if step.function is None:
            if attest.get(requirement.id) is True:
                continue
            findings = (cast(Finding, step.unticked),)
        else:
            assert ctx is not None
            ctx.requirement, ctx.params = requirement, step.params
            findings = step.function(ctx)
        try:
            for finding in findings:
                key = (step.key, finding.path, finding.zh)
                if key in seen:
                    continue
                seen.add(key)
                found.append(
                    Violation(
                        requirement.id,
                        finding.severity or requirement.severity,
                        finding.path,
                        finding.zh,
                        finding.en,
                        finding.clause or step.clause,
                    )
                )
        except Exception as exc:  # a rule that fails (_not_checked)
            if os.environ.get("WIZARD_DEBUG"):
                raise
            found.append(_not_checked(requirement.id, type(exc).__name__, step.clause))
    found.sort(key=lambda v: SEVERITY_ORDER[v.severity])
    return found


def _not_checked(rule: str, error: str, clause: Clause) -> Violation:
    """A rule that failed (a bug, or a library raising what it should not, as python-stdnum
    did for some ID numbers) is reported as not checked, an error, so the draft cannot be
    marked ready on its word; the other rules are judged as ever, and neither the editor nor
    `wizard check` stops. WIZARD_DEBUG=1 lets the failure through."""
    return Violation(
        rule,
        "error",
        "",
        f"规则“{rule}”未能检查（程序错误 {error}），其余各项照常检查：这一项请人工核对，"
        "并把草稿文件连同此信息报告给开发者。",
        f"Rule '{rule}' could not be checked (a program error, {error}); everything else "
        "was: check this one by hand, and report it with the draft file.",
        clause,
    )


__all__ = ["PARAMS", "RULES", "clause_of", "counts", "evaluate", "unknown_rules"]


def unknown_rules(guide: Guide) -> list[str]:
    """Rule names the data uses that no function implements (checked when a guide loads)."""
    return sorted({r.rule for _, r in guide.all_requirements() if r.rule and r.rule not in RULES})


def counts(violations: list[Violation]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for v in violations:
        out[v.severity] += 1
    return out
