"""`FlyteDirectory`: a folder that travels between tasks as a multipart blob (an object-store prefix).

Upload rules (flytekit's): a remote path or `remote_directory=False` passes the URI through; a local
`FlyteDirectory` is not uploaded in a local run, and is uploaded to `<raw prefix>/<32 hex>/` in a pod; a plain
`str`/`Path` folder is always uploaded. A decoded remote folder is downloaded lazily (`os.fspath(fd)`,
`fd.download()`); `listdir`, `crawl` and `walk` list it in place and never download.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import typing
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType, LiteralType

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import FlyteAssertion, TypeTransformerFailedError
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
    format_class,
    from_plain_path,
    is_local_run,
    noop,
)
from flytelite.types.file.file import FlyteFile

__all__ = [
    "FlyteDirToMultipartBlobTransformer",
    "FlyteDirectory",
    "flyte_directory_transformer",
    "register_directory_transformer",
]

T = typing.TypeVar("T")
_MULTIPART = BlobType.BlobDimensionality.MULTIPART
PathType = typing.Union[str, os.PathLike]  # type: ignore[type-arg]


_format_classes: dict[str, type[FlyteDirectory[Any]]] = {}


@dataclasses.dataclass(init=False, repr=False, eq=False)
class FlyteDirectory(BlobPath, typing.Generic[T]):
    """A folder input or output; `FlyteDirectory["csv"]` declares the format of its files.

    Args:
        path: a local folder or a remote prefix (`s3://bucket/prefix`).
        downloader: called once before the local folder is first used (set by the type engine).
        remote_directory: where to upload this folder instead of a random raw-output prefix, or False to never
            upload it.

    Attributes:
        path: the local folder or remote prefix.
        remote_directory: the requested upload destination (False: never upload).
        remote_source: the remote URI the data was read from, if any.
        downloaded: whether the data has been made local.
    """

    path: PathType = None  # type: ignore[assignment]  # flytekit's declaration, for the JSON schema

    def __init__(
        self,
        path: str | os.PathLike[str],
        downloader: Callable[[], Any] | None = None,
        remote_directory: str | os.PathLike[str] | bool | None = None,
    ) -> None:
        self.path = path
        self._downloader = downloader or noop
        self.downloaded = False
        self.remote_directory: str | os.PathLike[str] | bool | None = remote_directory
        self.remote_source = None

    def __class_getitem__(cls, item: Any) -> Any:
        return format_class(cls, FlyteDirectory, item, _format_classes)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Describe this type to pydantic: a model field is `{"path": uri}`, as in flytekit."""
        from flytelite.types import _pydantic_fields as pf  # pydantic loads only when a model holds a folder

        title = "_SpecificFormatDirectoryClass" if cls.extension() else cls.__name__
        spec = pf.FieldSpec(FlyteDirectory, title, pf.DIRECTORY_PROPERTIES, serialize_directory_field, _dir_from_dict)
        return pf.flyte_field_schema(cls, spec)

    @property
    def sep(self) -> str:
        """Return the separator for paths inside this folder (`/`, or the local one for local folders)."""
        return os.sep if not is_remote(self._where()) else "/"

    def _where(self) -> str:
        """Return where the folder's content lives: its remote source, its requested destination, or its path."""
        if self.remote_source:
            return self.remote_source
        if isinstance(self.remote_directory, (str, os.PathLike)):
            return os.fspath(self.remote_directory)
        return os.fspath(self.path)

    @classmethod
    def new_remote(cls, stem: str | None = None, alt: str | None = None) -> FlyteDirectory[Any]:
        """Return a folder at a fresh prefix beside the raw-output prefix (`alt` replaces the bucket).

        Raises:
            ValueError: `stem` has a file extension.
        """
        if stem and pathlib.Path(stem).suffix:
            raise ValueError(f"a folder stem has no file extension, got {stem!r}")
        fa = FlyteContextManager.current_context().file_access
        return cls(path=fa.generate_new_custom_path(alt=alt, stem=stem))

    @classmethod
    def new(cls, dirname: str | os.PathLike[str]) -> FlyteDirectory[Any]:
        """Create the folder `dirname` in the current task's working directory and return it.

        Raises:
            ValueError: `dirname` is absolute.
        """
        if os.path.isabs(dirname):
            raise ValueError(f"FlyteDirectory.new needs a relative path, got {os.fspath(dirname)!r}")
        params = FlyteContextManager.current_context().user_space_params
        if params is None:
            raise FlyteAssertion("FlyteDirectory.new needs a running task (no working directory in this context)")
        path = os.path.join(params.working_directory, dirname)
        os.makedirs(path, exist_ok=False)
        return cls(path=path)

    @classmethod
    def from_source(cls, source: str | os.PathLike[str]) -> FlyteDirectory[Any]:
        """Return a folder standing for `source` (a local folder or a remote prefix), downloaded lazily."""
        lit = _blob_literal("", os.fspath(source))
        out: FlyteDirectory[Any] = FlyteDirToMultipartBlobTransformer().to_python_value(
            FlyteContextManager.current_context(), lit, cls
        )
        return out

    def new_file(self, name: str | None = None) -> FlyteFile[Any]:
        """Return a `FlyteFile` named `name` (random when None) inside this folder; nothing is created."""
        return FlyteFile(path=self.sep.join([str(self.path).rstrip(self.sep), name or uuid.uuid4().hex]))

    def new_dir(self, name: str | None = None) -> FlyteDirectory[Any]:
        """Return a `FlyteDirectory` named `name` (random when None) inside this folder; nothing is created."""
        return FlyteDirectory(path=self.sep.join([str(self.path).rstrip(self.sep), name or uuid.uuid4().hex]))

    @classmethod
    def listdir(cls, directory: FlyteDirectory[Any]) -> list[FlyteFile[Any] | FlyteDirectory[Any]]:
        """Return the entries directly inside `directory`, without downloading anything.

        Entries of a remote folder are remote themselves: each downloads on first local use.
        """
        where = directory._where()
        fa = FlyteContextManager.current_context().file_access
        out: list[FlyteFile[Any] | FlyteDirectory[Any]] = []
        if not is_remote(where):
            for name in sorted(os.listdir(where)):
                full = os.path.join(where, name)
                out.append(FlyteFile(full) if os.path.isfile(full) else FlyteDirectory(full))
            return out
        fs = fa.get_filesystem_for_path(where)
        for info in fs.listdir(where):
            uri = f"{where.rstrip('/')}/{info['name'].rstrip('/').split('/')[-1]}"
            if info["type"] == "file":
                out.append(FlyteFile(uri))  # a remote path gets a lazy downloader
            else:
                local = fa.get_random_local_directory()
                sub: FlyteDirectory[Any] = FlyteDirectory(local, downloader=LazyDownload(uri, local, is_multipart=True))
                sub.remote_source = uri
                out.append(sub)
        return out

    def crawl(self, maxdepth: int | None = None, topdown: bool = True, **kwargs: Any) -> Iterator[tuple[str, Any]]:
        """Yield `(folder, relative file path)` for every file below this folder, without downloading.

        With `detail=True` the second item is `{relative path: fsspec info}` instead.
        """
        where = self._where()
        fa = FlyteContextManager.current_context().file_access
        fs = fa.get_filesystem_for_path(where)
        base_len = len(fs._strip_protocol(where).rstrip("/")) + 1
        for base, _, files in fs.walk(where, maxdepth, topdown=topdown, **kwargs):
            rel = base[base_len:]
            if isinstance(files, dict):
                for name, info in files.items():
                    yield where, {os.path.join(rel, name): info}
            else:
                for name in files:
                    yield where, os.path.join(rel, name)

    def walk(self, topdown: bool = True, maxdepth: int | None = None) -> Iterator[tuple[str, list[str], list[str]]]:
        """Yield `(folder, subfolder names, file names)` like `os.walk`, for local and remote folders alike.

        Folders are local paths or remote URIs (with their protocol); nothing is downloaded.
        """
        where = self._where()
        if not is_remote(where):
            for base, dirs, files in os.walk(where, topdown=topdown):
                depth = 0 if base == where else os.path.relpath(base, where).count(os.sep) + 1
                if maxdepth is not None and depth + 1 >= maxdepth:
                    dirs[:] = []  # fsspec's meaning: maxdepth=1 lists the top folder only
                yield base, sorted(dirs), sorted(files)
            return
        fs = FlyteContextManager.current_context().file_access.get_filesystem_for_path(where)
        for base, dirs, files in fs.walk(where, maxdepth, topdown=topdown):
            yield fs.unstrip_protocol(base), sorted(dirs), sorted(files)

    def __truediv__(self, other: str | os.PathLike[str]) -> pathlib.Path:
        return pathlib.Path(self.path) / other


def _blob_literal(fmt: str, uri: str) -> Literal:
    blob = Blob(metadata=BlobMetadata(type=BlobType(format=fmt, dimensionality=_MULTIPART)), uri=uri)
    return Literal(scalar={"blob": blob})


class FlyteDirToMultipartBlobTransformer(BlobPathTransformer[FlyteDirectory[Any]]):
    """Convert `FlyteDirectory` values (or folder paths) to multipart blob literals and back."""

    literal_kind = "a folder (multipart blob)"

    def __init__(self) -> None:
        super().__init__(name="FlyteDirectory", t=FlyteDirectory)

    @staticmethod
    def get_format(t: Any) -> str:
        """Return the blob format of a declared folder type."""
        t = get_underlying_type(t)
        return t.extension() if isinstance(t, type) and issubclass(t, FlyteDirectory) else ""

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept a `FlyteDirectory`, a `str` or any `os.PathLike` (a remote prefix need not exist yet)."""
        if not isinstance(v, (FlyteDirectory, str, os.PathLike)):
            raise TypeTransformerFailedError(
                f"expected a FlyteDirectory, str or os.PathLike for {type_name(t)}, got {describe_value(v)}"
            )

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return a multipart blob type with the declared format."""
        return LiteralType(blob=BlobType(format=self.get_format(t), dimensionality=_MULTIPART))

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType | None) -> Literal:
        """Return the multipart blob literal of a folder, uploading a local one when the rules above say so.

        Raises:
            TypeTransformerFailedError: the value is not a folder path.
            FlyteAssertion: a local folder to upload does not exist.
            FlyteUploadDataException: the upload failed (nothing partial is left behind).
        """
        fmt = self.get_format(python_type)
        dest: str | None = None
        if isinstance(python_val, FlyteDirectory):
            if python_val.remote_source is not None:
                return _blob_literal(fmt, python_val.remote_source)
            source = str(python_val.path)
            requested = python_val.remote_directory
            upload = isinstance(requested, (str, os.PathLike)) or not (
                requested is False or is_remote(source) or is_local_run(ctx)
            )
            dest = os.fspath(requested) if isinstance(requested, (str, os.PathLike)) else None
        elif isinstance(python_val, (str, os.PathLike)):
            source = os.fspath(python_val)
            upload = not is_remote(source)
            if upload and not os.path.isdir(source):
                raise TypeTransformerFailedError(f"expected a folder, but {source} is not a folder")
        else:
            raise TypeTransformerFailedError(
                f"expected a FlyteDirectory or a folder path, got {describe_value(python_val)}"
            )
        if not upload:
            return _blob_literal(fmt, source)
        if not os.path.isdir(source):
            raise FlyteAssertion(f"expected a folder to upload, but {source} is not a folder")
        dest = dest or ctx.file_access.get_random_remote_directory()
        return _blob_literal(fmt, ctx.file_access.put_data(source, dest, is_multipart=True))

    def blob_to_python(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return a `FlyteDirectory` for a multipart blob; a remote folder downloads lazily.

        Raises:
            TypeTransformerFailedError: the literal is not a multipart blob.
            FlyteAssertion: a local URI does not name an existing folder.
        """
        uri = lv.scalar.blob.uri
        if lv.scalar.blob.metadata.type.dimensionality != _MULTIPART:
            raise TypeTransformerFailedError(f"{uri} is a file (single blob), not a folder")
        t = get_underlying_type(expected_python_type)
        if not (isinstance(t, type) and issubclass(t, FlyteDirectory)):
            raise TypeTransformerFailedError(f"{type_name(expected_python_type)} is not a FlyteDirectory")
        if not is_remote(uri):
            if not os.path.isdir(uri):
                raise FlyteAssertion(f"expected a folder, but {uri} is not a folder (it does not exist or is a file)")
            return t(uri, remote_directory=False)
        local = ctx.file_access.get_random_local_directory()
        fd = FlyteDirectory.__class_getitem__(self.get_format(t))(local, LazyDownload(uri, local, is_multipart=True))
        fd.remote_source = uri
        return fd

    def dict_to_flyte_directory(self, dict_obj: dict[str, Any], expected_python_type: Any) -> FlyteDirectory[Any]:
        """Return the `FlyteDirectory` of a `{"path": uri}` dictionary (a dataclass field).

        Raises:
            TypeTransformerFailedError: the dictionary has no path.
        """
        path = dict_obj.get("path") if isinstance(dict_obj, dict) else None
        if path is None:
            raise TypeTransformerFailedError(f"a FlyteDirectory needs a 'path', got {describe_value(dict_obj)}")
        ctx = FlyteContextManager.current_context()
        out: FlyteDirectory[Any] = self.to_python_value(ctx, _blob_literal("", str(path)), expected_python_type)
        return out

    def path_dict_to_python(self, dict_obj: dict[str, Any], expected_python_type: Any) -> Any:
        """Return the `FlyteDirectory` of a `{"path": uri}` dictionary."""
        return self.dict_to_flyte_directory(dict_obj, expected_python_type)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `FlyteDirectory[format]` for a multipart blob type."""
        if literal_type.WhichOneof("type") == "blob" and literal_type.blob.dimensionality == _MULTIPART:
            return FlyteDirectory[literal_type.blob.format]
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


def serialize_directory_field(value: FlyteDirectory[Any]) -> dict[str, Any]:
    """Return the `{"path": uri}` of a `FlyteDirectory` inside a dataclass, uploading it if needed."""
    ctx = FlyteContextManager.current_context()
    return {"path": FlyteDirToMultipartBlobTransformer().to_literal(ctx, value, type(value), None).scalar.blob.uri}


def _dir_from_dict(declared: Any, value: dict[str, Any]) -> FlyteDirectory[Any]:
    return FlyteDirToMultipartBlobTransformer().dict_to_flyte_directory(value, declared)


def deserialize_directory_field(value: Any) -> FlyteDirectory[Any]:
    """Return the `FlyteDirectory` of a dataclass field's `{"path": …}`."""
    return FlyteDirToMultipartBlobTransformer().dict_to_flyte_directory(value, FlyteDirectory)


flyte_directory_transformer = FlyteDirToMultipartBlobTransformer()
"""The transformer of `FlyteDirectory` (registered lazily by `flytelite.types`)."""


def register_directory_transformer() -> None:
    """Register the folder transformer now (idempotent); `flytelite.types` registers it lazily already."""
    if FlyteDirectory not in TypeEngine.get_available_transformers():
        TypeEngine.register(flyte_directory_transformer)


# Fields of type `FlyteDirectory` exist only once this module is imported, so registering their dataclass codec here
# does not depend on import order.
register_serialization_strategy(
    FlyteDirectory, serialize_directory_field, deserialize_directory_field, coerce=from_plain_path
)
