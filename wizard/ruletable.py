"""The rule table (`wizard rules`, docs/rules.md), generated from the guide data."""

from __future__ import annotations

from typing import Any

from wizard.guide import Guide, Requirement

CHECKS: dict[str, str] = {
    "required_fields": "every field the forms need is filled (cover, units, team, 课题 and "
    "their budgets, partner and its PI; the agreement date where an agreement attachment "
    "is required); e-mails are well-formed",
    "field_in_direction": "project.field / project.topic belong to the direction",
    "period": "project.months within the period the clause allows",
    "both_sides_file": "partner.submitted is true (the partner files the same project)",
    "partner_agency": "partner.agency names the guide's agency (any of its names, renames, "
    "scripts); unrecognised → warning, a known different body → error",
    "partner_country": "partner.country is the direction's partner country (EU directions: "
    "member or H2020-associated country); unrecognised → warning",
    "min_units": "at least N distinct Chinese units (names compared as a reviewer would)",
    "no_subordination": "no unit's parent (also by a former name, or a part of it) is another "
    "unit of the draft; a name that extends another unit's → warning; siblings are fine",
    "enterprise_matching": "each Chinese enterprise: matching ≥ funding",
    "encourage_enterprise": "info when no enterprise takes part",
    "h2020_participants": "every Chinese unit is in h2020.participants (names folded; "
    "only an English list entry to compare with → warning)",
    "h2020_budget_cap": "central total ≤ h2020.cn_budget",
    "h2020_topic_matches": "h2020.topic's code (any case, 'CODE: title') equals project.topic",
    "h2020_call_year": "the year of h2020.topic's code, else h2020.call_year, is allowed; the "
    "two agree",
    "one_lead_unit": "exactly one unit with role = lead",
    "two_plus_two": "each side has a research unit and an enterprise",
    "partner_institution": "the designated institution (whole name, any script, or a known "
    "sub-unit) is a partner (all: every partner is it)",
    "research_units_only": "every unit on both sides is a university or institute",
    "credit_code": "统一社会信用代码 has 18 valid characters and the right check character",
    "no_government_units": "no unit of kind government",
    "leader_in_units": "the leader's unit (team, role leader) is one of the units",
    "leader_title_or_doctorate": "the leader has 正高级/副高级 or 博士",
    "leader_months": "the leader's months_per_year ≥ min",
    "leader_birth": "the leader's birth_date ≥ not_before",
    "project_limit": "each team member of `roles`: other_projects + 1 ≤ max (this one counted)",
    "one_leader": "exactly one team member with role leader",
    "team_id_number": "居民身份证: 18 digits, check digit (python-stdnum cn.ric), birth date "
    "agrees with the member's; passports and other papers as text",
    "team_units": "each team member's unit is a listed unit (names folded)",
    "team_task": "each team member's task number is an existing 课题",
    "task_units": "each 课题's 承担单位 is a listed unit (names folded)",
    "task_leader_member": "each 课题's leader is a team member of its 承担单位, role task_leader "
    "or leader",
    "plan_years": "one plan entry per project year (from start and months), none outside",
    "narrative_filled": "every form part without structured data has text (“无” counts)",
    "targets_complete": "at least one target; each has name, value, method; task exists",
    "attachments_required": "each attachment the direction requires is attached (optional: or "
    "not applicable with a note); where the files were checked, still there and unchanged "
    "(size, SHA-256)",
    "budget_units_sum": "each unit's funding = central budget of the 课题 it carries out",
    "other_sources_matching": "other sources (local + own + other, all 课题) ≥ the units' matching",
    "money_format": "amounts are ≥ 0 with at most 2 decimals",
    "entry_readable": "no money, number or date field holds text that cannot be read ([meta.unparsed])",
    "funding_total": "central total ≤ the direction's funding (…左右: warning)",
    "funding_average": "central total ≤ funding ÷ minimum number of projects",
    "indirect_cap": "per 课题: central indirect ≤ marginal-tier cap on the 课题's central "
    "(direct − equipment purchase)",
    "basis_required": "per 课题: a category of `categories` above zero needs its 测算依据",
}


def what_it_checks(req: Requirement) -> str:
    if req.kind == "attestation":
        return f"applicant ticks attest.{req.id}"
    if req.kind == "info":
        return "shown to the applicant; never a violation"
    base = CHECKS.get(req.rule or "", req.rule or "")
    if req.fallback:
        base += "; only the bounds a direction's own requirement with this rule leaves"
    if req.params:
        shown = []
        for k, v in req.params.items():
            if isinstance(v, list) and v and isinstance(v[0], dict):
                if k != "tiers":
                    shown.append(f"{len(v)} {k}")
            else:
                shown.append(f"{k}={v}")
        if shown:
            base += f" ({', '.join(shown)})"
    return base


def rule_rows(guide: Guide, direction: str | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    pairs = list(guide.all_requirements())
    chosen = guide.direction(direction) if direction is not None else None
    if chosen is not None:
        # What applies to that direction, as evaluate() applies it: a fallback requirement
        # only with the bounds the direction's own requirements leave.
        pairs = guide.requirements_for(chosen)
    for code, req in pairs:
        if direction is not None and code not in ("general", direction):
            continue
        if direction is not None and code == "general" and req.applies_to is not None:
            if direction not in req.applies_to:
                continue
        rows.append(
            {
                "id": req.id,
                "direction": code,
                "kind": req.kind,
                "severity": req.severity,
                "rule": req.rule,
                "checks": what_it_checks(req),
                "clause": {"direction": code, "item": req.item, "text": req.text},
                "source": req.source,
            }
        )
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown(guide: Guide, direction: str | None = None) -> str:
    lines = [
        f"# Rules of the {guide.id} guide",
        "",
        "Generated by `wizard rules --md` from `data/directions.toml`; do not edit by hand.",
        "Severity follows the guide's wording: 须/必须/应/为/无效 → error; 原则上/一般 → warning;",
        "鼓励/优先 → info. Attestations are what data cannot show: the applicant ticks them.",
        "",
    ]
    current = None
    for row in rule_rows(guide, direction):
        if row["direction"] != current:
            current = row["direction"]
            heading = "General" if current == "general" else f"Direction {current}"
            if current != "general":
                d = guide.direction(current)
                heading += f" — {d.title}" if d else ""
            lines += [
                "",
                f"## {heading}",
                "",
                "| id | kind | severity | what it checks | clause |",
                "| --- | --- | --- | --- | --- |",
            ]
        clause = f"{row['clause']['item']}：{row['clause']['text']}"
        if row["source"]:
            clause += f" (source: {row['source']})"
        lines.append(
            f"| `{row['id']}` | {row['kind']} | {row['severity']} | {_cell(row['checks'])} "
            f"| {_cell(clause)} |"
        )
    lines += names_markdown(guide, direction)
    return "\n".join(lines) + "\n"


def _dates(since: object, until: object) -> str:
    if since and until:
        return f"{since} – {until}"
    if since:
        return f"since {since}"
    if until:
        return f"until {until}"
    return ""


def names_markdown(guide: Guide, direction: str | None = None) -> list[str]:
    """The names the agency and institution rules recognise, per direction, with sources."""
    lines = [
        "",
        "## Names the rules recognise",
        "",
        "Compared after folding (wizard/names.py): width, case, accents, traditional → "
        "simplified, brackets and punctuation, a leading article, and the country's name "
        "before or after an agency's. Sub-units count as their body; `others` are bodies "
        "that are clearly not it (an error where given).",
    ]
    for d in guide.directions:
        if direction is not None and d.code != direction:
            continue
        bodies = ([("agency", d.agency)] if d.agency else []) + [
            (f"designated `{b.id}`", b) for b in d.designated
        ]
        for what, body in bodies:
            lines += [
                "",
                f"### {d.code} {what}: {body.zh} / {body.en}",
                "",
                "| name | kind | lang | in use | source |",
                "| --- | --- | --- | --- | --- |",
            ]
            for n in body.names:
                lines.append(
                    f"| {_cell(n.name)} | {n.kind} | {n.lang} | {_dates(n.since, n.until)} "
                    f"| {_cell(n.source)} |"
                )
            if body.sub_units:
                lines.append(
                    f"| sub-units: {_cell('; '.join(body.sub_units))} | sub-unit | | "
                    f"| {_cell(body.sub_units_source or '')} |"
                )
            for o in body.others:
                names = "; ".join(o.all_names())
                lines.append(f"| not it: {_cell(names)} | other | | | {_cell(o.source)} |")
    return lines
