"""The section forms of the editor: one widget per section, mounted when first shown."""

from __future__ import annotations

from screens.forms.attest import AttestForm
from screens.forms.base import ListSection, SectionForm
from screens.forms.budget import BudgetForm
from screens.forms.enterprises import EnterprisesForm
from screens.forms.h2020 import H2020Form
from screens.forms.partner import PartnerForm
from screens.forms.project import ProjectForm
from screens.forms.review import ReviewForm
from screens.forms.units import UnitsForm

FORMS: dict[str, type[SectionForm]] = {
    "project": ProjectForm,
    "units": UnitsForm,
    "partner": PartnerForm,
    "h2020": H2020Form,
    "enterprises": EnterprisesForm,
    "budget": BudgetForm,
    "attest": AttestForm,
    "review": ReviewForm,
}

__all__ = [
    "FORMS",
    "AttestForm",
    "BudgetForm",
    "EnterprisesForm",
    "H2020Form",
    "ListSection",
    "PartnerForm",
    "ProjectForm",
    "ReviewForm",
    "SectionForm",
    "UnitsForm",
]
