"""Moving bytes between the local disk and where Flyte keeps data (a local folder or an object store).

`FileAccessProvider` is the one object that knows the run's local sandbox and raw-output prefix. Local
paths are handled with the standard library; any other protocol (`s3://`, `gs://`, `abfs://`, …) goes through
fsspec, imported on first use, with the matching backend package (`s3fs`, `gcsfs`, `adlfs`) as an extra.

Credentials and endpoints come from flytekit's environment variables, then from fsspec's and the backend's own
(`AWS_*`, `~/.aws`, application default credentials), and `data_config` overrides both:

| variable | fsspec option |
|---|---|
| `FLYTE_AWS_ENDPOINT` | s3: `client_kwargs.endpoint_url` |
| `FLYTE_AWS_ACCESS_KEY_ID` / `FLYTE_AWS_SECRET_ACCESS_KEY` | s3: `key` / `secret` |
| `FLYTE_AWS_ADDRESSING_STYLE` (any value) | s3: virtual-host addressing |
| `FLYTE_AZURE_STORAGE_ACCOUNT_NAME`, `…_ACCOUNT_KEY`, `FLYTE_AZURE_TENANT_ID`, `…_CLIENT_ID`, `…_SECRET` | abfs |

Writes never leave a half-written result behind: a local file is written under a temporary name and renamed,
an object-store object appears only when complete, and a folder upload that fails removes what it wrote.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import IO, Any, Protocol

from flytelite.errors import (
    FlyteAssertion,
    FlyteDataNotFoundException,
    FlyteDownloadDataException,
    FlyteUploadDataException,
)
from flytelite.loggers import get_logger

__all__ = [
    "FileAccessProvider",
    "get_fsspec_storage_options",
    "is_remote",
    "make_temp_dir",
    "protocol_of",
]

logger = get_logger("flytelite.storage")

_WRITE_CHUNK_BYTES = int(os.environ.get("_F_P_WRITE_CHUNK_SIZE", str(25 * 2**20)))
_AZURE_ENV = {
    "account_name": "FLYTE_AZURE_STORAGE_ACCOUNT_NAME",
    "account_key": "FLYTE_AZURE_STORAGE_ACCOUNT_KEY",
    "tenant_id": "FLYTE_AZURE_TENANT_ID",
    "client_id": "FLYTE_AZURE_CLIENT_ID",
    "client_secret": "FLYTE_AZURE_CLIENT_SECRET",
}


def protocol_of(path: str | os.PathLike[str]) -> str:
    """Return the protocol of `path` (`"file"` for plain paths and `file://` URIs)."""
    head, sep, _ = os.fspath(path).partition("://")
    return head if sep and head not in ("file", "local") else "file"


def is_remote(path: str | os.PathLike[str]) -> bool:
    """Tell whether `path` lives outside the local file system."""
    return protocol_of(path) != "file"


def _local(path: str) -> str:
    return path[len("file://") :] if path.startswith("file://") else path


def _s3_options(anonymous: bool) -> dict[str, Any]:
    env = os.environ
    # Listings are not cached: another process (the next task, propeller) may write under the same prefix.
    opts: dict[str, Any] = {"cache_regions": True, "use_listings_cache": False}
    if env.get("FLYTE_AWS_ACCESS_KEY_ID"):
        opts["key"] = env["FLYTE_AWS_ACCESS_KEY_ID"]
    if env.get("FLYTE_AWS_SECRET_ACCESS_KEY"):
        opts["secret"] = env["FLYTE_AWS_SECRET_ACCESS_KEY"]
    if env.get("FLYTE_AWS_ENDPOINT"):
        opts["client_kwargs"] = {"endpoint_url": env["FLYTE_AWS_ENDPOINT"]}
        opts["cache_regions"] = False  # a custom endpoint (MinIO, moto) has no region routing to discover
    if env.get("FLYTE_AWS_ADDRESSING_STYLE"):
        opts["config_kwargs"] = {"s3": {"addressing_style": "virtual"}}
    if anonymous:
        opts["anon"] = True
    return opts


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def get_fsspec_storage_options(
    protocol: str,
    data_config: dict[str, dict[str, Any]] | _FsspecOptionsSource | None = None,
    anonymous: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Return the fsspec options for `protocol`: flytekit's environment variables, then `data_config`, then `kwargs`.

    Args:
        protocol: `file`, `s3`, `gs`, `abfs`, … (anything fsspec knows).
        data_config: per-protocol option overrides (`{"s3": {"client_kwargs": {"endpoint_url": …}}}`), or a
            `flytelite.configuration.DataConfig` (its `fsspec_options()`).
        anonymous: ask for anonymous access (public buckets).
        kwargs: final overrides.
    """
    if protocol == "file":
        opts: dict[str, Any] = {"auto_mkdir": True}
    elif protocol in ("s3", "s3a"):
        opts = _s3_options(anonymous)
    elif protocol == "gs":
        opts = {"token": "anon"} if anonymous else {}
    elif protocol in ("abfs", "abfss"):
        opts = {k: os.environ[v] for k, v in _AZURE_ENV.items() if os.environ.get(v)}
        opts["anon"] = anonymous
    else:
        opts = {}
    opts = _merge(opts, _by_protocol(data_config).get(protocol, {}))
    return _merge(opts, kwargs)


class _FsspecOptionsSource(Protocol):
    """Storage settings that give per-protocol fsspec options (`flytelite.configuration.DataConfig` is one).

    A protocol rather than the class itself: the configuration module is not loaded by `import flytelite`.
    """

    def fsspec_options(self) -> dict[str, dict[str, Any]]:
        """Return the fsspec options by protocol."""
        ...


def _by_protocol(data_config: dict[str, dict[str, Any]] | _FsspecOptionsSource | None) -> dict[str, dict[str, Any]]:
    """Return per-protocol fsspec options from a dict of them or from flytekit's `DataConfig`."""
    if data_config is None or isinstance(data_config, dict):
        return dict(data_config or {})
    return data_config.fsspec_options()


class FileAccessProvider:
    """Reads and writes data for one run: a local sandbox plus a raw-output prefix (flytekit's API).

    Args:
        local_sandbox_dir: folder for downloads and scratch files (created if missing).
        raw_output_prefix: where offloaded data (files, folders, dataframes, pickles) is written: a local folder
            or an object-store prefix such as `s3://bucket/raw/`.
        data_config: extra fsspec options keyed by protocol, applied over the environment's, or a
            `flytelite.configuration.DataConfig` (flytekit's), whose settings are turned into those options.
        execution_metadata: key/values attached to every object written to S3 (S3 object metadata).

    Attributes:
        local_sandbox_dir: the folder for local scratch data.
        raw_output_prefix: the prefix (ending in `/`) under which offloaded data is written.
        data_config: the per-protocol fsspec option overrides.
        execution_metadata: the metadata attached to objects written to S3.
    """

    def __init__(
        self,
        local_sandbox_dir: str | os.PathLike[str],
        raw_output_prefix: str,
        data_config: dict[str, dict[str, Any]] | _FsspecOptionsSource | None = None,
        execution_metadata: dict[str, str] | None = None,
    ) -> None:
        if not os.fspath(local_sandbox_dir):
            raise FlyteAssertion("FileAccessProvider needs a local_sandbox_dir")
        self.local_sandbox_dir: str = os.fspath(local_sandbox_dir)
        os.makedirs(self.local_sandbox_dir, exist_ok=True)
        raw = os.fspath(raw_output_prefix) if raw_output_prefix else ""
        self.raw_output_prefix: str = raw.rstrip("/") + "/" if raw else ""
        self.data_config: dict[str, dict[str, Any]] = _by_protocol(data_config)
        self.execution_metadata: dict[str, str] | None = dict(execution_metadata) if execution_metadata else None

    # ------------------------------------------------------------------------------------------------ properties
    @property
    def raw_output_fs(self) -> Any:
        """Return the fsspec file system of the raw-output prefix."""
        return self.get_filesystem(protocol_of(self.raw_output_prefix or "."))

    @property
    def local_access(self) -> Any:
        """Return fsspec's local file system."""
        return self.get_filesystem("file")

    # ------------------------------------------------------------------------------------------- file systems
    @staticmethod
    def is_remote(path: str | os.PathLike[str]) -> bool:
        """Tell whether `path` lives outside the local file system."""
        return is_remote(path)

    def get_filesystem(
        self, protocol: str | None = None, anonymous: bool = False, path: str | None = None, **kwargs: Any
    ) -> Any:
        """Return an fsspec file system for `protocol` (the raw-output prefix's when None).

        Raises:
            FlyteAssertion: the protocol needs a package that is not installed (e.g. `pip install s3fs`).
        """
        import fsspec  # local import: fsspec is only needed once a blob leaves the machine

        protocol = protocol or protocol_of(self.raw_output_prefix or ".")
        # Options are read from the environment on every call; fsspec caches file systems per option set.
        opts = get_fsspec_storage_options(protocol, self.data_config, anonymous, **kwargs)
        try:
            return fsspec.filesystem(protocol, **opts)
        except ImportError as exc:
            raise FlyteAssertion(
                f"cannot access {path or protocol + '://'}: the {protocol!r} protocol needs an extra package ({exc})"
            ) from exc

    def get_filesystem_for_path(self, path: str = "", anonymous: bool = False, **kwargs: Any) -> Any:
        """Return the fsspec file system that serves `path`."""
        return self.get_filesystem(protocol_of(path), anonymous=anonymous, path=path, **kwargs)

    @staticmethod
    def strip_file_header(path: str, trim_trailing_sep: bool = False) -> str:
        """Drop a leading `file://` (and a trailing separator when asked)."""
        out = _local(path)
        return out.rstrip("/") if trim_trailing_sep else out

    @staticmethod
    def recursive_paths(f: str, t: str) -> tuple[str, str]:
        """Return `f` and `t` with a trailing separator, as fsspec's recursive copy expects for folders."""
        if not is_remote(f) and not os.path.isdir(_local(f)):
            return f, os.path.join(t, "")
        return os.path.join(f, ""), os.path.join(t, "")

    def sep(self, file_system: Any = None) -> str:
        """Return the path separator of `file_system` (the local one for None)."""
        if file_system is None:
            return os.sep
        protocols = file_system.protocol if isinstance(file_system.protocol, (tuple, list)) else [file_system.protocol]
        return os.sep if "file" in protocols else str(file_system.sep)

    def exists(self, path: str) -> bool:
        """Tell whether a file or folder exists at `path`."""
        if not is_remote(path):
            return os.path.exists(_local(path))
        return bool(self.get_filesystem_for_path(path).exists(path))

    # --------------------------------------------------------------------------------------------- path naming
    @staticmethod
    def get_random_string() -> str:
        """Return 32 random hex characters, as flytekit uses for data folders."""
        return os.urandom(16).hex()  # not `uuid`, which imports `platform` (~3 ms) at start-up

    @staticmethod
    def get_file_tail(file_path_or_file_name: str) -> str:
        """Return the last component of a path."""
        return os.path.split(file_path_or_file_name)[1]

    def get_random_local_path(self, file_path_or_file_name: str | None = None) -> str:
        """Return a fresh path in the sandbox, keeping the base name of the given path if any."""
        folder = os.path.join(self.local_sandbox_dir, "local_flytekit", self.get_random_string())
        tail = os.path.basename(file_path_or_file_name.rstrip("/")) if file_path_or_file_name else ""
        if not tail:
            return folder
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, tail)

    def get_random_local_directory(self) -> str:
        """Create and return a fresh empty folder in the sandbox."""
        path = self.get_random_local_path()
        os.makedirs(path, exist_ok=True)
        return path

    def get_random_remote_path(self, file_path_or_file_name: str | None = None) -> str:
        """Return `<raw prefix>/<32 hex>[/<base name>]`, a fresh place for offloaded data."""
        folder = self.join(self.raw_output_prefix, self.get_random_string())
        tail = os.path.basename(file_path_or_file_name.rstrip("/")) if file_path_or_file_name else ""
        return self.join(folder, tail) if tail else folder

    def get_random_remote_directory(self) -> str:
        """Return a fresh folder under the raw-output prefix."""
        return self.get_random_remote_path()

    def generate_new_custom_path(self, fs: Any = None, alt: str | None = None, stem: str | None = None) -> str:
        """Return a path beside the raw-output prefix's last folder: `<prefix>/<stem or 32 hex>`.

        Args:
            fs: unused; kept for flytekit's signature.
            alt: replaces the bucket (the first component after the protocol), e.g. `"other-bucket"`.
            stem: the last component instead of a random string.
        """
        parts = self.raw_output_prefix.rstrip("/").split("/")
        if alt:
            if not is_remote(self.raw_output_prefix):
                raise FlyteAssertion(f"alt= needs an object-store raw output prefix, not {self.raw_output_prefix!r}")
            parts[2] = alt
        parts.append(stem or self.get_random_string())
        return "/".join(parts)

    def join(self, *args: str, unstrip: bool = False, fs: Any = None) -> str:
        """Join path parts with `/`, keeping a leading protocol intact (empty parts are skipped)."""
        parts = [p for p in args if p]
        if not parts:
            raise ValueError("join needs at least one non-empty path part")
        out = parts[0].rstrip("/") or "/"
        for part in parts[1:]:
            out = f"{out.rstrip('/')}/{part.strip('/')}"
        return out

    # ---------------------------------------------------------------------------------------------- transfers
    def get_data(self, remote_path: str, local_path: str, is_multipart: bool = False, **kwargs: Any) -> str:
        """Copy `remote_path` (a file, or a folder when `is_multipart`) to `local_path`; return `local_path`.

        Raises:
            FlyteDataNotFoundException: the file does not exist.
            FlyteDownloadDataException: the store could not be read (unreachable, denied, misconfigured).
        """
        remote_path, local_path = os.fspath(remote_path), os.fspath(local_path)
        try:
            if not is_remote(remote_path):
                self._copy_local(_local(remote_path), local_path, is_multipart)
            elif is_multipart:
                self._get_folder(remote_path, local_path)
            else:
                os.makedirs(os.path.dirname(local_path) or ".", exist_ok=True)
                self.get_filesystem_for_path(remote_path).get(remote_path, local_path, **kwargs)
            return local_path
        except FileNotFoundError as exc:
            raise FlyteDataNotFoundException(remote_path, f"cannot download {remote_path}: it does not exist") from exc
        except (FlyteAssertion, FlyteDownloadDataException):
            raise
        except Exception as exc:
            raise FlyteDownloadDataException(
                f"Failed to get data from {remote_path} to {local_path} (recursive={is_multipart}): "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def _get_folder(self, remote_path: str, local_path: str) -> None:
        fs = self.get_filesystem_for_path(remote_path)
        root = remote_path.rstrip("/")
        root_key = fs._strip_protocol(root).rstrip("/")
        sources = [f for f in fs.find(root) if f.rstrip("/") != root_key]
        os.makedirs(local_path, exist_ok=True)
        if not sources:
            if not fs.isdir(root) and fs.isfile(root):
                raise FlyteAssertion(f"{remote_path} is a file, not a folder")
            return  # an object store has no empty folders: an empty or missing prefix is an empty folder
        targets = [os.path.join(local_path, *src[len(root_key) + 1 :].split("/")) for src in sources]
        for folder in {os.path.dirname(t) for t in targets}:
            os.makedirs(folder, exist_ok=True)
        fs.get([fs.unstrip_protocol(s) for s in sources], targets)

    def put_data(
        self, local_path: str | os.PathLike[str], remote_path: str, is_multipart: bool = False, **kwargs: Any
    ) -> str:
        """Copy `local_path` (a file, or a folder when `is_multipart`) to `remote_path`; return `remote_path`.

        Extra keyword arguments go to the backend's upload call (e.g. `ContentEncoding="gzip"` for S3).

        Raises:
            FlyteDataNotFoundException: `local_path` does not exist.
            FlyteUploadDataException: the store could not be written; nothing partial is left behind.
        """
        local_path = _local(os.fspath(local_path))
        if not os.path.exists(local_path):
            raise FlyteDataNotFoundException(
                local_path, f"cannot upload {local_path} to {remote_path}: it does not exist"
            )
        if is_multipart and not os.path.isdir(local_path):
            raise FlyteAssertion(f"cannot upload {local_path} as a folder: it is not a folder")
        try:
            if not is_remote(remote_path):
                self._copy_local(local_path, _local(remote_path), is_multipart)
            elif is_multipart:
                self._put_folder(local_path, remote_path, **kwargs)
            else:
                fs = self.get_filesystem_for_path(remote_path)
                fs.put(local_path, remote_path, **self._put_kwargs(remote_path, kwargs))
            return remote_path
        except Exception as exc:
            raise FlyteUploadDataException(
                f"Failed to put data from {local_path} to {remote_path} (recursive={is_multipart}): "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def _put_kwargs(self, remote_path: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        out = dict(kwargs)
        if protocol_of(remote_path) in ("s3", "s3a", "gs"):
            out.setdefault("chunksize", _WRITE_CHUNK_BYTES)
            if self.execution_metadata and protocol_of(remote_path) != "gs":
                out.setdefault("Metadata", {k: str(v) for k, v in self.execution_metadata.items()})
        return out

    def _put_folder(self, local_path: str, remote_path: str, **kwargs: Any) -> None:
        fs = self.get_filesystem_for_path(remote_path)
        sources, targets = [], []
        root = remote_path.rstrip("/")
        for dirpath, _, files in os.walk(local_path):
            rel = os.path.relpath(dirpath, local_path)
            for name in sorted(files):
                sources.append(os.path.join(dirpath, name))
                key = name if rel == "." else "/".join([*rel.split(os.sep), name])
                targets.append(f"{root}/{key}")
        if not sources:
            return
        try:
            fs.put(sources, targets, **self._put_kwargs(remote_path, kwargs))
        except BaseException:
            with contextlib.suppress(Exception):  # best effort: the store may be the thing that failed
                fs.rm([t for t in targets if fs.exists(t)])
            raise

    @staticmethod
    def _copy_local(src: str, dst: str, is_multipart: bool) -> None:
        if not os.path.exists(src):
            raise FileNotFoundError(src)
        if not is_multipart:
            _atomic_copy(src, dst)
            return
        if not os.path.isdir(src):
            raise FlyteAssertion(f"{src} is a file, not a folder")
        written: list[str] = []
        try:
            for dirpath, _, files in os.walk(src):
                out_dir = os.path.join(dst, os.path.relpath(dirpath, src))
                os.makedirs(out_dir, exist_ok=True)
                for name in files:
                    target = os.path.join(out_dir, name)
                    _atomic_copy(os.path.join(dirpath, name), target)
                    written.append(target)
        except BaseException:
            for target in written:
                with contextlib.suppress(OSError):
                    os.remove(target)
            raise

    def put_raw_data(
        self,
        lpath: str | os.PathLike[str] | bytes | IO[Any],
        upload_prefix: str | None = None,
        file_name: str | None = None,
        read_chunk_size_bytes: int = 1024,
        encoding: str = "utf-8",
        skip_raw_data_prefix: bool = False,
        **kwargs: Any,
    ) -> str:
        """Write a file, folder, bytes or stream to `<raw prefix>/<upload_prefix or 32 hex>/<file name>`; return it.

        Args:
            lpath: a local path (file or folder), bytes, or a readable binary or text stream.
            upload_prefix: the folder under the raw prefix (`""` for none; random when None).
            file_name: the name to write; defaults to the path's tail, or a random string for data.
            read_chunk_size_bytes: chunk size when copying a stream.
            encoding: encoding of a text stream.
            skip_raw_data_prefix: treat `upload_prefix` as the full destination folder.
            kwargs: extra arguments for the backend's upload call.
        """
        prefix = self.get_random_string() if upload_prefix is None else upload_prefix
        to_path = prefix if skip_raw_data_prefix else self.join(self.raw_output_prefix, prefix)
        is_path = isinstance(lpath, (str, os.PathLike))
        tail = file_name or (self.get_file_tail(os.fspath(lpath)) if is_path else self.get_random_string())  # type: ignore[arg-type]
        to_path = self.join(to_path, tail)
        if is_path:
            src = os.fspath(lpath)  # type: ignore[arg-type]
            if not os.path.exists(src):
                raise FlyteDataNotFoundException(src, f"cannot upload {src}: it does not exist")
            return self.put_data(src, to_path, is_multipart=os.path.isdir(src), **kwargs)
        if isinstance(lpath, bytes):
            self.write_bytes(to_path, lpath)
            return to_path
        if hasattr(lpath, "read"):
            if hasattr(lpath, "seek"):
                lpath.seek(0)
            with self.open_for_write(to_path) as out:
                while chunk := lpath.read(read_chunk_size_bytes):
                    out.write(chunk.encode(encoding) if isinstance(chunk, str) else chunk)
            return to_path
        raise FlyteAssertion(f"cannot upload a {type(lpath).__name__}: give a path, bytes or a readable stream")

    def download(self, remote_path: str, local_path: str, **kwargs: Any) -> str:
        """Download a file (flytekit's name for `get_data`)."""
        return self.get_data(remote_path, local_path, **kwargs)

    def download_directory(self, remote_path: str, local_path: str, **kwargs: Any) -> str:
        """Download a folder."""
        return self.get_data(remote_path, local_path, is_multipart=True)

    def upload(self, file_path: str, to_path: str, **kwargs: Any) -> str:
        """Upload a file (flytekit's name for `put_data`)."""
        return self.put_data(file_path, to_path, **kwargs)

    def upload_directory(self, local_path: str, remote_path: str, **kwargs: Any) -> str:
        """Upload a folder."""
        return self.put_data(local_path, remote_path, is_multipart=True, **kwargs)

    # ------------------------------------------------------------------------------------------------ bytes
    def read_bytes(self, path: str) -> bytes:
        """Return the bytes stored at `path`.

        Raises:
            FlyteDataNotFoundException: nothing is stored there.
            FlyteDownloadDataException: the store could not be read.
        """
        try:
            if not is_remote(path):
                with open(_local(path), "rb") as fh:
                    return fh.read()
            with self.get_filesystem_for_path(path).open(path, "rb") as fh:
                data: bytes = fh.read()
                return data
        except FileNotFoundError as exc:
            raise FlyteDataNotFoundException(path, f"cannot read {path}: it does not exist") from exc
        except FlyteAssertion:
            raise
        except Exception as exc:
            raise FlyteDownloadDataException(f"Failed to read {path}: {type(exc).__name__}: {exc}") from exc

    def write_bytes(self, path: str, data: bytes) -> None:
        """Store `data` at `path`, creating parent folders of local paths.

        Raises:
            FlyteUploadDataException: the store could not be written.
        """
        try:
            with self.open_for_write(path) as fh:
                fh.write(data)
        except FlyteAssertion:
            raise
        except Exception as exc:
            raise FlyteUploadDataException(f"Failed to write {path}: {type(exc).__name__}: {exc}") from exc

    @contextlib.contextmanager
    def open_for_write(self, path: str) -> Iterator[IO[bytes]]:
        """Open `path` for binary writing; the data becomes visible only when the block ends without error."""
        if is_remote(path):
            remote = self.get_filesystem_for_path(path).open(path, "wb")
            try:
                yield remote
            except BaseException:
                with contextlib.suppress(Exception):  # drop buffered parts instead of committing them
                    remote.discard()
                    remote.closed = True
                raise
            remote.close()
            return
        local = _local(path)
        folder = os.path.dirname(local) or "."
        os.makedirs(folder, exist_ok=True)
        fd, tmp = _temp_file_in(folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh
            os.replace(tmp, local)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise

    @classmethod
    def new_local(cls) -> FileAccessProvider:
        """Create a provider over a fresh temp folder: sandbox and raw outputs both live there."""
        root = make_temp_dir(prefix="flytelite-")
        return cls(os.path.join(root, "sandbox"), os.path.join(root, "raw"))


_TEMP_DIR_ENV_VARS = ("TMPDIR", "TEMP", "TMP")
_TEMP_DIR_FALLBACKS = ("/tmp", "/var/tmp", "/usr/tmp")


def make_temp_dir(prefix: str = "tmp") -> str:
    """Create a new folder only this user may enter, in the system's temp folder, and return its absolute path.

    This is `tempfile.mkdtemp(prefix=prefix)` without importing `tempfile`, which loads `shutil` and `random` (~4 ms
    of every task pod's start). When `tempfile` is loaded already it is used. Otherwise the folder goes in the first
    of `$TMPDIR`, `$TEMP`, `$TMP`, `/tmp`, `/var/tmp`, `/usr/tmp` and the working directory where one can be made,
    the places `tempfile.gettempdir()` tries.

    Raises:
        FileNotFoundError: no candidate folder can hold a new folder.
    """
    loaded = sys.modules.get("tempfile")
    if loaded is not None:
        made: str = loaded.mkdtemp(prefix=prefix)
        return made
    candidates = [os.environ.get(name) for name in _TEMP_DIR_ENV_VARS]
    for base in (*filter(None, candidates), *_TEMP_DIR_FALLBACKS, os.getcwd()):
        for _ in range(100):  # a name taken by another process: draw another
            path = os.path.join(os.path.abspath(base), prefix + os.urandom(6).hex())
            try:
                os.mkdir(path, 0o700)
                return path
            except FileExistsError:
                continue
            except OSError:  # missing, read-only or not a folder: try the next candidate
                break
    raise FileNotFoundError(f"no usable temporary folder among {[*filter(None, candidates), *_TEMP_DIR_FALLBACKS]}")


def _temp_file_in(folder: str) -> tuple[int, str]:
    """Create a hidden temp file in `folder`; return its open descriptor and its path."""
    import tempfile  # local import: tempfile loads random; only writes need it, not `import flytelite`

    return tempfile.mkstemp(prefix=".flytelite-", dir=folder)


def _atomic_copy(src: str, dst: str) -> None:
    """Copy a file so that `dst` either does not change or holds the whole of `src`."""
    import shutil  # local import: shutil loads bz2 and lzma; only local copies need it, not `import flytelite`

    folder = os.path.dirname(dst) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = _temp_file_in(folder)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
