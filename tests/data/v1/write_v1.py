"""Write v1 drafts with the v1 release's own writer (run with the v1 tree on sys.path)."""

import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from bench.samples import large_draft
from tests.factories import clean_draft
from wizard.draft import Unit, new_draft
from wizard.guide import load_guide
from wizard.store import dump_draft

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
guide = load_guide()
stamp = datetime(2020, 5, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def fix(d):
    d.meta.created = stamp
    d.meta.updated = stamp
    return d


for direction in guide.directions:
    d = fix(clean_draft(guide, direction.code))
    (out / f"clean-{direction.code}.toml").write_text(dump_draft(d), "utf-8")
# An empty new draft, one with typed text kept, a large one, one with notes and odd values.
(out / "new-1.9.toml").write_text(dump_draft(new_draft("1.9", now=stamp)), "utf-8")
d = fix(clean_draft(guide, "1.6"))
d.meta.unparsed = {
    "budget.materials": "四十多",
    "leader.birth_date": "1978年3月",
    "units[1].funding": "x",
}
d.meta.last_field = "budget.other_note"
d.meta.last_section = "budget"
d.budget.materials = None
d.budget.other = Decimal("3.5")
d.budget.other_note = "专利年费\n及软件许可"
d.leader.birth_date = None
(out / "unparsed-1.6.toml").write_text(dump_draft(d), "utf-8")
d = fix(large_draft(guide))
(out / "large-1.4.toml").write_text(dump_draft(d), "utf-8")
d = fix(clean_draft(guide, "1.2"))
d.project.summary = '第一行\n第二行 "引号" 与 \\ 反斜杠\t制表符'
d.units.append(Unit(name="无经费单位"))
d.budget.equipment = Decimal("12.345")
d.budget.labour = Decimal("-1")
d.meta.status = "ready"
text = dump_draft(d)
text = text.replace("[budget]", "# 预算待财务处确认\n\n[budget]\n# 单位：万元", 1)
text = text.replace("[leader]\n", "[leader]\n# 负责人信息来自人事处\n", 1)
text = text.replace("funding = ", "funding = ", 1)
(out / "hand-edited-1.2.toml").write_text(text, "utf-8")
