"""Faults `flytelite-execute` must outlive: bad `inputs.pb` contents, and a pod killed while it writes its results.

Every failure is reported as Flyte reads it: an `error.pb` with origin SYSTEM that names what was wrong, and never an
`outputs.pb` (in particular not one whose offloaded literals are missing).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from flyteidl.core.errors_pb2 import ContainerError
from flyteidl.core.execution_pb2 import ExecutionError

from tests.entrypoint.conftest import DEFAULT_RESOLVER, ROOT, Pod, int_lit, task_args

FAULT_TASKS = ["task-module", "tests.entrypoint.fault_tasks", "task-name"]


def _system_error(pod: Pod) -> ContainerError:
    assert pod.files() == ["error.pb"]  # no outputs.pb
    err = pod.error()
    assert (err.code, err.origin, err.kind) == ("SYSTEM", ExecutionError.SYSTEM, ContainerError.NON_RECOVERABLE)
    return err


def test_a_missing_input_is_a_system_error_naming_it_and_the_task_does_not_run(pod: Pod) -> None:
    pod.write_inputs()
    proc = pod.run("flytelite-execute", task_args("inc"))
    assert proc.returncode == 0, proc.stderr
    err = _system_error(pod)
    assert "do not match task 'tests.entrypoint.ep_tasks.inc': no value for input 'a'" in err.message
    assert "inc() missing" not in err.message  # the user's function was not called


def test_an_extra_input_is_a_system_error_naming_it(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1), zz=int_lit(2))
    pod.run("flytelite-execute", task_args("inc"))
    err = _system_error(pod)
    assert "undeclared input 'zz'" in err.message and "declared inputs: a" in err.message


def test_missing_and_extra_inputs_are_named_together(pod: Pod) -> None:
    pod.write_inputs(b=int_lit(1), zz=int_lit(2))
    pod.run("flytelite-execute", [*FAULT_TASKS, "with_default"])
    err = _system_error(pod)
    assert "no value for input 'a' and undeclared input 'zz' (declared inputs: a, b)" in err.message


def test_an_input_with_a_default_may_be_absent(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1))
    proc = pod.run("flytelite-execute", [*FAULT_TASKS, "with_default"])
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["outputs.pb"]
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 6


def test_an_optional_input_may_be_absent(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1))
    proc = pod.run("flytelite-execute", [*FAULT_TASKS, "with_optional"])
    assert proc.returncode == 0, proc.stderr
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 1


def test_a_map_item_with_a_missing_input_is_a_system_error(pod: Pod) -> None:
    pod.write_inputs()
    resolver = "flytelite.core.array_node_map_task.ArrayNodeMapTaskResolver"
    args = ["vars", "", "resolver", DEFAULT_RESOLVER, *task_args("square")]
    pod.run("flytelite-map-execute", args, resolver=resolver)
    assert "no value for input 'x'" in _system_error(pod).message


# A pod whose result file is written while the process is killed (kill -9): the copy into the output prefix dies
# half-way through `outputs.pb`.
_KILLED_WHILE_COPYING = textwrap.dedent(
    """
    import os, signal, sys
    import flytelite.bin.entrypoint as ep

    real_copy_file = ep._copy_file

    def dying_copy_file(src, dst):
        if os.path.basename(src) == "outputs.pb":
            with open(src, "rb") as f, open(dst, "wb") as out:
                out.write(f.read()[:3])
                out.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return real_copy_file(src, dst)

    ep._copy_file = dying_copy_file
    ep.execute_task_cmd(sys.argv[1:])
    """
)


def test_a_pod_killed_while_writing_outputs_leaves_no_outputs_file(pod: Pod) -> None:
    pod.write_inputs(n=int_lit(64))
    cmd = [
        sys.executable, "-c", _KILLED_WHILE_COPYING, "--inputs", str(pod.inputs), "--output-prefix", str(pod.out),
        "--resolver", DEFAULT_RESOLVER, "--", *task_args("big"),
    ]  # fmt: skip
    env = {**os.environ, "_F_L_MIN_SIZE_MB": "0"}  # offload o0: two files to write, outputs.pb must come last
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    visible = [f for f in pod.files() if not f.startswith(".")]
    assert visible == ["o0_offloaded_metadata.pb"]  # the literal it refers to first, and no half outputs.pb
