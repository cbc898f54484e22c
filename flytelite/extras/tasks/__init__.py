"""Built-in instance tasks: shell scripts (`flytelite.extras.tasks.shell`)."""

from flytelite.extras.tasks.shell import OutputLocation, RawShellTask, ShellTask, get_raw_shell_task

__all__ = ["OutputLocation", "RawShellTask", "ShellTask", "get_raw_shell_task"]
