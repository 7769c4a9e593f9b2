"""``python -m benchmarks.mesh_names``: regenerate the general MeSH name table of ``kgraph annotate``.

    python -m benchmarks.mesh_names                  # writes kgraph/data/annotate/mesh-names.tsv.gz
    python -m benchmarks.mesh_names --train-only -o /tmp/t.tsv.gz   # from the training splits only

The names are the gold mention strings of BC5CDR Training + Development and BioRED Train + Dev
(chemicals → Compound, diseases → Condition, MeSH ids only), each with the MeSH id it is given most
often (:func:`kgraph.annotate.dictionary.gold_entries`). Every abstract whose PMID is in the
in-domain gold set (``benchmarks/gold``), in BC5CDR Test or in BioRED Test is left out, so no
evaluation text shapes the table. Names the source documents annotate in fewer than
``MIN_RATIO`` of the documents where the matcher finds them (found in at least ``MIN_SEEN``) are
kept as ``drop`` rows, never matched (:func:`kgraph.annotate.dictionary.annotation_ratios`).
PGxCorpus (CC BY-NC) is never read. ``--train-only`` builds from BC5CDR Training and BioRED Train
alone and also leaves out the development abstracts, for choosing settings on Development.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from kgraph.annotate.dictionary import annotation_ratios, gold_entries, rarely_annotated
from kgraph.annotate.general import CLASSES, COLUMNS, DROP, TABLE, NameRow
from kgraph.annotate.matcher import CAPITALS, UNDEFINED, Matcher, with_variants
from kgraph.annotate.rules import load_rules
from kgraph.formats import read as read_format
from kgraph.model import Document

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
GOLD = Path(__file__).resolve().parent / "gold"
OUT = ROOT / "kgraph" / "data" / "annotate" / TABLE

#: Names annotated in fewer than this share of the source documents where the matcher finds them
#: are dropped (E1's setting, chosen on BC5CDR Development; confirmed by ``benchmarks.annotate
#: --general-dev``).
MIN_RATIO = 0.3
#: ... judged only when found in at least this many documents.
MIN_SEEN = 2

SOURCES = {  # file under the corpora root → the split's name in the table's header
    "bc5cdr/CDR_TrainingSet.PubTator.txt": "BC5CDR Training",
    "bc5cdr/CDR_DevelopmentSet.PubTator.txt": "BC5CDR Development",
    "biored/Train.PubTator.txt": "BioRED Train",
    "biored/Dev.PubTator.txt": "BioRED Dev",
}
HELD_OUT = {
    "bc5cdr/CDR_TestSet.PubTator.txt": "BC5CDR Test",
    "biored/Test.PubTator.txt": "BioRED Test",
}
DEVELOPMENT = ("bc5cdr/CDR_DevelopmentSet.PubTator.txt", "biored/Dev.PubTator.txt")
CLASS_OF = {
    "Chemical": "Compound",
    "ChemicalEntity": "Compound",
    "Disease": "Condition",
    "DiseaseOrPhenotypicFeature": "Condition",
}


def gold_pmids(gold: Path = GOLD) -> set[str]:
    """The PMIDs of the in-domain gold set (its manifest's ``[[document]]`` entries).

    >>> len(gold_pmids()) >= 15
    True
    """
    manifest = tomllib.loads((gold / "manifest.toml").read_text(encoding="utf-8"))
    return {str(d["pmid"]) for d in manifest.get("document", [])}


def _pmids(path: Path) -> set[str]:
    """The PMIDs of a PubTator file (its ``PMID|t|`` lines), without parsing the mentions."""
    out = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            pmid, sep, _rest = line.partition("|t|")
            if sep and pmid.isdigit():
                out.add(pmid)
    return out


def excluded_pmids(
    corpora: Path = CORPORA, gold: Path = GOLD, development: bool = False
) -> dict[str, set[str]]:
    """Why abstracts are left out: the gold set's PMIDs and those of each held-out split (and of
    the development splits when ``development``)."""
    out = {"benchmarks/gold (E6)": gold_pmids(gold)}
    held = dict(HELD_OUT)
    if development:
        held.update({p: SOURCES[p] for p in DEVELOPMENT})
    for path, name in held.items():
        out[name] = _pmids(corpora / path)
    return out


def _typed(doc: Document) -> Document:
    """``doc`` with only its MeSH-grounded chemicals and diseases, typed Compound / Condition."""
    ms = tuple(
        replace(m, type=CLASS_OF[m.type])
        for m in doc.mentions
        if m.type in CLASS_OF and m.concepts and all(c.startswith("MESH:") for c in m.concepts)
    )
    return Document(doc.id, doc.text, ms, (), MappingProxyType({}), doc.source)


def source_documents(
    corpora: Path = CORPORA,
    excluded: dict[str, set[str]] | None = None,
    sources: Iterable[str] = tuple(SOURCES),
    log=print,
) -> list[Document]:
    """The source abstracts minus the excluded PMIDs (an abstract in two sources is read once);
    ``log`` gets one line per source with what was left out and why."""
    excluded = excluded if excluded is not None else excluded_pmids(corpora)
    seen: set[str] = set()
    docs = []
    for path in sources:
        why: Counter[str] = Counter()
        n = 0
        for d in read_format(corpora / path, "pubtator"):
            n += 1
            reasons = [k for k, v in excluded.items() if d.id in v]
            if reasons:
                why[reasons[0]] += 1
                continue
            if d.id in seen:
                why["already read from another source"] += 1
                continue
            seen.add(d.id)
            docs.append(_typed(d))
        left = ", ".join(f"{c} in {k}" for k, c in sorted(why.items())) or "none"
        log(
            f"{SOURCES.get(path, path)}: {n} abstracts, {n - sum(why.values())} used; left out: {left}"
        )
    return docs


def build_rows(
    docs: list[Document], min_ratio: float = MIN_RATIO, min_seen: int = MIN_SEEN
) -> list[NameRow]:
    """The table's rows: one per name (its most frequent spelling, MeSH id and class), with its
    counts; names annotated in fewer than ``min_ratio`` of the documents where they are found
    become ``drop`` rows (so are all-capitals short forms not shown to be annotated where a document does not define
    them: their counts are those undefined occurrences)."""
    rules = replace(load_rules(), stoplist=frozenset())  # the learnt drop list is the stoplist
    probe = Matcher((), rules)
    entries = gold_entries(docs, CLASSES, rule="lex.mesh-general", matcher=probe)
    mentions: Counter[str] = Counter(
        probe.key(m.text.strip()) for d in docs for m in d.mentions if m.text.strip()
    )
    first = Matcher(with_variants(entries, rules), rules)
    ratios = annotation_ratios(first, docs, per_document=True)
    drop = rarely_annotated(ratios, min_ratio, min_seen)
    by_key = {probe.key(e.name): e for e in entries}
    rows = []
    for key, e in sorted(by_key.items()):
        found, annotated = ratios.get(key, (0, 0))
        dropped = key in drop
        if CAPITALS.match(e.name):
            # an all-capitals short form matches where a document does not define it (where one
            # does, its long form gives it): kept only when the sources annotate it there
            found, annotated = ratios.get(UNDEFINED + key, (0, 0))
            dropped = dropped or found < min_seen or annotated < min_ratio * found
        rows.append(
            NameRow(e.name, e.concept, DROP if dropped else e.type, mentions[key], found, annotated)
        )
    # a variant (plural, adjective) can be rarely annotated though its name is not: drop it alone
    for key in sorted(drop - set(by_key)):
        plain = key[len(UNDEFINED) :] if key.startswith(UNDEFINED) else key
        if plain in by_key:
            continue
        e = first.entry(plain)
        found, annotated = ratios[key]
        rows.append(NameRow(plain, e.concept if e else "-", DROP, 0, found, annotated))
    return rows


def write_table(rows: list[NameRow], path: Path, header: list[str]) -> None:
    """Write the table (gzip when ``path`` ends in ``.gz``, with a fixed time stamp so the bytes
    depend only on the rows)."""
    lines = [*(f"# {h}" for h in header), "\t".join(COLUMNS), *(r.line() for r in rows)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(data)
    else:
        path.write_bytes(data)


def generate(
    out: Path = OUT,
    corpora: Path = CORPORA,
    train_only: bool = False,
    min_ratio: float = MIN_RATIO,
    min_seen: int = MIN_SEEN,
    log=print,
    gold: Path = GOLD,
) -> list[NameRow]:
    """Read the sources, leave out the excluded abstracts, build and write the table."""
    excluded = excluded_pmids(corpora, gold, development=train_only)
    for k, v in excluded.items():
        log(f"excluded PMIDs: {len(v)} of {k}")
    sources = [p for p in SOURCES if not (train_only and p in DEVELOPMENT)]
    docs = source_documents(corpora, excluded, sources, log)
    rows = build_rows(docs, min_ratio, min_seen)
    kept = Counter(r.cls for r in rows)
    log(
        f"{len(docs)} abstracts → {len(rows)} rows: "
        + ", ".join(f"{kept[c]} {c}" for c in (*CLASSES, DROP))
    )
    used = " + ".join(SOURCES[p] for p in sources)
    header = [
        "General MeSH names of `kgraph annotate` (rule lex.mesh-general; kgraph/annotate/general.py).",
        "Written by `python -m benchmarks.mesh_names`: do not edit by hand.",
        f"Source: the gold mention strings of {used} ({len(docs)} abstracts),",
        "chemicals as Compound and diseases as Condition, MeSH ids only, each name with the id it",
        "is given most often and its most frequent spelling. PGxCorpus is not used.",
        "Left out: every abstract whose PMID is in "
        + "; ".join(f"{k} ({len(v)})" for k, v in excluded.items())
        + ".",
        f"'drop' rows: names annotated in fewer than {min_ratio:.0%} of the source abstracts where",
        f"the matcher finds them (found in >= {min_seen}); never matched.",
        "Columns: name, MeSH id, class, gold mentions, abstracts where found, abstracts annotating it there.",
        "BC5CDR and BioRED are US Government works (public domain; see ../shared/corpora/*/README.md).",
    ]
    write_table(rows, out, header)
    log(f"wrote {out}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.mesh_names", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--train-only", action="store_true", help="training splits only (tuning)")
    ap.add_argument("--min-ratio", type=float, default=MIN_RATIO)
    ap.add_argument("--min-seen", type=int, default=MIN_SEEN)
    args = ap.parse_args(argv)
    if not args.corpora.is_dir():
        print(f"no corpora in {args.corpora}: nothing to generate", file=sys.stderr)
        return 2
    generate(args.out, args.corpora, args.train_only, args.min_ratio, args.min_seen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
