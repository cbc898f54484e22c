"""The pydantic `BaseModel` transformer (used only when a model class is converted; pydantic is never imported here).

Models travel as msgpack of their JSON dump; the LiteralType carries `model_json_schema()` like flytekit's.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import msgpack
from flyteidl.core.literals_pb2 import Binary, Literal
from flyteidl.core.types_pb2 import LiteralType, SimpleType
from google.protobuf import json_format

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types._base import (
    CACHE_KEY_METADATA,
    MESSAGEPACK,
    SERIALIZATION_FORMAT,
    TypeTransformer,
    describe_literal,
    get_underlying_type,
    mismatch,
    type_name,
)
from flytelite.types._codecs import unpack
from flytelite.types._engine import TypeEngine

__all__ = ["PydanticTransformer"]

logger = logging.getLogger("flytelite.types")


class PydanticTransformer(TypeTransformer[Any]):
    """Convert pydantic models to msgpack `Binary` literals with their JSON schema as metadata."""

    def __init__(self) -> None:
        super().__init__("Pydantic Transformer", object, enable_type_assertions=False)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return STRUCT with `model_json_schema()` and each field's LiteralType."""
        t = get_underlying_type(t)
        lt = LiteralType(simple=SimpleType.STRUCT)
        lt.metadata.update(t.model_json_schema())
        for name, info in t.model_fields.items():
            try:
                lt.structure.dataclass_type[name].CopyFrom(TypeEngine.to_literal_type(info.annotation))
            except Exception as exc:  # a field without a LiteralType only loses attribute access in propeller
                logger.warning("field %s of %s has no literal type: %s", name, type_name(t), exc)
        lt.structure.tag = ""
        lt.annotation.annotations.update({CACHE_KEY_METADATA: {SERIALIZATION_FORMAT: MESSAGEPACK}})
        return lt

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return msgpack of the model's JSON dump."""
        t = get_underlying_type(python_type)
        if not isinstance(python_val, t):
            raise mismatch(type_name(t), python_val)
        data = msgpack.packb(json.loads(python_val.model_dump_json()))
        return Literal(scalar={"binary": Binary(value=data, tag=MESSAGEPACK)})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Validate the model from a msgpack binary or a protobuf Struct literal."""
        t = get_underlying_type(expected_python_type)
        kind = lv.scalar.WhichOneof("value")
        if kind == "binary":
            return self.from_binary_idl(lv.scalar.binary, t)
        if kind == "generic":
            return self._validate(t, json_format.MessageToJson(lv.scalar.generic))
        raise TypeTransformerFailedError(
            f"expected a binary or generic literal for {type_name(t)}, got {describe_literal(lv)}"
        )

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Validate the model from msgpack bytes."""
        if binary_idl_object.tag != MESSAGEPACK:
            raise TypeTransformerFailedError(f"unsupported binary format {binary_idl_object.tag!r}")
        return self._validate(expected_python_type, json.dumps(unpack(binary_idl_object.value)))

    @staticmethod
    def _validate(t: Any, json_str: str) -> Any:
        try:
            return t.model_validate_json(json_str, strict=False, context={"deserialize": True})
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise TypeTransformerFailedError(f"invalid {type_name(t)}: {exc}") from exc
