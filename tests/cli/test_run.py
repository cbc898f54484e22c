"""`flytelite run`: engines, outputs, cache switches, the raw-output prefix, failures, and how entities are found."""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

import flytelite
from tests.cli import cli_entities
from tests.cli.conftest import ENTITIES

Invoke = Callable[..., Result]


def _json(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


@pytest.mark.parametrize("engine", ["serial", "threads", "processes"])
def test_every_local_engine_runs_workflows_and_map_tasks(invoke: Invoke, engine: str) -> None:
    assert _json(invoke("run", "--json", "--engine", engine, ENTITIES, "chain", "--a", "1")) == {"o0": 3}
    mapped = invoke("run", "--json", "--engine", engine, "--max-workers", "2", ENTITIES, "mapped", "--xs", "[1,2,3]")
    assert _json(mapped) == {"o0": [2, 3, 4]}


def test_unknown_engine_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("run", "--engine", "gpu", ENTITIES, "chain", "--a", "1")
    assert result.exit_code == 2
    assert "'gpu' is not an engine: expected one of serial, threads, processes, dask" in result.output
    result = invoke("run", "--engine", "threads=tcp://x:1", ENTITIES, "chain", "--a", "1")
    assert result.exit_code == 2 and "takes no address" in result.output


def test_dask_engine_without_dask_says_to_install_the_extra(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name == "distributed" or name.startswith("flytelite.exec.dask_executor"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "flytelite.exec.dask_executor", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_dask)
    result = invoke("run", "--engine", "dask", ENTITIES, "chain", "--a", "1")
    assert result.exit_code == 2
    assert "the dask engine needs the `dask` extra: pip install 'flytelite[dask]'" in result.output


def test_dask_engine_runs_on_a_local_cluster(invoke: Invoke) -> None:
    pytest.importorskip("distributed")
    from flytelite.cli._execute import run_entity
    from flytelite.exec.dask_executor import DaskExecutor

    ex = DaskExecutor(processes=False, n_workers=1, threads_per_worker=2)
    try:
        assert run_entity(cli_entities.mapped, {"xs": [1, 2]}, ex) == {"o0": [2, 3]}
    finally:
        ex.shutdown()


def test_outputs_print_as_name_value_lines_or_json(invoke: Invoke) -> None:
    result = invoke("run", ENTITIES, "multi", "--a", "4")
    assert result.exit_code == 0
    assert "o0: 8" in result.stdout and "o1: a=4" in result.stdout
    assert _json(invoke("run", "--json", ENTITIES, "multi", "--a", "4")) == {"o0": 8, "o1": "a=4"}


def test_dataframe_outputs_print_as_a_table_or_as_records(invoke: Invoke) -> None:
    result = invoke("run", ENTITIES, "frame_wf", "--n", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "o0:" and lines[1].split() == ["i"] and lines[-1].split() == ["2", "2"]
    assert _json(invoke("run", "--json", ENTITIES, "frame_wf", "--n", "2")) == {"o0": [{"i": 0}, {"i": 1}]}


def test_summary_goes_to_stderr_and_quiet_silences_it(invoke: Invoke) -> None:
    result = invoke("run", ENTITIES, "chain", "--a", "1")
    assert "tests.cli.cli_entities.chain: 2 succeeded" in result.stderr
    quiet = invoke("run", "--quiet", ENTITIES, "chain", "--a", "1")
    assert quiet.stderr == "" and quiet.stdout == "o0: 3\n"


def test_a_task_and_a_launch_plan_run_directly(invoke: Invoke) -> None:
    assert _json(invoke("run", "--json", ENTITIES, "inc", "--a", "41")) == {"o0": 42}
    assert _json(invoke("run", "--json", ENTITIES, "chain_lp")) == {"o0": 12}
    assert _json(invoke("run", "--json", ENTITIES, "chain_lp", "--a", "0")) == {"o0": 2}
    assert "[default: 10]" in invoke("run", ENTITIES, "chain_lp", "--help").output


def test_cache_is_used_and_can_be_bypassed_or_overwritten(invoke: Invoke) -> None:
    cli_entities.CALLS.clear()
    for _ in range(2):
        assert _json(invoke("run", "--json", ENTITIES, "cached_wf", "--a", "3")) == {"o0": 30}
    assert cli_entities.CALLS == ["counted:3"]
    assert "1 cached" in invoke("run", ENTITIES, "cached_wf", "--a", "3").stderr
    invoke("run", "--no-cache", ENTITIES, "cached_wf", "--a", "3")
    invoke("run", "--overwrite-cache", ENTITIES, "cached_wf", "--a", "3")
    assert cli_entities.CALLS == ["counted:3"] * 3
    assert "1 cached" in invoke("run", ENTITIES, "cached_wf", "--a", "3").stderr


def test_local_cache_clear_empties_the_cache(invoke: Invoke, _private_local_cache: Path) -> None:
    invoke("run", ENTITIES, "cached_wf", "--a", "5")
    assert list(_private_local_cache.glob("*.pb"))
    result = invoke("local-cache", "clear")
    assert result.exit_code == 0 and "Cleared 1 cached result from" in result.output
    assert not list(_private_local_cache.glob("*.pb"))
    assert invoke("local-cache", "path").output.strip() == str(_private_local_cache)


def test_raw_output_prefix_receives_offloaded_data(invoke: Invoke, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    result = invoke("run", "--raw-output-prefix", str(raw), ENTITIES, "frame_wf", "--n", "2")
    assert result.exit_code == 0, result.output
    written = [p for p in raw.rglob("*") if p.is_file()]
    assert len(written) == 1 and written[0].read_bytes()[:4] == b"PAR1"  # one parquet file


def test_file_outputs_print_as_their_path(invoke: Invoke) -> None:
    assert _json(invoke("run", "--json", ENTITIES, "make_file", "--text", "hi")) == {
        "o0": "/tmp/flytelite-cli-test-out.txt"
    }


def test_failure_shows_the_node_its_inputs_and_only_user_frames(invoke: Invoke) -> None:
    result = invoke("run", ENTITIES, "fails", "--a", "1")
    assert result.exit_code == 1
    err = result.stderr
    assert "✘ node n1 (tests.cli.cli_entities.divide) failed" in err
    assert "a = 2" in err and "b = 0" in err
    assert "cli_entities.py" in err and "return a / b" in err and "ZeroDivisionError: division by zero" in err
    assert "flytelite/exec" not in err and "flytelite/core" not in err and "concurrent/futures" not in err


def test_failure_in_a_worker_process_shows_the_user_traceback(invoke: Invoke) -> None:
    result = invoke("run", "--engine", "processes", ENTITIES, "fails", "--a", "1")
    assert result.exit_code == 1
    assert "return a / b" in result.stderr and "ZeroDivisionError" in result.stderr
    assert "_remote_call.py" not in result.stderr


def test_entities_are_found_by_path_or_module_and_bad_names_are_explained(invoke: Invoke, tmp_path: Path) -> None:
    module = tmp_path / "pkg_free_module_for_cli.py"
    module.write_text("from flytelite import task\n\n@task\ndef inc(a: int) -> int:\n    return a + 1\n")
    assert _json(invoke("run", "--json", str(module), "inc", "--a", "1")) == {"o0": 2}
    listing = invoke("run", ENTITIES, "--help").output
    assert "chain" in listing and "workflow: tests.cli.cli_entities.chain" in listing and "NOT_AN_ENTITY" not in listing
    missing = invoke("run", ENTITIES, "nope")
    assert missing.exit_code == 2 and "has no entity 'nope'; runnable entities: " in missing.output
    wrong = invoke("run", ENTITIES, "NOT_AN_ENTITY")
    assert wrong.exit_code == 2 and "'NOT_AN_ENTITY' is not a task, workflow or launch plan" in wrong.output
    nofile = invoke("run", "no/such/file.py", "wf")
    assert nofile.exit_code == 2 and "no such file: no/such/file.py" in nofile.output
    broken = tmp_path / "broken_module_for_cli.py"
    broken.write_text("import json\n\nvalue = json.loads('{oops')\n")
    failed = invoke("run", str(broken), "wf")
    assert failed.exit_code == 1 and f"importing {broken} failed:" in failed.output
    assert 'broken_module_for_cli.py", line 3' in failed.output and "JSONDecodeError" in failed.output
    nomodule = invoke("run", "no_such_module_xyz", "wf")
    assert nomodule.exit_code == 2 and "cannot import module 'no_such_module_xyz'" in nomodule.output


def test_version_and_verb_listing(invoke: Invoke) -> None:
    assert invoke("--version").output == f"flytelite {flytelite.__version__}\n"
    listing = invoke("--help").output
    for verb in ("run", "graph", "package", "serialize", "local-cache"):
        assert verb in listing


def test_console_script_runs_a_workflow_in_a_fresh_process(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "flytelite"
    if not exe.exists():
        pytest.skip("the flytelite console script is not installed in this environment")
    proc = subprocess.run(
        [str(exe), "run", "--json", ENTITIES, "chain", "--a", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": 7}
