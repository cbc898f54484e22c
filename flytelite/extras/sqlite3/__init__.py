"""Run SQLite queries as tasks: `SQLite3Task` and `SQLite3Config` (home: `flytelite.extras.sqlite3.task`)."""

from flytelite.extras.sqlite3.task import SQLite3Config, SQLite3Task, SQLite3TaskExecutor

__all__ = ["SQLite3Config", "SQLite3Task", "SQLite3TaskExecutor"]
