"""Command-line options for an entity's inputs, following `pyflyte run`'s conventions.

Every input `a` becomes `--a VALUE`. A string becomes a Python value through the type engine, not a second type
registry: primitives are parsed as click parses them, enums by value, files, directories and dataframes from a
local path or a URI (as a blob or structured-dataset literal), and everything else (lists, dicts, dataclasses,
pydantic models, unions) as JSON, which is packed as the msgpack literal Flyte's engine would send and decoded by
the transformer of the declared type. Booleans are flags (`--flag/--no-flag`); `Optional` inputs may be omitted.

`json` is imported by the readers of JSON inputs and inputs files: a run whose inputs are scalars does not load it.
"""

from __future__ import annotations

import datetime
import enum
import os
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import click
from flyteidl.core.literals_pb2 import (
    Binary,
    Blob,
    BlobMetadata,
    Literal,
    Scalar,
    StructuredDataset,
    StructuredDatasetMetadata,
)
from flyteidl.core.types_pb2 import LiteralType, SimpleType

from flytelite.cli._values import json_text, to_jsonable
from flytelite.core._call import entity_label, type_name
from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.interface import typed_interface
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.type_engine import TypeEngine
from flytelite.storage import is_remote

__all__ = ["InputOption", "InputType", "input_options", "read_inputs_file"]

_PICKLE_FORMAT = "PythonPickle"
_NULLS = ("null", "None")


def _strip_optional(t: Any) -> tuple[Any, bool]:
    """Return `(X, True)` for `Optional[X]`, else `(t, False)`."""
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(t) if a is not type(None)]
        if len(args) < len(typing.get_args(t)):
            return (args[0] if len(args) == 1 else typing.Union[tuple(args)]), True
    return t, False


def _parse_duration(text: str) -> datetime.timedelta:
    """Parse `90`, `1.5`, `1h30m`, `2d`, `500ms` or `HH:MM:SS` (a number alone is seconds)."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return datetime.timedelta(seconds=float(text))
    if re.fullmatch(r"\d+:\d{1,2}:\d{1,2}(\.\d+)?", text):
        h, m, s = text.split(":")
        return datetime.timedelta(hours=int(h), minutes=int(m), seconds=float(s))
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds", "ms": "milliseconds"}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|d|h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text.replace(" ", ""):
        raise ValueError("expected seconds, HH:MM:SS, or a duration such as 1h30m, 45s, 500ms")
    return datetime.timedelta(**{units[u]: float(n) for n, u in parts})


class InputType(click.ParamType):  # type: ignore[type-arg]  # generic only in click >= 8.2
    """The click type of one input: converts a command-line string to the input's Python value.

    Args:
        python_type: the declared type.
        literal_type: its Flyte `LiteralType` (decides how a string is read).
        context: what an error adds at its end (`workflow 'm.wf', input 'a'`).
    """

    def __init__(self, python_type: Any, literal_type: LiteralType, context: str = "") -> None:
        self.python_type = python_type
        self.literal_type = literal_type
        self.context = context
        self.name = type_name(python_type)
        self._inner, self._optional = _strip_optional(python_type)
        self._read = self._reader()

    # --- which reader ------------------------------------------------------------------------------------------
    def _reader(self) -> Callable[[str], Any]:
        t, lt = self._inner, self._unwrapped_literal_type()
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return self._read_enum
        simple: dict[Any, Callable[[str], Any]] = {
            int: self._read_click(click.INT),
            float: self._read_click(click.FLOAT),
            str: str,
            bool: self._read_click(click.BOOL),
            datetime.datetime: datetime.datetime.fromisoformat,
            datetime.date: datetime.date.fromisoformat,
            datetime.timedelta: _parse_duration,
        }
        if t in simple:
            return simple[t]
        if lt.HasField("blob"):
            if lt.blob.format == _PICKLE_FORMAT:
                return self._read_unsupported
            return self._read_blob
        if lt.HasField("structured_dataset_type"):
            return self._read_dataset
        return self._read_json

    def _unwrapped_literal_type(self) -> LiteralType:
        lt = self.literal_type
        if self._optional and lt.HasField("union_type"):
            variants = [v for v in lt.union_type.variants if v.simple != SimpleType.NONE]
            if len(variants) == 1:
                return variants[0]
        return lt

    # --- click API --------------------------------------------------------------------------------------------
    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        reader = self._read
        if reader in (self._read_blob, self._read_dataset):
            return "PATH|URI"
        if reader == self._read_json:
            return "JSON"
        if reader == self._read_enum:
            return "[" + "|".join(str(m.value) for m in self._inner) + "]"
        return self.name.upper()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):  # a default: already a Python value
            return value
        if self._optional and value in _NULLS:
            return None
        try:
            return self._read(value)
        except click.BadParameter as e:
            self.fail(self._in_context(e.message, value), param, ctx)
        except Exception as e:  # every reader error becomes click's "Invalid value for '--x'"
            reason = getattr(e, "reason", None) or str(e) or type(e).__name__
            self.fail(self._in_context(f"{value!r} is not a valid {self.name}: {reason}", value), param, ctx)

    def _in_context(self, message: str, value: Any) -> str:
        """Return `message` followed by the entity, the input, the expected and the actual type."""
        if not self.context:
            return message
        return f"{message} ({self.context}: expected {self.name}, got {type(value).__name__})"

    # --- readers ----------------------------------------------------------------------------------------------
    @staticmethod
    def _read_click(ptype: click.ParamType) -> Callable[[str], Any]:  # type: ignore[type-arg]  # as above
        return lambda v: ptype.convert(v, None, None)

    def _read_enum(self, value: str) -> Any:
        for member in self._inner:
            if str(member.value) == value or member.name == value:
                return member
        choices = ", ".join(repr(str(m.value)) for m in self._inner)
        raise ValueError(f"expected one of {choices}")

    def _read_unsupported(self, value: str) -> Any:
        raise ValueError("this type travels as a pickle and cannot be given on the command line")

    @staticmethod
    def _location(value: str, want_dir: bool | None) -> str:
        if is_remote(value):
            return value
        path = os.path.abspath(os.path.expanduser(value))
        if not os.path.exists(path):
            raise ValueError(f"no such file or directory: {value}")
        if want_dir is True and not os.path.isdir(path):
            raise ValueError("expected a directory, got a file")
        if want_dir is False and os.path.isdir(path):
            raise ValueError("expected a file, got a directory")
        return path

    def _read_blob(self, value: str) -> Any:
        bt = self._unwrapped_literal_type().blob
        uri = self._location(value, want_dir=bt.dimensionality == bt.BlobDimensionality.MULTIPART)
        lit = Literal(scalar=Scalar(blob=Blob(metadata=BlobMetadata(type=bt), uri=uri)))
        return self._to_python(lit)

    def _read_dataset(self, value: str) -> Any:
        sdt = self._unwrapped_literal_type().structured_dataset_type
        uri = self._location(value, want_dir=None)
        md = StructuredDatasetMetadata(structured_dataset_type=sdt)
        return self._to_python(Literal(scalar=Scalar(structured_dataset=StructuredDataset(uri=uri, metadata=md))))

    def _read_json(self, value: str) -> Any:
        import json  # only inputs given as JSON need it (see the module docstring)

        try:
            data = json.loads(value)
        except json.JSONDecodeError as e:
            try:  # a bare word where a union accepts str
                return self._from_plain(value)
            except Exception:
                raise ValueError(f"expected JSON ({e.msg} at column {e.colno})") from e
        return self._from_plain(data)

    def _from_plain(self, data: Any) -> Any:
        """Decode JSON-shaped data as the declared type (the msgpack literal Flyte's engine and UI send)."""
        import msgpack  # only inputs given as JSON need it (an `int` input does not)

        packed = msgpack.packb(data, use_bin_type=True)
        return self._to_python(Literal(scalar=Scalar(binary=Binary(value=packed, tag="msgpack"))))

    def _to_python(self, lit: Literal) -> Any:
        ctx = FlyteContextManager.current_context()
        return TypeEngine.to_python_value(ctx, lit, self._inner)


def _default_text(value: Any) -> str:
    plain = to_jsonable(value)
    return plain if isinstance(plain, str) else json_text(plain)


class InputOption(click.Option):
    """An input's option: its default is shown as it would be typed (`red`, `[1, 2]`), not as a Python repr."""

    def __init__(self, *args: Any, default_text: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_text = default_text

    def get_help_extra(self, ctx: click.Context) -> Any:
        extra = super().get_help_extra(ctx)
        if self.default_text is not None:
            extra["default"] = self.default_text
        return extra


def _input_option(
    name: str, python_type: Any, default: Any, literal_type: LiteralType, help_text: str, context: str = ""
) -> click.Option:
    """Return the `--name` option of one input."""
    inner, optional = _strip_optional(python_type)
    required = default is None and not optional
    dashed = name.replace("_", "-")
    if inner is bool:
        decls = [f"--{name}/--no-{name}"] + ([f"--{dashed}/--no-{dashed}"] if dashed != name else [])
        return click.Option(
            [*decls, name],
            default=bool(default),
            show_default=True,
            help=help_text,
        )
    decls = [f"--{name}"] + ([f"--{dashed}"] if dashed != name else [])
    # click >= 8.3 treats an explicit `default=None` as a value, so a missing required input must not pass one
    given_default = {"default": default} if default is not None else {}
    return InputOption(
        [*decls, name],
        type=InputType(python_type, literal_type, context),
        required=required,
        default_text=_default_text(default) if default is not None else None,
        help=help_text,
        **given_default,
    )


def input_options(entity: Any) -> list[click.Option]:
    """Return one click option per input of `entity` (a task, workflow or launch plan), in declaration order."""
    variables = typed_interface(entity).inputs.variables
    options = []
    fixed, lp_defaults = _launch_plan_inputs(entity)
    for name, (python_type, default) in entity.python_interface.inputs_with_defaults.items():
        if name in fixed:
            continue
        if default is None and name in lp_defaults:
            ctx = FlyteContextManager.current_context()
            default = TypeEngine.to_python_value(ctx, lp_defaults[name], python_type)
        var = variables[name]
        described = var.description and var.description != name
        text = f"{var.description.rstrip('.')} ({type_name(python_type)})" if described else type_name(python_type)
        context = f"{entity_label(entity)}, input '{name}'"
        options.append(_input_option(name, python_type, default, var.type, text, context))
    return options


def _launch_plan_inputs(entity: Any) -> tuple[set[str], dict[str, Literal]]:
    """Return a launch plan's fixed input names and its default literals (empty for other entities)."""
    if not isinstance(entity, LaunchPlan):
        return set(), {}
    defaults = {k: p.default for k, p in entity.parameters.parameters.items() if p.HasField("default")}
    return set(entity.fixed_inputs.literals), defaults


def read_inputs_file(path: str, options: Mapping[str, click.Option]) -> list[str]:
    """Read a YAML or JSON file of inputs and return them as command-line arguments.

    Strings are passed as they are, booleans as flags, anything else as JSON. YAML needs PyYAML; JSON always works.

    Raises:
        click.BadParameter: the file cannot be read or parsed, is not a mapping, or names an unknown input.
    """
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise click.BadParameter(f"cannot read {path}: {e.strerror}", param_hint="'--inputs-file'") from e
    data = _parse_inputs(text, path)
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path} must hold a mapping of input names to values", param_hint="'--inputs-file'")
    args: list[str] = []
    for key, value in data.items():
        opt = options.get(str(key))
        if opt is None:
            known = ", ".join(options) or "none"
            message = f"{path} names unknown input {key!r} (inputs: {known})"
            raise click.BadParameter(message, param_hint="'--inputs-file'")
        if opt.is_flag:
            args.append(opt.opts[0] if value else opt.secondary_opts[0])
        else:
            args += [opt.opts[0], value if isinstance(value, str) else json_text(to_jsonable(value))]
    return args


def _parse_inputs(text: str, path: str) -> Any:
    import json  # only an inputs file needs it (see the module docstring)

    is_yaml = path.endswith((".yaml", ".yml"))
    if not is_yaml:
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            if path.endswith(".json"):
                raise click.BadParameter(f"{path} is not valid JSON: {e}", param_hint="'--inputs-file'") from e
    try:
        import yaml  # PyYAML is optional: JSON inputs files need nothing
    except ImportError as e:
        raise click.BadParameter(
            f"{path}: reading YAML needs PyYAML (pip install pyyaml); JSON inputs files always work",
            param_hint="'--inputs-file'",
        ) from e
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise click.BadParameter(f"{path} is not valid YAML or JSON: {e}", param_hint="'--inputs-file'") from e
