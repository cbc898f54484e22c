"""Launch-plan notifications: `Email`, `PagerDuty` and `Slack` (all sent as email by Flyte).

```python
LaunchPlan.get_or_create(
    wf, name="alerting",
    notifications=[Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["me@example.com"])],
)
```
They serialize into `LaunchPlanSpec.entity_metadata.notifications` (`to_flyte_idl()`); locally they do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from flyteidl.admin import common_pb2

from flytelite.errors import FlyteValidationException
from flytelite.models.core.execution import WorkflowExecutionPhase

__all__ = ["Email", "Notification", "PagerDuty", "Slack", "WorkflowExecutionPhase"]


class Notification:
    """A notification sent when a launch plan's execution reaches one of `phases` (terminal phases only).

    Raises:
        FlyteValidationException: no phase, a non-terminal phase, or no recipient.
    """

    VALID_PHASES: ClassVar[frozenset[int]] = frozenset(
        {
            WorkflowExecutionPhase.ABORTED,
            WorkflowExecutionPhase.FAILED,
            WorkflowExecutionPhase.SUCCEEDED,
            WorkflowExecutionPhase.TIMED_OUT,
        }
    )
    _FIELD: ClassVar[str] = "email"

    def __init__(self, phases: Iterable[int], recipients_email: Iterable[str]) -> None:
        self._phases = [int(p) for p in phases]
        self._recipients = list(recipients_email)
        if not self._phases:
            raise FlyteValidationException("You must specify at least one phase for a notification.")
        for p in self._phases:
            if p not in self.VALID_PHASES:
                raise FlyteValidationException(
                    f"Invalid phase: {WorkflowExecutionPhase.enum_to_string(p)}. "
                    "only terminal states are permitted for notifications"
                )
        if not self._recipients:
            raise FlyteValidationException("A notification needs at least one recipient email address.")

    @property
    def phases(self) -> list[int]:
        """Return the phases the notification fires on."""
        return list(self._phases)

    @property
    def recipients_email(self) -> list[str]:
        """Return the recipients."""
        return list(self._recipients)

    def to_flyte_idl(self) -> common_pb2.Notification:
        """Return the flyteidl `Notification`."""
        n = common_pb2.Notification(phases=self._phases)
        getattr(n, self._FIELD).recipients_email.extend(self._recipients)
        return n

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.to_flyte_idl() == other.to_flyte_idl()

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self._phases), tuple(self._recipients)))

    def __repr__(self) -> str:
        phases = [WorkflowExecutionPhase.enum_to_string(p) for p in self._phases]
        return f"{type(self).__name__}(phases={phases}, recipients_email={self._recipients})"


class Email(Notification):
    """Send an email to `recipients_email` when the execution reaches one of `phases`."""

    _FIELD = "email"


class PagerDuty(Notification):
    """Notify PagerDuty (through its email integration) when the execution reaches one of `phases`."""

    _FIELD = "pager_duty"


class Slack(Notification):
    """Notify Slack (through its email integration) when the execution reaches one of `phases`."""

    _FIELD = "slack"
