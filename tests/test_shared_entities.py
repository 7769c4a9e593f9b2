"""External corpora and the bundled corpus share entity nodes through identifiers (issue: formats)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph import build_store, open_store
from kgraph.vocab import corpus_dir


def mentioned_in(store, entity: str) -> set[str]:
    rows = store.query(f"SELECT ?d WHERE {{ {entity} kgo:mentionedIn ?d }}").rows
    return {r[0].value for r in rows}


@pytest.mark.corpus
def test_mesh_mentions_land_on_the_lexicon_nodes(shared_corpora: Path) -> None:
    store = open_store("memory:")
    report = build_store(
        store,
        [
            shared_corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt",
            shared_corpora / "biored" / "Train.PubTator.txt",
            corpus_dir(),
        ],
    )
    assert report.documents == 500 + 400 + 4
    ketamine = mentioned_in(store, "kg:ketamine")
    pubmed = {d for d in ketamine if "/document/pubmed/" in d}
    bundled = ketamine - pubmed
    assert len(bundled) == 4 and len(pubmed) >= 3, "ketamine: one node for BC5CDR and the corpus"
    depression = mentioned_in(store, "kg:depression")
    assert (
        len(depression - pubmed) >= 3
        and len(depression & {d for d in depression if "/pubmed/" in d}) >= 5
    )
    # no separate MeSH node survives for entities of the lexicon
    assert not store.query(
        "ASK { { <http://id.nlm.nih.gov/mesh/D007649> ?p ?o } UNION "
        "{ <http://id.nlm.nih.gov/mesh/D003866> ?p ?o } }"
    ).boolean
    # BC5CDR's chemical-induced-disease relations are document-level claims about kg:ketamine
    assert store.query(
        "ASK { ?a rdf:subject kg:ketamine ; rdf:predicate kgo:induces ; "
        "prov:wasDerivedFrom ?d . FILTER NOT EXISTS { ?a kgo:evidence/oa:hasTarget/oa:hasSelector ?s } }"
    ).boolean


def data_lines(store) -> set[str]:
    return {x for x in store.dump("nq").decode().splitlines() if "/kgraph/graph/data>" in x}


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("pubtator", "bioc"),
    [
        ("biored/Dev.PubTator.txt", "biored/Dev.BioC.XML"),
        ("biored/Dev.PubTator.txt", "biored/Dev.BioC.JSON"),
        ("bc5cdr/CDR_TestSet.PubTator.txt", "bc5cdr/CDR_TestSet.BioC.xml"),
    ],
)
def test_pubtator_and_bioc_give_the_same_graph(shared_corpora: Path, pubtator, bioc) -> None:
    graphs = []
    for name in (pubtator, bioc):
        store = open_store("memory:")
        build_store(store, [shared_corpora / name])
        graphs.append(data_lines(store))
    only_pubtator, only_bioc = graphs[0] - graphs[1], graphs[1] - graphs[0]
    assert not only_pubtator and not only_bioc, (sorted(only_pubtator)[:3], sorted(only_bioc)[:3])
    assert len(graphs[0]) > 10_000
