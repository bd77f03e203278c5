"""The section forms of the editor: one widget per section, imported and mounted when first
shown (an editor opened on its first section never imports the others)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from screens.forms.base import SectionForm

# section → (module, class)
FORM_MODULES: dict[str, tuple[str, str]] = {
    "project": ("screens.forms.project", "ProjectForm"),
    "units": ("screens.forms.units", "UnitsForm"),
    "team": ("screens.forms.team", "TeamForm"),
    "tasks": ("screens.forms.tasks", "TasksForm"),
    "partner": ("screens.forms.partner", "PartnerForm"),
    "h2020": ("screens.forms.h2020", "H2020Form"),
    "enterprises": ("screens.forms.enterprises", "EnterprisesForm"),
    "targets": ("screens.forms.targets", "TargetsForm"),
    "plan": ("screens.forms.plan", "PlanForm"),
    "narrative": ("screens.forms.narrative", "NarrativeForm"),
    "budget": ("screens.forms.budget", "BudgetForm"),
    "attachments": ("screens.forms.attachments", "AttachmentsForm"),
    "attest": ("screens.forms.attest", "AttestForm"),
    "review": ("screens.forms.review", "ReviewForm"),
}
_BY_CLASS = {name: module for module, name in FORM_MODULES.values()}
_BY_CLASS |= {"SectionForm": "screens.forms.base", "ListSection": "screens.forms.base"}


def form_class(section: str) -> type[SectionForm]:
    module, name = FORM_MODULES[section]
    cls: type[SectionForm] = getattr(import_module(module), name)
    return cls


def __getattr__(name: str) -> Any:  # `from screens.forms import ProjectForm` still works
    module = _BY_CLASS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(import_module(module), name)


__all__ = ["FORM_MODULES", "form_class"]
