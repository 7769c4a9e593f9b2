"""Exports of the whole store in standard RDF formats.

>>> from kgraph import load
>>> b"kgo:Assertion" in export_bytes(load().store, "ttl")
True
"""

from __future__ import annotations

import json

from .store import Store
from .vocab import PREFIXES

__all__ = ["EXPORTERS", "export_bytes"]


def _jsonld(store: Store) -> bytes:
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=store.dump("nq"), format="nquads")
    context = {k: v for k, v in PREFIXES.items()}
    text = ds.serialize(format="json-ld", context=context, auto_compact=True)
    json.loads(text)  # well-formed
    return text.encode()


EXPORTERS = {
    "ttl": lambda s: s.dump("ttl"),
    "nt": lambda s: s.dump("nt"),
    "nq": lambda s: s.dump("nq"),
    "trig": lambda s: s.dump("trig"),
    "jsonld": _jsonld,
}


def export_bytes(store: Store, format: str) -> bytes:
    """The store serialised as ``format`` (one of :data:`EXPORTERS`)."""
    try:
        return EXPORTERS[format](store)
    except KeyError:
        raise ValueError(
            f"unknown export format {format!r} (known: {', '.join(EXPORTERS)})"
        ) from None
