"""The web server: SPARQL 1.1 Protocol endpoint, JSON API and a page (``budgetkg serve``).

Imports stay lazy: the SPARQL worker processes import ``search.web.worker`` and must not
pay for FastAPI.
"""
from __future__ import annotations


def create_app(*args, **kwargs):
    """See ``search.web.app.create_app``."""
    from search.web.app import create_app as build

    return build(*args, **kwargs)


def serve(*args, **kwargs):
    """See ``search.web.app.serve``."""
    from search.web.app import serve as run

    return run(*args, **kwargs)


__all__ = ["create_app", "serve"]
