"""检查与定稿: all problems by section and severity, completeness, mark ready."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.forms.base import SectionForm, bar
from screens.styles import DONE_ICON, SEV_STYLE, UNDONE_ICON
from wizard.catalogue import label, t
from wizard.display import printable
from wizard.progress import completeness, group_by_section, section_title, sections_for
from wizard.store import atomic_write

if TYPE_CHECKING:
    from wizard.rules import Violation


class ReviewForm(SectionForm):
    section = "review"

    DEFAULT_CSS = """
    ReviewForm #review-buttons, ReviewForm #review-office { height: auto; margin: 1 0 0 0; }
    ReviewForm #review-buttons Button, ReviewForm #review-office Button { margin: 0 1 0 0; }
    ReviewForm #review-body { margin: 1 0 0 0; }
    """

    def compose_fields(self) -> ComposeResult:
        yield Static("", id="review-status")
        with Horizontal(id="review-buttons"):
            yield Button(t("review.mark_ready", self.lang), id="mark-ready", variant="success")
            yield Button(t("review.back_draft", self.lang), id="back-draft")
            yield Button(t("review.export", self.lang), id="export")
        # The research office's files: the 申报书 as Word, the submission package.
        with Horizontal(id="review-office"):
            yield Button(t("review.export_docx", self.lang), id="export-docx")
            yield Button(t("review.pack", self.lang), id="pack")
        yield Static("", id="review-body")

    # No on_check in on_mount: the editor calls it as soon as the form is mounted, before
    # the form is first drawn (EditorScreen.show_section); it ran twice on a first visit.

    def on_check(self, violations: list[Violation]) -> None:
        lang, session = self.lang, self.session
        draft, guide = session.draft, session.guide
        errors = sum(1 for v in violations if v.severity == "error")
        status = t(f"status.{draft.meta.status}", lang)
        head = Text(t("review.status", lang, status=status) + "\n", "bold")
        head.append(
            t("review.ready", lang)
            if draft.meta.status == "ready"
            else (t("review.not_ready", lang, n=errors) if errors else ""),
            "green" if draft.meta.status == "ready" else "red",
        )
        self.query_one("#review-status", Static).update(head)
        self.query_one("#mark-ready", Button).disabled = errors > 0 or draft.meta.status == "ready"
        self.query_one("#back-draft", Button).disabled = draft.meta.status != "ready"
        body = Text()
        parts = completeness(draft, guide, violations)
        body.append(t("review.complete", lang) + "\n", "bold underline")
        sections = [s for s in sections_for(session.direction) if s != "review"]
        for s in sections:
            c = parts[s]
            body.append(f"  {bar(Decimal(c.filled), Decimal(max(c.total, 1)), 12)} ", "cyan")
            body.append(f"{c.percent:>3}%  {section_title(s, lang)}\n")
        a = parts["attest"]
        body.append("\n" + t("review.attest", lang, done=a.filled, total=a.total) + "\n", "bold")
        for _, req in guide.requirements_for(session.direction):
            if req.kind != "attestation":
                continue
            done = draft.attest.get(req.id) is True
            body.append(f"  {DONE_ICON if done else UNDONE_ICON} ", "green" if done else "red")
            body.append(f"{req.item}: ", "dim")
            body.append((req.text_en if lang == "en" else req.text) + "\n")
        grouped = group_by_section(violations, guide)
        body.append("\n")
        if not violations:
            body.append(t("review.none", lang), "green")
        for s in sections:
            items = grouped[s]
            if not items:
                continue
            body.append(f"{section_title(s, lang)} ({len(items)})\n", "bold underline")
            for sev in ("error", "warning", "info"):
                for v in items:
                    if v.severity != sev:
                        continue
                    body.append(f"  {t(f'severity.{sev}', lang)} ", SEV_STYLE[sev])
                    body.append(f"{label(v.path, lang)}: ", "bold")
                    body.append(Text(printable(v.message(lang))))
                    body.append("\n")
        self.query_one("#review-body", Static).update(body)

    @on(Button.Pressed, "#mark-ready")
    def _ready(self) -> None:
        self.post_message(self.Action("mark_ready"))

    @on(Button.Pressed, "#back-draft")
    def _back(self) -> None:
        self.post_message(self.Action("set_status('draft')"))

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        """Write the summary beside the draft, as printable HTML and as Markdown."""
        from wizard.export import render_export  # on export only, not on a first visit

        session = self.session
        written = []
        try:
            for fmt in ("html", "md"):
                target = session.path.with_name(f"{session.path.stem}.{self.lang}.{fmt}")
                text = render_export(session.draft, session.guide, fmt, self.lang)
                atomic_write(target, text.encode("utf-8"))
                written.append(target.name)
        except OSError as exc:
            self.notify(printable(str(exc)), severity="error", markup=False)
            return
        self.notify(
            printable(t("review.exported", self.lang, files=", ".join(written))), markup=False
        )

    @on(Button.Pressed, "#export-docx")
    def _export_docx(self) -> None:
        """Write the 申报书 beside the draft as NAME.docx (replaced on each export)."""
        from wizard.docx_export import render_docx

        session = self.session
        target = session.path.with_name(f"{session.path.stem}.docx")
        try:
            atomic_write(target, render_docx(session.draft, session.guide, self.lang))
        except OSError as exc:
            self.notify(printable(str(exc)), severity="error", markup=False)
            return
        self.notify(printable(t("review.exported", self.lang, files=target.name)), markup=False)

    @on(Button.Pressed, "#pack")
    def _pack(self) -> None:
        """Save, then write the submission package beside the draft (NAME.package.zip);
        refused, with the reasons, while errors remain or an attachment changed."""
        from wizard.pack import PackError, build_package, default_output

        session = self.session
        if not session.flush():
            self.notify(t("review.pack_unsaved", self.lang), severity="error", markup=False)
            return
        target = default_output(session.path)
        try:
            package = build_package(session.path, session.guide, lang=self.lang)
            atomic_write(target, package.data)
        except PackError as exc:
            lines = [t("review.pack_refused", self.lang), exc.args[0], *exc.details[:5]]
            self.notify(
                printable("\n".join(lines), keep_newlines=True),
                severity="error",
                markup=False,
                timeout=15,
            )
            return
        except OSError as exc:
            self.notify(printable(str(exc)), severity="error", markup=False)
            return
        self.notify(printable(t("review.packed", self.lang, file=target.name)), markup=False)


_SEV_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
