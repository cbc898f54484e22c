"""flytekit's `flytekit.models.core.types` classes (`BlobType`, `EnumType`), views over `flyteidl.core.types_pb2`."""

from __future__ import annotations

from flyteidl.core import types_pb2 as _pb

from flytelite.models._view import View, consts, f

__all__ = ["BlobType", "EnumType"]


class EnumType(View):
    """The type of an enum: its allowed string `values`."""

    _PB = _pb.EnumType
    _FIELDS = (f("values"),)


class BlobType(View):
    """The type of a blob: its `format` (`"csv"`, `""` for any) and `dimensionality` (single file or folder)."""

    BlobDimensionality = consts("BlobDimensionality", dict(_pb.BlobType.BlobDimensionality.items()))

    _PB = _pb.BlobType
    _FIELDS = (f("format"), f("dimensionality"))
