"""What a running task sees: current_context(), its sandbox and checkpoint, and secrets."""

from __future__ import annotations

import os
import typing
from pathlib import Path

import pytest

from flytelite.core.context_manager import (
    ExecutionParameters,
    ExecutionState,
    FlyteContextManager,
    SecretsManager,
    SyncCheckpoint,
    current_context,
)
from flytelite.core.task import task

seen: dict[str, typing.Any] = {}


@task
def introspect(a: int) -> str:
    params = current_context()
    seen["params"] = params
    seen["wd"] = params.working_directory
    seen["mode"] = FlyteContextManager.current_context().execution_state.mode  # type: ignore[union-attr]
    params.checkpoint.write(b"state")
    return params.secrets.get("grp", "key")


def test_current_context_inside_execute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_FSEC_GRP_KEY", " s3cret ")
    assert introspect(a=1) == "s3cret"
    params: ExecutionParameters = seen["params"]
    assert params.execution_id is not None and params.execution_id.name == "local"
    assert params.task_id is not None and params.task_id.project == "local"
    assert os.path.isdir(seen["wd"]) and Path(seen["wd"], "__cp").is_dir()
    assert seen["mode"] == ExecutionState.Mode.LOCAL_TASK_EXECUTION
    assert isinstance(params.checkpoint, SyncCheckpoint)
    assert params.logging is not None and params.decks == []


def test_each_execution_gets_its_own_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRP_KEY", "plain")  # local runs also read the name without the prefix
    introspect(a=1)
    first = seen["wd"]
    introspect(a=2)
    assert seen["wd"] != first


def test_current_context_outside_a_task_is_the_default() -> None:
    params = current_context()
    assert params.execution_id is not None and params.execution_id.domain == "local"


def test_secrets_from_env_file_and_attribute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(tmp_path))
    monkeypatch.setenv("FLYTE_SECRETS_FILE_PREFIX", "pre_")
    (tmp_path / "group" / "v1").mkdir(parents=True)
    (tmp_path / "group" / "v1" / "pre_token").write_text("from-file\n")
    (tmp_path / "group" / "pre_raw").write_bytes(b"\x00bin")
    sm = SecretsManager()
    assert sm.get("group", "token", group_version="v1") == "from-file"
    assert sm.get_secrets_file("Group", "Token", "V1") == str(tmp_path / "group" / "v1" / "pre_token")
    assert sm.get("group", "raw", encode_mode="rb") == b"\x00bin"
    monkeypatch.setenv("_FSEC_GROUP_ATTR", "from-env")
    assert sm.group.attr == "from-env"
    assert sm.get_secrets_env_var("group", "attr") == "_FSEC_GROUP_ATTR"
    with pytest.raises(ValueError, match="Unable to find secret"):
        sm.get("group", "absent")


def test_secrets_env_prefix_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYTE_SECRETS_ENV_PREFIX", "MY_")
    monkeypatch.setenv("MY_A_B", "x")
    assert SecretsManager().get("a", "b") == "x"


def test_remote_mode_requires_the_prefixed_env_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FLYTE_SECRETS_DEFAULT_DIR", str(tmp_path))
    monkeypatch.setenv("G_K", "unprefixed")
    ctx = FlyteContextManager.current_context()
    remote = ctx.with_execution_state(ctx.new_execution_state().with_params(mode=ExecutionState.Mode.TASK_EXECUTION))
    with FlyteContextManager.with_context(remote), pytest.raises(ValueError):
        SecretsManager().get("g", "k")


def test_checkpoint_save_restore_read(tmp_path: Path) -> None:
    first = SyncCheckpoint(checkpoint_dest=str(tmp_path / "cp1"))
    assert not first.prev_exists() and first.read() is None and first.restore() is None
    first.write(b"hello")
    second = SyncCheckpoint(checkpoint_dest=str(tmp_path / "cp2"), checkpoint_src=str(tmp_path / "cp1"))
    assert second.prev_exists()
    assert second.read() == b"hello"
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"m")
    second.save(folder)
    third = SyncCheckpoint(checkpoint_dest=str(tmp_path / "cp3"), checkpoint_src=str(tmp_path / "cp2"))
    restored = third.restore(tmp_path / "restored")
    assert restored is not None and (restored / "model.bin").read_bytes() == b"m"


def test_execution_parameters_builder_and_attrs() -> None:
    base = current_context()
    changed = base.builder().add_attr("SPARK_SESSION", 42).build()
    assert changed.has_attr("spark_session") and changed.SPARK_SESSION == 42 and changed.get("Spark_Session") == 42
    assert not base.has_attr("SPARK_SESSION")
    assert changed.with_enable_deck(True).enable_deck is True
    with pytest.raises(AttributeError):
        _ = base.no_such_attr
