"""The registry: written lookup order, registration rules, lazy plugins, and the whole-map conversions."""

# ruff: noqa: UP045  # `Optional` spelled out: the engine must accept that spelling
from __future__ import annotations

import dataclasses
import enum
import importlib
import sys
import typing
from pathlib import Path
from typing import Annotated, Any, NamedTuple, Optional

import pytest
from flyteidl.core.interface_pb2 import Variable
from flyteidl.core.literals_pb2 import Literal, LiteralMap
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from google.protobuf.json_format import MessageToDict
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import (
    FlyteAnnotation,
    HashMethod,
    LiteralsResolver,
    SimpleTransformer,
    TypeEngine,
    TypeRegistry,
    TypeTransformer,
)


class Meters(float):
    """A float subclass: found through the MRO walk."""


class Celsius:
    def __init__(self, v: float) -> None:
        self.v = v

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Celsius) and other.v == self.v


def _celsius_transformer(name: str = "celsius") -> SimpleTransformer[Celsius]:
    return SimpleTransformer(
        name,
        Celsius,
        LiteralType(simple=SimpleType.FLOAT),
        lambda c: Literal(scalar={"primitive": {"float_value": c.v}}),
        lambda lv: Celsius(lv.scalar.primitive.float_value),
    )


class StrMode(str, enum.Enum):
    A = "a"


@dataclasses.dataclass
class DC:
    x: int


def test_lookup_order_steps() -> None:
    assert TypeEngine.get_transformer(StrMode).name == "DefaultEnumTransformer"  # enum beats its str base
    assert TypeEngine.get_transformer(typing.Literal["a"]).name == "LiteralTypeTransformer"
    assert TypeEngine.get_transformer(int).name == "int"  # exact
    assert TypeEngine.get_transformer(list[int]).name == "Typed List"  # origin
    assert TypeEngine.get_transformer(Optional[int]).name == "Typed Union"
    assert TypeEngine.get_transformer(int | str).name == "Typed Union"
    assert TypeEngine.get_transformer(Meters).name == "float"  # MRO walk
    assert TypeEngine.get_transformer(DC).name == "Object-Dataclass-Transformer"  # structural
    assert TypeEngine.get_transformer(Celsius).name == "FlytePickle"  # last step
    assert TypeEngine.get_transformer(Annotated[int, "meta"]).name == "int"  # Annotated: look at T


def test_transformer_instance_in_annotated_wins(ctx: FlyteContext) -> None:
    custom = _celsius_transformer("override")
    t = Annotated[Celsius, custom]
    assert TypeEngine.get_transformer(t) is custom
    assert TypeEngine.to_literal_type(t) == LiteralType(simple=SimpleType.FLOAT)
    assert roundtrip(ctx, Celsius(1.5), t) == Celsius(1.5)


def test_register_clears_the_memo_and_duplicates_raise(registry: TypeRegistry, ctx: FlyteContext) -> None:
    assert TypeEngine.get_transformer(Celsius).name == "FlytePickle"
    registry.register(_celsius_transformer())
    assert TypeEngine.get_transformer(Celsius).name == "celsius"
    assert roundtrip(ctx, Celsius(2.0), Celsius) == Celsius(2.0)
    assert to_lit(ctx, Celsius(2.0), Celsius) == Literal(scalar={"primitive": {"float_value": 2.0}})
    with pytest.raises(ValueError, match="already registered"):
        registry.register(_celsius_transformer("second"))
    registry.register(_celsius_transformer("second"), override=True)
    assert TypeEngine.get_transformer(Celsius).name == "second"


def test_registration_beats_the_mro_and_additional_types(registry: TypeRegistry) -> None:
    registry.register(_celsius_transformer(), additional_types=[Meters])
    assert TypeEngine.get_transformer(Meters).name == "celsius"
    assert Meters in TypeEngine.get_available_transformers()


def test_lazy_registration_imports_on_first_lookup(registry: TypeRegistry, tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "widgets_lib.py").write_text("class Widget:\n    pass\nclass Gadget(Widget):\n    pass\n")
    (tmp_path / "widgets_plugin.py").write_text(
        "from flytelite.types import SimpleTransformer\n"
        "from flytelite.models.literals import Literal\n"
        "from flytelite.models.types import LiteralType, SimpleType\n"
        "import widgets_lib\n"
        "class WidgetTransformer(SimpleTransformer):\n"
        "    def __init__(self):\n"
        "        super().__init__('widget', widgets_lib.Widget, LiteralType(simple=SimpleType.STRING),\n"
        "                         lambda w: Literal(scalar={'primitive': {'string_value': 'w'}}),\n"
        "                         lambda lv: widgets_lib.Widget())\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    lib = importlib.import_module("widgets_lib")
    registry.register_lazy("widgets_lib.Widget", "widgets_plugin:WidgetTransformer")
    assert "widgets_plugin" not in sys.modules
    assert TypeEngine.get_transformer(lib.Gadget).name == "widget"  # found by qualified name in the MRO
    assert "widgets_plugin" in sys.modules
    assert TypeEngine.get_transformer(lib.Widget).name == "widget"
    monkeypatch.delitem(sys.modules, "widgets_plugin")
    monkeypatch.delitem(sys.modules, "widgets_lib")


def test_flyte_annotation_lands_in_the_literal_type() -> None:
    lt = TypeEngine.to_literal_type(Annotated[int, FlyteAnnotation({"unit": "m", "nested": {"a": 1}})])
    assert lt.simple == SimpleType.INTEGER
    assert MessageToDict(lt.annotation) == {"annotations": {"unit": "m", "nested": {"a": 1.0}}}
    lt = TypeEngine.to_literal_type(Annotated[typing.Literal["a"], FlyteAnnotation({"k": "v"})])
    assert MessageToDict(lt.annotation) == {"annotations": {"k": "v", "literal_values": ["a"]}}


def test_flyte_annotation_rules() -> None:
    with pytest.raises(ValueError, match="more than one FlyteAnnotation"):
        TypeEngine.to_literal_type(Annotated[int, FlyteAnnotation({"a": 1}), FlyteAnnotation({"b": 1})])
    with pytest.raises(ValueError, match="cache-key-metadata"):
        TypeEngine.to_literal_type(Annotated[int, FlyteAnnotation({"cache-key-metadata": 1})])


def test_hash_method_sets_the_literal_hash(ctx: FlyteContext) -> None:
    t = Annotated[list[int], HashMethod(lambda xs: f"sum-{sum(xs)}")]
    assert to_lit(ctx, [1, 2], t).hash == "sum-3"
    inner = list[Annotated[int, HashMethod(str)]]
    assert [lit.hash for lit in to_lit(ctx, [4, 5], inner).collection.literals] == ["4", "5"]
    assert to_lit(ctx, 1, int).hash == ""


def test_tuples_are_refused(ctx: FlyteContext) -> None:
    class Pair(NamedTuple):
        a: int

    with pytest.raises(TypeTransformerFailedError, match="tuples are not supported"):
        TypeEngine.to_literal(ctx, Pair(1), Pair, LiteralType())
    with pytest.raises(TypeTransformerFailedError, match="cannot be a Flyte input or output type"):
        TypeEngine.to_literal_type(Pair)
    with pytest.raises(TypeTransformerFailedError, match="cannot be a Flyte input or output type"):
        TypeEngine.to_literal_type(tuple[int, str])


def test_literal_map_to_kwargs_names_the_input(ctx: FlyteContext) -> None:
    lm = TypeEngine.dict_to_literal_map(ctx, {"a": 1, "xs": [1, 2, 3, 4]}, {"xs": list[int]})
    assert TypeEngine.literal_map_to_kwargs(ctx, lm, {"a": int, "xs": list[int]}) == {"a": 1, "xs": [1, 2, 3, 4]}
    with pytest.raises(TypeTransformerFailedError) as info:
        TypeEngine.literal_map_to_kwargs(ctx, lm, {"a": int, "xs": list[str]})
    assert str(info.value) == "input 'xs[0]': expected a literal of str, got integer (1)"
    assert info.value.path == "xs[0]"
    with pytest.raises(ValueError, match="2 input values"):
        TypeEngine.literal_map_to_kwargs(ctx, lm, {"a": int})


def test_literal_map_to_kwargs_from_variables(ctx: FlyteContext) -> None:
    lm = TypeEngine.dict_to_literal_map(ctx, {"a": 1})
    variables = {"a": Variable(type=LiteralType(simple=SimpleType.INTEGER))}
    assert TypeEngine.literal_map_to_kwargs(ctx, lm, literal_types=variables) == {"a": 1}
    assert TypeEngine.guess_python_types(variables) == {"a": int}


def test_dict_to_literal_map_names_the_input(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        TypeEngine.dict_to_literal_map(ctx, {"xs": [1, 2, 3, "abc"]}, {"xs": list[int]})
    assert str(info.value) == "input 'xs[3]': expected int, got str ('abc')"
    assert isinstance(info.value.__cause__, TypeTransformerFailedError)


def test_named_tuple_to_variable_map() -> None:
    class Out(NamedTuple):
        total: int
        names: list[str]

    vm = TypeEngine.named_tuple_to_variable_map(Out)
    assert set(vm.variables) == {"total", "names"}
    assert (vm.variables["total"].description, vm.variables["names"].description) == ("0", "1")
    assert vm.variables["names"].type == TypeEngine.to_literal_type(list[str])


def test_offloaded_literal_is_loaded(ctx: FlyteContext, tmp_path: Path) -> None:
    real = to_lit(ctx, [1, 2], list[int])
    path = tmp_path / "offloaded.pb"
    path.write_bytes(real.SerializeToString())
    lit = Literal(offloaded_metadata={"uri": str(path)})
    assert TypeEngine.to_python_value(ctx, lit, list[int]) == [1, 2]


def test_any_context_works() -> None:
    ctx = FlyteContextManager.current_context()
    assert roundtrip(ctx, {"a": [1.5]}, dict[str, list[float]]) == {"a": [1.5]}


def test_literals_resolver(ctx: FlyteContext) -> None:
    lm = TypeEngine.dict_to_literal_map(ctx, {"a": 1, "b": "x"})
    variables = {"a": Variable(type=LiteralType(simple=SimpleType.INTEGER))}
    res = LiteralsResolver(dict(lm.literals), variables, ctx)
    assert res["a"] == 1 and res.get("b", as_type=str) == "x"
    assert res.native_values == {"a": 1, "b": "x"}
    with pytest.raises(KeyError, match="no literal named 'c'"):
        res.get_literal("c")
    fresh = LiteralsResolver(dict(lm.literals))
    with pytest.raises(ValueError, match="as_type"):
        fresh["b"]
    fresh.update_type_hints({"b": str})
    assert fresh["b"] == "x"


def test_base_transformer_defaults(ctx: FlyteContext) -> None:
    class Half(TypeTransformer[Celsius]):
        def __init__(self) -> None:
            super().__init__("half", Celsius)

    half = Half()
    with pytest.raises(TypeTransformerFailedError, match="does not define"):
        half.get_literal_type(Celsius)
    with pytest.raises(ValueError, match="cannot reverse"):
        half.guess_python_type(LiteralType(simple=SimpleType.FLOAT))
    with pytest.raises(TypeTransformerFailedError, match=r"expected .*Celsius, got int"):
        half.assert_type(Celsius, 3)
    assert not half.is_async and half.type_assertions_enabled and half.python_type is Celsius


def test_compat_paths_re_export_the_engine() -> None:
    from flytelite.core import annotation, hash, type_engine

    assert type_engine.TypeEngine is TypeEngine
    assert annotation.FlyteAnnotation is FlyteAnnotation
    assert hash.HashMethod is HashMethod
    assert sorted(type_engine.__all__) == type_engine.__all__
    for name in type_engine.__all__:
        assert getattr(type_engine, name) is not None
    lm = LiteralMap()
    assert TypeEngine.literal_map_to_kwargs(FlyteContextManager.current_context(), lm, {}) == {}
