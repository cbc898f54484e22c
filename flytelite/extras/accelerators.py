"""GPU and TPU accelerators a task can ask for (`@task(accelerator=T4)`), at flytekit's `extras.accelerators` path.

An accelerator becomes the `gpu_accelerator` of the task's `ExtendedResources`. Multi-instance devices (A100, TPU
slices) can be partitioned: `A100.partition_1g_5gb`, or asked for whole with `A100.unpartitioned`.
"""

from __future__ import annotations

import abc

from flyteidl.core.tasks_pb2 import GPUAccelerator as _GPUAcceleratorModel

__all__ = [
    "A10G",
    "A100",
    "A100_80GB",
    "H100",
    "H200",
    "K80",
    "L4",
    "L4_VWS",
    "L40S",
    "M60",
    "P4",
    "P100",
    "RTX_PRO_6000",
    "T4",
    "V5E",
    "V5P",
    "V6E",
    "V100",
    "BaseAccelerator",
    "GPUAccelerator",
    "MultiInstanceGPUAccelerator",
]


class BaseAccelerator(abc.ABC):
    """An accelerator; `to_flyte_idl()` gives its `GPUAccelerator` protobuf."""

    @abc.abstractmethod
    def to_flyte_idl(self) -> _GPUAcceleratorModel:
        """Return the protobuf form."""


class GPUAccelerator(BaseAccelerator):
    """A whole device, named as the cluster names it (`nvidia-tesla-t4`).

    Attributes:
        device: the device name.
    """

    def __init__(self, device: str) -> None:
        self.device: str = device

    def to_flyte_idl(self) -> _GPUAcceleratorModel:
        """Return the protobuf form."""
        return _GPUAcceleratorModel(device=self.device)

    def __repr__(self) -> str:
        return f"GPUAccelerator({self.device!r})"


class MultiInstanceGPUAccelerator(BaseAccelerator):
    """A device that may be split into partitions (`partition_size`); `None` asks for the whole device.

    Without a partition choice the protobuf carries neither `partition_size` nor `unpartitioned`.

    Attributes:
        device: the device name.
    """

    _NOT_SET = object()

    def __init__(self, device: str, partition_size: object = _NOT_SET) -> None:
        self.device: str = device
        self._partition_size = partition_size

    @property
    def unpartitioned(self) -> MultiInstanceGPUAccelerator:
        """Return this device asked for whole."""
        return MultiInstanceGPUAccelerator(self.device, None)

    def partitioned(self, partition_size: str) -> MultiInstanceGPUAccelerator:
        """Return a partition of this device (`"1g.5gb"`)."""
        return MultiInstanceGPUAccelerator(self.device, partition_size)

    def to_flyte_idl(self) -> _GPUAcceleratorModel:
        """Return the protobuf form."""
        msg = _GPUAcceleratorModel(device=self.device)
        if self._partition_size is None:
            msg.unpartitioned = True
        elif isinstance(self._partition_size, str):
            msg.partition_size = self._partition_size
        return msg


def _partitions(device: str, names: dict[str, str]) -> MultiInstanceGPUAccelerator:
    base = MultiInstanceGPUAccelerator(device)
    for attr, size in names.items():
        setattr(base, attr, base.partitioned(size))
    return base


A10G = GPUAccelerator("nvidia-a10g")
L4 = GPUAccelerator("nvidia-l4")
L4_VWS = GPUAccelerator("nvidia-l4-vws")
L40S = GPUAccelerator("nvidia-l40s")
K80 = GPUAccelerator("nvidia-tesla-k80")
M60 = GPUAccelerator("nvidia-tesla-m60")
P4 = GPUAccelerator("nvidia-tesla-p4")
P100 = GPUAccelerator("nvidia-tesla-p100")
T4 = GPUAccelerator("nvidia-tesla-t4")
V100 = GPUAccelerator("nvidia-tesla-v100")
H100 = GPUAccelerator("nvidia-h100")
H200 = GPUAccelerator("nvidia-h200")
RTX_PRO_6000 = GPUAccelerator("nvidia-rtx-pro-6000")

_MIG_SIZES = ("1g", "2g", "3g", "4g", "7g")
A100 = _partitions(
    "nvidia-tesla-a100",
    {
        f"partition_{g}_{m}": f"{g}.{m}"
        for g, m in zip(_MIG_SIZES, ("5gb", "10gb", "20gb", "20gb", "40gb"), strict=True)
    },
)
A100_80GB = _partitions(
    "nvidia-a100-80gb",
    {
        f"partition_{g}_{m}": f"{g}.{m}"
        for g, m in zip(_MIG_SIZES, ("10gb", "20gb", "40gb", "40gb", "80gb"), strict=True)
    },
)
V5E = _partitions(
    "tpu-v5-lite-podslice",
    {f"slice_{s}": s for s in ("1x1", "2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16")},
)
V5P = _partitions(
    "tpu-v5p-slice",
    {
        f"slice_{s}": s
        for s in (
            "2x2x1",
            "2x2x2",
            "2x4x4",
            "4x4x4",
            "4x4x8",
            "4x8x8",
            "8x8x8",
            "8x8x16",
            "8x16x16",
            "16x16x16",
            "16x16x24",
        )
    },
)
V6E = _partitions(
    "tpu-v6e-slice",
    {f"slice_{s}": s for s in ("1x1", "2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16")},
)
