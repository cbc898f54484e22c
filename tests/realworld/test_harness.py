"""The flytesnacks harness itself, without the corpus: rewriting, judging, the list of known differences."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import re
from pathlib import Path
from typing import Any

from .harness import KNOWN_DIFFERENCES, Corpus, Example, compare, rewrite

DOCS = Path(__file__).resolve().parents[2] / "docs" / "differences.md"
EXAMPLE = Example("basics", "basics", "hello", Path("basics/basics/hello.py"))


def _step(name: str, ok: bool = True, **extra: Any) -> dict[str, Any]:
    return {"step": name, "ok": ok, "stdout": "", "network": [], **extra}


def _error(*builtins: str, missing: str | None = None) -> dict[str, Any]:
    return {"type": "x.E", "builtins": sorted(builtins), "message": "boom", "missing_module": missing}


def test_rewrite_replaces_the_whole_word_only() -> None:
    src = "import flytekit\nfrom flytekit.core import task\nimport flytekitplugins.duckdb\nflytekit_x = 1\n"
    assert rewrite(src) == (
        "import flytelite\nfrom flytelite.core import task\nimport flytekitplugins.duckdb\nflytekit_x = 1\n"
    )


def test_same_results_pass_and_different_results_fail() -> None:
    kit = {"steps": [_step("import"), _step("call:wf", value={"o0": {"literal": 1}})]}
    same = {"steps": [_step("import"), _step("call:wf", value={"o0": {"literal": 1}})]}
    other = {"steps": [_step("import"), _step("call:wf", value={"o0": {"literal": 2}})]}
    assert compare(EXAMPLE, kit, same).status == "pass"
    outcome = compare(EXAMPLE, kit, other)
    assert outcome.status == "fail" and "call:wf: results differ" in outcome.reasons[0]


def test_errors_must_keep_flytekits_builtin_bases() -> None:
    kit = {"steps": [_step("import"), _step("main", False, error=_error("Exception", "ValueError"))]}
    wider = {"steps": [_step("import"), _step("main", False, error=_error("Exception", "TypeError", "ValueError"))]}
    narrower = {"steps": [_step("import"), _step("main", False, error=_error("Exception", "TypeError"))]}
    assert compare(EXAMPLE, kit, wider).status == "pass"
    outcome = compare(EXAMPLE, kit, narrower)
    assert outcome.status == "fail" and "missing ['ValueError']" in outcome.reasons[0]


def test_what_flytekit_cannot_run_here_is_skipped() -> None:
    no_module = {"steps": [_step("import", False, error=_error("ImportError", missing="torch"))]}
    assert compare(EXAMPLE, no_module, {"steps": []}).reasons == ["needs torch (not installed)"]
    network = {"steps": [_step("import"), _step("main", False, error=_error("OSError"), network=["example.com"])]}
    outcome = compare(EXAMPLE, network, {"steps": [_step("import"), _step("main")]})
    assert outcome.status == "pass" and "needs network access (example.com)" in outcome.notes[0]


def test_flytelite_may_not_load_flytekit() -> None:
    kit = {"steps": [_step("import")]}
    outcome = compare(EXAMPLE, kit, {"steps": [_step("import")], "loaded_flytekit": True})
    assert outcome.status == "fail"


def test_every_known_difference_is_documented() -> None:
    text = re.sub(r"\s+", " ", DOCS.read_text(encoding="utf-8"))
    for key in KNOWN_DIFFERENCES:
        example = key.split("::")[0]
        assert example in text, f"docs/differences.md does not mention {example} ({key})"


def test_printed_output_is_normalised() -> None:
    import tempfile

    from ._runner import normalise_text

    tmp = tempfile.gettempdir()
    text = f"saved {tmp}/flyte-abc/raw/123/f.txt from /proj/x.py by <flytekit.X object at 0x7f00>"
    assert normalise_text(text, ["/proj"]) == "saved <tmp-path> from <root>/x.py by <flytelite.X object at 0x?>"


class _Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class _Point:
    x: int
    color: _Color
    when: datetime.datetime
    tags: list[str] = dataclasses.field(default_factory=list)


def test_sample_inputs_survive_the_trip_between_the_two_runs() -> None:
    import json
    import sys

    from ._runner import decode_sample, sample_value

    module = sys.modules[__name__]
    encoded = json.loads(json.dumps(sample_value(dict[str, list[_Point]], module)))
    point = decode_sample(encoded, module)["a"][0]
    assert point == _Point(x=3, color=_Color.RED, when=datetime.datetime(2024, 5, 6, 7, 8, 9))


def test_each_sdk_gets_its_own_copy_of_the_plugins(tmp_path: Path) -> None:
    from .harness import PluginPaths

    for folder in ("original", "src"):
        (tmp_path / folder / "flytekitplugins" / "duckdb").mkdir(parents=True)
    (tmp_path / "src" / "flytekitplugins" / "polars").mkdir()  # prepared for one side only: not offered
    manifest = {"src": str(tmp_path / "src"), "original": str(tmp_path / "original"), "plugins": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    plugins = PluginPaths.load(tmp_path)
    assert plugins is not None and plugins.packages == {"duckdb"}
    assert plugins.by_sdk == {"flytekit": tmp_path / "original", "flytelite": tmp_path / "src"}
    env = Corpus(tmp_path, tmp_path / "work", plugins=plugins)._env(tmp_path / "scratch", "flytekit")
    assert env["PYTHONPATH"] == str(tmp_path / "original")


def test_plugins_prepared_before_the_originals_were_laid_out_are_not_used(tmp_path: Path) -> None:
    from .harness import PluginPaths

    assert PluginPaths.load(tmp_path) is None
    (tmp_path / "manifest.json").write_text(json.dumps({"src": str(tmp_path / "src"), "plugins": {}}))
    assert PluginPaths.load(tmp_path) is None


def test_a_run_that_loads_the_other_sides_plugins_fails() -> None:
    kit = {"steps": [_step("import")], "foreign_plugins": []}
    lite = {"steps": [_step("import")], "foreign_plugins": ["/x/.plugins/original"]}
    outcome = compare(EXAMPLE, kit, lite)
    assert outcome.status == "fail"
    assert "flytelite run loaded flytekitplugins from /x/.plugins/original" in outcome.reasons[0]
    outcome = compare(EXAMPLE, {**kit, "foreign_plugins": ["/x/.plugins/src"]}, {**lite, "foreign_plugins": []})
    assert outcome.status == "fail" and "flytekit run loaded" in outcome.reasons[0]
