"""flytekit's `flytekit.configuration.default_images` path: the image a task runs in when none is configured.

flytelite publishes no image of its own. Its default is, in order: the image a configuration plugin names
(`get_plugin().get_default_image()`), the image the container runs in (`FLYTE_INTERNAL_IMAGE`), then the official
slim Python image of the running interpreter's version (`python:3.11-slim-bookworm`), on which an `ImageSpec`
installs flytelite and the task's packages. Asking for a flytekit version (`find_image_for(flytekit_version="1.16.0")`)
returns flytekit's image of that version, as flytekit does.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys

__all__ = ["DefaultImages", "PythonVersion"]

FLYTE_INTERNAL_IMAGE_ENV_VAR = "FLYTE_INTERNAL_IMAGE"


class PythonVersion(enum.Enum):
    """A Python version default images exist for; the value is `(major, minor)`."""

    PYTHON_3_8 = (3, 8)
    PYTHON_3_9 = (3, 9)
    PYTHON_3_10 = (3, 10)
    PYTHON_3_11 = (3, 11)
    PYTHON_3_12 = (3, 12)


def _dotted(version: PythonVersion) -> str:
    major, minor = version.value
    return f"{major}.{minor}"


class DefaultImages:
    """Name the default image of a task (see the module docstring for the order)."""

    _PYTHON_IMAGE_SUFFIX = "slim-bookworm"
    _FLYTEKIT_IMAGE = "cr.flyte.org/flyteorg/flytekit"

    @classmethod
    def default_image(cls) -> str:
        """Return the configuration plugin's default image, else `find_image_for()`."""
        from flytelite.configuration.plugin import get_plugin

        with contextlib.suppress(AttributeError):
            image = get_plugin().get_default_image()
            if image is not None:
                return str(image)
        return cls.find_image_for()

    @classmethod
    def find_image_for(cls, python_version: PythonVersion | None = None, flytekit_version: str | None = None) -> str:
        """Return `FLYTE_INTERNAL_IMAGE` if set, else the image for `python_version` (default: this interpreter's).

        Args:
            python_version: the Python version the image must have.
            flytekit_version: ask for flytekit's own image of this version (`v1.16.0` or `1.16.0`).

        Raises:
            ValueError: the running Python version has no `PythonVersion` member.
        """
        image = os.getenv(FLYTE_INTERNAL_IMAGE_ENV_VAR)
        if image:
            return image
        if python_version is None:
            python_version = PythonVersion((sys.version_info.major, sys.version_info.minor))
        if flytekit_version:
            return f"{cls._FLYTEKIT_IMAGE}:py{_dotted(python_version)}-{flytekit_version.replace('v', '')}"
        return f"python:{_dotted(python_version)}-{cls.get_version_suffix()}"

    @classmethod
    def get_version_suffix(cls) -> str:
        """Return the tag suffix after the Python version (`slim-bookworm`)."""
        return cls._PYTHON_IMAGE_SUFFIX
