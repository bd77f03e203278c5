"""Reading typed money, whole numbers and dates (wizard/entry.py): exactly, or not at all."""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel

from wizard.draft import Draft
from wizard.entry import ENTRY_KINDS, EntryError, chinese_int, kind_of, read_entry


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("40", "40"),
        (" 40 ", "40"),
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1,234,567.25", "1234567.25"),
        ("-5", "-5"),
        ("0.000001", "0.000001"),
        ("40万", "40"),
        ("40 万元", "40"),
        ("40万元整", "40"),
        ("１２３．５", "123.5"),
        ("１，２３４", "1234"),
        ("四十", "40"),
        ("二百五十万", "250"),
        ("四十万元整", "40"),
        ("一千零五", "1005"),
        ("两百", "200"),
        ("十五", "15"),
    ],
)
def test_money_read(text: str, value: str) -> None:
    read = read_entry(text, "money")
    assert read == Decimal(value) and isinstance(read, Decimal)


@pytest.mark.parametrize(
    "text",
    [
        "12,5",  # not groups of three: never 125
        "1,2345",
        ",123",
        "1e3",
        "1e26",
        "NaN",
        "inf",
        "Infinity",
        "40元",
        "1亿",
        "约40",
        "四十多",
        "二百五",  # colloquial 250
        "一百十五",
        "一万二千",
        "万元",
        ".5",
        "5.",
        "12,x",
        "四十点五",
    ],
)
def test_money_unreadable(text: str) -> None:
    with pytest.raises(EntryError) as exc:
        read_entry(text, "money")
    assert exc.value.kind == "money"


@pytest.mark.parametrize("text", ["1000000000", "-1000000000", "0.0000001", "9" * 40])
def test_money_out_of_range(text: str) -> None:
    with pytest.raises(EntryError) as exc:
        read_entry(text, "money")
    assert exc.value.reason == "range"


@pytest.mark.parametrize("kind", ["money", "int", "date"])
@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty_is_none(kind: str, text: str) -> None:
    assert read_entry(text, kind) is None


@pytest.mark.parametrize(
    ("text", "value"), [("36", 36), ("1,200", 1200), ("３６", 36), ("三十六", 36), ("0", 0)]
)
def test_int_read(text: str, value: int) -> None:
    assert read_entry(text, "int") == value


@pytest.mark.parametrize("text", ["3.5", "-1", "36个月", "12,5", "1e3", "三十六个月"])
def test_int_unreadable(text: str) -> None:
    with pytest.raises(EntryError):
        read_entry(text, "int")


@pytest.mark.parametrize(
    "text",
    [
        "1978-03-02",
        "1978-3-2",
        "1978/3/2",
        "1978.3.2",
        "1978年3月2日",
        "1978 年 3 月 2 日",
        "19780302",
        "１９７８／３／２",
    ],
)
def test_date_read(text: str) -> None:
    assert read_entry(text, "date") == date(1978, 3, 2)


@pytest.mark.parametrize(
    "text",
    ["78/3/2", "3/2/1978", "1978-3/2", "1978年3月2", "1978/02/30", "197832", "March 2, 1978"],
)
def test_date_unreadable(text: str) -> None:
    with pytest.raises(EntryError):
        read_entry(text, "date")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("一十", 10),
        ("二十五", 25),
        ("一百一十五", 115),
        ("一千零五十", 1050),
        ("一千零一十", 1010),
        ("一千五百", 1500),
        ("两千", 2000),
        ("九千九百九十九", 9999),
        ("三〇", None),
        ("零", None),
        ("一千五十", None),
        ("一千零五百", None),
        ("一百五", None),
        ("两", None),
        ("两十", None),
        ("十十", None),
        ("五五", None),
        ("一百零", None),
        ("", None),
    ],
)
def test_chinese_numerals_standard_form_only(text: str, value: int | None) -> None:
    assert chinese_int(text) == value


def test_kind_of_concrete_paths() -> None:
    assert kind_of("units[3].funding") == "money"
    assert kind_of("tasks[2].budget.materials.central") == "money"
    assert kind_of("tasks[0].budget.any_guide_key.own") == "money"  # keys are guide data
    assert kind_of("tasks[0].budget.materials.basis") is None
    assert kind_of("team[4].birth_date") == "date"
    assert kind_of("project.months") == "int"
    assert kind_of("project.title") is None


def _typed_fields(model: type[BaseModel], prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        args = typing.get_args(annotation)
        inner = [a for a in args if a is not type(None)] if args else [annotation]
        base = inner[0] if inner else annotation
        base = typing.get_args(base)[0] if typing.get_origin(base) is typing.Annotated else base
        if typing.get_origin(annotation) is list:
            (item,) = args
            if isinstance(item, type) and issubclass(item, BaseModel):
                out |= _typed_fields(item, f"{prefix}{name}[].")
            continue
        if isinstance(base, type) and issubclass(base, BaseModel):
            out |= _typed_fields(base, f"{prefix}{name}.")
        elif base is Decimal:
            out[prefix + name] = "money"
        elif base is int and name != "schema_version":
            out[prefix + name] = "int"
        elif base is date:
            out[prefix + name] = "date"
    return out


def test_entry_kinds_cover_the_model() -> None:
    assert _typed_fields(Draft, "") == ENTRY_KINDS


def test_unparsed_paths_follow_a_removed_list_entry() -> None:
    from wizard.entry import unparsed_after_removal

    unparsed = {
        "units[0].funding": "a",
        "units[1].funding": "b",
        "units[2].registered": "c",
        "partner.institutions[1].name": "x",
        "budget.materials": "m",
    }
    assert unparsed_after_removal(unparsed, "units", 1) == {
        "units[0].funding": "a",
        "units[1].registered": "c",
        "partner.institutions[1].name": "x",
        "budget.materials": "m",
    }
