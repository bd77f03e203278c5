"""Checking many drafts at once, as a research office does (`wizard check`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import names
from wizard.attachments import states
from wizard.display import JSON_UNSAFE
from wizard.draft import Draft
from wizard.guide import Guide
from wizard.rules import Clause, Violation, evaluate
from wizard.rules.limits import COUNTED_ROLES, cross_draft_findings
from wizard.store import DraftError, draft_files, load_draft

CROSS_RULE = "gen-leader-projects"
ONE_PROJECT_RULE = "gen-leader-one-project"


@dataclass
class FileReport:
    path: Path
    error: str | None = None
    draft: Draft | None = None
    violations: list[Violation] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(v.severity == "error" for v in self.violations)


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders by the draft files directly inside them."""
    out: list[Path] = []
    for p in paths:
        out.extend(draft_files(p) if p.is_dir() else [p])
    return out


def _cross_clause(guide: Guide, rule: str = CROSS_RULE) -> Clause:
    req = guide.requirement(rule)
    if req is None:
        return Clause("general", "限项", "申报项目与在研项目合计限项")
    return Clause("general", req.item, req.text, req.source)


def _title_key(draft: Draft) -> str | None:
    return draft.project.title.strip() or None


# (rule id, field path, key of a draft, zh message, en message); {key} and {others} filled in.
_CROSS_CHECKS = (
    ("cross-same-title", "project.title", _title_key,
     "项目名称“{key}”也出现在 {others} 中：请核实是否重复申报。",
     "The title '{key}' also appears in {others}: check for a duplicate."),
)  # fmt: skip


def _limit_violations(reports: Sequence[FileReport], guide: Guide) -> None:
    """限项 across the drafts (wizard.rules.limits): the same person, by ID number or by name
    and birth date, as the leader of two applications, or counted on more than the limit."""
    limit = guide.requirement(CROSS_RULE)
    maximum = int(limit.params.get("max", 2)) if limit is not None else 2
    roles = frozenset(limit.params.get("roles", COUNTED_ROLES)) if limit else COUNTED_ROLES
    once = guide.requirement(ONE_PROJECT_RULE)
    kinds = {
        "leader_once": ("cross-same-leader", once, _cross_clause(guide, ONE_PROJECT_RULE)),
        "limit": ("cross-project-limit", limit, _cross_clause(guide, CROSS_RULE)),
    }
    drafts = [r.draft for r in reports]
    labels = [r.path.name for r in reports]
    for finding in cross_draft_findings(drafts, labels, maximum, roles):
        rule_id, req, clause = kinds[finding.kind]
        reports[finding.draft].violations.append(
            Violation(
                rule_id,
                req.severity if req is not None else "error",
                finding.path,
                finding.zh,
                finding.en,
                clause,
            )
        )


def cross_draft_violations(reports: Sequence[FileReport], guide: Guide) -> None:
    """Flag the same person over the 限项 (by ID number, else name + birth date) or the same
    title in several drafts."""
    _limit_violations(reports, guide)
    clause = _cross_clause(guide)
    for rule_id, path, key_of, zh, en in _CROSS_CHECKS:
        # Grouped by the name as a reviewer reads it (wizard.names: width, script, case,
        # brackets), shown as the first draft wrote it.
        groups: dict[str, list[FileReport]] = defaultdict(list)
        shown: dict[str, str] = {}
        for report in reports:
            written = key_of(report.draft) if report.draft is not None else None
            if written is not None:
                folded = names.key(written) or written
                shown.setdefault(folded, written)
                groups[folded].append(report)
        for folded, group in groups.items():
            if len(group) < 2:
                continue
            key = shown[folded]
            for report in group:
                others = ", ".join(o.path.name for o in group if o is not report)
                report.violations.append(
                    Violation(
                        rule_id,
                        "warning",
                        path,
                        zh.format(key=key, others=others),
                        en.format(key=key, others=others),
                        clause,
                    )
                )


def check_paths(paths: Iterable[Path], guide: Guide) -> list[FileReport]:
    reports: list[FileReport] = []
    for path in expand(paths):
        try:
            draft = load_draft(path, guide)
        except DraftError as exc:
            reports.append(FileReport(path, error=str(exc)))
            continue
        # The attachments are judged against the files beside the draft.
        found = states(draft, path.parent)
        reports.append(FileReport(path, draft=draft, violations=evaluate(draft, guide, found)))
    cross_draft_violations(reports, guide)
    return reports


def exit_code(reports: Sequence[FileReport]) -> int:
    """0 = no errors, 1 = errors, 2 = unreadable input."""
    if not reports or any(r.error for r in reports):
        return 2
    return 1 if any(r.has_errors for r in reports) else 0


def violation_json(v: Violation, lang: str) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "severity": v.severity,
        "path": v.path,
        "message": v.message(lang),
        "clause": {"direction": v.clause.direction, "item": v.clause.item, "text": v.clause.text},
    }


def inert_json(data: object) -> str:
    """`data` as indented JSON that is plain UTF-8 and inert on any terminal: every control,
    bidi and surrogate character escaped as \\uXXXX (json.loads gives them back; the set is
    wizard.display.JSON_UNSAFE)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_json(reports: Sequence[FileReport], lang: str) -> dict[str, Any]:
    return {
        "files": [
            {
                "path": str(r.path),
                "error": r.error,
                # As the screen says it: "ready" only when marked so and no error is left.
                "status": None
                if r.draft is None
                else ("ready" if r.draft.meta.status == "ready" and not r.has_errors else "draft"),
                "marked": r.draft.meta.status if r.draft is not None else None,
                "violations": [violation_json(v, lang) for v in r.violations],
            }
            for r in reports
        ]
    }
