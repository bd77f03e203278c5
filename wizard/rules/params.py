"""The parameter models of the rules that take parameters (`params = { … }` in the data).

Strict: `rate = "30%"` or `max_months = "36"` is refused when the guide loads, and so is a
key the rule does not know (a misspelling would otherwise fall back to a default).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from wizard.factories import empty_list


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"must be a number, not {value!r}")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"must be a date (YYYY-MM-DD), not {value!r}")


Number = Annotated[Decimal, BeforeValidator(_number)]
Day = Annotated[date, BeforeValidator(_date)]


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PeriodParams(Params):
    min_months: int | None = Field(default=None, ge=0)
    max_months: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_bound(self) -> PeriodParams:
        if self.min_months is None and self.max_months is None:
            raise ValueError("needs min_months or max_months")
        if (
            self.min_months is not None
            and self.max_months is not None
            and self.min_months > self.max_months
        ):
            raise ValueError("min_months must not exceed max_months")
        return self


class CountParams(Params):
    count: int = Field(ge=1)


class MinParams(Params):
    min: int = Field(ge=0)


class MaxParams(Params):
    max: int = Field(ge=1)


class NotBeforeParams(Params):
    not_before: Day = Field(description="a TOML date or a YYYY-MM-DD string")


class YearsParams(Params):
    years: list[int] = Field(min_length=1)


class Tier(Params):
    rate: Number = Field(ge=0, le=1)
    upto: Number | None = Field(default=None, gt=0)


class TiersParams(Params):
    tiers: list[Tier] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> TiersParams:
        bounds = [t.upto for t in self.tiers]
        if any(b is None for b in bounds[:-1]):
            raise ValueError("only the last tier may omit upto")
        known = [b for b in bounds if b is not None]
        if known != sorted(known) or len(set(known)) != len(known):
            raise ValueError("tiers must rise")
        return self


class DesignatedParams(Params):
    designated: str = Field(min_length=1, description="id of one of the direction's designated")
    all: bool = Field(default=False, description="every partner institution must be it")


class Rename(Params):
    """A body's former name and the name it took (e.g. a group's 公司制改制)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)
    old: str = Field(min_length=1)
    new: str = Field(min_length=1)
    since: Day | None = None
    source: str = Field(min_length=1)


class Suffix(Params):
    """Two endings that name the same kind of body ("集团公司" and "集团有限公司")."""

    old: str = Field(min_length=1)
    new: str = Field(min_length=1)
    source: str = Field(min_length=1)


class SubordinationParams(Params):
    renames: list[Rename] = Field(default_factory=empty_list)
    suffixes: list[Suffix] = Field(default_factory=empty_list)
    _derived: object = PrivateAttr(default=None)  # the rule's lookups, built on first use


class CategoriesParams(Params):
    """Budget category keys of the guide (`form.categories`)."""

    categories: list[str] = Field(min_length=1)


class RolesMaxParams(Params):
    """At most `max` national projects (this one counted) for each person of `roles`."""

    max: int = Field(ge=1)
    roles: list[str] = Field(min_length=1)


class RequiredParams(Params):
    """required_fields: `agreements` are the attachment keys (`form.attachments`) that are a
    signed agreement; where the direction requires one, partner.agreement_signed is needed."""

    agreements: list[str] = Field(default_factory=empty_list)
