"""The graph as pandas DataFrames: entities, documents, claims, evidence, neighbours, summary.

Each function takes a store first and returns a DataFrame (pandas is imported when first used, so
``import kgraph`` stays light); :class:`kgraph.KnowledgeGraph` methods return these.

>>> from kgraph import load
>>> store = load().store
>>> int(documents(store)["assertions"].sum()) > 80
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from . import query as q
from .claims import contested_claims, qualifier_text, weights
from .queries import named_queries, run_named
from .store import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EVIDENCE_COLUMNS",
    "claims",
    "documents",
    "entities",
    "evidence",
    "neighbours",
    "query",
    "relations",
    "summary",
    "with_qualifiers",
]

#: Column order of :func:`evidence`: what a reader wants first, identifiers last.
EVIDENCE_COLUMNS = (
    "subject_label",
    "predicate_label",
    "object_label",
    "negated",
    "certainty",
    "level",
    "quote",
    "title",
    "source_type",
    "publisher",
    "date",
    "document",
    "qualifiers",
    "note",
    "subject_text",
    "object_text",
    "start",
    "end",
    "s",
    "p",
    "o",
    "assertion",
)


def _casefold(column: pd.Series) -> pd.Series:
    """Sort key: text case-insensitively, other values as they are."""
    if column.dtype == object or str(column.dtype).startswith("str"):
        return column.fillna("").astype(str).str.casefold()
    return column


def _frame(rows: Sequence[dict], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(list(rows), columns=list(columns))


def query(store: Store, name_or_sparql: str, **params: object) -> pd.DataFrame | bool:
    """The answer to a named query (:func:`kgraph.queries.named_queries`) or, when
    ``name_or_sparql`` is no query's name, to SPARQL: a DataFrame with labels beside IRI columns
    (:func:`kgraph.query.frame`), or ``bool`` for ASK. Entity parameters take names, CURIEs or
    IRIs (:func:`kgraph.query.resolve`); SPARQL parameters bind ``?name`` (:func:`kgraph.query.run`).

    >>> from kgraph import load
    >>> store = load().store
    >>> len(query(store, "claims-about", entity="MESH:D007649")) > 0
    True
    >>> query(store, "ASK { ?x kgo:antagonistOf ?r }", r="kg:nmda_receptor")
    True
    """
    name = name_or_sparql.strip()
    if name in named_queries():
        result = run_named(store, name, **params)
    else:
        result = q.run(store, name_or_sparql, **params)
    if result.kind == "ask":
        return bool(result.boolean)
    df = q.frame(store, result)
    qualified = {"comparison", "degree", "mediation"} & set(df.columns)
    if qualified and "qualifiers" not in df.columns:  # how the qualifiers read, beside them
        rows = with_qualifiers(df.to_dict("records"))
        df["qualifiers"] = [r["qualifiers"] for r in rows]
    return df


def entities(store: Store, *, lexicon: bool = False) -> pd.DataFrame:
    """One row per entity the documents mention (``lexicon=True``: every typed entity), with its
    most specific class, identifiers, synonyms, definition and the number of ``documents``
    mentioning it; most mentioned first.

    >>> from kgraph import load
    >>> df = entities(load().store)
    >>> int(df[df["label"] == "ketamine"]["documents"].iloc[0])
    4
    """
    counts = {r["e"]: r["documents"] for r in store.query(q.internal("mention-counts")).dicts()}
    rows = []
    for e in q.entities(store):
        n = counts.get(str(e["e"]), 0)
        if n or lexicon:
            rows.append({"entity": e["e"], **{k: e[k] for k in _ENTITY[1:-1]}, "documents": n})
    return _frame(rows, _ENTITY).sort_values(
        ["documents", "label"], ascending=[False, True], ignore_index=True, key=_casefold
    )


_ENTITY = (
    "entity",
    "label",
    "class",
    "class_label",
    "identifiers",
    "synonyms",
    "definition",
    "documents",
)


def documents(store: Store) -> pd.DataFrame:
    """One row per document: IRI, identifier, title, publisher, date, source type, and how many
    ``assertions`` it supports and ``entities`` it mentions.

    >>> from kgraph import load
    >>> sorted(documents(load().store)["source_type"])  # doctest: +NORMALIZE_WHITESPACE
    ['ClinicMarketingPage', 'OpinionArticle', 'ResearchOverview', 'ScienceNews']
    """
    rows = store.query(q.internal("documents")).dicts()
    for r in rows:
        r["entities"] = r["entities"] or 0
    columns = (
        "document",
        "identifier",
        "title",
        "publisher",
        "date",
        "source_type",
        "assertions",
        "entities",
    )
    return _frame(rows, columns)


def claims(store: Store, *, contested: bool = False) -> pd.DataFrame:
    """One row per (subject, predicate, object) claimed anywhere, with labels and support,
    ``contested`` (one side of a contest, :func:`kgraph.claims.contested_claims`), and the
    ``evidence_weight``, ``why`` and ``corroborated`` the build stored in the claim summary (the
    heaviest claim of the relation, :func:`kgraph.claims.weights`), heaviest first.
    ``contested=True`` keeps only the contested claims.

    >>> from kgraph import load
    >>> df = claims(load().store)
    >>> bool(claims(load().store, contested=True)["contested"].all())
    True
    >>> bool(df["evidence_weight"].between(0, 1).all()), df["evidence_weight"].is_monotonic_decreasing
    (True, True)
    """
    rows = q.edges(store)
    names = q.labels(store, {str(r[k]) for r in rows for k in ("s", "o")})
    disputed = contested_claims(store)
    weighed = weights(store)
    out = []
    for r in rows:
        is_contested = (r["s"], r["p"], r["o"]) in disputed
        if contested and not is_contested:
            continue
        w = weighed.get((str(r["s"]), str(r["p"]), str(r["o"])))
        out.append(
            {
                "subject_label": names.get(str(r["s"])),
                "predicate_label": r["predicate_label"],
                "object_label": names.get(str(r["o"])),
                "statements": int(r["statements"]),  # type: ignore[call-overload]
                "documents": r["documents"],
                "negated": int(r["negated"]),  # type: ignore[call-overload]
                "hedged": r["hedged"],
                "contested": is_contested,
                "levels": r["levels"],
                "evidence_weight": w.value if w else None,
                "corroborated": bool(w and w.corroborated),
                "why": w.reason if w else None,
                "subject": r["s"],
                "predicate": r["p"],
                "object": r["o"],
            }
        )
    columns = (
        "subject_label",
        "predicate_label",
        "object_label",
        "statements",
        "documents",
        "negated",
        "hedged",
        "contested",
        "levels",
        "evidence_weight",
        "corroborated",
        "why",
        "subject",
        "predicate",
        "object",
    )
    return _frame(out, columns).sort_values(
        [
            "evidence_weight",
            "documents",
            "statements",
            "subject_label",
            "predicate_label",
            "object_label",
        ],
        ascending=[False, False, False, True, True, True],
        ignore_index=True,
        key=_casefold,
    )


def evidence(store: Store, *ends: str | None, **options) -> pd.DataFrame:
    """:func:`kgraph.query.evidence` (same arguments) as a DataFrame, columns in
    :data:`EVIDENCE_COLUMNS` order.

    >>> from kgraph import load
    >>> list(evidence(load().store, "ketamine", "NMDA receptor").columns[:2])
    ['subject_label', 'predicate_label']
    """
    import pandas as pd

    rows = with_qualifiers(q.evidence(store, *ends, **options))
    if not rows:
        return pd.DataFrame(columns=list(EVIDENCE_COLUMNS))
    df = pd.DataFrame(rows)
    known = [c for c in EVIDENCE_COLUMNS if c in df.columns]
    return df[known + [c for c in df.columns if c not in EVIDENCE_COLUMNS]]


def with_qualifiers(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """``rows`` (statements, or claims of a named query) with a ``qualifiers`` column that reads
    their qualifier columns (``comparison``, ``comparator``, ``degree``, ``mediation``,
    ``mediator``, with ``*_label`` columns for the entities), by :func:`kgraph.claims.qualifier_text`.

    >>> with_qualifiers([{"comparison": "Less", "comparator_label": "esketamine"}])[0]["qualifiers"]
    'less than esketamine'
    """
    for r in rows:

        def text(key: str, r: dict = r) -> str | None:  # None for a missing value, NaN too
            value = r.get(key)
            return value if isinstance(value, str) and value else None

        r["qualifiers"] = (
            qualifier_text(
                text("comparison"),
                text("comparator_label") or text("comparator"),
                text("degree"),
                text("mediation"),
                text("mediator_label") or text("mediator"),
            )
            or None
        )
    return rows


def _hops(store: Store, frontier: Sequence[str], direction: str, include_negated: bool):
    params = {
        "x": [ox.NamedNode(i) for i in frontier],
        "out": direction in ("both", "out"),
        "in": direction in ("both", "in"),
        "all": include_negated,
    }
    for s, p, o in q.run(store, q.internal("hops"), **params).rows:
        yield s.value, p.value, o.value


def neighbours(
    store: Store,
    entity: str,
    depth: int = 1,
    *,
    direction: Literal["both", "out", "in"] = "both",
    include_negated: bool = False,
) -> pd.DataFrame:
    """The entities within ``depth`` claims of ``entity``, nearest first, with ``depth``, ``via``
    (the last claim's predicate, with an arrow for its direction) and ``path`` (the chain from
    ``entity``, as text). Claims every source denies are followed only with ``include_negated``;
    ``direction`` follows claims out of, into, or both ways. One query per level of depth.

    >>> from kgraph import load
    >>> n = neighbours(load().store, "ketamine")
    >>> n[n["label"] == "NMDA receptor"]["via"].tolist()
    ['antagonist of →']
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1, not {depth}")
    if direction not in ("both", "out", "in"):
        raise ValueError(f"direction must be 'both', 'out' or 'in', not {direction!r}")
    start = q.resolve(store, entity)
    # entity -> (depth, parent, predicate, forward)
    reached: dict[str, tuple[int, str | None, str | None, bool]] = {start: (0, None, None, True)}
    frontier = [start]
    for level in range(1, depth + 1):
        if not frontier:
            break
        found: dict[str, tuple[int, str, str, bool]] = {}
        for s, p, o in _hops(store, frontier, direction, include_negated):
            if s in frontier and o not in reached and direction in ("both", "out"):
                found.setdefault(o, (level, s, p, True))
            if o in frontier and s not in reached and direction in ("both", "in"):
                found.setdefault(s, (level, o, p, False))
        reached.update(found)
        frontier = sorted(found)
    names = q.labels(store, set(reached) | {str(v[2]) for v in reached.values() if v[2]})
    classes = {
        r["e"]: r["class_label"]
        for r in q.run(store, q.internal("classes"), e=sorted(reached)).dicts()
    }

    def name(iri: str) -> str:
        return names.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    rows = []
    for iri, (d, _parent, _pred, _fwd) in reached.items():
        if d == 0:
            continue
        hops: list[tuple[str, str, bool]] = []
        node = iri
        while reached[node][1] is not None:
            _, parent, pred, fwd = reached[node]
            hops.append((node, str(pred), fwd))
            node = str(parent)
        hops.reverse()
        text = name(start)
        for target, pred, fwd in hops:
            text += (f" —{name(pred)}→ " if fwd else f" ←{name(pred)}— ") + name(target)
        last_pred, last_fwd = hops[-1][1], hops[-1][2]
        via = f"{name(last_pred)} →" if last_fwd else f"← {name(last_pred)}"
        rows.append(
            {
                "entity": iri,
                "label": name(iri),
                "class_label": classes.get(iri),
                "depth": d,
                "via": via,
                "path": text,
            }
        )
    df = _frame(rows, ("entity", "label", "class_label", "depth", "via", "path"))
    return df.sort_values(["depth", "label"], ignore_index=True, key=_casefold)


def relations(store: Store) -> pd.DataFrame:
    """Claims, statements, negated statements and documents by relation, most claims first.

    >>> from kgraph import load
    >>> "antagonist of" in set(relations(load().store)["relation"])
    True
    """
    rows = store.query(q.internal("relations")).dicts()
    names = q.labels(store, (str(r["p"]) for r in rows))
    out = [
        {
            "relation": names.get(str(r["p"])) or str(r["p"]).rsplit("#", 1)[-1],
            "claims": r["claims"],
            "statements": r["statements"],
            "negated": r["negated"],
            "documents": r["documents"],
            "predicate": r["p"],
        }
        for r in rows
    ]
    columns = ("relation", "claims", "statements", "negated", "documents", "predicate")
    return _frame(out, columns).sort_values(
        ["claims", "relation"], ascending=[False, True], ignore_index=True
    )


def summary(store: Store) -> dict[str, object]:
    """What a graph holds, as the parts of a :class:`kgraph.notebook.Summary`: ``counts``
    (documents, entities, claims, assertions, negated), entities by ``classes``, claims by
    ``relations``, and the ``documents``.

    >>> from kgraph import load
    >>> s = summary(load().store)
    >>> s["counts"]["documents"], s["counts"]["entities"] == int(s["classes"]["entities"].sum())
    (4, True)
    """
    found = entities(store)
    classes = (
        found.assign(cls=found["class_label"].fillna(found["class"]))
        .groupby("cls", dropna=False)
        .size()
        .rename("entities")
        .reset_index()
        .rename(columns={"cls": "class"})
        .sort_values(["entities", "class"], ascending=[False, True], ignore_index=True)
    )
    by_relation = relations(store)
    docs = documents(store)
    counts = {
        "documents": len(docs),
        "entities": len(found),
        "claims": int(by_relation["claims"].sum()),
        "assertions": int(by_relation["statements"].sum()),
        "negated": int(by_relation["negated"].sum()),
    }
    return {"counts": counts, "classes": classes, "relations": by_relation, "documents": docs}
