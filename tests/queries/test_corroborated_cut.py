"""``corroborated-claims`` ranks the corroborated claims by evidence weight and keeps 100;
``min_documents`` narrows those 100 and does not reach further down the ranking (the query's
header says so, and why: applying it before the cut costs a look-up of every corroborated claim).

The store here holds a claim summary written for the test (the triples a build writes for a
``kgo:Claim``), so the ranks are known exactly.
"""

from __future__ import annotations

import pytest

from kgraph.claims import weight_order
from kgraph.queries import named_queries, run_named
from kgraph.store import open_store
from kgraph.vocab import GRAPH_DATA, KGO

XSD = "http://www.w3.org/2001/XMLSchema#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
E = "https://w3id.org/kgraph/entity/"
CLAIM = "https://w3id.org/kgraph/claim/"


def _claim(n: int, research: int, weight: str) -> list[str]:
    c, s, o = f"<{CLAIM}c{n:03}>", f"<{E}s{n:03}>", f"<{E}o{n:03}>"
    g = f"<{GRAPH_DATA}>"

    def q(p: str, v: str) -> str:
        return f"{c} <{KGO}{p}> {v} {g} ."

    def count(v: int) -> str:
        return f'"{v}"^^<{XSD}integer>'

    return [
        f"{c} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGO}Claim> {g} .",
        q("claimSubject", s),
        q("claimPredicate", f"<{KGO}treats>"),
        q("claimObject", o),
        q("researchDocumentCount", count(research)),
        q("evidenceWeight", f'"{weight}"^^<{XSD}decimal>'),
        q("weightOrder", f'"{weight_order(weight, research, c)}"^^<{XSD}decimal>'),
        q("weightReason", f'"{weight}: written for the test"'),
        q("supportingDocumentCount", count(research)),
        q("supportingStatementCount", count(research)),
        q("denyingStatementCount", count(0)),
        q("supportingEvidenceLevel", f"<{KGO}Review>"),
        f'{s} <{LABEL}> "subject {n:03}" {g} .',
        f'{o} <{LABEL}> "object {n:03}" {g} .',
    ]


def _lines(store) -> list[str]:
    return store.dump("nq").decode().splitlines()


@pytest.fixture(scope="module")
def store():
    """100 claims that two research documents assert, heaviest first, then claim 100, which
    three assert, lighter than all of them, and claim 101, which one asserts."""
    lines = [x for n in range(100) for x in _claim(n, 2, f"{1 - n * 0.01:.2f}")]
    lines += _claim(100, 3, "0.00") + _claim(101, 1, "1.00")
    s = open_store("memory:")
    s.replace(lines)
    return s


def subjects(store, **params) -> list[str]:
    return [r["subject_label"] for r in run_named(store, "corroborated-claims", **params).dicts()]


def test_the_default_cut_is_the_heaviest_100_corroborated_claims(store):
    found = subjects(store)
    assert found == [f"subject {n:03}" for n in range(100)]  # not 100 (lighter), not 101 (one)


def test_min_documents_narrows_the_100_it_does_not_reach_below_them(store):
    """Claim 100 (three research documents) ranks 101st: a filter on the 100 does not find it,
    as the header says; a header that promises otherwise fails the second check."""
    assert subjects(store, min_documents=3) == []
    header = named_queries()["corroborated-claims"].description
    assert "narrows these 100, it does not reach further down" in header
    assert "kgo:researchDocumentCount >= N" in header  # what to do instead


def test_min_documents_keeps_those_of_the_100_that_enough_documents_assert(store):
    lines = _claim(102, 4, "0.99")  # as heavy as claim 1, more research documents: in the 100
    s = open_store("memory:")
    s.replace([*_lines(store), *lines])
    assert subjects(s, min_documents=3) == subjects(s, min_documents=4) == ["subject 102"]
    assert len(subjects(s)) == 100 and "subject 099" not in subjects(s)  # 102 took a place


def test_min_documents_below_two_is_still_corroborated_only(store):
    assert subjects(store, min_documents=1) == subjects(store)
