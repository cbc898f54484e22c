"""What files and folders share: a path that may stand for remote data, and the decoding of its literals.

`FlyteFile` and `FlyteDirectory` derive from `BlobPath` (lazy download, format classes) and their transformers from
`BlobPathTransformer` (a blob literal, or the `{"path": …}` of a dataclass field sent as msgpack or a Struct).
"""

from __future__ import annotations

import os
import typing
from collections.abc import Callable
from typing import Any

import msgpack
from flyteidl.core.literals_pb2 import Binary, Literal
from google.protobuf.struct_pb2 import Struct

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import FlyteDataNotFoundException, FlyteDownloadDataException, TypeTransformerFailedError
from flytelite.types._base import (
    MESSAGEPACK,
    TypeTransformer,
    decoding_input_name,
    describe_literal,
    struct_to_python,
)

__all__ = [
    "BlobPath",
    "BlobPathTransformer",
    "LazyDownload",
    "download_for_input",
    "format_class",
    "format_string",
    "from_plain_path",
    "is_local_run",
    "noop",
]

T = typing.TypeVar("T")
P = typing.TypeVar("P", bound=type)


def noop() -> None:
    """Do nothing: the downloader of a file that is already local."""


def format_string(item: Any) -> str:
    """Return the blob format named by `FlyteFile[item]`: a string, `Annotated[str, FileExt("x")]` or a TypeVar."""
    if typing.get_origin(item) is typing.Annotated:
        base, *extra = typing.get_args(item)
        if base is not str or not extra:
            raise ValueError(f"a file format given as Annotated must be Annotated[str, FileExt(...)], got {item}")
        item = extra[0]
    return str(item).strip().lstrip("~").lstrip(".")


def download_for_input(remote_path: str, local_path: str, is_multipart: bool, input_name: str | None) -> str:
    """Download with the storage of the current context; a failure names the task input the value came from.

    Raises:
        FlyteDataNotFoundException: nothing is stored at `remote_path` (`input 'f': cannot download …`).
        FlyteDownloadDataException: the store could not be read.
    """
    fa = FlyteContextManager.current_context().file_access
    try:
        return fa.get_data(remote_path, local_path, is_multipart=is_multipart)
    except (FlyteDataNotFoundException, FlyteDownloadDataException) as exc:
        if input_name is None:
            raise
        raise exc.with_prefix(f"input '{input_name}': ") from exc


class LazyDownload:
    """Download `remote_path` to `local_path` when called; remembers the task input it was decoded for."""

    def __init__(self, remote_path: str, local_path: str, is_multipart: bool = False) -> None:
        self.remote_path = remote_path
        self.local_path = local_path
        self.is_multipart = is_multipart
        self.input_name = decoding_input_name()

    def __call__(self) -> str:
        return download_for_input(self.remote_path, self.local_path, self.is_multipart, self.input_name)


def format_class(cls: P, root: type, item: Any, made: dict[str, Any]) -> P:
    """Return the subclass of `root` for the format named by `item` (`cls` itself for none), one class per format.

    Args:
        cls: the class being subscripted (`FlyteFile` in `FlyteFile["csv"]`).
        root: the class the format classes derive from.
        item: the subscript: a string, `Annotated[str, FileExt("x")]` or a TypeVar.
        made: the classes made so far for `root`, by format.
    """
    fmt = "" if item is None else format_string(item)
    if not fmt:
        return cls
    if fmt not in made:
        made[fmt] = type(f"{root.__name__}[{fmt}]", (root,), {"__origin__": root, "_format": fmt})
        made[fmt].__module__ = root.__module__
    return typing.cast(P, made[fmt])


def from_plain_path(declared: Any, path: Any) -> Any:
    """Return the declared file or folder type built on a plain path (flytekit's string shortcut in dataclasses)."""
    return declared(os.fspath(path))


def is_local_run(ctx: FlyteContext) -> bool:
    """Tell whether `ctx` is a local run (where local paths are passed on as they are, not uploaded)."""
    es = ctx.execution_state
    return es is not None and es.is_local_execution()


class BlobPath(os.PathLike):  # type: ignore[type-arg]  # subclasses are generic in their format
    """What files and folders share: a path that may stand for remote data, made local on first use."""

    _format: typing.ClassVar[str] = ""
    if typing.TYPE_CHECKING:
        # Set by the subclasses; declared for type checkers only, because the JSON schema of a dataclass that holds
        # a file is built from the annotations of the whole class hierarchy.
        path: Any
        _downloader: Callable[[], Any]
        downloaded: bool
        remote_source: str | None

    @classmethod
    def extension(cls) -> str:
        """Return the declared format (`""` when none is declared)."""
        return cls._format

    def _local(self) -> str | os.PathLike[str]:
        """Return where the data is, or will be once downloaded."""
        path: str | os.PathLike[str] = self.path
        return path

    def __fspath__(self) -> str:
        """Return the local path, downloading the data first if it is remote and not yet here."""
        if not self.downloaded:
            self._downloader()
            self.downloaded = True
        return os.fspath(self._local())

    def download(self) -> str:
        """Download the data (if remote) and return its local path."""
        return self.__fspath__()

    def __repr__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)


class BlobPathTransformer(TypeTransformer[T]):
    """Decoding shared by the file and folder transformers.

    A value arrives as a blob literal, or as the `{"path": …}` of a dataclass field: msgpack from propeller, a
    protobuf Struct from the console. Subclasses decode the blob (`blob_to_python`) and the dictionary
    (`path_dict_to_python`).
    """

    literal_kind: typing.ClassVar[str] = "blob"
    """How an error names the literal expected (`a file (blob)`)."""

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the Python value of a blob literal, or of a msgpack/Struct `{"path": …}`.

        Raises:
            TypeTransformerFailedError: the literal is none of those.
        """
        kind = lv.scalar.WhichOneof("value") if lv.HasField("scalar") else None
        if kind == "binary":
            return self.from_binary_idl(lv.scalar.binary, expected_python_type)
        if kind == "generic":
            return self.from_generic_idl(lv.scalar.generic, expected_python_type)
        if kind != "blob":
            raise TypeTransformerFailedError(f"expected {self.literal_kind} literal, got {describe_literal(lv)}")
        return self.blob_to_python(ctx, lv, expected_python_type)

    def blob_to_python(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return the Python value of a blob literal (subclasses define it)."""
        raise TypeTransformerFailedError(f"transformer {self.name!r} does not define blob_to_python")

    def path_dict_to_python(self, dict_obj: dict[str, Any], expected_python_type: Any) -> Any:
        """Return the Python value of a `{"path": uri, …}` dictionary (subclasses define it)."""
        raise TypeTransformerFailedError(f"transformer {self.name!r} does not define path_dict_to_python")

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Decode a msgpack `{"path": …}` (propeller's form of a dataclass attribute)."""
        if binary_idl_object.tag != MESSAGEPACK:
            raise TypeTransformerFailedError(f"unsupported binary format {binary_idl_object.tag!r}")
        return self.path_dict_to_python(msgpack.unpackb(binary_idl_object.value), expected_python_type)

    def from_generic_idl(self, generic: Struct, expected_python_type: Any) -> Any:
        """Decode a protobuf Struct `{"path": …}` (the console's form)."""
        return self.path_dict_to_python(struct_to_python(generic), expected_python_type)
