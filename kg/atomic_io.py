"""Crash-safe file replacement for everything the store folder holds (manifest, extractions, indexes).

A file is written under a temporary name in its final folder, flushed and fsynced,
then moved over the old one with ``os.replace`` (atomic on POSIX and Windows), and the
folder is fsynced so the rename itself survives a power loss. A crash at any point
leaves either the old file or the new one, never a half-written mix.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Persist a rename in ``folder`` (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success move it over ``target``.

    The body writes the complete file at the yielded path (by any library). If the body
    raises, the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(target.parent)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def remove_stale_temporaries(folder: Path) -> None:
    """Delete ``.*.tmp`` files an interrupted write left behind."""
    if not Path(folder).is_dir():
        return
    for leftover in Path(folder).glob(".*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()
