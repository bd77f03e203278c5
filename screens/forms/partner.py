"""外方合作: the foreign partner, its agency, its principal investigator and contribution,
the agreement's date where the direction asks for one, and the partner institutions."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Static

from screens.fields import (
    FieldSpec,
)
from screens.forms.base import ListSection, unit_kind_options
from wizard.catalogue import t
from wizard.draft import INSTITUTION_KINDS, Institution
from wizard.guide import Direction, Guide

# The attachments (form.attachments keys) that are signed agreements: where the direction
# requires one, the form asks for the day it was signed. By key: the guide data has no flag
# for "an agreement" (yet).
AGREEMENT_ATTACHMENTS = frozenset({"cooperation_agreement", "ip_agreement"})


def needs_agreement(guide: Guide, direction: Direction) -> bool:
    """The direction requires a signed cooperation or IP agreement as an attachment."""
    return any(kind.key in AGREEMENT_ATTACHMENTS for kind, _ in guide.attachments_for(direction))


class PartnerForm(ListSection):
    section = "partner"
    LIST_NAME = "partner.institutions"
    ITEM = Institution
    empty_key = "form.no_institutions"
    SPECS = (
        FieldSpec("partner.country"),
        FieldSpec("partner.agency"),
        FieldSpec("partner.submitted", "bool"),
        FieldSpec("partner.reference"),
    )
    LEAD = (
        FieldSpec("partner.lead.name"),
        FieldSpec("partner.lead.title"),
        FieldSpec("partner.lead.institution"),
        FieldSpec("partner.lead.email"),
    )
    CONTRIBUTION = FieldSpec("partner.contribution", "area")
    AGREEMENT = FieldSpec("partner.agreement_signed", "date")
    DETAIL = (
        FieldSpec("partner.institutions[].name"),
        FieldSpec("partner.institutions[].kind", "select"),
        FieldSpec("partner.institutions[].contact"),
        FieldSpec("partner.institutions[].email"),
    )

    def compose_fields(self) -> ComposeResult:
        d = self.session.direction
        hint = d.partner.en if self.lang == "en" else d.partner.zh
        if d.agency is not None:
            hint += " · " + (d.agency.en if self.lang == "en" else d.agency.zh)
        yield Static(Text(hint), classes="hint")
        for spec in self.SPECS:
            yield self.box(spec)
        yield Label(t("form.partner_lead", self.lang), classes="subtitle")
        for spec in self.LEAD:
            yield self.box(spec)
        yield self.box(self.CONTRIBUTION)
        agreement = self.box(self.AGREEMENT)
        agreement.display = (
            needs_agreement(self.session.guide, d)
            or self.draft.partner.agreement_signed is not None
        )
        yield agreement
        yield from self.compose_list("form.institutions")

    def options_for(self, spec: FieldSpec) -> list[tuple[Text | str, str]] | None:
        if spec.pattern == "partner.institutions[].kind":
            return unit_kind_options(self.lang, INSTITUTION_KINDS)
        return None

    def index_for(self, pattern: str) -> int | None:
        return self.index if pattern.startswith("partner.institutions[]") else None
