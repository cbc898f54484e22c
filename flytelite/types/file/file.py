"""`FlyteFile`: a file that travels between tasks as a single-part blob, uploaded and downloaded for you.

Upload rules (flytekit's): a remote path (`s3://…`), `remote_path=False` or an `os.PathLike` declaration passes the
URI through; a local path is not uploaded in a local run, and is uploaded to `<raw prefix>/<32 hex>/<name>` when the
task runs in a pod (or outside any run). A decoded remote file is downloaded lazily, on `open(ff)`, `os.fspath(ff)`
or `ff.download()`; `ff.open(mode)` streams it without a local copy.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pathlib
import typing
from collections.abc import Callable, Iterator
from typing import IO, Any
from urllib.parse import unquote

from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType, LiteralType

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import (
    FlyteAssertion,
    TypeTransformerFailedError,
)
from flytelite.storage import is_remote
from flytelite.types._base import (
    describe_value,
    get_underlying_type,
    type_name,
)
from flytelite.types._codecs import register_serialization_strategy
from flytelite.types._engine import TypeEngine
from flytelite.types.file._blob_path import (
    BlobPath,
    BlobPathTransformer,
    LazyDownload,
    download_for_input,
    format_class,
    format_string,
    from_plain_path,
    is_local_run,
    noop,
)
from flytelite.types.file._io import BinaryIOTransformer, TextIOTransformer

__all__ = [
    "FlyteFile",
    "FlyteFilePathTransformer",
    "deserialize_file_field",
    "download_for_input",
    "flyte_file_transformer",
    "format_string",
    "noop",
    "register_file_transformers",
    "serialize_file_field",
]

logger = logging.getLogger("flytelite.types")
T = typing.TypeVar("T")
_PICKLE_FORMAT = "PythonPickle"
_SINGLE = BlobType.BlobDimensionality.SINGLE


_format_classes: dict[str, type[FlyteFile[Any]]] = {}


@dataclasses.dataclass(init=False, repr=False, eq=False)
class FlyteFile(BlobPath, typing.Generic[T]):
    """A file input or output; `FlyteFile["csv"]` declares its format.

    Args:
        path: a local path or a remote URI (`s3://bucket/key`); a remote one is downloaded on first local use.
        downloader: called once before the local path is first used (set by the type engine).
        remote_path: where to upload this file instead of a random raw-output path, or False to never upload.
        metadata: key/values carried in `Literal.metadata`.

    Attributes:
        path: the local path or remote URI.
        metadata: key/values carried in `Literal.metadata`.
        remote_path: the requested upload destination (False: never upload).
        remote_source: the remote URI the data was read from, if any.
        downloaded: whether the data has been made local.
    """

    # The field declarations are flytekit's, so a dataclass holding a FlyteFile gets flytekit's JSON schema.
    path: typing.Union[str, os.PathLike] = None  # type: ignore[type-arg, assignment]
    metadata: dict[str, str] | None = None

    def __init__(
        self,
        path: str | os.PathLike[str],
        downloader: Callable[[], Any] = noop,
        remote_path: str | os.PathLike[str] | bool | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.metadata = metadata
        self._downloader = downloader
        self.downloaded = False
        self.remote_path: str | os.PathLike[str] | bool | None = remote_path
        self.remote_source = None
        self._local_path: str | os.PathLike[str] = path
        if is_remote(path):
            self.remote_source = os.fspath(path)
            fa = FlyteContextManager.current_context().file_access
            self._local_path = fa.get_random_local_path(self.remote_source)
            self._downloader = LazyDownload(self.remote_source, str(self._local_path))

    def __class_getitem__(cls, item: Any) -> Any:
        return format_class(cls, FlyteFile, item, _format_classes)

    @classmethod
    def new_remote_file(cls, name: str | None = None, alt: str | None = None) -> FlyteFile[Any]:
        """Return a file at a fresh path beside the raw-output prefix (`alt` replaces the bucket)."""
        fa = FlyteContextManager.current_context().file_access
        return cls(path=fa.generate_new_custom_path(alt=alt, stem=name))

    @classmethod
    def from_source(cls, source: str | os.PathLike[str]) -> FlyteFile[Any]:
        """Return a file standing for `source` (a local path or a remote URI), downloaded lazily."""
        lit = Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=_blob_type("")), uri=os.fspath(source))})
        ctx = FlyteContextManager.current_context()
        out: FlyteFile[Any] = FlyteFilePathTransformer().to_python_value(ctx, lit, cls)
        return out

    @classmethod
    def new(cls, filename: str | os.PathLike[str]) -> FlyteFile[Any]:
        """Return a file named `filename` in the current task's working directory.

        Raises:
            ValueError: `filename` is absolute.
        """
        if os.path.isabs(filename):
            raise ValueError(f"FlyteFile.new needs a relative path, got {os.fspath(filename)!r}")
        params = FlyteContextManager.current_context().user_space_params
        if params is None:
            raise FlyteAssertion("FlyteFile.new needs a running task (no working directory in this context)")
        return cls(path=os.path.join(params.working_directory, filename))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Describe this type to pydantic: a model field is `{"path": uri[, "metadata": …]}`, as in flytekit."""
        from flytelite.types import _pydantic_fields as pf  # pydantic loads only when a model holds a file

        title = "_SpecificFormatClass" if cls.extension() else cls.__name__
        spec = pf.FieldSpec(FlyteFile, title, pf.FILE_PROPERTIES, serialize_file_field, _file_from_dict)
        return pf.flyte_field_schema(cls, spec)

    def _local(self) -> str | os.PathLike[str]:
        return self._local_path

    @contextlib.contextmanager
    def open(
        self, mode: str, cache_type: str | None = None, cache_options: dict[str, Any] | None = None
    ) -> Iterator[IO[Any]]:
        """Open the file for streaming: remote files are read or written in place, without a local copy.

        Args:
            mode: `"r"`, `"rb"`, `"w"`, `"wb"`, …
            cache_type: fsspec read cache for remote files (`"readahead"`, `"blockcache"`, …).
            cache_options: options for that cache.
        """
        target: str | os.PathLike[str] | bool = self.remote_source or self.remote_path or self.path
        target = os.fspath(self.path if isinstance(target, bool) else target)
        if not is_remote(target):
            with open(target, mode) as fh:
                yield fh
            return
        fs = FlyteContextManager.current_context().file_access.get_filesystem_for_path(target)
        with fs.open(target, mode, cache_type=cache_type, cache_options=cache_options) as fh:
            yield fh

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FlyteFile):
            return (
                self.path == other.path
                and self.remote_path == other.remote_path
                and self.extension() == other.extension()
            )
        return bool(self.path == other)

    def __hash__(self) -> int:
        return hash(str(self.path))


def _blob_type(fmt: str) -> BlobType:
    return BlobType(format=fmt, dimensionality=_SINGLE)


def _blob_literal(fmt: str, uri: str, metadata: dict[str, str] | None) -> Literal:
    lit = Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=_blob_type(fmt)), uri=uri)})
    if metadata:
        lit.metadata.update(metadata)
    return lit


def _check_file_type(t: Any, declared: Any) -> None:
    if not (t is os.PathLike or (isinstance(t, type) and issubclass(t, FlyteFile))):
        raise TypeTransformerFailedError(f"{type_name(declared)} is neither a FlyteFile nor os.PathLike")


class FlyteFilePathTransformer(BlobPathTransformer[FlyteFile[Any]]):
    """Convert `FlyteFile`, `FlyteFile[fmt]` and `os.PathLike` values to single-part blob literals and back."""

    literal_kind = "a file (blob)"

    def __init__(self) -> None:
        super().__init__(name="FlyteFilePath", t=FlyteFile)

    @staticmethod
    def get_format(t: Any) -> str:
        """Return the blob format of a declared file type."""
        t = get_underlying_type(t)
        if t is os.PathLike or not (isinstance(t, type) and issubclass(t, FlyteFile)):
            return ""
        return t.extension()

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept a `FlyteFile`, a `str` or any `os.PathLike`."""
        if not isinstance(v, (FlyteFile, str, os.PathLike)):
            raise TypeTransformerFailedError(
                f"expected a FlyteFile, str or os.PathLike for {type_name(t)}, got {describe_value(v)}"
            )

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return a single-part blob type with the declared format."""
        return LiteralType(blob=_blob_type(self.get_format(t)))

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType | None) -> Literal:
        """Return the blob literal of a file, uploading a local file when the rules above say so.

        Raises:
            TypeTransformerFailedError: the value is not a path, or a local path is not a file.
            FlyteUploadDataException: the upload failed (the message names source and destination).
        """
        t = get_underlying_type(python_type)
        _check_file_type(t, python_type)
        fmt = self.get_format(t)
        if isinstance(python_val, FlyteFile):
            if python_val.remote_source is not None:
                return _blob_literal(fmt, python_val.remote_source, python_val.metadata)
            source = str(python_val.path)
            upload = not (python_val.remote_path is False or is_remote(source))
            if t is os.PathLike and upload:
                logger.warning("a FlyteFile declared as os.PathLike is not uploaded: %s", source)
                upload = False
            if is_local_run(ctx) and python_val.remote_path is None:
                upload = False
            dest = python_val.remote_path if isinstance(python_val.remote_path, (str, os.PathLike)) else None
            metadata = python_val.metadata
        elif isinstance(python_val, (str, pathlib.Path)) or (isinstance(python_val, os.PathLike) and t is os.PathLike):
            source, dest, metadata = os.fspath(python_val), None, None
            upload = t is not os.PathLike and not is_remote(source)
            if upload and not os.path.isfile(source):
                raise TypeTransformerFailedError(f"cannot convert {source}: it is not a file")
            if upload and isinstance(python_val, str) and is_local_run(ctx):
                upload = False
        else:
            raise TypeTransformerFailedError(f"expected a FlyteFile or a path, got {describe_value(python_val)}")
        if not upload:
            return _blob_literal(fmt, source, metadata)
        if not os.path.isfile(source):
            raise TypeTransformerFailedError(f"cannot upload {source}: it is not a file")
        headers: dict[str, Any] = {"ContentEncoding": "gzip"} if source.endswith(".gz") else {}
        if dest is not None:
            uri = ctx.file_access.put_data(source, os.fspath(dest), **headers)
        else:
            uri = ctx.file_access.put_raw_data(source, **headers)
        return _blob_literal(fmt, unquote(str(uri)), metadata)

    def blob_to_python(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return a `FlyteFile` for a blob literal; a remote file downloads lazily.

        Raises:
            TypeTransformerFailedError: the literal is not a single-part blob.
            FlyteAssertion: a local URI does not name an existing file.
        """
        blob = lv.scalar.blob
        if blob.metadata.type.dimensionality != _SINGLE:
            raise TypeTransformerFailedError(f"{blob.uri} is a folder (multipart blob), not a file")
        uri = blob.uri
        metadata = dict(lv.metadata) or None
        if not is_remote(uri) and not os.path.isfile(uri):
            raise FlyteAssertion(f"expected a file, but {uri} is not a file (it does not exist or is a folder)")
        t = get_underlying_type(expected_python_type)
        if t is os.PathLike:
            return FlyteFile(path=uri, metadata=metadata)
        _check_file_type(t, expected_python_type)
        if not is_remote(uri):
            return t(path=uri, metadata=metadata)
        local_path = ctx.file_access.get_random_local_path(uri)
        file_type = FlyteFile.__class_getitem__(self.get_format(t))
        ff = file_type(path=local_path, downloader=LazyDownload(uri, local_path), metadata=metadata)
        ff.remote_source = uri
        return ff

    def dict_to_flyte_file(self, dict_obj: dict[str, Any], expected_python_type: Any) -> FlyteFile[Any]:
        """Return the `FlyteFile` of a `{"path": uri, "metadata": {...}}` dictionary (a dataclass field).

        Raises:
            TypeTransformerFailedError: the dictionary has no path.
        """
        path = dict_obj.get("path") if isinstance(dict_obj, dict) else None
        if path is None:
            raise TypeTransformerFailedError(f"a FlyteFile needs a 'path', got {describe_value(dict_obj)}")
        lit = _blob_literal("", str(path), dict_obj.get("metadata"))
        out: FlyteFile[Any] = self.to_python_value(FlyteContextManager.current_context(), lit, expected_python_type)
        return out

    def path_dict_to_python(self, dict_obj: dict[str, Any], expected_python_type: Any) -> Any:
        """Return the `FlyteFile` of a `{"path": uri, "metadata": {...}}` dictionary."""
        return self.dict_to_flyte_file(dict_obj, expected_python_type)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `FlyteFile[format]` for a single-part blob type that is not a pickle."""
        if (
            literal_type.WhichOneof("type") == "blob"
            and literal_type.blob.dimensionality == _SINGLE
            and literal_type.blob.format != _PICKLE_FORMAT
        ):
            return FlyteFile[literal_type.blob.format]
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


def serialize_file_field(value: FlyteFile[Any]) -> dict[str, Any]:
    """Return the `{"path": uri[, "metadata": …]}` of a `FlyteFile` inside a dataclass, uploading it if needed."""
    lit = FlyteFilePathTransformer().to_literal(FlyteContextManager.current_context(), value, type(value), None)
    out: dict[str, Any] = {"path": lit.scalar.blob.uri}
    if lit.metadata:
        out["metadata"] = dict(lit.metadata)
    return out


def _file_from_dict(declared: Any, value: dict[str, Any]) -> FlyteFile[Any]:
    return FlyteFilePathTransformer().dict_to_flyte_file(value, declared)


def deserialize_file_field(value: Any) -> FlyteFile[Any]:
    """Return the `FlyteFile` of a dataclass field's `{"path": …}`."""
    return FlyteFilePathTransformer().dict_to_flyte_file(value, FlyteFile)


flyte_file_transformer = FlyteFilePathTransformer()
"""The transformer of `FlyteFile` and `os.PathLike` (registered lazily by `flytelite.types`)."""


def register_file_transformers() -> None:
    """Register the file, `os.PathLike`, `TextIO` and `BinaryIO` transformers now (idempotent).

    `flytelite.types` registers them lazily already, so this is needed only to load them ahead of first use.
    """
    for t, transformer in (
        (FlyteFile, flyte_file_transformer),
        (os.PathLike, flyte_file_transformer),
        (typing.TextIO, TextIOTransformer()),
        (typing.BinaryIO, BinaryIOTransformer()),
    ):
        if t not in TypeEngine.get_available_transformers():
            TypeEngine.register_additional_type(transformer, t)


# Fields of type `FlyteFile` exist only once this module is imported, so registering their dataclass codec here
# does not depend on import order.
register_serialization_strategy(FlyteFile, serialize_file_field, deserialize_file_field, coerce=from_plain_path)
