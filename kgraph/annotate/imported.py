"""Evidence levels and hedging for imported corpora (BC5CDR, BioRED, PubTator, BioC, PGxCorpus).

Their relations carry no level and no certainty. :func:`add_levels_and_certainty` reads them from the
text with the same cue tables as ``kgraph annotate``: a relation between two mentions is looked at in
its sentence; a document-level relation (PubTator, BioC) in the sentences where mentions of both its
concepts meet. A relation gets

- an evidence level when a level cue speaks in those sentences, else in the document (title and
  abstract: "in rats", "randomized", "review"); never from the source type alone;
- ``Hedged`` when every one of those sentences hedges it ("may", "suggest");
- nothing else: the source's own relation is never negated by a cue.

Relations that already have a level or a certainty other than ``Asserted`` are left as they are,
and so are the documents of the kgraph formats (whose annotators set both).

>>> from kgraph.model import Document, Mention, Relation, Span
>>> t = "Drug X in rats.\\nDrug X may induce seizures in rats."
>>> d = Document("1", t, (Mention("M1", "Chemical", (Span(21, 27),), "Drug X", ("MESH:1",)),
...     Mention("M2", "Disease", (Span(38, 46),), "seizures", ("MESH:2",))),
...     (Relation("R1", "CID", "MESH:1", "MESH:2", by_concept=True),), {"format": "pubtator"})
>>> r = add_levels_and_certainty(d).relations[0]
>>> r.evidence_level, r.certainty
('Preclinical', 'Hedged')
"""

from __future__ import annotations

import re._constants as _c
import re._parser as _parser
from dataclasses import dataclass, replace
from typing import Any

import ahocorasick

from ..model import Document, Span
from .context import _clause, _spans
from .rules import Cue, Rules, load_rules
from .sentences import sentence_of, split_sentences

__all__ = ["IMPORTED_FORMATS", "add_levels_and_certainty", "level_and_hedged"]

#: Formats whose relations come without level or certainty.
IMPORTED_FORMATS = frozenset({"pubtator", "bioc-xml", "bioc-json", "pubannotation", "brat"})

_SHORTEST = 3  # a cue whose every match starts with a string this long can be looked for first
_MAX_PREFIXES = 256


def _exact(items: list) -> set[str] | None:
    """Every string the parsed pattern ``items`` can match, when they are few (zero-width tests
    count as matching nothing: a superset), else ``None``.

    >>> sorted(_exact(list(_parser.parse("(is|are) (thought )?to"))))
    ['are thought to', 'are to', 'is thought to', 'is to']
    """
    acc = {""}
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op is _c.LITERAL:
            got: set[str] | None = {chr(av)}
        elif op is _c.SUBPATTERN:
            got = _exact(list(av[3]))
        elif op is _c.BRANCH:
            got = set()
            for branch in av[1]:
                one = _exact(list(branch))
                if one is None:
                    return None
                got |= one
        elif op is _c.MAX_REPEAT and av[0] == 0 and av[1] == 1:
            one = _exact(list(av[2]))
            got = None if one is None else one | {""}
        else:
            return None
        if got is None or len(acc) * len(got) > _MAX_PREFIXES:
            return None
        acc = {a + g for a in acc for g in got}
    return acc


def _prefixes(items: list) -> set[str]:
    """Strings one of which every match of the parsed pattern ``items`` starts with ("" when
    a match may start with anything: the caller then cannot rule the pattern out).

    >>> sorted(_prefixes(list(_parser.parse(r"(?<![\\w-])(?:(may|might)\\b|can)"))))
    ['can', 'may', 'might']
    """
    acc = {""}
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: they consume nothing
        whole = _exact([(op, av)])
        if whole is not None and len(acc) * len(whole) <= _MAX_PREFIXES:
            acc = {a + w for a in acc for w in whole}
            continue
        if op is _c.SUBPATTERN:
            heads = _prefixes(list(av[3]))
        elif op is _c.BRANCH:
            heads = set()
            for branch in av[1]:
                heads |= _prefixes(list(branch))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
            heads = _prefixes(list(av[2]))
        else:
            heads = {""}
        if len(acc) * len(heads) <= _MAX_PREFIXES:
            acc = {a + h for a in acc for h in heads}
        break
    return acc


def _needles(cue: Cue) -> set[str] | None:
    """The case-folded strings one of which every match of ``cue`` starts with, or ``None`` when
    that is not known (the cue is then always tried)."""
    try:
        found = _prefixes(list(_parser.parse(cue.pattern.pattern, cue.pattern.flags)))
    except Exception:  # pragma: no cover - the pattern compiled, so it parses
        return None
    if not found or any(len(x) < _SHORTEST or not x.isascii() for x in found):
        return None  # short strings rule nothing out; non-ASCII ones fold in other ways
    return {x.casefold() for x in found}


@dataclass(frozen=True)
class _Finder:
    """The cues of one :class:`Rules` that a sentence may hold, found with one Aho–Corasick pass
    over it (``pyahocorasick``): a cue whose first words are not in the sentence cannot match."""

    rules: Rules
    automaton: Any
    always: frozenset[int]  # ids of the cues that are always tried

    def candidates(self, text: str) -> set[int]:
        """Ids of the cues that may match ``text``."""
        found = set(self.always)
        for _, ids in self.automaton.iter(fold(text)):
            found.update(ids)
        return found


_FINDERS: dict[int, _Finder] = {}

#: The characters outside ASCII that ``re.IGNORECASE`` matches with an ASCII letter and that
#: ``str.casefold`` does not turn into it (ſ and the Kelvin sign it does).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i"})


def fold(text: str) -> str:
    """``text`` case-folded so that an ASCII cue word matching it under ``re.IGNORECASE`` is in it.

    >>> fold("Dıd İt ſuggest")
    'did it suggest'
    """
    return text.casefold() if text.isascii() else text.translate(_FOLD).casefold()


def _finder(rules: Rules) -> _Finder:
    got = _FINDERS.get(id(rules))
    if got is None or got.rules is not rules:
        automaton = ahocorasick.Automaton()
        always = set()
        by_needle: dict[str, set[int]] = {}
        for cue in (*rules.hedging, *rules.question, *rules.levels):
            needles = _needles(cue)
            if needles is None:
                always.add(id(cue))
            else:
                for x in needles:
                    by_needle.setdefault(x, set()).add(id(cue))
        for x, ids in by_needle.items():
            automaton.add_word(x, tuple(ids))
        if by_needle:
            automaton.make_automaton()
        got = _FINDERS[id(rules)] = _Finder(
            rules, automaton if by_needle else _Empty(), frozenset(always)
        )
    return got


class _Empty:
    """An automaton that finds nothing (no cue had first words)."""

    def iter(self, text: str) -> list:
        return []


def _first_level(text: str, rules: Rules, maybe: set[int]) -> Cue | None:
    """The first level cue (in table order) with a non-empty match in ``text``; only the cues in
    ``maybe`` can have one."""
    for cue in rules.levels:
        if id(cue) in maybe:
            for m in cue.pattern.finditer(text):
                if m.start() != m.end():
                    return cue
    return None


def level_and_hedged(
    sentence: str, subject: Span, object: Span, rules: Rules | None = None
) -> tuple[str | None, bool]:
    """The evidence level and whether the statement is hedged, as
    :func:`kgraph.annotate.context.statement_context` says them for a statement without a trigger
    (``ctx.level``, ``ctx.certainty == "Hedged"``), reading only the cues these two need: a
    sentence costs one Aho–Corasick pass, plus a scan for each cue whose first words it holds.

    >>> level_and_hedged("In rats, drug X may induce seizures.", Span(9, 15), Span(27, 35))
    ('Preclinical', True)
    >>> level_and_hedged("Drug X induces seizures.", Span(0, 6), Span(15, 23))
    (None, False)
    """
    rules = rules or load_rules()
    maybe = _finder(rules).candidates(sentence)
    cue = _first_level(sentence, rules, maybe)
    level = cue.value if cue is not None else None
    if not any(id(c) in maybe for c in (*rules.hedging, *rules.question)):
        return level, False
    later = object if object.start >= subject.start else subject
    a0 = later.start
    blocked = _spans(rules.pseudo, sentence)
    clause0 = None
    for cues, question in ((rules.hedging, False), (rules.question, True)):
        for cue in cues:
            if id(cue) not in maybe:
                continue
            for m in cue.pattern.finditer(sentence):
                cs, ce = m.start(), m.end()
                if cs == ce or any(cs < b and a < ce for a, b in blocked):
                    continue
                if question:
                    if cs <= a0:
                        return level, True
                    continue
                if cue.scope == "sentence":
                    return level, True
                if cue.scope == "forward" and cs <= a0:
                    if clause0 is None:
                        clause0 = _clause(sentence, rules.terminators, a0, later.end)[0]
                    if cs >= clause0:
                        return level, True
    return level, False


def add_levels_and_certainty(doc: Document, rules: Rules | None = None) -> Document:
    """``doc`` with evidence levels and certainty read from its text (see the module docstring).

    >>> d = Document("1", "A randomised trial of drug X for pain.", metadata={"format": "kgraph"})
    >>> add_levels_and_certainty(d) is d  # a kgraph corpus sets its own levels
    True
    """
    if doc.metadata.get("format") not in IMPORTED_FORMATS or not doc.relations:
        return doc
    todo = {id(r) for r in doc.relations if r.evidence_level is None and r.certainty == "Asserted"}
    if not todo:
        return doc
    rules = rules or load_rules()
    text = doc.text
    sentences = split_sentences(text)
    if not sentences:
        return doc
    doc_level = None
    doc_level_read = False
    by_concept: dict[str, list] = {}
    where: dict[int, int] = {}  # id(mention) → its sentence
    for m in doc.mentions:
        for c in m.concepts:
            by_concept.setdefault(c, []).append(m)
    seen: dict[tuple[int, ...], tuple[str | None, bool]] = {}
    out = []
    changed = False
    for r in doc.relations:
        if id(r) not in todo:
            out.append(r)
            continue
        pairs = []
        if r.by_concept:
            subs, objs = by_concept.get(r.subject, []), by_concept.get(r.object, [])
            for o in objs:
                if id(o) not in where:
                    where[id(o)] = sentence_of(sentences, o.start)
            for s in subs:
                i = sentence_of(sentences, s.start)
                for o in objs:
                    if where[id(o)] == i:
                        pairs.append((i, s, o))
                        if len(pairs) == 3:
                            break
                if len(pairs) == 3:
                    break
        else:
            try:
                s, o = doc.mention(r.subject), doc.mention(r.object)
            except KeyError:
                out.append(r)
                continue
            pairs.append((sentence_of(sentences, min(s.start, o.start)), s, o))
        level = None
        hedged = []
        for i, s, o in pairs:
            sent = sentences[i]
            lo, hi = sent.start, max(sent.end, s.end, o.end)
            key = (lo, hi, s.start, s.end, o.start, o.end)
            got = seen.get(key)
            if got is None:
                got = seen[key] = level_and_hedged(
                    text[lo:hi],
                    Span(s.start - lo, s.end - lo),
                    Span(o.start - lo, o.end - lo),
                    rules,
                )
            level = level or got[0]
            hedged.append(got[1])
        if not level:
            if not doc_level_read:  # the document's own level: read once, when a relation needs it
                title_text = doc.metadata.get("title", "") + "\n" + text
                found = _first_level(title_text, rules, _finder(rules).candidates(title_text))
                doc_level, doc_level_read = ((found.value or "") if found else None), True
            level = doc_level
        certainty = "Hedged" if hedged and all(hedged) else r.certainty
        if level is None and certainty == r.certainty:
            out.append(r)
            continue
        changed = True
        out.append(replace(r, certainty=certainty, evidence_level=level))
    if not changed:
        return doc
    return Document(doc.id, doc.text, doc.mentions, tuple(out), doc.metadata, doc.source, doc.line)
