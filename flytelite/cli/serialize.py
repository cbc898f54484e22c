"""`flytelite --pkgs <pkg> serialize [options] workflows -f <folder>`: write the `.pb` files into a folder."""

from __future__ import annotations

import os

import click

from flytelite.cli._common import image_option, load_packages, parse_env, require_pkgs
from flytelite.configuration import (
    DEFAULT_IN_CONTAINER_SRC_PATH,
    DEFAULT_RUNTIME_PYTHON_INTERPRETER,
    FastSerializationSettings,
    ImageConfig,
    SerializationSettings,
)
from flytelite.tools.repo import SerializationFailedError, serialize_to_folder

__all__ = ["serialize"]


@click.group("serialize")
@image_option
@click.option("--local-source-root", default=".", help="Root dir of the Python code (put on sys.path).")
@click.option("--in-container-config-path", default=None, help="Accepted for compatibility.")
@click.option("--python-interpreter", default=DEFAULT_RUNTIME_PYTHON_INTERPRETER, help="In-container Python.")
@click.option("--env", "--envvars", "env", multiple=True, callback=parse_env, help="ENV_NAME=ENV_VALUE for containers.")
@click.pass_context
def serialize(
    ctx: click.Context,
    image_config: ImageConfig,
    local_source_root: str,
    in_container_config_path: str | None,
    python_interpreter: str,
    env: dict[str, str] | None,
) -> None:
    """Serialize entities into a folder of `.pb` files (one per task, workflow and launch plan)."""
    del in_container_config_path
    ctx.obj["settings"] = SerializationSettings(
        image_config=image_config, python_interpreter=python_interpreter, env=env
    )
    ctx.obj["source"] = local_source_root


def _write(ctx: click.Context, settings: SerializationSettings, folder: str) -> None:
    load_packages(require_pkgs(ctx), ctx.obj["source"], bool(ctx.obj.get("verbose")))
    os.makedirs(folder, exist_ok=True)
    try:
        names = serialize_to_folder(require_pkgs(ctx), settings, ctx.obj["source"], folder)
    except SerializationFailedError as e:
        raise click.ClickException(str(e.args[0]) if e.args else str(e)) from e
    click.echo(f"Successfully serialized {len(names)} flyte objects into {folder}")


@serialize.command("workflows")
@click.option("-f", "--folder", default=".", help="Where to write the .pb files.")
@click.pass_context
def workflows(ctx: click.Context, folder: str) -> None:
    """Serialize for regular registration (code baked into the image)."""
    _write(ctx, ctx.obj["settings"], folder)


@serialize.group("fast")
def fast() -> None:
    """Serialize for fast registration (code shipped as an archive)."""


@fast.command("workflows")
@click.option("-f", "--folder", default=".", help="Where to write the .pb files.")
@click.option("--deref-symlinks", is_flag=True, default=False, help="Accepted for compatibility.")
@click.pass_context
def fast_workflows(ctx: click.Context, folder: str, deref_symlinks: bool) -> None:
    """Serialize with the `flytelite-fast-execute` prefix."""
    del deref_symlinks
    obj = ctx.find_root().obj
    builder = obj["settings"].new_builder()
    builder.fast_serialization_settings = FastSerializationSettings(
        enabled=True, destination_dir=DEFAULT_IN_CONTAINER_SRC_PATH
    )
    _write(ctx.find_root(), builder.build(), folder)
