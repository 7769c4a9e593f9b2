"""KGX export (``kgraph export --format kgx``): nodes and edges as KGX JSON Lines, and the prefix map.

**Nodes** are the entities that documents mention or statements connect. A node's ``id`` is a
standard CURIE when the entity has an identifier (the best one for its Biolink category: CHEBI
before MeSH for a chemical, GO for a complex, HGNC for a gene…: :mod:`kgraph.biolink`), else its
kgraph CURIE (``kg:rapid_antidepressant_effect``); ``prefixes.json`` beside the two files maps every
prefix the records use that Biolink's map lacks to its namespace, so no id uses an unregistered
prefix. ``category`` is the Biolink class mapped from the entity's kgraph class (never a mixin),
``xref`` its other identifiers and kgraph CURIE.
An entity's ``skos:broader`` (rapid antidepressant effect → antidepressant effect) is a
``biolink:subclass_of`` edge; the hierarchy above every exported entity is exported with it.

**Edges** are the statements of documents that belong to a claim (research questions and unreviewed
proposals are none), one per statement. The ``predicate`` is chosen by the evidence
(:func:`kgraph.biolink.predicate_for`): ``biolink:treats`` only for firm clinical evidence from a research source;
``in_clinical_trials_for``, ``beneficial_in_models_for``, ``applied_to_treat``, ``studied_to_treat``
or ``treats_or_applied_or_studied_to_treat`` otherwise; other properties use their Biolink mapping
from the ontology (``related_to`` without one). Every edge has ``knowledge_level`` and
``agent_type``, ``publications``, ``supporting_text`` with the mention locations, ``negated``, and
kgraph's own ``kgo_certainty``, ``kgo_evidence_level``, ``kgo_source_type``, the qualifiers
(``kgo_comparison`` + ``kgo_comparator``, ``kgo_degree``, ``kgo_mediation`` + ``kgo_mediator``,
as node ids), the annotator's ``kgo_note``, and the evidence weight of the statement's claim with
the sentence that explains it (``kgo_evidence_weight``, ``kgo_weight_reason``, read from the claim
summary).

>>> from kgraph import load
>>> nodes, edges = kgx(load().store)
>>> ketamine = next(n for n in nodes if n["iri"].endswith("/entity/ketamine"))
>>> ketamine["id"], ketamine["category"], "kg:ketamine" in ketamine["xref"]
('CHEBI:6121', ['biolink:SmallMolecule'], True)
"""

from __future__ import annotations

import json
from pathlib import Path

from . import kgxcheck
from .biolink import (
    biolink_mappings,
    biolink_spelling,
    category,
    curie,
    local_name,
    node_id,
    predicate_for,
    prefix_map,
)
from .query import entities
from .store import Store
from .vocab import KGO

__all__ = ["STATEMENT_FIELDS", "kgx", "kgx_paths", "validate_kgx", "write_kgx"]


def _location(quote: str | None, start: int | None, text: str | None) -> list[int] | None:
    """Character offsets in the document of ``text`` within the sentence (first occurrence)."""
    if not quote or start is None or not text:
        return None
    i = quote.find(text)
    return None if i < 0 else [start + i, start + i + len(text)]


#: The optional fields of a statement node ``?a`` (SPARQL), the same in every export.
STATEMENT_FIELDS = """
  OPTIONAL { ?a kgo:certainty ?certainty } OPTIONAL { ?a kgo:evidenceLevel ?level }
  OPTIONAL { ?a kgo:subjectText ?stext } OPTIONAL { ?a kgo:objectText ?otext }
  OPTIONAL { ?a kgo:comparison ?comparison } OPTIONAL { ?a kgo:comparator ?comparator }
  OPTIONAL { ?a kgo:degree ?degree }
  OPTIONAL { ?a kgo:mediation ?mediation } OPTIONAL { ?a kgo:mediator ?mediator }
  OPTIONAL { ?a kgo:proposed ?proposed } OPTIONAL { ?a kgo:confidence ?confidence }
  OPTIONAL { ?a skos:note ?note }"""

_ASSERTIONS = (
    """
SELECT ?a ?s ?p ?o ?negated ?certainty ?level ?doc ?docid ?st ?quote ?start ?end ?stext ?otext
       ?comparison ?comparator ?degree ?mediation ?mediator ?proposed ?confidence ?weight ?why
       (GROUP_CONCAT(DISTINCT ?note; separator="\\n") AS ?notes) WHERE {
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kgo:negated ?negated ; prov:wasDerivedFrom ?doc ; kgo:aboutClaim ?claim .
  OPTIONAL { ?doc dcterms:identifier ?docid }
  OPTIONAL { ?doc kgo:sourceType ?st }
  OPTIONAL { ?claim kgo:evidenceWeight ?weight ; kgo:weightReason ?why }
"""
    + STATEMENT_FIELDS
    + """
  OPTIONAL { ?a kgo:evidence/oa:hasTarget ?t .
             ?t oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
             OPTIONAL { ?t oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ;
                           oa:start ?start ; oa:end ?end } }
} GROUP BY ?a ?s ?p ?o ?negated ?certainty ?level ?doc ?docid ?st ?quote ?start ?end ?stext ?otext
           ?comparison ?comparator ?degree ?mediation ?mediator ?proposed ?confidence ?weight
           ?why"""
)
_MENTIONED = "SELECT DISTINCT ?e WHERE { ?e kgo:mentionedIn ?d }"
_SUPERCLASSES = "SELECT ?c ?super WHERE { ?c rdfs:subClassOf ?super . FILTER(isIRI(?super)) }"
_BROADER = "SELECT ?e ?b WHERE { ?e skos:broader ?b . ?e a ?c1 . ?b a ?c2 }"


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def kgx(
    store: Store,
    *,
    agent_type: str = "manual_agent",
    knowledge_level: str = "knowledge_assertion",
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """KGX nodes and edges (lists of dicts, the JSON Lines records); see the module docstring.

    ``knowledge_level`` and ``agent_type`` are Biolink enum values: the bundled corpus is
    annotated by people (``manual_agent``); pass ``agent_type="text_mining_agent"`` for
    machine-annotated input. An annotator's proposal included by the build is always
    ``text_mining_agent``.

    >>> from kgraph import load
    >>> nodes, edges = kgx(load().store)
    >>> all(e["knowledge_level"] and e["agent_type"] for e in edges)
    True
    """
    mapped = biolink_mappings(store)
    parents: dict[str, list[str]] = {}
    for c, sup in store.query(_SUPERCLASSES).rows:
        parents.setdefault(c.value, []).append(sup.value)
    rows = store.query(_ASSERTIONS).dicts()
    broader = [(e.value, b.value) for e, b in store.query(_BROADER).rows]
    used = {x for r in rows for x in (r["s"], r["o"], r["comparator"], r["mediator"]) if x}
    used |= {row[0].value for row in store.query(_MENTIONED).rows}
    up = {e: {b for n, b in broader if n == e} for e, _ in broader}
    todo = [e for e in used if e in up]
    while todo:  # the entity hierarchy above every used entity
        for b in up.get(todo.pop(), ()):
            if b not in used:
                used.add(b)
                todo.append(b)
    nodes: dict[str, dict[str, object]] = {}
    ids: dict[str, str] = {}
    for e in entities(store):
        iri = str(e["e"])
        if iri not in used:
            continue
        cls = str(e["class"]) if e["class"] else None
        kind = category(cls, mapped, parents)
        ident = node_id(iri, e["identifiers"], kind)
        ids[iri] = ident
        xref = [biolink_spelling(i) for i in e["identifiers"]] + [curie(iri)]
        node: dict[str, object] = {
            "id": ident,
            "category": [kind],
            "name": e["label"],
            "iri": iri,
            "kgo_class": curie(cls) if cls else None,
            "synonym": e["synonyms"] or None,
            "xref": sorted(x for x in set(xref) if x != ident) or None,
            "description": e["definition"],
        }
        nodes[ident] = {k: v for k, v in node.items() if v is not None}
    edges: dict[str, dict[str, object]] = {}
    for r in rows:
        a = str(r["a"])
        if a in edges:  # a second quote/position pairing of the same assertion
            continue
        edge = _edge(r, mapped, ids, agent_type, knowledge_level)
        edges[a] = {k: v for k, v in edge.items() if v is not None}
    for e, b in broader:
        if e in ids and b in ids:
            edge = {
                "id": f"{curie(e)}--subclass_of--{curie(b)}",
                "subject": ids[e],
                "predicate": "biolink:subclass_of",
                "object": ids[b],
                "original_predicate": "skos:broader",
                "knowledge_level": "knowledge_assertion",
                "agent_type": "manual_agent",
                "primary_knowledge_source": "kgraph lexicon (ontology/entities.ttl)",
            }
            edges[str(edge["id"])] = edge
    return sorted(nodes.values(), key=lambda n: str(n["id"])), sorted(
        edges.values(), key=lambda x: str(x["id"])
    )


def _edge(r: dict, mapped, ids: dict[str, str], agent_type: str, knowledge_level: str) -> dict:
    s, p, o = str(r["s"]), str(r["p"]), str(r["o"])
    docid = _str(r["docid"])
    start = r["start"] if isinstance(r["start"], int) else None
    end = r["end"] if isinstance(r["end"], int) else None
    quote = _str(r["quote"])
    certainty, level, source_type = (local_name(r[k]) for k in ("certainty", "level", "st"))
    proposed = r["proposed"] is True
    edge: dict[str, object] = {
        "id": curie(str(r["a"])),
        "subject": ids.get(s, curie(s)),
        "predicate": predicate_for(
            p, mapped, certainty=certainty, level=level, source_type=source_type, proposed=proposed
        ),
        "object": ids.get(o, curie(o)),
        "original_predicate": curie(p),
        "category": ["biolink:Association"],
        "negated": bool(r["negated"]),
        "knowledge_level": knowledge_level,
        "agent_type": "text_mining_agent" if proposed else agent_type,
        "publications": [
            docid if docid and docid.upper().startswith("PMID:") else curie(str(r["doc"]))
        ],
        "kgo_certainty": certainty,
        "kgo_evidence_level": level,
        "kgo_source_type": source_type,
        "kgo_comparison": local_name(r["comparison"]),
        "kgo_comparator": ids.get(str(r["comparator"])) if r["comparator"] else None,
        "kgo_degree": local_name(r["degree"]),
        "kgo_mediation": local_name(r["mediation"]),
        "kgo_mediator": ids.get(str(r["mediator"])) if r["mediator"] else None,
        "kgo_note": _str(r["notes"]) or None,
        "kgo_proposed": True if proposed else None,
        "kgo_confidence": local_name(r["confidence"]),
        # the claim's evidence weight and why, as the build stored them in the claim summary
        "kgo_evidence_weight": float(r["weight"]) if r["weight"] is not None else None,
        "kgo_weight_reason": _str(r["why"]),
    }
    if p == str(KGO.increases) or p == str(KGO.decreases):
        edge["object_direction_qualifier"] = "increased" if p == str(KGO.increases) else "decreased"
    if quote:
        edge["supporting_text"] = [quote]
    if start is not None and end is not None:
        edge["kgo_sentence_location_in_text"] = [start, end]
    for key, text in (("subject", r["stext"]), ("object", r["otext"])):
        where = _location(quote, start, _str(text))
        if where:
            edge[f"{key}_location_in_text"] = where
    return edge


def kgx_paths(output: str | Path) -> tuple[Path, Path, Path]:
    """``DIR/nodes.jsonl``, ``edges.jsonl``, ``prefixes.json`` for a folder (existing, or a string
    ending in ``/``), else ``PREFIX_nodes.jsonl``, ….

    >>> [p.name for p in kgx_paths("build/kgx/")]
    ['nodes.jsonl', 'edges.jsonl', 'prefixes.json']
    >>> [p.name for p in kgx_paths("build/kg")]
    ['kg_nodes.jsonl', 'kg_edges.jsonl', 'kg_prefixes.json']
    """
    text = str(output)
    output = Path(output)
    names = ("nodes.jsonl", "edges.jsonl", "prefixes.json")
    if output.is_dir() or text.endswith(("/", "\\")):
        return output / names[0], output / names[1], output / names[2]
    return tuple(output.with_name(f"{output.name}_{n}") for n in names)  # type: ignore[return-value]


def write_kgx(store: Store, output: str | Path, **options) -> list[Path]:
    """Write the KGX ``nodes.jsonl`` and ``edges.jsonl`` (see :func:`kgx`) and ``prefixes.json``,
    the JSON-LD context of every prefix they use (:func:`prefix_map`; see :func:`kgx_paths`).

    >>> import tempfile
    >>> from kgraph import load
    >>> [p.name for p in write_kgx(load().store, tempfile.mkdtemp() + "/")]
    ['nodes.jsonl', 'edges.jsonl', 'prefixes.json']
    """
    nodes, edges = kgx(store, **options)
    paths = kgx_paths(output)
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    for path, records in zip(paths, (nodes, edges), strict=False):
        with open(path, "w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    context = {"@context": prefix_map(nodes, edges)}
    paths[2].write_text(json.dumps(context, indent=1) + "\n", encoding="utf-8")
    return list(paths)


def validate_kgx(
    nodes: Path, edges: Path, prefixes: Path | None = None, *, python: str | None = None
) -> dict[str, object]:
    """Run KGX's validator on an export, offline; its errors by level and type (empty: valid).

    ``prefixes`` defaults to the ``prefixes.json`` beside ``nodes``. KGX and the Biolink model
    (``pip install kgx biolink-model``) run in this interpreter when importable, else in
    ``python`` (an interpreter that has them, e.g. ``.venv-kgx/bin/python``: KGX pins older numpy
    and pyarrow than kgraph's test environment). See :mod:`kgraph.kgxcheck`.

    >>> import importlib.util, tempfile
    >>> from kgraph import load
    >>> paths = write_kgx(load().store, tempfile.mkdtemp() + "/")
    >>> importlib.util.find_spec("kgx") is None or validate_kgx(*paths) == {}
    True
    """
    import importlib.util
    import subprocess
    import sys

    nodes, edges = Path(nodes), Path(edges)
    if prefixes is None:
        prefixes = nodes.with_name(nodes.name.replace("nodes.jsonl", "prefixes.json"))
    if python is None and importlib.util.find_spec("kgx") is not None:
        return kgxcheck.validate(nodes, edges, prefixes)
    args = [python or sys.executable, kgxcheck.__file__, str(nodes), str(edges), str(prefixes)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    try:
        errors = json.loads(done.stdout) if done.returncode in (0, 1) else None
    except json.JSONDecodeError:  # a crash that exited 1 before printing the JSON
        errors = None
    if not isinstance(errors, dict):
        raise RuntimeError(f"kgx validation failed to run: {done.stderr.strip()[-2000:]}")
    return errors
