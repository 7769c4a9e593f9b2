"""The Store protocol, checked the same way on every backend: in memory, Oxigraph on disk, the
Oxigraph server and Virtuoso (the server ones start real servers, see ``conftest.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kgraph.errors import QueryError
from kgraph.store import QueryResult, Store
from kgraph.vocab import GRAPH_DATA, GRAPH_ONTOLOGY

G = f"<{GRAPH_DATA}>"
EX = "http://example.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ONTOLOGY = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://example.org/Thing> a owl:Class ; rdfs:label "thing"@en ;
    owl:unionOf ( <http://example.org/A> <http://example.org/B> ) .
"""


def data(n: int, tag: str = "x") -> list[str]:
    lines = [f'<{EX}s{i}> <{EX}p> "{tag} {i}" {G} .' for i in range(n)]
    lines += [f"<{EX}s{i}> <{RDF_TYPE}> <{EX}Thing> {G} ." for i in range(n)]
    lines.append(f'<{EX}s0> <{EX}note> "quote \\" and é\\nnew line"@en {G} .')
    lines.append(f'<{EX}s0> <{EX}flag> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> {G} .')
    lines.append(f'<{EX}s0> <{EX}size> "42"^^<http://www.w3.org/2001/XMLSchema#integer> {G} .')
    return lines


def count(store: Store, where: str = "?s ?p ?o") -> int:
    return int(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows[0][0].value)


@pytest.fixture
def ontology_file(tmp_path: Path) -> Path:
    path = tmp_path / "onto.ttl"
    path.write_text(ONTOLOGY)
    return path


@pytest.fixture
def filled(backend: Store, ontology_file: Path) -> Store:
    backend.replace(data(5), [ontology_file])
    return backend


def test_replace_replaces_instead_of_adding(backend: Store) -> None:
    backend.replace(data(5))
    assert count(backend, f"?s <{EX}p> ?o") == 5
    backend.replace(data(3, "y"))
    assert count(backend, f"?s <{EX}p> ?o") == 3
    assert backend.query(f'ASK {{ ?s <{EX}p> "x 0" }}').boolean is False


def test_failed_replace_leaves_the_store_as_it_was(filled: Store) -> None:
    before = count(filled)

    def broken():
        yield from data(50, "bad")
        raise ValueError("the reader failed halfway")

    with pytest.raises(ValueError, match="halfway"):
        filled.replace(broken())
    assert count(filled) == before
    assert filled.query(f'ASK {{ ?s <{EX}p> "bad 1" }}').boolean is False


def test_queries_see_the_union_of_data_and_ontology(filled: Store) -> None:
    # the class and its label live in the ontology graph, the instances in the data graph
    rows = filled.query(
        "SELECT ?s ?l WHERE { ?s a ?c . ?c rdfs:label ?l } ORDER BY ?s"
    ).rows  # rdfs: is predeclared
    assert [(r[0].value, r[1].value) for r in rows] == [(f"{EX}s{i}", "thing") for i in range(5)]
    graphs = filled.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").rows
    assert {r[0].value for r in graphs} == {GRAPH_DATA, GRAPH_ONTOLOGY}


def test_select_terms_come_back_typed(filled: Store) -> None:
    result = filled.query(f"SELECT ?p ?o WHERE {{ <{EX}s0> ?p ?o }} ORDER BY ?p")
    assert isinstance(result, QueryResult) and result.kind == "select"
    assert result.variables == ["p", "o"]
    values = {r[0].value: r[1] for r in result.rows}
    assert values[f"{EX}note"] == ox.Literal('quote " and é\nnew line', language="en")
    assert values[f"{EX}flag"] == ox.Literal(
        "true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    )
    assert result.dicts()[0]["p"].startswith(EX)
    assert {d["o"] for d in result.dicts() if d["p"] == f"{EX}size"} == {42}


def test_ask(filled: Store) -> None:
    assert filled.query(f"ASK {{ <{EX}s1> ?p ?o }}").boolean is True
    assert filled.query(f"ASK {{ <{EX}nobody> ?p ?o }}").boolean is False
    assert filled.query(f"ASK {{ <{EX}s1> ?p ?o }}").kind == "ask"


def test_construct(filled: Store) -> None:
    result = filled.query(
        f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o FILTER(?s = <{EX}s2>) }}"
    )
    assert result.kind == "graph"
    assert result.triples == [
        ox.Triple(ox.NamedNode(f"{EX}s2"), ox.NamedNode(f"{EX}q"), ox.Literal("x 2"))
    ]


def test_substitutions_bind_iris_and_literals(filled: Store) -> None:
    by_iri = filled.query(
        f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }}", substitutions={"s": ox.NamedNode(f"{EX}s3")}
    )
    assert [(r[0].value, r[1].value) for r in by_iri.rows] == [(f"{EX}s3", "x 3")]
    by_literal = filled.query(
        f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}", substitutions={ox.Variable("o"): ox.Literal("x 4")}
    )
    assert [r[0].value for r in by_literal.rows] == [f"{EX}s4"]
    # bound before aggregation, and in ASK
    n = filled.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", substitutions={"s": ox.NamedNode(f"{EX}s1")}
    )
    assert n.rows[0][0].value == "2"
    ask = filled.query("ASK { ?s ?p ?o }", substitutions={"o": ox.Literal("x 1")})
    assert ask.boolean is True


def test_prefixes_are_predeclared_and_may_be_redeclared(filled: Store) -> None:
    assert filled.query("ASK { ?c a owl:Class }").boolean is True
    own = "PREFIX ex: <http://example.org/>\nPREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    assert filled.query(own + "ASK { ex:s1 ex:p ?o . ?c a owl:Class }").boolean is True


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_dump_of_the_dataset_parses_back(filled: Store, fmt: str) -> None:
    ds = rdflib.Dataset()
    ds.parse(data=filled.dump(fmt), format={"nq": "nquads", "trig": "trig"}[fmt])
    data_graph = ds.graph(rdflib.URIRef(GRAPH_DATA))
    onto_graph = ds.graph(rdflib.URIRef(GRAPH_ONTOLOGY))
    expected = rdflib.Dataset()
    expected.parse(data="\n".join(data(5)), format="nquads")
    assert isomorphic(data_graph, expected.graph(rdflib.URIRef(GRAPH_DATA)))
    assert isomorphic(onto_graph, rdflib.Graph().parse(data=ONTOLOGY, format="turtle"))


@pytest.mark.parametrize("fmt", ["nt", "ttl"])
def test_dump_of_triples_flattens_the_graphs(filled: Store, fmt: str) -> None:
    g = rdflib.Graph().parse(data=filled.dump(fmt), format={"nt": "nt", "ttl": "turtle"}[fmt])
    assert len(g) == count(filled)
    assert (rdflib.URIRef(f"{EX}Thing"), rdflib.RDFS.label, rdflib.Literal("thing", lang="en")) in g


def test_syntax_error_names_the_users_line(filled: Store) -> None:
    with pytest.raises(QueryError) as info:
        filled.query("SELECT ?s\nWHERE { ?s ?p ?o .. }")
    message = str(info.value)
    assert "syntax" in message.lower()
    assert re.search(r"(line 2\b|\b2:\d+)", message), message


def test_unknown_dump_format_is_an_error(filled: Store) -> None:
    with pytest.raises(Exception, match="unknown RDF format"):
        filled.dump("xlsx")
