"""Run benchmark scenarios: `python -m benchmarks [scenario-or-family ...] [--repeat N] [--list]`."""

from __future__ import annotations

import argparse
import sys

from benchmarks._runner import format_table, run_scenarios
from benchmarks.scenarios import all_scenarios

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the selected scenarios with flytelite and flytekit, and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("select", nargs="*", help="scenario names or family names (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per scenario (median; minimum 5)")
    parser.add_argument("--list", action="store_true", help="list scenarios and exit")
    args = parser.parse_args(argv)
    scenarios = all_scenarios()
    if args.list:
        for sc in scenarios:
            print(f"{sc.family:12} {sc.name:24} {sc.description}")
        return 0
    if args.select:
        chosen = [sc for sc in scenarios if sc.name in args.select or sc.family in args.select]
        unknown = set(args.select) - {sc.name for sc in scenarios} - {sc.family for sc in scenarios}
        if unknown:
            parser.error(f"unknown scenario or family: {', '.join(sorted(unknown))} (see --list)")
        scenarios = chosen
    results = run_scenarios(scenarios, max(args.repeat, 5), echo=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_table(results))
    return 1 if any(r.errors.get("flytelite") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
