"""A synthetic corpus of any size, made by replicating the real documents with fresh ids.

The templates are every document kgraph is given to start from: the PubTator abstracts of
BC5CDR and BioRED (2,100, about 23 mentions and 6 relations each), the PGxCorpus sentences
(945 brat documents, hedged and negated relations among them) and the bundled corpus (4 articles
with source types, evidence levels and certainty, in the corpus format). They are interleaved in
proportion (the bundled articles spread through the cycle), and document ``i`` of the synthetic
corpus is template ``i mod 3,049`` under the fresh id ``first_pmid + i``: a new document (its own
document node, assertions and evidence) whose entities are those of the real corpora, as they
would be in a larger crawl of the same literature, and every named query has rows to find.

Output: PubTator files (``per_file`` abstracts each, written a line at a time, so 100,000
documents never sit in memory), a brat folder ``pgx/`` and a corpus folder ``articles/`` with its
``manifest.toml``.

>>> import tempfile
>>> sources = write_corpus(tempfile.mkdtemp(), 5, per_file=2)
>>> [s.name for s in sources]
['synthetic-00000.PubTator.txt', 'synthetic-00001.PubTator.txt', 'pgx', 'articles']
>>> sorted(p.name for p in sources[-1].iterdir())[:2]
['90000000.ann', '90000000.txt']
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CORPORA",
    "Template",
    "count",
    "pubtator_sources",
    "real_sources",
    "templates",
    "write_corpus",
]

#: The shared corpora (``$KGRAPH_CORPORA`` or ``../shared/corpora`` beside the repository).
CORPORA = Path(
    os.environ.get(
        "KGRAPH_CORPORA", Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
    )
)

#: Ids of synthetic documents start here (beyond today's PubMed ids, so none is real).
FIRST_PMID = 90_000_000


def _bundled() -> Path:
    from kgraph.vocab import corpus_dir

    return corpus_dir()


def pubtator_sources(corpora: Path = CORPORA) -> list[Path]:
    """The PubTator files of BC5CDR and BioRED (3 + 3)."""
    return [
        *sorted((corpora / "bc5cdr").glob("*.PubTator.txt")),
        *sorted((corpora / "biored").glob("*.PubTator.txt")),
    ]


def real_sources(corpora: Path = CORPORA, bundled: Path | None = None) -> list[Path]:
    """The real documents as kgraph reads them: 6 PubTator files, the PGxCorpus brat folder and
    the bundled corpus."""
    return [*pubtator_sources(corpora), corpora / "pgxcorpus" / "brat", bundled or _bundled()]


@dataclass(frozen=True)
class Template:
    """One real document to replicate: ``kind`` is ``pubtator`` (``lines`` are its lines
    without the PMID), ``brat`` or ``kgraph`` (``files`` are its ``.txt`` and ``.ann``;
    ``entry`` is its manifest entry)."""

    kind: str
    id: str
    lines: tuple[str, ...] = ()
    files: tuple[Path, Path] | None = None
    entry: tuple[tuple[str, str], ...] = ()


def _pubtator(corpora: Path) -> list[Template]:
    docs: list[Template] = []
    for path in pubtator_sources(corpora):
        pmid, lines = None, []
        with open(path, encoding="utf-8", newline="") as f:
            for raw in f:
                line = raw.rstrip("\r\n")
                if not line.strip():
                    if lines:
                        docs.append(Template("pubtator", pmid, tuple(lines)))
                    pmid, lines = None, []
                    continue
                cut = min(i for i in (line.find("|"), line.find("\t")) if i >= 0)
                pmid = pmid or line[:cut]
                lines.append(line[cut:])
        if lines:
            docs.append(Template("pubtator", pmid, tuple(lines)))
    return docs


def templates(corpora: Path = CORPORA, bundled: Path | None = None) -> list[Template]:
    """Every real document, interleaved in proportion (each kind's ``j``-th of ``n`` at
    ``j / n`` of the cycle; the bundled articles first on ties, then PubTator, then PGxCorpus)."""
    bundled = bundled or _bundled()
    articles = [
        Template(
            "kgraph",
            str(e["id"]),
            files=(bundled / f"{e['id']}.txt", bundled / f"{e['id']}.ann"),
            entry=tuple((k, str(v)) for k, v in e.items() if k not in ("id", "seed")),
        )
        for e in tomllib.loads((bundled / "manifest.toml").read_text("utf-8"))["document"]
    ]
    brat = corpora / "pgxcorpus" / "brat"
    pgx = [
        Template("brat", a.stem, files=(a.with_suffix(".txt"), a))
        for a in sorted(brat.glob("*.ann"))
    ]
    kinds = [articles, _pubtator(corpora), pgx]
    if not kinds[1]:
        raise FileNotFoundError(f"no PubTator corpora under {corpora}")
    keyed = [(j / len(docs), k, j) for k, docs in enumerate(kinds) for j in range(len(docs))]
    return [kinds[k][j] for _, k, j in sorted(keyed)]


def _copy(src: Path, dst: Path) -> None:
    # a copy, not a link: nothing written to the synthetic corpus may reach the originals
    dst.unlink(missing_ok=True)
    shutil.copyfile(src, dst)


def _toml(value: str) -> str:
    # a JSON string is a TOML basic string (escapes of quotes, backslashes, control characters)
    return json.dumps(value, ensure_ascii=False)


def write_corpus(
    folder: str | os.PathLike[str],
    n: int,
    *,
    per_file: int = 10_000,
    corpora: Path = CORPORA,
    bundled: Path | None = None,
    first_pmid: int = FIRST_PMID,
) -> list[Path]:
    """Write ``n`` synthetic documents into ``folder``; returns the sources to build (the PubTator
    files, then the ``pgx`` brat folder and the ``articles`` corpus folder when they have any)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    docs = templates(corpora, bundled)
    pgx, articles = folder / "pgx", folder / "articles"
    files: list[Path] = []
    manifest: list[str] = []
    written = 0  # PubTator abstracts written
    out = None
    try:
        for i in range(n):
            doc, new_id = docs[i % len(docs)], str(first_pmid + i)
            if doc.kind == "pubtator":
                if written % per_file == 0:
                    if out is not None:
                        out.close()
                    files.append(folder / f"synthetic-{len(files):05d}.PubTator.txt")
                    out = open(files[-1], "w", encoding="utf-8", newline="\n")
                out.write("".join(new_id + line + "\n" for line in doc.lines) + "\n")
                written += 1
                continue
            target = pgx if doc.kind == "brat" else articles
            target.mkdir(exist_ok=True)
            _copy(doc.files[0], target / f"{new_id}.txt")
            _copy(doc.files[1], target / f"{new_id}.ann")
            if doc.kind == "kgraph":
                fields = "".join(f"{k} = {_toml(v)}\n" for k, v in doc.entry)
                manifest.append(f'[[document]]\nid = "{new_id}"\n{fields}')
    finally:
        if out is not None:
            out.close()
    if manifest:
        (articles / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    return [*files, *(p for p in (pgx, articles) if p.is_dir())]


def _counts(doc: Template) -> tuple[int, int]:
    from kgraph.formats import brat

    if doc.kind == "pubtator":
        mentions = sum(1 for x in doc.lines if x.startswith("\t") and x.split("\t")[1].isdigit())
        return mentions, sum(1 for x in doc.lines if x.startswith("\t")) - mentions
    read = brat.read_pair(*doc.files, doc_id=doc.id, on_issue=lambda e: None)
    return len(read.mentions), len(read.relations)


def count(n: int, corpora: Path = CORPORA, bundled: Path | None = None) -> dict[str, int]:
    """How many documents (by kind), mentions and relations ``n`` synthetic documents hold
    (relations as annotated: a PubTator relation line with a composite endpoint is one here)."""
    docs = templates(corpora, bundled)
    mentions = relations = 0
    kinds: Counter[str] = Counter()
    for i, doc in enumerate(docs):
        times = n // len(docs) + (1 if i < n % len(docs) else 0)
        if not times:
            continue
        m, r = _counts(doc)
        mentions += times * m
        relations += times * r
        kinds[doc.kind] += times
    return {
        "documents": n,
        **{f"{k}_documents": v for k, v in sorted(kinds.items())},
        "mentions": mentions,
        "relations": relations,
    }
