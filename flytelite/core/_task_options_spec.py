"""`TaskOptions`: every option of `@task` with its type, for type checkers (`**options: Unpack[TaskOptions]`).

A module of its own because building this `TypedDict` evaluates each annotation (~0.7 ms): declaring or running a
task never needs the class, only the option names (`flytelite.core._task_options`), so it loads on first access of
`TaskOptions`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypedDict

if TYPE_CHECKING:  # annotations only
    from flyteidl.core.security_pb2 import Secret

    from flytelite.core.base_task import TaskResolverMixin
    from flytelite.core.cache import Cache
    from flytelite.core.python_function_task import PythonFunctionTask
    from flytelite.core.resources import Resources
    from flytelite.deck.deck import DeckField

__all__ = ["TaskOptions"]


class TaskOptions(TypedDict, total=False):
    """Every option of `@task` (flytekit's names and meanings)."""

    task_config: Any
    cache: bool | Cache
    cache_version: str
    cache_serialize: bool
    cache_ignore_input_vars: tuple[str, ...]
    retries: int
    interruptible: bool | None
    deprecated: str
    timeout: _dt.timedelta | int
    container_image: Any
    environment: dict[str, str]
    requests: Resources
    limits: Resources
    resources: Resources
    secret_requests: list[Secret]
    execution_mode: PythonFunctionTask.ExecutionBehavior
    node_dependency_hints: Iterable[Any]
    task_resolver: TaskResolverMixin
    docs: Any
    disable_deck: bool
    enable_deck: bool
    deck_fields: tuple[DeckField | str, ...] | None
    pod_template: Any
    pod_template_name: str
    accelerator: Any
    pickle_untyped: bool
    shared_memory: Literal[True] | str
    labels: dict[str, str]
    annotations: dict[str, str]
