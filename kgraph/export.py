"""Exports of the whole graph: standard RDF, JSON-LD, KGX, GraphML and W3C Web Annotations.

=========== ================================================================================
format      what it writes
=========== ================================================================================
``ttl``     Turtle (the graphs flattened), kgraph's prefixes
``nt``      N-Triples (flattened): the input of QLever's and most bulk loaders
``nq``      N-Quads, graphs kept: the input of Virtuoso's ``ld_dir`` / ``rdf_loader_run``
``trig``    TriG, graphs kept
``jsonld``  JSON-LD with an ``@context`` of kgraph's prefixes (IRIs compacted to CURIEs)
``kgx``     KGX JSON Lines, two files (``nodes.jsonl``, ``edges.jsonl``): Biolink categories
            and predicates from the ontology's SKOS mappings, one edge per assertion with its
            evidence in Biolink's text-mining fields
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
>>> e = next(e for e in edges if e["subject"] == "kg:ketamine" and e["object"] == "kg:nmda_receptor")
>>> e["predicate"], e["original_predicate"], e["knowledge_level"], e["agent_type"]
('biolink:affects', 'kgo:antagonistOf', 'knowledge_assertion', 'manual_agent')
>>> next(n for n in nodes if n["id"] == "kg:ketamine")["category"]
['biolink:SmallMolecule']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from .store import Store
from .vocab import BIOLINK, KGO, PREFIXES, compress

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

#: Biolink's fallback predicate for a kgraph property without a Biolink mapping.
RELATED_TO = "biolink:related_to"
NAMED_THING = "biolink:NamedThing"

#: The terms of the Web Annotation context (``http://www.w3.org/ns/anno.jsonld``) that the ``wa``
#: export uses, as that context defines them: the file names the remote context, and this copy
#: lets code without network access expand it (``json.dumps`` it in place of the URL).
ANNOTATION_CONTEXT: dict[str, object] = {
    "oa": "http://www.w3.org/ns/oa#",
    "as": "http://www.w3.org/ns/activitystreams#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": {"@type": "@id", "@id": "@id"},
    "type": {"@type": "@id", "@id": "@type"},
    "Annotation": "oa:Annotation",
    "SpecificResource": "oa:SpecificResource",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector",
    "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    "describing": "oa:describing",
    "body": {"@type": "@id", "@id": "oa:hasBody"},
    "target": {"@type": "@id", "@id": "oa:hasTarget"},
    "source": {"@type": "@id", "@id": "oa:hasSource"},
    "selector": {"@type": "@id", "@id": "oa:hasSelector"},
    "items": {"@type": "@id", "@id": "as:items", "@container": "@list"},
    "first": {"@type": "@id", "@id": "as:first"},
    "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"},
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
    "label": "rdfs:label",
    "start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
    "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"},
    "total": {"@id": "as:totalItems", "@type": "xsd:nonNegativeInteger"},
}
WA_CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"


def _curie(iri: str | None) -> str | None:
    """``kg:ketamine``, ``MESH:D007649``, ``kgo:antagonistOf``; the IRI when no prefix fits."""
    if iri is None:
        return None
    found = compress(iri)
    if found:
        return found
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _local(iri: str | None) -> str | None:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else None


# -- RDF ------------------------------------------------------------------------------------------


def jsonld(store: Store) -> bytes:
    """The whole dataset as JSON-LD, named graphs kept, with kgraph's prefixes as ``@context``."""
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=store.dump("nq"), format="nquads")
    text = ds.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    json.loads(text)  # well-formed
    return text.encode()


# -- KGX ------------------------------------------------------------------------------------------

_MAPPINGS = """
SELECT ?term ?kind ?target WHERE {
  VALUES ?kind { skos:exactMatch skos:closeMatch skos:broadMatch }
  ?term ?kind ?target . FILTER(STRSTARTS(STR(?target), STR(biolink:)))
}"""
_SUPERCLASSES = "SELECT ?c ?super WHERE { ?c rdfs:subClassOf ?super . FILTER(isIRI(?super)) }"
_RANK = {"exactMatch": 0, "closeMatch": 1, "broadMatch": 2}

_ASSERTIONS = """
SELECT ?a ?s ?p ?o ?negated ?certainty ?level ?doc ?docid ?quote ?start ?end ?stext ?otext WHERE {
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kgo:negated ?negated ; prov:wasDerivedFrom ?doc .
  OPTIONAL { ?a kgo:certainty ?certainty }
  OPTIONAL { ?a kgo:evidenceLevel ?level }
  OPTIONAL { ?doc dcterms:identifier ?docid }
  OPTIONAL { ?a kgo:subjectText ?stext }
  OPTIONAL { ?a kgo:objectText ?otext }
  OPTIONAL { ?a kgo:evidence/oa:hasTarget ?t .
             ?t oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
             OPTIONAL { ?t oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ;
                           oa:start ?start ; oa:end ?end } }
}"""
_MENTIONED = "SELECT DISTINCT ?e WHERE { ?e kgo:mentionedIn ?d }"


def biolink_mappings(store: Store) -> dict[str, str]:
    """Each kgraph class or property → its best Biolink term (exact, then close, then broad match;
    the alphabetically first at the best level), as a ``biolink:`` CURIE."""
    best: dict[str, tuple[int, str]] = {}
    for row in store.query(_MAPPINGS).rows:
        term, kind, target = (t.value for t in row)
        rank = (_RANK[_local(kind) or ""], "biolink:" + target[len(str(BIOLINK)) :])
        if term not in best or rank < best[term]:
            best[term] = rank
    return {term: curie for term, (_, curie) in best.items()}


def _category(cls: str | None, mapped: dict[str, str], parents: dict[str, list[str]]) -> str:
    """The Biolink category of ``cls``: its own mapping, else the nearest superclass's."""
    seen: set[str] = set()
    todo = [cls] if cls else []
    while todo:
        c = todo.pop(0)
        if c in seen:
            continue
        seen.add(c)
        if c in mapped:
            return mapped[c]
        todo += parents.get(c, [])
    return NAMED_THING


def _location(quote: str | None, start: int | None, text: str | None) -> list[int] | None:
    """Character offsets in the document of ``text`` within the sentence (first occurrence)."""
    if not quote or start is None or not text:
        return None
    i = quote.find(text)
    return None if i < 0 else [start + i, start + i + len(text)]


def kgx(
    store: Store,
    *,
    agent_type: str = "manual_agent",
    knowledge_level: str = "knowledge_assertion",
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """KGX nodes and edges (lists of dicts, the JSON Lines records).

    Nodes are the entities that documents mention or claims connect; ``category`` is the Biolink
    class mapped from the entity's kgraph class (or its nearest superclass), ``xref`` its external
    identifiers. Edges are assertions, one per statement in one document: ``predicate`` is the
    property's Biolink mapping (``biolink:related_to`` without one), ``original_predicate`` the
    kgraph property, ``kgo:increases``/``decreases`` add ``object_direction_qualifier``;
    ``publications``, ``supporting_text`` (the sentence), ``subject_location_in_text`` /
    ``object_location_in_text`` (where the mention text is found in the sentence), ``negated``,
    ``knowledge_level`` and ``agent_type`` (Biolink enums: the bundled corpus is annotated by
    people, so ``manual_agent``; pass ``agent_type="text_mining_agent"`` for machine-annotated
    input), and kgraph's own ``kgo_certainty`` / ``kgo_evidence_level``.
    """
    from .query import entities

    mapped = biolink_mappings(store)
    parents: dict[str, list[str]] = {}
    for c, sup in store.query(_SUPERCLASSES).rows:
        parents.setdefault(c.value, []).append(sup.value)
    rows = store.query(_ASSERTIONS).dicts()
    edges: dict[str, dict[str, object]] = {}
    used: set[str] = set()
    for r in rows:
        a = str(r["a"])
        if a in edges:  # a second quote/position pairing of the same assertion
            continue
        s, p, o = str(r["s"]), str(r["p"]), str(r["o"])
        used.update((s, o))
        docid = r["docid"] if isinstance(r["docid"], str) else None
        start = r["start"] if isinstance(r["start"], int) else None
        end = r["end"] if isinstance(r["end"], int) else None
        quote = r["quote"] if isinstance(r["quote"], str) else None
        edge: dict[str, object] = {
            "id": _curie(a),
            "subject": _curie(s),
            "predicate": mapped.get(p, RELATED_TO),
            "object": _curie(o),
            "original_predicate": _curie(p),
            "category": ["biolink:Association"],
            "negated": bool(r["negated"]),
            "knowledge_level": knowledge_level,
            "agent_type": agent_type,
            "publications": [
                docid if docid and docid.upper().startswith("PMID:") else _curie(str(r["doc"]))
            ],
            "kgo_certainty": _local(str(r["certainty"])) if r["certainty"] else None,
            "kgo_evidence_level": _local(str(r["level"])) if r["level"] else None,
        }
        if p == str(KGO.increases) or p == str(KGO.decreases):
            edge["object_direction_qualifier"] = (
                "increased" if p == str(KGO.increases) else "decreased"
            )
        if quote:
            edge["supporting_text"] = [quote]
        if start is not None and end is not None:
            edge["kgo_sentence_location_in_text"] = [start, end]
        for key, text in (("subject", r["stext"]), ("object", r["otext"])):
            where = _location(quote, start, text if isinstance(text, str) else None)
            if where:
                edge[f"{key}_location_in_text"] = where
        edges[a] = {k: v for k, v in edge.items() if v is not None}
    mentioned = {row[0].value for row in store.query(_MENTIONED).rows}
    nodes = []
    for e in entities(store):
        iri = str(e["e"])
        if iri not in used and iri not in mentioned:
            continue
        node: dict[str, object] = {
            "id": _curie(iri),
            "category": [_category(str(e["class"]) if e["class"] else None, mapped, parents)],
            "name": e["label"],
            "iri": iri,
            "kgo_class": _curie(str(e["class"])) if e["class"] else None,
            "synonym": e["synonyms"] or None,
            "xref": e["identifiers"] or None,
            "description": e["definition"],
        }
        nodes.append({k: v for k, v in node.items() if v is not None})
    nodes.sort(key=lambda n: str(n["id"]))
    return nodes, sorted(edges.values(), key=lambda x: str(x["id"]))


def _kgx_paths(output: str | Path) -> tuple[Path, Path]:
    """``DIR/nodes.jsonl`` for a folder (existing, or a string ending in ``/``), else
    ``PREFIX_nodes.jsonl``.

    >>> [p.name for p in _kgx_paths("build/kgx/")], [p.name for p in _kgx_paths("build/kg")]
    (['nodes.jsonl', 'edges.jsonl'], ['kg_nodes.jsonl', 'kg_edges.jsonl'])
    """
    text = str(output)
    output = Path(output)
    if output.is_dir() or text.endswith(("/", "\\")):
        return output / "nodes.jsonl", output / "edges.jsonl"
    return (
        output.with_name(output.name + "_nodes.jsonl"),
        output.with_name(output.name + "_edges.jsonl"),
    )


def write_kgx(store: Store, output: str | Path, **options) -> list[Path]:
    """Write KGX ``nodes.jsonl`` and ``edges.jsonl`` (see :func:`kgx` and :func:`_kgx_paths`)."""
    nodes, edges = kgx(store, **options)
    paths = _kgx_paths(output)
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    for path, records in zip(paths, (nodes, edges), strict=True):
        with open(path, "w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return list(paths)


# -- GraphML --------------------------------------------------------------------------------------


def _flat(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Iterable):
        return "|".join(str(v) for v in value)
    return str(value)


def graphml(store: Store) -> bytes:
    """The claims graph (:func:`kgraph.graphs.to_networkx`) as GraphML; lists joined with ``|``,
    missing values left out (GraphML has no null)."""
    import io

    import networkx as nx

    from .graphs import to_networkx

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

_ANNOTATIONS = """
SELECT ?a ?ev ?t ?s ?p ?o ?negated ?certainty ?level ?doc ?start ?end ?exact ?prefix ?suffix
       ?stext ?otext WHERE {
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kgo:negated ?negated ; kgo:evidence ?ev .
  ?ev oa:hasTarget ?t . ?t oa:hasSource ?doc .
  OPTIONAL { ?a kgo:certainty ?certainty }
  OPTIONAL { ?a kgo:evidenceLevel ?level }
  OPTIONAL { ?a kgo:subjectText ?stext }
  OPTIONAL { ?a kgo:objectText ?otext }
  OPTIONAL { ?t oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?t oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
             OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix } }
} ORDER BY ?a"""

#: kgraph's own terms in the annotations' bodies, added to the Web Annotation context.
_WA_EXTRA = {
    "kgo": str(KGO),
    "kg": PREFIXES["kg"],
    "kgd": PREFIXES["kgd"],
    "kga": PREFIXES["kga"],
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@id"},
    "object": {"@id": "rdf:object", "@type": "@id"},
    "negated": {"@id": "kgo:negated", "@type": "xsd:boolean"},
    "certainty": {"@id": "kgo:certainty", "@type": "@id"},
    "evidenceLevel": {"@id": "kgo:evidenceLevel", "@type": "@id"},
    "subjectText": "kgo:subjectText",
    "objectText": "kgo:objectText",
}


def web_annotations(store: Store) -> dict[str, object]:
    """The evidence as a W3C Web Annotation ``AnnotationCollection`` (a JSON-LD document).

    Each ``Annotation`` keeps the IRI of the evidence node in the graph; its ``body`` is the
    assertion (subject, predicate, object, polarity, certainty, level) and its ``target`` a
    ``SpecificResource`` whose ``source`` is the document, selected by a ``TextPositionSelector``
    and a ``TextQuoteSelector`` when the claim has a sentence. The ``@context`` is the Web
    Annotation context plus kgraph's terms; :data:`ANNOTATION_CONTEXT` expands it offline.
    """
    items: dict[str, dict[str, object]] = {}
    for r in store.query(_ANNOTATIONS).dicts():
        ev = str(r["ev"])
        if ev in items:
            continue
        body: dict[str, object] = {
            "id": r["a"],
            "type": ["rdf:Statement", "kgo:Assertion"],
            "subject": r["s"],
            "predicate": r["p"],
            "object": r["o"],
            "negated": bool(r["negated"]),
        }
        if r["certainty"]:
            body["certainty"] = r["certainty"]
        if r["level"]:
            body["evidenceLevel"] = r["level"]
        if r["stext"]:
            body["subjectText"] = r["stext"]
        if r["otext"]:
            body["objectText"] = r["otext"]
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
            "motivation": "describing",
            "body": body,
            "target": target,
        }
    return {
        "@context": [WA_CONTEXT_URL, _WA_EXTRA],
        "id": PREFIXES["kga"] + "evidence",
        "type": "AnnotationCollection",
        "label": "kgraph evidence: one annotation per assertion",
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
#: Every export format, with what it writes (``kgx`` writes two files).
FORMATS: dict[str, str] = {
    **{name: description for name, (_, description) in EXPORTERS.items()},
    "kgx": "KGX JSON Lines: nodes.jsonl and edges.jsonl (Biolink)",
}


def export_bytes(store: Store, format: str) -> bytes:
    """The store serialised as ``format`` (a single-file format of :data:`EXPORTERS`)."""
    if format == "kgx":
        raise ValueError("kgx writes two files: use write_export(store, 'kgx', DIR or PREFIX)")
    try:
        function = EXPORTERS[format][0]
    except KeyError:
        raise ValueError(
            f"unknown export format {format!r} (known: {', '.join(FORMATS)})"
        ) from None
    return function(store)


def write_export(store: Store, format: str, output: str | Path) -> list[Path]:
    """Write ``format`` to ``output`` (for ``kgx``: a folder, or a prefix of the two file names);
    returns the files written."""
    if format == "kgx":
        return write_kgx(store, output)
    data = export_bytes(store, format)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return [output]
