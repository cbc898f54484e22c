"""Map a task's `Resources` requests to Dask worker resources, and check that some worker can meet them.

A task's requests (its limits where no request is given) become `{"CPU": cores, "memory": bytes, "GPU": count}`.
Dask schedules a task with resources only on a worker started with `--resources` naming them, so:

- a resource some worker declares (`dask worker --resources "CPU=4 memory=16e9 GPU=1"`) is passed on submit, and
  a request larger than every worker's declared amount is an error;
- CPU and memory that no worker declares are not passed (every worker has some), but a request larger than every
  worker's threads or memory limit is an error;
- a GPU request when no worker declares enough `GPU` is an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flytelite.exec._dask_errors import DaskResourceError

__all__ = ["check_resources", "dask_resources", "parse_cpu", "parse_memory"]

_MEMORY_UNITS = {
    "": 1,
    "k": 10**3,
    "m": 10**6,
    "g": 10**9,
    "t": 10**12,
    "p": 10**15,
    "ki": 2**10,
    "mi": 2**20,
    "gi": 2**30,
    "ti": 2**40,
    "pi": 2**50,
}
_QUANTITY = re.compile(r"^\s*([0-9.eE+-]+?)\s*([a-zA-Z]*)\s*$")


def parse_cpu(value: Any) -> float:
    """Return cores from `"500m"`, `"2"`, `2` or `0.5`."""
    text = str(value).strip()
    if text.endswith("m"):
        return float(text[:-1]) / 1000
    return float(text)


def parse_memory(value: Any) -> float:
    """Return bytes from `"2Gi"`, `"500M"`, `"1e9"` or `1024`."""
    m = _QUANTITY.match(str(value))
    unit = m.group(2).lower().removesuffix("b") if m else None
    if m is None or unit not in _MEMORY_UNITS:
        raise ValueError(f"{value!r} is not an amount of memory (like '512Mi' or '2Gi')")
    return float(m.group(1)) * _MEMORY_UNITS[unit]


def dask_resources(task: Any) -> dict[str, float]:
    """Return the Dask resources a task asks for (empty when it asks for none)."""
    spec = getattr(task, "resources", None)
    if spec is None:
        return {}
    out: dict[str, float] = {}
    for name, attr, parse in (("CPU", "cpu", parse_cpu), ("memory", "mem", parse_memory), ("GPU", "gpu", float)):
        value = getattr(spec.requests, attr, None)
        if value is None:
            value = getattr(spec.limits, attr, None)
        if value is not None and parse(value) > 0:
            out[name] = parse(value)
    return out


def _show(name: str, amount: float) -> str:
    return f"{amount / 2**30:.3g} GiB of memory" if name == "memory" else f"{amount:g} {name}"


def check_resources(task_name: str, wanted: Mapping[str, float], workers: Mapping[str, Any]) -> dict[str, float]:
    """Return the resources to submit `task_name` with; raise if no worker can meet `wanted`.

    Args:
        task_name: names the task in the error.
        wanted: what `dask_resources` returned.
        workers: the scheduler's `workers` (address → info with `resources`, `nthreads`, `memory_limit`); when
            empty nothing is checked (workers may join later, e.g. on an adaptive cluster).

    Raises:
        DaskResourceError: no worker offers enough of some resource.
    """
    if not wanted or not workers:
        return dict(wanted)
    infos = list(workers.values())
    declared = {name for w in infos for name in (w.get("resources") or {})}
    submit: dict[str, float] = {}
    for name, amount in wanted.items():
        if name in declared or name == "GPU":
            best = max(float((w.get("resources") or {}).get(name, 0)) for w in infos)
            source = f"declared with `dask worker --resources {name}=...`"
            submit[name] = amount
        elif name == "CPU":
            best, source = max(float(w.get("nthreads") or 0) for w in infos), "threads"
        else:
            best, source = max(float(w.get("memory_limit") or 0) for w in infos), "memory limit"
            if best == 0:  # workers without a memory limit take any request
                continue
        if amount > best:
            raise DaskResourceError(
                f"task '{task_name}' requests {_show(name, amount)}, but no Dask worker has that much "
                f"(the most any of the {len(infos)} workers has is {_show(name, best)}, {source}): lower the "
                'request or start workers with more (`dask worker --resources "CPU=4 memory=16e9 GPU=1"`)'
            )
    return submit
