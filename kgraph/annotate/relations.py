"""Relation proposals: trigger words of ``relations.toml`` between two mentions of one sentence,
kept only when an ontology property's domain and range take the two mentions' classes.

>>> from kgraph.model import Document, Mention, Span
>>> text = "Ketamine blocks NMDA receptors."
>>> doc = Document("d", text, (Mention("T1", "Compound", (Span(0, 8),), "Ketamine"),
...                            Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors")))
>>> [(r.type, r.subject, r.object, r.note) for r in propose_relations(doc).relations]
[('antagonistOf', 'T1', 'T2', "rule=rel.antagonist.verb; trigger='blocks'")]
>>> doc2 = Document("d", "NMDA receptors block ketamine.", (Mention("T1", "Receptor", (Span(0, 14),), "NMDA receptors"),
...                 Mention("T2", "Compound", (Span(21, 29),), "ketamine")))
>>> [r.type for r in propose_relations(doc2).relations]  # a receptor is no antagonist of a compound
['decreases']
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from types import MappingProxyType

from ..model import Document, Mention, Relation, Span
from .rules import RelationRule, Rules, load_rules
from .sentences import clause_of, sentence_of, split_sentences

__all__ = ["cooccurrence_relations", "propose_relations"]

# what may not stand between the two ends of a "near" rule: a list or a comparison
_LIST = re.compile(r"\b(and|or|but|nor|versus|vs|than)\b|[,;]", re.IGNORECASE)
_ELIDED = re.compile(
    r"(,\s*|\s)(but|and|while|whereas|yet)\s+(also\s+|not\s+|did\s+not\s+)?$|;\s*$"
)
_APPOSITION = re.compile(r",\s*(an?|the)\s+$", re.IGNORECASE)
_COORD = re.compile(r"^\s*(,|and|or|,\s*and|,\s*or|as well as|/|&)\s*$", re.IGNORECASE)


def _coordinated(first: Mention, pool: list[Mention], text: str, forward: bool) -> list[Mention]:
    """``first`` and the mentions joined to it by "and", "or", commas (in reading direction).

    Going back from a subject, a bare comma joins only a list already joined by "and"/"or"
    ("A, B and C block …"), not a fronted phrase ("Downstream of X, ketamine promotes …").
    """
    out = [first]
    cur = first
    ordered = sorted(pool, key=lambda m: m.start, reverse=not forward)
    joined = forward
    for m in ordered:
        if m is cur or m in out:
            continue
        if forward and m.start >= cur.end and _COORD.match(text[cur.end : m.start]):
            out.append(m)
            cur = m
        elif not forward and m.end <= cur.start:
            sep = text[m.end : cur.start]
            if not _COORD.match(sep) or (sep.strip() == "," and not joined):
                break
            joined = True
            out.append(m)
            cur = m
    return out


def _fitter(rule: RelationRule, rules: Rules):
    """``fits(prop, subject class, object class)``: the property's domain and range, narrowed by
    the rule's own ``subjects`` / ``objects`` classes when it names some."""

    def fits(prop: str, s: str, o: str) -> bool:
        if not rules.fits(prop, s, o):
            return False
        if rule.subjects and not any(rules.is_a(s, c) for c in rule.subjects):
            return False
        return not rule.objects or any(rules.is_a(o, c) for c in rule.objects)

    return fits


def _directed(left: list[Mention], right: list[Mention], ok, text: str):
    """The nearest left end that pairs (``ok``) with a right end, the nearest such right end, and
    the mentions coordinated with each ("ketamine and esketamine block A and B")."""
    firsts = [m for m in reversed(left) if any(ok(m, x) for x in right)]
    if not firsts:
        return []
    seconds = [x for x in right if ok(firsts[0], x)]
    lefts = _coordinated(firsts[0], [m for m in left if ok(m, seconds[0])], text, False)
    rights = _coordinated(seconds[0], seconds, text, True)
    return [(a, b) for a in lefts for b in rights]


def _pairs(
    rule: RelationRule, prop: str, rules: Rules, ms: list[Mention], ts: int, te: int, text: str
):
    """The (subject, object) pairs a trigger at ``ts:te`` gives for ``prop``."""
    fits = _fitter(rule, rules)
    gap = rule.gap
    left = [m for m in ms if m.end <= ts and ts - m.end <= gap]
    right = [m for m in ms if m.start >= te and m.start - te <= gap]
    if rule.order == "SO":
        # "Esketamine, an NMDA receptor antagonist, produced …": the subject is the head, not
        # its apposition
        heads = [m for m in left if not _APPOSITION.search(text, max(0, m.start - 8), m.start)]
        if heads and len(heads) < len(left):
            left = heads
        # "Ketamine raised A and B, but reduced C": a verb after "but"/"and" with no mention
        # between shares the clause's first subject
        if left and _ELIDED.search(text, left[-1].end, ts):
            first = [
                m
                for m in ms
                if m.end <= left[-1].end and any(fits(prop, m.type, o.type) for o in right)
            ]
            left = first[:1]
        return _directed(left, right, lambda a, b: fits(prop, a.type, b.type), text)
    if rule.order == "OS":
        pairs = _directed(left, right, lambda a, b: fits(prop, b.type, a.type), text)
        return [(s, o) for o, s in pairs]
    if rule.order == "nominal":
        objs = [m for m in ms if m.end <= ts and ts - m.end <= 3]
        if not objs:
            return []
        o = objs[-1]
        cands = [m for m in ms if m is not o and fits(prop, m.type, o.type)]
        if not cands:
            return []
        s = min(cands, key=lambda m: min(abs(m.start - te), abs(ts - m.end)))
        return [(s, o)]
    if rule.order == "sentence":  # the subject nearest the trigger, every object that fits it,
        # all in the trigger's clause
        lo, hi = min([ts, *(m.start for m in ms)]), max([te, *(m.end for m in ms)])
        cs, ce = clause_of(text, rules.terminators, ts, te, lo, hi)
        ms = [m for m in ms if m.start >= cs and m.end <= ce]
        subs = [m for m in ms if any(fits(prop, m.type, o.type) for o in ms if o is not m)]
        if not subs:
            return []
        s = min(subs, key=lambda m: min(abs(m.start - te), abs(ts - m.end)))
        return [(s, o) for o in ms if o is not s and fits(prop, s.type, o.type)]
    if rule.order == "after":  # "adding psychotherapy to ketamine": both ends follow the trigger
        for i, a in enumerate(right):
            for b in right[i + 1 :]:
                if fits(prop, a.type, b.type):
                    return [(a, b)]
        return []
    if rule.order == "pair":
        for a in reversed(left):
            for b in right:
                if fits(prop, a.type, b.type):
                    return [(a, b)]
                if fits(prop, b.type, a.type):
                    return [(b, a)]
        return []
    return []


def _default_pairs(rule: RelationRule, prop: str, rules: Rules, ms: list[Mention], text: str):
    """No trigger, the whole sentence: each fitting object with its nearest fitting subject in
    the same clause (a low-prior default for the commonest class pairs)."""
    fits = _fitter(rule, rules)
    out = []
    for o in ms:
        subs = [s for s in ms if s is not o and fits(prop, s.type, o.type)]
        if not subs:
            continue
        s = min(subs, key=lambda m: abs(m.start - o.start))
        lo, hi = min(s.start, o.start), max(s.end, o.end)
        if not rules.terminators.search(text, lo, hi):
            out.append((s, o))
    return out


def _near_pairs(rule: RelationRule, prop: str, rules: Rules, ms: list[Mention], text: str):
    """No trigger: neighbouring mentions at most ``gap`` apart, no list or ``unless`` between;
    each end with the mentions of its class coordinated with it ("intravenous, intranasal and
    oral ketamine": three routes)."""
    fits = _fitter(rule, rules)
    out: list[tuple[Mention, Mention]] = []
    for a, b in itertools.pairwise(ms):
        between = text[a.end : b.start]
        if b.start - a.end > rule.gap or "." in between or _LIST.search(between):
            continue
        if rule.unless is not None and rule.unless.search(between):
            continue
        if not fits(prop, a.type, b.type) and not fits(prop, b.type, a.type):
            continue
        lefts = _coordinated(a, [m for m in ms if m.type == a.type], text, False)
        rights = _coordinated(b, [m for m in ms if m.type == b.type], text, True)
        for x in lefts:
            for y in rights:
                pair = (x, y) if fits(prop, x.type, y.type) else (y, x)
                if pair not in out:
                    out.append(pair)
    return out


def _same(a: Mention, b: Mention) -> bool:
    """Two mentions of one thing: the same concepts, or (ungrounded) the same name."""
    if a.concepts or b.concepts:
        return a.concepts == b.concepts
    return a.text.lower() == b.text.lower()


def propose_relations(
    doc: Document, rules: Rules | None = None, sentences: tuple[Span, ...] | None = None
) -> Document:
    """``doc`` with one proposed relation per (subject, object) pair a rule finds in a sentence.

    >>> d = Document("d", "Esketamine and arketamine block NMDA receptors.", (
    ...     Mention("T1", "Enantiomer", (Span(0, 10),), "Esketamine"),
    ...     Mention("T2", "Enantiomer", (Span(15, 25),), "arketamine"),
    ...     Mention("T3", "Receptor", (Span(32, 46),), "NMDA receptors")))
    >>> [(r.subject, r.type, r.object) for r in propose_relations(d).relations]
    [('T1', 'antagonistOf', 'T3'), ('T2', 'antagonistOf', 'T3')]
    """
    rules = rules or load_rules()
    text = doc.text
    sentences = split_sentences(text) if sentences is None else sentences
    mentions = sorted(doc.mentions, key=lambda m: (m.start, m.end))
    found: dict[tuple[str, str], tuple[float, Relation]] = {}
    n = len(doc.relations)
    i = 0
    for sent in sentences:
        ms = []
        while i < len(mentions) and mentions[i].start < sent.start:
            i += 1
        j = i
        while j < len(mentions) and mentions[j].end <= sent.end:
            ms.append(mentions[j])
            j += 1
        if len(ms) < 2:
            continue
        stext = text[sent.start : sent.end]
        for rule in rules.relations:
            if rule.pattern is None:
                default = rule.order == "sentence"
                pairer = _default_pairs if default else _near_pairs
                # a default speaks only of mentions no trigger rule has related
                related = {x for key in found for x in key} if default else set()
                for prop in rule.properties:
                    for s, o in pairer(rule, prop, rules, ms, text):
                        if s.id not in related and o.id not in related:
                            _keep(found, s, o, prop, rule, None, text)
                continue
            for m in rule.pattern.finditer(stext):
                ts, te = sent.start + m.start(), sent.start + m.end()
                if ts == te or any(x.start < te and ts < x.end for x in ms):
                    continue
                for prop in rule.properties:
                    pairs = _pairs(rule, prop, rules, ms, ts, te, text)
                    for s, o in pairs:
                        _keep(found, s, o, prop, rule, (ts, te), text)
                    if pairs:
                        break
    new = []

    def order(x):
        return doc.mention(x[1].subject).start, doc.mention(x[1].object).start

    # one statement per sentence for the same claim ("depression … depressive" both name one entity)
    seen: set[tuple] = set()
    for _, rel in sorted(found.values(), key=lambda x: (-x[0], order(x))):
        s, o = doc.mention(rel.subject), doc.mention(rel.object)
        key = (sentence_of(sentences, s.start), s.concepts or s.id, rel.type, o.concepts or o.id)
        if key in seen:
            found.pop((rel.subject, rel.object))
        seen.add(key)
    for _, rel in sorted(found.values(), key=order):
        n += 1
        new.append(replace(rel, id=f"R{n}"))
    return Document(
        doc.id, doc.text, doc.mentions, (*doc.relations, *new), doc.metadata, doc.source, doc.line
    )


def _keep(found, s: Mention, o: Mention, prop: str, rule: RelationRule, trig, text: str) -> None:
    if s is o or _same(s, o):
        return
    key = (s.id, o.id)
    if key in found and found[key][0] >= rule.prior:
        return
    if (o.id, s.id) in found and found[(o.id, s.id)][0] >= rule.prior:
        return
    found.pop((o.id, s.id), None)
    note = f"rule={rule.id}"
    attrs = {"_rule": rule.id, "_prior": f"{rule.prior:.3f}"}
    if trig is not None:
        note += f"; trigger={text[trig[0] : trig[1]]!r}"
        attrs["_trigger"] = f"{trig[0]}-{trig[1]}"
    found[key] = (
        rule.prior,
        Relation(
            "R?", prop, s.id, o.id, attributes=MappingProxyType(attrs), note=note, proposed=True
        ),
    )


def cooccurrence_relations(
    doc: Document,
    sentences: tuple[Span, ...] | None = None,
    property_for=lambda s, o: "associatedWith",
) -> Document:
    """The baseline: one relation for each pair of differently grounded mentions in a sentence.

    >>> from kgraph.model import Mention
    >>> d = Document("d", "Aa and Bb. Cc.", (Mention("T1", "Compound", (Span(0, 2),), "Aa", ("x:1",)),
    ...     Mention("T2", "Condition", (Span(7, 9),), "Bb", ("x:2",)),
    ...     Mention("T3", "Condition", (Span(11, 13),), "Cc", ("x:3",))))
    >>> [(r.subject, r.object) for r in cooccurrence_relations(d).relations]
    [('T1', 'T2')]
    """
    text = doc.text
    sentences = split_sentences(text) if sentences is None else sentences
    mentions = sorted(doc.mentions, key=lambda m: m.start)
    out = list(doc.relations)
    n = len(out)
    for sent in sentences:
        ms = [m for m in mentions if m.start >= sent.start and m.end <= sent.end]
        for a_i, a in enumerate(ms):
            for b in ms[a_i + 1 :]:
                if _same(a, b):
                    continue
                prop = property_for(a, b)
                if prop is None:
                    continue
                n += 1
                out.append(
                    Relation(
                        f"R{n}", prop, a.id, b.id, note="rule=baseline.cooccurrence", proposed=True
                    )
                )
    return Document(doc.id, doc.text, doc.mentions, tuple(out), doc.metadata, doc.source, doc.line)
