"""flytekit's import path for storage: `from flytelite.core.data_persistence import FileAccessProvider`.

`flyte_tmp_dir` (this process's scratch folder, `flyte-…` under the system temp folder) and
`default_local_file_access_provider` (a provider whose sandbox and raw outputs live in it) are made on first use,
not on import as in flytekit.
"""

from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING, Any

from flytelite.storage import FileAccessProvider, get_fsspec_storage_options

__all__ = [
    "FileAccessProvider",
    "default_local_file_access_provider",
    "flyte_tmp_dir",
    "get_fsspec_storage_options",
]


def _make(name: str) -> Any:
    if name == "flyte_tmp_dir":
        return tempfile.mkdtemp(prefix="flyte-")
    root = globals().get("flyte_tmp_dir") or __getattr__("flyte_tmp_dir")
    return FileAccessProvider(
        local_sandbox_dir=os.path.join(root, "sandbox"), raw_output_prefix=os.path.join(root, "raw")
    )


def __getattr__(name: str) -> Any:
    if name not in ("flyte_tmp_dir", "default_local_file_access_provider"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = _make(name)
    return value


if TYPE_CHECKING:
    flyte_tmp_dir: str
    default_local_file_access_provider: FileAccessProvider
