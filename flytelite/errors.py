"""Every exception flytelite raises, in one tree.

Each class says whether it is the user's fault or the platform's through the class attribute `kind`
(`"user"` or `"system"`); the container entrypoint writes that into `error.pb` (origin USER or SYSTEM).
`recoverable` says whether Flyte may retry the attempt.

```
Exception
└── FlyteException                      kind=system   (base of everything below)
    ├── FlyteUserException              kind=user
    │   ├── FlyteValidationException    (+ ValueError)  a value or entity is invalid
    │   │   ├── FlyteAssertion                          a user-facing precondition failed
    │   │   └── FlyteDataNotFoundException              a file or object the user named does not exist
    │   ├── FlyteTypeException          (+ TypeError)   a value has the wrong type
    │   │   └── TypeTransformerFailedError              a type-engine conversion failed (carries a path)
    │   ├── FlyteCompilationException                   a workflow cannot be compiled
    │   ├── FlyteEntityNotExistException               a named entity cannot be found
    │   ├── FlyteRecoverableException   recoverable     raise it to ask for a retry
    │   ├── FlyteUserRuntimeException                   wraps an exception from user code (`value`)
    │   ├── FlyteValueException         (+ ValueError)  a value is wrong (flytekit's name)
    │   │   └── FlyteEntityNotFoundException            a remote entity does not exist
    │   ├── FlyteInvalidInputException                  an API was called with bad input
    │   ├── FlyteTimeout                                something took longer than allowed
    │   ├── FlyteDisapprovalException                   an approval gate was rejected
    │   ├── FlyteFailureNodeInputMismatchException      a failure handler's inputs do not match the workflow's
    │   ├── FlyteEntityAlreadyExistsException           registering an entity that exists
    │   ├── FlyteAuthenticationException                authentication failed
    │   ├── FlytePromiseAttributeResolveException       `p.a[0]` cannot be resolved on the value
    │   ├── FlyteMissingTypeException                   (a FlyteCompilationException) an annotation is missing
    │   ├── FlyteMissingReturnValueException            (a FlyteCompilationException) a return is missing
    │   └── EagerException                              a call awaited inside `@eager` failed (cause: the error)
    └── FlyteSystemException            kind=system, recoverable
        ├── FlyteNonRecoverableSystemException          the platform failed and a retry will not help
        ├── FlyteUploadDataException                    storage write failed
        ├── FlyteDownloadDataException                  storage read failed
        ├── FlyteSystemUnavailableException             a platform service is unavailable
        ├── FlyteSystemAssertion                        a platform invariant failed
        └── FlyteEntrypointNotLoadable                  the container cannot load the task's code
```
"""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

__all__ = [
    "EagerException",
    "FlyteAssertion",
    "FlyteAuthenticationException",
    "FlyteCompilationException",
    "FlyteDataNotFoundException",
    "FlyteDisapprovalException",
    "FlyteDownloadDataException",
    "FlyteEntityAlreadyExistsException",
    "FlyteEntityNotExistException",
    "FlyteEntityNotFoundException",
    "FlyteEntrypointNotLoadable",
    "FlyteException",
    "FlyteFailureNodeInputMismatchException",
    "FlyteInvalidInputException",
    "FlyteMissingReturnValueException",
    "FlyteMissingTypeException",
    "FlyteNonRecoverableSystemException",
    "FlytePromiseAttributeResolveException",
    "FlyteRecoverableException",
    "FlyteSystemAssertion",
    "FlyteSystemException",
    "FlyteSystemUnavailableException",
    "FlyteTimeout",
    "FlyteTypeException",
    "FlyteUploadDataException",
    "FlyteUserException",
    "FlyteUserRuntimeException",
    "FlyteValidationException",
    "FlyteValueException",
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


class FlyteDataNotFoundException(FlyteValidationException):
    """A file, folder or object the user named does not exist (a local path or an object-store URI)."""

    _ERROR_CODE = "USER:DataNotFound"


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


# --- the rest of flytekit's user and system exception classes (names users raise or catch) -----------
class FlyteValueException(FlyteUserException, ValueError):
    """A value is wrong for where it is used."""

    _ERROR_CODE = "USER:ValueError"

    def __init__(self, received_value: object = None, error_message: object = "") -> None:
        if error_message == "" and received_value is not None and isinstance(received_value, str):
            super().__init__(received_value)
        else:
            super().__init__(f"Value error!  Received: {received_value}. {error_message}")


class FlyteEntityNotFoundException(FlyteValueException):
    """A remote entity (task, workflow, launch plan, execution) does not exist."""

    def __init__(self, module_name: str, node: object = None) -> None:
        super().__init__(module_name, f"Entity not found: {node!r}" if node is not None else "Entity not found")


class FlyteInvalidInputException(FlyteUserException):
    """An API was called with input it cannot accept."""

    _ERROR_CODE = "USER:BadInputToAPI"


class FlyteTimeout(FlyteUserException):
    """Something took longer than it was allowed to."""

    _ERROR_CODE = "USER:Timeout"


class FlyteDisapprovalException(FlyteUserException):
    """A person rejected an approval gate (`approve(...)`)."""

    _ERROR_CODE = "USER:ResultNotApproved"


class FlyteFailureNodeInputMismatchException(FlyteValidationException):
    """A workflow's failure handler does not take the workflow's inputs."""

    _ERROR_CODE = "USER:FailureNodeInputMismatch"


class FlyteEntityAlreadyExistsException(FlyteUserException):
    """An entity with this identifier is already registered."""

    _ERROR_CODE = "USER:EntityAlreadyExists"


class FlyteAuthenticationException(FlyteUserException):
    """Authenticating with the platform failed."""

    _ERROR_CODE = "USER:AuthenticationError"


class FlytePromiseAttributeResolveException(FlyteUserException):
    """An attribute path on a promise (`p.a[0]`) does not exist in the value."""

    _ERROR_CODE = "USER:PromiseAttributeResolveError"


class FlyteMissingTypeException(FlyteCompilationException):
    """A task or workflow parameter has no type annotation."""

    _ERROR_CODE = "USER:MissingTypeError"


class FlyteMissingReturnValueException(FlyteCompilationException):
    """A function declares an output but never returns a value."""

    _ERROR_CODE = "USER:MissingReturnValueError"


class FlyteSystemUnavailableException(FlyteSystemException):
    """A platform service is unavailable right now."""

    _ERROR_CODE = "SYSTEM:Unavailable"


class FlyteSystemAssertion(FlyteSystemException):
    """An invariant of the platform itself failed."""

    _ERROR_CODE = "SYSTEM:AssertionError"


class FlyteEntrypointNotLoadable(FlyteSystemException):
    """The container cannot import or find the task's code."""

    _ERROR_CODE = "SYSTEM:UnloadableCode"


class EagerException(FlyteUserException):
    """A task, workflow or launch plan awaited inside an `@eager` workflow failed; `__cause__` is its error."""

    _ERROR_CODE = "USER:EagerError"
