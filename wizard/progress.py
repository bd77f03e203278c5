"""Form sections and how complete a draft is, section by section. Pure; no UI imports.

The terminal wizard shows the draft as sections (project, units and leader, partner, …).
A violation's path names a field; `section_of` says which section's form holds that field,
and `completeness` says how many of a section's required entries are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.catalogue import t
from wizard.draft import Draft
from wizard.guide import Direction, Guide
from wizard.rules.model import Violation

SECTIONS: tuple[str, ...] = (
    "project",
    "units",
    "team",
    "tasks",
    "partner",
    "h2020",
    "enterprises",
    "targets",
    "plan",
    "narrative",
    "budget",
    "attachments",
    "attest",
    "review",
)

# Rules whose findings on the whole unit list belong to the enterprises form.
_ENTERPRISE_RULES = frozenset({"encourage_enterprise", "enterprise_matching", "two_plus_two"})
# Rules whose findings on the whole unit or 课题 list belong to the budget: the units'
# funding against the 课题 budgets, the project's totals against the direction.
_BUDGET_RULES = frozenset(
    {"budget_units_sum", "funding_total", "funding_average", "other_sources_matching"}
)


def section_title(section: str, lang: str) -> str:
    return t(f"section.{section}", lang)


def sections_for(direction: Direction | None) -> tuple[str, ...]:
    """The sections a draft of `direction` shows (Horizon 2020 only where it applies)."""
    if direction is not None and direction.h2020:
        return SECTIONS
    return tuple(s for s in SECTIONS if s != "h2020")


def rule_name(guide: Guide, violation: Violation) -> str:
    requirement = guide.requirement(violation.rule)
    return (requirement.rule or "") if requirement is not None else violation.rule


def section_of(violation: Violation, guide: Guide) -> str:
    """The form section that holds the field a violation points at."""
    if violation.path in ("units", "tasks"):
        name = rule_name(guide, violation)
        if name in _ENTERPRISE_RULES and violation.path == "units":
            return "enterprises"
        if name in _BUDGET_RULES:
            return "budget"
    return section_of_path(violation.path)


_HEADS = {
    "direction": "project",
    "project": "project",
    "recommender": "project",
    "contact": "project",
    "units": "units",
    "team": "team",
    "tasks": "tasks",
    "partner": "partner",
    "h2020": "h2020",
    "targets": "targets",
    "plan": "plan",
    "narrative": "narrative",
    "attachments": "attachments",
    "attest": "attest",
}


def section_of_path(path: str) -> str:
    """The form section that holds the field at `path` (e.g. `units[2].matching`)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head == "units" and path.endswith(".matching"):
        return "enterprises"
    if head == "tasks" and ".budget" in path:
        return "budget"
    return _HEADS.get(head, "review")


def group_by_section(violations: list[Violation], guide: Guide) -> dict[str, list[Violation]]:
    out: dict[str, list[Violation]] = {s: [] for s in SECTIONS}
    for v in violations:
        out[section_of(v, guide)].append(v)
    return out


@dataclass(frozen=True)
class Completeness:
    """A section's required entries (`filled` of `total`) and its remaining errors.

    Complete only when there is something to fill, all of it is filled and no error is left:
    an empty section is 0 %, never 100 %, and a section with an error stays below 100 %.
    """

    filled: int
    total: int
    errors: int = 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.filled >= self.total and self.errors == 0

    @property
    def percent(self) -> int:
        if self.total == 0:
            return 0
        percent = int(100 * self.filled / self.total)
        return 99 if percent >= 100 and not self.complete else percent


_LEADER_KEYS = ("name", "birth_date", "title", "degree", "unit", "months_per_year")
_PERSON_KEYS = (
    "name",
    "gender",
    "birth_date",
    "id_type",
    "id_number",
    "title",
    "degree",
    "unit",
    "role",
    "months_per_year",
    "other_projects",
)


def required_paths(draft: Draft, direction: Direction, guide: Guide) -> dict[str, list[str]]:
    """Per section, the entries the application form needs (mirrors `required_fields`)."""
    out: dict[str, list[str]] = {s: [] for s in SECTIONS}
    project = [
        "project.title",
        "project.title_en",
        "project.field",
        "project.start",
        "project.months",
        "project.summary",
        "project.keywords",
        "recommender.name",
        "recommender.kind",
        "contact.name",
        "contact.phone",
        "contact.email",
    ]
    field = direction.fields.find(draft.project.field)
    if field is not None and field.topics:
        project.insert(3, "project.topic")
    out["project"] = project
    units: list[str] = []
    if not draft.units:
        units.append("units")
    enterprises: list[str] = []
    for i, unit in enumerate(draft.units):
        units.extend(
            f"units[{i}].{k}"
            for k in ("name", "kind", "credit_code", "registered", "region", "address")
        )
        if unit.kind == "enterprise":
            enterprises.extend((f"units[{i}].funding", f"units[{i}].matching"))
        else:
            units.append(f"units[{i}].funding")
    out["units"] = units
    # Which units are enterprises is known once every unit's kind is: until then the
    # enterprises section has its kinds to wait for (a new draft's is not "done").
    out["enterprises"] = [f"units[{i}].kind" for i in range(len(draft.units))] + enterprises
    if not draft.units:
        out["enterprises"].append("units")
    team = [] if draft.team else ["team"]
    for i in range(len(draft.team)):
        team.extend(f"team[{i}].{k}" for k in _PERSON_KEYS)
    out["team"] = team
    tasks = [] if draft.tasks else ["tasks"]
    for i in range(len(draft.tasks)):
        tasks.extend(f"tasks[{i}].{k}" for k in ("name", "unit", "leader", "content"))
    out["tasks"] = tasks
    partner = [
        "partner.country",
        "partner.agency",
        "partner.lead.name",
        "partner.lead.institution",
        "partner.lead.email",
        "partner.contribution",
    ]
    if not draft.partner.institutions:
        partner.append("partner.institutions")
    for i in range(len(draft.partner.institutions)):
        at = f"partner.institutions[{i}]"
        partner.extend(f"{at}.{k}" for k in ("name", "kind", "contact", "email"))
    out["partner"] = partner
    if direction.h2020:
        out["h2020"] = [
            f"h2020.{k}" for k in ("proposal", "topic", "call_year", "participants", "cn_budget")
        ]
    targets = [] if draft.targets else ["targets"]
    for i in range(len(draft.targets)):
        targets.extend(f"targets[{i}].{k}" for k in ("name", "value", "method"))
    out["targets"] = targets
    out["plan"] = [f"plan.{year}" for year in range(1, max(draft.project.years, 1) + 1)]
    out["narrative"] = [f"narrative.{p.key}" for p in guide.form.parts if not p.holds]
    # The budget: each 课题's central amount of every category.
    out["budget"] = [
        f"tasks[{i}].budget.{c.key}.central"
        for i in range(len(draft.tasks))
        for c in guide.form.categories
    ] or ["tasks"]
    out["attachments"] = [f"attachments.{kind.key}" for kind, _ in guide.attachments_for(direction)]
    return out


def completeness(
    draft: Draft, guide: Guide, violations: list[Violation]
) -> dict[str, Completeness]:
    """Per section: required entries filled (attestations: ticked) and errors left.

    The review section is complete when the whole draft is: every other section it shows
    complete and no error anywhere.
    """
    direction = guide.direction(draft.direction)
    errors = {s: 0 for s in SECTIONS}
    for v in violations:
        if v.severity == "error":
            errors[section_of(v, guide)] += 1
    all_errors = sum(errors.values())
    out: dict[str, Completeness] = {s: Completeness(0, 0, errors[s]) for s in SECTIONS}
    if direction is None:
        out["review"] = Completeness(0, 1, all_errors)
        return out
    missing = {v.path for v in violations if v.rule == "gen-complete"}
    for section, paths in required_paths(draft, direction, guide).items():
        if section in _BY_FINDINGS:  # most of a large draft's entries (team, targets)
            filled = sum(1 for p in paths if p not in missing)
        else:
            filled = sum(1 for p in paths if _is_filled(draft, p, missing))
        out[section] = Completeness(filled, len(paths), errors[section])
    attest = [r.id for _, r in guide.requirements_for(direction) if r.kind == "attestation"]
    ticked = sum(1 for a in attest if draft.attest.get(a) is True)
    out["attest"] = Completeness(ticked, len(attest), errors["attest"])
    shown = [s for s in sections_for(direction) if s != "review"]
    done = sum(1 for s in shown if out[s].complete)
    out["review"] = Completeness(done, len(shown), all_errors)
    return out


# The sections whose required entries (`required_paths`) `_is_filled` judges by the
# required_fields findings alone: none is a budget cell, a plan year, a narrative part, an
# attachment or a unit's kind.
_BY_FINDINGS = frozenset({"project", "team", "tasks", "partner", "h2020", "targets"})


def _is_filled(draft: Draft, path: str, missing: set[str]) -> bool:
    if ".budget." in path:  # tasks[i].budget.<category>.<source>
        head, _, rest = path.partition(".budget.")
        category, _, source = rest.partition(".")
        task = draft.tasks[int(head[6:-1])]
        line = task.budget.get(category)
        return line is not None and getattr(line, source) is not None
    if path.startswith("plan."):
        year = int(path.split(".", 1)[1])
        return any(s.year == year and s.content.strip() for s in draft.plan)
    if path.startswith("narrative."):
        return bool(draft.narrative.get(path.split(".", 1)[1], "").strip())
    if path.startswith("attachments."):
        item = draft.attachment(path.split(".", 1)[1])
        return item is not None and (bool(item.path.strip()) or item.not_applicable)
    if path.endswith(".kind") and path.startswith("units["):
        return draft.units[int(path[6 : path.index("]")])].kind is not None
    return path not in missing


def budget_gaps(draft: Draft, guide: Guide) -> list[tuple[int, list[str]]]:
    """Per 课题 (its index), the categories whose central amount is still blank: what keeps
    经费预算 below 100 % when no error is left (a category with nothing in it needs a 0)."""
    out: list[tuple[int, list[str]]] = []
    for i, task in enumerate(draft.tasks):
        blank = [
            c.key
            for c in guide.form.categories
            if (line := task.budget.get(c.key)) is None or line.central is None
        ]
        if blank:
            out.append((i, blank))
    return out


def budget_hint(draft: Draft, guide: Guide, lang: str, most: int = 3) -> str:
    """What 经费预算 still lacks, in a sentence ("" when nothing): the blank categories of
    the first `most` 课题 that have some, the rest counted."""
    gaps = budget_gaps(draft, guide)
    if not gaps:
        return ""
    names = {c.key: (c.en if lang == "en" else c.zh) for c in guide.form.categories}
    sep = ", " if lang == "en" else "、"
    parts = [
        t(
            "progress.budget_gap",
            lang,
            task=i + 1,
            categories=sep.join(names[k] for k in keys),
        )
        for i, keys in gaps[:most]
    ]
    more = len(gaps) - most
    if more > 0:
        parts.append(t("progress.budget_gap_more", lang, count=more))
    return t("progress.budget_hint", lang, gaps=("; " if lang == "en" else "；").join(parts))


def overall(parts: dict[str, Completeness]) -> Completeness:
    """The whole draft: every section's entries except the review's, and every error."""
    counted = [c for s, c in parts.items() if s != "review"]
    review = parts.get("review")
    errors = review.errors if review is not None else sum(c.errors for c in counted)
    return Completeness(sum(c.filled for c in counted), sum(c.total for c in counted), errors)
