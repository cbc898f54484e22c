"""The import-word rewrite that ports a plugin, and the catalog's own consistency (no prepared folder needed)."""

from __future__ import annotations

from .suites import FIXTURES, PLUGINS, rewrite


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
