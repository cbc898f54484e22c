"""The surface for plugin authors (flytekit's `flytekit.extend`): everything needed to write a new task type,
type transformer, dataframe handler or resolver, without touching a private module.

```python
from flytelite.extend import PythonTask, TypeEngine, TypeTransformer, SerializationSettings
```
"""

from flytelite.configuration import Image, ImageConfig, SerializationSettings
from flytelite.core import context_manager
from flytelite.core.base_sql_task import SQLTask
from flytelite.core.base_task import IgnoreOutputs, PythonTask, TaskResolverMixin
from flytelite.core.context_manager import ExecutionState, SecretsManager
from flytelite.core.interface import Interface
from flytelite.core.promise import Promise
from flytelite.core.python_auto_container import DefaultTaskResolver, PythonAutoContainerTask, default_task_resolver
from flytelite.core.python_customized_container_task import (
    PythonCustomizedContainerTask,
    TaskTemplateResolver,
    default_task_template_resolver,
)
from flytelite.core.python_function_task import PythonFunctionTask, PythonInstanceTask
from flytelite.core.shim_task import ExecutableTemplateShimTask, ShimTaskExecutor
from flytelite.core.task import TaskPlugins
from flytelite.core.type_engine import DictTransformer, TypeEngine, TypeTransformer, TypeTransformerFailedError
from flytelite.storage import FileAccessProvider
from flytelite.tools.translator import get_serializable
from flytelite.types.structured import (
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetTransformerEngine,
)

__all__ = [
    "DefaultTaskResolver",
    "DictTransformer",
    "ExecutableTemplateShimTask",
    "ExecutionState",
    "FileAccessProvider",
    "IgnoreOutputs",
    "Image",
    "ImageConfig",
    "Interface",
    "Promise",
    "PythonAutoContainerTask",
    "PythonCustomizedContainerTask",
    "PythonFunctionTask",
    "PythonInstanceTask",
    "PythonTask",
    "SQLTask",
    "SecretsManager",
    "SerializationSettings",
    "ShimTaskExecutor",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetTransformerEngine",
    "TaskPlugins",
    "TaskResolverMixin",
    "TaskTemplateResolver",
    "TypeEngine",
    "TypeTransformer",
    "TypeTransformerFailedError",
    "context_manager",
    "default_task_resolver",
    "default_task_template_resolver",
    "get_serializable",
]
