"""Field labels and help texts in Chinese and English, keyed by field path pattern.

A path pattern is a draft field path with list indices removed: `units[].funding`.
The forms, the rule messages and the CLI all name fields through this one table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple, Protocol


class Label(NamedTuple):
    zh: str
    en: str
    help_zh: str = ""
    help_en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def help(self, lang: str) -> str:
        return self.help_en if lang == "en" else self.help_zh


LABELS: dict[str, Label] = {
    "direction": Label(
        "指南方向", "Direction", "所申报的指南方向，如 1.6。", "The guide direction, e.g. 1.6."
    ),
    "project.title": Label(
        "项目名称", "Project title", "中文项目名称。", "Project title in Chinese."
    ),
    "project.title_en": Label(
        "英文名称", "English title", "项目的英文名称。", "The project title in English."
    ),
    "project.field": Label(
        "领域方向",
        "Field",
        "从本方向的领域方向中选择；2.1 不限领域，可直接填写。",
        "Choose one of this direction's fields; 2.1 is open to any field (type it).",
    ),
    "project.topic": Label(
        "具体方向",
        "Topic",
        "所选领域下的具体方向；1.4 为地平线2020指南编号。",
        "Sub-topic of the field; for 1.4 the Horizon 2020 topic code.",
    ),
    "project.start": Label("开始日期", "Start date", "格式 YYYY-MM-DD。", "Format YYYY-MM-DD."),
    "project.months": Label(
        "执行期（月）",
        "Period (months)",
        "项目执行期，以月计，如 24 或 36。",
        "Execution period in months, e.g. 24 or 36.",
    ),
    "project.summary": Label(
        "项目摘要", "Summary", "研究目标、内容与预期成果。", "Aims, work and expected results."
    ),
    "project.keywords": Label(
        "关键词", "Keywords", "用逗号分隔，3–5 个。", "Comma-separated, 3 to 5."
    ),
    "leader.name": Label("项目负责人", "Project leader", "中方项目负责人姓名。", "Chinese PI."),
    "leader.birth_date": Label(
        "出生日期", "Date of birth", "格式 YYYY-MM-DD。", "Format YYYY-MM-DD."
    ),
    "leader.title": Label(
        "职称", "Professional title", "正高级、副高级、中级、初级或无。", "Senior, associate …"
    ),
    "leader.degree": Label("学位", "Degree", "博士、硕士、学士或其他。", "Doctorate, master …"),
    "leader.unit": Label(
        "所在单位", "Leader's unit", "从中方单位中选择。", "Choose one of the Chinese units."
    ),
    "leader.months_per_year": Label(
        "每年投入（月）",
        "Months a year",
        "每年用于本项目的工作时间（月）。",
        "Months a year spent on this project.",
    ),
    "leader.email": Label("电子邮箱", "E-mail"),
    "leader.phone": Label("联系电话", "Phone"),
    "leader.other_projects": Label(
        "其他国家项目数",
        "Other national projects",
        "作为负责人申报中和在研的国家科技计划项目数（不含本项目）。",
        "National projects you lead, applied for or under way (not counting this one).",
    ),
    "units": Label("中方单位", "Chinese units"),
    "units[].name": Label("单位名称", "Unit name", "法人单位全称。", "Full legal name."),
    "units[].role": Label("角色", "Role", "牵头单位或参与单位。", "Lead or participant."),
    "units[].kind": Label(
        "单位性质",
        "Kind",
        "高校、科研院所、企业、国家机关或其他。",
        "University, institute, enterprise, government or other.",
    ),
    "units[].credit_code": Label(
        "统一社会信用代码",
        "Credit code",
        "18 位统一社会信用代码（GB 32100-2015）。",
        "18-character unified social credit code (GB 32100-2015).",
    ),
    "units[].parent": Label(
        "上级主管单位",
        "Parent body",
        "无则留空。",
        "Leave empty if none.",
    ),
    "units[].registered": Label(
        "注册日期", "Registered on", "格式 YYYY-MM-DD。", "Format YYYY-MM-DD."
    ),
    "units[].funding": Label(
        "中央财政经费（万元）",
        "Central funding (10k CNY)",
        "本单位申请的中央财政经费，万元，最多两位小数。",
        "Central funding this unit requests, in 10k CNY, at most 2 decimals.",
    ),
    "units[].matching": Label(
        "自筹/配套（万元）",
        "Matching (10k CNY)",
        "本单位自筹或配套经费，万元。",
        "Own or matching funds of this unit, in 10k CNY.",
    ),
    "partner.country": Label("外方国家/组织", "Partner country"),
    "partner.agency": Label(
        "外方申报部门",
        "Partner agency",
        "外方向其提交申报的本国项目征集部门。",
        "The agency the foreign partner files the same project with.",
    ),
    "partner.submitted": Label(
        "外方已同步申报",
        "Partner files too",
        "外方已就同一项目向其本国部门申报（单方申报项目无效）。",
        "The partner files the same project with its own agency (one-sided filings are void).",
    ),
    "partner.reference": Label(
        "外方申请编号", "Partner reference", "外方申请编号，可留空。", "May be left empty."
    ),
    "partner.institutions": Label("外方合作单位", "Partner institutions"),
    "partner.institutions[].name": Label("外方单位名称", "Institution name"),
    "partner.institutions[].kind": Label("外方单位性质", "Institution kind"),
    "partner.institutions[].contact": Label("外方联系人", "Contact person"),
    "partner.institutions[].email": Label("外方联系人邮箱", "Contact e-mail"),
    "h2020.proposal": Label("地平线2020申请编号", "H2020 proposal number"),
    "h2020.topic": Label("地平线2020指南编号", "H2020 topic code"),
    "h2020.call_year": Label("地平线2020指南年度", "H2020 call year"),
    "h2020.participants": Label(
        "participants 名单中的中方单位",
        "Chinese participants listed",
        "地平线2020项目 participants 名单中的中方单位，每行一个。",
        "Chinese units in the H2020 proposal's participants list, one per line.",
    ),
    "h2020.cn_budget": Label(
        "地平线2020中方预算（万元）",
        "Chinese budget in H2020 (10k CNY)",
        "地平线2020项目预算中的中方单位预算，折合万元。",
        "The Chinese units' budget inside the H2020 proposal, in 10k CNY.",
    ),
    "budget": Label("经费预算", "Budget"),
    "budget.equipment": Label("设备费", "Equipment"),
    "budget.materials": Label("材料费", "Materials"),
    "budget.testing": Label("测试化验加工费", "Testing and processing"),
    "budget.fuel_power": Label("燃料动力费", "Fuel and power"),
    "budget.travel_meeting_intl": Label(
        "差旅费/会议费/国际合作与交流费", "Travel, meetings, international exchange"
    ),
    "budget.publication_ip": Label("出版/文献/信息传播/知识产权事务费", "Publication and IP"),
    "budget.labour": Label("劳务费", "Labour"),
    "budget.expert": Label("专家咨询费", "Expert consultation"),
    "budget.other": Label("其他支出", "Other"),
    "budget.indirect": Label("间接费用", "Indirect costs"),
    "budget.other_note": Label(
        "其他支出说明",
        "Note on other costs",
        "其他支出须说明用途。",
        "Explain what the 'other' costs pay for.",
    ),
    "attest": Label("承诺事项", "Attestations"),
    "recommender.name": Label("推荐单位", "Recommending body"),
    "recommender.kind": Label(
        "推荐单位性质",
        "Kind of recommending body",
        "部门、地方、行业协会或其他。",
        "Ministry, local authority, industry association or other.",
    ),
    "contact.name": Label("项目联系人", "Contact person"),
    "contact.phone": Label("联系人电话", "Contact phone"),
    "contact.email": Label("联系人邮箱", "Contact e-mail"),
    "units[].region": Label("所在地区", "Region"),
    "units[].address": Label("通讯地址", "Postal address"),
    "units[].postcode": Label("邮政编码", "Postcode"),
    "team": Label("研究团队", "Research team"),
    "team[].name": Label("姓名", "Name"),
    "team[].gender": Label("性别", "Gender"),
    "team[].birth_date": Label(
        "出生日期", "Date of birth", "格式 YYYY-MM-DD。", "Format YYYY-MM-DD."
    ),
    "team[].id_type": Label("证件类型", "ID type"),
    "team[].id_number": Label("证件号码", "ID number"),
    "team[].title": Label("职称", "Professional title"),
    "team[].degree": Label("学位", "Degree"),
    "team[].unit": Label("工作单位", "Unit"),
    "team[].role": Label("人员分类", "Role"),
    "team[].task": Label("所属课题", "Task"),
    "team[].months_per_year": Label("每年投入（月）", "Months a year"),
    "team[].other_projects": Label(
        "其他国家项目数",
        "Other national projects",
        "申报中和在研的国家科技计划项目数（不含本项目和国家自然科学基金）。",
        "National projects applied for or under way (not this one, not NSFC).",
    ),
    "team[].email": Label("电子邮箱", "E-mail"),
    "team[].phone": Label("联系电话", "Phone"),
    "tasks": Label("课题", "Tasks"),
    "tasks[].name": Label("课题名称", "Task name"),
    "tasks[].unit": Label("承担单位", "Unit carrying it out"),
    "tasks[].leader": Label("课题负责人", "Task leader"),
    "tasks[].content": Label("研究内容", "Research content"),
    "partner.lead.name": Label("外方项目负责人", "Partner's PI"),
    "partner.lead.title": Label("外方负责人职称", "Partner PI's title"),
    "partner.lead.institution": Label("外方负责人单位", "Partner PI's institution"),
    "partner.lead.email": Label("外方负责人邮箱", "Partner PI's e-mail"),
    "partner.contribution": Label("外方投入", "Partner's contribution"),
    "partner.agreement_signed": Label(
        "协议签署日期", "Agreement signed on", "格式 YYYY-MM-DD。", "Format YYYY-MM-DD."
    ),
    "targets": Label("考核指标", "Targets"),
    "plan": Label("进度安排", "Schedule"),
    "attachments": Label("附件", "Attachments"),
}

UNIT_KIND_LABELS: dict[str, Label] = {
    "university": Label("高等院校", "University"),
    "institute": Label("科研院所", "Research institute"),
    "enterprise": Label("企业", "Enterprise"),
    "government": Label("国家机关", "Government body"),
    "other": Label("其他", "Other"),
}

ROLE_LABELS: dict[str, Label] = {
    "lead": Label("牵头单位", "Lead unit"),
    "participant": Label("参与单位", "Participant"),
}

SEVERITY_LABELS: dict[str, Label] = {
    "error": Label("错误", "Error"),
    "warning": Label("警告", "Warning"),
    "info": Label("提示", "Info"),
}

# The draft's status as the wizard's screens say it (screens.i18n status.*), for the CLI and
# the exports too: one word per status.
STATUS_LABELS: dict[str, Label] = {
    "draft": Label("草稿", "draft"),
    "ready": Label("可提交", "ready"),
}


def status_text(status: str, errors: int, lang: str) -> str:
    """The status word, or what a draft marked ready while errors remain really is
    (`标记为可提交，但仍有 1 个错误`)."""
    if status == "ready" and errors:
        if lang == "en":
            return (
                f"marked ready, but {errors} error remains"
                if errors == 1
                else (f"marked ready, but {errors} errors remain")
            )
        return f"标记为可提交，但仍有 {errors} 个错误"
    found = STATUS_LABELS.get(status)
    return found.get(lang) if found else status


_INDEX = re.compile(r"\[\d+\]")
_POSITION = re.compile(r"(units|partner\.institutions|team|tasks)\[(\d+)\]")
_PREFIX = {
    "units": ("第{n}家单位 ", "unit {n}: "),
    "partner.institutions": ("外方第{n}家 ", "institution {n}: "),
    "team": ("第{n}名成员 ", "team member {n}: "),
    "tasks": ("课题{n} ", "task {n}: "),
}


def pattern_of(path: str) -> str:
    """`units[2].funding` → `units[].funding`."""
    return _INDEX.sub("[]", path)


@lru_cache(maxsize=4096)  # rule messages name fields on every evaluation; paths repeat
def label(path: str, lang: str) -> str:
    """The human name of a field path, with the list position where there is one."""
    if path.startswith("attest."):
        return LABELS["attest"].get(lang)
    found = LABELS.get(pattern_of(path))
    name = found.get(lang) if found else path
    match = _POSITION.match(path)
    if match:
        zh, en = _PREFIX[match.group(1)]
        return (en if lang == "en" else zh).format(n=int(match.group(2)) + 1) + name
    return name


def count_words(counts: Mapping[str, int], lang: str) -> list[str]:
    """The problem counts as the screens and the CLI say them: `错误 1` / `1 error`,
    `2 warnings` (English plural forms; `info` has none)."""
    out = []
    for severity in ("error", "warning", "info"):
        n = counts.get(severity, 0)
        if lang != "en":
            out.append(f"{SEVERITY_LABELS[severity].zh} {n}")
        elif severity == "info":
            out.append(f"{n} info")
        else:
            out.append(f"{n} {severity}" + ("" if n == 1 else "s"))
    return out


class ClauseLike(Protocol):
    @property
    def direction(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str | None: ...


def clause_line(clause: ClauseLike, lang: str) -> str:
    """A cited clause as the screens and the CLI show it: the direction's code (none for the
    call's general requirements), the item, its verbatim text (`1.4 拟支持经费：…`); an item
    the text already begins with is not said twice."""
    where = "" if clause.direction == "general" else f"{clause.direction} "
    text = clause.text
    if text.startswith(clause.item) and text[len(clause.item) : len(clause.item) + 1] in "：:":
        line = f"{where}{text}"
    else:
        line = f"{where}{clause.item}{': ' if lang == 'en' else '：'}{text}"
    if clause.source:
        line += f" ({clause.source})" if lang == "en" else f"（{clause.source}）"
    return line
