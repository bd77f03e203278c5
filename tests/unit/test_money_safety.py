"""Money has a range: extreme amounts are refused at load, and nothing downstream (rules,
every export, the CLI) raises or runs away on a Decimal, whatever the amounts."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import clean_draft
from wizard.draft import H2020, BudgetLine, Draft, Task, Unit
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


def _categories(guide: Guide) -> list[str]:
    return [c.key for c in guide.form.categories]


def _extreme_draft(guide: Guide, budget: list[Decimal | None], units: list[Decimal | None],
                   cn_budget: Decimal | None) -> Draft:  # fmt: skip
    """A clean draft with amounts put in by model_construct, past the validation a file or
    the form would get: `budget` as 课题 1's central amounts by category and, reversed, as
    课题 2's own funds."""
    base = clean_draft(guide, "1.6")
    keys = _categories(guide)
    tasks = list(base.tasks)
    for t, source, values in ((0, "central", budget), (1, "own", budget[::-1])):
        lines = {
            k: BudgetLine.model_construct(**{**BudgetLine().__dict__, source: v})
            for k, v in zip(keys, values, strict=True)
        }
        tasks[t] = Task.model_construct(**{**base.tasks[t].__dict__, "budget": lines})
    unit_list = [
        Unit.model_construct(**{**u.__dict__, "funding": units[i], "matching": units[-1 - i]})
        for i, u in enumerate(base.units)
    ]
    return Draft.model_construct(
        **{
            **base.__dict__,
            "tasks": tasks,
            "units": unit_list,
            "h2020": H2020.model_construct(**{**base.h2020.__dict__, "cn_budget": cn_budget}),
        }
    )


N_CATEGORIES = 11  # the 2020 form; checked below against the guide


def test_the_strategy_fits_the_guide(guide: Guide) -> None:
    assert len(_categories(guide)) == N_CATEGORIES


ExtremeTest = Callable[[Guide, Draft, list[Decimal | None]], None]


def extreme_cases(examples: int) -> Callable[[ExtremeTest], Callable[..., None]]:
    """Run the test on `examples` drafts with extreme amounts (`_extreme_draft`), given the
    guide, the draft and the amounts of 课题 1 by category (`budget`)."""

    def wrap(test: ExtremeTest) -> Callable[..., None]:
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )
        @given(
            budget=st.lists(amounts, min_size=N_CATEGORIES, max_size=N_CATEGORIES),
            units=st.lists(amounts, min_size=4, max_size=4),
            cn_budget=amounts,
        )
        def run(
            guide: Guide,
            budget: list[Decimal | None],
            units: list[Decimal | None],
            cn_budget: Decimal | None,
        ) -> None:
            test(guide, _extreme_draft(guide, budget, units, cn_budget), budget)

        run.__name__, run.__doc__ = test.__name__, test.__doc__
        return run

    return wrap


@extreme_cases(examples=150)
def test_rules_survive_extreme_amounts(
    guide: Guide, draft: Draft, budget: list[Decimal | None]
) -> None:
    started = time.monotonic()
    violations = evaluate(draft, guide)
    flagged = {v.path for v in violations if v.rule == "gen-money-format"}
    for category, value in zip(_categories(guide), budget, strict=True):
        if value is not None and not in_range(value):
            assert f"tasks[0].budget.{category}.central" in flagged  # reported, not hidden
    for category, value in zip(_categories(guide), budget[::-1], strict=True):
        if value is not None and not in_range(value):
            assert f"tasks[1].budget.{category}.own" in flagged
    for v in violations:  # every message renders, nothing expanded to its digits
        assert len(v.message_zh) < 2000 and len(v.message_en) < 2000
    assert time.monotonic() - started < 5


@extreme_cases(examples=50)
def test_every_export_survives_extreme_amounts(
    guide: Guide, draft: Draft, budget: list[Decimal | None]
) -> None:
    from wizard.export import render_export

    started = time.monotonic()
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
@pytest.mark.parametrize("field", ["tasks.budget", "units.funding", "h2020.cn_budget"])
def test_amounts_out_of_range_are_refused_at_load_with_line_and_field(
    guide: Guide, value: str, problem: str, field: str
) -> None:
    key = guide.form.categories[0].key
    head = 'schema_version = 2\ndirection = "1.6"\n\n'
    if field == "tasks.budget":
        text = f'{head}[[tasks]]\nname = "x"\n\n[tasks.budget.{key}]\ncentral = {value}\n'
        shown, line = f"tasks[0].budget.{key}.central", 8
    elif field == "units.funding":
        text = f'{head}[[units]]\nname = "x"\nfunding = {value}\n'
        shown, line = "units[0].funding", 6
    else:
        text = f"{head}[h2020]\ncn_budget = {value}\n"
        shown, line = "h2020.cn_budget", 5
    with pytest.raises(DraftError) as info:
        parse_draft(text, "x.toml", guide)
    message = str(info.value)
    assert message.startswith(f"x.toml: line {line}, ") and f"field {shown}" in message, message
    assert problem in message and len(message) < 300


def test_a_v1_amount_out_of_range_is_refused_by_its_v1_key_and_line(guide: Guide) -> None:
    """A v1 file is upgraded before it is validated; the problem is still named by the key
    and line the file has (wizard.migrate.v1_path)."""
    text = 'schema_version = 1\ndirection = "1.6"\n[budget]\nequipment = 1e26\n'
    with pytest.raises(DraftError) as info:
        parse_draft(text, "x.toml", guide)
    message = str(info.value)
    assert message.startswith("x.toml: line 4, field budget.equipment:"), message
    assert "exponent" in message and len(message) < 300


@pytest.mark.parametrize(
    ("value", "problem"),
    [("1e26", "exponent"), ("1e-999999999", "out of range"), ("1000000000", "out of range")],
)
@pytest.mark.parametrize("source", ["central", "local", "own", "other"])
def test_v2_budget_amounts_out_of_range_are_refused_with_line_and_field(
    guide: Guide, value: str, problem: str, source: str
) -> None:
    key = guide.form.categories[2].key
    text = (
        f'schema_version = 2\ndirection = "1.6"\n\n[[tasks]]\nname = "x"\n\n'
        f"[tasks.budget.{key}]\n{source} = {value}\n"
    )
    with pytest.raises(DraftError) as info:
        parse_draft(text, "x.toml", guide)
    message = str(info.value)
    assert message.startswith("x.toml: line 8") and f"field tasks[0].budget.{key}.{source}" in (
        message
    ), message
    assert problem in message and len(message) < 300


def test_amounts_in_range_still_load(guide: Guide) -> None:
    text = (
        'schema_version = 1\ndirection = "1.6"\n[budget]\nequipment = 999999999.999999\n'
        "materials = -1.234\ntesting = 150e-2\nlabour = 12\n"
    )
    # A v1 file, upgraded on load: its budget is 课题 1's central column.
    task = parse_draft(text, "x.toml", guide).tasks[0]
    [purchase] = guide.form.purchase_keys
    assert task.amount(purchase, "central") == Decimal("999999999.999999")
    assert task.amount("testing", "central") == Decimal("1.50")


CLI_COMMANDS = [["check"], ["check", "--json"], ["export", "--to", "md"],
                ["export", "--to", "html"], ["export", "--to", "json"]]  # fmt: skip


@pytest.mark.parametrize("value", ["1e26", "1e999999999", "1e-999999999"])
@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_cli_answers_extreme_amounts_at_once_with_one_line(
    guide: Guide, tmp_path: Path, value: str, command: list[str]
) -> None:
    from wizard.cli import main

    key = guide.form.categories[0].key
    path = tmp_path / "x.toml"
    path.write_text(
        f'schema_version = 2\ndirection = "1.6"\n\n[[tasks]]\nname = "x"\n\n'
        f"[tasks.budget.{key}]\ncentral = {value}\n"
    )
    args = [command[0], str(path), *command[1:]]
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    assert time.monotonic() - started < 2
    assert code == 2, (out.getvalue(), err.getvalue())
    shown = out.getvalue() + err.getvalue()
    assert f"tasks[0].budget.{key}.central" in shown and "line 8" in shown
    assert "internal error" not in shown


def test_form_refuses_an_amount_out_of_range(guide: Guide) -> None:
    """The model refuses on assignment too, which the form shows as an input error."""
    draft = clean_draft(guide, "1.6")
    line = draft.tasks[0].budget[guide.form.categories[0].key]
    for value in ("1e26", "1e-999999999", "1E+3"):
        for source in ("central", "local", "own", "other"):
            with pytest.raises(ValueError):
                setattr(line, source, Decimal(value))
    assert line.central is None or line.central.is_finite()
