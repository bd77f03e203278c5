"""研究团队: the people of the project, the leader among them (★), each with a unit and a 课题.

A list with a filter as you type and a sort, then the selected member's fields. Editing a
member redraws that member's line only, so a team of a hundred stays fluid. The 18-digit
居民身份证 number is checked as typed (python-stdnum's `cn.ric`); the rules report it too.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Select, Static

from screens._textual_compat import OrderedInput
from screens.fields import FieldBox, FieldSpec
from screens.forms.base import ListSection, focus_now, value_options
from screens.forms.links import rename_person, task_options, unit_options
from wizard.catalogue import t
from wizard.draft import DEGREES, GENDERS, ID_TYPES, PERSON_ROLES, TITLES, Person
from wizard.idcard import check_resident_id

ROLE_ORDER: dict[str, int] = {role: i for i, role in enumerate(PERSON_ROLES)}
# The sorts of the list, each with its name in the catalogue.
SORTS = {"list": "team.sort_list", "name": "team.sort_name", "role": "team.sort_role"}


# What the team form says of each fault of a 居民身份证号码 (wizard.idcard).
_ID_FAULT_KEYS = {
    "length": "team.id_length",
    "checksum": "team.id_checksum",
    "birth_date": "team.id_birth",
    "region": "team.id_region",
    "format": "team.id_format",
}


def id_problem(id_type: str | None, number: str) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with a 居民身份证 number as typed (an i18n key and its values), or
    None. Other ID types are text; an empty number is the rules' business (missing)."""
    if id_type != "resident_id" or not number.strip():
        return None
    found = check_resident_id(number)
    if found.fault is None:
        return None
    return _ID_FAULT_KEYS[found.fault], {"n": found.length} if found.fault == "length" else {}


class TeamForm(ListSection):
    section = "team"
    LIST_NAME = "team"
    DETAIL_KEY = "team.detail"
    empty_key = "team.empty"
    DETAIL = (
        FieldSpec("team[].name"),
        FieldSpec("team[].gender", "select"),
        FieldSpec("team[].birth_date", "date"),
        FieldSpec("team[].id_type", "select"),
        FieldSpec("team[].id_number"),
        FieldSpec("team[].title", "select"),
        FieldSpec("team[].degree", "select"),
        FieldSpec("team[].unit", "select"),
        FieldSpec("team[].role", "select"),
        FieldSpec("team[].task", "select"),
        FieldSpec("team[].months_per_year", "int"),
        FieldSpec("team[].other_projects", "int"),
        FieldSpec("team[].email"),
        FieldSpec("team[].phone"),
    )

    DEFAULT_CSS = """
    TeamForm #team-tools { height: auto; margin: 0 0 0 0; }
    TeamForm #team-filter { width: 1fr; }
    TeamForm #team-sort { width: 24; }
    TeamForm #team-count { color: $text-muted; height: 1; }
    TeamForm OptionList.items { max-height: 10; }
    """

    def __init__(self, editor: Any) -> None:
        super().__init__(editor)
        self.filter_text = ""
        self.sort = "list"
        self._bad: set[int] = set()

    # -- the list ----------------------------------------------------------------------------
    def new_item(self) -> Any:
        return Person(role="leader" if self.draft.leader is None else None)

    def duplicate_item(self, item: Any) -> Any:
        copy = item.model_copy(deep=True)
        if copy.role == "leader":  # one leader: the copy is a core member
            copy.role = "core"
        return copy

    def item_prompt(self, i: int, item: Any) -> Text:
        star = "★" if item.role == "leader" else " "
        mark = ("✗ ", "bold red") if i in self._bad else "  "
        details = []
        if item.unit.strip():
            details.append(item.unit.strip())
        if item.task is not None:
            details.append(t("tasks.number", self.lang, n=item.task))
        if item.role and item.role != "leader":
            details.append(t(f"person_role.{item.role}", self.lang))
        tail = ("  " + " · ".join(details)) if details else ""
        return Text.assemble(star, mark, super().item_prompt(i, item), (tail, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("team.title", duplicate=True)

    def compose_buttons_extra(self) -> ComposeResult:
        yield Horizontal(
            Button(t("team.make_leader", self.lang), id="team-lead", compact=True),
            classes="list-buttons",
        )

    def compose_above_list(self) -> ComposeResult:
        sorts = [(t(key, self.lang), s) for s, key in SORTS.items()]
        yield Horizontal(
            OrderedInput(placeholder=t("team.filter", self.lang), id="team-filter", compact=True),
            Select(sorts, value=self.sort, allow_blank=False, id="team-sort", compact=True),
            id="team-tools",
        )
        yield Static("", id="team-count")

    def shown_order(self) -> list[int]:
        team = self.draft.team
        needle = self.filter_text.strip().casefold()
        shown = [
            i
            for i, p in enumerate(team)
            if not needle
            or needle in p.name.casefold()
            or needle in p.unit.casefold()
            or needle in p.id_number.casefold()
        ]
        if self.sort == "name":
            shown.sort(key=lambda i: (team[i].name.strip() == "", team[i].name.strip()))
        elif self.sort == "role":
            shown.sort(key=lambda i: ROLE_ORDER.get(team[i].role or "", len(ROLE_ORDER)))
        return shown

    @property
    def empty_text_key(self) -> str:
        return "team.no_match" if self.filter_text.strip() and self.draft.team else "team.empty"

    def relist(self) -> None:
        self.empty_key = self.empty_text_key
        super().relist()
        n = len(self.draft.team)
        shown = len(self._shown_indices) if self._shown_indices is not None else n
        text = (
            t("team.count", self.lang, n=n)
            if shown == n
            else t("team.shown", self.lang, n=n, shown=shown)
        )
        self.query_one("#team-count", Static).update(text)

    @on(Input.Changed, "#team-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self.filter_text:
            self.filter_text = event.value
            self.relist()

    @on(Select.Changed, "#team-sort")
    def _sorted(self, event: Select.Changed) -> None:
        event.stop()
        value = str(event.value)
        if value in SORTS and value != self.sort:
            self.sort = value
            self.relist()

    def _clear_filter(self) -> None:
        if self.filter_text:
            self.filter_text = ""
            box = self.query_one("#team-filter", Input)
            with box.prevent(Input.Changed):
                box.value = ""

    def before_action(self, action: str) -> None:
        if action in ("add", "duplicate"):
            self._clear_filter()  # the new member is shown, whatever the filter

    def select_index(self, list_name: str, index: int) -> None:
        if list_name == self.LIST_NAME and index < len(self.items()):
            if index not in self.shown_order():
                self._clear_filter()
        super().select_index(list_name, index)

    def make_lead(self, index: int) -> None:
        """“设为项目负责人”: the member leads the project; a former leader stays a core member."""
        for j, person in enumerate(self.draft.team):
            if j == index:
                person.role = "leader"
            elif person.role == "leader":
                person.role = "core"

    # -- fields ------------------------------------------------------------------------------
    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        lang = self.lang
        pattern = spec.pattern
        if pattern == "team[].gender":
            return value_options("gender", GENDERS, lang)
        if pattern == "team[].id_type":
            return value_options("id_type", ID_TYPES, lang)
        if pattern == "team[].title":
            return value_options("leader_title", TITLES, lang)
        if pattern == "team[].degree":
            return value_options("leader_degree", DEGREES, lang)
        if pattern == "team[].role":
            return value_options("person_role", PERSON_ROLES, lang)
        if pattern == "team[].unit":
            return unit_options(self.draft)
        if pattern == "team[].task":
            return task_options(self.draft, lang)
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern in ("team[].unit", "team[].task"):
            self.reset_options(box)  # new 课题 names are new texts: compared too

    def value_of(self, path: str) -> Any:
        value = super().value_of(path)
        if path.endswith(".task"):  # the select's choices are the numbers as text
            return str(value) if value is not None else None
        return value

    def show_value(self, box: FieldBox, path: str | None, value: Any) -> None:
        super().show_value(box, path, value)
        if box.spec.pattern == "team[].id_number" and path is not None:
            self._check_id()

    def _check_id(self) -> None:
        """The ID number's own message, at once (the rules say it again in the panel)."""
        if self.index is None or self.index >= len(self.draft.team):
            return
        person = self.draft.team[self.index]
        problem = id_problem(person.id_type, person.id_number)
        message = t(problem[0], self.lang, **problem[1]) if problem else ""
        self.boxes["team[].id_number"].set_error(message)

    def after_edit(self, path: str, old: Any, new: Any) -> None:
        super().after_edit(path, old, new)
        if self.index is None:
            return
        if path.endswith(".name"):
            rename_person(self.draft, old or "", new or "")
        elif path.endswith((".id_number", ".id_type")):
            self._check_id()
        elif path.endswith(".role") and new == "leader":
            # One leader: the former one becomes a core member (as "设为项目负责人").
            for j, person in enumerate(self.draft.team):
                if j != self.index and person.role == "leader":
                    person.role = "core"
                    self.refresh_prompt(j)
        if path.endswith((".unit", ".task", ".role")):
            self.refresh_prompt(self.index)
            self._detail_title()

    def mark(self, paths: set[str]) -> None:
        super().mark(paths)
        # A member with a problem is marked ✗ in the list: only the lines that flip.
        bad = set()
        for path in paths:
            if path.startswith("team["):
                head = path[5 : path.find("]")]
                if head.isdigit():
                    bad.add(int(head))
        if bad != self._bad:
            flipped = bad ^ self._bad
            self._bad = bad
            count = len(self.draft.team)
            for i in flipped:
                if i < count:
                    self.refresh_prompt(i)

    def focus_other(self, path: str) -> bool:
        if path == self.LIST_NAME and not self.draft.team:
            focus_now(self.query_one("#team-add", Button))
            return True
        return super().focus_other(path)
