"""`FileAccessProvider` against a real S3-compatible server on 127.0.0.1 (moto), configured by environment variables."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from flytelite.errors import FlyteDataNotFoundException, FlyteDownloadDataException, FlyteUploadDataException
from flytelite.storage import FileAccessProvider


def make_tree(root: Path) -> Path:
    (root / "sub" / "deep").mkdir(parents=True)
    (root / "a.txt").write_text("a")
    (root / "sub" / "b.txt").write_text("b")
    (root / "sub" / "deep" / "c.bin").write_bytes(b"\x00\x01")
    return root


def tree_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def fa(s3, tmp_path: Path) -> FileAccessProvider:  # type: ignore[no-untyped-def]
    return FileAccessProvider(tmp_path / "sandbox", s3.url("raw"))


def test_file_round_trip_through_s3(fa: FileAccessProvider, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.csv"
    src.write_text("x,y\n1,2\n")
    remote = fa.put_raw_data(str(src))
    assert remote.startswith(s3.url("raw") + "/") and remote.endswith("/in.csv")
    assert fa.exists(remote)
    out = fa.get_data(remote, str(tmp_path / "out" / "in.csv"))
    assert Path(out).read_text() == "x,y\n1,2\n"
    assert fa.read_bytes(remote) == src.read_bytes()


def test_folder_round_trip_through_s3(fa: FileAccessProvider, tmp_path: Path) -> None:
    src = make_tree(tmp_path / "tree")
    remote = fa.get_random_remote_directory()
    fa.put_data(str(src), remote, is_multipart=True)
    listed = sorted(fa.get_filesystem_for_path(remote).find(remote))
    assert [p.split("/", 3)[3] for p in listed] == ["a.txt", "sub/b.txt", "sub/deep/c.bin"]
    back = tmp_path / "back"
    fa.get_data(remote, str(back), is_multipart=True)
    assert tree_of(back) == tree_of(src)


def test_bytes_and_gzip_header(fa: FileAccessProvider, tmp_path: Path) -> None:
    path = fa.get_random_remote_path("x.bin")
    fa.write_bytes(path, b"payload")
    assert fa.read_bytes(path) == b"payload"
    gz = tmp_path / "data.gz"
    gz.write_bytes(b"\x1f\x8b not really gzip")
    remote = fa.put_data(str(gz), fa.get_random_remote_path("data.gz"), ContentEncoding="gzip")
    info = fa.get_filesystem_for_path(remote).info(remote)
    assert info["size"] == gz.stat().st_size


def test_missing_object_is_a_user_error_naming_the_uri(fa: FileAccessProvider, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    missing = s3.url("raw", "nothing-here.txt")
    with pytest.raises(FlyteDataNotFoundException, match=r"nothing-here\.txt"):
        fa.get_data(missing, str(tmp_path / "x.txt"))
    with pytest.raises(FlyteDataNotFoundException, match=r"nothing-here\.txt"):
        fa.read_bytes(missing)


def test_empty_prefix_downloads_as_an_empty_folder(fa: FileAccessProvider, tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "empty"
    fa.get_data(s3.url("raw", "no-such-prefix"), str(out), is_multipart=True)
    assert out.is_dir() and list(out.iterdir()) == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unreachable(s3, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FileAccessProvider:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FLYTE_AWS_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    fast_fail = {"s3": {"retries": 0, "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 1}}}
    return FileAccessProvider(tmp_path / "sb", s3.url("raw"), data_config=fast_fail)


def test_unreachable_store_names_source_and_destination(unreachable: FileAccessProvider, tmp_path: Path) -> None:
    src = tmp_path / "f.txt"
    src.write_text("x")
    dest = unreachable.get_random_remote_path("f.txt")
    with pytest.raises(FlyteUploadDataException) as info:
        unreachable.put_data(str(src), dest)
    assert dest in str(info.value) and str(src) in str(info.value)
    assert info.value.recoverable and info.value.kind == "system"
    with pytest.raises(FlyteDownloadDataException, match=dest.replace(".", r"\.")):
        unreachable.get_data(dest, str(tmp_path / "back.txt"))


def test_wrong_credentials_fail_with_the_uri(s3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    fa = FileAccessProvider(tmp_path / "sb", s3.url("raw"))
    remote = fa.get_random_remote_path("a.txt")
    fa.write_bytes(remote, b"x")
    wrong_bucket = remote.replace(s3.name, s3.name + "-missing-bucket")
    with pytest.raises((FlyteDataNotFoundException, FlyteDownloadDataException), match="missing-bucket"):
        fa.get_data(wrong_bucket, str(tmp_path / "x"))


def test_failed_folder_upload_removes_what_it_wrote(
    fa: FileAccessProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path / "tree")
    dest = fa.get_random_remote_directory()
    fs = fa.get_filesystem_for_path(dest)
    real_put = fs.put

    def put_then_fail(lpath, rpath, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_put(lpath[:1], rpath[:1], *args, **kwargs)  # one object lands, then the connection drops
        raise ConnectionError("connection reset")

    monkeypatch.setattr(fs, "put", put_then_fail)  # s3fs binds its sync methods on the instance
    with pytest.raises(FlyteUploadDataException, match="connection reset"):
        fa.put_data(str(src), dest, is_multipart=True)
    monkeypatch.undo()
    assert fs.find(dest) == []
