"""wizard.names: the folding every name comparison uses, and whole-name / sub-unit matching."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.guide import Guide
from wizard.names import NameSet, countries, fold, is_part_of, key, same_name, variants

# Names as applicants type them: Latin with accents, CJK (simplified and traditional),
# Cyrillic, full-width forms, brackets and punctuation of both widths.
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éüñçöåäáíóúÉÜ")
    + list("中国科学院大学研究所乌拉圭共和國大學學會與和及部工业創新澳大利亞奧地利聯邦教育")
    + list("МинобрнаукиРоссийФедерацияй")
    + list("ＡＢＣａｂｃ０１２（）()[]【】《》,，、.。:：;；-–—&＆'’\"“”/")
)
names = st.text(_ALPHABET, max_size=40)
ascii_names = st.text(
    st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ")), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(names)
def test_folding_is_idempotent(name: str) -> None:
    assert fold(fold(name)) == fold(name)
    assert key(key(name)) == key(name)
    assert key(fold(name)) == key(name)


@settings(max_examples=300, deadline=None)
@given(names)
def test_key_has_only_letters_and_digits(name: str) -> None:
    k = key(name)
    assert all(ch.isalnum() for ch in k)
    assert k == k.casefold()


@settings(max_examples=200, deadline=None)
@given(ascii_names)
def test_case_and_width_do_not_matter(name: str) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)
    assert key(name.upper()) == key(name.lower()) == key(wide)


@settings(max_examples=200, deadline=None)
@given(ascii_names, st.sampled_from(["\u0301", "\u0308", "\u0303", "\u0327"]))
def test_accents_do_not_matter(name: str, mark: str) -> None:
    accented = unicodedata.normalize("NFC", "".join(c + mark if c.isalpha() else c for c in name))
    assert key(accented) == key(name)


@settings(max_examples=200, deadline=None)
@given(
    ascii_names,
    st.sampled_from(["()", "（）", "[]", "【】"]),
    st.sampled_from([",", "，", "、", ";", "-"]),
)
def test_brackets_and_punctuation_do_not_matter(name: str, brackets: str, mark: str) -> None:
    assert key(f"{brackets[0]}{name}{brackets[1]}{mark}") == key(name)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("烏拉圭共和國大學", "乌拉圭共和国大学"),
        ("奧地利聯邦教育、科學與研究部", "奥地利联邦教育、科学和研究部"),
        ("Universidad de la Republica", "Universidad de la República"),
        ("ＵｄｅｌａＲ", "UdelaR"),
        (
            "The Department of Industry, Innovation and Science",
            "Department of Industry, Innovation and Science",
        ),
        ("Research & Development Center", "Research and Development Center"),
        ("中国科学院大学(北京)", "中国科学院大学（北京）"),
    ],
)
def test_reviewer_reads_these_as_the_same_name(a: str, b: str) -> None:
    assert key(a) == key(b)
    assert same_name(a, b)


def test_bracketed_alternative_is_the_same_body() -> None:
    assert same_name("清华大学（Tsinghua University）", "Tsinghua University")
    assert same_name("Tsinghua University", "清华大学 (Tsinghua University)")
    assert variants("Federal Ministry (BMBWF)") == (
        "federalministrybmbwf",
        "federalministry",
        "bmbwf",
    )
    assert not same_name("清华大学", "北京大学")


def test_a_bracketed_qualifier_tells_bodies_apart() -> None:
    # Two universities; a place in brackets is not another name of the body.
    assert not same_name("中国石油大学（北京）", "中国石油大学（华东）")
    assert not same_name(
        "China University of Petroleum (Beijing)", "China University of Petroleum (East China)"
    )
    assert not same_name("清华大学（北京）", "北京")
    assert same_name("中国石油大学(北京)", "中国石油大学（北京）")


def test_whole_names_not_substrings() -> None:
    riken = NameSet(["RIKEN", "理化学研究所", "日本理化学研究所"])
    for name in (
        "RIKEN",
        "ＲＩＫＥＮ",
        "理化學研究所",
        "RIKEN (Japan)",
        "RIKEN Center for Biosystems Dynamics Research",
        "RIKEN, Nishina Center",
        "理化学研究所生命功能科学研究中心",
    ):
        assert is_part_of(name, riken), name
    for name in (
        "RIKEN Keiki Co., Ltd.",
        "Riken Vitamin Co Ltd",
        "University of Tokyo RIKEN Office",
        "University of Tokyo, RIKEN",
        "日本理研株式会社",
        "Tokyo RIKEN Laboratory",
    ):
        assert not is_part_of(name, riken), name


def test_countries_by_any_name() -> None:
    table = countries()
    for name, code in [
        ("澳大利亞", "AU"),
        ("ＡＵＳＴＲＡＬＩＡ", "AU"),
        ("Österreich", "AT"),
        ("Россия", "RU"),
        ("The Philippines", "PH"),
        ("欧盟", "EU"),
        ("Norway", "NO"),
    ]:
        assert table.code_of(name) == code, name
    assert table.code_of("Atlantis") is None


def test_every_direction_country_is_known(guide: Guide) -> None:
    table = countries()
    for d in guide.directions:
        assert d.countries, d.code
        assert all(c in table.by_code for c in d.countries), d.code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_folding_any_text_is_idempotent(name: str) -> None:
    assert fold(fold(name)) == fold(name)
    assert key(key(name)) == key(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[countries]]\ncode = 'AU'\nzh = '澳'\nen = 'A'", "needs 'source'"),
        ("source = 's'\n[[countries]]\ncode = 'au'\nzh = '澳'\nen = 'A'", "countries[0].code"),
        (
            "source = 's'\n[[countries]]\ncode = 'AU'\nzh = '澳'\nen = 'A'\nname = []",
            "unknown key 'name'",
        ),
        ("source = 's'\n[[countries]]\ncode = 'AU'\nzh = '澳'", "missing en"),
        (
            "source = 's'\n[[countries]]\ncode = 'AU'\nzh = '澳'\nen = 'A'\nnames = [1]",
            "names: must be a list",
        ),
    ],
)
def test_bad_countries_file_is_one_line(text: str, expected: str) -> None:
    from wizard.names import CountriesError, parse_countries

    with pytest.raises(CountriesError) as caught:
        parse_countries(text, "countries.toml")
    assert expected in str(caught.value) and "\n" not in str(caught.value)
