"""Dataframe tasks the object-store tests run in-process and through `flytelite-execute` (`tests.storage...`)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from flytelite.core.task import task
from flytelite.types.file import FlyteFile
from flytelite.types.structured import StructuredDataset


@dataclasses.dataclass
class Report:
    """A record holding a dataset and a count."""

    table: StructuredDataset
    rows: int


@task
def make_frame(n: int) -> pd.DataFrame:
    """Return a frame of `n` rows."""
    return pd.DataFrame({"i": list(range(n)), "sq": [i * i for i in range(n)]})


@task
def total(df: pd.DataFrame) -> int:
    """Return the sum of the `sq` column."""
    return int(df["sq"].sum())


@task
def make_report(n: int) -> Report:
    """Return a record whose dataset is written when the record is encoded."""
    df = pd.DataFrame({"i": list(range(n)), "sq": [i * i for i in range(n)]})
    return Report(table=StructuredDataset(dataframe=df), rows=n)


@task
def report_total(r: Report) -> int:
    """Read the record's dataset (lazily) and sum its `sq` column."""
    return int(r.table.open(pd.DataFrame).all()["sq"].sum())


@task
def count_rows(sd: StructuredDataset) -> int:
    """Count the rows of a dataset read lazily inside the task."""
    return len(sd.open(pd.DataFrame).all())


@task
def file_size(f: FlyteFile) -> int:
    """Return the size of a file downloaded lazily inside the task."""
    with open(f, "rb") as fh:
        return len(fh.read())
