"""统一社会信用代码 (GB 32100-2015): format and check character (ISO 7064 MOD 31-3).

python-stdnum's `stdnum.cn.uscc` computes the check character but rejects valid codes whose
first character (the registration authority) is a letter — A, N and Y are in use — so the
format is checked here and the arithmetic is left to stdnum.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from stdnum.cn import uscc as _stdnum_uscc

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def compact(code: str) -> str:
    """The code as its 18 characters: full-width letters and digits folded (NFKC), spaces and
    hyphens dropped, letters upper-cased."""
    folded = unicodedata.normalize("NFKC", code)
    return "".join(folded.split()).upper().replace("-", "").replace("‐", "")


@lru_cache(maxsize=4096)  # evaluate() runs on every keystroke; the codes rarely change
def uscc_detail(code: str) -> tuple[str, int, str] | None:
    """None when `code` is valid, else (problem, position, character): 'length' with the
    length found, 'characters' with the first wrong one (1-based), or 'check' (18)."""
    number = compact(code)
    if len(number) != 18:
        return "length", len(number), ""
    for position, c in enumerate(number, start=1):
        if c not in _ALPHABET or (3 <= position <= 8 and not c.isdigit()):
            return "characters", position, c
    if _stdnum_uscc.calc_check_digit(number[:17]) != number[17]:
        return "check", 18, number[17]
    return None


def uscc_problem(code: str) -> str | None:
    """None when `code` is a valid code, else 'length' | 'characters' | 'check'."""
    detail = uscc_detail(code)
    return detail[0] if detail else None


def with_check_character(first17: str) -> str:
    """Complete 17 characters with their check character (for tests and examples)."""
    return first17 + str(_stdnum_uscc.calc_check_digit(first17))
