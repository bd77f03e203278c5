"""Fidelity of data/directions.toml to the 2020 guide text.

The guide text (a PDF extraction) is data/guide-2020-source.txt, a copy of the call's text as
received (or $GUIDE_TEXT). Comparisons remove all whitespace from both sides, since the
extraction breaks lines inside sentences and adds stray spaces ("2020 年").
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w

from tests.helpers import ROOT
from wizard.guide import Direction, Guide, GuideError, Requirement, load_guide

DATA_FILE = ROOT / "data" / "directions.toml"
GUIDE_TEXT = Path(os.environ.get("GUIDE_TEXT", ROOT / "data" / "guide-2020-source.txt"))

CODES = [
    "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9",
    "2.0", "2.1", "2.2", "2.3", "2.4", "2.5",
]  # fmt: skip

RULE_NAMES = frozenset(
    {
        "required_fields",
        "entry_readable",
        "field_in_direction",
        "period",
        "both_sides_file",
        "partner_agency",
        "partner_country",
        "min_units",
        "no_subordination",
        "enterprise_matching",
        "encourage_enterprise",
        "h2020_participants",
        "h2020_budget_cap",
        "h2020_topic_matches",
        "h2020_call_year",
        "one_lead_unit",
        "two_plus_two",
        "partner_institution",
        "research_units_only",
        "credit_code",
        "no_government_units",
        "leader_in_units",
        "leader_title_or_doctorate",
        "leader_months",
        "leader_birth",
        "project_limit",
        "budget_units_sum",
        "money_format",
        "funding_total",
        "funding_average",
        "indirect_cap",
        "basis_required",
        "other_sources_matching",
        "one_leader",
        "team_id_number",
        "team_units",
        "team_task",
        "task_units",
        "task_leader_member",
        "plan_years",
        "narrative_filled",
        "targets_complete",
        "attachments_required",
    }
)

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
URL = re.compile(r"https?://[!-~]+")


def squash(text: str) -> str:
    """Remove all whitespace."""
    return re.sub(r"\s+", "", text)


def norm(text: str) -> str:
    """Whitespace and sentence punctuation removed: for coverage of split clauses."""
    return re.sub(r"[\s，。；：]", "", text)


# --- the guide text, parsed -------------------------------------------------------------------


def clean_lines(raw: str) -> list[str]:
    """The guide's lines without PDF leftovers: `mailto:` lines and the URL lines the
    extraction repeats in pairs at page breaks."""
    lines = [line.strip() for line in raw.splitlines()]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("mailto:"):
            continue
        doubled = (i > 0 and lines[i - 1] == line) or (i + 1 < len(lines) and lines[i + 1] == line)
        if line.startswith("http") and doubled:
            continue
        kept.append(line)
    return kept


class Segment:
    """One direction of the guide's section 二, whitespace removed."""

    def __init__(self, code: str, text: str) -> None:
        self.code = code
        self.text = text

    def between(self, start: str, end: str) -> str:
        head = self.text.index(start) + len(start)
        return self.text[head : self.text.index(end, head)]

    @property
    def agreements(self) -> str:
        return self.between("合作协议：", "领域方向：")

    @property
    def fields(self) -> str:
        return self.between("领域方向：", "拟支持项目数：")

    @property
    def projects(self) -> str:
        head = self.text.index("拟支持项目数：")
        return self.text[head : self.text.index("。", head) + 1]

    @property
    def funding(self) -> str:
        head = self.text.index("拟支持经费：") - 1  # "共", or "供" in 2.5
        return self.text[head : self.text.index("。", head) + 1]

    @property
    def other(self) -> str:
        """The 其他要求 block, up to the next direction heading."""
        return self.text[self.text.index("其他要求：") + len("其他要求：") :]

    def other_items(self) -> dict[str, str]:
        """其他要求 by item label: '其他要求 2)' for "2）", '其他要求 1.' for "1." (2.5),
        or '其他要求' when the block is not numbered."""
        parts = re.split(r"(?<=[；。])(\d)([）.])", "；" + self.other)
        if len(parts) == 1:
            return {"其他要求": self.other}
        assert parts[0] == "；", f"{self.code}: text before the first numbered item"
        items: dict[str, str] = {}
        for number, marker, text in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
            items[f"其他要求 {number}{')' if marker == '）' else '.'}"] = text
        return items


@pytest.fixture(scope="module")
def guide_lines() -> list[str]:
    return clean_lines(GUIDE_TEXT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def guide_flat(guide_lines: list[str]) -> str:
    return squash("".join(guide_lines))


@pytest.fixture(scope="module")
def segments(guide_lines: list[str]) -> dict[str, Segment]:
    heading = re.compile(r"^(\d\.\d) 中国和")
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in guide_lines:
        match = heading.match(line)
        if match:
            current = found.setdefault(match.group(1), [])
        if current is not None:
            current.append(line)
    assert list(found) == CODES
    return {code: Segment(code, squash("".join(lines))) for code, lines in found.items()}


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide(DATA_FILE)


def direction(guide: Guide, code: str) -> Direction:
    found = guide.direction(code)
    assert found is not None, code
    return found


def rules_of(d: Direction) -> dict[str, list[Requirement]]:
    out: dict[str, list[Requirement]] = {}
    for r in d.requirements:
        if r.rule:
            out.setdefault(r.rule, []).append(r)
    return out


def requirement(guide: Guide, req_id: str) -> Requirement:
    found = guide.requirement(req_id)
    assert found is not None, req_id
    return found


# --- loading and counts -----------------------------------------------------------------------


def test_default_path_loads_the_data_file() -> None:
    assert load_guide() is load_guide(DATA_FILE)


def test_directions_in_guide_order(guide: Guide) -> None:
    assert guide.id == "2020"
    assert [d.code for d in guide.directions] == CODES


def test_project_counts_add_up(guide: Guide) -> None:
    assert sum(d.projects.low for d in guide.directions) == 116
    assert sum(d.projects.high for d in guide.directions) == 119


def test_deadline(guide: Guide) -> None:
    at = guide.general.deadline.at
    assert at == datetime(2020, 6, 15, 16, 0, tzinfo=timezone(timedelta(hours=8)))
    assert "107号" in guide.general.deadline.source


def test_requirement_ids_are_prefixed(guide: Guide) -> None:
    assert all(r.id.startswith("gen-") for r in guide.general.requirements)
    for d in guide.directions:
        assert all(r.id.startswith(f"{d.code}-") for r in d.requirements), d.code


def test_direction_requirements_are_the_guide_itself(guide: Guide) -> None:
    """applies_to, fallback and source are for general requirements only."""
    for d in guide.directions:
        for r in d.requirements:
            assert r.applies_to is None and not r.fallback and r.source is None, r.id


# --- verbatim texts ---------------------------------------------------------------------------


def test_title_and_section_text_verbatim(guide: Guide, guide_flat: str) -> None:
    assert squash(guide.title) in guide_flat
    assert squash(guide.section_text) in guide_flat
    assert "15个指南方向" in squash(guide.section_text)


@pytest.mark.parametrize("code", CODES)
def test_direction_texts_verbatim(guide: Guide, segments: dict[str, Segment], code: str) -> None:
    d, seg = direction(guide, code), segments[code]
    assert seg.text.startswith(code + squash(d.title))
    assert squash("".join(d.agreements)) + "。" == seg.agreements
    assert all(a.startswith("《") and a.endswith("》") for a in d.agreements)
    assert squash(d.fields.text) == seg.fields
    assert squash(d.projects.text) == seg.projects
    assert squash(d.funding.text) == seg.funding
    for r in d.requirements:
        assert squash(r.text) in seg.text, r.id
    if d.agency is not None:
        assert squash(d.agency.text) in seg.other


@pytest.mark.parametrize("code", CODES)
def test_fields_and_topics_named_in_field_text(guide: Guide, code: str) -> None:
    d = direction(guide, code)
    text = squash(d.fields.text)
    names = [f.zh for f in d.fields.items]
    assert len(names) == len(set(names))
    for f in d.fields.items:
        assert squash(f.zh) in text, f.zh
        for t in f.topics:
            assert squash(t.zh) in text, t.zh
            if t.code:
                assert t.code in text


def test_field_counts(guide: Guide) -> None:
    counts = {d.code: len(d.fields.items) for d in guide.directions}
    assert counts == {
        "1.1": 4, "1.2": 3, "1.3": 3, "1.4": 2, "1.5": 9, "1.6": 2, "1.7": 7, "1.8": 2,
        "1.9": 4, "2.0": 3, "2.1": 0, "2.2": 2, "2.3": 6, "2.4": 3, "2.5": 7,
    }  # fmt: skip


def test_listed_sub_topics(guide: Guide) -> None:
    food = direction(guide, "1.1").fields.find("食品和农业经济")
    assert food is not None
    assert [t.zh for t in food.topics] == ["农业技术", "供应链", "未来食品及管理"]
    space = direction(guide, "1.5").fields.find("航天")
    assert space is not None
    assert len(space.topics) == 4  # the 、 inside （…） do not split
    energy = direction(guide, "1.8").fields.find("能源及储存")
    assert energy is not None
    assert [t.zh for t in energy.topics] == ["“电转 X”（Power2X）", "生物质能", "储能和电网灵活性"]
    for code in ("1.2", "1.3", "1.9", "2.0", "2.2", "2.4", "2.5"):
        assert all(not f.topics for f in direction(guide, code).fields.items), code


# --- coverage of 其他要求 -----------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_every_other_requirement_clause_is_encoded(
    guide: Guide, segments: dict[str, Segment], code: str
) -> None:
    d = direction(guide, code)
    items = segments[code].other_items()
    by_item: dict[str, list[Requirement]] = {}
    for r in d.requirements:
        by_item.setdefault(r.item, []).append(r)
    assert set(by_item) - {"领域方向"} == set(items), "item labels differ from the guide's"
    for label, clause in items.items():
        records = by_item[label]
        for r in records:
            assert squash(r.text) in clause, f"{r.id} is not in {label}"
        encoded = norm("".join(r.text for r in records))
        for sentence in re.split(r"[。；]", URL.sub("", clause)):
            sentence = norm(sentence)
            if len(sentence) >= 6:
                assert sentence in encoded, f"{label}: not encoded: {sentence}"


def test_field_clause_of_denmark(guide: Guide, segments: dict[str, Segment]) -> None:
    r = requirement(guide, "1.8-future-cities")
    assert r.item == "领域方向"
    assert r.kind == "attestation"
    assert squash(r.text) in segments["1.8"].fields


# --- counts, money, period --------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_projects_match_wording(guide: Guide, code: str) -> None:
    p = direction(guide, code).projects
    numbers = [int(n) for n in re.findall(r"\d+", p.text)]
    assert (p.low, p.high) == (numbers[0], numbers[-1])
    for word in ("左右", "以内", "不超过"):
        if word in p.text:
            assert p.wording == word
            assert p.low == p.high
            return
    assert p.wording == ("range" if "-" in p.text else "exact")
    assert (p.low < p.high) == (p.wording == "range")


@pytest.mark.parametrize("code", CODES)
def test_funding_matches_wording(guide: Guide, code: str) -> None:
    f = direction(guide, code).funding
    (number,) = re.findall(r"\d+", f.text)
    assert f.amount == Decimal(number)
    assert f.approx == ("左右" in f.text)


def test_funding_typo_kept_verbatim(guide: Guide) -> None:
    assert direction(guide, "2.5").funding.text.startswith("供拟支持经费")


def expected_period(text: str) -> tuple[str, int | None, int | None]:
    """Severity and months from the wording: 为2年 / 为2-3年 / 原则上不超过3年 / 一般…"""
    match = re.search(r"(原则上|一般)?(不超过|为)(\d)(?:[-~](\d))?年", squash(text))
    assert match, text
    hedge, verb, first, second = match.groups()
    severity = "warning" if hedge else "error"
    if verb == "不超过":
        return severity, None, int(first) * 12
    return severity, int(first) * 12, int(second or first) * 12


def test_period_rules_follow_wording(guide: Guide) -> None:
    checked = 0
    for _, r in guide.all_requirements():
        if r.rule != "period":
            continue
        severity, low, high = expected_period(r.text)
        assert r.severity == severity, r.id
        assert r.params.get("min_months") == low, r.id
        assert r.params.get("max_months") == high, r.id
        checked += 1
    assert checked == 12  # 11 directions with a period clause + the section norm


@pytest.mark.parametrize("code", CODES)
def test_period_text(guide: Guide, code: str) -> None:
    d = direction(guide, code)
    own = rules_of(d).get("period", [])
    if code in ("1.1", "1.3", "2.1", "2.5"):
        assert not own
        assert "每个项目实施周期一般为2~3年" in squash(d.period.zh)
        assert "2 to 3 years" in d.period.en
    else:
        assert len(own) == 1
        assert squash(d.period.zh) == squash(own[0].text)


def test_period_norm_is_the_fallback(guide: Guide) -> None:
    norm_req = requirement(guide, "gen-period-norm")
    assert norm_req.fallback
    assert squash(norm_req.text) in squash(guide.section_text)

    def ids(code: str) -> set[str]:
        return {r.id for _, r in guide.requirements_for(direction(guide, code))}

    def norm(code: str) -> dict[str, object] | None:
        found = [
            r for _, r in guide.requirements_for(direction(guide, code)) if r.id == norm_req.id
        ]
        return found[0].params if found else None

    assert norm("1.1") == {"min_months": 24, "max_months": 36}
    # 1.2 caps at 3 years itself ("原则上不超过 3年"): the norm's 2-year floor still warns.
    assert norm("1.2") == {"min_months": 24}
    assert norm("1.7") == {"min_months": 24}
    # 1.9 fixes 2 years: both bounds are the direction's own.
    assert norm("1.9") is None


# --- severities -------------------------------------------------------------------------------


def wording_severity(text: str) -> str | None:
    t = squash(text)
    if "鼓励" in t or "优先支持" in t:
        return "info"
    if "原则上" in t or "一般" in t:
        return "warning"
    if re.search(r"须|(?<!对)应|要|无效", t):
        return "error"
    return None


def test_severities_follow_wording(guide: Guide) -> None:
    for d in guide.directions:
        for r in d.requirements:
            if r.kind == "info":
                assert r.severity == "info", r.id
                continue
            expected = wording_severity(r.text)
            if expected is not None:
                assert r.severity == expected, r.id


@pytest.mark.parametrize(
    ("code", "item", "severity"),
    [
        ("1.2", "其他要求 1)", "warning"),
        ("1.6", "其他要求 4)", "error"),
        ("1.7", "其他要求 4)", "warning"),
        ("2.0", "其他要求", "warning"),
    ],
)
def test_representative_severities(guide: Guide, code: str, item: str, severity: str) -> None:
    d = direction(guide, code)
    period = [r for r in d.requirements if r.item == item and r.rule == "period"]
    assert [r.severity for r in period] == [severity]
    if code == "2.0":
        both = [r for r in d.requirements if r.rule == "both_sides_file"]
        assert [r.severity for r in both] == ["error"]


# --- rules and where they apply ---------------------------------------------------------------


def test_rule_names_known(guide: Guide) -> None:
    for where, r in guide.all_requirements():
        if r.kind == "rule":
            assert r.rule in RULE_NAMES, f"{where}: {r.id}: {r.rule}"
        else:
            assert r.rule is None


def test_both_sides_everywhere_but_uruguay(guide: Guide) -> None:
    for d in guide.directions:
        both = rules_of(d).get("both_sides_file", [])
        if d.code == "1.3":
            assert not both
        else:
            assert both and all(r.severity == "error" for r in both), d.code


def test_agency_exactly_where_named(guide: Guide) -> None:
    with_agency = {d.code for d in guide.directions if d.agency is not None}
    assert with_agency == {"1.1", "1.3", "1.7", "2.5"}
    for d in guide.directions:
        rules = rules_of(d).get("partner_agency", [])
        if d.agency is None:
            assert not rules, d.code
            continue
        assert squash(d.agency.zh) in squash(d.agency.text)
        assert [r.item for r in rules] == [d.agency.item]
        assert squash(d.agency.text) in squash(rules[0].text)
        assert d.agency.matches(d.agency.en)
        assert all(d.agency.matches(n) for n in d.agency.all_names())
        assert all(n.source for n in d.agency.names)
        assert all(o.source for o in d.agency.others)
        assert not any(d.agency.matches(n) for o in d.agency.others for n in o.all_names())
    austria = direction(guide, "1.7").agency
    assert austria is not None and austria.matches("BMBWF")


def test_enterprise_rules(guide: Guide) -> None:
    def having(rule: str) -> set[str]:
        return {d.code for d in guide.directions if rule in rules_of(d)}

    assert having("encourage_enterprise") == {"1.2", "1.3", "1.4", "1.6", "1.7", "1.8"}
    assert having("enterprise_matching") == {"1.4", "1.6", "1.7", "1.8"}
    for _, r in guide.all_requirements():
        if r.rule == "encourage_enterprise":
            assert r.severity == "info"
        if r.rule == "enterprise_matching":
            assert r.severity == "error"
            assert "配套出资" in r.text


def test_horizon_2020(guide: Guide) -> None:
    assert {d.code for d in guide.directions if d.h2020} == {"1.4", "1.5"}
    for code in ("1.4", "1.5"):
        rules = rules_of(direction(guide, code))
        for name in ("h2020_participants", "h2020_budget_cap", "one_lead_unit"):
            assert name in rules, (code, name)
    flagship = rules_of(direction(guide, "1.4"))
    assert flagship["min_units"][0].params == {"count": 3}
    assert "no_subordination" in flagship
    assert "h2020_topic_matches" in flagship
    other = rules_of(direction(guide, "1.5"))
    assert other["h2020_call_year"][0].params == {"years": [2018, 2019, 2020]}


def test_flagship_topics(guide: Guide) -> None:
    d = direction(guide, "1.4")
    topics = [t for f in d.fields.items for t in f.topics]
    assert [t.code for t in topics] == ["SFS-40-2020", "SC5-27-2020"]
    assert all(len(f.topics) == 1 for f in d.fields.items)
    assert all(t.zh == t.en and t.key == t.code for t in topics)


def test_field_modes(guide: Guide) -> None:
    modes = {d.code: d.fields.mode for d in guide.directions}
    assert modes.pop("2.1") == "unrestricted"
    assert modes.pop("2.4") == "priority"
    assert set(modes.values()) == {"listed"}
    assert direction(guide, "2.1").fields.items == []


def test_partner_institutions(guide: Guide) -> None:
    udelar = rules_of(direction(guide, "1.3"))["partner_institution"][0]
    assert udelar.params == {"designated": "udelar", "all": False}
    [body] = direction(guide, "1.3").designated
    assert body.zh == "乌拉圭共和国大学" and body.id == "udelar"
    riken = rules_of(direction(guide, "2.1"))["partner_institution"][0]
    assert riken.params == {"designated": "riken", "all": True}
    [body] = direction(guide, "2.1").designated
    assert body.en == "RIKEN" and all(n.source for n in body.names)
    staff = [r for r in direction(guide, "2.1").requirements if r.kind == "attestation"]
    assert len(staff) == 1 and "正式研究人员" in staff[0].text


def test_two_plus_two_and_research_units(guide: Guide) -> None:
    assert "two_plus_two" in rules_of(direction(guide, "1.6"))
    assert "research_units_only" in rules_of(direction(guide, "2.2"))


def test_attestations(guide: Guide) -> None:
    ids = {r.id for _, r in guide.all_requirements() if r.kind == "attestation"}
    for expected in (
        "1.2-agreement",
        "1.4-balance",
        "1.4-h2020-documents",
        "1.6-ip",
        "1.7-balance",
        "1.7-ip",
        "1.8-future-cities",
        "1.8-sdg",
        "1.8-balance",
        "1.8-ip",
        "2.1-riken-staff",
        "gen-mainland-entity",
        "gen-expert-fee",
    ):
        assert expected in ids
    # A plan of the two governments, nothing the applicant could attest.
    assert requirement(guide, "2.5-funding-list").kind == "info"


def test_link_clauses_are_info(guide: Guide) -> None:
    for req_id in ("1.4-links", "1.5-links"):
        r = requirement(guide, req_id)
        assert (r.kind, r.severity, r.item) == ("info", "info", "其他要求 7)")
        assert "https://" in r.text


# --- general requirements ---------------------------------------------------------------------


def test_general_requirements(guide: Guide) -> None:
    general = {r.id: r for r in guide.general.requirements}
    expected = {
        "gen-complete": ("required_fields", "error"),
        "gen-entry-format": ("entry_readable", "error"),
        "gen-field": ("field_in_direction", "error"),
        "gen-period-norm": ("period", "warning"),
        "gen-partner-country": ("partner_country", "error"),
        "gen-lead-unit": ("one_lead_unit", "error"),
        "gen-credit-code": ("credit_code", "error"),
        "gen-no-government": ("no_government_units", "error"),
        "gen-leader-unit": ("leader_in_units", "error"),
        # Errors since v2: the notice (as summarised) states them as conditions.
        "gen-leader-title": ("leader_title_or_doctorate", "error"),
        "gen-leader-months": ("leader_months", "error"),
        "gen-leader-birth": ("leader_birth", "error"),
        "gen-leader-projects": ("project_limit", "error"),
        "gen-leader-one-project": (None, "error"),
        "gen-one-leader": ("one_leader", "error"),
        "gen-team-id": ("team_id_number", "error"),
        "gen-team-unit": ("team_units", "error"),
        "gen-team-task": ("team_task", "error"),
        "gen-task-unit": ("task_units", "error"),
        "gen-task-leader": ("task_leader_member", "error"),
        "gen-plan-years": ("plan_years", "error"),
        "gen-narrative": ("narrative_filled", "error"),
        "gen-targets": ("targets_complete", "error"),
        "gen-attachments": ("attachments_required", "error"),
        "gen-mainland-entity": (None, "error"),  # 应为 → error
        "gen-budget-categories": ("budget_units_sum", "error"),
        "gen-money-format": ("money_format", "error"),
        "gen-funding-total": ("funding_total", "error"),
        "gen-funding-average": ("funding_average", "warning"),
        "gen-indirect-cap": ("indirect_cap", "error"),
        "gen-other-note": ("basis_required", "error"),  # 应 → error
        "gen-other-sources": ("other_sources_matching", "error"),
        "gen-expert-fee": (None, "error"),
    }
    assert {k: (r.rule, r.severity) for k, r in general.items()} == expected
    assert {k for k, r in general.items() if r.fallback} == {"gen-period-norm"}
    for r in general.values():
        assert r.applies_to is None
        assert r.source or r.id == "gen-period-norm", r.id
    assert general["gen-leader-months"].params == {"min": 6}
    assert general["gen-leader-birth"].params == {"not_before": "1960-01-01"}
    assert general["gen-leader-projects"].params == {
        "max": 2,
        "roles": ["leader", "task_leader", "core"],
    }
    # The notice is known from its English summary: its clauses say so, never "quoted".
    for key in ("gen-leader-title", "gen-leader-months", "gen-leader-birth", "gen-leader-projects"):
        assert "概括，非原文" in (general[key].source or ""), key
    tiers = general["gen-indirect-cap"].params["tiers"]
    assert [(t.get("upto"), Decimal(str(t["rate"]))) for t in tiers] == [
        (500, Decimal("0.20")),
        (1000, Decimal("0.15")),
        (None, Decimal("0.13")),
    ]


# --- both languages ---------------------------------------------------------------------------


def test_english_counterparts(guide: Guide) -> None:
    english = [guide.title_en]
    for d in guide.directions:
        english += [d.title_en, d.partner.en, d.period.en]
        english += [f.en for f in d.fields.items]
        english += [t.en for f in d.fields.items for t in f.topics]
        if d.agency is not None:
            english.append(d.agency.en)
    english += [r.text_en for _, r in guide.all_requirements()]
    for text in english:
        assert text.strip(), "empty English text"
        assert not CJK.search(text), text


def test_partners(guide: Guide) -> None:
    partners = {d.code: d.partner.zh for d in guide.directions}
    assert partners["1.4"] == partners["1.5"] == "欧盟"
    assert partners["2.1"] == "日本理化学研究所（RIKEN）"
    assert direction(guide, "2.1").partner.en == "RIKEN, Japan"


# --- malformed data files ---------------------------------------------------------------------


def _write_modified(tmp_path: Path, code: str, key: str, value: object) -> Path:
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    entry = next(d for d in data["directions"] if d["code"] == code)
    entry["requirements"][0][key] = value
    path = tmp_path / "directions.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("code", "key", "value", "named"),
    [
        ("1.7", "severity", "fatal", "requirements[0].severity"),
        ("2.3", "sevirity", "error", "sevirity"),
    ],
    ids=["bad-severity", "unknown-key"],
)
def test_a_bad_requirement_names_direction_and_key(
    tmp_path: Path, code: str, key: str, value: str, named: str
) -> None:
    path = _write_modified(tmp_path, code, key, value)
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    message = str(caught.value)
    assert f"direction {code}" in message
    assert named in message


def test_severity_follows_the_wording(guide: Guide) -> None:
    """须/必须/应/要/为/无效 → error; 原则上/一般 → warning; 鼓励/优先 → info (the house
    rule): every rule and attestation whose text carries one of the words has its severity."""
    import re

    wrong = []
    for _, r in guide.all_requirements():
        if r.kind == "info":
            continue
        if re.search("须|必须|应|要|无效", r.text):
            want = "error"
        elif re.search("原则上|一般", r.text):
            want = "warning"
        elif re.search("鼓励|优先", r.text):
            want = "info"
        else:
            continue
        if r.severity != want:
            wrong.append((r.id, r.severity, want))
    assert not wrong
