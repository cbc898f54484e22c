"""Property tests: value → literal → value is the identity, and LiteralType → guessed type → the same LiteralType."""

# ruff: noqa: UP045  # `typing` spellings on purpose: the engine must accept them
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import typing
from typing import Any, Dict, List, Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from flytelite.core.context_manager import FlyteContextManager
from flytelite.types import TypeEngine

UTC = dt.timezone.utc
SETTINGS = settings(max_examples=50, deadline=None)


class Fruit(enum.Enum):
    APPLE = "apple"
    PEAR = "pear"


@dataclasses.dataclass
class Leaf:
    n: int
    label: str
    ratio: float


@dataclasses.dataclass
class Tree:
    leaves: List[Leaf]
    index: Dict[str, int]
    fruit: Fruit
    parent: Optional[Leaf] = None


finite = st.floats(allow_nan=False)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
int64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
datetimes = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(UTC))
timedeltas = st.timedeltas(min_value=dt.timedelta(days=-99999), max_value=dt.timedelta(days=99999))
leaves = st.builds(Leaf, n=int64, label=texts, ratio=finite)
trees = st.builds(
    Tree,
    leaves=st.lists(leaves, max_size=3),
    index=st.dictionaries(texts, int64, max_size=3),
    fruit=st.sampled_from(Fruit),
    parent=st.none() | leaves,
)
BASE: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (int, int64),
    (float, finite),
    (str, texts),
    (bool, st.booleans()),
    (dt.datetime, datetimes),
    (dt.date, st.dates()),
    (dt.timedelta, timedeltas),
    (type(None), st.none()),
    (Fruit, st.sampled_from(Fruit)),
    (typing.Literal["x", "y"], st.sampled_from(["x", "y"])),
    (Leaf, leaves),
    (Tree, trees),
]


def _extend(children: st.SearchStrategy[tuple[Any, st.SearchStrategy[Any]]]) -> st.SearchStrategy[Any]:
    def as_list(c: tuple[Any, Any]) -> tuple[Any, Any]:
        return List[c[0]], st.lists(c[1], max_size=4)  # type: ignore[valid-type]

    def as_map(c: tuple[Any, Any]) -> tuple[Any, Any]:
        return Dict[str, c[0]], st.dictionaries(texts, c[1], max_size=4)  # type: ignore[valid-type]

    def as_optional(c: tuple[Any, Any]) -> tuple[Any, Any]:
        if c[0] is type(None):
            return c
        return Optional[c[0]], st.none() | c[1]

    return children.map(as_list) | children.map(as_map) | children.map(as_optional)


type_and_values = st.recursive(st.sampled_from(BASE), _extend, max_leaves=4)


@SETTINGS
@given(st.data())
def test_value_round_trips_through_its_literal(data: st.DataObject) -> None:
    t, values = data.draw(type_and_values)
    value = data.draw(values)
    ctx = FlyteContextManager.current_context()
    lit = TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))
    assert TypeEngine.to_python_value(ctx, lit, t) == value


@SETTINGS
@given(st.data())
def test_literal_type_survives_a_guess(data: st.DataObject) -> None:
    t, _ = data.draw(type_and_values)
    lt = TypeEngine.to_literal_type(t)
    assert TypeEngine.to_literal_type(TypeEngine.guess_python_type(lt)) == lt


json_values = st.recursive(
    st.none() | st.booleans() | int64 | finite | texts,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(texts, kids, max_size=3),
    max_leaves=8,
)


@SETTINGS
@given(st.dictionaries(texts, json_values, max_size=4))
def test_untyped_dicts_round_trip(value: dict[str, Any]) -> None:
    ctx = FlyteContextManager.current_context()
    lit = TypeEngine.to_literal(ctx, value, dict, TypeEngine.to_literal_type(dict))
    assert TypeEngine.to_python_value(ctx, lit, dict) == value


@SETTINGS
@given(st.dictionaries(int64, texts, max_size=4))
def test_int_keyed_dicts_round_trip(value: dict[int, str]) -> None:
    ctx = FlyteContextManager.current_context()
    t = Dict[int, str]
    lit = TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))
    assert TypeEngine.to_python_value(ctx, lit, t) == value


@SETTINGS
@given(st.sets(st.integers(), max_size=5))
def test_pickled_values_round_trip(value: set[int]) -> None:
    ctx = FlyteContextManager.current_context()
    lit = TypeEngine.to_literal(ctx, value, set, TypeEngine.to_literal_type(set))
    assert TypeEngine.to_python_value(ctx, lit, set) == value


@SETTINGS
@given(st.one_of(st.integers(min_value=-(2**63), max_value=2**63 - 1), texts))
def test_unions_round_trip(value: int | str) -> None:
    ctx = FlyteContextManager.current_context()
    t = typing.Union[int, str]
    lit = TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))
    assert TypeEngine.to_python_value(ctx, lit, t) == value
