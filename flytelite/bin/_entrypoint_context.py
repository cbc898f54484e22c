"""Build the context a task runs in inside its container, from the command line and the `FLYTE_INTERNAL_*` env."""

from __future__ import annotations

import datetime as _dt
import importlib
import os
import sys
import typing

from flyteidl.core.identifier_pb2 import Identifier, ResourceType, WorkflowExecutionIdentifier

from flytelite.core.constants import RUNTIME_PACKAGES_ENV_NAME
from flytelite.core.context_manager import (
    Deferred,
    ExecutionParameters,
    ExecutionState,
    FlyteContext,
    SyncCheckpoint,
)
from flytelite.loggers import get_logger
from flytelite.storage import FileAccessProvider, make_temp_dir

if typing.TYPE_CHECKING:
    from flytelite.configuration import SerializationSettings

__all__ = [
    "env_one_of",
    "install_runtime_packages",
    "run_subprocess",
    "serialization_settings_from_env",
    "setup_execution",
]

logger = get_logger(__name__)


def run_subprocess(cmd: list[str], env: dict[str, str] | None = None) -> int:
    """Run `cmd`, passing SIGTERM on to it (when called from the main thread); return its exit code."""
    # Only fast-execute and runtime packages start a process (`subprocess` costs ~2 ms to import, `signal` ~1 ms).
    import contextlib
    import signal
    import subprocess

    proc = subprocess.Popen(cmd, env=env)
    with contextlib.suppress(ValueError):  # not in the main thread: no signal forwarding
        signal.signal(signal.SIGTERM, lambda *_: proc.send_signal(signal.SIGTERM))
    return proc.wait()


def install_runtime_packages() -> list[str]:
    """Install the packages of `_F_RUNTIME_PACKAGES` with this interpreter's pip, as flytekit's entrypoint does.

    `ImageSpec(runtime_packages=[...])` puts them (space-separated) into the task's container env, so they are
    installed in the pod before the task module is imported. Does nothing when the variable is unset or empty; a
    failed install is logged and the task then fails on its import. Returns the packages it asked pip for.
    """
    packages = os.environ.get(RUNTIME_PACKAGES_ENV_NAME, "").split()
    if not packages:
        return []
    code = run_subprocess([sys.executable, "-m", "pip", "install", *packages])
    if code != 0:
        logger.warning("pip install %s exited with %d", " ".join(packages), code)
    import site  # loaded by the interpreter at start-up (unless `-S`): only reloaded here

    importlib.reload(site)  # pick up new .pth files and a freshly created user site directory
    importlib.invalidate_caches()
    return packages


def env_one_of(*names: str) -> str:
    """Return the first non-empty value among the env vars `names` ("" when none is set)."""
    for n in names:
        v = os.environ.get(n)
        if v:
            return v
    return ""


def serialization_settings_from_env(
    project: str, domain: str, version: str, addl_distro: str | None, dest_dir: str | None
) -> SerializationSettings:
    """Return the settings from `_F_SS_C` (else the images of the env), completed with the run's project/version."""
    # Imported here: `setup_execution` defers this call until something reads the settings (a dynamic task, a
    # connector), and most tasks never do; the configuration module and its parsers cost ~10 ms to import.
    from flytelite.configuration import (
        SERIALIZED_CONTEXT_ENV_VAR,
        FastSerializationSettings,
        ImageConfig,
        SerializationSettings,
    )

    transport = os.environ.get(SERIALIZED_CONTEXT_ENV_VAR, "")
    ss = SerializationSettings.from_transport(transport) if transport else SerializationSettings(ImageConfig.auto())
    b = ss.new_builder()
    b.project = b.project or project
    b.domain = b.domain or domain
    b.version = version
    if addl_distro:
        b.fast_serialization_settings = FastSerializationSettings(
            enabled=True, destination_dir=dest_dir, distribution_location=addl_distro
        )
    return b.build()


def setup_execution(
    raw_output_data_prefix: str | None,
    output_metadata_prefix: str | None = None,
    checkpoint_path: str | None = None,
    prev_checkpoint: str | None = None,
    dynamic_addl_distro: str | None = None,
    dynamic_dest_dir: str | None = None,
) -> FlyteContext:
    """Return a `TASK_EXECUTION` context: execution ids from the env, storage, checkpoint, serialization settings.

    The settings are built when first read (`FlyteContext.serialization_settings`).

    The runtime packages of `_F_RUNTIME_PACKAGES` are installed first (see `install_runtime_packages`).
    """
    install_runtime_packages()
    exe = WorkflowExecutionIdentifier(
        project=env_one_of("FLYTE_INTERNAL_EXECUTION_PROJECT", "_F_PRJ"),
        domain=env_one_of("FLYTE_INTERNAL_EXECUTION_DOMAIN", "_F_DM"),
        name=env_one_of("FLYTE_INTERNAL_EXECUTION_ID", "_F_NM"),
    )
    task_id = Identifier(
        resource_type=ResourceType.TASK,
        project=env_one_of("FLYTE_INTERNAL_TASK_PROJECT", "_F_TK_PRJ"),
        domain=env_one_of("FLYTE_INTERNAL_TASK_DOMAIN", "_F_TK_DM"),
        name=env_one_of("FLYTE_INTERNAL_TASK_NAME", "_F_TK_NM"),
        version=env_one_of("FLYTE_INTERNAL_TASK_VERSION", "_F_TK_V"),
    )
    sandbox = make_temp_dir(prefix="flyte")
    raw = raw_output_data_prefix or os.path.join(sandbox, "raw")
    fa = FileAccessProvider(
        local_sandbox_dir=sandbox,
        raw_output_prefix=raw,
        execution_metadata={
            "flyte-execution-project": exe.project,
            "flyte-execution-domain": exe.domain,
            "flyte-execution-launchplan": env_one_of("FLYTE_INTERNAL_EXECUTION_LAUNCHPLAN", "_F_LP"),
            "flyte-execution-workflow": env_one_of("FLYTE_INTERNAL_EXECUTION_WORKFLOW", "_F_WF"),
            "flyte-execution-name": exe.name,
        },
    )
    workspace = fa.get_random_local_directory()
    params = ExecutionParameters(
        execution_date=_dt.datetime.now(_dt.timezone.utc),
        tmp_dir=workspace,
        execution_id=exe,
        raw_output_prefix=raw,
        output_metadata_prefix=output_metadata_prefix,
        checkpoint=SyncCheckpoint(checkpoint_dest=checkpoint_path, checkpoint_src=prev_checkpoint)
        if checkpoint_path
        else None,
        task_id=task_id,
    )
    es = ExecutionState(
        working_dir=os.path.join(sandbox, "work"), mode=ExecutionState.Mode.TASK_EXECUTION, user_space_params=params
    )
    os.makedirs(es.working_dir, exist_ok=True)
    ss = Deferred(
        lambda: serialization_settings_from_env(
            exe.project, exe.domain, task_id.version, dynamic_addl_distro, dynamic_dest_dir
        )
    )
    # Built directly, not from `current_context()`: the default local context would make a sandbox of its own.
    return FlyteContext(file_access=fa, execution_state=es, serialization_settings=ss)
