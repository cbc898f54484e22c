"""Flyte's examples (flytesnacks) behave the same under flytelite as under flytekit 1.16.

Runs when `FLYTESNACKS_DIR` names a checkout of flyteorg/flytesnacks at `harness.PINNED_COMMIT` (see
tests/realworld/README.md); skipped otherwise (CI has no network and never carries a copy of flytesnacks).
One test per example module: both SDKs run it in their own interpreter, and the outcomes must match. The examples
that use a ported `flytekitplugins-*` package run when `make plugins` has prepared them (part of `make test`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import PINNED_COMMIT, Corpus, Example, PluginPaths, checkout_commit, discover, run_example

_DIR = os.environ.get("FLYTESNACKS_DIR", "")
_ROOT = Path(_DIR) if _DIR else None
_NO_CORPUS = "set FLYTESNACKS_DIR to a flytesnacks checkout to run the corpus (tests/realworld/README.md)"

if _ROOT is not None and (_ROOT / "examples").is_dir():
    _PARAMS = [pytest.param(e, id=e.id) for e in discover(_ROOT)]
else:
    _PARAMS = [pytest.param(None, id="flytesnacks", marks=pytest.mark.skip(reason=_NO_CORPUS))]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    assert _ROOT is not None
    # the plugins `make plugins` prepared (none: their examples are skipped, saying so)
    yield Corpus(_ROOT, tmp_path_factory.mktemp("flytesnacks"), plugins=PluginPaths.load())


@pytest.mark.skipif(_ROOT is None, reason=_NO_CORPUS)
def test_checkout_is_at_the_pinned_commit() -> None:
    assert _ROOT is not None and (_ROOT / "examples").is_dir(), f"FLYTESNACKS_DIR={_DIR} has no examples/ folder"
    commit = checkout_commit(_ROOT)
    if commit is None:
        pytest.skip("not a git checkout: cannot tell its commit")
    assert commit == PINNED_COMMIT, f"check out {PINNED_COMMIT} (found {commit})"


@pytest.mark.parametrize("example", _PARAMS)
def test_example_behaves_as_with_flytekit(corpus: Corpus, example: Example) -> None:
    outcome = run_example(corpus, example)
    if outcome.status == "skip":
        pytest.skip("; ".join(outcome.reasons))
    assert outcome.status == "pass", "\n".join(outcome.reasons)
