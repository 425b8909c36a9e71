"""Reading a built site back: the marks of a document page, its links and landmarks (stdlib HTML parser)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Marks(HTMLParser):
    """Collects, per fact, the text inside its marks (in document order), and every tag seen.

    A mark holds its key in the page (its first fragment as ``id="m<key>"``, the others as ``data-fact``); the fact is named as ``<table>:<row key>`` from its row in the
    page's facts tables: line ``k`` of the text after ``<table class="facts" data-name="<table>" data-number="<n>">``
    is the fact ``<n>-<k>`` (``rows.js`` makes it the row ``<tr id="f<n>-<k>">``), its second cell the row key.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []
        self.by_key: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.in_text_div = 0
        self.document_text = ""
        self.table: tuple[str, str] | None = None  # the facts table (name, number) whose text comes next
        self.facts: str | None = None  # that text, while it is read
        self.rows: dict[str, str] = {}  # a fact's key in the page -> "<table>:<row key>"
        self.places: dict[str, int] = {}  # a fact's key in the page -> its row's place in its resource

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table" and "facts" in (attributes.get("class") or "").split():
            self.table = (attributes.get("data-name") or "", attributes.get("data-number") or "")
        elif tag == "pre" and self.table is not None:
            self.facts = ""
        if tag in VOID:
            return
        if tag == "div" and attributes.get("id") == "text":
            self.in_text_div = 1
        elif self.in_text_div:
            self.in_text_div += 1
        key = (attributes.get("data-fact") or (attributes.get("id") or "")[1:] or None) if tag == "mark" else None
        if key is not None:
            self.by_key.setdefault(key, "")
        self.open.append(key)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre" and self.facts is not None and self.table is not None:
            (name, number), lines = self.table, self.facts.split("\n")[1:-1]
            for k, line in enumerate(lines):
                place, key = line.split("\t")[:2]
                self.rows[f"{number}-{k}"] = f"{name}:{key}"
                self.places[f"{number}-{k}"] = int(place)
            self.table, self.facts = None, None
        if tag in VOID:
            return
        self.open.pop()
        if self.in_text_div:
            self.in_text_div -= 1

    def handle_data(self, data: str) -> None:
        if self.facts is not None:
            self.facts += data
        if self.in_text_div:
            self.document_text += data
        for key in self.open:
            if key is not None:
                self.by_key[key] += data

    @property
    def text(self) -> dict[str, str]:
        """The text of each fact's marks, by ``<table>:<row key>`` (the key in the page when no row names it)."""
        return {self.rows.get(key, key): text for key, text in self.by_key.items()}


def marks(html: str) -> Marks:
    """Parse ``html`` (one page) into :class:`Marks`."""
    parser = Marks()
    parser.feed(html)
    parser.close()
    return parser


def page_rows(html: str) -> dict[str, list[str]]:
    """A resource page's rows as the page holds them (``<pre id="data">``: a line a row, cells tab-separated, read
    as a browser reads the text), by the ``id`` ``rows.js`` gives each row (``r<place>``, counted from the table's
    ``data-first``); the column names, as the text's first line, under ``""``."""
    import re
    from html import unescape

    first = int(re.search(r'<table id="rows"[^>]* data-first="([0-9]+)"', html).group(1))
    text = unescape(html.split('<pre class="rows" id="data">', 1)[1].split("</pre>", 1)[0])
    names, *lines = text.split("\n")
    assert lines[-1] == "" if lines else True
    return {"": names.split("\t"), **{f"r{first + i}": line.split("\t") for i, line in enumerate(lines[:-1])}}
