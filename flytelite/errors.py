"""Every exception flytelite raises, in one tree.

Each class says whether it is the user's fault or the platform's through the class attribute `kind`
(`"user"` or `"system"`); the container entrypoint writes that into `error.pb` (origin USER or SYSTEM).
`recoverable` says whether Flyte may retry the attempt.

```
Exception
└── FlyteException                      kind=system   (base of everything below)
    ├── FlyteUserException              kind=user
    │   ├── FlyteValidationException    (+ ValueError)  a value or entity is invalid
    │   │   └── FlyteAssertion                          a user-facing precondition failed
    │   ├── FlyteTypeException          (+ TypeError)   a value has the wrong type
    │   │   └── TypeTransformerFailedError              a type-engine conversion failed (carries a path)
    │   ├── FlyteCompilationException                   a workflow cannot be compiled
    │   ├── FlyteEntityNotExistException               a named entity cannot be found
    │   ├── FlyteRecoverableException   recoverable     raise it to ask for a retry
    │   └── FlyteUserRuntimeException                   wraps an exception from user code (`value`)
    └── FlyteSystemException            kind=system, recoverable
        ├── FlyteNonRecoverableSystemException          the platform failed and a retry will not help
        ├── FlyteUploadDataException                    storage write failed
        └── FlyteDownloadDataException                  storage read failed
```
"""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

__all__ = [
    "FlyteAssertion",
    "FlyteCompilationException",
    "FlyteDownloadDataException",
    "FlyteEntityNotExistException",
    "FlyteException",
    "FlyteNonRecoverableSystemException",
    "FlyteRecoverableException",
    "FlyteSystemException",
    "FlyteTypeException",
    "FlyteUploadDataException",
    "FlyteUserException",
    "FlyteUserRuntimeException",
    "FlyteValidationException",
    "TypeTransformerFailedError",
]


class FlyteException(Exception):
    """Base of all flytelite errors; `kind` and `recoverable` drive the entrypoint's `error.pb`."""

    kind: ClassVar[str] = "system"
    recoverable: ClassVar[bool] = False
    _ERROR_CODE: ClassVar[str] = "UnknownFlyteException"

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.timestamp = _dt.datetime.now(_dt.timezone.utc)

    @property
    def error_code(self) -> str:
        """Return the code written into `ContainerError.code`."""
        return self._ERROR_CODE


class FlyteUserException(FlyteException):
    """An error caused by what the user wrote or passed."""

    kind = "user"
    _ERROR_CODE = "USER:Unknown"


class FlyteValidationException(FlyteUserException, ValueError):
    """A value or an entity definition is invalid."""

    _ERROR_CODE = "USER:ValidationError"


class FlyteAssertion(FlyteValidationException):
    """A user-facing precondition failed (never raised with `assert`)."""

    _ERROR_CODE = "USER:AssertionError"


class FlyteTypeException(FlyteUserException, TypeError):
    """A value does not have the type its declaration asks for."""

    _ERROR_CODE = "USER:TypeError"


class TypeTransformerFailedError(FlyteTypeException):
    """A conversion between a Python value and a Flyte literal failed.

    `path` locates the failing part inside the value (`xs[3].a`); it is empty at the top.
    """

    _ERROR_CODE = "USER:TypeTransformerFailedError"

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


class FlyteCompilationException(FlyteUserException):
    """A workflow cannot be compiled into a graph."""

    _ERROR_CODE = "USER:CompileError"


class FlyteEntityNotExistException(FlyteUserException):
    """A task, workflow, module or variable named by the user does not exist."""

    _ERROR_CODE = "USER:EntityNotExist"


class FlyteRecoverableException(FlyteUserException):
    """Raise from a task to signal a transient failure that Flyte may retry."""

    recoverable = True
    _ERROR_CODE = "USER:Recoverable"


class FlyteUserRuntimeException(FlyteUserException):
    """Wraps an exception raised by user code during a task execution."""

    _ERROR_CODE = "USER:RuntimeError"

    def __init__(self, exc_value: BaseException) -> None:
        super().__init__(str(exc_value))
        self.value = exc_value
        self.__cause__ = exc_value

    @property
    def error_code(self) -> str:
        """Return the wrapped exception's code, or `USER:RuntimeError`."""
        code = getattr(self.value, "error_code", None)
        return code if isinstance(code, str) else self._ERROR_CODE


class FlyteSystemException(FlyteException):
    """The platform (flytelite, storage, the cluster) failed; a retry may help."""

    kind = "system"
    recoverable = True
    _ERROR_CODE = "SYSTEM:Unknown"


class FlyteNonRecoverableSystemException(FlyteSystemException):
    """The platform failed in a way a retry will not fix."""

    recoverable = False
    _ERROR_CODE = "SYSTEM:NonRecoverable"


class FlyteUploadDataException(FlyteSystemException):
    """Writing data to storage failed."""

    _ERROR_CODE = "SYSTEM:UploadDataError"


class FlyteDownloadDataException(FlyteSystemException):
    """Reading data from storage failed."""

    _ERROR_CODE = "SYSTEM:DownloadDataError"
