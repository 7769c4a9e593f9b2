"""One resolver (kgraph.query.resolve): every surface gives the same entity for a name.

The review measured three resolvers that disagreed on 69 of 775 names; user-visible:
``claims-about`` by ``MESH:D007649`` gave 0 rows while ``kg.evidence("MESH:D007649")`` gave 98,
although MeSH D007649 *is* ketamine.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kgraph
from kgraph import AmbiguousNameError, UnknownNameError, query
from kgraph.cli import main
from kgraph.queries import bindings, run_named
from kgraph.store import open_store
from kgraph.views import find_node, graph_of, select
from kgraph.vocab import KG, corpus_dir, ontology_dir

KETAMINE = str(KG.ketamine)
NAME_PROPERTIES = [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
    "http://purl.org/dc/terms/identifier",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
]


def lexicon_names() -> list[str]:
    """Every name ontology/entities.ttl gives an entity: IRI, label, synonyms, identifiers."""
    g = ox.Store()
    g.load(path=str(ontology_dir() / "entities.ttl"), format=ox.RdfFormat.TURTLE)
    names = set()
    for p in NAME_PROPERTIES:
        for quad in g.quads_for_pattern(None, ox.NamedNode(p), None):
            if quad.subject.value.startswith(str(KG)):
                names.update((quad.object.value, quad.subject.value))
    return sorted(names)


def outcome(f, name):
    try:
        return f(name)
    except (AmbiguousNameError, UnknownNameError) as e:
        return type(e).__name__


def test_the_reviewed_disagreement_is_gone(corpus_kg) -> None:
    store = corpus_kg.store
    by_mesh = run_named(store, "claims-about", entity="MESH:D007649").dicts()
    by_name = run_named(store, "claims-about", entity="ketamine").dicts()
    assert by_mesh and by_mesh == by_name
    as_subject = corpus_kg.evidence("MESH:D007649")
    assert len(as_subject) == len(corpus_kg.evidence("ketamine")) > 0
    as_object = corpus_kg.evidence(None, "MESH:D007649")
    statements = sum(int(r["supporting"]) + int(r["denying"]) for r in by_mesh)
    assert statements == len(as_subject) + len(as_object)  # the same statements, counted per claim
    assert corpus_kg.query("claims-about", entity="http://id.nlm.nih.gov/mesh/D007649").shape[
        0
    ] == len(by_mesh)


def test_every_lexicon_name_resolves_identically_everywhere(corpus_kg, tmp_path) -> None:
    store = corpus_kg.store
    full = graph_of(store)
    names = lexicon_names()
    assert len(names) > 700
    expected = {n: outcome(lambda x: query.resolve(store, x), n) for n in names}
    assert not [n for n, iri in expected.items() if not iri.startswith("http")]
    assert kgraph.resolve is query.resolve  # the top level is the query layer's
    for name in names:
        want = expected[name]
        assert outcome(corpus_kg.resolve, name) == want, name  # notebook
        term = outcome(lambda x: bindings(store, "claims-about", {"entity": x})["entity"], name)
        assert getattr(term, "value", term) == want, name  # named queries
        if want in full:  # views: the node of the view, or a clear error when it is not drawn
            assert find_node(full, name, store) == want, name
    # the CLI, in one invocation over an on-disk copy of the same graph
    path = tmp_path / "store"
    kgraph.load(corpus_dir(), store=path)  # the bundled corpus, built on disk
    done = CliRunner().invoke(
        main, ["resolve", "--store", str(path), "--format", "tsv", *names], catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    lines = dict(line.split("\t", 1) for line in done.output.splitlines())
    assert lines == expected


def test_views_focus_uses_the_resolver(corpus_store) -> None:
    _, info = select(corpus_store, focus="MESH:D007649")
    assert info["highlight"] == [KETAMINE]


@pytest.fixture(scope="module")
def twins():
    """A store where two entities share a label, and a third is named by a synonym."""
    store = open_store("memory:")
    kgo = "https://w3id.org/kgraph/ontology#"
    lines = []
    for local, label in (("twin_a", "twin"), ("twin_b", "twin"), ("solo", "solo")):
        iri = f"<{KG}{local}>"
        lines += [
            f"{iri} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kgo}Compound> .",
            f'{iri} <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .',
        ]
    lines.append(f'<{KG}solo> <http://www.w3.org/2004/02/skos/core#altLabel> "twin" .')
    store.replace(lines, ontology=[ontology_dir() / "kgraph.ttl"])
    return store


def test_ambiguity_is_reported_not_guessed(twins) -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        query.resolve(twins, "Twin")
    assert {iri for iri, _ in caught.value.candidates} == {str(KG.twin_a), str(KG.twin_b)}
    assert "twin_a" in str(caught.value) and "twin_b" in str(caught.value)
    # a label outranks another entity's synonym, an IRI outranks any name
    assert query.resolve(twins, "solo") == str(KG.solo)
    assert query.resolve(twins, "kg:twin_a") == str(KG.twin_a)


def test_unknown_names_get_a_did_you_mean(corpus_store) -> None:
    with pytest.raises(UnknownNameError) as caught:
        query.resolve(corpus_store, "arketamin")
    assert caught.value.suggestions[0] == "arketamine"
    with pytest.raises(UnknownNameError) as nothing:
        query.resolve(corpus_store, "zzzzqqqq")
    assert nothing.value.suggestions == ()


def test_cli_reports_ambiguity_and_suggestions(tmp_path) -> None:
    path = tmp_path / "store"
    kgraph.load(corpus_dir(), store=path)
    done = CliRunner().invoke(
        main, ["query", "claims-about", "--store", str(path), "-p", "entity=ketamin"]
    )
    assert done.exit_code == 1
    assert "did you mean" in done.output and "ketamine" in done.output
    done = CliRunner().invoke(main, ["resolve", "--store", str(path), "Spravato", "ketamin"])
    assert done.exit_code == 1 and "esketamine" in done.output
