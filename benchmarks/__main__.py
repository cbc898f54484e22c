"""Run benchmark scenarios and print one table.

`python -m benchmarks [family-or-scenario ...] [--repeat N] [--quick] [--impl SDK] [--markdown FILE] [--list]`
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks._runner import IMPLEMENTATIONS, Scenario, format_table, run_scenarios, set_quick
from benchmarks.scenarios import all_scenarios

__all__ = ["main", "select", "write_markdown"]

START, END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"


def select(scenarios: Sequence[Scenario], wanted: Sequence[str]) -> list[Scenario]:
    """Return the scenarios named (or whose family is named) in `wanted`, plus the rows they need, in order.

    Raises:
        KeyError: If a name is neither a scenario nor a family.
    """
    if not wanted:
        return list(scenarios)
    by_name = {sc.name: sc for sc in scenarios}
    unknown = set(wanted) - set(by_name) - {sc.family for sc in scenarios}
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    chosen = {sc.name for sc in scenarios if sc.name in wanted or sc.family in wanted}
    pending = list(chosen)
    while pending:
        for need in by_name[pending.pop()].needs:
            if need not in chosen:
                chosen.add(need)
                pending.append(need)
    return [sc for sc in scenarios if sc.name in chosen]


def _machine(load: tuple[float, float, float]) -> str:
    return (
        f"`nproc` {os.cpu_count()}, Python {platform.python_version()} ({platform.machine()}), "
        f"load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min)"
    )


def write_markdown(path: Path, table: str, command: str, load: tuple[float, float, float]) -> None:
    """Write the table with the date, the machine and the command into `path`.

    If the file has the `bench-results` start and end markers, only the text between them is replaced;
    otherwise the file is created (or overwritten) with just that section.
    """
    today = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = f"{START}\nRun {today} on {_machine(load)}.\n\nCommand: `{command}`\n\n```text\n{table}\n```\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, count=1, flags=re.S)
    else:
        text = f"# Benchmark results\n\n{section}\n"
    path.write_text(text, encoding="utf-8")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("select", nargs="*", help="scenario names or family names (default: all)")
    parser.add_argument(
        "--repeat",
        type=int,
        help="timed runs per scenario (median; default and minimum 5, 7 for whole-process scenarios; 2 with --quick)",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes and 2 repeats (a smoke test, not figures)")
    parser.add_argument("--impl", action="append", choices=IMPLEMENTATIONS, help="run only this SDK (repeatable)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table, date and machine here")
    parser.add_argument("--list", action="store_true", help="list scenarios and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the selected scenarios, print the table; exit 1 if a flytelite figure failed."""
    parser = _parser()
    args = parser.parse_args(argv)
    scenarios = all_scenarios()
    if args.list:
        for sc in scenarios:
            print(f"{sc.family:12} {sc.name:46} {sc.description}")
        return 0
    try:
        scenarios = select(scenarios, args.select)
    except KeyError as exc:
        parser.error(f"unknown scenario or family: {exc.args[0]} (see --list)")
    load = os.getloadavg()
    set_quick(args.quick)
    repeat = args.repeat or (2 if args.quick else 5)
    results = run_scenarios(
        scenarios, repeat, echo=lambda m: print(m, file=sys.stderr, flush=True), impls=args.impl or IMPLEMENTATIONS
    )
    table = format_table(results)
    print(table)
    if args.markdown:
        words = ["python", "-m", "benchmarks", *(argv if argv is not None else sys.argv[1:])]
        write_markdown(args.markdown, table, shlex.join(words), load)
    return 1 if any(r.errors.get("flytelite") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
