# ruff: noqa: UP045  # `typing.Optional` is spelled out on purpose: the engines must accept that spelling
"""Module-level types shared by the flytekit and the flytelite side of the conformance tests.

Both type engines must see the *same* classes (dataclasses, enums, pydantic models), so they live here rather
than inside a test function.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from pydantic import BaseModel

__all__ = [
    "ChildOfInner",
    "Color",
    "Inner",
    "Opaque",
    "Outer",
    "PydInner",
    "PydOuter",
    "PydPoint",
    "PydWithTypes",
    "Status",
    "WithCollections",
    "WithDatetime",
    "WithDefaults",
    "WithEnum",
    "WithInnerList",
    "WithMoreFields",
    "WithOptional",
    "WithUntypedDict",
]


class Color(enum.Enum):
    """A string enum, the only kind flytekit accepts."""

    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Status(str, enum.Enum):
    """A `str` mixin enum: the enum rule must beat the `str` transformer."""

    OK = "ok"
    FAILED = "failed"


@dataclass
class Inner:
    """A flat dataclass of primitives."""

    a: int
    b: str
    c: float
    d: bool


@dataclass
class Outer:
    """A dataclass holding another one."""

    name: str
    inner: Inner


@dataclass
class WithOptional:
    """Optional fields, set and unset."""

    x: Optional[int]
    y: Optional[str] = None


@dataclass
class WithCollections:
    """List and dict fields, nested."""

    xs: List[int]
    tags: Dict[str, str]
    grid: List[List[float]]
    lookup: Dict[str, List[int]]


@dataclass
class WithEnum:
    """An Enum field: on the wire it is the member's value."""

    color: Color
    n: int


@dataclass
class WithDatetime:
    """Date/time fields: on the wire they are ISO strings."""

    when: datetime.datetime
    day: datetime.date


@dataclass
class WithInnerList:
    """A list and a dict of nested dataclasses."""

    items: List[Inner]
    by_name: Dict[str, Inner]
    best: Optional[Inner] = None


@dataclass
class WithDefaults:
    """Fields with defaults and default factories."""

    a: int = 1
    b: str = "b"
    c: List[str] = field(default_factory=list)


@dataclass
class WithUntypedDict:
    """A plain `dict` field."""

    meta: dict  # type: ignore[type-arg]  # an untyped dict on purpose
    n: int


class PydPoint(BaseModel):
    """A flat pydantic model."""

    x: int
    y: float
    label: str


class PydInner(BaseModel):
    """A pydantic model used inside another one."""

    value: int
    note: Optional[str] = None


class PydOuter(BaseModel):
    """A nested pydantic model with collection fields."""

    name: str
    inner: PydInner
    points: List[PydPoint]
    extra: Dict[str, int]


@dataclass
class WithMoreFields:
    """Field kinds beyond the basics: a str-mixin enum, non-str dict keys, an optional nested dataclass."""

    status: Status
    codes: Dict[int, str]
    maybe_inner: Optional[Inner] = None
    ratio: float = 0.5


@dataclass
class ChildOfInner(Inner):
    """A dataclass that inherits its fields."""

    extra: str = "e"


class PydWithTypes(BaseModel):
    """A pydantic model with datetime, enum and optional fields."""

    when: datetime.datetime
    color: Color
    maybe: Optional[int] = None
    tags: List[str] = []


class Opaque:
    """A class no transformer serves: both engines fall back to pickle."""

    def __init__(self, x: int = 1) -> None:
        self.x = x

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and other.x == self.x

    def __hash__(self) -> int:
        return hash(self.x)

    def __repr__(self) -> str:
        return f"Opaque({self.x})"
