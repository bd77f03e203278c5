"""Names as a reviewer reads them: one folding and one way to compare, for every rule.

A reviewer takes "ＢＭＢＷＦ", "The Federal Ministry of Education, Science and Research (BMBWF)",
"奧地利聯邦教育、科學與研究部" and "Universidad de la Republica" for the names they are; a
tool that compares strings does not. `key()` folds a name to what such a reviewer compares:

- Unicode NFKC (full-width letters and digits, compatibility forms);
- traditional → simplified Chinese (OpenCC's t2s tables, opencc-python-reimplemented);
- case folding, and accents dropped (é → e, ü → u, й → и);
- brackets of every width and punctuation dropped, and 与/及/& read as 和/and;
- a leading article (the, la, el, der, …) dropped.

Whole names are compared, never substrings: "RIKEN Keiki Co., Ltd." is not RIKEN. A name may
carry alternatives in brackets ("清华大学（Tsinghua University）"); `variants()` gives them.
Sub-units (a RIKEN centre, a university's school) are recognised by `is_part_of()`.

Country names (the partner-country check) come from data/countries.toml.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

COUNTRIES_FILE_NAME = "countries.toml"


@lru_cache(maxsize=1)
def _t2s() -> Any:
    """OpenCC's traditional → simplified converter, loaded on first use (≈ 35 ms with its
    import: not paid by a start-up that never meets a traditional character)."""
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_chars() -> frozenset[str]:
    """The traditional characters of the t2s tables: text with none of them converts to
    itself (but for two phrase entries that read 沈 as 沉, 沈船 and 沈默, which names need
    not follow), so most (simplified) names skip the converter (≈ 70 µs a name)."""
    spec = importlib.util.find_spec("opencc")  # its tables, without importing it
    assert spec is not None and spec.origin is not None, "opencc-python-reimplemented"
    folder = Path(spec.origin).parent / "dictionary"
    chars: set[str] = set()
    for name in ("TSCharacters.txt",):
        for line in (folder / name).read_text("utf-8").splitlines():
            source, _, targets = line.partition("\t")
            if source and targets.split() != [source]:
                chars.update(source)
    return frozenset(chars)


# Opening and closing brackets of every width and kind, and what separates the parts of a
# name; all become one of "(", ")" or " " before the name is compared.
_OPEN = "([{（［｛【〔〖〘〚《〈「『<"
_CLOSE = ")]}）］｝】〕〗〙〛》〉」』>"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN, "("), **dict.fromkeys(_CLOSE, ")")})
_CONJUNCTIONS = str.maketrans({"与": "和", "及": "和", "&": " and ", "＆": " and "})
_ARTICLES = frozenset({"the", "la", "el", "los", "las", "le", "les", "der", "die", "das"})
_WORD = re.compile(r"[^\W_]+")
_BRACKETED = re.compile(r"\(([^()]*)\)")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not _t2s_chars().isdisjoint(text):
        text = str(_t2s().convert(text))
    text = _strip_accents(text.casefold())
    return unicodedata.normalize("NFKC", text).translate(_BRACKETS).translate(_CONJUNCTIONS)


@lru_cache(maxsize=8192)  # evaluate() runs on every keystroke; names rarely change
def fold(text: str) -> str:
    """`text` folded for comparison, brackets kept as "(" and ")", words space-separated."""
    folded = _fold_once(text)
    for _ in range(4):  # NFKC, t2s and case folding do not always settle in one pass
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    out: list[str] = []
    for piece in re.split(r"([()])", folded):
        if piece in ("(", ")"):
            out.append(piece)
        else:
            words = _WORD.findall(piece)
            if words:
                out.append(" ".join(words))
    return " ".join(out).replace("( ", "(").replace(" )", ")")


def _key_of_folded(folded: str) -> str:
    words = _WORD.findall(folded)
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(words)


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """What two names must share to be the same name: letters and digits of `fold(text)`,
    without a leading article. Empty for a name with no letters or digits."""
    return _key_of_folded(fold(text))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _alternative(part: str, outside: str) -> bool:
    """Whether a bracketed part is another name of what stands outside ("清华大学（Tsinghua
    University）", "Federal Ministry … (BMBWF)") rather than a qualifier that tells two
    bodies apart ("中国石油大学（北京）" and "中国石油大学（华东）" are two universities)."""
    if any(map(_is_cjk, part)) != any(map(_is_cjk, outside)):
        return True  # the name in another script
    raw = unicodedata.normalize("NFKC", part).strip()
    return " " not in raw and sum(c.isupper() for c in raw) >= 2  # an abbreviation


@lru_cache(maxsize=8192)
def variants(text: str) -> tuple[str, ...]:
    """The keys `text` stands for: the whole name; and where its brackets hold other names
    of it (another script, an abbreviation), the name outside them and each of those names.
    A qualifier in brackets ("（北京）") stays part of the name."""
    normal = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    outside_raw = re.sub(r"\([^()]*\)", " ", normal)
    parts = re.findall(r"\(([^()]*)\)", normal)
    alternatives = [p for p in parts if _alternative(p, outside_raw)]
    qualifiers = [p for p in parts if p not in alternatives]
    core = outside_raw + "".join(f"({q})" for q in qualifiers)
    out: list[str] = []
    for candidate in (text, core, *alternatives):
        k = key(candidate)
        if k and k not in out:
            out.append(k)
    return tuple(out)


def split_brackets(text: str) -> tuple[str, tuple[str, ...]]:
    """(key of the name outside brackets, keys of the bracketed parts)."""
    folded = fold(text)
    outside = _key_of_folded(_BRACKETED.sub(" ", folded))
    inside = tuple(k for k in (_key_of_folded(p) for p in _BRACKETED.findall(folded)) if k)
    return outside, inside


def same_name(a: str, b: str) -> bool:
    """Whether `a` and `b` name the same body: equal keys, or one's bracketed alternative is
    the other's name ("清华大学（Tsinghua University）" and "Tsinghua University")."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    return bool(set(variants(a)) & set(variants(b)))


def variant_index(names: Iterable[str]) -> dict[str, int]:
    """Each variant (see `variants`) of each name, to the position of the first name that has
    it: `same_name(x, names[i])` for some i iff a variant of x is in it (one lookup per
    variant instead of a comparison per name)."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        for v in variants(name):
            index.setdefault(v, i)
    return index


def find_in(index: dict[str, int], name: str) -> int | None:
    """The position `variant_index` gives for `name`, or None."""
    for v in variants(name):
        found = index.get(v)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=4096)
def name_set(name: str) -> NameSet:
    """The NameSet of one name (cached: rules ask for the same names on every keystroke)."""
    return NameSet((name,))


class NameSet:
    """Names of one body, compared by key. Build once (from the guide), ask often."""

    __slots__ = ("keys",)

    def __init__(self, names: Iterable[str]) -> None:
        self.keys = frozenset(k for k in (key(n) for n in names) if k)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and key(name) in self.keys

    def any_variant(self, name: str) -> bool:
        return any(v in self.keys for v in variants(name))


# --- sub-units -------------------------------------------------------------------------------

# Words that make a name a part of an organisation (a centre, a laboratory, a school), as
# opposed to a separate body (a company) that happens to share a word with it.
_UNIT_WORDS = (
    "center",
    "centre",
    "laboratory",
    "lab",
    "division",
    "department",
    "institute",
    "school",
    "faculty",
    "cluster",
    "program",
    "programme",
    "team",
    "unit",
    "office",
    "branch",
    "campus",
    "facultad",
    "instituto",
    "departamento",
    "centro",
    "laboratorio",
    "中心",
    "实验室",
    "研究室",
    "研究所",
    "研究院",
    "学院",
    "学部",
    "分所",
    "分院",
    "校区",
    "センター",
)
_COMPANY_WORDS = (
    "co",
    "ltd",
    "inc",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "llc",
    "plc",
    "kk",
    "株式会社",
    "有限公司",
    "公司",
    "集团",
    "会社",
)
_UNIT_RE = re.compile("|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True)))


def _looks_like_company(folded: str) -> bool:
    words = set(_WORD.findall(folded))
    joined = "".join(_WORD.findall(folded))
    return bool(words & set(_COMPANY_WORDS)) or any(
        w in joined for w in _COMPANY_WORDS if not w.isascii()
    )


def _is_sub_unit_phrase(folded_rest: str) -> bool:
    return bool(_UNIT_RE.search(folded_rest)) and not _looks_like_company(folded_rest)


_PART_SEPARATORS = re.compile(r"[()]|[,，;；/／|]| [-–—] ")
_LINKS = ("ofthe", "of", "dela", "del", "de", "der", "des", "at", "in")


def _unit_of(k: str, body: frozenset[str], sub_units: frozenset[str]) -> bool | None:
    """For one part's key: True if it is the body or a unit of it, False if it names the
    body with something else, None if it does not name the body."""
    if k in body or k in sub_units:
        return True
    for b in body:
        if len(k) <= len(b):
            continue
        if k.startswith(b):  # "RIKEN Center for …", "理化学研究所…中心"
            rest = k[len(b) :]
            return rest in sub_units or _is_sub_unit_phrase(rest)
        if k.endswith(b):  # "Facultad de Química de la Universidad de la República"
            rest = k[: -len(b)]
            for link in _LINKS:
                if rest.endswith(link) and len(rest) > len(link):
                    rest = rest[: -len(link)]
                    break
            return rest in sub_units or _is_sub_unit_phrase(rest)
    return None


@lru_cache(maxsize=4096)
def _is_part_of(name: str, body: frozenset[str], sub_units: frozenset[str]) -> bool:
    whole = key(name)
    if not whole:
        return False
    if whole in body or whole in sub_units:
        return True
    if _looks_like_company(fold(name)):
        return False
    # Each part of the name (outside and inside brackets, comma-separated pieces) must be the
    # body, a unit of it, or the country; at least one must name the body.
    named = False
    for part in _PART_SEPARATORS.split(unicodedata.normalize("NFKC", name).translate(_BRACKETS)):
        k = key(part)
        if not k:
            continue
        verdict = _unit_of(k, body, sub_units)
        if verdict is True:
            named = True
        elif verdict is False:
            return False
        elif _is_sub_unit_phrase(fold(part)):
            continue  # "Center for Biosystems Dynamics Research" beside "RIKEN"
        elif countries().code_of(part) is None:
            return False  # "University of Tokyo" beside "RIKEN"
    return named


def is_part_of(name: str, body: NameSet, sub_units: NameSet | None = None) -> bool:
    """Whether `name` is the body named by `body` or a sub-unit of it.

    "RIKEN", "RIKEN Center for Biosystems Dynamics Research", "理化学研究所（RIKEN）" and
    "RIKEN, Nishina Center" are; "RIKEN Keiki Co., Ltd." and "University of Tokyo RIKEN
    office" are not: the whole name, or each of its parts, must be the body or a unit of it.
    """
    return _is_part_of(name, body.keys, sub_units.keys if sub_units else frozenset())


@lru_cache(maxsize=4096)
def body_matches(value: str, body: frozenset[str], country: str | None) -> bool:
    """Whether `value` names the body whose name keys are `body` (see guide.Body.matches)."""
    table = countries()
    stripped = body if country is None else frozenset(table.strip(k, country) for k in body)

    def known(k: str) -> bool:
        return k in body or (country is not None and table.strip(k, country) in stripped)

    whole = key(value)
    if not whole:
        return False
    if known(whole):
        return True
    outside, inside = split_brackets(value)
    if not outside or not known(outside):
        return False
    return all(known(k) or table.code_of(k) == country for k in inside)


# --- countries -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    """A country: code (ISO 3166-1 alpha-2, EU for the Union), the names the wizard shows,
    other names in any language, and what stands before an agency's name (Australian, 澳方)."""

    code: str
    zh: str
    en: str
    names: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()


class CountriesError(ValueError):
    """data/countries.toml is not usable; the message names the file, entry and key."""


_COUNTRY_KEYS = {"code": str, "zh": str, "en": str, "names": list, "adjectives": list}


def parse_countries(text: str, origin: str) -> list[Country]:
    """The countries of a countries.toml text; one clear line for what is wrong.

    (A plain check rather than a pydantic model: this loads with the first name compared,
    and pydantic's schema build would cost the start-up ~10 ms.)"""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CountriesError(f"{origin}: not valid TOML: {exc}") from None
    entries = data.get("countries")
    if not isinstance(data.get("source"), str) or not isinstance(entries, list):
        raise CountriesError(f"{origin}: needs 'source' (text) and [[countries]] tables")
    out: list[Country] = []
    for i, entry in enumerate(entries):
        where = f"{origin}: countries[{i}]"
        if not isinstance(entry, dict):
            raise CountriesError(f"{where}: not a table")
        for k, v in entry.items():
            kind = _COUNTRY_KEYS.get(k)
            if kind is None:
                raise CountriesError(f"{where}: unknown key {k!r}")
            if not isinstance(v, kind) or (kind is list and not all(isinstance(x, str) for x in v)):
                raise CountriesError(
                    f"{where}.{k}: must be {'text' if kind is str else 'a list of texts'}"
                )
        missing = [k for k in ("code", "zh", "en") if k not in entry]
        if missing:
            raise CountriesError(f"{where}: missing {', '.join(missing)}")
        if not re.fullmatch(r"[A-Z]{2}", entry["code"]):
            raise CountriesError(
                f"{where}.code: must be two capital letters, not {entry['code']!r}"
            )
        out.append(
            Country(
                entry["code"],
                entry["zh"],
                entry["en"],
                tuple(entry.get("names", ())),
                tuple(entry.get("adjectives", ())),
            )
        )
    codes = [c.code for c in out]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise CountriesError(f"{origin}: codes must be unique: {', '.join(dupes)}")
    return out


def _data_path(name: str) -> Path:
    checkout = Path(__file__).resolve().parent.parent / "data" / name
    if checkout.is_file():
        return checkout
    return Path(str(resources.files("wizard") / "_data" / name))


class CountryTable:
    """Country names by key; built once from data/countries.toml."""

    def __init__(self, data: list[Country]) -> None:
        self.by_code: dict[str, Country] = {c.code: c for c in data}
        self._codes: dict[str, str] = {}
        self._affixes: dict[str, tuple[str, ...]] = {}
        for c in data:
            names = (c.zh, c.en, *c.names)
            for n in (*names, c.code):
                k = key(n)
                if k:
                    self._codes.setdefault(k, c.code)
            affixes = {key(n) for n in (*names, *c.adjectives)} - {""}
            self._affixes[c.code] = tuple(sorted(affixes, key=len, reverse=True))

    def code_of(self, name: str) -> str | None:
        """The code of the country `name` names (whole name or its bracketed parts)."""
        for k in variants(name):
            code = self._codes.get(k)
            if code is not None:
                return code
        return None

    def strip(self, k: str, code: str) -> str:
        """Key `k` without a leading or trailing name of country `code` ("Australian
        Department of …", "… of the Russian Federation", "Минобрнауки России")."""
        for affix in self._affixes.get(code, ()):
            if k.startswith(affix) and len(k) > len(affix):
                k = k[len(affix) :]
                break
        for affix in self._affixes.get(code, ()):
            for tail in ("ofthe" + affix, "of" + affix, "de" + affix, affix):
                if k.endswith(tail) and len(k) > len(tail):
                    return k[: -len(tail)]
        return k


@lru_cache(maxsize=1)
def countries() -> CountryTable:
    path = _data_path(COUNTRIES_FILE_NAME)
    return CountryTable(parse_countries(path.read_text("utf-8"), str(path)))
