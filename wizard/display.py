"""User text made safe to show: control characters never reach the terminal raw.

The one definition of what is dangerous in shown text, for the screens (escaped by
`printable`, dropped by the app's last-line filter), the CLI and the exports:

- `TERMINAL_CONTROLS`: what a terminal would act on rather than show: C0 and C1 controls
  (ESC, BEL, CSI, OSC …, DEL) and the bidi controls that reorder what a reader sees
  (embeddings, overrides, isolates, marks).
- `UNPRINTABLE`: those plus lone surrogates (no character at all), what `printable` escapes.
- `JSON_UNSAFE`: what `json.dumps(ensure_ascii=False)` leaves raw of these (it escapes C0
  itself): DEL, C1, bidi controls and surrogates, plus U+2028/U+2029, line breaks to
  JavaScript. Inside a string literal a \\u escape of them is valid JSON; a lone surrogate (a
  file name that is not UTF-8, kept by Python as \\udcXX) written raw is invalid UTF-8.
"""

from __future__ import annotations

import re

_C0_C1 = "\x00-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"

TERMINAL_CONTROLS = re.compile(f"[{_C0_C1}{_BIDI}]")
UNPRINTABLE = re.compile(f"[{_C0_C1}{_BIDI}{_SURROGATES}]")
JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}{_SURROGATES}\u2028\u2029]")


def escape_char(ch: str) -> str:
    """`\\x1b`, `\\u202e`: a character as the escape a reader can see."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape(match: re.Match[str]) -> str:
    return escape_char(match.group())


def _escape_but_newline(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch == "\n" else escape_char(ch)


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with C0/C1 controls, bidi controls and lone surrogates shown escaped (ESC as
    \\x1b)."""
    return UNPRINTABLE.sub(_escape_but_newline if keep_newlines else _escape, text)
