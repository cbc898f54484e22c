"""The pickle fallback (blob format, storage location, warning) and the pydantic transformer."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from flyteidl.core.literals_pb2 import Literal
from flyteidl.core.types_pb2 import BlobType, LiteralType
from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct
from typetest_support import roundtrip, to_lit

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types import TypeEngine, TypeRegistry
from flytelite.types.pickle import FlytePickle, FlytePickleTransformer


class Opaque:
    def __init__(self, x: int) -> None:
        self.x = x

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and other.x == self.x


def test_pickle_literal_type() -> None:
    lt = TypeEngine.to_literal_type(Opaque)
    assert lt.blob == BlobType(format="PythonPickle", dimensionality=BlobType.BlobDimensionality.SINGLE)
    assert MessageToDict(lt.metadata) == {"python_class_name": str(Opaque)}


def test_pickle_is_written_under_the_raw_prefix(ctx: FlyteContext, tmp_path: Path) -> None:
    lit = to_lit(ctx, Opaque(3), Opaque)
    uri = lit.scalar.blob.uri
    data = cloudpickle.dumps(Opaque(3))
    assert uri.startswith(str(tmp_path / "raw")) and os.path.basename(uri) == hashlib.md5(data).hexdigest()
    assert lit.scalar.blob.metadata.type.format == "PythonPickle"
    assert TypeEngine.to_python_value(ctx, lit, Opaque) == Opaque(3)


def test_pickle_warning_is_logged_once_per_type(registry: TypeRegistry, caplog: pytest.LogCaptureFixture) -> None:
    class OnlyHere:
        pass

    with caplog.at_level(logging.WARNING, logger="flytelite.types"):
        TypeEngine.get_transformer(OnlyHere)
        registry.clear_memos()  # as any registration does: the lookup runs again, the warning does not
        TypeEngine.get_transformer(OnlyHere)
    warnings = [r for r in caplog.records if "OnlyHere" in r.getMessage()]
    assert len(warnings) == 1 and "pickle" in warnings[0].getMessage()


def test_any_and_flytepickle_use_the_pickle_transformer(ctx: FlyteContext) -> None:
    assert isinstance(TypeEngine.get_transformer(Any), FlytePickleTransformer)
    assert isinstance(TypeEngine.get_transformer(FlytePickle[int]), FlytePickleTransformer)
    assert FlytePickle[int].python_type() is int
    assert roundtrip(ctx, {1, 2}, Any) == {1, 2}


def test_none_cannot_be_pickled(ctx: FlyteContext) -> None:
    with pytest.raises(TypeTransformerFailedError):
        to_lit(ctx, None, Opaque)


def test_pickle_guess() -> None:
    guessed = TypeEngine.guess_python_type(TypeEngine.to_literal_type(Opaque))
    assert guessed is FlytePickle
    blob = LiteralType(blob={"format": "csv"})
    assert TypeEngine.guess_python_type(blob).extension() == "csv"  # any non-pickle blob is a FlyteFile
    with pytest.raises(ValueError, match="no transformer"):
        TypeEngine.guess_python_type(LiteralType())


pydantic = pytest.importorskip("pydantic")


class Item(pydantic.BaseModel):  # type: ignore[misc,name-defined]
    name: str
    count: int = 0
    tags: list[str] = []


def test_pydantic_literal_type_and_value(ctx: FlyteContext) -> None:
    assert TypeEngine.get_transformer(Item).name == "Pydantic Transformer"
    lt = TypeEngine.to_literal_type(Item)
    assert MessageToDict(lt.metadata) == Item.model_json_schema()
    assert set(lt.structure.dataclass_type) == {"name", "count", "tags"}
    item = Item(name="a", count=2, tags=["x"])
    lit = to_lit(ctx, item, Item)
    assert lit.scalar.binary.tag == "msgpack"
    assert TypeEngine.to_python_value(ctx, lit, Item) == item


def test_pydantic_from_console_struct(ctx: FlyteContext) -> None:
    s = Struct()
    s.update({"name": "b", "count": 4})
    assert TypeEngine.to_python_value(ctx, Literal(scalar={"generic": s}), Item) == Item(name="b", count=4)


def test_pydantic_invalid_input(ctx: FlyteContext) -> None:
    s = Struct()
    s.update({"count": 4})
    with pytest.raises(TypeTransformerFailedError, match="invalid"):
        TypeEngine.to_python_value(ctx, Literal(scalar={"generic": s}), Item)
