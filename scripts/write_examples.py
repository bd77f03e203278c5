"""Bring the complete format-2 examples up to date: docs/example-draft.toml (1.6,
China–Sweden) and docs/example-draft-1.4.toml (1.4, China–EU), with their attachments in
docs/example-attachments/ (small real PDF files; the drafts record their SHA-256 and size).

The drafts themselves are the source: edit their text, amounts and people there. This
script derives and checks the rest, then writes each draft again in the wizard's layout:
the ID numbers' check digits (python-stdnum's cn.ric) and the credit codes' (GB
32100-2015), each unit's funding (its 课题's 中央财政 total) and an enterprise's matching
(its own funds), the indirect costs within the cap on direct costs less 设备购置费, every
attestation of the direction ticked, and the attachments written from SCANS.

Run from the repository root: `PYTHONPATH=. python scripts/write_examples.py`.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from stdnum.cn import ric

from wizard.draft import Attachment, Draft, Task
from wizard.guide import load_guide
from wizard.store import dump_draft, load_draft
from wizard.uscc import with_check_character

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FILES = DOCS / "example-attachments"
D = Decimal


def pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF showing `lines` (ASCII), standing for a scanned document."""
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines
    ) + " ET"  # fmt: skip
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# The scanned documents the examples attach, standing for the real ones: file → the lines
# its page shows (ASCII).
SCANS = {
    "1.6-ip-agreement.pdf": [
        "Intellectual property agreement (example)",
        "Tsinghua University, China CDC, BGI Genomics",
        "Karolinska Institutet, Molnlycke Health Care AB",
        "Signed 2020-05-20",
    ],
    "1.6-partner-filing.pdf": ["Vinnova: application received (example)", "Reference 2020-02513"],
    "1.4-h2020-proposal.pdf": [
        "Horizon 2020 proposal 101000224 (example)",
        "Topic SFS-40-2020",
        "Part A and Part B, English",
    ],
    "1.4-h2020-translation.pdf": [
        "Chinese translation (example): budget of the Chinese participants",
        "and the Chinese work packages of proposal 101000224",
    ],
    "1.4-partner-filing.pdf": [
        "Funding & Tenders Portal: proposal submitted (example)",
        "Proposal 101000224, SEP-210600000",
    ],
}


def rescan(attachment: Attachment) -> None:
    """Write the attachment's file from SCANS and record its SHA-256 and size."""
    name = Path(attachment.path).name
    raw = pdf(SCANS[name])
    FILES.mkdir(exist_ok=True)
    (FILES / name).write_bytes(raw)
    attachment.sha256 = hashlib.sha256(raw).hexdigest()
    attachment.size = len(raw)


def check_digits(draft: Draft) -> None:
    """The last character of every 居民身份证 number and credit code, from the others."""
    for person in draft.team:
        if person.id_type == "resident_id":
            body = person.id_number[:17]
            person.id_number = body + ric.calc_check_digit(body + "0")
            ric.validate(person.id_number)
    for unit in draft.units:
        unit.credit_code = with_check_character(unit.credit_code[:17])


def check_task(task: Task) -> Decimal:
    """The 课题's 中央财政 total, after checking its indirect costs are within the cap."""
    guide = load_guide()
    form = guide.form
    direct = sum((task.amount(k, "central") for k in form.direct_keys), D(0))
    base = direct - sum((task.amount(k, "central") for k in form.purchase_keys), D(0))
    cap = min(base, D(500)) * D("0.20") + max(min(base, D(1000)) - D(500), D(0)) * D("0.15")
    cap += max(base - D(1000), D(0)) * D("0.13")
    indirect = sum((task.amount(k, "central") for k in form.indirect_keys), D(0))
    assert indirect <= cap, (task.name, indirect, cap)
    return direct + indirect


def finish(draft: Draft) -> None:
    """Units' funding from their 课题; matching from the enterprises' own funds."""
    for unit in draft.units:
        mine = [t for t in draft.tasks if t.unit == unit.name]
        unit.funding = sum((check_task(t) for t in mine), D(0))
        if unit.kind == "enterprise":
            unit.matching = sum((line.amount("own") for t in mine for line in t.budget.values()), D(0))  # fmt: skip
            assert unit.matching >= unit.funding, unit.name
    leaders = {t.leader for t in draft.tasks}
    names = {p.name: p for p in draft.team}
    for task in draft.tasks:
        assert names[task.leader].unit == task.unit, task.name
    assert leaders <= set(names)


def attest_all(draft: Draft) -> Draft:
    """Every attestation the direction asks for, ticked (the applicant's word: true here)."""
    guide = load_guide()
    direction = guide.direction(draft.direction)
    assert direction is not None
    for _, req in guide.requirements_for(direction):
        if req.kind == "attestation":
            draft.attest[req.id] = True
    return draft


EXAMPLES = ("example-draft.toml", "example-draft-1.4.toml")


def main() -> None:
    for name in EXAMPLES:
        path = DOCS / name
        draft = load_draft(path)
        check_digits(draft)
        for attachment in draft.attachments:
            rescan(attachment)
        finish(draft)
        attest_all(draft)
        path.write_text(dump_draft(draft), "utf-8")
        print(path)


if __name__ == "__main__":
    main()
