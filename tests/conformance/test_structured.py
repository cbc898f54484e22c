"""Dataframe conformance with flytekit 1.16: literal types, literals (URIs normalised), and data both ways."""

from __future__ import annotations

import os
from typing import Annotated, Any

import pandas as pd
import pyarrow as pa
import pytest

flytekit = pytest.importorskip("flytekit")

from flyteidl.core.literals_pb2 import Literal  # noqa: E402
from flytekit import FlyteContextManager as KitCM  # noqa: E402
from flytekit import kwtypes as kit_kwtypes  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTE  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402
from flytekit.types.structured import StructuredDataset as KitSD  # noqa: E402

from flytelite.core.context_manager import FlyteContextManager as LiteCM  # noqa: E402
from flytelite.core.interface import kwtypes  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTE  # noqa: E402
from flytelite.types.structured import CSV, StructuredDataset  # noqa: E402

DF = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})

# (flytelite type, flytekit type, flytelite value factory, flytekit value factory)
CASES: list[tuple[str, Any, Any, Any, Any]] = [
    ("pandas", pd.DataFrame, pd.DataFrame, lambda: DF, lambda: DF),
    ("arrow", pa.Table, pa.Table, lambda: pa.Table.from_pandas(DF), lambda: pa.Table.from_pandas(DF)),
    ("sd", StructuredDataset, KitSD, lambda: StructuredDataset(dataframe=DF), lambda: KitSD(dataframe=DF)),
    (
        "sd-columns",
        Annotated[StructuredDataset, kwtypes(a=int, b=str)],
        Annotated[KitSD, kit_kwtypes(a=int, b=str)],
        lambda: StructuredDataset(dataframe=DF),
        lambda: KitSD(dataframe=DF),
    ),
    (
        "sd-csv",
        Annotated[StructuredDataset, CSV],
        Annotated[KitSD, "csv"],
        lambda: StructuredDataset(dataframe=DF),
        lambda: KitSD(dataframe=DF),
    ),
    (
        "pandas-csv-annotation",
        Annotated[pd.DataFrame, CSV],
        Annotated[pd.DataFrame, "csv"],
        lambda: DF,
        lambda: DF,
    ),
    (
        "pandas-columns",
        Annotated[pd.DataFrame, kwtypes(a=int)],
        Annotated[pd.DataFrame, kit_kwtypes(a=int)],
        lambda: DF,
        lambda: DF,
    ),
]


def _normalised(lv_bytes: bytes) -> Literal:
    lv = Literal.FromString(lv_bytes)
    lv.scalar.structured_dataset.uri = "<uri>"
    return lv


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_literal_types_and_literals_match(case: tuple[str, Any, Any, Any, Any]) -> None:
    _, lite_t, kit_t, lite_v, kit_v = case
    lite_lt = LiteTE.to_literal_type(lite_t)
    kit_lt = KitTE.to_literal_type(kit_t)
    assert lite_lt.SerializeToString(deterministic=True) == kit_lt.to_flyte_idl().SerializeToString(deterministic=True)
    lite_lv = LiteTE.to_literal(LiteCM.current_context(), lite_v(), lite_t, lite_lt)
    kit_lv = KitTE.to_literal(KitCM.current_context(), kit_v(), kit_t, kit_lt)
    kit_files = sorted(os.listdir(kit_lv.scalar.structured_dataset.uri))
    assert sorted(os.listdir(lite_lv.scalar.structured_dataset.uri)) == kit_files
    assert _normalised(lite_lv.SerializeToString()) == _normalised(kit_lv.to_flyte_idl().SerializeToString())


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_flytekit_written_data_reads_in_flytelite_and_back(fmt: str) -> None:
    kit_t = Annotated[KitSD, fmt]
    kit_lv = KitTE.to_literal(KitCM.current_context(), KitSD(dataframe=DF), kit_t, KitTE.to_literal_type(kit_t))
    lite_lv = Literal.FromString(kit_lv.to_flyte_idl().SerializeToString())
    lite_ctx = LiteCM.current_context()
    sd = LiteTE.to_python_value(lite_ctx, lite_lv, StructuredDataset)
    pd.testing.assert_frame_equal(sd.open(pd.DataFrame).all(), DF)
    sub = LiteTE.to_python_value(lite_ctx, lite_lv, Annotated[pd.DataFrame, kwtypes(b=str)])
    assert list(sub.columns) == ["b"]
    # flytelite writes it again; flytekit reads what flytelite wrote
    lite_t = Annotated[StructuredDataset, fmt]
    again = LiteTE.to_literal(
        lite_ctx, StructuredDataset(dataframe=sd.open(pd.DataFrame).all()), lite_t, LiteTE.to_literal_type(lite_t)
    )
    kit_back = KitLiteral.from_flyte_idl(again)  # flytelite literals are flyteidl messages
    df = KitTE.to_python_value(KitCM.current_context(), kit_back, pd.DataFrame)
    pd.testing.assert_frame_equal(df, DF)


def test_flytelite_arrow_table_reads_in_flytekit() -> None:
    table = pa.Table.from_pandas(DF)
    lite_lv = LiteTE.to_literal(LiteCM.current_context(), table, pa.Table, LiteTE.to_literal_type(pa.Table))
    kit_lv = KitLiteral.from_flyte_idl(lite_lv)
    back = KitTE.to_python_value(KitCM.current_context(), kit_lv, pa.Table)
    assert back.equals(table)
