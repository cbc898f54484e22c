"""Gate nodes (sleep, wait_for_input, approve) and reference entities, compiled and run locally."""

from __future__ import annotations

import datetime
import io

import pytest
from flyteidl.core.identifier_pb2 import ResourceType

import flytelite.exec  # noqa: F401  (registers the graph runner)
from flytelite.core.gate import Gate, approve, sleep, wait_for_input
from flytelite.core.reference_entity import (
    ReferenceLaunchPlan,
    ReferenceTask,
    get_reference_entity,
    reference_launch_plan,
    reference_task,
    reference_workflow,
)
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.errors import (
    FlyteAssertion,
    FlyteDisapprovalException,
    FlyteGateInputUnavailable,
    FlyteValidationException,
)
from flytelite.testing import patch, task_mock

HOUR = datetime.timedelta(hours=1)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@task
def double(x: int) -> int:
    return x * 2


@task
def add(a: int, b: int) -> int:
    return a + b


@workflow
def gated(x: int) -> int:
    sleep(datetime.timedelta(minutes=10))
    factor = wait_for_input("factor", timeout=HOUR, expected_type=int)
    y = approve(double(x=x), "check", timeout=HOUR)
    return add(a=y, b=factor)


def test_gates_compile_to_gate_nodes() -> None:
    gates = [n.flyte_entity for n in gated.nodes if isinstance(n.flyte_entity, Gate)]
    kinds = [g.to_gate_node().WhichOneof("condition") for g in gates]
    assert kinds == ["sleep", "signal", "approve"]
    signal = gates[1].to_gate_node().signal
    assert (signal.signal_id, signal.output_variable_name) == ("factor", "o0")
    assert gates[0].to_gate_node().sleep.duration.ToTimedelta() == datetime.timedelta(minutes=10)


def test_gates_run_locally_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("5\ny\n"))
    assert gated(x=3) == 11
    out = capsys.readouterr().out
    assert "Waiting for input @factor" in out
    assert "@check Approve 6? [Y/n]" in out


def test_refused_approval_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("5\nn\n"))
    with pytest.raises(FlyteDisapprovalException, match="check"):
        gated(x=3)


def test_gates_read_piped_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("5\n\n"))  # not a terminal; an empty answer approves
    assert gated(x=3) == 11


def test_gates_fail_clearly_when_input_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("5\n"))
    with pytest.raises(FlyteGateInputUnavailable, match="gate 'check': standard input ended") as info:
        gated(x=3)
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, FlyteAssertion)


def test_gates_fail_clearly_when_input_cannot_be_read() -> None:
    # pytest's captured standard input raises OSError on read; the gate names itself instead of hanging
    with pytest.raises(FlyteAssertion, match="gate 'n' needs an answer on standard input"):
        wait_for_input("n", timeout=HOUR, expected_type=int)


def test_bad_input_is_reported_and_asked_again(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("five\n\n7\n"))
    assert wait_for_input("n", timeout=HOUR, expected_type=int) == 7
    out = capsys.readouterr().out
    assert "Error: 'five' is not a valid int" in out
    assert out.count("Waiting for input @n") == 3
    monkeypatch.setattr("sys.stdin", io.StringIO("five\n"))
    with pytest.raises(FlyteAssertion, match="'five' is not a valid int"):
        wait_for_input("n", timeout=HOUR, expected_type=int)


def test_approval_asks_again_until_yes_or_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("5\nmaybe\nno\n"))
    with pytest.raises(FlyteDisapprovalException, match="check"):
        gated(x=3)


def test_sleep_returns_at_once_outside_a_workflow() -> None:
    assert sleep(datetime.timedelta(days=1)) is None


def test_approve_rejects_workflow_inputs() -> None:
    with pytest.raises(ValueError, match="Workflow inputs cannot be passed"):

        @workflow
        def bad(x: int) -> int:
            return approve(x, "a", timeout=HOUR)  # type: ignore[no-any-return]

        bad.compile()


@reference_task(project="p", domain="d", name="remote.double", version="v1")
def remote_double(x: int) -> int: ...


@reference_launch_plan(project="p", domain="d", name="remote.lp", version="v2")
def remote_lp(x: int) -> int: ...


@workflow
def uses_refs(x: int) -> int:
    return remote_lp(x=remote_double(x=x))  # type: ignore[no-any-return]


def test_references_carry_their_ids() -> None:
    assert isinstance(remote_double, ReferenceTask)
    assert isinstance(remote_lp, ReferenceLaunchPlan)
    assert remote_double.id.resource_type == ResourceType.TASK
    assert (remote_lp.id.resource_type, remote_lp.id.version) == (ResourceType.LAUNCH_PLAN, "v2")

    @reference_workflow(project="p", domain="d", name="remote.wf", version="v3")
    def wf_ref(x: int) -> int: ...

    assert wf_ref.id.resource_type == ResourceType.WORKFLOW


def test_reference_nodes_serialize_as_references() -> None:
    from flytelite.configuration import ImageConfig, SerializationSettings
    from flytelite.tools.translator import get_serializable

    settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"))
    nodes = get_serializable({}, settings, uses_refs).template.nodes
    assert nodes[0].task_node.reference_id == remote_double.id
    assert nodes[1].workflow_node.launchplan_ref == remote_lp.id


def test_references_fail_locally_and_say_to_mock() -> None:
    with pytest.raises(NotImplementedError, match="You must mock this out"):
        remote_double(x=1)
    with pytest.raises(NotImplementedError, match="You must mock this out"):
        uses_refs(x=1)


def test_references_can_be_mocked() -> None:
    with task_mock(remote_double) as m, task_mock(remote_lp) as lp:
        m.return_value = 10
        lp.return_value = 100
        assert uses_refs(x=1) == 100
        m.assert_called_once_with(x=1)
        lp.assert_called_once_with(x=10)


@patch(remote_double)
def test_patch_stands_in_for_a_reference_task(mock_remote: object) -> None:
    mock_remote.return_value = 7  # type: ignore[attr-defined]  # a MagicMock
    assert remote_double(x=1) == 7


def test_get_reference_entity_checks_the_kind() -> None:
    t = get_reference_entity(ResourceType.TASK, "p", "d", "n", "v", inputs={"a": int}, outputs={"o0": int})
    assert isinstance(t, ReferenceTask)
    with pytest.raises(FlyteValidationException, match="Resource type"):
        get_reference_entity(ResourceType.DATASET, "p", "d", "n", "v", inputs={}, outputs={})
