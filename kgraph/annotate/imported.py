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

from dataclasses import replace

from ..model import Document, Span
from .context import level_for, statement_context
from .rules import Rules, load_rules
from .sentences import sentence_of, split_sentences

__all__ = ["IMPORTED_FORMATS", "add_levels_and_certainty"]

#: Formats whose relations come without level or certainty.
IMPORTED_FORMATS = frozenset({"pubtator", "bioc-xml", "bioc-json", "pubannotation", "brat"})


def add_levels_and_certainty(doc: Document, rules: Rules | None = None) -> Document:
    """``doc`` with evidence levels and certainty read from its text (see the module docstring).

    >>> d = Document("1", "A randomised trial of drug X for pain.", metadata={"format": "kgraph"})
    >>> add_levels_and_certainty(d) is d  # a kgraph corpus sets its own levels
    True
    """
    if doc.metadata.get("format") not in IMPORTED_FORMATS or not doc.relations:
        return doc
    todo = [r for r in doc.relations if r.evidence_level is None and r.certainty == "Asserted"]
    if not todo:
        return doc
    rules = rules or load_rules()
    text = doc.text
    sentences = split_sentences(text)
    if not sentences:
        return doc
    doc_level = level_for(doc.metadata.get("title", "") + "\n" + text, rules)
    by_concept: dict[str, list] = {}
    for m in doc.mentions:
        for c in m.concepts:
            by_concept.setdefault(c, []).append(m)
    out = []
    changed = False
    for r in doc.relations:
        if r not in todo:
            out.append(r)
            continue
        pairs = []
        if r.by_concept:
            subs, objs = by_concept.get(r.subject, []), by_concept.get(r.object, [])
            for s in subs:
                i = sentence_of(sentences, s.start)
                for o in objs:
                    if sentence_of(sentences, o.start) == i:
                        pairs.append((i, s, o))
        else:
            try:
                s, o = doc.mention(r.subject), doc.mention(r.object)
            except KeyError:
                out.append(r)
                continue
            pairs.append((sentence_of(sentences, min(s.start, o.start)), s, o))
        level = None
        hedged = []
        for i, s, o in pairs[:3]:
            sent = sentences[i]
            lo, hi = sent.start, max(sent.end, s.end, o.end)
            ctx = statement_context(
                text[lo:hi],
                Span(s.start - lo, s.end - lo),
                Span(o.start - lo, o.end - lo),
                None,
                rules,
            )
            level = level or ctx.level
            hedged.append(ctx.certainty == "Hedged")
        level = level or (doc_level[0] if doc_level else None)
        certainty = "Hedged" if hedged and all(hedged) else r.certainty
        if level is None and certainty == r.certainty:
            out.append(r)
            continue
        changed = True
        out.append(replace(r, certainty=certainty, evidence_level=level))
    if not changed:
        return doc
    return Document(doc.id, doc.text, doc.mentions, tuple(out), doc.metadata, doc.source, doc.line)
