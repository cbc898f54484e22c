"""The machinery behind `flytelite.models.*`: flytekit-style classes that are thin views over flyteidl messages.

A view holds one protobuf message (`_pb`) and reads and writes it through properties generated from a table:

```python
class Sql(View):
    _PB = tasks_pb2.Sql
    _FIELDS = (f("statement"), f("dialect"))
```

gives `Sql("select 1", Sql.Dialect.ANSI)`, `sql.statement`, `Sql.from_flyte_idl(pb)` and `sql.to_flyte_idl()`; the last
two are O(1) (the message is shared, not copied). The table lists the fields in flytekit's positional order, under
flytekit's names (`f("stored_type", pb="type")`). How a field reads follows from its protobuf descriptor:

- an unset message field, an unset `oneof` member or an unset `optional` scalar reads `None`;
- a message field reads as the view registered for its message type (or the raw message when none is);
- `Timestamp` / `Duration` read as `datetime` (UTC) / `timedelta` and accept them;
- repeated fields read as lists, maps as dicts; a list, dict or view read from a view is kept, so mutating it
  (`tt.custom["k"] = v`, `lm.literals["x"] = lit`) shows in later reads and is written back by `to_flyte_idl()`;
- `conv="dict"` turns a `Struct` into a dict, `conv="kv"` a repeated `KeyValuePair` into a dict,
  `conv="none_if_empty"` reads a zero value as `None`; `enum=` reads an integer as that Python enum.

Constructors accept views and raw messages alike (`to_pb` normalises), equality holds between a view and a message
(`view == pb` and `pb == view`), and attributes a view does not define are read from the message, so
`HasField`, `WhichOneof`, `SerializeToString` keep working on code written against the bare protobufs.
"""

from __future__ import annotations

import abc
import datetime
import enum
import inspect
import os
from collections.abc import Callable
from typing import Any, ClassVar

from google.protobuf.message import Message

from flytelite.models._convert import _REGISTRY, foreign, model_to_pb, to_pb, view_of

__all__ = [
    "FlyteIdlEntity",
    "FlyteType",
    "View",
    "consts",
    "f",
    "foreign",
    "model_to_pb",
    "struct_to_dict",
    "to_pb",
    "view_of",
]

_UTC = datetime.timezone.utc
Reader = Callable[[Any], Any]
Writer = Callable[[Any, Any], None]


def struct_to_dict(s: Any) -> dict[str, Any]:
    """Return a `google.protobuf.Struct` as a plain dict (nested structs and lists converted too)."""
    return {k: _value(v) for k, v in s.fields.items()}


def _value(v: Any) -> Any:
    kind = v.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_dict(v.struct_value)
    if kind == "list_value":
        return [_value(x) for x in v.list_value.values]
    if kind == "null_value" or kind is None:
        return None
    return getattr(v, kind)


def _repr_yaml_like(msg: Any, indent: int) -> str:
    if not hasattr(msg, "ListFields"):
        return str(msg)
    lines = []
    for fd, value in msg.ListFields():
        if hasattr(value, "ListFields"):
            inner = _repr_yaml_like(value, indent + 2)
            if inner:
                lines.append(" " * indent + fd.name + ":" + os.linesep + inner)
        else:
            text = str(value).strip()
            if text:
                lines.append(" " * indent + f"{fd.name}: {text[:80]}" + os.linesep)
    return "".join(lines)


class FlyteType(abc.ABCMeta):
    """The metaclass of flytekit's model classes (kept so `metaclass=FlyteType` and its class strings work)."""

    def short_class_string(cls) -> str:
        """Return the class's repr."""
        return super().__repr__()

    def verbose_class_string(cls) -> str:
        """Return the class's repr."""
        return cls.short_class_string()


class FlyteIdlEntity(metaclass=FlyteType):
    """A Python object with a protobuf form: subclass it and define `to_flyte_idl` (and `from_flyte_idl`).

    Equality, hashing and printing go through the protobuf form, as in flytekit.
    """

    __slots__ = ()

    @abc.abstractmethod
    def to_flyte_idl(self) -> Any:
        """Return the protobuf message."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return bool(self.to_flyte_idl() == other)
        if isinstance(other, FlyteIdlEntity):
            return bool(self.to_flyte_idl() == other.to_flyte_idl())
        return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.to_flyte_idl().SerializeToString(deterministic=True))

    def __repr__(self) -> str:
        return str(self.to_flyte_idl())

    def __str__(self) -> str:
        return self.short_string()

    def short_string(self) -> str:
        """Return a YAML-like rendering of the set fields, headed by the class name."""
        body = _repr_yaml_like(self.to_flyte_idl(), 2).rstrip(os.linesep)
        return f"Flyte Serialized object ({type(self).__name__}):" + os.linesep + body

    def serialize_to_string(self) -> bytes:
        """Return the protobuf wire bytes."""
        return bytes(self.to_flyte_idl().SerializeToString())

    def _repr_html_(self) -> str:
        body = _repr_yaml_like(self.to_flyte_idl(), 0).rstrip(os.linesep)
        return f"<h4>{type(self).__name__}</h4><pre>{body}</pre>"

    @property
    def is_empty(self) -> bool:
        """Tell whether no field of the protobuf form is set."""
        return len(self.to_flyte_idl().SerializeToString()) == 0


class f:
    """One field of a view's table: flytekit's `name`, the protobuf field `pb` (default: the same name)."""

    __slots__ = ("conv", "default", "enum", "name", "pb", "read", "write")

    def __init__(
        self,
        name: str,
        pb: str = "",
        conv: str = "",
        enum: Any = None,
        default: Any = None,
        read: Reader | None = None,
        write: Writer | None = None,
    ) -> None:
        self.name = name
        self.pb = pb or name
        self.conv = conv
        self.enum = enum
        self.default = default  # written when the constructor is not given the field (flytekit's default)
        self.read = read  # custom reader `(message) -> value` and writer `(message, value)`
        self.write = write


def _to_utc_naive(dt: datetime.datetime) -> datetime.datetime:
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(_UTC).replace(tzinfo=None)


def _scalar_in(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _compile(fd: Any, spec: f) -> tuple[Reader, Writer]:
    """Return the reader and the writer of one field, chosen once from its descriptor."""
    if spec.read is not None and spec.write is not None:
        return spec.read, spec.write
    name = fd.name
    msg_type = fd.message_type
    if fd.is_repeated and msg_type is not None and msg_type.GetOptions().map_entry:
        return _compile_map(fd, spec)
    if fd.is_repeated:
        if spec.conv == "kv":

            def write_kv(pb: Any, v: Any) -> None:
                rep = getattr(pb, name)
                for k, x in v.items():
                    rep.add(key=k, value=x)

            return (lambda pb: {kv.key: kv.value for kv in getattr(pb, name)}, write_kv)
        if msg_type is not None:
            full = msg_type.full_name
            return (
                lambda pb: [_wrap(full, x) for x in getattr(pb, name)],
                lambda pb, v: getattr(pb, name).extend([to_pb(x) for x in v]),
            )
        if spec.enum is not None:
            e = spec.enum
            return (
                lambda pb: [e(x) for x in getattr(pb, name)],
                lambda pb, v: getattr(pb, name).extend([_scalar_in(x) for x in v]),
            )
        return (lambda pb: list(getattr(pb, name)), lambda pb, v: getattr(pb, name).extend(v))
    if msg_type is not None:
        return _compile_message(fd, spec)
    return _compile_scalar(fd, spec)


def _compile_map(fd: Any, spec: f) -> tuple[Reader, Writer]:
    name = fd.name
    value_type = fd.message_type.fields_by_name["value"].message_type
    if value_type is None:
        if spec.conv == "none_if_empty":
            return (lambda pb: dict(getattr(pb, name)) or None, lambda pb, v: getattr(pb, name).update(v))
        return (lambda pb: dict(getattr(pb, name)), lambda pb, v: getattr(pb, name).update(v))
    full = value_type.full_name

    def write(pb: Any, v: Any) -> None:
        m = getattr(pb, name)
        for k, x in v.items():
            m[k].CopyFrom(to_pb(x))

    return (lambda pb: {k: _wrap(full, x) for k, x in getattr(pb, name).items()}, write)


def _compile_message(fd: Any, spec: f) -> tuple[Reader, Writer]:
    name = fd.name
    full = fd.message_type.full_name
    if spec.conv == "raw":
        return (
            lambda pb: getattr(pb, name) if pb.HasField(name) else None,
            lambda pb, v: getattr(pb, name).CopyFrom(to_pb(v)),
        )
    if full == "google.protobuf.Timestamp":

        def write_ts(pb: Any, v: Any) -> None:
            if isinstance(v, datetime.datetime):
                getattr(pb, name).FromDatetime(_to_utc_naive(v))
            else:
                getattr(pb, name).CopyFrom(v)

        return (lambda pb: getattr(pb, name).ToDatetime(tzinfo=_UTC) if pb.HasField(name) else None, write_ts)
    if full == "google.protobuf.Duration":

        def write_td(pb: Any, v: Any) -> None:
            if isinstance(v, datetime.timedelta):
                getattr(pb, name).FromTimedelta(v)
            else:
                getattr(pb, name).CopyFrom(v)

        return (lambda pb: getattr(pb, name).ToTimedelta() if pb.HasField(name) else None, write_td)
    if full.startswith("google.protobuf.") and full.endswith("Value") and full[16:] not in ("Value", "ListValue"):

        def write_wrapped(pb: Any, v: Any) -> None:
            getattr(pb, name).value = v

        return (lambda pb: getattr(pb, name).value if pb.HasField(name) else None, write_wrapped)
    if spec.conv == "dict":

        def write_struct(pb: Any, v: Any) -> None:
            if isinstance(v, Message):
                getattr(pb, name).CopyFrom(v)
            else:
                getattr(pb, name).update(v)

        return (lambda pb: struct_to_dict(getattr(pb, name)) if pb.HasField(name) else None, write_struct)
    return (
        lambda pb: _wrap(full, getattr(pb, name)) if pb.HasField(name) else None,
        lambda pb, v: getattr(pb, name).CopyFrom(to_pb(v)),
    )


def _compile_scalar(fd: Any, spec: f) -> tuple[Reader, Writer]:
    name = fd.name
    e = spec.enum

    def write(pb: Any, v: Any) -> None:
        setattr(pb, name, _scalar_in(v))

    if fd.has_presence:
        if e is not None:
            return (lambda pb: e(getattr(pb, name)) if pb.HasField(name) else None, write)
        return (lambda pb: getattr(pb, name) if pb.HasField(name) else None, write)
    if e is not None:
        return (lambda pb: e(getattr(pb, name)), write)
    if spec.conv == "none_if_empty":
        return (lambda pb: getattr(pb, name) or None, write)
    return (lambda pb: getattr(pb, name), write)


def _wrap(full_name: str, msg: Any) -> Any:
    cls = _REGISTRY.get(full_name)
    return msg if cls is None else _new_view(cls, msg)


def _new_view(cls: type[View], msg: Any) -> Any:
    view = cls.__new__(cls)
    view._pb = msg
    view._cache = None
    return view


def _cacheable(fd: Any, spec: f) -> bool:
    """Tell whether a field reads as a mutable Python object (list, dict, view) that must be kept and written back."""
    if spec.read is not None or fd.is_repeated:
        return True
    if fd.message_type is None or spec.conv == "raw":
        return False
    full = fd.message_type.full_name
    return not full.startswith("google.protobuf.") or full == "google.protobuf.Struct"


def _identity(self: Any) -> Any:
    """Return the message itself (it already is the protobuf form)."""
    return self


def _make_property(name: str, read: Reader, write: Writer, pb_name: str, cacheable: bool) -> property:
    if not cacheable:

        def fget(self: View) -> Any:
            return read(self._pb)

    else:
        # A list, dict or view read from a field is kept, so mutating it (`tt.custom["k"] = v`,
        # `lm.literals["x"] = lit`) is seen by later reads and written back by `to_flyte_idl()`, as in flytekit.
        def fget(self: View) -> Any:
            cache = self._cache
            if cache is not None and name in cache:
                return cache[name]
            value = read(self._pb)
            if value is not None:
                if cache is None:
                    cache = self._cache = {}
                cache[name] = value
            return value

    def fset(self: View, value: Any) -> None:
        if self._cache is not None:
            self._cache.pop(name, None)
        self._pb.ClearField(pb_name)
        if value is not None:
            write(self._pb, value)

    return property(fget, fset, doc=f"The `{pb_name}` field.")


def _flush(view: View) -> None:
    """Write back the lists and dicts read from `view` (and from the views it handed out) into its message."""
    cache = view._cache
    if not cache:
        return
    for name, value in cache.items():
        if isinstance(value, View):
            _flush(value)  # a child view shares its sub-message: only its own containers need writing
            continue
        spec = view._SPECS[name]
        view._pb.ClearField(spec.pb)
        view._WRITERS[name](view._pb, value)


class View(FlyteIdlEntity):
    """A flytekit-style model over one protobuf message (see the module docstring)."""

    __slots__ = ("_cache", "_pb")
    _PB: ClassVar[Any] = None
    _FIELDS: ClassVar[tuple[f, ...]] = ()
    _WRITERS: ClassVar[dict[str, Writer]] = {}
    _SPECS: ClassVar[dict[str, f]] = {}
    _pb: Any
    _cache: dict[str, Any] | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        pb_cls = cls.__dict__.get("_PB")
        if pb_cls is None:  # a user's subclass of a view keeps its parent's table
            return
        descriptor = pb_cls.DESCRIPTOR
        _REGISTRY.setdefault(descriptor.full_name, cls)
        if "to_flyte_idl" not in vars(pb_cls):
            # Messages flytelite hands out (`TypeEngine.to_literal(...)`) answer `.to_flyte_idl()` like a model does.
            pb_cls.to_flyte_idl = _identity
        writers: dict[str, Writer] = {}
        for spec in cls._FIELDS:
            fd = descriptor.fields_by_name[spec.pb]
            read, write = _compile(fd, spec)
            writers[spec.name] = write
            if spec.name not in cls.__dict__:
                setattr(cls, spec.name, _make_property(spec.name, read, write, spec.pb, _cacheable(fd, spec)))
        cls._WRITERS = writers
        cls._SPECS = {spec.name: spec for spec in cls._FIELDS}
        # `inspect.signature(cls)` shows flytekit's parameters in order (the generic `__init__` takes *args)
        cls.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter(s.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=s.default) for s in cls._FIELDS]
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._FIELDS
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes at most {len(fields)} positional arguments")
        writers = self._WRITERS
        for name in kwargs:
            if name not in writers:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
        pb = self._PB()
        for i, spec in enumerate(fields):
            value = args[i] if i < len(args) else kwargs.get(spec.name, spec.default)
            if value is not None:
                writers[spec.name](pb, value)
        self._pb = pb
        self._cache = None

    def to_flyte_idl(self) -> Any:
        """Return the protobuf message this view reads (shared, not copied), with changes made through it."""
        if self._cache:
            _flush(self)
        return self._pb

    @classmethod
    def from_flyte_idl(cls, pb2_object: Any) -> Any:
        """Return a view over `pb2_object` (shared, not copied)."""
        return _new_view(cls, to_pb(pb2_object))

    def __getattr__(self, name: str) -> Any:
        # Only reached for names the view does not define: fall back to the message (HasField, WhichOneof, ...).
        if name.startswith("__") or name in ("_pb", "_cache"):
            raise AttributeError(name)
        return getattr(self.to_flyte_idl(), name)


def consts(name: str, values: dict[str, int]) -> type:
    """Return a class of integer constants with flytekit's `enum_to_string` (`SimpleType.INTEGER`).

    `Name(number)` and `Value(name)` work as on the flyteidl enum the constants come from.
    """

    def name_of(cls: type, number: int) -> str:
        for k, v in vars(cls).items():
            if k.isupper() and v == number:
                return str(k)
        raise ValueError(f"{cls.__name__} has no value {number}")

    def enum_to_string(cls: type, int_value: int) -> str:
        try:
            return name_of(cls, int_value)
        except ValueError:
            return "<UNKNOWN>"

    def value_of(cls: type, key: str) -> int:
        value = vars(cls).get(key)
        if not key.isupper() or not isinstance(value, int):
            raise ValueError(f"{cls.__name__} has no name {key!r}")
        return value

    ns: dict[str, Any] = dict(values)
    ns["enum_to_string"] = classmethod(enum_to_string)
    # the protobuf enum's `Name` / `Value`, so code written against the flyteidl enums keeps working
    ns["Name"] = classmethod(name_of)
    ns["Value"] = classmethod(value_of)
    return type(name, (), ns)
