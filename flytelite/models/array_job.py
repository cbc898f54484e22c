"""flytekit's `flytekit.models.array_job.ArrayJob`: a map task's `custom` (a `Struct` of the plugin's `ArrayJob`)."""

from __future__ import annotations

import json
from typing import Any

from flyteidl.plugins import array_job_pb2 as _pb
from google.protobuf import json_format

from flytelite.models.common import FlyteCustomIdlEntity

__all__ = ["ArrayJob"]


class ArrayJob(FlyteCustomIdlEntity):
    """Parallelism, size, and the minimum successes (a count or a ratio) of an array job."""

    def __init__(
        self,
        parallelism: int | None = None,
        size: int | None = None,
        min_successes: int | None = None,
        min_success_ratio: float | None = None,
    ) -> None:
        if min_successes is not None and min_success_ratio is not None:
            raise ValueError("give min_successes or min_success_ratio, not both")
        self._parallelism = parallelism
        self._size = size
        self._min_successes = min_successes
        self._min_success_ratio = min_success_ratio

    @property
    def parallelism(self) -> int | None:
        """Return how many items run at once."""
        return self._parallelism

    @property
    def size(self) -> int | None:
        """Return the number of items."""
        return self._size

    @size.setter
    def size(self, value: int) -> None:
        self._size = value

    @property
    def min_successes(self) -> int | None:
        """Return the number of items that must succeed."""
        return self._min_successes

    @min_successes.setter
    def min_successes(self, value: int) -> None:
        self._min_successes = value

    @property
    def min_success_ratio(self) -> float | None:
        """Return the fraction of items that must succeed."""
        return self._min_success_ratio

    def to_dict(self) -> dict[str, Any]:
        """Return the `ArrayJob` message as a dict (JSON names)."""
        msg = _pb.ArrayJob(parallelism=self._parallelism, size=self._size)
        if self._min_successes is not None:
            msg.min_successes = self._min_successes
        elif self._min_success_ratio is not None:
            msg.min_success_ratio = self._min_success_ratio
        return dict(json_format.MessageToDict(msg))

    @classmethod
    def from_dict(cls, idl_dict: dict[str, Any]) -> ArrayJob:
        """Read an `ArrayJob` dict."""
        msg = json_format.Parse(json.dumps(idl_dict), _pb.ArrayJob())
        if msg.HasField("min_successes"):
            return cls(parallelism=msg.parallelism, size=msg.size, min_successes=msg.min_successes)
        return cls(parallelism=msg.parallelism, size=msg.size, min_success_ratio=msg.min_success_ratio)
