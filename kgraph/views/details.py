"""Evidence you can follow: what the explorer's panel shows of each statement beyond its quote.

For every statement (its qualifiers and annotator's note come with the evidence rows, see
:func:`kgraph.frames.with_qualifiers`): whether it is an unreviewed proposal or was rejected in
review, and the sentences around the quote (from the
bundled corpus text when the document is one of ours, else the quote selector's prefix and
suffix). For every document: where to read it (its web address; PubMed for a PMID; doi.org for a
DOI) and whether our text restates it in our own words (the bundled corpus does: each document
is a restatement of a seed article, so its quotes are not the article's wording).

>>> from kgraph import load
>>> from kgraph.views import graph_of
>>> g = graph_of(load().store)
>>> rows = [r for _, _, d in g.edges(data=True) for r in d.get("evidence", ())]
>>> any(r.get("before") for r in rows), all("restated" in r for r in rows)
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import networkx as nx

from ..annotate.sentences import split_sentences
from ..claims import contests
from ..query import internal
from ..store import Store
from ..vocab import corpus_dir

__all__ = [
    "attach_details",
    "contested_pairs",
    "document_fields",
    "document_links",
    "doi_url",
    "evidence_columns",
    "pubmed_url",
    "statement_details",
    "surrounding",
]

#: Sentences shown before and after the quote.
AROUND = 1

_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I)
_PMID = re.compile(r"^(?:PMID:|pubmed:)?(\d{1,9})$", re.I)


def statement_details(store: Store) -> dict[str, dict[str, object]]:
    """Proposal / review marks and quote context of every statement, by assertion IRI (the
    ``_statement-details`` query).

    >>> from kgraph import load
    >>> rows = statement_details(load().store)
    >>> all(r["prefix"] is not None for r in rows.values())
    True
    """
    out: dict[str, dict[str, object]] = {}
    for row in store.query(internal("statement-details")).dicts():
        a = str(row["assertion"])
        if a not in out:  # one row per assertion is enough (a selector may repeat it)
            out[a] = row
    return out


def document_links(store: Store) -> dict[str, dict[str, object]]:
    """Where each document can be read (``url``, ``pubmed``, ``doi``), its ``identifier`` and
    ``seed`` (set for the bundled corpus, whose text restates the seed article).

    >>> from kgraph import load
    >>> all(d["seed"] for d in document_links(load().store).values())  # the bundled corpus
    True
    """
    out: dict[str, dict[str, object]] = {}
    for row in store.query(internal("document-links")).dicts():
        ident = str(row["identifier"] or "")
        url = str(row["url"]) if row["url"] else None
        out[str(row["document"])] = {
            "url": url,
            "identifier": ident or None,
            "pubmed": pubmed_url(ident),
            "doi": doi_url(ident) or (doi_url(url) if url else None),
            "seed": row["seed"],
        }
    return out


def pubmed_url(identifier: str | None) -> str | None:
    """PubMed's page for a ``PMID:`` identifier.

    >>> pubmed_url("PMID:10743446")
    'https://pubmed.ncbi.nlm.nih.gov/10743446/'
    >>> pubmed_url("state-of-ketamine-research-2025") is None
    True
    """
    m = _PMID.match(identifier or "")
    return f"https://pubmed.ncbi.nlm.nih.gov/{m.group(1)}/" if m else None


def doi_url(identifier: str | None) -> str | None:
    """doi.org's resolver for a DOI (bare, ``doi:`` or a doi.org address).

    >>> doi_url("doi:10.1038/nature17998")
    'https://doi.org/10.1038/nature17998'
    """
    m = _DOI.match(identifier or "")
    return f"https://doi.org/{m.group(1)}" if m else None


def surrounding(text: str, start: int, end: int, around: int = AROUND) -> tuple[str, str]:
    """The ``around`` sentences before ``text[start:end]`` and after it.

    >>> surrounding("One. Two is here. Three.", 5, 17)
    ('One.', 'Three.')
    """
    spans = split_sentences(text)
    before = [s for s in spans if s.end <= start][-around:] if around else []
    after = [s for s in spans if s.start >= end][:around]
    return (
        " ".join(text[s.start : s.end].strip() for s in before),
        " ".join(text[s.start : s.end].strip() for s in after),
    )


@lru_cache(maxsize=64)
def _corpus_text(identifier: str) -> str | None:
    if not identifier or "/" in identifier or identifier.startswith("."):
        return None
    path = Path(corpus_dir()) / f"{identifier}.txt"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def attach_details(g: nx.MultiDiGraph, store: Store) -> None:
    """Add to every evidence row of ``g`` its details (keys ``proposed``, ``confidence``,
    ``review``, ``before``, ``after``) and its document's
    ``url``, ``pubmed``, ``doi``, ``identifier`` and ``restated``; and the contests of the
    store as ``g.graph["contests"]`` (pairs of ``(subject, predicate, object)`` claims).
    (:func:`kgraph.views.graph_of` calls it; see the module example.)

    >>> from kgraph import load
    >>> from kgraph.views.selection import attach_evidence
    >>> from kgraph.graphs import to_networkx
    >>> from kgraph.query import evidence
    >>> store = load().store
    >>> g = to_networkx(store); attach_evidence(g, evidence(store)); attach_details(g, store)
    >>> "contests" in g.graph
    True
    """
    info = statement_details(store)
    docs = document_links(store)
    for row in _rows(g):
        d = info.get(str(row.get("assertion")), {})
        row["proposed"] = bool(d.get("proposed"))
        row["confidence"] = d.get("confidence")
        row["review"] = d.get("review")
        link = docs.get(str(row.get("document")), {})
        row.update({k: link.get(k) for k in ("url", "pubmed", "doi", "identifier")})
        row["restated"] = bool(link.get("seed"))
        before, after = str(d.get("prefix") or ""), str(d.get("suffix") or "")
        text = _corpus_text(str(link.get("identifier") or "")) if link.get("seed") else None
        start, end = row.get("start"), row.get("end")
        if text is not None and isinstance(start, int) and isinstance(end, int):
            before, after = surrounding(text, start, end)
        row["before"], row["after"] = before.strip(), after.strip()
    g.graph["contests"] = [
        ((str(r["s1"]), str(r["p"]), str(r["o"])), (str(r["s2"]), str(r["p"]), str(r["o"])))
        for r in contests(store)
    ]


def _rows(g: nx.MultiDiGraph) -> Iterable[dict]:
    for _, _, data in g.edges(data=True):
        yield from data.get("evidence") or ()


def evidence_columns(rows: list[dict]) -> dict[str, dict[int, object]]:
    """The page's sparse columns of statement details (row number → value, only where set):
    ``prop`` (confidence of an unreviewed proposal, or ``""``), ``rev`` (review status) and
    ``ctx`` (sentences before and after).

    >>> evidence_columns([{"review": "Rejected", "before": "a", "after": ""}, {}])["ctx"]
    {0: ['a', '']}
    """
    if not rows or not rows[0].keys() & _DETAIL_KEYS:  # attach_details gives every row them
        return {k: {} for k in ("prop", "rev", "ctx")}
    get = dict.get
    return {
        "prop": {
            k: str(get(r, "confidence") or "") for k, r in enumerate(rows) if get(r, "proposed")
        },
        "rev": {k: str(v) for k, r in enumerate(rows) if (v := get(r, "review"))},
        "ctx": {
            k: [str(get(r, "before") or ""), str(get(r, "after") or "")]
            for k, r in enumerate(rows)
            if get(r, "before") or get(r, "after")
        },
    }


_DETAIL_KEYS = frozenset({"proposed", "review", "before", "after"})


def document_fields(row: dict) -> dict[str, object]:
    """A document's links for the page, from one of its statements' rows.

    >>> document_fields({"identifier": "PMID:1", "pubmed": "https://pubmed.ncbi.nlm.nih.gov/1/"})
    {'url': None, 'pubmed': 'https://pubmed.ncbi.nlm.nih.gov/1/', 'doi': None, 'ident': 'PMID:1', 'restated': False}
    """
    return {
        "url": row.get("url"),
        "pubmed": row.get("pubmed"),
        "doi": row.get("doi"),
        "ident": row.get("identifier"),
        "restated": bool(row.get("restated")),
    }


def contested_pairs(g: nx.MultiDiGraph, keys: list[tuple[str, str, str]]) -> dict[int, list[int]]:
    """The claims shown that contest each claim (``g.graph["contests"]``, from
    :func:`kgraph.claims.contests`), by claim number; ``keys`` are the claims'
    ``(subject, object, key)``.

    >>> g = nx.MultiDiGraph(contests=[(("a", "p", "o"), ("b", "p", "o"))])
    >>> contested_pairs(g, [("a", "o", "p"), ("b", "o", "p")])
    {0: [1], 1: [0]}
    """
    against: dict[int, list[int]] = {}
    contests = g.graph.get("contests", ())
    if contests:
        where = {(s, p, o): j for j, (s, o, p) in enumerate(keys)}
        for one, two in contests:
            if one in where and two in where:
                a, b = where[one], where[two]
                against.setdefault(a, []).append(b)
                against.setdefault(b, []).append(a)
    return {j: sorted(set(v)) for j, v in against.items()}
