"""The lexicon matcher: Aho–Corasick over the ontology's labels, synonyms and identifiers.

Names are matched on whole words; the longest match wins. Short names and short forms written in
capitals and digits ("HNK", "AMPA", "CYP2B6") match only in the case the lexicon gives them; every other name
matches in any case, together with its plural, its hyphen/space twin and the inflected or adjectival
variants of ``entities.toml`` ("depression" → "depressive"). Names of the stoplist never match alone.
Each match carries a grounding score (label 1.0, synonym 0.9, variant 0.8, …) and the id of the rule
that made it.

>>> m = Matcher.from_lexicon()
>>> [(h.text, h.concept, h.type) for h in m.find("Esketamine nasal spray blocks NMDA receptors.")]
[('Esketamine nasal spray', 'kg:esketamine', 'Enantiomer'), ('NMDA receptors', 'kg:nmda_receptor', 'Receptor')]
>>> [h.text for h in m.find("the hnk level")]  # a short form in the wrong case is no match
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from ..grounding import Lexicon
from ..model import Span
from ..vocab import KG
from .abbreviations import Abbreviation
from .rules import Rules, load_rules
from .sentences import sentence_of

__all__ = ["Entry", "Hit", "Matcher"]

# a short form: mostly capitals and digits ("HNK", "5-HT", "CYP2B6", "NMDAR"), no long lower-case run
_SHORT_FORM = re.compile(r"^(?=.*[A-Z0-9].*[A-Z0-9])(?!.*[a-z]{4})\S{1,10}$")
_KGO = "https://w3id.org/kgraph/ontology#"


@dataclass(frozen=True, slots=True)
class Entry:
    """One name the matcher looks for.

    >>> m = Matcher([Entry("zorbamine", "x:1", "Compound", 1.0, "mine")])
    >>> [(h.text, h.concept) for h in m.find("Zorbamine works.")]
    [('Zorbamine', 'x:1')]
    """

    name: str
    concept: str  # CURIE
    type: str  # kgo: class local name
    score: float
    rule: str  # lex.label, lex.synonym, lex.variant, …


@dataclass(frozen=True, slots=True)
class Hit:
    """A match: where, what it grounds to, how sure, by which rule.

    >>> h = Matcher.from_lexicon().find("Ketamine.")[0]
    >>> h.span, h.concept, h.score, h.rule
    (Span(start=0, end=8), 'kg:ketamine', 1.0, 'lex.label')
    """

    start: int
    end: int
    text: str
    concept: str | None
    type: str
    score: float
    rule: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def _plural(name: str) -> list[str]:
    last = name.rsplit(" ", 1)[-1]
    if not last[-1:].isalpha() or last[-1:].isupper():
        return [name + "s"] if last[-1:].isupper() and len(last) > 2 else []
    if name.endswith("s"):
        return []
    if name.endswith(("x", "ch", "sh")):
        return [name + "es"]
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return [name[:-1] + "ies"]
    return [name + "s"]


def _singular(name: str) -> list[str]:
    if len(name) < 5 or not name[-1] == "s" or name.endswith(("ss", "us", "is", "as", "os", "ys")):
        return []
    if name.endswith("ies"):
        return [name[:-3] + "y"]
    if name.endswith(("ches", "shes", "xes")):
        return [name[:-2]]
    return [name[:-1]]


def variants(name: str, rules: Rules) -> list[tuple[str, str]]:
    """``(variant, rule id)`` pairs for a name: plural, hyphen/space twin, table variants.

    >>> sorted(v for v, _ in variants("major depression", load_rules()))
    ['major depressions', 'major depressive', 'major-depression']
    """
    out: list[tuple[str, str]] = [(p, "var.plural") for p in _plural(name)]
    out += [(p, "var.singular") for p in _singular(name)]
    if " " in name:
        out.append((name.replace(" ", "-"), "var.hyphen"))
    elif "-" in name and not name.startswith("-"):
        out.append((name.replace("-", " "), "var.hyphen"))
    best = None
    for vid, suffix, reps in rules.variants:
        if name.lower().endswith(suffix) and (best is None or len(suffix) > len(best[1])):
            best = (vid, suffix, reps)
    if best is not None:
        vid, suffix, reps = best
        out.extend((name[: -len(suffix)] + r, vid) for r in reps)
    return [(v, r) for v, r in out if v != name]


def with_variants(entries: Iterable[Entry], rules: Rules) -> list[Entry]:
    """``entries`` and, for each, its variants (scored ``score_variant`` at most), names first.

    >>> [e.name for e in with_variants([Entry("seizure", "x:1", "Condition", 1.0, "d")], load_rules())]
    ['seizure', 'seizures']
    """
    cap = rules.matching.get("score_variant", 0.8)
    out = list(entries)
    more = [
        Entry(v, e.concept, e.type, min(e.score, cap), vid)
        for e in out
        if e.rule != "lex.identifier"
        for v, vid in variants(e.name, rules)
    ]
    return sorted(out + more, key=lambda x: -x.score)


def _is_word_char(c: str) -> bool:
    return c.isalnum()


class Matcher:
    """Two Aho–Corasick automata: one over lower-cased text, one case-sensitive for short forms."""

    def __init__(self, entries: Iterable[Entry], rules: Rules | None = None) -> None:
        self.rules = rules or load_rules()
        short = int(self.rules.matching.get("short_form_length", 4))
        self._insensitive: dict[str, Entry] = {}
        self._sensitive: dict[str, Entry] = {}
        for e in entries:
            name = e.name.strip()
            if not name or name.lower() in self.rules.stoplist:
                continue
            sensitive = len(name) <= short or bool(_SHORT_FORM.match(name))
            table = self._sensitive if sensitive else self._insensitive
            key = name if sensitive else name.lower()
            old = table.get(key)
            if old is None or e.score > old.score:
                table[key] = Entry(name, e.concept, e.type, e.score, e.rule)
        self._ai = self._automaton(self._insensitive)
        self._as = self._automaton(self._sensitive)

    @staticmethod
    def _automaton(table: dict[str, Entry]):
        a = ahocorasick.Automaton()
        for key, e in table.items():
            a.add_word(key, (len(key), e))
        if table:
            a.make_automaton()
        return a

    def __len__(self) -> int:
        return len(self._insensitive) + len(self._sensitive)

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon | None = None, rules: Rules | None = None) -> Matcher:
        """A matcher over the lexicon's labels, synonyms, hidden labels and identifiers."""
        return _from_lexicon(lexicon or Lexicon.load(), rules or load_rules())

    def find(self, text: str, abbreviations: Iterable[Abbreviation] = ()) -> list[Hit]:
        """Non-overlapping hits in ``text``, longest first, then left to right."""
        hits: list[Hit] = []
        lower = text.lower()
        if len(lower) != len(text):  # a few characters change length when lower-cased
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        for automaton, hay in ((self._ai, lower), (self._as, text)):
            if not len(automaton):
                continue
            for end_idx, (n, e) in automaton.iter(hay):
                end = end_idx + 1
                start = end - n
                if start > 0 and _is_word_char(text[start - 1]):
                    continue
                if end < len(text) and _is_word_char(text[end]):
                    continue
                hits.append(Hit(start, end, text[start:end], e.concept, e.type, e.score, e.rule))
        hits.extend(self._abbreviation_hits(text, abbreviations, hits))
        if self.rules.exclusions:
            hits = [h for h in hits if not self._excluded(text, h)]
        return _resolve(hits)

    def _excluded(self, text: str, h: Hit) -> bool:
        ex = self.rules.exclusions
        pats = list(ex.get(h.concept or "", ()))
        for key, more in ex.items():
            if key.startswith("class:") and self.rules.is_a(h.type, key[6:]):
                pats.extend(more)
        if not pats:
            return False
        before = text[max(0, h.start - 40) : h.start]
        after = text[h.end : h.end + 40]
        return any(
            (b is None or b.search(before)) and (a is None or a.search(after)) for b, a in pats
        )

    def _abbreviation_hits(self, text, abbreviations, hits) -> list[Hit]:
        """Short forms defined in the text, grounded through their long form's match."""
        out: list[Hit] = []
        for a in abbreviations:
            if a.short.lower() in self.rules.stoplist:
                continue
            long_hit = next(
                (
                    h
                    for h in hits
                    if h.start <= a.long_span.start + 2 and h.end >= a.long_span.end - 2
                ),
                None,
            )
            if long_hit is None:
                key = a.long.lower()
                e = self._insensitive.get(key) or self._sensitive.get(a.long)
                if e is None:
                    continue
                long_hit = Hit(0, 0, a.long, e.concept, e.type, e.score, e.rule)
            score = min(long_hit.score, self.rules.matching.get("score_abbreviation", 0.85))
            for m in re.finditer(rf"(?<!\w){re.escape(a.short)}(?!\w)", text):
                out.append(
                    Hit(
                        m.start(),
                        m.end(),
                        a.short,
                        long_hit.concept,
                        long_hit.type,
                        score,
                        "lex.abbreviation",
                    )
                )
        return out

    def candidates(
        self,
        text: str,
        taken: Iterable[Hit] | Iterable[Span],
        sentences: tuple[Span, ...] = (),
        abbreviations: Iterable[Abbreviation] = (),
    ) -> list[Hit]:
        """Names the lexicon lacks that look like a drug, receptor, condition, outcome or dose
        (low score), typed by the candidate rule (or its ``alt`` class where its sentence says so).

        >>> [(h.text, h.type) for h in Matcher.from_lexicon().candidates(
        ...     "Zorbamine-induced seizures. Patients with seizures.", [])]
        [('Zorbamine', 'Compound'), ('seizures', 'AdverseEffect'), ('seizures', 'Condition')]
        """
        occupied = sorted((t.start, t.end) for t in taken)
        score = self.rules.matching.get("score_candidate", 0.3)
        out: list[Hit] = []
        for c in self.rules.candidates:
            for m in c.pattern.finditer(text):
                s, e = m.start(), m.end()
                if m.group().lower() in self.rules.stoplist or "\n" in m.group():
                    continue
                if any(s < b and a < e for a, b in occupied):
                    continue
                type_ = c.type
                if c.alt and c.alt_when is not None:
                    sent = _sentence_around(text, sentences, s)
                    if c.alt_when.search(text, sent.start, sent.end):
                        type_ = c.alt
                hit = Hit(s, e, m.group(), None, type_, score, c.id)
                if self.rules.exclusions and self._excluded(text, hit):
                    continue
                out.append(hit)
                occupied.append((s, e))
        # a short form defined by a candidate's name ("… nitrosourea (CCNU)") is that candidate too
        for a in abbreviations:
            long_hit = next(
                (
                    h
                    for h in out
                    if h.start <= a.long_span.start + 2 and h.end >= a.long_span.end - 2
                ),
                None,
            )
            if long_hit is None or a.short.lower() in self.rules.stoplist:
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(a.short)}(?!\w)", text):
                if not any(m.start() < b and a_ < m.end() for a_, b in occupied):
                    out.append(
                        Hit(m.start(), m.end(), a.short, None, long_hit.type, score, long_hit.rule)
                    )
                    occupied.append((m.start(), m.end()))
        return sorted(out, key=lambda h: h.start)


def _sentence_around(text: str, sentences: tuple[Span, ...], pos: int) -> Span:
    if sentences:
        return sentences[sentence_of(sentences, pos)]
    start = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i >= 0]
    return Span(start, min(ends) if ends else len(text))


def _resolve(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (-(h.end - h.start), -h.score, h.start))
    taken: list[tuple[int, int]] = []
    out: list[Hit] = []
    for h in hits:
        if any(h.start < b and a < h.end for a, b in taken):
            continue
        taken.append((h.start, h.end))
        out.append(h)
    return sorted(out, key=lambda h: h.start)


_CACHE: dict[tuple[int, int], tuple[Lexicon, Rules, Matcher]] = {}


def _from_lexicon(lexicon: Lexicon, rules: Rules) -> Matcher:
    key = (id(lexicon), id(rules))
    cached = _CACHE.get(key)
    if cached is None or cached[0] is not lexicon or cached[1] is not rules:
        if len(_CACHE) > 8:
            _CACHE.clear()
        cached = _CACHE[key] = (lexicon, rules, _build(lexicon, rules))
    return cached[2]


def _build(lexicon: Lexicon, rules: Rules) -> Matcher:
    import pyoxigraph as ox

    m = rules.matching
    kinds = {
        "http://www.w3.org/2000/01/rdf-schema#label": ("lex.label", m.get("score_label", 1.0)),
        "http://www.w3.org/2004/02/skos/core#altLabel": (
            "lex.synonym",
            m.get("score_synonym", 0.9),
        ),
        "http://www.w3.org/2004/02/skos/core#hiddenLabel": (
            "lex.hidden",
            m.get("score_hidden", 0.7),
        ),
        "http://purl.org/dc/terms/identifier": ("lex.identifier", m.get("score_identifier", 1.0)),
    }
    entries: list[Entry] = []
    kg = str(KG)
    for path in lexicon.files:
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            e = t.subject.value if isinstance(t.subject, ox.NamedNode) else ""
            kind = kinds.get(t.predicate.value)
            if kind is None or e not in lexicon.entity_class or not e.startswith(kg):
                continue
            cls = lexicon.entity_class[e]
            type_ = cls[len(_KGO) :] if cls.startswith(_KGO) else cls.rsplit("#", 1)[-1]
            curie = "kg:" + e[len(kg) :]
            name = t.object.value
            entries.append(Entry(name, curie, type_, kind[1], kind[0]))
    # exact names first, so a variant never displaces a name with the same key
    return Matcher(with_variants(entries, rules), rules)
