"""Opening the store for a command: settings from the command line, the writer lock, its options."""
from __future__ import annotations

import argparse
import contextlib
import sys

from kg.settings import STORE_OPTIONS, add_options, given_by, resolve


def add_store_options(parser: argparse.ArgumentParser) -> None:
    add_options(parser, STORE_OPTIONS)


def add_no_wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-wait", action="store_true", help="存储正被写入时立即失败而不等待 "
                                                               "(fail at once when another process writes the store)")


def open_corpus(args, create: bool = False, read_only: bool = False):
    from store.corpus import Corpus

    given = given_by(args)
    corpus = Corpus(resolve("store", given.get("store")), given=given, create=create, read_only=read_only,
                    lock_wait=not getattr(args, "no_wait", False))
    corpus.on_lock_wait = lambda message: print(message, file=sys.stderr, flush=True)
    return corpus


@contextlib.contextmanager
def writing(corpus):
    """The store's writer lock for a command, saying what an interrupted earlier write needed."""
    with corpus.writing():
        if corpus.recovered:
            print(corpus.recovered, file=sys.stderr)
        yield corpus
