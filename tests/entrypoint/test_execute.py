"""`flytelite-execute` end to end: real console scripts in subprocesses, files checked like Flyte reads them."""

from __future__ import annotations

from pathlib import Path

from flyteidl.core.errors_pb2 import ContainerError
from flyteidl.core.execution_pb2 import ExecutionError

from flytelite.bin.entrypoint import normalize_inputs, parse_args
from tests.entrypoint.conftest import Pod, int_lit, task_args


def test_success_writes_only_outputs(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(5))
    proc = pod.run("flytelite-execute", task_args("inc"))
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["outputs.pb"]
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 6


def test_user_error_becomes_error_pb(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(3))
    proc = pod.run("flytelite-execute", task_args("fails"))
    assert proc.returncode == 0
    assert pod.files() == ["error.pb"]
    err = pod.error()
    assert err.code == "USER:RuntimeError"
    assert err.origin == ExecutionError.USER
    assert err.kind == ContainerError.NON_RECOVERABLE
    assert err.message.startswith("Trace:\n\n")
    assert err.message.endswith("Message:\n\n    ValueError: a=3 is not allowed")
    assert "in fails" in err.message
    assert err.timestamp.seconds > 0


def test_recoverable_user_error(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1))
    pod.run("flytelite-execute", task_args("flaky"))
    err = pod.error()
    assert (err.kind, err.origin) == (ContainerError.RECOVERABLE, ExecutionError.USER)


def test_fail_on_error_sets_exit_code(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(3))
    proc = pod.run("flytelite-execute", task_args("fails"), env={"FLYTE_FAIL_ON_ERROR": "true"})
    assert proc.returncode == 1
    assert pod.files() == ["error.pb"]


def test_distributed_error_file_name(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(3))
    pod.run("flytelite-execute", task_args("fails"), env={"_F_DES": "1", "_F_WN": "worker-3"})
    (name,) = pod.files()
    assert name.startswith("error-") and name.endswith(".pb") and len(name) == len("error-.pb") + 32


def test_ignore_outputs_writes_nothing(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1))
    proc = pod.run("flytelite-execute", task_args("ignored"))
    assert proc.returncode == 0
    assert pod.files() == []


def test_missing_inputs(pod: Pod) -> None:
    pod.run("flytelite-execute", task_args("inc"))
    err = pod.error()
    assert err.origin == ExecutionError.SYSTEM and err.code == "SYSTEM"
    assert "could not read the task inputs" in err.message
    assert pod.files() == ["error.pb"]


def test_corrupt_inputs(pod: Pod) -> None:
    pod.inputs.write_bytes(b"\xff\xff not a proto")
    pod.run("flytelite-execute", task_args("inc"))
    err = pod.error()
    assert (err.origin, err.kind) == (ExecutionError.SYSTEM, ContainerError.NON_RECOVERABLE)
    assert "not a serialized flyteidl LiteralMap" in err.message


def test_unknown_resolver(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1))
    pod.run("flytelite-execute", task_args("inc"), resolver="no_such_module.resolver")
    err = pod.error()
    assert err.origin == ExecutionError.USER
    assert "could not load the task resolver 'no_such_module.resolver'" in err.message


def test_task_not_found(pod: Pod) -> None:
    pod.write_inputs(a=int_lit(1))
    pod.run("flytelite-execute", task_args("nope"))
    err = pod.error()
    assert err.origin == ExecutionError.USER and err.code == "USER:RuntimeError"
    assert "could not load the task" in err.message and "nope" in err.message
    assert "outputs.pb" not in pod.files()


def test_inputs_not_matching_interface(pod: Pod) -> None:
    pod.write_inputs(b=int_lit(1))
    pod.run("flytelite-execute", task_args("inc"))
    err = pod.error()
    assert err.origin == ExecutionError.SYSTEM
    assert "'b'" in err.message
    assert pod.files() == ["error.pb"]


def test_offloading_large_outputs(pod: Pod) -> None:
    pod.write_inputs(n=int_lit(2 * 1024 * 1024))
    proc = pod.run("flytelite-execute", task_args("big"), env={"_F_L_MIN_SIZE_MB": "1"})
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["o0_offloaded_metadata.pb", "outputs.pb"]
    meta = pod.outputs().literals["o0"].offloaded_metadata
    assert meta.uri == f"{pod.out}/o0_offloaded_metadata.pb"
    assert meta.size_bytes > 2 * 1024 * 1024
    assert meta.inferred_type.simple == 3  # STRING


def test_dynamic_writes_futures(pod: Pod) -> None:
    pod.write_inputs(n=int_lit(3))
    env = {
        "FLYTE_INTERNAL_IMAGE": "cr.io/img:v1",
        "FLYTE_INTERNAL_EXECUTION_PROJECT": "p",
        "FLYTE_INTERNAL_EXECUTION_DOMAIN": "d",
        "FLYTE_INTERNAL_TASK_VERSION": "v7",
    }
    proc = pod.run("flytelite-execute", task_args("fan"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert pod.files() == ["futures.pb"]
    spec = pod.futures()
    assert [n.id for n in spec.nodes] == ["dn0", "dn1", "dn2"]
    assert spec.min_successes == 3
    (t,) = spec.tasks
    assert (t.id.project, t.id.domain, t.id.name, t.id.version) == ("p", "d", "tests.entrypoint.ep_tasks.square", "v7")
    assert t.container.image == "cr.io/img:v1"
    assert spec.outputs[0].binding.collection.bindings[2].promise.node_id == "dn2"


def test_dynamic_without_nodes_writes_outputs(pod: Pod) -> None:
    pod.write_inputs(n=int_lit(3))
    pod.run("flytelite-execute", task_args("constant"))
    assert pod.files() == ["outputs.pb"]
    assert pod.outputs().literals["o0"].scalar.primitive.integer == 7


def test_test_flag_only_loads(pod: Pod) -> None:
    proc = pod.run("flytelite-execute", task_args("inc"), extra=["--test"])
    assert proc.returncode == 0
    assert pod.files() == []


def test_unknown_option_is_rejected(pod: Pod) -> None:
    proc = pod.run("flytelite-execute", task_args("inc"), extra=["--no-such-flag", "x"])
    assert proc.returncode == 2
    assert "--no-such-flag" in proc.stderr


def test_templates_are_unset() -> None:
    assert normalize_inputs("{{.rawOutputDataPrefix}}", "{{.checkpointOutputPrefix}}", '""') == (None, None, None)
    assert normalize_inputs("s3://b/raw", "/ck", "/prev") == ("s3://b/raw", "/ck", "/prev")


def test_parse_args_keeps_loader_args_after_double_dash(tmp_path: Path) -> None:
    ns = parse_args(["--inputs", "i", "--output-prefix", "o", "--", "task-module", "m", "task-name", "--x"], "p")
    assert ns.resolver_args == ["task-module", "m", "task-name", "--x"]
    assert ns.resolver == "flytelite.core.python_auto_container.default_task_resolver"
