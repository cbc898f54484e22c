"""Cross-runtime conformance: flytekit writes the inputs, `flytelite-execute` runs the task, flytekit reads the
results, which equal what `pyflyte-execute` produces for the flytekit copy of the same task (outputs, errors, dynamic
futures and map items).
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flytekit")
pytest.importorskip("kubernetes")

from flyteidl.core import dynamic_job_pb2, errors_pb2, literals_pb2
from flytekit.core.context_manager import FlyteContextManager as KitCtx
from flytekit.core.type_engine import TypeEngine as KitEngine
from flytekit.models.literals import LiteralMap as KitLiteralMap

from tests.conformance.apps import make_apps, run

KIT_RESOLVER = "flytekit.core.python_auto_container.default_task_resolver"
LITE_RESOLVER = "flytelite.core.python_auto_container.default_task_resolver"
ENV = {
    "FLYTE_INTERNAL_IMAGE": "cr.io/img:v1",
    "FLYTE_INTERNAL_TASK_PROJECT": "p",
    "FLYTE_INTERNAL_TASK_DOMAIN": "d",
    "FLYTE_INTERNAL_TASK_VERSION": "v1",
}


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_apps(tmp_path_factory.mktemp("apps"))


def _inputs(folder: Path, values: dict[str, Any], types: dict[str, Any]) -> Path:
    ctx = KitCtx.current_context()
    lm = KitEngine.dict_to_literal_map(ctx, values, types)
    path = folder / "inputs.pb"
    path.write_bytes(lm.to_flyte_idl().SerializeToString())
    return path


def _execute(
    apps: Path,
    tmp: Path,
    sdk: str,
    module: str,
    name: str,
    inputs: Path,
    env: dict[str, str] | None = None,
    mapped: bool = False,
) -> Path:
    out = tmp / sdk
    prefix = "pyflyte" if sdk == "kit" else "flytelite"
    app = "fk_app" if sdk == "kit" else "fl_app"
    resolver = KIT_RESOLVER if sdk == "kit" else LITE_RESOLVER
    loader = ["task-module", f"{app}.{module}", "task-name", name]
    if mapped:
        sdk_name = "flytekit" if sdk == "kit" else "flytelite"
        map_resolver = f"{sdk_name}.core.array_node_map_task.ArrayNodeMapTaskResolver"
        cmd = [
            f"{prefix}-map-execute",
            "--inputs",
            str(inputs),
            "--output-prefix",
            str(out),
            "--raw-output-data-prefix",
            str(tmp / "raw"),
            "--resolver",
            map_resolver,
            "--",
            "vars",
            "",
            "resolver",
            resolver,
            *loader,
        ]
    else:
        cmd = [
            f"{prefix}-execute",
            "--inputs",
            str(inputs),
            "--output-prefix",
            str(out),
            "--raw-output-data-prefix",
            str(tmp / "raw"),
            "--resolver",
            resolver,
            "--",
            *loader,
        ]
    proc = run(cmd, apps, env={**ENV, **(env or {})})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _kit_outputs(out: Path, types: dict[str, Any]) -> dict[str, Any]:
    pb = literals_pb2.LiteralMap()
    pb.ParseFromString((out / "outputs.pb").read_bytes())
    lm = KitLiteralMap.from_flyte_idl(pb)
    return KitEngine.literal_map_to_kwargs(KitCtx.current_context(), lm, types)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("name", "values", "in_types", "out_types"),
    [
        ("t1", {"a": 4, "b": "y"}, {"a": int, "b": str}, {"o0": int, "o1": str}),
        (
            "t3",
            {"xs": [1, 2], "d": {"k": 0.5}, "o": None},
            {"xs": typing.List[int], "d": typing.Dict[str, float], "o": typing.Optional[str]},  # noqa: UP045 - users spell it so
            {"o0": str},
        ),
        ("echo", {"a": 41}, {"a": int}, {"o0": int}),
    ],
)
def test_outputs_equal(
    apps: Path, tmp_path: Path, name: str, values: dict[str, Any], in_types: dict[str, Any], out_types: dict[str, Any]
) -> None:
    inputs = _inputs(tmp_path, values, in_types)
    kit = _execute(apps, tmp_path, "kit", "tasks", name, inputs)
    lite = _execute(apps, tmp_path, "lite", "tasks", name, inputs)
    assert sorted(p.name for p in lite.iterdir()) == ["outputs.pb"]
    assert _kit_outputs(lite, out_types) == _kit_outputs(kit, out_types)


def _error(out: Path) -> errors_pb2.ContainerError:
    doc = errors_pb2.ErrorDocument()
    doc.ParseFromString((out / "error.pb").read_bytes())
    return doc.error


def test_error_documents_equal(apps: Path, tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, {"a": 3}, {"a": int})
    kit = _error(_execute(apps, tmp_path, "kit", "tasks", "boom", inputs))
    lite = _error(_execute(apps, tmp_path, "lite", "tasks", "boom", inputs))
    assert (lite.code, lite.kind, lite.origin) == (kit.code, kit.kind, kit.origin)
    assert lite.message.split("Message:")[1] == kit.message.split("Message:")[1]
    assert lite.message.startswith("Trace:\n\n") and kit.message.startswith("Trace:\n\n")


def test_futures_equal(apps: Path, tmp_path: Path) -> None:
    from flytekit.configuration import ImageConfig, SerializationSettings

    # Both entrypoints read flytekit's own `_F_SS_C` transport of the registration settings.
    ss = SerializationSettings(image_config=ImageConfig.from_images("cr.io/img:v1"), version="v1")
    env = {"_F_SS_C": ss.with_serialized_context().env["_F_SS_C"]}
    inputs = _inputs(tmp_path, {"n": 3}, {"n": int})
    specs = []
    for sdk in ("kit", "lite"):
        out = _execute(apps, tmp_path, sdk, "wf", "dyn", inputs, env=env)
        spec = dynamic_job_pb2.DynamicJobSpec()
        spec.ParseFromString((out / "futures.pb").read_bytes())
        specs.append(spec)
    kit, lite = specs
    assert [n.id for n in lite.nodes] == [n.id for n in kit.nodes] == ["dn0", "dn1", "dn2"]
    assert lite.min_successes == kit.min_successes
    assert [(t.id.project, t.id.domain, t.id.version) for t in lite.tasks] == [
        (t.id.project, t.id.domain, t.id.version) for t in kit.tasks
    ]
    assert [t.id.name.replace("fl_app", "fk_app") for t in lite.tasks] == [t.id.name for t in kit.tasks]
    assert [b.SerializeToString(deterministic=True) for b in lite.outputs] == [
        b.SerializeToString(deterministic=True) for b in kit.outputs
    ]
    for kn, ln in zip(kit.nodes, lite.nodes, strict=True):
        assert list(ln.inputs) == list(kn.inputs)
    assert [t.container.image for t in lite.tasks] == [t.container.image for t in kit.tasks] == ["cr.io/img:v1"]


def test_map_item_equal(apps: Path, tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, {"x": [10, 20, 30]}, {"x": typing.List[int]})
    env = {"BATCH_JOB_ARRAY_INDEX_VAR_NAME": "FLYTE_K8S_ARRAY_INDEX", "FLYTE_K8S_ARRAY_INDEX": "2"}
    kit = _execute(apps, tmp_path, "kit", "tasks", "square", inputs, env=env, mapped=True)
    lite = _execute(apps, tmp_path, "lite", "tasks", "square", inputs, env=env, mapped=True)
    assert _kit_outputs(lite, {"o0": int}) == _kit_outputs(kit, {"o0": int}) == {"o0": 900}
