"""flytekit's `flytekit.models.qubole` classes, views over `flyteidl.plugins.qubole_pb2`."""

from __future__ import annotations

from flyteidl.plugins import qubole_pb2 as _pb

from flytelite.models._view import View, f

__all__ = ["HiveQuery", "HiveQueryCollection", "QuboleHiveJob"]


class HiveQuery(View):
    """A Hive query with its timeout and retry count."""

    _PB = _pb.HiveQuery
    _FIELDS = (f("query"), f("timeout_sec"), f("retry_count", pb="retryCount"))


class HiveQueryCollection(View):
    """A list of Hive queries."""

    _PB = _pb.HiveQueryCollection
    _FIELDS = (f("queries"),)


class QuboleHiveJob(View):
    """A Qubole Hive job: query, cluster label, tags and a query collection."""

    _PB = _pb.QuboleHiveJob
    _FIELDS = (f("query"), f("cluster_label"), f("tags"), f("query_collection"))
