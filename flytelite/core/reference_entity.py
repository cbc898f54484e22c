"""References to entities already registered on a Flyte cluster: tasks, workflows and launch plans.

```python
@reference_task(project="flytesnacks", domain="development", name="recipes.t1", version="v1")
def t1(a: int) -> str: ...

@reference_launch_plan(project="flytesnacks", domain="development", name="recipes.lp", version="v1")
def lp(a: int) -> str: ...
```
The decorated body is never run: only its signature is used, as the interface of the registered entity. In a
workflow a reference becomes a node that points at the registered entity's id (a task node's `reference_id`, a
workflow node's `launchplan_ref`). References are not packaged. Called locally they fail and say to mock them:
`flytelite.testing.task_mock(t1)` / `patch(t1)` stand in for them in tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from flyteidl.core.identifier_pb2 import Identifier, ResourceType
from flyteidl.core.workflow_pb2 import NodeMetadata

from flytelite.core._call import create_task_output
from flytelite.core.base_task import PythonTask
from flytelite.core.context_manager import FlyteContext
from flytelite.core.interface import Interface, transform_function_to_interface
from flytelite.core.workflow import (
    CompiledGraph,
    WorkflowBase,
    WorkflowMetadata,
    WorkflowMetadataDefaults,
    run_mocked_workflow,
)
from flytelite.errors import FlyteNotMockedException, FlyteValidationException

__all__ = [
    "LaunchPlanReference",
    "Reference",
    "ReferenceEntity",
    "ReferenceLaunchPlan",
    "ReferenceSpec",
    "ReferenceTask",
    "ReferenceTemplate",
    "ReferenceWorkflow",
    "TaskReference",
    "WorkflowReference",
    "get_reference_entity",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
]


@dataclasses.dataclass(frozen=True)
class Reference:
    """Where a registered entity lives: project, domain, name and version."""

    project: str
    domain: str
    name: str
    version: str
    resource_type: ClassVar[int] = ResourceType.UNSPECIFIED

    @property
    def id(self) -> Identifier:
        """Return the entity's flyteidl `Identifier`."""
        return Identifier(
            resource_type=self.resource_type,
            project=self.project,
            domain=self.domain,
            name=self.name,
            version=self.version,
        )


@dataclasses.dataclass(frozen=True)
class TaskReference(Reference):
    """A registered task."""

    resource_type: ClassVar[int] = ResourceType.TASK


@dataclasses.dataclass(frozen=True)
class LaunchPlanReference(Reference):
    """A registered launch plan."""

    resource_type: ClassVar[int] = ResourceType.LAUNCH_PLAN


@dataclasses.dataclass(frozen=True)
class WorkflowReference(Reference):
    """A registered workflow."""

    resource_type: ClassVar[int] = ResourceType.WORKFLOW


@dataclasses.dataclass(frozen=True)
class ReferenceTemplate:
    """What a reference serializes to: the entity's id and kind."""

    id: Identifier
    resource_type: int


@dataclasses.dataclass(frozen=True)
class ReferenceSpec:
    """The serialized form of a reference (never packaged: the entity is registered already)."""

    template: ReferenceTemplate


class ReferenceEntity:
    """What every reference has: the `Reference` it points to, and a local run that asks to be mocked.

    Attributes:
        reference: where the registered entity lives.
    """

    reference: Reference

    @property
    def id(self) -> Identifier:
        """Return the registered entity's `Identifier`."""
        return self.reference.id

    def _cannot_run(self) -> FlyteNotMockedException:
        r = self.reference
        return FlyteNotMockedException(
            f"Remote reference entities cannot be run locally. You must mock this out: '{r.name}' "
            f"({r.project}/{r.domain}, version {r.version}) is a reference to a registered entity; in tests use "
            f"flytelite.testing.task_mock(...) or patch(...) to give it a result"
        )

    def construct_node_metadata(self) -> NodeMetadata:
        """Return the metadata of a node calling the reference (its name: the last dotted part)."""
        md = NodeMetadata(name=self.reference.name.rsplit(".", 1)[-1])
        md.retries.SetInParent()  # flytekit always writes an empty retry strategy
        return md


def _split(types: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v[0] if isinstance(v, tuple) else v) for k, v in types.items()}


class ReferenceTask(ReferenceEntity, PythonTask[None]):
    """A registered task, called with `inputs` and returning `outputs` (`{name: type}`)."""

    def __init__(
        self, project: str, domain: str, name: str, version: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any]
    ) -> None:
        self.reference = TaskReference(project, domain, name, version)
        super().__init__(task_type="python-task", name=name, interface=Interface(_split(inputs), dict(outputs)))

    def execute(self, **kwargs: Any) -> Any:
        """Fail: a reference task runs only on the cluster it is registered on (mock it to test)."""
        raise self._cannot_run()


class ReferenceWorkflow(ReferenceEntity, WorkflowBase):
    """A registered workflow, called with `inputs` and returning `outputs` (`{name: type}`)."""

    _REFERENCE_CLASS: ClassVar[type[Reference]] = WorkflowReference

    def __init__(
        self, project: str, domain: str, name: str, version: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any]
    ) -> None:
        self.reference = self._REFERENCE_CLASS(project, domain, name, version)
        super().__init__(
            name=name,
            workflow_metadata=WorkflowMetadata(),
            workflow_metadata_defaults=WorkflowMetadataDefaults(),
            python_interface=Interface(_split(inputs), dict(outputs)),
        )

    def _build_graph(self) -> CompiledGraph:
        raise self._cannot_run()

    def local_execute(self, ctx: FlyteContext, **kwargs: Any) -> Any:
        """Run the mock set by `flytelite.testing`, or fail and say to mock the reference."""
        if "execute" not in vars(self):
            raise self._cannot_run()
        outputs = run_mocked_workflow(self, ctx, self.inputs_to_literals(ctx, kwargs))
        return create_task_output(self, outputs)


class ReferenceLaunchPlan(ReferenceWorkflow):
    """A registered launch plan, called with `inputs` and returning `outputs` (`{name: type}`)."""

    _REFERENCE_CLASS = LaunchPlanReference


def _decorator(
    cls: type[ReferenceTask | ReferenceWorkflow], project: str, domain: str, name: str, version: str
) -> Callable[[Callable[..., Any]], Any]:
    def wrapper(fn: Callable[..., Any]) -> Any:
        interface = transform_function_to_interface(fn, is_reference_entity=True)
        return cls(project, domain, name, version, interface.inputs, interface.outputs)

    return wrapper


def reference_task(project: str, domain: str, name: str, version: str) -> Callable[[Callable[..., Any]], ReferenceTask]:
    """Declare a registered task by its id; the decorated function gives its interface (its body never runs)."""
    return _decorator(ReferenceTask, project, domain, name, version)


def reference_workflow(
    project: str, domain: str, name: str, version: str
) -> Callable[[Callable[..., Any]], ReferenceWorkflow]:
    """Declare a registered workflow by its id; the decorated function gives its interface."""
    return _decorator(ReferenceWorkflow, project, domain, name, version)


def reference_launch_plan(
    project: str, domain: str, name: str, version: str
) -> Callable[[Callable[..., Any]], ReferenceLaunchPlan]:
    """Declare a registered launch plan by its id; the decorated function gives its interface."""
    return _decorator(ReferenceLaunchPlan, project, domain, name, version)


def get_reference_entity(
    resource_type: int,
    project: str,
    domain: str,
    name: str,
    version: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any],
) -> ReferenceTask | ReferenceWorkflow:
    """Return a reference of the given kind (`ResourceType.TASK`, `WORKFLOW` or `LAUNCH_PLAN`).

    Raises:
        FlyteValidationException: another resource type.
    """
    classes: dict[int, type[ReferenceTask | ReferenceWorkflow]] = {
        ResourceType.TASK: ReferenceTask,
        ResourceType.WORKFLOW: ReferenceWorkflow,
        ResourceType.LAUNCH_PLAN: ReferenceLaunchPlan,
    }
    cls = classes.get(resource_type)
    if cls is None:
        raise FlyteValidationException("Resource type must be one of task, workflow, or launch plan")
    return cls(project, domain, name, version, inputs, outputs)
