"""`flytelite run [OPTIONS] FILE_OR_MODULE ENTITY [--input VALUE ...]`: run a task, workflow or launch plan locally.

Three levels of click commands, as in `pyflyte run`: `run` holds the run options, `FILE_OR_MODULE` is a group
whose commands are the module's entities, and each entity is a command whose options are its inputs (so
`flytelite run wf.py my_wf --help` lists the inputs, with their types and defaults).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from flytelite.cli._execute import (
    EngineError,
    EngineUnavailableError,
    InputValueError,
    make_executor,
    parse_engine,
    run_entity,
    run_settings,
)
from flytelite.cli._inputs import input_options, read_inputs_file
from flytelite.cli._loading import LoadedModule, entity_kind, find_entities, get_entity, load_module
from flytelite.cli._progress import LiveProgress, RunState
from flytelite.cli._report import format_failure, print_outputs, user_output_to_stderr
from flytelite.cli.main import paused_gc

__all__ = ["RunOptions", "run"]


class RunOptions:
    """The options of `flytelite run` that are not inputs.

    A plain class: a dataclass compiles its generated methods when it is defined (~1 ms of every run's start-up),
    and run options are only read.
    """

    __slots__ = (
        "as_json",
        "engine",
        "max_workers",
        "no_cache",
        "overwrite_cache",
        "progress",
        "quiet",
        "raw_output_prefix",
    )

    def __init__(
        self,
        *,
        engine: str = "serial",
        max_workers: int | None = None,
        raw_output_prefix: str | None = None,
        overwrite_cache: bool = False,
        no_cache: bool = False,
        as_json: bool = False,
        quiet: bool = False,
        progress: bool = False,
    ) -> None:
        self.engine = engine
        self.max_workers = max_workers
        self.raw_output_prefix = raw_output_prefix
        self.overwrite_cache = overwrite_cache
        self.no_cache = no_cache
        self.as_json = as_json
        self.quiet = quiet
        self.progress = progress


def _options(ctx: click.Context) -> RunOptions:
    found = ctx.find_object(RunOptions)
    return found if found is not None else RunOptions()


def _execute(entity: Any, title: str, inputs: dict[str, Any]) -> None:
    """Run `entity` with the run options of the current click context; print outputs or the failure."""
    ctx = click.get_current_context()
    opts = _options(ctx)
    try:
        kind, address = parse_engine(opts.engine)
        with user_output_to_stderr(opts.as_json):
            executor = make_executor(kind, address, opts.max_workers)
    except EngineUnavailableError as e:
        raise click.ClickException(str(e)) from None
    except EngineError as e:
        raise click.UsageError(str(e)) from e
    state = RunState(title)
    state.dashboard = getattr(executor, "dashboard_link", None)
    live = opts.progress or (not opts.quiet and sys.stderr.isatty())
    try:
        with (
            user_output_to_stderr(opts.as_json),
            run_settings(opts.raw_output_prefix, cache=not opts.no_cache, overwrite_cache=opts.overwrite_cache),
        ):
            if live:
                with LiveProgress(state):
                    outputs = run_entity(entity, inputs, executor, state)
            else:
                outputs = run_entity(entity, inputs, executor, state)
    except InputValueError as e:
        raise click.BadParameter(str(e), ctx, param_hint=f"'--{e.name}'") from None
    except Exception as e:
        click.echo(format_failure(e, state.failure), err=True)
        raise click.exceptions.Exit(1) from e
    finally:
        if kind == "dask" and not isinstance(executor, str):
            executor.shutdown(wait=True)
    if not live and not opts.quiet and not opts.as_json:
        click.echo(f"{title}: {state.summary()}", err=True)
    print_outputs(outputs, opts.as_json)


class EntityCommand(click.Command):
    """One entity: its inputs are the options; `--inputs-file` supplies many at once."""

    def __init__(self, entity: Any, attr_name: str, module_label: str) -> None:
        self.entity = entity
        params: list[click.Parameter] = list(input_options(entity))
        params.append(
            click.Option(
                ["--inputs-file"],
                type=click.Path(dir_okay=False),
                help="A JSON (or, with PyYAML, YAML) file of inputs; options given too override it.",
            )
        )
        doc = (getattr(getattr(entity, "docs", None), "short_description", None) or "").strip()
        super().__init__(
            attr_name,
            params=params,
            callback=self._run,
            help=f"Run {entity_kind(entity)} `{entity.name}` from {module_label}." + (f"\n\n{doc}" if doc else ""),
            short_help=f"{entity_kind(entity)}: {entity.name}",
        )

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--inputs-file" in args:
            i = args.index("--inputs-file")
            if i + 1 >= len(args):
                raise click.BadParameter("needs a file name", param_hint="'--inputs-file'")
            path = args[i + 1]
            options = {
                p.name: p for p in self.params if isinstance(p, click.Option) and p.name and p.name != "inputs_file"
            }
            args = read_inputs_file(path, options) + args[:i] + args[i + 2 :]
        return super().parse_args(ctx, args)

    def _run(self, **kwargs: Any) -> None:
        kwargs.pop("inputs_file", None)
        _execute(self.entity, self.entity.name, kwargs)


class ModuleGroup(click.Group):
    """The entities of one file or module, as commands."""

    def __init__(self, loaded: LoadedModule) -> None:
        super().__init__(loaded.label, help=f"Run an entity of {loaded.label}.")
        self.loaded = loaded

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(find_entities(self.loaded.module))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entity = get_entity(self.loaded, cmd_name)
        return EntityCommand(entity, cmd_name, self.loaded.label)


class RunGroup(click.Group):
    """`run`: its commands are files or modules, loaded when named."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return []

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # with --json, what the user's module prints at import goes to stderr: stdout holds the JSON alone
        with user_output_to_stderr(bool(ctx.params.get("as_json"))), paused_gc():
            return ModuleGroup(load_module(cmd_name))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Arguments"):
            formatter.write_dl(
                [
                    ("FILE_OR_MODULE", "a .py file, or a dotted module name importable from here"),
                    ("ENTITY", "a task, workflow or launch plan defined there"),
                    ("--INPUT VALUE", "one per input; see `flytelite run FILE ENTITY --help`"),
                ]
            )


@click.group("run", cls=RunGroup, subcommand_metavar="FILE_OR_MODULE ENTITY [--INPUT VALUE]...")
@click.option(
    "--engine",
    default="serial",
    show_default=True,
    metavar="serial|threads|processes|dask[=ADDRESS]",
    help="Where nodes run: in order in this process, on threads, on processes, or on a Dask cluster "
    "(a new local one, or the scheduler at ADDRESS; needs the `dask` extra).",
)
@click.option("--max-workers", type=click.IntRange(min=1), default=None, help="Threads, processes or Dask workers.")
@click.option(
    "--raw-output-prefix",
    "--raw-output-data-prefix",
    "raw_output_prefix",
    default=None,
    help="Folder or object-store prefix (s3://...) for offloaded data (files, dataframes). "
    "Default: a local temp folder.",
)
@click.option("--overwrite-cache", is_flag=True, help="Re-run cached tasks and replace their local cache entries.")
@click.option("--no-cache", is_flag=True, help="Ignore the local cache for this run.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the outputs as JSON, and nothing else on stdout (what the code prints goes to stderr).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress view and no summary line.")
@click.option("--progress", is_flag=True, help="Show the live progress view even when stderr is not a terminal.")
@click.pass_context
def run(
    ctx: click.Context,
    engine: str,
    max_workers: int | None,
    raw_output_prefix: str | None,
    overwrite_cache: bool,
    no_cache: bool,
    as_json: bool,
    quiet: bool,
    progress: bool,
) -> None:
    """Run a task, workflow or launch plan locally: no server, no configuration.

    Example: `flytelite run --engine threads examples/pipeline.py pipeline --text "a few words"`
    """
    try:
        parse_engine(engine)
    except EngineError as e:
        raise click.BadParameter(str(e), param_hint="'--engine'") from e
    ctx.obj = RunOptions(
        engine=engine,
        max_workers=max_workers,
        raw_output_prefix=raw_output_prefix,
        overwrite_cache=overwrite_cache,
        no_cache=no_cache,
        as_json=as_json,
        quiet=quiet,
        progress=progress,
    )
