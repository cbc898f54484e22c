"""`SQLite3Task`: run a query on a SQLite database file and return the result as a dataframe.

The task is a customized-container task: its template carries `custom = {query_template, uri, compressed}` and the
container runs `SQLite3TaskExecutor` from the template alone. The database file (optionally a zip/tar archive holding
one file) is downloaded from `uri` (a path, `file://`, or any protocol the storage layer reads) for each run.

```python
sql = SQLite3Task(
    "tracks",
    query_template="select TrackId, Name from tracks limit {{.inputs.limit}}",
    inputs=kwtypes(limit=int),
    output_schema_type=FlyteSchema[kwtypes(TrackId=int, Name=str)],
    task_config=SQLite3Config(uri="/data/chinook.db"),
)
df = sql(limit=5).open().all()
```
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import shutil
import sqlite3
import tempfile
from typing import Any

from flyteidl.core.tasks_pb2 import TaskTemplate

from flytelite.core.base_sql_task import SQLTask
from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.interface import kwtypes
from flytelite.core.python_customized_container_task import PythonCustomizedContainerTask
from flytelite.core.shim_task import ShimTaskExecutor
from flytelite.errors import FlyteValidationException
from flytelite.types.schema import FlyteSchema

__all__ = ["SQLite3Config", "SQLite3Task", "SQLite3TaskExecutor", "unarchive_file"]

logger = logging.getLogger("flytelite")


def unarchive_file(local_path: str, to_dir: str) -> str:
    """Unpack an archive holding exactly one file into `to_dir/_arch` and return that file's path.

    Raises:
        FlyteValidationException: the archive holds no file or more than one.
    """
    archive_dir = os.path.join(to_dir, "_arch")
    shutil.unpack_archive(local_path, archive_dir)
    files = os.listdir(archive_dir)
    if len(files) != 1:
        raise FlyteValidationException(f"Uncompressed archive should contain only one file - found {files}!")
    return os.path.join(archive_dir, files[0])


@dataclasses.dataclass(frozen=True)
class SQLite3Config:
    """Where the database file is.

    Args:
        uri: the database file (a path in the container, `file://`, `s3://`, `https://`, …).
        compressed: the file is an archive (zip, tar, gztar, bztar, xztar) holding the database.
    """

    uri: str
    compressed: bool = False


class SQLite3Task(PythonCustomizedContainerTask[SQLite3Config], SQLTask[SQLite3Config]):
    """Run a SQLite query template and return its rows as the output `results` (a `FlyteSchema` by default).

    Args:
        name: the task name.
        query_template: the query, with `{{ .inputs.<name> }}` placeholders.
        inputs: `{name: type}` of the inputs.
        task_config: the database location.
        output_schema_type: the output type: `FlyteSchema[...]`, `StructuredDataset` or `pd.DataFrame`.
        container_image: the image that runs the query (None: the default image of the serialization settings).
        **kwargs: other task options (`metadata=`, `retries=`, …).

    Raises:
        FlyteValidationException: no `task_config` or no uri.
    """

    _SQLITE_TASK_TYPE = "sqlite"

    def __init__(
        self,
        name: str,
        query_template: str,
        inputs: dict[str, Any] | None = None,
        task_config: SQLite3Config | None = None,
        output_schema_type: Any = None,
        container_image: str | None = None,
        **kwargs: Any,
    ) -> None:
        if task_config is None or not task_config.uri:
            raise FlyteValidationException(f"SQLite3Task '{name}': a SQLite DB uri is required (task_config.uri)")
        super().__init__(
            name=name,
            task_config=task_config,
            container_image=container_image,
            executor_type=SQLite3TaskExecutor,
            task_type=self._SQLITE_TASK_TYPE,
            query_template=query_template,
            inputs=inputs,
            outputs=kwtypes(results=output_schema_type if output_schema_type is not None else FlyteSchema),
            **kwargs,
        )

    @property
    def output_columns(self) -> list[str] | None:
        """Return the declared column names of the output, if any."""
        column_names = getattr(self.python_interface.outputs["results"], "column_names", None)
        names = column_names() if callable(column_names) else None
        return list(names) if names else None

    def get_custom(self, settings: Any) -> dict[str, Any]:
        """Return `{query_template, uri, compressed}`."""
        cfg = self.task_config
        if cfg is None:  # checked in __init__; keeps the type checker informed
            raise FlyteValidationException(f"SQLite3Task '{self.name}' has no task_config")
        return {"query_template": self.query_template, "uri": cfg.uri, "compressed": cfg.compressed}


class SQLite3TaskExecutor(ShimTaskExecutor[SQLite3Task]):
    """Download the database, fill in the query and return the rows as a pandas DataFrame."""

    def execute_from_model(self, tt: TaskTemplate, **kwargs: Any) -> Any:
        """Run the template's query with the given inputs.

        Raises:
            FlyteValidationException: the query fails or the file is not a database (names the task and the uri).
        """
        import pandas as pd

        custom = dict(tt.custom)
        uri, name = str(custom["uri"]), tt.id.name
        query = SQLTask.interpolate_query(str(custom["query_template"]), **kwargs)
        with tempfile.TemporaryDirectory() as temp_dir:
            local_path = os.path.join(temp_dir, os.path.basename(uri.rstrip("/")) or "db")
            FlyteContextManager.current_context().file_access.get_data(uri, local_path)
            if custom.get("compressed"):
                local_path = unarchive_file(local_path, temp_dir)
            logger.info("task %s: running %r on %s", name, query, uri)
            try:
                with contextlib.closing(sqlite3.connect(local_path)) as con:
                    return pd.read_sql_query(query, con)
            except (sqlite3.Error, pd.errors.DatabaseError) as exc:
                raise FlyteValidationException(f"task '{name}': query {query!r} failed on {uri}: {exc}") from exc
