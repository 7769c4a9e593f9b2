"""KGX / Biolink export (``kgraph export --format kgx``): nodes and edges as KGX JSON Lines, plus the prefix map the ids use.

**Nodes** are the entities that documents mention or statements connect. A node's ``id`` is a
standard CURIE when the entity has an identifier (the best one for its Biolink category: CHEBI
before MeSH for a chemical, GO for a complex, HGNC for a gene…, see :data:`PREFERRED`), else its
kgraph CURIE (``kg:rapid_antidepressant_effect``); ``prefixes.json`` beside the two files maps
every prefix the records use to its namespace (:func:`prefix_map`), so no id uses an unregistered
prefix. ``category`` is the Biolink class mapped
from the entity's kgraph class (never a mixin), ``xref`` its other identifiers and kgraph CURIE.
An entity's ``skos:broader`` (rapid antidepressant effect → antidepressant effect) is a
``biolink:subclass_of`` edge; the hierarchy above every exported entity is exported with it.

**Edges** are the statements of documents that belong to a claim (research questions and unreviewed
proposals are none), one per statement. The ``predicate`` is chosen by the evidence
(:func:`predicate_for`): ``biolink:treats`` only for firm clinical evidence from a research source;
``in_clinical_trials_for``, ``beneficial_in_models_for``, ``applied_to_treat``, ``studied_to_treat``
or ``treats_or_applied_or_studied_to_treat`` otherwise; other properties use their Biolink mapping
from the ontology (``related_to`` without one). Every edge has ``knowledge_level`` and
``agent_type``, ``publications``, ``supporting_text`` with the mention locations, ``negated``, and
kgraph's own ``kgo_certainty``, ``kgo_evidence_level``, ``kgo_source_type``, the qualifiers
(``kgo_comparison`` + ``kgo_comparator``, ``kgo_degree``, ``kgo_mediation`` + ``kgo_mediator``,
as node ids) and the annotator's ``kgo_note``.

>>> from kgraph import load
>>> nodes, edges = kgx(load().store)
>>> ketamine = next(n for n in nodes if n["iri"].endswith("/entity/ketamine"))
>>> ketamine["id"], ketamine["category"], "kg:ketamine" in ketamine["xref"]
('CHEBI:6121', ['biolink:SmallMolecule'], True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from .claims import is_research
from .store import Store
from .vocab import BIOLINK, KG, KGA, KGD, KGO, PREFIXES, compress

__all__ = [
    "KGX_PREFIXES",
    "PREFERRED",
    "biolink_mappings",
    "kgx",
    "kgx_paths",
    "node_id",
    "predicate_for",
    "prefix_map",
    "validate_kgx",
    "write_kgx",
]

#: Biolink's fallback predicate and category.
RELATED_TO = "biolink:related_to"
NAMED_THING = "biolink:NamedThing"

#: The prefixes of kgraph's own CURIEs in the KGX output (written as ``prefixes.json``).
KGX_PREFIXES: dict[str, str] = {"kg": str(KG), "kga": str(KGA), "kgd": str(KGD), "kgo": str(KGO)}

#: kgraph's spelling of an identifier prefix → Biolink's (the rest are spelled alike).
_BIOLINK_SPELLING = {"uniprot": "UniProtKB", "dbsnp": "DBSNP", "DOI": "doi", "MIM": "OMIM"}

#: Identifier prefixes, best first, for the node id of each Biolink category; then :data:`_ANY`.
PREFERRED: dict[str, tuple[str, ...]] = {
    "biolink:SmallMolecule": ("CHEBI", "PUBCHEM.COMPOUND", "DRUGBANK", "UNII", "MESH"),
    "biolink:ChemicalEntity": ("CHEBI", "PUBCHEM.COMPOUND", "DRUGBANK", "UNII", "MESH"),
    "biolink:Drug": ("RXCUI", "DRUGBANK", "CHEBI", "UNII", "MESH"),
    "biolink:ChemicalRole": ("CHEBI", "MESH"),
    "biolink:Gene": ("HGNC", "NCBIGene", "ENSEMBL", "UniProtKB", "MESH"),
    "biolink:Protein": ("UniProtKB", "PR", "MESH"),
    "biolink:MacromolecularComplex": ("GO", "ComplexPortal", "MESH"),
    "biolink:Pathway": ("GO", "REACT", "KEGG.PATHWAY", "WIKIPATHWAYS", "MESH"),
    "biolink:BiologicalProcess": ("GO", "REACT", "MESH"),
    "biolink:AnatomicalEntity": ("UBERON", "FMA", "MESH"),
    "biolink:Cell": ("CL", "MESH"),
    "biolink:Disease": ("MONDO", "DOID", "OMIM", "NCIT", "HP", "MESH"),
    "biolink:DiseaseOrPhenotypicFeature": ("MONDO", "HP", "DOID", "NCIT", "MESH"),
    "biolink:PhenotypicFeature": ("HP", "MONDO", "NCIT", "MESH"),
    "biolink:OrganismTaxon": ("NCBITaxon", "MESH"),
    "biolink:SequenceVariant": ("DBSNP", "CLINVAR"),
}
_ANY = ("CHEBI", "GO", "HGNC", "NCBIGene", "UniProtKB", "MONDO", "HP", "UBERON", "CL", "DOID",
        "PR", "NCIT", "OMIM", "NCBITaxon", "DBSNP", "MESH", "UMLS")  # fmt: skip

#: Levels of evidence from studies in people, and the levels that make clinical evidence firm.
_CLINICAL = {
    "ClinicalPhase1",
    "ClinicalPhase2",
    "ClinicalPhase3",
    "ClinicalPhase4",
    "ClinicalStudy",
}
_FIRM_CLINICAL = {"ClinicalPhase3", "ClinicalPhase4", "ClinicalPractice"}
_TREATING = {str(KGO.treats), str(KGO.approvedFor), str(KGO.studiedFor)}


def predicate_for(
    p: str,
    mapped: dict[str, str],
    *,
    certainty: str | None,
    level: str | None,
    source_type: str | None,
    proposed: bool = False,
) -> str:
    """The Biolink predicate of a statement with kgraph property ``p``, chosen by its evidence.

    ``treats`` / ``approvedFor``: ``biolink:treats`` only when asserted (not hedged) at phase 3, 4
    or clinical practice by a research source (not an opinion article or clinic page); else
    ``in_clinical_trials_for`` (a human study), ``beneficial_in_models_for`` (preclinical),
    ``applied_to_treat`` (clinical practice stated by a weaker source) or the non-committal
    ``treats_or_applied_or_studied_to_treat``. ``studiedFor`` the same, never ``treats``; nor an
    annotator's unreviewed proposal.

    >>> t = str(KGO.treats)
    >>> predicate_for(t, {}, certainty="Asserted", level="ClinicalPhase3", source_type="ScienceNews")
    'biolink:treats'
    >>> predicate_for(t, {}, certainty="Hedged", level="ClinicalPhase3", source_type="ScienceNews")
    'biolink:in_clinical_trials_for'
    >>> predicate_for(t, {}, certainty="Asserted", level="Opinion", source_type="ClinicMarketingPage")
    'biolink:treats_or_applied_or_studied_to_treat'
    >>> predicate_for(t, {}, certainty="Asserted", level="Preclinical", source_type="ScienceNews")
    'biolink:beneficial_in_models_for'
    """
    if p not in _TREATING:
        return mapped.get(p, RELATED_TO)
    research = source_type is None or is_research(source_type, level)
    firm = certainty == "Asserted" and level in _FIRM_CLINICAL and research and not proposed
    if firm and p != str(KGO.studiedFor):
        return "biolink:treats"
    if level in _CLINICAL:
        return "biolink:in_clinical_trials_for"
    if level == "Preclinical":
        return "biolink:beneficial_in_models_for"
    if level == "ClinicalPractice" and p != str(KGO.studiedFor):
        return "biolink:applied_to_treat"
    if p == str(KGO.studiedFor):
        return "biolink:studied_to_treat"
    return "biolink:treats_or_applied_or_studied_to_treat"


def _biolink_curie(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return f"{_BIOLINK_SPELLING.get(prefix, prefix)}:{local}"


def node_id(iri: str, identifiers: Iterable[str], category: str) -> str:
    """The KGX id of an entity: its best standard identifier for ``category``, else its CURIE.

    >>> node_id(str(KG.ketamine), ["MESH:D007649", "CHEBI:6121"], "biolink:SmallMolecule")
    'CHEBI:6121'
    >>> node_id(str(KG.rapid_antidepressant_effect), [], "biolink:NamedThing")
    'kg:rapid_antidepressant_effect'
    """
    ids = [_biolink_curie(i) for i in identifiers]
    order = PREFERRED.get(category, ()) + _ANY
    ranked = sorted(
        (order.index(i.partition(":")[0]), n, i)
        for n, i in enumerate(ids)
        if i.partition(":")[0] in order
    )
    return ranked[0][2] if ranked else _curie(iri)


_TEXT = f"{KG}text/"  # entities minted from a mention's class and text: kg:text/CLASS/SLUG


def _curie(iri: str) -> str:
    """``kg:ketamine``, ``MESH:D007649``, ``kgo:antagonistOf``, ``kgtext.compound:warfarin`` (an
    entity minted from a mention's text); the IRI when no prefix fits.

    >>> _curie(f"{KG}text/adverseeffect/harms_the_bladder")
    'kgtext.adverseeffect:harms_the_bladder'
    """
    if iri.startswith(_TEXT) and iri.count("/") == _TEXT.count("/") + 1:
        cls, _, name = iri[len(_TEXT) :].partition("/")
        return f"kgtext.{cls}:{name}"
    for prefix, ns in KGX_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    found = compress(iri)
    if found:
        return _biolink_curie(found)
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _local(iri: object) -> str | None:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else None


_MAPPINGS = """
SELECT ?term ?kind ?target WHERE {
  VALUES ?kind { skos:exactMatch skos:closeMatch skos:broadMatch }
  ?term ?kind ?target . FILTER(STRSTARTS(STR(?target), STR(biolink:)))
}"""
_SUPERCLASSES = "SELECT ?c ?super WHERE { ?c rdfs:subClassOf ?super . FILTER(isIRI(?super)) }"
_RANK = {"exactMatch": 0, "closeMatch": 1, "broadMatch": 2}


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
        if c in mapped and not mapped[c].endswith(("Association", "Publication")):
            return mapped[c]
        todo += parents.get(c, [])
    return NAMED_THING


def _location(quote: str | None, start: int | None, text: str | None) -> list[int] | None:
    """Character offsets in the document of ``text`` within the sentence (first occurrence)."""
    if not quote or start is None or not text:
        return None
    i = quote.find(text)
    return None if i < 0 else [start + i, start + i + len(text)]


_ASSERTIONS = """
SELECT ?a ?s ?p ?o ?negated ?certainty ?level ?doc ?docid ?st ?quote ?start ?end ?stext ?otext
       ?comparison ?comparator ?degree ?mediation ?mediator ?proposed ?confidence
       (GROUP_CONCAT(DISTINCT ?note; separator="\\n") AS ?notes) WHERE {
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kgo:negated ?negated ; prov:wasDerivedFrom ?doc ; kgo:aboutClaim ?claim .
  OPTIONAL { ?a kgo:certainty ?certainty }
  OPTIONAL { ?a kgo:evidenceLevel ?level }
  OPTIONAL { ?doc dcterms:identifier ?docid }
  OPTIONAL { ?doc kgo:sourceType ?st }
  OPTIONAL { ?a kgo:subjectText ?stext }
  OPTIONAL { ?a kgo:objectText ?otext }
  OPTIONAL { ?a kgo:comparison ?comparison } OPTIONAL { ?a kgo:comparator ?comparator }
  OPTIONAL { ?a kgo:degree ?degree }
  OPTIONAL { ?a kgo:mediation ?mediation } OPTIONAL { ?a kgo:mediator ?mediator }
  OPTIONAL { ?a kgo:proposed ?proposed } OPTIONAL { ?a kgo:confidence ?confidence }
  OPTIONAL { ?a skos:note ?note }
  OPTIONAL { ?a kgo:evidence/oa:hasTarget ?t .
             ?t oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
             OPTIONAL { ?t oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ;
                           oa:start ?start ; oa:end ?end } }
} GROUP BY ?a ?s ?p ?o ?negated ?certainty ?level ?doc ?docid ?st ?quote ?start ?end ?stext ?otext
           ?comparison ?comparator ?degree ?mediation ?mediator ?proposed ?confidence"""
_MENTIONED = "SELECT DISTINCT ?e WHERE { ?e kgo:mentionedIn ?d }"
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
    """
    from .query import entities

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
        category = _category(cls, mapped, parents)
        ident = node_id(iri, e["identifiers"], category)
        ids[iri] = ident
        xref = [_biolink_curie(i) for i in e["identifiers"]] + [_curie(iri)]
        node: dict[str, object] = {
            "id": ident,
            "category": [category],
            "name": e["label"],
            "iri": iri,
            "kgo_class": _curie(cls) if cls else None,
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
                "id": f"{_curie(e)}--subclass_of--{_curie(b)}",
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
    certainty, level, source_type = (_local(r[k]) for k in ("certainty", "level", "st"))
    proposed = r["proposed"] is True
    edge: dict[str, object] = {
        "id": _curie(str(r["a"])),
        "subject": ids.get(s, _curie(s)),
        "predicate": predicate_for(
            p, mapped, certainty=certainty, level=level, source_type=source_type, proposed=proposed
        ),
        "object": ids.get(o, _curie(o)),
        "original_predicate": _curie(p),
        "category": ["biolink:Association"],
        "negated": bool(r["negated"]),
        "knowledge_level": knowledge_level,
        "agent_type": "text_mining_agent" if proposed else agent_type,
        "publications": [
            docid if docid and docid.upper().startswith("PMID:") else _curie(str(r["doc"]))
        ],
        "kgo_certainty": certainty,
        "kgo_evidence_level": level,
        "kgo_source_type": source_type,
        "kgo_comparison": _local(r["comparison"]),
        "kgo_comparator": ids.get(str(r["comparator"])) if r["comparator"] else None,
        "kgo_degree": _local(r["degree"]),
        "kgo_mediation": _local(r["mediation"]),
        "kgo_mediator": ids.get(str(r["mediator"])) if r["mediator"] else None,
        "kgo_note": _str(r["notes"]) or None,
        "kgo_proposed": True if proposed else None,
        "kgo_confidence": _local(r["confidence"]),
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


def prefix_map(nodes: Iterable[dict], edges: Iterable[dict]) -> dict[str, str]:
    """Every CURIE prefix the records use (ids, subjects, objects, cross-references,
    publications, comparators, mediators) that Biolink's prefix map lacks → its namespace: the
    export's ``prefixes.json`` (kgraph's own prefixes, and those of other sources such as tmVar).

    >>> prefix_map([{"id": "kg:ketamine", "xref": ["MESH:D007649", "tmvar:c.1A>G"]}], [])
    {'kg': 'https://w3id.org/kgraph/entity/', 'tmvar': 'https://w3id.org/kgraph/variant/tmvar/'}
    """
    from .vocab import converter

    used: set[str] = set()
    for record in (*nodes, *edges):
        for key in ("id", "subject", "object", "xref", "publications", "kgo_comparator",
                    "kgo_mediator"):  # fmt: skip
            values = record.get(key) or []
            for value in [values] if isinstance(values, str) else values:
                prefix, colon, _ = str(value).partition(":")
                if colon and "/" not in prefix:
                    used.add(prefix)
    spelled = {v: k for k, v in _BIOLINK_SPELLING.items()}
    standard = {*_ANY, *(p for order in PREFERRED.values() for p in order), "PMID", "doi"}
    out: dict[str, str] = {}
    for prefix in sorted(used - standard):  # Biolink's own prefix map has the standard ones
        if prefix in KGX_PREFIXES:
            out[prefix] = KGX_PREFIXES[prefix]
        elif prefix.startswith("kgtext."):
            out[prefix] = f"{_TEXT}{prefix[len('kgtext.') :]}/"
        elif (record := converter().get_record(spelled.get(prefix, prefix))) is not None:
            out[prefix] = record.uri_prefix
    return out


def write_kgx(store: Store, output: str | Path, **options) -> list[Path]:
    """Write the KGX ``nodes.jsonl`` and ``edges.jsonl`` (see :func:`kgx`) and ``prefixes.json``,
    the JSON-LD context of every prefix they use (:func:`prefix_map`; see :func:`kgx_paths`)."""
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
    """
    import importlib.util
    import subprocess
    import sys

    from . import kgxcheck

    nodes, edges = Path(nodes), Path(edges)
    if prefixes is None:
        prefixes = nodes.with_name(nodes.name.replace("nodes.jsonl", "prefixes.json"))
    if python is None and importlib.util.find_spec("kgx") is not None:
        return kgxcheck.validate(nodes, edges, prefixes)
    args = [python or sys.executable, kgxcheck.__file__, str(nodes), str(edges), str(prefixes)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"kgx validation failed to run: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)
