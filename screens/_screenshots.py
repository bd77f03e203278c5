"""Write SVG screenshots of every screen to docs/screenshots/ (for the README).

    python -m screens._screenshots [OUT_DIR]

Uses the same sample drafts as the snapshot tests' data, in a temporary folder, with a fixed
clock, so the pictures are reproducible.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from screens.app import WizardApp
from wizard.draft import BudgetLine, Institution, Unit, new_draft
from wizard.guide import Guide, load_guide
from wizard.progress import SECTIONS
from wizard.store import save_draft

STAMP = datetime(2020, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def sample(guide: Guide, folder: Path) -> Path:
    """A 1.4 (China–EU) draft, mostly filled in, with a few problems left."""
    draft = new_draft("1.4", guide.id, now=STAMP)
    direction = guide.direction("1.4")
    assert direction is not None
    p = draft.project
    p.title = "面向健康土壤的中欧农业生物技术联合研究"
    p.title_en = "China–EU joint research on healthy soils"
    field = direction.fields.items[0]
    p.field = field.zh
    p.topic = field.topics[0].key if field.topics else ""
    p.months = 36
    p.summary = "研究土壤健康评价方法与修复技术。"
    p.keywords = ["土壤健康", "生物技术", "中欧合作"]
    draft.units = [
        Unit(name="中国农业大学", role="lead", kind="university", funding=Decimal("300")),
        Unit(name="中国科学院南京土壤研究所", kind="institute", funding=Decimal("150")),
        Unit(
            name="北京绿土科技有限公司",
            kind="enterprise",
            funding=Decimal("50"),
            matching=Decimal("30"),
        ),
    ]
    leader = draft.leader
    assert leader is not None  # a new draft's team starts with its leader
    leader.name = "王芳"
    leader.unit = "中国农业大学"
    leader.title = "正高级"
    leader.degree = "博士"
    leader.months_per_year = 8
    draft.tasks[0].name = "土壤健康评价方法"
    draft.tasks[0].unit = "中国农业大学"
    draft.tasks[0].leader = "王芳"
    draft.partner.country = "欧盟"
    draft.partner.institutions = [
        Institution(name="Wageningen University", kind="university", contact="Dr. de Vries")
    ]
    draft.h2020.proposal = "101000224"
    draft.h2020.topic = p.topic
    draft.h2020.call_year = 2020
    # The first categories of the guide's budget table, on central funds (never a key in code).
    amounts = ("120", "90", "60", "80", "70")
    for category, amount in zip(guide.form.direct_keys, amounts, strict=False):
        draft.tasks[0].budget[category] = BudgetLine(central=Decimal(amount))
    draft.tasks[0].budget[guide.form.indirect_keys[0]] = BudgetLine(central=Decimal("60"))
    draft.attest = {"gen-expert-fee": True}
    draft.meta.updated = STAMP
    path = folder / "健康土壤.toml"
    save_draft(draft, path, touch=False)
    other = new_draft("1.6", guide.id, now=STAMP)
    other.project.title = "中瑞抗生素耐药性研究"
    save_draft(other, folder / "sweden.toml", touch=False)
    (folder / "broken.toml").write_text("schema_version = 1\n[project]\ntitle = 3\n")
    return path


Shot = Callable[[Any], Awaitable[None]]


async def take(
    guide: Guide, out: Path, name: str, lang: str, size: tuple[int, int], steps: Shot, edit: bool
) -> None:
    base = Path(tempfile.mkdtemp(prefix="wizard-shots-"))
    folder = base / "drafts"
    folder.mkdir()
    here = Path.cwd()
    os.chdir(base)  # the home screen shows the folder as given: "drafts"
    try:
        sample(guide, folder)
        path = Path("drafts") / "健康土壤.toml"
        app = WizardApp(
            Path("drafts"), guide, lang, open_path=path if edit else None, clock=lambda: STAMP
        )
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot)
            # The home's checking thread, and what follows a check a frame later.
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            await pilot.pause()
            app.save_screenshot(str(out / f"{name}.svg"))
    finally:
        os.chdir(here)
        shutil.rmtree(base, ignore_errors=True)


async def main(out: Path) -> None:
    guide = load_guide()
    out.mkdir(parents=True, exist_ok=True)

    async def nothing(pilot: Any) -> None:
        return None

    async def picker(pilot: Any) -> None:
        await pilot.press("n")
        await pilot.pause()

    def section(name: str) -> Shot:
        async def go(pilot: Any) -> None:
            await pilot.app.screen.show_section(name)

        return go

    shots: list[tuple[str, Shot, bool]] = [
        ("home", nothing, False),
        ("picker", picker, False),
    ]
    shots += [(s, section(s), True) for s in SECTIONS]
    for lang, size in (("zh", (120, 40)), ("en", (120, 40))):
        for name, steps, edit in shots:
            await take(guide, out, f"{name}-{lang}", lang, size, steps, edit)
    await take(guide, out, "units-zh-80x24", "zh", (80, 24), section("units"), True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    asyncio.run(main(target.resolve()))
