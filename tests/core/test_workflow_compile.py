"""Workflow compilation: graphs, bindings, errors at compile time, imperative workflows, failure handlers."""

from __future__ import annotations

import typing

import pytest

import flytelite.exec  # noqa: F401  # registers the graph runner
from flytelite.core.task import task
from flytelite.core.workflow import ImperativeWorkflow, PythonFunctionWorkflow, WorkflowFailurePolicy, workflow
from flytelite.errors import FlyteAssertion, FlyteTypeException, FlyteValidationException
from tests.exec import wf_module as m


@task
def to_str(a: int) -> str:
    return str(a)


@task
def needs_int(a: int) -> int:
    return a


@task
def with_list_default(a: int, xs: typing.List[int] = [1]) -> int:  # noqa: B006 - the rejected pattern
    return a + len(xs)


def test_body_runs_once_and_calls_walk_the_graph() -> None:
    calls = []

    def body(a: int) -> int:
        calls.append(a)
        return m.inc(a=a)

    body.__module__ = __name__
    wf = PythonFunctionWorkflow(body)
    assert wf(a=1) == 2 and wf(a=5) == 6
    assert len(calls) == 1


def test_bindings_are_sorted_and_defaults_filled() -> None:
    node = m.fan_out.nodes[1]
    assert [b.var for b in m.fan_out.nodes[2].bindings] == ["a", "b"]
    concat_node = m.fan_out.nodes[3]
    assert concat_node.bindings[1].var == "prefix"
    assert concat_node.bindings[1].binding.scalar.primitive.string_value == "v"
    assert node.bindings[0].binding.promise.node_id == ""


def test_attribute_access_becomes_attr_path() -> None:
    read_inner = m.dataclasses_wf.nodes[2]
    ref = read_inner.bindings[0].binding.promise
    assert (ref.node_id, ref.var, [a.string_value for a in ref.attr_path]) == ("n0", "o0", ["inner"])


def test_wrong_type_between_tasks_is_reported_at_compile_time() -> None:
    with pytest.raises(FlyteTypeException) as info:

        @workflow
        def bad(a: int) -> int:
            return needs_int(a=to_str(a=a))

        bad.compile()
    msg = str(info.value)
    assert "test_workflow_compile.bad', node 'n1'" in msg
    assert "node 'n1'" in msg and "input 'a'" in msg and "string" in msg and "integer" in msg
    assert "test_workflow_compile.py:" in msg


def test_unbound_input_and_mutable_default_are_rejected() -> None:
    def missing(a: int) -> int:
        return m.add(a=a)

    missing.__module__ = __name__
    with pytest.raises(Exception, match="'b'"):
        PythonFunctionWorkflow(missing).compile()

    def mutable(a: int) -> int:
        return with_list_default(a=a)

    mutable.__module__ = __name__
    with pytest.raises(FlyteAssertion, match="mutable default"):
        PythonFunctionWorkflow(mutable).compile()


def test_promise_in_python_if_or_loop_fails_with_workflow_name() -> None:
    def uses_if(a: int) -> int:
        x = m.inc(a=a)
        if x:
            return x
        return x

    uses_if.__module__ = __name__
    with pytest.raises(FlyteValidationException, match=r"truth value in workflow '.*uses_if'.*node 'n0'"):
        PythonFunctionWorkflow(uses_if).compile()

    def loops(a: int) -> int:
        for v in m.inc(a=a):
            return typing.cast(int, v)
        return 0

    loops.__module__ = __name__
    with pytest.raises(FlyteValidationException, match="cannot be iterated"):
        PythonFunctionWorkflow(loops).compile()


def test_outputs_single_tuple_namedtuple_and_none() -> None:
    assert m.chain(a=0) == 4
    assert tuple(m.fan_out(a=0)) == (1, "v1", 0)
    assert m.named_outputs(a=1) == (6, "n=3") and type(m.named_outputs(a=1)).__name__ == "Stats"
    assert m.no_outputs_wf(a=1) is None


def test_overrides_change_node_id_and_metadata() -> None:
    first, second = m.overrides_wf.nodes
    assert first.id == "first-inc" and first.metadata.name == "renamed"
    assert first.metadata.retries.retries == 2 and first.metadata.timeout.seconds == 30
    assert second.bindings[0].binding.promise.node_id == "first-inc"
    assert second.metadata.interruptible is True


def test_imperative_workflow() -> None:
    wf = ImperativeWorkflow(name="my.imperative")
    a = wf.add_workflow_input("a", int)
    n1 = wf.add_entity(m.inc, a=a)
    n2 = wf.add_entity(m.add, a=n1.outputs["o0"], b=a)
    wf.add_workflow_output("out", n2.outputs["o0"])
    assert wf(a=3) == 7
    assert [n.id for n in wf.nodes] == ["n0", "n1"]


FAILURES: list[int] = []


@task
def on_fail(a: int, err: str | None = None) -> None:
    FAILURES.append(a)


@task
def boom(a: int) -> int:
    if a >= 0 or a < 0:
        raise RuntimeError("boom")
    return a


def test_failure_handler_runs_with_inputs_then_error_is_raised() -> None:
    @workflow(on_failure=on_fail, failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    def failing(a: int) -> int:
        return boom(a=a)

    FAILURES.clear()
    with pytest.raises(RuntimeError, match="boom"):
        failing(a=9)
    assert FAILURES == [9]
    assert failing.failure_node is not None and failing.failure_node.id == "fn0"
    assert failing.workflow_metadata.to_flyte_model().on_failure == 1


def test_task_declared_in_body_uses_the_workflow_as_resolver() -> None:
    def body(a: int) -> int:
        @task
        def inner(a: int) -> int:
            return a * 3

        return inner(a=a)

    body.__module__ = __name__
    wf = PythonFunctionWorkflow(body)
    assert wf(a=2) == 6
    inner_task = wf.nodes[0].flyte_entity
    assert inner_task.task_resolver is wf
    assert inner_task.name.startswith(f"{wf.name}.")
    assert wf.load_task(wf.loader_args(None, inner_task)) is inner_task
