"""Launch-plan schedules: `CronSchedule` (a cron expression) and `FixedRate` (every N minutes, hours or days).

```python
LaunchPlan.get_or_create(wf, name="nightly", schedule=CronSchedule(schedule="0 2 * * *",
                                                                    kickoff_time_input_arg="at"))
LaunchPlan.get_or_create(wf, name="every_10m", schedule=FixedRate(duration=timedelta(minutes=10)))
```
Both serialize into `LaunchPlanSpec.entity_metadata.schedule` (`to_flyte_idl()`); Flyte's scheduler runs them.
Locally a schedule does nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import ClassVar

from flyteidl.admin import schedule_pb2

from flytelite.errors import FlyteValidationException

__all__ = ["CronSchedule", "FixedRate", "validate_cron_schedule"]

_FIELD_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))  # minute hour day-of-month month day-of-week
_FIELD_NAMES = ("minute", "hour", "day-of-month", "month", "day-of-week")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES)}
_DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_ALIASES = frozenset(
    {"hourly", "hours", "@hourly", "daily", "days", "@daily", "weekly", "weeks", "@weekly", "monthly", "months"}
    | {"@monthly", "annually", "@annually", "yearly", "years", "@yearly"}
)
_OFFSET = re.compile(r"([-+]?)P([-+0-9YMWD]+)?(T([-+0-9HMS.,]+)?)?")


def _value(token: str, index: int) -> int:
    names = _MONTHS if index == 3 else _DAYS if index == 4 else {}
    if token.lower() in names:
        return names[token.lower()]
    if not token.isdigit():
        raise ValueError(f"{token!r} is not a number")
    lo, hi = _FIELD_RANGES[index]
    v = int(token)
    if not lo <= v <= hi:
        raise ValueError(f"{v} is outside {lo}-{hi}")
    return v


def _check_field(field: str, index: int) -> None:
    for part in field.split(","):
        base, _, step = part.partition("/")
        if step and (not step.isdigit() or int(step) == 0):
            raise ValueError(f"bad step {step!r}")
        if base in ("*", "?"):
            continue
        lo, _, hi = base.partition("-")
        if hi and _value(lo, index) > _value(hi, index):
            raise ValueError(f"range {base!r} goes backwards")
        _value(lo, index)


def validate_cron_schedule(schedule: str) -> None:
    """Check a cron alias (`@daily`, `hourly`, …) or a five-field cron expression.

    Raises:
        FlyteValidationException: the schedule is neither.
    """
    if schedule.lower() in _ALIASES:
        return
    fields = schedule.split()
    try:
        if len(fields) != len(_FIELD_NAMES):
            raise ValueError(f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(fields)}")
        for i, f in enumerate(fields):
            try:
                _check_field(f, i)
            except ValueError as e:
                raise ValueError(f"{_FIELD_NAMES[i]} field {f!r}: {e}") from None
    except ValueError as e:
        raise FlyteValidationException(f"Schedule is invalid. Provided schedule: {schedule} Error: {e}") from None


class CronSchedule:
    """Run a launch plan on a cron schedule (Flyte's native scheduler).

    Args:
        cron_expression: the old AWS-style expression; no longer supported (as in flytekit), use `schedule`.
        schedule: a cron alias (`@daily`, `hourly`, …) or a five-field cron expression (`"*/5 * * * *"`).
        offset: an ISO 8601 duration to shift every run by (`"PT1H"`).
        kickoff_time_input_arg: the workflow input that receives the scheduled time.

    Raises:
        FlyteValidationException: `cron_expression` is given, or the schedule or offset is invalid.

    Attributes:
        schedule: the cron alias or expression.
        offset: the ISO 8601 offset, if any.
        kickoff_time_input_arg: the workflow input that receives the scheduled time, if any.
    """

    _VALID_CRON_ALIASES: ClassVar[frozenset[str]] = _ALIASES

    def __init__(
        self,
        cron_expression: str | None = None,
        schedule: str | None = None,
        offset: str | None = None,
        kickoff_time_input_arg: str | None = None,
    ) -> None:
        if cron_expression:
            raise FlyteValidationException(
                "cron_expression is deprecated and should not be used. Use `schedule` instead. "
                "See the documentation for more information."
            )
        if schedule is None:
            raise FlyteValidationException("CronSchedule needs a schedule (a cron alias or a cron expression)")
        validate_cron_schedule(schedule)
        if offset is not None and _OFFSET.fullmatch(offset) is None:
            raise FlyteValidationException(
                f"Offset is invalid. It must be an ISO 8601 duration. Provided offset: {offset}"
            )
        self.schedule: str = schedule
        self.offset: str | None = offset
        self.kickoff_time_input_arg: str | None = kickoff_time_input_arg

    def to_flyte_idl(self) -> schedule_pb2.Schedule:
        """Return the flyteidl `Schedule`."""
        return schedule_pb2.Schedule(
            cron_schedule=schedule_pb2.CronSchedule(schedule=self.schedule, offset=self.offset or ""),
            kickoff_time_input_arg=self.kickoff_time_input_arg or "",
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CronSchedule) and self.to_flyte_idl() == other.to_flyte_idl()

    def __hash__(self) -> int:
        return hash((self.schedule, self.offset, self.kickoff_time_input_arg))

    def __repr__(self) -> str:
        return f"CronSchedule(schedule={self.schedule!r}, offset={self.offset!r})"


class FixedRate:
    """Run a launch plan every `duration` (a whole number of minutes, hours or days).

    Args:
        duration: the interval; finer than a minute is rejected.
        kickoff_time_input_arg: the workflow input that receives the scheduled time.

    Raises:
        FlyteValidationException: the duration is not a whole number of minutes.

    Attributes:
        duration: the interval.
        kickoff_time_input_arg: the workflow input that receives the scheduled time, if any.
    """

    def __init__(self, duration: _dt.timedelta, kickoff_time_input_arg: str | None = None) -> None:
        seconds = duration.total_seconds()
        if duration.microseconds or seconds % 60 or seconds <= 0:
            raise FlyteValidationException(
                f"Granularity of less than a minute is not supported for FixedRate schedules.  Received: {duration}"
            )
        whole = int(seconds)
        if whole % 86400 == 0:
            self._value, self._unit = whole // 86400, schedule_pb2.DAY
        elif whole % 3600 == 0:
            self._value, self._unit = whole // 3600, schedule_pb2.HOUR
        else:
            self._value, self._unit = whole // 60, schedule_pb2.MINUTE
        self.duration: _dt.timedelta = duration
        self.kickoff_time_input_arg: str | None = kickoff_time_input_arg

    def to_flyte_idl(self) -> schedule_pb2.Schedule:
        """Return the flyteidl `Schedule` (the interval in days, hours or minutes, the largest that divides it)."""
        return schedule_pb2.Schedule(
            rate=schedule_pb2.FixedRate(value=self._value, unit=self._unit),
            kickoff_time_input_arg=self.kickoff_time_input_arg or "",
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FixedRate) and self.to_flyte_idl() == other.to_flyte_idl()

    def __hash__(self) -> int:
        return hash((self._value, self._unit, self.kickoff_time_input_arg))

    def __repr__(self) -> str:
        return f"FixedRate(duration={self.duration!r})"
