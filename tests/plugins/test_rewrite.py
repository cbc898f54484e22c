"""The import-word rewrite that ports a plugin, and the catalog's own consistency (no prepared folder needed)."""

from __future__ import annotations

import tarfile
from pathlib import Path

from .suites import FIXTURES, ORIGINAL, PLUGINS, Plugin, prepare_one, rewrite


def test_rewrite_replaces_the_import_word_only() -> None:
    source = (
        "import flytekit\n"
        "from flytekit.core.base_task import PythonTask\n"
        "from flytekitplugins.duckdb import DuckDBQuery\n"
        "flytekit_version = 1\n"
        '@mock.patch("flytekit.configuration.plugin.FlyteRemote")\n'
    )
    assert rewrite(source) == (
        "import flytelite\n"
        "from flytelite.core.base_task import PythonTask\n"
        "from flytekitplugins.duckdb import DuckDBQuery\n"
        "flytekit_version = 1\n"
        '@mock.patch("flytelite.configuration.plugin.FlyteRemote")\n'
    )


def test_rewrite_keeps_container_image_names() -> None:
    image = '"cr.flyte.org/flyteorg/flytekit:py3.11-sqlalchemy-"'
    assert rewrite(image) == image


def test_rewrite_applies_the_extra_substitutions_after_the_import_word() -> None:
    extra = ((r'"pyflyte-execute"', '"flytelite-execute"', "entrypoint name"),)
    assert rewrite('["pyflyte-execute", "flytekit.x"]', extra) == '["flytelite-execute", "flytelite.x"]'


def test_catalog_is_consistent() -> None:
    names = [plugin.name for plugin in PLUGINS]
    assert len(names) == len(set(names)) >= 5
    for plugin in PLUGINS:
        assert plugin.dist.startswith("flytekitplugins-")
        assert not set(plugin.deselect) & set(plugin.waiting), plugin.name
        assert all(reason for reason in [*plugin.deselect.values(), *plugin.waiting.values()]), plugin.name
        for fixture in plugin.extra_files.values():
            assert (FIXTURES / fixture).is_file(), fixture


def test_prepare_lays_out_the_packages_rewritten_and_as_released(tmp_path: Path) -> None:
    """The flytesnacks corpus (tests/realworld) imports `original/` under flytekit and `src/` under flytelite."""
    plugin = Plugin(name="demo", dist="flytekitplugins-demo")
    stem = tmp_path / "build" / plugin.sdist_stem
    (stem / "flytekitplugins" / "demo").mkdir(parents=True)
    (stem / "flytekitplugins" / "demo" / "__init__.py").write_text("from flytekit import task\n")
    (stem / "tests").mkdir()
    (stem / "tests" / "test_demo.py").write_text("import flytekit\n")
    archive = tmp_path / f"{plugin.sdist_stem}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(stem, arcname=plugin.sdist_stem)
    dest = tmp_path / "dest"
    prepare_one(plugin, archive, dest)
    assert (dest / "src/flytekitplugins/demo/__init__.py").read_text() == "from flytelite import task\n"
    assert (dest / ORIGINAL / "flytekitplugins/demo/__init__.py").read_text() == "from flytekit import task\n"
    assert (dest / "suites/demo/tests/test_demo.py").read_text() == "import flytelite\n"
