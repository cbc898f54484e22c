"""`StructuredDataset`: a dataframe (or a reference to stored tabular data) as a Flyte input or output.

A task may declare `StructuredDataset`, a dataframe type such as `pd.DataFrame` or `pa.Table`, or either with
annotations: `Annotated[StructuredDataset, kwtypes(a=int, b=str)]` (columns), `Annotated[..., "csv"]` (format),
`Annotated[..., pa.schema(...)]` (an Arrow schema). The literal type is `structured_dataset_type{columns, format}`;
the literal is `scalar.structured_dataset{uri, metadata}`, the uri a folder holding the data (`<uri>/00000` for
parquet). Reading applies the column subset the *reading* task declares.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import typing
from collections.abc import Iterator
from typing import Any, ClassVar

import msgpack
from flyteidl.core.literals_pb2 import Binary, Literal, Scalar, StructuredDatasetMetadata
from flyteidl.core.literals_pb2 import StructuredDataset as StructuredDatasetLiteral
from flyteidl.core.types_pb2 import LiteralType, StructuredDatasetType
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.errors import (
    FlyteDataNotFoundException,
    FlyteDownloadDataException,
    FlyteException,
    TypeTransformerFailedError,
)
from flytelite.models._convert import foreign, to_pb, view_of
from flytelite.storage import is_remote, protocol_of
from flytelite.types._base import MESSAGEPACK, TypeTransformer, decoding_input_name, type_name
from flytelite.types._codecs import register_serialization_strategy
from flytelite.types._engine import TypeEngine
from flytelite.types.structured._columns import (
    SCHEMA_TO_SIMPLE,
    dataset_columns,
    extract_cols_and_format,
    flatten_dict,
    frame_columns,
    get_supported_types,
)
from flytelite.types.structured._handlers import (
    ALL_PROTOCOLS,
    CSV,
    GENERIC_FORMAT,
    GENERIC_PROTOCOL,
    PARQUET,
    DuplicateHandlerError,
    Handler,
    HandlerRegistry,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
)

__all__ = [
    "CSV",
    "GENERIC_FORMAT",
    "GENERIC_PROTOCOL",
    "MESSAGEPACK",
    "PARQUET",
    "DuplicateHandlerError",
    "StructuredDataset",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetTransformerEngine",
    "deserialize_dataset_field",
    "extract_cols_and_format",
    "flatten_dict",
    "flyte_dataset_transformer",
    "get_supported_types",
    "serialize_dataset_field",
]


@dataclasses.dataclass(init=False, repr=False, eq=False)
class StructuredDataset:
    """A dataframe, or a reference to stored tabular data, passed between tasks.

    Return `StructuredDataset(dataframe=df)` to write `df` (or `StructuredDataset(uri=...)` to pass stored data
    on); read an input with `sd.open(pd.DataFrame).all()` or `.iter()`.

    Args:
        dataframe: the dataframe to write.
        uri: where the data is (or should be written).
        metadata: the literal metadata (set by the transformer when reading).
        file_format: the storage format of data given by `uri` (`"parquet"`, `"csv"`).

    Inside a dataclass (or a pydantic model) a dataset is `{"uri": ..., "file_format": ...}`: its dataframe is
    written under the raw-output prefix when the record is encoded, and read lazily after decoding.

    Attributes:
        dataframe: the wrapped dataframe (None for data read from storage).
        uri: where the data is (or should be written).
        file_format: the storage format.
        metadata: the literal metadata (the reader's columns and the stored format).
        literal: the literal this value was read from or written to, if any.
    """

    # flytekit's field declarations: they shape the JSON schema of a dataclass holding a dataset.
    uri: typing.Optional[str] = None  # noqa: UP045  # spelled as flytekit does, for the same schema
    file_format: typing.Optional[str] = GENERIC_FORMAT  # noqa: UP045

    def __init__(
        self,
        dataframe: Any = None,
        uri: str | None = None,
        metadata: StructuredDatasetMetadata | None = None,
        **kwargs: Any,
    ) -> None:
        self.dataframe: Any = dataframe
        self.uri = uri
        self.file_format = kwargs.get("file_format", GENERIC_FORMAT)
        self.metadata: StructuredDatasetMetadata | None = metadata
        self.literal: StructuredDatasetLiteral | None = None
        self._dataframe_type: Any = None
        self._already_uploaded = False
        self._input_name: str | None = None  # the task input this value was decoded for, named in read errors

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Describe this type to pydantic: a model field is `{"uri", "file_format"}`, as in flytekit."""
        from flytelite.types import _pydantic_fields as pf  # pydantic loads only when a model holds a dataset

        spec = pf.FieldSpec(
            StructuredDataset,
            cls.__name__,
            pf.DATASET_PROPERTIES,
            serialize_dataset_field,
            _dataset_from_dict,
            pf.DATASET_DESCRIPTION,
        )
        return pf.flyte_field_schema(cls, spec)

    def __repr__(self) -> str:
        uri = self.uri or (self.literal.uri if self.literal is not None else None)
        held = f"dataframe={type(self.dataframe).__name__}" if self.dataframe is not None else f"uri={uri!r}"
        return f"StructuredDataset({held}, file_format={self.file_format!r})"

    @classmethod
    def columns(cls) -> dict[str, type]:
        """Return the declared columns (none at class level; columns come from `Annotated`)."""
        return {}

    @classmethod
    def column_names(cls) -> list[str]:
        """Return the names of `columns()`."""
        return list(cls.columns())

    def open(self, dataframe_type: Any) -> StructuredDataset:
        """Choose the dataframe class `all()` and `iter()` return (`sd.open(pd.DataFrame).all()`)."""
        self._dataframe_type = dataframe_type
        return self

    def set_literal(self, ctx: FlyteContext, expected: LiteralType) -> None:
        """Build (and upload, if needed) the literal of this value."""
        lv = flyte_dataset_transformer.to_literal(ctx, self, StructuredDataset, expected)
        self.literal = lv.scalar.structured_dataset
        if self.metadata is None:
            self.metadata = self.literal.metadata

    def _literal_for_reading(self) -> StructuredDatasetLiteral:
        if self._dataframe_type is None:
            raise ValueError("No dataframe type set. Use open() to set the local dataframe type you want to use.")
        ctx = FlyteContextManager.current_context()
        if self.literal is None:
            self.set_literal(ctx, TypeEngine.to_literal_type(StructuredDataset))
        return typing.cast(StructuredDatasetLiteral, self.literal)

    def all(self) -> Any:
        """Return the whole dataset as the type given to `open()`.

        Raises:
            ValueError: `open()` was not called.
            TypeTransformerFailedError: the data cannot be read (the message names the uri).
        """
        if self.dataframe is not None and isinstance(self.dataframe, self._dataframe_type or ()):
            return self.dataframe
        lit = self._literal_for_reading()
        with self._naming_input():
            return flyte_dataset_transformer.open_as(
                FlyteContextManager.current_context(), lit, self._dataframe_type, self.metadata or lit.metadata
            )

    def iter(self) -> Iterator[Any]:
        """Return the dataset as an iterator of dataframes of the type given to `open()`.

        Raises:
            ValueError: `open()` was not called, or the decoder reads whole datasets only.
        """
        lit = self._literal_for_reading()
        with self._naming_input():
            return flyte_dataset_transformer.iter_as(
                FlyteContextManager.current_context(), lit, self._dataframe_type, self.metadata or lit.metadata
            )

    @contextlib.contextmanager
    def _naming_input(self) -> Iterator[None]:
        """Prefix a read error with the task input this dataset was decoded for (`input 'df': …`)."""
        try:
            yield
        except (TypeTransformerFailedError, FlyteDataNotFoundException, FlyteDownloadDataException) as exc:
            if self._input_name is None:
                raise
            raise exc.with_prefix(f"input '{self._input_name}': ") from exc


class StructuredDatasetTransformerEngine(HandlerRegistry, TypeTransformer[StructuredDataset]):
    """The transformer of `StructuredDataset` and every dataframe type with a registered encoder or decoder.

    Register a dataframe library's handlers with `StructuredDatasetTransformerEngine.register(handler)`; the
    dataframe type then works as a task input or output directly.
    """

    Renderers: ClassVar[dict[type, Any]] = {}

    def __init__(self) -> None:
        super().__init__("StructuredDataset Transformer", StructuredDataset, enable_type_assertions=False)

    # ------------------------------------------------------------------------------------------------ registration
    @classmethod
    def register(
        cls,
        h: Handler,
        default_for_type: bool = False,
        override: bool = False,
        default_format_for_type: bool = False,
        default_storage_for_type: bool = False,
    ) -> None:
        """Register an encoder or decoder, and make its dataframe type a Flyte type.

        Args:
            h: the handler.
            default_for_type: use its protocol and format for plain dataframes of its type.
            override: replace an existing handler (and defaults).
            default_format_for_type: use its format as the type's default.
            default_storage_for_type: use its protocol as the type's default.

        Raises:
            TypeError: `h` is not an encoder or decoder.
            ValueError: a handler for every protocol is marked `default_for_type`, or the protocol is `""`.
            DuplicateHandlerError: one is registered already for that type, protocol and format.
        """
        if not isinstance(h, (StructuredDatasetEncoder, StructuredDatasetDecoder)):
            raise TypeError(f"We don't support this type of handler {h}")
        if h.protocol is None:
            if default_for_type:
                raise ValueError(f"Registering SD handler {h} with all protocols should never have default specified.")
            cls._add_handler(h, ALL_PROTOCOLS, False, override, default_format_for_type, default_storage_for_type)
        elif h.protocol == "":
            raise ValueError(f"Use None instead of empty string for registering handler {h}")
        else:
            cls._add_handler(
                h, h.protocol, default_for_type, override, default_format_for_type, default_storage_for_type
            )
        TypeEngine.register_additional_type(flyte_dataset_transformer, h.python_type, override=True)

    @classmethod
    def register_renderer(cls, python_type: type, renderer: Any) -> None:
        """Use `renderer.to_html(df)` to show dataframes of `python_type` in decks."""
        cls.Renderers[python_type] = renderer

    def assert_type(self, t: Any, v: Any) -> None:
        """Accept anything: the encoders check what they are given."""

    # ------------------------------------------------------------------------------------------------- types
    def _get_dataset_type(self, t: Any) -> StructuredDatasetType:
        _, column_map, storage_format, pa_schema = extract_cols_and_format(t)
        sdt = StructuredDatasetType(columns=dataset_columns(column_map), format=storage_format or "")
        if pa_schema is not None:
            sdt.external_schema_type = "arrow"
            sdt.external_schema_bytes = pa_schema.to_string().encode()
        return sdt

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `structured_dataset_type{columns, format, external schema}` of `t`."""
        return LiteralType(structured_dataset_type=self._get_dataset_type(t))

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `StructuredDataset` for any structured dataset type."""
        if literal_type.HasField("structured_dataset_type"):
            return StructuredDataset
        raise ValueError(f"StructuredDatasetTransformerEngine cannot reverse {literal_type}")

    # ------------------------------------------------------------------------------------------- to literal
    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType | None) -> Literal:
        """Write a dataframe (or pass a stored dataset on) and return its `structured_dataset` literal.

        Raises:
            TypeTransformerFailedError: a plain dataframe for a `StructuredDataset` type, declared columns missing
                from the dataframe, or no encoder for the dataframe type.
        """
        if expected is not None:
            expected = to_pb(expected)  # plugin transformers (pandera) pass on the model they were given
        base, column_map, _, _ = extract_cols_and_format(python_type)
        sdt = StructuredDatasetType(format=self.DEFAULT_FORMATS.get(base, GENERIC_FORMAT))
        if (
            isinstance(base, type)
            and issubclass(base, StructuredDataset)
            and not isinstance(python_val, StructuredDataset)
        ):
            raise TypeTransformerFailedError(
                f"Expected a StructuredDataset instance, but got {type(python_val)} instead."
                " Did you forget to wrap your dataframe in a StructuredDataset instance?"
            )
        if expected is not None and expected.HasField("structured_dataset_type"):
            sdt.CopyFrom(expected.structured_dataset_type)
        if isinstance(python_val, StructuredDataset):
            return self._sd_to_literal(ctx, python_val, sdt, column_map)
        self._check_columns(ctx, python_val, column_map)
        fmt = self.DEFAULT_FORMATS.get(base, GENERIC_FORMAT)
        meta = StructuredDatasetMetadata(structured_dataset_type=expected.structured_dataset_type) if expected else None
        sd = StructuredDataset(dataframe=python_val, metadata=meta)
        return self.encode(ctx, sd, base, self._protocol_for(ctx, base), fmt, sdt)

    def _sd_to_literal(
        self, ctx: FlyteContext, sd: StructuredDataset, sdt: StructuredDatasetType, column_map: Any
    ) -> Literal:
        if sd.literal is not None:
            if sd.dataframe is not None and not sd._already_uploaded:
                raise TypeTransformerFailedError(
                    f"Shouldn't have specified both literal {sd.literal} and dataframe {type(sd.dataframe)}"
                )
            return Literal(scalar=Scalar(structured_dataset=sd.literal))
        if sd.dataframe is None:
            if not sd.uri:
                raise TypeTransformerFailedError(
                    f"If dataframe is not specified, then the uri should be specified. {sd}"
                )
            uri = self._upload_local_uri(ctx, sd.uri)
            if sdt.format == GENERIC_FORMAT and sd.file_format:
                sdt.format = sd.file_format
            lit = StructuredDatasetLiteral(uri=uri, metadata=StructuredDatasetMetadata(structured_dataset_type=sdt))
            return Literal(scalar=Scalar(structured_dataset=lit))
        self._check_columns(ctx, sd.dataframe, column_map)
        df_type = type(sd.dataframe)
        return self.encode(ctx, sd, df_type, self._protocol_for(ctx, df_type, sd.uri), sdt.format, sdt)

    @staticmethod
    def _upload_local_uri(ctx: FlyteContext, uri: str) -> str:
        """Copy a local dataset under the raw-output prefix (`<raw>/<32 hex>/<name>`), as flytekit does."""
        if is_remote(uri):
            return uri
        written = ctx.file_access.put_raw_data(uri)
        return written.rstrip("/") + "/" if os.path.isdir(uri) else written  # a folder keeps flytekit's trailing /

    @staticmethod
    def _check_columns(ctx: FlyteContext, df: Any, column_map: dict[str, Any] | None) -> None:
        if not column_map:
            return
        actual = frame_columns(df)
        if actual is None:
            return
        missing = [c for c in column_map if c not in actual]
        if missing:
            raise TypeTransformerFailedError(
                f"the {type(df).__name__} has no column(s) {missing} that the type declares (it has {actual});"
                f" nothing was written under {ctx.file_access.raw_output_prefix}"
            )

    def _protocol_for(self, ctx: FlyteContext, df_type: type, uri: str | None = None) -> str:
        if df_type in self.DEFAULT_PROTOCOLS:
            return self.DEFAULT_PROTOCOLS[df_type]
        return protocol_of(uri or ctx.file_access.raw_output_prefix)

    def encode(
        self,
        ctx: FlyteContext,
        sd: StructuredDataset,
        df_type: type,
        protocol: str,
        format: str,
        structured_literal_type: StructuredDatasetType,
    ) -> Literal:
        """Write `sd.dataframe` with the matching encoder and return the literal (format = the encoder's).

        Raises:
            TypeTransformerFailedError: no encoder fits, or the encoder failed (the message names the target).
        """
        try:
            handler = self.get_encoder(df_type, protocol, format)
        except ValueError as exc:
            raise TypeTransformerFailedError(str(exc)) from exc
        try:
            if foreign(handler, "encode"):  # a plugin's encoder: sees and returns flytekit-style models
                sd_model = to_pb(handler.encode(ctx, sd, view_of(structured_literal_type)))
            else:
                sd_model = handler.encode(ctx, sd, structured_literal_type)
        except FlyteException:
            raise
        except Exception as exc:
            target = sd.uri or ctx.file_access.raw_output_prefix
            raise TypeTransformerFailedError(f"{handler} could not write the dataframe to {target}: {exc}") from exc
        if not sd_model.HasField("metadata") or not sd_model.metadata.HasField("structured_dataset_type"):
            sd_model.metadata.structured_dataset_type.CopyFrom(structured_literal_type)
        sd_model.metadata.structured_dataset_type.format = handler.supported_format
        sd.literal = sd_model
        sd._already_uploaded = True
        return Literal(scalar=Scalar(structured_dataset=sd_model))

    # --------------------------------------------------------------------------------------------- to python
    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> Any:
        """Return a `StructuredDataset` (read lazily) or, for a dataframe type, the dataframe itself.

        The columns the expected type declares win over the literal's; with none declared, the literal's are kept.

        Raises:
            TypeTransformerFailedError: the literal is not a dataset, or the data cannot be read (names the uri).
        """
        lv = to_pb(lv)  # plugin transformers (pandera) pass on the model they were given
        kind = lv.scalar.WhichOneof("value") if lv.HasField("scalar") else None
        if kind == "binary":
            return self.from_binary_idl(lv.scalar.binary, expected_python_type)
        if kind == "generic":
            return self.from_generic_idl(lv.scalar.generic, expected_python_type)
        base, column_map, _, _ = extract_cols_and_format(expected_python_type)
        if kind == "schema":
            incoming = [
                StructuredDatasetType.DatasetColumn(
                    name=c.name, literal_type=LiteralType(simple=SCHEMA_TO_SIMPLE[c.type])
                )
                for c in lv.scalar.schema.type.columns
            ]
            sdt = StructuredDatasetType(columns=dataset_columns(column_map) if column_map else incoming, format=PARQUET)
            sd_lit = StructuredDatasetLiteral(uri=lv.scalar.schema.uri)
            sd_lit.metadata.structured_dataset_type.CopyFrom(sdt)
        elif kind == "structured_dataset":
            sd_lit = lv.scalar.structured_dataset
            sdt = StructuredDatasetType()
            sdt.CopyFrom(sd_lit.metadata.structured_dataset_type)
            if column_map:
                del sdt.columns[:]
                sdt.columns.extend(dataset_columns(column_map))
        else:
            raise TypeTransformerFailedError(f"expected a structured dataset literal, got {kind or 'an empty literal'}")
        metad = StructuredDatasetMetadata(structured_dataset_type=sdt)
        if isinstance(base, type) and issubclass(base, StructuredDataset):
            sd = base(dataframe=None, metadata=metad)
            sd.literal = sd_lit
            sd._input_name = decoding_input_name()
            sd.file_format = sdt.format
            return sd
        return self.open_as(ctx, sd_lit, base, metad)

    def dict_to_structured_dataset(self, dict_obj: dict[str, Any], expected_python_type: Any) -> Any:
        """Read `{"uri": ..., "file_format": ...}` (a dataset inside a dataclass) as the expected type.

        Raises:
            TypeTransformerFailedError: there is no uri.
        """
        uri = dict_obj.get("uri")
        if uri is None:
            raise TypeTransformerFailedError("StructuredDataset's uri and file format should not be None")
        lit = StructuredDatasetLiteral(uri=uri)
        lit.metadata.structured_dataset_type.format = dict_obj.get("file_format") or ""
        ctx = FlyteContextManager.current_context()
        return self.to_python_value(ctx, Literal(scalar=Scalar(structured_dataset=lit)), expected_python_type)

    def from_binary_idl(self, binary_idl_object: Binary, expected_python_type: Any) -> Any:
        """Read a msgpack `{"uri", "file_format"}` (attribute access on a dataclass)."""
        if binary_idl_object.tag != MESSAGEPACK:
            raise TypeTransformerFailedError(f"Unsupported binary format: `{binary_idl_object.tag}`")
        return self.dict_to_structured_dataset(msgpack.unpackb(binary_idl_object.value), expected_python_type)

    def from_generic_idl(self, generic: Struct, expected_python_type: Any) -> Any:
        """Read a Struct `{"uri", "file_format"}` (what the console sends)."""
        return self.dict_to_structured_dataset(json.loads(json_format.MessageToJson(generic)), expected_python_type)

    def _decode(
        self, ctx: FlyteContext, sd: StructuredDatasetLiteral, df_type: Any, metadata: StructuredDatasetMetadata
    ) -> Any:
        fmt = sd.metadata.structured_dataset_type.format
        try:
            decoder = self.get_decoder(df_type, protocol_of(sd.uri), fmt)
        except ValueError as exc:
            raise TypeTransformerFailedError(f"cannot read the dataset at {sd.uri}: {exc}") from exc
        try:
            if foreign(decoder, "decode"):  # a plugin's decoder: gets flytekit-style models
                return decoder.decode(ctx, view_of(sd), view_of(metadata))
            return decoder.decode(ctx, sd, metadata)
        except FlyteException:
            raise
        except Exception as exc:
            cols = [c.name for c in metadata.structured_dataset_type.columns]
            wanted = f" with columns {cols}" if cols else ""
            raise TypeTransformerFailedError(
                f"cannot read the dataset at {sd.uri} (format {fmt!r}) as {type_name(df_type)}{wanted}: {exc}"
            ) from exc

    def open_as(
        self, ctx: FlyteContext, sd: StructuredDatasetLiteral, df_type: Any, updated_metadata: StructuredDatasetMetadata
    ) -> Any:
        """Read the whole dataset `sd` as `df_type`, with the columns in `updated_metadata`.

        Raises:
            TypeTransformerFailedError: no decoder fits, the data cannot be read, or the decoder returned an iterator.
        """
        result = self._decode(ctx, sd, df_type, updated_metadata)
        if isinstance(result, Iterator):
            raise TypeTransformerFailedError(f"the decoder for {type_name(df_type)} returned an iterator for {sd.uri}")
        return result

    def iter_as(
        self, ctx: FlyteContext, sd: StructuredDatasetLiteral, df_type: Any, updated_metadata: StructuredDatasetMetadata
    ) -> Iterator[Any]:
        """Read the dataset `sd` as an iterator of `df_type`.

        Raises:
            TypeTransformerFailedError: the decoder returns whole dataframes only.
        """
        result = self._decode(ctx, sd, df_type, updated_metadata)
        if not isinstance(result, Iterator):
            raise TypeTransformerFailedError(
                f"the decoder for {type_name(df_type)} reads whole datasets only; use .all() for {sd.uri}"
            )
        return result

    def to_html(self, ctx: FlyteContext, python_val: Any, expected_python_type: Any) -> str:
        """Render a dataframe for a deck, with its registered renderer or its own `to_html`.

        Raises:
            TypeTransformerFailedError: no renderer is known for the value.
        """
        df = python_val.dataframe if isinstance(python_val, StructuredDataset) else python_val
        renderer = self.Renderers.get(type(df))
        if renderer is not None:
            return str(renderer.to_html(df))
        if hasattr(df, "to_html"):
            return str(df.to_html())
        raise TypeTransformerFailedError(f"Could not find a renderer for {type(df)}")


flyte_dataset_transformer = StructuredDatasetTransformerEngine()
"""The transformer of `StructuredDataset` and the dataframe types (registered lazily by `flytelite.types`)."""


def serialize_dataset_field(value: StructuredDataset) -> dict[str, Any]:
    """Return the `{"uri", "file_format"}` of a dataset inside a dataclass, writing its dataframe first if needed."""
    lit = flyte_dataset_transformer.to_literal(FlyteContextManager.current_context(), value, type(value), None)
    sd = lit.scalar.structured_dataset
    return {"uri": sd.uri, "file_format": sd.metadata.structured_dataset_type.format}


def _dataset_from_dict(declared: Any, value: dict[str, Any]) -> Any:
    return flyte_dataset_transformer.dict_to_structured_dataset(value, declared)


def deserialize_dataset_field(value: Any) -> StructuredDataset:
    """Return the (lazily read) dataset of a dataclass field's `{"uri", "file_format"}`.

    Raises:
        TypeTransformerFailedError: the value has no uri.
    """
    if not isinstance(value, dict):
        raise TypeTransformerFailedError(f"a StructuredDataset field needs {{'uri': ...}}, got {value!r}")
    out: StructuredDataset = flyte_dataset_transformer.dict_to_structured_dataset(value, StructuredDataset)
    return out


# Fields of type `StructuredDataset` exist only once this module is imported, so registering their dataclass codec
# here does not depend on import order.
register_serialization_strategy(StructuredDataset, serialize_dataset_field, deserialize_dataset_field)
