"""The graph runner: execute a compiled workflow graph locally over any executor.

`GraphRunner.run_workflow(wf, ctx, inputs)` walks `wf.nodes`. A node is *ready* when the nodes it depends
on (its upstream nodes and every node its bindings reference) have finished; its bindings are then
resolved to a `LiteralMap` and the node runs:

- a task goes to the executor (in this process as `dispatch_execute`, in another process as
  `(resolver location, loader args, inputs bytes)` through `_remote_call.run_task`);
- a map task fans its items out through the same executor, honouring `concurrency`,
  `min_success_ratio` and `run_all_sub_nodes`; a mapped launch plan (`ArrayNode`) runs one sub-graph per item;
- a sub-workflow, launch plan, branch or `@dynamic` task is run by this runner on a control thread (or
  inline with the serial executor), so its own nodes also reach the executor.

Before a task node runs, the local cache is consulted in this process (a hit emits `CACHED` instead of
`RUNNING`/`SUCCEEDED`), and its outputs are stored there afterwards, whichever executor ran it. A
`FlyteRecoverableException` re-runs the task (in the process that runs it) up to the node's `retries` (the task's
`retries=`, or `with_overrides(retries=...)`), as a Flyte cluster would.

With the serial executor nodes run one after another in creation order (flytekit's order). The first
failure cancels what has not started and is re-raised, annotated with the node, the entity and the
workflow. Every state change is sent to the observer as a `NodeEvent`.

A serial run (the default) runs every node in the calling thread and never loads `concurrent.futures` (with the
`logging` module it imports, ~6 ms), the executors or `_remote_call` (with `tempfile`, ~5 ms): the methods that hand
work to an executor import them.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import threading
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flyteidl.core.literals_pb2 import BindingData, Literal, LiteralCollection, LiteralMap, Scalar, Void

from flytelite.core.context_manager import FlyteContext
from flytelite.core.interface import typed_interface
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.node import Node
from flytelite.core.promise import resolve_attr_path
from flytelite.core.task_node import Notify, cached_outputs, run_task_node, store_outputs
from flytelite.core.type_engine import TypeEngine
from flytelite.core.workflow import CompiledGraph, WorkflowBase, is_dynamic_task, run_mocked_workflow
from flytelite.errors import add_note
from flytelite.exec._kinds import executor_kind
from flytelite.exec.events import NodeEvent, NodeEventKind, NodeObserver

if TYPE_CHECKING:
    import concurrent.futures as cf

    from flytelite.core.condition import BranchNode

__all__ = ["GraphRunner", "node_dependencies", "node_retries", "resolve_binding", "resolve_bindings"]

Scope = dict[str, LiteralMap]

# Compound node kinds, by module and class name. Their modules load only when a workflow uses them, and no instance
# can exist before its class's module is imported, so a kind whose module is not loaded is not the node's kind.
_BRANCH = ("flytelite.core.condition", "BranchNode")
_MAP_TASK = ("flytelite.core.array_node_map_task", "ArrayNodeMapTask")
_ARRAY_NODE = ("flytelite.core.array_node", "ArrayNode")
_COMPOUND_KINDS = (_BRANCH, _MAP_TASK, _ARRAY_NODE)


def _instance_of(obj: Any, kind: tuple[str, str]) -> bool:
    """Tell whether `obj` is an instance of the class `kind` names, without importing its module."""
    module = sys.modules.get(kind[0])
    return module is not None and isinstance(obj, getattr(module, kind[1]))


def resolve_binding(bd: BindingData, scope: Scope) -> Literal:
    """Return the literal a `BindingData` stands for, reading promises from `scope` (node id → outputs)."""
    kind = bd.WhichOneof("value")
    if kind == "scalar":
        return Literal(scalar=bd.scalar)
    if kind == "promise":
        ref = bd.promise
        outputs = scope.get(ref.node_id)
        if outputs is None or ref.var not in outputs.literals:
            where = f"node '{ref.node_id}'" if ref.node_id else "the workflow inputs"
            raise KeyError(f"{where} has no output '{ref.var}'")
        lit = outputs.literals[ref.var]
        if ref.attr_path:
            path = [a.int_value if a.WhichOneof("value") == "int_value" else a.string_value for a in ref.attr_path]
            lit = resolve_attr_path(lit, path)
        return lit
    if kind == "collection":
        return Literal(
            collection=LiteralCollection(literals=[resolve_binding(b, scope) for b in bd.collection.bindings])
        )
    if kind == "map":
        return Literal(map=LiteralMap(literals={k: resolve_binding(b, scope) for k, b in bd.map.bindings.items()}))
    raise ValueError(f"Cannot resolve a binding of kind {kind!r}")


def resolve_bindings(node: Node, scope: Scope) -> LiteralMap:
    """Return the node's inputs as a `LiteralMap`."""
    return LiteralMap(literals={b.var: resolve_binding(b.binding, scope) for b in node.bindings})


def _binding_refs(bd: BindingData, out: set[str]) -> None:
    kind = bd.WhichOneof("value")
    if kind == "promise":
        out.add(bd.promise.node_id)
    elif kind == "collection":
        for b in bd.collection.bindings:
            _binding_refs(b, out)
    elif kind == "map":
        for b in bd.map.bindings.values():
            _binding_refs(b, out)


def node_dependencies(node: Node) -> set[str]:
    """Return the ids of the nodes `node` waits for (upstream nodes and binding references)."""
    deps = {n.id for n in node.upstream_nodes}
    for b in node.bindings:
        _binding_refs(b.binding, deps)
    if _instance_of(node.flyte_entity, _BRANCH):
        for inner in node.flyte_entity.inner_nodes():
            deps |= node_dependencies(inner)
    deps.discard("")
    return deps


def node_retries(node: Node) -> int:
    """Return the node's retry budget: its task's `retries`, or the `with_overrides(retries=...)` value."""
    return int(node.metadata.retries.retries)


def entity_name(entity: Any) -> str:
    """Return a printable name for what a node runs."""
    return str(getattr(entity, "name", type(entity).__name__))


class GraphRunner:
    """Run compiled workflow graphs on an executor.

    Args:
        executor: any `concurrent.futures.Executor`, or `"serial"`, `"threads"`, `"processes"`; None
            reads `$FLYTELITE_EXECUTOR` (default serial).
        observer: called with every `NodeEvent`.
    """

    def __init__(self, executor: cf.Executor | str | None = None, observer: NodeObserver | None = None) -> None:
        self.observer = observer
        if executor is None or isinstance(executor, str):
            # A named kind is looked up on each use: the shared pool behind it may be replaced between runs.
            self._fixed: cf.Executor | None = None
            self._kind = executor_kind(executor)
            self.serial = self._kind == "serial"
            self.in_process = self._kind != "processes"
            return
        # an executor object exists, so `concurrent.futures` is loaded already: the executors module costs nothing
        from flytelite.exec.executors import SerialExecutor, is_in_process

        self._fixed = executor
        self._kind = ""
        self.serial = isinstance(executor, SerialExecutor)
        self.in_process = is_in_process(executor)

    @property
    def executor(self) -> cf.Executor:
        """Return the executor this runner sends work to."""
        if self._fixed is not None:
            return self._fixed
        from flytelite.exec.executors import get_executor  # loaded on first use (see the module docstring)

        return get_executor(self._kind)

    # --- events -----------------------------------------------------------------------------------
    def emit(
        self,
        kind: NodeEventKind,
        node_id: str,
        entity: Any,
        error: BaseException | None = None,
        *,
        inputs: LiteralMap | None = None,
        done: int | None = None,
        total: int | None = None,
    ) -> None:
        """Send one event to the observer, if any."""
        if self.observer is not None:
            self.observer(
                NodeEvent(
                    kind=kind,
                    node_id=node_id,
                    entity=entity_name(entity),
                    error=error,
                    inputs=inputs,
                    done=done,
                    total=total,
                )
            )

    # --- workflows --------------------------------------------------------------------------------
    def run_graph(self, graph: CompiledGraph, ctx: FlyteContext, inputs: LiteralMap, path: str = "") -> LiteralMap:
        """Run `graph` on `inputs` and return its outputs; on failure run its failure node, then raise."""
        es = ctx.execution_state
        if es is None or es.runner is not self:  # the runner of this run is part of its execution state
            es = es.with_params(runner=self) if es is not None else ctx.new_execution_state().with_params(runner=self)
            ctx = ctx.with_execution_state(es)
        scope: Scope = {"": inputs}
        try:
            self.run_nodes(graph.nodes, scope, ctx, path, graph.name)
        except BaseException as exc:
            if graph.failure_node is not None:
                self._run_failure_node(graph, graph.failure_node, scope, ctx, path, exc)
            raise
        return LiteralMap(literals={b.var: resolve_binding(b.binding, scope) for b in graph.output_bindings})

    def run_workflow(self, wf: WorkflowBase, ctx: FlyteContext, inputs: LiteralMap, path: str = "") -> LiteralMap:
        """Run workflow `wf` (compiled on first use) on `inputs`."""
        return self.run_graph(wf.graph, ctx, inputs, path)

    def _run_failure_node(
        self,
        graph: CompiledGraph,
        node: Node,
        scope: Scope,
        ctx: FlyteContext,
        path: str,
        err: BaseException | None = None,
    ) -> None:
        inputs = resolve_bindings(node, scope)
        handler_inputs = getattr(getattr(node.flyte_entity, "python_interface", None), "inputs", {})
        given = inputs.literals.get("err")
        if "err" in handler_inputs and (given is None or _is_none(given)):
            inputs.literals["err"].CopyFrom(_error_input(ctx, node, err))
        self._execute(node, inputs, ctx, self._child_path(path, node), graph.name, scope)

    def run_nodes(self, nodes: list[Node], scope: Scope, ctx: FlyteContext, path: str, wf_name: str) -> None:
        """Run `nodes` (a graph in creation order), writing each node's outputs into `scope`."""
        if self.serial:
            for node in nodes:
                self._run_one_inline(node, scope, ctx, path, wf_name)
            return
        self._run_concurrently(nodes, scope, ctx, path, wf_name)

    def _run_one_inline(self, node: Node, scope: Scope, ctx: FlyteContext, path: str, wf_name: str) -> None:
        node_path = self._child_path(path, node)
        self.emit(NodeEventKind.QUEUED, node_path, node.flyte_entity)
        inputs = resolve_bindings(node, scope)
        scope[node.id] = self._execute(node, inputs, ctx, node_path, wf_name, scope)

    def _run_concurrently(self, nodes: list[Node], scope: Scope, ctx: FlyteContext, path: str, wf_name: str) -> None:
        # Nodes are in creation order, so a node can only wait for nodes listed before it (inside a conditional,
        # ids restart at n0 and may repeat an enclosing node's id, which is then read from the enclosing scope).
        import concurrent.futures as cf  # only concurrent runs wait on futures (see the module docstring)

        waiting: dict[str, set[str]] = {}
        earlier: set[str] = set()
        for n in nodes:
            waiting[n.id] = node_dependencies(n) & earlier
            earlier.add(n.id)
        by_id = {n.id: n for n in nodes}
        running: dict[cf.Future[LiteralMap], Node] = {}
        done: set[str] = set()
        try:
            while len(done) < len(nodes):
                for nid in [i for i, deps in waiting.items() if deps <= done]:
                    del waiting[nid]
                    node = by_id[nid]
                    node_path = self._child_path(path, node)
                    self.emit(NodeEventKind.QUEUED, node_path, node.flyte_entity)
                    inputs = resolve_bindings(node, scope)
                    running[self._start(node, inputs, ctx, node_path, wf_name, scope)] = node
                if not running:
                    raise RuntimeError(f"workflow '{wf_name}' has a dependency cycle among {sorted(waiting)}")
                finished, _ = cf.wait(list(running), return_when=cf.FIRST_COMPLETED)
                for fut in finished:
                    node = running.pop(fut)
                    scope[node.id] = fut.result()
                    done.add(node.id)
        finally:
            for fut in running:
                fut.cancel()

    def _start(
        self, node: Node, inputs: LiteralMap, ctx: FlyteContext, node_path: str, wf_name: str, scope: Scope
    ) -> cf.Future[LiteralMap]:
        """Start a node; plain tasks go to the executor, compound nodes to a control thread."""
        entity = node.flyte_entity
        if not self._is_plain_task(entity):
            return _spawn(lambda: self._execute(node, inputs, ctx, node_path, wf_name, scope))
        notify = self._notifier(node, node_path, wf_name, inputs)
        return self.submit_task(entity, inputs, ctx, node_retries(node), notify)

    def run_control(self, fn: Callable[[], LiteralMap]) -> cf.Future[LiteralMap]:
        """Run `fn` (work that itself submits tasks) inline with the serial executor, else on a control thread."""
        if not self.serial:
            return _spawn(fn)
        import concurrent.futures as cf  # a map's items ask for it (see the module docstring)

        fut: cf.Future[LiteralMap] = cf.Future()
        try:
            fut.set_result(fn())
        except BaseException as e:
            fut.set_exception(e)
        return fut

    # --- one node ---------------------------------------------------------------------------------
    def _execute(
        self, node: Node, inputs: LiteralMap, ctx: FlyteContext, node_path: str, wf_name: str, scope: Scope
    ) -> LiteralMap:
        """Run one node to completion in this thread and return its outputs."""
        entity = node.flyte_entity
        if self._is_task(entity):
            notify = self._notifier(node, node_path, wf_name, inputs)
            if self.serial or is_dynamic_task(entity):  # a dynamic task runs its sub-graph through this runner
                return run_task_node(entity, inputs, ctx, retries=node_retries(node), notify=notify)
            return self.submit_task(entity, inputs, ctx, node_retries(node), notify).result()
        self.emit(NodeEventKind.RUNNING, node_path, entity)
        try:
            out = self._dispatch(entity, inputs, ctx, node_path, scope, node_retries(node))
        except BaseException as e:
            self._annotate(e, node, node_path, wf_name)
            self.emit(NodeEventKind.FAILED, node_path, entity, e, inputs=inputs)
            raise
        self.emit(NodeEventKind.SUCCEEDED, node_path, entity)
        return out

    def _notifier(self, node: Node, node_path: str, wf_name: str, inputs: LiteralMap) -> Notify:
        """Return the callback that turns `run_task_node`'s reports about `node` into node events."""
        entity = node.flyte_entity

        def notify(kind: str, error: BaseException | None) -> None:
            if error is not None:
                self._annotate(error, node, node_path, wf_name)
                self.emit(NodeEventKind.FAILED, node_path, entity, error, inputs=inputs)
            else:
                self.emit(NodeEventKind(kind), node_path, entity)

        return notify

    def _dispatch(
        self, entity: Any, inputs: LiteralMap, ctx: FlyteContext, node_path: str, scope: Scope, retries: int
    ) -> LiteralMap:
        """Run a compound node: a branch, a launch plan, a sub-workflow, a map task or an array node."""
        if _instance_of(entity, _BRANCH):
            return self._run_branch(entity, inputs, ctx, node_path, scope)
        if isinstance(entity, LaunchPlan):
            return self.run_graph(entity.workflow.graph, ctx, entity.complete_inputs(ctx, inputs), node_path)
        if isinstance(entity, WorkflowBase):
            if "execute" in vars(entity):
                return run_mocked_workflow(entity, ctx, inputs)
            return self.run_graph(entity.graph, ctx, inputs, node_path)
        if _instance_of(entity, _MAP_TASK):
            from flytelite.exec._map_runner import run_map_task

            return run_map_task(self, entity, inputs, ctx, retries, node_path=node_path)
        if _instance_of(entity, _ARRAY_NODE):
            from flytelite.exec._map_runner import run_array_node

            return run_array_node(self, entity, inputs, ctx, node_path)
        raise TypeError(f"node '{node_path}' runs {type(entity).__name__}, which the runner cannot run")

    def _run_branch(
        self, branch: BranchNode, inputs: LiteralMap, ctx: FlyteContext, node_path: str, scope: Scope
    ) -> LiteralMap:
        """Evaluate the conditions on `inputs` and run the chosen case; its nodes read the enclosing scope."""
        from flytelite.core.condition import evaluate_branch

        chosen, skipped = evaluate_branch(branch, inputs)
        for other in skipped:
            self.emit(NodeEventKind.SKIPPED, self._child_path(node_path, other), other.flyte_entity)
        if chosen is None or chosen.then_node is None:
            return LiteralMap()
        # A case's nodes read the enclosing scope; their own results go into a copy, so that ids restarting at
        # n0 inside the conditional do not overwrite the enclosing graph's results.
        case_scope = dict(scope)
        self.run_nodes(list(chosen.nodes) or [chosen.then_node], case_scope, ctx, node_path, branch.name)
        return case_scope[chosen.then_node.id]

    # --- tasks ------------------------------------------------------------------------------------
    @staticmethod
    def _is_plain_task(entity: Any) -> bool:
        return (
            not isinstance(entity, WorkflowBase | LaunchPlan)
            and not any(_instance_of(entity, kind) for kind in _COMPOUND_KINDS)
            and not is_dynamic_task(entity)
        )

    @classmethod
    def _is_task(cls, entity: Any) -> bool:
        """Tell whether `entity` is a task whose result the local cache may hold (plain or dynamic)."""
        return cls._is_plain_task(entity) or is_dynamic_task(entity)

    @staticmethod
    def cache_lookup(task: Any, inputs: LiteralMap) -> LiteralMap | None:
        """Return the cached outputs of `task` on `inputs`, or None (not cacheable, cache off or overwrite, miss)."""
        return cached_outputs(task, inputs)

    @staticmethod
    def cache_store(task: Any, inputs: LiteralMap, outputs: LiteralMap) -> None:
        """Store the outputs of a cacheable task in the local cache (when the cache is on)."""
        store_outputs(task, inputs, outputs)

    def submit_task(
        self, task: Any, inputs: LiteralMap, ctx: FlyteContext, retries: int = 0, notify: Notify | None = None
    ) -> cf.Future[LiteralMap]:
        """Run one task node on the executor and return the future of its outputs (`run_task_node`, in the pool).

        In this process (serial or thread executor) the executor runs `run_task_node`. For a worker process the
        local cache is consulted and filled here, and the worker runs `_remote_call.run_task` on the inputs' bytes
        (`execute_task`, with the same retries). `notify` hears `cached`, or `running` then `succeeded` / `failed`.
        """
        import concurrent.futures as cf  # work handed to an executor (see the module docstring)

        from flytelite.exec._remote_call import run_task
        from flytelite.exec.executors import get_executor, replace_if_broken

        # A mocked task only exists in this process; gates and reference entities have no resolver and run here.
        if self.in_process or "execute" in vars(task) or getattr(task, "task_resolver", None) is None:
            cv = contextvars.copy_context()
            executor = self.executor if self.in_process else get_executor("serial")
            return executor.submit(cv.run, run_task_node, task, inputs, ctx, retries=retries, notify=notify)
        out: cf.Future[LiteralMap] = cf.Future()
        cached = cached_outputs(task, inputs)
        if cached is not None:
            if notify is not None:
                notify("cached", None)
            out.set_result(cached)
            return out
        if notify is not None:
            notify("running", None)
        location, loader_args = _remote_address(task, ctx.serialization_settings)
        data = inputs.SerializeToString(deterministic=True)

        def send(ex: cf.Executor) -> cf.Future[bytes]:
            prefix = ctx.file_access.raw_output_prefix
            return ex.submit(run_task, location, loader_args, data, raw_output_prefix=prefix, retries=retries)

        executor = self.executor
        try:
            remote = send(executor)
        except cf.BrokenExecutor as exc:  # a worker died in an earlier run: a named kind gets a fresh pool
            if not _is_broken_process_pool(exc):
                raise
            replace_if_broken(executor, broken=True)
            if self._fixed is not None:
                raise
            executor = self.executor
            remote = send(executor)

        def parse(f: cf.Future[bytes]) -> None:
            if f.cancelled():
                out.cancel()
                return
            if not out.set_running_or_notify_cancel():
                return  # the caller cancelled it
            try:
                exc = f.exception()
                if _is_broken_process_pool(exc):
                    replace_if_broken(executor, broken=True)
                    add_note(
                        exc,
                        f"the worker process running task '{entity_name(task)}' died (killed by a signal "
                        "or out of memory?); the next run starts a fresh process pool",
                    )
                lm = LiteralMap.FromString(f.result())
                store_outputs(task, inputs, lm)
            except BaseException as e:
                if notify is not None:
                    notify("failed", e)
                out.set_exception(e)
                return
            if notify is not None:
                notify("succeeded", None)
            out.set_result(lm)

        out.add_done_callback(lambda f: remote.cancel() if f.cancelled() else None)
        remote.add_done_callback(parse)
        return out

    # --- helpers ----------------------------------------------------------------------------------
    @staticmethod
    def _child_path(path: str, node: Node) -> str:
        return f"{path}-{node.id}" if path else node.id

    @staticmethod
    def _annotate(e: BaseException, node: Node, node_path: str, wf_name: str) -> None:
        if getattr(e, "_flytelite_annotated", False):
            return
        add_note(e, f"while running node '{node_path}' ({entity_name(node.flyte_entity)}) of workflow '{wf_name}'")
        with contextlib.suppress(AttributeError):
            e._flytelite_annotated = True  # type: ignore[attr-defined]  # marks the innermost node only
            e._flytelite_failed_node = node_path  # type: ignore[attr-defined]  # read by a failure handler's `err`


def _is_none(lit: Literal) -> bool:
    """Tell whether `lit` is None, bare or inside a union (how an unset `Optional` input is bound)."""
    if lit.scalar.HasField("union"):
        return _is_none(lit.scalar.union.value)
    return bool(lit.scalar.HasField("none_type"))


def _error_input(ctx: FlyteContext, node: Node, err: BaseException | None) -> Literal:
    """Return the `err` input of a failure handler: a `FlyteError` when it declares one, else None."""
    entity = node.flyte_entity
    err_type = entity.python_interface.inputs["err"]
    from flytelite.types.error.error import FlyteError

    if err is None or FlyteError not in (err_type, *typing.get_args(err_type)):
        return Literal(scalar=Scalar(none_type=Void()))
    value = FlyteError(message=str(err), failed_node_id=str(getattr(err, "_flytelite_failed_node", "")))
    return TypeEngine.to_literal(ctx, value, err_type, typed_interface(entity).inputs.variables["err"].type)


_addresses: dict[tuple[int, int], tuple[Any, Any, str, list[str]]] = {}


def _remote_address(task: Any, settings: Any) -> tuple[str, list[str]]:
    """Return the task's resolver location and loader args, computed once per task and settings object.

    Finding a resolver's location inspects modules and source files (~0.3 ms), too much to repeat per map item.
    The task and settings are kept in the entry, so their ids cannot be reused while it exists.
    """
    key = (id(task), id(settings))
    hit = _addresses.get(key)
    if hit is None:
        resolver = task.task_resolver
        hit = (task, settings, resolver.location, list(resolver.loader_args(settings, task)))
        _addresses[key] = hit
    return hit[2], hit[3]


def _is_broken_process_pool(exc: BaseException | None) -> typing.TypeGuard[BaseException]:
    """Tell whether `exc` is a `BrokenProcessPool`.

    Its module (`concurrent.futures.process`, ~10 ms with `multiprocessing`) is loaded only when a process pool is
    used, so it is looked up instead of imported: an exception of that class means the module is loaded.
    """
    process = sys.modules.get("concurrent.futures.process")
    return process is not None and isinstance(exc, process.BrokenProcessPool)


def _spawn(fn: Callable[[], LiteralMap]) -> cf.Future[LiteralMap]:
    """Run `fn` on a new control thread (with a copy of the current context) and return its future."""
    import concurrent.futures as cf  # only concurrent runs start control threads (see the module docstring)

    fut: cf.Future[LiteralMap] = cf.Future()
    cv = contextvars.copy_context()

    def target() -> None:
        if not fut.set_running_or_notify_cancel():
            return  # cancelled before it started
        try:
            fut.set_result(cv.run(fn))
        except BaseException as e:
            fut.set_exception(e)

    threading.Thread(target=target, name="flytelite-control", daemon=True).start()
    return fut
