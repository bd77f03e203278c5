"""统一社会信用代码 (GB 32100-2015): format and check character (ISO 7064 MOD 31-3).

python-stdnum's `stdnum.cn.uscc` computes the check character but rejects valid codes whose
first character (the registration authority) is a letter — A, N and Y are in use — so the
format is checked here and the arithmetic is left to stdnum.
"""

from __future__ import annotations

from functools import lru_cache

from stdnum.cn import uscc as _stdnum_uscc

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def compact(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


@lru_cache(maxsize=4096)  # evaluate() runs on every keystroke; the codes rarely change
def uscc_problem(code: str) -> str | None:
    """None when `code` is a valid code, else 'length' | 'characters' | 'check'."""
    number = compact(code)
    if len(number) != 18:
        return "length"
    if any(c not in _ALPHABET for c in number) or not number[2:8].isdigit():
        return "characters"
    if _stdnum_uscc.calc_check_digit(number[:17]) != number[17]:
        return "check"
    return None


def with_check_character(first17: str) -> str:
    """Complete 17 characters with their check character (for tests and examples)."""
    return first17 + str(_stdnum_uscc.calc_check_digit(first17))
