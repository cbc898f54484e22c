"""Dataframes: a 1M-row x 4-column pandas DataFrame through a task boundary (to literal and back).

The boundary is what a task output and the next task's input cost: `TypeEngine.to_literal(df)` (parquet written
under the raw-output prefix) then `TypeEngine.to_python_value` (read back). The floor is pyarrow's own parquet write
and read of the same frame (`Table.from_pandas` -> `write_table` -> `read_table` -> `to_pandas`), measured once.
Target: flytelite within 1.2x of the floor.
"""

from __future__ import annotations

import functools
import os
import tempfile
from typing import Any

from benchmarks._runner import Impl, Scenario, Size, Target, median_ms

__all__ = ["SCENARIOS"]

ROWS = Size(1_000_000, 10_000)


@functools.cache
def _frame(rows: int) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "id": np.arange(rows, dtype="int64"),
            "x": rng.random(rows),
            "flag": rng.random(rows) > 0.5,
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(rows), unit="s"),
        }
    )


def measure_boundary(impl: Impl, repeat: int) -> float:
    """Return the median ms of one `to_literal` + `to_python_value` of the frame with the SDK's type engine."""
    import pandas as pd

    df = _frame(ROWS.n)
    engine, ctx = impl.type_engine(), impl.context()
    lt = engine.to_literal_type(pd.DataFrame)

    def run() -> None:
        back = engine.to_python_value(ctx, engine.to_literal(ctx, df, pd.DataFrame, lt), pd.DataFrame)
        if len(back) != len(df):
            raise RuntimeError(f"{impl.name} returned {len(back)} rows")

    return median_ms(run, repeat, before=impl.reset_caches)


def measure_floor(impl: Impl, repeat: int) -> float:
    """Return the median ms of pyarrow's own parquet write + read of the frame (the same for every SDK)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = _frame(ROWS.n)
    path = os.path.join(tempfile.mkdtemp(prefix="bench-df-"), "00000")

    def run() -> None:
        pq.write_table(pa.Table.from_pandas(df), path, coerce_timestamps="us", allow_truncated_timestamps=False)
        if len(pq.read_table(path).to_pandas()) != len(df):
            raise RuntimeError("pyarrow lost rows")

    return median_ms(run, repeat)


FLOOR = Scenario(
    "dataframe floor: pyarrow write+read",
    "dataframes",
    "pyarrow's own parquet write + read of the same frame (shown in the first column)",
    measure_floor,
    sides=("flytelite",),
)

SCENARIOS = (
    FLOOR,
    Scenario(
        "dataframe 1M x 4 boundary",
        "dataframes",
        f"pd.DataFrame of {ROWS.full:,} rows x 4 columns: to_literal + to_python_value",
        measure_boundary,
        Target(1.2, relative_to=FLOOR.name, label="floor"),
        needs=(FLOOR.name,),
    ),
)
