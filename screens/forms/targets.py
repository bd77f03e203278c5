"""考核指标: what the project delivers, its value at completion, how it is checked, its 课题."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button, Select, Static

from screens.fields import FieldBox, FieldSelect, FieldSpec, plain
from screens.forms.base import ListSection
from wizard.catalogue import t
from wizard.draft import Target


def task_options(draft: Any, lang: str) -> list[tuple[Text | str, str]]:
    """The 课题 as a choice: "课题1 name", its number (1-based) as the value."""
    out: list[tuple[Text | str, str]] = []
    for n, task in enumerate(draft.tasks, start=1):
        name = task.name.strip() or t("form.unnamed", lang)
        out.append((plain(t("form.task_option", lang, n=n, name=name)), str(n)))
    return out


class TargetsForm(ListSection):
    section = "targets"
    LIST_NAME = "targets"
    ITEM = Target
    empty_key = "form.no_targets"
    DETAIL = (
        FieldSpec("targets[].name"),
        FieldSpec("targets[].kind"),
        FieldSpec("targets[].value"),
        FieldSpec("targets[].method"),
        FieldSpec("targets[].task", "select"),
    )

    def item_prompt(self, i: int, item: Any) -> Text:
        name = super().item_prompt(i, item)
        value = f"  {item.value.strip()}" if item.value.strip() else ""
        return Text.assemble(name, (plain(value).plain, "dim"))

    def compose_fields(self) -> ComposeResult:
        yield from self.compose_list("form.targets")

    def on_mount(self) -> None:
        super().on_mount()
        # 复制 beside 添加 (the shared list buttons are add, remove, up, down).
        add = self.query_one("#targets-add", Button)
        duplicate = Button(t("form.duplicate", self.lang), id="targets-duplicate", compact=True)
        add.parent.mount(duplicate, after=add)  # type: ignore[union-attr]

    def _detail_title(self) -> None:
        title = self.query_one("#targets-detail-title", Static)
        if self.index is None:
            title.update("")
            return
        item = self.items()[self.index]
        title.update(
            Text.assemble(
                t("form.target_detail", self.lang),
                f"{self.index + 1}. ",
                super().item_prompt(self.index, item),
            )
        )

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "targets[].task":
            return task_options(self.draft, self.lang)
        return None

    def refresh_options(self, pattern: str, box: FieldBox) -> None:
        if pattern == "targets[].task":
            options = task_options(self.draft, self.lang)
            select = box.editor
            assert isinstance(select, FieldSelect)
            if list(select.values) != [v for _, v in options] or self._names != options:
                self._names = options
                with select.prevent(Select.Changed):
                    select.set_options(options)

    _names: list[tuple[Text | str, str]] | None = None

    def value_of(self, path: str) -> Any:
        value = super().value_of(path)
        if path.endswith(".task"):
            return str(value) if value is not None else None
        return value

    def _edited(self, widget: Any, text_or_value: Any) -> None:
        if getattr(widget, "field_pattern", "") == "targets[].task" and isinstance(
            text_or_value, str
        ):
            text_or_value = int(text_or_value)  # the 课题's number, as the draft keeps it
        super()._edited(widget, text_or_value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        # The other list buttons are ListSection's (its handler runs after this one).
        if event.button.id != "targets-duplicate":
            return
        event.stop()
        event.prevent_default()
        i = self.index
        if i is None:
            return
        holder = self.holder()
        holder.insert(i + 1, holder[i].model_copy(deep=True))
        self.index = i + 1
        self.list_changed()
