"""Every exception flytelite raises, in one tree.

Each class says whether it is the user's fault or the platform's through the class attribute `kind`
(`"user"` or `"system"`); the container entrypoint writes that into `error.pb` (origin USER or SYSTEM).
`recoverable` says whether Flyte may retry the attempt.

```
Exception
└── FlyteException                      kind=system   (base of everything below)
    ├── RecoverableFlyteException       recoverable   (flytekit's `exceptions.base.FlyteRecoverableException`)
    │   ├── FlyteRecoverableException   kind=user     raise it to ask for a retry (also a FlyteUserException)
    │   └── FlyteSystemException        kind=system   the platform failed; a retry may help
    │       ├── FlyteNotImplementedException  (+ NotImplementedError)
    │       ├── FlyteUploadDataException / FlyteDownloadDataException    storage write / read failed
    │       ├── FlyteSystemUnavailableException                          a platform service is unavailable
    │       ├── FlyteSystemAssertion    (+ AssertionError)               a platform invariant failed
    │       ├── FlyteAgentNotFound / FlyteConnectorNotFound (+ AssertionError)  no connector serves a task type
    │       └── FlyteEntrypointNotLoadable                               the container cannot load the task's code
    ├── FlyteNonRecoverableSystemException                  the platform failed and a retry will not help (`value`)
    └── FlyteUserException              kind=user
        ├── FlyteUserRuntimeException                       wraps an exception from user code (`value`)
        ├── FlyteTypeException          (+ TypeError)       a value has the wrong type
        │   ├── FlyteUnexpectedInputException (+ AssertionError)  a call passed an input that is not declared
        │   └── TypeTransformerFailedError (+ AssertionError, ValueError)  a type-engine conversion failed
        ├── FlyteValueException         (+ ValueError)      a value is wrong
        │   ├── FlyteDataNotFoundException                  a file or object the user named does not exist
        │   └── FlyteEntityNotFoundException                a task or workflow is not in its module
        ├── FlyteAssertion              (+ AssertionError, ValueError)  a user-facing precondition failed
        │   ├── FlyteValidationException                    a value or entity is invalid
        │   ├── FlyteFailureNodeInputMismatchException      a failure handler's inputs do not match the workflow's
        │   ├── FlyteDisapprovalException                   an approval gate was rejected
        │   ├── FlyteGateInputUnavailable (+ RuntimeError)  a gate's standard input ended or cannot be read
        │   ├── FlyteEntityAlreadyExistsException / FlyteEntityNotExistException
        │   ├── FlyteTimeout / FlyteAuthenticationException
        │   └── FlytePromiseAttributeResolveException       `p.a[0]` cannot be resolved on the value
        ├── FlyteNotMockedException     (+ NotImplementedError)  a reference entity or SQL task run locally
        ├── FlyteInvalidInputException                      an API was called with bad input (`request`)
        ├── FlyteCompilationException                       a workflow cannot be compiled
        │   ├── FlyteMissingTypeException                   an annotation is missing
        │   └── FlyteMissingReturnValueException            a return is missing
        └── EagerException                                  a call awaited inside `@eager` failed (cause: the error)
```

Every class has at least the builtin bases of flytekit's class of the same name, so `except ValueError:` around
flytekit code keeps working, and `str(exc)` is flytekit's: `"<error code>: error=<args>[, cause=<cause>]"`
(`TypeTransformerFailedError` and `EagerException` print their message only, as flytekit's do).
"""

from __future__ import annotations

import time as _time
from typing import Any, ClassVar

__all__ = [
    "EagerException",
    "FlyteAgentNotFound",
    "FlyteAssertion",
    "FlyteAuthenticationException",
    "FlyteCompilationException",
    "FlyteConnectorNotFound",
    "FlyteDataNotFoundException",
    "FlyteDisapprovalException",
    "FlyteDownloadDataException",
    "FlyteEntityAlreadyExistsException",
    "FlyteEntityNotExistException",
    "FlyteEntityNotFoundException",
    "FlyteEntrypointNotLoadable",
    "FlyteException",
    "FlyteFailureNodeInputMismatchException",
    "FlyteGateInputUnavailable",
    "FlyteInvalidInputException",
    "FlyteMissingReturnValueException",
    "FlyteMissingTypeException",
    "FlyteNonRecoverableSystemException",
    "FlyteNotImplementedException",
    "FlyteNotMockedException",
    "FlytePromiseAttributeResolveException",
    "FlyteRecoverableException",
    "FlyteSystemAssertion",
    "FlyteSystemException",
    "FlyteSystemUnavailableException",
    "FlyteTimeout",
    "FlyteTypeException",
    "FlyteUnexpectedInputException",
    "FlyteUploadDataException",
    "FlyteUserException",
    "FlyteUserRuntimeException",
    "FlyteValidationException",
    "FlyteValueException",
    "RecoverableFlyteException",
    "TypeTransformerFailedError",
    "add_note",
    "message_of",
]


class _NotGiven:
    """The type of `_NOT_GIVEN`: an argument that was not passed (as opposed to `None`)."""

    def __repr__(self) -> str:
        return "<not given>"


_NOT_GIVEN: Any = _NotGiven()


class _FlyteCodedExceptionMetaclass(type):
    """Let `SomeFlyteException.error_code` be read on the class too, as in flytekit."""

    @property
    def error_code(cls) -> str:
        code: str = getattr(cls, "_ERROR_CODE", "UnknownFlyteException")
        return code


class FlyteException(Exception, metaclass=_FlyteCodedExceptionMetaclass):
    """Base of all flytelite errors; `kind` and `recoverable` drive the entrypoint's `error.pb`.

    Args:
        *args: the message (and any further values), as for `Exception`.
        timestamp: when the error happened, in seconds since the epoch (default: now).
    """

    kind: ClassVar[str] = "system"
    recoverable: ClassVar[bool] = False
    _ERROR_CODE: ClassVar[str] = "UnknownFlyteException"

    def __init__(self, *args: object, timestamp: float | None = None) -> None:
        super().__init__(*args)
        self._timestamp = _time.time() if timestamp is None else timestamp

    @property
    def timestamp(self) -> float:
        """Return when the error happened, as fractional seconds since the epoch."""
        return self._timestamp

    @property
    def error_code(self) -> str:
        """Return the code written into `ContainerError.code`."""
        return self._ERROR_CODE

    @property
    def message(self) -> str:
        """Return the message alone, without the error code `str()` puts in front."""
        return ",".join(str(a) for a in self.args)

    def with_prefix(self, prefix: str) -> FlyteException:
        """Return an error of the same class whose message starts with `prefix` (raise it `from` this one)."""
        return type(self)(prefix + self.message)

    def __str__(self) -> str:
        text = f"{self._ERROR_CODE}: error={self.message if self.args else 'None'}"
        cause = self.__cause__
        if cause is not None and message_of(cause) not in text:  # a wrapper that quotes its cause says it once
            text += f", cause={cause}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild without calling `__init__` (whose arguments differ from `args` in many subclasses), so an error
        # raised in a worker process arrives unchanged.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def add_note(exc: BaseException, note: str) -> None:
    """Attach `note` to `exc`, shown under its traceback (`BaseException.add_note`; kept by hand on Python 3.10)."""
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]  # what add_note does


def message_of(exc: BaseException) -> str:
    """Return what an error says without the error code a Flyte exception's `str()` adds (for quoting it)."""
    return exc.message if isinstance(exc, FlyteException) else str(exc)


def _rebuild(cls: type[FlyteException], args: tuple[Any, ...], state: dict[str, Any]) -> FlyteException:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class RecoverableFlyteException(FlyteException):
    """An error Flyte may retry (flytekit's `flytekit.exceptions.base.FlyteRecoverableException`)."""

    recoverable = True
    _ERROR_CODE = "RecoverableFlyteException"


class FlyteUserException(FlyteException):
    """An error caused by what the user wrote or passed."""

    kind = "user"
    _ERROR_CODE = "USER:Unknown"


class FlyteAssertion(FlyteUserException, AssertionError, ValueError):
    """A user-facing precondition failed (never raised with `assert`)."""

    _ERROR_CODE = "USER:AssertionError"


class FlyteGateInputUnavailable(FlyteAssertion, RuntimeError):
    """A gate needs an answer on standard input, which ended or cannot be read.

    Also a `RuntimeError`, as flytekit's local gates raise click's `Abort` there.
    """


class FlyteValidationException(FlyteAssertion):
    """A value or an entity definition is invalid."""

    _ERROR_CODE = "USER:ValidationError"


class FlyteTypeException(FlyteUserException, TypeError):
    """A value does not have the type its declaration asks for.

    `FlyteTypeException(received_type, expected_type, additional_msg=None, received_value=None)` words the message
    as flytekit does; `FlyteTypeException(message)` uses the message as given.
    """

    _ERROR_CODE = "USER:TypeError"

    def __init__(
        self,
        received_type: object,
        expected_type: object = _NOT_GIVEN,
        additional_msg: object = None,
        received_value: object = None,
        *,
        timestamp: float | None = None,
    ) -> None:
        if expected_type is _NOT_GIVEN:
            super().__init__(received_type, timestamp=timestamp)
            return
        one_of = " one of" if isinstance(expected_type, list | tuple | set) else ""
        value = f" with value: {received_value}" if received_value is not None else ""
        super().__init__(
            f"Type error!  Received: {received_type}{value}, Expected{one_of}: {expected_type}. {additional_msg or ''}",
            timestamp=timestamp,
        )


class FlyteUnexpectedInputException(FlyteTypeException, AssertionError):
    """An entity was called with an input it does not declare (flytekit raises an `AssertionError` here)."""


class TypeTransformerFailedError(FlyteTypeException, AssertionError, ValueError):
    """A conversion between a Python value and a Flyte literal failed.

    `path` locates the failing part inside the value (`xs[3].a`); it is empty at the top.
    """

    _ERROR_CODE = "USER:TypeTransformerFailedError"

    def __init__(self, message: object = "", *, path: str = "") -> None:
        self.path = path
        self.reason = str(message)
        super().__init__(f"{path}: {message}" if path else message)

    def __str__(self) -> str:
        return Exception.__str__(self)


class FlyteValueException(FlyteUserException, ValueError):
    """A value is wrong for where it is used.

    `FlyteValueException(received_value, error_message)` words the message as flytekit does
    (`Value error!  Received: …`); `FlyteValueException(message)` uses the message as given.
    """

    _ERROR_CODE = "USER:ValueError"

    def __init__(
        self, received_value: object = None, error_message: object = _NOT_GIVEN, *, timestamp: float | None = None
    ) -> None:
        if error_message is _NOT_GIVEN:
            super().__init__(received_value, timestamp=timestamp)
        else:
            super().__init__(f"Value error!  Received: {received_value}. {error_message}", timestamp=timestamp)


class FlyteDataNotFoundException(FlyteValueException):
    """A file, folder or object the user named does not exist (a local path or an object-store URI).

    Args:
        path: what was looked for.
        error_message: why it is missing (flytekit always says `File not found`).
    """

    def __init__(self, path: str, error_message: str = "File not found", *, timestamp: float | None = None) -> None:
        self.path = path
        self.error_message = error_message
        super().__init__(path, error_message, timestamp=timestamp)

    def with_prefix(self, prefix: str) -> FlyteDataNotFoundException:
        """Return the same error with `prefix` in front of its reason."""
        return type(self)(self.path, prefix + self.error_message)


class FlyteEntityNotFoundException(FlyteValueException):
    """A task or workflow is not in the module it was looked for in."""

    def __init__(self, module_name: str, entity_name: str) -> None:
        self._module_name = module_name
        self._entity_name = entity_name
        super().__init__(module_name, entity_name)

    def __str__(self) -> str:
        return f"Task/Workflow '{self._entity_name}' not found in module '{self._module_name}'"


class FlyteCompilationException(FlyteUserException):
    """A workflow cannot be compiled into a graph.

    flytekit's form is `FlyteCompilationException(fn, param_name=None)`; a message string works too.
    """

    _ERROR_CODE = "USER:CompileError"

    def __init__(self, fn: Any = None, param_name: str | None = None) -> None:
        self.fn = fn
        self.param_name = param_name
        super().__init__(*((fn,) if isinstance(fn, str) else ()))


class FlyteMissingTypeException(FlyteCompilationException):
    """A task or workflow parameter has no type annotation."""

    _ERROR_CODE = "USER:MissingTypeError"

    def __str__(self) -> str:
        if self.param_name is None and isinstance(self.fn, str):
            return super().__str__()
        return f"'{self.param_name}' has no type. Please add a type annotation to the input parameter."


class FlyteMissingReturnValueException(FlyteCompilationException):
    """A function declares an output but never returns a value."""

    _ERROR_CODE = "USER:MissingReturnValueError"

    def __str__(self) -> str:
        if isinstance(self.fn, str):
            return super().__str__()
        name = getattr(self.fn, "__name__", self.fn)
        return f"{name} function must return a value. Please add a return statement at the end of the function."


class FlyteEntityNotExistException(FlyteAssertion):
    """A task, workflow, module or variable named by the user does not exist."""

    _ERROR_CODE = "USER:EntityNotExist"


class FlyteRecoverableException(FlyteUserException, RecoverableFlyteException):
    """Raise from a task to signal a transient failure that Flyte may retry."""

    recoverable = True
    _ERROR_CODE = "USER:Recoverable"


class FlyteUserRuntimeException(FlyteUserException):
    """Wraps an exception raised by user code during a task execution; `value` is that exception."""

    _ERROR_CODE = "USER:RuntimeError"

    def __init__(self, exc_value: BaseException, timestamp: float | None = None) -> None:
        self._exc_value = exc_value
        super().__init__(str(exc_value), timestamp=timestamp)
        self.__cause__ = exc_value

    @property
    def value(self) -> BaseException:
        """Return the exception user code raised."""
        return self._exc_value

    @property
    def error_code(self) -> str:
        """Return the wrapped exception's code (an int becomes its digits), or `USER:RuntimeError`."""
        code = getattr(self.value, "error_code", None)
        if code is None:
            return self._ERROR_CODE
        if isinstance(code, str | int):
            return str(code)
        raise FlyteException(f"error_code must be a str or int, got {type(code).__name__}")

    def __str__(self) -> str:
        text = f"{self._ERROR_CODE}: error={self.message}"
        if self.__cause__ is not None and self.__cause__ is not self._exc_value:
            text += f", cause={self.__cause__}"
        return text


class FlyteSystemException(RecoverableFlyteException):
    """The platform (flytelite, storage, the cluster) failed; a retry may help."""

    kind = "system"
    recoverable = True
    _ERROR_CODE = "SYSTEM:Unknown"


class FlyteNonRecoverableSystemException(FlyteException):
    """The platform failed in a way a retry will not fix; `value` is what was raised (or the message)."""

    kind = "system"
    recoverable = False
    _ERROR_CODE = "USER:NonRecoverableSystemError"

    def __init__(self, exc_value: object, *, timestamp: float | None = None) -> None:
        self._exc_value = exc_value
        super().__init__(str(exc_value), timestamp=timestamp)

    @property
    def value(self) -> object:
        """Return the exception (or message) this error was made from."""
        return self._exc_value


class FlyteUploadDataException(FlyteSystemException):
    """Writing data to storage failed."""

    _ERROR_CODE = "SYSTEM:UploadDataError"


class FlyteDownloadDataException(FlyteSystemException):
    """Reading data from storage failed."""

    _ERROR_CODE = "SYSTEM:DownloadDataError"


class FlyteNotImplementedException(FlyteSystemException, NotImplementedError):
    """The platform does not implement what was asked."""

    _ERROR_CODE = "SYSTEM:NotImplemented"


class FlyteNotMockedException(FlyteUserException, NotImplementedError):
    """An entity that only runs on a cluster (a reference entity, a SQL task) was run locally without a mock.

    flytekit raises a bare `NotImplementedError` here; this is one, with flytekit's message as its `str()`.
    """

    _ERROR_CODE = "USER:NotImplemented"

    def __str__(self) -> str:
        return Exception.__str__(self)


class FlyteInvalidInputException(FlyteUserException):
    """An API was called with input it cannot accept; `request` is that input."""

    _ERROR_CODE = "USER:BadInputToAPI"

    def __init__(self, request: Any = None) -> None:
        self.request = request
        super().__init__()


class FlyteTimeout(FlyteAssertion):
    """Something took longer than it was allowed to."""

    _ERROR_CODE = "USER:Timeout"


class FlyteDisapprovalException(FlyteAssertion):
    """A person rejected an approval gate (`approve(...)`)."""

    _ERROR_CODE = "USER:ResultNotApproved"


class FlyteFailureNodeInputMismatchException(FlyteAssertion):
    """A workflow's failure handler does not take the workflow's inputs.

    flytekit's form is `FlyteFailureNodeInputMismatchException(failure_node_node, workflow)`; a message works too.
    """

    _ERROR_CODE = "USER:FailureNodeInputMismatch"

    def __init__(self, failure_node_node: Any, workflow: Any = None) -> None:
        self.failure_node_node = failure_node_node
        self.workflow = workflow
        super().__init__(*((failure_node_node,) if workflow is None else ()))

    def __str__(self) -> str:
        if self.workflow is None:
            return super().__str__()
        node, wf = self.failure_node_node, self.workflow
        return (
            "Mismatched Inputs Detected\n"
            f"The failure node `{node.name}` has inputs that do not align with those expected by the workflow "
            f"`{wf.name}`.\n"
            f"Failure Node's Inputs: {node.python_interface.inputs}\n"
            f"Workflow's Inputs: {wf.python_interface.inputs}\n"
            "Action Required:\n"
            "Please ensure that all input arguments in the failure node are provided and match the expected "
            "arguments specified in the workflow."
        )


class FlyteEntityAlreadyExistsException(FlyteAssertion):
    """An entity with this identifier is already registered."""

    _ERROR_CODE = "USER:EntityAlreadyExists"


class FlyteAuthenticationException(FlyteAssertion):
    """Authenticating with the platform failed."""

    _ERROR_CODE = "USER:AuthenticationError"


class FlytePromiseAttributeResolveException(FlyteAssertion):
    """An attribute path on a promise (`p.a[0]`) does not exist in the value."""

    _ERROR_CODE = "USER:PromiseAttributeResolveError"


class FlyteSystemUnavailableException(FlyteSystemException):
    """A platform service is unavailable right now (`str()` is flytekit's fixed sentence unless a message is given)."""

    _ERROR_CODE = "SYSTEM:Unavailable"

    def __str__(self) -> str:
        if self.args:
            return super().__str__()
        return "Flyte cluster is currently unavailable. Please make sure the cluster is up and running."


class FlyteSystemAssertion(FlyteSystemException, AssertionError):
    """An invariant of the platform itself failed."""

    _ERROR_CODE = "SYSTEM:AssertionError"


class FlyteAgentNotFound(FlyteSystemException, AssertionError):
    """No agent serves a task type."""

    _ERROR_CODE = "SYSTEM:AgentNotFound"


class FlyteConnectorNotFound(FlyteSystemException, AssertionError):
    """No connector serves a task type."""

    _ERROR_CODE = "SYSTEM:ConnectorNotFound"


class FlyteEntrypointNotLoadable(FlyteSystemException):
    """The container cannot import or find the task's code.

    flytekit's form is `FlyteEntrypointNotLoadable(task_module, task_name=None, additional_msg=None)`.
    """

    _ERROR_CODE = "SYSTEM:UnloadableCode"

    def __init__(self, task_module: object, task_name: object = None, additional_msg: object = None) -> None:
        why = "." if additional_msg is None else f" due to error: {additional_msg}"
        if task_name is None:
            text = f"Entrypoint is not loadable!  Could not load the module: '{task_module}'{why}"
        else:
            text = f"Entrypoint is not loadable!  Could not find the task: '{task_name}' in '{task_module}'{why}"
        super().__init__(text)


class EagerException(FlyteUserException):
    """A task, workflow or launch plan awaited inside an `@eager` workflow failed; `__cause__` is its error."""

    _ERROR_CODE = "USER:EagerError"

    def __str__(self) -> str:
        return Exception.__str__(self)
