"""One input converter: every way of calling an entity names the entity, the input, the expected and the actual type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from flytelite.errors import TypeTransformerFailedError
from tests.cli import cli_entities as m
from tests.cli.conftest import ENTITIES

Invoke = Callable[..., Result]


@pytest.mark.parametrize(
    ("call", "label"),
    [
        (lambda: m.chain(a="x"), "workflow 'tests.cli.cli_entities.chain'"),
        (lambda: m.inc(a="x"), "task 'tests.cli.cli_entities.inc'"),
        (lambda: m.chain_lp(a="x"), "launch plan 'chain_from_ten'"),
    ],
    ids=["workflow", "task", "launch plan"],
)
def test_a_call_with_a_wrong_type_names_entity_input_and_types(call: Callable[[], Any], label: str) -> None:
    with pytest.raises(TypeTransformerFailedError) as info:
        call()
    assert str(info.value) == f"{label}, input 'a': expected int, got str ('x')"
    assert info.value.path == "a"


def test_flytelite_run_with_a_wrong_type_names_entity_input_and_types(invoke: Invoke) -> None:
    result = invoke("run", ENTITIES, "chain", "--a", "x")
    assert result.exit_code == 2, result.output
    assert "workflow 'tests.cli.cli_entities.chain', input 'a': expected int, got str" in result.output


def test_flytelite_run_with_a_value_the_type_cannot_carry_names_the_entity(invoke: Invoke) -> None:
    result = invoke("run", ENTITIES, "inc", "--a", "99999999999999999999999")
    assert result.exit_code == 2, result.output
    assert "cli_entities.inc', input 'a'" in result.output
    assert "expected int, got int" in result.output
