"""Tasks and workflows with every kind of input, for the `flytelite run` tests."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import typing

import pandas as pd
import pydantic

from flytelite import LaunchPlan, map_task, task, workflow
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile
from flytelite.types.structured import StructuredDataset

CALLS: list[str] = []


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


class Person(pydantic.BaseModel):
    name: str
    age: int


class Opaque:
    """A class no transformer knows: it travels as a pickle."""


@task
def echo_int(a: int) -> int:
    """Return the number given.

    Args:
        a: the starting number.
    """
    return a


@task
def echo_float(a: float) -> float:
    return a


@task
def echo_str(a: str) -> str:
    return a


@task
def echo_bool(flag: bool) -> bool:
    return flag


@task
def echo_datetime(when: datetime.datetime) -> str:
    return when.isoformat()


@task
def echo_date(day: datetime.date) -> str:
    return day.isoformat()


@task
def echo_duration(d: datetime.timedelta) -> float:
    return d.total_seconds()


@task
def echo_enum(c: Color) -> str:
    return c.value


@task
def sum_list(xs: typing.List[int]) -> int:
    return sum(xs)


@task
def dict_keys(d: typing.Dict[str, int]) -> typing.List[str]:
    return sorted(d)


@task
def point_sum(p: Point) -> int:
    return p.x + p.y


@task
def points_total(ps: typing.List[Point]) -> int:
    return sum(p.x + p.y for p in ps)


@task
def greet_person(p: Person) -> str:
    return f"{p.name} is {p.age}"


@task
def maybe(a: typing.Optional[int] = None) -> str:  # noqa: UP045  (the spelling under test)
    return "none" if a is None else f"got {a}"


@task
def int_or_str(v: typing.Union[int, str]) -> str:
    return f"{type(v).__name__}:{v}"


@task
def read_file(f: FlyteFile) -> str:
    with open(f, encoding="utf-8") as fh:
        return fh.read().strip()


@task
def count_files(d: FlyteDirectory) -> int:
    import os

    return sum(len(files) for _, _, files in os.walk(d.download()))


@task
def frame_rows(df: pd.DataFrame) -> int:
    return len(df)


@task
def dataset_rows(sd: StructuredDataset) -> int:
    return len(sd.open(pd.DataFrame).all())


@task
def opaque_in(o: Opaque) -> int:
    return 1


@task
def with_defaults(a: int = 7, c: Color = Color.GREEN, p: Point = Point(x=1, y=2), flag: bool = True) -> str:  # noqa: B008
    return f"{a} {c.value} {p.x},{p.y} {flag}"


@task
def multi(a: int) -> typing.Tuple[int, str]:
    return a * 2, f"a={a}"


@task
def make_frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"i": list(range(n))})


@task
def make_file(text: str) -> FlyteFile:
    path = "/tmp/flytelite-cli-test-out.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return FlyteFile(path)


@task
def inc(a: int) -> int:
    return a + 1


@task(cache=True, cache_version="1")
def counted(a: int) -> int:
    CALLS.append(f"counted:{a}")
    return a * 10


@task
def divide(a: int, b: int) -> float:
    return a / b


@workflow
def chain(a: int) -> int:
    """Add one twice.

    Args:
        a: the starting number.
    """
    return inc(a=inc(a=a))


@workflow
def mapped(xs: typing.List[int]) -> typing.List[int]:
    return map_task(inc)(a=xs)


@workflow
def cached_wf(a: int) -> int:
    return counted(a=a)


@workflow
def fails(a: int, b: int = 0) -> float:
    return divide(a=inc(a=a), b=b)


@workflow
def frame_wf(n: int) -> pd.DataFrame:
    return make_frame(n=n)


chain_lp = LaunchPlan.get_or_create(chain, name="chain_from_ten", default_inputs={"a": 10})
NOT_AN_ENTITY = 5
