"""Drafts for tests: a clean draft for any direction, built from the guide data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from stdnum.cn import ric

from wizard.draft import BudgetLine, Draft, Institution, Unit, new_draft
from wizard.guide import Guide
from wizard.uscc import with_check_character


def credit_code(n: int) -> str:
    return with_check_character(f"91110108MA0{n:06d}")


def resident_id(birth: date, n: int = 1, place: str = "110108") -> str:
    """A valid 18-digit 居民身份证 number (check digit by python-stdnum's cn.ric)."""
    body = f"{place}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


# The 2020 form's budget of a clean draft's one 课题 (中央财政, 万元), before scaling.
CLEAN_BUDGET = {
    "equipment_purchase": Decimal("10"),
    "materials": Decimal("20"),
    "testing": Decimal("10"),
    "fuel_power": Decimal("0"),
    "travel_meeting_intl": Decimal("20"),
    "publication_ip": Decimal("5"),
    "labour": Decimal("15"),
    "expert": Decimal("5"),
    "other": Decimal("0"),
    "indirect": Decimal("15"),
}


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
    assert leader is not None
    leader.name = "张三"
    leader.gender = "male"
    leader.birth_date = date(1975, 5, 1)
    leader.id_type = "resident_id"
    leader.id_number = resident_id(leader.birth_date)
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

    task = draft.tasks[0]
    task.name = f"课题一 {code}"
    task.unit = lead_name
    task.leader = leader.name
    task.content = "课题研究内容。"
    form = guide.form
    for category in form.categories:
        default = Decimal("15") if not category.direct else Decimal("10")
        task.budget[category.key] = BudgetLine(central=CLEAN_BUDGET.get(category.key, default))
    # Budget total must equal the units' funding and stay under the direction's average.
    average = direction.funding.amount / max(direction.projects.low, 1)
    total = sum((line.total for line in task.budget.values()), Decimal(0))
    scale = Decimal(1)
    while total * scale > average:
        scale /= 2
    if scale != 1:
        for line in task.budget.values():
            if line.central:
                line.central = (line.central * scale).quantize(Decimal("0.01"))
    total = sum((line.total for line in task.budget.values()), Decimal(0))
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


def full_draft(guide: Guide, code: str) -> Draft:
    """A clean draft with every v2 section filled: a 课题 per unit with budgets from several
    sources, a team with ID numbers, targets, a plan per project year, every narrative part,
    the recommender, contact, the partner's PI and the attachments the direction requires."""
    from wizard.draft import Attachment, Person, Stage, Target, Task

    draft = clean_draft(guide, code)
    direction = guide.direction(code)
    assert direction is not None
    draft.recommender.name = "教育部"
    draft.recommender.kind = "ministry"
    draft.contact.name = "李四"
    draft.contact.phone = "010-62780001"
    draft.contact.email = "lisi@example.edu.cn"
    for i, unit in enumerate(draft.units):
        unit.region = "北京市"
        unit.address = f"北京市海淀区示例路 {i + 1} 号"
        unit.postcode = "100084"
    first = draft.tasks[0]
    draft.tasks = [first]
    leader = draft.leader
    assert leader is not None
    for i, unit in enumerate(draft.units[1:], start=2):
        name = f"课题负责人{i}"
        draft.tasks.append(
            Task(
                name=f"课题{i} {code}",
                unit=unit.name,
                leader=name,
                content=f"课题{i}的研究内容。\n第二段：方法与技术路线。",
                budget={
                    key: BudgetLine(
                        central=Decimal(0), own=Decimal("1.5"), basis=f"{key} 的测算依据"
                    )
                    for key in guide.form.direct_keys[:3]
                },
            )
        )
        draft.team.append(
            Person(
                name=name,
                gender="female",
                birth_date=date(1980, 1, i),
                id_type="resident_id",
                id_number=resident_id(date(1980, 1, i), i),
                title="副高级",
                degree="博士",
                unit=unit.name,
                role="task_leader",
                task=i,
                months_per_year=6,
                other_projects=1,
                email=f"leader{i}@example.cn",
                phone="010-00000000",
            )
        )
    draft.team.append(
        Person(
            name="Wang Core",
            gender="male",
            birth_date=date(1988, 8, 8),
            id_type="passport",
            id_number="E12345678",
            title="中级",
            degree="硕士",
            unit=draft.units[0].name,
            role="core",
            task=1,
            months_per_year=10,
            other_projects=0,
        )
    )
    for line in first.budget.values():
        line.basis = "按单价 × 数量测算。"
    first.budget[guide.form.direct_keys[0]].local = Decimal("2.25")
    lead = draft.partner.lead
    lead.name = "Prof. Anna Lindqvist"
    lead.title = "Professor"
    lead.institution = draft.partner.institutions[0].name
    lead.email = "anna@example.org"
    draft.partner.contribution = "外方投入实验平台与数据。"
    draft.partner.agreement_signed = date(2020, 4, 1)
    draft.targets = [
        Target(name="发表论文", kind="论文", value="≥ 10 篇", method="检索证明", task=1),
        Target(name="申请专利", kind="专利", value="3 项", method="受理通知书", task=2),
    ]
    draft.plan = [
        Stage(year=y, content=f"第 {y} 年：完成阶段任务。")
        for y in range(1, draft.project.years + 1)
    ]
    draft.narrative = {part.key: f"{part.zh}：正文。\n第二段。" for part in guide.form.parts}
    draft.attachments = [
        Attachment(
            key=kind.key,
            path=f"附件/{kind.key}.pdf",
            sha256="0" * 64,
            size=1024,
            attached=draft.meta.created,
        )
        for kind, _ in guide.attachments_for(direction)
    ]
    return draft
