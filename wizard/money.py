"""Money in 万元: one range and one way to write an amount, for the screens, the CLI, the
rule messages and the exports.

Amounts are `Decimal` end to end. No real budget of this call comes near `MONEY_LIMIT`
(the largest direction's total is a few thousand 万元); anything at or beyond it, or with more
than `MAX_DECIMALS` decimal places, is a typing or file error, not an amount. Keeping every
amount inside that box also keeps every Decimal operation on it cheap and exception-free.
"""

from __future__ import annotations

import decimal
from contextlib import AbstractContextManager
from decimal import Decimal

MONEY_LIMIT = Decimal("1e9")  # 万元, exclusive, in both directions
MAX_DECIMALS = 6  # 0.000001 万元 = 0.01 元
CENT = Decimal("0.01")


def in_range(value: Decimal) -> bool:
    """A finite amount with |value| < MONEY_LIMIT and at most MAX_DECIMALS decimals."""
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < -MAX_DECIMALS:
        return False
    # Compare by adjusted exponent first: never materialise a huge coefficient.
    if value.adjusted() >= MONEY_LIMIT.adjusted() + 1:
        return False
    return abs(value) < MONEY_LIMIT


# Arithmetic on amounts that did not come through the draft's validation (a model built in
# code) must neither raise nor run away: no traps (an impossible result is NaN or
# Infinity, not an exception), and the widest exponent range (1e999999999 + 1 is not an
# Overflow). Precision stays 28 digits, far beyond any in-range sum.
_SAFE = decimal.Context(prec=28, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[], flags=[])


def safe_decimals() -> AbstractContextManager[decimal.Context]:
    """`with safe_decimals():` around rule evaluation and exports (thread-local)."""
    return decimal.localcontext(_SAFE)


def format_money(value: Decimal, *, grouping: bool = True) -> str:
    """An amount as it is shown everywhere: two decimals (more only when the amount has
    them, since rounding would hide an over-precise entry), thousands grouped by default.

    Values outside `in_range` are shown in short scientific notation, never expanded.
    """
    if not in_range(value):
        return format(value, ".3E") if value.is_finite() else str(value)
    # An amount with more decimals keeps exactly the digits it has (1.005, not 1.00).
    shown = value.quantize(CENT) if value == value.quantize(CENT) else value.normalize()
    return f"{shown:,f}" if grouping else f"{shown:f}"


def format_ratio(part: Decimal, whole: Decimal) -> str:
    """`part` as a whole percentage of a non-zero `whole` (`150%`), as the enterprises form
    and the exports show a unit's matching against its funding."""
    return f"{(part / whole * 100).quantize(Decimal(1))}%"
