"""The names a matcher looks for: lexicon entries, their variants, and how names and text are folded.

Names and text are *folded* alike before matching (:func:`fold`): lower case, dashes as spaces, and
the British spellings and Greek letters of the ``[fold]`` table of ``entities.toml``. Each name also
brings its plural, its hyphen/space twin and the inflected or adjectival variants of that file
(:func:`variants`).

>>> fold("Haemorrhagic-cystitis")[0]
'hemorrhagic cystitis'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..grounding import Lexicon
from ..model import Span
from ..vocab import KG
from .rules import Rules, _data

__all__ = [
    "PLAIN",
    "Entry",
    "Fold",
    "Hit",
    "fold",
    "lexicon_entries",
    "load_fold",
    "variants",
    "with_variants",
]

_KGO = "https://w3id.org/kgraph/ontology#"


@dataclass(frozen=True, slots=True)
class Entry:
    """One name the matcher looks for.

    >>> from kgraph.annotate.matcher import Matcher
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

    >>> from kgraph.annotate.matcher import Matcher
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


@dataclass(frozen=True, slots=True)
class Fold:
    """Spelling pairs folded alike in names and text: ``pattern`` finds a spelling, ``to`` maps it
    (lower case) to its folded form.

    >>> f = load_fold()
    >>> f.to["oedem"], f.to["α"]
    ('edem', 'alpha')
    """

    pattern: re.Pattern[str] | None
    to: dict[str, str]


@lru_cache(maxsize=1)
def load_fold() -> Fold:
    """The ``[fold]`` table of the packaged ``entities.toml`` (spelling → folded spelling)."""
    pairs = {k.lower(): v.lower() for k, v in _data("entities.toml", None).get("fold", {}).items()}
    if not pairs:
        return Fold(None, {})
    alternatives = "|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True))
    return Fold(re.compile(alternatives), pairs)


# dashes fold to a space ("anti-inflammatory" = "anti inflammatory"), a typographic apostrophe to "'"
_SAME_LENGTH = str.maketrans({**{c: " " for c in "-\u2010\u2011\u2012\u2013"}, "\u2019": "'"})


PLAIN = Fold(None, {})


def fold(text: str, table: Fold | None = None, dashes: bool = True) -> tuple[str, list[int] | None]:
    """``text`` lower-cased, dashes as spaces, spellings of ``table`` folded; with the map from
    each folded character to its character in ``text`` (None when the lengths are the same).
    ``fold(text, PLAIN, dashes=False)`` only lower-cases.

    >>> folded, where = fold("Tumour-like OEDEMA")
    >>> folded, where[:5], where[-1]
    ('tumor like edema', [0, 1, 2, 3, 5], 17)
    >>> fold("anti-inflammatory")
    ('anti inflammatory', None)
    """
    lower = text.lower()
    if len(lower) != len(text):  # a few characters change length when lower-cased
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if dashes:
        lower = lower.translate(_SAME_LENGTH)
    table = load_fold() if table is None else table
    if table.pattern is None or table.pattern.search(lower) is None:
        return lower, None
    pieces: list[str] = []
    where: list[int] = []
    pos = 0
    for m in table.pattern.finditer(lower):
        a, b = m.span()
        rep = table.to[m.group()]
        pieces.append(lower[pos:a])
        where.extend(range(pos, a))
        pieces.append(rep)
        # each folded character points into the spelling it replaces; the last one at its end
        where.extend(a + min(i, b - a - 1) for i in range(len(rep) - 1))
        where.append(b - 1)
        pos = b
    pieces.append(lower[pos:])
    where.extend(range(pos, len(lower)))
    return "".join(pieces), where


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
    if len(name) < 5 or not name[-1] == "s" or name.endswith(("ss", "us", "is", "os", "ys")):
        return []
    if name.endswith("as"):  # "arthralgias" → "arthralgia", but "gas", "pancreas" stay
        return [name[:-1]] if name.endswith("ias") else []
    if name.endswith("ies"):
        return [name[:-3] + "y"]
    if name.endswith(("ches", "shes", "xes")):
        return [name[:-2]]
    return [name[:-1]]


def variants(name: str, rules: Rules) -> list[tuple[str, str]]:
    """``(variant, rule id)`` pairs for a name: plural, hyphen/space twin, table variants.

    >>> from kgraph.annotate.rules import load_rules
    >>> sorted(v for v, _ in variants("major depression", load_rules()))
    ['major depressions', 'major depressive', 'major-depression']
    """
    out: list[tuple[str, str]] = [(p, "var.plural") for p in _plural(name)]
    out += [(p, "var.singular") for p in _singular(name)]
    if " " in name:
        out.append((name.replace(" ", "-"), "var.hyphen"))
    elif "-" in name and not name.startswith("-"):
        out.append((name.replace("-", " "), "var.hyphen"))
    if "'s " in name:  # an eponym with and without its possessive ("Parkinson's disease")
        out.append((name.replace("'s ", " "), "var.possessive"))
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

    >>> from kgraph.annotate.rules import load_rules
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


def lexicon_entries(lexicon: Lexicon, rules: Rules) -> list[Entry]:
    """The lexicon's labels, synonyms, hidden labels and identifiers as entries, with the variants
    of each name (exact names first, so a variant never displaces a name with the same key).

    >>> from kgraph.annotate.rules import load_rules
    >>> es = lexicon_entries(Lexicon.load(), load_rules())
    >>> next(e.rule for e in es if e.name == "ketamine")
    'lex.label'
    """
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
    return with_variants(entries, rules)
