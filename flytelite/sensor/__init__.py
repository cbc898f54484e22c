"""flytekit's `flytekit.sensor` path: tasks that wait for a condition (`BaseSensor`, `FileSensor`)."""

from flytelite.sensor.base_sensor import BaseSensor, SensorConfig, SensorMetadata
from flytelite.sensor.file_sensor import FileSensor

__all__ = ["BaseSensor", "FileSensor", "SensorConfig", "SensorMetadata"]
