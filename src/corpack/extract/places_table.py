"""The ``places`` table: every administrative-division mention of a document (see :mod:`.places`)."""

from __future__ import annotations

from corpack.extract import Document
from corpack.extract.places import find_places


def extract(doc: Document) -> list[dict]:
    """Return the ``places`` rows of one document; ambiguous names are kept without a code and logged."""
    rows = []
    for para_no, _kind, lo, hi, _u in doc.paragraphs:
        for place in find_places(doc.text[lo:hi]):
            start, end = lo + place.start, lo + place.end
            if place.ambiguous:
                doc.skipped.append(("places", place.name, "ambiguous name: no code assigned"))
            rows.append(
                {
                    "place_id": doc.row_id(start, end),
                    **doc.rows_base(para_no, start, end),
                    "name": place.name,
                    "full_name": place.full_name,
                    "level": place.level,
                    "adcode": place.adcode,
                    "province": place.province,
                    "ambiguous": place.ambiguous,
                }
            )
    return rows
