"""Data types inside records, matched against flytekit 1.16: a `StructuredDataset` field of a dataclass, pydantic
models holding files, folders and datasets, and plain paths given for file and folder fields of a dataclass.

Literal types must be equal; literals are compared with the raw-output prefixes replaced by `<raw>` and random
32-hex names by `<hex>` (each SDK picks its own); each SDK then decodes the other's literal and reads the same data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import msgpack
import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict

flytekit = pytest.importorskip("flytekit")
pydantic = pytest.importorskip("pydantic")

from flyteidl.core.literals_pb2 import Literal  # noqa: E402
from flytekit import kwtypes as kit_kwtypes  # noqa: E402
from flytekit.core.context_manager import ExecutionState as KitExecutionState  # noqa: E402
from flytekit.core.context_manager import FlyteContextManager as KitContextManager  # noqa: E402
from flytekit.core.data_persistence import FileAccessProvider as KitFileAccess  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402
from flytekit.types.directory import FlyteDirectory as KitDirectory  # noqa: E402
from flytekit.types.file import FlyteFile as KitFile  # noqa: E402
from flytekit.types.structured import StructuredDataset as KitSD  # noqa: E402

from flytelite.core.context_manager import ExecutionState, FlyteContextManager  # noqa: E402
from flytelite.core.interface import kwtypes  # noqa: E402
from flytelite.errors import TypeTransformerFailedError  # noqa: E402
from flytelite.storage import FileAccessProvider  # noqa: E402
from flytelite.types import TypeEngine  # noqa: E402
from flytelite.types.directory import FlyteDirectory  # noqa: E402
from flytelite.types.file import FlyteFile  # noqa: E402
from flytelite.types.structured import StructuredDataset  # noqa: E402

HEX = re.compile(r"[0-9a-f]{32}")
DF = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


# ------------------------------------------------------------------------------------------- the same shapes twice
def dataset_record(sd_t: Any, cols: Any) -> Any:
    """A dataclass holding datasets (the class name is part of the JSON schema, so both sides use the same)."""
    fields = [("sd", sd_t), ("typed", Annotated[sd_t, cols(a=int)]), ("n", int, dataclasses.field(default=1))]
    return dataclasses.make_dataclass("Tables", fields)


def path_record(file_t: Any, dir_t: Any) -> Any:
    """A dataclass with file and folder fields in every position the string shortcut reaches."""
    csv_t = file_t.__class_getitem__("csv")
    fields = [
        ("f", file_t),
        ("d", dir_t),
        ("table", typing.Optional[csv_t], dataclasses.field(default=None)),  # noqa: UP045
        ("maybe", typing.Optional[file_t], dataclasses.field(default=None)),  # noqa: UP045  # flytekit's spelling
        ("many", list[file_t], dataclasses.field(default_factory=list)),
        ("named", dict[str, dir_t], dataclasses.field(default_factory=dict)),
        ("label", typing.Union[str, file_t], dataclasses.field(default="plain")),
    ]
    return dataclasses.make_dataclass("Paths", fields)


def data_model(file_t: Any, dir_t: Any, sd_t: Any) -> Any:
    """A pydantic model holding a file, a csv file, a folder, a dataset and optional/list forms."""
    return pydantic.create_model(
        "Bundle",
        f=(file_t, ...),
        c=(file_t["csv"], ...),
        d=(dir_t, ...),
        sd=(sd_t, ...),
        maybe=(typing.Optional[file_t], None),  # noqa: UP045
        many=(list[file_t], []),
        n=(int, 3),
    )


LiteTables, KitTables = dataset_record(StructuredDataset, kwtypes), dataset_record(KitSD, kit_kwtypes)
LitePaths, KitPaths = path_record(FlyteFile, FlyteDirectory), path_record(KitFile, KitDirectory)
LiteBundle = data_model(FlyteFile, FlyteDirectory, StructuredDataset)
KitBundle = data_model(KitFile, KitDirectory, KitSD)


def as_dict(message: Any) -> dict[str, Any]:
    proto = message.to_flyte_idl() if hasattr(message, "to_flyte_idl") else message
    return MessageToDict(proto)


def _without_dataset_description(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _without_dataset_description(v)
            for k, v in node.items()
            if not (k == "description" and node.get("title") == "StructuredDataset")
        }
    if isinstance(node, list):
        return [_without_dataset_description(v) for v in node]
    return node


@pytest.mark.parametrize(
    ("lite_t", "kit_t"),
    [(LiteTables, KitTables), (LitePaths, KitPaths), (LiteBundle, KitBundle)],
    ids=["dataclass with datasets", "dataclass with paths", "pydantic model"],
)
def test_literal_types_and_json_schemas_match(lite_t: Any, kit_t: Any) -> None:
    lite, kit = as_dict(TypeEngine.to_literal_type(lite_t)), as_dict(KitTypeEngine.to_literal_type(kit_t))
    # flytekit's pydantic schema carries its dataset class docstring as the description; flytelite writes its own
    # words there (we copy no text), so that one field is left out of the comparison.
    lite, kit = _without_dataset_description(lite), _without_dataset_description(kit)
    assert lite["metadata"] == kit["metadata"]  # the JSON schema, compared on its own for a readable failure
    assert lite == kit


# ----------------------------------------------------------------------------------------------------- literals
@dataclasses.dataclass
class Sides:
    lite_raw: str
    kit_raw: str

    def normalise(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.normalise(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.normalise(v) for v in value]
        if isinstance(value, str):
            for raw in (self.lite_raw, self.kit_raw):
                value = value.replace(raw.rstrip("/"), "<raw>")
            return HEX.sub("<hex>", value)
        return value

    def view(self, lv: Any) -> Any:
        """Return the msgpack payload of a binary literal, URIs normalised."""
        proto = lv.to_flyte_idl() if hasattr(lv, "to_flyte_idl") else lv
        assert proto.scalar.binary.tag == "msgpack"
        return self.normalise(msgpack.unpackb(proto.scalar.binary.value))


@contextlib.contextmanager
def both_sides(tmp_path: Path, local: bool = False) -> Iterator[tuple[Any, Any, Sides]]:
    lite_mode = ExecutionState.Mode.LOCAL_TASK_EXECUTION if local else ExecutionState.Mode.TASK_EXECUTION
    kit_mode = KitExecutionState.Mode.LOCAL_TASK_EXECUTION if local else KitExecutionState.Mode.TASK_EXECUTION
    lite_fa = FileAccessProvider(tmp_path / "lite_sb", str(tmp_path / "lite_raw"))
    kit_fa = KitFileAccess(local_sandbox_dir=str(tmp_path / "kit_sb"), raw_output_prefix=str(tmp_path / "kit_raw"))
    lite_base = FlyteContextManager.current_context().with_file_access(lite_fa)
    kit_base = KitContextManager.current_context().with_file_access(kit_fa).build()
    lite_es = lite_base.execution_state.with_params(mode=lite_mode)  # type: ignore[union-attr]
    kit_es = kit_base.execution_state.with_params(mode=kit_mode)
    with (
        FlyteContextManager.with_context(lite_base.with_execution_state(lite_es)) as lite_ctx,
        KitContextManager.with_context(kit_base.with_execution_state(kit_es)) as kit_ctx,
    ):
        yield lite_ctx, kit_ctx, Sides(lite_fa.raw_output_prefix, kit_fa.raw_output_prefix)


def lite_literal(ctx: Any, value: Any, t: Any) -> Literal:
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def kit_literal(ctx: Any, value: Any, t: Any) -> Any:
    return KitTypeEngine.to_literal(ctx, value, t, KitTypeEngine.to_literal_type(t))


def to_lite(kit_lv: Any) -> Literal:
    return Literal.FromString(kit_lv.to_flyte_idl().SerializeToString())


def test_dataset_fields_encode_alike_and_cross_decode(tmp_path: Path) -> None:
    with both_sides(tmp_path) as (lite_ctx, kit_ctx, sides):
        lite_value = LiteTables(StructuredDataset(dataframe=DF), StructuredDataset(dataframe=DF))
        lite_lv = lite_literal(lite_ctx, lite_value, LiteTables)
        kit_lv = kit_literal(kit_ctx, KitTables(KitSD(dataframe=DF), KitSD(dataframe=DF)), KitTables)
        assert sides.view(lite_lv) == sides.view(kit_lv)
        assert sides.view(lite_lv)["sd"] == {"uri": "<raw>/<hex>", "file_format": "parquet"}
        from_kit = TypeEngine.to_python_value(lite_ctx, to_lite(kit_lv), LiteTables)
        from_lite = KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(lite_lv), KitTables)
        pd.testing.assert_frame_equal(from_kit.sd.open(pd.DataFrame).all(), DF)
        pd.testing.assert_frame_equal(from_kit.typed.open(pd.DataFrame).all(), DF)
        pd.testing.assert_frame_equal(from_lite.sd.open(pd.DataFrame).all(), DF)
        assert (from_kit.sd.file_format, from_kit.n) == (from_lite.sd.file_format, from_lite.n) == ("parquet", 1)


def test_local_stored_dataset_field_is_copied_under_the_raw_prefix(tmp_path: Path) -> None:
    stored = tmp_path / "stored"
    stored.mkdir()
    DF.to_parquet(stored / "00000")
    with both_sides(tmp_path) as (lite_ctx, kit_ctx, sides):
        lite_sd = StructuredDataset(uri=str(stored), file_format="parquet")
        lite_lv = lite_literal(lite_ctx, LiteTables(lite_sd, lite_sd), LiteTables)
        kit_sd = KitSD(uri=str(stored), file_format="parquet")
        kit_lv = kit_literal(kit_ctx, KitTables(kit_sd, kit_sd), KitTables)
        assert sides.view(lite_lv) == sides.view(kit_lv)
        assert sides.view(lite_lv)["sd"]["uri"] == "<raw>/<hex>/stored/"
        back = TypeEngine.to_python_value(lite_ctx, to_lite(kit_lv), LiteTables)
        pd.testing.assert_frame_equal(back.sd.open(pd.DataFrame).all(), DF)


def test_dataframe_typed_field_is_refused_by_both(tmp_path: Path) -> None:
    lite_t = dataclasses.make_dataclass("Frames", [("df", pd.DataFrame)])
    kit_t = dataclasses.make_dataclass("Frames", [("df", pd.DataFrame)])
    assert as_dict(TypeEngine.to_literal_type(lite_t)) == as_dict(KitTypeEngine.to_literal_type(kit_t))
    with both_sides(tmp_path) as (lite_ctx, kit_ctx, _):
        with pytest.raises(Exception, match="not serializable"):
            kit_literal(kit_ctx, kit_t(DF), kit_t)
        with pytest.raises(TypeTransformerFailedError, match="StructuredDataset"):
            lite_literal(lite_ctx, lite_t(DF), lite_t)


# ------------------------------------------------------------------------------------------------- plain paths
@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "table.csv").write_text("a,b\n1,2\n")
    (folder / "sub" / "x.txt").write_text("x")
    return folder


@pytest.mark.parametrize("local", [False, True], ids=["task execution", "local run"])
def test_plain_paths_in_dataclass_fields_encode_alike(tmp_path: Path, data: Path, local: bool) -> None:
    csv, folder = str(data / "table.csv"), str(data / "sub")

    def value(t: Any) -> Any:
        return t(f=csv, d=folder, table=csv, maybe=csv, many=[csv, "s3://bucket/k.txt"], named={"x": folder})

    with both_sides(tmp_path, local) as (lite_ctx, kit_ctx, sides):
        lite_value, kit_value = value(LitePaths), value(KitPaths)
        lite_lv, kit_lv = lite_literal(lite_ctx, lite_value, LitePaths), kit_literal(kit_ctx, kit_value, KitPaths)
        assert sides.view(lite_lv) == sides.view(kit_lv)
        # both SDKs turn the paths into file objects in place, and leave a str in `Union[str, FlyteFile]` alone
        assert isinstance(lite_value.f, FlyteFile) and isinstance(kit_value.f, KitFile)
        assert isinstance(lite_value.named["x"], FlyteDirectory) and lite_value.label == kit_value.label == "plain"
        back = TypeEngine.to_python_value(lite_ctx, to_lite(kit_lv), LitePaths)
        assert Path(back.f).read_text() == "a,b\n1,2\n" and os.listdir(back.d) == ["x.txt"]
        assert back.many[1].remote_source == "s3://bucket/k.txt"


def test_remote_string_paths_pass_through_alike(tmp_path: Path) -> None:
    with both_sides(tmp_path) as (lite_ctx, kit_ctx, sides):
        lite_lv = lite_literal(lite_ctx, LitePaths(f="s3://b/k.csv", d="s3://b/prefix"), LitePaths)
        kit_lv = kit_literal(kit_ctx, KitPaths(f="s3://b/k.csv", d="s3://b/prefix"), KitPaths)
        assert sides.view(lite_lv) == sides.view(kit_lv)
        assert sides.view(lite_lv)["f"] == {"path": "s3://b/k.csv"}


# --------------------------------------------------------------------------------------------------- pydantic
def test_pydantic_models_encode_alike_and_cross_decode(tmp_path: Path, data: Path) -> None:
    csv, folder = str(data / "table.csv"), str(data / "sub")
    with both_sides(tmp_path) as (lite_ctx, kit_ctx, sides):
        lite_m = LiteBundle(
            f=FlyteFile(csv, metadata={"k": "v"}),
            c=FlyteFile["csv"](csv),
            d=FlyteDirectory(folder),
            sd=StructuredDataset(dataframe=DF),
            many=[FlyteFile("s3://bucket/k.txt")],
        )
        kit_csv_t = KitBundle.model_fields["c"].annotation  # flytekit accepts only this exact class there
        kit_m = KitBundle(
            f=KitFile(csv, metadata={"k": "v"}),
            c=kit_csv_t(csv),
            d=KitDirectory(folder),
            sd=KitSD(dataframe=DF),
            many=[KitFile("s3://bucket/k.txt")],
        )
        lite_lv, kit_lv = lite_literal(lite_ctx, lite_m, LiteBundle), kit_literal(kit_ctx, kit_m, KitBundle)
        assert sides.view(lite_lv) == sides.view(kit_lv)
        assert sides.view(lite_lv)["f"] == {"path": "<raw>/<hex>/table.csv", "metadata": {"k": "v"}}
        from_kit = TypeEngine.to_python_value(lite_ctx, to_lite(kit_lv), LiteBundle)
        from_lite = KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(lite_lv), KitBundle)
        for got in (from_kit, from_lite):
            assert Path(got.f).read_text() == "a,b\n1,2\n" and got.f.metadata == {"k": "v"}
            assert sorted(os.listdir(got.d)) == ["x.txt"]
            pd.testing.assert_frame_equal(got.sd.open(pd.DataFrame).all(), DF)
            assert got.many[0].remote_source == "s3://bucket/k.txt" and got.maybe is None
        assert from_kit.c.extension() == "csv"


def test_pydantic_refuses_a_plain_path_for_a_file_field_like_flytekit(data: Path) -> None:
    csv = str(data / "table.csv")
    kit_csv_t = KitBundle.model_fields["c"].annotation
    common = {"c": None, "d": None, "sd": None}
    with pytest.raises(pydantic.ValidationError, match="dictionary or an instance"):
        KitBundle(f=csv, **{**common, "c": kit_csv_t(csv), "d": KitDirectory(str(data)), "sd": KitSD(uri="x")})
    with pytest.raises(pydantic.ValidationError, match="dictionary or an instance"):
        LiteBundle(f=csv, c=FlyteFile(csv), d=FlyteDirectory(str(data)), sd=StructuredDataset(uri="x"))
