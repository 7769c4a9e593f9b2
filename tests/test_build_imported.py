"""The imported corpora's levels and hedging (``kgraph.annotate.imported``) made fast, not different.

``add_levels_and_certainty`` used to run the annotator's whole ``statement_context`` on every
statement's sentence, and every level cue over every document; it now reads only the cues it needs
and skips the cues whose first words a sentence does not hold (one Aho–Corasick pass). These tests
hold it to the old computation, kept here as the reference, on the real corpora and on sentences
written to hit the corners (cues blocked by pseudo-cues, clauses, questions, non-ASCII case).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from kgraph import formats
from kgraph.annotate.context import level_for, statement_context
from kgraph.annotate.imported import (
    IMPORTED_FORMATS,
    _needles,
    add_levels_and_certainty,
    fold,
    level_and_hedged,
)
from kgraph.annotate.rules import load_rules
from kgraph.annotate.sentences import sentence_of, split_sentences
from kgraph.model import Document, Mention, Relation, Span


def reference(doc: Document) -> Document:
    """The computation as it was before it was made fast (statement_context on every pair)."""
    if doc.metadata.get("format") not in IMPORTED_FORMATS or not doc.relations:
        return doc
    todo = [r for r in doc.relations if r.evidence_level is None and r.certainty == "Asserted"]
    if not todo:
        return doc
    rules = load_rules()
    text = doc.text
    sentences = split_sentences(text)
    if not sentences:
        return doc
    doc_level = level_for(doc.metadata.get("title", "") + "\n" + text, rules)
    by_concept: dict[str, list] = {}
    mentions = {m.id: m for m in doc.mentions}
    for m in doc.mentions:
        for c in m.concepts:
            by_concept.setdefault(c, []).append(m)
    out = []
    for r in doc.relations:
        if r not in todo:
            out.append(r)
            continue
        pairs = []
        if r.by_concept:
            for s in by_concept.get(r.subject, []):
                i = sentence_of(sentences, s.start)
                for o in by_concept.get(r.object, []):
                    if sentence_of(sentences, o.start) == i:
                        pairs.append((i, s, o))
        elif r.subject in mentions and r.object in mentions:
            s, o = mentions[r.subject], mentions[r.object]
            pairs.append((sentence_of(sentences, min(s.start, o.start)), s, o))
        else:  # a relation between mentions the document does not have: left as it is
            out.append(r)
            continue
        level, hedged = None, []
        for i, s, o in pairs[:3]:
            lo, hi = sentences[i].start, max(sentences[i].end, s.end, o.end)
            sub, obj = Span(s.start - lo, s.end - lo), Span(o.start - lo, o.end - lo)
            ctx = statement_context(text[lo:hi], sub, obj, None, rules)
            level = level or ctx.level
            hedged.append(ctx.certainty == "Hedged")
        level = level or (doc_level[0] if doc_level else None)
        certainty = "Hedged" if hedged and all(hedged) else r.certainty
        if level is None and certainty == r.certainty:
            out.append(r)
        else:
            out.append(replace(r, certainty=certainty, evidence_level=level))
    return Document(doc.id, doc.text, doc.mentions, tuple(out), doc.metadata, doc.source, doc.line)


SENTENCES = [
    "In rats, drug X may induce seizures.",
    "Drug X induces seizures.",
    "Drug X, not only in rats, may not be detected in seizures.",  # a pseudo-cue blocks "not only"
    "We investigated whether drug X induces seizures in mice.",
    "Drug X induces seizures; this may be due to dose.",  # the hedge is in another clause
    "Drug X induces seizures, but it is thought to be rare in a phase II trial.",
    "İn rats, drug X ıs thought to induce seizures.",  # dotless and dotted capital I
    "DRUG X MIGHT INDUCE SEIZURES IN A RANDOMIZED CONTROLLED TRIAL.",
    "A ſystematic review suggeſts drug X induces seizures.",  # long s folds to s
    "To determine the effect of drug X on seizures, patients received it.",
    "If further studies confirm it, drug X induces seizures.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_level_and_hedged_says_what_statement_context_says(sentence):
    rules = load_rules()
    x = sentence.lower().index("drug x")
    y = sentence.lower().index("seizures")
    for s, o in ((Span(x, x + 6), Span(y, y + 8)), (Span(y, y + 8), Span(x, x + 6))):
        ctx = statement_context(sentence, s, o, None, rules)
        assert level_and_hedged(sentence, s, o, rules) == (ctx.level, ctx.certainty == "Hedged")


def test_a_cue_that_matches_holds_one_of_its_first_words():
    """The pre-filter never rules out a cue that matches (the cues' own example-like phrases)."""
    rules = load_rules()
    for cue in (*rules.hedging, *rules.question, *rules.levels):
        needles = _needles(cue)
        if needles is None:
            continue
        assert all(n == n.casefold() and n.isascii() for n in needles)
        for text in SENTENCES:
            for m in cue.pattern.finditer(text):
                if m.end() > m.start():
                    assert any(n in fold(text) for n in needles), (cue.id, text)


def test_fold_maps_every_letter_ignorecase_matches():
    """Every character outside ASCII that ``re.IGNORECASE`` matches with an ASCII letter folds to
    that letter (else a cue word in such a text would be skipped)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    chars = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000)
    for ch in set(re.findall(f"[{letters}]", chars, re.IGNORECASE)):
        want = next(a for a in letters if re.fullmatch(a, ch, re.IGNORECASE))
        assert want in fold(ch), (ch, fold(ch))


def _made(sentences: list[str]) -> list[Document]:
    """Imported documents over ``sentences``: by-concept and mention-level relations."""
    docs = []
    for k, text in enumerate(sentences):
        full = "Title line.\n" + text + " Drug X again with seizures."
        ms, rels = [], []
        for j, m in enumerate(re.finditer(r"(?i)drug x|seizures", full)):
            kind, concept = (
                ("Chemical", "MESH:1") if m.group().lower() == "drug x" else ("Disease", "MESH:2")
            )
            ms.append(Mention(f"M{j}", kind, (Span(m.start(), m.end()),), m.group(), (concept,)))
        rels.append(Relation("R1", "CID", "MESH:1", "MESH:2", by_concept=True))
        rels.append(Relation("R2", "CID", "M0", "M1"))
        rels.append(Relation("R3", "CID", "M1", "M0", evidence_level="Review"))  # left as it is
        docs.append(Document(str(k), full, tuple(ms), tuple(rels), {"format": "pubtator"}))
    return docs


def test_made_documents_match_the_reference():
    for doc in _made(SENTENCES):
        assert add_levels_and_certainty(doc) == reference(doc)


@pytest.mark.corpus
def test_real_corpora_match_the_reference(shared_corpora: Path):
    """BC5CDR, BioRED and PGxCorpus documents (a slice of each): the same relations as before."""
    sources = [
        *sorted((shared_corpora / "bc5cdr").glob("*.PubTator.txt"))[:1],
        *sorted((shared_corpora / "biored").glob("*.PubTator.txt"))[:1],
        shared_corpora / "pgxcorpus" / "brat",
    ]
    changed = 0
    for source in sources:
        for i, doc in enumerate(formats.read(source, on_issue=lambda e: None)):
            if i >= 250:
                break
            new = add_levels_and_certainty(doc)
            assert new == reference(doc), doc.id
            changed += new is not doc
    assert changed > 100  # the comparison covered relations that got a level or a hedge
