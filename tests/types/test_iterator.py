"""`flytelite.types.iterator`: `Iterator[T]` as a collection read lazily, `Iterator[JSON]` as a JSON Lines blob."""

from __future__ import annotations

import collections.abc
import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import TypeTransformerFailedError
from flytelite.storage import FileAccessProvider
from flytelite.types import TypeEngine
from flytelite.types.iterator import (
    JSON,
    FlyteIterator,
    IteratorTransformer,
    JSONIterator,
    JSONIteratorTransformer,
)

JSON_ITERATOR = typing.Iterator[JSON]


def _lit(ctx: FlyteContext, value: Any, t: Any) -> Any:
    return TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))


def test_lookup_follows_flytekit() -> None:
    assert isinstance(TypeEngine.get_transformer(typing.Iterator[int]), IteratorTransformer)
    assert isinstance(TypeEngine.get_transformer(collections.abc.Iterator[int]), IteratorTransformer)
    assert isinstance(TypeEngine.get_transformer(collections.abc.Generator[int, None, None]), IteratorTransformer)
    assert isinstance(TypeEngine.get_transformer(JSON_ITERATOR), JSONIteratorTransformer)
    lt = TypeEngine.to_literal_type(typing.Iterator[int])
    assert lt.collection_type.simple == TypeEngine.to_literal_type(int).simple
    union = TypeEngine.to_literal_type(typing.Optional[typing.Iterator[int]])  # noqa: UP045 - flytekit's spelling
    assert union.union_type.variants[0].structure.tag == "Typed Iterator"
    with pytest.raises(ValueError, match="item type"):
        TypeEngine.to_literal_type(typing.Iterator)


def test_json_iterator_literal_type() -> None:
    lt = TypeEngine.to_literal_type(JSON_ITERATOR)
    assert lt.blob.format == "jsonl" and lt.blob.dimensionality == 0
    assert dict(lt.metadata) == {"format": "json iterator"}
    assert TypeEngine.guess_python_type(lt) == JSON_ITERATOR


def test_generator_becomes_a_collection_read_lazily(ctx: FlyteContext) -> None:
    lit = _lit(ctx, (i * i for i in range(4)), typing.Iterator[int])
    assert [x.scalar.primitive.integer for x in lit.collection.literals] == [0, 1, 4, 9]
    back = TypeEngine.to_python_value(ctx, lit, typing.Iterator[int])
    assert isinstance(back, FlyteIterator) and len(back) == 4
    assert next(back) == 0
    assert list(back) == [0, 1, 4, 9]  # iterating again starts from the first item
    assert list(back) == [0, 1, 4, 9]


def test_iterator_accepts_a_list_and_names_a_bad_item(ctx: FlyteContext) -> None:
    assert len(_lit(ctx, [1, 2], typing.Iterator[int]).collection.literals) == 2
    with pytest.raises(TypeTransformerFailedError, match=r"\[1\]"):
        _lit(ctx, iter([1, "two"]), typing.Iterator[int])
    with pytest.raises(TypeTransformerFailedError, match="expected Iterator"):
        _lit(ctx, 5, typing.Iterator[int])
    with pytest.raises(TypeTransformerFailedError, match="collection"):
        TypeEngine.to_python_value(ctx, _lit(ctx, 1, int), typing.Iterator[int])


def test_json_iterator_writes_json_lines(ctx: FlyteContext) -> None:
    values = [{"a": 1, "b": ["x", None]}, [1, 2.5], 3, "é", False]
    lit = _lit(ctx, iter(values), JSON_ITERATOR)
    blob = lit.scalar.blob
    assert blob.metadata.type.format == "jsonl" and blob.uri.startswith(ctx.file_access.raw_output_prefix)
    lines = Path(blob.uri).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == values
    back = TypeEngine.to_python_value(ctx, lit, JSON_ITERATOR)
    assert isinstance(back, JSONIterator)
    assert list(back) == values


def test_empty_or_unserializable_json_iterators_fail(ctx: FlyteContext) -> None:
    with pytest.raises(ValueError, match="The iterator is empty"):
        _lit(ctx, iter([]), JSON_ITERATOR)
    with pytest.raises(TypeTransformerFailedError, match=r"item \[1\]"):
        _lit(ctx, iter([1, object()]), JSON_ITERATOR)


def test_json_iterator_over_an_object_store(s3: Any, tmp_path: Path) -> None:
    fa = FileAccessProvider(tmp_path / "sandbox", s3.url("raw"))
    base = FlyteContextManager.current_context()
    with FlyteContextManager.with_context(base.with_file_access(fa)) as ctx:
        lit = _lit(ctx, iter([{"i": 1}, {"i": 2}]), JSON_ITERATOR)
        assert lit.scalar.blob.uri.startswith(s3.url("raw") + "/")
        assert list(TypeEngine.to_python_value(ctx, lit, JSON_ITERATOR)) == [{"i": 1}, {"i": 2}]


ints = st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53), max_value=2**53) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=30, deadline=None)
@given(values=ints)
def test_iterator_round_trip(values: list[int]) -> None:
    ctx = FlyteContextManager.current_context()
    lit = _lit(ctx, iter(values), typing.Iterator[int])
    assert list(TypeEngine.to_python_value(ctx, lit, typing.Iterator[int])) == values


@settings(max_examples=30, deadline=None)
@given(values=st.lists(json_values, min_size=1, max_size=5))
def test_json_iterator_round_trip(values: list[Any]) -> None:
    ctx = FlyteContextManager.current_context()
    lit = _lit(ctx, iter(values), JSON_ITERATOR)
    assert list(TypeEngine.to_python_value(ctx, lit, JSON_ITERATOR)) == values


def _gen(n: int) -> Iterator[int]:
    yield from range(n)


def test_task_returning_a_generator() -> None:
    from flytelite.core.task import task
    from flytelite.core.workflow import workflow

    @task
    def evens(n: int) -> Iterator[int]:
        for i in _gen(n):
            yield i * 2

    @task
    def total(xs: Iterator[int]) -> int:
        return sum(xs)

    @workflow
    def wf(n: int) -> int:
        return total(xs=evens(n=n))  # type: ignore[no-any-return]

    assert list(evens(n=3)) == [0, 2, 4]
    assert wf(n=4) == 12
