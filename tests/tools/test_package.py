"""The translator, the archive writer and the `flytelite package` / `serialize` commands."""

from __future__ import annotations

import sys
import tarfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from flytelite.cli.main import main
from flytelite.configuration import ImageConfig, SerializationSettings
from flytelite.core.context_manager import FlyteEntities
from flytelite.tools.repo import entity_file_name, persist_registrable_entities
from flytelite.tools.translator import get_serializable

APP = """
from flytelite.core.base_task import kwtypes
from flytelite.core.interface import Interface
from flytelite.core.python_function_task import PythonInstanceTask
from flytelite.core.task import task
from flytelite.core.workflow import workflow


class Echo(PythonInstanceTask[None]):
    def __init__(self, name):
        super().__init__(name=name, task_config=None, interface=Interface(kwtypes(a=int), kwtypes(o0=int)))

    def execute(self, **kwargs):
        return kwargs["a"]


@task
def t(a: int) -> int:
    return a


@workflow
def wf(a: int) -> int:
    return t(a=t(a=a))
"""

UNBOUND = "\n\ndef _make():\n    return Echo(name='hidden.echo')\n\n\nMADE = [_make()]\n"


def _app(tmp_path: Path, name: str, extra: str = "") -> Path:
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "app.py").write_text(textwrap.dedent(APP) + extra)
    return tmp_path


@pytest.fixture(autouse=True)
def _forget_modules() -> Iterator[None]:
    before = set(sys.modules)
    entities = list(FlyteEntities.entities)
    FlyteEntities.entities.clear()  # `package` serializes every entity of the process: start from none
    yield
    FlyteEntities.entities[:] = entities
    for m in set(sys.modules) - before:
        if m.startswith(("pk_", "bad_", "noimg_")):
            del sys.modules[m]


def test_package_command_writes_ordered_archive(tmp_path: Path) -> None:
    root = _app(tmp_path, "pk_app")
    out = tmp_path / "out.tgz"
    result = CliRunner().invoke(
        main, ["--pkgs", "pk_app", "package", "--image", "cr.io/i:1", "-s", str(root), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert names == ["0_pk_app.app.t_1.pb", "1_pk_app.app.wf_2.pb", "2_pk_app.app.wf_3.pb"]
    again = CliRunner().invoke(main, ["--pkgs", "pk_app", "package", "--image", "cr.io/i:1", "-o", str(out)])
    assert again.exit_code != 0 and "already exists" in again.output


def test_unbound_instance_task_fails_with_its_name(tmp_path: Path) -> None:
    root = _app(tmp_path, "bad_app", UNBOUND)
    result = CliRunner().invoke(
        main, ["--pkgs", "bad_app", "package", "--image", "cr.io/i:1", "-s", str(root), "-o", str(tmp_path / "o.tgz")]
    )
    assert result.exit_code != 0
    assert "hidden.echo" in result.output and "module-level variable" in result.output


def test_missing_image_fails_with_the_fix(tmp_path: Path) -> None:
    root = _app(tmp_path, "noimg_app")
    result = CliRunner().invoke(
        main, ["--pkgs", "noimg_app", "package", "-s", str(root), "-o", str(tmp_path / "o.tgz")]
    )
    assert result.exit_code != 0
    assert "noimg_app.app.t" in result.output and "--image" in result.output


def test_no_packages_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["package", "--image", "cr.io/i:1"])
    assert result.exit_code == 2 and "--pkgs" in result.output


def test_file_name_width(tmp_path: Path) -> None:
    root = _app(tmp_path, "pk_width")
    sys.path.insert(0, str(root))
    try:
        import importlib

        mod = importlib.import_module("pk_width.app")
    finally:
        sys.path.remove(str(root))
    settings = SerializationSettings(image_config=ImageConfig.from_images("cr.io/i:1"))
    spec = get_serializable({}, settings, mod.t)
    assert entity_file_name(3, 2, spec) == "03_pk_width.app.t_1.pb"
    names = persist_registrable_entities([spec] * 11, str(tmp_path / "f"))
    assert names[0] == "00_pk_width.app.t_1.pb" and names[10] == "10_pk_width.app.t_1.pb"
    assert list(spec.template.container.args[-4:]) == ["task-module", "pk_width.app", "task-name", "t"]
    assert spec.template.container.image == "cr.io/i:1"


def test_image_option_validation() -> None:
    cfg = ImageConfig.validate_image(None, "image", ["cr.io/a:1", "gpu=cr.io/b:2"])
    assert cfg.default_image is not None and cfg.default_image.full == "cr.io/a:1"
    assert cfg.find_image("gpu") is not None
    with pytest.raises(ValueError, match="Only one default image"):
        ImageConfig.validate_image(None, "image", ["cr.io/a:1", "cr.io/b:2"])
