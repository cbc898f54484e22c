"""`Echo`: a task whose outputs are its inputs, run by propeller's echo plugin without a pod.

```python
echo = Echo(name="echo", inputs={"a": int, "b": str})   # outputs o0: int, o1: str
```
Propeller needs the `echo` plugin enabled. Locally the task returns its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flytelite.core.base_task import PythonTask
from flytelite.core.interface import Interface

__all__ = ["Echo"]


class Echo(PythonTask[None]):
    """A task of type `echo` that returns its inputs as outputs `o0, o1, …` in input order.

    Args:
        name: the task name.
        inputs: `{name: type}` of the inputs.
        **kwargs: other `PythonTask` options and `TaskMetadata` fields.
    """

    _TASK_TYPE = "echo"

    def __init__(self, name: str, inputs: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        outputs = {f"o{i}": t for i, t in enumerate((inputs or {}).values())} or None
        super().__init__(
            task_type=self._TASK_TYPE, name=name, interface=Interface(inputs=inputs, outputs=outputs), **kwargs
        )

    def execute(self, **kwargs: Any) -> Any:
        """Return the inputs: one value, or a tuple of them in declaration order."""
        values = tuple(kwargs[k] for k in self.python_interface.inputs)
        return values[0] if len(values) == 1 else values
