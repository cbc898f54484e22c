"""`flytelite run`: every kind of input given on the command line, and every way a value can be wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import Result

from tests.cli.conftest import ENTITIES

Invoke = Callable[..., Result]


def _out(invoke: Invoke, entity: str, *args: str) -> object:
    result = invoke("run", "--json", ENTITIES, entity, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["o0"]


@pytest.mark.parametrize(
    ("entity", "args", "expected"),
    [
        ("echo_int", ["--a", "-5"], -5),
        ("echo_float", ["--a", "2.5"], 2.5),
        ("echo_str", ["--a", '[not json] "quoted"'], '[not json] "quoted"'),
        ("echo_bool", ["--flag"], True),
        ("echo_bool", ["--no-flag"], False),
        ("echo_bool", [], False),
        ("echo_datetime", ["--when", "2024-05-01T10:30:00"], "2024-05-01T10:30:00+00:00"),
        ("echo_date", ["--day", "2024-02-29"], "2024-02-29"),
        ("echo_duration", ["--d", "90"], 90.0),
        ("echo_duration", ["--d", "1h30m"], 5400.0),
        ("echo_duration", ["--d", "01:00:05"], 3605.0),
        ("echo_enum", ["--c", "green"], "green"),
        ("sum_list", ["--xs", "[1, 2, 3]"], 6),
        ("dict_keys", ["--d", '{"b": 1, "a": 2}'], ["a", "b"]),
        ("point_sum", ["--p", '{"x": 3, "y": 4}'], 7),
        ("point_sum", ["--p", '{"x": 3}'], 3),
        ("points_total", ["--ps", '[{"x": 1}, {"x": 2, "y": 3}]'], 6),
        ("greet_person", ["--p", '{"name": "Ada", "age": 36}'], "Ada is 36"),
        ("maybe", [], "none"),
        ("maybe", ["--a", "4"], "got 4"),
        ("maybe", ["--a", "null"], "none"),
        ("int_or_str", ["--v", "12"], "int:12"),
        ("int_or_str", ["--v", "hello"], "str:hello"),
    ],
)
def test_values_become_python_values_of_the_declared_type(
    invoke: Invoke, entity: str, args: list[str], expected: object
) -> None:
    assert _out(invoke, entity, *args) == expected


def test_files_directories_and_dataframes_come_from_paths(invoke: Invoke, tmp_path: Path) -> None:
    f = tmp_path / "in.txt"
    f.write_text("file contents\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / name).write_text(name, encoding="utf-8")
    parquet = tmp_path / "frame.parquet"
    pd.DataFrame({"x": [1, 2, 3, 4]}).to_parquet(parquet)
    assert _out(invoke, "read_file", "--f", str(f)) == "file contents"
    assert _out(invoke, "count_files", "--d", str(folder)) == 3
    assert _out(invoke, "frame_rows", "--df", str(parquet)) == 4
    assert _out(invoke, "dataset_rows", "--sd", str(parquet)) == 4


def test_defaults_apply_and_are_shown_as_typed_in_help(invoke: Invoke) -> None:
    assert _out(invoke, "with_defaults") == "7 green 1,2 True"
    assert _out(invoke, "with_defaults", "--a", "1", "--c", "red", "--p", '{"x": 0}', "--no-flag") == "1 red 0,0 False"
    help_text = invoke("run", ENTITIES, "with_defaults", "--help").output
    assert "[default: 7]" in help_text
    assert "[default: green]" in help_text
    assert '[default: {"x": 1, "y": 2}]' in help_text
    assert "--flag / --no-flag" in help_text


def test_help_lists_inputs_with_types_descriptions_and_required_marks(invoke: Invoke) -> None:
    help_text = invoke("run", ENTITIES, "echo_int", "--help").output
    assert "Return the number given." in help_text
    assert "--a INT" in help_text and "the starting number (int)" in help_text and "[required]" in help_text
    assert "--inputs-file" in help_text
    assert "--ps JSON" in invoke("run", ENTITIES, "points_total", "--help").output
    assert "--c [red|green]" in invoke("run", ENTITIES, "echo_enum", "--help").output
    assert "--f PATH|URI" in invoke("run", ENTITIES, "read_file", "--help").output


@pytest.mark.parametrize(
    ("entity", "args", "message"),
    [
        ("echo_int", ["--a", "abc"], "Invalid value for '--a': 'abc' is not a valid integer."),
        ("echo_float", ["--a", "x1"], "Invalid value for '--a': 'x1' is not a valid float."),
        ("echo_datetime", ["--when", "yesterday"], "Invalid value for '--when': 'yesterday' is not a valid datetime"),
        ("echo_date", ["--day", "2024-13-01"], "Invalid value for '--day': '2024-13-01' is not a valid date"),
        ("echo_duration", ["--d", "soon"], "'soon' is not a valid timedelta: expected seconds, HH:MM:SS"),
        ("echo_enum", ["--c", "blue"], "'blue' is not a valid Color: expected one of 'red', 'green'"),
        ("sum_list", ["--xs", "[1, 2"], "Invalid value for '--xs': '[1, 2' is not a valid List[int]: expected JSON"),
        ("sum_list", ["--xs", '[1, "two"]'], "Invalid value for '--xs': '[1, \"two\"]' is not a valid List[int]"),
        ("sum_list", ["--xs", '{"a": 1}'], "is not a valid List[int]"),
        ("dict_keys", ["--d", '{"a": "x"}'], "is not a valid Dict[str, int]"),
        ("point_sum", ["--p", '{"y": 1}'], "is not a valid Point"),
        ("point_sum", ["--p", '{"x": "three"}'], "is not a valid Point"),
        ("greet_person", ["--p", '{"name": "Ada"}'], "is not a valid Person"),
        ("maybe", ["--a", "many"], "Invalid value for '--a': 'many' is not a valid integer."),
        ("read_file", ["--f", "/no/such/file.txt"], "no such file or directory: /no/such/file.txt"),
        ("count_files", ["--d", __file__], "expected a directory, got a file"),
        ("read_file", ["--f", str(Path(__file__).parent)], "expected a file, got a directory"),
        ("frame_rows", ["--df", "/no/such/frame.parquet"], "Invalid value for '--df'"),
        ("opaque_in", ["--o", "x"], "cannot be given on the command line"),
        ("echo_int", [], "Missing option '--a'"),
        ("echo_int", ["--a", "1", "--b", "2"], "No such option"),
    ],
)
def test_bad_values_are_reported_like_click_does(invoke: Invoke, entity: str, args: list[str], message: str) -> None:
    result = invoke("run", ENTITIES, entity, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_inputs_file_json_supplies_inputs_and_options_override_it(invoke: Invoke, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps({"a": 2, "c": "red", "p": {"x": 5, "y": 5}, "flag": False}), encoding="utf-8")
    assert _out(invoke, "with_defaults", "--inputs-file", str(inputs)) == "2 red 5,5 False"
    assert _out(invoke, "with_defaults", "--inputs-file", str(inputs), "--a", "9") == "9 red 5,5 False"


def test_inputs_file_yaml(invoke: Invoke, tmp_path: Path) -> None:
    pytest.importorskip("yaml")
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text("ps:\n  - x: 1\n    y: 1\n  - x: 2\n", encoding="utf-8")
    assert _out(invoke, "points_total", "--inputs-file", str(inputs)) == 4


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", "{not json", "is not valid JSON"),
        ("list.json", "[1, 2]", "must hold a mapping of input names to values"),
        ("unknown.json", '{"zzz": 1}', "names unknown input 'zzz'"),
        ("typed.json", '{"xs": ["a"]}', "is not a valid List[int]"),
    ],
)
def test_bad_inputs_files_are_reported(invoke: Invoke, tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = invoke("run", ENTITIES, "sum_list", "--inputs-file", str(path))
    assert result.exit_code == 2
    assert message in result.output


def test_missing_inputs_file_is_reported(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("run", ENTITIES, "sum_list", "--inputs-file", str(tmp_path / "absent.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_yaml_without_pyyaml_says_what_to_install(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "yaml", None)  # makes `import yaml` raise ImportError
    path = tmp_path / "inputs.yaml"
    path.write_text("xs: [1]\n", encoding="utf-8")
    result = invoke("run", ENTITIES, "sum_list", "--inputs-file", str(path))
    assert result.exit_code == 2
    assert "reading YAML needs PyYAML" in result.output
