"""flytekit's `flytekit.models.presto.PrestoQuery`, a view over `flyteidl.plugins.presto_pb2`."""

from __future__ import annotations

from flyteidl.plugins import presto_pb2 as _pb

from flytelite.models._view import View, f

__all__ = ["PrestoQuery"]


class PrestoQuery(View):
    """A Presto query: routing group, catalog, schema and statement (a task's `custom`)."""

    _PB = _pb.PrestoQuery
    _FIELDS = (f("routing_group"), f("catalog"), f("schema"), f("statement"))
