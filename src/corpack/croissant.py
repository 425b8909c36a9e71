"""Croissant 1.0 metadata (``croissant.json``) of a package: how ML tools find and read the dataset.

Hugging Face publishes Croissant for every dataset, and Kaggle and Google Dataset Search read it. The file
is written from the descriptor and the citation data (:func:`corpack.citation.cff`), like the other citation
files, so all of them say the same thing:

- the dataset: name, description, version, date, licence, creators, keywords, ``citeAs`` (BibTeX);
- ``distribution``: one ``cr:FileObject`` per resource file, with its path, media type and sha256;
- ``recordSet``: one ``cr:RecordSet`` per resource, one ``cr:Field`` per schema field (its Croissant data
  type, description and the Parquet column it is read from), and the primary key as ``key``. Foreign keys
  are left out: mlcroissant 1.1 fails to read a record set whose fields carry ``references`` (it joins the
  tables and breaks), and a file its reference reader cannot read helps nobody.

Paths are relative to where the file lies: ``prefix`` is the package folder seen from there (``datapackage/``
for the copy beside the project's README, empty inside a release archive, where the package is at the top).
"""

from __future__ import annotations

from typing import Any

from corpack.citation import LICENCE_URLS, bibtex

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
#: The JSON-LD context of Croissant 1.0, as the specification gives it.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
# Table Schema type -> Croissant data type.
_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "datetime": "sc:DateTime",
    "year": "sc:Integer",
}
# Croissant names formats by these media types (mlcroissant reads Parquet only under this one).
_ENCODINGS = {"parquet": "application/x-parquet", "csv": "text/csv", "json": "application/json"}


def croissant(descriptor: dict[str, Any], data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Croissant 1.0 metadata for the package ``descriptor``, with ``data`` from :func:`corpack.citation.cff`.

    Args:
        descriptor: the package's ``datapackage.json``.
        data: its citation data.
        prefix: the package folder as seen from the Croissant file (see the module docstring).
    """
    resources = descriptor.get("resources", [])
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": descriptor.get("name", data["title"]),
        "description": data.get("abstract", data["title"]),
        "version": data["version"],
        "datePublished": data["date-released"],
        "inLanguage": "zh",
        "creator": [_creator(author) for author in data["authors"]],
        "keywords": data.get("keywords", []),
        "citeAs": bibtex(data),
        "url": descriptor.get("homepage") or f"{prefix}datapackage.json",
        "distribution": [_file_object(resource, prefix) for resource in resources],
        "recordSet": [_record_set(resource) for resource in resources],
    }
    licences = [lic.get("path") or LICENCE_URLS.get(lic.get("name", ""), lic.get("name")) for lic in descriptor.get("licenses", [])]
    if licences:
        out["license"] = licences[0] if len(licences) == 1 else licences
    if descriptor.get("corpack:rights"):
        out["usageInfo"] = descriptor["corpack:rights"]
    return out


def _creator(author: dict[str, str]) -> dict[str, str]:
    if "name" in author:
        return {"@type": "sc:Organization", "name": author["name"]}
    return {"@type": "sc:Person", "name": f"{author.get('given-names', '')} {author.get('family-names', '')}".strip()}


def _file_id(resource: dict[str, Any]) -> str:
    return f"{resource['name']}-file"


def _file_object(resource: dict[str, Any], prefix: str) -> dict[str, Any]:
    algorithm, _, digest = str(resource.get("hash", "")).rpartition(":")
    entry = {
        "@type": "cr:FileObject",
        "@id": _file_id(resource),
        "name": _file_id(resource),
        "contentUrl": f"{prefix}{resource['path']}",
        "encodingFormat": _ENCODINGS.get(str(resource.get("format", "")).lower()) or resource.get("mediatype") or "application/octet-stream",
    }
    if digest and algorithm in ("", "sha256"):
        entry["sha256"] = digest
    elif digest and algorithm == "md5":
        entry["md5"] = digest
    return entry


def _record_set(resource: dict[str, Any]) -> dict[str, Any]:
    schema = resource.get("schema", {})
    name = resource["name"]
    fields = []
    for field in schema.get("fields", []):
        entry: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{name}/{field['name']}",
            "name": field["name"],
            "description": field.get("description", field["name"]),
            "dataType": _TYPES.get(field.get("type", "string"), "sc:Text"),
            "source": {"fileObject": {"@id": _file_id(resource)}, "extract": {"column": field["name"]}},
        }
        fields.append(entry)
    out: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": resource.get("description") or resource.get("title") or name,
        "field": fields,
    }
    primary = schema.get("primaryKey") or []
    if primary:
        keys = [{"@id": f"{name}/{field}"} for field in ([primary] if isinstance(primary, str) else primary)]
        out["key"] = keys[0] if len(keys) == 1 else keys
    return out
