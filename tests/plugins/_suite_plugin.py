"""A pytest plugin loaded (`-p _suite_plugin`) into the subprocess that runs one rewritten plugin suite.

It reads a JSON file named by `FLYTELITE_SUITE_CONFIG`:
`{"deselect": {nodeid: reason}, "waiting": {nodeid: cause}, "stubs": {module: [names]}, "results": path}`.
A node id without `[...]` also matches all its parametrizations. The plugin

- installs empty stand-in modules for `stubs` that do not import (flytelite has no FlyteRemote; the suites import it
  at module level for tests that are deselected),
- deselects `deselect` and marks `waiting` as non-strict xfails (a whole file in `waiting` may also fail to
  import: its collection error is recorded as `waiting-file`),
- writes every test's outcome, the ids in the lists that matched nothing, and whether the real `flytekit` was
  imported, to `results`.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import types
from typing import Any

import pytest

_CONFIG: dict[str, Any] = {}
_OUTCOMES: dict[str, str] = {}
_MATCHED: set[str] = set()
_DESELECTED: list[str] = []


def _install_stubs(stubs: dict[str, list[str]]) -> list[str]:
    installed = []
    for name, attributes in stubs.items():
        try:
            importlib.import_module(name)
            continue
        except ImportError:
            pass
        module = types.ModuleType(name, f"flytelite test stand-in for {name} (see tests/plugins/suites.py)")
        for attribute in attributes:
            setattr(module, attribute, type(attribute, (), {"__module__": name}))
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        installed.append(name)
    return installed


def _key(nodeid: str, table: dict[str, str]) -> str | None:
    """Return the entry of `table` that names `nodeid`: itself, its test without parameters, or its file."""
    for candidate in (nodeid, nodeid.split("[", 1)[0], nodeid.split("::", 1)[0]):
        if candidate in table:
            return candidate
    return None


def pytest_configure(config: pytest.Config) -> None:
    with open(os.environ["FLYTELITE_SUITE_CONFIG"], encoding="utf-8") as f:
        _CONFIG.update(json.load(f))
    _CONFIG["stubbed"] = _install_stubs(_CONFIG.get("stubs", {}))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, drop = [], []
    for item in items:
        deselect_key = _key(item.nodeid, _CONFIG.get("deselect", {}))
        waiting_key = _key(item.nodeid, _CONFIG.get("waiting", {}))
        if deselect_key is not None:
            _MATCHED.add(deselect_key)
            drop.append(item)
            continue
        if waiting_key is not None:
            _MATCHED.add(waiting_key)
            item.add_marker(pytest.mark.xfail(reason=_CONFIG["waiting"][waiting_key], strict=False))
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        _DESELECTED.extend(item.nodeid for item in drop)
    items[:] = keep


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if not report.failed:
        return
    waiting_key = _key(report.nodeid, _CONFIG.get("waiting", {}))
    if waiting_key is not None:
        _MATCHED.add(waiting_key)
    # A file that fails to import while it waits on a fix counts once, as a waiting file.
    _OUTCOMES[report.nodeid or "<collection>"] = "error" if waiting_key is None else "waiting-file"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if hasattr(report, "wasxfail"):
        outcome = "xpassed" if report.passed else "xfailed"
    elif report.when == "call":
        outcome = report.outcome
    elif report.failed:
        outcome = "error"
    elif report.skipped:
        outcome = "skipped"
    else:
        return
    previous = _OUTCOMES.get(report.nodeid)
    if previous in (None, "passed") or outcome == "error":
        _OUTCOMES[report.nodeid] = outcome


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    listed = set(_CONFIG.get("deselect", {})) | set(_CONFIG.get("waiting", {}))
    results = {
        "outcomes": _OUTCOMES,
        "deselected": _DESELECTED,
        "unmatched": sorted(listed - _MATCHED),
        "stubbed": _CONFIG.get("stubbed", []),
        "flytekit_imported": sorted(m for m in sys.modules if m == "flytekit" or m.startswith("flytekit.")),
        "exitstatus": int(exitstatus),
    }
    with open(_CONFIG["results"], "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
