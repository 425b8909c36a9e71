"""The ``places`` table: every administrative-division mention of a document, one row per mention, with the
code, level and province the gazetteer (:mod:`corpack.extract.gazetteer`) gives it; names are read in the
simplified shadow, so 溫州市 is 温州市."""

from __future__ import annotations

from corpack.extract import Document
from corpack.extract.gazetteer import find_places


def extract(doc: Document) -> list[dict]:
    """Return the ``places`` rows of one document; ambiguous names are kept without a code and logged."""
    rows = []
    for para in doc.prose:
        for place in find_places(doc.shadow[para.start : para.end]):
            start, end = para.start + place.start, para.start + place.end
            if place.ambiguous:
                doc.skipped.append(("places", doc.text[start:end], "ambiguous name: no code assigned"))
            rows.append(
                {
                    "place_id": doc.row_id(start, end),
                    **doc.rows_base(para.no, start, end),
                    "name": doc.text[start:end],
                    "full_name": place.full_name,
                    "level": place.level,
                    "adcode": place.adcode,
                    "province": place.province,
                    "ambiguous": place.ambiguous,
                }
            )
    return rows
