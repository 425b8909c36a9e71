"""Reading a built site back: the marks of a document page, its links and landmarks (stdlib HTML parser)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Marks(HTMLParser):
    """Collects, per ``data-fact`` key, the text inside its marks (in document order), and every tag seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []
        self.text: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.in_text_div = 0
        self.document_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in VOID:
            return
        if tag == "div" and attributes.get("id") == "text":
            self.in_text_div = 1
        elif self.in_text_div:
            self.in_text_div += 1
        key = attributes.get("data-fact") if tag == "mark" else None
        if key is not None:
            self.text.setdefault(key, "")
        self.open.append(key)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.open.pop()
        if self.in_text_div:
            self.in_text_div -= 1

    def handle_data(self, data: str) -> None:
        if self.in_text_div:
            self.document_text += data
        for key in self.open:
            if key is not None:
                self.text[key] += data


def marks(html: str) -> Marks:
    """Parse ``html`` (one page) into :class:`Marks`."""
    parser = Marks()
    parser.feed(html)
    parser.close()
    return parser
