"""The build's summary: one ``kgo:Claim`` per distinct qualified statement, counts per document.

A claim is identified by its subject, predicate and object **and its qualifiers** (comparison,
comparator, degree, mediation, mediator): "arketamine has less dissociation than esketamine" is a
different claim from "arketamine has dissociation". Research questions and unreviewed proposals
(unless the build includes them) are not part of any claim.

What a statement contributes is decided by the claim rules of :mod:`kgraph.claims`
(``is_firm``, ``is_research``; the builder asks ``direct_triple``).

>>> key = ClaimKey("kg:a", "kgo:p", "kg:b")
>>> s = Summary()
>>> s.tally("<d>", "ScienceNews", key, negated=False, certainty="Asserted", level="Review",
...         statement="<https://w3id.org/kgraph/assertion/a1>")
'<https://w3id.org/kgraph/assertion/claim-...>'
>>> [line.split()[1] for line in s.lines()][:2]
['<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', '<https://w3id.org/kgraph/ontology#claimSubject>']
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from .claims import WeightTally, is_firm, is_research, weight_order, weight_text
from .nquads import TYPE, C, P, decimal, integer, iri, kgo_value, literal, quad
from .vocab import KGA

__all__ = ["ClaimKey", "Summary", "all_bin_lines", "bin_iri", "bin_lines", "qualifier_lines"]

#: A statement's strength as a claim's example is chosen by it: :func:`kgraph.claims._rank`
#: (weight, source type, level, certainty) and the statement's IRI term.
Example = tuple[tuple[float, str, str, str], str]


class ClaimKey(NamedTuple):
    """The identity of a claim: entity IRIs for the ends, comparator and mediator; value names.

    >>> ClaimKey("s", "p", "o").qualified, ClaimKey("s", "p", "o", degree="Weak").qualified
    (False, True)
    """

    subject: str
    predicate: str
    object: str
    comparison: str | None = None
    comparator: str | None = None
    degree: str | None = None
    mediation: str | None = None
    mediator: str | None = None

    @property
    def qualified(self) -> bool:
        return any(v is not None for v in self[3:])

    def iri(self) -> str:
        """The claim's IRI term: a hash of the key (of S, P, O alone for a bare claim)."""
        parts = [*self[:3], *(v or "" for v in self[3:])] if self.qualified else list(self[:3])
        digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()
        return iri(f"{KGA}claim-{digest}")


def qualifier_lines(node: str, key: ClaimKey) -> list[str]:
    """The qualifier triples of an assertion, question or claim node (IRI term ``node``).

    >>> [x.split()[1] for x in qualifier_lines("<a>", ClaimKey("s", "p", "o", degree="Weak"))]
    ['<https://w3id.org/kgraph/ontology#degree>']
    """
    out = []
    if key.comparison:
        out.append(quad(node, P["comparison"], kgo_value(key.comparison)))
    if key.comparator:
        out.append(quad(node, P["comparator"], iri(key.comparator)))
    if key.degree:
        out.append(quad(node, P["degree"], kgo_value(key.degree)))
    if key.mediation:
        out.append(quad(node, P["mediation"], kgo_value(key.mediation)))
    if key.mediator:
        out.append(quad(node, P["mediator"], iri(key.mediator)))
    return out


def stronger(rank: tuple[float, str, str, str], statement: str, best: Example | None) -> bool:
    """Whether a statement of ``rank`` (:func:`kgraph.claims._rank`) and IRI term ``statement``
    is a better example of its claim than ``best``: the higher rank, then the smaller IRI, so the
    choice does not depend on the order statements arrive in. (Assertion IRIs are ``kga:`` and a
    digest of one length, so their terms sort as the IRIs do.)

    >>> r = (0.5, "ScienceNews", "Review", "Asserted")
    >>> stronger(r, "<b>", None), stronger(r, "<b>", (r, "<a>")), stronger(r, "<a>", (r, "<b>"))
    (True, False, True)
    >>> stronger((0.6, "", "", ""), "<z>", (r, "<a>"))
    True
    """
    if best is None or rank > best[0]:
        return True
    return rank == best[0] and statement < best[1]


@dataclass(slots=True)
class _ClaimTally:
    iri: str
    supporting: int = 0
    denying: int = 0
    firm: int = 0
    research: int = 0
    hedged: int = 0  # supporting statements that are hedged
    example: Example | None = None  # the strongest supporting statement (see stronger)
    example_denying: Example | None = None  # … denying statement
    source_types: set[str] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)
    weight: WeightTally = field(default_factory=WeightTally)


@dataclass(slots=True)
class _DocTally:
    """A document's source type, counts (statements, negated, hedged, questions), entities, levels.

    Lean, as a build holds one per document (a million of them): plain counters, the entities and
    levels as tuples (grown by :meth:`add_entities` and :meth:`add_level`).

    >>> t = _DocTally("Review")
    >>> t.add_entities({"a", "b"}); t.add_entities({"b", "c"}); t.add_level("Review")
    >>> sorted(t.entities), t.levels, t.count["statements"]
    (['a', 'b', 'c'], ('Review',), 0)
    """

    source_type: str
    statements: int = 0
    negated: int = 0
    hedged: int = 0
    questions: int = 0
    entities: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    @property
    def count(self) -> dict[str, int]:
        """The four counts by name (``statements``, ``negated``, ``hedged``, ``questions``)."""
        return {
            "statements": self.statements,
            "negated": self.negated,
            "hedged": self.hedged,
            "questions": self.questions,
        }

    def add_entities(self, entities: Iterable[str]) -> None:
        """Count ``entities`` as mentioned by the document (each once)."""
        if self.entities:
            self.entities = tuple({*self.entities, *entities})
        else:
            self.entities = tuple(set(entities))

    def add_level(self, level: str) -> None:
        if level not in self.levels:
            self.levels = (*self.levels, level)


def bin_iri(statements: int) -> str:
    """The IRI term of the bin of documents that make ``statements`` statements.

    >>> bin_iri(3)
    '<https://w3id.org/kgraph/assertion/statement-count-3>'
    """
    return iri(f"{KGA}statement-count-{statements}")


def bin_lines(statements: int, documents: int, above: int) -> list[str]:
    """The lines of the bin of the ``documents`` (≥ 1) that make ``statements`` statements each
    (``kgo:statementCount``), and ``above``: how many documents make more. With a bin for every
    N some document makes, "the 100 documents that make the most statements" are those of the
    bins with fewer than 100 documents above them: a few hundred bins read, then an index
    look-up per count, never a scan of every document.

    >>> [x.split()[1].rpartition("#")[2] for x in bin_lines(3, 2, 5)]
    ['type>', 'binStatementCount>', 'documentCount>', 'documentsAbove>']
    """
    b = bin_iri(statements)
    return [
        quad(b, TYPE, C["StatementCountBin"]),
        quad(b, P["bin_statements"], integer(statements)),
        quad(b, P["bin_documents"], integer(documents)),
        quad(b, P["bin_above"], integer(above)),
    ]


def all_bin_lines(bins: dict[int, int]) -> list[str]:
    """The lines of every bin of ``bins`` (statements → documents that make that many; bins of
    no document are left out), each with how many documents make more statements.

    >>> [x.split()[2] for x in all_bin_lines({1: 2, 5: 1, 7: 0}) if "documentsAbove" in x]
    ['"0"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
    """
    out: list[str] = []
    above = 0
    for n in sorted(bins, reverse=True):
        if bins[n]:
            out += bin_lines(n, bins[n], above)
            above += bins[n]
    return out


class Summary:
    """Counts claims and documents as statements arrive, then writes them as N-Quads lines.

    >>> s = Summary()
    >>> _ = s.tally("<d>", "ScienceNews", ClaimKey("s", "p", "o"), negated=True, certainty="Asserted", level=None,
    ...             statement="<a>")
    >>> len(s.claims), s.docs["<d>"].count["negated"]
    (1, 1)
    """

    def __init__(self) -> None:
        self.claims: dict[ClaimKey, _ClaimTally] = {}
        self.docs: dict[str, _DocTally] = {}

    def document(self, d: str, source_type: str) -> _DocTally:
        """The tally of document ``d`` (an IRI term), created on first use."""
        tally = self.docs.get(d)
        if tally is None:
            tally = self.docs[d] = _DocTally(source_type)
        return tally

    def claim_iri(self, key: ClaimKey) -> str:
        """The IRI term of the claim ``key`` (the claim is created on first use)."""
        claim = self.claims.get(key)
        if claim is None:
            claim = self.claims[key] = _ClaimTally(key.iri())
        return claim.iri

    def tally(
        self,
        d: str,
        source_type: str,
        key: ClaimKey,
        *,
        negated: bool,
        certainty: str,
        level: str | None,
        statement: str,
    ) -> str:
        """Count one distinct statement (IRI term ``statement``) of document ``d`` for claim
        ``key``; the claim's IRI."""
        iri_ = self.claim_iri(key)
        claim = self.claims[key]
        doc = self.document(d, source_type)
        rank = claim.weight.count(d, doc.source_type, level, certainty, negated)[0]
        doc.statements += 1
        if level:
            doc.add_level(level)
        if certainty == "Hedged":
            doc.hedged += 1
        if negated:
            doc.negated += 1
            claim.denying += 1
            if stronger(rank, statement, claim.example_denying):
                claim.example_denying = (rank, statement)
            return iri_
        claim.supporting += 1
        if certainty == "Hedged":
            claim.hedged += 1
        if stronger(rank, statement, claim.example):
            claim.example = (rank, statement)
        claim.source_types.add(doc.source_type)
        if level:
            claim.levels.add(level)
        if is_firm(certainty, level, negated):
            claim.firm += 1
        if is_research(doc.source_type, level):
            claim.research += 1
        return iri_

    def question(self, d: str, source_type: str) -> None:
        """Count one distinct research question of document ``d``."""
        self.document(d, source_type).questions += 1

    def lines(self) -> Iterator[str]:
        """The summary of every statement counted so far, claim by claim, then per document.

        One ``kgo:Claim`` per distinct claim key, with how many statements and documents support
        and deny it, how many supporting statements are firm, research and hedged
        (:mod:`kgraph.claims`), the source types and levels behind it, its strongest supporting
        and denying statement (``kgo:exampleStatement``, ``kgo:exampleDenyingStatement``: the
        highest :func:`kgraph.claims._rank`, then the smallest IRI) and its qualifiers; one
        ``kgo:StatementCountBin`` per number of statements some document makes (:func:`bin_lines`);
        per document, how many statements it makes (negated, hedged), research questions it
        raises, entities it mentions and claims no other document makes.
        """
        owners: dict[str, int] = {}  # document → claims that only it makes
        for key, t in sorted(self.claims.items(), key=lambda kv: tuple(v or "" for v in kv[0])):
            c = t.iri
            sup, den = t.weight.documents()
            out = [
                quad(c, TYPE, C["Claim"]),
                quad(c, P["c_subject"], iri(key.subject)),
                quad(c, P["c_predicate"], iri(key.predicate)),
                quad(c, P["c_object"], iri(key.object)),
                *qualifier_lines(c, key),
                quad(c, P["c_sup"], integer(t.supporting)),
                quad(c, P["c_den"], integer(t.denying)),
                quad(c, P["c_supdocs"], integer(sup)),
                quad(c, P["c_dendocs"], integer(den)),
                quad(c, P["c_firm"], integer(t.firm)),
                quad(c, P["c_research"], integer(t.research)),
                quad(c, P["c_hedged"], integer(t.hedged)),
            ]
            if t.example is not None:
                out.append(quad(c, P["c_example"], t.example[1]))
            if t.example_denying is not None:
                out.append(quad(c, P["c_example_den"], t.example_denying[1]))
            out += [quad(c, P["c_st"], kgo_value(x)) for x in sorted(t.source_types)]
            out += [quad(c, P["c_level"], kgo_value(x)) for x in sorted(t.levels)]
            basis = t.weight.basis()
            w = basis.weight()
            weight = weight_text(w.value)
            out += [
                quad(c, P["c_weight"], decimal(weight)),
                quad(c, P["c_reason"], literal(w.reason)),
                quad(c, P["c_resdocs"], integer(w.research_documents)),
                quad(c, P["c_order"], decimal(str(weight_order(weight, w.research_documents, c)))),
                quad(c, P["c_basis"], literal(basis.text())),
            ]
            yield from out
            only = t.weight.owner()
            if only is not None:
                owners[only] = owners.get(only, 0) + 1
        bins: dict[int, int] = {}  # statements → documents that make that many
        for t in self.docs.values():
            bins[t.statements] = bins.get(t.statements, 0) + 1
        yield from all_bin_lines(bins)
        for d, t in sorted(self.docs.items()):
            yield from [quad(d, P["d_level"], kgo_value(x)) for x in sorted(t.levels)]
            for key in ("statements", "negated", "hedged", "questions"):
                yield quad(d, P[f"d_{key}"], integer(getattr(t, key)))
            yield quad(d, P["d_entities"], integer(len(t.entities)))
            yield quad(d, P["d_unique"], integer(owners.get(d, 0)))
