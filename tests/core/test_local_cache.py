"""The local task cache: hits, misses, ignored inputs, hashes, and the switches to disable, overwrite, clear it."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from flyteidl.core.literals_pb2 import Literal, LiteralMap, Primitive, Scalar

from flytelite.core.local_cache import LocalTaskCache, cache_key
from flytelite.core.task import task

runs: list[tuple[int, str]] = []


@task(cache=True, cache_version="1", cache_ignore_input_vars=("note",))
def cached(x: int, note: str) -> int:
    runs.append((x, note))
    return x * 10


@task(cache=True, cache_version="2")
def cached_v2(x: int, note: str) -> int:
    runs.append((x, note))
    return x * 100


@pytest.fixture(autouse=True)
def _reset_runs() -> None:
    runs.clear()


def test_hit_and_miss(_private_local_cache: Path) -> None:
    assert cached(x=1, note="a") == 10
    assert cached(x=1, note="a") == 10
    assert runs == [(1, "a")]
    assert cached(x=2, note="a") == 20
    assert len(runs) == 2
    assert list(_private_local_cache.glob("*.pb"))


def test_ignored_inputs_do_not_change_the_key() -> None:
    cached(x=3, note="first")
    assert cached(x=3, note="second") == 30
    assert runs == [(3, "first")]


def test_version_and_task_name_are_part_of_the_key() -> None:
    cached(x=4, note="n")
    cached_v2(x=4, note="n")
    assert len(runs) == 2


def test_disable_by_env_and_by_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYTE_LOCAL_CACHE_ENABLED", "false")
    cached(x=5, note="n")
    cached(x=5, note="n")
    assert len(runs) == 2
    monkeypatch.delenv("FLYTE_LOCAL_CACHE_ENABLED")
    LocalTaskCache.configure(enabled=False)
    cached(x=5, note="n")
    assert len(runs) == 3
    assert not LocalTaskCache.is_enabled()


def test_overwrite_reruns_and_replaces(monkeypatch: pytest.MonkeyPatch) -> None:
    cached(x=6, note="n")
    monkeypatch.setenv("FLYTE_LOCAL_CACHE_OVERWRITE", "1")
    cached(x=6, note="n")
    assert len(runs) == 2
    monkeypatch.delenv("FLYTE_LOCAL_CACHE_OVERWRITE")
    cached(x=6, note="n")
    assert len(runs) == 2
    LocalTaskCache.configure(overwrite=True)
    cached(x=6, note="n")
    assert len(runs) == 3


def test_clear_empties_the_cache() -> None:
    cached(x=7, note="n")
    assert LocalTaskCache.clear() == 1
    cached(x=7, note="n")
    assert len(runs) == 2
    assert LocalTaskCache.clear() == 1


def _int(v: int, h: str = "") -> Literal:
    lit = Literal(scalar=Scalar(primitive=Primitive(integer=v)))
    if h:
        lit.hash = h
    return lit


def test_key_uses_literal_hash_and_ignores_listed_inputs() -> None:
    a = LiteralMap(literals={"df": _int(1, "H"), "n": _int(2)})
    b = LiteralMap(literals={"df": _int(99, "H"), "n": _int(2)})
    c = LiteralMap(literals={"df": _int(1, "other"), "n": _int(2)})
    assert cache_key("t", "1", a) == cache_key("t", "1", b)
    assert cache_key("t", "1", a) != cache_key("t", "1", c)
    nested_a = LiteralMap(literals={"xs": Literal(collection={"literals": [_int(1, "H")]})})
    nested_b = LiteralMap(literals={"xs": Literal(collection={"literals": [_int(5, "H")]})})
    assert cache_key("t", "1", nested_a) == cache_key("t", "1", nested_b)
    assert cache_key("t", "1", a, ("df",)) == cache_key("t", "1", c, ("df",))
    assert cache_key("t", "1", a).startswith("t-1-")


def test_get_and_set_round_trip() -> None:
    inputs = LiteralMap(literals={"n": _int(1)})
    assert LocalTaskCache.get("t", "v", inputs) is None
    out = LiteralMap(literals={"o0": _int(5)})
    LocalTaskCache.set("t", "v", inputs, (), out)
    got: typing.Any = LocalTaskCache.get("t", "v", inputs)
    assert got == out
