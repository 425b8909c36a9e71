"""Cleaning step 0: a corpus file that is a whole HTML page goes through a kept main-text extractor.

Most corpus files are text saved from pages; some are the page's HTML itself. For those, writing our own
HTML rules would repeat what kept extractors do better, so the file's main text is taken with trafilatura
(which reads the publication date with htmldate), and the text rules of the later steps run on what it
returns, as on any saved page.

- A text *is a page* when its first 2,000 characters open an HTML document (``<!DOCTYPE html``, ``<html``,
  ``<head`` or ``<body``) and it holds at least ten tags. Text with a few stray tags is not a page: the
  markup and repair steps handle it.
- The extractor runs with tables kept, comments left out, in its default balance of precision and recall
  (losing report text is worse than keeping a menu line: the later rules remove menus).
- Its headline becomes the first line when the main text does not already hold it; its date (htmldate,
  original date, no later than 2099-12-31 so that the build date never matters) and site name are offered
  as ``published`` (``html-metadata``) and ``publisher`` when the page's own lines state none.
- Every tag of the page counts in ``html_removed``.
"""

from __future__ import annotations

import datetime as dt
import re

_PAGE = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_TAG = re.compile(r"<[!/]?[A-Za-z][^<>]*>")
_MIN_TAGS = 10
_DATE_PARAMS = {"original_date": True, "extensive_search": True, "max_date": "2099-12-31"}


def is_page(text: str) -> bool:
    """Tell whether ``text`` is a whole HTML page (see the module docstring)."""
    return bool(_PAGE.search(text[:2000])) and len(_TAG.findall(text)) >= _MIN_TAGS


def extract(text: str) -> tuple[str, int, dict]:
    """Take the main text of an HTML page.

    Returns:
        ``(text, tags, metadata)``: the main text (headline first), the number of tags in the page, and
        ``published``/``published_source``/``publisher`` where the extractor found them. When the extractor
        finds no main text, the page is returned as it was (the markup step then strips it).
    """
    import trafilatura  # imported here: it takes a third of a second, and most corpora hold no HTML page

    tags = len(_TAG.findall(text))
    try:
        found = trafilatura.bare_extraction(
            text, with_metadata=True, include_tables=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
    except Exception:  # noqa: BLE001 - a page the extractor cannot parse is cleaned by the text rules instead
        found = None
    if found is None or not (found.text or "").strip():
        return text, 0, {}
    body = found.text.strip()
    title = (found.title or "").strip()
    if title and title not in body.split("\n"):
        body = f"{title}\n{body}"
    meta: dict = {}
    if found.date:
        try:
            meta["published"], meta["published_source"] = dt.date.fromisoformat(found.date[:10]), "html-metadata"
        except ValueError:
            pass
    if found.sitename:
        meta["publisher"] = found.sitename.strip()
    return body, tags, meta
