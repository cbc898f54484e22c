"""Pickle: the named last resort for Python types Flyte has no transformer for.

Values are written with cloudpickle (imported on first use) to a fresh path under the run's raw-output prefix
and travel as a `PythonPickle` blob, exactly as flytekit writes them.
"""

from __future__ import annotations

import pickle
from typing import Any, Generic, TypeVar

from flyteidl.core.literals_pb2 import Blob, BlobMetadata, Literal
from flyteidl.core.types_pb2 import BlobType, LiteralType

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import TypeTransformerFailedError
from flytelite.types._base import TypeTransformer, describe_literal, type_name

__all__ = ["FlytePickle", "FlytePickleTransformer", "flyte_pickle_transformer"]

T = TypeVar("T")
PYTHON_PICKLE_FORMAT = "PythonPickle"


class FlytePickle(Generic[T]):
    """Marks a value carried as a pickle; `FlytePickle[T]` remembers the pickled type."""

    @classmethod
    def python_type(cls) -> Any:
        """Return the pickled Python type (`NoneType` when unknown)."""
        return type(None)

    def __class_getitem__(cls, python_type: Any) -> Any:
        if python_type is None:
            return cls

        class _SpecificFormatClass(FlytePickle):  # type: ignore[type-arg]
            __origin__ = FlytePickle

            @classmethod
            def python_type(cls) -> Any:
                return python_type

        return _SpecificFormatClass

    @classmethod
    def to_pickle(cls, ctx: FlyteContext, python_val: Any) -> str:
        """Pickle `python_val` under the raw-output prefix and return its URI (`<prefix>/<random>/<md5>`)."""
        import cloudpickle  # optional dependency, loaded only when something is pickled

        data = cloudpickle.dumps(python_val)
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only pickling hashes

        uri = ctx.file_access.get_random_remote_path(hashlib.md5(data).hexdigest())
        ctx.file_access.write_bytes(uri, data)
        return uri

    @classmethod
    def from_pickle(cls, uri: str, ctx: FlyteContext | None = None) -> Any:
        """Load the value pickled at `uri`."""
        ctx = ctx or FlyteContextManager.current_context()
        return pickle.loads(ctx.file_access.read_bytes(uri))  # cloudpickle output is read by the stdlib


def _pickle_blob_type() -> BlobType:
    return BlobType(format=PYTHON_PICKLE_FORMAT, dimensionality=BlobType.BlobDimensionality.SINGLE)


class FlytePickleTransformer(TypeTransformer[FlytePickle[Any]]):
    """Carry any Python value as a cloudpickle blob (format `PythonPickle`)."""

    PYTHON_PICKLE_FORMAT = PYTHON_PICKLE_FORMAT

    def __init__(self) -> None:
        super().__init__(name="FlytePickle", t=FlytePickle)

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept anything: every value can be pickled."""

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return a `PythonPickle` blob type naming the Python class in `metadata.python_class_name`."""
        lt = LiteralType(blob=_pickle_blob_type())
        lt.metadata.update({"python_class_name": str(t)})
        return lt

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Pickle the value to storage and return a blob literal pointing at it."""
        if python_val is None:
            raise TypeTransformerFailedError(f"cannot pickle None as {type_name(python_type)}")
        uri = FlytePickle.to_pickle(ctx, python_val)
        return Literal(scalar={"blob": Blob(metadata=BlobMetadata(type=_pickle_blob_type()), uri=uri)})

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Load the pickled value the blob points at."""
        if not lv.scalar.HasField("blob"):
            raise TypeTransformerFailedError(f"expected a pickle blob literal, got {describe_literal(lv)}")
        return FlytePickle.from_pickle(lv.scalar.blob.uri, ctx)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `FlytePickle` for a single `PythonPickle` blob type."""
        if (
            literal_type.WhichOneof("type") == "blob"
            and literal_type.blob.dimensionality == BlobType.BlobDimensionality.SINGLE
            and literal_type.blob.format == PYTHON_PICKLE_FORMAT
        ):
            return FlytePickle
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


flyte_pickle_transformer = FlytePickleTransformer()
"""The pickle transformer: of `FlytePickle`, and the type engine's last lookup step (registered lazily)."""
