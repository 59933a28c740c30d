"""Reading back what an index saved: one message shape for a missing or damaged file,
each telling the user how to rebuild."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from kg.errors import StoreError

REPAIR = "rebuild it from the stored reports with `budgetkg verify --repair --store STORE`"


def missing(path: Path, what_zh: str, what_en: str) -> StoreError:
    return StoreError(f"{what_zh}不存在：{path} ({what_en} is missing; {REPAIR})")


def corrupt(path: Path, what_zh: str, what_en: str, err: Exception) -> StoreError:
    return StoreError(f"{what_zh}已损坏：{path}（{err}）({what_en} is corrupt; {REPAIR})")


@contextmanager
def saved_arrays(path: Path, what_zh: str, what_en: str) -> Iterator[np.lib.npyio.NpzFile]:
    """The arrays of an ``.npz`` file; reading them (inside the block too) fails as a StoreError."""
    if not path.is_file():
        raise missing(path, what_zh, what_en)
    try:
        with np.load(path, allow_pickle=False) as data:
            yield data
    except (OSError, ValueError, KeyError) as err:
        raise corrupt(path, what_zh, what_en, err) from None


def read_json(path: Path, what_zh: str, what_en: str) -> dict | None:
    """A saved JSON document, ``None`` when the file is absent."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise corrupt(path, what_zh, what_en, err) from None
