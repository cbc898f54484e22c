"""The benchmark runner still runs: one cheap scenario of each family, flytelite only, small sizes, 2 repeats.

This checks that every family imports, measures and lands in the table; it asserts no speed (figures live in
`make bench`). The dataframe family needs pandas and pyarrow (the `data` extra) and is left out without them.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# One cheap scenario per family in benchmarks.scenarios.FAMILIES, with the rows it needs (floors, baselines).
CHEAP = {
    "import_time": ["import"],
    "roundtrip": ["list[int] 100k"],
    "tasks": ["@task x1000"],
    "workflows": ["chain 100 (serial)"],
    "entrypoint": ["entrypoint cold start over floor", "entrypoint cold start"],
    "cli": ["cli run over floor", "cli run (1 task)"],
    "dataframes": ["dataframe 1M x 4 boundary", "dataframe floor: pyarrow write+read"],
    "files": ["file local wf", "file baseline: fsspec put+get"],
}


def _families() -> list[str]:
    if all(importlib.util.find_spec(m) for m in ("pandas", "pyarrow")):
        return list(CHEAP)
    return [f for f in CHEAP if f != "dataframes"]


def _rows(table: str) -> dict[str, list[str]]:
    """Split the table into cells using the dashes under the header as column bounds."""
    lines = table.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    spans = [m.span() for m in re.finditer(r"-+", lines[rule])]
    rows = {}
    for line in lines[rule + 1 :]:
        if not line.strip():
            break
        cells = [line[a:b].strip() for a, b in spans[:-1]] + [line[spans[-1][0] :].strip()]
        rows[cells[0]] = cells
    return rows


def test_every_family_runs_and_prints_a_flytelite_figure() -> None:
    families = _families()
    wanted = [CHEAP[f][0] for f in families]
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--impl", "flytelite", *wanted],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    rows = _rows(proc.stdout)
    expected = {name for f in families for name in CHEAP[f]}
    assert set(rows) == expected
    for name, cells in rows.items():
        assert re.fullmatch(r"-?[\d,]+(\.\d+)? ms", cells[1]), (name, cells)
        assert cells[2] == "-", (name, cells)  # flytekit was not run
    assert re.search(r"<= 0\.05 ms per call: [\d.e-]+ (ok|MISSED)", rows["@task x1000"][4])
    assert re.fullmatch(r"<= 30 ms (ok|MISSED)", rows["entrypoint cold start over floor"][4])
