"""Command line: `wizard check|directions|rules|new`; bare `wizard` opens the TUI.

Imports of the core happen inside the commands, so `--help` and argument errors answer at
bare-Python speed (pydantic model building alone costs ~0.2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from wizard.guide import Guide


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


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.check import check_paths, exit_code, report_json
    from wizard.labels import SEVERITY_LABELS, label
    from wizard.rules import counts

    guide = open_guide(args.guide)
    for p in args.paths:
        if not p.exists():
            raise CliError(f"{p}: no such file or folder")
    reports = check_paths(args.paths, guide)
    if args.json:
        out.write(json.dumps(report_json(reports, args.lang), ensure_ascii=False, indent=2))
        out.write("\n")
        return exit_code(reports)
    en = args.lang == "en"
    for report in reports:
        if report.error:
            _write(out, f"{report.path}\n  {'unreadable' if en else '无法读取'}: {report.error}\n")
            continue
        c = counts(report.violations)
        summary = (
            f"{c['error']} errors, {c['warning']} warnings, {c['info']} info"
            if en
            else f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"
        )
        direction = report.draft.direction if report.draft else ""
        _write(out, f"{report.path}  [{direction}]  {summary}\n")
        for v in report.violations:
            sev = SEVERITY_LABELS[v.severity].get(args.lang)
            _write(out, f"  {sev}  {v.path}  ({label(v.path, args.lang)})\n")
            _write(out, f"      {v.message(args.lang)}\n")
            clause = f"{v.clause.direction} {v.clause.item}：{v.clause.text}"
            _write(out, f"      ↳ {clause}\n")
    if not reports:
        raise CliError("no draft files found")
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
    guide = open_guide(args.guide)
    if args.json:
        data = {
            "guide": guide.id,
            "directions": [_direction_json(guide, d.code) for d in guide.directions],
        }
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    en = args.lang == "en"
    for d in guide.directions:
        title = d.title_en if en else d.title
        _write(out, f"{d.code}  {title}\n")
        if en:
            p, f = d.projects, d.funding
            count = f"{p.low}" if p.low == p.high else f"{p.low}–{p.high}"
            facts = (
                f"projects {count} ({p.wording}) · funding {f.amount}"
                f"{' approx.' if f.approx else ''} (10k CNY) · {d.period.en}"
            )
        else:
            facts = f"{d.projects.text} {d.funding.text} {d.period.zh}"
        _write(out, f"     {facts}\n")
    from datetime import datetime

    _write(out, guide.general.deadline.describe(args.lang, datetime.now().astimezone()) + "\n")
    low = sum(d.projects.low for d in guide.directions)
    high = sum(d.projects.high for d in guide.directions)
    total = sum(d.funding.amount for d in guide.directions)
    if en:
        _write(
            out, f"{len(guide.directions)} directions, {low}–{high} projects, {total} (10k CNY)\n"
        )
    else:
        _write(out, f"共 {len(guide.directions)} 个方向，项目 {low}–{high} 项，经费 {total} 万元\n")
    return 0


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.ruletable import rule_rows, rules_markdown

    guide = open_guide(args.guide)
    if args.direction and guide.direction(args.direction) is None:
        raise CliError(f"unknown direction {args.direction!r}")
    if args.md:
        out.write(rules_markdown(guide, args.direction))
    elif args.json:
        rows = rule_rows(guide, args.direction)
        out.write(json.dumps({"rules": rows}, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rule_rows(guide, args.direction):
            _write(out, f"{row['id']:<28} {row['severity']:<8} {row['kind']:<12} {row['checks']}\n")
    return 0


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.draft import new_draft
    from wizard.paths import drafts_dir
    from wizard.store import new_draft_path, save_draft

    guide = open_guide(args.guide)
    if guide.direction(args.direction) is None:
        codes = ", ".join(d.code for d in guide.directions)
        raise CliError(f"unknown direction {args.direction!r}; choose one of {codes}")
    draft = new_draft(args.direction, guide.id)
    draft.project.title = args.title
    if args.output is not None:
        path = args.output
        if path.exists():
            raise CliError(f"{path}: already exists; not overwritten")
    else:
        folder = drafts_dir(args.drafts_dir)
        path = new_draft_path(folder, args.title or f"draft-{args.direction}")
    save_draft(draft, path)
    _write(out, f"{path}\n")
    return 0


COMMANDS = {"check": cmd_check, "directions": cmd_directions, "rules": cmd_rules, "new": cmd_new}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            parser.print_help()
            return 0
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
