"""`FlyteError`: the error a workflow's failure handler receives in an input declared `err: Optional[FlyteError]`.

On a cluster, propeller fills that input with the failure (`Scalar.error`); locally the graph runner does the
same with the message of the exception that failed the workflow and the id of the node that raised it.

```python
@task
def clean_up(name: str, err: Optional[FlyteError] = None) -> None:
    print(f"{name} failed at {err.failed_node_id}: {err.message}")

@workflow(on_failure=clean_up)
def wf(name: str) -> None: ...
```
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flyteidl.core.literals_pb2 import Literal, Scalar
from flyteidl.core.types_pb2 import Error, LiteralType, SimpleType

from flytelite.core.context_manager import FlyteContext
from flytelite.errors import TypeTransformerFailedError
from flytelite.types._base import TypeTransformer
from flytelite.types._engine import TypeEngine

__all__ = ["ErrorTransformer", "FlyteError"]


@dataclasses.dataclass
class FlyteError:
    """Why a workflow failed: the error message and the id of the node that failed."""

    message: str
    failed_node_id: str


class ErrorTransformer(TypeTransformer[FlyteError]):
    """Convert `FlyteError` to and from `Literal(scalar=Scalar(error=Error(...)))` (LiteralType `simple: ERROR`)."""

    def __init__(self) -> None:
        super().__init__(name="FlyteError", t=FlyteError)

    def get_literal_type(self, t: Any) -> LiteralType:
        """Return `LiteralType(simple=ERROR)`."""
        return LiteralType(simple=SimpleType.ERROR)

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: LiteralType) -> Literal:
        """Return the error literal of a `FlyteError`."""
        if type(python_val) is not FlyteError:
            raise TypeTransformerFailedError(
                f"expected a FlyteError, got {type(python_val).__name__} ({python_val!r:.60})"
            )
        return Literal(scalar=Scalar(error=Error(message=python_val.message, failed_node_id=python_val.failed_node_id)))

    def to_python_value(self, ctx: FlyteContext, lv: Literal, expected_python_type: Any) -> FlyteError:
        """Return the `FlyteError` of an error literal."""
        if not (lv.HasField("scalar") and lv.scalar.HasField("error")):
            raise TypeTransformerFailedError(f"expected an error literal, got {lv.WhichOneof('value')}")
        return FlyteError(message=lv.scalar.error.message, failed_node_id=lv.scalar.error.failed_node_id)

    def guess_python_type(self, literal_type: LiteralType) -> Any:
        """Return `FlyteError` for `simple: ERROR`."""
        if literal_type.WhichOneof("type") == "simple" and literal_type.simple == SimpleType.ERROR:
            return FlyteError
        raise ValueError(f"transformer {self.name!r} cannot reverse {literal_type}")


# FlyteError can only be used once this module is imported, so registering here does not depend on import order.
TypeEngine.register(ErrorTransformer(), override=True)
