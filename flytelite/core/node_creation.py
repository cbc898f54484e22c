"""`create_node`: call an entity inside a workflow and get its `Node` (to order nodes or read outputs).

```python
n1 = create_node(t1, a=a)
n2 = create_node(t2)
n1 >> n2          # t2 runs after t1
return n1.o0      # outputs are attributes of the node
```
"""

from __future__ import annotations

from typing import Any

from flytelite.core.context_manager import FlyteContextManager
from flytelite.core.node import Node
from flytelite.errors import FlyteAssertion

__all__ = ["NodeWithOutputs", "create_node"]


class NodeWithOutputs(Node):
    """A node whose outputs are also its attributes (`node.o0`)."""

    def __getattr__(self, name: str) -> Any:
        outputs = self.__dict__.get("outputs") or {}
        if name in outputs:
            return outputs[name]
        raise AttributeError(f"node {self.__dict__.get('_id')!r} has no output {name!r}")


def create_node(entity: Any, *args: Any, **kwargs: Any) -> NodeWithOutputs:
    """Add a node calling `entity` to the workflow being compiled and return it.

    Raises:
        FlyteAssertion: outside of a workflow body, or with positional arguments.
    """
    if args:
        raise FlyteAssertion("create_node accepts only keyword arguments")
    ctx = FlyteContextManager.current_context()
    if ctx.compilation_state is None:
        raise FlyteAssertion("create_node can only be used inside a workflow")
    entity(**kwargs)
    node = ctx.compilation_state.nodes[-1]
    node.__class__ = NodeWithOutputs
    return node  # type: ignore[no-any-return]  # the class was switched above
