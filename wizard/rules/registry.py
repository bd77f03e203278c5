"""Rule functions by the names the guide data uses in `rule = "..."`, each with the pydantic
model of its `params` (a rule without parameters takes none: any key is refused)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from wizard.rules.model import RuleFunction


class NoParams(BaseModel):
    """The parameters of a rule that takes none."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


RULES: dict[str, RuleFunction] = {}
PARAMS: dict[str, type[BaseModel]] = {}


def rule(name: str, params: type[BaseModel] = NoParams) -> Callable[[RuleFunction], RuleFunction]:
    def register(function: RuleFunction) -> RuleFunction:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = function
        PARAMS[name] = params
        return function

    return register
