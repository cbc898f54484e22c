"""`flytelite graph`: the compiled graph as dot and mermaid, and svg/png through Graphviz when it is installed."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.conftest import ENTITIES, EXAMPLES

Invoke = Callable[..., Result]


def _dot_parts(text: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """Return `{node id: label}` and `{(source, target, label)}` of a dot text."""
    nodes = dict(re.findall(r'^\s*"([^"]+)" \[label="([^"]*)"', text, re.M))
    edges = {
        (s, t, label or "")
        for s, t, label in re.findall(r'^\s*"([^"]+)" -> "([^"]+)"(?: \[label="([^"]*)")?', text, re.M)
    }
    return nodes, edges


def test_dot_has_every_node_and_labelled_data_edges(invoke: Invoke) -> None:
    result = invoke("graph", ENTITIES, "chain", "--format", "dot")
    assert result.exit_code == 0, result.output
    nodes, edges = _dot_parts(result.output)
    assert nodes == {"start-node": "inputs: a", "n0": "inc", "n1": "inc", "end-node": "outputs: o0"}
    assert edges == {("start-node", "n0", "a"), ("n0", "n1", "o0 → a"), ("n1", "end-node", "o0")}
    assert result.output.startswith('digraph "tests.cli.cli_entities.chain" {')


def test_dot_draws_subworkflows_branches_order_edges_and_failure_cases(invoke: Invoke) -> None:
    text = invoke("graph", str(EXAMPLES / "branching.py"), "decide", "-f", "dot").output
    nodes, edges = _dot_parts(text)
    assert nodes["n0"] == "announce" and nodes["n1"] == "double" and nodes["n2"] == "sign"
    assert nodes["n2-0-n0"] == "square_sub"  # the sub-workflow taken when positive ...
    assert nodes["n2-0-n0-n0"] == "double" and nodes["n2-0-n0-n1"] == "double"  # ... and its own nodes
    assert nodes["n2-1-n1"] == "negate" and nodes["n2-2-fail"] == "fail: x is 0"
    assert ("n1", "n2", "o0 → n1.o0") in edges  # the condition reads n1's output
    assert ("n2", "n2-0-n0", "n1.o0 > 0") in edges and ("n2", "n2-2-fail", "else") in edges
    assert ("n1", "n2-1-n1", "o0 → x") in edges and ("n2", "end-node", "o0") in edges
    assert '"n0" -> "n1" [style=dashed];' in text  # announce() >> double(): order only, no data
    assert 'subgraph "cluster_n2" {' in text and 'label="branch sign"' in text
    assert 'label="branching.square_sub"' in text
    assert '"n2" [label="sign", shape=diamond]' in text


def test_map_tasks_launch_plans_and_single_tasks(invoke: Invoke) -> None:
    nodes, edges = _dot_parts(invoke("graph", ENTITIES, "mapped", "-f", "dot").output)
    assert nodes["n0"] == "map inc" and ("start-node", "n0", "xs → a") in edges
    nodes, edges = _dot_parts(invoke("graph", ENTITIES, "chain_lp", "-f", "dot").output)
    assert nodes["n0"] == "inc" and ("n1", "end-node", "o0") in edges
    nodes, edges = _dot_parts(invoke("graph", ENTITIES, "multi", "-f", "dot").output)
    assert nodes["n0"] == "multi" and edges == {("start-node", "n0", "a"), ("n0", "end-node", "o0, o1")}


def test_mermaid_is_the_default(invoke: Invoke) -> None:
    text = invoke("graph", ENTITIES, "chain").output
    assert text.splitlines() == [
        "flowchart TD",
        '    start_node(["inputs: a"])',
        '    n0["inc"]',
        '    n1["inc"]',
        '    end_node(["outputs: o0"])',
        '    start_node -->|"a"| n0',
        '    n0 -->|"o0 → a"| n1',
        '    n1 -->|"o0"| end_node',
    ]


def test_output_file(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "g.mmd"
    result = invoke("graph", ENTITIES, "chain", "-o", str(out))
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("flowchart TD")


def test_svg_and_png_through_graphviz(invoke: Invoke, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    svg = tmp_path / "g.svg"
    assert invoke("graph", ENTITIES, "chain", "-f", "svg", "-o", str(svg)).exit_code == 0
    assert "<svg" in svg.read_text(encoding="utf-8") and ">inc<" in svg.read_text(encoding="utf-8")
    png = tmp_path / "g.png"
    assert invoke("graph", ENTITIES, "chain", "-f", "png", "-o", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_graphviz_a_clear_message_and_the_dot_text(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    result = invoke("graph", ENTITIES, "chain", "-f", "svg")
    assert result.exit_code == 0
    assert "Graphviz's `dot` program is not installed, so no svg can be drawn" in result.stderr
    assert result.stdout.startswith('digraph "tests.cli.cli_entities.chain"')
    out = tmp_path / "g.png"
    result = invoke("graph", ENTITIES, "chain", "-f", "png", "-o", str(out))
    assert not out.exists() and (tmp_path / "g.dot").read_text(encoding="utf-8").startswith("digraph")


def test_graph_of_an_unknown_entity_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("graph", ENTITIES, "nope")
    assert result.exit_code == 2 and "has no entity 'nope'" in result.output
