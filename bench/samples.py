"""Drafts to measure on: a typical one and a large one (10 课题, 60 people, 50 targets, 20
attachments, 60 units, 20 institutions, long texts)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.factories import clean_draft, numbered_unit, resident_id
from wizard.draft import Attachment, BudgetLine, Draft, Institution, Person, Stage, Target, Task
from wizard.guide import Guide
from wizard.store import save_draft


def typical_draft(guide: Guide) -> Draft:
    return clean_draft(guide, "1.6")


def large_draft(
    guide: Guide,
    units: int = 60,
    institutions: int = 20,
    tasks: int = 10,
    people: int = 60,
    targets: int = 50,
    attachments: int = 20,
) -> Draft:
    """The issue's large v2 draft: 10 课题 with budgets from several sources, 60 people,
    50 targets, 20 attachments, every narrative part long, besides 60 units and 20
    foreign institutions."""
    draft = clean_draft(guide, "1.4")
    draft.project.summary = "本项目围绕健康土壤与食品生产开展联合研究。" * 200
    draft.project.keywords = [f"关键词{i}" for i in range(10)]
    draft.recommender.name = "教育部"
    draft.recommender.kind = "ministry"
    draft.contact.name = "联系人"
    draft.contact.phone = "010-62780000"
    draft.contact.email = "contact@example.edu.cn"
    for i in range(len(draft.units), units):
        draft.units.append(
            numbered_unit(
                i,
                kind="institute" if i % 3 else "enterprise",
                address=f"北京市海淀区示例路 {i} 号",
                postcode="100084",
                # Enterprises matching less than they receive: a draft with many problems
                # (units under one parent are not subordinate to each other: no finding).
                funding=Decimal("0") if i % 3 else Decimal("2"),
                matching=Decimal("1.00"),
            )
        )
    draft.h2020.participants = [u.name for u in draft.units]
    draft.partner.institutions = [
        Institution(
            name=f"European Partner Institute {i}",
            kind="institute" if i % 2 else "university",
            contact=f"Dr. Partner {i}",
            email=f"p{i}@example.eu",
        )
        for i in range(institutions)
    ]
    lead = draft.partner.lead
    lead.name, lead.title, lead.institution = "Prof. A. Partner", "Professor", "EPI 0"
    lead.email = "a.partner@example.eu"
    draft.partner.contribution = "外方提供长期定位试验田与数据。" * 20
    draft.partner.agreement_signed = date(2020, 4, 1)
    keys = [c.key for c in guide.form.categories]
    first = draft.tasks[0]
    draft.tasks = [first]
    for n in range(2, tasks + 1):
        unit = draft.units[(n - 1) % len(draft.units)]
        draft.tasks.append(
            Task(
                name=f"课题{n}：土壤健康评价方法研究",
                unit=unit.name,
                leader=f"课题负责人{n}",
                content="研究内容与技术路线。" * 80,
                budget={
                    key: BudgetLine(
                        central=Decimal(n + i),
                        local=Decimal("1.5") if i % 3 == 0 else None,
                        own=Decimal("2.25") if i % 2 else None,
                        other=Decimal("0.5") if i % 4 == 0 else None,
                        basis=f"{key}：按单价 × 数量测算，见附表。" * 3,
                    )
                    for i, key in enumerate(keys)
                },
            )
        )
    leader = draft.leader
    assert leader is not None
    while len(draft.team) < people:
        i = len(draft.team)
        leads = 2 <= i <= tasks  # 课题 2… are led by people of their own
        task = i if leads else i % tasks + 1
        born = date(1970 + i % 20, 1 + i % 12, 1 + i % 28)
        draft.team.append(
            Person(
                name=f"课题负责人{task}" if leads else f"成员{i:02d}",
                gender="female" if i % 2 else "male",
                birth_date=born,
                id_type="resident_id" if i % 5 else "passport",
                id_number=resident_id(born, i) if i % 5 else f"E{i:08d}",
                title="副高级" if i % 3 else "正高级",
                degree="博士",
                unit=draft.tasks[task - 1].unit,
                role="task_leader" if leads else ("core" if i % 2 else "general"),
                task=task,
                months_per_year=6,
                other_projects=i % 3,
                email=f"m{i}@example.cn",
                phone="010-00000000",
            )
        )
    draft.targets = [
        Target(
            name=f"考核指标{i}",
            kind="论文" if i % 2 else "专利",
            value=f"{i % 7 + 1} 项",
            method="第三方检测报告",
            task=i % tasks + 1,
        )
        for i in range(targets)
    ]
    draft.plan = [
        Stage(year=y, content=f"第 {y} 年：" + "完成阶段任务，开展联合实验。" * 30)
        for y in range(1, draft.project.years + 1)
    ]
    draft.narrative = {
        p.key: f"{p.zh}。" + "正文内容，含国内外研究现状分析。" * 150 for p in guide.form.parts
    }
    kinds = [k.key for k in guide.form.attachments]
    draft.attachments = [
        Attachment(
            key=kinds[i % len(kinds)],
            path=f"附件/file-{i:02d}.pdf",
            sha256=hashlib.sha256(attachment_bytes(i)).hexdigest(),
            size=len(attachment_bytes(i)),
            attached=draft.meta.created,
        )
        for i in range(attachments)
    ]
    return draft


def attachment_bytes(i: int) -> bytes:
    """The content of the large draft's attachment `i` (about 100 KB, as a scan's size)."""
    return f"%PDF-1.4 file {i:02d}\n".encode() * (100_000 // 17) + bytes(i)


def write_attachment_files(draft: Draft, folder: Path) -> None:
    """The large draft's attached files beside it, as attached (the editor checks them)."""
    for i, a in enumerate(draft.attachments):
        target = folder / a.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(attachment_bytes(i))


def write_drafts(guide: Guide, folder: Path, count: int) -> list[Path]:
    """`count` drafts across the directions, some clean, some broken, as research offices see."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = [d.code for d in guide.directions]
    paths = []
    for i in range(count):
        draft = clean_draft(guide, codes[i % len(codes)])
        draft.project.title = f"项目 {i:05d}"
        draft.leader.name = f"负责人{i:05d}"
        if i % 4 == 0:
            draft.partner.submitted = False
        if i % 5 == 0:
            draft.units[0].credit_code = "91110108MA01234567"
        paths.append(save_draft(draft, folder / f"draft-{i:05d}.toml", touch=False))
    return paths
