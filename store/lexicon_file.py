"""The asker's lexicon of a store, kept in the store folder so that opening a store does not
list every unit, report, project and document of the graph again.

``lexicon.json`` holds ``Lexicon.to_rows()`` and the store generation it was made at. It is a
cache: valid while the manifest's generation and the code that makes names' forms are the same
and no commit is under way (every committed change bumps the generation); otherwise the lexicon is built from the graph
(``Lexicon.from_store``) and the file written anew by whichever process built it — a reader
too, since it only caches what the graph says — unless a commit started or finished
meanwhile, or the folder cannot be written (then the next open builds it again).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kg.atomic_io import write_bytes_atomic
from kg.extract import names, normalize
from kg.graph import entities
from kg.graph.entities import Lexicon

FILE = "lexicon.json"
FORMAT = 1
# the code that makes entities' forms: a lexicon written by other rules (an upgrade) is built again
CODE = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (entities, names, normalize))).hexdigest()[:16]


def corpus_lexicon(corpus) -> Lexicon:
    """The lexicon of ``corpus`` (a ``store.corpus.Corpus``; anything else without a store
    folder, such as a served view, gets ``Lexicon.from_store`` of its graph)."""
    folder = getattr(corpus, "folder", None)
    if folder is None or not hasattr(corpus, "journal_path"):
        return Lexicon.from_store(corpus.graph)
    path = Path(folder) / FILE
    generation = corpus.generation
    if not corpus.journal_path.exists():
        cached = _read(path, generation)
        if cached is not None:
            return cached
    lexicon = Lexicon.from_store(corpus.graph)
    if not corpus.journal_path.exists() and _generation_on_disk(corpus) == generation:
        try:
            write_bytes_atomic(path, json.dumps({"format": FORMAT, "code": CODE, "generation": generation,
                                                 "rows": lexicon.to_rows()}, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # a folder this process cannot write: the next open builds the lexicon again
    return lexicon


def _read(path: Path, generation: int) -> Lexicon | None:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != CODE \
            or data.get("generation") != generation:
        return None
    try:
        return Lexicon.from_rows(data["rows"])
    except (KeyError, TypeError, ValueError):
        return None


def _generation_on_disk(corpus) -> int | None:
    try:
        return int(json.loads(corpus.manifest_path.read_text(encoding="utf-8")).get("generation", 0))
    except (OSError, ValueError, AttributeError):
        return None
