"""The annotation pipeline: each stage a pure function from a :class:`~kgraph.model.Document` to a
new one, composed by :func:`annotate_document`.

1. :func:`~kgraph.annotate.sentences.split_sentences` and
   :func:`~kgraph.annotate.abbreviations.find_abbreviations` read the text;
2. :func:`match_entities` adds lexicon mentions, then general MeSH names where the lexicon found
   nothing (:mod:`~kgraph.annotate.general`), then low-confidence unknown-entity candidates;
3. :func:`~kgraph.annotate.relations.propose_relations` adds relations from trigger rules;
4. :func:`~kgraph.annotate.context.add_context` sets negation, certainty, level and qualifiers,
   and :func:`~kgraph.annotate.document.add_adverse_proposals` adds what the document-level
   adverse model finds;
5. :func:`assign_confidence` puts each proposal in a confidence bin (High only when :func:`firm`).

Proposed mentions are recorded in ``Document.metadata`` under ``proposal:T<n>`` as
``rule=ID; score=S; confidence=BIN`` (the writer turns them into brat attributes and notes).

>>> doc = annotate_text("Ketamine, an NMDA receptor antagonist, may relieve depression in mice.")
>>> [(m.text, m.concepts) for m in doc.mentions]
[('Ketamine', ('kg:ketamine',)), ('NMDA receptor antagonist', ('kg:nmda_receptor_antagonist',)), ('depression', ('kg:depression',))]
>>> [(r.type, r.certainty, r.evidence_level, r.confidence) for r in doc.relations]
[('memberOf', 'Asserted', 'Preclinical', 'High'), ('treats', 'Hedged', 'Preclinical', 'Medium')]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType

from ..grounding import Lexicon
from ..model import Document, Mention, Relation, Span
from .abbreviations import Abbreviation, find_abbreviations
from .context import add_context
from .document import add_adverse_proposals
from .general import RULE as GENERAL_RULE
from .general import general_hits, general_matcher
from .matcher import Matcher
from .relations import propose_relations
from .rules import Rules, load_rules
from .sentences import split_sentences

__all__ = [
    "Settings",
    "annotate_document",
    "annotate_text",
    "assign_confidence",
    "confidence_bin",
    "firm",
    "match_entities",
    "type_by_use",
]

CONFIDENCES = ("High", "Medium", "Low")


@dataclass(frozen=True)
class Settings:
    """Switches of the pipeline (keyword-only in :func:`annotate_document`).

    >>> [m.text for m in annotate_text("Zorbamine and ketamine.", settings=Settings(candidates=False)).mentions]
    ['ketamine']
    """

    candidates: bool = True  # propose unknown-entity candidates
    keep_mentions: bool = False  # keep the document's own mentions instead of matching the lexicon
    relations: bool = True
    general: bool = True  # the general MeSH name layer after the lexicon (kgraph.annotate.general)
    document: bool = True  # the document-level adverse model (kgraph.annotate.document)
    type_by_use: bool = (
        True  # general-layer conditions mostly drug-induced in training → AdverseEffect
    )


def match_entities(
    doc: Document,
    matcher: Matcher,
    abbreviations: tuple[Abbreviation, ...] = (),
    *,
    candidates: bool = True,
    sentences: tuple[Span, ...] = (),
    general: Matcher | None = None,
) -> Document:
    """``doc`` with a proposed mention for every lexicon match (then ``general`` match, then
    candidate) of its text; a later layer fills only the text the earlier ones left free.

    >>> d = match_entities(Document("d", "Ketamine and Zorbamine."), Matcher.from_lexicon())
    >>> [(m.id, m.text, m.proposed) for m in d.mentions], d.metadata["proposal:T2"]
    ([('T1', 'Ketamine', True), ('T2', 'Zorbamine', True)], 'rule=cand.drug-suffix; score=0.30')
    """
    hits = matcher.find(doc.text, abbreviations)
    if general is not None:
        more = general_hits(general, doc.text, hits, abbreviations)
        hits = sorted([*hits, *more], key=lambda h: h.start)
    if candidates:
        more = matcher.candidates(doc.text, hits, sentences, abbreviations)
        hits = sorted([*hits, *more], key=lambda h: h.start)
    taken = [(m.start, m.end) for m in doc.mentions]
    mentions = list(doc.mentions)
    meta = dict(doc.metadata)
    n = max((int(m.id[1:]) for m in doc.mentions if m.id[1:].isdigit()), default=0)
    for h in hits:
        if any(h.start < b and a < h.end for a, b in taken):
            continue
        n += 1
        mid = f"T{n}"
        concepts = (h.concept,) if h.concept else ()
        mentions.append(
            Mention(mid, h.type, (Span(h.start, h.end),), h.text, concepts, proposed=True)
        )
        meta[f"proposal:{mid}"] = f"rule={h.rule}; score={h.score:.2f}"
    return Document(
        doc.id,
        doc.text,
        tuple(mentions),
        doc.relations,
        MappingProxyType(meta),
        doc.source,
        doc.line,
    )


def type_by_use(doc: Document, rules: Rules | None = None) -> Document:
    """``doc`` with each condition the general MeSH layer found typed ``AdverseEffect`` when
    training abstracts mostly name its MeSH id as brought on by a drug: it was in a CID pair in at
    least ``[adverse] adverse_effect_share`` of the BC5CDR Training abstracts that held it
    (``adverse-priors.tsv``). The class depends on the id alone, so one entity has one class in
    every document. Lexicon entities keep the lexicon's class.

    >>> d = annotate_text("Seizures and hypertension were recorded.", settings=Settings(relations=False))
    >>> [(m.text, m.type) for m in d.mentions]
    [('Seizures', 'AdverseEffect'), ('hypertension', 'Condition')]
    """
    rules = rules or load_rules()
    share = float(rules.document.get("adverse_effect_share", 2.0))
    seen = rules.document.get("priors", {}).get("condition", {})
    mentions, changed = [], False
    for m in doc.mentions:
        counts = seen.get(m.concepts[0]) if m.type == "Condition" and len(m.concepts) == 1 else None
        if (
            counts
            and m.proposed
            and m.concepts[0].startswith("MESH:")
            and counts[1] >= share * counts[0]
            and f"rule={GENERAL_RULE};" in doc.metadata.get(f"proposal:{m.id}", "") + ";"
        ):
            m, changed = replace(m, type="AdverseEffect"), True
        mentions.append(m)
    if not changed:
        return doc
    return Document(
        doc.id, doc.text, tuple(mentions), doc.relations, doc.metadata, doc.source, doc.line
    )


def _score(doc: Document, mention_id: str) -> float:
    note = doc.metadata.get(f"proposal:{mention_id}")
    if not note:
        return 1.0  # the source's own mention
    for part in note.split(";"):
        k, _, v = part.strip().partition("=")
        if k == "score":
            return float(v)
    return 1.0


def confidence_bin(score: float, rules: Rules | None = None) -> str:
    """High / Medium / Low for a proposal score, with the thresholds of ``calibration.toml``.

    >>> confidence_bin(0.9), confidence_bin(0.1)
    ('High', 'Low')
    """
    rules = rules or load_rules()
    bins = rules.calibration.get("bins", {})
    if score >= float(bins.get("high", 0.6)):
        return "High"
    if score >= float(bins.get("medium", 0.4)):
        return "Medium"
    return "Low"


def mention_bin(score: float, rules: Rules | None = None) -> str:
    """High / Medium / Low for a mention's grounding score (``[matching]`` of ``entities.toml``).

    >>> mention_bin(1.0), mention_bin(0.8), mention_bin(0.3)
    ('High', 'Medium', 'Low')
    """
    m = (rules or load_rules()).matching
    if score >= m.get("mention_high", 0.9):
        return "High"
    return "Medium" if score >= m.get("mention_medium", 0.6) else "Low"


def relation_score(doc: Document, r: Relation, rules: Rules | None = None) -> float:
    """How likely a proposed relation is right: its rule's calibrated precision, lowered by weak
    grounding of its ends and by long distances between them."""
    rules = rules or load_rules()
    rid = r.attributes.get("_rule", "")
    cal = rules.calibration.get("rules", {})
    prior = float(cal.get(rid, r.attributes.get("_prior", 0.5)))
    s, o = doc.mention(r.subject), doc.mention(r.object)
    grounding = min(_score(doc, s.id), _score(doc, o.id))
    gap = max(0, max(s.start, o.start) - min(s.end, o.end))
    distance = 1.0 if gap <= 60 else 0.85 if gap <= 120 else 0.7
    return prior * grounding * distance


def firm(doc: Document, r: Relation, rules: Rules | None = None) -> bool:
    """Whether a proposal may be in the High bin: a trigger word spoke (no default or adjacency
    rule), both ends are grounded, the trigger and both ends share one clause (no "but", ";",
    "which" between them), and the statement is asserted (not hedged, not a question).

    >>> d = annotate_text("Ketamine blocks NMDA receptors.")
    >>> firm(d, d.relations[0])
    True
    >>> d = annotate_text("Ketamine may block NMDA receptors.")
    >>> firm(d, d.relations[0]), d.relations[0].confidence
    (False, 'Medium')
    """
    rules = rules or load_rules()
    trig = r.attributes.get("_trigger")
    if not trig or r.certainty != "Asserted" or r.question:
        return False
    s, o = doc.mention(r.subject), doc.mention(r.object)
    if not s.concepts or not o.concepts:
        return False
    a, b = (int(x) for x in trig.split("-"))
    lo, hi = min(s.start, o.start, a), max(s.end, o.end, b)
    return rules.terminators.search(doc.text, lo, hi) is None and "\n" not in doc.text[lo:hi]


def assign_confidence(doc: Document, rules: Rules | None = None) -> Document:
    """``doc`` with a ``Confidence`` on every proposed relation and mention.

    >>> d = match_entities(Document("d", "Zorbamine."), Matcher.from_lexicon())
    >>> assign_confidence(d).mentions[0].confidence
    'Low'
    """
    rules = rules or load_rules()
    mentions = tuple(
        replace(m, confidence=mention_bin(_score(doc, m.id), rules))
        if m.proposed and not m.confidence
        else m
        for m in doc.mentions
    )
    out = []
    for r in doc.relations:
        if not r.proposed:
            out.append(r)
            continue
        score = relation_score(doc, r, rules)
        is_firm = firm(doc, r, rules)
        attrs = {**r.attributes, "_score": f"{score:.3f}", "_firm": "1" if is_firm else "0"}
        conf = confidence_bin(score, rules)
        if conf == "High" and not is_firm:  # a High proposal must also be firm
            conf = "Medium"
        out.append(replace(r, confidence=conf, attributes=MappingProxyType(attrs)))
    return Document(doc.id, doc.text, mentions, tuple(out), doc.metadata, doc.source, doc.line)


def annotate_document(
    doc: Document,
    *,
    lexicon: Lexicon | None = None,
    rules: Rules | None = None,
    matcher: Matcher | None = None,
    general: Matcher | None = None,
    settings: Settings = Settings(),
) -> Document:
    """Run every stage over ``doc``: mentions, relations, context, confidence. ``general`` is the
    general MeSH layer's matcher (default: over the packaged table) when ``settings.general``.

    >>> d = annotate_document(Document("d", "Ketamine blocks NMDA receptors.",
    ...                                metadata={"source_type": "OpinionArticle"}))
    >>> [(r.type, r.evidence_level, r.confidence) for r in d.relations]
    [('antagonistOf', 'Opinion', 'High')]
    """
    rules = rules or load_rules()
    sentences = split_sentences(doc.text)
    if not settings.keep_mentions:
        matcher = matcher or Matcher.from_lexicon(lexicon, rules)
        doc = match_entities(
            doc,
            matcher,
            find_abbreviations(doc.text),
            candidates=settings.candidates,
            sentences=sentences,
            general=(general or general_matcher(lexicon, rules)) if settings.general else None,
        )
        if settings.type_by_use:
            doc = type_by_use(doc, rules)
    if settings.relations:
        doc = propose_relations(doc, rules, sentences)
        doc = add_context(doc, rules, sentences)
        if settings.document:
            doc = add_adverse_proposals(doc, rules, sentences)
    return assign_confidence(doc, rules)


def annotate_text(text: str, doc_id: str = "doc", **options) -> Document:
    """Annotate a string (see :func:`annotate_document` for the options).

    >>> [r.negated for r in annotate_text("Ketamine did not block NMDA receptors.").relations]
    [True]
    """
    metadata = options.pop("metadata", {})
    return annotate_document(
        Document(doc_id, text, metadata=MappingProxyType(dict(metadata))), **options
    )
