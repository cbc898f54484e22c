"""flytekit's `flytekit.exceptions.system` path: the exceptions that are the platform's fault (re-exports)."""

from flytelite.errors import (
    FlyteDownloadDataException,
    FlyteEntrypointNotLoadable,
    FlyteNonRecoverableSystemException,
    FlyteSystemAssertion,
    FlyteSystemException,
    FlyteSystemUnavailableException,
    FlyteUploadDataException,
)

__all__ = [
    "FlyteDownloadDataException",
    "FlyteEntrypointNotLoadable",
    "FlyteNonRecoverableSystemException",
    "FlyteSystemAssertion",
    "FlyteSystemException",
    "FlyteSystemUnavailableException",
    "FlyteUploadDataException",
]
