"""What is wrong with a 居民身份证号码 (GB 11643-1999), by python-stdnum's cn.ric.

One answer for the rules (team_id_number) and for the team form, which says it as the number
is typed. python-stdnum 2.2 raises KeyError, not one of its own errors, for a number whose
province code it knows and whose county code it does not (119999…, with the right check
digit: a one-digit slip away from a real number); `wizard check` stopped with an internal
error on such a draft and the team form on such a key. Here that number has an unknown
region code, as stdnum says of an unknown province; and an unknown region is told apart from
a birth date that does not exist (stdnum says InvalidComponent of both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

# length: not 18 characters; format: not 17 digits then a digit or X; checksum: the 18th is
# not the check digit of the 17 before it; birth_date: characters 7–14 are not a real date;
# region: the first 6 are not a region code that existed in the year of birth.
IdFault = Literal["length", "format", "checksum", "birth_date", "region"]


@dataclass(frozen=True)
class IdCheck:
    fault: IdFault | None  # None: a valid number
    length: int  # its characters, spaces left out
    born: date | None  # the birth date a valid number carries


def ric_compact(number: str) -> str:
    """The number as checked: spaces left out, x as X."""
    return str(ric.compact(number))


@lru_cache(maxsize=1024)
def check_resident_id(number: str) -> IdCheck:
    compact = ric_compact(number)
    try:
        valid = ric.validate(compact)
    except InvalidLength:
        return IdCheck("length", len(compact), None)
    except InvalidChecksum:
        return IdCheck("checksum", len(compact), None)
    except InvalidComponent:
        return IdCheck(_component_fault(compact), len(compact), None)
    except ValidationError:
        return IdCheck("format", len(compact), None)
    except KeyError:  # stdnum: a known province, an unknown county (see above)
        return IdCheck(_component_fault(compact), len(compact), None)
    return IdCheck(None, len(compact), ric.get_birth_date(valid))


def _component_fault(compact: str) -> IdFault:
    try:
        ric.get_birth_date(compact)
    except ValidationError:
        return "birth_date"
    return "region"
