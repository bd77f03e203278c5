"""The draft application: the pydantic model of a draft TOML file (schema_version = 2).

A draft is work in progress, so almost every field may be empty; the rule engine says what
is missing. Only what cannot be represented at all (a wrong type, NaN money, an unknown key)
is refused at load. Field order here is the order keys are written to the file.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from wizard.factories import empty_dict, empty_list
from wizard.money import MAX_DECIMALS, MONEY_LIMIT, in_range

if TYPE_CHECKING:
    from wizard.guide import Direction

SCHEMA_VERSION = 2


def _money(value: Decimal) -> Decimal:
    """An amount any budget can be: written out in full (`1e3` is a typing slip, and an
    exponent is how 1e26 or 1e-999999999 get in), within ±MONEY_LIMIT, at most
    MAX_DECIMALS decimals. Checked without building the number's digits."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        raise ValueError(f"amount written with an exponent ({value}); write it in full, in 万元")
    if not in_range(value):
        raise ValueError(
            f"amount out of range ({value}); amounts are in 万元, within ±{MONEY_LIMIT:,f} "
            f"and with at most {MAX_DECIMALS} decimals"
        )
    return value


# Money in 万元. Negative or over-precise amounts (up to MAX_DECIMALS decimals) load, so
# the user sees them as rule violations and can fix them in the form; NaN, infinities,
# exponents and amounts out of range do not.
Money = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(_money)]

UnitRole = Literal["lead", "participant"]
UnitKind = Literal["university", "institute", "enterprise", "government", "other"]
InstitutionKind = Literal["university", "institute", "enterprise", "other"]
Title = Literal["正高级", "副高级", "中级", "初级", "无"]
Degree = Literal["博士", "硕士", "学士", "其他"]
Gender = Literal["female", "male"]
IdType = Literal["resident_id", "passport", "other"]
# 人员分类 of the 申报书's team table.
PersonRole = Literal["leader", "task_leader", "core", "general"]
# 推荐单位的性质: 部门 (a State Council department), 地方 (a provincial-level S&T authority),
# 行业协会 (a national industry association) or another body the notice allows.
RecommenderKind = Literal["ministry", "local", "association", "other"]
Status = Literal["draft", "ready"]
# The sources of a budget line (申报书 经费预算表: 中央财政 and 其他来源 = 地方财政 + 单位自筹 + 其他).
BudgetSource = Literal["central", "local", "own", "other"]

# The values of each type, in its order: the forms' option lists (labels: wizard.catalogue).
# Kept for readers of the v1 names.
LeaderTitle = Title
LeaderDegree = Degree

UNIT_KINDS: tuple[UnitKind, ...] = get_args(UnitKind)
INSTITUTION_KINDS: tuple[InstitutionKind, ...] = get_args(InstitutionKind)
TITLES: tuple[Title, ...] = get_args(Title)
DEGREES: tuple[Degree, ...] = get_args(Degree)
GENDERS: tuple[Gender, ...] = get_args(Gender)
ID_TYPES: tuple[IdType, ...] = get_args(IdType)
PERSON_ROLES: tuple[PersonRole, ...] = get_args(PersonRole)
RECOMMENDER_KINDS: tuple[RecommenderKind, ...] = get_args(RecommenderKind)
BUDGET_SOURCES: tuple[BudgetSource, ...] = get_args(BudgetSource)
OTHER_SOURCES: tuple[BudgetSource, ...] = ("local", "own", "other")
UNIT_ROLES: tuple[UnitRole, ...] = get_args(UnitRole)
STATUSES: tuple[Status, ...] = get_args(Status)
LEADER_TITLES = TITLES
LEADER_DEGREES = DEGREES
RESEARCH_KINDS = frozenset({"university", "institute"})
_ZERO = Decimal(0)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Meta(_Section):
    created: datetime | None = None
    updated: datetime | None = None
    status: Status = "draft"
    last_section: str = ""
    last_field: str = ""
    # Field path → text typed there that is not a value of the field's kind (wizard.entry);
    # kept so nothing typed is lost, reported as an error until replaced by a value.
    unparsed: dict[str, str] = Field(default_factory=empty_dict)


class Project(_Section):
    title: str = ""
    title_en: str = ""
    field: str = ""
    topic: str = ""
    start: date | None = None
    months: int | None = Field(default=None, ge=0, le=1200)
    summary: str = ""
    keywords: list[str] = Field(default_factory=empty_list)

    @property
    def end(self) -> date | None:
        """The last day of the period: start plus `months` months, less one day."""
        if self.start is None or not self.months:
            return None
        return add_months(self.start, self.months) - timedelta(days=1)

    @property
    def years(self) -> int:
        """Project years the period touches (a 进度安排 entry each); 0 while unknown."""
        end = self.end
        if self.start is None or end is None:
            return 0
        return end.year - self.start.year + 1


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, on the same day of the month or the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no date {months} months after {day}")  # pragma: no cover


class Recommender(_Section):
    """推荐单位: the department, local authority or association that recommends the project."""

    name: str = ""
    kind: RecommenderKind | None = None


class Contact(_Section):
    """项目联系人: who the programme office calls about the application."""

    name: str = ""
    phone: str = ""
    email: str = ""


class Unit(_Section):
    name: str = ""
    role: UnitRole = "participant"
    kind: UnitKind | None = None
    credit_code: str = ""
    parent: str = ""
    registered: date | None = None
    region: str = ""
    address: str = ""
    postcode: str = ""
    funding: Money | None = None
    matching: Money | None = None


class Person(_Section):
    """One row of 研究团队. The project leader is the person whose role is "leader"."""

    name: str = ""
    gender: Gender | None = None
    birth_date: date | None = None
    id_type: IdType | None = None
    id_number: str = ""
    title: Title | None = None
    degree: Degree | None = None
    unit: str = ""
    role: PersonRole | None = None
    # 所属课题: the 课题's number (1 = the first [[tasks]] table); the leader may leave it empty.
    task: int | None = Field(default=None, ge=1, le=1000)
    months_per_year: int | None = Field(default=None, ge=0, le=12)
    other_projects: int | None = Field(
        default=None, ge=0, le=1000, description="national projects applied for plus under way"
    )
    email: str = ""
    phone: str = ""


class BudgetLine(_Section):
    """One category of a 课题's budget, by source, and how it was worked out (测算依据)."""

    central: Money | None = None
    local: Money | None = None
    own: Money | None = None
    other: Money | None = None
    basis: str = ""

    # These run for every cell on every evaluation (a draft's 课题 × categories × sources):
    # plain attribute reads, no per-source method call.
    def amount(self, source: str) -> Decimal:
        value = getattr(self, source)
        return _ZERO if value is None else value

    @property
    def other_sources(self) -> Decimal:
        total = _ZERO
        for value in (self.local, self.own, self.other):
            if value is not None:
                total += value
        return total

    @property
    def total(self) -> Decimal:
        total = _ZERO if self.central is None else self.central
        for value in (self.local, self.own, self.other):
            if value is not None:
                total += value
        return total

    @property
    def empty(self) -> bool:
        return all(getattr(self, s) is None for s in BUDGET_SOURCES) and not self.basis.strip()


class Task(_Section):
    """A 课题: who carries it out, who leads it, what it does, and its budget by category
    (keys: the guide's budget categories, `form.budget.categories`)."""

    name: str = ""
    unit: str = ""
    leader: str = ""
    content: str = ""
    budget: dict[str, BudgetLine] = Field(default_factory=empty_dict)

    def line(self, category: str) -> BudgetLine | None:
        return self.budget.get(category)

    def amount(self, category: str, source: str | None = None) -> Decimal:
        """The category's amount from one source, or from all of them (source None)."""
        line = self.budget.get(category)
        if line is None:
            return _ZERO
        return line.total if source is None else line.amount(source)


class Institution(_Section):
    name: str = ""
    kind: InstitutionKind | None = None
    contact: str = ""
    email: str = ""


class PartnerLead(_Section):
    """The foreign partner's principal investigator."""

    name: str = ""
    title: str = ""
    institution: str = ""
    email: str = ""


class Partner(_Section):
    country: str = ""
    agency: str = ""
    submitted: bool = False
    reference: str = ""
    lead: PartnerLead = Field(default_factory=PartnerLead)
    contribution: str = ""
    # The day the cooperation / IP agreement the direction requires was signed.
    agreement_signed: date | None = None
    institutions: list[Institution] = Field(default_factory=empty_list)


class H2020(_Section):
    proposal: str = ""
    topic: str = ""
    call_year: int | None = Field(default=None, ge=1900, le=2100)
    participants: list[str] = Field(default_factory=empty_list)
    cn_budget: Money | None = None


class Target(_Section):
    """考核指标: what the project delivers, its value at completion and how it is checked."""

    name: str = ""
    kind: str = ""
    value: str = ""
    method: str = ""
    task: int | None = Field(default=None, ge=1, le=1000)


class Stage(_Section):
    """进度安排: what is done in one project year (1 = the year the project starts)."""

    year: int | None = Field(default=None, ge=1, le=100)
    content: str = ""


_SHA256 = r"^([0-9a-f]{64})?$"


class Attachment(_Section):
    """A file the guide requires (`form.attachments`), recorded when attached: its path
    relative to the draft's folder, its SHA-256 and size, so a check can tell it changed."""

    key: str = ""
    path: str = ""
    sha256: str = Field(default="", pattern=_SHA256)
    size: int | None = Field(default=None, ge=0)
    attached: datetime | None = None
    not_applicable: bool = False
    note: str = ""


class Draft(_Section):
    schema_version: Literal[2] = 2
    guide: str = "2020"
    direction: str = ""
    meta: Meta = Field(default_factory=Meta)
    project: Project = Field(default_factory=Project)
    recommender: Recommender = Field(default_factory=Recommender)
    contact: Contact = Field(default_factory=Contact)
    units: list[Unit] = Field(default_factory=empty_list)
    team: list[Person] = Field(default_factory=empty_list)
    tasks: list[Task] = Field(default_factory=empty_list)
    partner: Partner = Field(default_factory=Partner)
    h2020: H2020 = Field(default_factory=H2020)
    targets: list[Target] = Field(default_factory=empty_list)
    plan: list[Stage] = Field(default_factory=empty_list)
    # 申报书 parts (keys: `form.parts` of the guide) → their text.
    narrative: dict[str, str] = Field(default_factory=empty_dict)
    attest: dict[str, bool] = Field(default_factory=empty_dict)
    attachments: list[Attachment] = Field(default_factory=empty_list)

    @property
    def lead_unit(self) -> Unit | None:
        for unit in self.units:
            if unit.role == "lead":
                return unit
        return None

    @property
    def leader_index(self) -> int | None:
        """The index in `team` of the project leader (the first person with that role)."""
        for i, person in enumerate(self.team):
            if person.role == "leader":
                return i
        return None

    @property
    def leader(self) -> Person | None:
        i = self.leader_index
        return self.team[i] if i is not None else None

    @property
    def units_funding(self) -> Decimal:
        return sum((u.funding or _ZERO for u in self.units), _ZERO)

    def task_number(self, task: Task) -> int:
        """A 课题's number as the team and targets refer to it (1-based)."""
        return self.tasks.index(task) + 1

    def amount(self, category: str, source: str | None = None) -> Decimal:
        """The project's amount of one category (over every 课题), from one source or all."""
        total = _ZERO
        for task in self.tasks:
            total += task.amount(category, source)
        return total

    def attachment(self, key: str) -> Attachment | None:
        return next((item for item in self.attachments if item.key == key), None)


def new_draft(
    direction: str | Direction, guide: str = "2020", now: datetime | None = None
) -> Draft:
    """A fresh draft with one empty lead unit, its leader and one 课题, ready to fill. Given the guide's `Direction`
    (not just its code), what the guide already says is filled in (`prefill_partner`)."""
    stamp = (now or datetime.now().astimezone()).replace(microsecond=0)
    code = direction if isinstance(direction, str) else direction.code
    draft = Draft(
        guide=guide,
        direction=code,
        meta=Meta(created=stamp, updated=stamp, last_section="project"),
        units=[Unit(role="lead")],
        team=[Person(role="leader")],
        tasks=[Task()],
    )
    if not isinstance(direction, str):
        prefill_partner(draft, direction)
    return draft


def _partner_defaults(direction: Direction) -> tuple[str, str]:
    """The partner country/organisation and agency the direction names ("" if none)."""
    return direction.partner.zh, direction.agency.zh if direction.agency is not None else ""


def prefill_partner(draft: Draft, direction: Direction, old: Direction | None = None) -> list[str]:
    """Fill the partner's country/organisation and agency from `direction` where they are
    empty, or still hold what `old` (the direction switched from) filled in; the applicant's
    own entries are kept. Returns the paths changed."""
    new_values = _partner_defaults(direction)
    old_values = _partner_defaults(old) if old is not None else ("", "")
    changed = []
    for attr, value, before in zip(("country", "agency"), new_values, old_values, strict=True):
        current = getattr(draft.partner, attr).strip()
        if current != value and (not current or (before and current == before)):
            setattr(draft.partner, attr, value)
            changed.append(f"partner.{attr}")
    return changed


def follow_topic(draft: Draft, direction: Direction, old_topic: str) -> list[str]:
    """After `project.topic` changed: the Horizon 2020 topic follows it (1.4 stores the H2020
    topic code there) while it is empty or still the old topic. Returns the paths changed."""
    if not direction.h2020:
        return []
    topic = draft.project.topic
    current = draft.h2020.topic.strip()
    if topic and current != topic and (not current or current == old_topic.strip()):
        draft.h2020.topic = topic
        return ["h2020.topic"]
    return []
