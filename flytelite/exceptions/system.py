"""flytekit's `flytekit.exceptions.system` path: the exceptions that are the platform's fault (re-exports)."""

from flytelite.errors import (
    FlyteAgentNotFound,
    FlyteConnectorNotFound,
    FlyteDownloadDataException,
    FlyteEntrypointNotLoadable,
    FlyteException,
    FlyteNonRecoverableSystemException,
    FlyteNotImplementedException,
    FlyteSystemAssertion,
    FlyteSystemException,
    FlyteSystemUnavailableException,
    FlyteUploadDataException,
)

__all__ = [
    "FlyteAgentNotFound",
    "FlyteConnectorNotFound",
    "FlyteDownloadDataException",
    "FlyteEntrypointNotLoadable",
    "FlyteException",
    "FlyteNonRecoverableSystemException",
    "FlyteNotImplementedException",
    "FlyteSystemAssertion",
    "FlyteSystemException",
    "FlyteSystemUnavailableException",
    "FlyteUploadDataException",
]
