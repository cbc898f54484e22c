"""Type-engine round trips: `to_literal` then `to_python_value` of one large value, in process.

The value and its `LiteralType` are built outside the timed region; each timed run converts the value to a
literal and back. The first run is an untimed warm-up (it builds and caches per-type converters in both SDKs).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from benchmarks._runner import Impl, Scenario, Size, Target, median_ms

__all__ = ["SCENARIOS", "Leaf", "Tree"]

ITEMS = Size(100_000, 1_000)
LEAVES = Size(10_000, 100)
STR_BYTES = Size(10_000_000, 100_000)
NO_SLOWER = Target(1.0, relative_to="flytekit", label="flytekit")


@dataclasses.dataclass
class Leaf:
    """One of many nested records."""

    id: int
    name: str
    score: float
    tags: list[str]


@dataclasses.dataclass
class Tree:
    """A dataclass holding 10k nested dataclasses."""

    title: str
    leaves: list[Leaf]


def _tree() -> Tree:
    return Tree("t", [Leaf(i, f"leaf-{i}", i / 7, ["a", "b"]) for i in range(LEAVES.n)])


def round_trip(make_value: Callable[[], Any], python_type: Any) -> Callable[[Impl, int], float]:
    """Return a measure function timing one literal round trip of `make_value()` as `python_type`."""

    def measure(impl: Impl, repeat: int) -> float:
        engine, ctx, value = impl.type_engine(), impl.context(), make_value()
        lt = engine.to_literal_type(python_type)

        def run() -> Any:
            return engine.to_python_value(ctx, engine.to_literal(ctx, value, python_type, lt), python_type)

        impl.reset_caches()
        if run() != value:
            raise ValueError("round trip changed the value")
        return median_ms(run, repeat, before=impl.reset_caches)

    return measure


SCENARIOS = (
    Scenario(
        "list[int] 100k",
        "roundtrip",
        "list of 100,000 ints",
        round_trip(lambda: list(range(ITEMS.n)), list[int]),
        Target(200),
    ),
    Scenario(
        "dict[str,float] 100k",
        "roundtrip",
        "dict of 100,000 str→float",
        round_trip(lambda: {f"k{i}": i * 0.5 for i in range(ITEMS.n)}, dict[str, float]),
        Target(800),
    ),
    Scenario(
        "dataclass 10k nested",
        "roundtrip",
        "a dataclass holding 10,000 dataclasses",
        round_trip(_tree, Tree),
        NO_SLOWER,
    ),
    Scenario("str 10 MB", "roundtrip", "one 10 MB string", round_trip(lambda: "x" * STR_BYTES.n, str), NO_SLOWER),
)
