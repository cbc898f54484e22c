"""`Cache`: how a task's outputs are cached by Flyte (flytekit's `flytekit.core.cache`).

```python
@task(cache=Cache(version="1", serialize=True, ignored_inputs=("seed",)))
def train(data: str, seed: int) -> float: ...
```

Without a `version`, the version is derived from the cache *policies*: each policy returns a string for the task
(`CachePolicy.get_version(salt, params)`), and the version is the SHA-256 of their concatenation. Like flytekit 1.16,
there is no default policy, so `Cache()` and `@task(cache=True)` without a version raise `ValueError`; pass a policy,
e.g. `FunctionBodyPolicy()` (flytelite's: hashes the function's source), or register project-wide defaults with
`set_default_cache_policies`.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Cache",
    "CachePolicy",
    "FunctionBodyPolicy",
    "VersionParameters",
    "get_default_cache_policies",
    "set_default_cache_policies",
]


@dataclasses.dataclass(frozen=True)
class VersionParameters:
    """What a cache policy may look at to compute a version: the function, its image and pod template."""

    func: Callable[..., Any]
    container_image: Any = None
    pod_template: Any = None
    pod_template_name: str | None = None


@runtime_checkable
class CachePolicy(Protocol):
    """Computes one part of a cache version from the salt and the task's `VersionParameters`."""

    def get_version(self, salt: str, params: VersionParameters) -> str:
        """Return this policy's part of the version."""
        ...


_DEFAULT_POLICIES: list[CachePolicy] = []


def set_default_cache_policies(policies: Sequence[CachePolicy]) -> None:
    """Use `policies` for every `Cache` created without `policies` (flytekit's plugin `get_default_cache_policies`).

    Raises:
        TypeError: an element does not implement `CachePolicy`.
    """
    bad = [p for p in policies if not isinstance(p, CachePolicy)]
    if bad:
        raise TypeError(f"cache policies must have get_version(salt, params); got {bad!r}")
    _DEFAULT_POLICIES[:] = list(policies)


def get_default_cache_policies() -> list[CachePolicy]:
    """Return the policies a `Cache` without `policies` uses (none unless `set_default_cache_policies` was called)."""
    return list(_DEFAULT_POLICIES)


@dataclasses.dataclass(frozen=True)
class FunctionBodyPolicy:
    """A cache policy that versions a task by its function's source (salted): editing the body changes the version.

    Raises (from `get_version`):
        OSError: the source of the function is not available (e.g. defined in an interactive session).
    """

    def get_version(self, salt: str, params: VersionParameters) -> str:
        """Return the SHA-256 of the salt and the dedented source of `params.func`."""
        import textwrap  # only a version computed from the source needs it

        source = textwrap.dedent(inspect.getsource(params.func))
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a computed cache version hashes

        return hashlib.sha256(f"{salt}{source}".encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Cache:
    """Cache settings of a task.

    Args:
        version: the cache version; when None, computed from `policies`.
        serialize: run identical executions (same inputs) one at a time, the others reusing the cached result.
        ignored_inputs: inputs left out of the cache key (a name or a tuple of names).
        salt: mixed into policy-computed versions.
        policies: one policy or a list; None means the default policies.

    Raises:
        ValueError: no `version` and no policy.
        TypeError: `policies` holds something that is not a `CachePolicy`.
    """

    version: str | None = None
    serialize: bool = False
    ignored_inputs: tuple[str, ...] | str = ()
    salt: str = ""
    policies: list[CachePolicy] | CachePolicy | None = None

    def __post_init__(self) -> None:
        policies = self.get_policies()
        if any(not isinstance(p, CachePolicy) for p in policies):
            raise TypeError(f"policies must implement CachePolicy (get_version(salt, params)), got {self.policies!r}")
        if self.version is None and not policies:
            raise ValueError("If version is not defined then at least one cache policy needs to be set")

    def get_policies(self) -> list[CachePolicy]:
        """Return the policies as a list (the defaults when `policies` is None)."""
        if self.policies is None:
            return get_default_cache_policies()
        if isinstance(self.policies, CachePolicy):
            return [self.policies]
        return list(self.policies)

    def get_ignored_inputs(self) -> tuple[str, ...]:
        """Return the ignored inputs as a tuple."""
        if isinstance(self.ignored_inputs, str):
            return (self.ignored_inputs,)
        return tuple(self.ignored_inputs)

    def get_version(self, params: VersionParameters) -> str:
        """Return `version`, or the SHA-256 of what every policy returns, in order.

        Raises:
            ValueError: a policy failed (the policy's error is the cause).
        """
        if self.version is not None:
            return self.version
        parts: list[str] = []
        for policy in self.get_policies():
            try:
                parts.append(policy.get_version(self.salt, params))
            except Exception as e:
                raise ValueError(
                    f"Failed to generate version for cache policy {policy}. Please consider setting the version in "
                    "the Cache definition, e.g. Cache(version='v1.2.3')"
                ) from e
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a computed cache version hashes

        return hashlib.sha256("".join(parts).encode()).hexdigest()
