"""PubAnnotation writer: a JSON array of documents (``.json``; one per line with ``.jsonl``).

Each document: ``text``; ``sourcedb``/``sourceid`` (``PubMed`` and the PMID for a PubMed
document, else ``kgraph`` and the document id); ``denotations`` (``span`` begin/end in code
points, as PubAnnotation counts, a list of spans for a discontinuous mention; ``obj`` the type);
``relations`` (``subj``/``pred``/``obj``); ``attributes`` for CURIEs (``identifier``) and the
relation flags (``Negated``, ``Certainty``, ``EvidenceLevel``, any other attribute); and a
``metadata`` object with the document's metadata, which :mod:`kgraph.formats.pubannotation` reads
back. Relations between concepts have no denotations to join: they are left out and counted in
the report.

>>> from kgraph.model import Document, Mention, Relation, Span
>>> doc = Document("d1", "Ketamine blocks NMDA receptors.",
...     (Mention("T1", "Compound", (Span(0, 8),), "Ketamine", ("kg:ketamine",)),
...      Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors")),
...     (Relation("R1", "antagonistOf", "T1", "T2", negated=True),))
>>> obj = document_object(doc)
>>> obj["denotations"][1], obj["attributes"][1]
({'id': 'T2', 'span': {'begin': 16, 'end': 30}, 'obj': 'Receptor'}, {'id': 'A2', 'subj': 'R1', 'pred': 'Negated', 'obj': True})
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..model import Document
from . import register
from .fields import mention_relations, qualifying, relation_attributes, relation_note

__all__ = ["document_object", "write"]

_METADATA = ("title", "publisher", "date", "source_type", "author", "url", "seed")


def document_object(doc: Document, report=None) -> dict:
    """One document as a PubAnnotation JSON object.

    >>> document_object(Document("d1", "x", metadata={"pmid": "123"}))["sourcedb"]
    'PubMed'
    """
    md = doc.metadata
    pmid = md.get("pmid")
    obj: dict = {
        "sourcedb": "PubMed" if pmid else "kgraph",
        "sourceid": str(pmid) if pmid else doc.id,
        "text": doc.text,
    }
    meta = {k: str(md[k]) for k in _METADATA if md.get(k)}
    if meta:
        obj["metadata"] = meta
    dens, rels, attrs = [], [], []

    def attr(subj: str, pred: str, value) -> None:
        attrs.append({"id": f"A{len(attrs) + 1}", "subj": subj, "pred": pred, "obj": value})

    for m in doc.mentions:
        spans = [{"begin": s.start, "end": s.end} for s in m.spans]
        dens.append({"id": m.id, "span": spans[0] if len(spans) == 1 else spans, "obj": m.type})
        for c in m.concepts:
            attr(m.id, "identifier", c)
    for r in mention_relations(doc, report):
        rels.append({"id": r.id, "subj": r.subject, "pred": r.type, "obj": r.object})
        for key, value in relation_attributes(r):
            attr(r.id, key, True if value is None else value)
        for kind, ref in qualifying(r):
            attr(r.id, kind, ref)
        if relation_note(r):
            attr(r.id, "note", relation_note(r))
    obj["denotations"], obj["relations"], obj["attributes"] = dens, rels, attrs
    return obj


def write(documents: Iterable[Document], path: Path, *, report=None) -> list[Path]:
    """Write ``documents`` to ``path`` (``.jsonl``: one per line; a folder: ``documents.json``).

    >>> import tempfile, pathlib
    >>> [out] = write([Document("d1", "x")], pathlib.Path(tempfile.mkdtemp()) / "d.jsonl")
    >>> out.read_text().count("\\n")
    1
    """
    if path.is_dir():
        path = path / "documents.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    objs = [document_object(d, report) for d in documents]
    if path.suffix == ".jsonl":
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)
    else:
        text = json.dumps(objs, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8", newline="")
    return [path]


register("pubannotation", write, suffix=".json", description="PubAnnotation JSON (array)")
