"""The store folder and the ingest that fills it: the layer above reading, graph building,
checks (``kg``) and the passage index (``embed``) that drives them all.

``store.corpus`` holds ``Corpus`` (manifest, commit journal, recovery, ingest),
``store.verify`` the checks that the store agrees with itself and their repairs.
"""
