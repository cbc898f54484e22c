"""flytekit's module paths that plugins and user code import: lazy modules, configuration plugins and default images,
constants, reference launch plans, testing helpers, dataset formats, storage and proto helpers."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from flyteidl.core.literals_pb2 import LiteralMap, Primitive

import flytelite
import flytelite.exec  # registers the graph runner


# --- lazy_module ---------------------------------------------------------------------------------------------------
def test_lazy_module_imports_on_first_attribute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flytelite import lazy_module
    from flytelite.lazy_import.lazy_module import is_imported
    from flytelite.lazy_import.lazy_module import lazy_module as home

    assert lazy_module is home
    (tmp_path / "lazy_probe_mod.py").write_text("LOADED = []\nLOADED.append(1)\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazy_probe_mod", raising=False)
    mod = lazy_module("lazy_probe_mod")
    assert "lazy_probe_mod" in sys.modules and not is_imported("lazy_probe_mod")
    assert mod.VALUE == 42 and mod.LOADED == [1]
    assert is_imported("lazy_probe_mod")
    assert lazy_module("lazy_probe_mod") is mod
    monkeypatch.delitem(sys.modules, "lazy_probe_mod")


def test_lazy_module_of_a_missing_package_fails_on_use() -> None:
    from flytelite import lazy_module

    missing = lazy_module("flytelite_no_such_package")
    with pytest.raises(ImportError, match="flytelite_no_such_package is not yet installed"):
        _ = missing.anything
    assert not __import__("flytelite.lazy_import", fromlist=["is_imported"]).is_imported("flytelite_no_such_package")


# --- configuration package -----------------------------------------------------------------------------------------
def test_configuration_is_a_package_keeping_its_names() -> None:
    import flytelite.configuration as cfg

    assert hasattr(cfg, "__path__")
    for name in ("SerializationSettings", "ImageConfig", "Image", "Config", "DataConfig", "DefaultImages"):
        assert getattr(cfg, name) is not None
    assert cfg.PROJECT_PLACEHOLDER == "{{ registration.project }}"
    assert cfg.set_if_exists({}, "k", 3) == {"k": 3} and cfg.set_if_exists({}, "k", None) == {}


def test_default_images(monkeypatch: pytest.MonkeyPatch) -> None:
    from flytelite.configuration import DefaultImages
    from flytelite.configuration.default_images import PythonVersion

    monkeypatch.delenv("FLYTE_INTERNAL_IMAGE", raising=False)
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert DefaultImages.default_image() == f"python:{here}-slim-bookworm"
    assert DefaultImages.find_image_for(PythonVersion.PYTHON_3_10) == "python:3.10-slim-bookworm"
    assert (
        DefaultImages.find_image_for(PythonVersion.PYTHON_3_12, flytekit_version="v1.16.0")
        == "cr.flyte.org/flyteorg/flytekit:py3.12-1.16.0"
    )
    monkeypatch.setenv("FLYTE_INTERNAL_IMAGE", "ghcr.io/me/app:1")
    assert DefaultImages.default_image() == "ghcr.io/me/app:1"


def test_configuration_plugin_defaults_and_override(monkeypatch: pytest.MonkeyPatch) -> None:
    from flytelite.configuration import DefaultImages, plugin

    monkeypatch.delenv("FLYTE_INTERNAL_IMAGE", raising=False)
    assert plugin.get_plugin() is plugin.FlytekitPlugin
    assert isinstance(plugin.FlytekitPlugin(), plugin.FlytekitPluginProtocol)
    assert plugin.FlytekitPlugin.secret_requires_group() is True
    assert plugin.FlytekitPlugin.configure_pyflyte_cli("group") == "group"
    with pytest.raises(NotImplementedError):
        plugin.FlytekitPlugin.get_remote(None, "p", "d")

    class Relaxed(plugin.FlytekitPlugin):
        @staticmethod
        def secret_requires_group() -> bool:
            return False

        @staticmethod
        def get_default_image() -> str | None:
            return "ghcr.io/org/base:2"

    with mock.patch.dict(plugin._GLOBAL_CONFIG, {"plugin": Relaxed}):
        assert DefaultImages.default_image() == "ghcr.io/org/base:2"
        assert flytelite.Secret(key="token").key == "token"
    with pytest.raises(ValueError, match="Group is a required parameter"):
        flytelite.Secret(key="token")


def test_configuration_file_path(tmp_path: Path) -> None:
    from flytelite.configuration.file import ConfigEntry, ConfigFile, LegacyConfigEntry, get_config_file

    entry = ConfigEntry(LegacyConfigEntry("sdk", "workflow_packages"))
    assert entry.legacy.section == "sdk"
    cfg = tmp_path / "config.yaml"
    cfg.write_text("admin:\n  endpoint: dns:///localhost:30080\n")
    assert isinstance(get_config_file(str(cfg)), ConfigFile)


def test_constants() -> None:
    from flytelite.constants import CopyFileDetection

    assert [m.name for m in CopyFileDetection] == ["LOADED_MODULES", "ALL", "NO_COPY"]


# --- launch plans, testing -----------------------------------------------------------------------------------------
def test_reference_launch_plan_at_flytekits_path() -> None:
    from flytelite.core import reference_entity
    from flytelite.core.launch_plan import ReferenceLaunchPlan, reference_launch_plan

    assert reference_launch_plan is reference_entity.reference_launch_plan
    assert ReferenceLaunchPlan is reference_entity.ReferenceLaunchPlan

    @reference_launch_plan(project="p", domain="d", name="app.lp", version="v1")
    def lp(a: int) -> int:
        return a

    assert isinstance(lp, ReferenceLaunchPlan)
    with pytest.raises(NotImplementedError, match="You must mock this out"):
        lp(a=1)


def test_core_testing_path_mocks_a_reference_task() -> None:
    import flytelite.testing
    from flytelite.core.testing import patch, task_mock

    assert task_mock is flytelite.testing.task_mock and patch is flytelite.testing.patch

    @flytelite.reference_task(project="p", domain="d", name="app.double", version="v1")
    def double(a: int) -> int:
        return a

    @flytelite.workflow
    def wf(a: int) -> int:
        return double(a=a)

    with task_mock(double) as m:
        m.return_value = 10
        assert wf(a=3) == 10


# --- datasets, storage, proto helpers ------------------------------------------------------------------------------
def test_structured_dataset_format_names_and_supported_types() -> None:
    import datetime

    from flytelite.types.structured.structured_dataset import (
        CSV,
        GENERIC_FORMAT,
        GENERIC_PROTOCOL,
        PARQUET,
        DuplicateHandlerError,
        get_supported_types,
    )

    assert (CSV, PARQUET, GENERIC_FORMAT, GENERIC_PROTOCOL) == ("csv", "parquet", "", "generic protocol")
    assert issubclass(DuplicateHandlerError, ValueError)
    types = get_supported_types()
    assert {int, float, bool, str, datetime.datetime, datetime.timedelta} <= set(types)
    assert types[int].simple == 1  # INTEGER
    np = pytest.importorskip("numpy")
    assert types[np.int64].simple == 1 and types[np.float32].simple == 2


def test_flyte_tmp_dir_is_made_once() -> None:
    import flytelite.core.data_persistence as dp
    from flytelite.core.data_persistence import default_local_file_access_provider, flyte_tmp_dir

    assert os.path.isdir(flyte_tmp_dir) and os.path.basename(flyte_tmp_dir).startswith("flyte-")
    assert dp.flyte_tmp_dir == flyte_tmp_dir
    assert default_local_file_access_provider.raw_output_prefix.startswith(flyte_tmp_dir)


def test_proto_files_and_temp_dirs(tmp_path: Path) -> None:
    from flytelite.core.utils import AutoDeletingTempDir, load_proto_from_file, str2bool, write_proto_to_file

    path = str(tmp_path / "deep" / "er" / "p.pb")
    write_proto_to_file(Primitive(integer=7), path)
    assert load_proto_from_file(Primitive, path).integer == 7
    with AutoDeletingTempDir("work") as d:
        folder = d.name
        assert folder is not None and os.path.basename(folder).startswith("work_")
        Path(d.get_named_tempfile("x.txt")).write_text("x")
        assert d.list_dir() == [os.path.join(folder, "x.txt")]
    assert not os.path.exists(folder)
    assert [str2bool(v) for v in ("True", "t", "1", "no", None)] == [True, True, True, False, False]


def test_class_decorator_keeps_its_config() -> None:
    from flytelite.core.utils import ClassDecorator

    class Port(ClassDecorator):
        def execute(self, *args: object, **kwargs: object) -> object:
            assert self.task_function is not None
            return self.task_function(*args, **kwargs)

        def get_extra_config(self) -> dict[str, str]:
            return {self.PORT_KEY: str(self.decorator_kwargs.get("port", 0))}

    @Port(port=8080)
    def add(a: int, b: int) -> int:
        return a + b

    assert add(1, 2) == 3 and add.get_extra_config() == {"port": "8080"}  # type: ignore[attr-defined]
    assert add.__name__ == "add"


def test_new_modules_stay_out_of_import_flytelite() -> None:
    import subprocess

    code = textwrap.dedent(
        """
        import sys, flytelite
        new = ["flytelite.lazy_import", "flytelite.constants", "flytelite.configuration.plugin",
               "flytelite.configuration.default_images", "flytelite.extend.backend", "flytelite.core.testing"]
        print([m for m in new if m in sys.modules])
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_literal_map_helper_roundtrip(tmp_path: Path) -> None:
    from flytelite.core.utils import load_proto_from_file, write_proto_to_file

    lm = LiteralMap()
    lm.literals["a"].scalar.primitive.integer = 1
    write_proto_to_file(lm, tmp_path / "m.pb")
    assert load_proto_from_file(LiteralMap, tmp_path / "m.pb") == lm
