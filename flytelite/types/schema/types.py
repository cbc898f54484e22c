"""`FlyteSchema`, flytekit's older tabular type, kept for tasks that still return it (e.g. `SQLite3Task`).

A schema is a folder of parquet files (`00000`, `00001`, …). Its literal type is `schema{columns}`; a value is
`scalar.schema{uri, type}`. Reading accepts `structured_dataset` literals too (what SQL tasks produce). New code
should use `StructuredDataset`.
"""

from __future__ import annotations

import datetime
import enum
import os
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from flyteidl.core.literals_pb2 import Literal, Scalar, Schema
from flyteidl.core.types_pb2 import LiteralType, SchemaType

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import FlyteValidationException, TypeTransformerFailedError
from flytelite.types._base import TypeTransformer, type_name

__all__ = [
    "FlyteSchema",
    "FlyteSchemaTransformer",
    "SchemaFormat",
    "SchemaOpenMode",
    "SchemaReader",
    "SchemaWriter",
]

_Col = SchemaType.SchemaColumn
_COLUMN_TYPES: dict[str, int] = {
    "builtins.float": _Col.FLOAT,
    "builtins.int": _Col.INTEGER,
    "builtins.bool": _Col.BOOLEAN,
    "builtins.str": _Col.STRING,
    "datetime.datetime": _Col.DATETIME,
    "datetime.timedelta": _Col.DURATION,
    **{f"numpy.{n}": _Col.INTEGER for n in ("int32", "int64", "uint32", "uint64")},
    **{f"numpy.{n}": _Col.FLOAT for n in ("float32", "float64")},
    "numpy.bool": _Col.BOOLEAN,
    "numpy.bool_": _Col.BOOLEAN,
    "numpy.datetime64": _Col.DATETIME,
    "numpy.timedelta64": _Col.DURATION,
    **{f"numpy.{n}": _Col.STRING for n in ("bytes_", "str_", "object_")},
}
_PY_TYPES: dict[int, type] = {
    _Col.INTEGER: int,
    _Col.FLOAT: float,
    _Col.STRING: str,
    _Col.BOOLEAN: bool,
    _Col.DATETIME: datetime.datetime,
    _Col.DURATION: datetime.timedelta,
}


class SchemaFormat(enum.Enum):
    """The storage format of a schema (parquet only)."""

    PARQUET = "parquet"


class SchemaOpenMode(enum.Enum):
    """Whether a schema is read or written."""

    READ = "r"
    WRITE = "w"


class SchemaReader:
    """Read a local schema folder into pandas DataFrames (`all()` or one per file with `iter()`).

    Attributes:
        from_path: the folder read from.
    """

    def __init__(self, from_path: str, cols: dict[str, type] | None, fmt: SchemaFormat) -> None:
        self.from_path: str = from_path
        self._columns = cols
        self._fmt = fmt

    @property
    def column_names(self) -> list[str] | None:
        """Return the declared column names (None: all columns)."""
        return list(self._columns) if self._columns else None

    def _files(self) -> list[str]:
        names = sorted(n for n in os.listdir(self.from_path) if not n.startswith("."))
        return [os.path.join(self.from_path, n) for n in names if os.path.isfile(os.path.join(self.from_path, n))]

    def iter(self, **kwargs: Any) -> Iterator[Any]:
        """Yield one DataFrame per file in the folder."""
        import pandas as pd

        for f in self._files():
            yield pd.read_parquet(f, columns=self.column_names, **kwargs)

    def all(self, **kwargs: Any) -> Any:
        """Return the whole schema as one DataFrame."""
        import pandas as pd

        return pd.read_parquet(self.from_path, columns=self.column_names, **kwargs)


class SchemaWriter:
    """Write pandas DataFrames into a local schema folder, one parquet file each (`00000`, `00001`, …).

    Attributes:
        to_path: the folder written to.
    """

    def __init__(self, to_path: str, cols: dict[str, type] | None, fmt: SchemaFormat) -> None:
        self.to_path: str = to_path
        self._columns = cols
        self._fmt = fmt
        self._count = 0

    @property
    def column_names(self) -> list[str] | None:
        """Return the declared column names."""
        return list(self._columns) if self._columns else None

    def write(self, *dfs: Any, **kwargs: Any) -> None:
        """Write each DataFrame as the next parquet file."""
        os.makedirs(self.to_path, exist_ok=True)
        for df in dfs:
            path = os.path.join(self.to_path, f"{self._count:05}")
            df.to_parquet(path, coerce_timestamps="us", allow_truncated_timestamps=False, **kwargs)
            self._count += 1


class FlyteSchema:
    """A folder of parquet files with optional typed columns: `FlyteSchema[kwtypes(a=int, b=str)]`.

    Read an input with `schema.open().all()` (a pandas DataFrame); create an output with `FlyteSchema()` and
    `schema.open().write(df)`, or return a DataFrame directly.

    Args:
        local_path: the local folder (a fresh one by default).
        remote_path: where the data is stored (a fresh raw-output folder by default).
        supported_mode: READ for inputs, WRITE for outputs.
        downloader: `(remote, local)` copies the data down before the first read.

    Attributes:
        local_path: the local folder.
        remote_path: where the data is stored.
        supported_mode: READ or WRITE.
    """

    _cols: ClassVar[dict[str, type]] = {}
    _fmt: ClassVar[SchemaFormat] = SchemaFormat.PARQUET

    def __class_getitem__(cls, columns: dict[str, type], fmt: SchemaFormat = SchemaFormat.PARQUET) -> type[FlyteSchema]:
        if not columns:
            return FlyteSchema
        if not isinstance(columns, dict):
            raise FlyteValidationException(f"Columns should be an ordered dict of names and types, got {columns!r}")
        return type("FlyteSchema", (FlyteSchema,), {"_cols": dict(columns), "_fmt": fmt})

    def __init__(
        self,
        local_path: str | None = None,
        remote_path: str | None = None,
        supported_mode: SchemaOpenMode = SchemaOpenMode.WRITE,
        downloader: Callable[[str, str], None] | None = None,
    ) -> None:
        if supported_mode == SchemaOpenMode.READ and remote_path is None:
            raise FlyteValidationException("To create a FlyteSchema in read mode, remote_path is required")
        fa = FlyteContextManager.current_context().file_access
        self.local_path: str = local_path or fa.get_random_local_directory()
        self.remote_path = remote_path or fa.join(fa.raw_output_prefix, fa.get_random_string())
        self.supported_mode: SchemaOpenMode = supported_mode
        self._downloaded = False
        self._downloader = downloader

    def __repr__(self) -> str:
        return f"FlyteSchema(remote_path={self.remote_path!r}, columns={self.column_names()})"

    @classmethod
    def columns(cls) -> dict[str, type]:
        """Return the declared columns."""
        return dict(cls._cols)

    @classmethod
    def column_names(cls) -> list[str]:
        """Return the declared column names."""
        return list(cls._cols)

    @classmethod
    def format(cls) -> SchemaFormat:
        """Return the storage format."""
        return cls._fmt

    def open(self, dataframe_fmt: type | None = None, override_mode: SchemaOpenMode | None = None) -> Any:
        """Return a reader (inputs) or writer (outputs) of pandas DataFrames.

        Raises:
            FlyteValidationException: a read-only schema opened for writing, or a dataframe type other than pandas.
        """
        if override_mode == SchemaOpenMode.WRITE and self.supported_mode == SchemaOpenMode.READ:
            raise FlyteValidationException("Readonly schema cannot be opened in write mode!")
        if dataframe_fmt is not None and getattr(dataframe_fmt, "__module__", "").split(".")[0] != "pandas":
            raise FlyteValidationException(f"FlyteSchema reads and writes pandas DataFrames only, not {dataframe_fmt}")
        mode = override_mode or self.supported_mode
        if mode == SchemaOpenMode.WRITE:
            return SchemaWriter(self.local_path, self.columns(), self.format())
        if self.supported_mode == SchemaOpenMode.READ and not self._downloaded:
            if self._downloader is None:
                raise FlyteValidationException(f"schema at {self.remote_path} has no downloader in read mode")
            self._downloader(self.remote_path, self.local_path)
            self._downloaded = True
        return SchemaReader(self.local_path, self.columns(), self.format())


class FlyteSchemaTransformer(TypeTransformer[FlyteSchema]):
    """Convert `FlyteSchema` (and pandas DataFrames declared as one) to and from `schema` literals."""

    def __init__(self) -> None:
        super().__init__("FlyteSchema Transformer", FlyteSchema, enable_type_assertions=False)

    @staticmethod
    def _get_schema_type(t: Any) -> SchemaType:
        cols = []
        for name, ct in (t.columns() if isinstance(t, type) and issubclass(t, FlyteSchema) else {}).items():
            code = _COLUMN_TYPES.get(f"{getattr(ct, '__module__', '')}.{getattr(ct, '__qualname__', '')}")
            if code is None:
                raise TypeTransformerFailedError(f"type {type_name(ct)} is currently not supported by FlyteSchema")
            cols.append(SchemaType.SchemaColumn(name=name, type=code))
        return SchemaType(columns=cols)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `schema{columns}`."""
        return LiteralType(schema=self._get_schema_type(t))

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType | None) -> Literal:
        """Upload a written schema (or write a pandas DataFrame) and return its `schema` literal.

        Raises:
            TypeTransformerFailedError: the value is neither a FlyteSchema nor a pandas DataFrame.
        """
        fa = ctx.file_access
        if not isinstance(python_val, FlyteSchema):
            if getattr(type(python_val), "__module__", "").split(".")[0] != "pandas":
                raise TypeTransformerFailedError(
                    f"expected a FlyteSchema or a pandas DataFrame, got {type(python_val)}"
                )
            schema = FlyteSchema(remote_path=fa.join(fa.raw_output_prefix, fa.get_random_string()))
            schema.open().write(python_val)
            python_val = schema
        remote = python_val.remote_path or fa.join(fa.raw_output_prefix, fa.get_random_string())
        readonly_untouched = python_val.supported_mode == SchemaOpenMode.READ and not python_val._downloaded
        if not readonly_untouched and os.path.isdir(python_val.local_path) and remote != python_val.local_path:
            remote = fa.put_data(python_val.local_path, remote, is_multipart=True)
        return Literal(scalar=Scalar(schema=Schema(uri=remote, type=self._get_schema_type(python_type))))

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> FlyteSchema:
        """Return a read-mode schema over the literal's folder (a `schema` or `structured_dataset` literal).

        Raises:
            TypeTransformerFailedError: the literal holds neither.
        """
        kind = lv.scalar.WhichOneof("value") if lv.HasField("scalar") else None
        if kind == "schema":
            uri = lv.scalar.schema.uri
        elif kind == "structured_dataset":
            uri = lv.scalar.structured_dataset.uri
        else:
            raise TypeTransformerFailedError(f"Can only convert a literal schema to a FlyteSchema, got {kind}")

        def downloader(remote: str, local: str) -> None:
            ctx.file_access.get_data(remote, local, is_multipart=True)

        t = expected_python_type if isinstance(expected_python_type, type) else FlyteSchema
        return t(  # type: ignore[no-any-return]
            local_path=ctx.file_access.get_random_local_directory(),
            remote_path=uri,
            downloader=downloader,
            supported_mode=SchemaOpenMode.READ,
        )

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `FlyteSchema[columns]` for a `schema` literal type."""
        if not literal_type.HasField("schema"):
            raise ValueError(f"Cannot reverse {literal_type}")
        cols: dict[str, type] = {}
        for c in literal_type.schema.columns:
            if c.type not in _PY_TYPES:
                raise ValueError(f"Unknown schema column type {c}")
            cols[c.name] = _PY_TYPES[c.type]
        return FlyteSchema[cols]  # type: ignore[misc]
