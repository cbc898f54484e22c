"""`SQLTask`: the base of SQL tasks (a query template with `{{ .inputs.x }}` placeholders).

The query runs on the platform (or in a plugin's executor); locally a plain `SQLTask` cannot run and should be
mocked. `get_query(**inputs)` shows the query with the inputs filled in.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from flytelite.core.base_task import PythonTask, TaskMetadata
from flytelite.core.interface import Interface
from flytelite.errors import FlyteNotMockedException

__all__ = ["SQLTask"]

T = TypeVar("T")


class SQLTask(PythonTask[T]):
    """A task defined by a SQL query template; the query is normalised to one line with single spaces.

    Args:
        name: the task name.
        query_template: the query, with `{{ .inputs.<name> }}` placeholders (case-insensitive).
        task_config: plugin configuration.
        task_type: the task type (`sql_task`).
        inputs: `{name: type}` or `{name: (type, default)}`.
        metadata: task metadata.
        outputs: `{name: type}`.

    Attributes:
        query_template: the normalised query template.
    """

    _INPUT_REGEX = re.compile(r"({{\s*.inputs.(\w+)\s*}})", re.IGNORECASE)

    def __init__(
        self,
        name: str,
        query_template: str,
        task_config: T | None = None,
        task_type: str = "sql_task",
        inputs: dict[str, Any] | None = None,
        metadata: TaskMetadata | None = None,
        outputs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            task_type=task_type,
            name=name,
            interface=Interface(inputs=inputs or {}, outputs=outputs or {}),
            metadata=metadata,
            task_config=task_config,
            **kwargs,
        )
        self.query_template: str = re.sub(r"\s+", " ", query_template.replace("\n", " ").replace("\t", " ")).strip()

    def execute(self, **kwargs: Any) -> Any:
        """Refuse to run: a SQL task runs on its platform; mock it in local tests.

        Raises:
            FlyteNotMockedException: always (a `NotImplementedError`, as flytekit raises).
        """
        raise FlyteNotMockedException(f"Cannot run SQL task '{self.name}' natively, please mock it.")

    def get_query(self, **kwargs: Any) -> str:
        """Return the query with the given inputs filled in."""
        return self.interpolate_query(self.query_template, **kwargs)

    @classmethod
    def interpolate_query(cls, query_template: str, **kwargs: Any) -> str:
        """Fill `{{ .inputs.x }}` placeholders with `str(value)`.

        Raises:
            ValueError: a placeholder names no given input, or an input is used by no placeholder.
        """
        query = query_template
        matched = set()
        for m in cls._INPUT_REGEX.finditer(query_template):
            expr, var = m.group(1), m.group(2)
            if var not in kwargs:
                raise ValueError(f"Variable {var} in Query (part of {expr}) not found in inputs {list(kwargs)}")
            matched.add(var)
            query = query.replace(expr, str(kwargs[var]))
        extra = set(kwargs) - matched
        if extra:
            raise ValueError(f"Extra Inputs have no matches in query template - missing {sorted(extra)}")
        return query
