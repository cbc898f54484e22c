"""Iterators and generators as task inputs and outputs (flytekit's `flytekit.types.iterator` path).

`typing.Iterator[T]` (or `collections.abc.Iterator[T]`, or a `collections.abc.Generator[T, None, None]`) travels as a
list: a task may return a generator, its items become a literal collection, and a task reading it receives a
`FlyteIterator` that converts each item when it is reached. `Iterator[JSON]` instead streams the items into one JSON
Lines blob, read back lazily by a `JSONIterator`:

```python
from flytelite.types.iterator import JSON

@task
def rows(n: int) -> Iterator[JSON]:
    for i in range(n):
        yield {"i": i}
```
"""

from flytelite.types.iterator.iterator import FlyteIterator, IteratorTransformer
from flytelite.types.iterator.json_iterator import (
    JSON,
    JSONCollection,
    JSONIterator,
    JSONIteratorTransformer,
    JSONScalar,
)

__all__ = [
    "JSON",
    "FlyteIterator",
    "IteratorTransformer",
    "JSONCollection",
    "JSONIterator",
    "JSONIteratorTransformer",
    "JSONScalar",
]
