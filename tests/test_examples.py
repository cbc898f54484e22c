"""The runnable examples in `examples/` must work as shipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_hello_round_trip_demo_succeeds() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "hello.py")], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, f"examples/hello.py failed:\n{proc.stdout}\n{proc.stderr}"
    assert "round trip ok" in proc.stdout
    assert "== LiteralType" in proc.stdout and "== Literal" in proc.stdout


def test_type_engine_doc_code_blocks_run() -> None:
    # docs/type-engine.md must stay true: its Python blocks (including the custom transformer) run as written.
    doc = (EXAMPLES.parent / "docs" / "type-engine.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert len(blocks) >= 2
    code = "\n\n".join(blocks)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, f"a code block in docs/type-engine.md failed:\n{proc.stderr}"
