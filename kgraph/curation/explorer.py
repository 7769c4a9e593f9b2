"""The explorer's review mode: what the page needs to turn a reader's accept / reject / correct
into curation acts, and the script and style that do it.

The explorer (:mod:`kgraph.views`) draws the graph; with ``review=True`` it also inlines
:func:`review_block`: a JSON block with the act key of every statement it shows (document,
subject, predicate, object, sentence and quote: what :func:`kgraph.curation.acts.make_act`
completes for ``kgraph curate``), the queue of proposals most confident first
(:func:`kgraph.curation.queue.review_queue`), the entities the text grounded outside the
lexicon (each a candidate lexicon entry), the vocabularies a correction chooses from, and the URL
acts are POSTed to (``kgraph serve --allow-curation``), plus ``static/review.js`` and
``static/review.css``. Offline, the page collects the acts as ``curation.jsonl`` lines to
download, byte for byte the lines ``kgraph curate`` writes.

>>> from kgraph import load
>>> block = review_block(load().store, nx.MultiDiGraph())
>>> sorted(block), block["data"]["queue"], block["data"]["post"]
(['css', 'data', 'js'], [], None)
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import networkx as nx

from ..claims import LEVEL_FACTOR
from ..grounding import Lexicon
from ..model import CERTAINTIES, COMPARISONS, DEGREES, MEDIATIONS
from ..vocab import KG, compress
from .log import SETTABLE, TAGS
from .queue import _local, document_id, review_queue

__all__ = ["LEVELS", "review_assets", "review_block", "statement_keys"]

#: The evidence levels a correction offers (the ontology's kgo:EvidenceLevel individuals, as the
#: claim rules weigh them).
LEVELS = tuple(LEVEL_FACTOR)


@cache
def review_assets() -> dict[str, str]:
    """The review mode's script and style (``static/review.js``, ``static/review.css``).

    >>> "kgraph-review" in review_assets()["js"]
    True
    """
    here = resources.files(__package__).joinpath("static")
    found = {
        "js": here.joinpath("review.js").read_text("utf-8"),
        "css": here.joinpath("review.css").read_text("utf-8"),
    }
    for name, text in found.items():
        lowered = text.lower()
        if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
            raise RuntimeError(
                f"review.{name} cannot be inlined: it has an HTML end tag or comment"
            )
    return found


def _curie(iri: object) -> str:
    text = str(iri)
    return compress(text) or text


def statement_keys(g: nx.MultiDiGraph) -> list[dict[str, object]]:
    """The act key and current values of every statement the explorer shows of ``g``, in the
    page's order (statement ``k`` of the page is row ``k``: claims in edge order, each claim's
    statements in its ``evidence`` order, as :func:`kgraph.views.network.payload` lays them out).

    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("https://w3id.org/kgraph/entity/a", "https://w3id.org/kgraph/entity/b", key="p",
    ...     evidence=[{"assertion": "x", "s": "https://w3id.org/kgraph/entity/a",
    ...                "p": "https://w3id.org/kgraph/ontology#treats",
    ...                "o": "https://w3id.org/kgraph/entity/b", "start": 0, "end": 9,
    ...                "document": "https://w3id.org/kgraph/document/d1", "negated": False,
    ...                "certainty": "Asserted"}])
    'p'
    >>> statement_keys(g)[0]["subject"], statement_keys(g)[0]["sentence"]
    ('kg:a', [0, 9])
    """
    out: list[dict[str, object]] = []
    for _, _, data in g.edges(data=True):
        for r in data.get("evidence") or ():
            start, end = r.get("start"), r.get("end")
            out.append(
                {
                    "assertion": str(r.get("assertion") or ""),
                    "document": document_id(str(r.get("document") or "")),
                    "subject": _curie(r.get("s")),
                    "predicate": _local(str(r.get("p"))),
                    "object": _curie(r.get("o")),
                    "sentence": [start, end] if isinstance(start, int) else None,
                    "negated": bool(r.get("negated")),
                    "certainty": r.get("certainty"),
                    "evidence_level": r.get("level"),
                    "comparison": r.get("comparison"),
                    "degree": r.get("degree"),
                    "mediation": r.get("mediation"),
                }
            )
    return out


def _new_entities(g: nx.MultiDiGraph) -> list[dict[str, object]]:
    """Entities the text grounded outside the lexicon (``kg:text/CLASS/NAME``): candidates for a
    reviewed lexicon entry, with the class and name the annotation gave them."""
    prefix = f"{KG}text/"
    seen_in: dict[str, str] = {}  # entity → the first document (by id) whose statement names it
    for _, _, data in g.edges(data=True):
        for r in data.get("evidence") or ():
            for end in (str(r.get("s")), str(r.get("o"))):
                if end.startswith(prefix):
                    doc = document_id(str(r.get("document") or ""))
                    seen_in[end] = min(doc, seen_in.get(end, doc))
    out = []
    for node, data in g.nodes(data=True):
        if str(node).startswith(prefix):
            out.append(
                {
                    "iri": str(node),
                    "entity": _curie(node),
                    "label": str(data.get("label") or str(node).rsplit("/", 1)[-1]),
                    "class": str(data.get("cls") or "").rsplit("#", 1)[-1] or None,
                    "document": seen_in.get(str(node)),
                }
            )
    return sorted(out, key=lambda e: (str(e["label"]).lower(), str(e["iri"])))


def review_block(
    store, g: nx.MultiDiGraph, *, post: str | None = None, open_: bool = False
) -> dict[str, object]:
    """What review mode adds to an explorer page of ``g`` (drawn from ``store``): ``data`` (the
    JSON block), ``js`` and ``css``. ``post``: the URL acts are sent to (else they are collected
    for download); ``open_``: start in review mode.

    >>> from kgraph import load
    >>> block = review_block(load().store, nx.MultiDiGraph(), post="/curation")
    >>> block["data"]["post"], "antagonistOf" in block["data"]["vocab"]["predicates"]
    ('/curation', True)
    """
    keys = statement_keys(g)
    index = {str(k["assertion"]): i for i, k in enumerate(keys)}
    queue = []
    for row in review_queue(store):
        row["k"] = index.get(str(row["assertion"]))
        queue.append(row)
    lexicon = Lexicon.load()
    data = {
        "post": post,
        "open": open_,
        "keys": keys,
        "queue": queue,
        "entities": _new_entities(g),
        "vocab": {
            "predicates": sorted(lexicon.properties),
            "classes": sorted(lexicon.classes),
            "certainty": list(CERTAINTIES),
            "evidence_level": list(LEVELS),
            "comparison": list(COMPARISONS),
            "degree": list(DEGREES),
            "mediation": list(MEDIATIONS),
            "settable": list(SETTABLE),
            "tags": list(TAGS),
        },
    }
    return {"data": data, **review_assets()}
