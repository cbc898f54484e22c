"""flytekit's `flytekit.models.schedule.Schedule`, a view over `flyteidl.admin.schedule_pb2` (loads admin protos)."""

from __future__ import annotations

from typing import Any

from flyteidl.admin import schedule_pb2 as _pb

from flytelite.models._view import View, consts, f

__all__ = ["Schedule"]


class Schedule(View):
    """When a launch plan runs: a cron expression, a fixed rate or a cron schedule, and the kickoff-time input."""

    FixedRateUnit = consts("FixedRateUnit", dict(_pb.FixedRateUnit.items()))

    class FixedRate(View):
        """Every `value` `unit`s (`Schedule.FixedRateUnit.HOUR`)."""

        _PB = _pb.FixedRate
        _FIELDS = (f("value"), f("unit"))

    class CronSchedule(View):
        """A cron `schedule` with an ISO-8601 `offset`."""

        _PB = _pb.CronSchedule
        _FIELDS = (f("schedule"), f("offset"))

    _PB = _pb.Schedule
    _FIELDS = (
        f("kickoff_time_input_arg"),
        f("cron_expression", conv="none_if_empty"),
        f("rate"),
        f("cron_schedule"),
    )

    @property
    def schedule_expression(self) -> Any:
        """Return the cron expression, the rate or the cron schedule, whichever is set."""
        return self.cron_expression or self.rate or self.cron_schedule
