"""The review queue: the graph's proposals awaiting review, most confident first.

Rows carry what an act needs (document id, subject and object CURIEs, predicate name, sentence and
quote), so a reviewer's accept / reject / correct goes straight to :func:`kgraph.curation.acts.curate`
(the notebook's ``kg.curate``, the server's POST and the explorer's buttons all do).

>>> from kgraph.store import open_store
>>> review_queue(open_store("memory:"))
[]
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import unquote

from ..vocab import KGD, KGO, compress

__all__ = ["review_queue"]

_PUBMED = f"{KGD}pubmed/"


def _query() -> str:
    return resources.files(__package__).joinpath("queries", "review-queue.rq").read_text("utf-8")


def _local(iri: str | None) -> str | None:
    return (
        None
        if iri is None
        else unquote(iri.rsplit("#", 1)[-1] if iri.startswith(str(KGO)) else iri)
    )


def document_id(iri: str) -> str:
    """The document id (or PMID) acts use for the document IRI ``iri``.

    >>> document_id("https://w3id.org/kgraph/document/pubmed/123"), document_id("https://w3id.org/kgraph/document/a%20b")
    ('123', 'a b')
    """
    if iri.startswith(_PUBMED):
        return unquote(iri[len(_PUBMED) :])
    return unquote(iri[len(str(KGD)) :]) if iri.startswith(str(KGD)) else iri


def review_queue(store) -> list[dict[str, object]]:
    """One row per proposal awaiting review, ordered High, Medium, Low confidence.

    >>> from kgraph import load
    >>> review_queue(load().store)  # the bundled corpus has no proposals
    []
    """
    result = store.query(_query())
    out = []
    for row in result.rows:
        v = {
            k: (t.value if t is not None else None)
            for k, t in zip(result.variables, row, strict=True)
        }
        start, end = v["start"], v["end"]
        out.append(
            {
                "assertion": v["assertion"],
                "document": document_id(v["document"]),
                "subject": compress(v["subject"]) or v["subject"],
                "predicate": _local(v["predicate"]),
                "object": compress(v["object"]) or v["object"],
                "confidence": _local(v["confidence"]),
                "negated": v["negated"] == "true",
                "certainty": _local(v["certainty"]),
                "evidence_level": _local(v["level"]),
                "comparison": _local(v["comparison"]),
                "subject_text": v["subject_text"],
                "object_text": v["object_text"],
                "sentence": None if start is None else [int(start), int(end)],
                "quote": v["quote"],
                "note": v["note"],
                "status": _local(v["status"]),
            }
        )
    return out
