"""Workflow scenarios (chain, fan-out, dynamic, map, CPU-bound fan-out on processes), defined in
`benchmarks/bench_workflows.py` and registered here as the `workflows` family."""

from __future__ import annotations

from benchmarks.bench_workflows import SCENARIOS

__all__ = ["SCENARIOS"]
