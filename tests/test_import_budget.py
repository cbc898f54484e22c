"""`import flytelite` must stay cheap: no optional or heavy dependency may be loaded by it.

The check runs in a fresh interpreter so nothing imported by pytest or other tests can hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Packages `import flytelite` must not load (a name also forbids its submodules).
FORBIDDEN = (
    "flytekit",
    "pandas",
    "pyarrow",
    "numpy",
    "fsspec",
    "click",
    "rich",
    "dask",
    "distributed",
    "cloudpickle",
    "pydantic",
    "mashumaro.jsonschema",
)

_PROBE = "import json, sys; import flytelite; print(json.dumps(sorted(sys.modules)))"


def _modules_loaded_by(statement: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", statement], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


def _forbidden_in(loaded: list[str]) -> list[str]:
    return sorted(m for m in loaded for f in FORBIDDEN if m == f or m.startswith(f + "."))


def test_import_flytelite_loads_no_heavy_dependency() -> None:
    loaded = _modules_loaded_by(_PROBE)
    assert "flytelite" in loaded
    leaked = _forbidden_in(loaded)
    assert not leaked, f"`import flytelite` loaded forbidden modules: {leaked}"


def test_probe_detects_a_forbidden_module() -> None:
    # Guard against a probe that can never fail: a statement that does load a forbidden module must be caught.
    loaded = _modules_loaded_by("import json, sys; import msgpack, click; print(json.dumps(sorted(sys.modules)))")
    assert "click" in _forbidden_in(loaded)
