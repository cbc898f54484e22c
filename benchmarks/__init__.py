"""Side-by-side performance scenarios: flytelite vs flytekit, run as `python -m benchmarks [scenario|family ...]`.

Each scenario family is one small module in `benchmarks/scenarios/` exposing `SCENARIOS`; `benchmarks._runner`
times every scenario with both implementations in the same invocation and prints one aligned table.
"""

__all__: list[str] = []
