"""The `flytekitplugins-*` packages whose own test suites run against flytelite, and the step that prepares them.

`make plugins` runs this file as a script: it downloads each plugin's sdist from the package registry (pip, no
dependencies; the sdists hold the package *and* its `tests/` folder), rewrites the import word `flytekit` to
`flytelite` (whole word, so `flytekitplugins` stays), and writes the result under `.plugins/` (git-ignored):

```
.plugins/sdists/                          the downloaded archives (a cache: present files are not fetched again)
.plugins/src/flytekitplugins/<pkg>/       the rewritten packages (put on PYTHONPATH by the harnesses; never installed)
.plugins/original/flytekitplugins/<pkg>/  the same packages as released: the flytekit side of the flytesnacks corpus
                                          (tests/realworld) puts these on its PYTHONPATH; never installed either
.plugins/suites/<name>/tests/             the rewritten test suites
.plugins/manifest.json                    written last: what was prepared, from which archive
```

`test_suites.py` then runs each suite in a subprocess (see there). Nothing of a plugin is committed here; what this
file holds is *our* side: which tests are deselected and why, which failures wait on a known flytelite fix, which test
files are left out (those that import a file their sdist omits: setuptools puts only `tests/test*.py` into an sdist),
and our own tests where a plugin test checks something flytelite deliberately does differently or cannot run at all.

Run `python tests/plugins/suites.py [--dest .plugins]`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DEST = REPO / ".plugins"
MANIFEST = "manifest.json"
ORIGINAL = "original"  # folder under the destination with the packages as released (import word not rewritten)
MAKE_TARGET = "make plugins"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The import word, as a whole word: `flytekitplugins` and `flytekit_foo` stay, and so do container image names
# (`cr.flyte.org/flyteorg/flytekit:py3.11-...`), which name a registry path, not Python.
_IMPORT_WORD = re.compile(r"(?<!flyteorg/)\bflytekit\b")


@dataclasses.dataclass(frozen=True)
class Plugin:
    """One plugin package and how its suite runs against flytelite.

    Attributes:
        name: short name, the suite's folder and the test id (`duckdb`).
        dist: the distribution on the package registry (`flytekitplugins-duckdb`).
        version: the release, matching the flytekit oracle where it exists.
        deselect: test node ids (relative to the suite folder) that are not run, each with the reason.
        skip_files: test files (relative to the suite folder) that are not collected at all (pytest `--ignore`), each
            with the reason: for a file that cannot even import, where deselecting its tests is not possible.
        waiting: node ids that fail today because of a flytelite gap another change is fixing; they run as
            non-strict xfails, so the suite stays green and the report says when one starts passing.
        test_rewrites: further substitutions in the *tests* only, each with its reason (after the import word).
        extra_files: files added to a suite (what its sdist omits, or our own tests of the plugin): destination in
            the suite -> file in `fixtures/`.
        min_tests: fewer tests than this that pass or wait fails the harness (guards against a suite that silently
            stops collecting).
    """

    name: str
    dist: str
    version: str = "1.16.31"
    deselect: dict[str, str] = dataclasses.field(default_factory=dict)
    skip_files: dict[str, str] = dataclasses.field(default_factory=dict)
    waiting: dict[str, str] = dataclasses.field(default_factory=dict)
    test_rewrites: tuple[tuple[str, str, str], ...] = ()
    extra_files: dict[str, str] = dataclasses.field(default_factory=dict)
    min_tests: int = 1

    @property
    def sdist_stem(self) -> str:
        """Return the archive's folder name (`flytekitplugins_duckdb-1.16.31`)."""
        return f"{self.dist.replace('-', '_')}-{self.version}"


_OFFLINE = "needs the internet"
_REMOTE = "needs a Flyte backend (FlyteRemote, `pyflyte register`), which flytelite deliberately lacks"
_HEAVY = "needs ydata-profiling (scipy, matplotlib, statsmodels, ...), too heavy for `make test`'s install budget"
_NO_CONFTEST = (
    "import tests/conftest.py, which the sdist omits; "
    "our own tests/test_flytelite_omegaconf.py covers the plugin instead"
)

PLUGINS: tuple[Plugin, ...] = (
    Plugin(
        name="duckdb",
        dist="flytekitplugins-duckdb",
        deselect={"tests/test_task.py::test_parquet": f"{_OFFLINE}: reads a parquet file over https (httpfs)"},
        min_tests=8,
    ),
    Plugin(
        name="polars",
        dist="flytekitplugins-polars",
        min_tests=9,
    ),
    Plugin(
        name="sqlalchemy",
        dist="flytekitplugins-sqlalchemy",
        deselect={"tests/test_task.py::test_register_sql_task": _REMOTE},
        test_rewrites=(
            (
                r'"pyflyte-execute"',
                '"flytelite-execute"',
                "the entrypoint program's name is a documented wire difference (DESIGN.md §1 (a))",
            ),
        ),
        min_tests=9,
    ),
    Plugin(
        name="pandera",
        dist="flytekitplugins-pandera",
        deselect={
            "tests/test_plugin.py::test_pandera_dataframe_warn_on_error[config0]": "reads the warning from stdout, "
            "where flytekit's import-time logging handler prints it; flytelite installs no handler on import "
            "(STYLE.md §9): tests/test_flytelite_warn.py checks the warning is logged instead",
        },
        extra_files={"tests/test_flytelite_warn.py": "pandera_warn.py"},
        min_tests=6,
    ),
    Plugin(
        name="deck-standard",
        dist="flytekitplugins-deck-standard",
        deselect={"tests/test_renderer.py::test_frame_profiling_renderer": _HEAVY},
        min_tests=9,
    ),
    Plugin(
        name="dask",
        dist="flytekitplugins-dask",
        min_tests=11,
    ),
    Plugin(
        name="kftensorflow",
        dist="flytekitplugins-kftensorflow",
        min_tests=4,
    ),
    Plugin(
        name="kfmpi",
        dist="flytekitplugins-kfmpi",
        min_tests=4,
    ),
    Plugin(
        name="awsbatch",
        dist="flytekitplugins-awsbatch",
    ),
    Plugin(
        name="inference",
        dist="flytekitplugins-inference",
        min_tests=11,
    ),
    Plugin(
        name="omegaconf",
        dist="flytekitplugins-omegaconf",
        skip_files={
            "tests/test_plugin.py": _NO_CONFTEST,
            "tests/test_extract_node_type.py": _NO_CONFTEST,
        },
        extra_files={"tests/test_flytelite_omegaconf.py": "omegaconf_flytelite.py"},
        min_tests=34,
    ),
)

# Modules the suites import at module level for a test that is deselected above (FlyteRemote, pyflyte); flytelite
# has no such modules, so the harness's pytest plugin installs empty stand-ins to let the rest of the file import.
STUB_MODULES: dict[str, tuple[str, ...]] = {
    "flytelite.clients": (),
    "flytelite.clients.friendly": ("SynchronousFlyteClient",),
    "flytelite.clis": (),
    "flytelite.clis.sdk_in_container": (),
    "flytelite.clis.sdk_in_container.pyflyte": ("main",),
    "flytelite.remote": ("FlyteRemote",),
}


def rewrite(text: str, extra: tuple[tuple[str, str, str], ...] = ()) -> str:
    """Return `text` with the import word `flytekit` replaced by `flytelite`, then the `extra` substitutions."""
    text = _IMPORT_WORD.sub("flytelite", text)
    for pattern, replacement, _reason in extra:
        text = re.sub(pattern, replacement, text)
    return text


def download(plugins: tuple[Plugin, ...], sdists: Path) -> dict[str, Path]:
    """Fetch the sdists not yet in `sdists` (pip, no dependencies); return each plugin's archive.

    pip prepares each sdist's metadata in a fresh build environment, which takes seconds, so the downloads run a
    few at a time.
    """
    archives = {plugin.name: sdists / f"{plugin.sdist_stem}.tar.gz" for plugin in plugins}
    missing = [f"{plugin.dist}=={plugin.version}" for plugin in plugins if not archives[plugin.name].exists()]
    sdists.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "--dest", str(sdists)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for done in pool.map(lambda spec: subprocess.run([*pip, spec], check=False), missing):
            done.check_returncode()
    for name, archive in archives.items():
        if not archive.exists():
            raise FileNotFoundError(f"pip did not leave {archive.name} ({name}) in {sdists}")
    return archives


def _copy_rewritten(
    src: Path, dst: Path, extra: tuple[tuple[str, str, str], ...] = (), *, rewritten: bool = True
) -> None:
    """Copy the tree `src` to `dst`, with the import word rewritten in `.py` files (as released if not `rewritten`)."""
    for path in sorted(src.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        target = dst / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".py" and rewritten:
            target.write_text(rewrite(path.read_text(encoding="utf-8"), extra), encoding="utf-8")
        else:
            shutil.copyfile(path, target)


def prepare_one(plugin: Plugin, archive: Path, dest: Path) -> dict[str, str]:
    """Rewrite and lay out one plugin's sdist under `dest` (and its packages as released under `dest/original`);
    return its manifest entry."""
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp) / plugin.sdist_stem
        for package in sorted((root / "flytekitplugins").iterdir()):
            if package.is_dir():
                for base, rewritten in ((dest / "src", True), (dest / ORIGINAL, False)):
                    target = base / "flytekitplugins" / package.name
                    shutil.rmtree(target, ignore_errors=True)
                    _copy_rewritten(package, target, rewritten=rewritten)
        suite = dest / "suites" / plugin.name
        shutil.rmtree(suite, ignore_errors=True)
        _copy_rewritten(root / "tests", suite / "tests", plugin.test_rewrites)
    # The sdist drops `tests/__init__.py` (the suites use `from tests.x import` and relative imports).
    (suite / "tests" / "__init__.py").touch()
    for relative, fixture in plugin.extra_files.items():
        shutil.copyfile(FIXTURES / fixture, suite / relative)
    return {"dist": plugin.dist, "version": plugin.version, "archive": archive.name, "suite": str(suite)}


def prepare(dest: Path) -> Path:
    """Prepare every plugin in `PLUGINS` under `dest`; return the manifest's path (written last)."""
    manifest = dest / MANIFEST
    manifest.unlink(missing_ok=True)
    archives = download(PLUGINS, dest / "sdists")
    entries = {plugin.name: prepare_one(plugin, archives[plugin.name], dest) for plugin in PLUGINS}
    paths = {"src": str(dest / "src"), ORIGINAL: str(dest / ORIGINAL)}
    manifest.write_text(json.dumps({**paths, "plugins": entries}, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Prepare the plugin suites (the `make plugins` step)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="output folder (default: .plugins/)")
    args = parser.parse_args(argv)
    manifest = prepare(args.dest.resolve())
    print(f"prepared {len(PLUGINS)} plugin suites: {manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
