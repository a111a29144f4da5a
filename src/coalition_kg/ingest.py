"""Register news documents under ``graph/sources/`` so the build mines them.

Each document becomes a folder ``graph/sources/<source id>/`` holding its versions
(``v1.txt``, ``v2.html`` …) and ``source.yaml``, the metadata: title, publisher, URL,
publication date with its precision, type, language, and the hash of every version.
Ingesting the same document again changes nothing; ingesting a changed version adds it as
the next version, and the build then mines the newest. The source id comes from the URL
when there is one (so the same article found twice is one source), else from the file name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import schema
from .documents import DocumentError, Rules, read_document
from .namespaces import short_hash, slugify
from .project import Project
from .yamlfile import DataError, Problem, load_yaml

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

METADATA = schema.Spec({
    "title": (schema.text(500), False),
    "publisher": (schema.ref("publisher"), False),
    "url": (schema.URL, False),
    "issued": (schema.ANY_PRECISION, False),
    "type": (schema.concept("source-type"), False),
    "reliability": (schema.concept("reliability"), False),
    "language": (schema.pattern(r"[a-z]{2,3}", "a language code such as 'en'"), False),
    "encoding": (schema.pattern(r"[A-Za-z0-9_-]+", "an encoding name such as 'latin-1'"), False),
    "note": schema.NOTE,
})
VERSION = schema.Spec({"file": (schema.pattern(r"v\d+\.[a-z]+", "a file name such as v1.txt"), True),
                       "sha256": (schema.pattern(r"[0-9a-f]{64}", "a SHA-256 hex digest"), True)})
REGISTERED = schema.Spec({**METADATA.fields, "versions": (schema.list_of(VERSION, min_items=1), True)})


@dataclass
class Ingested:
    source_id: str
    version: int
    changed: bool  # False when this exact document was already the latest version


def documents_in(paths: list[Path]) -> list[Path]:
    """The files to ingest: the files given, and the documents inside folders given."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return found


def metadata_for(path: Path, meta_file: Path | None, options: dict) -> dict:
    """Sidecar ``<file>.meta.yaml`` (or ``--meta``), overridden by command-line options; checked."""
    raw: dict = {}
    for candidate in [path.with_name(path.name + ".meta.yaml"), path.with_suffix(".meta.yaml"), meta_file]:
        if candidate and candidate.exists():
            loaded = load_yaml(candidate)
            if not isinstance(loaded, dict):
                raise DataError([Problem(str(candidate), 1, "", "expected a mapping of metadata fields")])
            raw.update(loaded)
            break
    raw.update({k: v for k, v in options.items() if v is not None})
    ctx = schema.Context(str(meta_file or path))
    checked = METADATA(raw, ctx, schema.Location(str(meta_file or path), None, ""))
    if ctx.problems:
        raise DataError(ctx.problems)
    return {k: raw[k] for k in raw if k in checked}


def source_id(path: Path, metadata: dict) -> str:
    if metadata.get("url"):
        host = slugify((urlsplit(metadata["url"]).hostname or "web").removeprefix("www."))
        return f"{host}-{short_hash(metadata['url'])}"
    return slugify(path.stem) or f"document-{short_hash(path.name)}"


def register(project: Project, path: Path, metadata: dict, rules: Rules) -> Ingested:
    """Check that ``path`` reads as a document, then add it (or its new version) to graph/sources/."""
    read_document(path, rules, metadata.get("encoding"), shown=str(path))  # refuse bad documents before writing
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    identifier = source_id(path, metadata)
    folder = project.graph_dir / "sources" / identifier
    record = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8")) if (folder / "source.yaml").exists() else {}
    versions = record.get("versions", [])
    if versions and versions[-1]["sha256"] == digest and {k: record.get(k) for k in metadata} == metadata:
        return Ingested(identifier, len(versions), changed=False)
    if not versions or versions[-1]["sha256"] != digest:
        suffix = path.suffix.lower() if path.suffix.lower() in DOCUMENT_SUFFIXES else ".txt"
        versions.append({"file": f"v{len(versions) + 1}{suffix}", "sha256": digest})
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / versions[-1]["file"])
    record = {**{k: v for k, v in record.items() if k != "versions"}, **metadata, "versions": versions}
    _write_atomically(folder / "source.yaml", yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    return Ingested(identifier, len(versions), changed=True)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def snapshot(project: Project) -> dict[Path, bytes | None]:
    """The current sources' metadata files, to restore if a build after ingesting fails."""
    folder = project.graph_dir / "sources"
    return {p: p.read_bytes() for p in folder.glob("*/source.yaml")} if folder.exists() else {}


def restore(project: Project, before: dict[Path, bytes]) -> None:
    """Undo registrations made since ``snapshot``: new folders removed, changed metadata restored."""
    folder = project.graph_dir / "sources"
    for meta in folder.glob("*/source.yaml"):
        if meta not in before:
            shutil.rmtree(meta.parent)
        elif meta.read_bytes() != before[meta]:
            listed = {v["file"] for v in yaml.safe_load(before[meta])["versions"]}
            for file in meta.parent.glob("v*.*"):
                if file.name not in listed:
                    file.unlink()
            meta.write_bytes(before[meta])


def load_sources(project: Project) -> tuple[list[tuple[str, schema.Record]], list[Problem], list[schema.Ref]]:
    """Every registered source, checked: (id, record) pairs, problems, references to resolve."""
    folder = project.graph_dir / "sources"
    found, problems, refs = [], [], []
    for meta in sorted(folder.glob("*/source.yaml")) if folder.exists() else []:
        shown = project.display(meta)
        try:
            document = load_yaml(meta, shown)
        except DataError as exc:
            problems += exc.problems
            continue
        ctx = schema.Context(shown)
        record = REGISTERED(document, ctx, schema.Location(shown, 1, ""))
        problems += ctx.problems
        refs += ctx.refs
        if record is not None and not ctx.problems:
            for version in record["versions"]:
                if not (meta.parent / version["file"]).exists():
                    problems.append(Problem(shown, None, "versions", f"{version['file']} is missing"))
            found.append((meta.parent.name, record))
    return found, problems, refs


__all__ = ["DocumentError", "Ingested", "documents_in", "load_sources", "metadata_for", "register", "restore",
           "snapshot", "source_id"]
