# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""`guess_python_type` conformance: reversing a LiteralType must give a type that maps back to the same LiteralType.

This is what a task that knows only an interface (a reference task, `pyflyte run` on a remote entity) relies on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Dict, List, Optional, Union

import pytest
from google.protobuf.json_format import MessageToDict

flytekit = pytest.importorskip("flytekit")

from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402

import flytelite  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTypeEngine  # noqa: E402

from .conformance_types import Color, Inner, Outer, WithCollections  # noqa: E402

TYPES: list[Any] = [
    int,
    float,
    str,
    bool,
    dt.datetime,
    dt.timedelta,
    type(None),
    list[int],
    List[List[str]],
    dict[str, float],
    Dict[str, List[int]],
    Optional[int],
    Union[int, str],
    dict,
    Color,
    Inner,
    Outer,
    WithCollections,
    list[Inner],
]

# What flytekit guesses for these LiteralTypes (flytelite must agree where the answer is a plain Python type).
PLAIN_GUESSES: list[tuple[Any, Any]] = [
    (int, int),
    (float, float),
    (str, str),
    (bool, bool),
    (dt.datetime, dt.datetime),
    (dt.date, dt.datetime),
    (dt.timedelta, dt.timedelta),
    (type(None), type(None)),
    (dict, dict),
    (dict[int, str], dict),
]


@pytest.mark.parametrize("python_type", TYPES, ids=[str(t) for t in TYPES])
def test_guessed_type_maps_back_to_the_same_literal_type(python_type: Any) -> None:
    lt = KitTypeEngine.to_literal_type(python_type).to_flyte_idl()
    guessed = LiteTypeEngine.guess_python_type(lt)
    again = LiteTypeEngine.to_literal_type(guessed)
    assert MessageToDict(again) == MessageToDict(lt)


@pytest.mark.parametrize(("python_type", "expected"), PLAIN_GUESSES, ids=[str(t) for t, _ in PLAIN_GUESSES])
def test_plain_guesses_match_flytekit(python_type: Any, expected: Any) -> None:
    lt = KitTypeEngine.to_literal_type(python_type)
    assert KitTypeEngine.guess_python_type(lt) is expected
    assert LiteTypeEngine.guess_python_type(lt.to_flyte_idl()) is expected


def test_guessed_dataclass_decodes_a_flytekit_literal() -> None:
    value = Outer(name="n", inner=Inner(a=1, b="x", c=2.5, d=True))
    kit_ctx = flytekit.FlyteContextManager.current_context()
    lt = KitTypeEngine.to_literal_type(Outer)
    lit = KitTypeEngine.to_literal(kit_ctx, value, Outer, lt).to_flyte_idl()
    guessed = LiteTypeEngine.guess_python_type(lt.to_flyte_idl())
    assert dataclasses.is_dataclass(guessed)
    decoded = LiteTypeEngine.to_python_value(flytelite.FlyteContextManager.current_context(), lit, guessed)
    assert dataclasses.asdict(decoded) == dataclasses.asdict(value)
