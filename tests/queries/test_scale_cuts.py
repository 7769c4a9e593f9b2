"""The named queries that must stay flat at a million abstracts read the claim summary and the
stored aggregates, and cut before they look anything up (issue 19). Each store here is written
for the test (the triples a build writes), so what a query must return is known exactly:

- ``evidence-for-edge`` on a pair with 150 statements: each claim's stored strongest supporting
  and denying statement, and at most 100 others;
- ``document-contributions``: the 100 documents that make the most statements, found from the
  stored statement-count bins, ties at the 100th place by IRI, every document when there are
  fewer than 100;
- ``contested-claims``: more than one document across the two sides, decided from the stored
  document counts and the two sides' example statements, never from every statement.
"""

from __future__ import annotations

from kgraph.queries import run_named
from kgraph.store import open_store
from kgraph.vocab import GRAPH_DATA, KGO

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
TITLE = "<http://purl.org/dc/terms/title>"
DERIVED = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
OA = "http://www.w3.org/ns/oa#"
E = "https://w3id.org/kgraph/entity/"
A = "https://w3id.org/kgraph/assertion/"
D = "https://w3id.org/kgraph/document/"


def _q(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} <{GRAPH_DATA}> ."


def _k(name: str) -> str:
    return f"<{KGO}{name}>"


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _entity(name: str) -> list[str]:
    return [_q(f"<{E}{name}>", LABEL, f'"{name}"')]


def _claim(name: str, s: str, p: str, o: str, **counts: int) -> list[str]:
    """A claim node: its ends and the four counts (supporting, denying and their documents)."""
    c = f"<{A}claim-{name}>"
    lines = [
        _q(c, RDF_TYPE, _k("Claim")),
        _q(c, _k("claimSubject"), f"<{E}{s}>"),
        _q(c, _k("claimPredicate"), _k(p)),
        _q(c, _k("claimObject"), f"<{E}{o}>"),
    ]
    names = {
        "sup": "supportingStatementCount",
        "den": "denyingStatementCount",
        "supdocs": "supportingDocumentCount",
        "dendocs": "denyingDocumentCount",
    }
    for key, prop in names.items():
        lines.append(_q(c, _k(prop), _int(counts.get(key, 0))))
    lines.append(_q(c, _k("hedgedSupportingStatementCount"), _int(0)))
    return lines


def _statement(name: str, claim: str, document: str, *, negated: bool = False) -> list[str]:
    """A statement of claim ``claim`` from ``document``, with its quote."""
    a, ev, target, sel = (f"<{A}{name}{x}>" for x in ("", "-ev", "-target", "-quote"))
    flag = f'"{str(negated).lower()}"^^<{XSD}boolean>'
    return [
        _q(a, RDF_TYPE, _k("Assertion")),
        _q(a, _k("aboutClaim"), f"<{A}claim-{claim}>"),
        _q(a, _k("negated"), flag),
        _q(a, _k("certainty"), _k("Asserted")),
        _q(a, DERIVED, f"<{D}{document}>"),
        _q(a, _k("evidence"), ev),
        _q(ev, f"<{OA}hasTarget>", target),
        _q(target, f"<{OA}hasSelector>", sel),
        _q(sel, RDF_TYPE, f"<{OA}TextQuoteSelector>"),
        _q(sel, f"<{OA}exact>", f'"quote of {name}"'),
    ]


def _document(name: str, title: str | None = None, statements: int | None = None) -> list[str]:
    d = f"<{D}{name}>"
    lines = [_q(d, RDF_TYPE, _k("Document")), _q(d, TITLE, f'"{title or name}"')]
    if statements is not None:
        lines.append(_q(d, _k("statementCount"), _int(statements)))
    return lines


def _example(claim: str, statement: str, *, denying: bool = False) -> str:
    prop = "exampleDenyingStatement" if denying else "exampleStatement"
    return _q(f"<{A}claim-{claim}>", _k(prop), f"<{A}{statement}>")


def _store(lines: list[str]):
    s = open_store("memory:")
    s.replace(lines)
    return s


# -- evidence-for-edge ------------------------------------------------------------------------


def _pair_store():
    """drug treats illness: 150 supporting statements (each its own document), the strongest
    s149; a denial of it: 3 statements, the strongest n2. Also a claim of another pair."""
    lines = [*_entity("drug"), *_entity("illness"), *_entity("other")]
    lines += _claim("t", "drug", "treats", "illness", sup=150, supdocs=150)
    lines += _claim("n", "drug", "studiedFor", "illness", den=3, dendocs=3)
    lines += _claim("x", "other", "treats", "illness", sup=1, supdocs=1)
    for i in range(150):
        lines += _document(f"d{i}") + _statement(f"s{i:03}", "t", f"d{i}")
    for i in range(3):
        lines += _statement(f"n{i}", "n", f"d{i}", negated=True)
    lines += _statement("x0", "x", "d0")
    lines += [_example("t", "s149"), _example("n", "n2", denying=True), _example("x", "x0")]
    return _store(lines)


def test_evidence_for_edge_keeps_the_strongest_of_each_claim_and_at_most_100_more():
    store = _pair_store()
    found = run_named(store, "evidence-for-edge", subject="drug", object="illness").dicts()
    ids = [str(r["assertion"]).rsplit("/", 1)[-1] for r in found]
    assert len(ids) == len(set(ids))  # an example that is also among the 100 is listed once
    assert "s149" in ids and "n2" in ids  # each claim's stored strongest statement
    assert 100 <= len(ids) <= 102
    assert not any(i.startswith("x") for i in ids)  # another pair's claim
    assert {r["negated"] for r in found if r["assertion"].endswith("/n2")} == {True}
    # the other end first gives the same statements (either direction)
    back = run_named(store, "evidence-for-edge", subject="illness", object="drug").dicts()
    assert sorted(str(r["assertion"]) for r in back) == sorted(str(r["assertion"]) for r in found)


def test_evidence_for_edge_with_a_predicate_cuts_that_claims_statements():
    store = _pair_store()
    found = run_named(
        store, "evidence-for-edge", subject="drug", object="illness", predicate="studiedFor"
    ).dicts()
    assert sorted(str(r["assertion"]).rsplit("/", 1)[-1] for r in found) == ["n0", "n1", "n2"]
    assert all(r["quote"].startswith("quote of n") for r in found)


# -- document-contributions -------------------------------------------------------------------


def _counts_store(counts: dict[str, int]):
    """Documents with these statement counts, and the bins a build writes for them."""
    lines = []
    for name, n in counts.items():
        lines += _document(name, f"title {name}", n)
    for n in set(counts.values()):
        b = f"<{A}statement-count-{n}>"
        lines += [
            _q(b, RDF_TYPE, _k("StatementCountBin")),
            _q(b, _k("binStatementCount"), _int(n)),
            _q(b, _k("documentCount"), _int(sum(1 for v in counts.values() if v == n))),
            _q(b, _k("documentsAbove"), _int(sum(1 for v in counts.values() if v > n))),
        ]
    return _store(lines)


def test_document_contributions_finds_the_100_from_the_bins():
    # 250 documents: 40 make 9 statements, 50 make 7, 60 make 5 (the 100th place falls among
    # these: 10 of them get in, by IRI), 100 make 2
    counts = {f"a{i:03}": 9 for i in range(40)}
    counts |= {f"b{i:03}": 7 for i in range(50)}
    counts |= {f"c{i:03}": 5 for i in range(60)}
    counts |= {f"d{i:03}": 2 for i in range(100)}
    found = run_named(_counts_store(counts), "document-contributions").dicts()
    assert len(found) == 100
    assert [r["assertions"] for r in found] == [9] * 40 + [7] * 50 + [5] * 10
    fives = sorted(str(r["document"]).rsplit("/", 1)[-1] for r in found if r["assertions"] == 5)
    assert fives == [f"c{i:03}" for i in range(10)]  # ties at the 100th place: by IRI
    assert [r["title"] for r in found[:2]] == ["title a000", "title a001"]  # ties: by title


def test_document_contributions_lists_every_document_when_there_are_fewer_than_100():
    counts = {"one": 3, "two": 1, "three": 3, "four": 0}
    found = run_named(_counts_store(counts), "document-contributions").dicts()
    assert [(r["title"], r["assertions"]) for r in found] == [
        ("title one", 3),
        ("title three", 3),
        ("title two", 1),
        ("title four", 0),
    ]


# -- contested-claims -------------------------------------------------------------------------


def _contest(sup_docs: list[str], den_docs: list[str]):
    """drug treats illness asserted from ``sup_docs`` and denied from ``den_docs`` (one statement
    each); the examples are the first of each."""
    lines = [*_entity("drug"), *_entity("illness")]
    lines += _claim(
        "t",
        "drug",
        "treats",
        "illness",
        sup=len(sup_docs),
        supdocs=len(set(sup_docs)),
        den=len(den_docs),
        dendocs=len(set(den_docs)),
    )
    for d in {*sup_docs, *den_docs}:
        lines += _document(d)
    lines += [x for i, d in enumerate(sup_docs) for x in _statement(f"s{i}", "t", d)]
    lines += [x for i, d in enumerate(den_docs) for x in _statement(f"n{i}", "t", d, negated=True)]
    lines += [_example("t", "s0"), _example("t", "n0", denying=True)]
    return _store(lines)


def test_a_contest_needs_more_than_one_document_across_its_sides():
    # one document that says both: no contest
    assert run_named(_contest(["d1"], ["d1"]), "contested-claims").dicts() == []
    # two documents, one on each side
    (row,) = run_named(_contest(["d1"], ["d2"]), "contested-claims").dicts()
    assert (row["kind"], row["asserted_by"], row["denied_by"]) == ("denial", "d1", "d2")
    assert (row["asserted_quote"], row["denied_quote"]) == ("quote of s0", "quote of n0")
    # the examples share a document, but another document also asserts it
    (row,) = run_named(_contest(["d1", "d2"], ["d1"]), "contested-claims").dicts()
    assert (row["supporting_documents"], row["denying_documents"]) == (2, 1)
    # or also denies it
    assert len(run_named(_contest(["d1"], ["d1", "d3"]), "contested-claims").dicts()) == 1


# -- hedged-or-preclinical-only ---------------------------------------------------------------


def _unconfirmed_store():
    """151 claims "S treats oNNN", 150 of them with only hedged or preclinical support
    (firmStatementCount 0) and weights falling with NNN, in pairs that tie (the IRI breaks the
    tie); S alternates between "herb" and "drug". Claim 150 is firmly asserted and heavier than
    all: never listed."""
    from kgraph.claims import weight_order

    lines = [*_entity("drug"), *_entity("herb")]
    for i in range(151):
        name, subject = f"{i:03}", "drug" if i % 2 else "herb"
        weight = "1" if i == 150 else f"{0.9 - (i // 2) * 0.01:.2f}"
        lines += _entity(f"o{name}")
        lines += _claim(name, subject, "treats", f"o{name}", sup=1, supdocs=1)
        c = f"<{A}claim-{name}>"
        lines += [
            _q(c, _k("firmStatementCount"), _int(1 if i == 150 else 0)),
            _q(c, _k("evidenceWeight"), f'"{weight}"^^<{XSD}decimal>'),
            _q(c, _k("weightOrder"), f'"{weight_order(weight, 0, c)}"^^<{XSD}decimal>'),
        ]
    return _store(lines)


def _objects(rows) -> set[str]:
    return {str(r["o"]).rsplit("/", 1)[-1] for r in rows}


def test_hedged_or_preclinical_only_keeps_the_100_heaviest_unconfirmed_claims():
    store = _unconfirmed_store()
    found = run_named(store, "hedged-or-preclinical-only").dicts()
    assert _objects(found) == {f"o{i:03}" for i in range(100)}  # not o100 … o149, never o150
    assert len(found) == 100


def test_hedged_or_preclinical_only_with_a_subject_cuts_that_subjects_claims():
    store = _unconfirmed_store()
    drug = run_named(store, "hedged-or-preclinical-only", subject="drug").dicts()
    assert _objects(drug) == {f"o{i:03}" for i in range(1, 150, 2)}  # all 75 of drug's
    assert {str(r["s"]).rsplit("/", 1)[-1] for r in drug} == {"drug"}
