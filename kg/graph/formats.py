"""Export formats by the names users type, kept free of heavy imports so the CLI's
``--help`` and argument checks do not load rdflib or networkx."""
from __future__ import annotations

RDF_FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "nquads": "nquads",
               "trig": "trig", "jsonld": "json-ld", "json-ld": "json-ld"}
FORMATS = sorted(set(RDF_FORMATS) | {"graphml", "csv"})
