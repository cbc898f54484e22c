"""flytekit's import path for storage: `from flytelite.core.data_persistence import FileAccessProvider`."""

from flytelite.storage import FileAccessProvider, get_fsspec_storage_options

__all__ = ["FileAccessProvider", "get_fsspec_storage_options"]
