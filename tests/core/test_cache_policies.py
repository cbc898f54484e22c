"""`Cache` objects on `@task`: explicit versions, policy-computed versions, deprecated options, metadata."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from flytelite.core.cache import (
    Cache,
    CachePolicy,
    FunctionBodyPolicy,
    VersionParameters,
    get_default_cache_policies,
    set_default_cache_policies,
)
from flytelite.core.task import task
from flytelite.errors import FlyteValidationException


class NamePolicy:
    def get_version(self, salt: str, params: VersionParameters) -> str:
        return f"{salt}{params.func.__name__}{params.container_image}"


class BrokenPolicy:
    def get_version(self, salt: str, params: VersionParameters) -> str:
        raise KeyError("boom")


@pytest.fixture
def _no_default_policies() -> Iterator[None]:
    saved = get_default_cache_policies()
    yield
    set_default_cache_policies(saved)


def test_explicit_version_flows_into_metadata() -> None:
    @task(cache=Cache(version="v1", serialize=True, ignored_inputs="b"))
    def f(a: int, b: int) -> int:
        return a + b

    md = f.metadata
    assert (md.cache, md.cache_version, md.cache_serialize, md.cache_ignore_input_vars) == (True, "v1", True, ("b",))
    model = md.to_taskmetadata_model()
    assert model.discoverable and model.discovery_version == "v1" and list(model.cache_ignore_input_vars) == ["b"]


def test_policy_version_is_sha256_of_the_policy_parts() -> None:
    @task(cache=Cache(salt="s", policies=NamePolicy()), container_image="img:1")
    def g(a: int) -> int:
        return a

    assert g.metadata.cache_version == hashlib.sha256(b"sgimg:1").hexdigest()


def test_several_policies_are_concatenated_in_order() -> None:
    cache = Cache(policies=[NamePolicy(), NamePolicy()], salt="x")

    def h() -> None:
        return None

    part = "xhNone"
    assert cache.get_version(VersionParameters(func=h)) == hashlib.sha256((part + part).encode()).hexdigest()


def test_cache_without_version_or_policy_raises() -> None:
    with pytest.raises(ValueError, match="at least one cache policy"):
        Cache()


def test_non_policy_is_rejected() -> None:
    with pytest.raises(TypeError, match="CachePolicy"):
        Cache(policies=["not a policy"])  # type: ignore[list-item]  # the wrong type is the point


def test_failing_policy_error_names_the_fix_and_keeps_the_cause() -> None:
    with pytest.raises(ValueError, match="Cache\\(version=") as info:

        @task(cache=Cache(policies=BrokenPolicy()))
        def k(a: int) -> int:
            return a

    assert isinstance(info.value.__cause__, KeyError)


def test_cache_object_excludes_deprecated_options() -> None:
    with pytest.raises(FlyteValidationException, match="deprecated"):
        task(cache=Cache(version="1"), cache_version="2")


def test_cache_true_with_version_keeps_working() -> None:
    @task(cache=True, cache_version="3", cache_serialize=True, cache_ignore_input_vars=("a",))
    def m(a: int) -> int:
        return a

    assert (m.metadata.cache_version, m.metadata.cache_serialize, m.metadata.cache_ignore_input_vars) == (
        "3",
        True,
        ("a",),
    )


@pytest.mark.usefixtures("_no_default_policies")
def test_default_policies_let_cache_true_compute_a_version() -> None:
    set_default_cache_policies([FunctionBodyPolicy()])

    @task(cache=True, cache_ignore_input_vars=("a",))
    def n(a: int) -> int:
        return a

    assert len(n.metadata.cache_version) == 64 and n.metadata.cache_ignore_input_vars == ("a",)


def test_function_body_policy_changes_with_the_source() -> None:
    def one() -> int:
        return 1

    def two() -> int:
        return 2

    p = FunctionBodyPolicy()
    assert isinstance(p, CachePolicy)
    assert p.get_version("", VersionParameters(func=one)) != p.get_version("", VersionParameters(func=two))
    assert p.get_version("a", VersionParameters(func=one)) != p.get_version("b", VersionParameters(func=one))


def test_set_default_policies_rejects_non_policies() -> None:
    with pytest.raises(TypeError):
        set_default_cache_policies([object()])  # type: ignore[list-item]  # the wrong type is the point
