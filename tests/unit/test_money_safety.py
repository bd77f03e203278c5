"""Money has a range: extreme amounts are refused at load, and nothing downstream (rules,
every export, the CLI) raises or runs away on a Decimal, whatever the amounts."""

from __future__ import annotations

import contextlib
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import clean_draft
from wizard.cli import main
from wizard.draft import BUDGET_CATEGORIES, H2020, Budget, Draft, Unit
from wizard.export import render_export
from wizard.guide import Guide
from wizard.money import in_range
from wizard.rules import evaluate
from wizard.store import DraftError, parse_draft

EXTREMES = [
    "1e26", "-1e26", "1e999999999", "-1e999999999", "1e-999999999", "-1e-999999999",
    "1e+999999", "9" * 60, "0." + "0" * 40 + "1", "NaN", "-Infinity", "Infinity", "sNaN",
    "999999999.999999", "-999999999.999999", "0", "-0", "0.001", "1E+3",
]  # fmt: skip

amounts = st.one_of(
    st.none(),
    st.sampled_from([Decimal(x) for x in EXTREMES]),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(
        lambda digits, exponent: Decimal(f"{digits}e{exponent}"),
        st.integers(-(10**30), 10**30),
        st.integers(-999_999_999, 999_999_999),
    ),
)


def _extreme_draft(guide: Guide, budget: list[Decimal | None], units: list[Decimal | None],
                   cn_budget: Decimal | None) -> Draft:  # fmt: skip
    """A clean draft with amounts put in by model_construct, past the validation a file or
    the form would get."""
    base = clean_draft(guide, "1.6")
    fields = dict(zip(BUDGET_CATEGORIES, budget, strict=True))
    unit_list = [
        Unit.model_construct(**{**u.__dict__, "funding": units[i], "matching": units[-1 - i]})
        for i, u in enumerate(base.units)
    ]
    return Draft.model_construct(
        **{
            **base.__dict__,
            "budget": Budget.model_construct(**{**base.budget.__dict__, **fields}),
            "units": unit_list,
            "h2020": H2020.model_construct(**{**base.h2020.__dict__, "cn_budget": cn_budget}),
        }
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    budget=st.lists(amounts, min_size=len(BUDGET_CATEGORIES), max_size=len(BUDGET_CATEGORIES)),
    units=st.lists(amounts, min_size=4, max_size=4),
    cn_budget=amounts,
)
def test_rules_and_every_export_survive_extreme_amounts(
    guide: Guide, budget: list[Decimal | None], units: list[Decimal | None], cn_budget: Decimal
) -> None:
    draft = _extreme_draft(guide, budget, units, cn_budget)
    started = time.monotonic()
    violations = evaluate(draft, guide)
    flagged = {v.path for v in violations if v.rule == "gen-money-format"}
    for category, value in zip(BUDGET_CATEGORIES, budget, strict=True):
        if value is not None and not in_range(value):
            assert f"budget.{category}" in flagged  # reported, not hidden
    for fmt in ("md", "html", "json"):
        for lang in ("zh", "en"):
            text = render_export(draft, guide, fmt, lang)
            assert len(text) < 2_000_000  # nothing expanded to its digits
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1e26", "exponent"),
        ("1e999999999", "exponent"),
        ("-1e999999999", "exponent"),
        ("1e-999999999", "out of range"),
        ("1000000000", "out of range"),
        ("-1000000000.5", "out of range"),
        ("0.0000001", "out of range"),
        ("1.5e2", "exponent"),
        ("99999999999999999999999999999999", "out of range"),
    ],
)
@pytest.mark.parametrize("field", ["budget.equipment", "units.funding", "h2020.cn_budget"])
def test_amounts_out_of_range_are_refused_at_load_with_line_and_field(
    guide: Guide, value: str, problem: str, field: str
) -> None:
    table, key = field.split(".")
    header = "[[units]]" if table == "units" else f"[{table}]"
    text = f'schema_version = 1\ndirection = "1.6"\n\n{header}\nname = "x"\n{key} = {value}\n'
    if table != "units":
        text = text.replace('name = "x"\n', "")
    with pytest.raises(DraftError) as info:
        parse_draft(text, "x.toml", guide)
    message = str(info.value)
    shown = field.replace("units.", "units[0].")
    assert message.startswith("x.toml: line ") and f"field {shown}" in message, message
    assert problem in message and len(message) < 300


def test_amounts_in_range_still_load(guide: Guide) -> None:
    text = (
        'schema_version = 1\ndirection = "1.6"\n[budget]\nequipment = 999999999.999999\n'
        "materials = -1.234\ntesting = 150e-2\nlabour = 12\n"
    )
    budget = parse_draft(text, "x.toml", guide).budget
    assert budget.equipment == Decimal("999999999.999999") and budget.testing == Decimal("1.50")


CLI_COMMANDS = [["check"], ["check", "--json"], ["export", "--to", "md"],
                ["export", "--to", "html"], ["export", "--to", "json"]]  # fmt: skip


@pytest.mark.parametrize("value", ["1e26", "1e999999999", "1e-999999999"])
@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_cli_answers_extreme_amounts_at_once_with_one_line(
    guide: Guide, tmp_path: Path, value: str, command: list[str]
) -> None:
    path = tmp_path / "x.toml"
    path.write_text(f'schema_version = 1\ndirection = "1.6"\n[budget]\nequipment = {value}\n')
    args = [command[0], str(path), *command[1:]]
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert time.monotonic() - started < 2
    assert code == 2, (out.getvalue(), err.getvalue())
    shown = out.getvalue() + err.getvalue()
    assert "budget.equipment" in shown and "line 4" in shown and "internal error" not in shown


def test_form_refuses_an_amount_out_of_range(guide: Guide) -> None:
    """The model refuses on assignment too, which the form shows as an input error."""
    draft = clean_draft(guide, "1.6")
    for value in ("1e26", "1e-999999999", "1E+3"):
        with pytest.raises(ValueError):
            draft.budget.equipment = Decimal(value)
    assert draft.budget.equipment is None or draft.budget.equipment.is_finite()
