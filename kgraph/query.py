"""The query layer: run SPARQL with parameters, resolve names to entities, read claims and evidence.

Every function takes the store first. SPARQL lives here and in ``kgraph/queries/*.rq`` (files
whose name starts with ``_`` are this module's own queries, see :func:`internal`); parameters are
bound by :func:`kgraph.sparql.bind` (a ``VALUES`` block), the one way kgraph binds them. The
notebook, the CLI, the views and the server call these functions and never write SPARQL.

**One resolver.** :func:`resolve` turns a name into an entity IRI for every surface (CLI, named
queries, notebook, views, server). Candidates are ranked: the IRI itself (a typed entity or one
that takes part in a claim), then an identifier (``MESH:D007649`` or its IRI, listed by an entity
as ``dcterms:identifier`` or ``skos:exactMatch``), then a label, a synonym, a hidden label
(case, spacing, dashes and quotes ignored); at equal rank lexicon entities come before entities
minted from external identifiers, and those before entities minted from text. Two entities left
at the same rank are reported (:class:`~kgraph.errors.AmbiguousNameError`), never guessed; an
unknown name gets the closest names the graph knows (:class:`~kgraph.errors.UnknownNameError`).

>>> from kgraph import load
>>> kg = load()
>>> resolve(kg.store, "Spravato") == "https://w3id.org/kgraph/entity/esketamine"
True
>>> resolve(kg.store, "MESH:D007649") == resolve(kg.store, "ketamine")
True
>>> any(e["predicate_label"] == "antagonist of" for e in edges(kg.store))
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .counts import triple_counts
from .errors import AmbiguousNameError, UnknownNameError
from .grounding import normalise_label
from .sparql import bind
from .store import QueryResult, Store
from .store.results import term_to_python
from .suggest import suggest as close_names
from .vocab import KG, PREFIXES, compress, expand

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BREAKDOWNS",
    "as_iri",
    "bind",
    "candidates",
    "choose",
    "class_ancestors",
    "describe",
    "edges",
    "entities",
    "evidence",
    "frame",
    "internal",
    "labels",
    "origin",
    "resolve",
    "run",
    "stats",
    "suggest",
    "to_term",
]

_IRI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.I)
_CURIE = re.compile(r"^[A-Za-z][\w.-]*:[^\s/][^\s]*$")
_XSD = "http://www.w3.org/2001/XMLSchema#"

#: How many IRIs one look-up binds at most (larger sets take a few look-ups).
BATCH = 5000


@cache
def internal(name: str) -> str:
    """The text of one of the query layer's own queries (``kgraph/queries/_NAME.rq``).

    >>> "rdfs:label" in internal("labels")
    True
    """
    path = resources.files("kgraph").joinpath("queries", f"_{name}.rq")
    return path.read_text(encoding="utf-8")


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
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    text = str(value)
    iri = as_iri(text)
    return ox.NamedNode(iri) if iri is not None else ox.Literal(text)


def as_iri(name: str) -> str | None:
    """The IRI a name stands for when it is an IRI or a CURIE (kgraph's SPARQL prefixes or an
    identifier prefix such as ``MESH:``), else ``None``.

    >>> as_iri("kgo:antagonistOf"), as_iri("MESH:D007649"), as_iri("ketamine")
    ('https://w3id.org/kgraph/ontology#antagonistOf', 'http://id.nlm.nih.gov/mesh/D007649', None)
    """
    if _IRI.match(name):
        return name
    if not _CURIE.match(name):
        return None
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES:
        return PREFIXES[prefix] + local
    try:
        return expand(name)
    except ValueError:
        return None


def run(store: Store, sparql: str, **params: object) -> QueryResult:
    """Run ``sparql`` with each ``?name`` in ``params`` bound to the value given.

    Values become terms by :func:`to_term` (a list gives one solution per value); ``kgraph``
    prefixes (``kgo:``, ``kg:``, ``rdfs:``, …) are predeclared.

    >>> from kgraph import load
    >>> run(load().store, "ASK { ?d kgo:antagonistOf ?r }", r="kg:nmda_receptor").boolean
    True
    """
    terms: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, list | tuple | set | frozenset):
            terms[name] = [to_term(v) for v in value]
        else:
            terms[name] = None if value is None else to_term(value)
    return store.query(bind(sparql, terms))


# -- names → entities ----------------------------------------------------------------------------
def candidates(store: Store, name: str) -> list[tuple[str, str | None, int, int]]:
    """Every entity ``name`` could mean, best first: ``(IRI, label, rank, origin)``; ``rank`` 0
    is the IRI itself, 1 an identifier, 2 a label, 3 a synonym, 4 a hidden label; ``origin`` 0 a
    lexicon entity, 1 another typed entity, 2 one minted from text, 3 anything else.

    >>> from kgraph import load
    >>> candidates(load().store, "S-ketamine")[0][:3]
    ('https://w3id.org/kgraph/entity/esketamine', 'esketamine', 3)
    """
    text = name.strip()
    iri = as_iri(text)
    curie = (compress(iri) if iri else None) or text
    params = {"id": ox.Literal(curie.lower()), "key": ox.Literal(normalise_label(text))}
    rows = store.query(bind(internal("resolve"), params)).rows
    if iri:  # a separate query: see _resolve.rq on Virtuoso
        rows += store.query(bind(internal("resolve-iri"), {"iri": ox.NamedNode(iri)})).rows
    best: dict[str, tuple[str, str | None, int, int]] = {}
    for e, rank, typed, label in rows:
        found = (
            e.value,
            label.value if label else None,
            int(rank.value),
            origin(e.value, bool(typed)),
        )
        if e.value not in best or found[2] < best[e.value][2]:
            best[e.value] = found
    return sorted(best.values(), key=lambda c: (c[2], c[3], c[0]))


def resolve(store: Store, name: str) -> str:
    """The IRI of the entity ``name`` names (label, synonym, CURIE or IRI; see the module notes).

    >>> from kgraph import load
    >>> store = load().store
    >>> resolve(store, "NMDA receptors") == resolve(store, "kg:nmda_receptor")
    True
    >>> resolve(store, "ketamin")
    Traceback (most recent call last):
    ...
    kgraph.errors.UnknownNameError: no entity is called 'ketamin' (did you mean: ketamine, ...?)
    """
    found = candidates(store, name)
    if not found:
        raise UnknownNameError(name, suggest(store, name))
    return choose(name, found)


def choose(name: str, found: Sequence[tuple[str, str | None, int, int]]) -> str:
    """The best of ``found`` (``(IRI, label, rank, origin)``, as :func:`candidates` gives them):
    the one with the lowest ``(rank, origin)``; :class:`~kgraph.errors.AmbiguousNameError` when
    several share it, :class:`~kgraph.errors.UnknownNameError` when there is none.

    >>> choose("x", [("kg:a", "a", 2, 0), ("kg:b", "b", 3, 0)])
    'kg:a'
    >>> choose("x", [("kg:a", "a", 2, 0), ("kg:b", "b", 2, 0)])
    Traceback (most recent call last):
    ...
    kgraph.errors.AmbiguousNameError: 'x' names 2 entities: a <kg:a>, b <kg:b>; give an IRI or CURIE
    """
    if not found:
        raise UnknownNameError(name)
    ranked = sorted(found, key=lambda c: (c[2], c[3], c[0]))
    best = ranked[0][2:]
    tied = {c[0]: c for c in ranked if c[2:] == best}
    if len(tied) > 1:
        raise AmbiguousNameError(name, [(c[0], c[1] or c[0]) for c in tied.values()])
    return ranked[0][0]


def origin(iri: str, typed: bool) -> int:
    """How much an entity is trusted as the meaning of a name, best first: 0 a lexicon (``kg:``)
    entity, 1 another typed entity, 2 one minted from mention text, 3 anything untyped.

    >>> origin("https://w3id.org/kgraph/entity/ketamine", True)
    0
    >>> origin("https://w3id.org/kgraph/entity/text/compound/x", True)
    2
    """
    if iri.startswith(f"{KG}text/"):
        return 2
    if not typed:
        return 3
    return 0 if iri.startswith(str(KG)) else 1


def suggest(store: Store, name: str, n: int = 5) -> list[str]:
    """The names of entities closest to ``name`` (for "did you mean"), best first, by kgraph's
    one matcher (:func:`kgraph.suggest.suggest`) over every label and synonym of the graph.

    >>> from kgraph import load
    >>> suggest(load().store, "arketamin")[0]
    'arketamine'
    """
    names = [r[0].value for r in store.query(internal("names")).rows]
    return close_names(name, names, limit=n)


# -- labels and frames ---------------------------------------------------------------------------
def labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """The readable label of each IRI that has one (IRIs without a label are absent).

    All IRIs are looked up together, :data:`BATCH` per query. Preference: ``rdfs:label``
    (English or untagged first), ``skos:prefLabel``, ``dcterms:title``.

    >>> from kgraph import load
    >>> labels(load().store, ["https://w3id.org/kgraph/entity/ketamine", "https://example.org/n"])
    {'https://w3id.org/kgraph/entity/ketamine': 'ketamine'}
    """
    wanted = sorted(set(iris))
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = [ox.NamedNode(i) for i in wanted[start : start + BATCH]]
        for iri, label, rank in store.query(bind(internal("labels"), {"iri": chunk})).rows:
            lang = label.language if isinstance(label, ox.Literal) else None
            key = (int(rank.value), 0 if lang in (None, "", "en") else 1, label.value)
            if iri.value not in best or key < best[iri.value][0]:
                best[iri.value] = (key, label.value)
    return {iri: label for iri, (_, label) in best.items()}


def frame(store: Store, result: QueryResult) -> pd.DataFrame:
    """A query result as a DataFrame of plain Python values (IRIs as ``str``). Beside every
    column ``X`` that holds IRIs, ``X_label`` gives their labels (:func:`labels`), unless no IRI
    has one or the result has such a column already. CONSTRUCT and DESCRIBE give ``subject``,
    ``predicate`` and ``object`` columns.

    >>> from kgraph import load
    >>> store = load().store
    >>> df = frame(store, run(store, "SELECT ?d WHERE { ?d kgo:antagonistOf kg:nmda_receptor }"))
    >>> list(df.columns), "ketamine" in set(df["d_label"])
    (['d', 'd_label'], True)
    """
    import pandas as pd

    if result.kind == "graph":
        variables: Sequence[str] = ["subject", "predicate", "object"]
        rows: Sequence[Sequence[object]] = [
            (t.subject, t.predicate, t.object) for t in result.triples or []
        ]
    else:
        variables, rows = result.variables, result.rows
    iri_columns = {
        i for i in range(len(variables)) if any(isinstance(r[i], ox.NamedNode) for r in rows)
    }
    names = labels(
        store, {r[i].value for r in rows for i in iri_columns if isinstance(r[i], ox.NamedNode)}
    )
    data: dict[str, list[object]] = {}
    for i, name in enumerate(variables):
        data[name] = [term_to_python(r[i]) for r in rows]
        label_name = f"{name}_label"
        if i in iri_columns and label_name not in variables:
            column = [
                names.get(r[i].value) if isinstance(r[i], ox.NamedNode) else None for r in rows
            ]
            if any(c is not None for c in column):
                data[label_name] = column
    return pd.DataFrame(data, columns=list(data))


# -- entities, claims, evidence ------------------------------------------------------------------
def entities(store: Store) -> list[dict[str, object]]:
    """Every typed entity: IRI, label, most specific class, synonyms, identifiers, definition.

    >>> from kgraph import load
    >>> any(e["label"] == "ketamine" for e in entities(load().store))
    True
    """
    rows = store.query(internal("entities")).dicts()
    for r in rows:
        r["synonyms"] = [s for s in str(r["synonyms"] or "").split("|") if s]
        r["identifiers"] = [s for s in str(r["identifiers"] or "").split("|") if s]
    return rows


def edges(store: Store) -> list[dict[str, object]]:
    """One row per (subject, predicate, object) claimed anywhere, with how it is supported.

    ``statements`` counts assertions, ``documents`` independent documents, ``negated`` and
    ``hedged`` how many of the statements deny or hedge it, ``levels`` the evidence levels seen.

    >>> from kgraph import load
    >>> all(r["statements"] >= r["documents"] for r in edges(load().store))
    True
    """
    rows = store.query(internal("edges")).dicts()
    for r in rows:
        r["levels"] = sorted(set(str(r["levels"] or "").split()))
    return rows


def evidence(
    store: Store,
    subject: str | None = None,
    object: str | None = None,
    predicate: str | None = None,
    *,
    either_direction: bool = False,
) -> list[dict[str, object]]:
    """Every statement supporting (or denying) claims between ``subject`` and ``object``.

    Each end is a name, CURIE or IRI (see :func:`resolve`), ``predicate`` a ``kgo:`` local name,
    CURIE or IRI; ``None`` matches anything. ``either_direction`` also finds claims from
    ``object`` to ``subject``.

    >>> from kgraph import load
    >>> rows = evidence(load().store, "ketamine", "NMDA receptor")
    >>> {r["predicate_label"] for r in rows}
    {'antagonist of'}
    """
    s, o = (None if x is None else ox.NamedNode(resolve(store, x)) for x in (subject, object))
    p = None
    if predicate is not None:
        p = ox.NamedNode(as_iri(predicate if ":" in predicate else f"kgo:{predicate}") or predicate)
    text = internal("evidence")
    rows = store.query(bind(text, {"s": s, "o": o, "p": p})).dicts()
    if either_direction and s is not None and o is not None and s != o:
        rows += store.query(bind(text, {"s": o, "o": s, "p": p})).dicts()
        rows.sort(key=lambda r: (str(r["title"]), r["start"] if r["start"] is not None else -1))
    return rows


def class_ancestors(store: Store) -> dict[str, list[str]]:
    """Each class's ancestors, nearest first (breadth-first over ``rdfs:subClassOf``).

    >>> from kgraph import load
    >>> anc = class_ancestors(load().store)["https://w3id.org/kgraph/ontology#Enantiomer"]
    >>> "https://w3id.org/kgraph/ontology#Compound" in anc
    True
    """
    parents: dict[str, list[str]] = {}
    for c, parent in store.query(internal("class-parents")).rows:
        if c.value != parent.value:
            parents.setdefault(c.value, []).append(parent.value)
    result: dict[str, list[str]] = {}
    for cls in parents:
        seen: list[str] = []
        frontier = list(parents[cls])
        while frontier:
            nxt = []
            for p in frontier:
                if p not in seen and p != cls:
                    seen.append(p)
                    nxt.extend(parents.get(p, []))
            frontier = nxt
        result[cls] = seen
    return result


def describe(store: Store, iris: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """A label and one class of each IRI (``None`` where it has none).

    >>> from kgraph import load
    >>> describe(load().store, ["https://w3id.org/kgraph/entity/ketamine"])[
    ...     "https://w3id.org/kgraph/entity/ketamine"][0]
    'ketamine'
    """
    out: dict[str, tuple[str | None, str | None]] = {}
    batch = sorted(iris)
    for i in range(0, len(batch), BATCH):
        chunk = [ox.NamedNode(x) for x in batch[i : i + BATCH]]
        for x, label, cls in store.query(bind(internal("describe"), {"x": chunk})).rows:
            out[x.value] = (label.value if label else None, cls.value if cls else None)
    return out


#: The breakdowns :func:`stats` gives, in the order it gives them.
BREAKDOWNS = (
    "entities by class",
    "assertions by relation",
    "assertions by evidence level",
    "documents by source type",
)


def stats(store: Store) -> dict[str, object]:
    """Counts of documents, assertions, claims (the build's claim summary), mentioned entities
    and triples, then each of :data:`BREAKDOWNS` (name → count, largest first).

    >>> from kgraph import load
    >>> s = stats(load().store)
    >>> s["documents"], sum(s["documents by source type"].values())
    (4, 4)
    """
    row = store.query(internal("stats")).dicts()[0]
    result: dict[str, object] = {k: int(v) for k, v in row.items()}  # type: ignore[call-overload]
    by: dict[str, dict[str, int]] = {what: {} for what in BREAKDOWNS}
    for what, key, n in store.query(internal("stats-by")).rows:
        by[what.value][key.value] = int(n.value)
    result.update(triple_counts(store))  # the one definition of "triples" (kgraph.counts)
    result.update(by)
    return result
