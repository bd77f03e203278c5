"""Figures of the core: rule evaluation, open/save, batch check, CLI import time."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.samples import large_draft, typical_draft, write_drafts
from bench.stats import Result, median, p95, time_calls
from wizard.conflict import TrackedDraft
from wizard.guide import load_guide
from wizard.rules import evaluate
from wizard.store import draft_data, dump_draft, load_draft, save_draft

ROOT = Path(__file__).resolve().parent.parent
PARSE_ONLY = (
    "import sys, tomllib, decimal, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.toml')):\n"
    "    tomllib.loads(p.read_text('utf-8'), parse_float=decimal.Decimal)\n"
)


def rule_evaluation(quick: bool) -> list[Result]:
    guide = load_guide()
    repeat = 50 if quick else 2000
    out = []
    for name, draft, limit in (
        ("typical", typical_draft(guide), 0.2),
        ("large", large_draft(guide), 2.0),
    ):
        samples = time_calls(lambda d=draft: evaluate(d, guide), repeat)
        out.append(
            Result(
                f"rule evaluation, {name} draft",
                f"evaluate() × {repeat}",
                median(samples),
                p95(samples),
                None,
                f"≤ {limit} ms",
                median(samples) <= limit,
            )
        )
    return out


def open_and_save(quick: bool) -> list[Result]:
    guide = load_guide()
    repeat = 10 if quick else 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.toml"
        draft = large_draft(guide)
        save_draft(draft, path)
        opened = time_calls(lambda: load_draft(path, guide), repeat)
        saved = time_calls(lambda: save_draft(draft, path), repeat)
        dumped = time_calls(lambda: dump_draft(draft), repeat)
        # The editor's save of a draft with hand-written comments: check the file has not
        # changed (read + SHA-256), patch the kept tomlkit document, atomic write.
        hand = "# 手写的注释\n" + dump_draft(draft).replace("[[tasks]]", "# 课题\n[[tasks]]", 1)
        path.write_text(hand, "utf-8")
        tracked = TrackedDraft(path, hand.encode("utf-8"))
        tracked.write(draft_data(draft))  # the first save parses the document once
        kept = time_calls(lambda: tracked.write(draft_data(draft)), repeat)
    return [
        Result("open a draft (large)", "load + validate", median(opened), p95(opened), None,
               "≤ 50 ms", median(opened) <= 50),
        Result("save a draft (large)", "dump + atomic write with fsync", median(saved),
               p95(saved), None, "≤ 25 ms", median(saved) <= 25,
               f"of which TOML dump {median(dumped):.2f} ms"),
        Result("save a hand-edited draft (large)", "conflict check + comment-keeping round trip + atomic write",
               median(kept), p95(kept), None, "≤ 25 ms", median(kept) <= 25),
    ]  # fmt: skip


def _wall(argv: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=False, capture_output=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def batch_check(quick: bool, sizes: tuple[int, ...] | None = None) -> list[Result]:
    guide = load_guide()
    sizes = sizes or ((20,) if quick else (100, 1000, 10000))
    runs = 1 if quick else 3
    out = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            write_drafts(guide, Path(folder), size)
            ours = _wall([sys.executable, "-m", "wizard", "check", folder, "--json"], runs)
            base = _wall([sys.executable, "-c", PARSE_ONLY, folder], runs)
        ratio = median(ours) / median(base)
        # The target is set at 1,000 drafts; the other sizes show how it grows (at 100
        # the wizard's fixed start-up, ≈ 250 ms of models and guide, outweighs the drafts).
        judged = size == 1000 or quick
        out.append(
            Result(
                f"batch check, {size} drafts",
                "`wizard check DIR --json` vs tomllib parse-only script",
                median(ours),
                p95(ours),
                median(base),
                "≤ 3× parse-only" if judged else "— (growth)",
                (ratio <= 3) if judged else None,
                f"{median(ours) / size:.2f} ms per draft",
            )
        )
    return out


def cli_import(quick: bool) -> list[Result]:
    runs = 3 if quick else 15
    ours = _wall([sys.executable, "-m", "wizard", "check", "--help"], runs)
    bare = _wall([sys.executable, "-c", "pass"], runs)
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys, wizard.cli; print('textual' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    extra = median(ours) - median(bare)
    no_textual = probe.stdout.strip() == "False"
    return [
        Result(
            "CLI import",
            "`wizard check --help` vs `python -c pass`",
            median(ours),
            p95(ours),
            median(bare),
            "≤ bare + 150 ms; no textual import",
            extra <= 150 and no_textual,
            f"+{extra:.0f} ms; textual imported: {not no_textual}",
        )
    ]


FIGURES = (rule_evaluation, open_and_save, batch_check, cli_import)
