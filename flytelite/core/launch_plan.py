"""Launch plans: a workflow plus default and fixed inputs (and, on a cluster, a schedule and notifications).

`LaunchPlan.get_or_create(wf, name, default_inputs=..., fixed_inputs=...)` returns the one launch plan of
that name (creating it on first use); `LaunchPlan.get_default_launch_plan(ctx, wf)` the one named after the
workflow. Calling a launch plan runs its workflow with the fixed inputs added (locally through the graph
runner); inside a workflow it becomes a node.
"""

from __future__ import annotations

import copy
import importlib
from typing import TYPE_CHECKING, Any, ClassVar

from flyteidl.core.literals_pb2 import LiteralMap
from flyteidl.core.security_pb2 import Identity, SecurityContext
from flyteidl.core.workflow_pb2 import NodeMetadata

from flytelite.core._call import create_task_output, flyte_entity_call_handler, inputs_to_literal_map
from flytelite.core.context_manager import ExecutionState, FlyteContext, FlyteContextManager, FlyteEntities
from flytelite.core.interface import (
    Interface,
    transform_inputs_to_parameters,
    transform_interface_to_typed_interface,
    typed_interface,
)
from flytelite.core.node_creation import create_and_link_node
from flytelite.core.type_engine import TypeEngine
from flytelite.core.workflow import WorkflowBase, run_graph_locally
from flytelite.errors import FlyteAssertion
from flytelite.models._view import view_of

__all__ = ["LaunchPlan", "ReferenceLaunchPlan", "reference_launch_plan"]

_SETTINGS = (
    "schedule",
    "notifications",
    "labels",
    "annotations",
    "raw_output_data_config",
    "max_parallelism",
    "security_context",
    "auth_role",
    "trigger",
    "overwrite_cache",
    "auto_activate",
    "concurrency",
)


def _auth_role_as_security_context(settings: dict[str, Any]) -> dict[str, Any]:
    """Turn a (deprecated) `auth_role` into the `SecurityContext(run_as=Identity(...))` flytekit makes of it.

    Raises:
        ValueError: both `auth_role` and `security_context` are given.
    """
    role = settings.get("auth_role")
    if not role:
        return settings
    if settings.get("security_context"):
        raise ValueError("Use of AuthRole is deprecated. You cannot specify both AuthRole and SecurityContext")
    run_as = Identity(
        iam_role=getattr(role, "assumable_iam_role", None),
        k8s_service_account=getattr(role, "kubernetes_service_account", None),
    )
    return {**settings, "security_context": SecurityContext(run_as=run_as)}


class LaunchPlan:
    """A workflow with default and fixed inputs, under a name.

    Args:
        name: the launch plan name.
        workflow: the workflow it launches.
        parameters: the flyteidl `ParameterMap` of the inputs a caller may give (with defaults).
        fixed_inputs: a `LiteralMap` of inputs a caller may not change.
        **settings: schedule, notifications, labels, annotations, raw_output_data_config, max_parallelism,
            security_context, auth_role, trigger, overwrite_cache, auto_activate, concurrency.
    """

    CACHE: ClassVar[dict[str, LaunchPlan]] = {}
    entity_kind = "launch plan"  # how error messages name it

    def __init__(
        self,
        name: str,
        workflow: WorkflowBase,
        parameters: Any,
        fixed_inputs: LiteralMap,
        python_interface: Interface,
        **settings: Any,
    ) -> None:
        unknown = set(settings) - set(_SETTINGS)
        if unknown:
            raise TypeError(f"Unexpected launch plan arguments: {sorted(unknown)}")
        self._name = name
        self._workflow = workflow
        self._parameters = parameters
        self._fixed_inputs = fixed_inputs
        self._python_interface = python_interface
        self._interface: Any = transform_interface_to_typed_interface(python_interface)
        self._settings = {k: settings.get(k) for k in _SETTINGS}
        self._saved_inputs: dict[str, Any] = {}
        FlyteEntities.entities.append(self)

    # --- construction -----------------------------------------------------------------------------
    @classmethod
    def get_default_launch_plan(cls, ctx: FlyteContext, workflow: WorkflowBase) -> LaunchPlan:
        """Return the launch plan named after `workflow`, with its own defaults and no fixed inputs."""
        if workflow.name in cls.CACHE:
            return cls.CACHE[workflow.name]
        lp = cls.create(workflow.name, workflow)
        defaults = workflow.python_interface.inputs_with_defaults
        lp._saved_inputs = {k: d for k, (_, d) in defaults.items() if d is not None}
        cls.CACHE[workflow.name] = lp
        return lp

    @classmethod
    def create(
        cls,
        name: str,
        workflow: WorkflowBase,
        default_inputs: dict[str, Any] | None = None,
        fixed_inputs: dict[str, Any] | None = None,
        **settings: Any,
    ) -> LaunchPlan:
        """Build a launch plan (not cached; prefer `get_or_create`)."""
        ctx = FlyteContextManager.current_context()
        default_inputs = dict(default_inputs or {})
        fixed_inputs = dict(fixed_inputs or {})
        wf_inputs = workflow.python_interface.inputs_with_defaults
        for k in (*default_inputs, *fixed_inputs):
            if k not in wf_inputs:
                raise FlyteAssertion(f"launch plan '{name}': workflow '{workflow.name}' has no input '{k}'")
        variables = typed_interface(workflow).inputs.variables
        fixed = LiteralMap(
            literals={
                k: TypeEngine.to_literal(ctx, v, wf_inputs[k][0], variables[k].type) for k, v in fixed_inputs.items()
            }
        )
        inputs = {
            k: (t, default_inputs.get(k, default)) for k, (t, default) in wf_inputs.items() if k not in fixed_inputs
        }
        interface = Interface(
            inputs=inputs,
            outputs=workflow.python_interface.outputs,
            output_tuple_name=workflow.python_interface.output_tuple_name,
        )
        parameters = transform_inputs_to_parameters(ctx, interface)
        lp = cls(name, workflow, parameters, fixed, interface, **_auth_role_as_security_context(settings))
        lp._saved_inputs = default_inputs
        return lp

    @classmethod
    def get_or_create(
        cls,
        workflow: WorkflowBase,
        name: str | None = None,
        default_inputs: dict[str, Any] | None = None,
        fixed_inputs: dict[str, Any] | None = None,
        **settings: Any,
    ) -> LaunchPlan:
        """Return the launch plan `name` (the workflow's default one when `name` is None), creating it once.

        Raises:
            FlyteAssertion: a launch plan of that name exists with other settings.
        """
        if name is None:
            if default_inputs or fixed_inputs or any(v is not None for v in settings.values()):
                raise FlyteAssertion("Only named launch plans can have default inputs, fixed inputs or settings")
            return cls.get_default_launch_plan(FlyteContextManager.current_context(), workflow)
        lp = cls.create(name, workflow, default_inputs, fixed_inputs, **settings)
        cached = cls.CACHE.get(name)
        if cached is not None:
            if (
                cached.workflow is not workflow
                or cached._parameters != lp._parameters
                or cached._fixed_inputs != lp._fixed_inputs
            ):
                FlyteEntities.entities.remove(lp)
                raise FlyteAssertion(f"launch plan '{name}' already exists with other settings")
            FlyteEntities.entities.remove(lp)
            return cached
        cls.CACHE[name] = lp
        return lp

    # --- properties -------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """Return the launch plan name."""
        return self._name

    @property
    def workflow(self) -> WorkflowBase:
        """Return the launched workflow."""
        return self._workflow

    @property
    def parameters(self) -> Any:
        """Return the flyteidl `ParameterMap` of the callable inputs."""
        return self._parameters

    @property
    def fixed_inputs(self) -> LiteralMap:
        """Return the fixed inputs as literals."""
        return self._fixed_inputs

    @property
    def saved_inputs(self) -> dict[str, Any]:
        """Return a copy of the default inputs a call starts from (`default_inputs`, or the workflow's defaults)."""
        return dict(self._saved_inputs)

    @property
    def python_interface(self) -> Interface:
        """Return the native interface callers see (fixed inputs removed, defaults applied)."""
        return self._python_interface

    @property
    def interface(self) -> Any:
        """Return the typed interface callers see, as flytekit's `models.interface.TypedInterface` (a view)."""
        return view_of(self._interface)

    def __getattr__(self, item: str) -> Any:
        settings = self.__dict__.get("_settings")
        if settings is not None and item in settings:
            return settings[item]
        raise AttributeError(item)

    # --- calls ------------------------------------------------------------------------------------
    def construct_node_metadata(self) -> NodeMetadata:
        """Return the metadata of a node calling this launch plan: its workflow's (as flytekit does)."""
        return self._workflow.construct_node_metadata()

    def get_input_types(self) -> dict[str, Any]:
        """Return `{name: type}` of the inputs."""
        return dict(self._python_interface.inputs)

    def local_execution_mode(self) -> ExecutionState.Mode:
        """Return the mode a local run uses (the workflow's)."""
        return ExecutionState.Mode.LOCAL_WORKFLOW_EXECUTION

    def compile(self, ctx: FlyteContext, *args: Any, **kwargs: Any) -> Any:
        """Add a node calling this launch plan to the workflow being compiled.

        As in flytekit, the saved inputs are bound like given ones, so a list or dict among them is a value of the
        launch plan, not a mutable default argument (it is bound as a copy).
        """
        for k, v in self._saved_inputs.items():
            if kwargs.setdefault(k, v) is v and isinstance(v, list | dict | set):
                kwargs[k] = copy.deepcopy(v)
        return create_and_link_node(ctx, entity=self, **kwargs)

    def complete_inputs(self, ctx: FlyteContext, inputs: LiteralMap) -> LiteralMap:
        """Return `inputs` plus the fixed inputs and the defaults of inputs not given."""
        del ctx
        out = LiteralMap()
        for k, p in self._parameters.parameters.items():
            if k not in inputs.literals and p.HasField("default"):
                out.literals[k].CopyFrom(p.default)
        for k, v in inputs.literals.items():
            out.literals[k].CopyFrom(v)
        for k, v in self._fixed_inputs.literals.items():
            out.literals[k].CopyFrom(v)
        return out

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any:
        """Run the workflow with the fixed inputs added; return the outputs holder."""
        given = inputs_to_literal_map(ctx, self, kwargs)
        outputs = run_graph_locally(self._workflow.graph, ctx, self.complete_inputs(ctx, given))
        return create_task_output(self, outputs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return flyte_entity_call_handler(self, *args, **kwargs)

    def __repr__(self) -> str:
        return f"LaunchPlan({self._name} -> {self._workflow.name})"


# flytekit's path of `ReferenceLaunchPlan` / `reference_launch_plan`; their home is `reference_entity`, loaded on first
# access so that running or serializing a workflow does not load the reference machinery.
def __getattr__(name: str) -> Any:
    if name not in ("ReferenceLaunchPlan", "reference_launch_plan"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("flytelite.core.reference_entity"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from flytelite.core.reference_entity import ReferenceLaunchPlan, reference_launch_plan
