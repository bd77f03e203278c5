"""Drafts for tests: a clean draft for any direction, built from the guide data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wizard.draft import Draft, Institution, Unit, new_draft
from wizard.guide import Guide
from wizard.uscc import with_check_character


def credit_code(n: int) -> str:
    return with_check_character(f"91110108MA0{n:06d}")


def clean_draft(guide: Guide, code: str) -> Draft:
    """A draft of direction `code` that breaks no error or warning rule."""
    direction = guide.direction(code)
    assert direction is not None, code
    draft = new_draft(code, guide.id)
    p = draft.project
    p.title = f"测试项目 {code}"
    p.title_en = f"Test project {code}"
    if direction.fields.items:
        field = direction.fields.items[0]
        p.field = field.zh
        p.topic = field.topics[0].key if field.topics else ""
    else:
        p.field = "材料科学"
    p.start = date(2021, 1, 1)
    p.months = 24
    p.summary = "研究目标与内容。"
    p.keywords = ["合作", "研究", "创新"]

    lead_name = "清华大学"
    draft.units = [
        Unit(
            name=lead_name,
            role="lead",
            kind="university",
            credit_code=credit_code(1),
            registered=date(1990, 1, 1),
            funding=Decimal("60"),
        ),
        Unit(
            name="中国科学院物理研究所",
            kind="institute",
            credit_code=credit_code(2),
            registered=date(1990, 1, 1),
            funding=Decimal("30"),
        ),
    ]
    research_only = any(r.rule == "research_units_only" for r in direction.requirements)
    if not research_only:
        draft.units.append(
            Unit(
                name="华为技术有限公司",
                kind="enterprise",
                credit_code=credit_code(3),
                registered=date(2000, 1, 1),
                funding=Decimal("10"),
                matching=Decimal("20"),
            )
        )

    leader = draft.leader
    leader.name = "张三"
    leader.birth_date = date(1975, 5, 1)
    leader.title = "正高级"
    leader.degree = "博士"
    leader.unit = lead_name
    leader.months_per_year = 8
    leader.email = "zhang@example.edu.cn"
    leader.phone = "010-12345678"
    leader.other_projects = 0

    partner = draft.partner
    partner.country = direction.partner.zh
    partner.agency = direction.agency.zh if direction.agency else "合作方项目征集部门"
    partner.submitted = True
    partner.institutions = [
        Institution(name="Partner University", kind="university", contact="Dr. A", email="a@p.org"),
        Institution(name="Partner AB", kind="enterprise", contact="Ms. B", email="b@p.org"),
    ]
    for req in direction.requirements:
        if req.rule == "partner_institution":
            [body] = [b for b in direction.designated if b.id == req.params["designated"]]
            name = body.en
            partner.institutions[0].name = name
            if req.params.get("all"):
                partner.institutions = [partner.institutions[0]]
                partner.institutions[0].kind = "institute"
        if req.rule == "research_units_only":
            partner.institutions = [partner.institutions[0]]

    if direction.h2020:
        h = draft.h2020
        h.proposal = "101000001"
        h.topic = p.topic or "SFS-40-2020"
        h.call_year = 2020
        h.participants = [u.name for u in draft.units]
        h.cn_budget = Decimal("500")

    b = draft.budget
    b.equipment = Decimal("10")
    b.materials = Decimal("20")
    b.testing = Decimal("10")
    b.fuel_power = Decimal("0")
    b.travel_meeting_intl = Decimal("20")
    b.publication_ip = Decimal("5")
    b.labour = Decimal("15")
    b.expert = Decimal("5")
    b.other = Decimal("0")
    b.indirect = Decimal("15")
    # Budget total must equal the units' funding and stay under the direction's average.
    average = direction.funding.amount / max(direction.projects.low, 1)
    total = b.total
    scale = Decimal(1)
    while total * scale > average:
        scale /= 2
    if scale != 1:
        for c in (
            "equipment",
            "materials",
            "testing",
            "travel_meeting_intl",
            "publication_ip",
            "labour",
            "expert",
            "indirect",
        ):
            setattr(b, c, (b.amount(c) * scale).quantize(Decimal("0.01")))
    total = b.total
    funds = [Decimal("0.6"), Decimal("0.3"), Decimal("0.1")][: len(draft.units)]
    share = sum(funds)
    assigned = Decimal(0)
    for unit, f in zip(draft.units, funds, strict=True):
        unit.funding = (total * f / share).quantize(Decimal("0.01"))
        assigned += unit.funding
    draft.units[0].funding = (draft.units[0].funding or Decimal(0)) + total - assigned
    for unit in draft.units:
        if unit.kind == "enterprise":
            unit.matching = (unit.funding or Decimal(0)) * 2

    for _, req in guide.requirements_for(direction):
        if req.kind == "attestation":
            draft.attest[req.id] = True
    return draft


# -- what a draft may carry to attack the terminal or the renderer ------------------------

OSC52 = "\x1b]52;c;aGk=\x07"  # write "hi" to the clipboard
CSI_CLEAR = "\x1b[2J"
RLO = "\u202e"  # right-to-left override
C1_CSI = "\x9b31m"
OSC8 = "\x1b]8;;http://x\x07"
INJECTED_BYTES = (b"\x1b]52", b"\x1b]8;;http", b"\x1b[2J\xe6", b"\xc2\x9b", RLO.encode())
HOSTILE_FILE = f"evil{CSI_CLEAR}[b]x[red]{RLO}.toml"
LONG_NAME = "𠮷" * 60 + ".toml"  # 245 bytes: its temp file name is over 255 (ENAMETOOLONG)


def hostile_draft() -> Draft:
    """A draft whose text carries escape sequences, bidi overrides and Rich markup."""
    draft = new_draft("1.6")
    draft.project.title = f"标题{OSC52}{RLO}evil [b]x[/b]"
    draft.leader.name = f"{CSI_CLEAR}李[b]明[/b][/]"
    draft.units = [
        Unit(name=f"单位{C1_CSI}{OSC8}[/]", role="lead"),
        Unit(name=f"机关[link=http://x]y[/link]{OSC52}", role="participant", kind="government"),
    ]
    draft.meta.last_section = "units"
    return draft
