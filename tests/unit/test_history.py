"""The undo history (wizard/history.py): steps, folding of typing, limits, redo."""

from __future__ import annotations

import pytest

from wizard.history import UNDO_LIMIT, History


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_typing_in_one_field_is_one_step_and_a_new_field_starts_another() -> None:
    clock = Clock()
    h = History({"v": 0}, clock=clock)
    for n in range(1, 6):  # five keys in the title, 0.2 s apart
        clock.now += 0.2
        h.record({"v": n}, "project.title")
    clock.now += 0.2
    h.record({"v": 6}, "project.title_en")
    step = h.undo()
    assert step is not None and step.state == {"v": 5} and step.path == "project.title_en"
    step = h.undo()
    assert step is not None and step.state == {"v": 0} and step.path == "project.title"
    assert h.undo() is None


@pytest.mark.parametrize(
    ("path", "pause"),
    [("project.title", 5.0), ("units", 0.0)],
    ids=["a-pause-starts-a-new-step", "list-changes-are-never-folded"],
)
def test_two_edits_that_do_not_fold(path: str, pause: float) -> None:
    clock = Clock()
    h = History({"v": 0}, clock=clock)
    h.record({"v": 1}, path)
    clock.now += pause
    h.record({"v": 2}, path)
    step = h.undo()
    assert step is not None and step.state == {"v": 1}


def test_redo_and_a_new_edit_clears_redo() -> None:
    h = History({"v": 0}, clock=Clock())
    h.record({"v": 1}, "a")
    h.record({"v": 2}, "b")
    assert h.undo() is not None
    step = h.redo()
    assert step is not None and step.state == {"v": 2} and step.path == "b"
    assert h.undo() is not None
    h.record({"v": 9}, "c")
    assert not h.can_redo and h.redo() is None


def test_keeps_at_least_the_last_hundred_steps() -> None:
    h = History({"v": 0}, clock=Clock())
    total = UNDO_LIMIT + 50
    for n in range(1, total + 1):
        h.record({"v": n}, f"field{n % 2}")  # alternate fields: one step each
    undone = 0
    while h.undo() is not None:
        undone += 1
    assert undone == UNDO_LIMIT >= 100
