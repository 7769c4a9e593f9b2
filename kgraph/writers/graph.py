"""The graph's documents as :class:`~kgraph.model.Document` objects again, for the writers.

The graph keeps what a claim needs, not whole texts: per statement its document, subject,
predicate, object, flags, the two mention texts and the sentence (start, end, quote with 32
characters of prefix and suffix). :func:`documents` rebuilds from that a document per graph
document whose build gives the same data graph:

- the text holds every quoted sentence (with its prefix and suffix) at its offset; what the graph
  does not know is filled with newlines, so offsets, sentence bounds and quotes come out the same;
- each statement becomes a relation between two mentions found in its sentence, each mention
  normalised to its entity's CURIE (an entity the build minted from text keeps no CURIE: its text
  grounds it again);
- every entity the document mentions gets a mention (its label), and an entity the build declared
  (outside the lexicon) is first met with its label as text, so it is declared with the same label.

A reviewed graph (:mod:`kgraph.curation`) is written as the review left it: accepted proposals and
corrections as plain statements, rejected statements left out (counted in the report); the review
itself stays in the corpus's ``curation.jsonl``.

The SPARQL lives in ``kgraph/writers/queries/*.rq``.

>>> from kgraph.build import build_store
>>> from kgraph.store import open_store
>>> from kgraph.vocab import corpus_dir
>>> store = open_store("memory:")
>>> _ = build_store(store, [corpus_dir()])
>>> docs = list(documents(store))
>>> len(docs), sum(len(d.relations) for d in docs) > 0
(4, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

from ..model import Document
from .rebuild import Rebuild
from .report import ExportReport

__all__ = ["ExportReport", "documents", "query_text"]


def query_text(name: str) -> str:
    """The SPARQL of ``kgraph/writers/queries/NAME.rq``.

    >>> "kgo:Document" in query_text("documents")
    True
    """
    return resources.files(__package__).joinpath("queries", f"{name}.rq").read_text("utf-8")


def _v(term) -> str | None:
    return None if term is None else term.value


def _rows(store, name: str) -> list[dict[str, str | None]]:
    result = store.query(query_text(name))
    return [{k: _v(t) for k, t in zip(result.variables, row, strict=True)} for row in result.rows]


def documents(store, *, report: ExportReport | None = None) -> Iterator[Document]:
    """Every document of ``store``'s data graph, rebuilt (see the module text), in IRI order.

    >>> from kgraph.store import open_store
    >>> list(documents(open_store("memory:")))
    []
    """
    report = report if report is not None else ExportReport()
    by_doc: dict[str, list[dict]] = {}
    for row in _rows(store, "assertions"):
        by_doc.setdefault(row["doc"], []).append(row)
    entities: dict[str, dict[str, dict]] = {}
    for row in _rows(store, "mentions"):
        entities.setdefault(row["doc"], {}).setdefault(row["entity"], row)
    declared: set[str] = set()  # entities declared by an earlier document (build order)
    for meta in _rows(store, "documents"):
        iri = meta["doc"]
        doc = Rebuild(iri, meta, by_doc.get(iri, []), entities.get(iri, {}), report)
        yield doc.document(declared)
        report.documents += 1
