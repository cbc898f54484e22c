"""`typing.Iterator[JSON]`: JSON values streamed into one JSON Lines blob (`format: jsonl`) and read back lazily.

Only that exact type is a JSON iterator, as in flytekit (`collections.abc.Iterator[JSON]` is an ordinary iterator).

The literal type is a single-part blob of format `jsonl` whose `metadata` is `{"format": "json iterator"}`, as
flytekit writes it, so either SDK reads what the other wrote. An empty iterator cannot be written.
"""

from __future__ import annotations

import collections.abc
import os
import typing
from typing import IO, Any, Dict, List, Union

from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType, LiteralType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.storage import is_remote
from flytelite.types._base import TypeTransformer, describe_literal, mismatch, type_name

__all__ = ["JSON", "JSONCollection", "JSONIterator", "JSONIteratorTransformer", "JSONScalar"]

# The exact alias flytekit registers (`typing.Iterator[JSON]` must be equal to the key users write).
JSONCollection = Union[Dict[str, Any], List[Any]]
JSONScalar = Union[bool, float, int, str]
JSON = Union[JSONCollection, JSONScalar]

_FORMAT = "jsonl"
_METADATA = "json iterator"
_SINGLE = BlobType.BlobDimensionality.SINGLE


class JSONIterator(collections.abc.Iterator[Any]):
    """The values of a JSON Lines stream, decoded one line at a time; the stream is closed once exhausted.

    Args:
        reader: an open text stream of JSON Lines (or any object with `iter()` returning the decoded values, such as
            a `jsonlines.Reader`).
    """

    def __init__(self, reader: IO[str] | Any) -> None:
        self._reader = reader
        make = getattr(reader, "iter", None)
        self._values = iter(make()) if callable(make) else self._decode(reader)

    @staticmethod
    def _decode(stream: IO[str]) -> collections.abc.Iterator[Any]:
        import json  # only JSON Lines values need it (~1 ms to import)

        for line in stream:
            if line.strip():
                yield json.loads(line)

    def __iter__(self) -> JSONIterator:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._values)
        except StopIteration:
            self._reader.close()
            raise


class JSONIteratorTransformer(TypeTransformer[collections.abc.Iterator[Any]]):
    """Convert `Iterator[JSON]` to a JSON Lines blob and back to a `JSONIterator`."""

    JSON_ITERATOR_FORMAT = _FORMAT
    JSON_ITERATOR_METADATA = _METADATA

    def __init__(self) -> None:
        super().__init__("JSON Iterator", typing.Iterator[JSON])  # the exact key users write, as in flytekit

    def _blob_type(self) -> BlobType:
        return BlobType(format=_FORMAT, dimensionality=_SINGLE)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return the single-part `jsonl` blob type, marked `{"format": "json iterator"}`."""
        lt = LiteralType(blob=self._blob_type())
        lt.metadata.update({"format": _METADATA})
        return lt

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept any iterable of JSON values."""
        if not isinstance(v, collections.abc.Iterable) or isinstance(v, (str, bytes, dict)):
            raise mismatch(type_name(t), v)

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Write each value as one line of a JSON Lines file and upload it to the raw output prefix.

        Raises:
            TypeTransformerFailedError: a value is not JSON-serializable.
            ValueError: the iterator is empty.
        """
        import json  # only JSON Lines values need it (~1 ms to import)

        local = ctx.file_access.get_random_local_path()
        os.makedirs(os.path.dirname(local) or ".", exist_ok=True)
        count = 0
        try:
            with open(local, "w", encoding="utf-8") as fh:
                for value in python_val:
                    fh.write(json.dumps(value, ensure_ascii=False))
                    fh.write("\n")
                    count += 1
        except (TypeError, ValueError) as exc:
            raise TypeTransformerFailedError(f"item [{count}] of {type_name(python_type)}: {exc}") from exc
        if count == 0:
            os.remove(local)
            raise ValueError("The iterator is empty.")
        uri = ctx.file_access.put_raw_data(local)
        return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=self._blob_type()), uri=str(uri))})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> JSONIterator:
        """Open the blob (local or in an object store) and return a `JSONIterator` reading it line by line.

        Raises:
            TypeTransformerFailedError: the literal is not a blob.
        """
        if not (lv.HasField("scalar") and lv.scalar.HasField("blob")):
            raise TypeTransformerFailedError(
                f"expected a JSON Lines blob for {type_name(expected_python_type)}, got {describe_literal(lv)}"
            )
        uri = lv.scalar.blob.uri
        if is_remote(uri):
            return JSONIterator(ctx.file_access.get_filesystem_for_path(uri).open(uri, "rt", encoding="utf-8"))
        return JSONIterator(open(uri.removeprefix("file://"), encoding="utf-8"))  # closed once exhausted

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `Iterator[JSON]` for a `jsonl` blob type marked `{"format": "json iterator"}`."""
        if (
            literal_type.WhichOneof("type") == "blob"
            and literal_type.blob.dimensionality == _SINGLE
            and literal_type.blob.format == _FORMAT
            and dict(literal_type.metadata).get("format") == _METADATA
        ):
            return typing.Iterator[JSON]
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")
