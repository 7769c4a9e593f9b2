"""The one-object view of a graph for Python and Jupyter.

:func:`load` returns a :class:`KnowledgeGraph` over a store: SPARQL answers as pandas DataFrames
with readable labels beside IRIs, the evidence behind a claim, neighbourhoods, mechanism chains,
networkx graphs, an :mod:`rdflib` view, and inline interactive views in notebooks.

>>> kg = load()
>>> kg  # doctest: +ELLIPSIS
<KnowledgeGraph memory: (4 documents, ... assertions)>
>>> ev = kg.evidence("ketamine", "NMDA receptor")
>>> ev[["subject_label", "object_label"]].iloc[0].tolist()
['ketamine', 'NMDA receptor']
>>> str(kg.paths("ketamine", "NMDA receptor", cutoff=1)[0])
'ketamine —antagonist of→ NMDA receptor'
"""

from __future__ import annotations

import itertools
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import pyoxigraph as ox

from . import query as q
from .build import BuildReport, build_store
from .convert import collapse, to_networkx
from .errors import KGraphError
from .grounding import normalise_label
from .store import Store, open_store
from .store.results import term_to_python
from .vocab import PREFIXES, compress, corpus_dir, expand

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import rdflib

    from .notebook import InlineView, Summary

__all__ = ["Chain", "KnowledgeGraph", "load"]

#: How many IRIs one label look-up names at most (larger results take a few look-ups).
LABEL_BATCH = 5000

#: Column order of :meth:`KnowledgeGraph.evidence`: what a reader wants first, identifiers last.
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
    "subject_text",
    "object_text",
    "start",
    "end",
    "s",
    "p",
    "o",
    "assertion",
)


def load(
    *sources: str | os.PathLike[str],
    store: str | os.PathLike[str] | Store | None = None,
    format: str | None = None,
    lenient: bool = False,
) -> KnowledgeGraph:
    """A :class:`KnowledgeGraph` built from ``sources``, or over an existing store.

    - ``load()`` builds the bundled corpus into an in-memory store (about a second);
    - ``load("a.PubTator.txt", "corpus/", lenient=True)`` builds files and folders (any format
      :mod:`kgraph.formats` reads; ``format`` forces one; ``lenient`` turns unknown entities and
      relation types into counted warnings, see :attr:`KnowledgeGraph.report`);
    - ``load(store="build/store")`` opens what ``kgraph build`` wrote, read-only, without
      rebuilding; ``load(store="https://host/sparql")`` queries a SPARQL endpoint;
    - ``load(*sources, store="build/store")`` builds ``sources`` into that store (atomically).

    ``store`` may also be an open :class:`~kgraph.store.Store`.

    >>> kg = load()
    >>> kg.report.documents
    4
    >>> import tempfile
    >>> path = tempfile.mkdtemp() + "/store"
    >>> _ = load(corpus_dir(), store=path)  # build into an on-disk store
    >>> load(store=path).sparql("SELECT (COUNT(*) AS ?n) WHERE { ?d a kgo:Document }")["n"].item()
    4
    """
    if store is not None and not isinstance(store, str | os.PathLike):
        target: Store = store
        if not sources:
            return KnowledgeGraph(target)
    elif store is not None and not sources:
        return KnowledgeGraph(open_store(store, read_only=True))
    else:
        target = open_store(store if store is not None else "memory:")
    report = build_store(target, list(sources) or [corpus_dir()], format=format, lenient=lenient)
    return KnowledgeGraph(target, report)


@dataclass(frozen=True)
class Chain:
    """A chain of claims from one entity to another: ``entities[i] —predicates[i]→ entities[i+1]``.

    ``forward[i]`` is ``False`` when hop ``i`` follows a claim backwards (only in undirected
    searches). ``str(chain)`` reads like the sentence it stands for.

    >>> c = Chain(("kg:a", "kg:b"), ("A", "B"), ("kgo:p",), ("blocks",), (True,))
    >>> str(c), len(c), c.steps()
    ('A —blocks→ B', 1, [('A', 'blocks', 'B')])
    """

    entities: tuple[str, ...]
    labels: tuple[str, ...]
    predicates: tuple[str, ...]
    predicate_labels: tuple[str, ...]
    forward: tuple[bool, ...]

    def __len__(self) -> int:
        """The number of hops (claims) in the chain."""
        return len(self.predicates)

    def steps(self) -> list[tuple[str, str, str]]:
        """``(subject label, predicate label, object label)`` per hop, in reading order."""
        return [
            (self.labels[i], self.predicate_labels[i], self.labels[i + 1])
            for i in range(len(self.predicates))
        ]

    def __str__(self) -> str:
        parts = [self.labels[0]]
        for i, label in enumerate(self.predicate_labels):
            arrow = f" —{label}→ " if self.forward[i] else f" ←{label}— "
            parts += [arrow, self.labels[i + 1]]
        return "".join(parts)


class KnowledgeGraph:
    """A store plus the questions people ask of it. Make one with :func:`load`.

    Answers are pandas DataFrames (pandas is imported on first use), networkx graphs, or
    :class:`Chain` lists; entity arguments are labels, synonyms, CURIEs or IRIs (see
    :meth:`resolve`). In Jupyter the object displays as a summary table (:meth:`summary`).

    >>> kg = load()
    >>> kg.resolve("MESH:D007649")
    'https://w3id.org/kgraph/entity/ketamine'
    """

    def __init__(self, store: Store, report: BuildReport | None = None) -> None:
        self.store = store
        #: What the build read, wrote and skipped (``None`` when opened over an existing store).
        self.report = report
        self._graph: nx.MultiDiGraph | None = None
        self._rdf: rdflib.Dataset | None = None

    def __repr__(self) -> str:
        if self.report is None:
            return f"<KnowledgeGraph {self.store.url}>"
        r = self.report
        return f"<KnowledgeGraph {self.store.url} ({r.documents} documents, {r.assertions} assertions)>"

    # -- building ---------------------------------------------------------------------------
    def build(
        self,
        sources: Iterable[str | os.PathLike[str]],
        *,
        format: str | None = None,
        lenient: bool = False,
    ) -> BuildReport:
        """Rebuild this graph's store from ``sources`` (all or nothing) and return the report.

        >>> kg = load()
        >>> kg.build([corpus_dir()]).documents
        4
        """
        self.report = build_store(self.store, list(sources), format=format, lenient=lenient)
        self._graph = None
        self._rdf = None
        return self.report

    # -- SPARQL -----------------------------------------------------------------------------
    def sparql(self, sparql: str, **params: object) -> pd.DataFrame | bool:
        """The answer to a SPARQL query: a DataFrame for SELECT, ``bool`` for ASK.

        Each ``?name`` in ``params`` is bound to the value given (IRIs and CURIEs become IRIs,
        other values literals; see :func:`kgraph.query.to_term`), and kgraph's prefixes (``kgo:``,
        ``kg:``, ``rdfs:``, …) are predeclared. Cells are plain Python values (IRIs as ``str``).
        Beside every column ``X`` that holds IRIs, a column ``X_label`` gives their labels
        (``rdfs:label``, else ``skos:prefLabel``, else a document's ``dcterms:title``), found by
        one extra query for all the result's IRIs; it is left out when no IRI has a label or when
        the query already has a column of that name. CONSTRUCT and DESCRIBE give a DataFrame of
        ``subject``, ``predicate`` and ``object`` (with their labels).

        >>> kg = load()
        >>> df = kg.sparql("SELECT ?drug WHERE { ?drug kgo:antagonistOf kg:nmda_receptor }")
        >>> "ketamine" in set(df["drug_label"])
        True
        >>> list(df.columns)
        ['drug', 'drug_label']
        >>> kg.sparql("ASK { ?x kgo:antagonistOf kg:nmda_receptor }")
        True
        """
        bound = {k: _param(v) for k, v in params.items()}
        result = q.run(self.store, sparql, **bound)
        if result.kind == "ask":
            return bool(result.boolean)
        if result.kind == "graph":
            rows = [(t.subject, t.predicate, t.object) for t in result.triples or []]
            return self._frame(["subject", "predicate", "object"], rows)
        return self._frame(result.variables, result.rows)

    def _frame(self, variables: Sequence[str], rows: Sequence[Sequence[object]]) -> pd.DataFrame:
        import pandas as pd

        iri_columns = {
            i for i in range(len(variables)) if any(isinstance(r[i], ox.NamedNode) for r in rows)
        }
        labels = self.labels(
            {r[i].value for r in rows for i in iri_columns if isinstance(r[i], ox.NamedNode)}  # type: ignore[attr-defined]
        )
        data: dict[str, list[object]] = {}
        for i, name in enumerate(variables):
            data[name] = [term_to_python(r[i]) for r in rows]
            label_name = f"{name}_label"
            if i in iri_columns and label_name not in variables:
                column = [
                    labels.get(r[i].value) if isinstance(r[i], ox.NamedNode) else None  # type: ignore[attr-defined]
                    for r in rows
                ]
                if any(c is not None for c in column):
                    data[label_name] = column
        return pd.DataFrame(data, columns=list(data))

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The readable label of each IRI that has one (a dict; IRIs without a label are absent).

        All IRIs are looked up together, :data:`LABEL_BATCH` per query. Preference:
        ``rdfs:label`` (English or untagged first), ``skos:prefLabel``, ``dcterms:title``.

        >>> kg = load()
        >>> kg.labels(["https://w3id.org/kgraph/entity/ketamine", "https://example.org/none"])
        {'https://w3id.org/kgraph/entity/ketamine': 'ketamine'}
        """
        wanted = sorted(set(iris))
        best: dict[str, tuple[tuple[int, int, str], str]] = {}
        for start in range(0, len(wanted), LABEL_BATCH):
            chunk = wanted[start : start + LABEL_BATCH]
            values = " ".join(str(ox.NamedNode(i)) for i in chunk)
            rows = self.store.query(_LABELS.replace("VALUES_PLACEHOLDER", values)).rows
            for iri, label, rank in rows:
                lang = label.language if isinstance(label, ox.Literal) else None
                key = (int(rank.value), 0 if lang in (None, "", "en") else 1, label.value)
                if iri.value not in best or key < best[iri.value][0]:
                    best[iri.value] = (key, label.value)
        return {iri: label for iri, (_, label) in best.items()}

    @property
    def rdf(self) -> rdflib.Dataset:
        """The whole graph as an :class:`rdflib.Dataset` with ``default_union`` set, so
        ``kg.rdf.query(...)`` sees every named graph (ontology and data), as :meth:`sparql` does.

        It is a snapshot copied from the store on first use (and after :meth:`build`); rdflib
        holds it in memory, which suits graphs up to a few million triples.

        >>> kg = load()
        >>> import rdflib
        >>> ketamine = rdflib.URIRef("https://w3id.org/kgraph/entity/ketamine")
        >>> str(kg.rdf.value(ketamine, rdflib.RDFS.label))
        'ketamine'
        """
        if self._rdf is None:
            import rdflib

            ds = rdflib.Dataset(default_union=True)
            with warnings.catch_warnings():
                # rdflib 7.1+ warns about its own use of Dataset.default_context while parsing
                warnings.simplefilter("ignore", DeprecationWarning)
                ds.parse(data=self.store.dump("nq"), format="nquads")
            self._rdf = ds
        return self._rdf

    # -- entities and documents -------------------------------------------------------------
    def resolve(self, name: str) -> str:
        """The IRI of the entity named by a label, synonym, CURIE or IRI.

        A CURIE or IRI that a lexicon entity lists as its identifier resolves to that entity
        (``MESH:D007649`` is ketamine); a name resolves to the entity whose label it is, else to
        one whose synonym it is, lexicon entities first. Raises
        :class:`~kgraph.errors.KGraphError` when nothing has that name.

        >>> kg = load()
        >>> kg.resolve("MESH:D007649"), kg.resolve("Spravato")  # doctest: +NORMALIZE_WHITESPACE
        ('https://w3id.org/kgraph/entity/ketamine', 'https://w3id.org/kgraph/entity/esketamine')
        >>> kg.resolve("kg:nmda_receptor") == kg.resolve("NMDA receptors")
        True
        """
        iri = _expand(name)
        if iri is not None:
            term = ox.NamedNode(iri)
            curie = ox.Literal(compress(iri) or name)
            sparql = _RESOLVE_IRI.replace("?x_iri", str(term)).replace("?x_curie", str(curie))
            rows = self.store.query(sparql).rows
            if rows:
                return str(rows[0][0].value)
        text = ox.Literal(normalise_label(name))
        rows = self.store.query(_RESOLVE_NAME.replace("?x_name", str(text))).rows
        if not rows:
            raise KGraphError(f"no entity is called {name!r}")
        return str(rows[0][0].value)

    def entities(self, *, lexicon: bool = False) -> pd.DataFrame:
        """One row per entity the documents mention (``lexicon=True``: every typed entity, the
        ontology's lexicon included), with its most specific class, identifiers, synonyms,
        definition and the number of ``documents`` mentioning it; most mentioned first.

        >>> kg = load()
        >>> df = kg.entities()
        >>> row = df[df["label"] == "ketamine"].iloc[0]
        >>> row["class_label"], "MESH:D007649" in row["identifiers"], int(row["documents"])
        ('compound', True, 4)
        """
        import pandas as pd

        counts = {
            r["e"]: r["documents"] for r in self.store.query(_MENTION_COUNTS).dicts() if r["e"]
        }
        rows = []
        for e in q.entities(self.store):
            n = counts.get(str(e["e"]), 0)
            if n or lexicon:
                rows.append(
                    {
                        "entity": e["e"],
                        "label": e["label"],
                        "class": e["class"],
                        "class_label": e["class_label"],
                        "identifiers": e["identifiers"],
                        "synonyms": e["synonyms"],
                        "definition": e["definition"],
                        "documents": n,
                    }
                )
        columns = [
            "entity",
            "label",
            "class",
            "class_label",
            "identifiers",
            "synonyms",
            "definition",
            "documents",
        ]
        df = pd.DataFrame(rows, columns=columns)
        return df.sort_values(
            ["documents", "label"], ascending=[False, True], ignore_index=True, key=_casefold
        )

    def documents(self) -> pd.DataFrame:
        """One row per document: IRI, identifier, title, publisher, date, source type, and how many
        ``assertions`` it supports and ``entities`` it mentions.

        >>> kg = load()
        >>> docs = kg.documents()
        >>> sorted(docs["source_type"])  # doctest: +NORMALIZE_WHITESPACE
        ['ClinicMarketingPage', 'OpinionArticle', 'ResearchOverview', 'ScienceNews']
        >>> bool((docs["assertions"] > 0).all())
        True
        """
        import pandas as pd

        rows = self.store.query(_DOCUMENTS).dicts()
        mentions = {r["document"]: r["entities"] for r in self.store.query(_DOC_ENTITIES).dicts()}
        for r in rows:
            r["entities"] = mentions.get(r["document"], 0)
        columns = [
            "document",
            "identifier",
            "title",
            "publisher",
            "date",
            "source_type",
            "assertions",
            "entities",
        ]
        return pd.DataFrame(rows, columns=columns)

    def claims(self, *, contested: bool = False) -> pd.DataFrame:
        """One row per (subject, predicate, object) claimed anywhere, with labels and support:
        ``statements``, independent ``documents``, how many statements are ``negated`` or
        ``hedged``, the evidence ``levels``, and ``contested`` (asserted by some statements and
        denied by others). ``contested=True`` keeps only the contested claims.

        >>> kg = load()
        >>> c = kg.claims()
        >>> top = c.iloc[0]
        >>> top["subject_label"], int(top["documents"]) >= 3
        ('ketamine', True)
        >>> contested = kg.claims(contested=True)
        >>> bool(((contested["negated"] > 0) & (contested["negated"] < contested["statements"])).all())
        True
        """
        import pandas as pd

        rows = q.edges(self.store)
        labels = self.labels({r[k] for r in rows for k in ("s", "o")})  # type: ignore[misc]
        out = []
        for r in rows:
            statements, negated = int(r["statements"]), int(r["negated"])  # type: ignore[call-overload]
            is_contested = 0 < negated < statements
            if contested and not is_contested:
                continue
            out.append(
                {
                    "subject_label": labels.get(str(r["s"])),
                    "predicate_label": r["predicate_label"],
                    "object_label": labels.get(str(r["o"])),
                    "statements": statements,
                    "documents": r["documents"],
                    "negated": negated,
                    "hedged": r["hedged"],
                    "contested": is_contested,
                    "levels": r["levels"],
                    "subject": r["s"],
                    "predicate": r["p"],
                    "object": r["o"],
                }
            )
        columns = [
            "subject_label",
            "predicate_label",
            "object_label",
            "statements",
            "documents",
            "negated",
            "hedged",
            "contested",
            "levels",
            "subject",
            "predicate",
            "object",
        ]
        df = pd.DataFrame(out, columns=columns)
        return df.sort_values(
            ["documents", "statements", "subject_label", "predicate_label", "object_label"],
            ascending=[False, False, True, True, True],
            ignore_index=True,
            key=_casefold,
        )

    # -- evidence ---------------------------------------------------------------------------
    def evidence(
        self,
        subject: str | None = None,
        object: str | None = None,
        predicate: str | None = None,
        *,
        either_direction: bool = False,
    ) -> pd.DataFrame:
        """Every statement that supports (or denies) claims from ``subject`` to ``object``.

        One row per statement: the claim's labels, ``negated``, ``certainty`` (``Asserted`` or
        ``Hedged``), evidence ``level``, the ``quote`` (the sentence), the document's ``title``,
        ``source_type``, ``publisher``, ``date`` and IRI, then the mention texts, the sentence's
        character span and the IRIs of the claim and its assertion node. ``None`` matches
        anything; ``predicate`` is a property name (``"antagonistOf"``), CURIE or IRI;
        ``either_direction=True`` also finds claims from ``object`` to ``subject``.

        >>> kg = load()
        >>> ev = kg.evidence("ketamine", "NMDA receptor", "antagonistOf")
        >>> list(ev.columns[:4])
        ['subject_label', 'predicate_label', 'object_label', 'negated']
        >>> bool(ev["quote"].str.contains("NMDA").all()), ev["document"].nunique() >= 2
        (True, True)
        """
        import pandas as pd

        ends = [None if x is None else self.resolve(x) for x in (subject, object)]
        if predicate is not None:
            predicate = _expand(predicate if ":" in predicate else f"kgo:{predicate}") or predicate
        rows = q.evidence(self.store, *ends, predicate, either_direction=either_direction)
        if not rows:
            return pd.DataFrame(columns=list(EVIDENCE_COLUMNS))
        df = pd.DataFrame(rows)
        known = [c for c in EVIDENCE_COLUMNS if c in df.columns]
        return df[known + [c for c in df.columns if c not in EVIDENCE_COLUMNS]]

    # -- graph walks ------------------------------------------------------------------------
    def neighbours(
        self,
        entity: str,
        depth: int = 1,
        *,
        direction: Literal["both", "out", "in"] = "both",
        include_negated: bool = False,
    ) -> pd.DataFrame:
        """The entities within ``depth`` claims of ``entity``, nearest first, with how each is
        reached: ``depth``, ``via`` (the last claim's predicate, with an arrow showing its
        direction) and ``path`` (the whole chain from ``entity``, as text). Claims that every
        source denies are not followed unless ``include_negated``; ``direction`` follows claims
        out of, into, or both ways from each entity. One SPARQL query per level of depth.

        >>> kg = load()
        >>> n = kg.neighbours("ketamine")
        >>> "NMDA receptor" in set(n["label"]), set(n["depth"]) == {1}
        (True, True)
        >>> n[n["label"] == "NMDA receptor"]["via"].tolist()
        ['antagonist of →']
        """
        import pandas as pd

        if depth < 1:
            raise ValueError(f"depth must be at least 1, not {depth}")
        if direction not in ("both", "out", "in"):
            raise ValueError(f"direction must be 'both', 'out' or 'in', not {direction!r}")
        start = self.resolve(entity)
        # entity -> (depth, parent, predicate, forward)
        reached: dict[str, tuple[int, str | None, str | None, bool]] = {
            start: (0, None, None, True)
        }
        frontier = [start]
        for level in range(1, depth + 1):
            if not frontier:
                break
            found: dict[str, tuple[int, str, str, bool]] = {}
            for s, p, o in self._hops(frontier, direction, include_negated):
                if s in frontier and o not in reached and direction in ("both", "out"):
                    found.setdefault(o, (level, s, p, True))
                if o in frontier and s not in reached and direction in ("both", "in"):
                    found.setdefault(s, (level, o, p, False))
            reached.update(found)
            frontier = sorted(found)
        labels = self.labels(
            set(reached) | {str(v[2]) for v in reached.values() if v[2] is not None}
        )
        classes = self._classes(reached)

        def name(iri: str) -> str:
            return labels.get(iri) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

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
                text += f" —{name(pred)}→ " if fwd else f" ←{name(pred)}— "
                text += name(target)
            last_pred, last_fwd = hops[-1][1], hops[-1][2]
            rows.append(
                {
                    "entity": iri,
                    "label": name(iri),
                    "class_label": classes.get(iri),
                    "depth": d,
                    "via": f"{name(last_pred)} →" if last_fwd else f"← {name(last_pred)}",
                    "path": text,
                }
            )
        df = pd.DataFrame(rows, columns=["entity", "label", "class_label", "depth", "via", "path"])
        return df.sort_values(["depth", "label"], ignore_index=True, key=_casefold)

    def _hops(
        self, frontier: Sequence[str], direction: str, include_negated: bool
    ) -> Iterator[tuple[str, str, str]]:
        values = " ".join(str(ox.NamedNode(i)) for i in frontier)
        branches = []
        if direction in ("both", "out"):
            branches.append("{ ?a rdf:subject ?x . BIND(?x AS ?s) ?a rdf:object ?o }")
        if direction in ("both", "in"):
            branches.append("{ ?a rdf:object ?x . BIND(?x AS ?o) ?a rdf:subject ?s }")
        sparql = (
            "SELECT DISTINCT ?s ?p ?o WHERE {\n"
            f"  VALUES ?x {{ {values} }}\n"
            f"  {' UNION '.join(branches)}\n"
            "  ?a a kgo:Assertion ; rdf:predicate ?p ; kgo:negated ?neg .\n"
            + ("" if include_negated else "  FILTER(?neg = false)\n")
            + "} ORDER BY ?s ?p ?o"
        )
        for s, p, o in self.store.query(sparql).rows:
            yield s.value, p.value, o.value

    def _classes(self, iris: Iterable[str]) -> dict[str, str]:
        values = " ".join(str(ox.NamedNode(i)) for i in iris)
        rows = self.store.query(_CLASSES.replace("VALUES_PLACEHOLDER", values)).rows
        return {e.value: label.value for e, label in rows}

    def _claims_graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            self._graph = to_networkx(self.store)
        return self._graph

    def paths(
        self,
        source: str,
        target: str,
        cutoff: int = 4,
        *,
        directed: bool = True,
        limit: int = 100,
    ) -> list[Chain]:
        """Mechanism chains from ``source`` to ``target``: simple paths of at most ``cutoff``
        claims, shortest first, then alphabetically; one :class:`Chain` per choice of predicate
        where two entities are linked by several claims; at most ``limit`` chains.

        Only claims that some source asserts are followed (a claim every source denies is not a
        mechanism). ``directed=False`` also walks claims backwards (the chain marks those hops).

        >>> kg = load()
        >>> chains = kg.paths("ketamine", "NMDA receptor", cutoff=1)
        >>> [c.steps() for c in chains]
        [[('ketamine', 'antagonist of', 'NMDA receptor')]]
        >>> all(len(c) <= 3 for c in kg.paths("esketamine", "antidepressant effect", cutoff=3))
        True
        """
        import networkx as nx

        if cutoff < 1 or limit < 1:
            return []
        g = self._claims_graph()
        a, b = self.resolve(source), self.resolve(target)
        if a == b or a not in g or b not in g:
            return []
        asserted = collapse(g)
        search: nx.Graph = asserted if directed else asserted.to_undirected(as_view=True)
        node_paths: list[list[str]] = []
        try:
            for path in nx.shortest_simple_paths(search, a, b):
                if len(path) - 1 > cutoff:
                    break
                node_paths.append(path)
                if len(node_paths) >= limit:
                    break
        except nx.NetworkXNoPath:
            return []

        def hop_choices(u: str, v: str) -> list[tuple[str, str, bool]]:
            choices = []
            for s, o, fwd in ((u, v, True), (v, u, False)):
                if not fwd and directed:
                    continue
                for key, data in (g.get_edge_data(s, o) or {}).items():
                    if data.get("negated", 0) < data.get("statements", 1):
                        choices.append((str(key), str(data["label"]), fwd))
            return sorted(choices, key=lambda c: (not c[2], c[1]))

        chains: list[Chain] = []
        for path in node_paths:
            per_hop = [hop_choices(u, v) for u, v in itertools.pairwise(path)]
            for combo in itertools.product(*per_hop):
                chains.append(
                    Chain(
                        entities=tuple(path),
                        labels=tuple(str(g.nodes[n]["label"]) for n in path),
                        predicates=tuple(c[0] for c in combo),
                        predicate_labels=tuple(c[1] for c in combo),
                        forward=tuple(c[2] for c in combo),
                    )
                )
        chains.sort(key=lambda c: (len(c), c.labels, c.predicate_labels))
        return chains[:limit]

    # -- networkx -----------------------------------------------------------------------------
    def to_networkx(self, *, simple: bool = False) -> nx.MultiDiGraph | nx.DiGraph:
        """The claims as a networkx ``MultiDiGraph`` (a fresh copy: mutate it freely).

        Nodes are entity IRIs with ``label``, ``cls`` (class IRI), ``class_label``,
        ``identifiers``, ``synonyms`` and ``definition``; each edge is one claim keyed by its
        predicate IRI, with ``label``, ``statements``, ``documents``, ``negated``, ``hedged`` and
        ``levels`` (see :mod:`kgraph.convert`). ``simple=True`` collapses parallel claims into a
        weighted ``DiGraph`` (``weight`` = supporting documents), leaving out claims every source
        denies.

        >>> kg = load()
        >>> g = kg.to_networkx()
        >>> data = g.get_edge_data(kg.resolve("ketamine"), kg.resolve("NMDA receptor"))
        >>> edge = data["https://w3id.org/kgraph/ontology#antagonistOf"]
        >>> edge["label"], edge["documents"] >= 2, edge["statements"] >= edge["documents"]
        ('antagonist of', True, True)
        >>> type(kg.to_networkx(simple=True)).__name__
        'DiGraph'
        """
        g = to_networkx(self.store)
        return collapse(g) if simple else g

    # -- notebook display ---------------------------------------------------------------------
    def summary(self) -> Summary:
        """Counts by class and by relation, and the documents with their source type.

        Displays as HTML tables in Jupyter (this is what a ``KnowledgeGraph`` shows as a cell's
        value); the parts are DataFrames.

        >>> s = load().summary()
        >>> s.counts["documents"], int(s.classes["entities"].sum()) == s.counts["entities"]
        (4, True)
        >>> "antagonist of" in set(s.relations["relation"])
        True
        """
        from .notebook import summarize

        return summarize(self)

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def view(
        self,
        focus: str | None = None,
        depth: int = 1,
        *,
        path: tuple[str, str] | None = None,
        query: str | None = None,
        cutoff: int = 4,
        title: str | None = None,
        physics: bool | None = None,
        standalone: bool | None = None,
        height: int = 600,
    ) -> InlineView:
        """The explorer (:mod:`kgraph.views`) as an interactive view inline in a notebook.

        Shows the whole graph, or the entities within ``depth`` claims of ``focus``, or the
        chains of at most ``cutoff`` claims between the two entities of ``path``, or the triples
        of a SPARQL ``query`` (CONSTRUCT, or SELECT ``?s ?p ?o``). Click a line for the
        statements behind it, an entity for its details. ``physics`` starts the layout
        simulation on or off; ``height`` is the view's height in pixels.

        The cell output is an ``<iframe srcdoc>`` that works in JupyterLab, Notebook, VS Code
        and exported HTML. By default the first view of a kernel session also writes the
        network library (0.7 MB) into the notebook, once, and later views reuse it (about 30 KB
        each on the bundled corpus); ``standalone=True`` puts everything in this one output.
        See :mod:`kgraph.notebook` for how, the measured sizes, and what to do if the first
        view's output is cleared. ``.save(path)`` writes the page as an HTML file.

        >>> kg = load()
        >>> v = kg.view("ketamine")
        >>> v.nodes == len(kg.neighbours("ketamine", include_negated=True)) + 1
        True
        >>> kg.view(path=("ketamine", "sustained antidepressant effect"), cutoff=2).nodes >= 3
        True
        """
        from . import views
        from .notebook import InlineView

        selection = {
            "focus": focus,
            "depth": depth,
            "path_between": path,
            "query": query,
            "cutoff": cutoff,
        }
        graph, info = views.select(self.store, **selection)  # type: ignore[arg-type]
        # The page is drawn from the graph already selected (which carries the evidence), with
        # the focus or path named again only so that the page highlights it.
        again: dict[str, object] = {}
        if focus is not None:
            again = {"focus": info["highlight"][0], "depth": depth}
        elif path is not None:
            again = {"path_between": tuple(info["highlight"]), "cutoff": cutoff}
        heading = title or str(info["title"])

        def page() -> str:
            return views.render_html(graph, title=heading, physics=physics, **again)  # type: ignore[arg-type]

        return InlineView(graph, page, standalone=standalone, height=height, title=heading)


def _casefold(column: pd.Series) -> pd.Series:
    """Sort key: text case-insensitively, other values as they are."""
    if column.dtype == object or str(column.dtype).startswith("str"):
        return column.fillna("").astype(str).str.casefold()
    return column


def _expand(name: str) -> str | None:
    """The IRI a name stands for when it is an IRI or a CURIE (kgraph's SPARQL prefixes or an
    identifier prefix such as ``MESH:``), else ``None``.

    >>> _expand("kgo:antagonistOf"), _expand("MESH:D007649"), _expand("ketamine")
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


def _param(value: object) -> object:
    """A SPARQL parameter: strings that are IRIs or CURIEs become IRIs (see :func:`_expand`)."""
    if isinstance(value, str):
        iri = _expand(value)
        if iri is not None:
            return ox.NamedNode(iri)
    return value


_IRI = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.I)
_CURIE = re.compile(r"^[A-Za-z][\w.-]*:[^\s/][^\s]*$")

# An entity by IRI or identifier: the IRI itself when it is a typed entity, else the entity that
# lists it (skos:exactMatch) or its CURIE (dcterms:identifier), lexicon entities first.
_RESOLVE_IRI = """
SELECT ?e WHERE {
  { ?x_iri a ?c . ?c rdfs:subClassOf* kgo:Entity . BIND(?x_iri AS ?e) BIND(0 AS ?rank) }
  UNION { ?x_iri ^rdf:subject|^rdf:object ?a . ?a a kgo:Assertion . BIND(?x_iri AS ?e)
          BIND(1 AS ?rank) }
  UNION { ?e skos:exactMatch ?x_iri BIND(2 AS ?rank) }
  UNION { ?e dcterms:identifier ?id FILTER(STR(?id) = ?x_curie) BIND(3 AS ?rank) }
} ORDER BY ?rank (CONTAINS(STR(?e), "/entity/text/")) ?e LIMIT 1
"""

# An entity by name: label before synonym before identifier, typed lexicon entities first.
_RESOLVE_NAME = """
SELECT ?e WHERE {
  { ?e rdfs:label ?l BIND(0 AS ?rank) } UNION { ?e skos:altLabel ?l BIND(1 AS ?rank) }
  UNION { ?e skos:hiddenLabel ?l BIND(2 AS ?rank) } UNION { ?e dcterms:identifier ?l BIND(3 AS ?rank) }
  FILTER(isIRI(?e) && LCASE(STR(?l)) = ?x_name)
  OPTIONAL { ?e a ?c . ?c rdfs:subClassOf* kgo:Entity BIND(1 AS ?typed) }
} ORDER BY ?rank DESC(BOUND(?typed)) (CONTAINS(STR(?e), "/entity/text/")) ?e LIMIT 1
"""

_LABELS = """
SELECT ?iri ?label ?rank WHERE {
  VALUES ?iri { VALUES_PLACEHOLDER }
  { ?iri rdfs:label ?label BIND(1 AS ?rank) }
  UNION { ?iri skos:prefLabel ?label BIND(2 AS ?rank) }
  UNION { ?iri dcterms:title ?label BIND(3 AS ?rank) }
  FILTER(isLiteral(?label))
}
"""

_CLASSES = """
SELECT ?e (SAMPLE(?label) AS ?class_label) WHERE {
  VALUES ?e { VALUES_PLACEHOLDER }
  ?e a ?class . ?class rdfs:subClassOf* kgo:Entity ; rdfs:label ?label .
  FILTER NOT EXISTS { ?e a ?sub . ?sub rdfs:subClassOf+ ?class . ?sub rdfs:subClassOf* kgo:Entity }
} GROUP BY ?e
"""

_MENTION_COUNTS = """
SELECT ?e (COUNT(DISTINCT ?d) AS ?documents) WHERE { ?e kgo:mentionedIn ?d } GROUP BY ?e
"""

_DOCUMENTS = """
SELECT ?document (SAMPLE(?id) AS ?identifier) (SAMPLE(?t) AS ?title)
       (SAMPLE(?pub) AS ?publisher) (SAMPLE(?dt) AS ?date) (SAMPLE(?stype) AS ?source_type)
       (COUNT(DISTINCT ?a) AS ?assertions) WHERE {
  ?document a kgo:Document ; dcterms:title ?t ; kgo:sourceType ?st .
  BIND(STRAFTER(STR(?st), "#") AS ?stype)
  OPTIONAL { ?document dcterms:identifier ?id }
  OPTIONAL { ?document dcterms:publisher ?pub }
  OPTIONAL { ?document dcterms:date ?dt }
  OPTIONAL { ?a prov:wasDerivedFrom ?document ; a kgo:Assertion }
} GROUP BY ?document ORDER BY ?title ?document
"""

_DOC_ENTITIES = """
SELECT ?document (COUNT(DISTINCT ?e) AS ?entities) WHERE { ?e kgo:mentionedIn ?document }
GROUP BY ?document
"""
