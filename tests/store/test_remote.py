"""``kgraph build --store http://…`` into a running Oxigraph server and into a running Virtuoso answers
like the embedded store: counts, the arketamine receptors, evidence quotes, every named query, the
dump. (Tests that write other data to the servers are in ``test_remote_writes.py``: the build here
is made once per server and module.)"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgraph import query as q
from kgraph.cli import main
from kgraph.store import Store, open_store
from kgraph.store.remote import RemoteStore
from kgraph.vocab import GRAPH_DATA, GRAPH_ONTOLOGY

pytestmark = pytest.mark.server

SERVERS = ["oxigraph_server", "virtuoso_server"]

#: Values for the named queries' parameters (the optional ones are also run without a value).
#: After the corpus audit (corpus/REVIEW.md) arketamine has no route, dose or biomarker statement:
#: ketamine gives every compound query rows. contested-claims has none: the audited corpus
#: states the arketamine/NMDA disagreement as a mediation dispute (Through vs Independent), which
#: the query does not find yet (the two cases the assertion below allows).
PARAMS = {
    "compound": "ketamine",
    "entity": "ketamine",
    "subject": "ketamine",
    "object": "NMDA receptor",
    "target": "NMDA receptor",
    "condition": "depression",
    "through": "AMPA receptor",
}

QUERIES = {
    "assertions": "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }",
    "negated assertions": "SELECT ?neg (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion ; "
    "kgo:negated ?neg } GROUP BY ?neg",
    "triples per graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "arketamine receptors": """
        SELECT DISTINCT ?receptor ?label ?p ?negated WHERE {
          ?a rdf:subject kg:arketamine ; rdf:predicate ?p ; rdf:object ?receptor ;
             kgo:negated ?negated .
          ?receptor a kgo:Receptor ; rdfs:label ?label }""",
    "entities by class": """
        SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kgo:mentionedIn ?d ; a ?c } GROUP BY ?c""",
}


def cell(t) -> tuple | None:
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.language or t.datatype.value)
    return (type(t).__name__, t.value)


def answer(store: Store, sparql: str) -> object:
    result = store.query(sparql)
    if result.kind == "ask":
        return result.boolean
    return sorted((tuple(cell(t) for t in row) for row in result.rows), key=repr)


def named_cases() -> list[tuple[str, dict[str, str]]]:
    """Each named query with its required parameters, and again with the optional ones."""
    from kgraph.queries import named_queries

    cases = []
    for name, nq in named_queries().items():
        required = {p.name: PARAMS[p.name] for p in nq.params if not p.optional and not p.default}
        cases.append((name, required))
        optional = {p.name: PARAMS[p.name] for p in nq.params if p.optional and p.name in PARAMS}
        if optional:
            cases.append((name, {**required, **optional}))
    return cases


def concatenated(sparql: str) -> dict[str, str]:
    """The variables a query fills with ``GROUP_CONCAT`` and their separators.

    SPARQL leaves the order of a group's values open, so engines (and Oxigraph in memory and on
    disk) join them differently; compare those cells as sorted lists.

    >>> concatenated('SELECT (GROUP_CONCAT(DISTINCT STR(?x); separator=", ") AS ?xs) WHERE {}')
    {'xs': ', '}
    """
    found = {}
    for m in re.finditer(r"GROUP_CONCAT\s*\(", sparql, re.I):
        depth, i = 1, m.end()
        while depth and i < len(sparql):
            if sparql[i] in "\"'":
                i = sparql.index(sparql[i], i + 1)
            elif sparql[i] == "(":
                depth += 1
            elif sparql[i] == ")":
                depth -= 1
            i += 1
        inner = sparql[m.end() : i - 1]
        sep = re.search(r"separator\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", inner, re.I)
        var = re.match(r"\s*AS\s+[?$](\w+)", sparql[i:], re.I)
        if var:
            found[var.group(1)] = (sep.group(1) or sep.group(2)) if sep else " "
    return found


def rows_of(result, sparql: str) -> list[str]:
    """A result's rows, comparable across engines (order-free, GROUP_CONCAT cells sorted)."""
    seps = concatenated(sparql)
    out = []
    for row in result.rows:
        cells = []
        for var, t in zip(result.variables, row, strict=True):
            c = cell(t)
            if c is not None and var in seps and c[0] == "literal":
                # order open; and Oxigraph keeps a shared language tag where Virtuoso does not
                c = (c[0], tuple(sorted(c[1].split(seps[var]))))
            cells.append(c)
        out.append(repr(tuple(cells)))
    return sorted(out)


@pytest.fixture(scope="module", params=SERVERS, ids=["oxigraph", "virtuoso"])
def built_remote(request) -> RemoteStore:
    """The bundled corpus built into the server with ``kgraph build --store URL``."""
    server = request.getfixturevalue(request.param)
    result = CliRunner().invoke(main, ["build", "--store", server.url, "--quiet"])
    assert result.exit_code == 0, result.output + str(result.exception)
    assert "documents" in result.output
    store = open_store(server.url)
    assert isinstance(store, RemoteStore)
    return store


def test_build_into_a_server_answers_like_the_embedded_store(built_remote, corpus_store) -> None:
    for name, sparql in QUERIES.items():
        assert answer(built_remote, sparql) == answer(corpus_store, sparql), name
    receptors = answer(built_remote, QUERIES["arketamine receptors"])
    assert len(receptors) >= 2, "arketamine's receptors (AMPA, and NMDA denied) are there"


def test_evidence_quotes_are_the_same(built_remote, corpus_store) -> None:
    remote = q.evidence(built_remote, "ketamine", "NMDA receptor")
    local = q.evidence(corpus_store, "ketamine", "NMDA receptor")
    assert remote and {r["quote"] for r in remote} == {r["quote"] for r in local}
    key = ("assertion", "negated", "certainty", "level", "start", "end", "document", "title")
    assert sorted(tuple(r[k] for k in key) for r in remote) == sorted(
        tuple(r[k] for k in key) for r in local
    )


@pytest.mark.parametrize(
    ("name", "params"), named_cases(), ids=[f"{n}{sorted(p.items())}" for n, p in named_cases()]
)
def test_every_named_query_gives_the_same_rows(request, built_remote, corpus_store, name, params):
    """Every named query answers alike on both servers, Virtuoso 7.2 included: the queries avoid
    the constructs it gets wrong (``a/rdfs:subClassOf*`` paths from several subjects, EXISTS
    inside IF(), BOUND() of some OPTIONAL variables, non-ASCII query literals in CONCAT)."""
    from kgraph.queries import named_queries, run_named

    if name == "mechanism-chains" and "through" in params and "virtuoso" in request.node.name:
        # Virtuoso 7.2 returns the right chain but leaves the third hop's node unbound
        # (<urn:kgraph:none>) when `through` is bound: a server bug, kept visible as an xfail
        request.applymarker(pytest.mark.xfail(reason="Virtuoso 7.2 drops ?n3 with `through` bound"))

    text = named_queries()[name].text
    local = run_named(corpus_store, name, **params)
    remote = run_named(built_remote, name, **params)
    assert remote.variables == local.variables
    assert rows_of(remote, text) == rows_of(local, text), (
        f"{name} {params}: {len(remote.rows)} rows remote, {len(local.rows)} embedded"
    )


def test_named_queries_have_rows_on_the_bundled_corpus(corpus_store) -> None:
    from kgraph.queries import run_named

    with_rows = [n for n, p in named_cases() if run_named(corpus_store, n, **p).rows]
    assert len(with_rows) >= len(named_cases()) - 2, "the comparison compares something"


def test_the_dump_is_the_embedded_stores(built_remote, corpus_store) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    def graphs(store: Store) -> dict[str, rdflib.Graph]:
        ds = rdflib.Dataset()
        ds.parse(data=store.dump("nq"), format="nquads")
        return {g: ds.graph(rdflib.URIRef(g)) for g in (GRAPH_DATA, GRAPH_ONTOLOGY)}

    remote, local = graphs(built_remote), graphs(corpus_store)
    for g in local:
        assert len(remote[g]) == len(local[g]) and isomorphic(remote[g], local[g]), g
