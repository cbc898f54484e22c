"""flytekit's `flytekit.models.core.errors` classes, views over `flyteidl.core.errors_pb2` (what `error.pb` holds)."""

from __future__ import annotations

from flyteidl.core import errors_pb2 as _pb
from google.protobuf.timestamp_pb2 import Timestamp

from flytelite.models._view import View, consts, f

__all__ = ["ContainerError", "ErrorDocument"]


class ContainerError(View):
    """A task's failure: code, message, kind (recoverable or not), origin (user or system), timestamp, worker."""

    Kind = consts("Kind", dict(_pb.ContainerError.Kind.items()))

    _PB = _pb.ContainerError
    _FIELDS = (
        f("code"),
        f("message"),
        f("kind"),
        f("origin"),
        f("timestamp", conv="raw", default=Timestamp()),
        f("worker"),
    )


class ErrorDocument(View):
    """The content of `error.pb`: one `ContainerError`."""

    _PB = _pb.ErrorDocument
    _FIELDS = (f("error"),)
