"""The lexicon matcher: Aho–Corasick over the ontology's labels, synonyms and identifiers.

Names are matched on whole words; the longest match wins. Short names and short forms written in
capitals and digits ("HNK", "AMPA", "CYP2B6") match only in the case the lexicon gives them; every other name
matches in any case, together with its plural, its hyphen/space twin and the inflected or adjectival
variants of ``entities.toml`` ("depression" → "depressive"). Names of the stoplist never match alone.
Names and text are *folded* alike before matching (:func:`fold`: lower case, dashes as spaces,
British spellings and Greek letters after the ``[fold]`` table of ``entities.toml``), so "oedema",
"TNF-α" and "anti inflammatory" find "edema", "TNF-alpha" and "anti-inflammatory". A short form the
document defines ("SD (spreading depression)") means what its long form means there, and nothing
when its long form grounds nowhere; a list sharing a head ("renal and hepatic toxicity") gives each
member the entity of "member + head" when the lexicon has that name. Each match carries a grounding
score (label 1.0, synonym 0.9, variant 0.8, …) and the id of the rule that made it.

>>> m = Matcher.from_lexicon()
>>> [(h.text, h.concept, h.type) for h in m.find("Esketamine nasal spray blocks NMDA receptors.")]
[('Esketamine nasal spray', 'kg:esketamine', 'Enantiomer'), ('NMDA receptors', 'kg:nmda_receptor', 'Receptor')]
>>> [h.text for h in m.find("the hnk level")]  # a short form in the wrong case is no match
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

from ..grounding import Lexicon
from ..model import Span
from .abbreviations import Abbreviation
from .candidates import find_candidates
from .names import (
    PLAIN,
    Entry,
    Fold,
    Hit,
    fold,
    lexicon_entries,
    load_fold,
    variants,
    with_variants,
)
from .rules import Rules, load_rules

__all__ = [
    "CAPITALS",
    "UNDEFINED",
    "Entry",
    "Fold",
    "Hit",
    "Matcher",
    "fold",
    "load_fold",
    "variants",
    "with_variants",
]

# a short form: mostly capitals and digits ("HNK", "5-HT", "CYP2B6", "NMDAR"), no long lower-case run
_SHORT_FORM = re.compile(r"^(?=.*[A-Z0-9].*[A-Z0-9])(?!.*[a-z]{4})\S{1,10}$")
# an all-capitals short form, digits and dashes allowed, maybe a plural "s" ("SD", "5-HT", "NSAIDs")
CAPITALS = re.compile(r"^(?=.*[A-Z])[A-Z0-9-]{1,8}s?$")
#: prefix of a ``drop`` key that drops a short form only where the document does not define it
UNDEFINED = "undefined:"
# a list member before a head it shares with the next name: "renal and (hepatic toxicity)"
_MEMBER_BEFORE = re.compile(
    r"(?<![\w-])([A-Za-z][\w'-]*)(?:\s*,\s*(?:and\s+|or\s+|and/or\s+)?|\s+(?:and|or|and/or|nor)\s+)$"
)


class Matcher:
    """Two Aho–Corasick automata: one over folded text (:func:`fold`), one case-sensitive for short
    forms. ``drop`` holds keys (:meth:`key`) never to match, e.g. names a corpus rarely annotates;
    a key written ``undefined:KEY`` drops the all-capitals short form KEY ("SD", "MAP", "NSAIDs")
    only in documents that do not define it. ``folding=False`` only lower-cases (a plain
    dictionary, the benchmarks' baseline).

    >>> m = Matcher([Entry("brain edema", "x:1", "Condition", 1.0, "d")])
    >>> [(h.text, h.concept) for h in m.find("Brain oedema was seen.")]
    [('Brain oedema', 'x:1')]
    >>> Matcher([Entry("brain edema", "x:1", "Condition", 1.0, "d")], drop={"brain edema"}).find(
    ...     "brain edema")
    []
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        rules: Rules | None = None,
        drop: Iterable[str] = (),
        folding: bool = True,
    ) -> None:
        self.rules = rules or load_rules()
        self.fold = load_fold() if folding else PLAIN
        self._dashes = folding
        self._short = int(self.rules.matching.get("short_form_length", 4))
        self._insensitive: dict[str, Entry] = {}
        self._sensitive: dict[str, Entry] = {}
        drop = frozenset(drop)
        dropped = frozenset(k for k in drop if not k.startswith(UNDEFINED))
        self._undefined_dropped = frozenset(
            k[len(UNDEFINED) :] for k in drop if k.startswith(UNDEFINED)
        )
        for e in entries:
            name = e.name.strip()
            if not name or name.lower() in self.rules.stoplist:
                continue
            sensitive = self._is_sensitive(name)
            table = self._sensitive if sensitive else self._insensitive
            key = name if sensitive else self._fold(name)[0]
            if key in dropped:
                continue
            old = table.get(key)
            if old is None or e.score > old.score:
                table[key] = Entry(name, e.concept, e.type, e.score, e.rule)
        self._ai = self._automaton(self._insensitive)
        self._as = self._automaton(self._sensitive)
        self._stems: dict[str | None, frozenset[str]] | None = None  # built when first needed

    def _fold(self, text: str) -> tuple[str, list[int] | None]:
        return fold(text, self.fold, self._dashes)

    def _is_sensitive(self, name: str) -> bool:
        return len(name) <= self._short or bool(_SHORT_FORM.match(name))

    def key(self, name: str) -> str:
        """The table key of a name: the name itself for a short form, else its folded form.

        >>> m = Matcher([])
        >>> m.key("HNK"), m.key("Haemorrhagic-cystitis")
        ('HNK', 'hemorrhagic cystitis')
        """
        return name if self._is_sensitive(name) else self._fold(name)[0]

    def entry(self, name: str) -> Entry | None:
        """The entry a piece of text matches as a whole, if any.

        >>> m = Matcher.from_lexicon()
        >>> m.entry("Ketamine").concept, m.entry("hnk")
        ('kg:ketamine', None)
        """
        name = name.strip()
        return self._sensitive.get(name) or self._insensitive.get(self._fold(name)[0])

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
        folded, where = self._fold(text)
        n_text = len(text)
        if len(self._ai):
            for end_idx, (n, e) in self._ai.iter(folded):
                fs = end_idx + 1 - n
                if where is None:
                    start, end = fs, end_idx + 1
                else:
                    start, end = where[fs], where[end_idx] + 1
                if start > 0 and text[start - 1].isalnum():
                    continue
                if end < n_text and text[end].isalnum():
                    continue
                hits.append(Hit(start, end, text[start:end], e.concept, e.type, e.score, e.rule))
        if len(self._as):
            for end_idx, (n, e) in self._as.iter(text):
                end = end_idx + 1
                start = end - n
                if start > 0 and text[start - 1].isalnum():
                    continue
                if end < n_text and text[end].isalnum():
                    continue
                hits.append(Hit(start, end, text[start:end], e.concept, e.type, e.score, e.rule))
        abbreviations = tuple(abbreviations)
        if self._undefined_dropped:
            defined = {a.short for a in abbreviations}
            hits = [h for h in hits if h.text not in self._undefined_dropped or h.text in defined]
        if abbreviations:
            hits = self._defined_here(text, abbreviations, hits)
        if hits:
            hits.extend(self._members(text, hits))
        if self.rules.exclusions:
            hits = [h for h in hits if not self._excluded(text, h)]
        return _resolve(hits)

    def _defined_here(
        self, text: str, abbreviations: tuple[Abbreviation, ...], hits: list[Hit]
    ) -> list[Hit]:
        """The document's own short forms: each occurrence means what its long form means here. A
        lexicon match of the same letters for another entity is dropped; so is one whose long form
        grounds nowhere, unless that long form shares a word stem with the entity's names
        ("pentetrazol (PTZ)" keeps PTZ → pentylenetetrazole, "standard deviation (SD)" drops SD →
        spreading depression)."""
        defined = self._abbreviation_hits(text, abbreviations, hits)
        meaning: dict[str, str | None] = {a.short: None for a in abbreviations}
        longs = {a.short: a.long for a in abbreviations}
        for h in defined:
            meaning[h.text] = h.concept
        kept = []
        for h in hits:
            if h.text in meaning and h.rule != "lex.abbreviation":
                m = meaning[h.text]
                if m is not None and m != h.concept:
                    continue
                if m is None and not (_stems(longs[h.text]) & self._concept_stems(h.concept)):
                    continue
            kept.append(h)
        return kept + defined

    def _concept_stems(self, concept: str | None) -> frozenset[str]:
        if self._stems is None:
            stems: dict[str | None, set[str]] = {}
            for e in (*self._insensitive.values(), *self._sensitive.values()):
                stems.setdefault(e.concept, set()).update(_stems(e.name))
            self._stems = {k: frozenset(v) for k, v in stems.items()}
        return self._stems.get(concept, frozenset())

    def _members(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Members of a list that share the head of the name after them: "renal and hepatic
        toxicity" gives "renal" the entity of "renal toxicity" when the lexicon names it."""
        out: list[Hit] = []
        for h in hits:
            if h.rule in ("lex.abbreviation", "lex.composite") or " " not in h.text.strip():
                continue
            head = h.text.split(None, 1)[1]
            pos = h.start
            while pos > 0:
                m = _MEMBER_BEFORE.search(text, max(0, pos - 60), pos)
                if m is None:
                    break
                e = self._insensitive.get(self._fold(f"{m.group(1)} {head}")[0])
                if e is None:
                    break
                out.append(
                    Hit(
                        m.start(1),
                        m.end(1),
                        m.group(1),
                        e.concept,
                        e.type,
                        e.score,
                        "lex.composite",
                    )
                )
                pos = m.start(1)
        return out

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
                e = self.entry(a.long)
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
        return find_candidates(self, text, taken, sentences, abbreviations)


def _stems(name: str) -> frozenset[str]:
    """The first four letters of each word of four letters or more (folded)."""
    return frozenset(w[:4] for w in re.findall(r"[a-z]{4,}", fold(name)[0]))


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
    return Matcher(lexicon_entries(lexicon, rules), rules)
