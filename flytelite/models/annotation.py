"""flytekit's `flytekit.models.annotation.TypeAnnotation`, a view over `flyteidl.core.types_pb2.TypeAnnotation`."""

from __future__ import annotations

from flyteidl.core import types_pb2 as _pb

from flytelite.models._view import View, f

__all__ = ["TypeAnnotation"]


class TypeAnnotation(View):
    """Arbitrary annotations of a literal type: `TypeAnnotation({"cache-key-metadata": {...}})` (a dict)."""

    _PB = _pb.TypeAnnotation
    _FIELDS = (f("annotations", conv="dict"),)
