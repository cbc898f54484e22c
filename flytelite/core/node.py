"""A node of a compiled workflow graph: one call of a task, workflow, launch plan or branch.

Nodes are created by `create_and_link_node` while a workflow body runs with promises. A node keeps the
entity it runs, its flyteidl `NodeMetadata`, its input `Binding` protos (sorted by variable name) and the
nodes it waits for. `with_overrides` changes what the node runs with, without touching the entity.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from flyteidl.core.literals_pb2 import Binding, BindingData, RetryStrategy

if TYPE_CHECKING:  # the workflow protos come with the entity's node metadata (a task loads them to compile)
    from flyteidl.core.workflow_pb2 import Alias, NodeMetadata

__all__ = ["Node", "dnsify"]

_DNS_MAX = 63
_HASH_LEN = 10


def dnsify(value: str) -> str:
    """Turn `value` into a DNS-1123 label the way flytekit's `_dnsify` does.

    Lower-case alphanumerics are kept, `_`, `-` and `.` become `-` (dropped at the start), an upper-case
    letter is lower-cased with a `-` before it, and names of 63 or more characters are shortened to a
    10-character sha224 prefix plus the tail.
    """
    if len(value) >= _DNS_MAX:
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a name of 63+ characters hashes

        digest = hashlib.sha224(value.encode("utf-8")).hexdigest()[:_HASH_LEN]
        value = f"{digest}-{value[-(_DNS_MAX - _HASH_LEN - 1) :]}"
    out: list[str] = []
    size = 0
    for ch in value:
        if ch in "_-.":
            if size and size < _DNS_MAX - 1:
                out.append("-")
                size += 1
        elif not ch.isalnum():
            continue
        elif ch.islower() or ch.isdigit():
            out.append(ch)
            size += 1
        else:
            if size and out[-1] != "-" and size < _DNS_MAX - 1:
                out.append("-")
                size += 1
            out.append(ch.lower())
            size += 1
    return "".join(out)


def _reject_promise(value: Any, what: str) -> None:
    if hasattr(value, "ref") and hasattr(value, "attr_path"):
        raise ValueError(f"{what} cannot be a promise (a value known only at run time): {value!r}")


class Node:
    """One call in a workflow graph.

    Args:
        id: the node id (`n0`, `n1`, …, DNS-ified).
        metadata: the flyteidl `NodeMetadata` (name, timeout, retries, interruptible, cache).
        bindings: the input `Binding` protos, sorted by variable name.
        upstream_nodes: nodes that must finish before this one starts.
        flyte_entity: what the node runs (a task, workflow, launch plan or branch).

    Attributes:
        metadata: the node's flyteidl metadata.
        bindings: the input bindings, sorted by variable name.
        upstream_nodes: the nodes this one waits for.
        flyte_entity: what this node runs.
        output_aliases: the output aliases set with `with_overrides(aliases=...)`.
        container_image: the overridden container image, if any.
        accelerator: the overridden accelerator, if any.
        shared_memory: the overridden shared-memory setting, if any.
        pod_template: the overridden pod template, if any.
    """

    def __init__(
        self,
        id: str,
        metadata: NodeMetadata,
        bindings: list[Binding],
        upstream_nodes: list[Node],
        flyte_entity: Any,
    ) -> None:
        self._id = dnsify(id) if id else id
        self.metadata: NodeMetadata = metadata
        self.bindings: list[Binding] = bindings
        self.upstream_nodes: list[Node] = upstream_nodes
        self.flyte_entity: Any = flyte_entity
        self.output_aliases: list[Alias] = []
        self._requests: Any = None
        self._limits: Any = None
        self.container_image: str | None = None
        self.accelerator: Any = None
        self.shared_memory: Any = None
        self.pod_template: Any = None
        self._downstream: list[Node] = []
        self.outputs: dict[str, Any] = {}
        """The node's output promises by name (set when the node is created in a workflow)."""
        for up in upstream_nodes:
            up._downstream.append(self)

    @property
    def id(self) -> str:
        """Return the node id."""
        return self._id

    @property
    def upstream_node_ids(self) -> list[str]:
        """Return the ids of the nodes this one waits for."""
        return [n.id for n in self.upstream_nodes]

    @property
    def run_entity(self) -> Any:
        """Return what this node runs (flytekit's other name for `flyte_entity`)."""
        return self.flyte_entity

    @property
    def resources(self) -> tuple[Any, Any]:
        """Return the overridden `(requests, limits)`; each is None when not overridden."""
        return self._requests, self._limits

    def runs_before(self, other: Node) -> None:
        """Make `other` wait for this node even though no data flows between them."""
        if self not in other.upstream_nodes:
            other.upstream_nodes.append(self)

    def __rshift__(self, other: Node) -> Node:
        self.runs_before(other)
        return other

    def __repr__(self) -> str:
        return f"Node(id={self._id!r}, name={self.metadata.name!r})"

    def with_overrides(
        self,
        node_name: str | None = None,
        aliases: dict[str, str] | None = None,
        requests: Any = None,
        limits: Any = None,
        timeout: int | _dt.timedelta | None = None,
        retries: int | None = None,
        interruptible: bool | None = None,
        name: str | None = None,
        task_config: Any = None,
        container_image: str | None = None,
        accelerator: Any = None,
        cache: Any = None,
        shared_memory: Any = None,
        pod_template: Any = None,
        resources: Any = None,
    ) -> Node:
        """Change how this node runs; return the node.

        Args:
            node_name: a new node id (DNS-ified).
            aliases: output name → alias.
            requests: resource requests (`Resources`).
            limits: resource limits (`Resources`).
            timeout: seconds or a timedelta.
            retries: number of retries.
            interruptible: whether the node may run on interruptible machines.
            name: the node's display name (`metadata.name`).
            task_config: a new plugin config of the same type as the task's.
            container_image: another image for this node.
            accelerator: a GPU accelerator.
            cache: True/False or a `Cache` object.
            shared_memory: True or a size string.
            pod_template: a pod template.
            resources: requests and limits at once (not with `requests`/`limits`): a `(request, limit)` pair sets
                both, a single value the request only.
        """
        if node_name is not None:
            _reject_promise(node_name, "node_name")
            self._rename(dnsify(node_name))
        if aliases is not None:
            if not isinstance(aliases, dict):
                raise TypeError("aliases must be a dict[str, str]")
            from flyteidl.core.workflow_pb2 import Alias

            self.output_aliases = [Alias(var=k, alias=v) for k, v in aliases.items()]
        self._override_resources(requests, limits, resources)
        if task_config is not None:
            self._override_task_config(task_config)
        if container_image is not None:
            _reject_promise(container_image, "container_image")
            self.container_image = container_image
        if accelerator is not None:
            self.accelerator = accelerator
        if shared_memory is not None:
            self.shared_memory = shared_memory
        if pod_template is not None:
            self.pod_template = pod_template
        self._override_metadata(name, timeout, retries, interruptible, cache)
        return self

    def _rename(self, new_id: str) -> None:
        old = self._id
        self._id = new_id
        if not old:
            return
        # Bindings already made to this node hold its old id inside protos; point them at the new one.
        for downstream in self._downstream:
            for b in downstream.bindings:
                _rename_in_binding_data(b.binding, old, new_id)

    def _override_resources(self, requests: Any, limits: Any, resources: Any) -> None:
        if resources is not None:
            if requests is not None or limits is not None:
                raise ValueError("`resources` cannot be used together with `requests` or `limits`")
            from flytelite.core.resources import ResourceSpec  # overrides only

            spec = ResourceSpec.from_multiple_resource(resources)
            requests, limits = spec.requests, spec.limits
        if requests is not None:
            _reject_promise(requests, "requests")
            self._requests = requests
        if limits is not None:
            _reject_promise(limits, "limits")
            self._limits = limits

    def _override_task_config(self, task_config: Any) -> None:
        entity = self.flyte_entity
        current = getattr(entity, "task_config", None)
        if current is not None and not isinstance(task_config, type(current)):
            raise ValueError("can't change the type of the task config")
        entity._task_config = task_config

    def _override_metadata(
        self, name: str | None, timeout: Any, retries: int | None, interruptible: bool | None, cache: Any
    ) -> None:
        md = self.metadata
        if name is not None:
            md.name = name
        if timeout is not None:
            if isinstance(timeout, int):
                timeout = _dt.timedelta(seconds=timeout)
            if not isinstance(timeout, _dt.timedelta):
                raise ValueError("timeout must be an int (seconds) or a datetime.timedelta")
            md.timeout.FromTimedelta(timeout)
        if retries is not None:
            md.retries.CopyFrom(RetryStrategy(retries=retries))
        if interruptible is not None:
            md.interruptible = interruptible
        if cache is not None:
            if isinstance(cache, bool):
                md.cacheable = cache
            else:
                md.cacheable = True
                md.cache_version = str(getattr(cache, "version", "") or "")
                md.cache_serializable = bool(getattr(cache, "serialize", False))


def _rename_in_binding_data(bd: BindingData, old: str, new: str) -> None:
    kind = bd.WhichOneof("value")
    if kind == "promise" and bd.promise.node_id == old:
        bd.promise.node_id = new
    elif kind == "collection":
        for item in bd.collection.bindings:
            _rename_in_binding_data(item, old, new)
    elif kind == "map":
        for item in bd.map.bindings.values():
            _rename_in_binding_data(item, old, new)
