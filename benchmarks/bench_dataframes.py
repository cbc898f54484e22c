"""Dataframe benchmark: a 1M-row x 4-column pandas DataFrame through a task boundary (to literal and back).

Run with `python -m benchmarks.bench_dataframes [--repeat N]`. The boundary is what a task output and the next
task's input cost: `TypeEngine.to_literal(df)` (parquet written under the raw-output prefix) then
`TypeEngine.to_python_value` (read back). The baseline is pyarrow's own parquet write + read of the same frame
(`Table.from_pandas` -> `write_table` -> `read_table` -> `to_pandas`). Target: flytelite within 1.2x of the baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import Any

from benchmarks._runner import Impl, Scenario, format_table, median_ms, run_scenarios

__all__ = ["SCENARIOS", "main", "pyarrow_baseline_ms"]

ROWS = 1_000_000
TARGET_RATIO = 1.2


def _frame() -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "id": np.arange(ROWS, dtype="int64"),
            "x": rng.random(ROWS),
            "flag": rng.random(ROWS) > 0.5,
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(ROWS), unit="s"),
        }
    )


def _roundtrip(impl: Impl, repeat: int) -> float:
    import pandas as pd

    df = _frame()
    engine = impl.type_engine()
    ctx = impl.context()
    lt = engine.to_literal_type(pd.DataFrame)

    def run() -> None:
        lv = engine.to_literal(ctx, df, pd.DataFrame, lt)
        back = engine.to_python_value(ctx, lv, pd.DataFrame)
        if len(back) != ROWS:
            raise RuntimeError(f"{impl.name} returned {len(back)} rows")

    return median_ms(run, repeat, before=impl.reset_caches)


def pyarrow_baseline_ms(repeat: int) -> float:
    """Return the median ms of pyarrow's own parquet write + read of the benchmark frame."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = _frame()
    folder = tempfile.mkdtemp(prefix="bench-df-")

    def run() -> None:
        path = os.path.join(folder, "00000")
        pq.write_table(pa.Table.from_pandas(df), path, coerce_timestamps="us", allow_truncated_timestamps=False)
        back = pq.read_table(path).to_pandas()
        if len(back) != ROWS:
            raise RuntimeError("pyarrow lost rows")

    return median_ms(run, repeat)


SCENARIOS = (
    Scenario(
        "dataframe 1M x 4 boundary",
        "dataframes",
        f"pd.DataFrame of {ROWS:,} rows x 4 columns: to_literal + to_python_value",
        _roundtrip,
    ),
)


def main(argv: list[str] | None = None) -> int:
    """Run the dataframe scenario, print the table and the ratio to the pyarrow baseline."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_dataframes")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    repeat = max(args.repeat, 5)
    results = run_scenarios(SCENARIOS, repeat, echo=lambda m: print(m, file=sys.stderr, flush=True))
    print(format_table(results))
    base = pyarrow_baseline_ms(repeat)
    lite = results[0].ms.get("flytelite")
    print(f"pyarrow write+read baseline: {base:,.1f} ms")
    if lite is not None:
        ratio = lite / base
        verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
        print(f"flytelite / pyarrow: {ratio:.2f}x (target <= {TARGET_RATIO}x) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
