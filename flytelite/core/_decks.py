"""Decks as the execution context holds them: `Deck`, `TimeLineDeck` and the page they render into.

`ExecutionParameters` (this layer) creates an execution's `default_deck` and `timeline_deck` from these classes;
`flytelite.deck` (flytekit's path) re-exports them next to what needs the type engine (input and output decks).
`DeckField` lives here so that declaring a task (its `deck_fields` default) loads neither `flytelite.deck` nor its
renderers; the page is plain text joined around the tabs, so no `string.Template` is needed.
"""

from __future__ import annotations

import enum
import os
from typing import TYPE_CHECKING, Any

from flytelite.core._context_stack import current_flyte_context
from flytelite.loggers import get_logger

if TYPE_CHECKING:  # annotations only: the context classes sit above this module
    from flytelite.core.context_manager import FlyteContext
    from flytelite.core.execution_parameters import ExecutionParameters

__all__ = [
    "DECK_FILE_NAME",
    "Deck",
    "DeckField",
    "TimeLineDeck",
    "generate_time_table",
    "html_escape",
    "output_deck",
    "render_deck_html",
]

logger = get_logger("flytelite")

DECK_FILE_NAME = "deck.html"
_TASK_EXECUTION = 1  # `ExecutionState.Mode.TASK_EXECUTION` (an IntEnum defined above this module)

# `html.escape`'s replacements, without importing `html` (its entity table costs ~2 ms at start-up)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


class DeckField(str, enum.Enum):
    """The built-in decks a task can render (`deck_fields=`)."""

    INPUT = "Input"
    OUTPUT = "Output"
    SOURCE_CODE = "Source Code"
    TIMELINE = "Timeline"
    DEPENDENCIES = "Dependencies"


DeckField.__module__ = "flytelite.deck.deck"  # its public home (reprs, pickles)


def html_escape(text: str) -> str:
    """Return `text` with `& < > " '` escaped, exactly as `html.escape(text)` does."""
    return text.translate(_ESCAPES)


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
            params = current_flyte_context().user_space_params
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
        params = current_flyte_context().user_space_params
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


# The deck page, split where the tab names and the tab contents go.
_PAGE_HEAD = """<!doctype html>
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
<nav><ul>"""
_PAGE_MIDDLE = """</ul></nav>
<main>"""
_PAGE_TAIL = """</main>
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


def render_deck_html(params: ExecutionParameters) -> str:
    """Return the deck page of an execution: one tab per deck name (a later deck replaces an earlier one)."""
    decks: dict[str, str] = {}
    for deck in params.decks:
        decks[deck.name] = deck.html
    nav = "".join(f"<li>{html_escape(name)}</li>" for name in decks)
    # Deck HTML is not escaped: it is HTML by contract, and the renderers escape what they embed.
    body = "".join(f"<section>{content}</section>" for content in decks.values())
    return f"{_PAGE_HEAD}{nav}{_PAGE_MIDDLE}{body}{_PAGE_TAIL}"


def output_deck(task_name: str, params: ExecutionParameters, ctx: FlyteContext | None = None) -> str | None:
    """Write the deck page of `params` to `<random local dir>/deck.html`, log and return its path.

    In a pod (`TASK_EXECUTION`) the page is also copied to the execution's output prefix. A failure to write is
    logged, not raised (a deck never fails a task).
    """
    ctx = ctx or current_flyte_context()
    try:
        local_path = os.path.join(ctx.file_access.get_random_local_directory(), DECK_FILE_NAME)
        with open(local_path, "w", encoding="utf-8") as f:
            f.write(render_deck_html(params))
        logger.info("%s task creates flyte deck html to file://%s", task_name, local_path)
        es = ctx.execution_state
        prefix = params.output_metadata_prefix
        if es is not None and es.mode == _TASK_EXECUTION and prefix:
            remote = f"{prefix.rstrip('/')}/{DECK_FILE_NAME}"
            ctx.file_access.put_data(local_path, remote, ContentType="text/html", content_type="text/html")
        return local_path
    except OSError as e:
        logger.error("Failed to write flyte deck html for %s: %s", task_name, e)
        return None
