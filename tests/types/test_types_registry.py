"""The registry object behind `TypeEngine`: copies, the active registry, special steps and the per-type memos."""

from __future__ import annotations

import typing
from typing import Union

import pytest
from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException
from flytelite.types import SimpleTransformer, TypeEngine, TypeRegistry
from flytelite.types._builtins import register_builtins


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
