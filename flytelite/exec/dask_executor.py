"""Run a workflow's nodes on a Dask cluster: the only module that imports dask (the `dask` extra).

`distributed.Client(address).get_executor()` is a `concurrent.futures.Executor`, so the graph runner uses it as it
uses a process pool: each task travels as *(resolver location, loader args, inputs bytes)* and runs through
`remote_call.run_task` on a worker. Workers must be able to import the user's modules, and on other machines the
raw-output prefix must be an object store they can all reach.

```python
from flytelite.exec import use_executor
from flytelite.exec.dask_executor import DaskExecutor

with DaskExecutor("tcp://scheduler:8786") as ex, use_executor(ex):
    wf(a=5)
```
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable
from typing import Any, TypeVar

import distributed

__all__ = ["DaskExecutor"]

R = TypeVar("R")


class DaskExecutor(cf.Executor):
    """An executor on a Dask cluster: the scheduler at `address`, or a new local cluster when None.

    Args:
        address: a scheduler address (`tcp://host:8786`), or None for a local cluster of worker processes.
        n_workers: the number of workers of a new local cluster (default: Dask's choice).
        **client_kwargs: passed to `distributed.Client` (for example `processes=False` for thread workers).
    """

    def __init__(self, address: str | None = None, n_workers: int | None = None, **client_kwargs: Any) -> None:
        if address is None and n_workers is not None:
            client_kwargs.setdefault("n_workers", n_workers)
        if address is None:
            client_kwargs.setdefault("dashboard_address", None)
        self.client = distributed.Client(address, **client_kwargs)  # type: ignore[no-untyped-call]  # dask's API
        # pure=False: two calls of one task on equal inputs are two executions (tasks may have side effects)
        self._executor = self.client.get_executor(pure=False)  # type: ignore[no-untyped-call]

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> cf.Future[R]:
        """Schedule `fn(*args, **kwargs)` on a worker."""
        return self._executor.submit(fn, *args, **kwargs)  # type: ignore[no-any-return]  # dask is untyped here

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop using the cluster: close the client (and the local cluster it started)."""
        del cancel_futures
        self._executor.shutdown(wait=wait)
        self.client.close()  # type: ignore[no-untyped-call]
