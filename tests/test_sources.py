"""Decoding, discovery and the manifest: every bad input gets a located error, nothing is dropped silently."""

from __future__ import annotations

import codecs
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.errors import CorpackError, CorpusError, DecodeError, EmptyDocumentError, ManifestError
from corpack.sources import decode, decode_text, discover, doc_id_for, load_manifest, read_source, write_manifest
from tests.helpers import write_corpus

TEXT = "新的社会阶层人士统战工作取得了重要进展，中央统战部在15个创新试点城市建设重点项目。\n第二段。"
TRADITIONAL = "新的社會階層人士統戰工作取得了重要進展，中央統戰部在十五個城市建設重點項目。"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_decode_detects_encoding_and_returns_the_same_text(data, encoding):
    text, found = decode(data, "x.txt")
    assert found == encoding
    assert text == TEXT


def test_big5_file_decodes_right():
    text, found = decode(TRADITIONAL.encode("big5"), "x.txt")
    assert found.startswith("big5")
    assert text == TRADITIONAL


def test_empty_file_is_an_error_naming_the_file():
    with pytest.raises(EmptyDocumentError) as info:
        decode(b"", "corpus/empty.txt")
    assert "corpus/empty.txt" in str(info.value)
    assert info.value.exit_code == 2


def test_nul_bytes_are_an_error_with_their_offset():
    with pytest.raises(DecodeError) as info:
        decode("正文".encode() + b"\x00\x01", "corpus/bad.txt")
    assert info.value.offset == 6
    assert "byte 6" in str(info.value)


def test_binary_file_is_an_error():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 20
    with pytest.raises(DecodeError) as info:
        decode(png, "corpus/photo.png")
    assert "corpus/photo.png" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_raises_anything_but_a_corpack_error(data):
    try:
        text, encoding = decode(data, "fuzz.bin")
    except CorpackError:
        return
    assert isinstance(text, str) and encoding


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=20, max_size=200), st.integers(1, 2))
def test_a_cut_last_character_is_counted_not_refused_11(text, keep):
    decoded = decode_text(text.encode() + "完".encode()[:keep], "cut.txt")
    assert (decoded.encoding, decoded.undecodable, decoded.first_undecodable) == ("utf-8", keep, len(text.encode()))
    assert decoded.text == text + "\ufffd" * keep


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_decoded_text_holds_no_lone_surrogate_and_counts_its_replacements_11(data):
    try:
        decoded = decode_text(data, "fuzz.bin")
    except CorpackError:
        return
    assert not re.search("[\ud800-\udfff]", decoded.text)
    assert decoded.text.count("\ufffd") >= decoded.undecodable >= 0


def test_doc_id_is_the_path_without_extension():
    assert doc_id_for("a.txt") == "a"
    assert doc_id_for("2019/sub/report.html") == "2019/sub/report"
    assert doc_id_for("README") == "README"


def test_discover_sorts_by_doc_id_and_skips_manifest_settings_and_hidden(tmp_path):
    write_corpus(tmp_path, {"b.txt": b"x", "a/c.txt": b"x", "manifest.csv": b"file\n", "corpus.toml": b"", ".hidden": b"x", ".git/x": b"x"})
    assert discover(tmp_path) == ["a/c.txt", "b.txt"]


def test_discover_refuses_two_files_with_the_same_id(tmp_path):
    write_corpus(tmp_path, {"a.txt": b"x", "a.html": b"x"})
    with pytest.raises(CorpusError, match="document id 'a'"):
        discover(tmp_path)


def test_missing_or_empty_corpus_folder_is_a_corpus_error(tmp_path):
    with pytest.raises(CorpusError):
        discover(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no document"):
        discover(tmp_path)


def test_manifest_round_trip_keeps_human_columns_and_refreshes_checksums(tmp_path):
    write_corpus(tmp_path, {"a.txt": TEXT.encode("gbk")})
    write_manifest(tmp_path)
    path = tmp_path / "manifest.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",gb18030,,,,,,", ",gb18030,标题,某报,湖南省,2020-01-02,,note"), encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    write_manifest(tmp_path)
    row = load_manifest(tmp_path)["a.txt"]
    assert row["encoding"] == "utf-8"
    assert row["title"] == "标题" and row["region"] == "湖南省"
    assert row["published"] == dt.date(2020, 1, 2)


def test_changed_file_disagrees_with_manifest(tmp_path):
    write_corpus(tmp_path, {"a.txt": TEXT.encode()})
    write_manifest(tmp_path)
    (tmp_path / "a.txt").write_bytes(TEXT.encode() + "补充".encode())
    with pytest.raises(ManifestError) as info:
        read_source(tmp_path, "a.txt", load_manifest(tmp_path))
    assert "pkg manifest" in info.value.hint


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("file,colour\na.txt,red\n", "unknown"),
        ("file,published\na.txt,2020-13-45\n", "not a date"),
        ("file\nmissing.txt\n", "not in the corpus"),
        ("file\na.txt\na.txt\n", "twice"),
    ],
)
def test_bad_manifest_rows_are_located(tmp_path, content, message):
    write_corpus(tmp_path, {"a.txt": TEXT.encode(), "manifest.csv": content.encode()})
    with pytest.raises(ManifestError, match=message) as info:
        load_manifest(tmp_path)
    assert "manifest.csv" in str(info.value)


def test_manifest_metadata_reaches_the_source(tmp_path):
    write_corpus(tmp_path, {"a.txt": TEXT.encode(), "manifest.csv": "file,publisher,published\na.txt,某报,2019-09-20\n".encode()})
    source = read_source(tmp_path, "a.txt", load_manifest(tmp_path))
    assert source.metadata == {"publisher": "某报", "published": dt.date(2019, 9, 20)}
    assert source.raw_bytes == len(TEXT.encode())


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "PDF"),
        (b"PK\x03\x04" + b"word/document.xml" * 4, "zip"),
    ],
)
def test_a_binary_format_that_passes_for_text_is_refused(data, kind):
    with pytest.raises(DecodeError, match=f"a {kind}.* file, not text") as caught:
        decode(data, "report.txt")
    assert caught.value.offset == 0
