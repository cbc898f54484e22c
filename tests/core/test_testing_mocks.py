"""flytelite.testing: task_mock and patch replace what a task computes inside a workflow."""

from __future__ import annotations

from typing import Any

import pytest

import flytelite.exec
from flytelite.testing import patch, task_mock
from tests.exec import wf_module as m


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_task_mock_replaces_the_result_in_a_workflow(executor: str) -> None:
    with flytelite.exec.use_executor(executor), task_mock(m.double) as mock:
        mock.return_value = 42
        assert m.chain(a=1) == 42
    mock.assert_called_once_with(a=3)
    assert m.chain(a=1) == 6


@patch(m.inc)
def test_patch_passes_the_mock(mock_inc: Any) -> None:
    mock_inc.side_effect = lambda a: a + 100
    assert m.chain(a=0) == 400


def test_mocking_a_subworkflow() -> None:
    with task_mock(m.sub_wf) as mock:
        mock.return_value = 7
        assert m.parent_wf(a=1) == (7, 7)


def test_only_tasks_and_workflows_can_be_mocked() -> None:
    with pytest.raises(ValueError, match="Can only mock"), task_mock(print):
        pass


def test_process_workers_do_not_keep_a_mock_after_it_ends() -> None:
    # The pool is started while `double` is mocked; once the mock ends, processes must run the real task again.
    with flytelite.exec.use_executor("processes"):
        with task_mock(m.double) as mock:
            mock.return_value = 42
            assert m.chain(a=1) == 42
        assert m.chain(a=1) == 6
