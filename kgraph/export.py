"""Exports of the whole graph: standard RDF, JSON-LD, KGX, GraphML and W3C Web Annotations.

=========== ================================================================================
format      what it writes
=========== ================================================================================
``ttl``     Turtle (the graphs flattened), kgraph's prefixes
``nt``      N-Triples (flattened): the input of QLever's and most bulk loaders
``nq``      N-Quads, graphs kept: the input of Virtuoso's ``ld_dir`` / ``rdf_loader_run``
``trig``    TriG, graphs kept
``jsonld``  JSON-LD with an ``@context`` of kgraph's prefixes (IRIs compacted to CURIEs)
``kgx``     KGX JSON Lines (``nodes.jsonl``, ``edges.jsonl``, and ``prefixes.json`` of kgraph's
            own prefixes): standard CURIEs as node ids, Biolink categories, predicates chosen
            by the evidence, one edge per statement with its evidence, qualifiers and notes
            (:mod:`kgraph.kgx_export`, :mod:`kgraph.biolink`)
``graphml`` GraphML of :func:`kgraph.graphs.to_networkx` (Gephi, Cytoscape): one edge per
            claim, list attributes joined with ``|``
``wa``      W3C Web Annotation JSON-LD: an ``AnnotationCollection`` with one ``Annotation`` per
            assertion (body: the claim; target: the document, with text selectors)
=========== ================================================================================

>>> from kgraph import load
>>> store = load().store
>>> b"kgo:Assertion" in export_bytes(store, "ttl")
True
>>> nodes, edges = kgx(store)
>>> e = next(e for e in edges if e["subject"] == "CHEBI:6121" and e["object"] == "GO:0017146")
>>> e["predicate"], e["original_predicate"], e["knowledge_level"], e["agent_type"]
('biolink:affects', 'kgo:antagonistOf', 'knowledge_assertion', 'manual_agent')
>>> next(n for n in nodes if n["id"] == "CHEBI:6121")["category"]
['biolink:SmallMolecule']
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .graphs import to_networkx
from .kgx_export import STATEMENT_FIELDS, kgx, write_kgx
from .store import Store
from .vocab import KGO, PREFIXES

__all__ = [
    "ANNOTATION_CONTEXT",
    "EXPORTERS",
    "FORMATS",
    "export_bytes",
    "graphml",
    "jsonld",
    "kgx",
    "web_annotations",
    "write_export",
    "write_kgx",
]

#: The terms of the Web Annotation context (``http://www.w3.org/ns/anno.jsonld``) that the ``wa``
#: export uses, as that context defines them: the file names the remote context, and this copy
#: lets code without network access expand it (``json.dumps`` it in place of the URL).
ANNOTATION_CONTEXT: dict[str, object] = {
    "oa": "http://www.w3.org/ns/oa#",
    "as": "http://www.w3.org/ns/activitystreams#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    # IRI-valued terms, terms spelled as in oa: and counts, each kind written once as a table
    **{
        term: {"@type": "@id", "@id": term_id}
        for term, term_id in (("id", "@id"), ("type", "@type"))
    },
    **{term: f"oa:{term}" for term in ("Annotation", "SpecificResource")},
    **{term: f"oa:{term}" for term in ("TextQuoteSelector", "TextPositionSelector")},
    "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    **{term: f"oa:{term}" for term in ("describing", "questioning")},
    **{
        term: {"@type": "@id", "@id": term_id}
        for term, term_id in (
            ("body", "oa:hasBody"),
            ("target", "oa:hasTarget"),
            ("source", "oa:hasSource"),
            ("selector", "oa:hasSelector"),
        )
    },
    "items": {"@type": "@id", "@id": "as:items", "@container": "@list"},
    "first": {"@type": "@id", "@id": "as:first"},
    "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"},
    **{term: f"oa:{term}" for term in ("exact", "prefix", "suffix")},
    "label": "rdfs:label",
    **{
        term: {"@id": term_id, "@type": "xsd:nonNegativeInteger"}
        for term, term_id in (("start", "oa:start"), ("end", "oa:end"), ("total", "as:totalItems"))
    },
}
WA_CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"


# -- RDF ------------------------------------------------------------------------------------------


def jsonld(store: Store) -> bytes:
    """The whole dataset as JSON-LD, named graphs kept, with kgraph's prefixes as ``@context``.

    >>> from kgraph import load
    >>> b'"@context"' in jsonld(load().store)
    True
    """
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=store.dump("nq"), format="nquads")
    text = ds.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    json.loads(text)  # well-formed
    return text.encode()


# -- GraphML --------------------------------------------------------------------------------------


#: Characters XML 1.0 cannot carry at all (C0 controls but tab/newline/return, U+FFFE/U+FFFF and
#: lone surrogates): written as U+FFFD so a label holding one still gives a well-formed file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _flat(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    if isinstance(value, Iterable):
        return _NOT_XML.sub("\ufffd", "|".join(str(v) for v in value))
    return _NOT_XML.sub("\ufffd", str(value))


def graphml(store: Store) -> bytes:
    """The claims graph (:func:`kgraph.graphs.to_networkx`) as GraphML; lists joined with ``|``,
    missing values left out (GraphML has no null).

    >>> from kgraph import load
    >>> graphml(load().store).startswith(b"<?xml")
    True
    """
    import io

    import networkx as nx

    g = to_networkx(store)
    flat = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        flat.add_node(n, **{k: _flat(v) for k, v in data.items() if v is not None})
    for s, o, key, data in g.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, **{k: _flat(v) for k, v in data.items() if v is not None})
    buf = io.BytesIO()
    nx.write_graphml(flat, buf, encoding="utf-8")
    return buf.getvalue()


# -- W3C Web Annotation ---------------------------------------------------------------------------

_ANNOTATIONS = (
    """
SELECT ?a ?kind ?ev ?t ?s ?p ?o ?negated ?certainty ?level ?doc ?start ?end ?exact ?prefix ?suffix
       ?stext ?otext ?comparison ?comparator ?degree ?mediation ?mediator ?proposed ?note WHERE {
  VALUES ?kind { kgo:Assertion kgo:ResearchQuestion }
  ?a a ?kind ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kgo:evidence ?ev .
  ?ev oa:hasTarget ?t . ?t oa:hasSource ?doc .
  OPTIONAL { ?a kgo:negated ?negated }"""
    + STATEMENT_FIELDS
    + """
  OPTIONAL { ?t oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?t oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
             OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix } }
} ORDER BY ?a"""
)

#: The optional body fields of an annotation: query variable → term of :data:`_WA_EXTRA`.
_BODY_FIELDS = {
    "certainty": "certainty",
    "level": "evidenceLevel",
    "stext": "subjectText",
    "otext": "objectText",
    "comparison": "comparison",
    "comparator": "comparator",
    "degree": "degree",
    "mediation": "mediation",
    "mediator": "mediator",
    "proposed": "proposed",
    "note": "note",
}


def _typed_terms(prefix: str, terms: tuple[str, ...], type_: str = "@id") -> dict[str, object]:
    """Context entries ``term: {"@id": "prefix:term", "@type": type_}``, in order."""
    return {term: {"@id": f"{prefix}:{term}", "@type": type_} for term in terms}


#: kgraph's own terms in the annotations' bodies, added to the Web Annotation context.
_WA_EXTRA = {
    "kgo": str(KGO),
    **{prefix: PREFIXES[prefix] for prefix in ("kg", "kgd", "kga")},
    **_typed_terms("rdf", ("subject", "predicate", "object")),
    **_typed_terms("kgo", ("negated",), "xsd:boolean"),
    **_typed_terms("kgo", ("certainty", "evidenceLevel")),
    **{term: f"kgo:{term}" for term in ("subjectText", "objectText")},
    **_typed_terms("kgo", ("comparison", "comparator", "degree", "mediation", "mediator")),
    **_typed_terms("kgo", ("proposed",), "xsd:boolean"),
    "note": "http://www.w3.org/2004/02/skos/core#note",
}


def web_annotations(store: Store) -> dict[str, object]:
    """The evidence as a W3C Web Annotation ``AnnotationCollection`` (a JSON-LD document).

    Each ``Annotation`` keeps the IRI of the evidence node in the graph; its ``body`` is the
    assertion (subject, predicate, object, polarity, certainty, level, qualifiers, note), or for an
    open research question (motivation ``questioning``) the question, and its ``target`` a
    ``SpecificResource`` whose ``source`` is the document, selected by a ``TextPositionSelector``
    and a ``TextQuoteSelector`` when the claim has a sentence. The ``@context`` is the Web
    Annotation context plus kgraph's terms; :data:`ANNOTATION_CONTEXT` expands it offline.

    >>> from kgraph import load
    >>> web_annotations(load().store)["type"]
    'AnnotationCollection'
    """
    items: dict[str, dict[str, object]] = {}
    for r in store.query(_ANNOTATIONS).dicts():
        ev = str(r["ev"])
        if ev in items:
            continue
        question = str(r["kind"]) == str(KGO.ResearchQuestion)
        body: dict[str, object] = {
            "id": r["a"],
            "type": ["rdf:Statement", "kgo:ResearchQuestion" if question else "kgo:Assertion"],
            "subject": r["s"],
            "predicate": r["p"],
            "object": r["o"],
        }
        if not question:
            body["negated"] = bool(r["negated"])
        for var, term in _BODY_FIELDS.items():
            if r[var] is not None and r[var] != "":
                body[term] = r[var]
        target: dict[str, object] = {"id": r["t"], "type": "SpecificResource", "source": r["doc"]}
        selectors: list[dict[str, object]] = []
        if r["start"] is not None and r["end"] is not None:
            selectors.append({"type": "TextPositionSelector", "start": r["start"], "end": r["end"]})
        if r["exact"] is not None:
            quote: dict[str, object] = {"type": "TextQuoteSelector", "exact": r["exact"]}
            for key in ("prefix", "suffix"):
                if r[key] is not None:
                    quote[key] = r[key]
            selectors.append(quote)
        if selectors:
            target["selector"] = selectors
        items[ev] = {
            "id": ev,
            "type": "Annotation",
            "motivation": "questioning" if question else "describing",
            "body": body,
            "target": target,
        }
    return {
        "@context": [WA_CONTEXT_URL, _WA_EXTRA],
        "id": PREFIXES["kga"] + "evidence",
        "type": "AnnotationCollection",
        "label": "kgraph evidence: one annotation per assertion or research question",
        "total": len(items),
        "first": {
            "id": PREFIXES["kga"] + "evidence-page-1",
            "type": "AnnotationPage",
            "items": list(items.values()),
        },
    }


def offline_context(document: dict[str, object]) -> dict[str, object]:
    """``document`` with the Web Annotation context URL replaced by :data:`ANNOTATION_CONTEXT`,
    so rdflib (or any JSON-LD processor) can expand it without the network."""
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    local = [ANNOTATION_CONTEXT if c == WA_CONTEXT_URL else c for c in contexts]
    return {**document, "@context": local}


# -- the registry ---------------------------------------------------------------------------------

#: Single-file exports: format name → (function of the store, description).
EXPORTERS: dict[str, tuple[Callable[[Store], bytes], str]] = {
    "ttl": (lambda s: s.dump("ttl"), "Turtle (graphs flattened)"),
    "nt": (lambda s: s.dump("nt"), "N-Triples (graphs flattened)"),
    "nq": (lambda s: s.dump("nq"), "N-Quads (graphs kept): bulk loaders"),
    "trig": (lambda s: s.dump("trig"), "TriG (graphs kept)"),
    "jsonld": (jsonld, "JSON-LD with kgraph's prefixes as @context"),
    "graphml": (graphml, "GraphML of the claims graph (Gephi, Cytoscape)"),
    "wa": (
        lambda s: json.dumps(web_annotations(s), ensure_ascii=False, indent=1).encode(),
        "W3C Web Annotation JSON-LD, one annotation per assertion",
    ),
}
#: Every export format, with what it writes (``kgx`` writes three files).
FORMATS: dict[str, str] = {
    **{name: description for name, (_, description) in EXPORTERS.items()},
    "kgx": "KGX JSON Lines: nodes.jsonl, edges.jsonl, prefixes.json (Biolink)",
}


def export_bytes(store: Store, format: str) -> bytes:
    """The store serialised as ``format`` (a single-file format of :data:`EXPORTERS`).

    >>> from kgraph import load
    >>> export_bytes(load().store, "nt").count(b"\\n") > 1000
    True
    """
    if format == "kgx":
        raise ValueError("kgx writes several files: use write_export(store, 'kgx', DIR or PREFIX)")
    try:
        function = EXPORTERS[format][0]
    except KeyError:
        raise ValueError(
            f"unknown export format {format!r} (known: {', '.join(FORMATS)})"
        ) from None
    return function(store)


def write_export(store: Store, format: str, output: str | Path) -> list[Path]:
    """Write ``format`` to ``output`` (for ``kgx``: a folder, or a prefix of the file names);
    returns the files written.

    >>> import tempfile
    >>> from kgraph import load
    >>> [p.name for p in write_export(load().store, "ttl", tempfile.mkdtemp() + "/g.ttl")]
    ['g.ttl']
    """
    if format == "kgx":
        return write_kgx(store, output)
    data = export_bytes(store, format)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return [output]
