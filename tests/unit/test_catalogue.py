"""The catalogue (wizard.catalogue): every text in both languages, the same placeholders in
both, no key the code never asks for, and the model's values all named."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path
from typing import get_args, get_origin

import pytest
from pydantic import BaseModel

from wizard import draft as model
from wizard.catalogue import (
    DYNAMIC_PREFIXES,
    LABELS,
    STRINGS,
    UnknownKey,
    counts_text,
    label,
    status_text,
    t,
)
from wizard.guide import RequirementKind, Severity
from wizard.progress import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_DATA = ROOT / "wizard" / "catalogue" / "strings.py"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages() -> None:
    empty = [key for key, (zh, en) in STRINGS.items() if not zh.strip() or not en.strip()]
    assert not empty


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_placeholders_match_between_languages(key: str) -> None:
    zh, en = STRINGS[key]
    assert placeholders(zh) == placeholders(en), key


def test_every_field_label_has_both_languages_and_help_in_both_or_neither() -> None:
    for pattern, found in LABELS.items():
        assert found.zh.strip() and found.en.strip(), pattern
        assert bool(found.help_zh.strip()) == bool(found.help_en.strip()), pattern


def test_unknown_key_raises() -> None:
    with pytest.raises(UnknownKey, match=r"no\.such\.key"):
        t("no.such.key", "zh")
    with pytest.raises(KeyError):  # UnknownKey is a KeyError
        t("no.such.key", "en", n=1)


def _source_strings() -> tuple[set[str], set[str]]:
    """Every string literal in wizard/ and screens/ (but the catalogue's data) and every
    literal head of an f-string or a `"prefix." + value` concatenation."""
    literals: set[str] = set()
    heads: set[str] = set()
    for folder in ("wizard", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == CATALOGUE_DATA:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    literals.add(node.value)
                elif isinstance(node, ast.JoinedStr) and node.values:
                    first = node.values[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        heads.add(first.value)
                    elif isinstance(first, ast.FormattedValue):
                        heads.add("")  # f"{prefix}.{value}": the prefix is a literal
    return literals, heads


def test_no_key_is_unused_and_every_dynamic_prefix_is_used() -> None:
    literals, heads = _source_strings()
    unused = [
        key for key in STRINGS if key not in literals and not key.startswith(DYNAMIC_PREFIXES)
    ]
    assert not unused, f"keys no code looks up: {unused}"
    stale = [
        prefix
        for prefix in DYNAMIC_PREFIXES
        if prefix not in heads and prefix not in literals and prefix.rstrip(".") not in literals
    ]
    assert not stale, f"dynamic prefixes no code builds a key with: {stale}"
    for prefix in DYNAMIC_PREFIXES:
        assert any(key.startswith(prefix) for key in STRINGS), prefix


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("unit_kind.", get_args(model.UnitKind)),
        ("role.", get_args(model.UnitRole)),
        ("status.", get_args(model.Status)),
        ("leader_title.", get_args(model.LeaderTitle)),
        ("leader_degree.", get_args(model.LeaderDegree)),
        ("severity.", get_args(Severity)),
        ("kind.", get_args(RequirementKind)),
        ("cli.kind.", get_args(RequirementKind)),
        ("section.", SECTIONS),
    ],
)
def test_the_models_values_are_named_exactly(prefix: str, values: tuple[str, ...]) -> None:
    named = {key.removeprefix(prefix) for key in STRINGS if key.startswith(prefix)}
    assert named == set(values)


def test_option_tuples_are_the_literal_types() -> None:
    assert model.UNIT_KINDS == get_args(model.UnitKind)
    assert model.INSTITUTION_KINDS == get_args(model.InstitutionKind)
    assert set(model.INSTITUTION_KINDS) <= set(model.UNIT_KINDS)  # named by unit_kind.*
    assert model.LEADER_TITLES == ("正高级", "副高级", "中级", "初级", "无")
    assert model.STATUSES == ("draft", "ready")


def test_one_status_vocabulary() -> None:
    assert t("status.ready", "zh") == status_text("ready", 0, "zh") == "可提交"
    assert status_text("ready", 0, "en") == "ready"
    assert status_text("ready", 1, "en") == "marked ready, but 1 error remains"
    assert status_text("ready", 2, "zh") == "标记为可提交，但仍有 2 个错误"


def test_the_count_sentence() -> None:
    c = {"error": 1, "warning": 2, "info": 0}
    assert counts_text(c, "zh") == "错误 1，警告 2，提示 0"
    assert counts_text(c, "en") == "1 error, 2 warnings, 0 info"
    assert counts_text(c, "en", sep=" · ") == "1 error · 2 warnings · 0 info"


def test_field_labels_name_list_positions() -> None:
    assert label("units[1].funding", "zh") == "第2家单位 中央财政经费（万元）"
    assert label("partner.institutions[0].name", "en") == "institution 1: Institution name"


def _sections(cls: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, type[BaseModel]]]:
    """Every section of the model under `cls`, with the path prefix of its fields
    (`partner.institutions[].`), found from the fields' types."""
    for name, field in cls.model_fields.items():
        inner, suffix = field.annotation, "."
        if get_origin(inner) is list:
            [inner], suffix = get_args(inner), "[]."
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield f"{prefix}{name}{suffix}", inner
            yield from _sections(inner, f"{prefix}{name}{suffix}")


# The file's bookkeeping (meta) is no field of the forms.
MODEL_SECTIONS = [(prefix, cls) for prefix, cls in _sections(model.Draft) if prefix != "meta."]


def test_the_sections_are_found() -> None:
    assert (
        len(MODEL_SECTIONS) == 13
        and ("partner.institutions[].", model.Institution) in MODEL_SECTIONS
    )


@pytest.mark.parametrize(("prefix", "section"), MODEL_SECTIONS)
def test_every_field_of_the_draft_has_a_label(prefix: str, section: type[BaseModel]) -> None:
    # Fields the applicant never types (recorded when a file is attached) need no label.
    recorded = {"attachments[].key", "attachments[].sha256", "attachments[].size",
                "attachments[].attached"}  # fmt: skip
    missing = [
        f"{prefix}{name}"
        for name in section.model_fields
        if f"{prefix}{name}" not in LABELS and f"{prefix}{name}" not in recorded
    ]
    assert not missing
