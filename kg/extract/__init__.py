"""Extraction: files → ``kg.model.Report``.

    from kg.extract import extract, discover
    report = extract(Path("report.pdf"))

``read`` gives the layout (``RawDocument``) only; ``discover`` lists the report files of
folders recursively; ``extract_many`` reads a batch, optionally in worker processes, and
yields one outcome per file so one bad file never stops a batch.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kg.errors import CorruptFile, EmptyFile, InputFileError, MissingFile, UnsupportedFormat
from kg.extract.layout import RawDocument
from kg.model import Report

PDF_SUFFIXES = (".pdf",)
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
SUFFIXES = PDF_SUFFIXES + TEXT_SUFFIXES


def read(path: Path, limits=None) -> RawDocument:
    """Read a file into the layout model with the reader its content calls for.

    ``limits`` (``readers.pdf_guard.ReadLimits``): the reading budget of a PDF; by
    default the environment's settings, else the defaults."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnsupportedFormat(path, "这是文件夹 (a folder: pass it to discover)") from None
    except FileNotFoundError:
        raise MissingFile(path) from None
    except OSError as err:
        raise CorruptFile(path, err.strerror) from None
    if not data:
        raise EmptyFile(path)
    from kg.extract.doctype import is_html

    if is_html(data):
        raise UnsupportedFormat(path, "这是网页（HTML），不是 PDF 报告 (a web page saved under a report's name; "
                                      "download the report it links to)")
    if data[:5] == b"%PDF-" or path.suffix.lower() in PDF_SUFFIXES:
        from kg.extract.readers.pdf import PdfReader

        return PdfReader().read(path, data, limits)
    if path.suffix.lower() in TEXT_SUFFIXES or not path.suffix:
        from kg.extract.readers.text import TextReader

        return TextReader().read(path, data)
    raise UnsupportedFormat(path)


def extract(path: Path, limits=None) -> Report:
    """Read and understand one report file."""
    from kg.extract.report import build_report

    return build_report(read(Path(path), limits))


def discover(paths: Iterable[Path]) -> list[Path]:
    """Report files under ``paths`` (folders read recursively), sorted, hidden files skipped."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return found


@dataclass
class Outcome:
    path: Path
    report: Report | None = None
    error: InputFileError | None = None


def _extract_one(path: Path, limits=None) -> Outcome:
    try:
        return Outcome(path, report=extract(path, limits))
    except InputFileError as err:
        return Outcome(path, error=err)
    except Exception as err:  # a parser bug must not stop the batch; it is reported as this file's failure
        return Outcome(path, error=CorruptFile(path, f"内部错误 (internal error: {type(err).__name__}: {err})"))


def extract_many(paths: Iterable[Path], workers: int = 1, limits=None) -> Iterator[Outcome]:
    """Extract every file; with ``workers > 1`` in separate processes. Order is kept."""
    paths = list(paths)
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield _extract_one(path, limits)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(partial(_extract_one, limits=limits), paths)
