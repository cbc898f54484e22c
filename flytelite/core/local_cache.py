"""The local task cache: results of `cache=True` tasks run on this machine, kept on disk.

A result is keyed by the task name, its `cache_version` and its inputs (minus `cache_ignore_input_vars`; a literal
with `hash` set counts by that hash only). One file per key under `~/.flytelite/local-cache`, or the folder
named by `FLYTELITE_LOCAL_CACHE_DIR`. `FLYTE_LOCAL_CACHE_ENABLED=false` turns the cache off and
`FLYTE_LOCAL_CACHE_OVERWRITE=true` re-runs tasks and replaces their entries; `LocalTaskCache.configure()` does
the same from code, and `LocalTaskCache.clear()` empties it.

(DESIGN.md places the local cache with the executors in `exec/`; tasks consult it from `core/`, so it lives at
flytekit's path `core/local_cache.py`.)
"""

from __future__ import annotations

import contextlib
import os

from flyteidl.core.literals_pb2 import Literal, LiteralMap

__all__ = ["CACHE_DIR_ENV_VAR", "LocalTaskCache", "cache_key"]

CACHE_DIR_ENV_VAR = "FLYTELITE_LOCAL_CACHE_DIR"
_DEFAULT_DIR = os.path.join("~", ".flytelite", "local-cache")


def _env_bool(name: str, default: bool) -> bool:
    """Read a boolean env var as `configuration.LocalConfig.auto()` does (that module is not loaded on this path)."""
    raw = os.environ.get(name, "").strip().lower()
    return default if not raw else raw in ("1", "true", "t", "yes", "y", "on")


def _hash_placed(lit: Literal) -> Literal:
    """Return `lit` with every hashed literal (at any depth) replaced by `Literal(hash=...)`."""
    if lit.hash:
        return Literal(hash=lit.hash)
    if lit.HasField("collection"):
        out = Literal()
        out.collection.literals.extend(_hash_placed(x) for x in lit.collection.literals)
        return out
    if lit.HasField("map"):
        out = Literal()
        for k, v in lit.map.literals.items():
            out.map.literals[k].CopyFrom(_hash_placed(v))
        return out
    return lit


def cache_key(task_name: str, cache_version: str, inputs: LiteralMap, ignore: tuple[str, ...] = ()) -> str:
    """Return the cache key of one task execution."""
    kept = LiteralMap()
    for k, v in inputs.literals.items():
        if k not in ignore:
            kept.literals[k].CopyFrom(_hash_placed(v))
    import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a cached task hashes

    digest = hashlib.sha256(kept.SerializeToString(deterministic=True)).hexdigest()
    return f"{task_name}-{cache_version}-{digest}"


class LocalTaskCache:
    """A file-per-key store of output `LiteralMap`s (class-level, one per process)."""

    _enabled: bool | None = None
    _overwrite: bool | None = None

    @staticmethod
    def location() -> str:
        """Return the cache folder (`FLYTELITE_LOCAL_CACHE_DIR` or `~/.flytelite/local-cache`)."""
        return os.path.expanduser(os.environ.get(CACHE_DIR_ENV_VAR) or _DEFAULT_DIR)

    @classmethod
    def configure(cls, enabled: bool | None = None, overwrite: bool | None = None) -> None:
        """Override the env settings from code; `None` goes back to the environment."""
        cls._enabled = enabled
        cls._overwrite = overwrite

    @classmethod
    def is_enabled(cls) -> bool:
        """Tell whether cached tasks consult the cache."""
        return cls._enabled if cls._enabled is not None else _env_bool("FLYTE_LOCAL_CACHE_ENABLED", True)

    @classmethod
    def is_overwrite(cls) -> bool:
        """Tell whether cached tasks re-run and replace their entries."""
        return cls._overwrite if cls._overwrite is not None else _env_bool("FLYTE_LOCAL_CACHE_OVERWRITE", False)

    @classmethod
    def _path(cls, key: str) -> str:
        import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a cached task hashes

        return os.path.join(cls.location(), hashlib.sha256(key.encode("utf-8")).hexdigest() + ".pb")

    @classmethod
    def get(
        cls, task_name: str, cache_version: str, inputs: LiteralMap, ignore: tuple[str, ...] = ()
    ) -> LiteralMap | None:
        """Return the cached outputs, or None on a miss."""
        path = cls._path(cache_key(task_name, cache_version, inputs, ignore))
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        return LiteralMap.FromString(data)

    @classmethod
    def set(
        cls, task_name: str, cache_version: str, inputs: LiteralMap, ignore: tuple[str, ...], value: LiteralMap
    ) -> None:
        """Store the outputs of one execution (atomically: a reader never sees half a file)."""
        path = cls._path(cache_key(task_name, cache_version, inputs, ignore))
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        import tempfile  # local import: tempfile loads random; only storing a result needs it

        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(value.SerializeToString())
        os.replace(tmp, path)

    @classmethod
    def clear(cls) -> int:
        """Delete every entry and return how many there were."""
        folder = cls.location()
        if not os.path.isdir(folder):
            return 0
        count = 0
        for name in os.listdir(folder):
            if name.endswith(".pb"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(folder, name))
                count += 1
        return count
