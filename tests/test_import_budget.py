"""`import flytelite` must stay cheap: no optional or heavy dependency may be loaded by it.

The check runs in a fresh interpreter so nothing imported by pytest or other tests can hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Packages `import flytelite` must not load (a name also forbids its submodules).
FORBIDDEN = (
    "flytekit",
    "pandas",
    "pyarrow",
    "numpy",
    "fsspec",
    "click",
    "rich",
    "dask",
    "distributed",
    "cloudpickle",
    "pydantic",
    "mashumaro.jsonschema",
)

_PROBE = "import json, sys; import flytelite; print(json.dumps(sorted(sys.modules)))"


def _modules_loaded_by(statement: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", statement], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


def _forbidden_in(loaded: list[str]) -> list[str]:
    return sorted(m for m in loaded for f in FORBIDDEN if m == f or m.startswith(f + "."))


def test_import_flytelite_loads_no_heavy_dependency() -> None:
    loaded = _modules_loaded_by(_PROBE)
    assert "flytelite" in loaded
    leaked = _forbidden_in(loaded)
    assert not leaked, f"`import flytelite` loaded forbidden modules: {leaked}"


# Also not loaded by `import flytelite` itself: the protobuf runtime and the identifier protos come with the default
# context (first `current_context()`); temp folders, file copies and `Path`s are made only when used.
IMPORT_ONLY_FORBIDDEN = ("google.protobuf", "flyteidl", "pathlib", "shutil", "tempfile")


def test_import_flytelite_loads_no_protobuf_pathlib_shutil_or_tempfile() -> None:
    loaded = _modules_loaded_by(
        "import json, sys; import flytelite; assert 'FlyteContextManager' in vars(flytelite); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    leaked = sorted(m for m in loaded for f in IMPORT_ONLY_FORBIDDEN if m == f or m.startswith(f + "."))
    assert not leaked, f"`import flytelite` loaded: {leaked}"


def test_first_current_context_builds_the_local_identifiers() -> None:
    code = (
        "import sys, flytelite\n"
        "print('flyteidl.core.identifier_pb2' in sys.modules)\n"
        "params = flytelite.FlyteContextManager.current_context().user_space_params\n"
        "print(params.execution_id.name, params.task_id.version, type(params.task_id).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "local", "local", "Identifier"]


def test_probe_detects_a_forbidden_module() -> None:
    # Guard against a probe that can never fail: a statement that does load a forbidden module must be caught.
    loaded = _modules_loaded_by("import json, sys; import msgpack, click; print(json.dumps(sorted(sys.modules)))")
    assert "click" in _forbidden_in(loaded)


# What declaring a task must not load: the dataframe, file and folder transformers, storage backends, the codecs,
# the admin protos, the client configuration and the decks' dependency reader are imported only when used.
TASK_PATH_FORBIDDEN = (
    *FORBIDDEN,
    "mashumaro",
    "flyteidl.admin",
    "flytelite.types.structured",
    "flytelite.types.file",
    "flytelite.types.directory",
    "flytelite.types.schema",
    "flytelite.types._pydantic",
    "flytelite.config_files",
    "flytelite._config_reader",
    "importlib.metadata",
    # `typing_extensions` (~8 ms) is for annotations only; protobuf, flyteidl and msgpack do not load it either.
    "typing_extensions",
    # Only a task whose image is an `ImageSpec` needs that module, and such a spec loads it itself.
    "flytelite.image_spec",
    # Reference entities and `eager` (with `asyncio`) are provided by `flytelite.core.task` on first use.
    "flytelite.core.reference_entity",
    "flytelite.core.eager",
    "asyncio",
    # `_hashlib` links OpenSSL (~5 ms): only cache versions, pickles, long names and offloaded outputs hash.
    "hashlib",
    "_hashlib",
    # Archives are only for fast registration and fast-execute.
    "tarfile",
    "zipfile",
)


def test_declaring_a_task_loads_only_the_task_stack() -> None:
    loaded = _modules_loaded_by(
        "import json, sys\nfrom flytelite import task\n\n@task\ndef t(a: int) -> int:\n    return a\n\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert "flytelite.core.task" in loaded
    leaked = sorted(m for m in loaded for f in TASK_PATH_FORBIDDEN if m == f or m.startswith(f + "."))
    assert not leaked, f"declaring a task loaded: {leaked}"


def test_running_a_one_task_workflow_loads_no_hashing_archives_or_typing_extensions() -> None:
    # Running locally adds the graph runner, not what a plain declaration leaves out.
    loaded = _modules_loaded_by(
        "import json, sys\nfrom flytelite import task, workflow\n\n@task\ndef t(a: int) -> int:\n    return a + 1\n\n"
        "@workflow\ndef wf(a: int) -> int:\n    return t(a=a)\n\nassert wf(a=1) == 2\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert "flytelite.exec._runner" in loaded
    leaked = sorted(m for m in loaded for f in TASK_PATH_FORBIDDEN if m == f or m.startswith(f + "."))
    assert not leaked, f"running a one-task workflow loaded: {leaked}"


def test_lazy_task_module_names_resolve() -> None:
    # The names `flytelite.core.task` provides on first use are the real objects of their home modules.
    code = (
        "import flytelite.core.task as t, flytelite.core.reference_entity as r, flytelite.core.eager as e\n"
        "assert t.ReferenceTask is r.ReferenceTask and t.reference_task is r.reference_task and t.eager is e.eager\n"
        "from flytelite.core.task import reference_task, eager\n"
        "try:\n    t.no_such_name\nexcept AttributeError:\n    print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["ok"]


def test_entrypoint_loads_no_cli_admin_protos_or_graph_runner() -> None:
    loaded = _modules_loaded_by(
        "import json, sys; import flytelite.bin.entrypoint; print(json.dumps(sorted(sys.modules)))"
    )
    leaked = sorted(
        m
        for m in loaded
        for f in (*TASK_PATH_FORBIDDEN, "flytelite.exec", "flytelite.cli", "flytelite.tools.translator")
        if m == f or m.startswith(f + ".")
    )
    assert not leaked, f"importing the entrypoint loaded: {leaked}"


def test_lazily_registered_types_are_found_and_guessed() -> None:
    # In a fresh process the file, folder, dataframe and schema modules are not loaded until a type or a literal
    # type of theirs is met; then the type engine finds them as if they had been registered up front.
    code = """
import sys
from flyteidl.core.types_pb2 import BlobType, LiteralType, SchemaType, StructuredDatasetType
from flytelite.types import TypeEngine
assert "flytelite.types.file" not in sys.modules
single, multi = BlobType.BlobDimensionality.SINGLE, BlobType.BlobDimensionality.MULTIPART
print(TypeEngine.guess_python_type(LiteralType(blob=BlobType(format="", dimensionality=single))).__name__)
print(TypeEngine.guess_python_type(LiteralType(blob=BlobType(format="", dimensionality=multi))).__name__)
print(TypeEngine.guess_python_type(LiteralType(blob=BlobType(format="PythonPickle", dimensionality=single))).__name__)
print(TypeEngine.guess_python_type(LiteralType(structured_dataset_type=StructuredDatasetType(format="parquet"))).__name__)
print(TypeEngine.guess_python_type(LiteralType(schema=SchemaType())).__name__)
import os, typing
print(TypeEngine.get_transformer(os.PathLike).name, TypeEngine.get_transformer(typing.TextIO).name)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == [
        "FlyteFile",
        "FlyteDirectory",
        "FlytePickle",
        "StructuredDataset",
        "FlyteSchema",
        "FlyteFilePath",
        "TextIO",
    ]


def test_serializing_a_workflow_loads_no_reference_entities_image_spec_hashing_or_json_format() -> None:
    # `package` of plain tasks and workflows: reference entities and `ImageSpec` are recognised only once their
    # modules are loaded, hashing is for fast registration, and task `custom` fields need no `json_format`.
    loaded = _modules_loaded_by(
        "import json, sys\nfrom flytelite import task, workflow\nimport flytelite.cli.package\n"
        "from flytelite.configuration import ImageConfig, SerializationSettings\n"
        "from flytelite.tools.repo import get_registrable_entities\n\n"
        "@task\ndef t(a: int) -> int:\n    return a + 1\n\n"
        "@workflow\ndef wf(a: int) -> int:\n    return t(a=t(a=a))\n\n"
        "s = SerializationSettings(image_config=ImageConfig.auto(img_name='cr.io/i:1'))\n"
        "assert len(get_registrable_entities(s, [t, wf])) == 3\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert "flytelite.tools.translator" in loaded
    forbidden = ("flytelite.core.reference_entity", "flytelite.image_spec", "hashlib", "google.protobuf.json_format")
    leaked = sorted(m for m in loaded for f in forbidden if m == f or m.startswith(f + "."))
    assert not leaked, f"serializing a workflow loaded: {leaked}"


# What a task pod must not load: `flytelite-execute` of a plain task reads its command line without `argparse`, logs
# nothing (no `logging`), makes its folders without `tempfile`, and loads the dynamic-task, task, workflow and security
# protos, the compiler's node code, resources, cache policies, decks, the transformers of containers, unions and enums
# and the dataclass/JSON/msgpack codecs only for the tasks and values that use them.
POD_PATH_FORBIDDEN = (
    *TASK_PATH_FORBIDDEN,
    "argparse",
    "logging",
    "tempfile",
    "shutil",
    "random",
    "traceback",
    "subprocess",
    "signal",
    "json",
    "msgpack",
    "flyteidl.core.dynamic_job_pb2",
    "flyteidl.core.tasks_pb2",
    "flyteidl.core.workflow_pb2",
    "flyteidl.core.security_pb2",
    "flytelite.configuration",
    "flytelite.core.workflow",
    "flytelite.core.node_creation",
    "flytelite.core.resources",
    "flytelite.core.cache",
    "flytelite.models.documentation",
    "flytelite.types._dataclass",
    "flytelite.bin._map_item",
    # decks (and `string`) load only for tasks that render them; the list, dict, union, enum, iterator and pickle
    # transformers and `LiteralsResolver` when a value of theirs is met; promises, the local cache, the model views
    # and the `TaskOptions` TypedDict when used
    "flytelite.deck",
    "string",
    "flytelite.types._collections",
    "flytelite.types._union",
    "flytelite.types._enums",
    "flytelite.types.iterator",
    "flytelite.types.pickle",
    "flytelite.types._resolver",
    "flytelite.core.promise",
    "flytelite.core.local_cache",
    "flytelite.models._view",
    "flytelite.core._task_options_spec",
    "flytelite.exec",
    "flytelite.cli",
    "flytelite.tools",
)


def test_entrypoint_running_a_plain_task_loads_only_what_it_uses(tmp_path: Path) -> None:
    from flyteidl.core.literals_pb2 import Literal, LiteralMap, Primitive, Scalar

    app = "from flytelite import task\n\n@task\ndef inc(a: int) -> int:\n    return a + 1\n"
    (tmp_path / "pod_app.py").write_text(app)
    inputs = LiteralMap(literals={"a": Literal(scalar=Scalar(primitive=Primitive(integer=41)))})
    (tmp_path / "inputs.pb").write_bytes(inputs.SerializeToString())
    out = tmp_path / "out"
    args = [
        "--inputs", str(tmp_path / "inputs.pb"), "--output-prefix", str(out), "--raw-output-data-prefix",
        str(tmp_path / "raw"), "--", "task-module", "pod_app", "task-name", "inc",
    ]  # fmt: skip
    code = (  # the probe prints the module names without `json`, which the entrypoint must not load itself
        "import sys\nfrom flytelite.bin.entrypoint import execute_task_cmd\n"
        f"try:\n    execute_task_cmd({args!r})\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    loaded = run.stdout.splitlines()[-1].split()
    outputs = LiteralMap()
    outputs.ParseFromString((out / "outputs.pb").read_bytes())
    assert outputs.literals["o0"].scalar.primitive.integer == 42
    leaked = sorted(m for m in loaded for f in POD_PATH_FORBIDDEN if m == f or m.startswith(f + "."))
    assert not leaked, f"running a plain task in a pod loaded: {leaked}"


def test_only_the_console_script_freezes_the_loaded_heap(tmp_path: Path) -> None:
    # `flytelite-execute` owns its process: once the task is loaded, `gc.freeze()` keeps the collections during the
    # task and at exit from walking the modules again. A call with explicit arguments (a test, a host program) leaves
    # the collector alone.
    from flyteidl.core.literals_pb2 import Literal, LiteralMap, Primitive, Scalar

    app = "from flytelite import task\n\n@task\ndef inc(a: int) -> int:\n    return a + 1\n"
    (tmp_path / "pod_app.py").write_text(app)
    inputs = LiteralMap(literals={"a": Literal(scalar=Scalar(primitive=Primitive(integer=1)))})
    (tmp_path / "inputs.pb").write_bytes(inputs.SerializeToString())
    args = [
        "--inputs", str(tmp_path / "inputs.pb"), "--output-prefix", str(tmp_path / "out"), "--",
        "task-module", "pod_app", "task-name", "inc",
    ]  # fmt: skip
    code = (
        "import gc, sys\nfrom flytelite.bin.entrypoint import execute_task_cmd\n"
        f"args = {args!r}\n"
        "for call in (lambda: execute_task_cmd(args), lambda: (sys.argv.__setitem__(slice(1, None), args),"
        " execute_task_cmd())):\n"
        "    try:\n        call()\n    except SystemExit as e:\n        assert not e.code, e.code\n"
        "    print(gc.get_freeze_count() > 0)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert run.stdout.split() == ["False", "True"]


def test_importing_the_entrypoint_leaves_the_collector_as_it_was() -> None:
    # The collector pauses while the entrypoint imports the task stack, then is back as the importer left it.
    code = (
        "import gc, sys\nwas = sys.argv[1] == 'on'\nif not was:\n    gc.disable()\n"
        "import flytelite.bin.entrypoint\nprint(gc.isenabled() == was)\n"
    )
    for state in ("on", "off"):
        cmd = [sys.executable, "-c", code, state]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)
        assert out.stdout.split() == ["True"], state
