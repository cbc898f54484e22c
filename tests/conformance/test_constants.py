"""The container contract's names and values at `core.constants` equal flytekit's."""

from __future__ import annotations

import pytest

kit_constants = pytest.importorskip("flytekit.core.constants")

import flytelite.core.constants as lite_constants  # noqa: E402


def test_every_constant_flytekit_defines_has_its_value() -> None:
    names = [n for n in dir(kit_constants) if n.isupper()]
    assert names
    assert {n: getattr(lite_constants, n, None) for n in names} == {n: getattr(kit_constants, n) for n in names}
