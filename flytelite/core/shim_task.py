"""Tasks that run from their `TaskTemplate` alone: `ExecutableTemplateShimTask` and `ShimTaskExecutor`.

A customized-container task (`SQLite3Task`) puts everything its run needs into the template's `custom` field. At
run time the task-template resolver loads the template, builds an `ExecutableTemplateShimTask` around it and a
`ShimTaskExecutor` subclass named in the command line; the executor's `execute_from_model(tt, **inputs)` does the
work. The Python interface is guessed from the template's Flyte interface.
"""

from __future__ import annotations

import abc
import logging
from typing import Any, Generic, TypeVar

from flyteidl.core.dynamic_job_pb2 import DynamicJobSpec
from flyteidl.core.literals_pb2 import LiteralMap
from flyteidl.core.tasks_pb2 import TaskTemplate

from flytelite.core.context_manager import ExecutionParameters, FlyteContext, FlyteContextManager
from flytelite.core.tracker import FlyteTrackedABC, TrackedInstance
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import (
    FlyteDownloadDataException,
    FlyteNonRecoverableSystemException,
    FlyteRecoverableException,
    FlyteTypeException,
    FlyteUploadDataException,
    FlyteUserRuntimeException,
    TypeTransformerFailedError,
)
from flytelite.models._convert import foreign, view_of

__all__ = ["ExecutableTemplateShimTask", "ShimTaskExecutor"]

logger = logging.getLogger("flytelite")

T = TypeVar("T")


class ShimTaskExecutor(TrackedInstance, Generic[T], metaclass=FlyteTrackedABC):
    """The business logic of a customized-container task; it only sees the `TaskTemplate` and native inputs."""

    @abc.abstractmethod
    def execute_from_model(self, tt: TaskTemplate, **kwargs: Any) -> Any:
        """Run the task described by `tt` on the native inputs and return its native outputs."""


class ExecutableTemplateShimTask:
    """A task rebuilt from a `TaskTemplate` and an executor class; it executes like a `PythonTask`.

    Args:
        tt: the template (None while a `PythonCustomizedContainerTask` is being built; it serializes its own).
        executor_type: the `ShimTaskExecutor` subclass that does the work.

    Attributes:
        executor_type: the executor class.
        executor: the executor instance.
    """

    def __init__(self, tt: TaskTemplate | None, executor_type: type[ShimTaskExecutor[Any]], *args: Any, **kwargs: Any):
        self.executor_type: type[ShimTaskExecutor[Any]] = executor_type
        self.executor: ShimTaskExecutor[Any] = executor_type()
        self._task_template = tt
        super().__init__(*args, **kwargs)

    @property
    def name(self) -> str:
        """Return the task name (the template's, when there is a template)."""
        if self._task_template is not None:
            return str(self._task_template.id.name)
        return str(getattr(self, "_name", ""))

    @property
    def task_template(self) -> TaskTemplate | None:
        """Return the template this task runs from."""
        return self._task_template

    def _template(self) -> TaskTemplate:
        tt = self.task_template
        if tt is None:
            raise FlyteTypeException(f"task '{self.name}' has no task template to execute")
        return tt

    def execute(self, **kwargs: Any) -> Any:
        """Hand the template and the inputs to the executor (a plugin's gets flytekit's `TaskTemplate` model)."""
        executor, tt = self.executor, self._template()
        if foreign(executor, "execute_from_model"):
            return executor.execute_from_model(view_of(tt), **kwargs)
        return executor.execute_from_model(tt, **kwargs)

    def pre_execute(self, user_params: ExecutionParameters | None) -> ExecutionParameters | None:
        """Return the parameters unchanged (the template carries everything)."""
        return user_params

    def post_execute(self, user_params: ExecutionParameters | None, rval: Any) -> Any:
        """Return the outputs unchanged."""
        return rval

    def dispatch_execute(self, ctx: FlyteContext, input_literal_map: LiteralMap) -> LiteralMap | DynamicJobSpec:
        """Convert inputs with types guessed from the template, run the executor, convert the outputs.

        Raises:
            TypeTransformerFailedError: an output does not convert (names the task and the output).
        """
        tt = self._template()
        params = self.pre_execute(ctx.user_space_params)
        es = ctx.execution_state or ctx.new_execution_state()
        exec_ctx = ctx.with_execution_state(es.with_params(user_space_params=params))
        local = es.is_local_execution()
        with FlyteContextManager.with_context(exec_ctx):
            input_types = TypeEngine.guess_python_types(dict(tt.interface.inputs.variables))
            native_inputs = TypeEngine.literal_map_to_kwargs(exec_ctx, input_literal_map, input_types)
            logger.info("running task %s from its template", tt.id.name)
            try:
                native_outputs = self.execute(**native_inputs)
            except FlyteRecoverableException:
                raise
            except Exception as exc:
                if local:
                    raise
                raise FlyteUserRuntimeException(exc) from exc
            native_outputs = self.post_execute(params, native_outputs)
            if isinstance(native_outputs, (LiteralMap, DynamicJobSpec)):
                return native_outputs
            try:
                return self._outputs_to_literal_map(exec_ctx, tt, native_outputs)
            except (FlyteUploadDataException, FlyteDownloadDataException):
                raise
            except Exception as exc:
                if local:
                    raise
                raise FlyteNonRecoverableSystemException(exc) from exc

    @staticmethod
    def _outputs_to_literal_map(ctx: FlyteContext, tt: TaskTemplate, native_outputs: Any) -> LiteralMap:
        names = list(tt.interface.outputs.variables)
        if not names:
            return LiteralMap()
        if len(names) == 1:
            as_map = {names[0]: native_outputs}
        elif isinstance(native_outputs, tuple) and len(native_outputs) == len(names):
            as_map = dict(zip(names, native_outputs, strict=True))
        else:
            raise FlyteTypeException(f"task '{tt.id.name}' must return {len(names)} values ({', '.join(names)})")
        out = LiteralMap()
        for k, v in as_map.items():
            if isinstance(v, tuple):
                raise FlyteTypeException(f"Output({k}) in task '{tt.id.name}' received a tuple {v}")
            try:
                out.literals[k].CopyFrom(TypeEngine.to_literal(ctx, v, type(v), tt.interface.outputs.variables[k].type))
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                reason = getattr(exc, "reason", None) or str(exc)
                err = TypeTransformerFailedError(f"task '{tt.id.name}', output '{k}': {reason}")
                err.path, err.reason = k, reason
                raise err from exc
        return out
