"""Flyte's examples (flytesnacks) run under flytekit and under flytelite, compared example by example.

Usage from pytest: `tests/realworld/test_flytesnacks.py` (runs when `FLYTESNACKS_DIR` names a checkout). Usage by
hand, for a failure list: `python -m tests.realworld.harness -j 2 [-k basics] [--json out.json]`.

Design:
- `discover` finds the example modules, `examples/<project>/<package>/<module>.py` (not `__init__.py`).
- `Corpus` copies each project once per SDK into a work folder; the flytelite copy has every `.py` file rewritten
  with `flytekit` → `flytelite` as a whole word (`flytekitplugins` stays as written).
- `Corpus.run` starts `_runner.py` in a fresh interpreter for one example and one SDK (the two SDKs never share a
  process), with its own `HOME` and `TMPDIR` (so local caches and temp paths start empty), no `FLYTE*` variables,
  no network, stdin closed. The flytekit run goes first and decides which entities to call; the flytelite run calls
  the same ones.
- The ported `flytekitplugins-*` packages (`make plugins`, tests/plugins/suites.py) are on each run's `PYTHONPATH`:
  the packages as released for flytekit (`.plugins/original`), the rewritten ones for flytelite (`.plugins/src`).
  Both are the `flytekitplugins` namespace package, so each interpreter sees exactly one of the two folders (neither
  is installed in the venv), and the runner records where every loaded plugin module came from (`PluginPaths`).
- `compare` turns the two records into an `Outcome`: *skip* when the oracle cannot say (a module that is not
  installed, network access, a remote cluster or agent, flytekit itself crashing), else *pass* when every step
  matches: same results (the literals each SDK's type engine makes of them, blob contents digested), same printed
  output, and for a failing step an exception whose builtin bases include flytekit's (`except ValueError:` written
  for flytekit still catches it).
- `KNOWN_DIFFERENCES` lists the steps allowed to differ, each with its reason (also in docs/differences.md).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import difflib
import fnmatch
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

PINNED_COMMIT = "c9b2c44dc5d0ce42e482be1ffb16c8b19e72c23c"
RUNNER = Path(__file__).with_name("_runner.py")
PLUGIN_SUITES = Path(__file__).resolve().parents[1] / "plugins" / "suites.py"
TIMEOUT_S = 300
SDKS = ("flytekit", "flytelite")

# "<project>/<package>/<module>.py::<step>" (fnmatch patterns) -> why flytelite differs there on purpose. Each one
# is also written in docs/differences.md. A listed step is not compared; with a `::stdout` suffix only its printed
# output is not compared. Everything else must match.
_RETRIES = (
    "a local run retries a task after FlyteRecoverableException up to its `retries` (flytekit does not retry "
    "locally), so the example's simulated failures are recovered"
)
_EAGER = (
    "inside @eager every task call is awaited and runs; flytekit 1.16's local mode returns plain values, so "
    "`await t(x=...)` fails there with TypeError"
)
_BODY_ONCE = (
    "a local run executes the compiled graph, so a workflow body runs once (at compile time) and a `print` in it "
    "shows promises only; flytekit runs the body again with the values"
)
KNOWN_DIFFERENCES: dict[str, str] = {
    "advanced_composition/advanced_composition/checkpoint.py::call:*": _RETRIES,
    "advanced_composition/advanced_composition/checkpoint.py::main": _RETRIES,
    "advanced_composition/advanced_composition/eager_workflows.py::call:*eager*": _EAGER,
    "productionizing/productionizing/lp_schedules.py::call:*::stdout": _BODY_ONCE,
}

# Steps whose results depend on the clock or similar: their outcome (success, or the error's builtin bases) is
# compared, the values and printed output are not.
_DASK_RANDOM = "dask.array.random seeds each chunk from the OS, not from numpy's seeded global state"
NONDETERMINISTIC: dict[str, str] = {
    "testing/testing/mocking.py::call:t1": "returns datetime.now()",
    "k8s_dask_plugin/k8s_dask_plugin/dask_example.py::call:hello_dask": _DASK_RANDOM,
    "k8s_dask_plugin/k8s_dask_plugin/dask_example.py::main": _DASK_RANDOM,
}

_WORD = re.compile(r"\bflytekit\b")


def rewrite(source: str) -> str:
    """Replace the import word `flytekit` by `flytelite` (whole word: `flytekitplugins` is left alone)."""
    return _WORD.sub("flytelite", source)


@dataclasses.dataclass(frozen=True)
class Example:
    """One example module of the corpus."""

    project: str
    package: str
    module: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.project}/{self.package}/{self.module}.py"

    @property
    def dotted(self) -> str:
        return f"{self.package}.{self.module}"


def discover(root: Path) -> list[Example]:
    """Return the example modules under `<root>/examples`, sorted by id."""
    found = []
    for path in sorted((root / "examples").glob("*/*/*.py")):
        package_dir = path.parent
        if path.name == "__init__.py" or not (package_dir / "__init__.py").exists():
            continue
        found.append(Example(package_dir.parent.name, package_dir.name, path.stem, path))
    return found


def checkout_commit(root: Path) -> str | None:
    """The commit a git checkout is at, or None when `root` is not a git work tree."""
    if not (root / ".git").exists():
        return None
    proc = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=False)
    return proc.stdout.strip() or None


def static_skip(example: Example) -> str | None:
    """Why an example cannot run locally at all, judged from its source, or None."""
    source = example.path.read_text(encoding="utf-8")
    if not example.module.isidentifier():
        return "not an importable module name (a script run by a raw container)"
    if not _WORD.search(source):
        return "does not use flytekit"
    if example.project.endswith("_agent"):
        return "needs a Flyte agent (a connector service)"
    if "FlyteRemote" in source or re.search(r"\bflytekit\.remote\b", source):
        return "needs a remote Flyte cluster (FlyteRemote)"
    return None


def _plugin_suites() -> ModuleType:
    """tests/plugins/suites.py, the catalog of ported plugins and the step that prepares them (`make plugins`).

    Loaded by path: pytest imports this folder as the top-level package `realworld`, `python -m` as
    `tests.realworld`, so no one import statement reaches `tests/plugins` in both.
    """
    name = "_flytelite_plugin_suites"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, PLUGIN_SUITES)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@dataclasses.dataclass(frozen=True)
class PluginPaths:
    """The folders holding `flytekitplugins/<package>/`: as released for flytekit, rewritten for flytelite.

    `make plugins` (tests/plugins/suites.py) prepares both from the same sdists; `packages` names the prepared
    `flytekitplugins.<package>` modules.
    """

    by_sdk: dict[str, Path]
    packages: frozenset[str]

    @classmethod
    def load(cls, dest: Path | None = None) -> PluginPaths | None:
        """The prepared plugins under `dest` (default: `$FLYTELITE_PLUGINS_DIR` or `.plugins/`), or None when
        `make plugins` has not run (or ran before it laid out the packages as released)."""
        suites = _plugin_suites()
        dest = dest or Path(os.environ.get("FLYTELITE_PLUGINS_DIR", suites.DEFAULT_DEST))
        manifest = dest / suites.MANIFEST
        if not manifest.is_file():
            return None
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if suites.ORIGINAL not in data:
            return None
        by_sdk = {"flytekit": Path(data[suites.ORIGINAL]).resolve(), "flytelite": Path(data["src"]).resolve()}
        found = [
            {p.name for p in (root / "flytekitplugins").glob("*") if p.is_dir() and p.name != "__pycache__"}
            for root in by_sdk.values()
        ]
        return cls(by_sdk, frozenset(found[0] & found[1]))


@dataclasses.dataclass
class Outcome:
    """The verdict for one example: `pass`, `skip` or `fail`, with the reasons."""

    example: str
    status: str
    reasons: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)  # steps not compared, and why
    seconds: float = 0.0


class Corpus:
    """Per-SDK copies of the flytesnacks projects under `work`, and the runner that executes one example."""

    def __init__(
        self, root: Path, work: Path, python: str = sys.executable, plugins: PluginPaths | None = None
    ) -> None:
        self.root = root
        self.work = work
        self.python = python
        self.plugins = plugins
        self._lock = threading.Lock()
        self._copied: set[tuple[str, str]] = set()
        self._runs = 0

    def project_copy(self, project: str, sdk: str) -> Path:
        """Copy `examples/<project>` for `sdk` once (rewritten for flytelite) and return the copy."""
        dest = self.work / sdk / project
        with self._lock:
            if (project, sdk) not in self._copied:
                shutil.copytree(self.root / "examples" / project, dest, ignore=shutil.ignore_patterns("*.ipynb"))
                if sdk == "flytelite":
                    for py in dest.rglob("*.py"):
                        py.write_text(rewrite(py.read_text(encoding="utf-8")), encoding="utf-8")
                self._copied.add((project, sdk))
        return dest

    def _env(self, scratch: Path, sdk: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLYTE", "PYTHONPATH", "PYTEST"))}
        if self.plugins is not None:  # this SDK's copy of the plugins, and only that one
            env["PYTHONPATH"] = str(self.plugins.by_sdk[sdk])
        (scratch / "home").mkdir(parents=True)
        (scratch / "tmp").mkdir()
        env.update(
            HOME=str(scratch / "home"),
            TMPDIR=str(scratch / "tmp"),
            PYTHONHASHSEED="0",
            PYTHONDONTWRITEBYTECODE="1",
            MPLBACKEND="Agg",
        )
        return env

    def run(self, example: Example, sdk: str, calls: list[str] | None = None) -> dict[str, Any]:
        """Run `example` under `sdk` in a fresh interpreter and return its record."""
        cwd = self.project_copy(example.project, sdk)
        with self._lock:
            self._runs += 1
            scratch = self.work / "runs" / f"{self._runs:04d}-{sdk}-{example.module}"
        env = self._env(scratch, sdk)
        out = scratch / "record.json"
        cmd = [self.python, str(RUNNER), "--sdk", sdk, "--module", example.dotted, "--out", str(out)]
        if calls is not None:
            cmd += ["--calls", json.dumps(calls)]
        try:
            proc = subprocess.run(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return {"sdk": sdk, "crashed": f"timed out after {TIMEOUT_S}s"}
        if not out.exists():
            return {"sdk": sdk, "crashed": f"exit code {proc.returncode}: {proc.stderr[-3000:]}"}
        record: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        allowed = {str(self.plugins.by_sdk[sdk])} if self.plugins is not None else set()
        record["foreign_plugins"] = sorted(set(record.get("plugin_roots", [])) - allowed)
        return record


def _step_skip_reason(step: dict[str, Any]) -> str | None:
    """Why flytekit's outcome of a step says nothing about flytelite (network, a module not installed, a step that
    does not end, such as a sensor polling for a sample path), or None."""
    if step.get("timeout"):
        return "flytekit did not finish it in time"
    if step.get("network"):
        return f"needs network access ({', '.join(step['network'])})"
    missing = (step.get("error") or {}).get("missing_module")
    if missing:
        return f"needs {missing} (not installed)"
    return None


def _kit_skip_reason(kit: dict[str, Any]) -> str | None:
    """Why the whole example is skipped: flytekit crashed, or importing the module needs what is not here."""
    if "crashed" in kit:
        return f"flytekit run crashed ({kit['crashed'][:300]})"
    if not kit["steps"]:
        return "flytekit recorded no steps"
    if kit.get("foreign_plugins"):  # a harness fault, not flytekit's: the oracle would be wrong
        return None
    return _step_skip_reason(kit["steps"][0])


def _short(text: str, limit: int = 600) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " ..."


def _diff(a: str, b: str) -> str:
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), "flytekit", "flytelite", lineterm="", n=1)
    return _short("\n".join(lines), 1500)


def _compare_step(kit: dict[str, Any], lite: dict[str, Any], values: bool = True, stdout: bool = True) -> str | None:
    name = kit["step"]
    if kit["ok"] and not lite["ok"]:
        err = lite["error"]
        return f"{name}: flytekit succeeded, flytelite raised {err['type']}: {_short(err.get('message', ''))}"
    if not kit["ok"] and lite["ok"]:
        err = kit["error"]
        return f"{name}: flytelite succeeded, flytekit raised {err['type']}: {_short(err.get('message', ''))}"
    if not kit["ok"]:
        want, got = set(kit["error"]["builtins"]), set(lite["error"]["builtins"])
        if not want <= got:
            return (
                f"{name}: flytekit raised {kit['error']['type']} {sorted(want)}, flytelite raised "
                f"{lite['error']['type']} {sorted(got)} (missing {sorted(want - got)}): "
                f"{_short(lite['error'].get('message', ''), 300)}"
            )
        return None
    if values and kit.get("value") != lite.get("value"):
        a = json.dumps(kit.get("value"), indent=1, sort_keys=True)
        b = json.dumps(lite.get("value"), indent=1, sort_keys=True)
        return f"{name}: results differ\n{_diff(a, b)}"
    if stdout and values and kit.get("stdout", "") != lite.get("stdout", ""):
        return f"{name}: printed output differs\n{_diff(kit.get('stdout', ''), lite.get('stdout', ''))}"
    return None


def _known(key: str, table: dict[str, str]) -> str | None:
    return next((reason for pattern, reason in table.items() if fnmatch.fnmatchcase(key, pattern)), None)


def compare(example: Example, kit: dict[str, Any], lite: dict[str, Any]) -> Outcome:
    """Judge one example from the two records (see the module docstring)."""
    reason = _kit_skip_reason(kit)
    if reason:
        if reason.startswith("needs flytekitplugins "):  # name the plugin packages, not their namespace
            plugins = sorted(set(re.findall(r"\bflytekitplugins\.(\w+)", example.path.read_text(encoding="utf-8"))))
            reason = f"needs {', '.join('flytekitplugins-' + p for p in plugins) or 'flytekitplugins'} (not installed)"
        return Outcome(example.id, "skip", [reason])
    if "crashed" in lite:
        return Outcome(example.id, "fail", [f"flytelite run crashed ({_short(lite['crashed'], 1500)})"])
    reasons, notes = [], []
    if lite.get("loaded_flytekit"):
        reasons.append("the flytelite run imported flytekit")
    for sdk, record in (("flytekit", kit), ("flytelite", lite)):
        if record.get("foreign_plugins"):
            reasons.append(f"the {sdk} run loaded flytekitplugins from {', '.join(record['foreign_plugins'])}")
    lite_steps = {s["step"]: s for s in lite["steps"]}
    for step in kit["steps"]:
        key = f"{example.id}::{step['step']}"
        known = _known(key, KNOWN_DIFFERENCES)
        if known:
            notes.append(f"{step['step']}: known difference: {known}")
            continue
        skip = _step_skip_reason(step)
        if skip:
            notes.append(f"{step['step']}: not compared, {skip}")
            continue
        other = lite_steps.get(step["step"])
        if other is None:
            reasons.append(f"{step['step']}: not reached by flytelite")
            continue
        quiet = _known(f"{key}::stdout", KNOWN_DIFFERENCES)
        if quiet:
            notes.append(f"{step['step']}: printed output not compared (known difference: {quiet})")
        unstable = _known(key, NONDETERMINISTIC)
        if unstable:
            notes.append(f"{step['step']}: values not compared ({unstable})")
        problem = _compare_step(step, other, values=not unstable, stdout=not quiet)
        if problem:
            reasons.append(problem)
    return Outcome(example.id, "fail" if reasons else "pass", reasons, notes)


def run_example(corpus: Corpus, example: Example) -> Outcome:
    """Run one example under both SDKs (flytekit first) and compare."""
    start = time.monotonic()
    reason = static_skip(example)
    if reason:
        return Outcome(example.id, "skip", [reason])
    kit = corpus.run(example, "flytekit")
    if _kit_skip_reason(kit):
        outcome = compare(example, kit, {"steps": []})
        if corpus.plugins is None and "flytekitplugins-" in outcome.reasons[0]:
            outcome.reasons[0] += f"; `{_plugin_suites().MAKE_TARGET}` prepares the ported ones"
    else:
        unfinished = {s["step"] for s in kit["steps"] if s.get("timeout")}
        calls = [c for c in kit.get("calls", []) if f"call:{c['name']}" not in unfinished]
        lite = corpus.run(example, "flytelite", calls=calls)
        outcome = compare(example, kit, lite)
    outcome.seconds = time.monotonic() - start
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--flytesnacks-dir", default=os.environ.get("FLYTESNACKS_DIR"))
    parser.add_argument("-j", "--jobs", type=int, default=1, help="examples run at once (each is two processes)")
    parser.add_argument("-k", "--filter", action="append", help="only example ids containing this text (repeatable)")
    parser.add_argument("--json", help="write the outcomes to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (copies, records)")
    parser.add_argument(
        "--plugins-dir", type=Path, default=None, help="prepared plugins (default: $FLYTELITE_PLUGINS_DIR or .plugins)"
    )
    args = parser.parse_args(argv)
    if not args.flytesnacks_dir:
        parser.error("give --flytesnacks-dir or set FLYTESNACKS_DIR")
    root = Path(args.flytesnacks_dir)
    examples = [e for e in discover(root) if not args.filter or any(f in e.id for f in args.filter)]
    work = Path(tempfile.mkdtemp(prefix="flytesnacks-"))
    plugins = PluginPaths.load(args.plugins_dir)
    if plugins is None:
        print(f"flytekitplugins-*: not prepared, their examples are skipped (run `{_plugin_suites().MAKE_TARGET}`)")
    else:
        print(
            f"flytekitplugins-* ({', '.join(sorted(plugins.packages))}): flytekit imports them from "
            f"{plugins.by_sdk['flytekit']}, flytelite from {plugins.by_sdk['flytelite']}",
            flush=True,
        )
    corpus = Corpus(root, work, plugins=plugins)
    outcomes: list[Outcome] = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            for outcome in pool.map(lambda e: run_example(corpus, e), examples):
                outcomes.append(outcome)
                print(f"{outcome.status:4} {outcome.example} ({outcome.seconds:.0f}s)", flush=True)
                for reason in outcome.reasons + [f"({note})" for note in outcome.notes]:
                    print("     " + reason.replace("\n", "\n     "), flush=True)
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("pass", "skip", "fail")}
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    if args.json:
        Path(args.json).write_text(json.dumps([dataclasses.asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
