"""The local task cache: results of `cache=True` tasks run on this machine, kept on disk.

A result is keyed by the task name, its `cache_version` and its inputs (minus `cache_ignore_input_vars`; a literal
with `hash` set counts by that hash only). One file per key under `~/.flytelite/local-cache`, or the folder
named by `FLYTELITE_LOCAL_CACHE_DIR`. `FLYTE_LOCAL_CACHE_ENABLED=false` turns the cache off and
`FLYTE_LOCAL_CACHE_OVERWRITE=true` re-runs tasks and replaces their entries; `LocalTaskCache.configure()` does
the same from code, and `LocalTaskCache.clear()` empties it.

Entries are written atomically (a temp file renamed over the entry) and carry a checksum: an empty, truncated or
corrupted entry is logged with its path, removed, and the task runs again instead of failing.

(DESIGN.md places the local cache with the executors in `exec/`; tasks consult it from `core/`, so it lives at
flytekit's path `core/local_cache.py`.)
"""

from __future__ import annotations

import contextlib
import os

from flyteidl.core.literals_pb2 import Literal, LiteralMap

from flytelite.loggers import get_logger

__all__ = ["CACHE_DIR_ENV_VAR", "LocalTaskCache", "cache_key"]

CACHE_DIR_ENV_VAR = "FLYTELITE_LOCAL_CACHE_DIR"
_DEFAULT_DIR = os.path.join("~", ".flytelite", "local-cache")
# First line of every entry; the second holds the SHA-256 (hex) of the serialized `LiteralMap` that follows.
_MAGIC = b"flytelite-local-cache 1\n"
logger = get_logger("flytelite")


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


def _encode_entry(value: LiteralMap) -> bytes:
    """Return the bytes of a cache entry: a header line, the payload's SHA-256, then the serialized outputs."""
    import hashlib  # loaded on use: `_hashlib` links OpenSSL (~5 ms), and only a cached task hashes

    payload: bytes = value.SerializeToString(deterministic=True)
    return _MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def _decode_entry(data: bytes) -> LiteralMap:
    """Return the outputs stored in an entry.

    Raises:
        ValueError: the entry is empty, truncated, corrupted or not a flytelite cache entry (the message says which).
    """
    import hashlib  # loaded on use, as above

    if not data:
        raise ValueError("is empty")
    if not data.startswith(_MAGIC):
        raise ValueError("is not a flytelite cache entry (no header; corrupted, or written by an older version)")
    digest, nl, payload = data[len(_MAGIC) :].partition(b"\n")
    if not nl or len(digest) != 64:
        raise ValueError("is truncated (incomplete header)")
    if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
        raise ValueError("is truncated or corrupted (checksum mismatch)")
    try:
        return LiteralMap.FromString(payload)
    except Exception as e:  # protobuf's DecodeError; the checksum matched, so the writer stored something else
        raise ValueError(f"does not hold outputs ({e})") from e


def _discard(path: str, task_name: str, reason: str, remove: bool = True) -> None:
    """Log a bad entry by its path and remove it, so the task runs again and stores a good one."""
    logger.warning(
        "ignoring the local cache entry %s of task '%s': it %s; running the task again", path, task_name, reason
    )
    if remove:
        with contextlib.suppress(OSError):
            os.remove(path)


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
        """Return the cached outputs, or None on a miss.

        An entry that cannot be read or fails its checksum (empty, truncated, corrupted, or written by another
        program) counts as a miss: it is logged with its path, removed, and the task runs again.
        """
        path = cls._path(cache_key(task_name, cache_version, inputs, ignore))
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        except OSError as e:
            _discard(path, task_name, f"cannot be read ({e.strerror or e})", remove=False)
            return None
        try:
            return _decode_entry(data)
        except ValueError as e:
            _discard(path, task_name, str(e))
            return None

    @classmethod
    def set(
        cls, task_name: str, cache_version: str, inputs: LiteralMap, ignore: tuple[str, ...], value: LiteralMap
    ) -> None:
        """Store the outputs of one execution (atomically: a reader never sees half a file).

        The entry is written to a temp file in the cache folder and renamed over the entry, so a process killed
        while writing leaves the old entry (or none), never half of one. A failed write is logged, not raised:
        the task's outputs are still returned.
        """
        path = cls._path(cache_key(task_name, cache_version, inputs, ignore))
        folder = os.path.dirname(path)
        import tempfile  # local import: tempfile loads random; only storing a result needs it

        tmp = ""
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(_encode_entry(value))
            os.replace(tmp, path)
        except OSError as e:
            logger.warning("could not write the local cache entry %s of task '%s': %s", path, task_name, e)
            if tmp:
                with contextlib.suppress(OSError):
                    os.remove(tmp)

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
            elif name.startswith(".") and name.endswith(".tmp"):  # left by a writer that was killed
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(folder, name))
        return count
