"""Build an extractor's input from plain paragraphs written in the tests."""

from __future__ import annotations

from corpack.extract import Document, Paragraph


def document(*paragraphs: str, kinds: tuple[str, ...] | None = None, region: str | None = None, unrecoverable: int = 0) -> Document:
    """A Document whose text is the paragraphs joined by newlines (kinds default to body)."""
    spans, start = [], 0
    for number, text in enumerate(paragraphs, start=1):
        kind = kinds[number - 1] if kinds else "body"
        spans.append(Paragraph(number, kind, start, start + len(text), unrecoverable))
        start += len(text) + 1
    return Document("t", "\n".join(paragraphs), spans, region)


def assert_quotes_match(doc: Document, rows: list[dict]) -> None:
    """Every row's quote is its span of the document text, inside its paragraph."""
    bounds = {para.no: (para.start, para.end) for para in doc.paragraphs}
    for row in rows:
        assert doc.text[row["char_start"] : row["char_end"]] == row["quote"]
        lo, hi = bounds[row["para_no"]]
        assert lo <= row["char_start"] < row["char_end"] <= hi


def draw_span(data, text: str) -> tuple[int, int]:
    """A span ``(start, end)`` of ``text`` drawn by hypothesis (``data``: ``st.data()``), either end anywhere."""
    from hypothesis import strategies as st

    start = data.draw(st.integers(0, len(text)))
    return start, data.draw(st.integers(start, len(text)))
