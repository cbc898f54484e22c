"""Round-trip a dataclass through flytelite's type engine and show what travels on the wire.

Run with `make demo` (or `python examples/hello.py`). It prints the Python value, its `LiteralType` and `Literal`
(the protobufs Flyte stores and passes between tasks) in a compact form, then the value decoded back. It exits
with status 1 if the decoded value differs from the original.
"""

from __future__ import annotations

import base64
import datetime
import json
import sys
from dataclasses import dataclass, field
from typing import Any

import msgpack
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

import flytelite
from flytelite.core.type_engine import TypeEngine


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


def compact(message: Message) -> Any:
    """Return a protobuf as a JSON-able dict, with msgpack payloads decoded and JSON schemas summarised."""
    return _shorten(MessageToDict(message))


def _shorten(node: Any) -> Any:
    if isinstance(node, list):
        return [_shorten(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "binary" and isinstance(value, dict) and value.get("tag") == "msgpack":
            raw = base64.b64decode(value.get("value", ""))
            out["binary"] = {"tag": "msgpack", f"decoded ({len(raw)} bytes)": msgpack.loads(raw)}
        elif key == "metadata" and isinstance(value, dict) and "properties" in value:
            out["metadata"] = f"<JSON schema '{value.get('title')}': properties {sorted(value['properties'])}>"
        else:
            out[key] = _shorten(value)
    return out


def show(title: str, payload: Any) -> None:
    """Print a titled block."""
    print(f"\n== {title}")
    print(payload if isinstance(payload, str) else json.dumps(payload, indent=2, ensure_ascii=False, default=str))


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
    show("LiteralType", compact(literal_type))
    show("Literal", compact(literal))
    show("Decoded back", repr(decoded))
    if decoded != order:
        print("\nround trip FAILED: the decoded value differs from the original", file=sys.stderr)
        return 1
    print("\nround trip ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
