"""Bad corpus entries under build and manifest: nothing is skipped silently, every bad file is listed at once,
nothing blocks on a special file, and a few undecodable bytes do not reject a file (#11)."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpack import sources
from corpack.cli import cli
from corpack.errors import CorpackError
from corpack.pipeline import build
from dpcheck import validate_package
from tests.helpers import write_corpus

GOOD = "新的社会阶层人士工作综述\n\n全市成立联谊组织12家，吸纳会员500余人。\n".encode()
OTHER = "统战部召开座谈会\n\n会议听取了各区县的工作汇报，部署了下一阶段的重点任务。\n".encode()
LONG = ("新的社会阶层人士统战工作取得了重要进展，中央统战部在15个创新试点城市建设重点项目。\n" * 3).encode()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _skipped(package: Path) -> list[dict]:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))["corpack:build"]["skipped"]


def _documents(package: Path) -> list[dict]:
    return pq.read_table(package / "data" / "documents.parquet").to_pylist()


def _bad(corpus: Path) -> dict[str, str]:
    return {entry.file: entry.error.message for entry in sources.scan(corpus).bad}


def _deny_listing(monkeypatch, folder: Path) -> None:
    """Make os.scandir refuse ``folder`` as a chmod 000 folder would (root reads those anyway)."""
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.path.realpath(path) == os.path.realpath(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


# Nothing skipped silently


def test_unreadable_folder_is_listed_not_dropped_11(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "sub/b.txt": OTHER})
    _deny_listing(monkeypatch, corpus / "sub")
    with pytest.raises(CorpackError) as info:
        build(corpus, tmp_path / "out")
    assert "sub" in str(info.value) and "Permission denied" in str(info.value)
    result = build(corpus, tmp_path / "out", skip_bad=True)
    assert [(s["file"], s["code"]) for s in result.skipped] == [("sub", "bad-entry")]
    assert [s["file"] for s in _skipped(tmp_path / "out")] == ["sub"]
    assert "cannot list the folder" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(IS_ROOT, reason="root reads a chmod 000 folder; the monkeypatched test above covers it")
def test_chmod_000_folder_is_listed_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "sub/b.txt": OTHER})
    (corpus / "sub").chmod(0)
    try:
        assert "sub" in _bad(corpus)
    finally:
        (corpus / "sub").chmod(0o755)


@pytest.mark.skipif(IS_ROOT, reason="root reads a chmod 000 file")
def test_unreadable_file_is_listed_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": OTHER})
    (corpus / "b.txt").chmod(0)
    try:
        result = build(corpus, tmp_path / "out", skip_bad=True)
    finally:
        (corpus / "b.txt").chmod(0o644)
    assert [(s["file"], s["code"]) for s in result.skipped] == [("b.txt", "bad-entry")]


def test_file_that_cannot_be_opened_is_listed_11(tmp_path, monkeypatch):
    """As root reads a chmod 000 file, refuse the open as the kernel would for anyone else."""
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": OTHER})
    real = os.open

    def deny(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("b.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(CorpackError) as info:
        build(corpus, tmp_path / "out")
    assert info.value.code == "bad-entry" and "b.txt" in str(info.value) and "Permission denied" in info.value.message
    result = build(corpus, tmp_path / "out", skip_bad=True)
    assert [(s["file"], s["code"], s["reason"]) for s in result.skipped] == [("b.txt", "bad-entry", "cannot read the file: Permission denied")]


def test_symlink_inside_the_corpus_is_followed_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, ".drafts/b.txt": OTHER, ".drafts/2020/c.txt": LONG})
    (corpus / "b.txt").symlink_to(".drafts/b.txt")
    (corpus / "2020").symlink_to(corpus / ".drafts" / "2020", target_is_directory=True)
    result = build(corpus, tmp_path / "out")
    assert result.skipped == []
    docs = {d["file"]: d for d in _documents(tmp_path / "out")}
    assert sorted(docs) == ["2020/c.txt", "a.txt", "b.txt"]
    assert "座谈会" in docs["b.txt"]["text"]


def test_symlink_to_a_document_is_a_listed_duplicate_not_a_second_document_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "sub/b.txt": OTHER})
    (corpus / "copy.txt").symlink_to("a.txt")
    (corpus / "again").symlink_to("sub", target_is_directory=True)
    bad = _bad(corpus)
    assert set(bad) == {"again", "copy.txt"}
    assert "a.txt" in bad["copy.txt"] and "already" in bad["copy.txt"]
    result = build(corpus, tmp_path / "out", skip_bad=True)
    assert [d["file"] for d in _documents(tmp_path / "out")] == ["a.txt", "sub/b.txt"]
    assert [s["file"] for s in result.skipped] == ["again", "copy.txt"]


def test_symlinks_out_of_the_corpus_dangling_or_looping_are_listed_11(tmp_path):
    (tmp_path / "outside.txt").write_bytes(OTHER)
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "sub/b.txt": LONG})
    (corpus / "out.txt").symlink_to(tmp_path / "outside.txt")
    (corpus / "etc").symlink_to("/etc", target_is_directory=True)
    (corpus / "gone.txt").symlink_to("nothing.txt")
    (corpus / "loop1").symlink_to("loop2")
    (corpus / "loop2").symlink_to("loop1")
    (corpus / "sub" / "up").symlink_to("..", target_is_directory=True)
    bad = _bad(corpus)
    assert set(bad) == {"out.txt", "etc", "gone.txt", "loop1", "loop2", "sub/up"}
    assert "outside the corpus" in bad["out.txt"] and "outside the corpus" in bad["etc"]
    assert str(tmp_path) not in bad["out.txt"]  # reasons go into the package: no absolute paths
    assert "loop" in bad["loop1"] and "loop" in bad["sub/up"]
    result = build(corpus, tmp_path / "out", skip_bad=True)
    assert result.documents == 2 and len(result.skipped) == 6


def test_special_files_are_listed_and_never_opened_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    os.mkfifo(corpus / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(corpus / "sock"))
        (corpus / "link-to-pipe.txt").symlink_to("pipe.txt")
        bad = _bad(corpus)
        assert set(bad) == {"pipe.txt", "sock", "link-to-pipe.txt"}
        assert "FIFO" in bad["pipe.txt"] and "socket" in bad["sock"]
        result = build(corpus, tmp_path / "out", skip_bad=True, jobs=2)
        assert result.documents == 1 and sorted(s["file"] for s in result.skipped) == ["link-to-pipe.txt", "pipe.txt", "sock"]
    finally:
        server.close()


def test_device_file_is_listed_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    try:
        os.mknod(corpus / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here (needs CAP_MKNOD)")
    assert "device" in _bad(corpus)["zero"]


def test_read_source_never_blocks_on_a_fifo_11(tmp_path):
    """A file swapped for a FIFO after the listing is refused, not read (which would block forever)."""
    os.mkfifo(tmp_path / "a.txt")
    outcome: list[BaseException | object] = []

    def read() -> None:
        try:
            outcome.append(sources.read_source(tmp_path, "a.txt"))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)
    if reader.is_alive():  # unblock the old code's read so the thread ends
        os.close(os.open(tmp_path / "a.txt", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("read_source blocked on a FIFO")
    assert isinstance(outcome[0], CorpackError) and "FIFO" in outcome[0].message


# Non-UTF-8 file names


def _bytes_named(folder: Path, name: bytes, data: bytes) -> None:
    fd = os.open(os.path.join(os.fsencode(folder), name), os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, data)
    os.close(fd)


def test_non_utf8_file_name_is_listed_with_a_hint_to_rename_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    _bytes_named(corpus, "报告".encode("gbk") + b".txt", OTHER)
    with pytest.raises(CorpackError) as info:
        build(corpus, tmp_path / "out")
    assert info.value.code == "bad-entry" and "not valid UTF-8" in info.value.message and "rename" in info.value.hint
    assert "\\xb1\\xa8" in str(info.value)
    result = build(corpus, tmp_path / "out", skip_bad=True)
    assert [s["file"] for s in result.skipped] == ["\\xb1\\xa8\\xb8\\xe6.txt"]
    assert validate_package(tmp_path / "out").valid


def test_cli_build_with_a_non_utf8_name_is_one_line_not_a_bug_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    _bytes_named(corpus, b"\xff.txt", OTHER)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "pkg")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error[bad-entry]")
    assert "\\xff.txt" in result.stderr and "internal" not in result.stderr


@pytest.mark.parametrize("maker", ["non-utf8", "fifo", "denied"])
def test_pkg_manifest_with_a_bad_entry_fails_with_one_line_11(tmp_path, monkeypatch, maker):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "sub/b.txt": OTHER})
    if maker == "non-utf8":
        _bytes_named(corpus, b"\xff.txt", OTHER)
    elif maker == "fifo":
        os.mkfifo(corpus / "pipe.txt")
    else:
        _deny_listing(monkeypatch, corpus / "sub")
    result = CliRunner().invoke(cli, ["manifest", str(corpus)])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error[bad-entry]"), result.stderr
    assert not (corpus / "manifest.csv").exists()


# Every bad file at once


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_lists_every_bad_file_at_once_11(tmp_path, jobs):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.bin": b"\x00\x01binary", "c.txt": b"", "d.txt": OTHER, "e.txt": b"ab\x00cd"})
    (corpus / "f.txt").symlink_to(tmp_path)
    with pytest.raises(CorpackError) as info:
        build(corpus, tmp_path / "out", jobs=jobs)
    error = info.value
    assert error.code == "bad-files" and error.exit_code == 2
    assert [(Path(e.file).name, e.code) for e in error.errors] == [
        ("b.bin", "decode-error"), ("c.txt", "empty-document"), ("e.txt", "decode-error"), ("f.txt", "bad-entry")
    ]
    lines = str(error).split("\n")
    assert len(lines) == 5 and lines[-1].startswith("error[bad-files]") and "4 files" in lines[-1] and "--skip-bad" in lines[-1]
    assert not (tmp_path / "out").exists()


def test_cli_build_prints_each_bad_file_then_one_error_line_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": b"ab\x00cd", "c.txt": b""})
    one = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "pkg")])
    two = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "pkg"), "-j", "2"])
    assert one.exit_code == two.exit_code == 2
    assert one.stderr == two.stderr
    lines = one.stderr.splitlines()
    assert [line.split("]")[0] for line in lines] == ["error[decode-error", "error[empty-document", "error[bad-files"]
    assert "b.txt byte 2" in lines[0] and "c.txt" in lines[1] and "2 files" in lines[2]


def test_manifest_mismatches_are_listed_together_and_not_skipped_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": OTHER, "c.txt": LONG})
    sources.write_manifest(corpus)
    (corpus / "a.txt").write_bytes(GOOD + b"\n")
    (corpus / "c.txt").write_bytes(LONG + b"\n")
    with pytest.raises(CorpackError) as info:
        build(corpus, tmp_path / "out", skip_bad=True)
    assert info.value.code == "bad-files"
    assert [(Path(e.file).name, e.code) for e in info.value.errors] == [("a.txt", "manifest-error"), ("c.txt", "manifest-error")]


# A few undecodable bytes


def test_truncated_last_character_is_decoded_and_counted_11():
    data = LONG + "完".encode()[:2]
    decoded = sources.decode_text(data, "cut.txt")
    assert decoded.encoding == "utf-8" and decoded.undecodable == 2 and decoded.first_undecodable == len(LONG)
    assert decoded.text == LONG.decode() + "\ufffd\ufffd"


def test_stray_byte_is_decoded_and_counted_11():
    data = LONG[:30] + b"\xff" + LONG[30:]
    decoded = sources.decode_text(data, "stray.txt")
    assert (decoded.encoding, decoded.undecodable, decoded.first_undecodable) == ("utf-8", 1, 30)


def test_bom_utf8_with_a_cut_tail_is_decoded_11():
    decoded = sources.decode_text(b"\xef\xbb\xbf" + LONG + "完".encode()[:1], "bom.txt")
    assert decoded.encoding == "utf-8-sig" and decoded.undecodable == 1 and decoded.first_undecodable == 3 + len(LONG)
    decoded = sources.decode_text(LONG.decode().encode("utf-16") + b"A", "odd.txt")
    assert decoded.encoding == "utf-16" and decoded.undecodable == 1 and decoded.text == LONG.decode() + "\ufffd"


@pytest.mark.parametrize("text", ["社会阶层人士", LONG.decode(), LONG.decode() * 20])
def test_gbk_is_still_detected_not_read_as_damaged_utf8_11(text):
    decoded = sources.decode_text(text.encode("gbk"), "gbk.txt")
    assert decoded.encoding == "gb18030" and decoded.undecodable == 0 and decoded.text == text


@pytest.mark.parametrize("text", ["中文", "统战部"])
def test_a_few_gbk_bytes_are_not_read_as_damaged_utf8_11(text):
    """Too short for charset detection to be sure, but four or six bad bytes are not 'a few' in UTF-8."""
    try:
        decoded = sources.decode_text(text.encode("gbk"), "gbk.txt")
    except CorpackError:
        return
    assert decoded.encoding != "utf-8" and decoded.undecodable == 0


def test_many_bad_bytes_are_not_damaged_utf8_11():
    data = LONG + b"\xff\xfe\xfd\xfc\xfb" * 4
    decoded = None
    try:
        decoded = sources.decode_text(data, "junk.txt")
    except CorpackError:
        return
    assert decoded.encoding != "utf-8"


def test_damaged_file_builds_with_its_bytes_counted_and_flagged_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "cut.txt": LONG + "完".encode()[:2]})
    result = build(corpus, tmp_path / "out")
    docs = {d["file"]: d for d in _documents(tmp_path / "out")}
    assert docs["cut.txt"]["undecodable_bytes"] == 2 and docs["a.txt"]["undecodable_bytes"] == 0
    assert docs["cut.txt"]["encoding"] == "utf-8" and "\ufffd" not in docs["cut.txt"]["text"]
    assert result.damaged == [{"file": "cut.txt", "bytes": 2}]
    assert validate_package(tmp_path / "out").valid
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "undecodable_bytes" in card and "2 undecodable bytes" in card


def test_cli_build_warns_about_damaged_files_11(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"cut.txt": LONG + "完".encode()[:2]})
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "pkg")])
    assert result.exit_code == 0, result.output
    assert "warning cut.txt: 2 undecodable bytes" in result.stderr
