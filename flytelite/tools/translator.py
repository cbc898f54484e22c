"""Turn tasks, workflows and launch plans into the flyteidl protobufs that Flyte Admin registers.

`get_serializable(entity_mapping, settings, entity)` returns the protobuf of `entity` and records, in
`entity_mapping`, every entity it depends on *before* the entity itself, so iterating the mapping gives a
registration order (tasks before the workflows that use them, workflows before their launch plans):

| entity | protobuf |
|---|---|
| task (`PythonTask` and subclasses) | `flyteidl.admin.TaskSpec{template: TaskTemplate, description}` |
| workflow (`WorkflowBase`) | `flyteidl.admin.WorkflowSpec{template, sub_workflows, description}` |
| `LaunchPlan` | `flyteidl.admin.LaunchPlan{id, spec, closure}` |
| `Node` | `flyteidl.core.Node` (task, workflow, launch plan, branch or array node) |
| `BranchNode` | `flyteidl.core.BranchNode` |

The admin protos are imported here and nowhere else in the package, so `import flytelite` never pays for them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flyteidl.admin import common_pb2 as _admin_common
from flyteidl.admin import description_entity_pb2 as _desc
from flyteidl.admin import launch_plan_pb2 as _lp
from flyteidl.admin import task_pb2 as _admin_task
from flyteidl.admin import workflow_pb2 as _admin_wf
from flyteidl.core import identifier_pb2 as _id
from flyteidl.core import interface_pb2 as _iface
from flyteidl.core import security_pb2 as _security
from flyteidl.core import tasks_pb2 as _tasks
from flyteidl.core import types_pb2 as _types
from flyteidl.core import workflow_pb2 as _wf
from google.protobuf import wrappers_pb2
from google.protobuf.message import Message

from flytelite.configuration import Image, ImageConfig, SerializationSettings
from flytelite.core.array_node import ArrayNode
from flytelite.core.array_node_map_task import ArrayNodeMapTask
from flytelite.core.base_task import PythonTask, Task
from flytelite.core.condition import BranchNode
from flytelite.core.constants import DEFAULT_FAILURE_NODE_ID
from flytelite.core.context_manager import FlyteEntities
from flytelite.core.docstring import Docstring
from flytelite.core.gate import Gate
from flytelite.core.interface import typed_interface
from flytelite.core.launch_plan import LaunchPlan
from flytelite.core.node import Node, dnsify
from flytelite.core.pod_template import serialize_pod_spec
from flytelite.core.python_auto_container import PythonAutoContainerTask, get_registerable_container_image
from flytelite.core.python_function_task import PythonFunctionTask
from flytelite.core.resources import construct_extended_resources, convert_resources_to_resource_model
from flytelite.core.workflow import WorkflowBase, is_dynamic_task
from flytelite.errors import FlyteSystemException

if TYPE_CHECKING:
    from flytelite.core.reference_entity import ReferenceEntity

__all__ = [
    "FAST_ENTRYPOINT",
    "EntityMapping",
    "get_command_prefix_for_fast_execute",
    "get_serializable",
    "is_reference_entity",
    "prefix_with_fast_execute",
]

FAST_ENTRYPOINT = "flytelite-fast-execute"

EntityMapping = dict[Any, Any]
"""What `get_serializable` fills in: entity -> protobuf, in registration order (dict keeps insertion order)."""

_REFERENCE_MODULE = "flytelite.core.reference_entity"
_IMAGE_SPEC_MODULE = "flytelite.image_spec.image_spec"


def _is_instance(obj: Any, module: str, cls: str) -> bool:
    """Tell whether `obj` is a `module.cls` without importing `module`.

    No instance of a class exists before its module is loaded, so the reference-entity and image-spec modules
    (~6 ms to import) are loaded only by code that uses them, not by every `package`.
    """
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(obj, getattr(loaded, cls))


def is_reference_entity(entity: Any) -> bool:
    """Tell whether `entity` is a reference to a registered task, workflow or launch plan."""
    return _is_instance(entity, _REFERENCE_MODULE, "ReferenceEntity")


def get_command_prefix_for_fast_execute(settings: SerializationSettings) -> list[str]:
    """Return `flytelite-fast-execute --additional-distribution <dist> --dest-dir <dir> --`."""
    fss = settings.fast_serialization_settings
    return [
        FAST_ENTRYPOINT,
        "--additional-distribution",
        fss.distribution_location if fss and fss.distribution_location else "{{ .remote_package_path }}",
        "--dest-dir",
        fss.destination_dir if fss and fss.destination_dir else "{{ .dest_dir }}",
        "--",
    ]


def prefix_with_fast_execute(settings: SerializationSettings, cmd: list[str]) -> list[str]:
    """Return `cmd` run through `flytelite-fast-execute` (fast registration)."""
    return [*get_command_prefix_for_fast_execute(settings), *cmd]


def _identifier(kind: int, settings: SerializationSettings, name: str) -> _id.Identifier:
    return _id.Identifier(
        resource_type=kind,
        project=settings.project or "",
        domain=settings.domain or "",
        name=name,
        version=settings.version or "",
    )


# --- documentation -------------------------------------------------------------------------------
def _documentation(entity: Any) -> _desc.DescriptionEntity | None:
    """Return the description block flytekit attaches: from the docstring, else from `docs`."""
    docs = getattr(entity, "docs", None)
    interface = getattr(entity, "python_interface", None)
    docstring = getattr(interface, "docstring", None)
    fn = getattr(entity, "function", None)
    if docstring is None and isinstance(entity, WorkflowBase) and callable(fn):
        docstring = Docstring(callable_=fn)
    short = getattr(docstring, "short_description", None)
    long = getattr(docstring, "long_description", None)
    if docs is not None:
        if isinstance(docs, _desc.DescriptionEntity):
            return docs
        if isinstance(docs, dict):
            short, long = short or docs.get("short_description"), long or docs.get("long_description")
        else:
            short = short or getattr(docs, "short_description", None)
            ld = getattr(docs, "long_description", None)
            long = long or (getattr(ld, "value", None) if ld is not None and not isinstance(ld, str) else ld)
    elif docstring is None:
        return None
    d = _desc.DescriptionEntity(short_description=short or "")
    d.long_description.format = _desc.DESCRIPTION_FORMAT_RST
    if long:
        d.long_description.value = long
    return d


def _full_interface(interface: _iface.TypedInterface) -> _iface.TypedInterface:
    """Return the interface with `inputs` and `outputs` present even when empty (as flytekit writes it)."""
    out = _iface.TypedInterface()
    out.CopyFrom(interface)
    out.inputs.SetInParent()
    out.outputs.SetInParent()
    return out


# --- tasks -----------------------------------------------------------------------------------------
def _fast_command_fn(settings: SerializationSettings, t: PythonAutoContainerTask[Any]) -> Callable[[Any], list[str]]:
    default = t.get_default_command(settings)
    return lambda s: prefix_with_fast_execute(s, default)


def _container_and_pod(
    settings: SerializationSettings, entity: Task
) -> tuple[_tasks.Container | None, _tasks.K8sPod | None]:
    # plugins may return flytekit-style models (`models.task.Container(...)`): normalise to protobufs
    container = _to_proto(entity.get_container(settings))
    pod = _to_proto(entity.get_k8s_pod(settings))
    if not settings.should_fast_serialize():
        return container, pod
    if container is not None and isinstance(entity, (PythonAutoContainerTask, ArrayNodeMapTask)):
        args = prefix_with_fast_execute(settings, list(container.args))
        del container.args[:]
        container.args.extend(args)
    elif pod is not None and isinstance(entity, ArrayNodeMapTask):
        entity.set_command_prefix(get_command_prefix_for_fast_execute(settings))
        pod = _to_proto(entity.get_k8s_pod(settings))
        entity.set_command_prefix(None)
    elif pod is not None and isinstance(entity, PythonAutoContainerTask):
        entity.set_command_fn(_fast_command_fn(settings, entity))
        try:
            pod = _to_proto(entity.get_k8s_pod(settings))
        finally:
            entity.reset_command_fn()
    return container, pod


def _check_serializable(entity: Task) -> None:
    """Fail early, naming the entity and the fix, when a task cannot be found again in its container."""
    if isinstance(entity, PythonAutoContainerTask) and not isinstance(entity, PythonFunctionTask):
        resolver = entity.task_resolver
        if resolver.location.endswith(".default_task_resolver"):
            try:
                entity.find_lhs()
            except Exception as e:
                raise FlyteSystemException(
                    f"task '{entity.name}' ({type(entity).__name__}) cannot be serialized: it is not bound to a "
                    f"module-level variable of module '{entity.instantiated_in}', so the container cannot import it. "
                    "Assign it to a variable at the top level of an importable module."
                ) from e


def _with_image_spec_images(settings: SerializationSettings) -> SerializationSettings:
    """Add the image of every `ImageSpec` task of the process to the named images (under the spec's id).

    A dynamic task compiles its sub-tasks in its pod from the serialized settings, where a `container_image=ImageSpec`
    resolves through these entries to the same image name it registered with. As in flytekit, the entries are
    appended to the settings' own image list (later dynamic and eager tasks carry them too); settings without an
    image list get a new one.
    """
    images = settings.image_config.images
    if images is None:
        default = settings.image_config.default_image
        images = [default] if default is not None else []
        b = settings.new_builder()
        b.image_config = ImageConfig(default_image=default, images=images)
        settings = b.build()
    for e in list(FlyteEntities.entities):
        if isinstance(e, PythonAutoContainerTask) and _is_instance(e.container_image, _IMAGE_SPEC_MODULE, "ImageSpec"):
            img = Image.look_up_image_info(e.container_image.id, e.get_image(settings))
            if img not in images:
                images.append(img)
    return settings


def get_serializable_task(mapping: EntityMapping, settings: SerializationSettings, entity: Task) -> Any:
    """Return the `TaskSpec` of a task (dependencies of dynamic tasks are serialized first)."""
    _check_serializable(entity)
    if is_dynamic_task(entity):
        settings = _with_image_spec_images(settings).with_serialized_context()
        for hint in getattr(entity, "node_dependency_hints", None) or ():
            get_serializable(mapping, settings, hint)
    if getattr(entity.metadata, "is_eager", False):
        settings = settings.with_serialized_context()
    try:
        container, pod = _container_and_pod(settings, entity)
    except ValueError as e:
        raise ValueError(f"task '{entity.name}' cannot be serialized: {e}. Pass --image or set container_image.") from e
    sql = _to_proto(entity.get_sql(settings))
    if sum(x is not None for x in (container, pod, sql)) > 1:
        raise ValueError(f"task '{entity.name}': only one of container, k8s_pod and sql may be set")
    metadata = entity.metadata.to_taskmetadata_model()
    if isinstance(entity, PythonTask) and entity.enable_deck:
        metadata.generates_deck.value = True
    tt = _tasks.TaskTemplate(
        id=_identifier(_id.TASK, settings, entity.name),
        type=entity.task_type,
        metadata=metadata,
        interface=_full_interface(typed_interface(entity)),
        container=container,
        k8s_pod=pod,
        sql=sql,
        task_type_version=entity.task_type_version,
        security_context=_to_proto(entity.security_context),
        config=entity.get_config(settings) or {},
        extended_resources=_to_proto(entity.get_extended_resources(settings)),
    )
    custom = entity.get_custom(settings)
    if custom:
        # Through JSON as flytekit does (tuples become lists, keys strings), without `json_format` (~2 ms to import).
        tt.custom.update(json.loads(json.dumps(custom)))
    return _admin_task.TaskSpec(template=tt, description=_documentation(entity))


# --- workflows -------------------------------------------------------------------------------------
def _sub_workflows_of(mapping: EntityMapping, settings: SerializationSettings, wf: Any) -> list[_wf.WorkflowTemplate]:
    if is_reference_entity(wf):
        return []  # a reference launch plan is registered already
    spec = get_serializable(mapping, settings, wf)
    return [spec.template, *spec.sub_workflows]


def _branch_leaves(branch: BranchNode) -> list[Node]:
    return [c.then_node for c in branch.cases if c.then_node is not None]


def get_serializable_workflow(mapping: EntityMapping, settings: SerializationSettings, entity: WorkflowBase) -> Any:
    """Return the `WorkflowSpec` of a workflow: its template plus every sub-workflow it reaches."""
    nodes: list[_wf.Node] = []
    subs: list[_wf.WorkflowTemplate] = []
    for n in entity.nodes:
        if n.id == "":
            continue
        if n.id == DEFAULT_FAILURE_NODE_ID:
            raise ValueError(f"Node {n.id} is reserved for the failure node")
        nodes.append(get_serializable(mapping, settings, n))
        if isinstance(n.flyte_entity, WorkflowBase):
            subs.extend(_sub_workflows_of(mapping, settings, n.flyte_entity))
        elif isinstance(n.flyte_entity, BranchNode):
            for leaf in _branch_leaves(n.flyte_entity):
                if isinstance(leaf.flyte_entity, WorkflowBase):
                    subs.extend(_sub_workflows_of(mapping, settings, leaf.flyte_entity))
    failure = None
    if entity.failure_node is not None:
        failure = get_serializable(mapping, settings, entity.failure_node)
        if isinstance(entity.failure_node.flyte_entity, WorkflowBase):
            subs.extend(_sub_workflows_of(mapping, settings, entity.failure_node.flyte_entity))
    template = _wf.WorkflowTemplate(
        id=_identifier(_id.WORKFLOW, settings, entity.name),
        metadata=entity.workflow_metadata.to_flyte_model(),
        metadata_defaults=entity.workflow_metadata_defaults.to_flyte_model(),
        interface=_full_interface(typed_interface(entity)),
        nodes=nodes,
        outputs=entity.output_bindings,
        failure_node=failure,
    )
    unique: dict[bytes, _wf.WorkflowTemplate] = {}
    for s in subs:
        unique.setdefault(s.SerializeToString(deterministic=True), s)
    ordered = sorted(unique.values(), key=_short_string)
    return _admin_wf.WorkflowSpec(template=template, sub_workflows=ordered, description=_documentation(entity))


def _short_string(t: _wf.WorkflowTemplate) -> str:
    i = t.id
    return f"<FlyteLiteral id {{ resource_type: WORKFLOW project: {i.project} domain: {i.domain} name: {i.name} }}>"


# --- launch plans ----------------------------------------------------------------------------------
def get_serializable_launch_plan(
    mapping: EntityMapping, settings: SerializationSettings, entity: LaunchPlan, options: Any = None
) -> Any:
    """Return the `LaunchPlan` protobuf (its workflow is serialized first); set `options` fields win."""
    wf_spec = get_serializable(mapping, settings, entity.workflow)
    s = _with_options(entity._settings, options)
    raw = s.get("raw_output_data_config")
    spec = _lp.LaunchPlanSpec(
        workflow_id=wf_spec.template.id,
        entity_metadata=_lp.LaunchPlanMetadata(
            schedule=_to_proto(s.get("schedule")), notifications=[_to_proto(n) for n in s.get("notifications") or []]
        ),
        default_inputs=entity.parameters,
        fixed_inputs=entity.fixed_inputs,
        labels=_admin_common.Labels(values=_mapping_values(s.get("labels"))),
        annotations=_admin_common.Annotations(values=_mapping_values(s.get("annotations"))),
        raw_output_data_config=_to_proto(raw) if raw is not None else _admin_common.RawOutputDataConfig(),
        max_parallelism=s.get("max_parallelism") or 0,
        security_context=_to_proto(s.get("security_context")),
        overwrite_cache=bool(s.get("overwrite_cache")),
        concurrency_policy=_to_proto(s.get("concurrency")),
    )
    return _lp.LaunchPlan(
        id=_identifier(_id.LAUNCH_PLAN, settings, entity.name),
        spec=spec,
        closure=_lp.LaunchPlanClosure(expected_inputs=_iface.ParameterMap(), expected_outputs=_iface.VariableMap()),
    )


_OPTION_FIELDS = ("notifications", "labels", "annotations", "raw_output_data_config", "max_parallelism")


def _with_options(entity_settings: dict[str, Any], options: Any) -> dict[str, Any]:
    """Return the launch plan's settings with those `options` (`flytelite.core.options.Options`) set.

    As flytekit: a set option replaces the launch plan's value, `overwrite_cache` is or-ed, and the security
    context is merged field by field (`run_as`, `secrets`, `tokens`).
    """
    if options is None:
        return entity_settings
    out = dict(entity_settings)
    for key in _OPTION_FIELDS:
        out[key] = getattr(options, key, None) or out.get(key)
    out["overwrite_cache"] = getattr(options, "overwrite_cache", None) or out.get("overwrite_cache")
    opt_sc, lp_sc = _to_proto(getattr(options, "security_context", None)), _to_proto(out.get("security_context"))
    if opt_sc is not None and lp_sc is not None:
        merged = _security.SecurityContext()
        merged.run_as.CopyFrom(opt_sc.run_as if opt_sc.HasField("run_as") else lp_sc.run_as)
        merged.secrets.extend(opt_sc.secrets or lp_sc.secrets)
        merged.tokens.extend(opt_sc.tokens or lp_sc.tokens)
        out["security_context"] = merged
    elif opt_sc is not None:
        out["security_context"] = opt_sc
    return out


def _mapping_values(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    return dict(getattr(value, "values", value))


def _to_proto(value: Any) -> Any:
    """Accept a protobuf or an object with flytekit's `to_flyte_idl()` (a `flytelite.models` view, a plugin's model)."""
    if value is None or isinstance(value, Message):
        return value
    to_idl = getattr(value, "to_flyte_idl", None)
    if to_idl is None:
        raise TypeError(f"cannot serialize {type(value).__name__} into a launch plan")
    return to_idl()


# --- nodes -----------------------------------------------------------------------------------------
def _overrides(node: Node, settings: SerializationSettings, entity: Any) -> _wf.TaskNodeOverrides:
    o = _wf.TaskNodeOverrides()
    requests, limits = node.resources
    if requests is not None or limits is not None:
        o.resources.CopyFrom(_to_proto(convert_resources_to_resource_model(requests=requests, limits=limits)))
    er = construct_extended_resources(accelerator=node.accelerator, shared_memory=node.shared_memory)
    if er is not None:
        o.extended_resources.CopyFrom(er)
    if _is_instance(node.container_image, _IMAGE_SPEC_MODULE, "ImageSpec"):
        o.container_image = get_registerable_container_image(node.container_image, settings.image_config)
    elif node.container_image:
        o.container_image = node.container_image
    pt = node.pod_template
    if pt is not None:
        container = entity.get_container(settings) if isinstance(entity, ArrayNodeMapTask) else None
        if container is None:
            container = entity._get_container(settings)
        cfg = settings.image_config
        spec = serialize_pod_spec(pt, container, lambda img: get_registerable_container_image(img, cfg))
        o.pod_template.metadata.labels.update(pt.labels or {})
        o.pod_template.metadata.annotations.update(pt.annotations or {})
        o.pod_template.pod_spec.update(spec)
        o.pod_template.primary_container_name = pt.primary_container_name or ""
    return o


def _base_node(node: Node, mapping: EntityMapping, settings: SerializationSettings) -> _wf.Node:
    upstream = [get_serializable(mapping, settings, n) for n in node.upstream_nodes if n.id != ""]
    return _wf.Node(
        id=dnsify(node.id),
        metadata=node.metadata,
        inputs=node.bindings,
        upstream_node_ids=[u.id for u in upstream],
    )


def _array_node(mapping: EntityMapping, settings: SerializationSettings, node: Node) -> _wf.ArrayNode:
    mt: ArrayNodeMapTask = node.flyte_entity
    spec = get_serializable(mapping, settings, mt)
    inner = _wf.Node(
        id=mt.name,
        metadata=mt.sub_node_metadata(),
        inputs=node.bindings,
        task_node=_wf.TaskNode(reference_id=spec.template.id, overrides=_overrides(node, settings, mt)),
    )
    an = _wf.ArrayNode(
        node=inner,
        min_success_ratio=mt.min_success_ratio,
        execution_mode=mt.execution_mode,
        bound_inputs=sorted(mt.bound_inputs),
        run_all_sub_nodes=mt.run_all_sub_nodes,
    )
    an.is_original_sub_node_interface.value = False
    if mt.concurrency is not None:
        an.parallelism = mt.concurrency
    if mt.min_successes is not None:
        an.min_successes = mt.min_successes
    return an


def _launch_plan_array_node(mapping: EntityMapping, settings: SerializationSettings, node: Node) -> _wf.ArrayNode:
    """Return the `ArrayNode` of `map_task(launch_plan)`: its sub-node is a launch-plan node (as flytekit writes it).

    The sub-node is named after the launch plan, carries the outer node's metadata and bindings, and points at the
    launch plan, which (with its workflow) is serialized first so it is registered with the package.
    """
    an: ArrayNode = node.flyte_entity
    lp = get_serializable(mapping, settings, an.target)
    fixed = an.target.fixed_inputs.literals
    inner = _wf.Node(
        id=dnsify(an.name),
        metadata=node.metadata,
        inputs=[b for b in node.bindings if b.var not in fixed],
        workflow_node=_wf.WorkflowNode(launchplan_ref=lp.id),
    )
    return _wf.ArrayNode(
        node=inner,
        parallelism=an.concurrency,
        min_successes=an.min_successes if an.min_successes is not None else 0,
        min_success_ratio=an.min_success_ratio,
        execution_mode=an.execution_mode,
        is_original_sub_node_interface=wrappers_pb2.BoolValue(value=an.is_original_sub_node_interface),
        data_mode=an.data_mode,
        bound_inputs=sorted(an.bound_inputs) or None,
        run_all_sub_nodes=an.run_all_sub_nodes,
    )


def get_serializable_node(mapping: EntityMapping, settings: SerializationSettings, node: Node) -> _wf.Node:
    """Return the flyteidl `Node` of a workflow node (its entity is serialized first)."""
    entity = node.flyte_entity
    if entity is None:
        raise ValueError(f"Node {node.id} has no flyte entity")
    out = _base_node(node, mapping, settings)
    if is_reference_entity(entity):
        _reference_node(out, entity)
    elif isinstance(entity, Gate):
        out.gate_node.CopyFrom(entity.to_gate_node())
    elif isinstance(entity, ArrayNodeMapTask):
        out.array_node.CopyFrom(_array_node(mapping, settings, node))
    elif isinstance(entity, ArrayNode):
        out.array_node.CopyFrom(_launch_plan_array_node(mapping, settings, node))
    elif isinstance(entity, Task):
        spec = get_serializable(mapping, settings, entity)
        out.task_node.CopyFrom(
            _wf.TaskNode(reference_id=spec.template.id, overrides=_overrides(node, settings, entity))
        )
        out.output_aliases.extend(node.output_aliases)
    elif isinstance(entity, WorkflowBase):
        spec = get_serializable(mapping, settings, entity)
        out.workflow_node.sub_workflow_ref.CopyFrom(spec.template.id)
    elif isinstance(entity, BranchNode):
        out.branch_node.CopyFrom(get_serializable(mapping, settings, entity))
    elif isinstance(entity, LaunchPlan):
        lp = get_serializable(mapping, settings, entity)
        fixed = entity.fixed_inputs.literals
        del out.inputs[:]
        out.inputs.extend(b for b in node.bindings if b.var not in fixed)
        out.workflow_node.launchplan_ref.CopyFrom(lp.id)
    else:
        raise ValueError(f"Node {node.id} contains an entity that cannot be serialized: {entity!r}")
    return out


def _reference_node(out: _wf.Node, entity: ReferenceEntity) -> None:
    """Point a node at a registered entity: a task node's `reference_id` or a workflow node's `launchplan_ref`."""
    if _is_instance(entity, _REFERENCE_MODULE, "ReferenceWorkflow") and entity.reference.resource_type == _id.WORKFLOW:
        raise ValueError("Reference sub-workflows are currently unsupported. Use reference launch plans instead.")
    if entity.reference.resource_type == _id.TASK:
        out.task_node.reference_id.CopyFrom(entity.id)
    else:
        out.workflow_node.launchplan_ref.CopyFrom(entity.id)


def get_serializable_branch_node(
    mapping: EntityMapping, settings: SerializationSettings, entity: BranchNode
) -> _wf.BranchNode:
    """Return the flyteidl `BranchNode`: the first case, the other cases, and the else node or error."""
    block = _wf.IfElseBlock()
    cases = [c for c in entity.cases if c.condition is not None]
    others = [c for c in entity.cases if c.condition is None]
    for i, c in enumerate(cases):
        target = block.case if i == 0 else block.other.add()
        target.condition.CopyFrom(c.condition)
        if c.then_node is not None:
            target.then_node.CopyFrom(get_serializable(mapping, settings, c.then_node))
    for c in others:
        if c.then_node is not None:
            block.else_node.CopyFrom(get_serializable(mapping, settings, c.then_node))
        elif c.error is not None:
            block.error.CopyFrom(_types.Error(failed_node_id=entity.name, message=c.error))
    return _wf.BranchNode(if_else=block)


# --- dispatch --------------------------------------------------------------------------------------
def get_serializable(mapping: EntityMapping, settings: SerializationSettings, entity: Any, options: Any = None) -> Any:
    """Return the protobuf of `entity`, adding it (after its dependencies) to `mapping`.

    Args:
        mapping: entity -> protobuf, filled in registration order; pass `{}` (or an `OrderedDict`) to start.
        settings: images, project, domain, version and fast-registration settings.
        entity: a task, workflow, launch plan, node or branch node.
        options: a `flytelite.core.options.Options` whose set fields override a launch plan's settings.

    Raises:
        ValueError: the entity cannot be serialized (no image, a reserved node id, an unknown kind).
        FlyteSystemException: an instance task that is not bound to a module-level variable.
    """
    if entity in mapping:
        return mapping[entity]
    if is_reference_entity(entity):
        refs = sys.modules[_REFERENCE_MODULE]
        cp = refs.ReferenceSpec(refs.ReferenceTemplate(entity.id, entity.reference.resource_type))
    elif isinstance(entity, Task):
        cp = get_serializable_task(mapping, settings, entity)
    elif isinstance(entity, WorkflowBase):
        cp = get_serializable_workflow(mapping, settings, entity)
    elif isinstance(entity, Node):
        cp = get_serializable_node(mapping, settings, entity)
    elif isinstance(entity, LaunchPlan):
        cp = get_serializable_launch_plan(mapping, settings, entity, options)
    elif isinstance(entity, BranchNode):
        cp = get_serializable_branch_node(mapping, settings, entity)
    else:
        raise ValueError(f"Non serializable type found {type(entity)} Entity {entity}")
    mapping[entity] = cp
    return cp
