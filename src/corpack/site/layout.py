"""The frame every page shares: head, header, navigation, main landmark and footer; the static files."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib.resources import files

#: The site's own stylesheet and scripts, shipped inside the wheel (src/corpack/site/static/).
STATIC = ("site.css", "rows.js", "table.js", "document.js")


def static_files() -> dict[str, bytes]:
    """The static files by name, read from the package data."""
    root = files("corpack.site").joinpath("static")
    return {name: root.joinpath(name).read_bytes() for name in STATIC}


@lru_cache(maxsize=64)
def _nav(up: str, current: str, resources: tuple[str, ...]) -> str:
    """The site navigation's items, from a page ``up`` below the root (the same for every page of a kind)."""
    items = [("overview", "Overview", "index.html")]
    items += [(name, name, f"resources/{name}.html") for name in resources]
    items += [("cleaning", "Cleaning", "cleaning.html"), ("validation", "Validation", "validation.html")]
    here = ' aria-current="page"'
    return "".join(
        f'<li><a href="{escape(up + href)}"{here if key == current else ""}>{escape(label)}</a></li>'
        for key, label, href in items
    )


def page(*, title: str, body: str, depth: int, package_title: str, current: str, scripts: tuple[str, ...] = (),
         resources: list[str] | None = None) -> str:
    """A complete HTML page.

    Args:
        title: the page's own title (plain text; escaped here).
        body: the HTML inside ``<main>`` (already escaped by its maker).
        depth: how many folders below the site root the page lives (0 for index.html), for relative links.
        package_title: the package's title, shown in the header (plain text).
        current: which navigation entry is this page's (``overview``, ``cleaning``, ``validation`` or a resource).
        scripts: static scripts the page needs.
        resources: resource names for the navigation.
    """
    head, tail = page_parts(title=title, depth=depth, package_title=package_title, current=current, scripts=scripts,
                            resources=resources)
    return head + body + tail


def page_parts(*, title: str, depth: int, package_title: str, current: str, scripts: tuple[str, ...] = (),
               resources: list[str] | None = None) -> tuple[str, str]:
    """:func:`page` without its body: the HTML before ``<main>``'s content and after it (arguments as for
    :func:`page`), for a body written as bytes."""
    up = "../" * depth
    nav = _nav(up, current, tuple(resources or ()))
    tags = "".join(f'<script src="{up}assets/{escape(name)}" defer></script>' for name in scripts)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # Nothing but the site's own stylesheet and scripts may load: a value that escaped its escaping still could
        # not run or call home.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\'; '
        'style-src \'self\'; img-src \'self\'">\n'
        f"<title>{escape(title)} · {escape(package_title)}</title>\n"
        f'<link rel="stylesheet" href="{up}assets/site.css">\n{tags}\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to content</a>\n'
        f'<header><p class="brand"><a href="{up}index.html" lang="zh">{escape(package_title)}</a></p>\n'
        f'<nav aria-label="Site"><ul>{nav}</ul></nav></header>\n'
        '<main id="main" tabindex="-1">\n',
        "\n</main>\n"
        "<footer><p>Built by <code>pkg site</code> from the package's own files; every page works offline.</p></footer>\n"
        "</body>\n</html>\n",
    )
