"""`ContainerTask`: run any container image as a task (flytekit's `flytekit.ContainerTask`, task type `raw-container`).

Flyte copies the inputs into `input_data_dir` (as files named after the inputs, plus an inputs file in
`metadata_format`), runs `command` + `arguments` (which may use `{{.inputs.<name>}}`), and reads each output from a
file named after it in `output_data_dir`.

```python
calc = ContainerTask(
    name="ellipse-area",
    image="ghcr.io/flyteorg/rawcontainers-shell:v2",
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    inputs=kwtypes(a=float, b=float),
    outputs=kwtypes(area=float),
    command=["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
)
```

Locally the container runs with the `docker` command line (no Python docker SDK) when a Docker engine is
reachable; otherwise calling the task raises an error saying so.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import os
import re
import shutil
import subprocess
from typing import Any

from flyteidl.core.literals_pb2 import LiteralMap
from flyteidl.core.security_pb2 import Secret
from flyteidl.core.tasks_pb2 import Container, DataLoadingConfig, K8sObjectMetadata, K8sPod
from flyteidl.core.tasks_pb2 import IOStrategy as _IOStrategyModel

from flytelite.configuration import SerializationSettings
from flytelite.core.base_task import PythonTask, TaskMetadata
from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.interface import Interface
from flytelite.core.pod_template import serialize_pod_spec
from flytelite.core.python_auto_container import get_registerable_container_image, secrets_context
from flytelite.core.resources import Resources, ResourceSpec, container_resources
from flytelite.core.type_engine import TypeEngine
from flytelite.errors import FlyteSystemUnavailableException, FlyteUserException
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile

__all__ = ["ContainerTask", "docker_engine_available"]

_PRIMARY_CONTAINER_NAME_FIELD = "primary_container_name"
_INPUT_TEMPLATE = re.compile(r"^\{\{\s*\.inputs\.(.*?)\s*\}\}$")
_TIMEDELTA = re.compile(r"(?:(\d+) days?, )?(?:(\d+):)?(\d+):(\d+)(?:\.(\d+))?")


def docker_engine_available() -> bool:
    """Tell whether the `docker` command exists and its engine answers (`docker info`)."""
    if shutil.which("docker") is None:
        return False
    try:
        done = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout.strip())


class ContainerTask(PythonTask[None]):
    """A task that runs a container image with a command; inputs and outputs travel as files.

    Args:
        name: the task name.
        image: the image (`registry/name:tag`, a `{{.image.<name>.fqn}}` template or an `ImageSpec`).
        command: the container command.
        inputs: input names and types (`kwtypes(a=int)`).
        metadata: the task metadata (its `pod_template_name` is replaced by `pod_template_name`).
        arguments: the container arguments.
        outputs: output names and types; each is read from `<output_data_dir>/<name>`.
        requests: resource requests.
        limits: resource limits.
        input_data_dir: where Flyte puts the inputs in the container.
        output_data_dir: where the container writes its outputs.
        metadata_format: the format of the inputs file Flyte writes (JSON, YAML or PROTO).
        io_strategy: how inputs are downloaded / outputs uploaded (see `IOStrategy`).
        secret_requests: `Secret`s the container needs.
        pod_template: a pod template (serialized as a pod task).
        pod_template_name: the name of a pod template that exists in the cluster.
        local_logs: print the container's output in local runs.
        resources: requests and limits in one (`Resources(cpu=("1", "2"))`); not with `requests`/`limits`.
        **kwargs: `PythonTask` options (`environment=`, `docs=`, …) and `TaskMetadata` fields.

    Raises:
        FlyteTypeException: a secret request is not a `Secret`.
        ValueError: `resources` together with `requests` or `limits`.

    Attributes:
        resources: requests and limits.
        image: the configured image.
        pod_template: the pod template the container runs in.
        local_logs: print the container's output in local runs.
    """

    class MetadataFormat(enum.Enum):
        """The format of the inputs file Flyte writes into `input_data_dir`."""

        JSON = DataLoadingConfig.JSON
        YAML = DataLoadingConfig.YAML
        PROTO = DataLoadingConfig.PROTO

    class IOStrategy(enum.Enum):
        """A download mode (how inputs arrive) or an upload mode (when outputs leave); the other keeps its default."""

        DOWNLOAD_EAGER = ("download", _IOStrategyModel.DOWNLOAD_EAGER)
        DOWNLOAD_STREAM = ("download", _IOStrategyModel.DOWNLOAD_STREAM)
        DO_NOT_DOWNLOAD = ("download", _IOStrategyModel.DO_NOT_DOWNLOAD)
        UPLOAD_EAGER = ("upload", _IOStrategyModel.UPLOAD_EAGER)
        UPLOAD_ON_EXIT = ("upload", _IOStrategyModel.UPLOAD_ON_EXIT)
        DO_NOT_UPLOAD = ("upload", _IOStrategyModel.DO_NOT_UPLOAD)

        def to_flyte_idl(self) -> _IOStrategyModel:
            """Return the `IOStrategy` message with this mode set."""
            kind, mode = self.value
            return _IOStrategyModel(download_mode=mode) if kind == "download" else _IOStrategyModel(upload_mode=mode)

    def __init__(
        self,
        name: str,
        image: Any,
        command: list[str],
        inputs: dict[str, type] | None = None,
        metadata: TaskMetadata | None = None,
        arguments: list[str] | None = None,
        outputs: dict[str, type] | None = None,
        requests: Resources | None = None,
        limits: Resources | None = None,
        input_data_dir: str | None = None,
        output_data_dir: str | None = None,
        metadata_format: MetadataFormat = MetadataFormat.JSON,
        io_strategy: ContainerTask.IOStrategy | None = None,
        secret_requests: list[Secret] | None = None,
        pod_template: Any = None,
        pod_template_name: str | None = None,
        local_logs: bool = False,
        resources: Resources | None = None,
        **kwargs: Any,
    ) -> None:
        sec_ctx = secrets_context(secret_requests)
        metadata = dataclasses.replace(metadata or TaskMetadata(), pod_template_name=pod_template_name)
        super().__init__(
            task_type="raw-container",
            name=name,
            interface=Interface(inputs, outputs),
            metadata=metadata,
            task_config=None,
            security_ctx=sec_ctx,
            **kwargs,
        )
        self.resources: ResourceSpec = ResourceSpec.from_arguments(requests, limits, resources)
        self.image: Any = image
        self._cmd = list(command) if command is not None else []
        self._args = list(arguments) if arguments is not None else None
        self._input_data_dir = input_data_dir
        self._output_data_dir = output_data_dir
        self._outputs = dict(outputs or {})
        self._md_format = metadata_format
        self._io_strategy = io_strategy
        self.pod_template = pod_template
        self.local_logs = local_logs

    # --- serialization ---------------------------------------------------------------------------
    def _get_data_loading_config(self) -> DataLoadingConfig:
        cfg = DataLoadingConfig(
            input_path=self._input_data_dir or "",
            output_path=self._output_data_dir or "",
            format=self._md_format.value,
            enabled=True,
        )
        if self._io_strategy is not None:
            cfg.io_strategy.CopyFrom(self._io_strategy.to_flyte_idl())
        return cfg

    def _get_container(self, settings: SerializationSettings) -> Container:
        env = dict(settings.env or {})
        env.update(self.environment)
        return Container(
            image=get_registerable_container_image(self.image, settings.image_config),
            command=self._cmd,
            args=self._args or [],
            resources=container_resources(self.resources),
            env=[{"key": k, "value": v} for k, v in env.items()],
            data_config=self._get_data_loading_config(),
        )

    def get_container(self, settings: SerializationSettings) -> Container | None:
        """Return the container (None when a pod template is set: the pod carries it)."""
        if self.pod_template is not None:
            return None
        return self._get_container(settings)

    def get_k8s_pod(self, settings: SerializationSettings) -> K8sPod | None:
        """Return the pod (the template with this task's container as primary), or None without a template."""
        if self.pod_template is None:
            return None
        cfg = settings.image_config
        spec = serialize_pod_spec(
            self.pod_template, self._get_container(settings), lambda img: get_registerable_container_image(img, cfg)
        )
        if not self._args:  # flytekit leaves `args` out of the primary container when there are none
            for c in spec.get("containers", []):
                if c.get("name") == self.pod_template.primary_container_name and not c.get("args"):
                    c.pop("args", None)
        pod = K8sPod(
            metadata=K8sObjectMetadata(
                labels=self.pod_template.labels or {}, annotations=self.pod_template.annotations or {}
            ),
            data_config=self._get_data_loading_config(),
        )
        pod.pod_spec.update(spec)
        return pod

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        """Return `{}`, or the primary container name of the pod template."""
        if self.pod_template is None:
            return {}
        return {_PRIMARY_CONTAINER_NAME_FIELD: self.pod_template.primary_container_name}

    # --- local execution -------------------------------------------------------------------------
    def _render_arg(self, arg: str, inputs: dict[str, Any], volumes: dict[str, str]) -> str:
        """Replace `{{.inputs.x}}` by the value, and `<input_data_dir>/x` of a file/dir input by a mounted path."""
        in_dir = os.path.normpath(self._input_data_dir) if self._input_data_dir else ""
        path_key = arg[len(in_dir) + 1 :] if in_dir and arg.startswith(in_dir + "/") else None
        match = _INPUT_TEMPLATE.match(arg)
        key = path_key or (match.group(1) if match else None)
        if key is None or key not in inputs:
            return arg
        value = inputs[key]
        if isinstance(value, (FlyteFile, FlyteDirectory)):
            if path_key is None:
                raise FlyteUserException(
                    f"ContainerTask '{self.name}': file and directory inputs must be referenced by path "
                    f"('{in_dir or '<input_data_dir>'}/{key}'), not by '{{{{.inputs.{key}}}}}'"
                )
            target = f"{in_dir}/{key}"
            volumes[os.path.abspath(str(value.path))] = target
            return target
        return str(value)

    def _docker_command(self, inputs: dict[str, Any], output_dir: str) -> list[str]:
        volumes: dict[str, str] = {}
        args = [self._render_arg(a, inputs, volumes) for a in [*self._cmd, *(self._args or [])]]
        out_dir = os.path.normpath(self._output_data_dir) if self._output_data_dir else "/var/outputs"
        volumes[output_dir] = out_dir
        cmd = ["docker", "run", "--rm"]
        for host, bind in volumes.items():
            cmd += ["-v", f"{host}:{bind}:rw"]
        for k, v in self.environment.items():
            cmd += ["-e", f"{k}={v}"]
        image = self.image if isinstance(self.image, str) else str(getattr(self.image, "image_name", lambda: "")())
        return [*cmd, image, *args]

    def execute(self, **kwargs: Any) -> LiteralMap:
        """Run the container locally with `docker run` and read its outputs.

        Raises:
            FlyteSystemUnavailableException: no Docker engine is reachable.
            FlyteUserException: the container exits with a non-zero code.
        """
        if not docker_engine_available():
            raise FlyteSystemUnavailableException(
                f"ContainerTask '{self.name}' runs its image with Docker in local runs, but no Docker engine is "
                "reachable (`docker info` failed or the `docker` command is missing). Start Docker, or run the task "
                "on a Flyte cluster."
            )
        ctx = FlyteContextManager.current_context()
        output_dir = os.path.abspath(ctx.file_access.get_random_local_directory())
        cmd = self._docker_command(kwargs, output_dir)
        done = subprocess.run(cmd, capture_output=not self.local_logs, text=True)
        if done.returncode != 0:
            tail = (done.stderr or "")[-2000:] if not self.local_logs else ""
            raise FlyteUserException(f"ContainerTask '{self.name}' exited with code {done.returncode}. {tail}".strip())
        return TypeEngine.dict_to_literal_map(ctx, self._read_outputs(output_dir), dict(self._outputs))

    def _read_outputs(self, output_dir: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, t in self._outputs.items():
            path = os.path.join(output_dir, k)
            if t in (FlyteFile, FlyteDirectory):
                out[k] = t(path=path)
                continue
            with open(path, encoding="utf-8") as f:
                out[k] = _parse_output(f.read(), t)
        return out


def _parse_output(text: str, t: Any) -> Any:
    """Read an output file's text as `t` (flytekit's rules: bool is "not false", ISO datetimes, `str(timedelta)`)."""
    if t is bool:
        return text.strip().lower() != "false"
    if t is _dt.datetime:
        return _dt.datetime.fromisoformat(text.strip())
    if t is _dt.timedelta:
        m = _TIMEDELTA.match(text.strip())
        if m is None:
            raise ValueError(f"Invalid timedelta string format: {text!r}")
        days, hours, minutes, seconds, micros = (int(g) if g else 0 for g in m.groups())
        return _dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds, microseconds=micros)
    return t(text.strip()) if t in (int, float) else t(text)
