"""The catalogue: every user-facing text of the core, the CLI, the exports and the screens.

- `strings.py`: program texts by key, each a (Chinese, English) pair; `t(key, lang, **kw)`
  looks one up and fills in its `{placeholders}` (`{n:plural:error|errors}` for English
  plurals). The names of the model's values (`unit_kind.`, `role.`, `status.`,
  `leader_title.`, `leader_degree.`, `severity.`) are keys too, one per value of the Literal
  types in `wizard.draft`, so the forms' options and the exports say the same words.
- `fields.py`: the label and help of every draft field, keyed by path pattern
  (`units[].funding`), looked up by `label(path, lang)` and `help_text(path, lang)`.
- `text.py`: `t` and the sentences several outputs say alike (the problem counts, the
  status, a cited clause).

Why a keyed Python module and not gettext catalogues: the wizard runs on air-gapped
machines from a wheel, and a module needs no compile step (`.po` → `.mo`) and no
tooling at build or install time; both languages of a text stand side by side, so a
missing translation is visible in review; the keys are plain strings that mypy, ruff and a
test can see (tests/unit/test_catalogue.py: every key in both languages, the same placeholders,
no unused key, no unknown key); and there are exactly two languages, which gettext's
machinery (plural rules, locale lookup, domains) would serve no better. Rule messages are
not here: each stays beside its rule in `wizard/rules/` (message, clause and code in one
place, as pylint and ruff keep theirs).

The catalogue is a leaf of the core: it imports no model, no pydantic and no UI.
"""

from __future__ import annotations

from wizard.catalogue.fields import (
    GENDER_LABELS,
    ID_TYPE_LABELS,
    LABELS,
    PERSON_ROLE_LABELS,
    RECOMMENDER_KIND_LABELS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    UNIT_KIND_LABELS,
    Label,
    help_text,
    label,
    pattern_of,
)
from wizard.catalogue.strings import DYNAMIC_PREFIXES, STRINGS
from wizard.catalogue.text import (
    UnknownKey,
    clause_line,
    clause_where,
    counts_text,
    status_text,
    t,
)

__all__ = [
    "DYNAMIC_PREFIXES",
    "GENDER_LABELS",
    "ID_TYPE_LABELS",
    "LABELS",
    "PERSON_ROLE_LABELS",
    "RECOMMENDER_KIND_LABELS",
    "SEVERITY_LABELS",
    "SOURCE_LABELS",
    "STRINGS",
    "UNIT_KIND_LABELS",
    "Label",
    "UnknownKey",
    "clause_line",
    "clause_where",
    "counts_text",
    "help_text",
    "label",
    "pattern_of",
    "status_text",
    "t",
]
