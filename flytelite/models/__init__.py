"""flytekit's model classes at flytekit's `flytekit.models.*` paths, as thin views over the flyteidl protobufs.

```python
from flytelite.models.literals import Literal, Primitive, Scalar

lit = Literal(scalar=Scalar(primitive=Primitive(integer=5)))
lit.scalar.primitive.value    # 5
lit.collection                # None (unset)
lit.to_flyte_idl()            # the flyteidl.core.literals_pb2.Literal it wraps (shared, not copied)
```

Each class declares its protobuf message and its fields in flytekit's positional order (see `_view`); constructors
accept models or protobufs, and a model equals its protobuf. Submodules load only when imported.
"""

__all__: list[str] = []
