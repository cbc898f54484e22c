"""The executor kinds a run may name (`serial|threads|processes`), read without loading any executor.

`flytelite.exec.executors` imports `concurrent.futures`, which brings the `logging` module (~6 ms together). A serial
run, the default, runs its nodes in the calling thread and needs neither, so the graph runner reads the kind from
here and loads the executors only when work is handed to one.
"""

from __future__ import annotations

import os

__all__ = ["EXECUTOR_ENV_VAR", "KINDS", "executor_kind"]

EXECUTOR_ENV_VAR = "FLYTELITE_EXECUTOR"
KINDS = ("serial", "threads", "processes")


def executor_kind(kind: str | None = None) -> str:
    """Return the executor kind `kind` names (default: `$FLYTELITE_EXECUTOR`, else `serial`).

    Raises:
        ValueError: for an unknown kind.
    """
    kind = (kind or os.environ.get(EXECUTOR_ENV_VAR) or "serial").strip().lower()
    if kind not in KINDS:
        raise ValueError(f"Invalid executor {kind!r}: expected one of {', '.join(KINDS)} (set by {EXECUTOR_ENV_VAR})")
    return kind
