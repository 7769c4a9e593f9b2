"""Functions over a store: run SPARQL, find entities, edges with their evidence counts, evidence.

Every function takes the store first. Results are lists of plain dicts (see
:meth:`QueryResult.dicts`), which pandas turns into a DataFrame with ``pandas.DataFrame(rows)``.

>>> from kgraph import load
>>> kg = load()
>>> resolve(kg.store, "Spravato") == "https://w3id.org/kgraph/entity/esketamine"
True
>>> any(e["predicate_label"] == "antagonist of" for e in edges(kg.store))
True
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from .errors import KGraphError, QueryError
from .grounding import normalise_label
from .store import QueryResult, Store
from .vocab import PREFIXES, expand

__all__ = ["edges", "entities", "evidence", "resolve", "run", "to_term"]

_IRI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.I)
_CURIE = re.compile(r"^[A-Za-z][\w.-]*:[^\s/][^\s]*$")


def to_term(value: object) -> ox.NamedNode | ox.Literal:
    """A SPARQL term for a parameter: IRIs and CURIEs become ``NamedNode``, the rest literals.

    >>> to_term("kg:ketamine").value
    'https://w3id.org/kgraph/entity/ketamine'
    >>> to_term("kgo:antagonistOf").value
    'https://w3id.org/kgraph/ontology#antagonistOf'
    >>> to_term(3).value, to_term(3).datatype.value
    ('3', 'http://www.w3.org/2001/XMLSchema#integer')
    """
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal(
            "true" if value else "false",
            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
        )
    if isinstance(value, int):
        return ox.Literal(
            str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        )
    if isinstance(value, float):
        return ox.Literal(
            repr(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
        )
    text = str(value)
    if _IRI.match(text):
        return ox.NamedNode(text)
    if _CURIE.match(text):
        prefix, _, local = text.partition(":")
        if prefix in PREFIXES:
            return ox.NamedNode(PREFIXES[prefix] + local)
        try:
            return ox.NamedNode(expand(text))
        except ValueError:
            pass
    return ox.Literal(text)


def run(store: Store, sparql: str, **params: object) -> QueryResult:
    """Run ``sparql`` with each ``?name`` in ``params`` bound to the value given.

    Values are turned into terms by :func:`to_term`; ``kgraph`` prefixes (``kgo:``, ``kg:``,
    ``rdfs:``, …) are predeclared.
    """
    subs = {name: to_term(v) for name, v in params.items()}
    return store.query(sparql, substitutions=subs or None)


_RESOLVE = """
SELECT DISTINCT ?e WHERE {
  { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l } UNION { ?e dcterms:identifier ?l }
  FILTER(isIRI(?e) && LCASE(STR(?l)) = ?name)
} ORDER BY ?e LIMIT 5
"""


def resolve(store: Store, name: str) -> str:
    """The entity IRI for a label, synonym, identifier (CURIE) or IRI; :class:`KGraphError` if none.

    Ambiguous names resolve to the lexicon entity when there is one.
    """
    term = to_term(name)
    if isinstance(term, ox.NamedNode):
        found = store.query("ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", substitutions={"e": term})
        if found.boolean:
            return term.value
    rows = store.query(_RESOLVE, substitutions={"name": ox.Literal(normalise_label(name))}).rows
    if not rows:
        from .lookup import entity_hint

        raise KGraphError(f"no entity is called {name!r}{entity_hint(store, name)}")
    iris = [r[0].value for r in rows]
    lexical = [
        i for i in iris if i.startswith("https://w3id.org/kgraph/entity/") and "/text/" not in i
    ]
    return (lexical or iris)[0]


_ENTITIES = """
SELECT ?e ?label ?class ?class_label
       (GROUP_CONCAT(DISTINCT ?syn; separator="|") AS ?synonyms)
       (GROUP_CONCAT(DISTINCT ?id; separator="|") AS ?identifiers)
       (SAMPLE(?def) AS ?definition) WHERE {
  ?e a ?class . ?class rdfs:subClassOf* kgo:Entity .
  FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf+ ?class . ?sub rdfs:subClassOf* kgo:Entity }
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?class rdfs:label ?class_label }
  OPTIONAL { ?e skos:altLabel ?syn }
  OPTIONAL { ?e dcterms:identifier ?id }
  OPTIONAL { ?e skos:definition ?def }
} GROUP BY ?e ?label ?class ?class_label
"""


def entities(store: Store) -> list[dict[str, object]]:
    """Every typed entity: IRI, label, most specific class, synonyms, identifiers, definition."""
    rows = store.query(_ENTITIES).dicts()
    for r in rows:
        r["synonyms"] = [s for s in (r["synonyms"] or "").split("|") if s]
        r["identifiers"] = [s for s in (r["identifiers"] or "").split("|") if s]
    return rows


_EDGES = """
SELECT ?s ?p ?o ?predicate_label (COUNT(DISTINCT ?a) AS ?statements)
       (COUNT(DISTINCT ?doc) AS ?documents)
       (SUM(IF(?neg, 1, 0)) AS ?negated) (SUM(IF(?cert = kgo:Hedged, 1, 0)) AS ?hedged)
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?lvl), "#"); separator=" ") AS ?levels) WHERE {
  ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kgo:negated ?neg ; kgo:certainty ?cert ; prov:wasDerivedFrom ?doc .
  OPTIONAL { ?a kgo:evidenceLevel ?lvl }
  OPTIONAL { ?p rdfs:label ?predicate_label }
} GROUP BY ?s ?p ?o ?predicate_label
"""


def edges(store: Store) -> list[dict[str, object]]:
    """One row per (subject, predicate, object) claimed anywhere, with how it is supported.

    ``statements`` counts assertions, ``documents`` independent documents, ``negated`` and
    ``hedged`` how many of the statements deny or hedge it, ``levels`` the evidence levels seen.
    """
    rows = store.query(_EDGES).dicts()
    for r in rows:
        r["levels"] = sorted(set((r["levels"] or "").split()))
    return rows


_EVIDENCE = """
SELECT ?assertion ?s ?subject_label ?p ?predicate_label ?o ?object_label ?negated ?certainty
       ?level ?quote ?start ?end ?subject_text ?object_text ?document ?title ?publisher ?date
       ?source_type WHERE {
  ?assertion a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
     kgo:negated ?negated ; kgo:certainty ?c ; prov:wasDerivedFrom ?document .
  ?document dcterms:title ?title ; kgo:sourceType ?st .
  BIND(STRAFTER(STR(?st), "#") AS ?source_type)
  BIND(STRAFTER(STR(?c), "#") AS ?certainty)
  OPTIONAL { ?assertion kgo:evidenceLevel ?l BIND(STRAFTER(STR(?l), "#") AS ?level) }
  OPTIONAL { ?s rdfs:label ?subject_label }
  OPTIONAL { ?o rdfs:label ?object_label }
  OPTIONAL { ?p rdfs:label ?predicate_label }
  OPTIONAL { ?assertion kgo:subjectText ?subject_text ; kgo:objectText ?object_text }
  OPTIONAL { ?assertion kgo:evidence/oa:hasTarget ?t .
             ?t oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?quote .
             ?t oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end }
  OPTIONAL { ?document dcterms:publisher ?publisher }
  OPTIONAL { ?document dcterms:date ?date }
  FILTER_PLACEHOLDER
} ORDER BY ?title ?start
"""


def evidence(
    store: Store,
    subject: str | None = None,
    object: str | None = None,
    predicate: str | None = None,
    *,
    either_direction: bool = False,
) -> list[dict[str, object]]:
    """Every statement supporting (or denying) claims between ``subject`` and ``object``.

    Each argument is a name, CURIE or IRI (see :func:`resolve`); ``None`` matches anything.
    """
    subs: dict[str, ox.NamedNode] = {}
    filters = []
    ends = {"s": subject, "o": object}
    for var, name in ends.items():
        if name is not None:
            subs["x" + var] = ox.NamedNode(resolve(store, name))
    if predicate is not None:
        subs["p"] = to_term(predicate if ":" in predicate else f"kgo:{predicate}")
    if either_direction and subject is not None and object is not None:
        filters.append("FILTER((?s = ?xs && ?o = ?xo) || (?s = ?xo && ?o = ?xs))")
    else:
        filters += [f"FILTER(?{v} = ?x{v})" for v in ends if "x" + v in subs]
    sparql = _EVIDENCE.replace("FILTER_PLACEHOLDER", "\n  ".join(filters))
    try:
        return store.query(sparql, substitutions=subs or None).dicts()
    except QueryError:
        raise
