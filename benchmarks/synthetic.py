"""A synthetic PubTator corpus of any size, made by replicating the real abstracts with fresh ids.

The templates are the PubTator abstracts of the shared corpora (BC5CDR and BioRED: 2,100
abstracts, about 23 mentions and 6 relations each). Abstract ``i`` of the synthetic corpus is
template ``i mod 2,100`` with its PMID replaced by ``first_pmid + i``, so every abstract is a new
document (its own document node, assertions and evidence) while the entities stay those of the
real corpora, as they would in a larger crawl of the same literature. Files are written one line
at a time, ``per_file`` abstracts to a file, so 100,000 abstracts (about 2.3 million mentions)
never sit in memory: only the 2,100 templates do (about 6 MB).

>>> import tempfile
>>> files = write_corpus(tempfile.mkdtemp(), 5, per_file=2)
>>> [f.name for f in files]
['synthetic-00000.PubTator.txt', 'synthetic-00001.PubTator.txt', 'synthetic-00002.PubTator.txt']
>>> files[0].read_text().splitlines()[0].split("|")[0]
'90000000'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["CORPORA", "count", "pubtator_sources", "real_sources", "templates", "write_corpus"]

#: The shared corpora (``$KGRAPH_CORPORA`` or ``../shared/corpora`` beside the repository).
CORPORA = Path(
    os.environ.get(
        "KGRAPH_CORPORA", Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
    )
)

#: PMIDs of synthetic abstracts start here (beyond today's PubMed ids, so none is real).
FIRST_PMID = 90_000_000


def pubtator_sources(corpora: Path = CORPORA) -> list[Path]:
    """The PubTator files of BC5CDR and BioRED (3 + 3)."""
    return [
        *sorted((corpora / "bc5cdr").glob("*.PubTator.txt")),
        *sorted((corpora / "biored").glob("*.PubTator.txt")),
    ]


def real_sources(corpora: Path = CORPORA) -> list[Path]:
    """The real corpora as kgraph reads them: 6 PubTator files and the PGxCorpus brat folder."""
    return [*pubtator_sources(corpora), corpora / "pgxcorpus" / "brat"]


def templates(corpora: Path = CORPORA) -> list[tuple[str, list[str]]]:
    """Every PubTator document as ``(pmid, lines without the PMID and its separator)``.

    The first line of each is ``|t|title``, then ``|a|abstract``, then ``\\t…`` annotation lines;
    line endings are normalised to LF (BioRED's files have CRLF).
    """
    docs: list[tuple[str, list[str]]] = []
    for path in pubtator_sources(corpora):
        pmid, lines = None, []
        with open(path, encoding="utf-8", newline="") as f:
            for raw in f:
                line = raw.rstrip("\r\n")
                if not line.strip():
                    if lines:
                        docs.append((pmid, lines))
                    pmid, lines = None, []
                    continue
                cut = min(i for i in (line.find("|"), line.find("\t")) if i >= 0)
                pmid = pmid or line[:cut]
                lines.append(line[cut:])
        if lines:
            docs.append((pmid, lines))
    if not docs:
        raise FileNotFoundError(f"no PubTator corpora under {corpora}")
    return docs


def _abstracts(n: int, docs: list[tuple[str, list[str]]], first: int) -> Iterator[str]:
    for i in range(n):
        pmid = str(first + i)
        _, lines = docs[i % len(docs)]
        yield "".join(pmid + line + "\n" for line in lines) + "\n"


def write_corpus(
    folder: str | os.PathLike[str],
    n: int,
    *,
    per_file: int = 10_000,
    corpora: Path = CORPORA,
    first_pmid: int = FIRST_PMID,
) -> list[Path]:
    """Write ``n`` synthetic abstracts as PubTator files into ``folder``; returns the files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    docs = templates(corpora)
    files: list[Path] = []
    out = None
    try:
        for i, text in enumerate(_abstracts(n, docs, first_pmid)):
            if i % per_file == 0:
                if out is not None:
                    out.close()
                files.append(folder / f"synthetic-{len(files):05d}.PubTator.txt")
                out = open(files[-1], "w", encoding="utf-8", newline="\n")
            out.write(text)
    finally:
        if out is not None:
            out.close()
    return files


def count(n: int, corpora: Path = CORPORA) -> dict[str, int]:
    """How many abstracts, mentions and relation lines ``n`` synthetic abstracts hold."""
    docs = templates(corpora)
    mentions = relations = 0
    for i, (_, lines) in enumerate(docs):
        times = n // len(docs) + (1 if i < n % len(docs) else 0)
        m = sum(1 for x in lines if x.startswith("\t") and x.split("\t")[1].isdigit())
        mentions += times * m
        relations += times * (sum(1 for x in lines if x.startswith("\t")) - m)
    return {"abstracts": n, "mentions": mentions, "relations": relations}
