"""What changed between two graphs: documents, statements and claims added, removed and changed.

A build's IRIs are hashes of content (:func:`kgraph.emission.statement_digest`,
:meth:`kgraph.summary.ClaimKey.iri`), so two graphs are compared by IRI:

- **documents** are added or removed by IRI, and *changed* when their title or statements differ;
- **statements** (assertions and research questions) are added or removed by IRI; an added and a
  removed statement of the same document, subject, predicate, object, qualifiers and sentence are
  one *changed* statement (its polarity, certainty, level, kind or proposal differ);
- **claims** are added or removed by IRI (the claim key), and *changed* when their summary counts
  differ (supporting, denying, documents, firm, research, source types, levels, weight).

:func:`diff` compares two stores; ``documents`` / ``claims`` limit it to those IRIs (what
``kgraph add`` touched). The SPARQL is in ``kgraph/queries/_diff-*.rq``.

>>> from kgraph import load
>>> store = load().store
>>> d = diff(store, store)
>>> d.empty, d.counts()["statements"]
(True, {'added': 0, 'removed': 0, 'changed': 0})
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import build_store
from .diffread import (
    _claims,
    _digests,
    _documents,
    _statement_details,
    _statement_iris,
    _statement_sums,
    _with_keys,
    select,
)
from .store import open_store
from .vocab import shorten

__all__ = [
    "CLAIM_FIELDS",
    "STATEMENT_FIELDS",
    "Diff",
    "diff",
    "is_store",
    "opened",
    "select",
    "since",
]

#: What may change in a statement that keeps its place (document, key, sentence).
STATEMENT_FIELDS = ("kind", "negated", "certainty", "level", "proposed")
_IDENTITY = (
    "document",
    "subject",
    "predicate",
    "object",
    "comparison",
    "comparator",
    "degree",
    "mediation",
    "mediator",
    "start",
)
#: The summary counts of a claim that a diff compares.
CLAIM_FIELDS = (
    "supporting",
    "denying",
    "supportingDocuments",
    "denyingDocuments",
    "firm",
    "research",
    "sourceTypes",
    "levels",
    "weight",
)


@dataclass
class Diff:
    """Documents, statements and claims added, removed and changed from graph A to graph B.

    ``*_changed`` hold, per IRI (a changed statement: the new IRI), ``{field: [old, new]}``.
    """

    documents_added: dict[str, dict] = field(default_factory=dict)
    documents_removed: dict[str, dict] = field(default_factory=dict)
    documents_changed: dict[str, dict] = field(default_factory=dict)
    statements_added: dict[str, dict] = field(default_factory=dict)
    statements_removed: dict[str, dict] = field(default_factory=dict)
    statements_changed: dict[str, dict] = field(default_factory=dict)
    claims_added: dict[str, dict] = field(default_factory=dict)
    claims_removed: dict[str, dict] = field(default_factory=dict)
    claims_changed: dict[str, dict] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing changed."""
        return not any(vars(self).values())

    def counts(self) -> dict[str, dict[str, int]]:
        """How many of each kind were added, removed and changed.

        >>> Diff(claims_added={"c": {}}).counts()["claims"]
        {'added': 1, 'removed': 0, 'changed': 0}
        """
        return {
            kind: {
                what: len(getattr(self, f"{kind}_{what}"))
                for what in ("added", "removed", "changed")
            }
            for kind in ("documents", "statements", "claims")
        }

    def field_counts(self, kind: str) -> dict[str, int]:
        """For changed ``kind`` ("statements", "claims"): how many changed in each field.

        >>> Diff(claims_changed={"c": {"denying": [0, 1]}}).field_counts("claims")
        {'denying': 1}
        """
        out: dict[str, int] = {}
        for change in getattr(self, f"{kind}_changed").values():
            for f in change.keys() - {"was"}:
                out[f] = out.get(f, 0) + 1
        return dict(sorted(out.items()))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: counts, then every item (IRIs shortened to CURIEs where known)."""

        def items(d: dict[str, dict]) -> list[dict]:
            return [{"iri": k, **{f: _short(v) for f, v in d[k].items()}} for k in sorted(d)]

        return {
            "counts": self.counts(),
            "changed_fields": {k: self.field_counts(k) for k in ("statements", "claims")},
            **{
                kind: {
                    what: items(getattr(self, f"{kind}_{what}"))
                    for what in ("added", "removed", "changed")
                }
                for kind in ("documents", "statements", "claims")
            },
        }

    def summary(self, examples: int = 5) -> str:
        """A few readable lines: counts per kind, changed fields, and some examples.

        >>> print(Diff().summary())
        no change: documents, statements and claims are the same
        """
        if self.empty:
            return "no change: documents, statements and claims are the same"
        lines = []
        for kind, c in self.counts().items():
            text = f"{kind}: +{c['added']:,} added, -{c['removed']:,} removed, ~{c['changed']:,} changed"
            fields = self.field_counts(kind) if kind != "documents" else {}
            if fields:
                text += " (" + ", ".join(f"{f} {n:,}" for f, n in fields.items()) + ")"
            lines.append(text)
        for label, d in (("+", self.documents_added), ("-", self.documents_removed)):
            for iri in sorted(d)[:examples]:
                lines.append(f"  {label} document {d[iri].get('identifier') or shorten(iri)}")
        for label, d in (("+", self.claims_added), ("-", self.claims_removed)):
            for iri in sorted(d)[:examples]:
                lines.append(f"  {label} claim {_claim_text(d[iri])}")
        for iri in sorted(self.claims_changed)[:examples]:
            change = ", ".join(f"{f} {a}→{b}" for f, (a, b) in self.claims_changed[iri].items())
            lines.append(f"  ~ claim {shorten(iri)}: {change}")
        for iri in sorted(self.statements_changed)[:examples]:
            st = self.statements_changed[iri]
            change = ", ".join(f"{f} {a}→{b}" for f, (a, b) in st.items() if f != "was")
            lines.append(f"  ~ statement {shorten(iri)}: {change}")
        return "\n".join(lines)


def _short(v: Any) -> Any:
    if isinstance(v, str) and v.startswith(("http://", "https://")):
        return shorten(v)
    if isinstance(v, list):
        return [_short(x) for x in v]
    return v


def _claim_text(c: dict) -> str:
    if not c.get("subject"):
        return "?"
    return " ".join(shorten(c[k]) for k in ("subject", "predicate", "object"))


def _changes(a: dict, b: dict, fields: Sequence[str]) -> dict[str, list]:
    return {f: [a.get(f), b.get(f)] for f in fields if a.get(f) != b.get(f)}


def diff(
    a,
    b,
    *,
    documents_only: Iterable[str] | None = None,
    claims_only: Iterable[str] | None = None,
) -> Diff:
    """The :class:`Diff` from store ``a`` to store ``b`` (any :class:`kgraph.store.Store`).

    ``documents_only`` and ``claims_only`` limit the comparison to those IRIs (both must then be
    given: what an update touched); by default everything is compared.

    >>> from kgraph import load
    >>> from kgraph.store import open_store
    >>> a, b = load().store, open_store("memory:")
    >>> b.replace([])  # an empty graph: every document, statement and claim of a is removed
    >>> counts = diff(a, b).counts()
    >>> counts["documents"], counts["claims"]["added"]
    ({'added': 0, 'removed': 4, 'changed': 0}, 0)
    """
    out = Diff()
    if documents_only is not None or claims_only is not None:  # what an update touched
        docs = set(documents_only or ())
        da, db = _documents(a, docs), _documents(b, docs)
        na, nb = _statement_sums(a, docs), _statement_sums(b, docs)
        claims = set(claims_only or ())
    else:  # whole stores: digests computed inside each store (both at once), then the differing
        with ThreadPoolExecutor(max_workers=2) as pool:
            ga, gb = pool.map(_digests, (a, b))
        docs = {
            d
            for d in ga.documents.keys() | gb.documents.keys()
            if ga.documents.get(d) != gb.documents.get(d)
        }
        da, db = _documents(a, docs), _documents(b, docs)
        na, nb = ga.statements, gb.statements
        claims = {
            c for c in ga.claims.keys() | gb.claims.keys() if ga.claims.get(c) != gb.claims.get(c)
        }
    out.documents_added = {k: db[k] for k in db.keys() - da.keys()}
    out.documents_removed = {k: da[k] for k in da.keys() - db.keys()}
    # statements: documents whose statement digests differ, then only their statements' IRIs
    moved = {d for d in na.keys() | nb.keys() if na.get(d) != nb.get(d)}
    sa, sb = _statement_iris(a, moved), _statement_iris(b, moved)
    added = _statement_details(b, sb.keys() - sa.keys())
    removed = _statement_details(a, sa.keys() - sb.keys())
    touched = {r["document"] for r in (*added.values(), *removed.values())}
    by_place = {tuple(r[k] for k in _IDENTITY): iri for iri, r in removed.items()}
    for iri in sorted(added):
        old = by_place.pop(tuple(added[iri][k] for k in _IDENTITY), None)
        if old is not None and (change := _changes(removed[old], added[iri], STATEMENT_FIELDS)):
            out.statements_changed[iri] = {"was": [old, iri], **change}
            removed.pop(old)
            added.pop(iri)
    out.statements_added, out.statements_removed = added, removed
    for doc in sorted(da.keys() & db.keys()):
        change = _changes(da[doc], db[doc], ("identifier", "title"))
        if doc in touched:
            change["statements"] = [na.get(doc, (0, 0))[0], nb.get(doc, (0, 0))[0]]
        if change:
            out.documents_changed[doc] = change
    ca, cb = _claims(a, claims), _claims(b, claims)
    out.claims_added = _with_keys(b, {k: cb[k] for k in cb.keys() - ca.keys()})
    out.claims_removed = _with_keys(a, {k: ca[k] for k in ca.keys() - cb.keys()})
    for k in ca.keys() & cb.keys():
        if change := _changes(ca[k], cb[k], CLAIM_FIELDS):
            out.claims_changed[k] = change
    return out


def is_store(path: Path) -> bool:
    """Whether ``path`` is a kgraph store (a generation link or an Oxigraph folder), not a corpus.

    >>> is_store(Path("corpus"))
    False
    """
    return path.is_symlink() or (path / "CURRENT").is_file()


@contextlib.contextmanager
def opened(spec: str, *, lenient: bool = False) -> Iterator[Any]:
    """The store ``spec`` names (a store path or URL), or a corpus file or folder built into a
    temporary store (removed on exit) so that a store can be compared with a corpus.

    >>> from kgraph.vocab import corpus_dir
    >>> with opened(str(corpus_dir())) as store:
    ...     diff(store, store).empty
    True
    """
    path = Path(spec)
    if path.exists() and not is_store(path):
        with tempfile.TemporaryDirectory(prefix="kgraph-diff-") as tmp:
            store = open_store(Path(tmp) / "store")
            build_store(store, [path], lenient=lenient)
            yield store
            store.close()
        return
    yield open_store(spec, read_only=True)


def since(store, previous: Path | None) -> Diff | None:
    """What a build changed: the diff from the generation ``previous`` (the store's generation
    before the build, see :meth:`kgraph.store.oxigraph.OxigraphStore.current`) to ``store`` now;
    ``None`` when there was none or it is gone.

    >>> from kgraph import load
    >>> since(load().store, None) is None
    True
    """
    if previous is None or not previous.is_dir() or previous == store.current():
        return None
    return diff(open_store(previous, read_only=True), store)
