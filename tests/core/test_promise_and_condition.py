"""Promises, expressions, node ids and conditionals as compiled graphs."""

from __future__ import annotations

import dataclasses

import pytest
from flyteidl.core.condition_pb2 import ComparisonExpression as ComparisonProto

import flytelite.exec  # noqa: F401  # registers the graph runner
from flytelite.core.condition import BranchNode, conditional
from flytelite.core.node import dnsify
from flytelite.core.promise import ComparisonExpression, ConjunctionExpression, VoidPromise
from flytelite.errors import FlyteValidationException
from tests.exec import wf_module as m


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("n0", "n0"), ("first_inc", "first-inc"), ("_x.Y", "x-y"), ("MyNode", "my-node"), ("a" * 70, None)],
)
def test_dnsify_matches_flytekit_rules(raw: str, expected: str | None) -> None:
    out = dnsify(raw)
    if expected is None:
        assert len(out) <= 63 and out.endswith("a" * 10)
    else:
        assert out == expected


def test_branch_node_binds_condition_vars_as_node_dot_var() -> None:
    branch_node = m.cond_on_output.nodes[1]
    entity = branch_node.flyte_entity
    assert isinstance(entity, BranchNode) and entity.name == "on_x"
    assert [b.var for b in branch_node.bindings] == ["n0.o0"]
    first = entity.cases[0].condition
    assert first is not None and first.comparison.operator == ComparisonProto.EQ
    assert first.comparison.left_value.var == "n0.o0"
    assert first.comparison.right_value.primitive.integer == 5
    assert [c.then_node.id for c in entity.cases if c.then_node] == ["n0", "n1"]


def test_workflow_input_condition_var_has_empty_node_id() -> None:
    branch_node = m.cond_wf.nodes[0]
    assert [b.var for b in branch_node.bindings] == [".a"]
    conj = branch_node.flyte_entity.cases[1].condition
    assert conj is not None and conj.HasField("conjunction")


def test_comparisons_and_conjunctions_build_expressions() -> None:
    captured = {}

    @m.workflow
    def wf(a: int) -> int:
        x = m.inc(a=a)
        captured["cmp"] = x >= 3
        captured["conj"] = (x > 1) & (x < 9) | x.is_none()
        captured["void"] = m.noop()
        return x

    wf.compile()
    assert isinstance(captured["cmp"], ComparisonExpression)
    assert isinstance(captured["conj"], ConjunctionExpression)
    with pytest.raises(FlyteValidationException):
        bool(captured["cmp"])
    void = captured["void"]
    assert isinstance(void, VoidPromise)
    with pytest.raises(FlyteValidationException, match="returns nothing"):
        _ = void == 1


def test_conditional_outside_a_workflow_fails() -> None:
    with pytest.raises(FlyteValidationException, match="inside a workflow"):
        conditional("x")


@pytest.mark.parametrize(("a", "expected"), [(-1, 0), (3, 6), (10, 1010)])
def test_conditional_chooses_one_case(a: int, expected: int) -> None:
    assert m.cond_wf(a=a) == expected


def test_failing_case_raises_its_message() -> None:
    with pytest.raises(Exception, match="a must be positive"):
        m.cond_fail_wf(a=0)
    assert m.cond_fail_wf(a=1) == 2


@dataclasses.dataclass
class _Box:
    a: list[int]


def test_promise_repr_is_flytekits(capsys: pytest.CaptureFixture[str]) -> None:
    # flytesnacks' lp_schedules prints a promise in a workflow body; the text must be flytekit's
    # (node id "" for a workflow input, the attribute path as a list).
    from flytelite import task, workflow

    @task
    def boxed(x: int) -> _Box:
        return _Box(a=[x])

    @workflow
    def show(x: int) -> None:
        b = boxed(x=x)
        print(repr(x), b, b.a[0], sep="|")

    show(x=1)  # compiles (prints the promises); flytelite never runs the body again with values
    assert capsys.readouterr().out == "Promise(node:.x.[])|Promise(node:n0.o0.[])|Promise(node:n0.o0.['a', 0])\n"
