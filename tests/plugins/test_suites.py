"""Run each ported `flytekitplugins-*` test suite against flytelite, one pytest test per plugin.

The suites are prepared by `make plugins` (tests/plugins/suites.py: sdists from the package registry, import word
rewritten, under `.plugins/`); `make test` always prepares them first. Each suite runs in its own subprocess
(`cwd` = the suite folder, so its `tests` package is its own, and the rewritten packages on `PYTHONPATH`), with
`_suite_plugin.py` applying our deselect and waiting lists and writing the outcomes; the files in `skip_files` are
left out with pytest's `--ignore`. A suite passes when no test fails or errors, the lists name only tests and files
that exist, at least `min_tests` tests pass or wait, and nothing imported the real `flytekit`. The per-plugin counts
are printed in the terminal summary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .suites import DEFAULT_DEST, MAKE_TARGET, MANIFEST, PLUGINS, STUB_MODULES, Plugin

HERE = Path(__file__).resolve().parent
SUMMARY: list[str] = []
_FAILED = ("failed", "error")


def _prepared() -> tuple[Path, dict[str, dict[str, str]]]:
    dest = Path(os.environ.get("FLYTELITE_PLUGINS_DIR", DEFAULT_DEST))
    manifest = dest / MANIFEST
    if not manifest.exists():
        pytest.skip(f"plugin suites not prepared ({manifest} missing): run `{MAKE_TARGET}` (part of `make test`)")
    data = json.loads(manifest.read_text())
    return Path(data["src"]), data["plugins"]


def _run_suite(plugin: Plugin, src: Path, suite: Path, work: Path) -> dict[str, Any]:
    results = work / "results.json"
    config = work / "config.json"
    config.write_text(
        json.dumps(
            {
                "deselect": plugin.deselect,
                "waiting": plugin.waiting,
                "stubs": {name: list(attrs) for name, attrs in STUB_MODULES.items()},
                "results": str(results),
            }
        )
    )
    ini = work / "pytest.ini"
    ini.write_text("[pytest]\naddopts =\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), str(HERE)]),
        "FLYTELITE_SUITE_CONFIG": str(config),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("PYTEST_ADDOPTS", None)
    command = [
        sys.executable, "-m", "pytest", "-q", "-rfE", "--tb=short", "-p", "no:cacheprovider", "-p", "_suite_plugin",
        "-c", str(ini), "--rootdir", str(suite),
        *(f"--ignore={path}" for path in plugin.skip_files), "tests",
    ]  # fmt: skip
    proc = subprocess.run(command, cwd=suite, env=env, capture_output=True, text=True, timeout=900)
    if not results.exists():
        pytest.fail(f"suite {plugin.name} wrote no results (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data: dict[str, Any] = json.loads(results.read_text())
    data["output"] = proc.stdout[-20000:] + proc.stderr[-5000:]
    return data


@pytest.mark.parametrize("plugin", PLUGINS, ids=[p.name for p in PLUGINS])
def test_plugin_suite(plugin: Plugin, tmp_path: Path) -> None:
    src, prepared = _prepared()
    if plugin.name not in prepared:
        pytest.skip(f"{plugin.name} is not in the prepared manifest: run `{MAKE_TARGET}`")
    suite = Path(prepared[plugin.name]["suite"])
    data = _run_suite(plugin, src, suite, tmp_path)
    outcomes: dict[str, str] = data["outcomes"]
    unmatched: list[str] = data["unmatched"]
    counts = Counter(outcomes.values())
    waiting_files = counts["waiting-file"]
    SUMMARY.append(
        f"{plugin.dist}=={plugin.version}: {counts['passed']} passed, {counts['failed'] + counts['error']} failed, "
        f"{len(data['deselected'])} deselected, "
        + (f"{len(plugin.skip_files)} file(s) left out, " if plugin.skip_files else "")
        + f"{counts['xfailed']} waiting"
        + (f" (+ {waiting_files} files that do not import yet)" if waiting_files else "")
        + (f", {counts['xpassed']} waiting but passing: remove them from suites.py" if counts["xpassed"] else "")
        + (f", {counts['skipped']} skipped" if counts["skipped"] else "")
    )
    problems = [f"{nodeid}: {outcome}" for nodeid, outcome in sorted(outcomes.items()) if outcome in _FAILED]
    problems += [f"listed in suites.py but matches no test: {nodeid}" for nodeid in unmatched]
    problems += [f"skip_files names no file: {path}" for path in plugin.skip_files if not (suite / path).is_file()]
    if data["flytekit_imported"]:
        problems.append(f"the real flytekit was imported: {data['flytekit_imported']}")
    ran = counts["passed"] + counts["xfailed"] + counts["xpassed"]
    if ran < plugin.min_tests and not waiting_files:
        problems.append(f"only {ran} tests passed or waited, expected at least {plugin.min_tests}")
    if problems:
        pytest.fail(f"plugin suite {plugin.name}:\n  " + "\n  ".join(problems) + f"\n\n{data['output']}")
