"""限项 across drafts (`wizard check DIR`): the same person in several applications.

国科发资〔2020〕107号, as summarised in English: the leader applies for one project only;
the leader and every 主要参与者 (骨干) hold at most 2 national projects applied for plus
under way. A research office's folder of drafts shows the applications: a person is the same
person by ID number, or by name and birth date where no ID number is given. Pure: the caller
(wizard.check) loads the drafts and turns the findings into violations.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from wizard.draft import Draft, Person
from wizard.names import key as name_key

COUNTED_ROLES = frozenset({"leader", "task_leader", "core"})


def person_key(person: Person) -> str | None:
    """Who `person` is across drafts: the ID number (spaces, width and case folded, with its
    type), else the name as a reviewer reads it with the birth date; None when neither."""
    number = "".join(unicodedata.normalize("NFKC", person.id_number).split()).upper()
    if number:
        kind = person.id_type or "other"
        return f"{kind}:{number}"
    name = name_key(person.name)
    if name and person.birth_date is not None:
        return f"name:{name}:{person.birth_date.isoformat()}"
    return None


@dataclass(frozen=True, slots=True)
class Appearance:
    """One person on one draft's team: the draft's position in the input, the team index."""

    draft: int
    member: int
    role: str | None


@dataclass(frozen=True, slots=True)
class CrossCount:
    """A person found on more than one draft's team, as the first draft wrote the name."""

    key: str
    name: str
    appearances: tuple[Appearance, ...]

    @property
    def drafts(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(a.draft for a in self.appearances))

    def counted(self, roles: frozenset[str] = COUNTED_ROLES) -> tuple[int, ...]:
        """The drafts where the person has a role the 限项 counts."""
        return tuple(dict.fromkeys(a.draft for a in self.appearances if a.role in roles))

    def led(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(a.draft for a in self.appearances if a.role == "leader"))


def cross_draft_counts(drafts: Sequence[Draft | None]) -> list[CrossCount]:
    """Every person on the team of two or more of `drafts` (None: a file that did not load),
    in the order first seen."""
    seen: dict[str, list[Appearance]] = {}
    names: dict[str, str] = {}
    for d, draft in enumerate(drafts):
        if draft is None:
            continue
        for m, person in enumerate(draft.team):
            k = person_key(person)
            if k is None:
                continue
            names.setdefault(k, person.name.strip())
            seen.setdefault(k, []).append(Appearance(d, m, person.role))
    out = []
    for k, appearances in seen.items():
        if len({a.draft for a in appearances}) >= 2:
            out.append(CrossCount(k, names[k], tuple(appearances)))
    return out


@dataclass(frozen=True, slots=True)
class CrossFinding:
    """What `wizard check` reports on one draft: `kind` is "leader_once" (the leader of two
    applications) or "limit" (a counted person on more applications than the limit)."""

    draft: int
    path: str
    kind: str
    zh: str
    en: str


# A message names at most this many of the other drafts, then says how many more: with a
# person on hundreds of drafts of one folder, each draft's message stays one readable line
# (every draft still gets its own finding, so none is lost).
SHOWN_OTHERS = 10


def _others(labels: Sequence[str], total: int) -> tuple[str, str]:
    """The other drafts' labels as the messages show them (zh, en)."""
    if total <= len(labels):
        return "、".join(labels), ", ".join(labels)
    more = total - len(labels)
    return f"{'、'.join(labels)} 等 {total} 份", f"{', '.join(labels)} and {more} more"


def cross_draft_findings(
    drafts: Sequence[Draft | None],
    labels: Sequence[str],
    maximum: int = 2,
    roles: frozenset[str] = COUNTED_ROLES,
) -> list[CrossFinding]:
    """The 限项 findings across `drafts`; `labels` name each draft (its file name) in messages.
    Each application in the folder is one applied for: a person counted on more than
    `maximum` of them is over the limit whatever each draft declares."""
    out: list[CrossFinding] = []
    for count in cross_draft_counts(drafts):
        led = count.led()
        counted = count.counted(roles)
        seen = count.drafts
        # The first SHOWN_OTHERS + 1 drafts hold the first SHOWN_OTHERS others of any draft.
        head = seen[: SHOWN_OTHERS + 1]
        for a in count.appearances:
            is_leader = a.role == "leader" and len(led) >= 2
            if not is_leader and not (a.role in roles and len(counted) > maximum):
                continue
            others = [labels[d] for d in head if d != a.draft][:SHOWN_OTHERS]
            shown, shown_en = _others(others, len(seen) - 1)
            path = f"team[{a.member}]"
            if is_leader:
                out.append(
                    CrossFinding(
                        a.draft,
                        f"{path}.name",
                        "leader_once",
                        f"项目负责人“{count.name}”也是 {shown} 的项目负责人。负责人只能申报一个"
                        "项目：请只保留一份申报。",
                        f"The leader '{count.name}' also leads {shown_en}. A leader may apply "
                        "for one project only: keep one application.",
                    )
                )
            else:
                out.append(
                    CrossFinding(
                        a.draft,
                        f"{path}.other_projects",
                        "limit",
                        f"“{count.name}”作为负责人或骨干出现在 {len(counted)} 份申报书中（另见 "
                        f"{shown}），超过合计 {maximum} 个的限项：请调整人员。",
                        f"'{count.name}' is leader or core member in {len(counted)} "
                        f"applications (also {shown_en}), over the limit of {maximum} in all: "
                        "change the team.",
                    )
                )
    return out
