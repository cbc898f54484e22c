"""Module-level tasks the tests load by module and variable name (as the container resolver does)."""

from __future__ import annotations

import typing

from flytelite.core.base_task import kwtypes
from flytelite.core.interface import Interface
from flytelite.core.python_function_task import PythonInstanceTask
from flytelite.core.task import task


class AddOne(PythonInstanceTask[None]):
    """An instance task: `a + 1`."""

    def __init__(self, name: str, **kwargs: typing.Any) -> None:
        super().__init__(
            name=name, task_config=None, interface=Interface(inputs=kwtypes(a=int), outputs=kwtypes(o0=int)), **kwargs
        )

    def execute(self, **kwargs: typing.Any) -> int:
        return int(kwargs["a"]) + 1


add_one = AddOne(name="my.add_one")


@task
def double(x: int) -> int:
    """Double a number."""
    return x * 2


def _make_unassigned() -> AddOne:
    return AddOne(name="nowhere")


unassigned_holder = [_make_unassigned()]
