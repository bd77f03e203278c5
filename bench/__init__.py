"""Benchmarks (`make bench`): medians, p95 and ratios against a baseline measured in the same run."""
