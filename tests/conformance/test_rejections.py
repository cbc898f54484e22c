# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""Rejection conformance: what flytekit refuses to convert, flytelite refuses too, with a `TypeTransformerFailedError`
(or, for an unusable *type*, a `ValueError`).

Known differences are listed explicitly: `STRICTER_THAN_FLYTEKIT` holds values flytekit writes although they do not
fit the declared type (flytelite rejects them on purpose), and strict `xfail` marks a mismatch still to fix, so the
test starts failing as soon as the fix lands and the mark must be removed.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any, Literal, Optional, Union

import pytest

flytekit = pytest.importorskip("flytekit")

from flytekit.core.annotation import FlyteAnnotation as KitFlyteAnnotation  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402

import flytelite  # noqa: E402
from flytelite.core.annotation import FlyteAnnotation  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTypeEngine  # noqa: E402
from flytelite.errors import TypeTransformerFailedError  # noqa: E402

from .conformance_types import Color, Inner, Outer, PydPoint  # noqa: E402

INNER = Inner(a=1, b="x", c=1.0, d=True)

REJECTED_VALUES: list[Any] = [
    pytest.param(True, int, id="bool-as-int"),
    pytest.param(1, float, id="int-as-float"),
    pytest.param(None, int, id="none-as-int"),
    pytest.param(None, str, id="none-as-str"),
    pytest.param(1, str, id="int-as-str"),
    pytest.param("1", int, id="str-as-int"),
    pytest.param(dt.date(2020, 1, 1), dt.datetime, id="date-as-datetime"),
    pytest.param(Color.RED, str, id="enum-as-str"),
    pytest.param((1, 2), typing.Tuple[int, int], id="tuple"),
    pytest.param("a", list[int], id="str-as-list"),
    pytest.param([1, "a"], list[int], id="list-bad-element"),
    pytest.param({1: "a"}, dict[str, str], id="dict-int-key-as-str-key"),
    pytest.param({"a": 1}, dict[str, str], id="dict-bad-value"),
    pytest.param("purple", Color, id="enum-unknown-value"),
    pytest.param(3.5, Optional[int], id="optional-wrong-type"),
    pytest.param("x", Union[int, float], id="union-no-variant"),
    pytest.param(1.5, Union[int, str], id="union-float-for-int-str"),
    pytest.param([1], Optional[list[str]], id="optional-list-bad-element"),
    pytest.param(INNER, Outer, id="dataclass-wrong-class"),
    pytest.param(PydPoint(x=1, y=1.0, label="a"), Inner, id="pydantic-as-dataclass"),
    pytest.param({"a": 1}, Inner, id="dict-missing-field-as-dataclass"),
]

# flytekit writes these although the value does not fit the declared type; flytelite rejects them on purpose.
STRICTER_THAN_FLYTEKIT: list[Any] = [
    pytest.param("c", Literal["a", "b"], id="literal-value-outside-choices"),
]


@pytest.fixture(scope="module")
def ctxs() -> tuple[Any, Any]:
    return flytekit.FlyteContextManager.current_context(), flytelite.FlyteContextManager.current_context()


def _kit_to_literal(ctx: Any, value: Any, t: Any) -> Any:
    return KitTypeEngine.to_literal(ctx, value, t, KitTypeEngine.to_literal_type(t))


def _lite_to_literal(ctx: Any, value: Any, t: Any) -> Any:
    return LiteTypeEngine.to_literal(ctx, value, t, LiteTypeEngine.to_literal_type(t))


@pytest.mark.parametrize(("value", "python_type"), REJECTED_VALUES)
def test_values_flytekit_rejects_are_rejected(value: Any, python_type: Any, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    with pytest.raises(Exception):  # the oracle: flytekit raises one of several types
        _kit_to_literal(kit_ctx, value, python_type)
    with pytest.raises(TypeTransformerFailedError):
        _lite_to_literal(lite_ctx, value, python_type)


@pytest.mark.parametrize(("value", "python_type"), STRICTER_THAN_FLYTEKIT)
def test_values_only_flytelite_rejects(value: Any, python_type: Any, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    _kit_to_literal(kit_ctx, value, python_type)  # flytekit lets it through (a deliberate difference)
    with pytest.raises(TypeTransformerFailedError):
        _lite_to_literal(lite_ctx, value, python_type)


REJECTED_TYPES: list[Any] = [
    pytest.param(list, list, id="bare-list"),
    pytest.param(typing.List, typing.List, id="bare-typing-list"),
    pytest.param(
        Annotated[Inner, KitFlyteAnnotation({"k": 1})],
        Annotated[Inner, FlyteAnnotation({"k": 1})],
        id="flyte-annotation-on-dataclass",
    ),
    pytest.param(
        Annotated[int, KitFlyteAnnotation({"cache-key-metadata": 1})],
        Annotated[int, FlyteAnnotation({"cache-key-metadata": 1})],
        id="reserved-annotation-key",
    ),
]


@pytest.mark.parametrize(("kit_type", "lite_type"), REJECTED_TYPES)
def test_types_flytekit_rejects_are_rejected(kit_type: Any, lite_type: Any) -> None:
    with pytest.raises((ValueError, AssertionError)):  # flytekit uses AssertionError for the reserved key
        KitTypeEngine.to_literal_type(kit_type)
    with pytest.raises(ValueError):  # flytelite's FlyteValidationException is a ValueError
        LiteTypeEngine.to_literal_type(lite_type)
