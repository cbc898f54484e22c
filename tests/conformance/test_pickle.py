# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""Pickle conformance: types no transformer serves travel as `PythonPickle` blobs that either SDK can read.

The blob URI is a fresh random path under each SDK's raw-output prefix, so it is the one field not compared.
"""

from __future__ import annotations

import typing
from typing import Any

import pytest

flytekit = pytest.importorskip("flytekit")

from flyteidl.core.literals_pb2 import Literal  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402

import flytelite  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTypeEngine  # noqa: E402

from ._compare import assert_same_value  # noqa: E402
from .conformance_types import Opaque  # noqa: E402

CASES: list[Any] = [
    pytest.param(Opaque(3), Opaque, id="opaque-class"),
    pytest.param(5, typing.Any, id="any-int"),
    pytest.param({"a": Opaque(1)}, typing.Any, id="any-dict"),
    pytest.param([1, "a"], list[typing.Any], id="list-any"),
    pytest.param({"k": 1.5}, dict[str, typing.Any], id="dict-str-any"),
    pytest.param([Opaque(1), Opaque(2)], list[Opaque], id="list-opaque"),
    pytest.param(Opaque(4), typing.Optional[Opaque], id="optional-opaque"),
    pytest.param({1, 2}, set, id="set"),
    pytest.param(b"\x00bytes", bytes, id="bytes"),
]


@pytest.fixture(scope="module")
def ctxs() -> tuple[Any, Any]:
    return flytekit.FlyteContextManager.current_context(), flytelite.FlyteContextManager.current_context()


def _blob_uris(lit: Literal) -> list[Literal]:
    """Return every blob-bearing scalar message inside `lit`, depth first."""
    found: list[Any] = []
    kind = lit.WhichOneof("value")
    if kind == "collection":
        for item in lit.collection.literals:
            found.extend(_blob_uris(item))
    elif kind == "map":
        for item in lit.map.literals.values():
            found.extend(_blob_uris(item))
    elif kind == "scalar" and lit.scalar.HasField("union"):
        found.extend(_blob_uris(lit.scalar.union.value))
    elif kind == "scalar" and lit.scalar.HasField("blob"):
        found.append(lit.scalar.blob)
    return found


def _without_uris(lit: Literal) -> Literal:
    out = Literal()
    out.CopyFrom(lit)
    for blob in _blob_uris(out):
        assert blob.uri, "a pickle blob must point somewhere"
        blob.uri = ""
    return out


@pytest.mark.parametrize(("value", "python_type"), CASES)
def test_pickle_types_and_literals_match_flytekit(value: Any, python_type: Any, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    kit_lt = KitTypeEngine.to_literal_type(python_type).to_flyte_idl()
    lite_lt = LiteTypeEngine.to_literal_type(python_type)
    assert kit_lt == lite_lt
    kit = KitTypeEngine.to_literal(kit_ctx, value, python_type, KitTypeEngine.to_literal_type(python_type))
    lite = LiteTypeEngine.to_literal(lite_ctx, value, python_type, lite_lt)
    assert _blob_uris(lite), "flytelite did not write a pickle blob"
    assert _without_uris(kit.to_flyte_idl()) == _without_uris(lite)


@pytest.mark.parametrize(("value", "python_type"), CASES)
def test_pickles_cross_decode(value: Any, python_type: Any, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    kit = KitTypeEngine.to_literal(kit_ctx, value, python_type, KitTypeEngine.to_literal_type(python_type))
    assert_same_value(LiteTypeEngine.to_python_value(lite_ctx, kit.to_flyte_idl(), python_type), value)
    lite = LiteTypeEngine.to_literal(lite_ctx, value, python_type, LiteTypeEngine.to_literal_type(python_type))
    assert_same_value(KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(lite), python_type), value)
