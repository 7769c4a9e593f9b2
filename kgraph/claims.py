"""The claim rules, in one place: what is asserted, denied, contested, firm, research.

A *statement* is one assertion node (a source says S P O, maybe negated, hedged, at a level of
evidence); a *claim* is every statement of one subject, predicate and object. The build's claim
summary, the named queries, the explorer's marks, the notebook and the exports all ask this module,
so they cannot disagree:

- a statement gives a **direct triple** (``S P O`` in the data graph) when it is asserted: not
  negated, not a research question, not an unreviewed proposal, not rejected, and not a "less
  than" comparison (:func:`direct_triple`);
- a statement is **firm** when it is asserted without hedging, not negated, at a level other than
  preclinical (:func:`is_firm`); it is **research** when its source is not an opinion article or a
  clinic's marketing page and its level is not opinion (:func:`is_research`);
- a claim is **denied** when every statement of it is negated, **hedged** when every one is hedged,
  **preclinical only** when its only level of evidence is preclinical;
- a claim is **contested** when it is one side of a contest found by the ``contested-claims`` named
  query (:func:`contests`), the one contradiction rule: a *denial* (the same predicate, object and
  qualifiers, asserted for one subject and negated for the same subject, one of its enantiomers or
  one of its metabolites) or a *mediation dispute* (the same object and mediator, one claim saying
  the effect arises through it, another independently of it), with statements from more than one
  document. The explorer, :meth:`KnowledgeGraph.claims`, the notebook and the query read it;
- a claim's **evidence weight** (:func:`claim_weight`) combines its independent documents' source
  types, levels and certainty, ``1 − Π(1 − wᵢ)`` as INDRA's belief scores do, with a reason.

>>> is_firm("Asserted", "ClinicalPhase3", negated=False), is_firm("Hedged", "ClinicalPhase3")
(True, False)
>>> is_research("ClinicMarketingPage", "ClinicalPractice"), is_research("ScienceNews", "Review")
(False, True)
>>> int(claim_flags(2, 2, 0, False, False)) == NEGATED
True
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .queries import run_named
from .query import internal
from .store import Store

__all__ = [
    "CERTAINTY_FACTOR",
    "CONTESTED",
    "CORROBORATING_DOCUMENTS",
    "DASHED",
    "HEDGED",
    "LEVEL_FACTOR",
    "NEGATED",
    "PRECLINICAL_ONLY",
    "SOURCE_RELIABILITY",
    "UNCORROBORATED_ORDER",
    "WEAK_SOURCE_TYPES",
    "Statement",
    "StoredWeight",
    "Weight",
    "WeightTally",
    "claim_flags",
    "claim_weight",
    "claim_weights",
    "contested_claims",
    "contests",
    "direct_triple",
    "is_denied",
    "is_firm",
    "is_preclinical_only",
    "is_research",
    "qualifier_text",
    "recomputed_weights",
    "statement_weight",
    "weight_order",
    "weight_text",
    "weights",
]

#: How many independent research documents must assert a claim for it to be corroborated.
CORROBORATING_DOCUMENTS = 2

#: Source types whose statements are opinion or promotion, not research.
WEAK_SOURCE_TYPES = frozenset({"OpinionArticle", "ClinicMarketingPage"})

# Bit flags of a claim, as the explorer draws them.
DASHED = 1  #: drawn dashed: every statement hedged, or only preclinical evidence
NEGATED = 2  #: every statement denies it
CONTESTED = 4  #: one side of a contest (see :func:`contests`)
HEDGED = 8  #: every statement is hedged ("may", "suggests")
PRECLINICAL_ONLY = 16  #: the only evidence level is Preclinical


def direct_triple(
    *,
    negated: bool,
    question: bool = False,
    proposed: bool = False,
    rejected: bool = False,
    comparison: str | None = None,
    include_proposed: bool = False,
) -> bool:
    """Whether a statement puts its direct triple ``S P O`` into the data graph: it says S does
    P to O (not negated, not an open research question, not rejected, not an unreviewed proposal
    unless the build includes proposals, and not a "less than" comparison: "less dissociation
    than esketamine" does not say the subject causes dissociation).

    >>> direct_triple(negated=False), direct_triple(negated=False, comparison="Less")
    (True, False)
    >>> direct_triple(negated=False, question=True), direct_triple(negated=False, proposed=True)
    (False, False)
    >>> direct_triple(negated=False, proposed=True, include_proposed=True)
    True
    """
    if negated or question or rejected or comparison == "Less":
        return False
    return include_proposed or not proposed


def is_firm(certainty: str | None, level: str | None, negated: bool = False) -> bool:
    """Asserted without hedging, not negated, at a level of evidence other than preclinical.

    >>> is_firm("Asserted", "Preclinical"), is_firm("Asserted", None), is_firm("Asserted", "Review", True)
    (False, True, False)
    """
    return not negated and certainty == "Asserted" and level != "Preclinical"


def is_research(source_type: str | None, level: str | None) -> bool:
    """From a source that is not opinion or marketing, at a level other than opinion.

    >>> is_research("OpinionArticle", "Review"), is_research("ResearchOverview", "Opinion")
    (False, False)
    """
    return source_type not in WEAK_SOURCE_TYPES and level != "Opinion"


def is_denied(statements: int, negated: int) -> bool:
    """Every statement of the claim denies it.

    >>> is_denied(2, 2), is_denied(2, 1), is_denied(0, 0)
    (True, False, False)
    """
    return statements > 0 and negated >= statements


def is_preclinical_only(levels: Iterable[str]) -> bool:
    """The claim's only level of evidence is preclinical.

    >>> is_preclinical_only(["Preclinical"]), is_preclinical_only(["Preclinical", "Review"])
    (True, False)
    """
    return sorted(set(levels)) == ["Preclinical"]


def claim_flags(statements, negated, hedged, preclinical_only, contested) -> np.ndarray:
    """The flags (:data:`NEGATED`, :data:`CONTESTED`, :data:`HEDGED`, :data:`PRECLINICAL_ONLY`,
    :data:`DASHED`) of claims, given as numbers or as arrays (one entry per claim).

    A claim every statement denies is ``NEGATED``; else one side of a contest is ``CONTESTED``.

    >>> claim_flags([1, 2, 2], [1, 0, 0], [0, 0, 2], [False, False, True], [False, True, False]).tolist()
    [2, 4, 25]
    """
    statements, negated, hedged = (
        np.asarray(x, dtype=np.int64) for x in (statements, negated, hedged)
    )
    preclinical_only = np.asarray(preclinical_only, dtype=bool)
    contested = np.asarray(contested, dtype=bool)
    flags = np.zeros(statements.shape, dtype=np.int64)
    has = statements > 0
    denied = has & (negated >= statements)
    flags[denied] |= NEGATED
    flags[~denied & contested] |= CONTESTED
    flags[has & (hedged >= statements)] |= HEDGED | DASHED
    flags[preclinical_only] |= PRECLINICAL_ONLY | DASHED
    return flags


def contests(store: Store, entity: str | None = None) -> list[dict[str, object]]:
    """The contests of the graph (rows of the ``contested-claims`` named query), optionally only
    those in which ``entity`` (a name, CURIE or IRI) is a subject or the object.

    >>> from kgraph import load
    >>> rows = contests(load().store)
    >>> all(r["supporting"] > 0 and r["denying"] > 0 for r in rows)
    True
    """
    return run_named(store, "contested-claims", entity=entity).dicts()


def contested_claims(store: Store) -> set[tuple[str, str, str]]:
    """The claims ``(subject, predicate, object)`` on either side of a contest.

    >>> from kgraph import load
    >>> all(len(c) == 3 for c in contested_claims(load().store))
    True
    """
    found: set[tuple[str, str, str]] = set()
    for row in contests(store):
        o = str(row["o"])
        found.add((str(row["s1"]), str(row["p"]), o))
        found.add((str(row["s2"]), str(row["p2"] or row["p"]), o))
    return found


# -- the evidence weight --------------------------------------------------------------------------
#: How far a statement can be trusted for the kind of source it comes from, before its level of
#: evidence and certainty (the per-source reliability of INDRA's belief scores, set by hand here:
#: curated and peer-reviewed research highest, marketing lowest). Unknown types get 0.5.
SOURCE_RELIABILITY: dict[str, float] = {
    "PeerReviewedArticle": 0.85,
    "AnnotatedCorpus": 0.85,
    "ResearchOverview": 0.75,
    "ScienceNews": 0.65,
    "NewsReport": 0.55,
    "OpinionArticle": 0.35,
    "ClinicMarketingPage": 0.25,
}

#: How much a level of evidence supports what is claimed (no level given: 0.7).
LEVEL_FACTOR: dict[str, float] = {
    "ClinicalPractice": 1.0,
    "ClinicalPhase4": 1.0,
    "ClinicalPhase3": 0.95,
    "ClinicalPhase2": 0.85,
    "ClinicalStudy": 0.85,
    "Review": 0.8,
    "ClinicalPhase1": 0.75,
    "Observational": 0.75,
    "Preclinical": 0.6,
    "Opinion": 0.4,
}

#: A hedged statement ("may", "suggests") counts for less than an asserted one.
CERTAINTY_FACTOR: dict[str, float] = {"Asserted": 1.0, "Hedged": 0.6}


@dataclass(frozen=True, slots=True)
class Statement:
    """What the weight needs of one statement: its ``document`` (any id), the document's
    ``source_type``, the evidence ``level``, the ``certainty`` and whether it is ``negated``.

    >>> Statement("d1", "ScienceNews", "Review").negated
    False
    """

    document: str
    source_type: str | None
    level: str | None
    certainty: str | None = "Asserted"
    negated: bool = False


@dataclass(frozen=True)
class Weight:
    """A claim's evidence weight: ``value`` in [0, 1] (``support`` lowered by ``against``), the
    independent ``documents`` that assert it, how many of them are research
    (``research_documents``), whether it is ``corroborated``, and ``reason``: one sentence that
    says why.

    >>> w = claim_weight([Statement("d1", "ResearchOverview", "Review")])
    >>> w.value, w.documents, w.corroborated
    (0.6, 1, False)
    """

    value: float
    support: float
    against: float
    documents: int
    research_documents: int
    corroborated: bool
    reason: str


def statement_weight(source_type: str | None, level: str | None, certainty: str | None) -> float:
    """The weight of one statement: source reliability × level factor × certainty factor.

    >>> statement_weight("ResearchOverview", "Review", "Asserted")
    0.6
    >>> statement_weight("ClinicMarketingPage", "ClinicalPractice", "Hedged")
    0.15
    """
    reliability = SOURCE_RELIABILITY.get(source_type or "", 0.5)
    level_factor = LEVEL_FACTOR.get(level or "", 0.7)
    certainty_factor = CERTAINTY_FACTOR.get(certainty or "Asserted", 1.0)
    return round(reliability * level_factor * certainty_factor, 4)


def _rank(st: Statement) -> tuple[float, str, str, str]:
    """How strong a statement is within its document: its weight, then (to break ties the same
    way whatever order the statements come in) its source type, level and certainty."""
    w = statement_weight(st.source_type, st.level, st.certainty)
    return (w, st.source_type or "", st.level or "", st.certainty or "")


def _words(name: str | None) -> str:
    """``ClinicalPhase2`` → ``clinical phase 2``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z0-9])", " ", name or "").lower()


def _kind(st: Statement) -> str:
    level = _words(st.level)
    return f"{_words(st.source_type) or 'source'}{f', {level}' if level else ''}"


_Strength = tuple[tuple[float, str, str, str], str, bool]


@functools.lru_cache(maxsize=4096)
def _strength(source_type: str | None, level: str | None, certainty: str | None) -> _Strength:
    """A statement's :func:`_rank`, :func:`_kind` and whether, asserted, it is research
    (:func:`is_research`): one shared tuple per combination.

    >>> _strength("ScienceNews", "Review", "Asserted")[1:]
    ('science news, review', True)
    """
    st = Statement("", source_type, level, certainty)
    return _rank(st), _kind(st), is_research(source_type, level)


@functools.lru_cache(maxsize=4096)
def _as_research(held: _Strength) -> _Strength:
    """``held`` marked research (a weaker statement of the same document was)."""
    return held[0], held[1], True


def claim_weight(
    statements: Iterable[Statement], *, min_documents: int = CORROBORATING_DOCUMENTS
) -> Weight:
    """The evidence weight of a claim from all its statements (see ``ontology/README.md``).

    Each document counts once, with its strongest statement (:func:`statement_weight`); the
    support of the asserting documents combines as independent chances, ``1 − Π(1 − wᵢ)`` (as
    INDRA's belief scores do), and so does the weight of the denying ones (``against``); the
    claim's weight is ``support × (1 − against)``. A claim is corroborated when at least
    ``min_documents`` independent research documents assert it: marketing and opinion alone never
    corroborate.

    >>> clinic = claim_weight([Statement("clinic", "ClinicMarketingPage", "ClinicalPractice")])
    >>> overview_and_news = claim_weight([Statement("o", "ResearchOverview", "Review"),
    ...                                   Statement("n", "ScienceNews", "Review")])
    >>> clinic.value < overview_and_news.value, overview_and_news.corroborated
    (True, True)
    >>> print(clinic.reason)
    0.25: asserted only by 1 document (clinic marketing page, clinical practice), which is marketing or opinion and corroborates nothing.
    """
    return claim_weight_basis(statements).weight(min_documents=min_documents)


@dataclass(frozen=True)
class WeightBasis:
    """What a claim's weight is computed from, and all it needs: for the asserting documents, how
    many have their strongest statement of each weight and kind (``pro``: ``(w, kind) → n``), for
    the denying ones how many of each weight (``con``), and how many asserting documents are
    research (``research``). Stored on the claim (``kgo:weightBasis``, :meth:`text`), so an update
    that adds documents to a claim many documents make computes what a rebuild does without
    reading the claim's statements again.

    >>> b = WeightBasis({(0.6, "research overview, review"): 2}, {0.2: 1}, 2)
    >>> WeightBasis.parse(b.text()) == b
    True
    """

    pro: dict[tuple[float, str], int]
    con: dict[float, int]
    research: int

    def text(self) -> str:
        """The basis as the build stores it: JSON with sorted keys, bins in a fixed order."""
        return json.dumps(
            {
                "pro": [[w, k, n] for (w, k), n in sorted(self.pro.items())],
                "con": [[w, n] for w, n in sorted(self.con.items())],
                "research": self.research,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @classmethod
    def parse(cls, text: str) -> WeightBasis:
        """The basis of :meth:`text`."""
        data = json.loads(text)
        return cls(
            {(float(w), str(k)): int(n) for w, k, n in data["pro"]},
            {float(w): int(n) for w, n in data["con"]},
            int(data["research"]),
        )

    def weight(self, *, min_documents: int = CORROBORATING_DOCUMENTS) -> Weight:
        """The claim's :class:`Weight` (bins combined in sorted order: the same floats whatever
        order the statements came in)."""
        support = 1.0 - math.prod((1.0 - w) ** n for (w, _), n in sorted(self.pro.items()))
        against = 1.0 - math.prod((1.0 - w) ** n for w, n in sorted(self.con.items()))
        value = round(support * (1.0 - against), 2)
        research = self.research
        corroborated = research >= min_documents
        n, n_con = sum(self.pro.values()), sum(self.con.values())
        ranked = [k for (w, k), c in sorted(self.pro.items(), key=lambda x: (-x[0][0], x[0][1]))
                  for _ in range(min(c, 3))][:3]  # fmt: skip
        kinds = "; ".join(ranked) + ("; …" if n > 3 else "")
        if not n:
            reason = f"{value:.2f}: no document asserts it" + (
                f"; {n_con} deny it." if n_con else "."
            )
        elif research == 0:
            reason = (
                f"{value:.2f}: asserted only by {n} document{'s' if n != 1 else ''} ({kinds}), "
                f"which {'are' if n != 1 else 'is'} marketing or opinion and "
                f"{'corroborate' if n != 1 else 'corroborates'} nothing."
            )
        else:
            reason = (
                f"{value:.2f}: asserted by {n} independent document{'s' if n != 1 else ''} "
                f"({kinds}), {research} of them research"
                + (", so corroborated" if corroborated else "")
            )
            reason += (
                f"; {n_con} denying document{'s lower' if n_con != 1 else ' lowers'} it from "
                f"{support:.2f}."
                if n_con
                else "."
            )
        return Weight(
            value, round(support, 4), round(against, 4), n, research, corroborated, reason
        )


class WeightTally:
    """A claim's statements as they arrive, reduced to what :func:`claim_weight` needs: per
    document its strongest asserting and strongest denying statement, and whether it asserts the
    claim as research. ``weight()`` is exactly ``claim_weight`` of every statement added, in any
    order; :meth:`seed` starts it from a stored :class:`WeightBasis` (documents the update does
    not touch), to which the documents added after are new.

    >>> t = WeightTally()
    >>> for st in [Statement("o", "ResearchOverview", "Review"), Statement("o", "ResearchOverview", "Opinion"),
    ...            Statement("n", "ScienceNews", "Review")]:
    ...     t.add(st)
    >>> t.weight() == claim_weight([Statement("n", "ScienceNews", "Review"),
    ...                             Statement("o", "ResearchOverview", "Review")])
    True
    >>> seeded = WeightTally()
    >>> seeded.seed(WeightBasis.parse(claim_weight_basis([Statement("o", "ResearchOverview", "Review")]).text()))
    >>> seeded.add(Statement("n", "ScienceNews", "Review"))
    >>> seeded.weight() == t.weight()
    True
    """

    __slots__ = ("_con", "_pro", "_seed")

    def __init__(self) -> None:
        # document → (rank, kind, research) of its strongest asserting statement, research when
        # any of its asserting statements is; the values are shared (:func:`_strength`), so a
        # million documents' tallies hold one dict entry per document and claim, nothing more
        self._pro: dict[str, _Strength] = {}
        self._con: dict[str, _Strength] | None = None  # … denying statement (made when needed)
        self._seed: WeightBasis | None = None

    def add(self, st: Statement) -> None:
        """Count one statement of the claim."""
        self.count(st.document, st.source_type, st.level, st.certainty, st.negated)

    def count(
        self,
        document: str,
        source_type: str | None,
        level: str | None,
        certainty: str | None,
        negated: bool,
    ) -> _Strength:
        """:meth:`add` of ``Statement(document, source_type, level, certainty, negated)``, without
        making the Statement (the build counts millions); the statement's :func:`_strength`."""
        key = _strength(source_type, level, certainty)
        if negated:
            if self._con is None:
                self._con = {}
            held = self._con.get(document)
            if held is None or key[0] > held[0]:
                self._con[document] = key
            return key
        held = self._pro.get(document)
        if held is None:
            self._pro[document] = key
        elif key[0] > held[0]:
            self._pro[document] = _as_research(key) if held[2] and not key[2] else key
        elif key[2] and not held[2]:
            self._pro[document] = _as_research(held)
        return key

    def documents(self) -> tuple[int, int]:
        """How many documents assert the claim and how many deny it (the seed's included).

        >>> t = WeightTally(); t.add(Statement("a", "ScienceNews", "Review"))
        >>> t.add(Statement("a", "ScienceNews", "Review", negated=True)); t.documents()
        (1, 1)
        """
        pro, con = len(self._pro), len(self._con or ())
        if self._seed is not None:
            pro += sum(self._seed.pro.values())
            con += sum(self._seed.con.values())
        return pro, con

    def owner(self) -> str | None:
        """The one document that asserts or denies the claim, when no other does.

        >>> t = WeightTally(); t.add(Statement("a", "ScienceNews", "Review")); t.owner()
        'a'
        >>> t.add(Statement("b", "ScienceNews", "Review", negated=True)); t.owner() is None
        True
        """
        if self._seed is not None and (
            any(self._seed.pro.values()) or any(self._seed.con.values())
        ):
            return None
        docs = {*self._pro, *(self._con or ())}
        return next(iter(docs)) if len(docs) == 1 else None

    def seed(self, basis: WeightBasis) -> None:
        """Start from the stored ``basis`` of documents whose statements are not added again."""
        self._seed = basis

    def basis(self) -> WeightBasis:
        """The :class:`WeightBasis` of every statement added (and the seed)."""
        pro: dict[tuple[float, str], int] = dict(self._seed.pro) if self._seed else {}
        con: dict[float, int] = dict(self._seed.con) if self._seed else {}
        research = self._seed.research if self._seed else 0
        for rank, kind, is_res in self._pro.values():
            key = (rank[0], kind)
            pro[key] = pro.get(key, 0) + 1
            research += is_res
        for rank, _, _ in (self._con or {}).values():
            con[rank[0]] = con.get(rank[0], 0) + 1
        return WeightBasis(pro, con, research)

    def weight(self, *, min_documents: int = CORROBORATING_DOCUMENTS) -> Weight:
        """:func:`claim_weight` of every statement added."""
        return self.basis().weight(min_documents=min_documents)


def claim_weight_basis(statements: Iterable[Statement]) -> WeightBasis:
    """The :class:`WeightBasis` of a claim's statements.

    >>> claim_weight_basis([Statement("d", "ScienceNews", "Review")]).pro
    {(0.52, 'science news, review'): 1}
    """
    tally = WeightTally()
    for st in statements:
        tally.add(st)
    return tally.basis()


#: ``weight_order`` of a claim that is not corroborated is at least this (its top bit). Every
#: order is below 2**50, exact as a double (JSON, JavaScript). Stored as an integer-valued
#: ``xsd:decimal``: Virtuoso 7.2 turns an ``xsd:integer`` beyond 32 bits into a decimal, so a
#: served store would not give back the build's triples; a decimal every store keeps, and
#: Oxigraph compares it inline, as it does integers.
UNCORROBORATED_ORDER = 1 << 49


def weight_order(weight: str, research_documents: int, claim: str) -> int:
    """Where a claim stands in the order readers rank claims by, as one integer to sort
    ascending (``kgo:weightOrder``): corroborated claims first (below
    :data:`UNCORROBORATED_ORDER`), then the heavier ``weight`` (as stored, two places), then
    more ``research_documents``, then the claim's IRI term ``claim`` (the first 18 bits of its
    digest, which sort as the IRIs do; equal keys fall back to the IRI). A query takes the 100
    heaviest claims from one index scan of small integers instead of comparing weights and
    IRIs read claim by claim, and the key depends on the claim alone, so an update that
    recounts a claim rewrites its key with it. (An IRI not of the build's ``claim-<digest>``
    form adds 0: its ties fall back to the IRI.)

    >>> c = "<https://w3id.org/kgraph/assertion/claim-00000000000000000000000a>"
    >>> weight_order("0.9", 3, c) < weight_order("0.8", 9, c) < weight_order("0.8", 2, c)
    True
    >>> weight_order("1", 1, c) >= UNCORROBORATED_ORDER > weight_order("0", 2, c)
    True
    """
    digest = claim.rpartition("claim-")[2][:5]
    hexadecimal = len(digest) == 5 and all(ch in "0123456789abcdef" for ch in digest)
    ordered = int(digest, 16) >> 2 if hexadecimal else 0  # 18 bits
    corroborated = research_documents >= CORROBORATING_DOCUMENTS
    heavier = 100 - int(Decimal(weight) * 100)  # 0 … 100: 7 bits
    more = (1 << 24) - 1 - min(research_documents, (1 << 24) - 1)  # 24 bits
    return (0 if corroborated else UNCORROBORATED_ORDER) | heavier << 42 | more << 18 | ordered


def weight_text(value: float) -> str:
    """A weight as the build stores it (``xsd:decimal``, two places, in the canonical form a
    store writes back, so every build and update of the same claims writes the same text).

    >>> weight_text(0.7), weight_text(1.0), weight_text(0.0), weight_text(0.254)
    ('0.7', '1', '0', '0.25')
    """
    return format(Decimal(f"{value:.2f}").normalize(), "f")


@dataclass(frozen=True)
class StoredWeight:
    """A claim's evidence weight as the build stored it in the claim summary: the ``claim``'s
    IRI, ``value`` (``kgo:evidenceWeight``), ``reason`` (``kgo:weightReason``), its supporting
    ``documents`` and ``research_documents`` (``kgo:researchDocumentCount``) and whether it is
    ``corroborated`` (at least :data:`CORROBORATING_DOCUMENTS` research documents).

    >>> StoredWeight("c", 0.6, "0.60: …", 1, 1).corroborated
    False
    """

    claim: str
    value: float
    reason: str
    documents: int
    research_documents: int

    @property
    def corroborated(self) -> bool:
        return self.research_documents >= CORROBORATING_DOCUMENTS


def claim_weights(store: Store) -> dict[str, StoredWeight]:
    """The stored weight of every claim of the store, by the claim's IRI (empty for a store
    built before weights were stored: rebuild it).

    >>> from kgraph import load
    >>> stored = claim_weights(load().store)
    >>> all(0 <= w.value <= 1 and w.reason.startswith(weight_text(w.value)[:3]) for w in stored.values())
    True
    """
    return {claim: w for claim, _, w in _stored(store)}


def _stored(store: Store) -> Iterator[tuple[str, tuple[str, str, str], StoredWeight]]:
    for r in store.query(internal("claim-weights")).rows:
        claim, s, p, o, value, reason, documents, research = (t.value for t in r)
        yield (
            claim,
            (s, p, o),
            StoredWeight(claim, float(value), reason, int(documents), int(research)),
        )


def weights(store: Store) -> dict[tuple[str, str, str], StoredWeight]:
    """The stored weight of every ``(subject, predicate, object)`` of the store: the heaviest of
    its claims (a relation can be claimed bare and with qualifiers, each its own claim; ties go
    to the claim IRI first in order), which the explorer draws as line width.

    >>> from kgraph import load
    >>> w = weights(load().store)
    >>> k = ("https://w3id.org/kgraph/entity/ketamine", "https://w3id.org/kgraph/ontology#antagonistOf",
    ...      "https://w3id.org/kgraph/entity/nmda_receptor")
    >>> 0 < w[k].value <= 1 and w[k].documents >= 2
    True
    """
    out: dict[tuple[str, str, str], StoredWeight] = {}
    for _, key, w in sorted(_stored(store), key=lambda x: x[0]):
        if key not in out or w.value > out[key].value:
            out[key] = w
    return out


def recomputed_weights(store: Store) -> dict[str, Weight]:
    """:func:`claim_weight` of every claim of the store computed afresh from its statements
    (``kgo:aboutClaim``), by the claim's IRI: what the stored weights must equal.

    >>> from kgraph import load
    >>> store = load().store
    >>> fresh, stored = recomputed_weights(store), claim_weights(store)
    >>> all(fresh[c].value == w.value and fresh[c].reason == w.reason for c, w in stored.items())
    True
    """
    tallies: dict[str, WeightTally] = {}
    for claim, d, source_type, level, certainty, negated in store.query(
        internal("statements")
    ).rows:
        tallies.setdefault(claim.value, WeightTally()).add(
            Statement(
                f"<{d.value}>",  # as the build's summary names documents (IRI terms)
                source_type.value or None,
                (level.value if level is not None else "") or None,
                certainty.value or None,
                negated.value == "true",
            )
        )
    return {claim: t.weight() for claim, t in tallies.items()}


_COMPARISON = {"Less": "less than", "More": "more than", "Similar": "about as much as"}
_MEDIATION = {"Through": "through", "Independent": "independent of"}


def qualifier_text(
    comparison: str | None = None,
    comparator: str | None = None,
    degree: str | None = None,
    mediation: str | None = None,
    mediator: str | None = None,
) -> str:
    """How a statement's qualifiers read (values by local name or IRI, entities by label):
    ``""`` for a bare statement.

    >>> qualifier_text(comparison="Less", comparator="esketamine")
    'less than esketamine'
    >>> qualifier_text(degree="https://w3id.org/kgraph/ontology#Weak", mediation="Independent",
    ...                mediator="NMDA receptor")
    'weak; independent of NMDA receptor'
    """

    def local(value: str | None) -> str:
        return (value or "").rsplit("#", 1)[-1]

    parts = []
    if comparison:
        parts.append(
            f"{_COMPARISON.get(local(comparison), local(comparison).lower())} "
            f"{comparator or 'the comparator'}"
        )
    if degree:
        parts.append(local(degree).lower())
    if mediation:
        parts.append(
            f"{_MEDIATION.get(local(mediation), local(mediation).lower())} "
            f"{mediator or 'the mediator'}"
        )
    return "; ".join(parts)
