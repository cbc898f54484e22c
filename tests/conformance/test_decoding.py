# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""Decoding conformance: literals that Flyte's engine or console send (not what an SDK writes) decode the same way.

Propeller resolves attribute access (`dc.a`) into msgpack `Binary` scalars of any type, the console sends
`Struct`s, and a float literal may reach an `int` input. Each literal is built once as a protobuf and decoded by
flytekit and by flytelite; the results must be equal, with the same types down to the leaves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import msgpack
import pytest
from google.protobuf.struct_pb2 import Struct

flytekit = pytest.importorskip("flytekit")

from flyteidl.core.literals_pb2 import Binary, Literal, LiteralCollection, Primitive, Scalar  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402

import flytelite  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTypeEngine  # noqa: E402

from ._compare import assert_same_value  # noqa: E402
from .conformance_types import Color, Inner, Outer  # noqa: E402


def _msgpack(v: Any) -> Literal:
    return Literal(scalar=Scalar(binary=Binary(value=msgpack.packb(v), tag="msgpack")))


def _struct(d: dict[str, Any]) -> Literal:
    s = Struct()
    s.update(d)
    return Literal(scalar=Scalar(generic=s))


INNER_DICT = {"a": 1, "b": "x", "c": 1.5, "d": True}

CASES: list[Any] = [
    pytest.param(Literal(scalar=Scalar(primitive=Primitive(float_value=3.7))), int, id="float-literal-into-int"),
    pytest.param(Literal(scalar=Scalar(primitive=Primitive(integer=3))), float, id="integer-literal-into-float"),
    pytest.param(_msgpack(1), int, id="msgpack-int"),
    pytest.param(_msgpack(1.5), float, id="msgpack-float"),
    pytest.param(_msgpack("s"), str, id="msgpack-str"),
    pytest.param(_msgpack(True), bool, id="msgpack-bool"),
    pytest.param(_msgpack([1, 2]), list[int], id="msgpack-list-int"),
    pytest.param(_msgpack({"a": 1}), dict[str, int], id="msgpack-dict-str-int"),
    pytest.param(_msgpack({"a": {"b": [1]}}), dict, id="msgpack-untyped-dict"),
    pytest.param(_msgpack("red"), Color, id="msgpack-enum"),
    pytest.param(_msgpack(INNER_DICT), Inner, id="msgpack-dataclass"),
    pytest.param(_msgpack({"name": "n", "inner": INNER_DICT}), Outer, id="msgpack-nested-dataclass"),
    pytest.param(_msgpack(1), Optional[int], id="msgpack-into-optional"),
    pytest.param(_struct(INNER_DICT), Inner, id="struct-dataclass"),
    pytest.param(_struct({"name": "n", "inner": INNER_DICT}), Outer, id="struct-nested-dataclass"),
    pytest.param(_struct({"a": 1, "b": [1, "x"]}), dict, id="struct-untyped-dict"),
    pytest.param(Literal(scalar=Scalar(primitive=Primitive(string_value="blue"))), Color, id="string-into-enum"),
    pytest.param(
        Literal(collection=LiteralCollection(literals=[_msgpack(1), _msgpack(2)])), list[int], id="list-of-msgpack"
    ),
    pytest.param(
        Literal(scalar=Scalar(primitive=Primitive(datetime=dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc)))),
        dt.datetime,
        id="datetime",
    ),
]


@pytest.fixture(scope="module")
def ctxs() -> tuple[Any, Any]:
    return flytekit.FlyteContextManager.current_context(), flytelite.FlyteContextManager.current_context()


@pytest.mark.parametrize(("literal", "python_type"), CASES)
def test_engine_and_console_literals_decode_like_flytekit(
    literal: Literal, python_type: Any, ctxs: tuple[Any, Any]
) -> None:
    kit_ctx, lite_ctx = ctxs
    expected = KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(literal), python_type)
    got = LiteTypeEngine.to_python_value(lite_ctx, literal, python_type)
    assert_same_value(got, expected)
