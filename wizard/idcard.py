"""What is wrong with a 居民身份证号码 (GB 11643-1999), by python-stdnum's cn.ric and its table
of region codes.

One answer for the rules (team_id_number) and for the team form, which says it as the number
is typed. The steps are python-stdnum's `ric.validate` (length, 17 digits, check digit, birth
date, region code in the year of birth), with two differences:

- python-stdnum 2.2 raises KeyError, not one of its own errors, for a number whose province
  code it knows and whose county code it does not (119999…, with the right check digit: a
  one-digit slip away from a real number); `wizard check` stopped with an internal error on
  such a draft and the team form on such a key. Here that is an unknown region code.
- the region codes are read from python-stdnum's own table (`stdnum/cn/loc.dat`, the
  行政区划代码 lists) into one dictionary of the codes whose validity depends on the year,
  and one set of the rest: python-stdnum's general number database kept ≈ 4 MiB of nested
  lists and dictionaries for it and took ≈ 40 ms to build it at the first check.

tests/unit/test_idcard.py compares every answer with python-stdnum's (hypothesis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

# length: not 18 characters; format: not 17 digits then a digit or X; checksum: the 18th is
# not the check digit of the 17 before it; birth_date: characters 7–14 are not a real date;
# region: the first 6 are not a region code that existed in the year of birth.
IdFault = Literal["length", "format", "checksum", "birth_date", "region"]

_DIGITS = re.compile(r"[0-9]+\Z")
# A county line of the table: two spaces, the 4 digits after the province's 2, its name(s),
# each maybe with the years it existed: `  0103 county="[-2010]崇文区"`.
_COUNTY = re.compile(r'^  ([0-9]{4}) county="([^"]*)"$', re.MULTILINE)
_PROVINCE = re.compile(r"^([0-9]{2}) ", re.MULTILINE)


@dataclass(frozen=True)
class IdCheck:
    fault: IdFault | None  # None: a valid number
    length: int  # its characters once compacted (ric_compact)
    born: date | None  # the birth date a valid number carries


def ric_compact(number: str) -> str:
    """The number as checked: surrounding spaces left out, x as X (python-stdnum's compact)."""
    return str(ric.compact(number))


@lru_cache(maxsize=1024)
def check_resident_id(number: str) -> IdCheck:
    compact = ric_compact(number)
    n = len(compact)
    if n != 18:
        return IdCheck("length", n, None)
    if not _DIGITS.match(compact[:-1]):
        return IdCheck("format", n, None)
    if compact[-1] != ric.calc_check_digit(compact):
        return IdCheck("checksum", n, None)
    try:
        born = ric.get_birth_date(compact)
    except ValidationError:
        return IdCheck("birth_date", n, None)
    if not _existed(compact[:6], born.year):
        return IdCheck("region", n, None)
    return IdCheck(None, n, born)


def _existed(code: str, year: int) -> bool:
    """Whether region `code` was assigned in `year` (python-stdnum's get_birth_place)."""
    always, by_year = _regions()
    if code in always:
        return True
    spans = by_year.get(code)
    if spans is None:
        return False
    for span in spans.split(","):
        start, end = span.split("-")
        if (not start or year >= int(start)) and (not end or year <= int(end)):
            return True
    return False


@cache
def _regions() -> tuple[frozenset[str], dict[str, str]]:
    """(codes valid in any year, {code: the years of its names, "-2010,2011-"}) from the
    table. A code one of whose names has no years is valid in any year."""
    table = resources.files("stdnum.cn").joinpath("loc.dat").read_text("utf-8")
    always: set[str] = set()
    by_year: dict[str, str] = {}
    spans_seen: dict[str, str] = {}  # one string for each distinct list of years
    for block in re.split(r"^(?=[0-9]{2} )", table, flags=re.MULTILINE):
        province = _PROVINCE.match(block)
        if province is None:  # the comments before the first province
            continue
        head = province.group(1)
        for county, names in _COUNTY.findall(block):
            parts = names.split(",")
            if any(not part.startswith("[") for part in parts):
                always.add(head + county)
                continue
            spans = ",".join(part[1 : part.index("]")] for part in parts)
            by_year[head + county] = spans_seen.setdefault(spans, spans)
    return frozenset(always), by_year
