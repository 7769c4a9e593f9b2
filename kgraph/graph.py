"""The one-object view of a graph for Python and Jupyter.

:func:`load` returns a :class:`KnowledgeGraph` over a store: SPARQL and named queries answered as
pandas DataFrames with readable labels beside IRIs, the evidence behind a claim, neighbourhoods,
mechanism chains, networkx graphs, an :mod:`rdflib` view, and inline interactive views in
notebooks. Each method is a few lines that call the module owning the concept: names
(:func:`kgraph.query.resolve`), tables (:mod:`kgraph.frames`), claim rules (:mod:`kgraph.claims`),
graphs and chains (:mod:`kgraph.graphs`), display (:mod:`kgraph.notebook`, :mod:`kgraph.views`).

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

import os
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from . import frames, graphs, views
from . import query as q
from .build import BuildReport, build_store
from .curation.acts import curate as curation_act
from .curation.queue import review_queue as curation_queue
from .messages import store_name
from .notebook import InlineView, Summary
from .store import Store, open_store
from .views.compare import compare_frame
from .vocab import corpus_dir

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import rdflib

__all__ = ["KnowledgeGraph", "load"]


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
        result = q.run(self.store, sparql, **params)
        return bool(result.boolean) if result.kind == "ask" else q.frame(self.store, result)

    def query(self, name_or_sparql: str, **params: object) -> pd.DataFrame | bool:
        """The answer to a named query (see :func:`kgraph.queries.named_queries`) or, when
        ``name_or_sparql`` is no query's name, to SPARQL (as :meth:`sparql`): a DataFrame with
        labels beside IRI columns. Entity parameters take names, CURIEs or IRIs.

        >>> kg = load()
        >>> df = kg.query("contested-claims")
        >>> {"predicate_label", "object_label"} <= set(df.columns)
        True
        >>> len(kg.query("claims-about", entity="MESH:D007649")) > 0
        True
        """
        return frames.query(self.store, name_or_sparql, **params)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        """The readable label of each IRI that has one (a dict; IRIs without a label are absent).

        All IRIs are looked up together, :data:`kgraph.query.BATCH` per query. Preference:
        ``rdfs:label`` (English or untagged first), ``skos:prefLabel``, ``dcterms:title``.

        >>> kg = load()
        >>> kg.labels(["https://w3id.org/kgraph/entity/ketamine", "https://example.org/none"])
        {'https://w3id.org/kgraph/entity/ketamine': 'ketamine'}
        """
        return q.labels(self.store, iris)

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

        The one resolver, :func:`kgraph.query.resolve`: a CURIE or IRI that a lexicon entity
        lists as its identifier resolves to that entity (``MESH:D007649`` is ketamine); a name
        to the entity whose label it is, else whose synonym it is. An ambiguous name raises
        :class:`~kgraph.errors.AmbiguousNameError`, an unknown one
        :class:`~kgraph.errors.UnknownNameError` (with the closest names).

        >>> kg = load()
        >>> kg.resolve("MESH:D007649"), kg.resolve("Spravato")  # doctest: +NORMALIZE_WHITESPACE
        ('https://w3id.org/kgraph/entity/ketamine', 'https://w3id.org/kgraph/entity/esketamine')
        >>> kg.resolve("kg:nmda_receptor") == kg.resolve("NMDA receptors")
        True
        """
        return q.resolve(self.store, name)

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
        return frames.entities(self.store, lexicon=lexicon)

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
        return frames.documents(self.store)

    def claims(self, *, contested: bool = False) -> pd.DataFrame:
        """One row per (subject, predicate, object) claimed anywhere, with labels and support:
        ``statements``, independent ``documents``, how many statements are ``negated`` or
        ``hedged``, the evidence ``levels``, and ``contested`` (one side of a contest, by the rule
        of :mod:`kgraph.claims` that the ``contested-claims`` query and the explorer share).
        ``contested=True`` keeps only the contested claims.

        >>> kg = load()
        >>> c = kg.claims()
        >>> top = c.iloc[0]
        >>> top["subject_label"], int(top["documents"]) >= 3
        ('ketamine', True)
        >>> contested = kg.claims(contested=True)
        >>> from kgraph.claims import contested_claims
        >>> set(zip(contested["subject"], contested["predicate"], contested["object"])) == (
        ...     contested_claims(kg.store))
        True
        """
        return frames.claims(self.store, contested=contested)

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
        ends = (subject, object)
        return frames.evidence(self.store, *ends, predicate, either_direction=either_direction)

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
        return frames.neighbours(
            self.store, entity, depth, direction=direction, include_negated=include_negated
        )

    def _claims_graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            self._graph = graphs.to_networkx(self.store)
        return self._graph

    def paths(
        self,
        source: str,
        target: str,
        cutoff: int = 4,
        *,
        directed: bool = True,
        limit: int = 100,
    ) -> list[graphs.Chain]:
        """Mechanism chains from ``source`` to ``target``: asserted mechanistic claims in their
        stated direction, at most ``cutoff`` (up to four), through the outcome hierarchy, shortest
        first, at most ``limit``: the chains of the ``mechanism-chains`` query and of ``kgraph
        view --path`` (:func:`kgraph.graphs.mechanism_chains`). ``directed=False`` searches any
        asserted claims both ways instead (the chain marks the hops it walks backwards).

        >>> kg = load()
        >>> chains = kg.paths("ketamine", "NMDA receptor", cutoff=1)
        >>> [c.steps() for c in chains]
        [[('ketamine', 'antagonist of', 'NMDA receptor')]]
        >>> all(len(c) <= 3 for c in kg.paths("esketamine", "antidepressant effect", cutoff=3))
        True
        """
        if directed:
            return graphs.mechanism_chains(self.store, source, target, cutoff=cutoff, limit=limit)
        a, b = self.resolve(source), self.resolve(target)
        g = self._claims_graph()
        return graphs.chains(g, a, b, cutoff=cutoff, limit=limit, directed=False)

    # -- review and curation (kgraph.curation) ------------------------------------------------
    def review_queue(self) -> pd.DataFrame:
        """The proposals awaiting review, most confident first (:mod:`kgraph.curation.queue`).

        >>> load().review_queue().empty  # the bundled corpus proposes nothing
        True
        """
        import pandas as pd

        return pd.DataFrame(curation_queue(self.store))

    def curate(self, act: str, *, corpus: str | os.PathLike[str], **fields) -> dict[str, object]:
        """Record an act (accept, reject, correct, add) in ``corpus``'s curation.jsonl, as
        ``kgraph curate`` does; names resolve through this graph. ``kg.build([corpus])`` replays it.
        The fields are those of :func:`kgraph.curation.acts.make_act` (document, subject,
        predicate, object, curator, reason, tags, quote, sentence, changes); the line written."""
        a, line = curation_act(corpus, act, store=self.store, **fields)
        return {"line": line, **a.as_dict()}

    # -- networkx -----------------------------------------------------------------------------
    def to_networkx(self, *, simple: bool = False) -> nx.MultiDiGraph | nx.DiGraph:
        """The claims as a networkx ``MultiDiGraph`` (a fresh copy: mutate it freely).

        Nodes are entity IRIs with ``label``, ``cls`` (class IRI), ``class_label``,
        ``identifiers``, ``synonyms`` and ``definition``; each edge is one claim keyed by its
        predicate IRI, with ``label``, ``statements``, ``documents``, ``negated``, ``hedged`` and
        ``levels`` (see :mod:`kgraph.graphs`). ``simple=True`` collapses parallel claims into a
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
        g = graphs.to_networkx(self.store)
        return graphs.collapse(g) if simple else g

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
        return Summary(**frames.summary(self.store), title=f"kgraph, {store_name(self.store.url)}")

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
        compare: Sequence[str] | None = None,
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
        >>> kg.view(path=("ketamine", "antidepressant effect"), cutoff=2).nodes >= 3
        True
        """
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
            return views.render_html(  # type: ignore[arg-type]
                graph, title=heading, physics=physics, compare=compare, **again
            )

        return InlineView(graph, page, standalone=standalone, height=height, title=heading)

    def compare(self, *names: str) -> pd.DataFrame:
        """Compounds side by side (:func:`kgraph.views.compare.compare_frame`): per target,
        mechanism, outcome and adverse effect, each compound's claims with their qualifiers.
        ``kg.view(compare=names)`` shows the same in the explorer.

        >>> load().compare("arketamine", "esketamine").columns[-2:].tolist()
        ['arketamine', 'esketamine']
        """
        return compare_frame(views.graph_of(self.store), names, self.store)
