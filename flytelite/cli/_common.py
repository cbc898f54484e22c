"""Options and helpers shared by the `flytelite` verbs."""

from __future__ import annotations

from typing import Any

import click

from flytelite.configuration import ImageConfig

__all__ = ["image_option", "parse_env", "require_pkgs"]


def _validate_image(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> ImageConfig:
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
