"""Checking many drafts at once, as a research office does (`wizard check`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.draft import Draft
from wizard.guide import Guide
from wizard.rules import Clause, Violation, evaluate
from wizard.store import DraftError, draft_files, load_draft

CROSS_RULE = "gen-leader-projects"


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


def _cross_clause(guide: Guide) -> Clause:
    req = guide.requirement(CROSS_RULE)
    if req is None:
        return Clause("general", "限项", "申报项目与在研项目合计限项")
    return Clause("general", req.item, req.text, req.source)


def cross_draft_violations(reports: Sequence[FileReport], guide: Guide) -> None:
    """Flag the same leader (name + birth date) or the same title in several drafts."""
    clause = _cross_clause(guide)
    by_leader: dict[tuple[str, str], list[FileReport]] = defaultdict(list)
    by_title: dict[str, list[FileReport]] = defaultdict(list)
    for report in reports:
        draft = report.draft
        if draft is None:
            continue
        if draft.leader.name.strip() and draft.leader.birth_date is not None:
            by_leader[(draft.leader.name.strip(), str(draft.leader.birth_date))].append(report)
        if draft.project.title.strip():
            by_title[draft.project.title.strip()].append(report)
    for (name, born), group in by_leader.items():
        if len(group) < 2:
            continue
        for report in group:
            others = ", ".join(o.path.name for o in group if o is not report)
            report.violations.append(
                Violation(
                    "cross-same-leader",
                    "warning",
                    "leader.name",
                    f"项目负责人 {name}（{born}）也出现在 {others} 中：请核实限项。",
                    f"Leader {name} ({born}) also leads {others}: check the project limit.",
                    clause,
                )
            )
    for title, group in by_title.items():
        if len(group) < 2:
            continue
        for report in group:
            others = ", ".join(o.path.name for o in group if o is not report)
            report.violations.append(
                Violation(
                    "cross-same-title",
                    "warning",
                    "project.title",
                    f"项目名称“{title}”也出现在 {others} 中：请核实是否重复申报。",
                    f"The title '{title}' also appears in {others}: check for a duplicate.",
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
        reports.append(FileReport(path, draft=draft, violations=evaluate(draft, guide)))
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


def report_json(reports: Sequence[FileReport], lang: str) -> dict[str, Any]:
    return {
        "files": [
            {
                "path": str(r.path),
                "error": r.error,
                "violations": [violation_json(v, lang) for v in r.violations],
            }
            for r in reports
        ]
    }
