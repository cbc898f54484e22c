"""What the type engine and the tasks need between flytekit-style models and protobufs, without the view machinery.

`to_pb`, `view_of`, `foreign` and `model_to_pb` are all that running a task uses; `_view` (the `View` base class, its
field tables and the property compiler) loads with the first view class, so a task of plain values never loads it.
`_view` re-exports these names and registers each view class in `_REGISTRY`.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

from google.protobuf.message import Message

if TYPE_CHECKING:
    from flytelite.models._view import View

__all__ = ["foreign", "model_to_pb", "to_pb", "view_of"]

_REGISTRY: dict[str, type[View]] = {}  # protobuf full name -> the view class that wraps it
_VIEW_MODULES = ("flytelite.models.literals", "flytelite.models.interface", "flytelite.models.task")
_FOREIGN: dict[tuple[type, str], bool] = {}


def to_pb(x: Any) -> Any:
    """Return `x` when it is a protobuf message, else `x.to_flyte_idl()` (a flytekit-style model)."""
    return x if isinstance(x, Message) else x.to_flyte_idl()


def view_of(msg: Any) -> Any:
    """Return the flytekit-style view of a protobuf message (the message itself when it has no view class).

    The view modules load on first use, so flytelite's engine pays for them only when user code needs views.
    """
    full = msg.DESCRIPTOR.full_name
    cls = _REGISTRY.get(full)
    if cls is None:
        for module in _VIEW_MODULES:
            importlib.import_module(module)
        cls = _REGISTRY.get(full)
        if cls is None:
            return msg
    from flytelite.models._view import _new_view  # loaded already: it registered `cls`

    return _new_view(cls, msg)


def foreign(obj: Any, method: str) -> bool:
    """Tell whether `type(obj).<method>` is user or plugin code (defined outside flytelite): it then gets views.

    flytelite's own transformers and dataframe handlers keep working on raw protobufs (the fast path).
    """
    key = (type(obj), method)
    found = _FOREIGN.get(key)
    if found is None:
        fn = getattr(type(obj), method, None)
        found = _FOREIGN[key] = not str(getattr(fn, "__module__", "flytelite.")).startswith("flytelite.")
    return found


def model_to_pb(x: Any) -> Any:
    """Return the protobuf form of a model (`FlyteIdlEntity`), anything else unchanged (a plugin's task result)."""
    views = sys.modules.get("flytelite.models._view")  # no model exists before `_view` is imported
    return x.to_flyte_idl() if views is not None and isinstance(x, views.FlyteIdlEntity) else x
