"""Entrypoint and packaging benchmarks, whole processes, flytelite against flytekit.

- `entrypoint_cold_start`: `flytelite-execute` vs `pyflyte-execute` running a trivial task (`inc`) from inputs to
  `outputs.pb` in a fresh process; wall time and peak RSS (`ru_maxrss` of the child). Targets: <= 150 ms, <= 35 MiB.
- `package_500_nodes`: `flytelite package` vs `pyflyte package` of a 500-node workflow. Target: <= 0.25 s.

Run with `python -m benchmarks.bench_entrypoint [--repeat N]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["SCENARIOS", "main"]

BIN = Path(sys.executable).parent
TASK = "from {sdk}.core.task import task\n\n\n@task\ndef inc(a: int) -> int:\n    return a + 1\n"
WF = (
    "from {sdk}.core.task import task\nfrom {sdk}.core.workflow import workflow\n\n\n"
    "@task\ndef inc(a: int) -> int:\n    return a + 1\n\n\n"
    "@workflow\ndef big(a: int) -> int:\n    for _ in range(500):\n        a = inc(a=a)\n    return a\n"
)
SCENARIOS = ("entrypoint_cold_start", "package_500_nodes")


def _child_run(cmd: list[str], cwd: str) -> tuple[float, float]:
    """Return (seconds, peak RSS MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(peak, before) / 1024.0


def _rss_of(cmd: list[str], cwd: str) -> float:
    """Return the peak RSS (MiB) of one run, measured in a fresh wrapper so earlier children do not count."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024.0


def _setup(folder: str) -> None:
    for sdk, app in (("flytelite", "lite_app"), ("flytekit", "kit_app")):
        os.makedirs(os.path.join(folder, app), exist_ok=True)
        Path(folder, app, "__init__.py").write_text("")
        Path(folder, app, "t.py").write_text(TASK.format(sdk=sdk))
        Path(folder, app, "w.py").write_text(WF.format(sdk=sdk))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from flytelite.models.literals import Literal, LiteralMap, Primitive, Scalar

    lm = LiteralMap(literals={"a": Literal(scalar=Scalar(primitive=Primitive(integer=1)))})
    Path(folder, "inputs.pb").write_bytes(lm.SerializeToString())


def _exec_cmd(sdk: str, folder: str) -> list[str]:
    prog, app = ("flytelite-execute", "lite_app") if sdk == "flytelite" else ("pyflyte-execute", "kit_app")
    return [
        str(BIN / prog), "--inputs", os.path.join(folder, "inputs.pb"), "--output-prefix",
        os.path.join(folder, f"out-{sdk}"), "--raw-output-data-prefix", os.path.join(folder, "raw"),
        "--resolver", f"{sdk}.core.python_auto_container.default_task_resolver", "--",
        "task-module", f"{app}.t", "task-name", "inc",
    ]


def _package_cmd(sdk: str, folder: str) -> list[str]:
    prog, app = ("flytelite", "lite_app.w") if sdk == "flytelite" else ("pyflyte", "kit_app.w")
    return [str(BIN / prog), "--pkgs", app, "package", "--image", "cr.io/i:1", "-f", "-o",
            os.path.join(folder, f"{sdk}.tgz")]


def measure(repeat: int) -> dict[str, dict[str, float]]:
    """Return {scenario: {"<sdk> ms": median, "<sdk> MiB": peak}} for both SDKs."""
    results: dict[str, dict[str, float]] = {s: {} for s in SCENARIOS}
    with tempfile.TemporaryDirectory() as folder:
        _setup(folder)
        for sdk in ("flytelite", "flytekit"):
            for scenario, make in (("entrypoint_cold_start", _exec_cmd), ("package_500_nodes", _package_cmd)):
                cmd = make(sdk, folder)
                _child_run(cmd, folder)  # warm the file system cache
                times = [_child_run(cmd, folder)[0] for _ in range(repeat)]
                results[scenario][f"{sdk} ms"] = statistics.median(times) * 1000.0
                results[scenario][f"{sdk} MiB"] = _rss_of(cmd, folder)
    return results


def main(argv: list[str] | None = None) -> int:
    """Print the medians, peak RSS and the ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_entrypoint")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    targets = {"entrypoint_cold_start": (150.0, 35.0), "package_500_nodes": (250.0, None)}
    for scenario, r in measure(max(args.repeat, 3)).items():
        lite, kit = r["flytelite ms"], r["flytekit ms"]
        ms_target, mib_target = targets[scenario]
        print(
            f"{scenario:24} flytelite {lite:7.1f} ms {r['flytelite MiB']:6.1f} MiB | flytekit {kit:7.1f} ms "
            f"{r['flytekit MiB']:6.1f} MiB | x{kit / lite:4.1f} faster | target <= {ms_target:.0f} ms"
            + (f", <= {mib_target:.0f} MiB" if mib_target else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
