"""`flytelite`: the command group. Verbs live one per module and are imported only when invoked.

`flytelite run …` therefore never pays for the serialization stack that `package` and `serialize` load, and
`flytelite --help` lists every verb without importing any of them.
"""

from __future__ import annotations

import importlib
import os

import click

from flytelite import __version__

__all__ = ["main"]

# verb -> "module:attribute" of its click command
_VERBS: dict[str, str] = {
    "run": "flytelite.cli.run:run",
    "graph": "flytelite.cli.graph:graph",
    "package": "flytelite.cli.package:package",
    "serialize": "flytelite.cli.serialize:serialize",
    "local-cache": "flytelite.cli.local_cache:local_cache",
}
_SHORT_HELP: dict[str, str] = {
    "run": "Run a task or workflow from a file or module, locally.",
    "graph": "Draw a workflow's compiled graph (mermaid, dot, svg, png).",
    "package": "Serialize entities into a registrable archive.",
    "serialize": "Serialize entities into a folder of .pb files.",
    "local-cache": "Inspect or clear the local task cache.",
}


class _LazyGroup(click.Group):
    """A group whose verbs are imported on first use (see `_VERBS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_VERBS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        target = _VERBS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        cmd = getattr(importlib.import_module(module), attr)
        if not isinstance(cmd, click.Command):
            raise TypeError(f"{target} is not a click command")
        self.commands[cmd_name] = cmd
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _SHORT_HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _print_version(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"flytelite {__version__}")
    ctx.exit()


@click.group("flytelite", cls=_LazyGroup)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the flytelite version and exit.",
)
@click.option(
    "-k",
    "--pkgs",
    multiple=True,
    help="Dot-delimited Python packages to load entities from (repeat or separate with commas).",
)
@click.option("-v", "--verbose", count=True, help="Print more (repeat for even more).")
@click.pass_context
def main(ctx: click.Context, pkgs: tuple[str, ...], verbose: int) -> None:
    """Run, draw, serialize and package Flyte entities written with flytelite.

    Runs need no server and no configuration: `flytelite run FILE ENTITY --input value`.
    """
    ctx.ensure_object(dict)
    ctx.obj["pkgs"] = [p for item in pkgs for p in item.split(",") if p]
    ctx.obj["verbose"] = verbose
    if verbose and "FLYTELITE_LOG_LEVEL" not in os.environ:
        import logging  # only with -v: a run that logs nothing does not load it (see `flytelite.loggers`)

        logging.basicConfig(level=logging.INFO if verbose == 1 else logging.DEBUG)


if __name__ == "__main__":
    main()
