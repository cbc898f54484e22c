"""Moving bytes between the local disk and where Flyte keeps data (a local folder or an object store).

`FileAccessProvider` is the one object that knows the run's local sandbox and raw-output prefix. Local
paths are handled with the standard library; any other protocol (`s3://`, `gs://`, …) goes through
fsspec, imported on first use.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from typing import Any

from flytelite.errors import FlyteDownloadDataException, FlyteUploadDataException

__all__ = ["FileAccessProvider", "is_remote", "protocol_of"]


def protocol_of(path: str) -> str:
    """Return the protocol of `path` (`"file"` for plain paths and `file://` URIs)."""
    head, sep, _ = path.partition("://")
    return head if sep and head != "file" else "file"


def is_remote(path: str | os.PathLike[str]) -> bool:
    """Tell whether `path` lives outside the local file system."""
    return protocol_of(os.fspath(path)) != "file"


def _local(path: str) -> str:
    return path[len("file://") :] if path.startswith("file://") else path


class FileAccessProvider:
    """Reads and writes data for one run: a local sandbox plus a raw-output prefix.

    Args:
        local_sandbox_dir: folder for downloads and scratch files (created if missing).
        raw_output_prefix: where offloaded data (files, dataframes, pickles) is written.
        data_config: extra keyword arguments for fsspec file systems, keyed by protocol.
    """

    def __init__(
        self,
        local_sandbox_dir: str | os.PathLike[str],
        raw_output_prefix: str,
        data_config: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self._local_sandbox_dir = os.fspath(local_sandbox_dir)
        os.makedirs(self._local_sandbox_dir, exist_ok=True)
        self._raw_output_prefix = raw_output_prefix.rstrip("/") + "/" if raw_output_prefix else ""
        self._data_config = data_config or {}

    @property
    def local_sandbox_dir(self) -> str:
        """Return the folder for local scratch data."""
        return self._local_sandbox_dir

    @property
    def raw_output_prefix(self) -> str:
        """Return the prefix (ending in `/`) under which offloaded data is written."""
        return self._raw_output_prefix

    @staticmethod
    def is_remote(path: str | os.PathLike[str]) -> bool:
        """Tell whether `path` lives outside the local file system."""
        return is_remote(path)

    def get_random_string(self) -> str:
        """Return 32 random hex characters, as flytekit uses for data folders."""
        return uuid.uuid4().hex

    def get_random_local_path(self, file_path_or_file_name: str | None = None) -> str:
        """Return a fresh path in the sandbox, keeping the base name of the given path if any."""
        folder = os.path.join(self._local_sandbox_dir, "local_flytekit", self.get_random_string())
        if not file_path_or_file_name:
            return folder
        os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, os.path.basename(file_path_or_file_name.rstrip("/")))

    def get_random_local_directory(self) -> str:
        """Create and return a fresh empty folder in the sandbox."""
        path = self.get_random_local_path()
        os.makedirs(path, exist_ok=True)
        return path

    def get_random_remote_path(self, file_path_or_file_name: str | None = None) -> str:
        """Return `<raw prefix>/<32 hex>[/<base name>]`, a fresh place for offloaded data."""
        folder = self.join(self._raw_output_prefix, self.get_random_string())
        if file_path_or_file_name:
            return self.join(folder, os.path.basename(file_path_or_file_name.rstrip("/")))
        return folder

    def get_random_remote_directory(self) -> str:
        """Return a fresh folder under the raw-output prefix."""
        return self.get_random_remote_path()

    @staticmethod
    def join(*parts: str) -> str:
        """Join path parts with `/`, keeping a leading protocol intact."""
        head, *rest = [p for p in parts if p]
        out = head.rstrip("/")
        for part in rest:
            out = f"{out}/{part.strip('/')}"
        return out

    def get_filesystem(self, protocol: str) -> Any:
        """Return an fsspec file system for `protocol`, configured from `data_config`."""
        import fsspec  # local import: fsspec is only needed once a blob leaves the machine

        return fsspec.filesystem(protocol, **self._data_config.get(protocol, {}))

    def exists(self, path: str) -> bool:
        """Tell whether a file or folder exists at `path`."""
        if not is_remote(path):
            return os.path.exists(_local(path))
        return bool(self.get_filesystem(protocol_of(path)).exists(path))

    def get_data(self, remote_path: str, local_path: str, is_multipart: bool = False) -> None:
        """Copy `remote_path` (a file, or a folder when `is_multipart`) to `local_path`."""
        try:
            if not is_remote(remote_path):
                self._copy_local(_local(remote_path), local_path, is_multipart)
                return
            fs = self.get_filesystem(protocol_of(remote_path))
            if is_multipart:
                os.makedirs(local_path, exist_ok=True)
                fs.get(remote_path.rstrip("/") + "/", local_path, recursive=True)
            else:
                os.makedirs(os.path.dirname(local_path) or ".", exist_ok=True)
                fs.get(remote_path, local_path)
        except Exception as exc:
            raise FlyteDownloadDataException(
                f"Failed to get data from {remote_path} to {local_path}: {exc}"
            ) from exc

    def put_data(self, local_path: str, remote_path: str, is_multipart: bool = False) -> str:
        """Copy `local_path` (a file, or a folder when `is_multipart`) to `remote_path`; return it."""
        try:
            if not is_remote(remote_path):
                self._copy_local(local_path, _local(remote_path), is_multipart)
                return remote_path
            fs = self.get_filesystem(protocol_of(remote_path))
            if is_multipart:
                fs.put(local_path.rstrip("/") + "/", remote_path.rstrip("/") + "/", recursive=True)
            else:
                fs.put(local_path, remote_path)
            return remote_path
        except Exception as exc:
            raise FlyteUploadDataException(
                f"Failed to put data from {local_path} to {remote_path}: {exc}"
            ) from exc

    @staticmethod
    def _copy_local(src: str, dst: str, is_multipart: bool) -> None:
        if is_multipart:
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
            shutil.copyfile(src, dst)

    def read_bytes(self, path: str) -> bytes:
        """Return the bytes stored at `path`."""
        if not is_remote(path):
            with open(_local(path), "rb") as fh:
                return fh.read()
        with self.get_filesystem(protocol_of(path)).open(path, "rb") as fh:
            data: bytes = fh.read()
            return data

    def write_bytes(self, path: str, data: bytes) -> None:
        """Store `data` at `path`, creating parent folders of local paths."""
        if not is_remote(path):
            local = _local(path)
            os.makedirs(os.path.dirname(local) or ".", exist_ok=True)
            with open(local, "wb") as fh:
                fh.write(data)
            return
        with self.get_filesystem(protocol_of(path)).open(path, "wb") as fh:
            fh.write(data)

    @classmethod
    def new_local(cls) -> FileAccessProvider:
        """Create a provider over a fresh temp folder: sandbox and raw outputs both live there."""
        root = tempfile.mkdtemp(prefix="flytelite-")
        return cls(os.path.join(root, "sandbox"), os.path.join(root, "raw"))
