"""Reading what the applicant types into a money, whole-number or date field. Pure.

Only what has exactly one reading is read; anything else is an `EntryError`, and the caller
keeps the typed text (the draft's `[meta.unparsed]` table) instead of dropping it.

Every kind: surrounding spaces are ignored, and full-width digits and punctuation
(`１２３`, `，`, `．`, `／`, `－`) count as their ASCII forms (Unicode NFKC).

- **money** (万元): `40`, `-5`, `1234.5`, `1,234.5` (commas only between groups of three
  digits: `12,5` is an error, never 125), a trailing `万` / `万元` / `万元整`
  (`40万元` = 40), and simple Chinese numerals up to 9999 in their standard written form,
  with the same optional suffix (`四十`, `二百五十万`, `四十万元整`, `一千零五`). Not read:
  exponents (`1e3`), `nan`/`inf`, other units (`元`, `亿`), colloquial or abbreviated
  numerals (`二百五`, `一百十五`), `万` anywhere but at the end, anything outside
  `wizard.money.in_range` (|x| < 1e9, at most six decimals).
- **int**: `36`, `1,200`, and simple Chinese numerals (`三十六`); no sign, decimals or suffix.
- **date**: `1978-03-02`, `1978-3-2`, `1978/3/2`, `1978.3.2`, `1978年3月2日`, `19780302`;
  four-digit years only, one separator throughout, and the day must exist.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from wizard.money import in_range

EntryKind = Literal["money", "int", "date"]
Reason = Literal["unreadable", "range"]

# The draft's typed (non-text) fields by path pattern; tests/unit/test_entry.py checks this
# against the model in wizard/draft.py.
ENTRY_KINDS: dict[str, EntryKind] = {
    "project.start": "date",
    "project.months": "int",
    "units[].registered": "date",
    "units[].funding": "money",
    "units[].matching": "money",
    "team[].birth_date": "date",
    "team[].task": "int",
    "team[].months_per_year": "int",
    "team[].other_projects": "int",
    "partner.agreement_signed": "date",
    "h2020.call_year": "int",
    "h2020.cn_budget": "money",
    "targets[].task": "int",
    "plan[].year": "int",
    "attachments[].size": "int",
}
# A 课题's budget line by source: `tasks[0].budget.<category>.central`. The categories are
# the guide's (form.categories), so they are matched by shape, not listed here.
BUDGET_AMOUNT = re.compile(r"^tasks\[\]\.budget\.[A-Za-z0-9_]+\.(central|local|own|other)$")

_INDEX = re.compile(r"\[\d+\]")


class EntryError(ValueError):
    """Text that is not a value of the field's kind (`unreadable`) or is out of `range`."""

    def __init__(self, kind: str, reason: Reason = "unreadable") -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


def kind_of(path: str) -> EntryKind | None:
    """The entry kind of a concrete draft path (`units[2].funding` → money)."""
    pattern = _INDEX.sub("[]", path)
    found = ENTRY_KINDS.get(pattern)
    if found is None and BUDGET_AMOUNT.match(pattern):
        return "money"
    return found


def unparsed_after_removal(unparsed: dict[str, str], list_name: str, index: int) -> dict[str, str]:
    """`meta.unparsed` after entry `index` of `list_name` (`units`, `partner.institutions`)
    was removed: its own texts go with it, later entries' paths move up by one."""
    pattern = re.compile(rf"^{re.escape(list_name)}\[(\d+)\](\..*)$")
    out: dict[str, str] = {}
    for path, text in unparsed.items():
        match = pattern.match(path)
        if match is None:
            out[path] = text
            continue
        at = int(match.group(1))
        if at != index:
            out[f"{list_name}[{at - 1 if at > index else at}]{match.group(2)}"] = text
    return out


def unparsed_after_swap(unparsed: dict[str, str], list_name: str, i: int, j: int) -> dict[str, str]:
    """`meta.unparsed` after entries `i` and `j` of `list_name` changed places: each entry's
    texts move with it (never left at the old position, on another entry's field)."""
    pattern = re.compile(rf"^{re.escape(list_name)}\[(\d+)\](\..*)$")
    out: dict[str, str] = {}
    for path, text in unparsed.items():
        match = pattern.match(path)
        at = int(match.group(1)) if match else None
        if match is None or at not in (i, j):
            out[path] = text
        else:
            out[f"{list_name}[{j if at == i else i}]{match.group(2)}"] = text
    return out


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# ---------------------------------------------------------------------------------------------
# Chinese numerals
# ---------------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_int(text: str) -> int | None:
    """1–9999 written as simple Chinese numerals in the standard form, else None.

    Standard means: units in falling order; a skipped place is written 零 once
    (一千零五, 一千零五十); 十 may stand alone at the start (十五); 两 only before 百 or 千.
    Colloquial short forms are refused because they have two readings to a careful
    reader (二百五 is 250 in speech, but not in a form).
    """
    if not text:
        return None
    total = 0
    place = 10000  # the unit of the last term
    zero = False  # a 零 was just read
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ("零", "〇"):
            if zero or total == 0 or i == n - 1:
                return None
            zero = True
            i += 1
            continue
        digit = _CN_DIGITS.get(ch)
        if digit is not None:
            i += 1
        unit = _CN_UNITS.get(text[i]) if i < n else None
        if unit is not None:
            i += 1
            if digit is None:
                if unit != 10 or total != 0:
                    return None
                digit = 1  # 十五
            if ch == "两" and unit == 10:
                return None
            if unit >= place:
                return None
            skipped = place // unit > 10 and total != 0
            if skipped != zero:
                return None  # 一千五十 (needs 零) or 一千零五百 (must not have it)
            total += digit * unit
            place = unit
        elif digit is not None:
            if i != n or ch == "两":
                return None
            if total != 0 and not zero and place != 10:
                return None  # 一百五: colloquial 150
            if total != 0 and zero and place == 10:
                return None
            total += digit
            place = 1
        else:
            return None
        zero = False
    return total if total > 0 else None


# ---------------------------------------------------------------------------------------------
# The three kinds
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_WHOLE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_MONEY_SUFFIX = re.compile(r"\s*万(?:元整?)?$")


def read_money(text: str) -> Decimal | None:
    """An amount in 万元, or None for an empty field; raises EntryError."""
    raw = _normal(text)
    if not raw:
        return None
    body = _MONEY_SUFFIX.sub("", raw)
    if not body:
        raise EntryError("money")
    if _NUMBER.fullmatch(body):
        try:
            value = Decimal(body.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise EntryError("money") from None
    else:
        number = chinese_int(body)
        if number is None:
            raise EntryError("money")
        value = Decimal(number)
    if not in_range(value):
        raise EntryError("money", "range")
    return value


def read_int(text: str) -> int | None:
    """A whole number, or None for an empty field; raises EntryError."""
    raw = _normal(text)
    if not raw:
        return None
    if _WHOLE.fullmatch(raw):
        digits = raw.replace(",", "")
        if len(digits) > 9:
            raise EntryError("int", "range")
        return int(digits)
    number = chinese_int(raw)
    if number is None:
        raise EntryError("int")
    return number


_DATES = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def read_date(text: str) -> date | None:
    """A calendar date, or None for an empty field; raises EntryError."""
    raw = _normal(text)
    if not raw:
        return None
    for pattern in _DATES:
        match = pattern.fullmatch(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise EntryError("date", "range") from None
    raise EntryError("date")


def read_entry(text: str, kind: str) -> Decimal | int | date | None:
    """Typed text as a value of `kind` ("money", "int" or "date"); raises EntryError."""
    if kind == "money":
        return read_money(text)
    if kind == "int":
        return read_int(text)
    if kind == "date":
        return read_date(text)
    raise ValueError(f"not an entry kind: {kind!r}")
