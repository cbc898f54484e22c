"""@dynamic, map_task and launch plans."""

from __future__ import annotations

import functools
import typing

import pytest
from flyteidl.core.workflow_pb2 import ArrayNode

import flytelite.exec
from flytelite.core.array_node_map_task import ArrayNodeMapTask
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.map_task import map_task
from flytelite.errors import FlyteAssertion
from flytelite.exec import NodeEvent, use_executor
from tests.exec import wf_module as m


def test_dynamic_subgraph_runs_through_the_runner_with_d_prefixed_ids() -> None:
    events: list[NodeEvent] = []
    with use_executor("threads", observer=events.append):
        assert m.dynamic_wf(n=3) == [0, 2, 4]
    ids = {e.node_id for e in events}
    assert {"n0", "dn0", "dn1", "dn2"} <= ids


def test_dynamic_called_directly_runs_locally() -> None:
    assert m.dyn_squares(n=2) == [0, 2]


def test_dynamic_at_flytekits_module_path_builds_a_dynamic_task() -> None:
    from flytelite.core.dynamic_workflow_task import dynamic

    @dynamic
    def twice(n: int) -> typing.List[int]:
        return [m.double(a=i) for i in range(n)]

    assert twice(n=3) == [0, 2, 4]
    assert twice.execution_mode == twice.ExecutionBehavior.DYNAMIC


def test_map_task_name_interface_and_mode() -> None:
    mt = map_task(m.add, min_success_ratio=0.5)
    assert isinstance(mt, ArrayNodeMapTask)
    assert mt.name.startswith("tests.exec.wf_module.map_add_") and mt.name.endswith("-arraynode")
    assert mt.python_interface.inputs["a"] == typing.List[int] or mt.python_interface.inputs["a"] == list[int]
    (item_type,) = typing.get_args(mt.python_interface.outputs["o0"])
    assert set(typing.get_args(item_type)) == {int, type(None)}
    assert mt.execution_mode == ArrayNode.MINIMAL_STATE
    bound = map_task(functools.partial(m.add, b=1))
    assert bound.bound_inputs == {"b"} and bound.python_interface.inputs["b"] is int


def test_map_task_rejects_dynamic_and_multi_output_tasks() -> None:
    with pytest.raises(ValueError, match="default execution mode"):
        map_task(m.dyn_squares)
    with pytest.raises(ValueError, match="single output"):
        map_task(m.stats)


@pytest.mark.parametrize("executor", ["serial", "threads"])
def test_map_results_and_failures(executor: str) -> None:
    with use_executor(executor):
        assert m.map_wf(xs=[0, 5]) == [10, 15]
        assert m.map_ratio_wf(xs=[3, 1]) == [None, 100]
        with pytest.raises(ValueError, match="three"):
            m.map_strict_wf(xs=[1, 3])


def test_map_task_called_directly() -> None:
    assert map_task(m.inc)(a=[1, 2]) == [2, 3]


def test_launch_plans_default_and_fixed_inputs() -> None:
    assert LaunchPlan.get_default_launch_plan(None, m.sub_wf) is m.lp_default  # type: ignore[arg-type]
    assert m.lp_fixed.name == "tests.exec.wf_module.lp_fixed"
    params = m.lp_fixed.parameters.parameters
    assert set(params) == {"a"} and not params["a"].required and params["a"].default.scalar.primitive.integer == 4
    assert m.lp_fixed.fixed_inputs.literals["b"].scalar.primitive.integer == 100
    assert m.lp_fixed() == 108 and m.lp_fixed(a=1) == 102
    assert m.lp_default(a=1) == 4
    assert m.lp_wf(a=1) == (4, 108)


def test_launch_plan_names_are_unique() -> None:
    again = LaunchPlan.get_or_create(
        m.sub_wf, "tests.exec.wf_module.lp_fixed", default_inputs={"a": 4}, fixed_inputs={"b": 100}
    )
    assert again is m.lp_fixed
    with pytest.raises(FlyteAssertion, match="already exists"):
        LaunchPlan.get_or_create(m.sub_wf, "tests.exec.wf_module.lp_fixed", fixed_inputs={"b": 1})
    assert flytelite.exec.current_runner() is not None


def test_a_launch_plan_with_list_defaults_runs_inside_a_workflow() -> None:
    # flytesnacks' advanced_composition/subworkflow.py: the saved inputs are bound like given ones, not rejected as
    # mutable default arguments
    from flytelite import LaunchPlan, task, workflow

    @task
    def total(x: list[int]) -> int:
        return sum(x)

    @workflow
    def summed(val: int = 5, x: list[int] = [-3, 0, 3]) -> int:  # noqa: B006 - the pattern users write
        return total(x=x)

    named = LaunchPlan.get_or_create(summed, "summed_lp_list_defaults", default_inputs={"val": 7, "x": [1, 2, 3]})
    default = LaunchPlan.get_or_create(summed)

    @workflow
    def outer() -> tuple[int, int]:
        return named(), default()

    assert outer() == (6, 0)
    assert named.saved_inputs == {"val": 7, "x": [1, 2, 3]}
