"""The errors of the Dask engine (no dask import here, so callers may catch them without the extra).

```
RuntimeError
└── DaskEngineError        the cluster cannot run the work: unreachable or lost scheduler, no workers, flytelite
    │                      missing or of another version on the cluster, a local raw-output prefix
    ├── DaskCodeError      the user's code cannot reach the workers: a task in `__main__` or a notebook, a module a
    │                      worker cannot import, a worker running another version of the code
    └── DaskResourceError  a task asks for more CPU, memory or GPUs than any worker has
```
"""

from __future__ import annotations

__all__ = ["DaskCodeError", "DaskEngineError", "DaskResourceError"]


class DaskEngineError(RuntimeError):
    """The Dask cluster cannot run the work (the message says what is wrong and what to change)."""


class DaskCodeError(DaskEngineError):
    """The user's code cannot be run on the Dask workers (not importable there, or another version)."""


class DaskResourceError(DaskEngineError):
    """A task's resource request exceeds what every Dask worker offers."""
