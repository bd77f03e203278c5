"""Render the 申报书 as a person sees it (`make render`; not part of `make test`):
build the Word file of a draft, convert it with LibreOffice headless to PDF, and turn the PDF's
pages into PNG images with pdftoppm, for looking at.

    python scripts/render.py [DRAFT.toml] [--dest build/render] [--lang zh|en]

Without DRAFT: an example built in code (tests.factories.full_draft for direction 1.6, with a
team long enough that its table runs onto a second page, to show the header row repeating).
Needs Debian's libreoffice-writer, poppler-utils and fonts-noto-cjk (README).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def example_draft() -> object:
    from tests.factories import full_draft, person
    from wizard.guide import load_guide

    guide = load_guide(None)
    draft = full_draft(guide, "1.6")
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    for i, surname in enumerate(surnames):
        draft.team.append(
            person(f"{surname}研究员", draft.units[i % 2].name, "general", 1 + i % 2,
                   date(1985, 1 + i % 12, 1 + i % 28), 10 + i)
        )  # fmt: skip
    draft.narrative["organisation"] = ""  # one empty part: 无
    return draft


# 宋体 and 黑体 are Windows fonts, absent here: without these aliases fontconfig gives every
# CJK run the same sans face (Noto Sans CJK JP), and the rendering would hide whether body and
# headings got their fonts. Serif stands in for 宋体/仿宋, sans for 黑体 (Simplified Chinese).
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""
_ALIAS = """  <alias binding="same"><family>{name}</family><prefer><family>{to}</family></prefer></alias>"""
STAND_INS = {
    "宋体": "Noto Serif CJK SC",
    "SimSun": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "SimHei": "Noto Sans CJK SC",
}


def fonts_conf(dest: Path) -> Path:
    aliases = "\n".join(_ALIAS.format(name=n, to=t) for n, t in STAND_INS.items())
    path = dest / "fonts.conf"
    path.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("draft", nargs="?", type=Path)
    parser.add_argument("--dest", type=Path, default=ROOT / "build" / "render")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--resolution", type=int, default=80, help="PNG pixels per inch")
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(
                f"render: {tool} not found; apt-get install libreoffice-writer poppler-utils "
                "fonts-noto-cjk",
                file=sys.stderr,
            )
            return 2
    from wizard.docx_export import render_docx
    from wizard.guide import load_guide
    from wizard.store import load_draft

    guide = load_guide(None)
    draft = load_draft(args.draft, guide) if args.draft else example_draft()
    dest: Path = args.dest
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("page-*.png"):
        old.unlink()
    stem = args.draft.stem if args.draft else "example-1.6"
    docx = dest / f"{stem}.docx"
    docx.write_bytes(render_docx(draft, guide, args.lang))  # type: ignore[arg-type]
    # A profile of its own: a LibreOffice already open for the user is not disturbed.
    profile = (dest / "lo-profile").resolve().as_uri()
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf(dest)))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(dest), str(docx)],
        check=True, timeout=300, stdout=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    pdf = dest / f"{stem}.pdf"
    subprocess.run(
        ["pdftoppm", "-r", str(args.resolution), "-png", str(pdf), str(dest / "page")],
        check=True,
        timeout=300,
    )
    pages = sorted(dest.glob("page-*.png"))
    print(f"{docx}\n{pdf}\n{len(pages)} pages: {dest}/page-*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
