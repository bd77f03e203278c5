"""Command line: `wizard check|directions|rules|new|export|migrate|pack|guide`; bare `wizard`
opens the TUI.

The core never imports the UI: `main` takes the terminal wizard's runner as `tui`, which the
`wizard` program passes in (`screens/launcher.py`; `python -m wizard` is the same program).
Without it the commands that open screens say so and `new` only writes the file.

Imports of the core happen inside the commands, so `--help` and argument errors answer at
bare-Python speed (pydantic model building alone costs ~0.2 s).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable

    from wizard.guide import Guide, Requirement

    # The terminal wizard: (drafts folder, guide or None for the bundled one, language,
    # draft to open or None for the drafts home) -> exit code.
    TuiRunner = Callable[[Path, Guide | None, str, Path | None], int]


class CliError(Exception):
    """A problem reported as one readable line, exit code 2."""


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Subcommands accept the options too; SUPPRESS keeps them from resetting a value given
    # before the subcommand (`wizard --guide F check …`).
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    parser.add_argument(
        "--guide",
        metavar="FILE",
        default=default(None),
        help="guide data file (default: the bundled 2020 guide)",
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default("zh"),
        help="language of messages (default zh)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _common(common, top=False)
    parser = argparse.ArgumentParser(
        prog="wizard",
        description="申报书向导 — application wizard for the 2020 intergovernmental S&T "
        "innovation cooperation call. Without a command, opens the terminal wizard.",
    )
    _common(parser, top=True)
    parser.add_argument("--drafts-dir", metavar="DIR", help="drafts folder (default ./drafts)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check", parents=[common], help="check drafts (files or folders) against the guide"
    )
    check.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.add_argument(
        "--xlsx",
        type=Path,
        metavar="REPORT.xlsx",
        help="also write the 汇总表 for the research office (summary, issues, people, units)",
    )

    directions = sub.add_parser("directions", parents=[common], help="list the directions")
    directions.add_argument("--json", action="store_true", help="with every requirement")

    rules = sub.add_parser("rules", parents=[common], help="the rule table")
    rules.add_argument("--direction", metavar="CODE")
    fmt = rules.add_mutually_exclusive_group()
    fmt.add_argument("--md", action="store_true", help="Markdown (docs/rules.md)")
    fmt.add_argument("--json", action="store_true")

    new = sub.add_parser("new", parents=[common], help="write a new draft skeleton")
    new.add_argument("--direction", required=True, metavar="CODE")
    new.add_argument("--title", default="", help="project title (also names the file)")
    new.add_argument("-o", "--output", type=Path, metavar="FILE")
    new.add_argument("--drafts-dir", metavar="DIR", default=argparse.SUPPRESS, help="drafts folder")
    new.add_argument(
        "--no-open", action="store_true", help="only write the file; do not open the wizard"
    )

    op = sub.add_parser("open", parents=[common], help="open a draft in the terminal wizard")
    op.add_argument("file", type=Path, metavar="FILE")
    op.add_argument("--drafts-dir", metavar="DIR", default=argparse.SUPPRESS, help="drafts folder")

    export = sub.add_parser(
        "export",
        parents=[common],
        help="a readable summary of a draft (Markdown, HTML or JSON), or the 申报书 as Word",
    )
    export.add_argument("file", metavar="FILE", type=Path, help="the draft")
    export.add_argument(
        "--to",
        choices=("md", "html", "json", "docx"),
        help="format (default: from the suffix of -o, else md)",
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="write to OUT (default: standard output)"
    )
    export.add_argument(
        "--force", action="store_true", help="replace OUT if it exists (never the draft itself)"
    )

    migrate = sub.add_parser(
        "migrate",
        parents=[common],
        help="convert drafts (files or folders) to format 2, keeping each v1 file as NAME.v1.toml",
    )
    migrate.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    migrate.add_argument(
        "--dry-run", action="store_true", help="say what would be converted; write nothing"
    )

    _office_parsers(sub, common)

    guide = sub.add_parser("guide", help="work with guide data files")
    guide_sub = guide.add_subparsers(dest="guide_command", metavar="COMMAND", required=True)
    guide_check = guide_sub.add_parser(
        "check", parents=[common], help="validate a directions data file and summarise it"
    )
    guide_check.add_argument("file", metavar="FILE", type=Path, help="the data file")
    return parser


def open_guide(path: str | None) -> Guide:
    from wizard.guide import GuideError, load_guide
    from wizard.rules import unknown_rules

    try:
        guide = load_guide(path)
    except GuideError as exc:
        raise CliError(str(exc)) from None
    missing = unknown_rules(guide)
    if missing:
        raise CliError(f"{path or 'guide'}: rules not implemented: {', '.join(missing)}")
    return guide


def _write(out: TextIO, text: str) -> None:
    from wizard.display import printable

    out.write(printable(text, keep_newlines=True))


def _line(out: TextIO, text: str) -> None:
    """One output line: any newline or control inside `text` (a file name, a title) is
    shown escaped, so user text can never start a line of its own."""
    from wizard.display import printable

    out.write(printable(text) + "\n")


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.catalogue import clause_line, counts_text, status_text, t
    from wizard.check import check_paths, exit_code, inert_json, report_json
    from wizard.export import field_name
    from wizard.rules import counts

    guide = open_guide(args.guide)
    for p in args.paths:
        if not p.exists():
            raise CliError(f"{p}: no such file or folder")
    reports = check_paths(args.paths, guide)
    if args.json:
        out.write(inert_json(report_json(reports, args.lang)) + "\n")
        if args.xlsx is not None and reports:
            _check_xlsx(args, reports, guide, None)
        return exit_code(reports)
    for report in reports:
        if report.error:
            _line(out, str(report.path))
            _line(out, f"  {t('unreadable', args.lang)}: {report.error}")
            continue
        c = counts(report.violations)
        summary = counts_text(c, args.lang)
        direction = report.draft.direction if report.draft else ""
        marked = report.draft.meta.status if report.draft else "draft"
        status = status_text(marked, c["error"], args.lang)  # the screen's word
        _line(out, f"{report.path}  [{direction}]  {status} · {summary}")
        for v in report.violations:
            sev = t(f"severity.{v.severity}", args.lang)
            _line(out, f"  {sev}  {v.path}  ({field_name(guide, v.path, args.lang)})")
            _line(out, f"      {v.message(args.lang)}")
            _line(out, f"      ↳ {clause_line(v.clause, args.lang)}")
    if not reports:
        raise CliError("no draft files found")
    if args.xlsx is not None:
        _check_xlsx(args, reports, guide, out)
    return exit_code(reports)


def _direction_json(guide: Guide, code: str) -> dict[str, Any]:
    d = guide.direction(code)
    assert d is not None
    return {
        "code": d.code,
        "title": d.title,
        "title_en": d.title_en,
        "partner": d.partner.model_dump(),
        "agreements": d.agreements,
        "fields": d.fields.model_dump(mode="json"),
        "projects": d.projects.model_dump(),
        "funding": {"amount": str(d.funding.amount), "approx": d.funding.approx},
        "period": d.period.model_dump(),
        "agency": d.agency.model_dump() if d.agency else None,
        "requirements": [
            {"id": r.id, "kind": r.kind, "severity": r.severity, "item": r.item, "text": r.text}
            for _, r in guide.requirements_for(d)
        ],
    }


def cmd_directions(args: argparse.Namespace, out: TextIO) -> int:
    from decimal import Decimal

    from wizard.catalogue import t
    from wizard.check import inert_json
    from wizard.money import format_money

    guide = open_guide(args.guide)
    if args.json:
        data = {
            "guide": guide.id,
            "directions": [_direction_json(guide, d.code) for d in guide.directions],
        }
        out.write(inert_json(data) + "\n")
        return 0
    en = args.lang == "en"
    for d in guide.directions:
        title = d.title_en if en else d.title
        _write(out, f"{d.code}  {title}\n")
        p, f = d.projects, d.funding
        facts = t(
            "cli.direction_facts",
            args.lang,
            projects=f"{p.span} ({p.wording})" if en else p.text,
            funding=f.amount_text(args.lang) if en else f.text,
            period=d.period.get(args.lang),
        )
        _write(out, f"     {facts}\n")
    from datetime import datetime

    _write(out, guide.general.deadline.describe(args.lang, datetime.now().astimezone()) + "\n")
    low = sum(d.projects.low for d in guide.directions)
    high = sum(d.projects.high for d in guide.directions)
    total = format_money(sum((d.funding.amount for d in guide.directions), Decimal(0)))
    n = len(guide.directions)
    _write(out, t("cli.directions_total", args.lang, n=n, low=low, high=high, total=total) + "\n")
    return 0


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.check import inert_json
    from wizard.ruletable import rule_rows, rules_markdown

    guide = open_guide(args.guide)
    if args.direction and guide.direction(args.direction) is None:
        raise CliError(f"unknown direction {args.direction!r}")
    if args.md:
        out.write(rules_markdown(guide, args.direction))
    elif args.json:
        rows = rule_rows(guide, args.direction)
        out.write(inert_json({"rules": rows}) + "\n")
    else:
        for row in rule_rows(guide, args.direction):
            _write(out, f"{row['id']:<28} {row['severity']:<8} {row['kind']:<12} {row['checks']}\n")
    return 0


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.draft import new_draft
    from wizard.paths import drafts_dir
    from wizard.store import new_draft_path, save_draft

    guide = open_guide(args.guide)
    direction = guide.direction(args.direction)
    if direction is None:
        codes = ", ".join(d.code for d in guide.directions)
        raise CliError(f"unknown direction {args.direction!r}; choose one of {codes}")
    draft = new_draft(direction, guide.id)
    draft.project.title = args.title
    if args.output is not None:
        path = args.output
        if path.exists() or path.is_symlink():
            raise CliError(f"{path}: already exists; not overwritten")
        _folder_must_exist(path)
    else:
        folder = drafts_dir(args.drafts_dir)
        path = new_draft_path(folder, args.title or f"draft-{args.direction}")
    save_draft(draft, path)
    _line(out, str(path))
    tui: TuiRunner | None = args.tui
    if tui is not None and not args.no_open and sys.stdin.isatty() and out.isatty():
        return tui(path.parent, guide, args.lang, path)
    return 0


def _folder_must_exist(path: Path) -> None:
    """Output goes into an existing folder: a mistyped folder is said, not made."""
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder; not created (create it first)")


def _must_be_regular(path: Path) -> None:
    """A file named on the command line is a regular file (a FIFO would hang a reader)."""
    import stat

    from wizard.files import file_kind

    try:
        mode = path.stat().st_mode
    except OSError:
        raise CliError(f"{path}: no such file") from None
    if not stat.S_ISREG(mode):
        raise CliError(f"{path}: is a {file_kind(mode)}, not a regular file; not a draft")


def cmd_tui(args: argparse.Namespace, out: TextIO) -> int:
    """Bare `wizard` and `wizard open FILE`: the terminal wizard, run by the injected `tui`."""
    from wizard.paths import drafts_dir

    # The bundled guide is loaded by the app after its first frame; a guide file given on the
    # command line is checked here, so a broken one is reported before the screen opens.
    guide = open_guide(args.guide) if args.guide else None
    path: Path | None = getattr(args, "file", None)
    if path is not None:
        _must_be_regular(path)
    tui: TuiRunner | None = args.tui
    if tui is None:
        raise CliError("the terminal wizard is not available here; run the `wizard` program")
    if args.drafts_dir:
        folder = Path(args.drafts_dir)
    else:
        folder = path.parent if path is not None else drafts_dir(None)
    return tui(folder, guide, args.lang, path)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    if args.to == "docx" or (args.to is None and _suffix(args.output) == ".docx"):
        return _export_docx(args, out)
    from wizard.attachments import states
    from wizard.export import format_for, render_export
    from wizard.store import atomic_write, load_draft

    guide = open_guide(args.guide)
    draft = load_draft(args.file, guide)  # a v1 draft is upgraded as it loads; not rewritten
    output: Path | None = args.output
    fmt = args.to or (format_for(output.suffix) if output is not None else None) or "md"
    # The attached files as found beside the draft: the problems say what `wizard check` says.
    files = states(draft, args.file.parent)
    text = render_export(draft, guide, fmt, args.lang, files)
    if output is None:
        out.write(text)
        return 0
    if output.is_dir():
        raise CliError(f"{output}: is a folder; name the file to write")
    if output.exists() and os.path.samefile(output, args.file):
        raise CliError(f"{output}: is the draft itself; not overwritten")
    if output.suffix.lower() == ".toml":
        # A .toml target is almost surely a draft named by mistake; exports are md/html/json.
        raise CliError(f"{output}: a .toml file looks like a draft; choose another name")
    if (output.exists() or output.is_symlink()) and not args.force:
        raise CliError(f"{output}: already exists; not overwritten (--force replaces it)")
    _folder_must_exist(output)
    atomic_write(output, text.encode("utf-8"))
    _line(out, str(output))
    return 0


_MIGRATE_WORDS = {
    "migrated": ("已转换为格式 2，原文件保留为 {kept}", "converted to format 2; the v1 file kept as {kept}"),
    "would": ("将转换为格式 2，原文件将保留为 {kept}（试运行，未写入）",
              "would be converted to format 2, the v1 file kept as {kept} (dry run, nothing written)"),
    "current": ("已是格式 2，未改动", "already format 2; not changed"),
    "refused": ("未转换：{reason}", "not converted: {reason}"),
    "note": ("注意：{note}", "note: {note}"),
    "summary": ("转换 {migrated} 个，已是格式 2 的 {current} 个，未转换 {refused} 个",
                "{migrated} converted, {current} already format 2, {refused} not converted"),
    "summary_dry": ("将转换 {migrated} 个，已是格式 2 的 {current} 个，无法转换 {refused} 个（试运行）",
                    "{migrated} to convert, {current} already format 2, {refused} cannot be "
                    "converted (dry run)"),
}  # fmt: skip


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    """`wizard migrate PATH…`: each v1 draft converted as its first save would convert it
    (comments kept, the v1 file kept beside as NAME.v1.toml); exit 1 if any was refused."""
    from wizard.check import expand
    from wizard.migrate import note_text
    from wizard.store import migrate_file

    for p in args.paths:
        if not p.exists():
            raise CliError(f"{p}: no such file or folder")
    files = expand(args.paths)
    if not files:
        raise CliError("no draft files found")
    en = args.lang == "en"

    def say(key: str, **values: object) -> str:
        return _MIGRATE_WORDS[key][1 if en else 0].format(**values)

    counts = {"migrated": 0, "current": 0, "refused": 0}
    for path in files:
        result = migrate_file(path, dry_run=args.dry_run)
        counts[result.outcome] += 1
        kept = result.kept.name if result.kept else "?"
        if result.outcome == "migrated":
            text = say("would" if args.dry_run else "migrated", kept=kept)
        else:
            text = say(result.outcome, reason=result.reason)
        _line(out, f"{path}  {text}")
        for note in result.notes:
            _line(out, "  " + say("note", note=note_text(note, args.lang)))
    _line(out, say("summary_dry" if args.dry_run else "summary", **counts))
    return 1 if counts["refused"] else 0


def _guide_problems(guide: Guide) -> list[str]:
    """What the schema cannot see: rules without code, applies_to naming no direction."""
    from wizard.rules.registry import RULES

    codes = {d.code for d in guide.directions}
    places: list[tuple[str, str, list[Requirement]]] = [
        ("general", "general.requirements", list(guide.general.requirements))
    ]
    places += [
        (f"direction {d.code}", "requirements", list(d.requirements)) for d in guide.directions
    ]
    problems: list[str] = []
    for where, key, requirements in places:
        for i, r in enumerate(requirements):
            if r.rule and r.rule not in RULES:
                problems.append(
                    f"{where}, key {key}[{i}].rule: rule {r.rule!r} (requirement {r.id}) "
                    "is not implemented"
                )
            for code in r.applies_to or []:
                if code not in codes:
                    problems.append(
                        f"{where}, key {key}[{i}].applies_to: no direction {code!r} "
                        f"(requirement {r.id})"
                    )
    return problems


def cmd_guide_check(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.guide import GuideError, read_guide

    path: Path = args.file
    try:
        # read_guide, not load_guide: its cache would hide edits to a file checked twice.
        guide = read_guide(path)
    except GuideError as exc:
        raise CliError(str(exc)) from None
    problems = _guide_problems(guide)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CliError(f"{path}: {problems[0]}{more}")

    for line in _guide_summary(guide, str(path), args.lang):
        _write(out, line + "\n")
    return 0


def _guide_summary(guide: Guide, origin: str, lang: str) -> list[str]:
    """Directions, requirements by kind and severity, and the totals, as `guide check` prints."""
    import unicodedata
    from decimal import Decimal

    from wizard.catalogue import t
    from wizard.money import format_money

    def pad(text: str, width: int, right: bool = False) -> str:
        # CJK characters take two terminal columns.
        used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
        fill = " " * max(width - used, 0)
        return fill + text if right else text + fill

    requirements = [r for _, r in guide.all_requirements()]
    codes = [d.code for d in guide.directions]
    low = sum(d.projects.low for d in guide.directions)
    high = sum(d.projects.high for d in guide.directions)
    funding = format_money(sum((d.funding.amount for d in guide.directions), Decimal(0)))
    general = len(guide.general.requirements)
    severities = ("error", "warning", "info")
    title = guide.title_en if lang == "en" else guide.title
    lines = [
        t("cli.guide_valid", lang, origin=origin, id=guide.id, title=title),
        t("cli.guide_directions", lang, n=len(codes), codes=t("enum_sep", lang).join(codes)),
        t("cli.guide_requirements", lang, n=len(requirements), general=general),
    ]
    heads = [t(f"severity.{s}", lang) for s in severities] + [t("cli.total", lang)]
    lines.append("  " + pad("", 14) + "".join(pad(h, 10, right=True) for h in heads))
    for kind in ("rule", "attestation", "info"):
        row = [
            sum(1 for r in requirements if r.kind == kind and r.severity == s) for s in severities
        ]
        cells = [*row, sum(row)]
        lines.append(
            "  "
            + pad(t(f"cli.kind.{kind}", lang), 14)
            + "".join(pad(str(n), 10, right=True) for n in cells)
        )
    lines += [
        t("cli.guide_projects", lang, low=low, high=high),
        t("cli.guide_funding", lang, funding=funding),
    ]
    return lines


def cmd_guide(args: argparse.Namespace, out: TextIO) -> int:
    return {"check": cmd_guide_check}[args.guide_command](args, out)


# ---------------------------------------------------------------------------------------------
# The research office's files: Word, Excel, the submission package (wizard.docx_export,
# wizard.xlsx_report, wizard.pack). Their libraries are imported only by these commands.


def _office_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    pack = sub.add_parser(
        "pack",
        parents=[common],
        help="the submission package: draft, attachments, Word and HTML, manifest (zip)",
    )
    pack.add_argument("file", nargs="?", type=Path, metavar="FILE", help="the draft to pack")
    pack.add_argument(
        "-o", "--output", type=Path, metavar="OUT.zip", help="default: FILE's name .package.zip"
    )
    pack.add_argument(
        "--allow-errors", action="store_true", help="pack even while the rules find errors"
    )
    pack.add_argument("--force", action="store_true", help="replace OUT if it exists")
    pack.add_argument(
        "--verify",
        type=Path,
        metavar="PACKAGE.zip",
        help="check a package: every hash, the rules, changed/missing/extra files",
    )


def _suffix(path: Path | None) -> str:
    return path.suffix.lower() if path is not None else ""


def _output_for(output: Path, source: Path, force: bool) -> None:
    """`output` may be written: not a folder, not the draft, not a .toml, not replaced
    unless `force`, in an existing folder."""
    if output.is_dir():
        raise CliError(f"{output}: is a folder; name the file to write")
    if output.exists() and source.exists() and os.path.samefile(output, source):
        raise CliError(f"{output}: is the draft itself; not overwritten")
    if output.suffix.lower() == ".toml":
        raise CliError(f"{output}: a .toml file looks like a draft; choose another name")
    if (output.exists() or output.is_symlink()) and not force:
        raise CliError(f"{output}: already exists; not overwritten (--force replaces it)")
    _folder_must_exist(output)


def _export_docx(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.docx_export import render_docx
    from wizard.store import atomic_write, load_draft

    guide = open_guide(args.guide)
    _must_be_regular(args.file)
    draft = load_draft(args.file, guide)
    output: Path = args.output or args.file.with_suffix(".docx")
    _output_for(output, args.file, args.force)
    atomic_write(output, render_docx(draft, guide, args.lang))
    _line(out, str(output))
    return 0


def _check_xlsx(
    args: argparse.Namespace, reports: Sequence[Any], guide: Guide, out: TextIO | None
) -> None:
    from wizard.store import atomic_write
    from wizard.xlsx_report import render_xlsx

    output: Path = args.xlsx
    if output.suffix.lower() != ".xlsx":
        raise CliError(f"{output}: the report is an .xlsx file; name it REPORT.xlsx")
    if output.is_dir():
        raise CliError(f"{output}: is a folder; name the file to write")
    _folder_must_exist(output)
    atomic_write(output, render_xlsx(reports, guide, args.lang))
    if out is not None:
        _line(out, f"{'report' if args.lang == 'en' else '汇总表'}: {output}")


def cmd_pack(args: argparse.Namespace, out: TextIO) -> int:
    """`wizard pack FILE [-o OUT.zip] [--allow-errors]`, `wizard pack --verify PKG.zip`."""
    if args.verify is not None:
        if args.file is not None:
            raise CliError("pack: give either FILE or --verify PACKAGE.zip, not both")
        return _verify(args, out)
    if args.file is None:
        raise CliError("pack: name the draft to pack (or --verify PACKAGE.zip)")
    from wizard.pack import PackError, build_package, default_output
    from wizard.store import atomic_write

    guide = open_guide(args.guide)
    _must_be_regular(args.file)
    output: Path = args.output or default_output(args.file)
    _output_for(output, args.file, args.force)
    try:
        package = build_package(args.file, guide, allow_errors=args.allow_errors, lang=args.lang)
    except PackError as exc:
        # One line for the reason, one for each file or error it names.
        _line(sys.stderr, f"wizard: {exc.args[0]}")
        for detail in exc.details:
            _line(sys.stderr, f"  {detail}")
        return 2
    atomic_write(output, package.data)
    c = package.manifest["rules"]["counts"]
    en = args.lang == "en"
    files = len(package.manifest["files"])
    if en:
        _line(out, f"{output}: {files} files and the manifest; errors {c['error']}, "
                   f"warnings {c['warning']}")  # fmt: skip
    else:
        _line(out, f"{output}：{files} 个文件及清单；错误 {c['error']}，警告 {c['warning']}")
    return 0


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.catalogue import t
    from wizard.pack import verify_package

    guide = open_guide(args.guide)
    _must_be_regular(args.verify)
    found = verify_package(args.verify.read_bytes(), guide)
    en = args.lang == "en"
    for key in ("unsafe", "missing", "changed", "extra", "problems"):
        for name in getattr(found, key):
            _line(out, f"  {t(f'cli.verify.{key}', args.lang)}: {name}")
    then, now = found.counts_then, found.counts_now
    if now:
        rules = (
            f"rules now: errors {now.get('error', 0)}, warnings {now.get('warning', 0)}"
            f" (when packed: errors {then.get('error', '?')}, warnings {then.get('warning', '?')})"
            if en
            else f"规则复核：错误 {now.get('error', 0)}，警告 {now.get('warning', 0)}"
            f"（打包时：错误 {then.get('error', '?')}，警告 {then.get('warning', '?')}）"
        )
        _line(out, rules)
    if found.ok:
        _line(out, f"{args.verify}: {'intact' if en else '完整，哈希一致'}")
        return 1 if now.get("error", 0) else 0
    _line(out, f"{args.verify}: {'NOT intact' if en else '不完整或已改动'}")
    return 1


COMMANDS = {
    "check": cmd_check,
    "directions": cmd_directions,
    "rules": cmd_rules,
    "new": cmd_new,
    "open": cmd_tui,
    "export": cmd_export,
    "migrate": cmd_migrate,
    "guide": cmd_guide,
    "pack": cmd_pack,
}


def main(argv: Sequence[str] | None = None, *, tui: TuiRunner | None = None) -> int:
    """Run one command; `tui` opens the terminal wizard (bare `wizard`, `open`, `new`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.tui = tui
    try:
        if args.command is None:
            return cmd_tui(args, sys.stdout)
        return COMMANDS[args.command](args, sys.stdout)
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        from wizard.display import printable
        from wizard.guide import GuideError
        from wizard.store import DraftError

        if isinstance(exc, CliError | DraftError | GuideError | OSError):
            sys.stderr.write(printable(f"wizard: {exc}") + "\n")
            return 2
        if os.environ.get("WIZARD_DEBUG"):
            raise
        sys.stderr.write(
            printable(f"wizard: internal error ({type(exc).__name__}: {exc}); "
                      "set WIZARD_DEBUG=1 for details") + "\n"
        )  # fmt: skip
        return 70
    except KeyboardInterrupt:
        return 130
