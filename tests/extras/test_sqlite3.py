"""SQLite3Task: local runs, output types, the template, and running from the template via the resolver."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from flyteidl.core.literals_pb2 import LiteralMap

import flytelite.exec  # noqa: F401  (registers the local graph runner)
from flytelite.configuration import Image, ImageConfig, SerializationSettings
from flytelite.core.context_manager import ExecutionState, FlyteContextManager
from flytelite.core.interface import kwtypes
from flytelite.core.python_customized_container_task import default_task_template_resolver
from flytelite.core.shim_task import ExecutableTemplateShimTask
from flytelite.core.type_engine import TypeEngine
from flytelite.core.workflow import workflow
from flytelite.errors import FlyteValidationException
from flytelite.extras.sqlite3.task import SQLite3Config, SQLite3Task, SQLite3TaskExecutor
from flytelite.types.schema import FlyteSchema
from flytelite.types.structured import StructuredDataset


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "music.db"
    with sqlite3.connect(path) as con:
        con.execute("create table tracks (TrackId integer, Name text)")
        con.executemany("insert into tracks values (?, ?)", [(i, f"song{i}") for i in range(10)])
    return str(path)


def _task(db: str, **kw: Any) -> SQLite3Task:
    return SQLite3Task(
        "sql.tracks",
        query_template="select TrackId, Name from tracks\n   where TrackId < {{ .inputs.limit }}",
        inputs=kwtypes(limit=int),
        task_config=SQLite3Config(uri=db),
        **kw,
    )


def test_default_output_is_a_flyte_schema(db: str) -> None:
    t = _task(db, output_schema_type=FlyteSchema[kwtypes(TrackId=int, Name=str)])
    out = t(limit=3)
    assert isinstance(out, FlyteSchema)
    df = out.open().all()
    assert list(df["TrackId"]) == [0, 1, 2] and list(df.columns) == ["TrackId", "Name"]
    assert t.output_columns == ["TrackId", "Name"]
    assert _task(db).output_columns is None


def test_structured_dataset_and_dataframe_outputs(db: str) -> None:
    sd = _task(db, output_schema_type=StructuredDataset)(limit=4)
    assert len(sd.open(pd.DataFrame).all()) == 4
    df = _task(db, output_schema_type=pd.DataFrame)(limit=2)
    assert isinstance(df, pd.DataFrame) and len(df) == 2


def test_in_a_workflow(db: str) -> None:
    t = _task(db, output_schema_type=pd.DataFrame)

    @workflow
    def wf(n: int) -> pd.DataFrame:
        return t(limit=n)

    assert len(wf(n=5)) == 5


def test_compressed_database(db: str, tmp_path: Path) -> None:
    archive = shutil.make_archive(str(tmp_path / "music"), "zip", root_dir=Path(db).parent, base_dir=Path(db).name)
    t = SQLite3Task(
        "zipped",
        "select count(*) as n from tracks",
        task_config=SQLite3Config(archive, True),
        output_schema_type=pd.DataFrame,
    )
    assert int(t()["n"][0]) == 10


def test_template(db: str) -> None:
    t = _task(db)
    assert t.query_template == "select TrackId, Name from tracks where TrackId < {{ .inputs.limit }}"
    tt = t.task_template
    assert tt.type == "sqlite"
    assert dict(tt.custom) == {"query_template": t.query_template, "uri": db, "compressed": False}
    assert list(tt.container.args[-2:]) == [
        "{{.taskTemplatePath}}",
        "flytelite.extras.sqlite3.task.SQLite3TaskExecutor",
    ]
    assert "flytelite.core.python_customized_container_task.default_task_template_resolver" in tt.container.args
    settings = SerializationSettings(image_config=ImageConfig(default_image=Image("default", "repo/img", "v1")))
    assert t.get_container(settings).image == "repo/img:v1"
    assert _task(db, container_image="my/sqlite:1").get_container(settings).image == "my/sqlite:1"


def test_resolver_runs_the_task_from_its_template(db: str, tmp_path: Path) -> None:
    t = _task(db, output_schema_type=pd.DataFrame)
    template = tmp_path / "tt.pb"
    template.write_bytes(t.task_template.SerializeToString())
    ctx = FlyteContextManager.current_context()
    es = ExecutionState(
        working_dir=str(tmp_path / "work"),
        mode=ExecutionState.Mode.TASK_EXECUTION,
        user_space_params=ctx.user_space_params,
    )
    (tmp_path / "work").mkdir()
    with FlyteContextManager.with_context(ctx.with_execution_state(es)) as c:
        shim = default_task_template_resolver.load_task(
            [str(template), f"{SQLite3TaskExecutor.__module__}.SQLite3TaskExecutor"]
        )
        assert isinstance(shim, ExecutableTemplateShimTask) and shim.name == "sql.tracks"
        inputs = TypeEngine.dict_to_literal_map(c, {"limit": 6}, {"limit": int})
        out = shim.dispatch_execute(c, inputs)
    assert isinstance(out, LiteralMap)
    df = TypeEngine.to_python_value(ctx, out.literals["results"], pd.DataFrame)
    assert len(df) == 6
    assert default_task_template_resolver.get_all_tasks() == []


def test_errors_name_task_and_uri(db: str, tmp_path: Path) -> None:
    with pytest.raises(FlyteValidationException, match="uri"):
        SQLite3Task("nouri", "select 1")
    bad = SQLite3Task(
        "badq", "select * from nothing", task_config=SQLite3Config(uri=db), output_schema_type=pd.DataFrame
    )
    with pytest.raises(FlyteValidationException) as info:
        bad()
    assert "badq" in str(info.value) and db in str(info.value) and "nothing" in str(info.value)
    with pytest.raises(ValueError, match="not found in inputs"):
        _task(db).get_query()
