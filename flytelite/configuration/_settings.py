"""The serialization settings and images of `flytelite.configuration` (which re-exports these names on first access).

They live here so that importing the package (which `flytelite.configuration.plugin` needs, and a run reads the
plugin) does not build these dataclasses nor import `configparser` and `gzip`.
"""

from __future__ import annotations

import base64
import configparser
import dataclasses
import gzip
import io
import json
import os
from typing import Any

from flytelite.configuration import (
    _SETTINGS_NAMES,
    DEFAULT_ENTRYPOINT_FILELOC,
    DEFAULT_IMAGE_NAME,
    DEFAULT_RUNTIME_PYTHON_INTERPRETER,
    FLYTECTL_CONFIG_ENV_VAR,
    FLYTECTL_CONFIG_ENV_VAR_OVERRIDE,
    SERIALIZED_CONTEXT_ENV_VAR,
)

__all__ = list(_SETTINGS_NAMES)  # written once, in the package that re-exports them on first access


def _parse_image_identifier(identifier: str) -> tuple[str, str | None, str | None]:
    """Split `registry/name:tag` or `registry/name@digest` into (fqn, tag, digest)."""
    fqn, at, digest = identifier.rpartition("@")
    if at:
        return fqn, None, digest
    fqn, colon, tag = identifier.rpartition(":")
    if colon and "/" not in tag:
        return fqn, tag, None
    return identifier, None, None


@dataclasses.dataclass(frozen=True)
class Image:
    """A named container image: `fqn` plus a tag or a digest (not both)."""

    name: str
    fqn: str
    tag: str | None = None
    digest: str | None = None

    def __post_init__(self) -> None:
        if self.tag is not None and self.digest is not None:
            raise ValueError(f"Cannot specify both tag and digest. Got tag={self.tag} and digest={self.digest}")

    @property
    def full(self) -> str:
        """Return `fqn@digest` or `fqn:tag`."""
        return f"{self.fqn}@{self.digest}" if self.digest else f"{self.fqn}:{self.tag}"

    @property
    def version(self) -> str | None:
        """Return the digest, else the tag."""
        return self.digest or self.tag

    @staticmethod
    def look_up_image_info(name: str, image_identifier: str, allow_no_tag_or_digest: bool = False) -> Image:
        """Build an `Image` from `registry/name:tag` (or `@digest`).

        Raises:
            ValueError: the identifier has neither tag nor digest and `allow_no_tag_or_digest` is false.
        """
        fqn, tag, digest = _parse_image_identifier(image_identifier)
        if not allow_no_tag_or_digest and tag is None and digest is None:
            raise ValueError(f"Incorrectly formatted image {image_identifier}, missing tag or digest")
        return Image(name=name, fqn=fqn, tag=tag, digest=digest)

    def to_dict(self) -> dict[str, Any]:
        """Return flytekit's JSON form."""
        return {"name": self.name, "fqn": self.fqn, "tag": self.tag, "digest": self.digest}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Image:
        """Read flytekit's JSON form."""
        return cls(name=d["name"], fqn=d["fqn"], tag=d.get("tag"), digest=d.get("digest"))


@dataclasses.dataclass(frozen=True)
class ImageConfig:
    """The images tasks may use: a default one and named others (`{{.image.<name>.fqn}}` in container images)."""

    default_image: Image | None = None
    images: list[Image] | None = None

    def find_image(self, name: str) -> Image | None:
        """Return the image called `name`, if any."""
        candidates = [self.default_image] if self.default_image else []
        candidates.extend(self.images or [])
        return next((i for i in candidates if i.name == name), None)

    @classmethod
    def create_from(cls, default_image: Image | None, other_images: list[Image] | None = None) -> ImageConfig:
        """Build a config whose `images` lists the default image first."""
        if default_image is not None and not isinstance(default_image, Image):
            raise ValueError(f"Default image should be of type Image or None not {type(default_image)}")
        images = [default_image] if default_image else []
        images.extend(other_images or [])
        return cls(default_image=default_image, images=images)

    @classmethod
    def auto(cls, config_file: Any = None, img_name: str | None = None) -> ImageConfig:
        """Build a config from `img_name` (the default image, else `FLYTE_INTERNAL_IMAGE`) and a config file's images.

        The named images come from the `images` section of flytekit's config file (`config_file`, a path or an object
        with a `location`; else found as flytekit finds it: see `get_config_file`). A YAML file is read with PyYAML
        when it is installed, otherwise with a small reader of the `images:` block only.
        """
        name = img_name or os.environ.get("FLYTE_INTERNAL_IMAGE")
        default = Image.look_up_image_info(DEFAULT_IMAGE_NAME, name) if name else None
        others = [
            Image.look_up_image_info(k, v, allow_no_tag_or_digest=True)
            for k, v in read_config_images(get_config_file(config_file)).items()
        ]
        return cls.create_from(default, others)

    @classmethod
    def from_images(cls, default_image: str, m: dict[str, str] | None = None) -> ImageConfig:
        """Build a config from a default image string and a `{name: image}` map."""
        default = Image.look_up_image_info(DEFAULT_IMAGE_NAME, default_image) if default_image else None
        others = [Image.look_up_image_info(k, v, allow_no_tag_or_digest=True) for k, v in (m or {}).items()]
        return cls.create_from(default, others)

    @classmethod
    def validate_image(cls, _: Any, param: str, values: tuple[str, ...] | list[str]) -> ImageConfig:
        """Build a config from `--image` values: `registry/img:tag` (the default) or `name=registry/img:tag`.

        Unlike flytekit there is no built-in default image: without an unnamed `--image` the config has none, and a
        task that needs the default image fails to serialize with a message saying so.

        Raises:
            ValueError: two default images, or an image without a tag or digest.
        """
        default: Image | None = None
        others: list[Image] = []
        for v in values:
            name, eq, ident = v.partition("=")
            img = Image.look_up_image_info(name, ident) if eq else Image.look_up_image_info(DEFAULT_IMAGE_NAME, v)
            if img.name == DEFAULT_IMAGE_NAME:
                if default is not None:
                    raise ValueError(
                        f"Only one default image can be specified. Received multiple {default} & {img} for {param}"
                    )
                default = img
            else:
                others.append(img)
        return cls.create_from(default, others)

    def to_dict(self) -> dict[str, Any]:
        """Return flytekit's JSON form."""
        return {
            "default_image": self.default_image.to_dict() if self.default_image else None,
            "images": [i.to_dict() for i in self.images] if self.images is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ImageConfig:
        """Read flytekit's JSON form."""
        default = d.get("default_image")
        images = d.get("images")
        return cls(
            default_image=Image.from_dict(default) if default else None,
            images=[Image.from_dict(i) for i in images] if images is not None else None,
        )


def get_config_file(c: Any = None) -> str | None:
    """Return the path of flytekit's config file: `c` if given, else the first that exists of
    `$_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE`, `$FLYTECTL_CONFIG`, `./flytekit.config`, `~/.flyte/config`,
    `~/.flyte/config.yaml` (None when there is none)."""
    if c is not None:
        return str(getattr(c, "location", c))
    from_env = os.environ.get(FLYTECTL_CONFIG_ENV_VAR_OVERRIDE, os.environ.get(FLYTECTL_CONFIG_ENV_VAR))
    if from_env and os.path.exists(from_env):
        return os.path.abspath(from_env)
    flyte_dir = os.path.join(os.path.expanduser("~"), ".flyte")
    for candidate in ("flytekit.config", os.path.join(flyte_dir, "config"), os.path.join(flyte_dir, "config.yaml")):
        if os.path.exists(candidate):
            return os.path.abspath(candidate)
    return None


def read_config_images(path: str | None) -> dict[str, str]:
    """Return `{name: image}` of a config file's `images` section (YAML `images:` map or INI `[images]`)."""
    if path is None or not os.path.exists(path):
        return {}
    if path.endswith((".yaml", ".yml")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            import yaml  # optional: PyYAML reads the whole file when installed
        except ImportError:
            return _yaml_images_block(text)
        data = yaml.safe_load(text) or {}
        images = data.get("images") if isinstance(data, dict) else None
        return {str(k): str(v) for k, v in (images or {}).items()}
    parser = configparser.ConfigParser()
    parser.read(path)
    return dict(parser.items("images")) if parser.has_section("images") else {}


def _yaml_images_block(text: str) -> dict[str, str]:
    """Read the flat `images:` mapping of a YAML file without a YAML library (`name: registry/image:tag` lines)."""
    images: dict[str, str] = {}
    inside = False
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            inside = line.strip() == "images:"
            continue
        if inside:
            key, sep, value = line.strip().partition(":")
            if sep:
                images[key.strip().strip("'\"")] = value.strip().strip("'\"")
    return images


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in ("1", "true", "t", "yes", "y", "on")


@dataclasses.dataclass(frozen=True)
class LocalConfig:
    """Settings of local runs: whether the local task cache is used, and whether it is overwritten.

    `auto()` reads `FLYTE_LOCAL_CACHE_ENABLED` (default true) and `FLYTE_LOCAL_CACHE_OVERWRITE` (default false).
    """

    cache_enabled: bool = True
    cache_overwrite: bool = False

    @classmethod
    def auto(cls, config_file: Any = None) -> LocalConfig:
        """Read the settings from the environment (config files are not read)."""
        return cls(
            cache_enabled=_env_bool("FLYTE_LOCAL_CACHE_ENABLED", True),
            cache_overwrite=_env_bool("FLYTE_LOCAL_CACHE_OVERWRITE", False),
        )


@dataclasses.dataclass(frozen=True)
class EntrypointSettings:
    """Where the entrypoint program lives in the image."""

    path: str | None = None


@dataclasses.dataclass(frozen=True)
class FastSerializationSettings:
    """Fast registration: code ships as an archive (`distribution_location`) unpacked into `destination_dir`."""

    enabled: bool = False
    destination_dir: str | None = None
    distribution_location: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return flytekit's JSON form."""
        return dataclasses.asdict(self)


def _resources_to_dict(value: Any) -> Any:
    if value is None or isinstance(value, dict):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"default_resources must be a ResourceSpec or a dict, got {type(value).__name__}")


@dataclasses.dataclass(frozen=True)
class SerializationSettings:
    """What entities are serialized with: images, project/domain/version, extra env, fast registration.

    `default_resources` is a `flytelite.core.resources.ResourceSpec` (or, after `from_transport`, its dict form
    `{"requests": {...}, "limits": {...}}`, which `ResourceSpec.coerce` accepts).
    """

    image_config: ImageConfig
    project: str | None = None
    domain: str | None = None
    version: str | None = None
    env: dict[str, str] | None = None
    default_resources: Any = None
    git_repo: str | None = None
    python_interpreter: str = DEFAULT_RUNTIME_PYTHON_INTERPRETER
    flytekit_virtualenv_root: str | None = None
    fast_serialization_settings: FastSerializationSettings | None = None
    source_root: str | None = None

    def __post_init__(self) -> None:
        if self.flytekit_virtualenv_root is None:
            object.__setattr__(
                self, "flytekit_virtualenv_root", self.venv_root_from_interpreter(self.python_interpreter)
            )

    @staticmethod
    def venv_root_from_interpreter(interpreter_path: str) -> str:
        """Return the virtualenv root of an interpreter path (`/opt/venv/bin/python3` -> `/opt/venv`)."""
        return os.path.dirname(os.path.dirname(interpreter_path))

    @property
    def entrypoint_settings(self) -> EntrypointSettings:
        """Return where the entrypoint program lives in the image."""
        root = self.venv_root_from_interpreter(self.python_interpreter)
        return EntrypointSettings(path=os.path.join(root, DEFAULT_ENTRYPOINT_FILELOC))

    @classmethod
    def for_image(
        cls,
        image: str,
        version: str,
        project: str = "",
        domain: str = "",
        python_interpreter_path: str = DEFAULT_RUNTIME_PYTHON_INTERPRETER,
    ) -> SerializationSettings:
        """Build settings for one default image."""
        img = ImageConfig(default_image=Image.look_up_image_info(DEFAULT_IMAGE_NAME, image))
        return cls(
            image_config=img,
            project=project,
            domain=domain,
            version=version,
            python_interpreter=python_interpreter_path,
        )

    def should_fast_serialize(self) -> bool:
        """Tell whether entities are serialized for fast registration."""
        return self.fast_serialization_settings is not None and self.fast_serialization_settings.enabled

    def new_builder(self) -> SerializationSettings.Builder:
        """Return a mutable builder initialised from these settings."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        fields["env"] = dict(self.env) if self.env else None
        return SerializationSettings.Builder(**fields)

    def to_dict(self) -> dict[str, Any]:
        """Return flytekit's JSON form (same keys, same order)."""
        fss = self.fast_serialization_settings
        return {
            "image_config": self.image_config.to_dict(),
            "project": self.project,
            "domain": self.domain,
            "version": self.version,
            "env": self.env,
            "default_resources": _resources_to_dict(self.default_resources),
            "git_repo": self.git_repo,
            "python_interpreter": self.python_interpreter,
            "flytekit_virtualenv_root": self.flytekit_virtualenv_root,
            "fast_serialization_settings": fss.to_dict() if fss else None,
            "source_root": self.source_root,
        }

    def to_json(self) -> str:
        """Return the JSON text flytekit's `to_json()` gives."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SerializationSettings:
        """Read flytekit's JSON form."""
        fss = d.get("fast_serialization_settings")
        return cls(
            image_config=ImageConfig.from_dict(d.get("image_config") or {}),
            project=d.get("project"),
            domain=d.get("domain"),
            version=d.get("version"),
            env=d.get("env"),
            default_resources=d.get("default_resources"),
            git_repo=d.get("git_repo"),
            python_interpreter=d.get("python_interpreter") or DEFAULT_RUNTIME_PYTHON_INTERPRETER,
            flytekit_virtualenv_root=d.get("flytekit_virtualenv_root"),
            fast_serialization_settings=FastSerializationSettings(**fss) if fss else None,
            source_root=d.get("source_root"),
        )

    @classmethod
    def from_json(cls, text: str) -> SerializationSettings:
        """Parse the JSON text of `to_json()`."""
        return cls.from_dict(json.loads(text))

    @property
    def serialized_context(self) -> str:
        """Return the `_F_SS_C` value: base64 of gzip (mtime 0) of the JSON, or the one already in `env`."""
        if self.env and SERIALIZED_CONTEXT_ENV_VAR in self.env:
            return self.env[SERIALIZED_CONTEXT_ENV_VAR]
        buf = io.BytesIO()
        with gzip.GzipFile(mode="wb", fileobj=buf, mtime=0) as f:
            f.write(self.to_json().encode("utf-8"))
        return base64.b64encode(buf.getvalue()).decode("utf-8")

    @classmethod
    def from_transport(cls, s: str) -> SerializationSettings:
        """Decode an `_F_SS_C` value."""
        return cls.from_json(gzip.decompress(base64.b64decode(s.encode("utf-8"))).decode("utf-8"))

    def with_serialized_context(self) -> SerializationSettings:
        """Return settings whose `env` carries `_F_SS_C` (self if it already does)."""
        if self.env and SERIALIZED_CONTEXT_ENV_VAR in self.env:
            return self
        env = dict(self.env or {})
        env[SERIALIZED_CONTEXT_ENV_VAR] = self.serialized_context
        return dataclasses.replace(self, env=env)

    @dataclasses.dataclass
    class Builder:
        """A mutable copy of `SerializationSettings` (flytekit's builder)."""

        image_config: ImageConfig
        project: str | None = None
        domain: str | None = None
        version: str | None = None
        env: dict[str, str] | None = None
        default_resources: Any = None
        git_repo: str | None = None
        python_interpreter: str = DEFAULT_RUNTIME_PYTHON_INTERPRETER
        flytekit_virtualenv_root: str | None = None
        fast_serialization_settings: FastSerializationSettings | None = None
        source_root: str | None = None

        def with_fast_serialization_settings(self, fss: FastSerializationSettings) -> SerializationSettings.Builder:
            """Set the fast registration settings."""
            self.fast_serialization_settings = fss
            return self

        def build(self) -> SerializationSettings:
            """Return frozen settings."""
            return SerializationSettings(**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)})
