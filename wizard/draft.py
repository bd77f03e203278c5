"""The draft application: the pydantic model of a draft TOML file (schema_version = 1).

A draft is work in progress, so almost every field may be empty; the rule engine says what
is missing. Only what cannot be represented at all (a wrong type, NaN money, an unknown key)
is refused at load. Field order here is the order keys are written to the file.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from wizard.money import MAX_DECIMALS, MONEY_LIMIT, in_range

if TYPE_CHECKING:
    from wizard.guide import Direction

SCHEMA_VERSION = 1


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
LeaderTitle = Literal["正高级", "副高级", "中级", "初级", "无"]
LeaderDegree = Literal["博士", "硕士", "学士", "其他"]
Status = Literal["draft", "ready"]

# The values of each type, in its order: the forms' option lists (labels: wizard.catalogue).
UNIT_ROLES: tuple[UnitRole, ...] = get_args(UnitRole)
UNIT_KINDS: tuple[UnitKind, ...] = get_args(UnitKind)
INSTITUTION_KINDS: tuple[InstitutionKind, ...] = get_args(InstitutionKind)
LEADER_TITLES: tuple[LeaderTitle, ...] = get_args(LeaderTitle)
LEADER_DEGREES: tuple[LeaderDegree, ...] = get_args(LeaderDegree)
STATUSES: tuple[Status, ...] = get_args(Status)
RESEARCH_KINDS = frozenset({"university", "institute"})
BUDGET_DIRECT = (
    "equipment",
    "materials",
    "testing",
    "fuel_power",
    "travel_meeting_intl",
    "publication_ip",
    "labour",
    "expert",
    "other",
)
BUDGET_CATEGORIES = (*BUDGET_DIRECT, "indirect")
_direct_values = attrgetter(*BUDGET_DIRECT)
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
    unparsed: dict[str, str] = Field(default_factory=dict)


class Project(_Section):
    title: str = ""
    title_en: str = ""
    field: str = ""
    topic: str = ""
    start: date | None = None
    months: int | None = Field(default=None, ge=0, le=1200)
    summary: str = ""
    keywords: list[str] = Field(default_factory=list)


class Leader(_Section):
    name: str = ""
    birth_date: date | None = None
    title: LeaderTitle | None = None
    degree: LeaderDegree | None = None
    unit: str = ""
    months_per_year: int | None = Field(default=None, ge=0, le=12)
    email: str = ""
    phone: str = ""
    other_projects: int | None = Field(
        default=None, ge=0, le=1000, description="national projects applied for plus under way"
    )


class Unit(_Section):
    name: str = ""
    role: UnitRole = "participant"
    kind: UnitKind | None = None
    credit_code: str = ""
    parent: str = ""
    registered: date | None = None
    funding: Money | None = None
    matching: Money | None = None


class Institution(_Section):
    name: str = ""
    kind: InstitutionKind | None = None
    contact: str = ""
    email: str = ""


class Partner(_Section):
    country: str = ""
    agency: str = ""
    submitted: bool = False
    reference: str = ""
    institutions: list[Institution] = Field(default_factory=list)


class H2020(_Section):
    proposal: str = ""
    topic: str = ""
    call_year: int | None = Field(default=None, ge=1900, le=2100)
    participants: list[str] = Field(default_factory=list)
    cn_budget: Money | None = None


class Budget(_Section):
    equipment: Money | None = None
    materials: Money | None = None
    testing: Money | None = None
    fuel_power: Money | None = None
    travel_meeting_intl: Money | None = None
    publication_ip: Money | None = None
    labour: Money | None = None
    expert: Money | None = None
    other: Money | None = None
    indirect: Money | None = None
    other_note: str = ""

    def amount(self, category: str) -> Decimal:
        value = getattr(self, category)
        return value if isinstance(value, Decimal) else Decimal(0)

    @property
    def direct(self) -> Decimal:
        # As sum(self.amount(c) for c in BUDGET_DIRECT), added in the same order; this runs
        # several times per rule evaluation, so without a method call per category.
        total = Decimal(0)
        for value in _direct_values(self):
            total += value if isinstance(value, Decimal) else _ZERO
        return total

    @property
    def total(self) -> Decimal:
        return self.direct + self.amount("indirect")


class Draft(_Section):
    schema_version: Literal[1] = 1
    guide: str = "2020"
    direction: str = ""
    meta: Meta = Field(default_factory=Meta)
    project: Project = Field(default_factory=Project)
    leader: Leader = Field(default_factory=Leader)
    units: list[Unit] = Field(default_factory=list)
    partner: Partner = Field(default_factory=Partner)
    h2020: H2020 = Field(default_factory=H2020)
    attest: dict[str, bool] = Field(default_factory=dict)
    budget: Budget = Field(default_factory=Budget)

    @property
    def lead_unit(self) -> Unit | None:
        for unit in self.units:
            if unit.role == "lead":
                return unit
        return None

    @property
    def units_funding(self) -> Decimal:
        return sum((u.funding or Decimal(0) for u in self.units), Decimal(0))


def new_draft(
    direction: str | Direction, guide: str = "2020", now: datetime | None = None
) -> Draft:
    """A fresh draft with one empty lead unit, ready to fill. Given the guide's `Direction`
    (not just its code), what the guide already says is filled in (`prefill_partner`)."""
    stamp = (now or datetime.now().astimezone()).replace(microsecond=0)
    code = direction if isinstance(direction, str) else direction.code
    draft = Draft(
        guide=guide,
        direction=code,
        meta=Meta(created=stamp, updated=stamp, last_section="project"),
        units=[Unit(role="lead")],
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
