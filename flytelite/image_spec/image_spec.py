"""`ImageSpec`: a container image declared in code, named exactly as flytekit names it.

```python
image = ImageSpec(name="wine", registry="ghcr.io/me", packages=["pandas==2.2.2"], python_version="3.11")

@task(container_image=image)
def train(...): ...
```
The task serializes with `image.image_name()` (`ghcr.io/me/wine:<tag>`), where the tag is flytekit's hash of the
spec, so flytelite and flytekit agree on which image a spec means. flytelite does **not build images**: build
and push them with an external builder (flytekit's `pyflyte build`/`envd`, `docker build`, CI), or register a
builder with `ImageBuildEngine.register` — flytelite calls it when it serializes a task that uses the spec.
"""

from __future__ import annotations

import base64
import copy as _copy
import dataclasses
import enum
import hashlib
import os
import pathlib
import re
import stat
import sys
from typing import Any, ClassVar

from flytelite.errors import FlyteValidationException

__all__ = ["CopyFileDetection", "ImageBuildEngine", "ImageSpec", "ImageSpecBuilder"]

_EXCLUDED_FROM_ID = frozenset({"pip_secret_mounts", "builder", "runtime_packages"})
_STR_LIST_FIELDS = (
    "packages",
    "conda_channels",
    "conda_packages",
    "apt_packages",
    "pip_extra_index_url",
    "entrypoint",
    "commands",
    "runtime_packages",
)
# compiled on first use (by `re`'s cache): most processes never validate a registry name
_REGISTRY_NAME = r"^(localhost:\d{1,5}|([a-z\d\._-]+)(:\d{1,5})?)(/[\w\.-]+)*$"
_F_IMG_ID = "_F_IMG_ID"


def _machine() -> str:
    """Return the machine type, as `platform.machine()` (which costs ~4 ms to import) does."""
    if hasattr(os, "uname"):
        return os.uname().machine
    return os.environ.get("PROCESSOR_ARCHITECTURE", "")


class CopyFileDetection(enum.Enum):
    """Which source files an image copies (flytekit's names and values, which enter the image hash)."""

    LOADED_MODULES = 1
    ALL = 2
    NO_COPY = 3


@dataclasses.dataclass
class ImageSpec:
    """A container image described by its contents; its name and tag are computed as flytekit computes them.

    The fields are flytekit's, in flytekit's order (the order enters the hash). The common ones:

    Args:
        name: image name (lower-cased).
        python_version: Python version of the image (the base image's default when None).
        builder: which registered builder builds it (not part of the hash).
        env: environment variables baked into the image.
        registry: where the image is pushed (`ghcr.io/me`, `localhost:30000`).
        packages: pip requirements.
        requirements: a requirements file (its content enters the hash).
        apt_packages: apt packages.
        base_image: an image name or another `ImageSpec`.
        platform: target platform (`linux/amd64` by default).
        commands: extra build commands.
        tag_format: a format for the tag, given `spec_hash` (`"{spec_hash}-dev"`).
        copy: files or folders copied to `/root` (their content enters the hash).

    Raises:
        FlyteValidationException: an invalid registry name, or a list field that is not a list of strings.
    """

    name: str = "flytekit"
    python_version: str | None = None
    builder: str | None = None
    source_root: str | None = None
    env: dict[str, str] | None = None
    registry: str | None = None
    packages: list[str] | None = None
    conda_packages: list[str] | None = None
    conda_channels: list[str] | None = None
    requirements: str | None = None
    apt_packages: list[str] | None = None
    cuda: str | None = None
    cudnn: str | None = None
    base_image: str | ImageSpec | None = None
    platform: str | None = None
    pip_index: str | None = None
    pip_extra_index_url: list[str] | None = None
    pip_secret_mounts: list[tuple[str, str]] | None = None
    pip_extra_args: str | None = None
    registry_config: str | None = None
    entrypoint: list[str] | None = None
    commands: list[str] | None = None
    tag_format: str | None = None
    source_copy_mode: CopyFileDetection | None = None
    copy: list[str] | None = None
    python_exec: str | None = None
    runtime_packages: list[str] | None = None
    builder_options: dict[str, Any] | None = None
    builder_config: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.name = self.name.lower()
        if self.registry:
            self.registry = self.registry.lower()
            if not re.match(_REGISTRY_NAME, self.registry):
                raise FlyteValidationException(
                    f"Invalid container registry name: '{self.registry}'.\n Expected formats:\n"
                    "- 'localhost:30000' (for local registries)\n"
                    "- 'ghcr.io/username' (for GitHub Container Registry)\n"
                    "- 'docker.io/username' (for docker hub)\n"
                )
        if self.platform is None:
            local_arm = _machine().lower() in ("arm64", "aarch64")
            on_localhost = bool(self.registry and self.registry.startswith("localhost:"))
            self.platform = "linux/arm64" if local_arm and on_localhost else "linux/amd64"
        if self.source_root is not None:
            self.source_copy_mode = self.source_copy_mode or CopyFileDetection.LOADED_MODULES
        if self.builder is None and ImageBuildEngine._REGISTRY:
            self.builder = max(ImageBuildEngine._REGISTRY, key=lambda b: ImageBuildEngine._REGISTRY[b][1])
        for f in _STR_LIST_FIELDS:
            v = getattr(self, f)
            if v is not None and not (isinstance(v, list) and all(isinstance(x, str) for x in v)):
                raise FlyteValidationException(f"{f} must be a list of strings or None")
        mounts = self.pip_secret_mounts
        if mounts is not None and not (
            isinstance(mounts, list)
            and all(isinstance(m, tuple) and len(m) == 2 and all(isinstance(x, str) for x in m) for m in mounts)
        ):
            raise FlyteValidationException("pip_secret_mounts must be a list of tuples of two strings or None")
        if self.builder_options is not None and not isinstance(self.builder_options, dict):
            raise FlyteValidationException("builder_options must be a dictionary or None")

    # --- identity ---------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """Return the spec's identity: an unpadded url-safe base64 md5 of its set fields (flytekit's formula)."""
        fields = dataclasses.asdict(
            self, dict_factory=lambda kv: {k: v for k, v in kv if v is not None and k not in _EXCLUDED_FROM_ID}
        )
        digest = hashlib.md5(str(fields).encode("utf-8")).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def tag(self) -> str:
        """Return the image tag: the id of the spec with file contents standing in for file paths.

        Raises:
            FlyteValidationException: the spec copies source files (`source_root` with a copy mode), whose
                selection flytelite does not reproduce; build it with flytekit's tooling and pass the image name.
        """
        spec = _copy.deepcopy(self)
        if isinstance(spec.base_image, ImageSpec):
            spec.base_image = spec.base_image.image_name()
        if self.source_copy_mode is not None and self.source_copy_mode != CopyFileDetection.NO_COPY:
            raise FlyteValidationException(
                f"ImageSpec '{self.name}': flytelite cannot compute the tag of an image that copies source files "
                "(source_root / source_copy_mode); build the image with an external builder and pass its name "
                "as container_image"
            )
        if self.copy:
            spec.copy = _digest_of_paths(self.copy)  # type: ignore[assignment]  # flytekit stores the digest here
        if spec.requirements:
            content = pathlib.Path(spec.requirements).read_bytes().strip()
            spec.requirements = hashlib.sha1(content).hexdigest()
        spec.registry_config = None
        tag = spec.id.replace("-", "_")
        return self.tag_format.format(spec_hash=tag) if self.tag_format else tag

    def image_name(self) -> str:
        """Return the full image name: `[registry/]name:tag` (or what a registered builder reported)."""
        name = f"{self.name}:{self.tag}"
        if self.registry:
            name = f"{self.registry}/{name}"
        return ImageBuildEngine._IMAGE_NAME_TO_REAL_NAME.get(name, name)

    def is_container(self) -> bool:
        """Tell whether this process runs in the image of this spec (always True outside a Flyte pod)."""
        env_id = os.environ.get(_F_IMG_ID)
        return env_id is None or env_id == self.id

    # --- builders (each returns a changed copy) ---------------------------------------------------
    def _extended(self, attr: str, values: str | list[str] | dict[str, Any]) -> ImageSpec:
        current = _copy.deepcopy(getattr(self, attr))
        if isinstance(values, dict):
            if current is not None and not isinstance(current, dict):
                raise TypeError(f"Cannot update non-dict attribute {attr}")
            merged: Any = {**(current or {}), **values}
        else:
            if current is not None and not isinstance(current, list):
                raise TypeError(f"Cannot extend non-list attribute {attr}")
            merged = [*(current or []), *([values] if isinstance(values, str) else values)]
        return dataclasses.replace(self, **{attr: merged})

    def with_commands(self, commands: str | list[str]) -> ImageSpec:
        """Return a copy with more build commands."""
        return self._extended("commands", commands)

    def with_packages(self, packages: str | list[str]) -> ImageSpec:
        """Return a copy with more pip packages."""
        return self._extended("packages", packages)

    def with_apt_packages(self, apt_packages: str | list[str]) -> ImageSpec:
        """Return a copy with more apt packages."""
        return self._extended("apt_packages", apt_packages)

    def with_copy(self, src: str | list[str]) -> ImageSpec:
        """Return a copy that also copies `src` into the image."""
        return self._extended("copy", src)

    def with_runtime_packages(self, runtime_packages: list[str]) -> ImageSpec:
        """Return a copy with packages installed when the container starts."""
        return self._extended("runtime_packages", runtime_packages)

    def with_builder_options(self, builder_options: dict[str, Any]) -> ImageSpec:
        """Return a copy with more builder options."""
        return self._extended("builder_options", builder_options)

    def force_push(self) -> ImageSpec:
        """Return a copy (flytelite never pushes images; kept for flytekit compatibility)."""
        return _copy.deepcopy(self)

    @classmethod
    def from_env(cls, *, pinned_packages: list[str] | None = None, **kwargs: Any) -> ImageSpec:
        """Return a spec with this interpreter's Python version and `pinned_packages` at their installed versions.

        Raises:
            ValueError: `python_version` is given.
        """
        from importlib.metadata import version

        if kwargs.get("python_version") is not None:
            raise ValueError(
                "python_version can not be used with `from_env` because it will be inferred from the environment"
            )
        packages = list(kwargs.pop("packages", None) or [])
        packages += [f"{p}=={version(p)}" for p in pinned_packages or []]
        python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
        return cls(packages=packages, python_version=python_version, **kwargs)


def _digest_of_paths(paths: list[str]) -> str:
    """Return flytekit's md5 digest of files and folders (content, then path without separators, sorted walk)."""
    hasher = hashlib.md5()

    def add(path: str, rel: str) -> None:
        if not os.path.exists(path) or stat.S_ISSOCK(os.stat(path).st_mode):
            return
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(65536), b""):
                hasher.update(chunk)
        hasher.update("".join(rel.split(os.sep)).encode("utf-8"))

    for src in paths:
        if os.path.isdir(src):
            for root, _, files in os.walk(src, topdown=True):
                for fname in sorted(files):
                    full = os.path.join(root, fname)
                    add(full, os.path.relpath(full, src))
        else:
            add(src, os.path.basename(src))
    return hasher.hexdigest()


class ImageSpecBuilder:
    """Builds and pushes the image of an `ImageSpec` (register one with `ImageBuildEngine.register`)."""

    def build_image(self, image_spec: ImageSpec) -> str | None:
        """Build and push the image; return its fully qualified name, or None to use `image_spec.image_name()`."""
        del image_spec
        raise FlyteValidationException(f"{type(self).__name__} must override build_image to build images")

    def should_build(self, image_spec: ImageSpec) -> bool:
        """Tell whether to build (default: always; override to check the registry first)."""
        del image_spec
        return True


class ImageBuildEngine:
    """The registered image builders; flytelite has none of its own (images are built externally)."""

    _REGISTRY: ClassVar[dict[str, tuple[ImageSpecBuilder, int]]] = {}
    _IMAGE_NAME_TO_REAL_NAME: ClassVar[dict[str, str]] = {}
    _BUILT: ClassVar[set[str]] = set()

    @classmethod
    def register(cls, builder_type: str, image_spec_builder: ImageSpecBuilder, priority: int = 5) -> None:
        """Make `image_spec_builder` available as `builder_type` (the highest priority is the default)."""
        cls._REGISTRY[builder_type] = (image_spec_builder, priority)

    @classmethod
    def get_registry(cls) -> dict[str, tuple[ImageSpecBuilder, int]]:
        """Return the registered builders with their priorities."""
        return cls._REGISTRY

    @classmethod
    def build(cls, image_spec: ImageSpec) -> None:
        """Build `image_spec` with its builder, once per process; do nothing when no builder is registered.

        Raises:
            FlyteValidationException: the spec names a builder that is not registered.
        """
        if image_spec.builder is None and not cls._REGISTRY:
            return
        if image_spec.id in cls._BUILT:
            return
        if isinstance(image_spec.base_image, ImageSpec):
            cls.build(image_spec.base_image)
        builder_name = image_spec.builder or max(cls._REGISTRY, key=lambda b: cls._REGISTRY[b][1])
        if builder_name not in cls._REGISTRY:
            raise FlyteValidationException(f"Image builder {builder_name} is not registered.")
        builder = cls._REGISTRY[builder_name][0]
        spec = _copy.deepcopy(image_spec)
        if isinstance(spec.base_image, ImageSpec):
            spec.base_image = spec.base_image.image_name()
        name = spec.image_name()
        if builder.should_build(spec):
            real = builder.build_image(spec)
            if real is not None:
                cls._IMAGE_NAME_TO_REAL_NAME[name] = real
        cls._BUILT.add(image_spec.id)
