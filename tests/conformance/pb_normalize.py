"""Read `.pb` files of a package archive into comparable dicts, with the allowed differences normalised away.

Allowed differences (DESIGN.md §1): entrypoint program names (`pyflyte-*` vs `flytelite-*`), the resolver import path
(`flytekit.` vs `flytelite.`), runtime metadata (flavor, version), module names that differ by the app folder
(`fk_app` vs `fl_app`, dnsified in node ids as `fk-app` vs `fl-app`), and the `_F_SS_C` transport, compared after
decoding. `upstreamNodeIds` come from a set in flytekit, so they are compared sorted.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import tarfile
from typing import Any

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from google.protobuf import json_format

_KINDS = {"1": task_pb2.TaskSpec, "2": workflow_pb2.WorkflowSpec, "3": launch_plan_pb2.LaunchPlan}
_RENAMES = [("pyflyte-", "flytelite-"), ("flytekit.", "flytelite."), ("fk_app", "fl_app"), ("fk-app", "fl-app")]


def _rename(s: str) -> str:
    for old, new in _RENAMES:
        s = s.replace(old, new)
    return s


def _walk(v: Any) -> Any:
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == "runtime":
                x = {**x, "version": "<v>", "flavor": "<f>"}
            elif k == "upstreamNodeIds":
                x = sorted(x)
            elif k == "env" and isinstance(x, list):
                x = [_env(e) for e in x]
            out[_rename(k)] = _walk(x)
        return out
    if isinstance(v, list):
        return [_walk(x) for x in v]
    if isinstance(v, str):
        return _rename(v)
    return v


def _env(e: dict[str, Any]) -> dict[str, Any]:
    if e.get("key") != "_F_SS_C":
        return e
    settings = json.loads(gzip.decompress(base64.b64decode(e["value"])))
    return {"key": "_F_SS_C", "value": settings}


def parse(name: str, data: bytes) -> dict[str, Any]:
    """Return the normalised dict of one `.pb` member (its kind comes from the `_1/_2/_3` suffix)."""
    msg = _KINDS[name.rsplit("_", 1)[1][0]]()
    msg.ParseFromString(data)
    return _walk(json_format.MessageToDict(msg))  # type: ignore[no-any-return]


def read_archive(path: str) -> dict[str, bytes]:
    """Return `{member name: bytes}` of a package archive."""
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]


def normalised_archive(path: str) -> dict[str, Any]:
    """Return `{normalised member name: normalised dict}` of the `.pb` members of an archive."""
    return {_rename(n): parse(n, b) for n, b in read_archive(path).items() if n.endswith(".pb")}


def tar_bytes_names(data: bytes) -> list[str]:
    """Return the member names of a gzip tar given as bytes."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return sorted(tar.getnames())
