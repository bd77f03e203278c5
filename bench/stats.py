"""Timing helpers and the result row every benchmark returns."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    figure: str
    how: str
    median_ms: float
    p95_ms: float
    baseline_ms: float | None
    target: str
    ok: bool | None  # None: reported for the record, no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_ms is None or self.baseline_ms == 0:
            return None
        return self.median_ms / self.baseline_ms


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def time_calls(function: Callable[[], object], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds per call, one sample per call."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples
