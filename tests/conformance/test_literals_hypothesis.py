# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""Property-based literal conformance: for generated values, flytelite writes what flytekit writes and reads it back.

Complements the hand-written table in `test_literals.py` with values nobody thought to write down (extreme ints,
odd unicode, subnormal floats, deep nesting). Example counts are kept modest so the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

flytekit = pytest.importorskip("flytekit")

from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402

import flytelite  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTypeEngine  # noqa: E402

from ._compare import assert_same_value, mismatch, normalize  # noqa: E402
from .conformance_types import Color, Inner, WithCollections  # noqa: E402

UTC = dt.timezone.utc
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=False)
TEXT = st.text(max_size=20)
KEYS = st.text(max_size=8)
DATETIMES = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.replace(fold=0))  # `fold` is not on the wire
INNERS = st.builds(Inner, a=INT64, b=TEXT, c=FLOATS, d=st.booleans())
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**31), max_value=2**31) | FLOATS | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)

STRATEGIES: list[tuple[str, Any, Any]] = [
    ("int", int, INT64),
    ("float", float, FLOATS),
    ("str", str, st.text()),
    ("datetime", dt.datetime, DATETIMES),
    (
        "timedelta",
        dt.timedelta,
        st.timedeltas(min_value=dt.timedelta(days=-(10**5)), max_value=dt.timedelta(days=10**5)),
    ),
    ("list-int", list[int], st.lists(INT64, max_size=20)),
    ("list-list-str", list[list[str]], st.lists(st.lists(TEXT, max_size=4), max_size=4)),
    ("dict-str-float", dict[str, float], st.dictionaries(KEYS, FLOATS, max_size=10)),
    ("optional-int", Optional[int], st.none() | INT64),
    ("union-int-str", Union[int, str], INT64 | TEXT),
    ("list-optional-str", list[Optional[str]], st.lists(st.none() | TEXT, max_size=6)),
    ("enum", Color, st.sampled_from(Color)),
    ("untyped-dict", dict, st.dictionaries(KEYS, JSONISH, max_size=5)),
    ("dataclass", Inner, INNERS),
    ("list-dataclass", list[Inner], st.lists(INNERS, max_size=4)),
    (
        "dataclass-collections",
        WithCollections,
        st.builds(
            WithCollections,
            xs=st.lists(INT64, max_size=5),
            tags=st.dictionaries(KEYS, TEXT, max_size=3),
            grid=st.lists(st.lists(FLOATS, max_size=3), max_size=3),
            lookup=st.dictionaries(KEYS, st.lists(INT64, max_size=3), max_size=3),
        ),
    ),
]


CASES = [pytest.param(t, s, id=n) for n, t, s in STRATEGIES]


@pytest.mark.parametrize(("python_type", "strategy"), CASES)
def test_generated_values_match_flytekit(python_type: Any, strategy: Any) -> None:
    kit_ctx = flytekit.FlyteContextManager.current_context()
    lite_ctx = flytelite.FlyteContextManager.current_context()
    kit_lt = KitTypeEngine.to_literal_type(python_type)
    lite_lt = LiteTypeEngine.to_literal_type(python_type)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(strategy)
    def check(value: Any) -> None:
        kit = KitTypeEngine.to_literal(kit_ctx, value, python_type, kit_lt).to_flyte_idl()
        lite = LiteTypeEngine.to_literal(lite_ctx, value, python_type, lite_lt)
        assert normalize(kit) == normalize(lite), mismatch("Literal", kit, lite)
        assert_same_value(LiteTypeEngine.to_python_value(lite_ctx, kit, python_type), value)
        from_lite = KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(lite), python_type)
        assert_same_value(from_lite, value)

    check()
