"""`flytelite`: the command group. Verbs live one per module and are imported only when invoked.

`flytelite run …` therefore never pays for the serialization stack that `package` and `serialize` load, and
`flytelite --help` lists every verb without importing any of them.

A command spends most of its time importing (click, its verb's module, then the user's), which allocates tens of
thousands of objects that live until the process exits: each pass of Python's cyclic garbage collector over them
finds nothing to free. So the collector pauses while this module imports click and, with `paused_gc`, while a verb's
module and the user's module load. The `flytelite` program, which owns its process, also moves what those imports
made out of the collector's view (`gc.freeze()`) as each ends, and what is alive at exit, so neither later
collections nor the ones Python runs while it shuts down walk the modules again (together ~10% of a
`flytelite run`'s instructions). A frozen object that becomes garbage is freed by reference counting, or by the
process's exit if it is in a reference cycle.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
from collections.abc import Iterator
from typing import Any

_owns_process = False  # set when the `flytelite` program runs the group (`_LazyGroup.__call__`)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the block, when it is on (see the module docstring).

    Objects stay freed by reference counting; cyclic garbage made in the block waits for the next collection. In the
    `flytelite` program what the block made is frozen at its end.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if _owns_process:
            gc.freeze()
        gc.enable()


# Importing click creates only objects that live until the process exits: the collector pauses while it loads (see
# the module docstring), then is back as the importer left it.
with paused_gc():
    import click

    from flytelite import __version__

__all__ = ["main", "paused_gc"]

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

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Only the `flytelite` program calls the group (click's test runner calls `main`), and it ends with the
        # command: what is loaded now and later is frozen (see the module docstring).
        global _owns_process
        _owns_process = True
        gc.freeze()
        atexit.unregister(gc.freeze)  # once, however often the program calls the group
        atexit.register(gc.freeze)
        return super().__call__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_VERBS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        target = _VERBS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        with paused_gc():
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
