"""A research question's polarity and certainty come back from the store's own properties
(``kgo:questionNegated``, ``kgo:questionCertainty``), and from its IRI's digest only for a
store built before those properties existed."""

from __future__ import annotations

import re

import pytest

from kgraph.build import build_store
from kgraph.store import open_store
from kgraph.vocab import GRAPH_DATA, KGO, corpus_dir
from kgraph.writers.graph import documents

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_QUESTION_PROPS = (f"<{KGO}questionNegated>", f"<{KGO}questionCertainty>")


def _lines(store) -> list[str]:
    """The whole store as N-Quads lines (the ontology graph too: the export reads it)."""
    return store.dump("nq").decode().splitlines()


def _questions(store) -> list[tuple[str, str, str, bool, str]]:
    """Every research question of the rebuilt documents: document, type, subject, flags."""
    found = []
    for doc in documents(store):
        for r in doc.relations:
            if r.question:
                found.append((doc.id, r.type, r.subject, r.negated, r.certainty))
    return sorted(found)


def _store(lines: list[str]):
    store = open_store("memory:")
    store.replace(lines)
    return store


@pytest.fixture(scope="module")
def corpus_lines() -> list[str]:
    store = open_store("memory:")
    build_store(store, [corpus_dir()], lenient=True)
    return _lines(store)


@pytest.fixture(scope="module")
def expected(corpus_lines) -> list[tuple[str, str, str, bool, str]]:
    found = _questions(_store(corpus_lines))
    # the bundled corpus asks hedged and asserted questions: both certainties are tested
    assert {q[4] for q in found} == {"Hedged", "Asserted"}
    return found


def _question_iris(lines: list[str]) -> set[str]:
    typed = f" <{RDF_TYPE}> <{KGO}ResearchQuestion> <{GRAPH_DATA}> ."
    return {x.split(" ", 1)[0] for x in lines if x.endswith(typed)}


def test_flags_are_read_from_the_store_not_the_iri(corpus_lines, expected):
    """Statement IRIs renamed (another tool's, a merged store): the flags still come back."""
    iris = _question_iris(corpus_lines)
    assert iris
    renamed = {iri: iri[:-1] + "-renamed>" for iri in iris}
    pattern = re.compile("|".join(re.escape(i) for i in iris))
    lines = [pattern.sub(lambda m: renamed[m.group(0)], x) for x in corpus_lines]
    assert _questions(_store(lines)) == expected


def test_a_recorded_flag_wins_over_the_iri(corpus_lines, expected):
    """A question whose store says it asks about the negation is written so."""
    target = sorted(_question_iris(corpus_lines))[0]
    neg = f"{target} {_QUESTION_PROPS[0]} "
    lines = [x.replace('"false"', '"true"') if x.startswith(neg) else x for x in corpus_lines]
    assert lines != corpus_lines
    got = _questions(_store(lines))
    assert sum(q[3] for q in got) == sum(q[3] for q in expected) + 1


def test_a_store_without_the_properties_falls_back_to_the_iri(corpus_lines, expected):
    """A store built before the properties existed: the IRI's digest still gives them back."""
    lines = [x for x in corpus_lines if x.split(" ")[1] not in _QUESTION_PROPS]
    assert len(lines) < len(corpus_lines)
    assert _questions(_store(lines)) == expected
