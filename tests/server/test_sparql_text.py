"""kgraph.sparql against real SPARQL: every shipped query reads as tokens, binds, and still parses
in pyoxigraph; arbitrary text never makes the refusal raise (it fails closed)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import sparql
from kgraph.queries import named_queries
from kgraph.vocab import PREFIXES

QUERIES = {q.name: q.text for q in named_queries().values()}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_reads_binds_and_parses(name):
    text = QUERIES[name]
    assert "".join(t.text for t in sparql.tokens(text)) == text  # every character, in order
    assert sparql.query_form(text) in ("select", "ask", "construct", "describe")
    assert sparql.refused(text) is None
    bound = sparql.bind(text, zz_probe=ox.Literal("a } b # c"))
    store = ox.Store()
    store.query(bound, prefixes=PREFIXES)  # raises SyntaxError if the VALUES block broke it
    assert set(sparql.prefixes(text)) == set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text))


@pytest.mark.parametrize(
    "text, form",
    [
        ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "construct"),
        ("PREFIX : <http://e/> SELECT * { ?s :p 'SERVICE' }", "select"),
        ("DELETE WHERE { ?s ?p ?o }", "update"),
        ("ASK { ?s ?p 1.5e3 }", "ask"),
    ],
)
def test_forms_and_binding_keep_queries_valid(text, form):
    assert sparql.query_form(text) == form
    if form != "update":
        ox.Store().query(sparql.bind(text, s=ox.NamedNode("http://e/x")))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("SERVICELOADservice:.#\\'\"{}<>?$ \n@1e0_-")), max_size=60
    )
)
def test_the_refusal_never_raises_and_finds_every_bare_keyword(text):
    why = sparql.refused(text)
    assert why in (None, "SERVICE", "LOAD", "unreadable")
    if why is None:
        words = [t.text.upper() for t in sparql.tokens(text) if t.kind == "word"]
        assert not any("SERVICE" in w or "LOAD" in w for w in words)
