"""Shell scripts as tasks: `ShellTask`, `RawShellTask`, `get_raw_shell_task` and `OutputLocation`.

The script is a Python format string over `{inputs.<name>}`, `{outputs.<name>}` and `{ctx.<attr>}` (the running
task's `current_context()`, e.g. `{ctx.working_directory}`). `FlyteFile`/`FlyteDirectory` inputs are downloaded
and replaced by their local path; datetimes by their ISO form. Outputs are files or folders the script writes at
the `OutputLocation`s (themselves templates over the inputs).

```python
t = ShellTask(
    name="copy",
    script="cp {inputs.src} {outputs.dst}",
    inputs=kwtypes(src=FlyteFile),
    output_locs=[OutputLocation(var="dst", var_type=FlyteFile, location="{inputs.src}.copy")],
)
```
A non-zero exit raises `FlyteRecoverableException` (Flyte may retry it) with the exit code and the script's stderr.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import platform
import string
import subprocess
from typing import Any, TypeVar

from flytelite.core.context_manager import ExecutionParameters, current_context
from flytelite.core.interface import Interface, kwtypes
from flytelite.core.python_function_task import PythonFunctionTask, PythonInstanceTask
from flytelite.core.task import TaskPlugins
from flytelite.errors import FlyteRecoverableException, FlyteValidationException
from flytelite.storage import is_remote
from flytelite.types.directory import FlyteDirectory
from flytelite.types.file import FlyteFile

__all__ = [
    "AttrDict",
    "OutputLocation",
    "ProcessResult",
    "RawShellTask",
    "ShellTask",
    "get_raw_shell_task",
    "subproc_execute",
]

logger = logging.getLogger("flytelite")

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class ProcessResult:
    """A finished process: its return code, standard output and standard error."""

    returncode: int
    output: str
    error: str


@dataclasses.dataclass(frozen=True)
class OutputLocation:
    """Where the script writes one output.

    Args:
        var: the output's name.
        var_type: `FlyteFile` or `FlyteDirectory` (or a subclass).
        location: the path, a template over the inputs (`"{inputs.src}.copy"`).
    """

    var: str
    var_type: type
    location: str | os.PathLike[str]


def subproc_execute(command: list[str] | str, **kwargs: Any) -> ProcessResult:
    """Run a command, capture its output, and return a `ProcessResult`.

    Raises:
        RuntimeError: the command exits non-zero (the message has its stderr) or the executable is missing.
    """
    options: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "check": True}
    options.update(kwargs)
    if options.get("shell") and isinstance(command, list):
        logger.warning("a command list with shell=True runs only its first item; pass a string instead")
    try:
        result = subprocess.run(command, **options)
    except subprocess.CalledProcessError as e:
        raise RuntimeError(f"Command: {e.cmd}\nFailed with return code {e.returncode}:\n{e.stderr}") from e
    except FileNotFoundError as e:
        raise RuntimeError(
            f"Process failed because the executable could not be found. Did you specify a container image in the"
            f" task definition if using custom dependencies?\n{e}"
        ) from e
    return ProcessResult(result.returncode, result.stdout, result.stderr)


class AttrDict(dict):  # type: ignore[type-arg]  # holds any input values
    """A dict whose keys are also attributes (`inputs.x`), for script templates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__ = self


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, (FlyteFile, FlyteDirectory)):
            return value.download()
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        return super().format_field(value, format_spec)


def interpolate(tmpl: str, inputs: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None) -> str:
    """Fill a script template from `inputs`, `outputs` and `ctx` (the running task's parameters).

    Raises:
        FlyteValidationException: the template names something that is not there.
    """
    ins, outs = AttrDict(inputs or {}), AttrDict(outputs or {})
    try:
        return _Formatter().format(tmpl, inputs=ins, outputs=outs, ctx=current_context())
    except (KeyError, AttributeError, IndexError) as e:
        raise FlyteValidationException(
            f"Variable {e} in the script template is not among the inputs {sorted(ins)} or outputs {sorted(outs)}"
        ) from e


def _run_script(script: str, shell: str) -> ProcessResult:
    """Run `script` with `shell`, echo its stdout lines, and return the result."""
    process = subprocess.Popen(
        script, stdout=subprocess.PIPE, stderr=subprocess.PIPE, shell=True, text=True, executable=shell
    )
    stdout, stderr = process.communicate()
    lines = stdout.splitlines()
    for line in lines:
        print(line)
    return ProcessResult(process.returncode, "".join(lines), stderr)


def _dummy_task_func() -> None:
    """Stand in for the function of the plugin task whose pre/post-execute a configured ShellTask uses."""


class ShellTask(PythonInstanceTask[T]):
    """Run a shell script (a template over inputs and outputs) as a task.

    Args:
        name: the task name.
        debug: print the generated script.
        script: the script template (or give `script_file`).
        script_file: a file holding the script template.
        task_config: None, or a config whose `@task` plugin supplies pre/post-execute (e.g. a pod config).
        shell: the shell that runs the script.
        inputs: `{name: type}` of the inputs.
        output_locs: where the script writes each output.
        **kwargs: other `PythonInstanceTask` options.

    Raises:
        ValueError: both or neither of `script` and `script_file`, a missing script file, an unsupported
            `task_config`, or an output location that is not a FlyteFile/FlyteDirectory.

    Attributes:
        script: the script template (None when it comes from `script_file`).
        script_file: the script file's absolute path.
        result: the last run's process result.
    """

    def __init__(
        self,
        name: str,
        debug: bool = False,
        script: str | None = None,
        script_file: str | None = None,
        task_config: T | None = None,
        shell: str = "/bin/sh",
        inputs: dict[str, Any] | None = None,
        output_locs: list[OutputLocation] | None = None,
        **kwargs: Any,
    ) -> None:
        if script and script_file:
            raise ValueError("Only either of script or script_file can be provided")
        if not script and not script_file:
            raise ValueError("Either a script or script_file is needed")
        if script_file:
            if not os.path.exists(script_file):
                raise ValueError(f"FileNotFound: the specified Script file at path {script_file} cannot be loaded")
            script_file = os.path.abspath(script_file)
        self._config_task_instance: PythonFunctionTask[Any] | None = None
        task_type = "python-task"
        if task_config is not None:
            plugin = TaskPlugins.find_pythontask_plugin(type(task_config))
            if plugin is PythonFunctionTask:
                raise ValueError("TaskConfig can either be empty - indicating simple container task or a PodConfig.")
            self._config_task_instance = plugin(task_config=task_config, task_function=_dummy_task_func)
            self._config_task_instance._name = f"_bash.{name}"
            task_type = self._config_task_instance.task_type
        self.script: str | None = script
        self.script_file: str | None = script_file
        self._debug = debug
        self._shell = shell
        self._output_locs = list(output_locs or [])
        self.result: ProcessResult | None = None
        outputs = self._validate_output_locs()
        super().__init__(name, task_config, task_type=task_type, interface=Interface(inputs, outputs), **kwargs)

    def _validate_output_locs(self) -> dict[str, type]:
        outputs: dict[str, type] = {}
        for v in self._output_locs:
            if not isinstance(v, OutputLocation):
                raise ValueError("Every output type should be an output location on the file-system")
            if v.location is None:
                raise ValueError(f"Output Location not provided for output var {v.var}")
            if not (isinstance(v.var_type, type) and issubclass(v.var_type, (FlyteFile, FlyteDirectory))):
                raise ValueError(
                    "Currently only outputs of type FlyteFile/FlyteDirectory and their derived types are supported"
                )
            outputs[v.var] = v.var_type
        return outputs

    def pre_execute(self, user_params: ExecutionParameters | None) -> ExecutionParameters | None:
        """Use the configured plugin's pre-execute, if any."""
        if self._config_task_instance is None:
            return user_params
        return self._config_task_instance.pre_execute(user_params)

    def post_execute(self, user_params: ExecutionParameters | None, rval: Any) -> Any:
        """Use the configured plugin's post-execute, if any."""
        if self._config_task_instance is None:
            return rval
        return self._config_task_instance.post_execute(user_params, rval)

    def _template(self) -> str:
        if self.script_file:
            with open(self.script_file) as f:
                return f.read()
        return self.script or ""

    def _render(self, inputs: dict[str, Any]) -> tuple[str, dict[str, str]]:
        outputs = {v.var: interpolate(os.fspath(v.location), inputs=inputs) for v in self._output_locs}
        script = self._template()
        if os.name == "nt":
            script = script.strip().replace("\n", "&&")
        gen = interpolate(script, inputs=inputs, outputs=outputs)
        if self._debug:  # three prints, as flytekit: users and tests read these exact lines
            print("\n==============================================\n")
            print(gen)
            print("\n==============================================\n")
        return gen, outputs

    def _run(self, script: str) -> None:
        shell = self._shell
        if platform.system() == "Windows":
            shell = os.environ.setdefault("ComSpec", "C:\\Windows\\System32\\cmd.exe")
        self.result = res = _run_script(script, shell)
        if res.returncode != 0:
            listing = "\n-".join(sorted(os.listdir(".")))
            raise FlyteRecoverableException(
                f"task '{self.name}': the script failed with return code {res.returncode}\n"
                f"StdErr: {res.error}\nStdOut: {res.output}\nCurrent directory contents: .\n-{listing}"
            )

    def _collect(self, outputs: dict[str, str]) -> Any:
        final: list[Any] = []
        for v in self._output_locs:
            path = outputs[v.var]
            if not is_remote(path) and not os.path.exists(path):
                raise FlyteValidationException(
                    f"task '{self.name}', output '{v.var}': the script did not create {path}"
                )
            final.append(FlyteFile(path) if issubclass(v.var_type, FlyteFile) else FlyteDirectory(path))
        if not final:
            return None
        return final[0] if len(final) == 1 else tuple(final)

    def execute(self, **kwargs: Any) -> Any:
        """Fill in the script, run it, and return the outputs found at their locations.

        Raises:
            FlyteRecoverableException: the script exits non-zero (the message has its stderr).
            FlyteValidationException: the template names an unknown variable, or an output was not created.
        """
        logger.info("Running shell script as type %s", self.task_type)
        script, outputs = self._render(kwargs)
        self._run(script)
        return self._collect(outputs)


class RawShellTask(ShellTask[T]):
    """A `ShellTask` whose template also gets `{inputs.export_env}`: `export K=V` lines from an `env` dict input.

    Built by `get_raw_shell_task`; its script's output goes straight to the console (not captured).
    """

    def make_export_string_from_env_dict(self, d: dict[str, str]) -> str:
        """Return `export k=v` lines for the given variables."""
        return "\n".join(f"export {k}={v}" for k, v in d.items())

    def execute(self, **kwargs: Any) -> Any:
        """Fill in the script (with `export_env`), run it, and return the outputs.

        Raises:
            FlyteRecoverableException: the script exits non-zero.
        """
        if isinstance(kwargs.get("env"), dict):
            kwargs["export_env"] = self.make_export_string_from_env_dict(kwargs["env"])
        script, outputs = self._render(kwargs)
        try:
            subprocess.check_call(script, shell=True)
        except subprocess.CalledProcessError as e:
            raise FlyteRecoverableException(
                f"task '{self.name}': the script failed with return code {e.returncode} (its stderr is above)"
            ) from e
        return self._collect(outputs)


def get_raw_shell_task(name: str) -> RawShellTask[Any]:
    """Return a task that runs `bash <script_file> <script_args>` with `env` exported, in the working directory."""
    return RawShellTask(
        name=name,
        debug=True,
        inputs=kwtypes(env=dict[str, str], script_args=str, script_file=str),
        output_locs=[OutputLocation(var="out", var_type=FlyteDirectory, location="{ctx.working_directory}")],
        script="""
#!/bin/bash

set -uex

cd {ctx.working_directory}

{inputs.export_env}

bash {inputs.script_file} {inputs.script_args}
""",
    )
