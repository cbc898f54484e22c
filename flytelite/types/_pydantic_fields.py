"""pydantic support for `FlyteFile`, `FlyteDirectory` and `StructuredDataset` fields of a `BaseModel`.

Imported only from those classes' `__get_pydantic_core_schema__`, i.e. when pydantic builds a model that uses them,
so `import flytelite` never loads pydantic. A field serializes the way flytekit's pydantic hooks do — a file or
folder to `{"path": uri}` (uploading it first when the upload rules say so), a dataset to `{"uri", "file_format"}`
(writing its dataframe first) — and validates from such a dict back into a lazily downloaded value. The JSON schema
is flytekit's (the same `$defs` names, titles and properties), so models get the same `LiteralType.metadata`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from pydantic_core import core_schema

__all__ = ["FieldSpec", "flyte_field_schema"]

_ANY_PATH = {"anyOf": [{"type": "string"}, {"format": "path", "type": "string"}], "default": None, "title": "Path"}
_METADATA = {
    "anyOf": [{"additionalProperties": {"type": "string"}, "type": "object"}, {"type": "null"}],
    "default": None,
    "title": "Metadata",
}
_OPTIONAL_STR = [{"type": "string"}, {"type": "null"}]
FILE_PROPERTIES: dict[str, Any] = {"path": _ANY_PATH, "metadata": _METADATA}
DIRECTORY_PROPERTIES: dict[str, Any] = {"path": _ANY_PATH}
DATASET_PROPERTIES: dict[str, Any] = {
    "uri": {"anyOf": _OPTIONAL_STR, "default": None, "title": "Uri"},
    "file_format": {"anyOf": _OPTIONAL_STR, "default": "", "title": "File Format"},
}
# flytekit's JSON schema of a dataset carries its class docstring as the description; it is reproduced here as
# interchange data, so a model's LiteralType.metadata is the same with either SDK.
# Our own wording: flytekit puts its class docstring here; this text is the one place the schemas may differ.
DATASET_DESCRIPTION = "A dataset stored as files (parquet by default) under a URI, read and written by format handlers."


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """How one Flyte type appears in a pydantic model.

    Args:
        base: the family's root class (`FlyteFile`, …): any instance of it is accepted as is.
        title: the `$defs` name and title of the declared class.
        properties: the JSON-schema properties of its dict form.
        serialize: value -> its dict form (uploads or writes data when needed).
        from_dict: (declared class, dict form) -> value, read lazily.
        description: the schema description, if any.
    """

    base: type
    title: str
    properties: dict[str, Any]
    serialize: Callable[[Any], dict[str, Any]]
    from_dict: Callable[[Any, dict[str, Any]], Any]
    description: str | None = None

    def json_schema(self) -> dict[str, Any]:
        """Return the JSON schema of the dict form."""
        out: dict[str, Any] = {"properties": dict(self.properties), "title": self.title, "type": "object"}
        if self.description:
            out["description"] = self.description
        return out


def flyte_field_schema(declared: type, spec: FieldSpec) -> core_schema.CoreSchema:
    """Return the pydantic core schema of a field declared as `declared` (a class of `spec.base`'s family)."""
    name = f"{declared.__module__}.{spec.title}:{id(declared)}"  # pydantic names the $defs entry by the title
    schema = spec.json_schema()

    def validate(value: Any, info: core_schema.ValidationInfo) -> Any:
        if isinstance(value, spec.base):
            return value
        if isinstance(value, dict):
            return spec.from_dict(declared, value)
        raise ValueError(f"Input should be a dictionary or an instance of {spec.title}")

    def json_schema(_core: Any, _handler: Any) -> dict[str, Any]:
        return dict(schema)

    return core_schema.with_info_plain_validator_function(
        validate,
        ref=name,
        serialization=core_schema.plain_serializer_function_ser_schema(spec.serialize),
        metadata={"pydantic_js_functions": [json_schema]},
    )
