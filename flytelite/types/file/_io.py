"""`typing.TextIO` and `typing.BinaryIO` values: streams carried as single-part blobs (`text/plain`,
`application/octet-stream`), as flytekit types them.

Encoding reads the stream from its start and writes it to a fresh raw-output path; decoding downloads the blob and
returns an open file, which the task should close.
"""

from __future__ import annotations

import typing
from typing import Any

from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType, LiteralType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types._base import TypeTransformer, describe_literal, describe_value, type_name

__all__ = ["BinaryIOTransformer", "TextIOTransformer"]


class _StreamTransformer(TypeTransformer[Any]):
    """Shared logic: one blob format, one open mode."""

    def __init__(self, name: str, t: Any, fmt: str, binary: bool) -> None:
        super().__init__(name=name, t=t)
        self._format = fmt
        self._binary = binary

    def _blob_type(self) -> BlobType:
        return BlobType(format=self._format, dimensionality=BlobType.BlobDimensionality.SINGLE)

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept any readable stream."""
        if not callable(getattr(v, "read", None)):
            raise TypeTransformerFailedError(f"expected a readable stream for {type_name(t)}, got {describe_value(v)}")

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return the single-part blob type of this stream kind."""
        return LiteralType(blob=self._blob_type())

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType | None) -> Literal:
        """Write the whole stream (from its start when seekable) to a fresh raw-output path."""
        self.assert_type(python_type, python_val)
        if callable(getattr(python_val, "seekable", None)) and python_val.seekable():
            python_val.seek(0)
        data = python_val.read()
        if isinstance(data, str):
            if self._binary:
                raise TypeTransformerFailedError(f"{type_name(python_type)} needs a binary stream, got a text stream")
            data = data.encode("utf-8")
        elif not self._binary:
            raise TypeTransformerFailedError(f"{type_name(python_type)} needs a text stream, got a binary stream")
        uri = ctx.file_access.get_random_remote_path()
        ctx.file_access.write_bytes(uri, bytes(data))
        return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=self._blob_type()), uri=uri)})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Download the blob and return it opened for reading."""
        if not (lv.HasField("scalar") and lv.scalar.HasField("blob")):
            raise TypeTransformerFailedError(f"expected a blob literal, got {describe_literal(lv)}")
        local_path = ctx.file_access.get_random_local_path()
        ctx.file_access.get_data(lv.scalar.blob.uri, local_path, is_multipart=False)
        if self._binary:
            return open(local_path, "rb")  # the task owns the returned stream
        return open(local_path, encoding="utf-8")  # the task owns the returned stream


class TextIOTransformer(_StreamTransformer):
    """Carry `typing.TextIO` values as `text/plain` blobs (UTF-8)."""

    def __init__(self) -> None:
        super().__init__("TextIO", typing.TextIO, "text/plain", binary=False)


class BinaryIOTransformer(_StreamTransformer):
    """Carry `typing.BinaryIO` values as `application/octet-stream` blobs."""

    def __init__(self) -> None:
        super().__init__("BinaryIO", typing.BinaryIO, "application/octet-stream", binary=True)
