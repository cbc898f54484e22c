"""`flytelite.models` conformance: flytekit's model classes, at the same paths, built alike, give equal protobufs.

1. For every public class of each covered `flytekit.models.X` module (and its public nested classes), flytelite has a
   class of the same name at the same path with the same constructor parameter names in the same order, and the same
   integer constants (`Sql.Dialect.ANSI`, `SimpleType.INTEGER`, ...).
2. Objects built with the same arguments (positional or keyword, nested models included) give equal `to_flyte_idl()`,
   and flytelite's `from_flyte_idl` reads flytekit's protobuf back to an equal object.

flytekit is a test-only oracle; it is imported only under `tests/conformance/`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import types
from collections.abc import Callable
from typing import Any

import pytest
from flyteidl.core import security_pb2

from flytelite.models._view import View

pytest.importorskip("flytekit")

MODULES = [
    "annotation",
    "array_job",
    "common",
    "concurrency",
    "core.condition",
    "core.errors",
    "core.execution",
    "core.identifier",
    "core.types",
    "core.workflow",
    "documentation",
    "dynamic_job",
    "interface",
    "literals",
    "presto",
    "qubole",
    "schedule",
    "security",
    "task",
    "types",
]


def _params(cls: type) -> list[str] | None:
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        return None
    ps = list(sig.parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in ps):
        return None
    return [p.name for p in ps]


def _public_classes(owner: Any, module_name: str) -> list[tuple[str, type]]:
    return [
        (name, obj)
        for name, obj in vars(owner).items()
        if not name.startswith("_") and inspect.isclass(obj) and obj.__module__ == module_name
    ]


def _compare_class(kit: type, lite: Any, path: str, problems: list[str]) -> None:
    if lite is None or not inspect.isclass(lite):
        problems.append(f"{path}: missing")
        return
    if hasattr(kit, "to_flyte_idl"):
        kp, lp = _params(kit), _params(lite)
        if kp is not None and kp != lp:
            problems.append(f"{path}: parameters {lp}, flytekit has {kp}")
    for name, value in vars(kit).items():
        if (
            name.isupper()
            and isinstance(value, int)
            and not isinstance(value, bool)
            and getattr(lite, name, None) != value
        ):
            problems.append(f"{path}.{name} = {getattr(lite, name, None)!r}, flytekit has {value!r}")
    for name, sub in _public_classes(kit, kit.__module__):
        _compare_class(sub, getattr(lite, name, None), f"{path}.{name}", problems)


@pytest.mark.parametrize("module", MODULES)
def test_same_classes_parameters_and_constants(module: str) -> None:
    kit_mod = importlib.import_module(f"flytekit.models.{module}")
    lite_mod = importlib.import_module(f"flytelite.models.{module}")
    problems: list[str] = []
    for name, kit_cls in _public_classes(kit_mod, kit_mod.__name__):
        _compare_class(kit_cls, getattr(lite_mod, name, None), f"{module}.{name}", problems)
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------------------------ same objects, same protobuf
def _ns(root: str) -> types.SimpleNamespace:
    mods = {m.replace(".", "_"): importlib.import_module(f"{root}.models.{m}") for m in MODULES}
    return types.SimpleNamespace(**mods)


KIT = _ns("flytekit")
LITE = _ns("flytelite")


def _lt_int(m: Any) -> Any:
    return m.types.LiteralType(simple=m.types.SimpleType.INTEGER)


def _int_lit(m: Any, v: int = 5) -> Any:
    return m.literals.Literal(scalar=m.literals.Scalar(primitive=m.literals.Primitive(integer=v)))


def _sd_type(m: Any) -> Any:
    col = m.types.StructuredDatasetType.DatasetColumn("a", _lt_int(m))
    return m.types.StructuredDatasetType(columns=[col], format="parquet")


def _ident(m: Any) -> Any:
    return m.core_identifier.Identifier(m.core_identifier.ResourceType.TASK, "p", "d", "n", "v")


def _interface(m: Any) -> Any:
    var = m.interface.Variable(_lt_int(m), "x")
    return m.interface.TypedInterface({"a": var}, {"o0": var})


def _container(m: Any) -> Any:
    res = m.task.Resources(
        [m.task.Resources.ResourceEntry(m.task.Resources.ResourceName.CPU, "1")],
        [m.task.Resources.ResourceEntry(m.task.Resources.ResourceName.MEMORY, "1Gi")],
    )
    return m.task.Container("img:1", ["python"], ["-c", "x"], res, {"A": "1"}, {"k": "v"})


def _task_metadata(m: Any) -> Any:
    return m.task.TaskMetadata(
        True,
        m.task.RuntimeMetadata(m.task.RuntimeMetadata.RuntimeType.FLYTE_SDK, "1.0", "python"),
        dt.timedelta(minutes=5),
        m.literals.RetryStrategy(3),
        True,
        "v1",
        "",
        False,
        "pod-tmpl",
        ["a"],
    )


def _node(m: Any) -> Any:
    w = m.core_workflow
    binding = m.literals.Binding("a", m.literals.BindingData(promise=m.types.OutputReference("n0", "o0")))
    return w.Node(
        "n1",
        w.NodeMetadata("t", dt.timedelta(seconds=30), m.literals.RetryStrategy(2), interruptible=True),
        [binding],
        ["n0"],
        [w.Alias("o0", "out")],
        task_node=w.TaskNode(_ident(m)),
    )


# flytekit hands `client_secret` to the protobuf constructor as is, and the field is a `Secret` message
_CLIENT_SECRET = security_pb2.Secret(group="oauth", key="secret")

CASES: dict[str, Callable[[Any], Any]] = {
    "Primitive integer": lambda m: m.literals.Primitive(integer=5),
    "Primitive float": lambda m: m.literals.Primitive(float_value=1.5),
    "Primitive string": lambda m: m.literals.Primitive(string_value="s"),
    "Primitive bool": lambda m: m.literals.Primitive(boolean=False),
    "Primitive naive datetime": lambda m: m.literals.Primitive(datetime=dt.datetime(2024, 1, 2, 3, 4, 5, 6)),
    "Primitive aware datetime": lambda m: m.literals.Primitive(
        datetime=dt.datetime(2024, 1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    ),
    "Primitive duration": lambda m: m.literals.Primitive(duration=dt.timedelta(seconds=90, microseconds=5)),
    "Literal int": _int_lit,
    "Literal hash metadata": lambda m: m.literals.Literal(
        scalar=m.literals.Scalar(none_type=m.literals.Void()), hash="h", metadata={"k": "v"}
    ),
    "Literal collection": lambda m: m.literals.Literal(
        collection=m.literals.LiteralCollection([_int_lit(m, 1), _int_lit(m, 2)])
    ),
    "Literal map": lambda m: m.literals.Literal(map=m.literals.LiteralMap({"a": _int_lit(m), "b": _int_lit(m, 0)})),
    "LiteralMap empty": lambda m: m.literals.LiteralMap({}),
    "Binary": lambda m: m.literals.Binary(b"\x81\xa1a\x01", "msgpack"),
    "Blob": lambda m: m.literals.Blob(
        m.literals.BlobMetadata(m.core_types.BlobType("csv", m.core_types.BlobType.BlobDimensionality.SINGLE)),
        "s3://b/k",
    ),
    "Union": lambda m: m.literals.Union(
        _int_lit(m), m.types.LiteralType(simple=m.types.SimpleType.INTEGER, structure=m.types.TypeStructure("int"))
    ),
    "StructuredDataset": lambda m: m.literals.StructuredDataset(
        "s3://b/df", m.literals.StructuredDatasetMetadata(_sd_type(m))
    ),
    "Schema": lambda m: m.literals.Schema(
        "s3://x",
        m.types.SchemaType(
            [m.types.SchemaType.SchemaColumn("c", m.types.SchemaType.SchemaColumn.SchemaColumnType.FLOAT)]
        ),
    ),
    "LiteralOffloadedMetadata": lambda m: m.literals.LiteralOffloadedMetadata("s3://o", 12, _lt_int(m)),
    "BindingData collection": lambda m: m.literals.BindingData(
        collection=m.literals.BindingDataCollection(
            [m.literals.BindingData(scalar=m.literals.Scalar(primitive=m.literals.Primitive(integer=1)))]
        )
    ),
    "BindingData map": lambda m: m.literals.BindingData(
        map=m.literals.BindingDataMap(
            {"k": m.literals.BindingData(promise=m.types.OutputReference("n", "o", ["a", 0]))}
        )
    ),
    "LiteralType collection": lambda m: m.types.LiteralType(collection_type=_lt_int(m)),
    "LiteralType map metadata annotation": lambda m: m.types.LiteralType(
        map_value_type=_lt_int(m), metadata={"a": 1.0, "b": ["x"]}, annotation=m.annotation.TypeAnnotation({"k": "v"})
    ),
    "LiteralType union": lambda m: m.types.LiteralType(
        union_type=m.types.UnionType([_lt_int(m), m.types.LiteralType(simple=m.types.SimpleType.NONE)])
    ),
    "LiteralType enum": lambda m: m.types.LiteralType(enum_type=m.core_types.EnumType(["a", "b"])),
    "LiteralType blob": lambda m: m.types.LiteralType(blob=m.core_types.BlobType("", 1)),
    "LiteralType structured": lambda m: m.types.LiteralType(structured_dataset_type=_sd_type(m)),
    "TypeStructure dataclass_type": lambda m: m.types.TypeStructure("t", {"f": _lt_int(m)}),
    "StructuredDatasetType schema": lambda m: m.types.StructuredDatasetType([], "csv", "arrow", b"sch"),
    "Error": lambda m: m.types.Error("n0", "boom"),
    "Identifier": _ident,
    "WorkflowExecutionIdentifier": lambda m: m.core_identifier.WorkflowExecutionIdentifier("p", "d", "e"),
    "TaskExecutionIdentifier": lambda m: m.core_identifier.TaskExecutionIdentifier(
        _ident(m),
        m.core_identifier.NodeExecutionIdentifier("n0", m.core_identifier.WorkflowExecutionIdentifier("p", "d", "e")),
        2,
    ),
    "SignalIdentifier": lambda m: m.core_identifier.SignalIdentifier(
        "s", m.core_identifier.WorkflowExecutionIdentifier("p", "d", "e")
    ),
    "TypedInterface": _interface,
    "ParameterMap": lambda m: m.interface.ParameterMap(
        {
            "a": m.interface.Parameter(m.interface.Variable(_lt_int(m), "a"), default=_int_lit(m)),
            "b": m.interface.Parameter(m.interface.Variable(_lt_int(m), "b"), required=True),
        }
    ),
    "Container": _container,
    "TaskMetadata": _task_metadata,
    "TaskTemplate": lambda m: m.task.TaskTemplate(
        _ident(m),
        "python-task",
        _task_metadata(m),
        _interface(m),
        {"a": [1.0, "x"], "b": {"c": True}},
        _container(m),
        1,
        m.security.SecurityContext(secrets=[m.security.Secret("g", "k")]),
        {"cfg": "1"},
    ),
    "Sql": lambda m: m.task.Sql("select 1", m.task.Sql.Dialect.ANSI),
    "Sql hive": lambda m: m.task.Sql("select 1", m.task.Sql.Dialect.HIVE),
    "K8sPod": lambda m: m.task.K8sPod(
        m.task.K8sObjectMetadata({"l": "1"}, {"a": "2"}), {"containers": [{"name": "primary"}]}, None, "primary"
    ),
    "DataLoadingConfig": lambda m: m.task.DataLoadingConfig(
        "/in",
        "/out",
        io_strategy=m.task.IOStrategy(m.task.IOStrategy.DOWNLOAD_MODE_STREAM, m.task.IOStrategy.UPLOAD_MODE_EAGER),
    ),
    "Secret": lambda m: m.security.Secret("g", "k", "v1", m.security.Secret.MountType.FILE, "MY_ENV"),
    "Secret key only": lambda m: m.security.Secret(group="g", key="k"),
    "SecurityContext": lambda m: m.security.SecurityContext(
        m.security.Identity("arn:role", "sa", m.security.OAuth2Client("id", _CLIENT_SECRET), "me"),
        [m.security.Secret("g")],
    ),  # (no `tokens`: flytekit's `OAuth2TokenRequest.to_flyte_idl` hands its enum to protobuf and fails)
    "DynamicJobSpec": lambda m: m.dynamic_job.DynamicJobSpec(
        [],
        [_node(m)],
        1,
        [m.literals.Binding("o0", m.literals.BindingData(promise=m.types.OutputReference("n1", "o0")))],
        [],
    ),
    "Node": _node,
    "BranchNode": lambda m: m.core_workflow.BranchNode(
        m.core_workflow.IfElseBlock(
            m.core_workflow.IfBlock(
                m.core_condition.BooleanExpression(
                    comparison=m.core_condition.ComparisonExpression(
                        m.core_condition.ComparisonExpression.Operator.GT,
                        m.core_condition.Operand(var="a"),
                        m.core_condition.Operand(primitive=m.literals.Primitive(integer=1)),
                    )
                ),
                _node(m),
            ),
            [],
            error=m.types.Error("n", "no branch"),
        )
    ),
    "GateNode sleep": lambda m: m.core_workflow.GateNode(sleep=m.core_workflow.SleepCondition(dt.timedelta(hours=1))),
    "GateNode signal": lambda m: m.core_workflow.GateNode(
        signal=m.core_workflow.SignalCondition("s", _lt_int(m), "o0")
    ),
    "ArrayNode": lambda m: m.core_workflow.ArrayNode(_node(m), parallelism=4, min_success_ratio=0.5),
    "WorkflowTemplate": lambda m: m.core_workflow.WorkflowTemplate(
        m.core_identifier.Identifier(m.core_identifier.ResourceType.WORKFLOW, "p", "d", "wf", "v"),
        m.core_workflow.WorkflowMetadata(
            m.core_workflow.WorkflowMetadata.OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE
        ),
        m.core_workflow.WorkflowMetadataDefaults(True),
        _interface(m),
        [_node(m)],
        [m.literals.Binding("o0", m.literals.BindingData(promise=m.types.OutputReference("n1", "o0")))],
    ),
    "ConjunctionExpression": lambda m: m.core_condition.ConjunctionExpression(
        m.core_condition.ConjunctionExpression.LogicalOperator.OR,
        m.core_condition.BooleanExpression(
            comparison=m.core_condition.ComparisonExpression(
                0, m.core_condition.Operand(var="a"), m.core_condition.Operand(var="b")
            )
        ),
        m.core_condition.BooleanExpression(
            comparison=m.core_condition.ComparisonExpression(
                1, m.core_condition.Operand(var="a"), m.core_condition.Operand(var="b")
            )
        ),
    ),
    "ErrorDocument": lambda m: m.core_errors.ErrorDocument(
        m.core_errors.ContainerError(
            "USER:ValueError",
            "boom",
            m.core_errors.ContainerError.Kind.RECOVERABLE,
            m.core_execution.ExecutionError.ErrorKind.USER,
        )
    ),
    "TaskLog": lambda m: m.core_execution.TaskLog("https://logs", "Logs", 2, dt.timedelta(days=1)),
    "ExecutionError": lambda m: m.core_execution.ExecutionError("c", "m", "s3://err", 1),
    "NamedEntityIdentifier": lambda m: m.common.NamedEntityIdentifier("p", "d", "n"),
    "Notification": lambda m: m.common.Notification(
        [m.core_execution.WorkflowExecutionPhase.FAILED],
        email=m.common.EmailNotification(["a@b.c"]),
        slack=m.common.SlackNotification(["#c"]),
    ),
    "UrlBlob": lambda m: m.common.UrlBlob("https://u", 10),
    "Labels": lambda m: m.common.Labels({"team": "ml"}),
    "AuthRole": lambda m: m.common.AuthRole("arn:role", "sa"),
    "Schedule cron": lambda m: m.schedule.Schedule("kickoff", cron_expression="0 * * * *"),
    "Schedule rate": lambda m: m.schedule.Schedule(
        "kickoff", rate=m.schedule.Schedule.FixedRate(5, m.schedule.Schedule.FixedRateUnit.HOUR)
    ),
    "Schedule cron_schedule": lambda m: m.schedule.Schedule(
        "", cron_schedule=m.schedule.Schedule.CronSchedule("@daily", "PT1H")
    ),
    "PrestoQuery": lambda m: m.presto.PrestoQuery("rg", "cat", "sch", "select 1"),
    "QuboleHiveJob": lambda m: m.qubole.QuboleHiveJob(
        m.qubole.HiveQuery("select 1", 10, 2),
        "cluster",
        ["t"],
        m.qubole.HiveQueryCollection([m.qubole.HiveQuery("select 2", 5, 1)]),
    ),
    "ArrayJob": lambda m: m.array_job.ArrayJob(parallelism=2, size=10, min_successes=3),
    "ConcurrencyPolicy": lambda m: m.concurrency.ConcurrencyPolicy(2),
    "Documentation": lambda m: m.documentation.Documentation(
        "short", m.documentation.Description(value="long"), m.documentation.SourceCode("https://src")
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_same_arguments_give_the_same_protobuf(case: str) -> None:
    kit, lite = CASES[case](KIT), CASES[case](LITE)
    kit_pb, lite_pb = kit.to_flyte_idl(), lite.to_flyte_idl()
    assert type(lite_pb) is type(kit_pb)
    assert lite_pb == kit_pb
    # flytelite reads flytekit's protobuf back to an equal model, and the models compare with protobufs
    back = type(lite).from_flyte_idl(kit_pb)
    assert back == lite
    if isinstance(lite, View):  # a view also equals its protobuf, both ways round
        assert lite == kit_pb and kit_pb == lite


@pytest.mark.parametrize(
    ("case", "read"),
    [
        ("Literal int", lambda x: x.scalar.primitive.integer),
        ("Literal int", lambda x: x.scalar.primitive.value),
        ("Literal int", lambda x: (x.collection, x.map, x.hash, x.metadata, x.offloaded_metadata)),
        ("Literal hash metadata", lambda x: (x.hash, x.metadata)),
        ("Literal collection", lambda x: [lit.scalar.primitive.integer for lit in x.collection.literals]),
        ("Literal map", lambda x: sorted((k, v.scalar.primitive.integer) for k, v in x.map.literals.items())),
        ("Primitive naive datetime", lambda x: (x.datetime, x.integer, x.value)),
        ("Primitive aware datetime", lambda x: x.datetime),
        ("Primitive duration", lambda x: (x.duration, x.value)),
        ("Primitive bool", lambda x: (x.boolean, x.value)),
        ("Union", lambda x: (x.value.scalar.primitive.integer, x.stored_type.simple, x.stored_type.structure.tag)),
        (
            "StructuredDataset",
            lambda x: (
                x.uri,
                x.metadata.structured_dataset_type.format,
                [c.name for c in x.metadata.structured_dataset_type.columns],
            ),
        ),
        ("Container", lambda x: (x.image, x.command, x.args, x.env, x.config, x.resources.requests[0].value)),
        (
            "TaskMetadata",
            lambda x: (
                x.discoverable,
                x.timeout,
                x.retries.retries,
                x.interruptible,
                x.discovery_version,
                x.cache_ignore_input_vars,
                x.runtime.flavor,
            ),
        ),
        ("Secret", lambda x: (x.group, x.key, x.group_version, x.mount_requirement.value, x.env_var)),
        ("Secret key only", lambda x: (x.group, x.key, x.group_version, x.mount_requirement.value, x.env_var)),
        ("Sql", lambda x: (x.statement, x.dialect)),
        ("Identifier", lambda x: (x.resource_type, x.project, x.name, x.version, x.resource_type_name())),
        (
            "TypedInterface",
            lambda x: (len(x.inputs), sorted(x.outputs), x.inputs["a"].type.simple, x.inputs["a"].description),
        ),
        ("LiteralType map metadata annotation", lambda x: (x.metadata, x.annotation.annotations, x.simple)),
        ("TaskTemplate", lambda x: (x.custom, x.config, x.type, x.id.name, x.task_type_version, x.sql)),
        # (flytekit's `from_flyte_idl` drops `primary_container_name`; flytelite keeps it)
        ("K8sPod", lambda x: (x.pod_spec, x.metadata.labels, x.metadata.annotations)),
        (
            "Node",
            lambda x: (
                x.id,
                x.upstream_node_ids,
                x.metadata.timeout,
                x.metadata.retries.retries,
                x.inputs[0].binding.promise.node_id,
                x.task_node.reference_id.name,
            ),
        ),
        ("GateNode sleep", lambda x: (x.sleep.duration, x.signal, x.approve)),
        ("Schedule rate", lambda x: (x.kickoff_time_input_arg, x.cron_expression, x.rate.value, x.rate.unit)),
        ("QuboleHiveJob", lambda x: (x.query.retry_count, x.tags, x.query_collection.queries[0].query)),
    ],
)
def test_properties_read_as_flytekits(case: str, read: Callable[[Any], Any]) -> None:
    kit, lite = CASES[case](KIT), CASES[case](LITE)
    assert read(lite) == read(kit)
    kit_again = type(kit).from_flyte_idl(kit.to_flyte_idl())
    lite_again = type(lite).from_flyte_idl(kit.to_flyte_idl())
    assert read(lite_again) == read(kit_again)
