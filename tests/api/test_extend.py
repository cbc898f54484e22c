"""`flytelite.extend` gives plugin authors every name flytekit's `flytekit.extend` has, from public homes."""

import flytelite.extend as ext
from flytelite.core.base_task import PythonTask
from flytelite.core.type_engine import TypeEngine


def test_extend_names_are_the_real_classes() -> None:
    assert ext.PythonTask is PythonTask
    assert ext.TypeEngine is TypeEngine
    assert sorted(ext.__all__) == ext.__all__
    assert all(hasattr(ext, n) for n in ext.__all__)


def test_extend_covers_flytekit_extend_names() -> None:
    flytekit_extend = {
        "Image", "ImageConfig", "SerializationSettings", "context_manager", "SQLTask", "IgnoreOutputs",
        "PythonTask", "TaskResolverMixin", "ExecutionState", "SecretsManager", "FileAccessProvider",
        "Interface", "Promise", "PythonCustomizedContainerTask", "ExecutableTemplateShimTask",
        "ShimTaskExecutor", "TaskPlugins", "DictTransformer", "TypeEngine", "TypeTransformer", "get_serializable",
    }  # fmt: skip
    assert flytekit_extend <= set(ext.__all__)


def test_a_plugin_task_type_built_from_extend_runs() -> None:
    class Doubler(ext.PythonInstanceTask[None]):
        def __init__(self, name: str) -> None:
            super().__init__(
                name=name, task_config=None, interface=ext.Interface(inputs={"x": int}, outputs={"o0": int})
            )

        def execute(self, **kwargs: int) -> int:
            return 2 * kwargs["x"]

    assert Doubler("extend.doubler")(x=21) == 42
