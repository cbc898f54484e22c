"""Decks: HTML pages a task renders about its run (flytekit's `flytekit.deck.deck`).

A `Deck` is a named piece of HTML. Creating one adds it to the running task's `current_context().decks`; when the
task has `enable_deck=True`, flytelite renders every deck of the run into one `deck.html` (tabs, one per deck name):
locally into a fresh folder whose path is logged, in a pod into the task's output prefix (`flytelite-execute`
calls `render_deck_html`).

```python
@task(enable_deck=True)
def report(n: int) -> int:
    Deck("summary", f"<b>{n}</b> rows")
    current_context().default_deck.append("<p>done</p>")
    return n
```

Besides user decks, `deck_fields` selects built-in decks: inputs, outputs, the task's source code, the installed
Python distributions and a timeline of the task's phases (`DeckField`).
"""

from __future__ import annotations

import enum
import logging
import os
import typing
from collections.abc import Mapping
from string import Template
from typing import Any

from flytelite.core.context_manager import ExecutionParameters, ExecutionState, FlyteContext, FlyteContextManager
from flytelite.deck.renderer import Renderable, html_escape
from flytelite.types import TypeEngine

__all__ = [
    "DECK_FILE_NAME",
    "Deck",
    "DeckField",
    "TimeLineDeck",
    "generate_time_table",
    "output_deck",
    "render_deck_html",
    "to_html",
    "write_io_decks",
]

logger = logging.getLogger("flytelite")

DECK_FILE_NAME = "deck.html"


class DeckField(str, enum.Enum):
    """The built-in decks a task can render (`deck_fields=`)."""

    INPUT = "Input"
    OUTPUT = "Output"
    SOURCE_CODE = "Source Code"
    TIMELINE = "Timeline"
    DEPENDENCIES = "Dependencies"


class Deck:
    """A named piece of HTML shown as one tab of the task's deck page.

    Args:
        name: the tab name (decks with the same name: the last one is shown, as in flytekit).
        html: the initial HTML (trusted: renderers must escape what they embed).
        auto_add_to_deck: add the deck to the running task's decks.
    """

    def __init__(self, name: str, html: str | None = "", auto_add_to_deck: bool = True) -> None:
        self._name = name
        self._html = html or ""
        if auto_add_to_deck:
            params = FlyteContextManager.current_context().user_space_params
            if params is not None:
                params.decks.append(self)

    def append(self, html: str) -> Deck:
        """Add HTML on a new line and return the deck.

        Raises:
            TypeError: `html` is not a string.
        """
        if not isinstance(html, str):
            raise TypeError(f"Deck.append takes an HTML string, got {type(html).__name__}")
        self._html = f"{self._html}\n{html}"
        return self

    @property
    def name(self) -> str:
        """Return the tab name."""
        return self._name

    @property
    def html(self) -> str:
        """Return the HTML."""
        return self._html

    @staticmethod
    def publish() -> str | None:
        """Render the running task's decks now (locally: write `deck.html` and return its path).

        When the task does not have decks enabled, a warning is logged and nothing is written.
        """
        params = FlyteContextManager.current_context().user_space_params
        if params is None:
            return None
        task_name = params.task_id.name if params.task_id is not None else "task"
        if not params.enable_deck:
            logger.warning(
                "Attempted to call publish() in task '%s', but decks are not generated because enable_deck is False.",
                task_name,
            )
            return None
        return output_deck(task_name, params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r})"


class TimeLineDeck(Deck):
    """The deck of phase timings (`timeit`); its HTML is built when read, from every recorded phase."""

    def __init__(self, name: str, html: str | None = "", auto_add_to_deck: bool = True) -> None:
        super().__init__(name, html, auto_add_to_deck)
        self.time_info: list[dict[str, Any]] = []

    def append_time_info(self, info: dict[str, Any]) -> None:
        """Record one phase: `Name`, `WallTime` and `ProcessTime` (seconds), optionally `Start`/`Finish`.

        Raises:
            TypeError: `info` is not a dict.
        """
        if not isinstance(info, dict):
            raise TypeError(f"time info must be a dict, got {type(info).__name__}")
        self.time_info.append(info)

    @property
    def html(self) -> str:
        """Return a table of the recorded phases ("" when none)."""
        if not self.time_info:
            return ""
        return generate_time_table(self.time_info) + (
            "<p>Wall time is elapsed time; process time is the CPU time this process used in the phase.</p>"
        )


def generate_time_table(data: list[dict[str, Any]]) -> str:
    """Return an HTML table of phases (name, wall time, process time)."""
    rows = "".join(
        f"<tr><td>{html_escape(str(r['Name']))}</td><td>{r['WallTime']:.6f}</td><td>{r['ProcessTime']:.6f}</td></tr>"
        for r in data
    )
    return (
        '<table class="timeline"><thead><tr><th>Name</th><th>Wall Time(s)</th><th>Process Time(s)</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


_PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Flyte Deck</title>
<style>
body { margin: 0; font-family: system-ui, sans-serif; display: flex; }
nav { min-width: 12em; border-right: 1px solid #ddd; padding: 0.5em 0; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li { padding: 0.4em 1em; cursor: pointer; }
nav li.active { background: #eef; font-weight: bold; }
main { padding: 1em; flex: 1; overflow: auto; }
main > section { display: none; }
main > section.active { display: block; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
pre { background: #f7f7f7; padding: 0.5em; overflow: auto; }
</style>
</head>
<body>
<nav><ul>$NAV_HTML</ul></nav>
<main>$BODY_HTML</main>
<script>
function showDeck(i) {
  document.querySelectorAll("nav li").forEach((el, j) => el.classList.toggle("active", i === j));
  document.querySelectorAll("main > section").forEach((el, j) => el.classList.toggle("active", i === j));
}
document.querySelectorAll("nav li").forEach((el, i) => el.addEventListener("click", () => showDeck(i)));
if (document.querySelector("nav li")) { showDeck(0); }
</script>
</body>
</html>
"""
)


def render_deck_html(params: ExecutionParameters) -> str:
    """Return the deck page of an execution: one tab per deck name (a later deck replaces an earlier one)."""
    decks: dict[str, str] = {}
    for deck in params.decks:
        decks[deck.name] = deck.html
    nav = "".join(f"<li>{html_escape(name)}</li>" for name in decks)
    # Deck HTML is not escaped: it is HTML by contract, and the renderers escape what they embed.
    body = "".join(f"<section>{content}</section>" for content in decks.values())
    return _PAGE.substitute(NAV_HTML=nav, BODY_HTML=body)


def output_deck(task_name: str, params: ExecutionParameters, ctx: FlyteContext | None = None) -> str | None:
    """Write the deck page of `params` to `<random local dir>/deck.html`, log and return its path.

    In a pod (`TASK_EXECUTION`) the page is also copied to the execution's output prefix. A failure to write is
    logged, not raised (a deck never fails a task).
    """
    ctx = ctx or FlyteContextManager.current_context()
    try:
        local_path = os.path.join(ctx.file_access.get_random_local_directory(), DECK_FILE_NAME)
        with open(local_path, "w", encoding="utf-8") as f:
            f.write(render_deck_html(params))
        logger.info("%s task creates flyte deck html to file://%s", task_name, local_path)
        es = ctx.execution_state
        prefix = params.output_metadata_prefix
        if es is not None and es.mode == ExecutionState.Mode.TASK_EXECUTION and prefix:
            remote = f"{prefix.rstrip('/')}/{DECK_FILE_NAME}"
            ctx.file_access.put_data(local_path, remote, ContentType="text/html", content_type="text/html")
        return local_path
    except OSError as e:
        logger.error("Failed to write flyte deck html for %s: %s", task_name, e)
        return None


def to_html(ctx: FlyteContext, python_val: Any, expected_python_type: Any) -> str:
    """Return a value as deck HTML (flytekit's `TypeEngine.to_html`).

    A `Renderable` in `Annotated[T, renderer]` wins; then the type's transformer if it has `to_html(ctx, v, t)`
    (dataframes); otherwise the escaped `str()` of the value.
    """
    if typing.get_origin(expected_python_type) is typing.Annotated:
        base, *extras = typing.get_args(expected_python_type)
        for extra in extras:
            if isinstance(extra, Renderable):
                return str(extra.to_html(python_val))
        expected_python_type = base
    try:
        transformer = TypeEngine.get_transformer(expected_python_type)
    except (TypeError, ValueError):
        transformer = None
    render = getattr(transformer, "to_html", None)
    if render is not None:
        return str(render(ctx, python_val, expected_python_type))
    return html_escape(str(python_val))


def write_io_decks(
    ctx: FlyteContext,
    fields: typing.Collection[Any],
    inputs: Mapping[str, Any],
    input_types: Mapping[str, Any],
    outputs: Mapping[str, Any],
    output_types: Mapping[str, Any],
) -> None:
    """Add the `Input` and `Output` decks (when in `fields`) to the current task's decks."""
    if DeckField.INPUT in fields:
        deck = Deck(DeckField.INPUT.value)
        for k, v in inputs.items():
            deck.append(to_html(ctx, v, input_types[k]))
    if DeckField.OUTPUT in fields:
        deck = Deck(DeckField.OUTPUT.value)
        for k, v in outputs.items():
            deck.append(to_html(ctx, v, output_types[k]))


def _new_default_deck(name: str) -> Deck:
    return Deck(name)


def _new_timeline_deck(name: str) -> TimeLineDeck:
    return TimeLineDeck(name, auto_add_to_deck=False)


# ExecutionParameters (L1) cannot import this module; it builds `default_deck`/`timeline_deck` through these.
ExecutionParameters.deck_factories = {"default": _new_default_deck, "timeline": _new_timeline_deck}
