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
    "recommender.name": Label(
        "推荐单位",
        "Recommending body",
        "推荐本项目的部门、地方或行业协会的全称。",
        "Full name of the department, local authority or association recommending the project.",
    ),
    "recommender.kind": Label(
        "推荐单位性质",
        "Kind of recommending body",
        "部门、地方、行业协会或其他。",
        "Department, local authority, association or other.",
    ),
    "contact.name": Label(
        "项目联系人", "Contact person", "项目申报的联系人。", "Who the programme office calls."
    ),
    "contact.phone": Label("联系人电话", "Contact phone"),
    "contact.email": Label("联系人邮箱", "Contact e-mail"),
    "units[].region": Label(
        "所在地区", "Region", "单位所在省、市。", "Province and city of the unit."
    ),
    "units[].address": Label("通讯地址", "Postal address"),
    "units[].postcode": Label("邮政编码", "Postcode"),
    "team": Label("研究团队", "Research team"),
    "team[].name": Label("姓名", "Name"),
    "team[].gender": Label("性别", "Gender"),
    "team[].birth_date": Label(
        "出生日期", "Date of birth", "格式 YYYY-MM-DD。", "Format YYYY-MM-DD."
    ),
    "team[].id_type": Label(
        "证件类型", "ID type", "居民身份证、护照或其他。", "Resident ID card, passport or other."
    ),
    "team[].id_number": Label(
        "证件号码",
        "ID number",
        "居民身份证为 18 位，末位为校验码。",
        "An 18-character resident ID ends in a check character.",
    ),
    "team[].title": Label(
        "职称", "Professional title", "正高级、副高级、中级、初级或无。", "Senior, associate …"
    ),
    "team[].degree": Label("学位", "Degree", "博士、硕士、学士或其他。", "Doctorate, master …"),
    "team[].unit": Label(
        "工作单位", "Unit", "从中方单位中选择。", "Choose one of the Chinese units."
    ),
    "team[].role": Label(
        "人员分类",
        "Role",
        "项目负责人、课题负责人、骨干或一般。",
        "Project leader, task leader, core member or other member.",
    ),
    "team[].task": Label(
        "所属课题", "Task", "所属课题的序号。", "The number of the member's task."
    ),
    "team[].months_per_year": Label(
        "每年投入（月）",
        "Months a year",
        "每年用于本项目的工作时间（月）。",
        "Months a year spent on this project.",
    ),
    "team[].other_projects": Label(
        "其他国家项目数",
        "Other national projects",
        "申报中和在研的国家科技计划项目数（不含本项目，不含国家自然科学基金）。",
        "National projects applied for or under way, not counting this one nor NSFC grants.",
    ),
    "team[].email": Label("电子邮箱", "E-mail"),
    "team[].phone": Label("联系电话", "Phone"),
    "tasks": Label("课题", "Tasks"),
    "tasks[].name": Label("课题名称", "Task name"),
    "tasks[].unit": Label(
        "承担单位", "Carried out by", "从中方单位中选择。", "Choose one of the Chinese units."
    ),
    "tasks[].leader": Label(
        "课题负责人", "Task leader", "从研究团队中选择。", "Choose a member of the team."
    ),
    "tasks[].content": Label("研究内容", "Research content"),
    "tasks[].budget": Label("课题经费预算", "Task budget"),
    "partner.lead": Label("外方项目负责人", "Partner's principal investigator"),
    "partner.lead.name": Label("外方负责人姓名", "Partner PI's name"),
    "partner.lead.title": Label("外方负责人职称", "Partner PI's title"),
    "partner.lead.institution": Label("外方负责人单位", "Partner PI's institution"),
    "partner.lead.email": Label("外方负责人邮箱", "Partner PI's e-mail"),
    "partner.contribution": Label(
        "外方投入",
        "Partner's contribution",
        "外方在人员、经费、设备、数据等方面的投入。",
        "What the partner contributes: people, funds, equipment, data …",
    ),
    "partner.agreement_signed": Label(
        "协议签署日期",
        "Agreement signed on",
        "合作协议或知识产权协议的签署日期，格式 YYYY-MM-DD。",
        "The day the cooperation or IP agreement was signed, YYYY-MM-DD.",
    ),
    "targets": Label("考核指标", "Targets"),
    "targets[].name": Label("指标名称", "Target"),
    "targets[].kind": Label(
        "指标类型",
        "Kind",
        "如论文、专利、标准、新产品、示范等。",
        "E.g. papers, patents, standards, products.",
    ),
    "targets[].value": Label("完成时指标值", "Value at completion"),
    "targets[].method": Label("考核方式", "How it is checked"),
    "targets[].task": Label("所属课题", "Task"),
    "plan": Label("进度安排", "Schedule"),
    "plan[].year": Label(
        "年度", "Year", "项目第几年（1 为开始之年）。", "Project year (1 = the first)."
    ),
    "plan[].content": Label("年度任务与节点", "Work and milestones"),
    "narrative": Label("申报书正文", "Application text"),
    "attachments": Label("附件", "Attachments"),
    "attachments[].path": Label(
        "文件", "File", "相对于草稿所在文件夹的路径。", "Path relative to the draft's folder."
    ),
    "attachments[].not_applicable": Label("不适用", "Not applicable"),
    "attachments[].note": Label("说明", "Note"),
    "attest": Label("承诺事项", "Attestations"),
}


def _values(prefix: str, values: tuple[str, ...]) -> dict[str, Label]:
    """The catalogue's names of a model type's values (`t(f"{prefix}{value}", lang)`), as
    labels, for the forms' option lists."""
    return {v: Label(t(prefix + v, "zh"), t(prefix + v, "en")) for v in values}


# The model's values as the catalogue names them (keys under these prefixes in strings.py).
PERSON_ROLE_LABELS = _values("person_role.", ("leader", "task_leader", "core", "general"))
GENDER_LABELS = _values("gender.", ("female", "male"))
ID_TYPE_LABELS = _values("id_type.", ("resident_id", "passport", "other"))
RECOMMENDER_KIND_LABELS = _values(
    "recommender_kind.", ("ministry", "local", "association", "other")
)
SOURCE_LABELS = _values("source.", ("central", "local", "own", "other", "basis"))
UNIT_KIND_LABELS = _values(
    "unit_kind.", ("university", "institute", "enterprise", "government", "other")
)
SEVERITY_LABELS = _values("severity.", ("error", "warning", "info"))
_INDEX = re.compile(r"\[\d+\]")
_POSITION = re.compile(
    r"(units|partner\.institutions|team|tasks|targets|plan|attachments)\[(\d+)\]"
)
_POSITION_KEYS = {
    "units": "field.unit_at",
    "partner.institutions": "field.institution_at",
    "team": "field.member_at",
    "tasks": "field.task_at",
    "targets": "field.target_at",
    "plan": "field.stage_at",
    "attachments": "field.attachment_at",
}


def pattern_of(path: str) -> str:
    """`units[2].funding` → `units[].funding`."""
    return _INDEX.sub("[]", path)


@lru_cache(maxsize=4096)  # rule messages name fields on every evaluation; paths repeat
def label(path: str, lang: str) -> str:
    """The human name of a field path, with the list position where there is one."""
    if path.startswith("attest."):
        return LABELS["attest"].get(lang)
    pattern = pattern_of(path)
    found = LABELS.get(pattern)
    if found is None and pattern.startswith("narrative."):
        found = LABELS["narrative"]
    if found is None and pattern.startswith("tasks[].budget"):
        found = LABELS["tasks[].budget"]
    name = found.get(lang) if found else path
    match = _POSITION.match(path)
    if match:
        return t(_POSITION_KEYS[match.group(1)], lang, n=int(match.group(2)) + 1) + name
    return name


def help_text(path: str, lang: str) -> str:
    """The help of a field (`units[2].funding` or `units[].funding`), empty when it has none."""
    found = LABELS.get(pattern_of(path))
    return found.help(lang) if found else ""
