"""A task plugin written as a `PythonInstanceTask`: the platform code is `execute`, the user supplies configuration.

`TemplateTask` formats a text template with its inputs. Users create instances (`greet = TemplateTask(...)`) with
their own inputs; the instance is found in a container by its module and variable name, like any instance task.
See docs/writing-an-instance-task-plugin.md.

    flytelite run examples/instance_task_plugin.py greet --name Ada --times 2
    flytelite run examples/instance_task_plugin.py welcome --people '["Ada", "Grace"]'
"""

from __future__ import annotations

import dataclasses
import string
import typing

from flytelite import PythonInstanceTask, map_task, workflow
from flytelite.configuration import SerializationSettings
from flytelite.core.interface import Interface


@dataclasses.dataclass(frozen=True)
class TemplateConfig:
    """The plugin's configuration: fixed when the task is created, shipped to the platform in `custom`."""

    template: str
    upper: bool = False


class TemplateTask(PythonInstanceTask[TemplateConfig]):
    """Format `template` with the task's inputs; the output `o0` is the text."""

    _TASK_TYPE = "template"

    def __init__(
        self, name: str, template: str, inputs: dict[str, type], upper: bool = False, **kwargs: typing.Any
    ) -> None:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        missing = fields - set(inputs)
        if missing:
            raise ValueError(f"template of task {name!r} uses {sorted(missing)}, which are not inputs")
        super().__init__(
            name=name,
            task_config=TemplateConfig(template=template, upper=upper),
            task_type=self._TASK_TYPE,
            interface=Interface(inputs=inputs, outputs={"o0": str}),
            **kwargs,
        )

    def execute(self, **kwargs: typing.Any) -> str:
        text = self.task_config.template.format(**kwargs)
        return text.upper() if self.task_config.upper else text

    def get_custom(self, settings: SerializationSettings) -> dict[str, typing.Any]:
        return {"template": self.task_config.template, "upper": self.task_config.upper}


greet = TemplateTask(name="greet", template="Hello, {name}! ({times}x)", inputs={"name": str, "times": int})
shout = TemplateTask(name="shout", template="welcome, {name}", inputs={"name": str}, upper=True)


@workflow
def welcome(people: typing.List[str]) -> typing.List[str]:
    """Shout a welcome to everyone, one map item per person."""
    return map_task(shout)(name=people)
