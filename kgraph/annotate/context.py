"""Context of a relation: negation, hedging, research questions, evidence level and the qualifiers
(comparison + comparator, degree, mediation + mediator), from the cue tables of ``cues.toml``.

A relation is looked at from its *anchor*: its trigger word when a rule recorded one, else the
later of its two mentions. A ``forward`` cue governs the anchor when it stands before it in the same clause
(at most ``_REACH`` characters away); a ``backward`` cue when it follows it in the same clause; a
``sentence`` cue whenever it is in the sentence.

>>> from kgraph.model import Document, Mention, Relation, Span
>>> t = "In mice, ketamine did not cause hyperactivity."
>>> d = Document("d", t, (Mention("T1", "Compound", (Span(9, 17),), "ketamine"),
...     Mention("T2", "AdverseEffect", (Span(32, 45),), "hyperactivity")),
...     (Relation("R1", "hasAdverseEffect", "T1", "T2", proposed=True),))
>>> r = add_context(d).relations[0]
>>> r.negated, r.certainty, r.evidence_level, r.note
(True, 'Asserted', 'Preclinical', 'neg=neg.aux-not; level=lvl.preclinical')
>>> statement_context(t, Span(9, 17), Span(32, 45)).negated
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Document, Mention, Span
from .rules import Cue, Rules, load_rules
from .sentences import clause_of, sentence_of, split_sentences

__all__ = ["Context", "add_context", "document_level", "level_for", "statement_context"]

_REACH = 70  # characters a forward/backward cue reaches from its end to the anchor


@dataclass(frozen=True, slots=True)
class Context:
    """What the cues say about one statement; ``notes`` name the cue ids that spoke (``neg=…``).

    >>> statement_context("Ketamine did not cause mania.", Span(0, 8), Span(23, 28)).notes
    ('neg=neg.aux-not',)
    """

    negated: bool = False
    certainty: str = "Asserted"
    question: bool = False
    level: str | None = None
    comparison: str | None = None
    degree: str | None = None
    mediation: str | None = None
    notes: tuple[str, ...] = ()


_MATCHES: dict[tuple[int, str], list[tuple[Cue, int, int]]] = {}


def _matches(cues: tuple[Cue, ...], text: str) -> list[tuple[Cue, int, int]]:
    """Every match of ``cues`` in ``text``, remembered for the next statement of the same sentence."""
    key = (id(cues), text)
    found = _MATCHES.get(key)
    if found is None:
        if len(_MATCHES) > 4096:
            _MATCHES.clear()
        found = _MATCHES[key] = [
            (cue, m.start(), m.end())
            for cue in cues
            for m in cue.pattern.finditer(text)
            if m.start() != m.end()
        ]
    return found


def _hits(cues: tuple[Cue, ...], text: str, blocked: list[tuple[int, int]]):
    for cue, s, e in _matches(cues, text):
        if not any(s < b and a < e for a, b in blocked):
            yield cue, s, e


def _governs(cue: Cue, cs: int, ce: int, anchor: tuple[int, int], clause: tuple[int, int]) -> bool:
    a0, a1 = anchor
    if cue.scope == "sentence":
        return True
    if cue.scope == "clause":  # "no association was found between X and Y": the whole clause
        return clause[0] <= cs and ce <= clause[1]
    if cue.scope == "backward":
        return ce > a1 - 1 and cs >= a0 and clause[0] <= cs <= clause[1] and cs - a1 <= _REACH
    # forward (and phrase): the cue ends before the anchor ends (it may include the trigger: "no increase")
    return cs <= a0 and ce <= a1 and cs >= clause[0] and a0 - ce <= _REACH


def _denies_other(sentence: str, ce: int, others: tuple[Span, ...], ends) -> bool:
    """Whether a mention other than the statement's two ends starts right after a cue ending at ``ce``."""
    gap = len(sentence[ce:]) - len(sentence[ce:].lstrip(" ("))
    nxt = ce + gap
    for s in others:
        if s.start == nxt and not any(s.start < e.end and e.start < s.end for e in ends):
            return True
    return False


def statement_context(
    sentence: str,
    subject: Span,
    object: Span,
    trigger: Span | None = None,
    rules: Rules | None = None,
    others: tuple[Span, ...] = (),
) -> Context:
    """Negation, certainty, question, level and qualifier values of one statement of ``sentence``.

    Offsets are relative to ``sentence``. ``others`` are the sentence's other mentions: a negation
    cue right before one of them denies that one ("ketamine, but not placebo, ..."), not the statement.

    >>> statement_context("Ketamine may reduce suicidal thoughts.", Span(0, 8), Span(20, 37)).certainty
    'Hedged'
    >>> statement_context("There was no increase in anxiety after ketamine.", Span(39, 47), Span(25, 32)).negated
    True
    """
    rules = rules or load_rules()
    later = object if object.start >= subject.start else subject
    anchor = (trigger.start, trigger.end) if trigger else (later.start, later.end)
    clause = clause_of(sentence, rules.terminators, anchor[0], anchor[1])
    blocked = [(m.start(), m.end()) for m in rules.pseudo.finditer(sentence)]
    notes: list[str] = []
    # qualifiers first: what they cover is no negation ("without strongly blocking", "independently of")
    degree = mediation = comparison = None
    covered: list[tuple[int, int]] = list(blocked)
    for cue, cs, ce in _hits(rules.degree, sentence, blocked):
        if clause[0] <= cs and ce <= max(anchor[1], object.end) and anchor[0] - ce <= 40:
            degree = degree or cue.value
            notes.append(f"degree={cue.id}")
            covered.append((cs, ce))
            break
    for cue, cs, ce in _hits(rules.mediation, sentence, blocked):
        if cs >= min(anchor[0], object.start):
            mediation = cue.value
            notes.append(f"mediation={cue.id}")
            covered.append((cs, ce))
            break
    for cue, cs, ce in _hits(rules.comparison, sentence, blocked):
        comparison = cue.value
        notes.append(f"comparison={cue.id}")
        covered.append((cs, ce))
        break
    negated = False
    ends = (subject, object)
    for cue, cs, ce in _hits(rules.negation, sentence, covered):
        if cue.scope in ("forward", "phrase") and _denies_other(sentence, ce, others, ends):
            continue
        if cue.scope == "phrase" and min(subject.start, object.start) >= ce:
            continue  # "without the side effects of ketamine": said inside the denied phrase
        if _governs(cue, cs, ce, anchor, clause):
            negated = True
            notes.append(f"neg={cue.id}")
            break
    certainty = "Asserted"
    for cue, cs, _ce in _hits(rules.hedging, sentence, blocked):
        if cue.scope == "sentence" or (
            cs <= anchor[0] and cs >= clause[0] and cue.scope == "forward"
        ):
            certainty = "Hedged"
            notes.append(f"hedge={cue.id}")
            break
    question = False
    for cue, cs, _ in _hits(rules.question, sentence, blocked):
        if cs <= anchor[0]:
            question = True
            notes.append(f"question={cue.id}")
            certainty = "Hedged"  # a question asserts nothing either
            break
    level = None
    for cue, _, _ in _matches(rules.levels, sentence)[:1]:
        level = cue.value
        notes.append(f"level={cue.id}")
    return Context(negated, certainty, question, level, comparison, degree, mediation, tuple(notes))


def level_for(text: str, rules: Rules | None = None) -> tuple[str, str] | None:
    """The first evidence level whose cue ``text`` holds, with the cue id.

    >>> level_for("A randomised, placebo-controlled phase 2 trial")
    ('ClinicalPhase2', 'lvl.phase2')
    """
    rules = rules or load_rules()
    for cue in rules.levels:
        if cue.pattern.search(text):
            return cue.value or "", cue.id
    return None


def document_level(doc: Document, rules: Rules | None = None) -> tuple[str, str] | None:
    """The document's own evidence level: a cue in its title, or in its whole text for the source
    types that report one study (``[document] whole_text``: abstracts, news of a study); else its
    source type's fallback. An overview or an opinion piece mixes studies: its title alone speaks.

    >>> document_level(Document("d", "A systematic review of ketamine trials."))
    ('Review', 'lvl.review')
    >>> document_level(Document("d", "In mice, it works.", metadata={"source_type": "OpinionArticle"}))
    ('Opinion', 'fallback.OpinionArticle')
    """
    rules = rules or load_rules()
    st = doc.metadata.get("source_type")
    lead = doc.text if st in rules.whole_text or not st else ""
    found = level_for(doc.metadata.get("title", "") + "\n" + lead, rules)
    if found:
        return found
    if st and st in rules.fallback:
        return rules.fallback[st], f"fallback.{st}"
    return None


def _after(text: str, pattern: re.Pattern[str], start: int, ms: list[Mention], skip: set[str]):
    """The first mention (not in ``skip``) right after a match of ``pattern`` at or after ``start``."""
    for m in pattern.finditer(text, start):
        for x in ms:
            if x.id not in skip and x.start >= m.end() and x.start - m.end() <= 40:
                return x
    return None


def _qualify(fields: dict, notes: list[str], name: str, value: str, end: Mention | None) -> None:
    """Record a qualifier and its entity (comparator, mediator), or drop its cue note without one."""
    if end is not None:
        fields[name] = value
        fields["comparator" if name == "comparison" else "mediator"] = end.id
    else:
        notes.remove(next(n for n in notes if n.startswith(name + "=")))


def add_context(
    doc: Document, rules: Rules | None = None, sentences: tuple[Span, ...] | None = None
) -> Document:
    """``doc`` with each proposed mention-level relation's negation, certainty, level and qualifiers set.

    >>> from kgraph.annotate.relations import propose_relations
    >>> d = Document("d", "Ketamine weakly blocks NMDA receptors.", (
    ...     Mention("T1", "Compound", (Span(0, 8),), "Ketamine"),
    ...     Mention("T2", "Receptor", (Span(23, 37),), "NMDA receptors")))
    >>> r = add_context(propose_relations(d)).relations[0]
    >>> r.type, r.degree, r.note
    ('antagonistOf', 'Weak', "rule=rel.antagonist.verb; trigger='blocks'; degree=deg.weak")
    """
    rules = rules or load_rules()
    text = doc.text
    sentences = split_sentences(text) if sentences is None else sentences
    doc_level = document_level(doc, rules)
    out = []
    for r in doc.relations:
        if r.by_concept or not r.proposed:
            out.append(r)
            continue
        s, o = doc.mention(r.subject), doc.mention(r.object)
        lo = min(s.start, o.start)
        sent = sentences[sentence_of(sentences, lo)] if sentences else Span(0, len(text))
        if sent.end < max(s.end, o.end):
            sent = Span(sent.start, max(s.end, o.end))
        base = sent.start
        trig = r.attributes.get("_trigger")
        tspan = None
        if trig:
            a, b = (int(x) for x in trig.split("-"))
            tspan = Span(a - base, b - base)
        stext = text[sent.start : sent.end]
        others = tuple(
            Span(m.start - base, m.end - base)
            for m in doc.mentions
            if sent.start <= m.start and m.end <= sent.end and m.id not in (s.id, o.id)
        )
        ctx = statement_context(
            stext,
            Span(s.start - base, s.end - base),
            Span(o.start - base, o.end - base),
            tspan,
            rules,
            others,
        )
        fields: dict[str, object] = {}
        notes = list(ctx.notes)
        level = ctx.level
        if level is None and doc_level is not None:
            level = doc_level[0]
            notes.append(f"level={doc_level[1]}")
        in_sent = [m for m in doc.mentions if sent.start <= m.start and m.end <= sent.end]
        skip = {s.id, o.id}
        if ctx.comparison:
            comp = _after(
                text,
                rules.comparator,
                max(s.end, o.end) if tspan is None else tspan.end + base,
                in_sent,
                skip,
            )
            _qualify(fields, notes, "comparison", ctx.comparison, comp)
        if ctx.degree:
            fields["degree"] = ctx.degree
        if ctx.mediation:
            cue = next(c for c in rules.mediation if c.value == ctx.mediation)
            med = _after(text, cue.pattern, lo, in_sent, skip)
            _qualify(fields, notes, "mediation", ctx.mediation, med)
        out.append(
            replace(
                r,
                negated=ctx.negated,
                certainty=ctx.certainty,
                evidence_level=level,
                question=ctx.question,
                note="; ".join([r.note or "", *notes]).strip("; "),
                **fields,
            )
        )
    return Document(doc.id, doc.text, doc.mentions, tuple(out), doc.metadata, doc.source, doc.line)
