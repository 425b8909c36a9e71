"""Citation metadata of a package, written from its descriptor: CITATION.cff, BibTeX, APA, Zenodo, schema.org.

One function, :func:`cff`, turns the descriptor into Citation File Format 1.2.0 data; every other form is
rendered from that, so the card, CITATION.cff, ``.zenodo.json`` and the JSON-LD always say the same thing.
"""

from __future__ import annotations

from typing import Any

import yaml

_SPDX = {"CC-BY-4.0": "CC-BY-4.0", "CC0-1.0": "CC0-1.0", "ODC-BY-1.0": "ODC-By-1.0", "MIT": "MIT"}
#: Where each licence's text is, for metadata that wants a URL (Croissant, a new corpus.toml).
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODC-BY-1.0": "https://opendatacommons.org/licenses/by/1-0/",
    "MIT": "https://opensource.org/license/mit",
}


def creators(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The contributors a citation names: those with role creator or author, or with no roles."""
    return [
        c for c in descriptor.get("contributors") or []
        if isinstance(c, dict) and (not c.get("roles") or {"creator", "author"} & set(c["roles"]))
    ]


def _authors(descriptor: dict[str, Any]) -> list[dict[str, str]]:
    people = creators(descriptor)
    authors = []
    for person in people or [{"title": descriptor.get("name", "unknown")}]:
        if person.get("givenName") or person.get("familyName"):
            entry = {"given-names": person.get("givenName", ""), "family-names": person.get("familyName", "")}
        else:
            entry = {"name": person.get("title", "unknown")}
        if person.get("email"):
            entry["email"] = person["email"]
        if str(person.get("path", "")).startswith("https://orcid.org/"):
            entry["orcid"] = person["path"]
        authors.append({k: v for k, v in entry.items() if v})
    return authors


def cff(descriptor: dict[str, Any]) -> dict[str, Any]:
    """CITATION.cff data (CFF 1.2.0, type dataset) for the package described by ``descriptor``."""
    licences = [_SPDX.get(lic.get("name", ""), lic.get("name")) for lic in descriptor.get("licenses", []) if lic.get("name")]
    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": descriptor.get("title") or descriptor["name"],
        "version": str(descriptor.get("version", "")),
        "date-released": str(descriptor.get("created", ""))[:10],
        "authors": _authors(descriptor),
    }
    if licences:
        data["license"] = licences[0] if len(licences) == 1 else licences
    if descriptor.get("description"):
        data["abstract"] = descriptor["description"].strip()
    if descriptor.get("keywords"):
        data["keywords"] = list(descriptor["keywords"])
    if descriptor.get("homepage"):
        data["url"] = descriptor["homepage"]
    return data


def cff_text(data: dict[str, Any]) -> str:
    """CITATION.cff as YAML, keys in CFF's customary order, UTF-8."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _author_names(data: dict[str, Any]) -> list[str]:
    return [a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}".strip(", ") for a in data["authors"]]


def bibtex(data: dict[str, Any]) -> str:
    """A BibTeX ``@misc`` entry for the dataset."""
    year = data["date-released"][:4]
    key = "".join(ch for ch in data["title"].split("(")[0].title() if ch.isalnum())[:30] + year
    authors = " and ".join("{" + name + "}" if "," not in name else name for name in _author_names(data))
    fields = [f"  title = {{{data['title']}}}", f"  author = {{{authors}}}", f"  year = {{{year}}}", f"  version = {{{data['version']}}}"]
    if data.get("url"):
        fields.append(f"  url = {{{data['url']}}}")
    if data.get("license"):
        fields.append(f"  note = {{Dataset, licence {data['license'] if isinstance(data['license'], str) else ', '.join(data['license'])}}}")
    return f"@misc{{{key},\n" + ",\n".join(fields) + "\n}"


def apa(data: dict[str, Any]) -> str:
    """An APA 7 reference for the dataset."""
    authors = ", ".join(_author_names(data))
    ref = f"{authors}. ({data['date-released'][:4]}). *{data['title']}* (Version {data['version']}) [Data set]."
    return ref + (f" {data['url']}" if data.get("url") else "")


def zenodo(data: dict[str, Any]) -> dict[str, Any]:
    """``.zenodo.json`` deposit metadata."""
    out: dict[str, Any] = {
        "title": data["title"],
        "upload_type": "dataset",
        "version": data["version"],
        "publication_date": data["date-released"],
        "creators": [
            {"name": name, **({"orcid": a["orcid"].rsplit("/", 1)[-1]} if a.get("orcid") else {})} for a, name in zip(data["authors"], _author_names(data))
        ],
        "description": data.get("abstract", data["title"]),
        "access_right": "open",
    }
    if data.get("license"):
        out["license"] = (data["license"] if isinstance(data["license"], str) else data["license"][0]).lower()
    if data.get("keywords"):
        out["keywords"] = data["keywords"]
    return out


def jsonld(descriptor: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """A schema.org ``Dataset`` description, with one ``DataDownload`` per resource."""
    out: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": data["title"],
        "description": data.get("abstract", data["title"]),
        "version": data["version"],
        "datePublished": data["date-released"],
        "creator": [{"@type": "Organization" if "name" in a else "Person", "name": n} for a, n in zip(data["authors"], _author_names(data))],
        "keywords": data.get("keywords", []),
        "inLanguage": "zh",
        "license": [lic.get("path") or lic.get("name") for lic in descriptor.get("licenses", [])],
        "distribution": [
            {"@type": "DataDownload", "name": r["name"], "contentUrl": r["path"], "encodingFormat": r.get("mediatype", ""), "sha256": r.get("hash", "").split(":")[-1]}
            for r in descriptor.get("resources", [])
        ],
    }
    if descriptor.get("corpack:rights"):
        out["usageInfo"] = descriptor["corpack:rights"]
    return out
