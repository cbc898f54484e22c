"""The top-level `flytelite` names: each one resolves, and the list is pinned."""

import subprocess
import sys

import flytelite


def test_every_public_name_resolves() -> None:
    missing = [n for n in flytelite.__all__ if not hasattr(flytelite, n)]
    assert missing == []


def test_all_lists_exactly_the_lazy_names_plus_the_eager_ones() -> None:
    assert set(flytelite.__all__) == set(flytelite._LAZY) | {"FlyteContext", "FlyteContextManager", "__version__"}
    assert flytelite.__all__ == sorted(flytelite.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        flytelite.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_workflow_class_is_the_imperative_workflow() -> None:
    from flytelite.core.workflow import ImperativeWorkflow

    assert flytelite.Workflow is ImperativeWorkflow


def test_import_alone_does_not_load_the_task_stack() -> None:
    code = "import sys, flytelite; print('flytelite.core.task' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_workflow_runs_in_a_fresh_process_without_importing_the_runner_by_hand() -> None:
    code = (
        "from flytelite import task, workflow\n"
        "@task\ndef t(a: int) -> int:\n    return a + 1\n"
        "@workflow\ndef wf(a: int) -> int:\n    return t(a=t(a=a))\n"
        "print(wf(a=3))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "5"
