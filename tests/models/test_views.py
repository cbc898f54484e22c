"""`flytelite.models.*` behave like flytekit's model classes: construction, reading, equality, round trips."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import subprocess
import sys
from typing import Any

import pytest
from flyteidl.core import literals_pb2, security_pb2, tasks_pb2, types_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from flytelite.models import common as _common
from flytelite.models import interface, literals, presto, qubole, security, task, types
from flytelite.models.core import identifier, workflow
from flytelite.models.core import types as core_types


def _int(v: int) -> literals.Literal:
    return literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(integer=v)))


def test_positional_constructors_follow_flytekits_order() -> None:
    ident = identifier.Identifier(identifier.ResourceType.TASK, "p", "d", "n", "v")
    assert (ident.resource_type, ident.project, ident.domain, ident.name, ident.version) == (1, "p", "d", "n", "v")
    assert ident.resource_type_name() == "TASK"
    sdt = types.StructuredDatasetType(format="parquet")
    meta = literals.StructuredDatasetMetadata(sdt)
    assert meta.structured_dataset_type.format == "parquet"
    sql = task.Sql("select 1", task.Sql.Dialect.HIVE)
    assert (sql.statement, sql.dialect) == ("select 1", 1)
    assert literals.Union(_int(1), types.LiteralType(simple=types.SimpleType.INTEGER)).stored_type.simple == 1


def test_unset_fields_read_as_none() -> None:
    lv = _int(3)
    assert lv.scalar is not None
    assert lv.collection is None and lv.map is None and lv.offloaded_metadata is None
    assert lv.hash is None and lv.metadata is None
    assert lv.scalar.blob is None and lv.scalar.union is None
    p = lv.scalar.primitive
    assert p.float_value is None and p.string_value is None and p.datetime is None
    assert literals.Literal().value is None


def test_value_properties_return_the_set_member() -> None:
    assert literals.Primitive(integer=0).value == 0
    assert literals.Primitive(boolean=False).value is False
    assert literals.Primitive(string_value="").value == ""
    assert _int(4).value.primitive.integer == 4
    assert _int(4).scalar.value.integer == 4


def test_datetimes_and_durations_are_python_values() -> None:
    naive = dt.datetime(2024, 5, 1, 12, 30)
    p = literals.Primitive(datetime=naive)
    assert p.datetime == naive.replace(tzinfo=dt.timezone.utc)
    assert p.to_flyte_idl().datetime.seconds == int(naive.replace(tzinfo=dt.timezone.utc).timestamp())
    aware = dt.datetime(2024, 5, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert literals.Primitive(datetime=aware).datetime == aware
    assert literals.Primitive(duration=dt.timedelta(seconds=5)).duration == dt.timedelta(seconds=5)
    nm = workflow.NodeMetadata("n", dt.timedelta(minutes=2))
    assert nm.timeout == dt.timedelta(minutes=2)


def test_containers_read_as_dicts_and_lists() -> None:
    c = task.Container("img", ["cmd"], ["a", "b"], task.Resources([], []), {"A": "1"}, {})
    assert c.env == {"A": "1"} and isinstance(c.env, dict)
    assert c.args == ["a", "b"] and c.config == {}
    c.add_env("B", "2")
    c.add_env("A", "3")
    assert c.env == {"A": "3", "B": "2"}
    lt = types.LiteralType(simple=types.SimpleType.INTEGER)
    iface = interface.TypedInterface({"a": interface.Variable(lt, "a"), "b": interface.Variable(lt, "b")}, {})
    assert len(iface.inputs) == 2 and isinstance(iface.inputs, dict)
    assert not iface.outputs
    assert not literals.LiteralMap({}).literals
    lm = literals.LiteralMap({"x": _int(1)})
    assert lm.literals["x"].scalar.primitive.integer == 1


def test_nested_enums_and_constant_classes() -> None:
    s = security.Secret(group="g", key="k", mount_requirement=security.Secret.MountType.FILE)
    assert s.mount_requirement is security.Secret.MountType.FILE
    assert s.mount_requirement.value == security_pb2.Secret.MountType.FILE
    assert security.Secret(group="g").mount_requirement is security.Secret.MountType.ANY
    assert security.Secret(group="g").key is None
    assert types.SimpleType.INTEGER == types_pb2.SimpleType.INTEGER
    assert task.Sql.Dialect.ANSI == 0  # flytekit's numbering
    assert core_types.BlobType.BlobDimensionality.MULTIPART == 1
    assert workflow.WorkflowMetadata.OnFailurePolicy.enum_to_string(1) == "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE"
    # and the protobuf enums' helpers, for code written against flyteidl
    assert types.SimpleType.Name(types.SimpleType.STRING) == "STRING"
    assert identifier.ResourceType.Value("WORKFLOW") == 2


def test_secret_rejects_a_bad_env_var_name() -> None:
    with pytest.raises(ValueError, match="Invalid environment variable name"):
        security.Secret(group="g", env_var="not-valid")


def test_views_and_protobufs_compare_both_ways() -> None:
    view = _int(7)
    pb = literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=7)))
    assert view == pb and pb == view
    assert (view != pb) is False
    assert view != _int(8) and pb != _int(8)
    assert view != "something else"
    assert hash(view) == hash(_int(7))
    assert len({view, _int(7), _int(8)}) == 2


def test_from_and_to_flyte_idl_share_the_message() -> None:
    pb = literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=1)))
    view = literals.Literal.from_flyte_idl(pb)
    assert view.to_flyte_idl() is pb
    assert literals.Literal.from_flyte_idl(view.to_flyte_idl()) == view


def test_constructors_accept_views_and_protobufs() -> None:
    pb_item = literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=2)))
    coll = literals.LiteralCollection([_int(1), pb_item])
    assert [x.scalar.primitive.integer for x in coll.literals] == [1, 2]
    assert isinstance(coll.literals[1], literals.Literal)


def test_protobuf_methods_remain_available() -> None:
    view = _int(1)
    assert view.HasField("scalar") and not view.HasField("map")
    assert view.WhichOneof("value") == "scalar"
    assert literals_pb2.Literal.FromString(view.SerializeToString()) == view
    target = literals_pb2.Literal()
    target.CopyFrom(view.to_flyte_idl())
    assert target == view
    with pytest.raises(AttributeError):
        _ = view.no_such_field


def test_setters_write_through() -> None:
    lv = _int(1)
    lv.hash = "abc"
    lv.set_metadata({"k": "v"})
    assert lv.to_flyte_idl().hash == "abc" and dict(lv.to_flyte_idl().metadata) == {"k": "v"}
    lv.hash = None
    assert lv.hash is None


def test_printing_copying_pickling() -> None:
    view = _int(5)
    assert "integer: 5" in str(view) and str(view).startswith("Flyte Serialized object (Literal)")
    assert "integer: 5" in repr(view)
    assert copy.deepcopy(view) == view and copy.copy(view) == view
    assert pickle.loads(pickle.dumps(view)) == view
    assert not view.is_empty and literals.Literal().is_empty


def test_unknown_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        literals.Literal(scalr=None)
    with pytest.raises(TypeError, match="positional"):
        literals.RetryStrategy(1, 2)


class Scheduler(_common.FlyteIdlEntity):
    """A user model as flytekit plugins write them."""

    def __init__(self, name: str) -> None:
        self._name = name

    def to_flyte_idl(self) -> Any:
        return tasks_pb2.Sql(statement=self._name)

    @classmethod
    def from_flyte_idl(cls, pb: Any) -> Scheduler:
        return cls(pb.statement)


def test_flyte_idl_entity_is_subclassable() -> None:
    a, b = Scheduler("x"), Scheduler.from_flyte_idl(tasks_pb2.Sql(statement="x"))
    assert a == b and hash(a) == hash(b) and a != Scheduler("y")
    assert "statement: x" in str(a)
    assert a == tasks_pb2.Sql(statement="x")

    class Incomplete(_common.FlyteIdlEntity):
        pass

    with pytest.raises(TypeError):
        Incomplete()  # type: ignore[abstract]


def test_plugin_modules_exist() -> None:
    q = presto.PrestoQuery("rg", "cat", "sch", "select 1")
    assert q.statement == "select 1"
    job = qubole.QuboleHiveJob(qubole.HiveQuery("select 1", 10, 2), "c", ["t"])
    assert job.query.retry_count == 2 and job.tags == ["t"]
    assert _common.NamedEntityIdentifier("p", "d").name == ""


def test_importing_flytelite_loads_no_models() -> None:
    code = "import sys, flytelite; print(any(m.startswith('flytelite.models') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


_primitives = st.one_of(
    st.builds(literals.Primitive, integer=st.integers(-(2**63), 2**63 - 1)),
    st.builds(literals.Primitive, float_value=st.floats(allow_nan=False)),
    st.builds(literals.Primitive, string_value=st.text()),
    st.builds(literals.Primitive, boolean=st.booleans()),
    st.builds(
        literals.Primitive,
        datetime=st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    ),
    st.builds(literals.Primitive, duration=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=999))),
)
_scalars = st.one_of(
    st.builds(literals.Scalar, primitive=_primitives),
    st.just(literals.Scalar(none_type=literals.Void())),
    st.builds(lambda b, t: literals.Scalar(binary=literals.Binary(b, t)), st.binary(), st.text()),
)
_literals: st.SearchStrategy[literals.Literal] = st.recursive(
    st.builds(literals.Literal, scalar=_scalars),
    lambda inner: st.one_of(
        st.builds(lambda xs: literals.Literal(collection=literals.LiteralCollection(xs)), st.lists(inner, max_size=4)),
        st.builds(
            lambda d: literals.Literal(map=literals.LiteralMap(d)), st.dictionaries(st.text(), inner, max_size=4)
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(_literals)
def test_literal_views_round_trip(lit: literals.Literal) -> None:
    pb = lit.to_flyte_idl()
    again = literals.Literal.from_flyte_idl(literals_pb2.Literal.FromString(pb.SerializeToString()))
    assert again == lit and lit == again
    assert again.value == lit.value or again.value is None
    if lit.scalar is not None and lit.scalar.primitive is not None:
        assert again.scalar.primitive.value == lit.scalar.primitive.value


def test_mutating_what_was_read_reaches_the_message() -> None:
    lm = literals.LiteralMap({"a": _int(1)})
    lm.literals["b"] = _int(2)
    assert sorted(lm.literals) == ["a", "b"]
    assert sorted(lm.to_flyte_idl().literals) == ["a", "b"]
    coll = literals.LiteralCollection([_int(1)])
    coll.literals.append(_int(2))
    assert len(coll.to_flyte_idl().literals) == 2
    tt = task.TaskTemplate(
        identifier.Identifier(identifier.ResourceType.TASK, "p", "d", "n", "v"),
        "sql",
        None,
        None,
        {"connect_args": {}, "uri": "sqlite://"},
    )
    tt.custom["connect_args"]["password"] = "s3cret"
    assert tt.custom["connect_args"] == {"password": "s3cret"}
    assert tt.to_flyte_idl().custom["connect_args"]["password"] == "s3cret"
    # a child view shares its parent's sub-message; its own containers are written back through the parent
    outer = literals.Literal(collection=literals.LiteralCollection([]))
    outer.collection.literals.append(_int(3))
    assert outer == literals.Literal(collection=literals.LiteralCollection([_int(3)]))
    lv = _int(1)
    meta = lv.metadata
    assert meta is None
    lv.metadata = {"k": "v"}
    lv.metadata["k2"] = "v2"
    assert dict(lv.to_flyte_idl().metadata) == {"k": "v", "k2": "v2"}
