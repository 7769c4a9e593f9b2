"""What replay made of each act of a corpus's log: for ``kgraph curate list`` and the notebook.

>>> review("no/such/corpus")
[]
"""

from __future__ import annotations

from pathlib import Path

from .. import formats
from ..grounding import Lexicon
from .entities import entries, grow
from .log import LOG, read_log
from .replay import Replay, replay, status

__all__ = ["review"]


def review(corpus: str | Path, *, lexicon: Lexicon | None = None) -> list[dict[str, object]]:
    """One row per act of ``corpus``'s log, in log order, with its ``outcome``: the status the
    statement got (accepted, rejected, corrected, added, contested), ``superseded`` when the same
    curator later said otherwise, or ``orphan`` when no statement matches any more.

    >>> from kgraph.vocab import corpus_dir
    >>> review(corpus_dir())
    []
    """
    corpus = Path(corpus)
    log = corpus / LOG
    if not log.exists():
        return []
    acts = read_log(log)
    report = Replay()
    outcome: dict[int, str] = {}
    kept = entries(acts)  # reviewed lexicon entries: added, superseded or contested
    added = {a.set["entity"] for a in kept}
    latest = {(a.set["entity"], a.curator): a for a in acts if a.act == "add-entity"}
    for a in acts:
        if a.act == "add-entity":
            if latest[(a.set["entity"], a.curator)] is not a:
                outcome[id(a)] = "superseded"
            else:
                outcome[id(a)] = "added to the lexicon" if a.set["entity"] in added else "contested"
    lex = grow(lexicon or Lexicon.load(), kept)
    for doc in replay(formats.read(corpus), acts, lex, report):
        for r in doc.relations:
            about = report.acts.get((doc.id, r.id))
            if not about:
                continue
            latest = {a.curator: a for a in about}
            for a in about:
                mine = latest[a.curator] is a
                outcome[id(a)] = (status(r) or "").lower() if mine else "superseded"
    for a in report.orphans:
        outcome[id(a)] = "orphan"
    return [
        {
            "line": a.line,
            "act": a.act,
            "document": a.document,
            "subject": a.subject,
            "predicate": a.predicate,
            "object": a.object,
            "quote": a.quote,
            "curator": a.curator,
            "time": a.time,
            "reason": a.reason,
            "tags": list(a.tags),
            "outcome": outcome.get(id(a), "orphan"),
        }
        for a in acts
    ]
