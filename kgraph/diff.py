"""What changed between two graphs: documents, statements and claims added, removed and changed.

A build's IRIs are hashes of content (:func:`kgraph.emission.statement_digest`,
:meth:`kgraph.summary.ClaimKey.iri`), so two graphs are compared by IRI:

- **documents** are added or removed by IRI, and *changed* when their title or statements differ;
- **statements** (assertions and research questions) are added or removed by IRI; an added and a
  removed statement of the same document, subject, predicate, object, qualifiers and sentence are
  one *changed* statement (its polarity, certainty, level, kind or proposal differ);
- **claims** are added or removed by IRI (the claim key), and *changed* when their summary counts
  differ (supporting, denying, documents, firm, research, source types, levels).

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
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .build import build_store
from .query import BATCH, bind, internal
from .store import open_store
from .store.oxigraph import OxigraphStore
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
)


def _value(term: object) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith("#integer"):
            return int(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value  # type: ignore[attr-defined]


def select(store, name: str, **params: Sequence[ox.NamedNode] | None) -> Iterator[dict]:
    """Rows of the internal query ``_NAME.rq`` over ``store`` (a kgraph store or a pyoxigraph
    ``Store``) as dicts of Python values; a long list of IRIs bound to one parameter is looked up
    :data:`kgraph.query.BATCH` at a time.

    >>> from kgraph import load
    >>> rows = list(select(load().store, "diff-documents"))
    >>> len(rows), sorted(rows[0])
    (4, ['document', 'identifier', 'title'])
    """
    sparql = internal(name)
    batched = [k for k, v in params.items() if v is not None and len(v) > BATCH]
    if len(batched) > 1:
        raise ValueError(f"only one parameter may be batched, not {batched}")
    if batched:
        key = batched[0]
        values = list(params[key] or ())
        for i in range(0, len(values), BATCH):
            yield from select(store, name, **{**params, key: values[i : i + BATCH]})
        return
    sparql = bind(sparql, {k: v for k, v in params.items() if v is not None})
    if isinstance(store, OxigraphStore):  # read the solutions as they stream (a whole store's)
        store = store._reader()
    if isinstance(store, ox.Store):
        result = store.query(sparql, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        for sol in result:
            yield {n: _value(sol[n]) for n in names}
        return
    result = store.query(sparql)
    for row in result.rows:
        yield {n: _value(t) for n, t in zip(result.variables, row, strict=True)}


def _nodes(iris: Iterable[str] | None) -> list[ox.NamedNode] | None:
    return None if iris is None else [ox.NamedNode(i) for i in sorted(iris)]


def _documents(store, only: Iterable[str] | None = None) -> dict[str, dict]:
    """``{document IRI: {"identifier", "title"}}`` of ``store`` (only the IRIs ``only``); of two
    titles (a document read from two sources), the first in code-point order."""
    out: dict[str, dict] = {}
    for r in select(store, "diff-documents", document=_nodes(only)):
        d = r.pop("document")
        seen = out.get(d)
        if seen is None or (r["title"] or "") < (seen["title"] or ""):
            out[d] = r
    return out


def _statement_iris(store, only_documents: Iterable[str] | None = None) -> dict[str, str]:
    """``{statement IRI: document IRI}`` of ``store`` (only of the documents given)."""
    rows = select(store, "diff-statement-iris", document=_nodes(only_documents))
    return {r["statement"]: r["document"] for r in rows}


def _statement_details(store, iris: Iterable[str]) -> dict[str, dict]:
    """What each statement of ``iris`` says (see ``_diff-statements.rq``); values as Python."""
    out: dict[str, dict] = {}
    for r in select(store, "diff-statements", statement=_nodes(iris)):
        r["kind"] = shorten(r["kind"])
        for k in ("certainty", "level", "comparison", "degree", "mediation"):
            if r[k] is not None:
                r[k] = r[k].rpartition("#")[2]
        out[r.pop("statement")] = r
    return out


def _claims(store, only: Iterable[str] | None = None) -> dict[str, dict]:
    """``{claim IRI: summary counts, source types, levels}`` of ``store`` (only the IRIs
    ``only``). Simple joins, no grouping: a whole store's claims are read in one pass each."""
    out = {}
    for r in select(store, "diff-claims", claim=_nodes(only)):
        out[r.pop("claim")] = r
    values: dict[tuple[str, str], list[str]] = {}
    for r in select(store, "diff-claim-values", claim=_nodes(only)):
        kind = "sourceTypes" if r["kind"].endswith("SourceType") else "levels"
        values.setdefault((r["claim"], kind), []).append(r["value"].rpartition("#")[2])
    for c, r in out.items():
        r["sourceTypes"] = " ".join(sorted(values.get((c, "sourceTypes"), ())))
        r["levels"] = " ".join(sorted(values.get((c, "levels"), ())))
    return out


def _with_keys(store, claims: dict[str, dict]) -> dict[str, dict]:
    """``claims`` with the subject, predicate and object of each (for added and removed ones)."""
    for r in select(store, "diff-claim-keys", claim=_nodes(claims)):
        claims[r.pop("claim")].update(r)
    return claims


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
    limited = documents_only is not None or claims_only is not None
    docs_only = set(documents_only or ()) if limited else None
    claims_of = set(claims_only or ()) if limited else None
    out = Diff()
    da, db = _documents(a, docs_only), _documents(b, docs_only)
    out.documents_added = {k: db[k] for k in db.keys() - da.keys()}
    out.documents_removed = {k: da[k] for k in da.keys() - db.keys()}
    sa, sb = _statement_iris(a, docs_only), _statement_iris(b, docs_only)
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
    na, nb = Counter(sa.values()), Counter(sb.values())
    for doc in sorted(da.keys() & db.keys()):
        change = _changes(da[doc], db[doc], ("identifier", "title"))
        if doc in touched:
            change["statements"] = [na[doc], nb[doc]]
        if change:
            out.documents_changed[doc] = change
    ca, cb = _claims(a, claims_of), _claims(b, claims_of)
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
