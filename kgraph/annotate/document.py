"""Document level: which compound of a text brought on which condition, judged from everything the
text says about the pair (the rules' proposals, co-occurrence, the words around, the text's main
compound), by a logistic model whose weights and threshold are data (``document.toml``).

>>> from kgraph.model import Mention
>>> t = "Zorbacin-induced seizures in rats."
>>> d = Document("d", t, (Mention("T1", "Compound", (Span(0, 8),), "Zorbacin", ("c:1",)),
...     Mention("T2", "Condition", (Span(17, 25),), "seizures", ("d:1",))))
>>> {pair: round(score, 2) > 0.5 for pair, score in adverse_pairs(d).items()}
{('c:1', 'd:1'): True}
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from types import MappingProxyType

from ..model import Document, Mention, Relation, Span
from .context import add_context
from .priors import add_priors
from .relations import propose_relations
from .rules import Rules, load_rules
from .sentences import split_sentences

__all__ = [
    "ADVERSE",
    "DOCUMENT_RULE",
    "add_adverse_proposals",
    "adverse_features",
    "adverse_pairs",
    "adverse_score",
]


#: The properties that say a compound brought a condition on (BC5CDR's chemical-induced disease).
ADVERSE = frozenset({"hasAdverseEffect", "causes", "induces"})


_COMPOUNDS = ("Compound", "DrugProduct")
_CONDITIONS = ("Condition", "AdverseEffect")  # BC5CDR's diseases; kgraph's harmful effects


def _is(rules: Rules, cls: str, kinds: tuple[str, ...]) -> bool:
    return any(rules.is_a(cls, k) for k in kinds)


def _concepts(m: Mention) -> tuple[str, ...]:
    return m.concepts


def named(m: Mention) -> tuple[str, ...]:
    """A mention's concepts, or for an ungrounded one its lower-cased name (``text:psychosis``).

    >>> named(Mention("T1", "Condition", (Span(0, 9),), "Psychosis"))
    ('text:psychosis',)
    """
    return m.concepts or ("text:" + m.text.lower(),)


def _log(n: float) -> float:
    return math.log1p(n)


def adverse_features(
    doc: Document,
    rules: Rules | None = None,
    sentences: tuple[Span, ...] | None = None,
    proposed: Document | None = None,
    by_text: bool = False,
    priors: dict[str, dict[str, tuple[int, int]]] | None = None,
) -> dict[tuple[str, str], dict[str, float]]:
    """For each (compound concept, condition concept) pair of ``doc``, the evidence the whole text
    gives that the compound brought the condition on: which rules proposed it (and which other
    properties), how often and how close the two share a sentence, the words of those sentences
    (``[adverse.keywords]`` of ``document.toml``), and whether the compound or condition is the
    text's main one (first sentence, most mentioned), and how often the training documents put the
    compound and the condition in adverse pairs (:func:`~kgraph.annotate.priors.add_priors`; ``priors`` default to
    ``adverse-priors.tsv``). ``proposed`` is ``doc`` after
    :func:`propose_relations` and context (computed when not given). ``by_text`` also takes
    ungrounded mentions, keyed by their name (:func:`named`).

    >>> t = "Lithium-induced tremor.\\nTremor followed lithium."
    >>> d = Document("d", t, (Mention("T1", "Compound", (Span(0, 7),), "Lithium", ("c:1",)),
    ...     Mention("T2", "Condition", (Span(16, 22),), "tremor", ("d:1",)),
    ...     Mention("T3", "Condition", (Span(24, 30),), "Tremor", ("d:1",)),
    ...     Mention("T4", "Compound", (Span(40, 47),), "lithium", ("c:1",))))
    >>> f = adverse_features(d)[("c:1", "d:1")]
    >>> f["rule:rel.induced-adjective"], f["main compound"], f["in first sentence"]
    (1.0, 1.0, 1.0)
    >>> f["sentences"] == math.log1p(2)  # counts enter as log(1 + n): two shared sentences
    True
    """
    rules = rules or load_rules()
    keys = named if by_text else _concepts
    sentences = split_sentences(doc.text) if sentences is None else sentences
    if proposed is None:
        bare = Document(doc.id, doc.text, doc.mentions, (), doc.metadata)
        proposed = add_context(propose_relations(bare, rules, sentences), rules, sentences)
    keywords = rules.document.get("keywords", {})
    chem = [m for m in doc.mentions if _is(rules, m.type, _COMPOUNDS) and keys(m)]
    dis = [m for m in doc.mentions if _is(rules, m.type, _CONDITIONS) and keys(m)]
    if not chem or not dis:
        return {}
    ccount = Counter(c for m in chem for c in keys(m))
    dcount = Counter(c for m in dis for c in keys(m))
    out: dict[tuple[str, str], dict[str, float]] = {}
    for a in ccount:
        for b in dcount:
            out[(a, b)] = defaultdict(float)
    for r in proposed.relations:
        if r.by_concept:
            continue
        s, o = proposed.mention(r.subject), proposed.mention(r.object)
        for x, y, back in ((s, o, False), (o, s, True)):
            for a in keys(x):
                for b in keys(y):
                    f = out.get((a, b))
                    if f is None:
                        continue
                    if r.negated:
                        f["negated"] = 1.0
                    elif r.type in ADVERSE and not back:
                        f["rule:" + r.attributes.get("_rule", "?")] = 1.0
                        f["hedged"] = max(f["hedged"], float(r.certainty == "Hedged"))
                    else:
                        f["property:" + r.type] = 1.0
    first = sentences[0] if sentences else Span(0, len(doc.text))
    for i, sent in enumerate(sentences):
        cms = [m for m in chem if m.start >= sent.start and m.end <= sent.end]
        dms = [m for m in dis if m.start >= sent.start and m.end <= sent.end]
        near: dict[tuple[str, str], int] = {}
        for cm in cms:
            for dm in dms:
                gap = max(0, max(cm.start, dm.start) - min(cm.end, dm.end))
                for a in keys(cm):
                    for b in keys(dm):
                        near[(a, b)] = min(near.get((a, b), gap), gap)
        if not near:
            continue  # the sentence's words count only for the pairs it holds
        text = doc.text[sent.start : sent.end]
        words = [k for k, pat in keywords.items() if pat.search(text)]
        for pair, gap in near.items():
            f = out[pair]
            f["sentences"] += 1
            f["within 20 characters"] = max(f["within 20 characters"], float(gap <= 20))
            f["within 60 characters"] = max(f["within 60 characters"], float(gap <= 60))
            for k in words:
                f["word:" + k] += 1
            if i == 0:
                f["together in first sentence"] = 1.0
    # "renal failure" beside "acute renal failure": the broader name is seldom the one meant
    names = {c: {m.covered(doc.text).lower() for m in dis if c in keys(m)} for c in dcount}
    broader = {
        c
        for c, ns in names.items()
        for d, others in names.items()
        if d != c and any(n in o and n != o for n in ns for o in others)
    }
    top_c, top_d = max(ccount.values()), max(dcount.values())
    in_first = {c for m in chem + dis if m.end <= first.end for c in keys(m)}
    for (a, b), f in out.items():
        f["main compound"] = float(ccount[a] == top_c)
        f["main condition"] = float(dcount[b] == top_d)
        f["in first sentence"] = float(a in in_first)
        f["condition in first sentence"] = float(b in in_first)
        f["broader name of another condition"] = float(b in broader)
        f["compound in first sentence, never together"] = float(
            a in in_first and not f["sentences"]
        )
        proposed_pair = any(k.startswith("rule:") for k in f)
        f["proposed by a rule"] = float(proposed_pair)
        f["main compound, proposed"] = f["main compound"] * proposed_pair
        f["main compound, together"] = f["main compound"] * bool(f["sentences"])
        f["main compound, never together"] = f["main compound"] * (not f["sentences"])
        f["main compound and main condition"] = f["main compound"] * f["main condition"]
        f["compound mentions"] = _log(ccount[a])
        f["condition mentions"] = _log(dcount[b])
        f["one of n compounds"] = 1 / len(ccount)
        f["one of n conditions"] = 1 / len(dcount)
        for k in [k for k in f if k == "sentences" or k.startswith("word:")]:
            f[k] = _log(f[k])
    model = rules.document
    return add_priors(
        {k: dict(v) for k, v in out.items()},
        model.get("priors", {}) if priors is None else priors,
        float(model.get("smoothing", 4.0)),
    )


def adverse_score(features: dict[str, float], weights: dict[str, float]) -> float:
    """The probability that the pair is an adverse (chemical-induced) relation: a logistic model
    over :func:`adverse_features`, its weights learned on BC5CDR Training (``document.toml``).

    >>> adverse_score({"rule:x": 1.0}, {"bias": -1.0, "rule:x": 2.0})
    0.7310585786300049
    """
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in features.items())
    return 1 / (1 + math.exp(-z))


def adverse_pairs(
    doc: Document,
    rules: Rules | None = None,
    sentences: tuple[Span, ...] | None = None,
    proposed: Document | None = None,
    by_text: bool = False,
) -> dict[tuple[str, str], float]:
    """The (compound, condition) concept pairs the whole document says are adverse relations,
    with their scores: those at or above ``[adverse] threshold`` of ``document.toml``.

    >>> from kgraph.model import Mention
    >>> t = "Haloperidol-induced catalepsy in rats."
    >>> d = Document("d", t, (Mention("T1", "Compound", (Span(0, 11),), "Haloperidol", ("c:1",)),
    ...     Mention("T2", "Condition", (Span(20, 29),), "catalepsy", ("d:1",))))
    >>> list(adverse_pairs(d))
    [('c:1', 'd:1')]
    """
    rules = rules or load_rules()
    model = rules.document
    weights, threshold = model.get("weights", {}), float(model.get("threshold", 0.5))
    out = {}
    for pair, f in adverse_features(doc, rules, sentences, proposed, by_text).items():
        s = adverse_score(f, weights)
        if s >= threshold:
            out[pair] = s
    return out


#: The id that document-level proposals name in their note.
DOCUMENT_RULE = "rel.document.adverse"


def add_adverse_proposals(
    doc: Document, rules: Rules | None = None, sentences: tuple[Span, ...] | None = None
) -> Document:
    """``doc`` (its proposals already given context) with what :func:`adverse_pairs` finds: a pair
    that only a default rule (no trigger word, ``rel.default.*``) proposed, as treatment say, is
    re-proposed as an adverse relation; a pair that nothing states gets a proposal between the
    closest mentions of the two in one sentence. Either names ``rule=rel.document.adverse`` and
    takes the model's score as its prior; without a trigger word it is never in the High bin.

    >>> from kgraph.annotate.context import add_context
    >>> from kgraph.annotate.relations import propose_relations
    >>> from kgraph.model import Mention
    >>> t = "Zorbacin and seizures.\\nSeizures and zorbacin levels were measured in rats."
    >>> d = Document("d", t, (Mention("T1", "Compound", (Span(0, 8),), "Zorbacin", ("c:1",)),
    ...     Mention("T2", "Condition", (Span(13, 21),), "seizures", ("d:1",)),
    ...     Mention("T3", "Condition", (Span(23, 31),), "Seizures", ("d:1",)),
    ...     Mention("T4", "Compound", (Span(36, 44),), "zorbacin", ("c:1",))))
    >>> d = add_context(propose_relations(d))
    >>> [(r.type, r.note.split(";")[0]) for r in d.relations]
    [('treats', 'rule=rel.default.treats'), ('treats', 'rule=rel.default.treats')]
    >>> [(r.type, r.note.split(";")[0]) for r in add_adverse_proposals(d).relations]
    [('causes', 'rule=rel.document.adverse'), ('causes', 'rule=rel.document.adverse')]
    """
    rules = rules or load_rules()
    sentences = split_sentences(doc.text) if sentences is None else sentences
    pairs = adverse_pairs(doc, rules, sentences, proposed=doc, by_text=True)
    if not pairs:
        return doc
    by_pair: dict[frozenset[str], list[Relation]] = defaultdict(list)
    for r in doc.relations:
        if not r.by_concept:
            s, o = doc.mention(r.subject), doc.mention(r.object)
            # "less dissociation than esketamine": the comparator's pair is stated by the comparison
            third = [doc.mention(x) for x in (r.comparator, r.mediator) if x]
            for a in [c for m in (s, *third) for c in named(m)]:
                for b in named(o):
                    by_pair[frozenset((a, b))].append(r)
    n = max((int(r.id[1:]) for r in doc.relations if r.id[1:].isdigit()), default=0)
    retyped: dict[str, Relation] = {}
    new = []
    for (a, b), score in sorted(pairs.items()):
        stated = by_pair.get(frozenset((a, b)), [])
        if stated:
            if all(_is_default(r) for r in stated):
                for r in stated:
                    moved = _adverse(doc, r, rules, score)
                    if moved is not None:
                        retyped[r.id] = moved
            continue
        best = _closest(doc, sentences, a, b)
        if best is None:
            continue  # never together in a sentence: no evidence to show a reviewer
        n += 1
        moved = _adverse(doc, Relation(f"R{n}", "", best[0].id, best[1].id), rules, score)
        if moved is not None:
            new.append(moved)
    if not new and not retyped:
        return doc
    todo = Document(doc.id, doc.text, doc.mentions, (*retyped.values(), *new), doc.metadata)
    placed = {r.id: r for r in add_context(todo, rules, sentences).relations}
    rels = tuple(placed.get(r.id, r) for r in doc.relations) + tuple(placed[r.id] for r in new)
    return Document(doc.id, doc.text, doc.mentions, rels, doc.metadata, doc.source, doc.line)


def _is_default(r: Relation) -> bool:
    return (
        r.proposed
        and r.type not in ADVERSE
        and r.attributes.get("_rule", "").startswith("rel.default.")
    )


def _closest(doc: Document, sentences: tuple[Span, ...], a: str, b: str):
    """The closest (compound mention, condition mention) of concepts ``a`` and ``b`` in one sentence."""
    best = None
    for sent in sentences:
        inside = [m for m in doc.mentions if sent.start <= m.start and m.end <= sent.end]
        for s in (m for m in inside if a in named(m)):
            for o in (m for m in inside if b in named(m)):
                gap = max(0, max(s.start, o.start) - min(s.end, o.end))
                if best is None or gap < best[0]:
                    best = (gap, s, o)
    return None if best is None else best[1:]


def _adverse(doc: Document, r: Relation, rules: Rules, score: float) -> Relation | None:
    """``r`` as an adverse proposal of the document model (compound first), or None if no
    adverse property takes its ends."""
    s, o = doc.mention(r.subject), doc.mention(r.object)
    if not _is(rules, s.type, _COMPOUNDS):
        s, o = o, s
    prop = next((p for p in ("hasAdverseEffect", "causes") if rules.fits(p, s.type, o.type)), None)
    if prop is None:
        return None
    attrs = {"_rule": DOCUMENT_RULE, "_prior": f"{score:.3f}"}
    return Relation(
        r.id,
        prop,
        s.id,
        o.id,
        attributes=MappingProxyType(attrs),
        note=f"rule={DOCUMENT_RULE}; score={score:.2f}",
        proposed=True,
    )
