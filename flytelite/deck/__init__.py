"""Decks: HTML pages about a task's run (flytekit's `flytekit.deck` path).

`Deck(name, html)` adds a tab; `DeckField` picks built-in tabs; the renderers turn values into HTML (kept
dependency-free: Markdown and source code are shown as escaped text). `render_deck_html(params)` returns the page
the entrypoint uploads as `deck.html`.
"""

from flytelite.deck.deck import DECK_FILE_NAME, Deck, DeckField, TimeLineDeck, output_deck, render_deck_html
from flytelite.deck.renderer import (
    ArrowRenderer,
    MarkdownRenderer,
    PythonDependencyRenderer,
    Renderable,
    SourceCodeRenderer,
    TopFrameRenderer,
)

__all__ = [
    "DECK_FILE_NAME",
    "ArrowRenderer",
    "Deck",
    "DeckField",
    "MarkdownRenderer",
    "PythonDependencyRenderer",
    "Renderable",
    "SourceCodeRenderer",
    "TimeLineDeck",
    "TopFrameRenderer",
    "output_deck",
    "render_deck_html",
]
