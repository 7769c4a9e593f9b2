"""The Python API of a graph (kgraph.graph): every public method on the bundled corpus.

``corpus_kg`` is built once per session and shared: nothing here changes it. Expected values come
from ``corpus/*.ann`` (the claims) and ``corpus/manifest.toml`` (the documents).
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import rdflib

import kgraph
from kgraph import KGraphError, KnowledgeGraph, load
from kgraph.claims import contested_claims
from kgraph.graphs import Chain
from kgraph.store import open_store
from kgraph.vocab import KG, KGO, corpus_dir

KETAMINE = str(KG.ketamine)
NMDA = str(KG.nmda_receptor)
ANTAGONIST = str(KGO.antagonistOf)

EVIDENCE_HEAD = [
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
]


def manifest() -> list[dict[str, str]]:
    return tomllib.loads((corpus_dir() / "manifest.toml").read_text())["document"]


class CountingStore:
    """A store that counts the queries it answers (to check how many a method makes)."""

    def __init__(self, store) -> None:
        self.inner = store
        self.url = store.url
        self.queries: list[str] = []

    def query(self, sparql, *, substitutions=None, timeout=None):
        self.queries.append(sparql)
        return self.inner.query(sparql, substitutions=substitutions, timeout=timeout)

    def dump(self, format):
        return self.inner.dump(format)

    def replace(self, data, ontology=()):
        return self.inner.replace(data, ontology)

    def close(self):
        self.inner.close()


# -- load -------------------------------------------------------------------------------------
def test_load_builds_the_bundled_corpus(corpus_kg: KnowledgeGraph) -> None:
    assert corpus_kg.report is not None
    assert corpus_kg.report.documents == len(manifest()) == 4
    assert corpus_kg.store.url == "memory:"
    assert repr(corpus_kg).startswith("<KnowledgeGraph memory: (4 documents, ")


def test_load_paths_and_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    built = load(corpus_dir(), store=path)
    assert built.report is not None and built.report.documents == 4
    opened = load(store=path)  # no rebuild: opened read-only
    assert opened.report is None
    assert repr(opened) == f"<KnowledgeGraph {path}>"
    n = opened.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"].item()
    assert n == built.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"].item()
    with pytest.raises(kgraph.StoreError):
        opened.build([corpus_dir()])


def test_load_over_an_open_store() -> None:
    store = open_store("memory:")
    kg = load(corpus_dir(), store=store)
    assert kg.store is store
    again = load(store=store)
    assert again.store is store and again.report is None
    assert again.resolve("ketamine") == KETAMINE


def test_build_replaces_and_forgets_cached_views(corpus_copy: Path) -> None:
    kg = load(corpus_copy)
    assert kg.paths("ketamine", "NMDA receptor", cutoff=1)
    rdf_before = kg.rdf
    for ann in corpus_copy.glob("*.ann"):
        lines = ann.read_text().splitlines()
        ann.write_text(
            "".join(f"{x}\n" for x in lines if not x.startswith(("R", "A", "#")) or "\t" not in x)
        )
    report = kg.build([corpus_copy])
    assert report.relations == 0
    assert kg.paths("ketamine", "NMDA receptor", cutoff=1) == []
    assert kg.rdf is not rdf_before


# -- sparql -----------------------------------------------------------------------------------
def test_sparql_adds_labels_beside_iri_columns(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.sparql(
        "SELECT ?drug ?p ?target (1 AS ?one) WHERE { ?drug ?p ?target . "
        "FILTER(?p = kgo:antagonistOf) }"
    )
    assert list(df.columns) == [
        "drug",
        "drug_label",
        "p",
        "p_label",
        "target",
        "target_label",
        "one",
    ]
    row = df[df["drug"] == KETAMINE].iloc[0]
    assert (row["drug_label"], row["p_label"], row["target_label"]) == (
        "ketamine",
        "antagonist of",
        "NMDA receptor",
    )
    assert df["one"].tolist() == [1] * len(df)


def test_sparql_labels_take_one_extra_query(corpus_kg: KnowledgeGraph) -> None:
    counting = CountingStore(corpus_kg.store)
    kg = KnowledgeGraph(counting)
    df = kg.sparql("SELECT ?a ?s ?o WHERE { ?a rdf:subject ?s ; rdf:object ?o }")
    assert len(df) > 100
    assert len(counting.queries) == 2  # the query, then every label at once
    assert df["s_label"].notna().all() and df["o_label"].notna().all()
    assert "a_label" not in df.columns  # assertion nodes have no label


def test_sparql_keeps_a_label_column_the_query_has(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.sparql(
        "SELECT ?e ?e_label WHERE { ?e rdfs:label ?l BIND(UCASE(STR(?l)) AS ?e_label) "
        "FILTER(?e = kg:ketamine) }"
    )
    assert df.to_dict("records") == [{"e": KETAMINE, "e_label": "KETAMINE"}]


def test_sparql_document_titles_are_labels(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.sparql("SELECT ?d WHERE { ?d a kgo:Document }")
    assert sorted(df["d_label"]) == sorted(d["title"] for d in manifest())


def test_sparql_parameters(corpus_kg: KnowledgeGraph) -> None:
    q = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    by_curie = corpus_kg.sparql(q, s="kg:ketamine", p="kgo:antagonistOf")
    by_iri = corpus_kg.sparql(q, s=KETAMINE, p=ANTAGONIST)
    assert by_curie.equals(by_iri)
    assert by_curie["o_label"].tolist() == ["NMDA receptor"]
    titled = corpus_kg.sparql(
        "SELECT ?d WHERE { ?d dcterms:title ?t }", t="The State of Ketamine Research"
    )
    assert len(titled) == 1


def test_sparql_ask_and_construct(corpus_kg: KnowledgeGraph) -> None:
    assert corpus_kg.sparql("ASK { kg:ketamine kgo:antagonistOf kg:nmda_receptor }") is True
    assert corpus_kg.sparql("ASK { kg:nmda_receptor kgo:antagonistOf kg:ketamine }") is False
    triples = corpus_kg.sparql(
        "CONSTRUCT { ?s kgo:antagonistOf ?o } WHERE { ?s kgo:antagonistOf ?o }"
    )
    assert list(triples.columns) == [
        "subject",
        "subject_label",
        "predicate",
        "predicate_label",
        "object",
        "object_label",
    ]
    assert ("ketamine", "NMDA receptor") in set(
        zip(triples["subject_label"], triples["object_label"], strict=True)
    )


def test_sparql_empty_result_has_the_columns(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.sparql("SELECT ?s ?o WHERE { ?s kgo:antagonistOf ?o FILTER(false) }")
    assert list(df.columns) == ["s", "o"] and df.empty


def test_sparql_syntax_error(corpus_kg: KnowledgeGraph) -> None:
    with pytest.raises(kgraph.QueryError):
        corpus_kg.sparql("SELECT ?x WHERE { ?x }")


def test_labels(corpus_kg: KnowledgeGraph) -> None:
    labels = corpus_kg.labels([KETAMINE, ANTAGONIST, str(KGO.Compound), "https://example.org/x"])
    assert labels == {
        KETAMINE: "ketamine",
        ANTAGONIST: "antagonist of",
        str(KGO.Compound): "compound",
    }
    assert corpus_kg.labels([]) == {}


# -- rdf --------------------------------------------------------------------------------------
def test_rdf_is_a_dataset_of_the_same_data(corpus_kg: KnowledgeGraph) -> None:
    ds = corpus_kg.rdf
    assert isinstance(ds, rdflib.Dataset)
    assert ds is corpus_kg.rdf  # cached
    quads = corpus_kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(ds) == quads["n"].item()
    rows = list(
        ds.query(
            f"SELECT ?o WHERE {{ ?s <{ANTAGONIST}> ?o }}",
            initBindings={"s": rdflib.URIRef(KETAMINE)},
        )
    )
    assert [str(r[0]) for r in rows] == [NMDA]


# -- entities and documents -------------------------------------------------------------------
def test_resolve(corpus_kg: KnowledgeGraph) -> None:
    assert corpus_kg.resolve("ketamine") == KETAMINE
    assert corpus_kg.resolve("Ketamine") == KETAMINE
    assert corpus_kg.resolve("NMDA receptors") == NMDA  # a synonym
    assert corpus_kg.resolve("MESH:D007649") == KETAMINE  # an identifier the lexicon lists
    assert corpus_kg.resolve("http://id.nlm.nih.gov/mesh/D007649") == KETAMINE
    assert corpus_kg.resolve("kg:ketamine") == KETAMINE
    assert corpus_kg.resolve(KETAMINE) == KETAMINE
    assert corpus_kg.resolve("Spravato") == str(KG.esketamine)
    with pytest.raises(KGraphError, match="no entity is called 'unobtainium'"):
        corpus_kg.resolve("unobtainium")


def test_entities(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.entities()
    assert df["entity"].is_unique
    assert (df["documents"] >= 1).all()
    assert df["documents"].is_monotonic_decreasing
    ket = df.set_index("entity").loc[KETAMINE]
    assert ket["label"] == "ketamine" and ket["class_label"] == "compound"
    assert {"MESH:D007649", "CHEBI:6121"} <= set(ket["identifiers"])
    assert ket["documents"] == 4  # every document mentions ketamine
    everything = corpus_kg.entities(lexicon=True)
    assert set(df["entity"]) < set(everything["entity"])
    assert (everything["documents"] == 0).any()


def test_documents(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.documents()
    expected = {d["title"]: d for d in manifest()}
    assert sorted(df["title"]) == sorted(expected)
    for row in df.to_dict("records"):
        m = expected[row["title"]]
        assert row["source_type"] == m["source_type"]
        assert row["publisher"] == m["publisher"]
        assert row["date"] == m["date"]
        assert row["document"].endswith("/" + m["id"])
        assert row["assertions"] > 0 and row["entities"] > 0
    total = corpus_kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"].item()
    assert df["assertions"].sum() == total


def test_claims(corpus_kg: KnowledgeGraph) -> None:
    df = corpus_kg.claims()
    total = corpus_kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }")["n"].item()
    assert df["statements"].sum() == total
    assert not df.duplicated(["subject", "predicate", "object"]).any()
    row = df[(df["subject"] == KETAMINE) & (df["predicate"] == ANTAGONIST)].iloc[0]
    assert (row["object_label"], row["documents"]) == ("NMDA receptor", 2)
    # one contest rule (kgraph.claims, the contested-claims query): the sides of each contest
    disputed = contested_claims(corpus_kg.store)
    assert disputed and df["contested"].tolist() == [
        c in disputed for c in zip(df["subject"], df["predicate"], df["object"], strict=True)
    ]
    contested = corpus_kg.claims(contested=True)
    assert contested["contested"].all()
    assert len(contested) == int(df["contested"].sum())


# -- evidence ---------------------------------------------------------------------------------
def test_evidence_for_ketamine_blocking_nmda(corpus_kg: KnowledgeGraph) -> None:
    ev = corpus_kg.evidence("ketamine", "NMDA receptor")
    assert list(ev.columns[: len(EVIDENCE_HEAD)]) == EVIDENCE_HEAD
    assert set(ev["predicate_label"]) == {"antagonist of"}
    assert ev["quote"].str.contains("NMDA").all()
    assert ev["document"].nunique() == 2
    assert set(ev["source_type"]) == {"ClinicMarketingPage", "ResearchOverview"}
    assert not ev["negated"].any()
    same = corpus_kg.evidence("MESH:D007649", "kg:nmda_receptor", "antagonistOf")
    assert same["assertion"].tolist() == ev["assertion"].tolist()
    for row in ev.to_dict("records"):  # the span is where the quote is
        doc = next(d for d in manifest() if row["document"].endswith("/" + d["id"]))
        text = (corpus_dir() / f"{doc['id']}.txt").read_text()
        assert text[row["start"] : row["end"]] == row["quote"]


def test_evidence_shows_denials(corpus_kg: KnowledgeGraph) -> None:
    ev = corpus_kg.evidence("ketamine", None, "kgo:hasAdverseEffect")
    # no source denies ketamine an adverse effect: the overview's denial is of the recreational-abuse
    # harms in therapeutic use (third audit)
    assert not ev["negated"].any()
    assert "dissociation" in set(ev[~ev["negated"]]["object_label"])
    therapeutic = corpus_kg.evidence("therapeutic ketamine use", None, "kgo:hasAdverseEffect")
    denied = therapeutic[therapeutic["negated"]]
    assert set(denied["object_label"]) == {"severe harms of chronic recreational ketamine abuse"}
    conventional = corpus_kg.evidence("conventional antidepressant treatment")
    assert conventional["negated"].any() and not conventional["negated"].all()
    # issue 13: "arketamine acts without strong NMDA receptor blockade" is a weak antagonist, not a
    # denial (the corpus audit corrected it), and the evidence says how it is qualified
    nmda = corpus_kg.evidence(None, "NMDA receptor", "kgo:antagonistOf")
    assert not nmda["negated"].any()
    arketamine = nmda[nmda["subject_label"] == "arketamine"]
    assert arketamine["qualifiers"].tolist() == ["weak"]


def test_evidence_directions_and_empty(corpus_kg: KnowledgeGraph) -> None:
    assert corpus_kg.evidence("NMDA receptor", "ketamine").empty
    both = corpus_kg.evidence("NMDA receptor", "ketamine", either_direction=True)
    assert len(both) == len(corpus_kg.evidence("ketamine", "NMDA receptor"))
    empty = corpus_kg.evidence("NMDA receptor", "ketamine")
    assert list(empty.columns[: len(EVIDENCE_HEAD)]) == EVIDENCE_HEAD
    with pytest.raises(KGraphError):
        corpus_kg.evidence("unobtainium", "ketamine")


# -- neighbours and paths ---------------------------------------------------------------------
def test_neighbours_depth_one(corpus_kg: KnowledgeGraph) -> None:
    n = corpus_kg.neighbours("ketamine")
    assert list(n.columns) == ["entity", "label", "class_label", "depth", "via", "path"]
    assert set(n["depth"]) == {1} and KETAMINE not in set(n["entity"])
    assert n["entity"].is_unique
    nmda = n.set_index("label").loc["NMDA receptor"]
    assert (nmda["via"], nmda["path"]) == (
        "antagonist of →",
        "ketamine —antagonist of→ NMDA receptor",
    )
    assert nmda["class_label"] == "receptor"
    g = corpus_kg.to_networkx(simple=True)
    assert set(n["entity"]) == set(g.successors(KETAMINE)) | set(g.predecessors(KETAMINE))


def test_neighbours_deeper_and_directed(corpus_kg: KnowledgeGraph) -> None:
    one = corpus_kg.neighbours("NMDA receptor")
    two = corpus_kg.neighbours("NMDA receptor", depth=2)
    assert set(one["entity"]) < set(two["entity"])
    assert set(two["depth"]) == {1, 2}
    assert two[two["depth"] == 2]["path"].str.count("→|—").ge(2).all()
    g = corpus_kg.to_networkx(simple=True)
    assert set(two["entity"]) == set(nx.ego_graph(g.to_undirected(), NMDA, radius=2)) - {NMDA}
    out = corpus_kg.neighbours("ketamine", direction="out")
    assert set(out["entity"]) == set(g.successors(KETAMINE))
    assert out["via"].str.endswith("→").all()
    into = corpus_kg.neighbours("ketamine", direction="in")
    assert set(into["entity"]) == set(g.predecessors(KETAMINE))
    with pytest.raises(ValueError):
        corpus_kg.neighbours("ketamine", depth=0)


def test_neighbours_skip_denied_claims_unless_asked(corpus_kg: KnowledgeGraph) -> None:
    harms, use = (
        "severe harms of chronic recreational ketamine abuse",
        str(KG.therapeutic_ketamine_use),
    )
    asserted = corpus_kg.neighbours(harms)
    assert use not in set(asserted["entity"])  # "no signal so far of these harms" is a denial
    everything = corpus_kg.neighbours(harms, include_negated=True)
    assert use in set(everything["entity"])


def test_paths(corpus_kg: KnowledgeGraph) -> None:
    direct = corpus_kg.paths("ketamine", "NMDA receptor", cutoff=1)
    assert direct == [
        Chain(
            (KETAMINE, NMDA),
            ("ketamine", "NMDA receptor"),
            (ANTAGONIST,),
            ("antagonist of",),
            (True,),
        )
    ]
    chains = corpus_kg.paths("ketamine", "sustained antidepressant effect", cutoff=3)
    assert chains and [len(c) for c in chains] == sorted(len(c) for c in chains)
    assert str(chains[0]) == "ketamine —has outcome→ sustained antidepressant effect"
    g = corpus_kg.to_networkx()
    for c in chains:
        assert c.entities[0] == KETAMINE and c.labels[-1] == "sustained antidepressant effect"
        assert len(set(c.entities)) == len(c.entities) <= 4
        for (s, o), p in zip(itertools.pairwise(c.entities), c.predicates, strict=True):
            edge = g.edges[s, o, p]
            assert edge["negated"] < edge["statements"]  # some source asserts it
    # mechanism chains follow mechanistic claims only (issue 13): no association is a link
    assert all(str(KGO.associatedWith) not in c.predicates for c in chains)


def test_paths_follow_only_asserted_claims(corpus_kg: KnowledgeGraph) -> None:
    assert corpus_kg.paths("hydroxynorketamine", "NMDA receptor", cutoff=1) == []
    assert corpus_kg.paths("NMDA receptor", "ketamine", cutoff=1) == []
    back = corpus_kg.paths("NMDA receptor", "ketamine", cutoff=1, directed=False)
    assert [str(c) for c in back] == ["NMDA receptor ←antagonist of— ketamine"]
    assert corpus_kg.paths("ketamine", "ketamine") == []
    assert len(corpus_kg.paths("ketamine", "antidepressant effect", cutoff=4)) > 2
    limited = corpus_kg.paths("ketamine", "antidepressant effect", cutoff=4, limit=2)
    assert len(limited) == 2


def test_paths_agree_with_a_sparql_property_path(corpus_kg: KnowledgeGraph) -> None:
    # Every entity reachable from ketamine in two asserted claims, both ways.
    reach = corpus_kg.sparql(
        "SELECT DISTINCT ?x WHERE { kg:ketamine ?p1 ?m . ?m ?p2 ?x . FILTER(?x != kg:ketamine) "
        "FILTER EXISTS { ?a1 rdf:predicate ?p1 } FILTER EXISTS { ?a2 rdf:predicate ?p2 } }"
    )
    sparql_targets = set(reach["x"])
    g = corpus_kg.to_networkx(simple=True)
    two = {t for m in g.successors(KETAMINE) for t in g.successors(m) if t != KETAMINE}
    assert two == sparql_targets
    for t in sorted(two)[:10]:  # any asserted claims: the undirected search finds them all
        assert any(len(c) <= 2 for c in corpus_kg.paths(KETAMINE, t, cutoff=2, directed=False))


# -- networkx ---------------------------------------------------------------------------------
def test_to_networkx(corpus_kg: KnowledgeGraph) -> None:
    g = corpus_kg.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    node = g.nodes[KETAMINE]
    assert node["label"] == "ketamine" and node["cls"] == str(KGO.Compound)
    assert "MESH:D007649" in node["identifiers"]
    edge = g.edges[KETAMINE, NMDA, ANTAGONIST]
    assert (edge["label"], edge["statements"], edge["documents"]) == ("antagonist of", 2, 2)
    assert g.number_of_edges() == len(corpus_kg.claims())
    g.remove_node(KETAMINE)  # a fresh copy each time
    assert KETAMINE in corpus_kg.to_networkx()
    simple = corpus_kg.to_networkx(simple=True)
    assert type(simple) is nx.DiGraph
    assert simple[KETAMINE][NMDA]["weight"] == 2


# -- display ----------------------------------------------------------------------------------
def test_summary(corpus_kg: KnowledgeGraph) -> None:
    s = corpus_kg.summary()
    entities = corpus_kg.entities()
    assert s.counts["documents"] == 4
    assert s.counts["entities"] == len(entities) == s.classes["entities"].sum()
    claims = corpus_kg.claims()
    assert s.counts["claims"] == len(claims) == s.relations["claims"].sum()
    assert s.counts["assertions"] == claims["statements"].sum()
    assert s.counts["negated"] == claims["negated"].sum()
    by_class = dict(zip(s.classes["class"], s.classes["entities"], strict=True))
    assert by_class["compound"] == (entities["class_label"] == "compound").sum()
    antagonist = s.relations.set_index("relation").loc["antagonist of"]
    by_claims = claims[claims["predicate_label"] == "antagonist of"]
    assert antagonist["statements"] == by_claims["statements"].sum() >= 3
    assert antagonist["negated"] == by_claims["negated"].sum()
    html = corpus_kg._repr_html_()
    assert html.count("<table") == 4
    assert dict(zip(s.sources["source_type"], s.sources["documents"], strict=True)) == {
        d["source_type"]: 1 for d in manifest()
    }
    for d in manifest():
        assert d["source_type"] in html
    assert "antagonist of" in html and "compound" in html
    assert repr(s).startswith("<Summary 4 documents, ")


def test_summary_escapes_everything(tmp_path: Path) -> None:
    bad = "<img src=x onerror=alert(1)>"
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "d.txt").write_text("Ketamine blocks NMDA receptors.\n")
    (folder / "d.ann").write_text(
        "T1\tCompound 0 8\tKetamine\nN1\tReference T1 kg:ketamine\tketamine\n"
        "T2\tReceptor 16 30\tNMDA receptors\nN2\tReference T2 kg:nmda_receptor\tNMDA receptor\n"
        "R1\tantagonistOf Arg1:T1 Arg2:T2\nA1\tEvidenceLevel R1 Review\n"
    )
    (folder / "manifest.toml").write_text(
        f'[[document]]\nid = "d"\ntitle = "{bad}"\npublisher = "<b>pub</b>"\ndate = "2025"\n'
        'source_type = "ScienceNews"\nseed = "x"\n'
    )
    kg = load(folder)
    html = kg._repr_html_()
    assert bad not in html and "<b>pub" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;pub&lt;/b&gt;" in html
    assert isinstance(kg.documents(), pd.DataFrame)


def test_import_is_quiet_and_leaves_pandas_for_later() -> None:
    import subprocess
    import sys

    code = "import sys, kgraph; assert 'pandas' not in sys.modules; assert 'IPython' not in sys.modules"
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
