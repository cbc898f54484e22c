"""The runnable examples in `examples/` must work as shipped."""

from __future__ import annotations

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
