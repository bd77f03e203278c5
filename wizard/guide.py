"""The call's guide as data: the pydantic schema of `data/directions.toml` and its loader.

Rule *logic* lives in `wizard.rules`; everything the guide says (numbers, clause texts,
which rule applies to which direction with which parameters) lives in the data file, so the
next year's guide is a new data file, not new code.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_serializer,
    model_validator,
)

from wizard import names as naming
from wizard.catalogue import t
from wizard.factories import empty_dict, empty_list
from wizard.money import CENT, format_money

Severity = Literal["error", "warning", "info"]
RequirementKind = Literal["rule", "attestation", "info"]

DATA_FILE_NAME = "directions.toml"


class GuideError(Exception):
    """A guide data file that cannot be used; the message names file, direction and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Requirement(_Strict):
    """One clause of the guide, and how the wizard enforces it.

    kind = "rule": checked by the rule function `rule` with `params`;
    kind = "attestation": data cannot show it, the applicant ticks `attest.<id>`;
    kind = "info": shown to the applicant, never a violation.
    """

    id: str
    item: str = Field(description="where the clause stands, e.g. '其他要求 2)'")
    text: str = Field(description="the clause, verbatim")
    text_en: str
    severity: Severity
    kind: RequirementKind
    rule: str | None = None
    params: dict[str, Any] = Field(default_factory=empty_dict)
    source: str | None = Field(
        default=None, description="where a clause comes from when it is not the guide text itself"
    )
    applies_to: list[str] | None = Field(
        default=None, description="general requirements only: direction codes; None = all"
    )
    fallback: bool = Field(
        default=False,
        description="general requirements only: apply only where the direction has no "
        "requirement with the same rule, and then only the params keys the direction's own "
        "requirements leave unset (e.g. the section's 2–3 year period norm)",
    )

    @model_validator(mode="after")
    def _rule_named_when_checked(self) -> Requirement:
        if self.kind == "rule" and not self.rule:
            raise ValueError(f"requirement {self.id}: kind = 'rule' needs a 'rule' name")
        if self.kind != "rule" and self.rule:
            raise ValueError(f"requirement {self.id}: only kind = 'rule' may name a rule")
        return self


class Topic(_Strict):
    """A sub-topic of a field; `code` is set for Horizon 2020 topic codes (1.4)."""

    zh: str
    en: str
    code: str | None = None

    @property
    def key(self) -> str:
        """What a draft stores in `project.topic`."""
        return self.code or self.zh


class FieldOfWork(_Strict):
    zh: str
    en: str
    topics: list[Topic] = Field(default_factory=empty_list)


class Fields(_Strict):
    """The direction's 领域方向.

    mode = "listed": the project's field must be one of `items`;
    mode = "unrestricted": any field (2.1 不限领域);
    mode = "priority": `items` are favoured but others are allowed (2.4 但不限于).
    """

    mode: Literal["listed", "unrestricted", "priority"]
    text: str
    items: list[FieldOfWork] = Field(default_factory=empty_list)

    def find(self, name: str) -> FieldOfWork | None:
        for item in self.items:
            if name in (item.zh, item.en):
                return item
        return None


class ProjectCount(_Strict):
    """拟支持项目数. `low`..`high`; wording: exact (3个), range (4-6个), 左右, 以内, 不超过."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)
    wording: Literal["exact", "range", "左右", "以内", "不超过"]
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> ProjectCount:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    @property
    def span(self) -> str:
        """`3`, or `4–6`."""
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


class Funding(_Strict):
    """共拟支持经费 in 万元."""

    amount: Decimal = Field(ge=0, allow_inf_nan=False)
    approx: bool = Field(description="the guide says 左右")
    text: str

    def amount_text(self, lang: str) -> str:
        """The amount with its unit, as the picker, the CLI and the exports say it:
        `3,000.00 (10k CNY)`, `约 3,000.00 万元` where the guide says 左右."""
        key = "money.wan_approx" if self.approx else "money.wan"
        return t(key, lang, amount=format_money(self.amount))


NameKind = Literal[
    "guide", "agreement", "official", "abbreviation", "translation", "former", "later"
]


class BodyName(_Strict):
    """One name of a body, with where it comes from and, for renames, when it was in use."""

    name: str = Field(min_length=1)
    kind: NameKind
    lang: str = Field(description="zh, en, or the partner's language (es, de, ru, ja)")
    since: date | None = None
    until: date | None = None
    source: str = Field(min_length=1)

    @field_serializer("since", "until")
    def _iso(self, value: date | None) -> str | None:
        # As text, so that a dump of the guide (`wizard directions --json`) is plain JSON.
        return value.isoformat() if value is not None else None


class OtherBody(_Strict):
    """A body that is clearly not the one the guide names (an error where it is given)."""

    zh: str
    en: str
    names: list[str] = Field(default_factory=empty_list)
    source: str = Field(min_length=1)

    def all_names(self) -> list[str]:
        return [self.zh, self.en, *self.names]


class Body(_Strict):
    """An agency or designated institution: its names over time, its known sub-units (each
    counts as the body), and bodies an applicant may confuse it with."""

    zh: str = Field(description="the name as the guide writes it")
    en: str
    names: list[BodyName] = Field(default_factory=empty_list)
    sub_units: list[str] = Field(default_factory=empty_list)
    sub_units_source: str | None = None
    others: list[OtherBody] = Field(default_factory=empty_list)
    # Name sets built on first use (a guide is never changed after it loads).
    _sets: tuple[naming.NameSet, naming.NameSet] | None = PrivateAttr(default=None)

    def all_names(self) -> list[str]:
        return [self.zh, self.en, *(n.name for n in self.names)]

    def _name_sets(self) -> tuple[naming.NameSet, naming.NameSet]:
        if self._sets is None:
            self._sets = (naming.NameSet(self.all_names()), naming.NameSet(self.sub_units))
        return self._sets

    def matches(self, value: str, country: str | None = None) -> bool:
        """Whether `value` names this body or one of its known sub-units (the fund or office
        that runs the call for it): any of their names, with or without the name of
        `country`, with other names of it or the country in brackets."""
        body, units = self._name_sets()
        return naming.body_matches(value, body.keys | units.keys, country)

    def is_unit(self, value: str) -> bool:
        """Whether `value` is this body or one of its sub-units (institutions)."""
        body, units = self._name_sets()
        return naming.is_part_of(value, body, units)

    def other_named(self, value: str) -> OtherBody | None:
        """The known different body `value` names, if any."""
        for other in self.others:
            if any(naming.same_name(value, n) for n in other.all_names()):
                return other
        return None

    def history(self, lang: str) -> str:
        """Renames in force around the call, for messages: "自 2020-02-01 起名为 …"."""
        parts: list[str] = []
        for n in self.names:
            if n.kind not in ("official", "later") or n.since is None or n.lang != "en":
                continue
            if n.name == self.en:
                continue
            parts.append(t("names.renamed", lang, name=n.name, since=n.since.isoformat()))
        return t("semicolon_sep", lang).join(parts)


class Agency(Body):
    """The partner-side agency the foreign partner files with, where the guide names one."""

    item: str
    text: str


class Designated(Body):
    """An institution the guide designates as the partner (1.3 UdelaR, 2.1 RIKEN)."""

    id: str


def normalise_name(name: str) -> str:
    """The comparison key of a name (wizard.names.key)."""
    return naming.key(name)


class Direction(_Strict):
    code: str
    title: str
    title_en: str
    partner: Text
    agreements: list[str] = Field(min_length=1)
    fields: Fields
    projects: ProjectCount
    funding: Funding
    period: Text = Field(description="the execution-period rule as the guide words it")
    agency: Agency | None = None
    designated: list[Designated] = Field(
        default_factory=empty_list, description="institutions the guide designates as the partner"
    )
    countries: list[str] = Field(
        default_factory=empty_list,
        description="codes (data/countries.toml) of the countries a partner may be from; "
        "empty: not checked",
    )
    countries_source: str | None = None
    h2020: bool = Field(default=False, description="linked to a Horizon 2020 proposal (1.4, 1.5)")
    requirements: list[Requirement] = Field(default_factory=empty_list)

    @property
    def average_funding(self) -> Decimal:
        """The funding per project at the fewest projects (万元, two decimals): what the
        funding-average rule and the budget form's gauge compare a request with."""
        return (self.funding.amount / max(self.projects.low, 1)).quantize(CENT)


class Deadline(_Strict):
    at: datetime
    source: str

    def days_left(self, now: datetime) -> int:
        """Whole days until the deadline (negative once it has passed)."""
        seconds = (self.at - now).total_seconds()
        whole = int(abs(seconds) // 86400)
        return whole if seconds >= 0 else -whole

    def describe(self, lang: str, now: datetime) -> str:
        days = self.days_left(now)
        when = t("deadline.left" if days >= 0 else "deadline.passed", lang, days=abs(days))
        stamp, offset = self.at.strftime("%Y-%m-%d %H:%M"), self.at.strftime("%z")
        return t("deadline.line", lang, stamp=stamp, offset=offset, when=when)


class General(_Strict):
    deadline: Deadline
    requirements: list[Requirement]


class Part(_Strict):
    """One part of the 申报书 (the 2016 template's 一 … 八). `holds` names the draft section
    with the part's structured data (plan, team, budget, attachments), if it has one."""

    key: str
    zh: str
    en: str
    holds: str = ""


class BudgetCategory(_Strict):
    """A 科目 of the budget table: direct or not, and whether it is the 设备购置费 that the
    indirect-cost base leaves out. `group` joins categories shown under one heading."""

    key: str
    zh: str
    en: str
    direct: bool = True
    purchase: bool = False
    group: str = ""
    group_en: str = ""
    help_zh: str = ""
    help_en: str = ""


class AttachmentKind(_Strict):
    """A file the application must carry for the directions where one of `requirements`
    applies (requirement ids of this guide); `optional` ones may be marked not applicable."""

    key: str
    zh: str
    en: str
    requirements: list[str] = Field(min_length=1)
    optional: bool = False
    help_zh: str = ""
    help_en: str = ""


@dataclass(frozen=True, slots=True)
class BudgetShape:
    """A form's budget categories: by key, and the keys of the direct, indirect and
    equipment-purchase ones, in the form's order."""

    source: list[BudgetCategory]  # the list it was built from
    by_key: dict[str, BudgetCategory]
    direct: tuple[str, ...]
    indirect: tuple[str, ...]
    purchase: tuple[str, ...]


class Form(_Strict):
    """The shape of the application form: its parts, budget categories and attachments."""

    parts: list[Part] = Field(min_length=1)
    categories: list[BudgetCategory] = Field(min_length=1)
    attachments: list[AttachmentKind] = Field(default_factory=empty_list)

    @model_validator(mode="after")
    def _consistent(self) -> Form:
        for name, keys in (
            ("parts", [p.key for p in self.parts]),
            ("categories", [c.key for c in self.categories]),
            ("attachments", [a.key for a in self.attachments]),
        ):
            dupes = sorted(k for k, n in Counter(keys).items() if n > 1)
            if dupes:
                raise ValueError(f"form.{name}: keys must be unique: {', '.join(dupes)}")
        if not any(c.direct for c in self.categories):
            raise ValueError("form.categories: at least one category must be direct")
        if any(c.purchase and not c.direct for c in self.categories):
            raise ValueError("form.categories: the equipment purchase must be a direct cost")
        return self

    @cached_property
    def budget_shape(self) -> BudgetShape:
        """The categories by key and kind, built on first use (see `shape`)."""
        cats = self.categories
        return BudgetShape(
            cats,
            {c.key: c for c in cats},
            tuple(c.key for c in cats if c.direct),
            tuple(c.key for c in cats if not c.direct),
            tuple(c.key for c in cats if c.purchase),
        )

    @property
    def shape(self) -> BudgetShape:
        """The categories by key and kind, built once (the rules read them on every check;
        a plain attribute read after the first, unlike a pydantic private attribute)."""
        shape = self.budget_shape
        if shape.source is not self.categories:  # a model_copy that replaced the list
            del self.__dict__["budget_shape"]
            shape = self.budget_shape
        return shape

    @property
    def direct_keys(self) -> tuple[str, ...]:
        return self.shape.direct

    @property
    def indirect_keys(self) -> tuple[str, ...]:
        return self.shape.indirect

    @property
    def purchase_keys(self) -> tuple[str, ...]:
        return self.shape.purchase

    def category(self, key: str) -> BudgetCategory | None:
        return self.shape.by_key.get(key)

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


class Guide(_Strict):
    id: str = Field(description="e.g. '2020'; a draft's `guide` key names it")
    title: str
    title_en: str
    section_text: str = Field(description="二、领域和方向 opening: totals and period norm")
    general: General
    form: Form
    directions: list[Direction]
    # Lookups built on first use (guide_index); a guide is never changed after it loads.
    _index: GuideIndex | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_ids(self) -> Guide:
        codes = [d.code for d in self.directions]
        if len(set(codes)) != len(codes):
            raise ValueError("direction codes must be unique")
        ids = Counter(r.id for _, r in self.all_requirements())
        dupes = sorted(i for i, n in ids.items() if n > 1)
        if dupes:
            raise ValueError(f"requirement ids must be unique: {', '.join(dupes)}")
        unknown = sorted({i for a in self.form.attachments for i in a.requirements if i not in ids})
        if unknown:
            raise ValueError(f"form.attachments: unknown requirement ids: {', '.join(unknown)}")
        return self

    def direction(self, code: str) -> Direction | None:
        return guide_index(self).directions.get(code)

    def all_requirements(self) -> Iterator[tuple[str, Requirement]]:
        """(direction code or 'general', requirement) for every requirement."""
        for r in self.general.requirements:
            yield "general", r
        for d in self.directions:
            for r in d.requirements:
                yield d.code, r

    def requirements_for(self, direction: Direction) -> list[tuple[str, Requirement]]:
        """The requirements that apply to a draft of `direction`, general ones first."""
        index = guide_index(self)
        if index.directions.get(direction.code) is not direction:
            return _requirements_for(self, direction)  # a direction from elsewhere
        known = index.applicable.get(direction.code)
        if known is None:
            known = index.applicable[direction.code] = tuple(_requirements_for(self, direction))
        return list(known)

    def attachments_for(self, direction: Direction) -> list[tuple[AttachmentKind, Requirement]]:
        """The attachments `direction` requires, each with the first requirement that asks
        for it (its clause), in the order of `form.attachments`."""
        index = guide_index(self)
        indexed = index.directions.get(direction.code) is direction
        cache_key = ("guide.attachments_for", direction.code)
        known = index.derived.get(cache_key) if indexed else None
        if known is None:
            applying = {r.id: r for _, r in self.requirements_for(direction)}
            found = []
            for kind in self.form.attachments:
                for req_id in kind.requirements:
                    if req_id in applying:
                        found.append((kind, applying[req_id]))
                        break
            known = tuple(found)
            if indexed:  # a direction from elsewhere is not cached under its code
                index.derived[cache_key] = known
        return list(cast("tuple[tuple[AttachmentKind, Requirement], ...]", known))

    def requirement(self, req_id: str) -> Requirement | None:
        return guide_index(self).requirements.get(req_id)


def _requirements_for(guide: Guide, direction: Direction) -> list[tuple[str, Requirement]]:
    # A fallback applies where the direction has no requirement with the same rule; where it
    # has, only the parameters (bounds) the direction's own requirements leave unset apply:
    # the section's 2~3-year norm still warns below 2 years where a direction only caps 3.
    own_keys: dict[str, set[str]] = {}
    for r in direction.requirements:
        if r.rule:
            own_keys.setdefault(r.rule, set()).update(r.params)
    out: list[tuple[str, Requirement]] = []
    for r in guide.general.requirements:
        if r.applies_to is not None and direction.code not in r.applies_to:
            continue
        if r.fallback and r.rule in own_keys:
            left = {k: v for k, v in r.params.items() if k not in own_keys[r.rule]}
            if not left:
                continue
            r = r.model_copy(update={"params": left})
        out.append(("general", r))
    out.extend((direction.code, r) for r in direction.requirements)
    return out


@dataclass(slots=True)
class GuideIndex:
    """Lookups computed once per loaded guide (a guide is not changed after it loads).

    `derived` holds what other modules compute from the guide alone (e.g. the rule engine's
    plan per direction), keyed by a name of their choosing.
    """

    directions: dict[str, Direction]
    requirements: dict[str, Requirement]
    applicable: dict[str, tuple[tuple[str, Requirement], ...]]
    derived: dict[object, object]


def guide_index(guide: Guide) -> GuideIndex:
    """The lookups of `guide`, built on first use and kept on the guide."""
    index = guide._index
    if index is None:
        requirements: dict[str, Requirement] = {}
        for _, r in guide.all_requirements():
            requirements.setdefault(r.id, r)
        directions: dict[str, Direction] = {}
        for d in guide.directions:
            directions.setdefault(d.code, d)
        index = guide._index = GuideIndex(directions, requirements, {}, {})
    return index


def default_guide_path() -> Path:
    """The data file: from a source checkout first, else the copy shipped in the wheel."""
    checkout = Path(__file__).resolve().parent.parent / "data" / DATA_FILE_NAME
    if checkout.is_file():
        return checkout
    shipped = resources.files("wizard") / "_data" / DATA_FILE_NAME
    return Path(str(shipped))


def _where(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Name a validation error's place as 'direction 1.6, requirements[2].severity'."""
    parts: list[str] = []
    for piece in loc:
        if isinstance(piece, int):
            parts.append(f"[{piece}]")
        else:
            parts.append(("." if parts else "") + piece)
    path = "".join(parts)
    if len(loc) >= 2 and loc[0] == "directions" and isinstance(loc[1], int):
        directions = data.get("directions")
        code = "?"
        if isinstance(directions, list) and loc[1] < len(directions):
            entry = directions[loc[1]]
            if isinstance(entry, dict):
                code = str(entry.get("code", "?"))
        return f"direction {code}, key {path}"
    return f"key {path}"


def parse_guide(text: str, origin: str) -> Guide:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise GuideError(f"{origin}: not valid TOML: {exc}") from None
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise GuideError(
            f"{origin}: {_where(data, tuple(first['loc']))}: {first['msg']}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from None
    problem = params_problem(guide)
    if problem is not None:
        raise GuideError(f"{origin}: {problem}")
    return guide


def params_problem(guide: Guide) -> str | None:
    """The first requirement whose `params` its rule's parameter model refuses, as
    "direction 1.2, requirement 1.2-period, key params.max_months: …", or None.

    Rules not implemented are left to `wizard.rules.unknown_rules` (and `guide check`)."""
    from wizard.rules.engine import PARAMS  # imported here: the rules import this module

    problems: list[str] = []
    for code, r in guide.all_requirements():
        model = PARAMS.get(r.rule or "")
        if model is None:
            continue
        try:
            model.model_validate(r.params)
        except ValidationError as exc:
            where = "general" if code == "general" else f"direction {code}"
            # An unknown key first: a misspelt key also makes its right spelling "missing".
            errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
            for error in errors:
                loc = ".".join(str(p) for p in error["loc"])
                key = f"params.{loc}" if loc else "params"
                msg = error["msg"].removeprefix("Value error, ")
                if error["type"] == "extra_forbidden":
                    msg = f"unknown key for rule {r.rule!r}"
                problems.append(f"{where}, requirement {r.id}, key {key}: {msg}")
        if r.rule in ("partner_institution",) and code != "general":
            wanted = r.params.get("designated")
            direction = guide.direction(code)
            if direction is not None and wanted not in {b.id for b in direction.designated}:
                problems.append(
                    f"direction {code}, requirement {r.id}, key params.designated: "
                    f"no designated institution {wanted!r} in direction {code}"
                )
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def load_guide(path: Path | str | None = None) -> Guide:
    """Load and validate a guide data file (the bundled 2020 guide by default)."""
    resolved = Path(path) if path is not None else default_guide_path()
    return _load_cached(str(resolved.resolve()))


def read_guide(path: Path | str) -> Guide:
    """Read and validate a guide data file, every time (load_guide caches)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise GuideError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GuideError(f"{path}: not UTF-8 (byte {exc.start})") from None
    return parse_guide(text, str(path))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Guide:
    return read_guide(path)
