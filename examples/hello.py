"""Round-trip a dataclass through flytelite's type engine and show what travels on the wire.

Run with `make demo` (or `python examples/hello.py`). It prints the Python value, its `LiteralType` and `Literal`
(the protobufs Flyte stores and passes between tasks) in a compact form, then the value decoded back. It exits
with status 1 if the decoded value differs from the original.
"""

from __future__ import annotations

import datetime
import json
import sys
from dataclasses import dataclass, field

import msgpack
from google.protobuf.json_format import MessageToDict, MessageToJson

import flytelite
from flytelite.core.type_engine import TypeEngine
from flytelite.models.literals import Literal
from flytelite.models.types import LiteralType, SimpleType


@dataclass
class Address:
    street: str
    city: str
    zip_code: str | None = None


@dataclass
class Customer:
    name: str
    address: Address
    since: datetime.date


@dataclass
class Order:
    order_id: int
    customer: Customer
    items: list[str]
    prices: dict[str, float]
    discounts: list[float | None] = field(default_factory=list)


def describe_type(lt: LiteralType, indent: str = "") -> str:
    """Return a LiteralType as compact text: one line per dataclass field, generics written inline."""
    kind = lt.WhichOneof("type")
    if kind == "collection_type":
        return f"list[{describe_type(lt.collection_type, indent)}]"
    if kind == "map_value_type":
        return f"dict[str, {describe_type(lt.map_value_type, indent)}]"
    if kind == "union_type":
        variants = [f"{describe_type(v, indent)} (tag {v.structure.tag!r})" for v in lt.union_type.variants]
        return "union[" + " | ".join(variants) + "]"
    if kind == "enum_type":
        return "enum{" + ", ".join(lt.enum_type.values) + "}"
    if kind != "simple":
        return MessageToJson(lt, indent=None)
    text = SimpleType.Name(lt.simple)
    if lt.HasField("metadata"):
        text += f" {MessageToDict(lt.metadata).get('title', '')} (JSON schema in metadata)"
    annotations = MessageToDict(lt.annotation.annotations) if lt.HasField("annotation") else {}
    if annotations.pop("cache-key-metadata", {}).get("serialization-format") == "msgpack":
        text += ", msgpack"
    if annotations:
        text += f", annotations {json.dumps(annotations)}"
    fields = lt.structure.dataclass_type
    for name in sorted(fields):
        text += f"\n{indent}  {name}: {describe_type(fields[name], indent + '  ')}"
    return text


def describe_literal(lit: Literal) -> str:
    """Return a Literal as compact text; a msgpack payload is shown decoded, as JSON."""
    if lit.scalar.HasField("binary") and lit.scalar.binary.tag == "msgpack":
        raw = lit.scalar.binary.value
        decoded = json.dumps(msgpack.unpackb(raw, strict_map_key=False), indent=2, ensure_ascii=False)
        return f"scalar.binary (msgpack, {len(raw)} bytes), decoded:\n{decoded}"
    return MessageToJson(lit, indent=None)


def show(title: str, text: str) -> None:
    """Print a titled block."""
    print(f"\n== {title}\n{text}")


def main() -> int:
    """Convert an `Order` to a literal and back; return the process exit status."""
    order = Order(
        order_id=1042,
        customer=Customer("Ada", Address("1 Loop Rd", "Zürich"), since=datetime.date(2021, 3, 14)),
        items=["keyboard", "mouse"],
        prices={"keyboard": 49.5, "mouse": 19.0},
        discounts=[0.1, None],
    )
    ctx = flytelite.FlyteContextManager.current_context()

    literal_type = TypeEngine.to_literal_type(Order)
    literal = TypeEngine.to_literal(ctx, order, Order, literal_type)
    decoded = TypeEngine.to_python_value(ctx, literal, Order)

    show("Python value", repr(order))
    show("LiteralType", describe_type(literal_type))
    show("Literal", describe_literal(literal))
    show("Decoded back", repr(decoded))
    if decoded != order:
        print("\nround trip FAILED: the decoded value differs from the original", file=sys.stderr)
        return 1
    print("\nround trip ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
