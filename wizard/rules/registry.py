"""Rule functions by the names the guide data uses in `rule = "..."`."""

from __future__ import annotations

from collections.abc import Callable

from wizard.rules.model import RuleFunction

RULES: dict[str, RuleFunction] = {}


def rule(name: str) -> Callable[[RuleFunction], RuleFunction]:
    def register(function: RuleFunction) -> RuleFunction:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = function
        return function

    return register
