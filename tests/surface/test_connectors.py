"""Connectors (`flytelite.extend.backend`): the registry, the metadata and resource types, and local runs through
`AsyncConnectorExecutorMixin` / `SyncConnectorExecutorMixin`, as flytekit's plugins (BigQuery, OpenAI, ...) use them."""

from __future__ import annotations

import asyncio
import dataclasses
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from flyteidl.core.execution_pb2 import TaskExecution, TaskLog
from flyteidl.core.literals_pb2 import LiteralMap

import flytelite
import flytelite.exec  # registers the graph runner
from flytelite.core.base_task import PythonTask
from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.interface import Interface
from flytelite.core.type_engine import TypeEngine
from flytelite.core.utils import write_proto_to_file
from flytelite.errors import FlyteUserException
from flytelite.exceptions.system import FlyteConnectorNotFound
from flytelite.extend.backend import base_agent, utils
from flytelite.extend.backend.base_connector import (
    AsyncConnectorBase,
    AsyncConnectorExecutorMixin,
    ConnectorRegistry,
    Resource,
    ResourceMeta,
    SyncConnectorBase,
    SyncConnectorExecutorMixin,
    TaskCategory,
)


@dataclasses.dataclass
class Where:
    region: str


@dataclasses.dataclass
class JobMeta(ResourceMeta):
    job_id: str
    n: int
    where: Where | None = None


@dataclasses.dataclass
class Journal:
    created: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    polls: int = 0
    deleted: list[str] = dataclasses.field(default_factory=list)
    final: int = TaskExecution.SUCCEEDED
    write_outputs_file: bool = False


JOURNAL = Journal()


class DoublingConnector(AsyncConnectorBase):
    name = "Doubling Connector"

    def __init__(self) -> None:
        super().__init__(task_type_name="test_doubling_job", metadata_type=JobMeta)

    def create(self, task_template: Any, output_prefix: str, inputs: Any = None, **kwargs: Any) -> JobMeta:
        ctx = FlyteContextManager.current_context()
        x = TypeEngine.literal_map_to_kwargs(ctx, inputs, {"x": int})["x"]
        JOURNAL.created.append({"custom": task_template.custom, "type": task_template.type, "prefix": output_prefix})
        return JobMeta(job_id=f"job-{x}", n=x)

    async def get(self, resource_meta: JobMeta, **kwargs: Any) -> Resource:  # type: ignore[override]
        JOURNAL.polls += 1
        if JOURNAL.polls < 3:
            return Resource(phase=TaskExecution.RUNNING, log_links=[TaskLog(name="console", uri="http://x/1")])
        if JOURNAL.final != TaskExecution.SUCCEEDED:
            return Resource(phase=JOURNAL.final, message="quota exceeded")
        if JOURNAL.write_outputs_file:
            ctx = FlyteContextManager.current_context()
            lm = TypeEngine.dict_to_literal_map(ctx, {"o0": resource_meta.n * 10}, {"o0": int})
            local = ctx.file_access.get_random_local_path()
            write_proto_to_file(lm, local)
            ctx.file_access.put_data(local, f"{JOURNAL.created[-1]['prefix']}/outputs.pb")
            return Resource(phase=TaskExecution.SUCCEEDED)
        return Resource(phase=TaskExecution.SUCCEEDED, outputs={"o0": resource_meta.n * 2})

    def delete(self, resource_meta: JobMeta, **kwargs: Any) -> None:
        JOURNAL.deleted.append(resource_meta.job_id)


class GreetingConnector(SyncConnectorBase):
    name = "Greeting Connector"

    def __init__(self) -> None:
        super().__init__(task_type_name="test_greeting")

    def do(self, task_template: Any, output_prefix: str, inputs: Any = None, **kwargs: Any) -> Resource:
        ctx = FlyteContextManager.current_context()
        who = TypeEngine.literal_map_to_kwargs(ctx, inputs, {"who": str})["who"]
        return Resource(phase=TaskExecution.SUCCEEDED, outputs={"o0": f"hello {who}"})


ConnectorRegistry.register(DoublingConnector(), override=True)
ConnectorRegistry.register(GreetingConnector(), override=True)


class DoublingTask(AsyncConnectorExecutorMixin, PythonTask):  # type: ignore[misc]
    poll_interval = 0.0

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(
            task_type="test_doubling_job",
            name=name,
            task_config=None,
            interface=Interface(inputs={"x": int}, outputs={"o0": int}),
            **kwargs,
        )

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"dataset": "analytics"}


class GreetingTask(SyncConnectorExecutorMixin, PythonTask):  # type: ignore[misc]
    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(
            task_type="test_greeting",
            name=name,
            task_config=None,
            interface=Interface(inputs={"who": str}, outputs={"o0": str}),
            **kwargs,
        )


double = DoublingTask(name="connector.double")
greet = GreetingTask(name="connector.greet")


@flytelite.workflow
def wf(x: int) -> typing.Tuple[int, str]:  # flytekit users' spelling
    return double(x=x), greet(who="flyte")


@pytest.fixture(autouse=True)
def fresh_journal() -> Iterator[None]:
    global JOURNAL
    JOURNAL = Journal()
    yield


def test_async_connector_runs_a_task_locally() -> None:
    assert double(x=4) == 8
    assert JOURNAL.polls == 3
    assert JOURNAL.created[0]["custom"] == {"dataset": "analytics"}
    assert JOURNAL.created[0]["type"] == "test_doubling_job"


def test_sync_connector_and_workflow() -> None:
    assert greet(who="you") == "hello you"
    assert tuple(wf(x=5)) == (10, "hello flyte")


def test_async_connector_outputs_file_is_read() -> None:
    JOURNAL.write_outputs_file = True
    assert double(x=3) == 30


def test_failed_job_raises_a_user_error() -> None:
    JOURNAL.final = TaskExecution.FAILED
    with pytest.raises(
        FlyteUserException, match=r"Failed to run the task connector\.double with error: quota exceeded"
    ):
        double(x=1)


def test_registry() -> None:
    connector = ConnectorRegistry.get_connector("test_doubling_job")
    assert isinstance(connector, DoublingConnector)
    assert ConnectorRegistry.get_agent("test_greeting").name == "Greeting Connector"
    with pytest.raises(ValueError, match="Duplicate connector for task type: test_greeting_v0"):
        ConnectorRegistry.register(GreetingConnector())
    with pytest.raises(FlyteConnectorNotFound, match="Cannot find connector for task category: nope_v2"):
        ConnectorRegistry.get_connector("nope", 2)
    with pytest.raises(AssertionError):  # flytekit's FlyteConnectorNotFound is an AssertionError
        ConnectorRegistry.get_connector_metadata("nobody")
    meta = ConnectorRegistry.get_connector_metadata("Doubling Connector")
    assert list(meta.supported_task_types) == ["test_doubling_job"] and not meta.is_sync
    assert ConnectorRegistry.get_connector_metadata("Greeting Connector").is_sync
    assert TaskCategory("a", 1) == TaskCategory("a", 1) and str(TaskCategory("a", 1)) == "a_v1"


def test_agent_names_are_the_connector_classes() -> None:
    assert base_agent.AgentRegistry is ConnectorRegistry
    assert base_agent.AsyncAgentBase is AsyncConnectorBase
    assert base_agent.AsyncAgentExecutorMixin is AsyncConnectorExecutorMixin
    assert base_agent.SyncAgentExecutorMixin is SyncConnectorExecutorMixin


def test_resource_meta_and_resource_roundtrip() -> None:
    meta = JobMeta(job_id="j", n=2, where=Where(region="eu"))
    assert JobMeta.decode(meta.encode()) == meta
    ctx = FlyteContextManager.current_context()
    outputs = TypeEngine.dict_to_literal_map(ctx, {"o0": 1}, {"o0": int})
    res = Resource(phase=TaskExecution.SUCCEEDED, message="ok", outputs=outputs, custom_info={"k": "v"})
    pb = asyncio.run(res.to_flyte_idl())
    back = Resource.from_flyte_idl(pb)
    assert back.phase == TaskExecution.SUCCEEDED and back.message == "ok" and back.custom_info == {"k": "v"}
    assert back.outputs.to_flyte_idl() == outputs
    pb = asyncio.run(Resource(phase=TaskExecution.RUNNING, outputs={"n": 3}).to_flyte_idl())
    assert pb.outputs.literals["n"].scalar.primitive.integer == 3


def test_utils() -> None:
    assert utils.convert_to_flyte_phase("Done") == TaskExecution.SUCCEEDED
    assert utils.convert_to_flyte_phase("pending") == TaskExecution.INITIALIZING
    assert utils.convert_to_flyte_phase("internal_error") == TaskExecution.RETRYABLE_FAILED
    with pytest.raises(ValueError, match="Unrecognized state: weird"):
        utils.convert_to_flyte_phase("weird")
    assert utils.is_terminal_phase(TaskExecution.FAILED) and not utils.is_terminal_phase(TaskExecution.RUNNING)

    from flyteidl.core.tasks_pb2 import Container, TaskTemplate

    tt = TaskTemplate(container=Container(args=["--inputs", "{{.input}}", "--output-prefix", "{{.outputPrefix}}"]))
    assert utils.render_task_template(tt, "s3://b/p") is tt
    assert list(tt.container.args) == ["--inputs", "s3://b/p/inputs.pb", "--output-prefix", "s3://b/p"]

    async def twice(x: int) -> int:
        return 2 * x

    async def both() -> tuple[int, int]:
        return await utils.mirror_async_methods(twice, x=2), await utils.mirror_async_methods(lambda x: x + 1, x=2)

    assert asyncio.run(both()) == (4, 3)
    assert isinstance(LiteralMap(), LiteralMap)
