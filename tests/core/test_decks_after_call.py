"""After a local call, `current_context().decks` holds the decks that call made (flytekit's behaviour).

Plugins rely on it (flytekitplugins-pandera's suite reads its validation reports from there): each top-level call
starts from no decks, and the decks a task makes, even with decks off or in a workflow, are handed up to the caller.
"""

from __future__ import annotations

from flytelite import Deck, current_context, task, workflow


@task(enable_deck=True, deck_fields=[])
def shown(x: int) -> int:
    Deck(f"shown{x}", "<b>x</b>")
    return x


@task
def hidden(x: int) -> int:
    Deck(f"hidden{x}", "<b>x</b>")
    return x


@workflow
def wf() -> int:
    return shown(x=hidden(x=shown(x=1)))


def _names() -> list[str]:
    return [deck.name for deck in current_context().decks]


def test_each_top_level_call_starts_from_no_decks() -> None:
    shown(x=1)
    assert _names() == ["shown1"]
    shown(x=2)
    assert _names() == ["shown2"]
    hidden(x=3)
    assert _names() == ["hidden3"]


def test_a_workflow_call_collects_the_decks_of_its_tasks_in_order() -> None:
    wf()
    assert _names() == ["shown1", "hidden1", "shown1"]
