"""Tasks whose code runs in a container image, found again in the container by a resolver.

`PythonAutoContainerTask` adds the container image, resources, secrets, accelerator and the command line
(`get_default_command`) to `PythonTask`. The command names a resolver (`--resolver <location>`) and the resolver's
loader args after `--`; `default_task_resolver` loads `task-module <module> task-name <variable>` by import.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from flytelite.core.base_task import PythonTask, Task, TaskMetadata, TaskResolverMixin
from flytelite.core.constants import RUNTIME_PACKAGES_ENV_NAME
from flytelite.core.context_manager import FlyteContextManager, FlyteEntities
from flytelite.core.tracker import FlyteTrackedABC, TrackedInstance, extract_task_module
from flytelite.errors import FlyteAssertion, FlyteTypeException
from flytelite.models._convert import model_to_pb

__all__ = [
    "ENTRYPOINT",
    "RUNTIME_PACKAGES_ENV_NAME",
    "DefaultTaskResolver",
    "PythonAutoContainerTask",
    "default_task_resolver",
    "entrypoint_args",
    "get_registerable_container_image",
    "secrets_context",
]

if TYPE_CHECKING:  # settings and the task and security protos are only needed when serializing; keep pods light
    from flyteidl.core.security_pb2 import Secret, SecurityContext
    from flyteidl.core.tasks_pb2 import Container, ExtendedResources, K8sPod

    from flytelite.configuration import ImageConfig, SerializationSettings
    from flytelite.core.resources import Resources, ResourceSpec
    from flytelite.image_spec.image_spec import ImageSpec

T = TypeVar("T")

ENTRYPOINT = "flytelite-execute"
_PRIMARY_CONTAINER_NAME_FIELD = "primary_container_name"
_PART = r"(?:\.([a-zA-Z0-9_-]+))"
_IMAGE_REPLACE_REGEX = rf"({{{{\s*\.image[s]?{_PART}{_PART}?\s*}}}})"  # compiled by `re` when first used
"""The container env var listing `ImageSpec.runtime_packages` (space-separated); the entrypoint pip-installs them.

Its one home (flytekit keeps it in `flytekit.core.constants`): here, so that reading it does not import `ImageSpec`."""
_IMAGE_SPEC_MODULE = "flytelite.image_spec.image_spec"


def _as_image_spec(img: object) -> ImageSpec | None:
    """Return `img` if it is an `ImageSpec`, else None, without importing the `ImageSpec` module.

    An `ImageSpec` can exist only once its module is loaded, so a task whose image is a string or None never pays
    for that module (a large dataclass plus `hashlib` and `base64`: ~10 ms).
    """
    module = sys.modules.get(_IMAGE_SPEC_MODULE)
    if module is not None and isinstance(img, module.ImageSpec):
        return cast("ImageSpec", img)
    return None


def entrypoint_args(program: str, resolver: str, loader_args: list[str], checkpoints: bool = True) -> list[str]:
    """Return the container arguments that run a task: the program, Flyte's I/O templates, the resolver and its args.

    Args:
        program: the console script (`flytelite-execute`, `flytelite-map-execute`).
        resolver: the resolver's location (`--resolver`).
        loader_args: what the resolver needs to find the task (after `--`).
        checkpoints: include `--checkpoint-path` and `--prev-checkpoint`.
    """
    args = [
        program,
        "--inputs",
        "{{.input}}",
        "--output-prefix",
        "{{.outputPrefix}}",
        "--raw-output-data-prefix",
        "{{.rawOutputDataPrefix}}",
    ]
    if checkpoints:
        args += ["--checkpoint-path", "{{.checkpointOutputPrefix}}", "--prev-checkpoint", "{{.prevCheckpointPrefix}}"]
    return [*args, "--resolver", resolver, "--", *loader_args]


def secrets_context(secret_requests: list[Secret] | None) -> SecurityContext | None:
    """Return the security context requesting `secret_requests` (None when there are none).

    Raises:
        FlyteTypeException: an item is not a `Secret`.
    """
    if not secret_requests:
        return None
    from flyteidl.core.security_pb2 import Secret, SecurityContext

    secrets = [model_to_pb(s) for s in secret_requests]  # `flytelite.Secret` is a model over the protobuf
    for s in secrets:
        if not isinstance(s, Secret):
            raise FlyteTypeException(f"Secret {s} should be of type flytelite.Secret, received {type(s)}")
    return SecurityContext(secrets=secrets)


class PythonAutoContainerTask(PythonTask[T], metaclass=FlyteTrackedABC):
    """A Python task whose code is in the container image.

    Args:
        name: the task name.
        task_config: plugin configuration.
        task_type: the task type (`python-task`).
        container_image: an image (`registry/name:tag`, may use `{{.image.<name>.fqn}}` templates); None = default.
        requests: resource requests.
        limits: resource limits.
        environment: env vars for the container.
        task_resolver: the resolver (default: `default_task_resolver`; a workflow's resolver wins).
        secret_requests: `Secret`s the task needs.
        pod_template: a pod template (serialized as a pod task).
        pod_template_name: the name of a pod template that exists in the cluster.
        accelerator: a GPU/TPU from `flytelite.extras.accelerators`.
        shared_memory: True or a size (`"2Gi"`) for `/dev/shm`.
        resources: requests and limits in one (`Resources(cpu=("1", "2"))`); not with `requests`/`limits`.
        labels: k8s labels (into `metadata`).
        annotations: k8s annotations (into `metadata`).
    """

    def __init__(
        self,
        name: str,
        task_config: T | None,
        task_type: str = "python-task",
        container_image: Any = None,
        requests: Resources | None = None,
        limits: Resources | None = None,
        environment: dict[str, str] | None = None,
        task_resolver: TaskResolverMixin | None = None,
        secret_requests: list[Secret] | None = None,
        pod_template: Any = None,
        pod_template_name: str | None = None,
        accelerator: Any = None,
        shared_memory: Literal[True] | str | None = None,
        resources: Resources | None = None,
        labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        sec_ctx = secrets_context(secret_requests)
        md_changes: dict[str, Any] = {"pod_template_name": pod_template_name}
        if labels is not None:
            md_changes["labels"] = labels
        if annotations is not None:
            md_changes["annotations"] = annotations
        base_md: TaskMetadata = kwargs.pop("metadata", None) or TaskMetadata()
        kwargs["metadata"] = _replace_metadata(base_md, md_changes)
        self._resources: ResourceSpec | None = None  # none given: built on first use (pods never load the module)
        if requests is not None or limits is not None or resources is not None:
            from flytelite.core.resources import ResourceSpec

            self._resources = ResourceSpec.from_arguments(requests, limits, resources)
        self._container_image = container_image
        super().__init__(
            task_type=task_type,
            name=name,
            task_config=task_config,
            security_ctx=sec_ctx,
            environment=environment,
            **kwargs,
        )
        cs = FlyteContextManager.current_context().compilation_state
        if cs is not None and cs.task_resolver is not None:
            self._task_resolver: TaskResolverMixin = cs.task_resolver
            renamed = self._task_resolver.task_name(self)
            if renamed is not None:
                self._name = renamed
        else:
            self._task_resolver = task_resolver or default_task_resolver
        self._get_command_fn: Callable[[SerializationSettings], list[str]] = self.get_default_command
        self.pod_template = pod_template
        self.accelerator = accelerator
        self.shared_memory = shared_memory

    @property
    def task_resolver(self) -> TaskResolverMixin:
        """Return the resolver that finds this task in the container."""
        return self._task_resolver

    @property
    def container_image(self) -> Any:
        """Return the configured image (None = the default image)."""
        return self._container_image

    @property
    def resources(self) -> ResourceSpec:
        """Return requests and limits."""
        if self._resources is None:
            from flytelite.core.resources import ResourceSpec

            self._resources = ResourceSpec()
        return self._resources

    def get_default_command(self, settings: SerializationSettings) -> list[str]:
        """Return the `flytelite-execute` arguments that run this task in a pod."""
        return entrypoint_args(ENTRYPOINT, self.task_resolver.location, self.task_resolver.loader_args(settings, self))

    def set_resolver(self, resolver: TaskResolverMixin) -> None:
        """Replace the resolver (e.g. for tasks defined in a notebook)."""
        self._task_resolver = resolver

    def set_command_fn(self, get_command_fn: Callable[[SerializationSettings], list[str]] | None = None) -> None:
        """Replace the function that builds the command (map tasks, fast registration)."""
        self._get_command_fn = get_command_fn or self.get_default_command

    def reset_command_fn(self) -> None:
        """Go back to `get_default_command`."""
        self._get_command_fn = self.get_default_command

    def get_command(self, settings: SerializationSettings) -> list[str]:
        """Return the container arguments."""
        return self._get_command_fn(settings)

    def get_image(self, settings: SerializationSettings) -> str:
        """Return the image to register with."""
        return get_registerable_container_image(self.container_image, settings.image_config)

    def get_container(self, settings: SerializationSettings) -> Container | None:
        """Return the container (None when a pod template is set: the pod carries it)."""
        if self.pod_template is not None:
            return None
        return self._get_container(settings)

    def _get_container(self, settings: SerializationSettings) -> Container:
        env: dict[str, str] = {}
        env.update(settings.env or {})
        env.update(self.environment)
        spec_image = _as_image_spec(self.container_image)
        if spec_image is not None and spec_image.runtime_packages:
            env[RUNTIME_PACKAGES_ENV_NAME] = " ".join(spec_image.runtime_packages)
        from flytelite.core.resources import ResourceSpec, container_resources

        spec = self.resources
        default = ResourceSpec.coerce(settings.default_resources)
        if default is not None and spec.is_empty():
            spec = default
        from flyteidl.core.tasks_pb2 import Container

        return Container(
            image=self.get_image(settings),
            command=[],
            args=self.get_command(settings),
            resources=container_resources(spec),
            env=[{"key": k, "value": v} for k, v in env.items()],
        )

    def get_k8s_pod(self, settings: SerializationSettings) -> K8sPod | None:
        """Return the pod (the pod template with this task's container merged in), or None without a template."""
        if self.pod_template is None:
            return None
        from flyteidl.core.tasks_pb2 import K8sObjectMetadata, K8sPod

        from flytelite.core.pod_template import serialize_pod_spec

        cfg = settings.image_config
        spec = serialize_pod_spec(
            self.pod_template, self._get_container(settings), lambda img: get_registerable_container_image(img, cfg)
        )
        pod = K8sPod(
            metadata=K8sObjectMetadata(
                labels=self.pod_template.labels or {}, annotations=self.pod_template.annotations or {}
            )
        )
        pod.pod_spec.update(spec)
        return pod

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        """Return `{}`, or the primary container name of the pod template."""
        if self.pod_template is None:
            return {}
        return {_PRIMARY_CONTAINER_NAME_FIELD: getattr(self.pod_template, "primary_container_name", "primary")}

    def get_extended_resources(self, settings: SerializationSettings) -> ExtendedResources | None:
        """Return the accelerator and shared memory (None when neither is set)."""
        from flytelite.core.resources import construct_extended_resources

        return construct_extended_resources(accelerator=self.accelerator, shared_memory=self.shared_memory)


def _replace_metadata(md: TaskMetadata, changes: dict[str, Any]) -> TaskMetadata:
    return dataclasses.replace(md, **changes)


class DefaultTaskResolver(TrackedInstance, TaskResolverMixin):
    """Finds a task by importing its module and reading the variable: `task-module <m> task-name <v>`."""

    def name(self) -> str:
        """Return the resolver's name."""
        return "DefaultTaskResolver"

    def load_task(self, loader_args: list[str]) -> Task:
        """Import `task-module` and return its attribute `task-name`.

        Raises:
            FlyteAssertion: the loader args are not `task-module <m> task-name <v>`.
        """
        if len(loader_args) < 4 or loader_args[0] != "task-module" or loader_args[2] != "task-name":
            raise FlyteAssertion(f"expected loader args 'task-module <module> task-name <name>', got {loader_args}")
        module = importlib.import_module(loader_args[1])
        task: Task = getattr(module, loader_args[3])
        return task

    def loader_args(self, settings: SerializationSettings, t: Task) -> list[str]:
        """Return `["task-module", <module>, "task-name", <variable or function name>]`."""
        _, module, name, _ = extract_task_module(t)
        return ["task-module", module, "task-name", name]

    def get_all_tasks(self) -> list[Task]:
        """Return every task created in this process."""
        return [e for e in FlyteEntities.entities if isinstance(e, Task)]


default_task_resolver = DefaultTaskResolver()


def get_registerable_container_image(img: Any, cfg: ImageConfig) -> str:
    """Resolve a task's image for registration: templates from `cfg`, None -> the default image.

    Raises:
        ValueError: no image is given and `cfg` has no default.
        FlyteAssertion: a template names an unknown image or attribute.
    """
    spec = _as_image_spec(img)
    if spec is not None:
        # An image listed in `cfg` under the spec's id wins; otherwise a registered builder (if any) builds it.
        found = cfg.find_image(spec.id)
        if found is not None and found.full:
            return str(found.full)
        sys.modules[_IMAGE_SPEC_MODULE].ImageBuildEngine.build(spec)
        return spec.image_name()
    if isinstance(img, str) and img:
        for group, name, attr in re.findall(_IMAGE_REPLACE_REGEX, img, re.IGNORECASE):
            found = cfg.find_image(name)
            if found is None:
                raise FlyteAssertion(f"Image Config with name {name} not found in the configuration")
            if attr == "version":
                version = (
                    found.version if found.version is not None else (cfg.default_image and cfg.default_image.version)
                )
                version = version or ""
                if ":" in version and f":{group}" in img:
                    img = img.replace(f":{group}", f"@{version}")
                else:
                    img = img.replace(group, version)
            elif attr == "fqn":
                img = img.replace(group, found.fqn)
            elif attr == "":
                img = img.replace(group, found.full)
            else:
                raise FlyteAssertion(f"Only fqn and version are supported replacements, {attr} is not supported")
        return str(img)
    if img is not None and not isinstance(img, str):
        raise FlyteTypeException(f"container_image must be a string, got {type(img).__name__}")
    if cfg.default_image is None:
        raise ValueError("An image is required for PythonAutoContainer tasks")
    return str(cfg.default_image.full)
