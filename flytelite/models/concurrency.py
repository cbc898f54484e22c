"""Launch-plan concurrency limits at flytekit's `flytekit.models.concurrency` path.

```python
LaunchPlan.get_or_create(wf, name="one_at_a_time", concurrency=ConcurrencyPolicy(max_concurrency=1))
```
serializes into `LaunchPlanSpec.concurrency_policy` (`max`, `behavior`). Flyte enforces the limit; local runs do not.
Importing this module loads the admin launch-plan protos (`import flytelite` does not).
"""

from __future__ import annotations

from typing import ClassVar

from flyteidl.admin import launch_plan_pb2

__all__ = ["ConcurrencyLimitBehavior", "ConcurrencyPolicy"]


class ConcurrencyLimitBehavior:
    """What Flyte does with a new execution when the limit is reached (`SKIP`: it is not started)."""

    SKIP: ClassVar[int] = launch_plan_pb2.CONCURRENCY_LIMIT_BEHAVIOR_SKIP

    @classmethod
    def enum_to_string(cls, val: int) -> str:
        """Return the behaviour's name (`"<UNKNOWN>"` for other values)."""
        return "SKIP" if val == cls.SKIP else "<UNKNOWN>"


class ConcurrencyPolicy:
    """At most `max_concurrency` executions of a launch plan run at once; `behavior` says what happens to more.

    Args:
        max_concurrency: the limit.
        behavior: a `ConcurrencyLimitBehavior` value (default `SKIP`).
    """

    def __init__(self, max_concurrency: int, behavior: int | None = None) -> None:
        self._max_concurrency = max_concurrency
        self._behavior = behavior if behavior is not None else ConcurrencyLimitBehavior.SKIP

    @property
    def max_concurrency(self) -> int:
        """Return the largest number of executions that may run at once."""
        return self._max_concurrency

    @property
    def behavior(self) -> int:
        """Return what happens to an execution over the limit."""
        return self._behavior

    def to_flyte_idl(self) -> launch_plan_pb2.ConcurrencyPolicy:
        """Return the flyteidl `ConcurrencyPolicy`."""
        return launch_plan_pb2.ConcurrencyPolicy(max=self._max_concurrency, behavior=self._behavior)

    @classmethod
    def from_flyte_idl(cls, pb2_object: launch_plan_pb2.ConcurrencyPolicy) -> ConcurrencyPolicy:
        """Read a flyteidl `ConcurrencyPolicy`."""
        return cls(max_concurrency=pb2_object.max, behavior=pb2_object.behavior)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConcurrencyPolicy) and self.to_flyte_idl() == other.to_flyte_idl()

    def __hash__(self) -> int:
        return hash((self._max_concurrency, self._behavior))

    def __repr__(self) -> str:
        behavior = ConcurrencyLimitBehavior.enum_to_string(self._behavior)
        return f"ConcurrencyPolicy(max_concurrency={self._max_concurrency}, behavior={behavior})"
