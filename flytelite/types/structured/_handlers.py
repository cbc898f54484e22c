"""Dataframe encoders and decoders, and the registry that picks one for a (dataframe type, protocol, format).

An encoder writes a dataframe somewhere and returns the `StructuredDataset` literal that points to it; a decoder
reads such a literal back into a dataframe. Handlers for optional libraries (pandas, pyarrow) are registered the
first time a handler for their dataframe type is looked up, keyed by the type's qualified name.

Lookup order for `(df_type, protocol, format)`, over `df_type` and then each class in its MRO:

1. an exact match for the protocol and format;
2. a handler registered for the protocol (any format, the type's default format, or its only one);
3. a handler registered for every protocol (`protocol=None`): the format, any format, or, when no format is asked
   for, the type's default format or its only one.
"""

from __future__ import annotations

import abc
import importlib
import logging
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from flyteidl.core.literals_pb2 import StructuredDataset as StructuredDatasetLiteral
from flyteidl.core.literals_pb2 import StructuredDatasetMetadata
from flyteidl.core.types_pb2 import StructuredDatasetType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import FlyteValidationException

if TYPE_CHECKING:
    from flytelite.types.structured.structured_dataset import StructuredDataset

__all__ = [
    "ALL_PROTOCOLS",
    "CSV",
    "GENERIC_FORMAT",
    "GENERIC_PROTOCOL",
    "PARQUET",
    "DuplicateHandlerError",
    "HandlerRegistry",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
]

logger = logging.getLogger("flytelite.types")

StructuredDatasetFormat = str
"""A storage format name (`"parquet"`, `"csv"`, or `""` for any)."""

PARQUET: StructuredDatasetFormat = "parquet"
CSV: StructuredDatasetFormat = "csv"
GENERIC_FORMAT: StructuredDatasetFormat = ""
GENERIC_PROTOCOL = "generic protocol"
ALL_PROTOCOLS = "fsspec"
"""The registry key of handlers that serve every storage protocol (registered with `protocol=None`)."""

T = TypeVar("T")
DF = TypeVar("DF")


class DuplicateHandlerError(FlyteValidationException):
    """A handler is already registered for this dataframe type, protocol and format."""


def _strip_protocol(protocol: str | None) -> str | None:
    return protocol.replace("://", "") if protocol else None


class _HandlerBase(Generic[T]):
    """What encoders and decoders share: the dataframe class, protocol and format they serve.

    Attributes:
        python_type: the dataframe class.
        protocol: the storage protocol (None: every protocol).
        supported_format: the format served (`""`: any format).
    """

    def __init__(self, python_type: type[T], protocol: str | None = None, supported_format: str | None = None) -> None:
        self.python_type: type[T] = python_type
        self.protocol: str | None = _strip_protocol(protocol)
        self.supported_format: str = supported_format or GENERIC_FORMAT

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.python_type.__name__}, {self.protocol}, {self.supported_format!r})"


class StructuredDatasetEncoder(_HandlerBase[T], abc.ABC):
    """Write dataframes of one Python type; subclass it and register it with `StructuredDatasetTransformerEngine`.

    Args:
        python_type: the dataframe class this encoder writes.
        protocol: the storage protocol (`"s3"` or `"s3://"`); None serves every protocol.
        supported_format: the format written (`"parquet"`); `""` means any format.
    """

    @abc.abstractmethod
    def encode(
        self,
        ctx: FlyteContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetLiteral:
        """Write `structured_dataset.dataframe` and return the literal that points to it.

        Args:
            ctx: the current context (its `file_access` knows where raw data goes).
            structured_dataset: the wrapper holding the dataframe (and maybe a target `uri`).
            structured_dataset_type: the declared type (columns, format); put it in the literal's metadata.
        """


class StructuredDatasetDecoder(_HandlerBase[DF], abc.ABC):
    """Read dataframes of one Python type; subclass it and register it with `StructuredDatasetTransformerEngine`.

    Args:
        python_type: the dataframe class this decoder returns.
        protocol: the storage protocol (`"s3"` or `"s3://"`); None serves every protocol.
        supported_format: the format read (`"parquet"`); `""` means any format.
        additional_protocols: accepted for flytekit compatibility; register one decoder per protocol instead.
    """

    def __init__(
        self,
        python_type: type[DF],
        protocol: str | None = None,
        supported_format: str | None = None,
        additional_protocols: list[str] | None = None,
    ) -> None:
        super().__init__(python_type, protocol, supported_format)

    @abc.abstractmethod
    def decode(
        self,
        ctx: FlyteContext,
        flyte_value: StructuredDatasetLiteral,
        current_task_metadata: StructuredDatasetMetadata,
    ) -> DF | Iterator[DF]:
        """Read the dataset `flyte_value` points to.

        Args:
            ctx: the current context.
            flyte_value: the literal (uri and the writer's metadata).
            current_task_metadata: the type the running task asked for; when it names columns, return only those.

        Returns:
            The whole dataframe, or an iterator of dataframes for `.iter()`.
        """


Handler = StructuredDatasetEncoder[Any] | StructuredDatasetDecoder[Any]
_Table = dict[type, dict[str, dict[str, Any]]]


def _qualified_name(c: Any) -> str:
    return f"{getattr(c, '__module__', '')}.{getattr(c, '__qualname__', '')}"


class HandlerRegistry:
    """The encoders and decoders by dataframe type, protocol and format, plus default formats and protocols."""

    ENCODERS: ClassVar[_Table] = {}
    DECODERS: ClassVar[_Table] = {}
    DEFAULT_PROTOCOLS: ClassVar[dict[type, str]] = {}
    DEFAULT_FORMATS: ClassVar[dict[type, str]] = {}
    _LAZY_HANDLERS: ClassVar[dict[str, str]] = {}
    _handler_lock: ClassVar[threading.RLock] = threading.RLock()

    @classmethod
    def register_lazy_handlers(cls, qualified_type_name: str, target: str) -> None:
        """Call `target` (`"module:function"`) the first time a handler for that dataframe type is looked up."""
        cls._LAZY_HANDLERS[qualified_type_name] = target

    @classmethod
    def _load_lazy_handlers(cls, df_type: type) -> bool:
        for c in getattr(df_type, "__mro__", (df_type,)):
            target = cls._LAZY_HANDLERS.get(_qualified_name(c))
            if target is None:
                continue
            with cls._handler_lock:
                if cls._LAZY_HANDLERS.pop(_qualified_name(c), None) is None:
                    return True  # another thread loaded it
                module_name, _, attr = target.partition(":")
                getattr(importlib.import_module(module_name), attr)()
            return True
        return False

    @classmethod
    def _finder(cls, table: _Table, df_type: type, protocol: str, fmt: str) -> Any:
        """Return the handler for `(df_type, protocol, fmt)` following the module's lookup order.

        Raises:
            ValueError: no handler fits.
        """
        for attempt in range(2):
            for t in getattr(df_type, "__mro__", (df_type,)):
                if t is object or t not in table:
                    continue
                found = cls._find_for_type(table[t], t, protocol, fmt)
                if found is not None:
                    return found
            if attempt == 0 and not cls._load_lazy_handlers(df_type):
                break
        kind = "encoder" if table is cls.ENCODERS else "decoder"
        raise ValueError(f"Failed to find a {kind} for {df_type}, protocol [{protocol}], fmt ['{fmt}']")

    @classmethod
    def _find_for_type(cls, by_protocol: dict[str, dict[str, Any]], t: type, protocol: str, fmt: str) -> Any:
        exact = by_protocol.get(protocol, {}).get(fmt)
        if exact is not None:
            return exact
        default = cls.DEFAULT_FORMATS.get(t)
        specific = by_protocol.get(protocol, {})
        found = specific.get(GENERIC_FORMAT) or (specific.get(default) if default else None)
        if found is None and len(specific) == 1:
            found = next(iter(specific.values()))
        if found is not None:
            return found
        everywhere = by_protocol.get(ALL_PROTOCOLS, {})
        found = everywhere.get(fmt) or everywhere.get(GENERIC_FORMAT)
        if found is None and fmt == GENERIC_FORMAT:
            found = everywhere.get(default) if default else None
            if found is None and len(everywhere) == 1:
                found = next(iter(everywhere.values()))
        return found

    @classmethod
    def get_encoder(cls, df_type: type, protocol: str, format: str) -> StructuredDatasetEncoder[Any]:
        """Return the encoder for a dataframe type, protocol and format (see the lookup order)."""
        enc: StructuredDatasetEncoder[Any] = cls._finder(cls.ENCODERS, df_type, protocol, format)
        return enc

    @classmethod
    def get_decoder(cls, df_type: type, protocol: str, format: str) -> StructuredDatasetDecoder[Any]:
        """Return the decoder for a dataframe type, protocol and format (see the lookup order)."""
        dec: StructuredDatasetDecoder[Any] = cls._finder(cls.DECODERS, df_type, protocol, format)
        return dec

    @classmethod
    def _add_handler(
        cls,
        h: Handler,
        protocol: str,
        default_for_type: bool,
        override: bool,
        default_format_for_type: bool,
        default_storage_for_type: bool,
    ) -> None:
        if protocol == "/":
            protocol = "file"
        table = cls.ENCODERS if isinstance(h, StructuredDatasetEncoder) else cls.DECODERS
        formats = table.setdefault(h.python_type, {}).setdefault(protocol, {})
        if h.supported_format in formats and not override:
            raise DuplicateHandlerError(
                f"Already registered a handler for {(h.python_type, protocol, h.supported_format)}"
            )
        formats[h.supported_format] = h
        if (default_format_for_type or default_for_type) and h.supported_format != GENERIC_FORMAT:
            if h.python_type not in cls.DEFAULT_FORMATS or override:
                cls.DEFAULT_FORMATS[h.python_type] = h.supported_format
            elif cls.DEFAULT_FORMATS[h.python_type] != h.supported_format:
                logger.debug("keeping %s as the default format of %s", cls.DEFAULT_FORMATS[h.python_type], h)
        if (default_storage_for_type or default_for_type) and (h.python_type not in cls.DEFAULT_PROTOCOLS or override):
            cls.DEFAULT_PROTOCOLS[h.python_type] = protocol
