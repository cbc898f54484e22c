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

import typing
from collections.abc import Mapping
from typing import Any

from flytelite.core._decks import (
    DECK_FILE_NAME,
    Deck,
    DeckField,
    TimeLineDeck,
    generate_time_table,
    html_escape,
    output_deck,
    render_deck_html,
)
from flytelite.core.context_manager import FlyteContext
from flytelite.deck.renderer import Renderable
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
