"""Tasks serialized by both SDKs (the flytekit copy is this file with the SDK name replaced)."""

import datetime
import typing

from kubernetes.client import V1Container, V1EnvVar, V1PodSpec, V1Toleration

from flytelite.core.base_task import TaskMetadata, kwtypes
from flytelite.core.interface import Interface
from flytelite.core.pod_template import PodTemplate
from flytelite.core.python_function_task import PythonInstanceTask
from flytelite.core.resources import Resources
from flytelite.core.task import task
from flytelite.extras.accelerators import T4
from flytelite.models.security import Secret


class Echo(PythonInstanceTask[None]):
    """An instance task: its execute is written by the class, not by a user function."""

    def __init__(self, name: str, **kwargs: typing.Any) -> None:
        super().__init__(name=name, task_config=None, interface=Interface(kwtypes(a=int), kwtypes(o0=int)), **kwargs)

    def execute(self, **kwargs: typing.Any) -> typing.Any:
        return kwargs["a"] + 1


echo = Echo(
    name="my.echo",
    requests=Resources(cpu="1", mem="1Gi"),
    limits=Resources(cpu="2", mem="2Gi", ephemeral_storage="1Gi"),
    environment={"FOO": "bar", "A": "b"},
    secret_requests=[Secret(group="g", key="k")],
    metadata=TaskMetadata(retries=2),
)


@task
def t1(a: int, b: str = "x") -> typing.Tuple[int, str]:
    """Add one and echo.

    A longer description of t1.

    Args:
        a: the number
        b: the text
    """
    return a + 1, b


@task(
    cache=True,
    cache_version="1.0",
    retries=3,
    timeout=datetime.timedelta(minutes=5),
    interruptible=True,
    requests=Resources(cpu="500m", mem="200Mi", gpu="1"),
    limits=Resources(cpu="1", mem="400Mi", gpu="1"),
    environment={"K": "v"},
    secret_requests=[Secret(group="grp", key="key")],
    container_image="{{.image.other.fqn}}:{{.image.default.version}}",
    accelerator=T4,
    shared_memory="1Gi",
)
def t2(a: int) -> int:
    return a * 2


@task
def t3(xs: typing.List[int], d: typing.Dict[str, float], o: str | None = None) -> str:
    return f"{xs}{d}{o}"


@task(
    pod_template=PodTemplate(
        pod_spec=V1PodSpec(
            containers=[V1Container(name="primary", env=[V1EnvVar(name="EXTRA", value="1")])],
            tolerations=[V1Toleration(key="gpu", operator="Exists")],
        ),
        labels={"team": "ml"},
        annotations={"note": "x"},
    ),
    requests=Resources(cpu="1"),
)
def pod_task(a: int) -> int:
    return a


@task
def noop() -> None:
    pass


@task
def square(x: int) -> int:
    return x * x


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def boom(a: int) -> int:
    if a > 0:
        raise ValueError(f"boom {a}")
    return a
