"""flyteidl protobuf classes at flytekit's `flytekit.models.*` paths.

These are aliases, not wrappers: `flytelite.models.literals.Literal is flyteidl.core.literals_pb2.Literal`.
Construct them with keyword arguments (`Literal(scalar=Scalar(primitive=Primitive(integer=5)))`).
"""

__all__: list[str] = []
