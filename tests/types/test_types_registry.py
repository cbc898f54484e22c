"""The registry object behind `TypeEngine`: copies, the active registry, special steps and the per-type memos."""

from __future__ import annotations

import datetime
import typing
from typing import Annotated, Any, Union

import pytest
from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.types import HashMethod, SimpleTransformer, TypeEngine, TypeRegistry
from flytelite.types._builtins import register_builtins
from flytelite.types._registry import check_value


class Kelvin:
    def __init__(self, v: float) -> None:
        self.v = v


def _kelvin(name: str = "kelvin") -> SimpleTransformer[Kelvin]:
    return SimpleTransformer(
        name,
        Kelvin,
        LiteralType(simple=SimpleType.FLOAT),
        lambda k: Literal(scalar={"primitive": {"float_value": k.v}}),
        lambda lv: Kelvin(lv.scalar.primitive.float_value),
    )


def test_a_copy_isolates_registrations() -> None:
    original = TypeEngine.registry()
    with TypeEngine.using(original.copy()) as reg:
        assert TypeEngine.registry() is reg and reg is not original
        TypeEngine.register(_kelvin())
        assert TypeEngine.get_transformer(Kelvin).name == "kelvin"
        assert Kelvin in TypeEngine.get_available_transformers()
        assert original.registered(Kelvin) is None
    assert TypeEngine.registry() is original
    assert Kelvin not in TypeEngine.get_available_transformers()
    assert TypeEngine.get_transformer(Kelvin).name == "FlytePickle"


def test_using_restores_after_an_error_and_nests() -> None:
    original = TypeEngine.registry()
    with pytest.raises(RuntimeError), TypeEngine.using() as outer:  # no argument: a copy of the active one
        assert outer is not original and outer.registered(int) is original.registered(int)
        with TypeEngine.using(outer.copy()) as inner:
            inner.register(_kelvin())
        assert TypeEngine.registry() is outer and outer.registered(Kelvin) is None
        raise RuntimeError("boom")
    assert TypeEngine.registry() is original


def test_the_registry_fixture_is_the_active_copy(registry: TypeRegistry, ctx: FlyteContext) -> None:
    assert TypeEngine.registry() is registry
    registry.register(_kelvin())
    lt = TypeEngine.to_literal_type(Kelvin)
    back = TypeEngine.to_python_value(ctx, TypeEngine.to_literal(ctx, Kelvin(3.0), Kelvin, lt), Kelvin)
    assert back.v == 3.0
    with pytest.raises(FlyteValidationException, match="already registered"):
        registry.register(_kelvin("again"))


def test_builtins_fill_a_fresh_registry_once() -> None:
    reg = TypeRegistry()
    assert reg.registered(int) is None and not reg.registered_types()
    register_builtins(reg)
    count = len(reg.registered_types())
    register_builtins(reg)
    assert len(reg.registered_types()) == count
    assert reg.get_transformer(int) is TypeEngine.get_transformer(int)
    assert reg.literal_type(int | None) == TypeEngine.to_literal_type(int | None)


def test_special_steps_are_named() -> None:
    reg = TypeRegistry()
    with pytest.raises(ValueError, match="unknown lookup step 'pickles'"):
        reg.set_special("pickles", _kelvin())
    reg.set_special("pickle", _kelvin())
    assert reg.get_transformer(Kelvin).name == "kelvin"  # the pickle step is the last resort
    assert reg.special("pickle").name == "kelvin"
    with pytest.raises(KeyError):
        reg.special("dataclass")


def test_memos_tell_variant_order_and_fresh_generic_objects_apart() -> None:
    a = TypeEngine.to_literal_type(Union[int, str])
    b = TypeEngine.to_literal_type(Union[str, int])
    assert [v.simple for v in a.union_type.variants] == [SimpleType.INTEGER, SimpleType.STRING]
    assert [v.simple for v in b.union_type.variants] == [SimpleType.STRING, SimpleType.INTEGER]
    assert TypeEngine.to_literal_type(int | str) == a
    assert TypeEngine.encoder(list[int]) is TypeEngine.encoder(list[int])  # equal types built afresh share one
    assert TypeEngine.decoder(dict[str, int]) is TypeEngine.decoder(dict[str, int])


def test_registration_clears_the_memos(registry: TypeRegistry) -> None:
    assert TypeEngine.get_transformer(Kelvin).name == "FlytePickle"
    registry.register(_kelvin())
    assert TypeEngine.get_transformer(Kelvin).name == "kelvin"
    assert TypeEngine.to_literal_type(typing.List[Kelvin]).collection_type.simple == SimpleType.FLOAT


# --- exact codecs: the scalar fast path gives what the general steps give -------------------------------------------
_NOW = datetime.datetime(2024, 5, 6, 7, 8, 9, 10)
_SCALARS: list[tuple[Any, Any]] = [
    (int, 3),
    (int, -(2**63)),
    (float, 1.5),
    (float, float("inf")),
    (str, "é"),
    (bool, True),
    (datetime.datetime, _NOW),
    (datetime.datetime, _NOW.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=2)))),
    (datetime.date, _NOW.date()),
    (datetime.timedelta, datetime.timedelta(seconds=1.25)),
]
_MISFITS: list[tuple[Any, Any]] = [
    (int, True),
    (int, "3"),
    (int, 2**64),
    (int, None),
    (int, (1, 2)),
    (float, 1),
    (str, b"x"),
    (str, "\ud800"),
    (datetime.datetime, _NOW.date()),
    (datetime.date, _NOW),
    (type(None), 0),
]


def _general_literal(ctx: FlyteContext, value: Any, t: Any) -> Literal:
    """The steps `TypeRegistry.to_literal` takes for a type without an exact codec."""
    lt = TypeEngine.to_literal_type(t)
    check_value(value, t, lt)
    transformer = TypeEngine.get_transformer(t)
    transformer.assert_type(t, value)
    return transformer.to_literal(ctx, value, t, lt)


def _error(fn: Any) -> str:
    with pytest.raises(TypeTransformerFailedError) as info:
        fn()
    return str(info.value)


@pytest.mark.parametrize(("t", "value"), _SCALARS)
def test_an_exact_codec_gives_the_literal_and_value_of_the_general_path(ctx: FlyteContext, t: Any, value: Any) -> None:
    registry = TypeEngine.registry()
    assert registry.exact_codec(t)
    general = _general_literal(ctx, value, t)
    fast = TypeEngine.to_literal(ctx, value, t, TypeEngine.to_literal_type(t))
    assert fast.SerializeToString(deterministic=True) == general.SerializeToString(deterministic=True)
    filled = Literal()
    encode = registry.exact_encoder(value, t)
    assert encode is not None
    encode(ctx, value, filled)
    assert filled == general
    back = TypeEngine.to_python_value(ctx, general, t)
    assert back == TypeEngine.get_transformer(t).to_python_value(ctx, general, t) and type(back) is t


@pytest.mark.parametrize(("t", "value"), _MISFITS)
def test_an_exact_codec_raises_the_error_of_the_general_path(ctx: FlyteContext, t: Any, value: Any) -> None:
    lt = TypeEngine.to_literal_type(t)
    assert _error(lambda: TypeEngine.to_literal(ctx, value, t, lt)) == _error(lambda: _general_literal(ctx, value, t))


def test_lenient_and_msgpack_literals_decode_as_the_general_path(ctx: FlyteContext) -> None:
    as_float = Literal(scalar={"primitive": {"float_value": 2.9}})
    packed = Literal(scalar={"binary": {"value": b"\x07", "tag": "msgpack"}})  # msgpack's 7
    for lv in (as_float, packed):
        assert TypeEngine.to_python_value(ctx, lv, int) == TypeEngine.get_transformer(int).to_python_value(ctx, lv, int)
    wrong = Literal(scalar={"primitive": {"string_value": "x"}})
    general = TypeEngine.get_transformer(int)
    assert _error(lambda: TypeEngine.to_python_value(ctx, wrong, int)) == _error(
        lambda: general.to_python_value(ctx, wrong, int)
    )


def test_only_a_builtin_scalar_transformer_of_the_type_itself_has_an_exact_codec(
    registry: TypeRegistry, ctx: FlyteContext
) -> None:
    hashed = Annotated[int, HashMethod(lambda v: f"h{v}")]
    assert not registry.exact_codec(hashed) and not registry.exact_codec(list[int])
    assert TypeEngine.to_literal(ctx, 4, hashed, TypeEngine.to_literal_type(int)).hash == "h4"

    class Celsius(SimpleTransformer[int]):  # a user's transformer for `int` replaces the built-in one
        pass

    registry.register(
        Celsius(
            "celsius",
            int,
            LiteralType(simple=SimpleType.INTEGER),
            lambda v: Literal(scalar={"primitive": {"integer": v + 1}}),
            lambda lv: lv.scalar.primitive.integer - 1,
        ),
        override=True,
    )
    assert not registry.exact_codec(int) and registry.exact_encoder(3, int) is None
    lv = TypeEngine.to_literal(ctx, 3, int, TypeEngine.to_literal_type(int))
    assert lv.scalar.primitive.integer == 4 and TypeEngine.to_python_value(ctx, lv, int) == 3


def test_deferred_builtins_load_in_their_places_and_are_shared() -> None:
    # In a fresh process the list, dict, union, enum and iterator modules load only when one of their types is looked
    # up or a type is guessed; the loaded transformer fills every slot it holds, in every copy of the registry, and
    # `guess_python_type` tries the transformers in the order of registration.
    import subprocess
    import sys

    code = """
import enum, sys, types, typing
from flytelite.types import TypeEngine
modules = ("flytelite.types._collections", "flytelite.types._union", "flytelite.types._enums",
           "flytelite.types.iterator.iterator", "flytelite.types.iterator.json_iterator")
print(*(m in sys.modules for m in modules))
reg = TypeEngine.registry()
before = reg.copy()
union = TypeEngine.get_transformer(typing.Optional[int])
print(type(union).__name__, reg.registered(types.UnionType) is union, before.registered(typing.Union) is union)
print("flytelite.types._enums" in sys.modules, "flytelite.types._collections" in sys.modules)
class Color(enum.Enum):
    RED = "red"
print(TypeEngine.get_transformer(Color).name, TypeEngine.get_transformer(list[int]).name)
print(TypeEngine.get_transformer(typing.Iterator[int]).name)
from flytelite.types.iterator import JSON
print(TypeEngine.get_transformer(typing.Iterator[JSON]).name)
fresh = before.copy()
fresh.guess_python_type(TypeEngine.to_literal_type(int))
print("|".join(t.name for t in fresh._types.values()))
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)
    lines = out.stdout.splitlines()
    assert lines[0] == "False False False False False"
    assert lines[1] == "UnionTransformer True True"
    assert lines[2] == "False False"
    assert lines[3] == "DefaultEnumTransformer Typed List"
    assert lines[4] == "Typed Iterator"
    assert lines[5] == "JSON Iterator"
    # the slots in the order `register_builtins` writes them (None, unions and tuples have two keys each)
    assert lines[6].split("|") == [
        *("int", "float", "str", "datetime", "date", "timedelta", "bool", "none", "none"),
        *("Typed List", "Typed Union", "Typed Union", "Typed Dict", "non typed tuple", "non typed tuple"),
        *("Typed Iterator", "JSON Iterator"),
    ]
