"""Serialization conformance: `flytelite package` and `pyflyte package` give the same protobufs for the same code.

The apps are `tests/conformance/srcs/fl_app` and its flytekit copy (see `apps.py`): instance tasks with resources,
env, secrets and retries; function tasks with every option (cache, retries, timeout, interruptible, requests/limits,
named-image templates, accelerator, shared memory, pod template); workflows with sub-workflows, conditionals (with
`elif` and `fail`), map tasks (partial, concurrency, min_success_ratio), a dynamic task, node overrides and launch
plans. Archives are compared file by file after the normalisation in `pb_normalize.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("flytekit")
pytest.importorskip("kubernetes")

from tests.conformance.apps import make_apps, run
from tests.conformance.pb_normalize import normalised_archive, read_archive, tar_bytes_names

IMAGES = ["--image", "cr.io/img:v1", "--image", "other=cr.io/other:v2"]


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_apps(tmp_path_factory.mktemp("apps"))


def _package(apps: Path, copy: str) -> tuple[str, str]:
    fk, fl = str(apps / f"fk-{copy}.tgz"), str(apps / f"fl-{copy}.tgz")
    kit = run(["pyflyte", "--pkgs", "fk_app", "package", *IMAGES, "--copy", copy, "-f", "-o", fk], apps)
    assert kit.returncode == 0, kit.stdout + kit.stderr
    lite = run(["flytelite", "--pkgs", "fl_app", "package", *IMAGES, "--copy", copy, "-f", "-o", fl], apps)
    assert lite.returncode == 0, lite.stdout + lite.stderr
    return fk, fl


@pytest.mark.parametrize("copy", ["none", "all"])
def test_package_archives_are_equal(apps: Path, copy: str) -> None:
    fk, fl = _package(apps, copy)
    kit, lite = normalised_archive(fk), normalised_archive(fl)
    assert sorted(lite) == sorted(kit)
    assert len(kit) >= 30
    for name in sorted(kit):
        assert lite[name] == kit[name], name


def test_fast_archive_holds_the_source(apps: Path) -> None:
    _, fl = _package(apps, "all")
    members = read_archive(fl)
    fast = [n for n in members if n.startswith("fast") and n.endswith(".tar.gz")]
    assert len(fast) == 1
    assert "fl_app/tasks.py" in tar_bytes_names(members[fast[0]])
    task = normalised_archive(fl)[next(n for n in normalised_archive(fl) if n.endswith("fl_app.tasks.t1_1.pb"))]
    args = task["template"]["container"]["args"]
    assert args[:6] == [
        "flytelite-fast-execute",
        "--additional-distribution",
        "{{ .remote_package_path }}",
        "--dest-dir",
        "/root",
        "--",
    ]


def test_serialize_folder_matches_package(apps: Path, tmp_path: Path) -> None:
    out = tmp_path / "pbs"
    proc = run(["flytelite", "--pkgs", "fl_app", "serialize", *IMAGES, "workflows", "-f", str(out)], apps)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _, fl = _package(apps, "none")
    assert sorted(p.name for p in out.iterdir()) == sorted(read_archive(fl))
