"""Shared fixtures: a real S3-compatible server (moto's server mode) on 127.0.0.1, never the internet.

`s3_server` starts one server per test session on a free port. `s3` gives each test a fresh bucket and points
flytekit's storage variables (`FLYTE_AWS_ENDPOINT`, `FLYTE_AWS_ACCESS_KEY_ID`, `FLYTE_AWS_SECRET_ACCESS_KEY`) at
the server, so `FileAccessProvider` and subprocesses that inherit the environment reach it.

`private_local_cache` points the local task cache at a temp folder for one test (folders that want it for every
test use it from an autouse fixture in their conftest).
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from flytelite.core.local_cache import LocalTaskCache

_CREDENTIALS = {"FLYTE_AWS_ACCESS_KEY_ID": "testing", "FLYTE_AWS_SECRET_ACCESS_KEY": "testing"}
_AWS_DEFAULTS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@dataclasses.dataclass(frozen=True)
class S3Server:
    """A running moto server: its endpoint URL."""

    endpoint: str


@dataclasses.dataclass(frozen=True)
class S3Bucket:
    """A fresh bucket on the test server; `url(...)` builds `s3://<bucket>/<parts>`."""

    endpoint: str
    name: str

    def url(self, *parts: str) -> str:
        """Return `s3://<bucket>/<parts joined by />`."""
        return "/".join([f"s3://{self.name}", *[p.strip("/") for p in parts]])

    def env(self) -> dict[str, str]:
        """Return the environment variables that point flytelite (and a subprocess) at this server."""
        return {"FLYTE_AWS_ENDPOINT": self.endpoint, **_CREDENTIALS, **_AWS_DEFAULTS}


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """Start moto's S3-compatible HTTP server on 127.0.0.1 (a free port) for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(endpoint=f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture
def s3(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Bucket:
    """Create a fresh bucket and point the storage environment variables at the test server."""
    import boto3

    bucket = S3Bucket(endpoint=s3_server.endpoint, name=f"flytelite-{uuid.uuid4().hex[:12]}")
    for key, value in bucket.env().items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket.name)
    assert os.environ["FLYTE_AWS_ENDPOINT"] == s3_server.endpoint
    return bucket


@pytest.fixture
def private_local_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the local task cache at a temp folder and reset code-level cache settings."""
    folder = tmp_path / "local-cache"
    monkeypatch.setenv("FLYTELITE_LOCAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("FLYTE_LOCAL_CACHE_ENABLED", raising=False)
    monkeypatch.delenv("FLYTE_LOCAL_CACHE_OVERWRITE", raising=False)
    LocalTaskCache.configure()
    yield folder
    LocalTaskCache.configure()
