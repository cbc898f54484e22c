"""`flytelite --pkgs <pkg> package`: write the registration archive (`pyflyte package`'s options)."""

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
from flytelite.tools.repo import NoSerializableEntitiesError, SerializationFailedError, serialize_and_package

__all__ = ["package"]


@click.command("package")
@image_option
@click.option("-s", "--source", default=".", help="Local path to the root of the package.")
@click.option("-o", "--output", default="flyte-package.tgz", help="Where to write the archive.")
@click.option("--fast", is_flag=True, default=False, help="[Deprecated, use --copy all] Ship the source code.")
@click.option(
    "--copy",
    type=click.Choice(["none", "auto", "all"]),
    default="none",
    show_default=True,
    help="Ship source files with the archive: none, those of loaded modules (auto), or all.",
)
@click.option("-f", "--force", is_flag=True, default=False, help="Overwrite an existing output file.")
@click.option("-p", "--python-interpreter", default=DEFAULT_RUNTIME_PYTHON_INTERPRETER, help="In-container Python.")
@click.option("-d", "--in-container-source-path", default=DEFAULT_IN_CONTAINER_SRC_PATH, help="Code dir in the image.")
@click.option("--deref-symlinks", is_flag=True, default=False, help="Accepted for compatibility.")
@click.option("--env", "--envvars", "env", multiple=True, callback=parse_env, help="ENV_NAME=ENV_VALUE for containers.")
@click.pass_context
def package(
    ctx: click.Context,
    image_config: ImageConfig,
    source: str,
    output: str,
    fast: bool,
    copy: str,
    force: bool,
    python_interpreter: str,
    in_container_source_path: str,
    deref_symlinks: bool,
    env: dict[str, str] | None,
) -> None:
    """Serialize every task, workflow and launch plan of the packages into a registrable archive."""
    del deref_symlinks
    if fast:
        copy = "all"
    if os.path.exists(output) and not force:
        raise click.BadParameter(f"Output file {output} already exists, specify -f to override.")
    pkgs = require_pkgs(ctx)
    load_packages(pkgs, source, bool(ctx.obj.get("verbose")))
    settings = SerializationSettings(
        image_config=image_config,
        fast_serialization_settings=FastSerializationSettings(
            enabled=copy != "none", destination_dir=in_container_source_path
        ),
        python_interpreter=python_interpreter,
        env=env,
    )
    try:
        names = serialize_and_package(pkgs, settings, source, output, copy)
    except NoSerializableEntitiesError:
        click.echo(f"No flyte objects found in packages {pkgs}", err=True)
        return
    except SerializationFailedError as e:
        raise click.ClickException(str(e.args[0]) if e.args else str(e)) from e
    if ctx.obj.get("verbose"):
        for name in names:
            click.echo(f"  {name}")
    count = sum(n.endswith(".pb") for n in names)
    click.echo(f"Successfully packaged {count} flyte objects into {output}")
