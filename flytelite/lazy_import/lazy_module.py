"""Load a module when one of its attributes is first used, so optional dependencies cost nothing until then.

```python
from flytelite import lazy_module

pd = lazy_module("pandas")   # nothing imported yet
pd.DataFrame()               # pandas is imported here
```

A module that is not installed gives a placeholder whose every attribute access raises `ImportError`, so
`lazy_module("optional_dep")` is safe at the top of a plugin module.
"""

from __future__ import annotations

import importlib.util
import sys
import types

__all__ = ["is_imported", "lazy_module"]


class _LazyModule(types.ModuleType):
    """Stand-in for a module that is not installed: reading any attribute raises `ImportError`."""

    def __init__(self, module_name: str) -> None:
        super().__init__(module_name)
        self._module_name = module_name

    def __getattribute__(self, attr: str) -> object:
        raise ImportError(f"Module {object.__getattribute__(self, '_module_name')} is not yet installed.")


def lazy_module(fullname: str) -> types.ModuleType:
    """Return the module `fullname`, imported when one of its attributes is first read.

    Args:
        fullname: the dotted module name (`"sklearn"`, `"google.cloud.bigquery"`).

    Returns:
        The module if already imported; else a lazily executed module registered in `sys.modules`; else (not
        installed) a placeholder that raises `ImportError` on use.
    """
    if fullname in sys.modules:
        return sys.modules[fullname]
    try:
        spec = importlib.util.find_spec(fullname)
    except ModuleNotFoundError:  # a parent package is missing
        spec = None
    if spec is None or spec.loader is None:
        return _LazyModule(fullname)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[fullname] = module
    loader.exec_module(module)
    return module


def is_imported(module_name: str) -> bool:
    """Tell whether `module_name` was really imported (a lazily loaded module counts once it has been used)."""
    module = sys.modules.get(module_name)
    if module is None:
        return False
    return type(module).__name__ != "_LazyModule"  # importlib's lazy module changes its class when first used
