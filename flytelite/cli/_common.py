"""Options and helpers shared by the `flytelite` verbs."""

from __future__ import annotations

import os
import typing
from collections.abc import Sequence
from typing import Any

import click

from flytelite.cli._traceback import last_user_frame, user_traceback
from flytelite.tools.module_loader import add_sys_path, iter_package_modules

if typing.TYPE_CHECKING:
    from flytelite.configuration import ImageConfig

__all__ = ["image_option", "load_packages", "parse_env", "require_pkgs"]


def _validate_image(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> ImageConfig:
    # Imported here: only `package` and `serialize` take `--image`, and `flytelite run` (which imports this module)
    # should not pay ~10 ms for the configuration module and its parsers.
    from flytelite.configuration import ImageConfig

    try:
        return ImageConfig.validate_image(ctx, param.name or "image", values)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


image_option = click.option(
    "-i",
    "--image",
    "image_config",
    multiple=True,
    callback=_validate_image,
    help="An image `registry/name:tag` (the default image) or `name=registry/name:tag`; repeat for several.",
)


def parse_env(_: Any, __: Any, values: tuple[str, ...]) -> dict[str, str] | None:
    """Turn `--env K=V` values into a dict (None when none were given)."""
    env: dict[str, str] = {}
    for v in values:
        key, eq, value = v.partition("=")
        if not eq:
            raise click.BadParameter(f"expected ENV_NAME=ENV_VALUE, got {v!r}")
        env[key] = value
    return env or None


def require_pkgs(ctx: click.Context) -> list[str]:
    """Return the `--pkgs` given to the group, or fail with a usage error."""
    pkgs: list[str] = ctx.obj.get("pkgs") or [] if ctx.obj else []
    if not pkgs:
        raise click.UsageError("No packages to scan for flyte entities: pass --pkgs <package> before the verb.")
    return pkgs


def load_packages(pkgs: Sequence[str], source: str, verbose: bool = False) -> None:
    """Import every module of `pkgs` with `source` on `sys.path`, as `package` and `serialize` do before serializing.

    Raises:
        click.ClickException: a module failed to import; the message is one line naming the package, the file and
            line where the import failed, and the error (with `verbose`, followed by the user's traceback).
    """
    root = os.path.abspath(source)
    with add_sys_path(root):
        for pkg in pkgs:
            try:
                for _ in iter_package_modules(pkg):
                    pass
            except Exception as e:  # the user's code raised at import: report it, not our plumbing
                raise click.ClickException(_import_failure(pkg, root, e, verbose)) from None


def _import_failure(pkg: str, root: str, e: Exception, verbose: bool) -> str:
    error = " ".join(f"{type(e).__name__}: {e}".split())
    if isinstance(e, ModuleNotFoundError) and e.name is not None and pkg.startswith(e.name):
        return f"cannot import package {pkg!r} from {root}: {error}"
    frame = last_user_frame(e)
    where = ""
    if frame is not None:
        path = frame.filename
        shown = os.path.relpath(path, root) if path.startswith(root + os.sep) else path
        where = f" at {shown}:{frame.lineno}"
    text = f"importing package {pkg!r} failed{where}: {error}"
    return f"{text}\n{user_traceback(e)}" if verbose else text
