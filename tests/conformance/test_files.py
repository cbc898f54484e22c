"""File and folder conformance: flytelite's blob literal types and literals equal flytekit 1.16's, and each side
reads what the other writes.

URIs differ by construction (each SDK has its own raw-output folder and random names), so literals are compared
after replacing the raw prefix with `<raw>` and 32-hex folder names with `<hex>`.
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
import pytest
from google.protobuf.json_format import MessageToDict

flytekit = pytest.importorskip("flytekit")

from flyteidl.core.literals_pb2 import Literal  # noqa: E402
from flytekit.core.context_manager import ExecutionState as KitExecutionState  # noqa: E402
from flytekit.core.context_manager import FlyteContextManager as KitContextManager  # noqa: E402
from flytekit.core.data_persistence import FileAccessProvider as KitFileAccess  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402
from flytekit.types.directory import FlyteDirectory as KitDirectory  # noqa: E402
from flytekit.types.directory import TensorboardLogs as KitTensorboardLogs  # noqa: E402
from flytekit.types.file import FileExt as KitFileExt  # noqa: E402
from flytekit.types.file import FlyteFile as KitFile  # noqa: E402

from flytelite.core.context_manager import ExecutionState, FlyteContextManager  # noqa: E402
from flytelite.core.data_persistence import FileAccessProvider  # noqa: E402
from flytelite.types import TypeEngine  # noqa: E402
from flytelite.types.directory import FlyteDirectory, TensorboardLogs  # noqa: E402
from flytelite.types.file import FileExt, FlyteFile  # noqa: E402

HEX = re.compile(r"[0-9a-f]{32}")


def holder(file_t: Any, dir_t: Any) -> Any:
    """Build the same dataclass shape over one SDK's file types (the class name is part of the JSON schema)."""
    maybe = typing.Union[file_t, None]
    fields = [("f", file_t), ("csv", file_t["csv"]), ("d", dir_t), ("maybe", maybe, dataclasses.field(default=None))]
    return dataclasses.make_dataclass("Holder", fields)


LiteHolder = holder(FlyteFile, FlyteDirectory)
KitHolder = holder(KitFile, KitDirectory)

LITE_CSV, KIT_CSV = FlyteFile["csv"], KitFile["csv"]
TYPE_PAIRS: list[tuple[str, Any, Any]] = [
    ("file", FlyteFile, KitFile),
    ("file[csv]", FlyteFile["csv"], KitFile["csv"]),
    ("file[tar.gz]", FlyteFile[Annotated[str, FileExt("tar.gz")]], KitFile[Annotated[str, KitFileExt("tar.gz")]]),
    ("pathlike", os.PathLike, os.PathLike),
    ("dir", FlyteDirectory, KitDirectory),
    ("dir[csv]", FlyteDirectory["csv"], KitDirectory["csv"]),
    ("tensorboard", TensorboardLogs, KitTensorboardLogs),
    ("textio", typing.TextIO, typing.TextIO),
    ("binaryio", typing.BinaryIO, typing.BinaryIO),
    ("optional file", typing.Union[FlyteFile, None], typing.Union[KitFile, None]),
    ("list of files", list[LITE_CSV], list[KIT_CSV]),
    ("dataclass", LiteHolder, KitHolder),
]


def as_dict(message: Any) -> dict[str, Any]:
    proto = message.to_flyte_idl() if hasattr(message, "to_flyte_idl") else message
    return MessageToDict(proto)


@pytest.mark.parametrize(("lite_t", "kit_t"), [p[1:] for p in TYPE_PAIRS], ids=[p[0] for p in TYPE_PAIRS])
def test_literal_types_match(lite_t: Any, kit_t: Any) -> None:
    assert as_dict(TypeEngine.to_literal_type(lite_t)) == as_dict(KitTypeEngine.to_literal_type(kit_t))


# --------------------------------------------------------------------------------------------------- literals
@dataclasses.dataclass
class Sides:
    """Both SDKs in the same execution mode, each with its own raw-output folder."""

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


@contextlib.contextmanager
def both_sides(tmp_path: Path, local: bool) -> Iterator[tuple[Any, Any, Sides]]:
    lite_mode = ExecutionState.Mode.LOCAL_TASK_EXECUTION if local else ExecutionState.Mode.TASK_EXECUTION
    kit_mode = KitExecutionState.Mode.LOCAL_TASK_EXECUTION if local else KitExecutionState.Mode.TASK_EXECUTION
    lite_fa = FileAccessProvider(tmp_path / "lite_sb", str(tmp_path / "lite_raw"))
    kit_fa = KitFileAccess(local_sandbox_dir=str(tmp_path / "kit_sb"), raw_output_prefix=str(tmp_path / "kit_raw"))
    lite_base = FlyteFileContext = FlyteContextManager.current_context().with_file_access(lite_fa)
    kit_base = KitContextManager.current_context().with_file_access(kit_fa).build()
    lite_es = lite_base.execution_state.with_params(mode=lite_mode)  # type: ignore[union-attr]
    kit_es = kit_base.execution_state.with_params(mode=kit_mode)
    with (
        FlyteContextManager.with_context(FlyteFileContext.with_execution_state(lite_es)) as lite_ctx,
        KitContextManager.with_context(kit_base.with_execution_state(kit_es)) as kit_ctx,
    ):
        yield lite_ctx, kit_ctx, Sides(lite_fa.raw_output_prefix, kit_fa.raw_output_prefix)


def literal_view(lv: Any, sides: Sides) -> dict[str, Any]:
    """Return a literal as a dict with URIs normalised and msgpack payloads decoded."""
    d = as_dict(lv)
    binary = d.get("scalar", {}).get("binary")
    if binary:
        proto = lv.to_flyte_idl() if hasattr(lv, "to_flyte_idl") else lv
        binary["value"] = msgpack.unpackb(proto.scalar.binary.value)
    return typing.cast(dict[str, Any], sides.normalise(d))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "sub").mkdir(parents=True)
    (folder / "table.csv").write_text("a,b\n1,2\n")
    (folder / "sub" / "x.txt").write_text("x")
    return folder


def cases(data: Path) -> list[tuple[str, Any, Any, Any, Any]]:
    csv = str(data / "table.csv")
    return [
        ("str path", csv, FlyteFile, csv, KitFile),
        ("FlyteFile", FlyteFile(csv), FlyteFile["csv"], KitFile(csv), KitFile["csv"]),
        ("with metadata", FlyteFile(csv, metadata={"k": "v"}), FlyteFile, KitFile(csv, metadata={"k": "v"}), KitFile),
        ("no upload", FlyteFile(csv, remote_path=False), FlyteFile, KitFile(csv, remote_path=False), KitFile),
        ("remote uri", "s3://bucket/key.csv", FlyteFile, "s3://bucket/key.csv", KitFile),
        ("pathlike", csv, os.PathLike, csv, os.PathLike),
        ("folder", FlyteDirectory(str(data)), FlyteDirectory, KitDirectory(str(data)), KitDirectory),
        ("folder str", str(data), FlyteDirectory, str(data), KitDirectory),
        ("remote folder", "s3://bucket/prefix", FlyteDirectory, "s3://bucket/prefix", KitDirectory),
        (
            "dataclass",
            LiteHolder(FlyteFile(csv), FlyteFile["csv"](csv), FlyteDirectory(str(data))),
            LiteHolder,
            KitHolder(KitFile(csv), KitFile["csv"](csv), KitDirectory(str(data))),
            KitHolder,
        ),
    ]


@pytest.mark.parametrize("local", [False, True], ids=["task execution", "local run"])
def test_literals_match_and_cross_decode(tmp_path: Path, data: Path, local: bool) -> None:
    with both_sides(tmp_path, local) as (lite_ctx, kit_ctx, sides):
        for name, lite_v, lite_t, kit_v, kit_t in cases(data):
            lite_lv = TypeEngine.to_literal(lite_ctx, lite_v, lite_t, TypeEngine.to_literal_type(lite_t))
            kit_lv = KitTypeEngine.to_literal(kit_ctx, kit_v, kit_t, KitTypeEngine.to_literal_type(kit_t))
            assert literal_view(lite_lv, sides) == literal_view(kit_lv, sides), name
            # flytekit's literal decodes with flytelite, and flytelite's with flytekit
            from_kit = TypeEngine.to_python_value(lite_ctx, Literal.FromString(kit_bytes(kit_lv)), lite_t)
            from_lite = KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(lite_lv), kit_t)
            assert_same_content(from_kit, from_lite, name)


def kit_bytes(kit_lv: Any) -> bytes:
    data: bytes = kit_lv.to_flyte_idl().SerializeToString()
    return data


def assert_same_content(lite_value: Any, kit_value: Any, name: str) -> None:
    if isinstance(lite_value, LiteHolder):
        assert_same_content(lite_value.f, kit_value.f, name)
        assert_same_content(lite_value.d, kit_value.d, name)
        return
    lite_where = str(getattr(lite_value, "remote_source", None) or lite_value.path)
    if lite_where.startswith("s3://"):
        assert lite_where == str(kit_value.remote_source or kit_value.path), name
        return
    lite_path, kit_path = Path(os.fspath(lite_value)), Path(os.fspath(kit_value))
    if lite_path.is_dir():
        lite_tree = sorted(str(p.relative_to(lite_path)) for p in lite_path.rglob("*") if p.is_file())
        assert lite_tree == sorted(str(p.relative_to(kit_path)) for p in kit_path.rglob("*") if p.is_file()), name
    else:
        assert lite_path.read_bytes() == kit_path.read_bytes(), name


@pytest.mark.parametrize(
    ("lite_t", "kit_t"),
    [(FlyteFile["csv"], KitFile["csv"]), (FlyteDirectory, KitDirectory), (os.PathLike, os.PathLike)],
)
def test_guess_python_type_matches(lite_t: Any, kit_t: Any) -> None:
    lite_guess = TypeEngine.guess_python_type(TypeEngine.to_literal_type(lite_t))
    kit_guess = KitTypeEngine.guess_python_type(KitTypeEngine.to_literal_type(kit_t))
    assert as_dict(TypeEngine.to_literal_type(lite_guess)) == as_dict(KitTypeEngine.to_literal_type(kit_guess))
