"""Scenario families. To add one, write `benchmarks/scenarios/<family>.py` with a `SCENARIOS` tuple and list it
in `FAMILIES`."""

from __future__ import annotations

import importlib

from benchmarks._runner import Scenario

__all__ = ["FAMILIES", "all_scenarios"]

FAMILIES = ("import_time", "roundtrip", "tasks", "workflows", "entrypoint", "cli", "dataframes", "files")


def all_scenarios() -> list[Scenario]:
    """Return every registered scenario, family by family, in declaration order."""
    found: list[Scenario] = []
    for family in FAMILIES:
        found.extend(importlib.import_module(f"benchmarks.scenarios.{family}").SCENARIOS)
    return found
