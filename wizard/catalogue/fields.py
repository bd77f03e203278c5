"""Field labels and help texts in Chinese and English, keyed by field path pattern.

A path pattern is a draft field path with list indices removed: `units[].funding`.
The forms, the rule messages, the CLI and the exports all name fields through this one
table, by `label(path, lang)` (with a list position: `第2家单位 单位名称`) and
`help_text(path, lang)`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from wizard.catalogue.text import t


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
}

_INDEX = re.compile(r"\[\d+\]")
_POSITION = re.compile(r"(units|partner\.institutions)\[(\d+)\]")


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
        key = "field.unit_at" if match.group(1) == "units" else "field.institution_at"
        return t(key, lang, n=int(match.group(2)) + 1) + name
    return name


def help_text(path: str, lang: str) -> str:
    """The help of a field (`units[2].funding` or `units[].funding`), empty when it has none."""
    found = LABELS.get(pattern_of(path))
    return found.help(lang) if found else ""
