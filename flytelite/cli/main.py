"""`flytelite`: the command group. Verbs live one per module (`package`, `serialize`)."""

from __future__ import annotations

import click

from flytelite.cli.package import package
from flytelite.cli.serialize import serialize

__all__ = ["main"]


@click.group("flytelite")
@click.option(
    "-k",
    "--pkgs",
    multiple=True,
    help="Dot-delimited Python packages to load entities from (repeat or separate with commas).",
)
@click.option("-v", "--verbose", count=True, help="Print more (repeat for even more).")
@click.pass_context
def main(ctx: click.Context, pkgs: tuple[str, ...], verbose: int) -> None:
    """Serialize and package Flyte entities written with flytelite."""
    ctx.ensure_object(dict)
    ctx.obj["pkgs"] = [p for item in pkgs for p in item.split(",") if p]
    ctx.obj["verbose"] = verbose


main.add_command(package)
main.add_command(serialize)
