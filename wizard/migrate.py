"""Draft format v1 → v2, on plain data (what a TOML file parses to), without losing a value.

v2 makes the draft the whole application. What v1 held moves as follows:

- `[leader]` becomes the team's project leader: the first `[[team]]` row, role "leader"
  (name, birth date, title, degree, unit, months a year, other projects, e-mail, phone).
- `[budget]` (the central funding by category) becomes the budget of one 课题, carried out by
  the lead unit and led by the leader: each amount is its category's 中央财政 amount. v1's
  设备费 was not split, so it becomes 设备购置费 (the smaller indirect-cost base: a migrated
  draft is never judged more leniently than before); `other_note` becomes the 测算依据 of
  其他支出.
- Everything else keeps its key. `[meta.unparsed]` paths are renamed the same way.

`upgrade` returns the v2 data and one note per change the applicant should look at.
"""

from __future__ import annotations

import copy
from typing import Any

V1_LEADER_KEYS = (
    "name",
    "birth_date",
    "title",
    "degree",
    "unit",
    "months_per_year",
    "other_projects",
    "email",
    "phone",
)
# v1 budget key → (v2 category key, v2 budget-line key): the amounts become the same
# category's 中央财政 (the equipment its purchase), the other-costs note its basis.
_V1_SAME = (
    "materials", "testing", "fuel_power", "travel_meeting_intl", "publication_ip", "labour",
    "expert", "other", "indirect",
)  # fmt: skip
V1_BUDGET: dict[str, tuple[str, str]] = {
    "equipment": ("equipment_purchase", "central"),
    **{key: (key, "central") for key in _V1_SAME},
    "other_note": ("other", "basis"),
}


# The notes `upgrade` returns (English), with their Chinese text for `note_text`.
NOTE_LEADER = "[leader] is now the project leader's row of [[team]]"
NOTE_BUDGET = "[budget] is now the 中央财政 column of 课题 1's budget; name the 课题 and add the other sources"
NOTE_EQUIPMENT = (
    "设备费 became 设备购置费: move any trial manufacture, upgrade or rental to "
    "设备试制、改造与租赁费"
)
NOTES_ZH = {
    NOTE_LEADER: "原 [leader] 现为研究团队 [[team]] 中的项目负责人一行",
    NOTE_BUDGET: "原 [budget] 现为课题 1 预算的中央财政一列；请填写课题名称并补充其他来源",
    NOTE_EQUIPMENT: "原设备费现为设备购置费：如含设备试制、改造或租赁，请移至设备试制、改造与租赁费",
}


def note_text(note: str, lang: str) -> str:
    """A note of `upgrade` in `lang` ("zh" or "en")."""
    return NOTES_ZH.get(note, note) if lang == "zh" else note


def v2_path(v1_path: str) -> str:
    """Where a v1 field path lives in v2 (the same path when it did not move)."""
    head, _, rest = v1_path.partition(".")
    if head == "leader" and rest:
        return f"team[0].{rest}"
    if head == "budget" and rest in V1_BUDGET:
        category, line = V1_BUDGET[rest]
        return f"tasks[0].budget.{category}.{line}"
    return v1_path


_TASK_KEYS = frozenset({"name", "unit", "leader", "content", "budget"})
_V1_OF = {
    f"tasks[0].budget.{cat}.{line}": f"budget.{key}" for key, (cat, line) in V1_BUDGET.items()
}


def v1_path(path: str) -> str:
    """Where a field path of an upgraded v1 draft came from (the inverse of `v2_path`), so a
    problem in a v1 file is named by the key and line the file has."""
    if path in _V1_OF:
        return _V1_OF[path]
    if path.startswith("team[0]."):
        return "leader." + path.removeprefix("team[0].")
    rest = path.removeprefix("tasks[0].")
    if rest != path and rest.isidentifier() and rest not in _TASK_KEYS:
        return f"budget.{rest}"  # an unknown v1 budget key, kept on the 课题 to be named
    return path


def _lead_unit_name(data: dict[str, Any]) -> str:
    for unit in data.get("units") or []:
        if isinstance(unit, dict) and unit.get("role") == "lead":
            name = unit.get("name")
            return name if isinstance(name, str) else ""
    return ""


def upgrade(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The v2 form of v1 draft data (not changed in place) and notes, in English, on what
    moved. Data that is not v1 is returned unchanged with no notes."""
    if data.get("schema_version") != 1:
        return data, []
    out = copy.deepcopy(data)
    out["schema_version"] = 2
    notes: list[str] = []
    leader = out.pop("leader", None)
    if isinstance(leader, dict):
        person: dict[str, Any] = {"role": "leader"}
        person.update({k: leader[k] for k in V1_LEADER_KEYS if k in leader})
        # Unknown keys stay, so validation names them rather than migration dropping them.
        person.update({k: v for k, v in leader.items() if k not in V1_LEADER_KEYS})
        out["team"] = [person]
        notes.append(NOTE_LEADER)
    budget = out.pop("budget", None)
    if isinstance(budget, dict) and budget:
        lines: dict[str, dict[str, Any]] = {}
        extra: dict[str, Any] = {}
        for key, value in budget.items():
            if key in V1_BUDGET:
                category, line = V1_BUDGET[key]
                lines.setdefault(category, {})[line] = value
            else:
                extra[key] = value
        task: dict[str, Any] = {"name": "", "unit": _lead_unit_name(out), "leader": ""}
        if isinstance(leader, dict) and isinstance(leader.get("name"), str):
            task["leader"] = leader["name"]
        task["budget"] = lines
        task.update(extra)
        out["tasks"] = [task]
        notes.append(NOTE_BUDGET)
        if "equipment" in budget:
            notes.append(NOTE_EQUIPMENT)
    meta = out.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("unparsed"), dict):
        meta["unparsed"] = {v2_path(k): v for k, v in meta["unparsed"].items()}
    if isinstance(meta, dict) and isinstance(meta.get("last_field"), str):
        meta["last_field"] = v2_path(meta["last_field"])
    return out, notes
