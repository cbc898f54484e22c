"""Schedules, notifications, execution phases, and flytekit's exception paths."""

from __future__ import annotations

import datetime

import pytest

from flytelite.core.notification import Email, PagerDuty, Slack
from flytelite.core.schedule import CronSchedule, FixedRate
from flytelite.errors import FlyteRecoverableException, FlyteValidationException
from flytelite.models.core.execution import WorkflowExecutionPhase


@pytest.mark.parametrize("schedule", ["*/5 * * * *", "0 2 * * mon-fri", "@daily", "hourly", "0 0 1 jan,jul *"])
def test_valid_cron_schedules_serialize(schedule: str) -> None:
    idl = CronSchedule(schedule=schedule, kickoff_time_input_arg="at").to_flyte_idl()
    assert idl.cron_schedule.schedule == schedule
    assert idl.kickoff_time_input_arg == "at"


@pytest.mark.parametrize("schedule", ["* * * *", "61 * * * *", "* 24 * * *", "5-1 * * * *", "*/0 * * * *", "x * * * *"])
def test_invalid_cron_schedules_are_rejected(schedule: str) -> None:
    with pytest.raises(FlyteValidationException, match="Schedule is invalid"):
        CronSchedule(schedule=schedule)


def test_cron_expression_and_bad_offset_are_rejected() -> None:
    with pytest.raises(FlyteValidationException, match="deprecated"):
        CronSchedule(cron_expression="0 10 * * ? *")
    with pytest.raises(FlyteValidationException, match="ISO 8601"):
        CronSchedule(schedule="@daily", offset="1 hour")
    assert CronSchedule(schedule="@daily", offset="PT1H").to_flyte_idl().cron_schedule.offset == "PT1H"


@pytest.mark.parametrize(
    ("duration", "value", "unit"),
    [
        (datetime.timedelta(days=3), 3, "DAY"),
        (datetime.timedelta(hours=5), 5, "HOUR"),
        (datetime.timedelta(minutes=90), 90, "MINUTE"),
    ],
)
def test_fixed_rate_uses_the_largest_unit(duration: datetime.timedelta, value: int, unit: str) -> None:
    rate = FixedRate(duration).to_flyte_idl().rate
    assert rate.value == value
    assert rate.DESCRIPTOR.fields_by_name["unit"].enum_type.values_by_number[rate.unit].name == unit


def test_fixed_rate_below_a_minute_is_rejected() -> None:
    with pytest.raises(FlyteValidationException, match="less than a minute"):
        FixedRate(datetime.timedelta(seconds=90))


@pytest.mark.parametrize(("cls", "field"), [(Email, "email"), (PagerDuty, "pager_duty"), (Slack, "slack")])
def test_notifications_serialize_to_their_field(cls: type[Email], field: str) -> None:
    n = cls(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["a@x.io"])
    idl = n.to_flyte_idl()
    assert idl.WhichOneof("type") == field
    assert list(getattr(idl, field).recipients_email) == ["a@x.io"]
    assert list(idl.phases) == [WorkflowExecutionPhase.FAILED]


def test_notifications_need_terminal_phases_and_recipients() -> None:
    with pytest.raises(FlyteValidationException, match="RUNNING"):
        Email(phases=[WorkflowExecutionPhase.RUNNING], recipients_email=["a@x.io"])
    with pytest.raises(FlyteValidationException, match="at least one phase"):
        Slack(phases=[], recipients_email=["a@x.io"])
    with pytest.raises(FlyteValidationException, match="recipient"):
        PagerDuty(phases=[WorkflowExecutionPhase.ABORTED], recipients_email=[])


def test_workflow_execution_phase_names() -> None:
    assert WorkflowExecutionPhase.enum_to_string(WorkflowExecutionPhase.TIMED_OUT) == "TIMED_OUT"
    assert WorkflowExecutionPhase.enum_to_string(42) == "42"


def test_exception_paths_reexport_one_tree() -> None:
    from flytelite.exceptions import base, eager, system, user

    assert user.FlyteRecoverableException is FlyteRecoverableException
    assert issubclass(FlyteRecoverableException, base.FlyteRecoverableException)  # as in flytekit: base is the root
    assert issubclass(system.FlyteSystemException, base.FlyteRecoverableException)
    assert issubclass(user.FlyteValueException, ValueError)
    assert issubclass(user.FlyteDisapprovalException, user.FlyteUserException)
    assert issubclass(system.FlyteSystemUnavailableException, system.FlyteSystemException)
    assert issubclass(eager.EagerException, base.FlyteException)
    assert user.FlyteTimeout("late").error_code == "USER:Timeout"
    assert str(user.FlyteValueException(3, "too big")) == "USER:ValueError: error=Value error!  Received: 3. too big"
