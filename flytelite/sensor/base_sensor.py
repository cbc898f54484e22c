"""`BaseSensor`: a task that waits until `poke(**inputs)` returns True.

On a cluster a sensor is run by Flyte's connector service (task type `sensor`; its `custom` names the sensor
class so the service can load it). Locally, flytelite polls `poke` every `poll_interval` seconds until it returns
True, and fails with `FlyteTimeout` after the task's `timeout` (or `DEFAULT_LOCAL_TIMEOUT` when none is set).

```python
class QueueNotEmpty(BaseSensor):
    async def poke(self, queue: str) -> bool:
        return await count(queue) > 0

wait = QueueNotEmpty(name="wait_for_jobs", timeout=timedelta(minutes=30))
```
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import datetime as _dt
import inspect
import time
import typing
from typing import Any, ClassVar, Protocol, runtime_checkable

from flytelite.core.base_task import PythonTask, TaskMetadata
from flytelite.core.interface import Interface
from flytelite.errors import FlyteTimeout, FlyteValidationException

__all__ = ["DEFAULT_LOCAL_TIMEOUT", "BaseSensor", "SensorConfig", "SensorMetadata"]

DEFAULT_LOCAL_TIMEOUT = _dt.timedelta(hours=1)


@runtime_checkable
class SensorConfig(Protocol):
    """Configuration a sensor carries to the connector service (serialized with `to_dict`)."""

    def to_dict(self) -> dict[str, Any]:
        """Return the configuration as a JSON-able dict."""
        ...


@dataclasses.dataclass
class SensorMetadata:
    """What a sensor task's `custom` holds: the class to load and its configuration."""

    sensor_module: str
    sensor_name: str
    sensor_config: dict[str, Any] | None = None
    inputs: dict[str, Any] | None = None


class BaseSensor(PythonTask[None]):
    """A task that waits for a condition; subclasses define `async def poke(self, ...) -> bool`.

    The inputs are `poke`'s parameters; a sensor has no outputs.

    Args:
        name: the task name.
        timeout: how long to wait (seconds or a timedelta); also the task's timeout.
        sensor_config: configuration for the connector service.
        task_type: the task type (`sensor`).
        poll_interval: seconds between two local `poke`s.
        **kwargs: other `PythonTask` options and `TaskMetadata` fields.

    Raises:
        FlyteValidationException: both `timeout` and a `metadata` with its own timeout.

    Attributes:
        sensor_config: the configuration for the connector service.
    """

    poll_interval: ClassVar[float] = 1.0

    def __init__(
        self,
        name: str,
        timeout: _dt.timedelta | int | None = None,
        sensor_config: SensorConfig | None = None,
        task_type: str = "sensor",
        **kwargs: Any,
    ) -> None:
        hints = typing.get_type_hints(self.poke, include_extras=True)
        inputs = {k: hints.get(k) for k in inspect.signature(self.poke).parameters}
        metadata: TaskMetadata | None = kwargs.pop("metadata", None)
        if metadata is not None and timeout is not None:
            if metadata.timeout:
                raise FlyteValidationException(
                    "You cannot set both timeout and metadata parameters at the same time in the sensor"
                )
            metadata = dataclasses.replace(metadata, timeout=timeout)
        elif metadata is None:
            metadata = TaskMetadata(timeout=timeout) if timeout else TaskMetadata()
        super().__init__(
            task_type=task_type,
            name=name,
            task_config=None,
            interface=Interface(inputs=inputs),
            metadata=metadata,
            **kwargs,
        )
        self.sensor_config: SensorConfig | None = sensor_config

    @abc.abstractmethod
    async def poke(self, **kwargs: Any) -> bool:
        """Return True once the condition holds."""

    def get_custom(self, settings: Any) -> dict[str, Any]:
        """Return what the connector service needs to load this sensor (module, class, configuration)."""
        config = self.sensor_config.to_dict() if self.sensor_config is not None else None
        meta = SensorMetadata(
            sensor_module=type(self).__module__, sensor_name=type(self).__name__, sensor_config=config
        )
        return dataclasses.asdict(meta)

    def execute(self, **kwargs: Any) -> None:
        """Poll `poke` until it returns True.

        Raises:
            FlyteTimeout: the condition did not hold within the timeout.
        """
        timeout = self.metadata.timeout
        limit = timeout.total_seconds() if isinstance(timeout, _dt.timedelta) else DEFAULT_LOCAL_TIMEOUT.total_seconds()
        deadline = time.monotonic() + limit
        while not asyncio.run(self.poke(**kwargs)):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FlyteTimeout(f"sensor '{self.name}' waited {limit:g}s for {kwargs} and gave up")
            time.sleep(min(self.poll_interval, remaining))
