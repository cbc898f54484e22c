"""flytelite's exceptions are caught as flytekit's: the same builtin bases and Flyte ancestors, the same `str()`.

`except ValueError:` (or `AssertionError`, `NotImplementedError`, ...) written around flytekit code must keep working
after the import word changes. For every exception class flytekit exposes in `flytekit.exceptions.*` and the public
ones elsewhere, flytelite's class at the same path has at least the builtin exception types among its bases; the
situations users hit raise something catchable as what flytekit raises; and `str(exc)` is flytekit's for the same
constructor arguments.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import pickle
import typing
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

fk = pytest.importorskip("flytekit")

import flytelite  # noqa: E402
import flytelite.exec  # noqa: E402  (registers the graph runner)

BUILTIN_EXCEPTIONS = sorted(
    (v for v in vars(builtins).values() if isinstance(v, type) and issubclass(v, BaseException)),
    key=lambda t: t.__name__,
)

EXCEPTION_MODULES = ["exceptions.base", "exceptions.user", "exceptions.system", "exceptions.eager"]
# Public exception classes flytekit defines outside `flytekit.exceptions` (module path after `flytekit.`, class name).
PUBLIC_ELSEWHERE = [
    ("core.type_engine", "TypeTransformerFailedError"),
    ("core.base_task", "IgnoreOutputs"),
    ("types.structured.structured_dataset", "DuplicateHandlerError"),
]


def _kit_exception_classes() -> list[tuple[str, str]]:
    out = []
    for mod in EXCEPTION_MODULES:
        kit = importlib.import_module(f"flytekit.{mod}")
        for name, value in vars(kit).items():
            public = (
                not name.startswith("_") and value.__module__.startswith("flytekit")
                if isinstance(value, type)
                else False
            )
            if public and issubclass(value, BaseException):
                out.append((mod, name))
    return sorted(set(out) | set(PUBLIC_ELSEWHERE))


CLASSES = _kit_exception_classes()


def _pair(mod: str, name: str) -> tuple[type[BaseException], type[BaseException]]:
    kit = getattr(importlib.import_module(f"flytekit.{mod}"), name)
    lite = getattr(importlib.import_module(f"flytelite.{mod}"), name, None)
    assert lite is not None, f"flytelite.{mod} has no {name} (flytekit.{mod} has)"
    return kit, lite


def _builtin_bases(t: type[BaseException]) -> set[str]:
    return {b.__name__ for b in BUILTIN_EXCEPTIONS if issubclass(t, b)}


def test_every_exception_module_is_covered() -> None:
    assert {m for m, _ in CLASSES} >= set(EXCEPTION_MODULES)
    assert len(CLASSES) > 35


@pytest.mark.parametrize(("mod", "name"), CLASSES, ids=[f"{m}.{n}" for m, n in CLASSES])
def test_class_has_flytekits_builtin_bases(mod: str, name: str) -> None:
    kit, lite = _pair(mod, name)
    missing = _builtin_bases(kit) - _builtin_bases(lite)
    assert not missing, f"flytelite.{mod}.{name} is not a {sorted(missing)} (flytekit's is)"


@pytest.mark.parametrize(("mod", "name"), CLASSES, ids=[f"{m}.{n}" for m, n in CLASSES])
def test_class_has_flytekits_flyte_ancestors(mod: str, name: str) -> None:
    """`except FlyteAssertion:` catches what it catches in flytekit (ancestors named by their own module)."""
    kit, lite = _pair(mod, name)
    for ancestor in kit.__mro__[1:]:
        if not ancestor.__module__.startswith("flytekit.exceptions."):
            continue
        home = ancestor.__module__.removeprefix("flytekit.")
        lite_ancestor = getattr(importlib.import_module(f"flytelite.{home}"), ancestor.__name__)
        assert issubclass(lite, lite_ancestor), f"{name} is not a flytelite.{home}.{ancestor.__name__}"


@pytest.mark.parametrize(("mod", "name"), CLASSES, ids=[f"{m}.{n}" for m, n in CLASSES])
def test_class_level_error_code_is_flytekits(mod: str, name: str) -> None:
    kit, lite = _pair(mod, name)
    if hasattr(kit, "_ERROR_CODE"):
        assert lite.error_code == kit.error_code  # type: ignore[attr-defined]


# --- str() ---------------------------------------------------------------------------------------------------------
def _fn(a):  # type: ignore[no-untyped-def]  # a function without annotations, for the compilation errors
    return a


_NODE = SimpleNamespace(name="handler", python_interface=SimpleNamespace(inputs={"a": int}))
_WF = SimpleNamespace(name="wf", python_interface=SimpleNamespace(inputs={"a": int, "b": str}))

STR_CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("exceptions.base", "FlyteException", ("boom",), {}),
    ("exceptions.base", "FlyteException", ("a", "b"), {}),
    ("exceptions.base", "FlyteException", (), {}),
    ("exceptions.base", "FlyteRecoverableException", ("try again",), {}),
    ("exceptions.user", "FlyteUserException", ("bad",), {}),
    ("exceptions.user", "FlyteTypeException", (int, str), {}),
    ("exceptions.user", "FlyteTypeException", (int, [str, float], "see docs"), {"received_value": 3}),
    ("exceptions.user", "FlyteValueException", (3, "too big"), {}),
    ("exceptions.user", "FlyteDataNotFoundException", ("s3://b/k",), {}),
    ("exceptions.user", "FlyteEntityNotFoundException", ("my.module", "my_task"), {}),
    ("exceptions.user", "FlyteAssertion", ("must hold",), {}),
    ("exceptions.user", "FlyteValidationException", ("invalid",), {}),
    ("exceptions.user", "FlyteFailureNodeInputMismatchException", (_NODE, _WF), {}),
    ("exceptions.user", "FlyteDisapprovalException", ("rejected",), {}),
    ("exceptions.user", "FlyteEntityAlreadyExistsException", ("exists",), {}),
    ("exceptions.user", "FlyteEntityNotExistException", ("missing",), {}),
    ("exceptions.user", "FlyteTimeout", ("late",), {}),
    ("exceptions.user", "FlyteRecoverableException", ("retry",), {}),
    ("exceptions.user", "FlyteAuthenticationException", ("denied",), {}),
    ("exceptions.user", "FlyteInvalidInputException", ({"a": 1},), {}),
    ("exceptions.user", "FlytePromiseAttributeResolveException", ("no attr",), {}),
    ("exceptions.user", "FlyteMissingTypeException", (), {"fn": _fn, "param_name": "a"}),
    ("exceptions.user", "FlyteMissingReturnValueException", (), {"fn": _fn}),
    ("exceptions.user", "FlyteUserRuntimeException", (ValueError("boom"),), {}),
    ("exceptions.system", "FlyteSystemException", ("down",), {}),
    ("exceptions.system", "FlyteSystemUnavailableException", (), {}),
    ("exceptions.system", "FlyteNotImplementedException", ("later",), {}),
    ("exceptions.system", "FlyteEntrypointNotLoadable", ("app.tasks",), {}),
    ("exceptions.system", "FlyteEntrypointNotLoadable", ("app.tasks", "t1"), {}),
    ("exceptions.system", "FlyteEntrypointNotLoadable", ("app.tasks", "t1", "ImportError"), {}),
    ("exceptions.system", "FlyteSystemAssertion", ("invariant",), {}),
    ("exceptions.system", "FlyteAgentNotFound", ("no agent",), {}),
    ("exceptions.system", "FlyteConnectorNotFound", ("no connector",), {}),
    ("exceptions.system", "FlyteDownloadDataException", ("read failed",), {}),
    ("exceptions.system", "FlyteUploadDataException", ("write failed",), {}),
    ("exceptions.system", "FlyteNonRecoverableSystemException", (ValueError("broken"),), {}),
    ("exceptions.eager", "EagerException", ("a call failed",), {}),
    ("core.type_engine", "TypeTransformerFailedError", ("cannot convert",), {}),
]


@pytest.mark.parametrize(
    ("mod", "name", "args", "kwargs"), STR_CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(STR_CASES)]
)
def test_str_is_flytekits(mod: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    kit, lite = _pair(mod, name)
    assert str(lite(*args, **kwargs)) == str(kit(*args, **kwargs))


@pytest.mark.parametrize(
    ("mod", "name", "args", "kwargs"), STR_CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(STR_CASES)]
)
def test_pickled_error_keeps_its_class_and_str(
    mod: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """Errors raised in worker processes arrive unchanged."""
    if any(
        isinstance(a, SimpleNamespace) or (callable(a) and not isinstance(a, type)) for a in (*args, *kwargs.values())
    ):
        pytest.skip("the arguments themselves cannot be pickled")
    _, lite = _pair(mod, name)
    exc = lite(*args, **kwargs)
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is type(exc) and str(back) == str(exc) and back.args == exc.args


@pytest.mark.parametrize("name", ["FlyteUserException", "FlyteAssertion", "FlyteValueException"])
def test_str_names_the_cause_as_flytekit(name: str) -> None:
    kit, lite = _pair("exceptions.user", name)

    def raised(cls: type[BaseException]) -> BaseException:
        args = (1, "bad") if name == "FlyteValueException" else ("bad",)
        try:
            try:
                raise KeyError("root")
            except KeyError as e:
                raise cls(*args) from e
        except cls as exc:
            return exc
        raise AssertionError("unreachable")

    assert str(raised(lite)) == str(raised(kit))


# --- situations users hit ------------------------------------------------------------------------------------------
def _raised(fn: Callable[[], Any]) -> BaseException:
    try:
        fn()
    except Exception as e:
        return e
    raise AssertionError(f"{fn} raised nothing")


def _same_catch(kit_fn: Callable[[], Any], lite_fn: Callable[[], Any]) -> BaseException:
    kit_exc, lite_exc = _raised(kit_fn), _raised(lite_fn)
    missing = _builtin_bases(type(kit_exc)) - _builtin_bases(type(lite_exc))
    assert not missing, f"flytekit raised {type(kit_exc).__name__}, flytelite {type(lite_exc).__name__}: not {missing}"
    return lite_exc


def _conditional_fail(sdk: Any) -> Callable[[], Any]:
    @sdk.task
    def double(a: int) -> int:
        return a * 2

    @sdk.workflow
    def wf(a: int) -> int:
        return sdk.conditional("c").if_(a > 5).then(double(a=a)).else_().fail("a is too small")

    return lambda: wf(a=1)


def test_conditional_fail_is_a_value_error() -> None:
    exc = _same_catch(_conditional_fail(fk), _conditional_fail(flytelite))
    assert isinstance(exc, ValueError) and str(exc) == "a is too small"


def _sql(sdk: Any) -> Callable[[], Any]:
    sql = importlib.import_module(f"{sdk.__name__}.core.base_sql_task")
    return sql.SQLTask(name="q", query_template="select 1", task_type="sql")


def test_unmocked_sql_task_is_not_implemented() -> None:
    exc = _same_catch(lambda: _sql(fk)(), lambda: _sql(flytelite)())
    assert isinstance(exc, NotImplementedError)


def _reference(sdk: Any, kind: str) -> Callable[[], Any]:
    if kind == "launch_plan":
        lp = importlib.import_module(f"{sdk.__name__}.core.launch_plan")
        decorator = lp.reference_launch_plan
    else:
        decorator = getattr(sdk, f"reference_{kind}")

    @decorator(project="p", domain="d", name="remote.entity", version="v1")
    def entity(a: int) -> int:
        return a

    return lambda: entity(a=1)


@pytest.mark.parametrize("kind", ["task", "workflow", "launch_plan"])
def test_unmocked_reference_entity_is_not_implemented(kind: str) -> None:
    exc = _same_catch(_reference(fk, kind), _reference(flytelite, kind))
    assert isinstance(exc, NotImplementedError) and "You must mock this out" in str(exc)


def test_secret_without_group_is_a_value_error() -> None:
    exc = _same_catch(lambda: fk.Secret(key="k"), lambda: flytelite.Secret(key="k"))
    assert str(exc) == "Group is a required parameter"
    assert flytelite.Secret(group="g", key="k").group == "g"


def _unexpected_outputs(sdk: Any) -> Callable[[], Any]:
    @sdk.task
    def t(a: int) -> int:
        return a

    def compile_it() -> Any:
        @sdk.workflow
        def wf(a: int):  # type: ignore[no-untyped-def]  # declares no output, returns one
            return t(a=a)

        return wf(a=1)

    return compile_it


def test_unexpected_workflow_outputs_are_a_flyte_value_exception() -> None:
    from flytelite.exceptions.user import FlyteValueException

    exc = _same_catch(_unexpected_outputs(fk), _unexpected_outputs(flytelite))
    assert isinstance(exc, FlyteValueException)


def _calls(sdk: Any) -> dict[str, Callable[[], Any]]:
    @sdk.task
    def t(a: int) -> int:
        return a

    def too_few() -> Any:
        @sdk.workflow
        def wf(a: int) -> typing.Tuple[int, int]:  # the spelling flytekit's users write
            return t(a=a)

        return wf(a=1)

    return {
        "unknown input": lambda: t(a=1, b=2),
        "missing input": lambda: t(),
        "wrong input type": lambda: t(a="x"),
        "too few workflow outputs": too_few,
    }


@pytest.mark.parametrize("case", ["unknown input", "missing input", "wrong input type", "too few workflow outputs"])
def test_call_errors_keep_flytekits_bases(case: str) -> None:
    _same_catch(_calls(fk)[case], _calls(flytelite)[case])


def test_public_exception_modules_export_flytekits_names() -> None:
    for mod in EXCEPTION_MODULES:
        kit = importlib.import_module(f"flytekit.{mod}")
        lite = importlib.import_module(f"flytelite.{mod}")
        names = [
            n
            for n, v in vars(kit).items()
            if not n.startswith("_") and inspect.isclass(v) and issubclass(v, BaseException)
        ]
        assert [n for n in names if not hasattr(lite, n)] == [], mod


def _missing_input_errors(sdk: Any) -> list[BaseException]:
    @sdk.task
    def pair(x: list[int], y: list[int]) -> int:
        return len(x) + len(y)

    @sdk.workflow
    def pair_wf(x: list[int], y: list[int]) -> int:
        return pair(x=x, y=y)

    lp = sdk.LaunchPlan.get_or_create(pair_wf, f"{sdk.__name__}_pair_wf_missing_input_lp")
    found: list[BaseException] = []
    for call in (lambda: pair(x=[1]), lambda: pair_wf(x=[1]), lambda: lp(x=[1])):
        try:
            call()
        except Exception as e:
            found.append(e)
    return found


def test_a_missing_input_raises_at_least_flytekits_builtin_bases() -> None:
    # flytekit: a task or workflow raises TypeError, a launch plan TypeTransformerFailedError (it converts None)
    kit, lite = _missing_input_errors(fk), _missing_input_errors(flytelite)
    assert len(kit) == len(lite) == 3
    for k, e in zip(kit, lite, strict=True):
        assert _builtin_bases(type(k)) <= _builtin_bases(type(e)), (k, e)
        assert "'y'" in str(e)
