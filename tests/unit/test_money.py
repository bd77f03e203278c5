"""One money format and one money range for every output."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.money import MONEY_LIMIT, format_money, in_range


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0", "0.00"),
        ("300", "300.00"),
        ("300.0", "300.00"),
        ("2562.845", "2,562.845"),
        ("1234567.5", "1,234,567.50"),
        ("-10", "-10.00"),
        ("5E+2", "500.00"),
    ],
)
def test_two_decimals_grouped_extra_digits_kept(value: str, shown: str) -> None:
    assert format_money(Decimal(value)) == shown


def test_without_grouping() -> None:
    assert format_money(Decimal("1234.5"), grouping=False) == "1234.50"


@pytest.mark.parametrize("value", ["1e9", "-1e9", "1e26", "1e999999999", "1e-999999999", "1e-7"])
def test_out_of_range_is_refused_and_never_expanded(value: str) -> None:
    assert not in_range(Decimal(value))
    assert len(format_money(Decimal(value))) < 20


def test_nan_and_infinity_are_out_of_range() -> None:
    assert not in_range(Decimal("NaN"))
    assert not in_range(Decimal("Infinity"))


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_format_never_raises_and_stays_short(value: Decimal) -> None:
    text = format_money(value)
    assert len(text) < 40
    if in_range(value):
        assert abs(value) < MONEY_LIMIT
