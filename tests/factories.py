"""Drafts for tests: a clean draft for any direction, built from the guide data (v2)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from wizard.draft import (
    Attachment,
    BudgetLine,
    Draft,
    Institution,
    Person,
    Stage,
    Target,
    Task,
    Unit,
    new_draft,
)
from wizard.guide import Form, Guide
from wizard.rules.model import AttachmentState
from wizard.uscc import with_check_character

CENT = Decimal("0.01")


def credit_code(n: int) -> str:
    return with_check_character(f"91110108MA0{n:06d}")


def resident_id(born: date, n: int = 1, region: str = "110105") -> str:
    """A valid 18-digit 居民身份证号码 for someone born on `born`."""
    body = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def person(
    name: str,
    unit: str,
    role: str = "core",
    task: int | None = 1,
    born: date = date(1980, 1, 1),
    n: int = 1,
) -> Person:
    """A complete team member with a valid resident ID."""
    return Person(
        name=name,
        gender="female" if n % 2 else "male",
        birth_date=born,
        id_type="resident_id",
        id_number=resident_id(born, n),
        title="副高级",
        degree="博士",
        unit=unit,
        role=role,  # type: ignore[arg-type]
        task=task,
        months_per_year=6,
        other_projects=0,
        email=f"p{n}@example.edu.cn",
        phone="010-12345678",
    )


# Amounts of one 课题 at full scale, by the guide's role of a category: the purchase, the
# other direct categories, the indirect ones (central source). Indirect stays under the
# 20 % cap of (direct − purchase) at any scale.
PURCHASE, DIRECT_EACH, INDIRECT_SHARE = Decimal("10"), Decimal("10"), Decimal("0.15")


def task_budget(form: Form, scale: Decimal = Decimal(1)) -> dict[str, BudgetLine]:
    """A budget by the guide's categories (never a key by name): purchase, direct, indirect."""
    lines: dict[str, BudgetLine] = {}
    base = Decimal(0)
    for c in form.categories:
        if not c.direct:
            continue
        amount = ((PURCHASE if c.purchase else DIRECT_EACH) * scale).quantize(CENT)
        lines[c.key] = BudgetLine(central=amount, basis=f"{c.zh}的测算依据")
        if not c.purchase:
            base += amount
    for c in form.categories:
        if not c.direct:
            share = (base * INDIRECT_SHARE / len(form.indirect_keys)).quantize(CENT, "ROUND_DOWN")
            lines[c.key] = BudgetLine(central=share, basis="按规定核定")
    return lines


def central_of(task: Task, form: Form) -> Decimal:
    return sum((task.amount(c.key, "central") for c in form.categories), Decimal(0))


FILE_BYTES = b"%PDF-1.4 scanned attachment\n"
FILE_SHA = hashlib.sha256(FILE_BYTES).hexdigest()


def write_attachments(draft: Draft, folder: Path) -> None:
    """Put the file each attachment records (FILE_BYTES) at its path under `folder`, as it
    was when attached: `wizard check` and `wizard export` then find every file unchanged."""
    for a in draft.attachments:
        if a.path:
            target = folder / a.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(FILE_BYTES)


def attachment_states(draft: Draft) -> dict[str, AttachmentState]:
    """States as wizard.attachments would find them if every recorded file were unchanged."""
    return {
        a.path: AttachmentState(a.path, "", a.size, a.sha256) for a in draft.attachments if a.path
    }


def clean_draft(guide: Guide, code: str) -> Draft:
    """A draft of direction `code` that breaks no error or warning rule."""
    direction = guide.direction(code)
    assert direction is not None, code
    form = guide.form
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
    draft.recommender.name = "教育部"
    draft.recommender.kind = "ministry"
    draft.contact.name = "赵六"
    draft.contact.phone = "010-87654321"
    draft.contact.email = "contact@example.edu.cn"

    def unit(name: str, kind: str, n: int, role: str = "participant") -> Unit:
        return Unit(
            name=name,
            role=role,  # type: ignore[arg-type]
            kind=kind,  # type: ignore[arg-type]
            credit_code=credit_code(n),
            registered=date(1990, 1, 1),
            region="北京市",
            address=f"北京市海淀区{n}号",
            postcode="100084",
        )

    draft.units = [
        unit("清华大学", "university", 1, "lead"),
        unit("中国科学院物理研究所", "institute", 2),
    ]
    research_only = any(r.rule == "research_units_only" for r in direction.requirements)
    if not research_only:
        draft.units.append(unit("华为技术有限公司", "enterprise", 3))

    leaders = ["张三", "李四", "王五"]
    draft.team = [
        person("张三", "清华大学", "leader", None, date(1975, 5, 1), 1),
        person("李四", "中国科学院物理研究所", "task_leader", 2, date(1980, 2, 2), 2),
    ]
    draft.team[0].title = "正高级"
    draft.team[0].months_per_year = 8
    draft.team[0].email = "zhang@example.edu.cn"
    if not research_only:
        draft.team.append(person("王五", "华为技术有限公司", "task_leader", 3, date(1982, 3, 3), 3))
    draft.team.append(person("钱七", "清华大学", "core", 1, date(1985, 4, 4), 4))

    # One 课题 per unit, shares 0.6 / 0.3 / 0.1, the whole under the direction's average.
    average = direction.funding.amount / max(direction.projects.low, 1)
    shares = [Decimal("0.6"), Decimal("0.3"), Decimal("0.1")][: len(draft.units)]
    full = sum((central_of(Task(budget=task_budget(form)), form) * s for s in shares), Decimal(0))
    scale = Decimal(1)
    while full * scale > average:
        scale /= 2
    draft.tasks = []
    for i, (u, share) in enumerate(zip(draft.units, shares, strict=True)):
        task = Task(
            name=f"课题{i + 1}：{u.name}的研究",
            unit=u.name,
            leader=leaders[i],
            content="研究内容。",
            budget=task_budget(form, scale * share),
        )
        draft.tasks.append(task)
        u.funding = central_of(task, form)
    for i, u in enumerate(draft.units):
        if u.kind == "enterprise":
            u.matching = (u.funding or Decimal(0)) * 2
            first = form.direct_keys[0]
            draft.tasks[i].budget[first].own = u.matching

    partner = draft.partner
    partner.country = direction.partner.zh
    partner.agency = direction.agency.zh if direction.agency else "合作方项目征集部门"
    partner.submitted = True
    partner.lead.name = "Dr. A"
    partner.lead.title = "Professor"
    partner.lead.institution = "Partner University"
    partner.lead.email = "a@p.org"
    partner.contribution = "外方投入研究人员与设备。"
    partner.agreement_signed = date(2020, 5, 1)
    partner.institutions = [
        Institution(name="Partner University", kind="university", contact="Dr. A", email="a@p.org"),
        Institution(name="Partner AB", kind="enterprise", contact="Ms. B", email="b@p.org"),
    ]
    for req in direction.requirements:
        if req.rule == "partner_institution":
            [body] = [b for b in direction.designated if b.id == req.params["designated"]]
            name = body.en
            partner.institutions[0].name = name
            partner.lead.institution = name
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

    draft.targets = [Target(name="论文", kind="论文", value="3 篇", method="发表", task=1)]
    draft.plan = [Stage(year=y, content=f"第 {y} 年的工作。") for y in range(1, p.years + 1)]
    draft.narrative = {part.key: f"{part.zh}。" for part in form.parts if not part.holds}
    stamp = datetime(2020, 5, 1, tzinfo=UTC)
    draft.attachments = [
        Attachment(
            key=kind.key,
            path=f"attachments/{kind.key}.pdf",
            sha256=FILE_SHA,
            size=len(FILE_BYTES),
            attached=stamp,
        )
        for kind, _ in guide.attachments_for(direction)
    ]

    for _, req in guide.requirements_for(direction):
        if req.kind == "attestation":
            draft.attest[req.id] = True
    return draft


def _holder(draft: Draft, path: str) -> tuple[Any, str]:
    """The object that holds the last part of `path` (`team[1].id_type`), and that part."""
    *parents, last = re.findall(r"[^.\[\]]+", path)
    holder: Any = draft
    for part in parents:
        holder = holder[int(part)] if part.isdigit() else getattr(holder, part)
    return holder, last


def value_at(draft: Draft, path: str) -> Any:
    holder, last = _holder(draft, path)
    return holder[int(last)] if last.isdigit() else getattr(holder, last)


def edit(draft: Draft, changes: dict[str, object]) -> Draft:
    """`draft` with each path of `changes` (`team[1].id_type`, `partner.agency`) set."""
    for path, value in changes.items():
        holder, last = _holder(draft, path)
        if last.isdigit():
            holder[int(last)] = value
        else:
            setattr(holder, last, value)
    return draft


def full_draft(guide: Guide, code: str) -> Draft:
    """A clean draft with more of every v2 part: a member with a passport, budgets from
    several sources, multi-line narrative text, every part of the form written."""
    draft = clean_draft(guide, code)
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
    first = draft.tasks[0]
    first.budget[guide.form.direct_keys[0]].local = Decimal("2.25")
    first.content = "课题1的研究内容。\n第二段：方法与技术路线。"
    draft.targets.append(
        Target(name="申请专利", kind="专利", value="3 项", method="受理通知书", task=2)
    )
    draft.narrative = {part.key: f"{part.zh}：正文。\n第二段。" for part in guide.form.parts}
    return draft


def team_draft(guide: Guide, code: str = "1.4", people: int = 3, tasks: int = 2) -> Draft:
    """A v2 draft with named units, `tasks` 课题 and a team of `people` (the first the
    leader), for the team, 课题 and budget screens; amounts are left to the tests."""
    draft = new_draft(code, guide.id)
    draft.project.title = f"团队测试 {code}"
    draft.project.start = date(2021, 1, 1)
    draft.project.months = 36
    draft.units = [
        Unit(name="清华大学", role="lead", kind="university", credit_code=credit_code(1)),
        Unit(name="中国科学院物理研究所", kind="institute", credit_code=credit_code(2)),
    ]
    draft.tasks = [
        Task(name=f"课题名称{i + 1}", unit=draft.units[i % 2].name) for i in range(tasks)
    ]
    roles = ("leader", "task_leader", "core", "general")
    draft.team = [
        Person(
            name=f"成员{i + 1:03d}" if i else "张三",
            gender="male" if i % 2 else "female",
            birth_date=date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            id_type="resident_id",
            id_number="11010519491231002X" if i == 0 else "",
            title="正高级",
            degree="博士",
            unit=draft.units[i % 2].name,
            role=roles[min(i, 3)] if i < 4 else "general",
            task=(i % tasks) + 1 if tasks and i else None,
            months_per_year=8,
            other_projects=0,
            email=f"m{i}@example.edu.cn",
            phone="010-12345678",
        )
        for i in range(people)
    ]
    if tasks:
        draft.tasks[0].leader = draft.team[0].name if draft.team else ""
    return draft


def leader_of(draft: Draft) -> Person:
    """The draft's project leader (the team's person with role leader), asserted present."""
    leader = draft.leader
    assert leader is not None, "the draft has no leader"
    return leader


def leader_path(draft: Draft, field: str) -> str:
    """The path of a field of the leader: `team[i].field`."""
    assert draft.leader_index is not None
    return f"team[{draft.leader_index}].{field}"


def direct_key(guide: Guide) -> str:
    """A direct budget category that is not the equipment purchase (from the guide)."""
    form = guide.form
    return next(k for k in form.direct_keys if k not in form.purchase_keys)


def add_central(
    draft: Draft, guide: Guide, amount: Decimal, task: int = 0, key: str | None = None
) -> None:
    """Add `amount` to a 课题's central budget and to its 承担单位's funding, so the units'
    funding still equals their 课题 (only the rule under test speaks)."""
    key = key or direct_key(guide)
    line = draft.tasks[task].budget.setdefault(key, BudgetLine())
    line.central = (line.central or Decimal(0)) + amount
    for unit in draft.units:
        if unit.name == draft.tasks[task].unit:
            unit.funding = (unit.funding or Decimal(0)) + amount


def numbered_unit(i: int, **fields: Any) -> Unit:
    """The `i`th extra unit of a large draft: an institute under one of seven parents (no
    two subordinate to each other), with a valid credit code; `fields` change any field."""
    values: dict[str, Any] = {
        "name": f"合作单位{i:03d}研究院",
        "kind": "institute",
        "credit_code": credit_code(100 + i),
        "parent": f"上级主管部门{i % 7}",
        "registered": date(2000, 1, 1),
        "region": "北京市",
        "address": f"北京市海淀区{i}号",
    }
    return Unit(**(values | fields))


def large_v2_draft(
    guide: Guide,
    code: str = "1.4",
    tasks: int = 10,
    people: int = 60,
    targets: int = 50,
    attachments: int = 20,
    units: int = 60,
) -> Draft:
    """The bench's large v2 draft (issue 14): many 课题, people, targets, attachments and
    units, long texts; consistent, so the rules do their full work rather than stop early."""
    draft = clean_draft(guide, code)
    form = guide.form
    draft.project.summary = "本项目围绕健康土壤与食品生产开展联合研究。" * 200
    draft.project.keywords = [f"关键词{i}" for i in range(10)]
    draft.units += [numbered_unit(i, funding=Decimal("0")) for i in range(len(draft.units), units)]
    draft.h2020.participants = [u.name for u in draft.units]
    lead = draft.units[0]
    for t in range(len(draft.tasks), tasks):
        name = f"课题负责人{t:02d}"
        draft.team.append(person(name, lead.name, "task_leader", t + 1, n=300 + t))
        task = Task(
            name=f"课题{t + 1}",
            unit=lead.name,
            leader=name,
            content="研究内容。" * 100,
            budget=task_budget(form, Decimal("0.1")),
        )
        draft.tasks.append(task)
        lead.funding = (lead.funding or Decimal(0)) + central_of(task, form)
    for i in range(len(draft.team), people):
        unit = draft.units[i % len(draft.units)].name
        draft.team.append(person(f"成员{i:03d}", unit, "core", 1 + i % tasks, n=400 + i))
    draft.targets = [
        Target(name=f"指标{i}", kind="论文", value=f"{i} 篇", method="发表", task=1 + i % tasks)
        for i in range(targets)
    ]
    for part in draft.narrative:
        draft.narrative[part] = "正文。" * 2000
    for i in range(len(draft.attachments), attachments):
        draft.attachments.append(
            Attachment(
                key=f"extra_{i}",
                path=f"attachments/extra-{i}.pdf",
                sha256=FILE_SHA,
                size=len(FILE_BYTES),
            )
        )
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
    draft.team[0].name = f"{CSI_CLEAR}李[b]明[/b][/]"
    draft.units = [
        Unit(name=f"单位{C1_CSI}{OSC8}[/]", role="lead"),
        Unit(name=f"机关[link=http://x]y[/link]{OSC52}", role="participant", kind="government"),
    ]
    draft.meta.last_section = "units"
    return draft


def v2_draft(guide: Guide, code: str = "1.6") -> Draft:
    """A draft with a period (2020-10-01, 36 months: 4 project years), two 课题 and one target."""
    direction = guide.direction(code)
    assert direction is not None
    draft = new_draft(direction, guide.id)
    draft.project.title = "储能材料联合研究"
    draft.project.start = date(2020, 10, 1)
    draft.project.months = 36
    draft.units[0].name = "清华大学"
    draft.tasks[0].name = "储能材料"
    draft.tasks.append(draft.tasks[0].model_copy(update={"name": "示范应用"}))
    draft.targets = [Target(name="论文", kind="论文", value="10篇", method="检索证明", task=1)]
    return draft
