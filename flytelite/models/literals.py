"""flytekit's `flytekit.models.literals` classes, as views over `flyteidl.core.literals_pb2` (see `_view`).

```python
lit = Literal(scalar=Scalar(primitive=Primitive(integer=5)))
lit.scalar.primitive.value        # 5
lit.collection is None            # True
Literal.from_flyte_idl(lit.to_flyte_idl()) == lit
```
"""

from __future__ import annotations

from typing import Any

from flyteidl.core import literals_pb2 as _pb

from flytelite.models._view import View, f
from flytelite.models.core import types as _core_types  # noqa: F401 -- registers BlobType for Blob.metadata.type
from flytelite.models.types import Error, LiteralType, OutputReference

__all__ = [
    "Binary",
    "Binding",
    "BindingData",
    "BindingDataCollection",
    "BindingDataMap",
    "Blob",
    "BlobMetadata",
    "Error",
    "KeyValuePair",
    "Literal",
    "LiteralCollection",
    "LiteralMap",
    "LiteralOffloadedMetadata",
    "LiteralType",
    "OutputReference",
    "Primitive",
    "RetryStrategy",
    "Scalar",
    "Schema",
    "StructuredDataset",
    "StructuredDatasetMetadata",
    "Union",
    "UnionInfo",
    "Void",
]


class RetryStrategy(View):
    """How many times a failed task is retried: `RetryStrategy(3)`."""

    _PB = _pb.RetryStrategy
    _FIELDS = (f("retries"),)


class Primitive(View):
    """One primitive value; exactly one argument is given (`Primitive(integer=5)`, `Primitive(datetime=dt)`)."""

    _PB = _pb.Primitive
    _FIELDS = (
        f("integer"),
        f("float_value"),
        f("string_value"),
        f("boolean"),
        f("datetime"),
        f("duration"),
    )

    @property
    def value(self) -> Any:
        """Return whichever field is set (None when none is)."""
        kind = self._pb.WhichOneof("value")
        return None if kind is None else getattr(self, kind)


class Binary(View):
    """Opaque bytes with a format tag (`Binary(msgpack_bytes, "msgpack")`)."""

    _PB = _pb.Binary
    _FIELDS = (f("value"), f("tag"))


class BlobMetadata(View):
    """The `BlobType` of a blob."""

    _PB = _pb.BlobMetadata
    _FIELDS = (f("type"),)


class Blob(View):
    """A file or folder at `uri`: `Blob(BlobMetadata(BlobType("csv", SINGLE)), "s3://b/k")`."""

    _PB = _pb.Blob
    _FIELDS = (f("metadata"), f("uri"))


class Void(View):
    """The value of `None`."""

    _PB = _pb.Void
    _FIELDS = ()


class Schema(View):
    """A (legacy) schema value at `uri`."""

    _PB = _pb.Schema
    _FIELDS = (f("uri"), f("type"))


class Union(View):
    """A union value with the variant type it was stored as: `Union(value, stored_type)`."""

    _PB = _pb.Union
    _FIELDS = (f("value"), f("stored_type", pb="type"))


class StructuredDatasetMetadata(View):
    """The `StructuredDatasetType` of a structured dataset."""

    _PB = _pb.StructuredDatasetMetadata
    _FIELDS = (f("structured_dataset_type"),)


class StructuredDataset(View):
    """A dataframe-like value at `uri`: `StructuredDataset(uri=..., metadata=StructuredDatasetMetadata(t))`."""

    _PB = _pb.StructuredDataset
    _FIELDS = (f("uri"), f("metadata"))


class LiteralCollection(View):
    """A list of literals: `LiteralCollection([lit1, lit2])`; `.literals` is a list."""

    _PB = _pb.LiteralCollection
    _FIELDS = (f("literals"),)


class LiteralMap(View):
    """Named literals: `LiteralMap({"a": lit})`; `.literals` is a dict."""

    _PB = _pb.LiteralMap
    _FIELDS = (f("literals"),)


class Scalar(View):
    """A single value: one of primitive, blob, binary, schema, union, none_type, error, generic, structured_dataset."""

    _PB = _pb.Scalar
    _FIELDS = (
        f("primitive"),
        f("blob"),
        f("binary"),
        f("schema"),
        f("union"),
        f("none_type"),
        f("error"),
        f("generic"),
        f("structured_dataset"),
    )

    @property
    def value(self) -> Any:
        """Return whichever field is set (None when none is)."""
        kind = self._pb.WhichOneof("value")
        return None if kind is None else getattr(self, kind)


class LiteralOffloadedMetadata(View):
    """Where an offloaded literal was written, its size and its inferred type."""

    _PB = _pb.LiteralOffloadedMetadata
    _FIELDS = (f("uri"), f("size_bytes"), f("inferred_type"))


class Literal(View):
    """A Flyte value: a scalar, a collection or a map (plus hash, metadata, offloaded metadata)."""

    _PB = _pb.Literal
    _FIELDS = (
        f("scalar"),
        f("collection"),
        f("map"),
        f("hash", conv="none_if_empty"),
        f("metadata", conv="none_if_empty"),
        f("offloaded_metadata"),
    )

    @property
    def value(self) -> Any:
        """Return the scalar, the collection or the map, whichever is set."""
        kind = self._pb.WhichOneof("value")
        return None if kind is None else getattr(self, kind)

    def set_metadata(self, metadata: dict[str, str]) -> None:
        """Replace the literal's metadata."""
        self.metadata = metadata


class BindingDataCollection(View):
    """A list of binding data."""

    _PB = _pb.BindingDataCollection
    _FIELDS = (f("bindings"),)


class BindingDataMap(View):
    """Named binding data."""

    _PB = _pb.BindingDataMap
    _FIELDS = (f("bindings"),)


class BindingData(View):
    """A value bound to an input: a scalar, a collection, a promise (`OutputReference`) or a map."""

    _PB = _pb.BindingData
    _FIELDS = (f("scalar"), f("collection"), f("promise"), f("map"))

    @property
    def value(self) -> Any:
        """Return whichever field is set."""
        kind = self._pb.WhichOneof("value")
        return None if kind is None else getattr(self, kind)

    def to_literal_model(self) -> Literal:
        """Return the `Literal` this binding holds (it must not contain promises).

        Raises:
            ValueError: the binding refers to another node's output.
        """
        view: Literal = Literal.from_flyte_idl(_binding_to_literal(self._pb))
        return view


def _binding_to_literal(b: Any) -> Any:
    kind = b.WhichOneof("value")
    if kind == "promise":
        raise ValueError(f"binding data with a promise cannot become a literal: {b}")
    if kind == "scalar":
        return _pb.Literal(scalar=b.scalar)
    if kind == "collection":
        items = [_binding_to_literal(x) for x in b.collection.bindings]
        return _pb.Literal(collection=_pb.LiteralCollection(literals=items))
    if kind == "map":
        named = {k: _binding_to_literal(v) for k, v in b.map.bindings.items()}
        return _pb.Literal(map=_pb.LiteralMap(literals=named))
    return _pb.Literal()


class Binding(View):
    """An input variable and the data bound to it: `Binding("x", BindingData(...))`."""

    _PB = _pb.Binding
    _FIELDS = (f("var"), f("binding"))


class KeyValuePair(View):
    """A key and a value (container environment, config)."""

    _PB = _pb.KeyValuePair
    _FIELDS = (f("key"), f("value"))


class UnionInfo(View):
    """The union type a value was bound as."""

    _PB = _pb.UnionInfo
    _FIELDS = (f("targetType"),)
