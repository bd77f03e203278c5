"""Write the complete format-2 examples: docs/example-draft.toml (1.6, China–Sweden) and
docs/example-draft-1.4.toml (1.4, China–EU), with their attachments in
docs/example-attachments/ (small real PDF files; the drafts record their SHA-256 and size).

Run from the repository root: `PYTHONPATH=. python scripts/write_examples.py`. The amounts are chosen here
and the derived figures (each unit's funding = its 课题's 中央财政 total, the indirect costs
within the cap on direct costs less 设备购置费) are computed and checked, as are the ID
numbers' check digits (python-stdnum's cn.ric) and the credit codes' (GB 32100-2015).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from stdnum.cn import ric

from wizard.draft import (
    H2020,
    Attachment,
    BudgetLine,
    Contact,
    Draft,
    Institution,
    Meta,
    Partner,
    PartnerLead,
    Person,
    Project,
    Recommender,
    Stage,
    Target,
    Task,
    Unit,
)
from wizard.guide import load_guide
from wizard.store import dump_draft
from wizard.uscc import with_check_character

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FILES = DOCS / "example-attachments"
CST = timezone(timedelta(hours=8))
D = Decimal


def resident_id(place: str, born: date, gender: str, n: int) -> str:
    """An 18-digit 居民身份证 number: place, birth date, a sequence whose last digit is odd
    for men and even for women, and the check digit (cn.ric)."""
    seq = f"{n:02d}{1 if gender == 'male' else 2}"
    body = f"{place}{born:%Y%m%d}{seq}"
    number = body + ric.calc_check_digit(body + "0")
    ric.validate(number)
    return number


def credit_code(first17: str) -> str:
    return with_check_character(first17)


def pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF showing `lines` (ASCII), standing for a scanned document."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines
    ) + " ET"  # fmt: skip
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def attach(key: str, name: str, lines: list[str], when: datetime) -> Attachment:
    FILES.mkdir(exist_ok=True)
    raw = pdf(lines)
    (FILES / name).write_bytes(raw)
    return Attachment(
        key=key,
        path=f"example-attachments/{name}",
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        attached=when,
    )


def budget(central: dict[str, str], basis: dict[str, str], **others: dict[str, str]) -> dict[str, BudgetLine]:  # fmt: skip
    """A 课题's budget: every category of the form, 中央财政 as given (0 where none) and the
    indirect costs added last; other sources (local, own, other) by category."""
    guide = load_guide()
    lines: dict[str, BudgetLine] = {}
    for category in guide.form.categories:
        key = category.key
        line = BudgetLine(central=D(central.get(key, "0")), basis=basis.get(key, "无"))
        for source, amounts in others.items():
            if key in amounts:
                setattr(line, source, D(amounts[key]))
        lines[key] = line
    return lines


def check_task(task: Task) -> Decimal:
    """The 课题's 中央财政 total, after checking its indirect costs are within the cap."""
    guide = load_guide()
    form = guide.form
    direct = sum((task.amount(k, "central") for k in form.direct_keys), D(0))
    base = direct - sum((task.amount(k, "central") for k in form.purchase_keys), D(0))
    cap = min(base, D(500)) * D("0.20") + max(min(base, D(1000)) - D(500), D(0)) * D("0.15")
    cap += max(base - D(1000), D(0)) * D("0.13")
    indirect = sum((task.amount(k, "central") for k in form.indirect_keys), D(0))
    assert indirect <= cap, (task.name, indirect, cap)
    return direct + indirect


def finish(draft: Draft) -> None:
    """Units' funding from their 课题; matching from the enterprises' own funds."""
    for unit in draft.units:
        mine = [t for t in draft.tasks if t.unit == unit.name]
        unit.funding = sum((check_task(t) for t in mine), D(0))
        if unit.kind == "enterprise":
            unit.matching = sum((line.amount("own") for t in mine for line in t.budget.values()), D(0))  # fmt: skip
            assert unit.matching >= unit.funding, unit.name
    leaders = {t.leader for t in draft.tasks}
    names = {p.name: p for p in draft.team}
    for task in draft.tasks:
        assert names[task.leader].unit == task.unit, task.name
    assert leaders <= set(names)


def sweden() -> Draft:
    created = datetime(2020, 5, 6, 9, 30, tzinfo=CST)
    units = [
        Unit(name="清华大学", role="lead", kind="university", credit_code="12100000400000624D",
             parent="教育部", registered=date(1952, 1, 1), region="北京市",
             address="北京市海淀区清华园1号", postcode="100084"),
        Unit(name="中国疾病预防控制中心", kind="institute", credit_code="12100000717800253T",
             parent="国家卫生健康委员会", registered=date(2002, 1, 23), region="北京市",
             address="北京市昌平区昌百路155号", postcode="102206"),
        Unit(name="深圳华大基因股份有限公司", kind="enterprise", credit_code="91440300279262154L",
             registered=date(1999, 9, 9), region="广东省深圳市",
             address="深圳市盐田区北山工业区综合楼", postcode="518083"),
    ]  # fmt: skip
    team = [
        Person(name="李明", gender="male", birth_date=date(1972, 3, 15), id_type="resident_id",
               id_number=resident_id("110108", date(1972, 3, 15), "male", 1), title="正高级",
               degree="博士", unit="清华大学", role="leader", task=1, months_per_year=8,
               other_projects=1, email="liming@tsinghua.edu.cn", phone="010-62780000"),
        Person(name="王静", gender="female", birth_date=date(1978, 6, 21), id_type="resident_id",
               id_number=resident_id("110102", date(1978, 6, 21), "female", 3), title="正高级",
               degree="博士", unit="中国疾病预防控制中心", role="task_leader", task=2,
               months_per_year=8, other_projects=1, email="wangjing@chinacdc.cn",
               phone="010-58900000"),
        Person(name="陈刚", gender="male", birth_date=date(1980, 9, 10), id_type="resident_id",
               id_number=resident_id("110108", date(1980, 9, 10), "male", 5), title="副高级",
               degree="博士", unit="深圳华大基因股份有限公司", role="task_leader", task=3,
               months_per_year=9, other_projects=0, email="chengang@genomics.cn",
               phone="0755-36300000"),
        Person(name="赵磊", gender="male", birth_date=date(1985, 4, 12), id_type="resident_id",
               id_number=resident_id("110105", date(1985, 4, 12), "male", 7), title="副高级",
               degree="博士", unit="清华大学", role="core", task=1, months_per_year=10,
               other_projects=1, email="zhaolei@tsinghua.edu.cn", phone="010-62780001"),
        Person(name="刘洋", gender="female", birth_date=date(1983, 7, 5), id_type="resident_id",
               id_number=resident_id("320102", date(1983, 7, 5), "female", 2), title="中级",
               degree="博士", unit="中国疾病预防控制中心", role="core", task=2,
               months_per_year=10, other_projects=0, email="liuyang@chinacdc.cn",
               phone="010-58900001"),
        Person(name="Erik Holm", gender="male", birth_date=date(1990, 2, 18), id_type="passport",
               id_number="91234567", title="初级", degree="硕士", unit="深圳华大基因股份有限公司",
               role="general", task=3, months_per_year=12, other_projects=0,
               email="erik.holm@genomics.cn"),
    ]  # fmt: skip
    tasks = [
        Task(
            name="多中心临床耐药数据整合与传播预警模型",
            unit="清华大学",
            leader="李明",
            content=(
                "建立中瑞两国合作医院临床微生物、用药与感染监测数据的统一标准和共享平台；"
                "基于传播网络与机器学习方法构建耐药菌传播预警模型，并在两国数据上交叉验证。\n"
                "考核：数据平台一套，预警模型一个（提前 7 天预警准确率不低于 80%）。"
            ),
            budget=budget(
                {"equipment_purchase": "20", "equipment_other": "5", "materials": "26",
                 "testing": "10", "fuel_power": "3", "travel_meeting_intl": "30",
                 "publication_ip": "6", "labour": "25", "expert": "4", "indirect": "21"},
                {"equipment_purchase": "计算服务器 2 台 × 10 万元",
                 "equipment_other": "存储阵列租赁 3 年",
                 "materials": "数据标注耗材与试剂，按单价 × 数量测算", "testing": "样本测序外协",
                 "fuel_power": "计算集群电费", "travel_meeting_intl": "赴瑞交流 6 人次、年度会议 3 次",
                 "publication_ip": "论文版面费与专利申请费", "labour": "研究生与博士后劳务",
                 "expert": "咨询专家 8 人次", "indirect": "直接费用扣除设备购置费后的 20% 以内"},
                own={"materials": "10", "labour": "5"},
            ),
        ),
        Task(
            name="医院感染防控干预方案与示范",
            unit="中国疾病预防控制中心",
            leader="王静",
            content="在 4 家合作医院开展基于预警的干预示范，评估效果并形成可推广的感染预防方案。",
            budget=budget(
                {"materials": "10", "testing": "12", "fuel_power": "2",
                 "travel_meeting_intl": "10", "publication_ip": "3", "labour": "8",
                 "expert": "2", "indirect": "7"},
                {"materials": "采样与检测耗材", "testing": "耐药基因检测 600 份",
                 "fuel_power": "实验室用电", "travel_meeting_intl": "示范医院督导与赴瑞交流",
                 "publication_ip": "指南编印", "labour": "现场调查人员劳务",
                 "expert": "方案论证专家", "indirect": "直接费用的 20% 以内"},
                local={"testing": "5"},
            ),
        ),
        Task(
            name="耐药基因快速检测产品研发",
            unit="深圳华大基因股份有限公司",
            leader="陈刚",
            content="研发覆盖主要耐药基因的快速测序检测试剂盒及分析软件，完成性能验证。",
            budget=budget(
                {"equipment_purchase": "5", "materials": "8", "testing": "6",
                 "travel_meeting_intl": "4", "publication_ip": "1", "labour": "2",
                 "indirect": "4"},
                {"equipment_purchase": "便携测序仪 1 台", "materials": "试剂与芯片",
                 "testing": "性能验证外协检测", "travel_meeting_intl": "赴瑞联合测试",
                 "publication_ip": "专利申请", "labour": "临时研发人员劳务",
                 "indirect": "直接费用扣除设备购置费后的 20% 以内"},
                own={"equipment_purchase": "15", "materials": "20", "testing": "15", "labour": "10"},
            ),
        ),
    ]  # fmt: skip
    draft = Draft(
        direction="1.6",
        meta=Meta(
            created=created,
            updated=datetime(2020, 5, 28, 17, 45, 12, tzinfo=CST),
            last_section="attachments",
            last_field="attachments[1].path",
        ),
        project=Project(
            title="基于临床大数据的抗生素耐药性传播预警与干预研究",
            title_en="Early warning of and intervention in antibiotic resistance spread from clinical big data",
            field="生命科学",
            topic="感染预防及抗生素耐药性研究",
            start=date(2021, 1, 1),
            months=36,
            summary=(
                "整合中瑞两国医院的临床微生物与用药数据，建立抗生素耐药性传播的预警模型，"
                "并在合作医院开展干预示范，形成可推广的感染预防方案。"
            ),
            keywords=["抗生素耐药性", "感染预防", "临床大数据", "预警模型"],
        ),
        recommender=Recommender(name="教育部", kind="ministry"),
        contact=Contact(name="张华", phone="010-62780002", email="zhanghua@tsinghua.edu.cn"),
        units=units,
        team=team,
        tasks=tasks,
        partner=Partner(
            country="瑞典",
            agency="瑞典国家创新署（Vinnova）",
            submitted=True,
            reference="2020-02513",
            lead=PartnerLead(
                name="Prof. Anna Lindqvist",
                title="Professor",
                institution="Karolinska Institutet",
                email="anna.lindqvist@ki.se",
            ),
            contribution="瑞方提供两家医院的临床数据与感染防控经验，负责模型在瑞典的验证，投入约 400 万瑞典克朗。",
            agreement_signed=date(2020, 5, 20),
            institutions=[
                Institution(
                    name="Karolinska Institutet",
                    kind="university",
                    contact="Prof. Anna Lindqvist",
                    email="anna.lindqvist@ki.se",
                ),
                Institution(
                    name="Mölnlycke Health Care AB",
                    kind="enterprise",
                    contact="Dr. Erik Svensson",
                    email="erik.svensson@molnlycke.com",
                ),
            ],
        ),
        targets=[
            Target(
                name="多中心耐药数据平台",
                kind="平台",
                value="1 套，覆盖 6 家医院",
                method="第三方软件测评报告",
                task=1,
            ),
            Target(
                name="耐药传播预警模型",
                kind="模型",
                value="提前 7 天预警准确率 ≥ 80%",
                method="两国数据交叉验证报告",
                task=1,
            ),
            Target(
                name="干预示范医院",
                kind="示范",
                value="4 家，院感发生率下降 ≥ 15%",
                method="示范医院出具的应用证明",
                task=2,
            ),
            Target(
                name="快速检测试剂盒",
                kind="产品",
                value="1 项，检测时间 ≤ 6 小时",
                method="性能验证报告",
                task=3,
            ),
            Target(name="发明专利申请", kind="专利", value="3 项", method="受理通知书", task=3),
        ],
        plan=[
            Stage(
                year=1, content="完成数据标准与共享平台，采集两国基线数据；中瑞联合工作组启动会。"
            ),
            Stage(
                year=2, content="建立并验证预警模型；快速检测试剂盒原型；在 2 家医院开始干预示范。"
            ),
            Stage(
                year=3, content="扩大示范至 4 家医院，评估干预效果；完成产品性能验证与项目总结。"
            ),
        ],
        narrative={
            "status": (
                "抗生素耐药性是全球公共卫生的重大威胁。瑞典在耐药监测与合理用药方面经验丰富，"
                "我国在临床大数据和测序技术上具有规模优势。现有预警多依赖单中心数据，"
                "缺少跨国验证的传播模型。"
            ),
            "goals": (
                "目标：建立跨国验证的耐药传播预警模型，并以干预示范证明其效果。\n"
                "内容：课题 1 数据整合与预警模型；课题 2 干预方案与示范；课题 3 快速检测产品。"
            ),
            "foundation": (
                "清华大学在医疗大数据分析方面承担过多项国家级项目；中国疾病预防控制中心负责全国"
                "耐药监测网络；深圳华大基因具备高通量测序与产品转化能力。"
            ),
            "schedule": "按年度安排，见进度安排表（[[plan]]）。",
            "organisation": (
                "设项目管理办公室与中瑞联合工作组，每季度例会；数据共享遵守两国法规并签署数据协议；"
                "主要风险为数据获取延迟，预案为提前签署合作医院协议并分批接入。"
            ),
            "team": "见研究团队表（[[team]]）。项目负责人李明长期从事医疗数据研究。",
            "budget": "见各课题经费预算表（[[tasks]]）；企业配套出资由深圳华大基因以单位自筹列支。",
            "attachments": "知识产权协议；瑞方向瑞典国家创新署申报的受理证明。",
        },
        attest={"gen-mainland-entity": True, "gen-expert-fee": True, "1.6-ip": True},
        attachments=[
            attach(
                "ip_agreement",
                "1.6-ip-agreement.pdf",
                [
                    "Intellectual property agreement (example)",
                    "Tsinghua University, China CDC, BGI Genomics",
                    "Karolinska Institutet, Molnlycke Health Care AB",
                    "Signed 2020-05-20",
                ],
                datetime(2020, 5, 21, 10, 0, tzinfo=CST),
            ),
            attach(
                "partner_filing",
                "1.6-partner-filing.pdf",
                ["Vinnova: application received (example)", "Reference 2020-02513"],
                datetime(2020, 5, 22, 15, 30, tzinfo=CST),
            ),
        ],
    )
    finish(draft)
    return draft


def europe() -> Draft:
    created = datetime(2020, 5, 8, 14, 0, tzinfo=CST)
    lead, institute, company = "中国农业大学", "中国科学院南京土壤研究所", "北京绿土科技有限公司"
    units = [
        Unit(name=lead, role="lead", kind="university", credit_code=credit_code("12100000400001234"),
             parent="教育部", registered=date(1995, 9, 1), region="北京市",
             address="北京市海淀区圆明园西路2号", postcode="100193"),
        Unit(name=institute, kind="institute", credit_code=credit_code("12100000425001234"),
             parent="中国科学院", registered=date(1953, 1, 1), region="江苏省南京市",
             address="南京市玄武区北京东路71号", postcode="210008"),
        Unit(name=company, kind="enterprise", credit_code=credit_code("91110108MA01ABCD1"),
             registered=date(2016, 3, 18), region="北京市",
             address="北京市海淀区上地信息路 10 号", postcode="100085"),
    ]  # fmt: skip
    team = [
        Person(name="王芳", gender="female", birth_date=date(1969, 8, 22), id_type="resident_id",
               id_number=resident_id("110108", date(1969, 8, 22), "female", 4), title="正高级",
               degree="博士", unit=lead, role="leader", task=1, months_per_year=8,
               other_projects=1, email="wangfang@cau.edu.cn", phone="010-62730000"),
        Person(name="周涛", gender="male", birth_date=date(1976, 6, 21), id_type="resident_id",
               id_number=resident_id("110102", date(1976, 6, 21), "male", 6), title="正高级",
               degree="博士", unit=institute, role="task_leader", task=2, months_per_year=8,
               other_projects=1, email="zhoutao@issas.ac.cn", phone="025-86880000"),
        Person(name="孙伟", gender="male", birth_date=date(1983, 7, 5), id_type="resident_id",
               id_number=resident_id("320102", date(1983, 7, 5), "male", 8), title="副高级",
               degree="硕士", unit=company, role="task_leader", task=3, months_per_year=10,
               other_projects=0, email="sunwei@lvtu.example.cn", phone="010-82800000"),
        Person(name="吴敏", gender="female", birth_date=date(1992, 11, 11), id_type="resident_id",
               id_number=resident_id("110101", date(1992, 11, 11), "female", 2), title="中级",
               degree="博士", unit=lead, role="core", task=1, months_per_year=10,
               other_projects=0, email="wumin@cau.edu.cn"),
    ]  # fmt: skip
    tasks = [
        Task(
            name="土壤健康评价指标体系与监测技术",
            unit=lead,
            leader="王芳",
            content="建立适用于中欧典型农田的土壤健康评价指标体系，研发多参数快速监测技术。",
            budget=budget(
                {"equipment_purchase": "60", "equipment_other": "20", "materials": "90",
                 "testing": "80", "fuel_power": "15", "travel_meeting_intl": "70",
                 "publication_ip": "20", "labour": "110", "expert": "15", "other": "10",
                 "indirect": "80"},
                {"equipment_purchase": "土壤多参数监测仪 3 台 × 20 万元",
                 "equipment_other": "田间监测设备改造", "materials": "试剂、耗材与样品",
                 "testing": "土壤理化与微生物组测试外协", "fuel_power": "温室与实验室能耗",
                 "travel_meeting_intl": "赴欧交流与联合试验 12 人次", "publication_ip": "论文与专利",
                 "labour": "研究生与博士后劳务", "expert": "咨询专家 30 人次",
                 "other": "田间试验土地租用", "indirect": "直接费用扣除设备购置费后的 20% 以内"},
                own={"materials": "20"},
            ),
        ),
        Task(
            name="退化土壤生物修复技术",
            unit=institute,
            leader="周涛",
            content="筛选土壤修复功能微生物，研发生物修复技术并在长期定位试验站验证。",
            budget=budget(
                {"equipment_purchase": "30", "materials": "80", "testing": "70",
                 "fuel_power": "10", "travel_meeting_intl": "50", "publication_ip": "15",
                 "labour": "75", "expert": "10", "indirect": "60"},
                {"equipment_purchase": "厌氧培养系统 1 套", "materials": "菌种与培养基",
                 "testing": "宏基因组测序", "fuel_power": "培养设备能耗",
                 "travel_meeting_intl": "赴欧联合试验", "publication_ip": "论文与专利",
                 "labour": "野外试验劳务", "expert": "技术论证",
                 "indirect": "直接费用扣除设备购置费后的 20% 以内"},
                local={"testing": "30"},
            ),
        ),
        Task(
            name="土壤健康管理决策平台与示范",
            unit=company,
            leader="孙伟",
            content="开发面向农户与管理部门的土壤健康管理决策平台，在 3 个示范区应用。",
            budget=budget(
                {"equipment_purchase": "20", "materials": "40", "testing": "30",
                 "travel_meeting_intl": "30", "publication_ip": "10", "labour": "40",
                 "indirect": "30"},
                {"equipment_purchase": "服务器 2 台", "materials": "传感器与耗材",
                 "testing": "软件测评", "travel_meeting_intl": "示范区调研与赴欧交流",
                 "publication_ip": "软件著作权", "labour": "开发人员劳务",
                 "indirect": "直接费用扣除设备购置费后的 20% 以内"},
                own={"equipment_purchase": "40", "materials": "60", "testing": "40", "labour": "60"},
            ),
        ),
    ]  # fmt: skip
    draft = Draft(
        direction="1.4",
        meta=Meta(
            created=created,
            updated=datetime(2020, 6, 1, 11, 20, tzinfo=CST),
            last_section="tasks",
            last_field="tasks[2].budget.labour.own",
        ),
        project=Project(
            title="面向健康土壤的中欧农业生物技术联合研究",
            title_en="China–EU joint research on agricultural biotechnology for healthy soils",
            field="食品、农业和生物技术",
            topic="SFS-40-2020",
            start=date(2021, 1, 1),
            months=36,
            summary="研究土壤健康评价方法与生物修复技术，建立决策平台并示范应用。",
            keywords=["土壤健康", "生物修复", "农业生物技术", "中欧合作"],
        ),
        recommender=Recommender(name="教育部", kind="ministry"),
        contact=Contact(name="李娜", phone="010-62730001", email="lina@cau.edu.cn"),
        units=units,
        team=team,
        tasks=tasks,
        partner=Partner(
            country="欧盟",
            agency="欧盟委员会研究与创新总司",
            submitted=True,
            reference="SEP-210600000",
            lead=PartnerLead(
                name="Dr. Jan de Vries",
                title="Associate Professor",
                institution="Wageningen University",
                email="jan.devries@wur.nl",
            ),
            contribution="欧方联合体（5 国 8 家单位）承担长期定位试验与欧洲数据，地平线 2020 资助约 500 万欧元。",
            institutions=[
                Institution(
                    name="Wageningen University",
                    kind="university",
                    contact="Dr. Jan de Vries",
                    email="jan.devries@wur.nl",
                ),
                Institution(
                    name="Institut national de recherche pour l'agriculture, l'alimentation et l'environnement",
                    kind="institute",
                    contact="Dr. Marie Laurent",
                    email="marie.laurent@inrae.fr",
                ),
            ],
        ),
        targets=[
            Target(
                name="土壤健康评价指标体系",
                kind="标准",
                value="1 套（团体标准草案）",
                method="专家评审意见",
                task=1,
            ),
            Target(
                name="生物修复技术",
                kind="技术",
                value="2 项，修复后有机质提升 ≥ 10%",
                method="第三方检测报告",
                task=2,
            ),
            Target(
                name="决策平台",
                kind="软件",
                value="1 个，示范区 3 个",
                method="软件著作权与应用证明",
                task=3,
            ),
            Target(
                name="论文",
                kind="论文",
                value="≥ 12 篇（其中中欧合著 ≥ 6 篇）",
                method="检索证明",
                task=1,
            ),
        ],
        plan=[
            Stage(year=1, content="确定指标体系，布设中欧对比试验点；筛选功能微生物。"),
            Stage(year=2, content="完成监测技术与修复技术研发，决策平台原型。"),
            Stage(year=3, content="示范应用与效果评估，完成标准草案与项目总结。"),
        ],
        h2020=H2020(
            proposal="101000224",
            topic="SFS-40-2020",
            call_year=2020,
            participants=[lead, institute, company],
            cn_budget=D("1600"),
        ),
        narrative={
            "status": "土壤健康是粮食安全与可持续农业的基础。欧盟“土壤健康与食品”使命与我国耕地保护战略目标一致，双方在监测与修复技术上互补。",
            "goals": "目标：建立中欧共同认可的土壤健康评价与修复技术体系。\n内容：三个课题分别研究评价与监测、生物修复、决策平台与示范。",
            "foundation": "三家单位分别在土壤学、微生物修复和农业信息化方面有长期积累，已参与地平线 2020 项目申请 101000224。",
            "schedule": "见进度安排表（[[plan]]）。",
            "organisation": "中欧联合指导委员会每半年会商；风险为田间试验受气候影响，预案为多点布设与延长观测。",
            "team": "见研究团队表（[[team]]）。",
            "budget": "见各课题经费预算表（[[tasks]]）；企业配套以单位自筹列支，不低于其获得的中央财政经费。",
            "attachments": "地平线 2020 项目申请书（英文版）；项目预算及中方参与研究内容的中文翻译；欧方申报证明。",
        },
        attest={
            "gen-mainland-entity": True,
            "gen-expert-fee": True,
            "1.4-single-h2020": True,
            "1.4-balance": True,
            "1.4-h2020-documents": True,
            "1.4-h2020-budget-included": True,
            "1.4-h2020-content": True,
        },
        attachments=[
            attach(
                "h2020_proposal",
                "1.4-h2020-proposal.pdf",
                [
                    "Horizon 2020 proposal 101000224 (example)",
                    "Topic SFS-40-2020",
                    "Part A and Part B, English",
                ],
                datetime(2020, 5, 25, 9, 0, tzinfo=CST),
            ),
            attach(
                "h2020_translation",
                "1.4-h2020-translation.pdf",
                [
                    "Chinese translation (example): budget of the Chinese participants",
                    "and the Chinese work packages of proposal 101000224",
                ],
                datetime(2020, 5, 26, 9, 0, tzinfo=CST),
            ),
            attach(
                "partner_filing",
                "1.4-partner-filing.pdf",
                [
                    "Funding & Tenders Portal: proposal submitted (example)",
                    "Proposal 101000224, SEP-210600000",
                ],
                datetime(2020, 5, 27, 9, 0, tzinfo=CST),
            ),
        ],
    )
    finish(draft)
    return draft


def attest_all(draft: Draft) -> Draft:
    """Every attestation the direction asks for, ticked (the applicant's word: true here)."""
    guide = load_guide()
    direction = guide.direction(draft.direction)
    assert direction is not None
    for _, req in guide.requirements_for(direction):
        if req.kind == "attestation":
            draft.attest[req.id] = True
    return draft


def main() -> None:
    for draft, name in ((sweden(), "example-draft.toml"), (europe(), "example-draft-1.4.toml")):
        attest_all(draft)
        (DOCS / name).write_text(dump_draft(draft), "utf-8")
        print(DOCS / name)


if __name__ == "__main__":
    main()
