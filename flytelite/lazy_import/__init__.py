"""flytekit's `flytekit.lazy_import` path: load a module on first attribute access (`lazy_module`)."""

from flytelite.lazy_import.lazy_module import is_imported, lazy_module

__all__ = ["is_imported", "lazy_module"]
