"""Reader interface: a file in, a ``RawDocument`` out.

A reader raises ``kg.errors.InputFileError`` subclasses for files it cannot read (empty,
encrypted, no text layer, corrupt) and never lets a library traceback escape for a
user's file.
"""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from pathlib import Path

from kg.extract.layout import RawDocument


class Reader(ABC):
    """Reads one file format into the layout model."""

    #: file suffixes this reader accepts (lower case, with the dot)
    suffixes: tuple[str, ...] = ()

    @abstractmethod
    def read(self, path: Path, data: bytes | None = None) -> RawDocument:
        """Read ``path`` (or ``data`` already loaded from it) into blocks with pages."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
