"""A deck-enabled task the entrypoint test runs in a subprocess (importable as `tests.core.deck_tasks`)."""

from __future__ import annotations

from flytelite.core.context_manager import current_context
from flytelite.core.task import task
from flytelite.deck import Deck


@task(enable_deck=True, deck_fields=("Input", "Output"))
def with_deck(a: int) -> int:
    Deck("report", f"<b>a is {a}</b>")
    current_context().default_deck.append("<i>done</i>")
    return a * 2


@task
def without_deck(a: int) -> int:
    Deck("ignored", "<b>not rendered</b>")
    return a
