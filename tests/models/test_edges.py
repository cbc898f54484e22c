"""Where user and plugin code meets flytelite: it gets flytekit-style models and may hand them back.

Foreign transformers and dataframe handlers receive views and may return them; plugin tasks may return models from
`get_sql` / `get_container` / `get_k8s_pod` / `dispatch_execute`; the public `TypeEngine` accepts models and its
protobuf results mix with models. flytelite's own transformers keep working on raw protobufs.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flyteidl.core import literals_pb2, types_pb2

import flytelite
import flytelite.exec  # registers the local graph runner
from flytelite.configuration import ImageConfig, SerializationSettings
from flytelite.core.base_sql_task import SQLTask
from flytelite.core.base_task import PythonTask
from flytelite.core.context_manager import FlyteContext, FlyteContextManager
from flytelite.core.interface import Interface
from flytelite.core.resources import Resources, convert_resources_to_resource_model
from flytelite.core.task import task
from flytelite.core.workflow import workflow
from flytelite.models import literals, security, types
from flytelite.models import task as task_models
from flytelite.storage import FileAccessProvider
from flytelite.tools.translator import get_serializable
from flytelite.types import TypeEngine, TypeTransformer
from flytelite.types.structured import (
    StructuredDataset,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetTransformerEngine,
)

SETTINGS = SerializationSettings(
    image_config=ImageConfig.from_images("cr.io/img:v1"), project="p", domain="d", version="v"
)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[FlyteContext]:
    fa = FileAccessProvider(tmp_path / "sandbox", str(tmp_path / "raw"))
    with FlyteContextManager.with_context(FlyteContextManager.current_context().with_file_access(fa)) as c:
        yield c


@pytest.fixture
def registry() -> Iterator[None]:
    with TypeEngine.using(TypeEngine.registry().copy()):
        yield


# ----------------------------------------------------------------------------------------- a foreign TypeTransformer
class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.cents == self.cents

    def __hash__(self) -> int:
        return self.cents


SEEN: list[str] = []


class MoneyTransformer(TypeTransformer[Money]):
    """Written as for flytekit: builds and reads `flytekit.models` objects."""

    def __init__(self) -> None:
        super().__init__("Money", Money)

    def get_literal_type(self, t: Any) -> types.LiteralType:
        return types.LiteralType(simple=types.SimpleType.INTEGER, metadata={"currency": "EUR"})

    def to_literal(self, ctx: FlyteContext, python_val: Any, python_type: Any, expected: Any) -> literals.Literal:
        assert isinstance(expected, types.LiteralType) and expected.metadata == {"currency": "EUR"}
        SEEN.append("to_literal")
        return literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(integer=python_val.cents)))

    def to_python_value(self, ctx: FlyteContext, lv: Any, expected_python_type: Any) -> Money:
        assert isinstance(lv, literals.Literal)
        assert lv.collection is None and lv.map is None
        SEEN.append("to_python_value")
        return Money(lv.scalar.primitive.value)

    def guess_python_type(self, literal_type: Any) -> Any:
        assert isinstance(literal_type, types.LiteralType)
        if literal_type.metadata == {"currency": "EUR"}:
            return Money
        raise ValueError("not money")


def test_a_foreign_transformer_runs_in_tasks_and_workflows(registry: None) -> None:
    TypeEngine.register(MoneyTransformer())
    SEEN.clear()

    @task
    def double(m: Money) -> Money:
        return Money(m.cents * 2)

    @task
    def total(ms: list[Money], extra: typing.Optional[Money]) -> Money:  # noqa: UP045 -- users spell it so
        return Money(sum(m.cents for m in ms) + (extra.cents if extra else 0))

    @workflow
    def wf(m: Money) -> Money:
        d = double(m=m)
        return total(ms=[d, m], extra=d)

    assert wf(m=Money(5)) == Money(25)
    assert "to_literal" in SEEN and "to_python_value" in SEEN
    lt = TypeEngine.to_literal_type(Money)
    assert isinstance(lt, types_pb2.LiteralType) and lt.simple == types_pb2.SimpleType.INTEGER
    # a union variant's tag names its transformer, which then gets the type as a model
    tagged = types.LiteralType(
        simple=types.SimpleType.INTEGER, metadata={"currency": "EUR"}, structure=types.TypeStructure("Money")
    )
    assert TypeEngine.guess_python_type(tagged) is Money
    assert TypeEngine.guess_python_type(tagged.to_flyte_idl()) is Money


def test_simple_transformer_takes_models(registry: None, ctx: FlyteContext) -> None:
    class Cents(int):
        pass

    tr = flytelite.core.type_engine.SimpleTransformer(  # type: ignore[attr-defined]
        "cents",
        Cents,
        types.LiteralType(simple=types.SimpleType.INTEGER),
        lambda v: literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(integer=int(v)))),
        lambda lv: Cents(lv.scalar.primitive.value),  # `.value`: it reads a model, as in flytekit
    )
    TypeEngine.register(tr)
    lv = TypeEngine.to_literal(ctx, Cents(3), Cents, TypeEngine.to_literal_type(Cents))
    assert lv.scalar.primitive.integer == 3
    assert TypeEngine.to_python_value(ctx, lv, Cents) == 3


# ------------------------------------------------------------------------------------------------- public TypeEngine
def test_type_engine_results_mix_with_models(ctx: FlyteContext) -> None:
    lt = TypeEngine.to_literal_type(int)
    lv = TypeEngine.to_literal(ctx, 3, int, lt)
    assert lv.scalar.primitive.integer == 3
    assert lv.to_flyte_idl() is lv  # protobufs flytelite hands out answer flytekit's `to_flyte_idl()`
    assert lv == literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(integer=3)))
    coll = literals.LiteralCollection([lv, TypeEngine.to_literal(ctx, 4, int, lt)])
    assert [x.scalar.primitive.value for x in coll.literals] == [3, 4]
    # models are accepted where protobufs are
    model_lt = types.LiteralType(simple=types.SimpleType.INTEGER)
    assert TypeEngine.to_literal(ctx, 5, int, model_lt).scalar.primitive.integer == 5
    assert TypeEngine.to_python_value(ctx, literals.Literal.from_flyte_idl(lv), int) == 3
    assert TypeEngine.to_python_value(ctx, literals.Literal(collection=coll), list[int]) == [3, 4]
    assert TypeEngine.guess_python_type(model_lt) is int
    lm = literals.LiteralMap({"a": lv})
    assert TypeEngine.literal_map_to_kwargs(ctx, lm, {"a": int}) == {"a": 3}
    lm_pb = TypeEngine.dict_to_literal_map(ctx, {"a": 1}, {"a": int})
    assert literals.LiteralMap.from_flyte_idl(lm_pb.to_flyte_idl()).literals["a"].scalar.primitive.value == 1


# ------------------------------------------------------------------------------------ a plugin's dataframe handlers
class Rows:
    def __init__(self, rows: list[int]) -> None:
        self.rows = rows


class RowsEncoder(StructuredDatasetEncoder[Rows]):
    def __init__(self) -> None:
        super().__init__(Rows, None, "rows")

    def encode(self, ctx: FlyteContext, structured_dataset: StructuredDataset, structured_dataset_type: Any) -> Any:
        assert isinstance(structured_dataset_type, types.StructuredDatasetType)
        uri = ctx.file_access.get_random_remote_path()
        ctx.file_access.write_bytes(uri + "/rows", ",".join(map(str, structured_dataset.dataframe.rows)).encode())
        return literals.StructuredDataset(uri=uri, metadata=literals.StructuredDatasetMetadata(structured_dataset_type))


class RowsDecoder(StructuredDatasetDecoder[Rows]):
    def __init__(self) -> None:
        super().__init__(Rows, None, "rows")

    def decode(self, ctx: FlyteContext, flyte_value: Any, current_task_metadata: Any) -> Rows:
        assert isinstance(flyte_value, literals.StructuredDataset)
        assert isinstance(current_task_metadata, literals.StructuredDatasetMetadata)
        assert flyte_value.metadata.structured_dataset_type.format == "rows"
        data = ctx.file_access.read_bytes(flyte_value.uri + "/rows").decode()
        return Rows([int(x) for x in data.split(",")])


@pytest.fixture
def rows_handlers(registry: None) -> Iterator[None]:
    engine = StructuredDatasetTransformerEngine
    saved = {k: dict(v) for k, v in engine.ENCODERS.items()}
    saved_dec = {k: dict(v) for k, v in engine.DECODERS.items()}
    engine.register(RowsEncoder(), default_format_for_type=True)
    engine.register(RowsDecoder(), default_format_for_type=True)
    yield
    for table, old in ((engine.ENCODERS, saved), (engine.DECODERS, saved_dec)):
        table.clear()
        table.update(old)
    engine.DEFAULT_FORMATS.pop(Rows, None)


def test_plugin_dataframe_handlers_get_and_return_models(rows_handlers: None) -> None:
    @task
    def make(n: int) -> Rows:
        return Rows(list(range(n)))

    @task
    def count(r: Rows) -> int:
        return sum(r.rows)

    @workflow
    def wf(n: int) -> int:
        return count(r=make(n=n))

    assert wf(n=4) == 6


# ----------------------------------------------------------------------------------------------------- plugin tasks
class PrestoLikeTask(SQLTask[None]):
    """A plugin task that describes itself with models, as flytekit plugins do."""

    def get_sql(self, settings: Any) -> Any:
        return task_models.Sql(self.query_template, task_models.Sql.Dialect.ANSI)


class ContainerLikeTask(PythonTask[None]):
    def __init__(self, name: str) -> None:
        super().__init__(task_type="raw", name=name, interface=Interface(inputs={}, outputs={}))

    def get_container(self, settings: Any) -> Any:
        res = task_models.Resources(
            [task_models.Resources.ResourceEntry(task_models.Resources.ResourceName.CPU, "2")], []
        )
        return task_models.Container("img:1", ["run"], ["--x"], res, {"A": "1"}, {})

    def get_k8s_pod(self, settings: Any) -> Any:
        return None


def test_plugin_tasks_returning_models_serialize() -> None:
    sql_task = PrestoLikeTask(name="models.presto_like", query_template="select *  from t", inputs={})
    spec = get_serializable({}, SETTINGS, sql_task)
    assert spec.template.sql.statement == "select * from t"
    assert spec.template.sql.dialect == 0
    raw = ContainerLikeTask("models.container_like")
    spec = get_serializable({}, SETTINGS, raw)
    c = spec.template.container
    assert (c.image, list(c.args), c.env[0].key, c.resources.requests[0].value) == ("img:1", ["--x"], "A", "2")


def test_secret_models_request_secrets() -> None:
    @task(secret_requests=[security.Secret(group="g", key="k", mount_requirement=security.Secret.MountType.ENV_VAR)])
    def t() -> int:
        return 1

    spec = get_serializable({}, SETTINGS, t)
    secret = spec.template.security_context.secrets[0]
    assert (secret.group, secret.key, secret.mount_requirement) == ("g", "k", 1)
    assert t() == 1
    assert flytelite.Secret is security.Secret


class ModelResultTask(PythonTask[None]):
    """A plugin task whose `dispatch_execute` returns a flytekit-style `LiteralMap`."""

    def __init__(self, name: str) -> None:
        super().__init__(task_type="echo", name=name, interface=Interface(inputs={"a": int}, outputs={"o0": int}))

    def dispatch_execute(self, ctx: FlyteContext, input_literal_map: Any) -> Any:
        a = literals.LiteralMap.from_flyte_idl(input_literal_map).literals["a"].scalar.primitive.value
        return literals.LiteralMap(
            {"o0": literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(integer=a + 1)))}
        )


def test_plugin_dispatch_execute_may_return_a_model() -> None:
    echo = ModelResultTask("models.model_result")

    @workflow
    def wf(a: int) -> int:
        return echo(a=a)

    assert echo(a=1) == 2
    assert wf(a=2) == 3
    out = echo.dispatch_execute(
        FlyteContextManager.current_context(),
        literals_pb2.LiteralMap(
            literals={
                "a": literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(integer=5)))
            }
        ),
    )
    assert out.literals["o0"].scalar.primitive.integer == 6


def test_resource_model_helper_returns_flytekits_model() -> None:
    model = convert_resources_to_resource_model(requests=Resources(cpu="1"), limits=Resources(mem="2Gi"))
    assert isinstance(model, task_models.Resources)
    assert model.requests[0].name == task_models.Resources.ResourceName.CPU and model.limits[0].value == "2Gi"
    assert model.to_flyte_idl().requests[0].value == "1"
