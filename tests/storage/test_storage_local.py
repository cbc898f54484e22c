"""`FileAccessProvider` on local folders: paths, copies, atomic writes, errors, fsspec options from the environment."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from flytelite.core.data_persistence import FileAccessProvider as CompatProvider
from flytelite.errors import (
    FlyteAssertion,
    FlyteDataNotFoundException,
    FlyteUploadDataException,
    FlyteUserException,
)
from flytelite.storage import FileAccessProvider, get_fsspec_storage_options, is_remote, protocol_of

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def fa(tmp_path: Path) -> FileAccessProvider:
    return FileAccessProvider(tmp_path / "sandbox", str(tmp_path / "raw"))


def make_tree(root: Path) -> Path:
    (root / "sub" / "deep").mkdir(parents=True)
    (root / "a.txt").write_text("a")
    (root / "sub" / "b.txt").write_text("b")
    (root / "sub" / "deep" / "c.bin").write_bytes(b"\x00\x01")
    return root


def tree_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_compat_path_is_the_same_class() -> None:
    assert CompatProvider is FileAccessProvider


@pytest.mark.parametrize(
    ("path", "protocol", "remote"),
    [
        ("/tmp/x", "file", False),
        ("file:///tmp/x", "file", False),
        ("relative/x", "file", False),
        ("s3://bucket/key", "s3", True),
        ("gs://bucket/key", "gs", True),
        ("abfs://container/key", "abfs", True),
    ],
)
def test_protocol_and_remoteness(path: str, protocol: str, remote: bool) -> None:
    assert protocol_of(path) == protocol
    assert is_remote(path) is remote
    assert FileAccessProvider.is_remote(Path(path) if not remote else path) is remote


def test_raw_prefix_ends_with_a_slash(tmp_path: Path) -> None:
    fa = FileAccessProvider(tmp_path / "sb", "s3://bucket/raw")
    assert fa.raw_output_prefix == "s3://bucket/raw/"


def test_random_remote_path_is_prefix_hex_basename(fa: FileAccessProvider) -> None:
    path = fa.get_random_remote_path("/some/where/data.csv")
    prefix, hexpart, name = path.rsplit("/", 2)
    assert prefix + "/" == fa.raw_output_prefix
    assert HEX32.fullmatch(hexpart)
    assert name == "data.csv"
    folder = fa.get_random_remote_directory()
    assert folder.startswith(fa.raw_output_prefix) and HEX32.fullmatch(folder.rsplit("/", 1)[1])
    assert fa.get_random_remote_path() != fa.get_random_remote_path()


def test_random_local_paths_live_in_the_sandbox(fa: FileAccessProvider) -> None:
    p = fa.get_random_local_path("s3://b/k/file.txt")
    assert p.startswith(fa.local_sandbox_dir) and p.endswith("/file.txt")
    d = fa.get_random_local_directory()
    assert os.path.isdir(d) and os.listdir(d) == []


def test_generate_new_custom_path_with_stem_and_alt(tmp_path: Path) -> None:
    fa = FileAccessProvider(tmp_path, "s3://my-bucket/data/run1/")
    assert fa.generate_new_custom_path(stem="out") == "s3://my-bucket/data/run1/out"
    assert fa.generate_new_custom_path(alt="other", stem="out") == "s3://other/data/run1/out"
    local = FileAccessProvider(tmp_path, str(tmp_path / "raw"))
    with pytest.raises(FlyteAssertion, match="object-store"):
        local.generate_new_custom_path(alt="other")


def test_join_keeps_the_protocol(fa: FileAccessProvider) -> None:
    assert fa.join("s3://b/x/", "y", "/z.txt") == "s3://b/x/y/z.txt"
    assert fa.join("/tmp/a", "", "b") == "/tmp/a/b"


def test_put_and_get_a_file(fa: FileAccessProvider, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("hello")
    remote = fa.put_raw_data(str(src))
    assert remote.startswith(fa.raw_output_prefix) and remote.endswith("/in.txt")
    out = fa.get_data(remote, str(tmp_path / "copy" / "out.txt"))
    assert Path(out).read_text() == "hello"
    assert fa.exists(remote) and not fa.exists(remote + ".missing")


def test_put_and_get_a_folder(fa: FileAccessProvider, tmp_path: Path) -> None:
    src = make_tree(tmp_path / "tree")
    remote = fa.get_random_remote_directory()
    assert fa.put_data(str(src), remote, is_multipart=True) == remote
    dest = tmp_path / "back"
    fa.get_data(remote, str(dest), is_multipart=True)
    assert tree_of(dest) == tree_of(src)


def test_put_raw_data_of_bytes_and_streams(fa: FileAccessProvider) -> None:
    p1 = fa.put_raw_data(b"raw bytes", file_name="b.bin")
    p2 = fa.put_raw_data(io.BytesIO(b"stream bytes"), upload_prefix="fixed")
    p3 = fa.put_raw_data(io.StringIO("text é"), file_name="t.txt")
    assert fa.read_bytes(p1) == b"raw bytes"
    assert fa.read_bytes(p2) == b"stream bytes" and p2.startswith(fa.join(fa.raw_output_prefix, "fixed") + "/")
    assert fa.read_bytes(p3) == "text é".encode()
    with pytest.raises(FlyteAssertion, match="cannot upload a int"):
        fa.put_raw_data(42)  # type: ignore[arg-type]


def test_missing_source_names_the_path(fa: FileAccessProvider, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(FlyteDataNotFoundException, match=r"nope\.txt"):
        fa.put_data(missing, fa.get_random_remote_path("nope.txt"))
    with pytest.raises(FlyteDataNotFoundException, match=r"nope\.txt") as info:
        fa.get_data(missing, str(tmp_path / "x"))
    assert isinstance(info.value, FlyteUserException) and info.value.error_code == "USER:ValueError"
    with pytest.raises(FlyteDataNotFoundException, match=r"nope\.txt"):
        fa.read_bytes(missing)


def test_folder_upload_of_a_file_is_refused(fa: FileAccessProvider, tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_text("x")
    with pytest.raises(FlyteAssertion, match="not a folder"):
        fa.put_data(str(f), fa.get_random_remote_directory(), is_multipart=True)


def test_failed_folder_copy_leaves_nothing_behind(
    fa: FileAccessProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path / "tree")
    dest = fa.get_random_remote_directory()
    real_replace = os.replace
    calls = {"n": 0}

    def flaky_replace(a: str, b: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second file fails after the first was written
            raise OSError("disk full")
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(FlyteUploadDataException, match="disk full") as info:
        fa.put_data(str(src), dest, is_multipart=True)
    assert dest in str(info.value) and str(src) in str(info.value)
    monkeypatch.undo()
    assert tree_of(Path(dest)) == {}


def test_failed_write_keeps_the_previous_content(fa: FileAccessProvider) -> None:
    path = fa.get_random_remote_path("result.bin")
    fa.write_bytes(path, b"old")
    with pytest.raises(RuntimeError), fa.open_for_write(path) as fh:
        fh.write(b"half")
        raise RuntimeError("interrupted")
    assert fa.read_bytes(path) == b"old"
    assert os.listdir(os.path.dirname(path)) == ["result.bin"]


def test_storage_options_come_from_flytekit_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYTE_AWS_ENDPOINT", "http://127.0.0.1:9000")
    monkeypatch.setenv("FLYTE_AWS_ACCESS_KEY_ID", "id")
    monkeypatch.setenv("FLYTE_AWS_SECRET_ACCESS_KEY", "secret")
    opts = get_fsspec_storage_options("s3")
    assert opts["client_kwargs"] == {"endpoint_url": "http://127.0.0.1:9000"}
    assert (opts["key"], opts["secret"]) == ("id", "secret")
    override = get_fsspec_storage_options("s3", {"s3": {"client_kwargs": {"region_name": "eu"}}}, anonymous=True)
    assert override["client_kwargs"] == {"endpoint_url": "http://127.0.0.1:9000", "region_name": "eu"}
    assert override["anon"] is True
    monkeypatch.setenv("FLYTE_AZURE_STORAGE_ACCOUNT_NAME", "acct")
    assert get_fsspec_storage_options("abfs")["account_name"] == "acct"
    assert get_fsspec_storage_options("gs", anonymous=True) == {"token": "anon"}
    assert get_fsspec_storage_options("file") == {"auto_mkdir": True}


def test_protocol_without_its_package_is_a_clear_error(fa: FileAccessProvider) -> None:
    import fsspec

    fsspec.register_implementation("flytelitetest", "no_such_module_xyz.FS", errtxt="pip install no-such-module")
    with pytest.raises(FlyteAssertion, match=r"flytelitetest://b/k.*needs an extra package"):
        fa.get_filesystem_for_path("flytelitetest://b/k")
