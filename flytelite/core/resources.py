"""CPU, memory, GPU and disk a task asks for, and their protobuf forms.

`Resources(cpu="1", mem="2Gi")` is used for `requests=` and `limits=`; with `resources=` (on a task or in
`with_overrides`) each field may be a `(request, limit)` pair, and a single value is a request only, as in flytekit.
`ResourceSpec` holds both halves. The task protos are loaded when a protobuf form is first asked for (serializing),
not when a task is declared.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Literal

from flytelite.core.constants import SHARED_MEMORY_MOUNT_NAME, SHARED_MEMORY_MOUNT_PATH
from flytelite.models._convert import view_of

if TYPE_CHECKING:
    from flyteidl.core.tasks_pb2 import ExtendedResources
    from flyteidl.core.tasks_pb2 import Resources as _ResourcesModel

__all__ = [
    "SHARED_MEMORY_MOUNT_NAME",
    "SHARED_MEMORY_MOUNT_PATH",
    "ResourceSpec",
    "Resources",
    "construct_extended_resources",
    "container_resources",
    "convert_resources_to_resource_model",
]


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "cpu": (str, int, float),
    "mem": (str, int),
    "gpu": (str, int),
    "ephemeral_storage": (str, int),
}


@dataclasses.dataclass(frozen=True)
class Resources:
    """Amounts of CPU (`"500m"`, `1`), memory (`"2Gi"`), GPUs and ephemeral storage; a pair means (request, limit).

    Raises:
        FlyteTypeException-compatible `TypeError`/`ValueError`: a value of the wrong type, or a pair of wrong length.
    """

    cpu: str | int | float | tuple[Any, Any] | list[Any] | None = None
    mem: str | int | tuple[Any, Any] | list[Any] | None = None
    gpu: str | int | tuple[Any, Any] | list[Any] | None = None
    ephemeral_storage: str | int | None = None

    def __post_init__(self) -> None:
        for name, valid in _FIELD_TYPES.items():
            value = getattr(self, name)
            if value is None or isinstance(value, valid):
                continue
            if isinstance(value, (list, tuple)) and all(isinstance(v, valid) for v in value):
                if len(value) != 2:
                    raise ValueError(f"Resources.{name}={value!r} must be a (request, limit) pair")
                continue
            names = ", ".join(t.__name__ for t in valid)
            raise TypeError(f"Resources.{name}={value!r} should be of type {names} or a pair of them")

    def to_dict(self) -> dict[str, Any]:
        """Return flytekit's JSON form."""
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class ResourceSpec:
    """Requests and limits together."""

    requests: Resources = dataclasses.field(default_factory=Resources)
    limits: Resources = dataclasses.field(default_factory=Resources)

    @classmethod
    def from_multiple_resource(cls, resource: Resources) -> ResourceSpec:
        """Split `resources=` into requests and limits: a pair is (request, limit), a single value a request only."""
        requests: dict[str, Any] = {}
        limits: dict[str, Any] = {}
        for f in dataclasses.fields(resource):
            value = getattr(resource, f.name)
            if isinstance(value, (list, tuple)):
                requests[f.name], limits[f.name] = value
            elif value is not None:
                requests[f.name] = value
        return cls(requests=Resources(**requests), limits=Resources(**limits))

    @classmethod
    def from_arguments(
        cls, requests: Resources | None, limits: Resources | None, resources: Resources | None
    ) -> ResourceSpec:
        """Return the spec of a task's `requests=`/`limits=` or `resources=` arguments.

        Raises:
            ValueError: `resources` is given together with `requests` or `limits`.
        """
        if resources is None:
            return cls(requests=requests or Resources(), limits=limits or Resources())
        if limits is not None or requests is not None:
            raise ValueError(
                "`resource` can not be used together with the `limits` or `requests`. Please only set `resource`."
            )
        return cls.from_multiple_resource(resources)

    @classmethod
    def coerce(cls, value: ResourceSpec | dict[str, Any] | None) -> ResourceSpec | None:
        """Accept a spec or its JSON dict form (`SerializationSettings.from_transport` gives the latter)."""
        if value is None or isinstance(value, ResourceSpec):
            return value
        return cls(requests=Resources(**(value.get("requests") or {})), limits=Resources(**(value.get("limits") or {})))

    def is_empty(self) -> bool:
        """Tell whether neither requests nor limits are set."""
        return self.requests == Resources() and self.limits == Resources()


def _entries(resources: Resources) -> list[_ResourcesModel.ResourceEntry]:
    from flyteidl.core.tasks_pb2 import Resources as _ResourcesModel

    names = _ResourcesModel.ResourceName
    order = (
        ("cpu", names.CPU),
        ("mem", names.MEMORY),
        ("gpu", names.GPU),
        ("ephemeral_storage", names.EPHEMERAL_STORAGE),
    )
    entries = []
    for attr, name in order:
        value = getattr(resources, attr)
        if isinstance(value, (list, tuple)):
            raise ValueError(f"{value} can not be a list or tuple")
        if value is not None:
            entries.append(_ResourcesModel.ResourceEntry(name=name, value=str(value)))
    return entries


def convert_resources_to_resource_model(requests: Resources | None = None, limits: Resources | None = None) -> Any:
    """Return flytekit's `Resources` model (`flytelite.models.task.Resources`; entries only for set values).

    Plugins call `.to_flyte_idl()` on it and read `.requests` / `.limits` as lists of `ResourceEntry`.
    """
    from flyteidl.core.tasks_pb2 import Resources as _ResourcesModel

    msg = _ResourcesModel(requests=_entries(requests) if requests else [], limits=_entries(limits) if limits else [])
    return view_of(msg)


def container_resources(spec: ResourceSpec) -> _ResourcesModel:
    """Return the `Resources` protobuf of a task container (flytekit's order: storage, CPU, GPU, memory)."""
    from flyteidl.core.tasks_pb2 import Resources as _ResourcesModel

    names = _ResourcesModel.ResourceName
    order = (
        ("ephemeral_storage", names.EPHEMERAL_STORAGE),
        ("cpu", names.CPU),
        ("gpu", names.GPU),
        ("mem", names.MEMORY),
    )

    def entries(r: Resources) -> list[_ResourcesModel.ResourceEntry]:
        out = []
        for attr, name in order:
            value = getattr(r, attr)
            if isinstance(value, (list, tuple)):
                raise ValueError(f"{value} can not be a list or tuple")
            if value:
                out.append(_ResourcesModel.ResourceEntry(name=name, value=str(value)))
        return out

    return _ResourcesModel(requests=entries(spec.requests), limits=entries(spec.limits))


def construct_extended_resources(
    *, accelerator: Any = None, shared_memory: Literal[True] | str | None = None
) -> ExtendedResources | None:
    """Return the `ExtendedResources` of an accelerator and shared memory, or None when neither is set.

    `shared_memory=True` mounts `/dev/shm` without a size limit; a string sets the limit (`"2Gi"`).
    """
    from flyteidl.core.tasks_pb2 import ExtendedResources, SharedMemory

    msg = ExtendedResources()
    found = False
    if accelerator is not None:
        msg.gpu_accelerator.CopyFrom(accelerator.to_flyte_idl())
        found = True
    if shared_memory is True or isinstance(shared_memory, str):
        size = "" if shared_memory is True else shared_memory
        msg.shared_memory.CopyFrom(
            SharedMemory(mount_name=SHARED_MEMORY_MOUNT_NAME, mount_path=SHARED_MEMORY_MOUNT_PATH, size_limit=size)
        )
        found = True
    return msg if found else None
