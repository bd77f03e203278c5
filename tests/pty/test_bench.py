"""The benchmark scripts run (on tiny sizes); the figures themselves live in docs/performance.md."""

from __future__ import annotations

import pytest

from bench import core
from bench.run import table


def test_core_benchmarks_run_on_tiny_sizes() -> None:
    results = [r for figure in core.FIGURES for r in figure(True)]
    assert len(results) >= 5
    assert all(r.median_ms > 0 for r in results)
    assert "| rule evaluation, typical draft |" in table(results)


@pytest.mark.slow
def test_tui_benchmarks_run_in_quick_mode() -> None:
    import sys

    import pytest

    if sys.platform == "win32":
        pytest.skip("needs a POSIX pty")
    from bench import tui

    results = [r for figure in tui.FIGURES for r in figure(True)]
    assert len(results) >= 10
    assert all(r.median_ms >= 0 for r in results)
    assert all(r.median_ms > 0 for r in results)
    assert "| key → character echoed (large draft) |" in table(results)
