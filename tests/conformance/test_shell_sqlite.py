"""ShellTask and SQLite3Task conformance with flytekit 1.16: same templates (but for the documented differences) and
same results, on a local sqlite file made here (no network)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

flytekit = pytest.importorskip("flytekit")

from flyteidl.core.tasks_pb2 import TaskTemplate  # noqa: E402
from flytekit import kwtypes as kit_kwtypes  # noqa: E402
from flytekit.extras.sqlite3.task import SQLite3Config as KitConfig  # noqa: E402
from flytekit.extras.sqlite3.task import SQLite3Task as KitSQLite3Task  # noqa: E402
from flytekit.extras.tasks.shell import OutputLocation as KitOutputLocation  # noqa: E402
from flytekit.extras.tasks.shell import ShellTask as KitShellTask  # noqa: E402
from flytekit.types.file import FlyteFile as KitFile  # noqa: E402
from flytekit.types.schema import FlyteSchema as KitSchema  # noqa: E402

import flytelite.exec  # noqa: E402, F401  (registers the local graph runner)
from flytelite.core.interface import kwtypes  # noqa: E402
from flytelite.extras.sqlite3.task import SQLite3Config, SQLite3Task  # noqa: E402
from flytelite.extras.tasks.shell import OutputLocation, ShellTask  # noqa: E402
from flytelite.types.file import FlyteFile  # noqa: E402
from flytelite.types.schema import FlyteSchema  # noqa: E402

QUERY = "select TrackId, Name from tracks where TrackId < {{ .inputs.limit }}\n order by TrackId"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / "music.db"
    with sqlite3.connect(path) as con:
        con.execute("create table tracks (TrackId integer, Name text)")
        con.executemany("insert into tracks values (?, ?)", [(i, f"song{i}") for i in range(20)])
    return str(path)


def _pair(db: str) -> tuple[SQLite3Task, KitSQLite3Task]:
    lite = SQLite3Task(
        "conf.sql",
        query_template=QUERY,
        inputs=kwtypes(limit=int),
        output_schema_type=FlyteSchema[kwtypes(TrackId=int, Name=str)],
        task_config=SQLite3Config(uri=db),
    )
    kit = KitSQLite3Task(
        "conf.sql",
        query_template=QUERY,
        inputs=kit_kwtypes(limit=int),
        output_schema_type=KitSchema[kit_kwtypes(TrackId=int, Name=str)],
        task_config=KitConfig(uri=db),
    )
    return lite, kit


def test_sqlite_templates_match(db: str) -> None:
    lite, kit = _pair(db)
    lt = TaskTemplate()
    lt.CopyFrom(lite.task_template)
    kt = TaskTemplate.FromString(kit.task_template.to_flyte_idl().SerializeToString())
    # documented differences: runtime metadata, entrypoint/resolver names, and the default image
    for t in (lt, kt):
        t.metadata.runtime.Clear()
        t.container.ClearField("args")
        t.container.ClearField("image")
    assert lt == kt
    kit_args = list(kit.task_template.container.args)
    lite_args = list(lite.task_template.container.args)
    assert kit_args[0] == "pyflyte-execute" and lite_args[0] == "flytelite-execute"
    assert lite_args[1:8] == kit_args[1:8]
    assert lite_args[-2] == kit_args[-2] == "{{.taskTemplatePath}}"


def test_sqlite_results_match(db: str) -> None:
    lite, kit = _pair(db)
    lite_df = lite(limit=7).open().all()
    kit_df = kit(limit=7).open().all()
    pd.testing.assert_frame_equal(lite_df, kit_df)
    assert list(lite_df["TrackId"]) == list(range(7))


def test_shell_results_and_interfaces_match(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("payload\n")
    script = "tr a-z A-Z < {inputs.src} > {outputs.out} && echo {inputs.n} >> {outputs.out}"
    lite = ShellTask(
        name="conf.shell",
        script=script,
        inputs=kwtypes(src=FlyteFile, n=int),
        output_locs=[OutputLocation(var="out", var_type=FlyteFile, location="{inputs.src}.lite")],
    )
    kit = KitShellTask(
        name="conf.shell",
        script=script,
        inputs=kit_kwtypes(src=KitFile, n=int),
        output_locs=[KitOutputLocation(var="out", var_type=KitFile, location="{inputs.src}.kit")],
    )
    assert lite.task_type == kit.task_type
    assert lite.interface.SerializeToString(deterministic=True) == kit.interface.to_flyte_idl().SerializeToString(
        deterministic=True
    )
    lite_out = Path(lite(src=FlyteFile(str(src)), n=3)).read_text()
    kit_out = Path(kit(src=KitFile(str(src)), n=3).download()).read_text()
    assert lite_out == kit_out == "PAYLOAD\n3\n"
