"""A document id is the path without its final extension, as pathlib reads it, for any path (#13)."""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.discovery import doc_id_for


def _by_pathlib(rel: str) -> str:
    path = PurePosixPath(rel)
    return str(path.with_suffix("")) if path.suffix else str(path)


_PATH = st.lists(st.sampled_from(["a", "b.txt", ".", "..", "/", "//", ".hidden", "x.", "y.tar.gz", "報告", ".txt", " ", "c.TXT", "d.e.f"]),
                 max_size=8).map("".join)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(_PATH, st.text(alphabet="ab./", max_size=12)))
def test_doc_id_is_the_path_without_its_suffix_as_pathlib_reads_it_13(rel):
    assert doc_id_for(rel) == _by_pathlib(rel)


def test_doc_ids_13():
    assert doc_id_for("reports/2019/a.txt") == "reports/2019/a"
    assert doc_id_for("a.tar.gz") == "a.tar" and doc_id_for(".hidden") == ".hidden" and doc_id_for("x.") == "x."
    assert doc_id_for("dir.d/name") == "dir.d/name"
