"""Helpers: run the real console scripts in subprocesses and read the files they write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flyteidl.core.dynamic_job_pb2 import DynamicJobSpec
from flyteidl.core.errors_pb2 import ErrorDocument
from flyteidl.core.literals_pb2 import Literal, LiteralCollection, LiteralMap, Primitive, Scalar

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEFAULT_RESOLVER = "flytelite.core.python_auto_container.default_task_resolver"
MAP_RESOLVER = "flytelite.core.array_node_map_task.ArrayNodeMapTaskResolver"


def int_lit(v: int) -> Literal:
    return Literal(scalar=Scalar(primitive=Primitive(integer=v)))


def list_lit(vs: list[int]) -> Literal:
    return Literal(collection=LiteralCollection(literals=[int_lit(v) for v in vs]))


class Pod:
    """One fake pod: an inputs file, an output prefix, and the console script run on them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.inputs = tmp / "inputs.pb"
        self.out = tmp / "out"

    def write_inputs(self, **literals: Literal) -> None:
        self.inputs.write_bytes(LiteralMap(literals=literals).SerializeToString())

    def run(
        self,
        script: str,
        loader_args: list[str],
        extra: list[str] | None = None,
        env: dict[str, str] | None = None,
        resolver: str = DEFAULT_RESOLVER,
    ) -> subprocess.CompletedProcess[str]:
        cmd = [
            str(BIN / script),
            "--inputs",
            str(self.inputs),
            "--output-prefix",
            str(self.out),
            "--raw-output-data-prefix",
            "{{.rawOutputDataPrefix}}",
            "--checkpoint-path",
            "{{.checkpointOutputPrefix}}",
            "--prev-checkpoint",
            "{{.prevCheckpointPrefix}}",
            *(extra or []),
            "--resolver",
            resolver,
            "--",
            *loader_args,
        ]
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)

    def files(self) -> list[str]:
        return sorted(os.listdir(self.out)) if self.out.exists() else []

    def outputs(self) -> LiteralMap:
        m = LiteralMap()
        m.ParseFromString((self.out / "outputs.pb").read_bytes())
        return m

    def error(self) -> Any:
        d = ErrorDocument()
        d.ParseFromString((self.out / "error.pb").read_bytes())
        return d.error

    def futures(self) -> DynamicJobSpec:
        d = DynamicJobSpec()
        d.ParseFromString((self.out / "futures.pb").read_bytes())
        return d


@pytest.fixture
def pod(tmp_path: Path) -> Pod:
    return Pod(tmp_path)


def task_args(name: str) -> list[str]:
    return ["task-module", "tests.entrypoint.ep_tasks", "task-name", name]
