# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""Literal conformance: flytelite's type engine must produce what flytekit 1.16 produces, and read what it writes.

For every (value, python type) case in the table:
1. the `LiteralType`s are equal (dataclass/pydantic JSON schemas in `metadata` are compared as dicts, the rest must
   be equal field by field);
2. the `Literal`s are equal (msgpack `Binary` payloads are compared decoded, since map key order may differ; a
   literal without msgpack must be protobuf-equal);
3. flytekit's literal decodes with flytelite to the expected value, and flytelite's literal decodes with flytekit.

flytekit is a test-only oracle; it is imported only under `tests/conformance/`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Annotated, Any, Callable, Dict, List, Literal, Optional, Union

import pytest
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

flytekit = pytest.importorskip("flytekit")

from flytekit.core.annotation import FlyteAnnotation as KitFlyteAnnotation  # noqa: E402
from flytekit.core.type_engine import TypeEngine as KitTypeEngine  # noqa: E402
from flytekit.models.literals import Literal as KitLiteral  # noqa: E402
from flytekit.models.literals import LiteralMap as KitLiteralMap  # noqa: E402

import flytelite  # noqa: E402
from flytelite.core.type_engine import TypeEngine as LiteTypeEngine  # noqa: E402

from ._compare import assert_same_value, mismatch, normalize  # noqa: E402
from .conformance_types import (  # noqa: E402
    ChildOfInner,
    Color,
    Inner,
    Outer,
    PydInner,
    PydOuter,
    PydPoint,
    PydWithTypes,
    Status,
    WithCollections,
    WithDatetime,
    WithDefaults,
    WithEnum,
    WithInnerList,
    WithMoreFields,
    WithOptional,
    WithUntypedDict,
)

UTC = dt.timezone.utc
_SAME = object()


@dataclasses.dataclass(frozen=True)
class Case:
    """One row: a value, its Python type, and what both engines must decode it to."""

    id: str
    value: Any
    type: Any = None
    decoded: Any = _SAME  # expected decoded value when it differs from `value` (e.g. naive datetime → UTC)
    kit_type: Callable[[], Any] | None = None  # side-specific types (e.g. each side's own FlyteAnnotation)
    lite_type: Callable[[], Any] | None = None

    def for_kit(self) -> Any:
        return self.kit_type() if self.kit_type else self.type

    def for_lite(self) -> Any:
        return self.lite_type() if self.lite_type else self.type

    def expected(self) -> Any:
        return self.value if self.decoded is _SAME else self.decoded


def _hash_of(v: Any) -> str:
    return f"h-{v!r}"


def _hashed(base: Any) -> tuple[Callable[[], Any], Callable[[], Any]]:
    def kit() -> Any:
        from flytekit.core.hash import HashMethod as KitHashMethod

        return Annotated[base, KitHashMethod(_hash_of)]

    def lite() -> Any:
        from flytelite.core.hash import HashMethod

        return Annotated[base, HashMethod(_hash_of)]

    return kit, lite


def _lite_flyte_annotation(data: dict[str, Any]) -> Any:
    from flytelite.core.annotation import FlyteAnnotation

    return FlyteAnnotation(data)


def _annotated(base: Any, data: dict[str, Any]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    return (lambda: Annotated[base, KitFlyteAnnotation(data)]), (lambda: Annotated[base, _lite_flyte_annotation(data)])


_ann_int = _annotated(int, {"unit": "m", "nested": {"a": 1}})
_ann_list = _annotated(List[str], {"role": "tags"})
_ann_elem = (
    lambda: list[Annotated[int, KitFlyteAnnotation({"e": 1})]],
    lambda: list[Annotated[int, _lite_flyte_annotation({"e": 1})]],
)

NAIVE = dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
INNER = Inner(a=1, b="x", c=2.5, d=True)
PYD_OUTER = PydOuter(
    name="o",
    inner=PydInner(value=3),
    points=[PydPoint(x=1, y=2.0, label="p"), PydPoint(x=-1, y=0.5, label="q")],
    extra={"k": 1},
)

CASES: list[Case] = [
    # --- primitives
    Case("int-zero", 0, int),
    Case("int", 42, int),
    Case("int-negative", -7, int),
    Case("int-large", 2**62 + 12345, int),
    Case("int-min-int64", -(2**63), int),
    Case("float", 3.14159, float),
    Case("float-negative", -2.5, float),
    Case("float-zero", 0.0, float),
    Case("float-huge", 1.5e300, float),
    Case("float-tiny", -4.9e-320, float),
    Case("str", "hello", str),
    Case("str-empty", "", str),
    Case("str-unicode", "héllo wörld ✓ 日本語 🚀", str),
    Case("str-control-chars", "line1\nline2\t\x00end", str),
    Case("bool-true", True, bool),
    Case("bool-false", False, bool),
    # --- dates and times
    Case("datetime-naive", NAIVE, dt.datetime, decoded=NAIVE.replace(tzinfo=UTC)),
    Case("datetime-utc", dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC), dt.datetime),
    Case(
        "datetime-offset",
        dt.datetime(2024, 5, 6, 7, 8, 9, 10, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        dt.datetime,
        decoded=dt.datetime(2024, 5, 6, 1, 38, 9, 10, tzinfo=UTC),
    ),
    Case("datetime-epoch", dt.datetime(1970, 1, 1, tzinfo=UTC), dt.datetime),
    Case("date", dt.date(2023, 12, 31), dt.date),
    Case("timedelta", dt.timedelta(days=1, seconds=3, microseconds=5), dt.timedelta),
    Case("timedelta-negative", dt.timedelta(seconds=-90), dt.timedelta),
    Case("timedelta-zero", dt.timedelta(0), dt.timedelta),
    # --- none and unions
    Case("none", None, type(None)),
    Case("optional-int-value", 5, Optional[int]),
    Case("optional-int-none", None, Optional[int]),
    Case("optional-str-value", "x", Optional[str]),
    Case("union-int-str-int", 3, Union[int, str]),
    Case("union-int-str-str", "a", Union[int, str]),
    Case("union-str-int-str", "a", Union[str, int]),
    Case("union-str-int-int", 7, Union[str, int]),
    Case("union-three-float", 1.5, Union[int, float, str]),
    Case("pep604-union", 4, int | None),
    Case("optional-list-int", [1, 2], Optional[List[int]]),
    Case("optional-dataclass", INNER, Optional[Inner]),
    Case("optional-enum", Color.GREEN, Optional[Color]),
    # --- lists
    Case("list-int", [1, 2, 3], list[int]),
    Case("list-int-empty", [], list[int]),
    Case("typing-list-str", ["a", "b"], List[str]),
    Case("list-float", [0.5, -1.25], list[float]),
    Case("list-bool", [True, False, True], list[bool]),
    Case("list-list-str", [["a", "b"], [], ["c"]], list[list[str]]),
    Case("list-list-list-int", [[[1], [2, 3]], []], list[list[list[int]]]),
    Case("list-optional-int", [1, None, 3], list[Optional[int]]),
    Case("list-datetime", [dt.datetime(2020, 1, 1, tzinfo=UTC)], list[dt.datetime]),
    Case("list-enum", [Color.RED, Color.BLUE], list[Color]),
    Case("list-dict-str-int", [{"a": 1}, {}], list[dict[str, int]]),
    Case("list-dataclass", [INNER, Inner(a=2, b="", c=-1.0, d=False)], list[Inner]),
    # --- typed dicts
    Case("dict-str-float", {"a": 1.5, "b": -2.0}, dict[str, float]),
    Case("dict-str-float-empty", {}, dict[str, float]),
    Case("typing-dict-str-str", {"k": "v"}, Dict[str, str]),
    Case("dict-str-list-int", {"a": [1, 2], "b": []}, dict[str, list[int]]),
    Case("dict-str-dict", {"outer": {"inner": 1}}, dict[str, dict[str, int]]),
    Case("dict-str-optional-str", {"a": None, "b": "x"}, dict[str, Optional[str]]),
    Case("dict-str-dataclass", {"one": INNER}, dict[str, Inner]),
    Case("dict-str-list-dict", {"a": [{"x": 1.0}]}, dict[str, list[dict[str, float]]]),
    # --- untyped and non-str-keyed dicts (msgpack binary)
    Case(
        "dict-untyped-nested",
        {"a": 1, "b": {"c": [1, 2, {"d": "e"}]}, "f": None, "g": 1.5, "h": True, "i": "ü"},
        dict,
    ),
    Case("dict-untyped-empty", {}, dict),
    Case("typing-dict-untyped", {"x": [1, "two", 3.0]}, typing.Dict),
    Case("dict-int-str", {1: "a", 2: "b"}, dict[int, str]),
    # --- dataclasses
    Case("dataclass-flat", INNER, Inner),
    Case("dataclass-nested", Outer(name="n", inner=INNER), Outer),
    Case("dataclass-optional-set", WithOptional(x=1, y="y"), WithOptional),
    Case("dataclass-optional-unset", WithOptional(x=None), WithOptional),
    Case(
        "dataclass-collections",
        WithCollections(xs=[1, 2], tags={"a": "b"}, grid=[[1.0, 2.0], []], lookup={"k": [3]}),
        WithCollections,
    ),
    Case("dataclass-enum", WithEnum(color=Color.BLUE, n=3), WithEnum),
    Case("dataclass-datetime", WithDatetime(when=NAIVE, day=dt.date(2020, 2, 29)), WithDatetime),
    Case(
        "dataclass-inner-list",
        WithInnerList(items=[INNER], by_name={"i": INNER}, best=Inner(a=9, b="z", c=0.0, d=False)),
        WithInnerList,
    ),
    Case("dataclass-defaults", WithDefaults(c=["x"]), WithDefaults),
    Case("dataclass-untyped-dict", WithUntypedDict(meta={"a": [1, {"b": None}]}, n=0), WithUntypedDict),
    # --- pydantic
    Case("pydantic-flat", PydPoint(x=1, y=2.5, label="p"), PydPoint),
    Case("pydantic-nested", PYD_OUTER, PydOuter),
    # --- enums and literals
    Case("enum", Color.RED, Color),
    Case("enum-other-member", Color.BLUE, Color),
    Case("enum-str-mixin", Status.FAILED, Status),
    Case("typing-literal-str", "a", Literal["a", "b"]),
    Case("typing-literal-str-second", "b", Literal["a", "b"]),
    # --- annotations
    Case("annotated-int", 5, kit_type=_ann_int[0], lite_type=_ann_int[1]),
    Case("annotated-list", ["t"], kit_type=_ann_list[0], lite_type=_ann_list[1]),
    Case("list-of-annotated-int", [1, 2], kit_type=_ann_elem[0], lite_type=_ann_elem[1]),
    Case("hash-method-int", 7, kit_type=_hashed(int)[0], lite_type=_hashed(int)[1]),
    Case("hash-method-list", ["a"], kit_type=_hashed(list[str])[0], lite_type=_hashed(list[str])[1]),
    Case("annotated-plain-metadata", 3, Annotated[int, "not a FlyteAnnotation"]),
    # --- more combinations
    Case("float-inf", float("inf"), float),
    Case("float-negative-zero", -0.0, float),
    Case("timedelta-large", dt.timedelta(days=3650, microseconds=1), dt.timedelta),
    Case("optional-datetime", dt.datetime(2024, 2, 29, 12, tzinfo=UTC), Optional[dt.datetime]),
    Case("optional-date", dt.date(2024, 2, 29), Optional[dt.date]),
    Case("optional-untyped-dict", {"a": [1, 2]}, Optional[dict]),
    Case("union-list-dict-list", [1, 2], Union[list[int], dict[str, int]]),
    Case("union-list-dict-dict", {"a": 1}, Union[list[int], dict[str, int]]),
    Case("nested-union", ["x"], Optional[Union[int, list[str]]]),
    Case("pep604-str", "s", int | str),
    Case("union-enum-int", Color.RED, Union[Color, int]),
    Case("dict-str-union", {"a": 1, "b": "two"}, dict[str, Union[int, str]]),
    Case("list-optional-dataclass", [INNER, None], list[Optional[Inner]]),
    Case("typing-literal-int", 2, Literal[1, 2]),
    Case(
        "dataclass-more-fields",
        WithMoreFields(status=Status.OK, codes={1: "a"}, maybe_inner=INNER),
        WithMoreFields,
    ),
    Case("dataclass-inherited", ChildOfInner(a=1, b="b", c=1.0, d=False, extra="x"), ChildOfInner),
    Case(
        "pydantic-with-types",
        PydWithTypes(when=dt.datetime(2024, 1, 1, 12, 30), color=Color.GREEN, tags=["t"]),
        PydWithTypes,
    ),
    Case("list-pydantic", [PydPoint(x=1, y=1.0, label="a")], list[PydPoint]),
    Case("optional-pydantic-none", None, Optional[PydPoint]),
    Case("optional-pydantic-value", PydPoint(x=1, y=2.0, label="l"), Optional[PydPoint]),
    Case("union-two-dataclasses", Outer(name="o", inner=INNER), Union[Inner, Outer]),
    Case("union-dataclass-int", 3, Union[Inner, int]),
    Case("union-bool-int-bool", True, Union[bool, int]),
    Case("union-bool-int-int", 1, Union[bool, int]),
    Case("union-float-int-int", 1, Union[float, int]),
    Case("union-date-datetime-date", dt.date(2020, 1, 1), Union[dt.date, dt.datetime]),
    Case("union-enum-str-enum", Color.RED, Union[Color, str]),
    Case("union-enum-str-str", "red", Union[Color, str]),
    Case("union-int-literal", "a", Union[int, Literal["a"]]),
    Case("union-dict-list-empty-dict", {}, Union[dict, list[int]]),
    Case("dict-enum-key", {Color.RED: 1}, dict[Color, int]),
    Case("list-literal", ["a", "b"], list[Literal["a", "b"]]),
    Case("optional-literal-none", None, Optional[Literal["a", "b"]]),
    Case("list-untyped-dict", [{"a": 1}, {}], list[dict]),
    Case("dict-str-optional-untyped-dict", {"a": None, "b": {"c": 1}}, dict[str, Optional[dict]]),
]


@pytest.fixture(scope="module")
def ctxs() -> tuple[Any, Any]:
    return flytekit.FlyteContextManager.current_context(), flytelite.FlyteContextManager.current_context()


def _has_msgpack(message: Message) -> bool:
    return "binary(msgpack)" in repr(normalize(message))


def _has_struct_metadata(message: Message) -> bool:
    return '"metadata"' in repr(MessageToDict(message)).replace("'", '"')


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_literal_type_matches_flytekit(case: Case) -> None:
    kit = KitTypeEngine.to_literal_type(case.for_kit()).to_flyte_idl()
    lite = LiteTypeEngine.to_literal_type(case.for_lite())
    assert normalize(kit) == normalize(lite), mismatch("LiteralType", kit, lite)
    if not _has_struct_metadata(kit):
        assert kit == lite, mismatch("LiteralType (protobuf)", kit, lite)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_literal_matches_flytekit(case: Case, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    kit_t, lite_t = case.for_kit(), case.for_lite()
    kit = KitTypeEngine.to_literal(kit_ctx, case.value, kit_t, KitTypeEngine.to_literal_type(kit_t)).to_flyte_idl()
    lite = LiteTypeEngine.to_literal(lite_ctx, case.value, lite_t, LiteTypeEngine.to_literal_type(lite_t))
    assert normalize(kit) == normalize(lite), mismatch("Literal", kit, lite)
    if not _has_msgpack(kit):
        assert kit == lite, mismatch("Literal (protobuf)", kit, lite)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_flytelite_decodes_flytekit_literal(case: Case, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    kit_t = case.for_kit()
    kit = KitTypeEngine.to_literal(kit_ctx, case.value, kit_t, KitTypeEngine.to_literal_type(kit_t)).to_flyte_idl()
    decoded = LiteTypeEngine.to_python_value(lite_ctx, kit, case.for_lite())
    assert_same_value(decoded, case.expected())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_flytekit_decodes_flytelite_literal(case: Case, ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    lite_t = case.for_lite()
    lite = LiteTypeEngine.to_literal(lite_ctx, case.value, lite_t, LiteTypeEngine.to_literal_type(lite_t))
    decoded = KitTypeEngine.to_python_value(kit_ctx, KitLiteral.from_flyte_idl(lite), case.for_kit())
    assert_same_value(decoded, case.expected())


# Cases that flytekit writes as a protobuf `Struct` (`scalar.generic`) under FLYTE_USE_OLD_DC_FORMAT=true, the
# format older flytekit versions, the Flyte console and propeller still send. Every decoder must accept it.
LEGACY_IDS = {
    "optional-dataclass",
    "list-dataclass",
    "dict-str-dataclass",
    "dict-untyped-nested",
    "dict-untyped-empty",
    "typing-dict-untyped",
    "dict-int-str",
    "dataclass-flat",
    "dataclass-nested",
    "dataclass-optional-set",
    "dataclass-optional-unset",
    "dataclass-collections",
    "dataclass-enum",
    "dataclass-datetime",
    "dataclass-inner-list",
    "dataclass-defaults",
    "dataclass-untyped-dict",
    "pydantic-flat",
    "pydantic-nested",
}
LEGACY_CASES = [c for c in CASES if c.id in LEGACY_IDS]
# A Struct has only doubles, so an untyped dict's ints come back as floats (as in flytekit).
LEGACY_INTS_BECOME_FLOATS = {"dict-untyped-nested", "typing-dict-untyped"}


@pytest.mark.parametrize("case", LEGACY_CASES, ids=[c.id for c in LEGACY_CASES])
def test_flytelite_decodes_flytekit_legacy_struct_literal(
    case: Case, ctxs: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    kit_ctx, lite_ctx = ctxs
    kit_t = case.for_kit()
    monkeypatch.setenv("FLYTE_USE_OLD_DC_FORMAT", "true")
    KitTypeEngine._LITERAL_CACHE.clear()  # flytekit caches literals by value; force a fresh legacy encoding
    try:
        kit = KitTypeEngine.to_literal(kit_ctx, case.value, kit_t, KitTypeEngine.to_literal_type(kit_t)).to_flyte_idl()
    finally:
        KitTypeEngine._LITERAL_CACHE.clear()
    assert "generic" in str(MessageToDict(kit)), "flytekit did not produce the legacy Struct encoding"
    decoded = LiteTypeEngine.to_python_value(lite_ctx, kit, case.for_lite())
    assert_same_value(decoded, case.expected(), exact_numbers=case.id not in LEGACY_INTS_BECOME_FLOATS)


def test_literal_maps_match_flytekit(ctxs: tuple[Any, Any]) -> None:
    kit_ctx, lite_ctx = ctxs
    values = {"a": 1, "b": [1.5, -2.0], "c": INNER, "d": None, "e": {"k": Color.RED}}
    hints = {"a": int, "b": list[float], "c": Inner, "d": Optional[str], "e": dict[str, Color]}
    kit = KitTypeEngine.dict_to_literal_map(kit_ctx, values, hints).to_flyte_idl()
    lite = LiteTypeEngine.dict_to_literal_map(lite_ctx, values, hints)
    assert normalize(kit) == normalize(lite), mismatch("LiteralMap", kit, lite)
    from_kit = LiteTypeEngine.literal_map_to_kwargs(lite_ctx, kit, hints)
    from_lite = KitTypeEngine.literal_map_to_kwargs(kit_ctx, KitLiteralMap.from_flyte_idl(lite), hints)
    assert from_kit == from_lite == values
