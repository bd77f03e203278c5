"""Drafts to measure on: a typical one and a large one (60 units, 20 institutions, long texts)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.factories import clean_draft, credit_code
from wizard.draft import Draft, Institution, Unit
from wizard.guide import Guide
from wizard.store import save_draft


def typical_draft(guide: Guide) -> Draft:
    return clean_draft(guide, "1.6")


def large_draft(guide: Guide, units: int = 60, institutions: int = 20) -> Draft:
    draft = clean_draft(guide, "1.4")
    draft.project.summary = "本项目围绕健康土壤与食品生产开展联合研究。" * 200
    draft.project.keywords = [f"关键词{i}" for i in range(10)]
    for i in range(len(draft.units), units):
        draft.units.append(
            Unit(
                name=f"合作单位{i:03d}研究院",
                kind="institute" if i % 3 else "enterprise",
                credit_code=credit_code(100 + i),
                parent=f"上级主管部门{i % 7}",
                registered=date(2000, 1, 1),
                # Enterprises matching less than they receive: a draft with many problems
                # (units under one parent are not subordinate to each other: no finding).
                funding=Decimal("0") if i % 3 else Decimal("2"),
                matching=Decimal("1.00"),
            )
        )
    draft.h2020.participants = [u.name for u in draft.units]
    draft.partner.institutions = [
        Institution(
            name=f"European Partner Institute {i}",
            kind="institute" if i % 2 else "university",
            contact=f"Dr. Partner {i}",
            email=f"p{i}@example.eu",
        )
        for i in range(institutions)
    ]
    return draft


def write_drafts(guide: Guide, folder: Path, count: int) -> list[Path]:
    """`count` drafts across the directions, some clean, some broken, as research offices see."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = [d.code for d in guide.directions]
    paths = []
    for i in range(count):
        draft = clean_draft(guide, codes[i % len(codes)])
        draft.project.title = f"项目 {i:05d}"
        draft.leader.name = f"负责人{i:05d}"
        if i % 4 == 0:
            draft.partner.submitted = False
        if i % 5 == 0:
            draft.units[0].credit_code = "91110108MA01234567"
        paths.append(save_draft(draft, folder / f"draft-{i:05d}.toml", touch=False))
    return paths
