"""What ingesting one file did, and the decisions that need no extraction.

A file's bytes decide first: the same bytes as an earlier file of the batch, or as a
stored report read from another path, make it a ``duplicate`` (nothing is written); the
same bytes from the same path make it ``unchanged``. Otherwise the extracted report's
identity key (``Report.identity_key``) decides: a new key is ``added``, a stored key is
``updated`` and the result names the file it replaced; a report whose document does not
give unit, year and kind is kept under its content hash and flagged.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Report


@dataclass
class IngestResult:
    path: Path
    status: str  # added | updated | unchanged | duplicate | failed
    report: str | None = None  # report IRI
    title: str = ""
    message: str = ""
    triples: int = 0
    passages: int = 0
    replaced: dict | None = None  # {"path", "sha256"} of the file this one replaced
    duplicate_of: str | None = None
    identity_missing: list[str] = field(default_factory=list)
    pages: int = 0  # pages read for this result (0 when the file was not read)


STATUSES = ("added", "updated", "unchanged", "duplicate", "failed")


def known_result(path: Path, sha: str, earlier: Path | None, stored: tuple[str, dict] | None,
                 force: bool) -> IngestResult | None:
    """The result for a file whose bytes are already known (no extraction needed), else None.

    ``earlier``: the first file of this batch with the same bytes; ``stored``: (IRI, manifest
    entry) of a stored report with the same bytes."""
    if earlier is not None:
        return duplicate(path, str(earlier))
    if stored is None:
        return None
    iri, entry = stored
    if not same_file(entry.get("path", ""), path):
        return duplicate(path, entry.get("path", ""), iri, entry.get("title", ""))
    if force:
        return None
    missing = entry.get("identity_incomplete") or []
    return IngestResult(path, "unchanged", iri, entry.get("title", ""), identity_note(missing),
                        triples=entry.get("triples", 0), passages=entry.get("passages", 0),
                        identity_missing=list(missing))


def stored_result(path: Path, iri: str, entry: dict, previous: dict | None, earlier: Path | None) -> IngestResult:
    """The result for a report just committed as ``entry`` over ``previous`` (its old entry, if any);
    ``earlier`` is the file of this batch it replaced."""
    result = IngestResult(path, "updated" if previous else "added", iri, entry["title"],
                          triples=entry["triples"] + entry["shared_triples"], passages=entry["passages"],
                          identity_missing=list(entry.get("identity_incomplete", [])))
    notes = []
    if earlier is not None:
        notes.append(f"与 {earlier} 是同一份报告，已以本文件为准 (same report as {earlier}; this file replaces it)")
    if previous and (previous.get("sha256") != entry["sha256"] or previous.get("path") != entry["path"]):
        result.replaced = {"path": previous.get("path"), "sha256": previous.get("sha256")}
        notes.append(f"替换了 {previous.get('path')}（sha256 {previous.get('sha256')}）"
                     f"(replaced {previous.get('path')}, sha256 {previous.get('sha256')})")
    if result.identity_missing:
        notes.append(identity_note(result.identity_missing))
    result.message = "；".join(notes)
    return result


def identity_missing(report: Report) -> list[str]:
    """Which of unit, year and kind the document did not give (empty when its identity is complete)."""
    if report.identity_complete:
        return []
    return [name for name, value in (("unit", report.unit), ("year", report.year), ("kind", report.kind))
            if value in (None, "")]


def identity_note(missing: list[str]) -> str:
    if not missing:
        return ""
    return (f"身份不完整 identity incomplete: missing {'/'.join(missing)}；按内容哈希单独保存 "
            f"(kept under its content hash, never merged with another report)")


def duplicate(path: Path, original: str, iri: str | None = None, title: str = "") -> IngestResult:
    return IngestResult(path, "duplicate", iri, title,
                        f"与 {original} 内容完全相同（重复文件），已跳过 (byte-identical duplicate of {original})",
                        duplicate_of=original)


def same_file(stored: str, path: Path) -> bool:
    if stored == str(path):
        return True
    try:
        return os.path.samefile(stored, path)
    except (OSError, ValueError):
        return False


def file_sha256(path: Path) -> str | None:
    """sha256 of a file's bytes (what extraction records), ``None`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


__all__ = ["IngestResult", "STATUSES", "known_result", "stored_result", "identity_missing", "identity_note",
           "duplicate", "same_file", "file_sha256"]
