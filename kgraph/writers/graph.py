"""The graph's documents as :class:`~kgraph.model.Document` objects again, for the writers.

The graph keeps what a claim needs, not whole texts: per statement its document, subject,
predicate, object, flags, the two mention texts and the sentence (start, end, quote with 32
characters of prefix and suffix). :func:`documents` rebuilds from that a document per graph
document whose build gives the same data graph:

- the text holds every quoted sentence (with its prefix and suffix) at its offset; what the graph
  does not know is filled with newlines, so offsets, sentence bounds and quotes come out the same;
- each statement becomes a relation between two mentions found in its sentence, each mention
  normalised to its entity's CURIE (an entity the build minted from text keeps no CURIE: its text
  grounds it again);
- every entity the document mentions gets a mention (its label), and an entity the build declared
  (outside the lexicon) is first met with its label as text, so it is declared with the same label.

A reviewed graph (:mod:`kgraph.curation`) is written as the review left it: accepted proposals and
corrections as plain statements, rejected statements left out (counted in the report); the review
itself stays in the corpus's ``curation.jsonl``.

The SPARQL lives in ``kgraph/writers/queries/*.rq``.

>>> from kgraph.build import build_store
>>> from kgraph.store import open_store
>>> from kgraph.vocab import corpus_dir
>>> store = open_store("memory:")
>>> _ = build_store(store, [corpus_dir()])
>>> docs = list(documents(store))
>>> len(docs), sum(len(d.relations) for d in docs) > 0
(4, True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from urllib.parse import unquote

from ..errors import FormatError
from ..model import Document, Mention, Relation, Span
from ..vocab import KG, KGD, KGO, compress

__all__ = ["ExportReport", "documents", "query_text"]

_CONTEXT = 32  # the build's prefix / suffix length (kgraph.build._CONTEXT)
_PUBMED = f"{KGD}pubmed/"
_MINTED = f"{KG}text/"


@dataclass
class ExportReport:
    """What an export wrote and what it could not (``skipped`` counts by reason)."""

    documents: int = 0
    mentions: int = 0
    relations: int = 0
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def warn(self, reason: str, message: str) -> None:
        self.skipped[reason] += 1
        if len(self.warnings) < 200:
            self.warnings.append(message)


def query_text(name: str) -> str:
    """The SPARQL of ``kgraph/writers/queries/NAME.rq``.

    >>> "kgo:Document" in query_text("documents")
    True
    """
    return resources.files(__package__).joinpath("queries", f"{name}.rq").read_text("utf-8")


def _v(term) -> str | None:
    return None if term is None else term.value


def _local(iri: str | None) -> str | None:
    if not iri:
        return None
    return unquote(iri[len(str(KGO)) :] if iri.startswith(str(KGO)) else iri.rsplit("#", 1)[-1])


def _rows(store, name: str) -> list[dict[str, str | None]]:
    result = store.query(query_text(name))
    return [{k: _v(t) for k, t in zip(result.variables, row, strict=True)} for row in result.rows]


def documents(store, *, report: ExportReport | None = None) -> Iterator[Document]:
    """Every document of ``store``'s data graph, rebuilt (see the module text), in IRI order."""
    report = report if report is not None else ExportReport()
    by_doc: dict[str, list[dict]] = {}
    for row in _rows(store, "assertions"):
        by_doc.setdefault(row["doc"], []).append(row)
    entities: dict[str, dict[str, dict]] = {}
    for row in _rows(store, "mentions"):
        entities.setdefault(row["doc"], {}).setdefault(row["entity"], row)
    declared: set[str] = set()  # entities declared by an earlier document (build order)
    for meta in _rows(store, "documents"):
        iri = meta["doc"]
        doc = _Rebuild(iri, meta, by_doc.get(iri, []), entities.get(iri, {}), report)
        yield doc.document(declared)
        report.documents += 1


class _Rebuild:
    """One document: text from the quoted sentences, mentions placed in them, relations."""

    def __init__(self, iri: str, meta: dict, rows: list[dict], entities: dict, report) -> None:
        self.iri, self.meta, self.rows, self.entities, self.report = (
            iri,
            meta,
            rows,
            entities,
            report,
        )
        if iri.startswith(_PUBMED):
            self.id = unquote(iri[len(_PUBMED) :])
            self.pmid: str | None = self.id
        else:
            self.id = unquote(iri[len(str(KGD)) :])
            self.pmid = None
        self.chars: list[str] = []
        self.known: bytearray = bytearray()
        self.closed = False
        self.mentions: dict[tuple, Mention] = {}  # (spans, entity) → mention

    # -- text ---------------------------------------------------------------------------------
    def _text(self) -> None:
        pieces = []
        for r in self.rows:
            if r["start"] is None:
                continue
            start = int(r["start"])
            prefix, suffix = r["prefix"] or "", r["suffix"] or ""
            pieces.append((start - len(prefix), prefix + r["exact"] + suffix))
            if len(suffix) < _CONTEXT:
                self.closed = True
        size = max((a + len(s) for a, s in pieces), default=0)
        self.chars = ["\n"] * size
        self.known = bytearray(size)
        for a, s in pieces:
            for i, c in enumerate(s, start=a):
                if self.known[i] and self.chars[i] != c:
                    raise FormatError(
                        f"the graph quotes two different texts at offset {i}", document=self.id
                    )
                self.chars[i], self.known[i] = c, 1

    def _room(self, label: str) -> Span | None:
        """Where an extra mention with text ``label`` can go: in the known text, or in a gap."""
        text = "".join(self.chars)
        i = text.find(label)
        if label and "\n" not in label and i >= 0:
            return Span(i, i + len(label))
        if not label or "\n" in label:
            return None
        n, run = len(self.chars), 0
        for i in range(n + 1):
            if i < n and not self.known[i]:
                run += 1
                continue
            lo = i - run  # a gap [lo, i) of filler newlines, kept as newlines at both ends
            start = lo + (0 if lo == 0 else 1)
            if run and start + len(label) <= i - 1:
                return self._put(start, label)
            run = 0
        if self.closed:
            return None
        start = n + (1 if n else 0)
        self.chars += ["\n"] * (start - n) + [""] * len(label)
        self.known += bytearray(start + len(label) - n)
        return self._put(start, label)

    def _put(self, start: int, label: str) -> Span:
        for i, c in enumerate(label, start=start):
            self.chars[i], self.known[i] = c, 1
        return Span(start, start + len(label))

    # -- mentions -----------------------------------------------------------------------------
    def _entity(self, entity: str) -> tuple[str, tuple[str, ...]] | None:
        """The mention type and concepts that ground to ``entity`` again."""
        row = self.entities.get(entity)
        cls = _local(row["class"]) if row else None
        if cls is None:
            self.report.warn("entity without class", f"{self.id}: {entity} has no class")
            return None
        if entity.startswith(_MINTED):
            return cls, ()
        curie = compress(entity)
        if curie is None:
            self.report.warn("entity without CURIE", f"{self.id}: no CURIE for {entity}")
            return None
        return cls, (curie,)

    def _mention(
        self, span: Span, entity: str, text: str, own: int | None = None
    ) -> Mention | None:
        key = ((span.start, span.end), entity) + ((own,) if own is not None else ())
        m = self.mentions.get(key)
        if m is None:
            how = self._entity(entity)
            if how is None:
                return None
            m = Mention(f"T{len(self.mentions) + 1}", how[0], (span,), text, how[1])
            self.mentions[key] = m
        return m

    def _place(self, r: dict) -> tuple[Span, Span] | None:
        """Spans of the subject and object texts inside the sentence that give its bounds again."""
        text = "".join(self.chars)
        start, end = int(r["start"]), int(r["end"])
        stext, otext = r["stext"] or "", r["otext"] or ""

        def spots(t: str) -> list[Span]:
            out, i = [], text.find(t, start, end) if t else -1
            while i >= 0:
                out.append(Span(i, i + len(t)))
                i = text.find(t, i + 1, end)
            return out

        for a in spots(stext):
            for b in spots(otext):
                pair = Document(
                    "probe",
                    text,
                    (Mention("S", "x", (a,), stext), Mention("O", "x", (b,), otext)),
                )
                rel = Relation("R", "x", "S", "O")
                if pair.sentence_span(rel) == Span(start, end):
                    return a, b
        return None

    # -- the document -------------------------------------------------------------------------
    def _flags(self, r: dict) -> dict[str, object]:
        """The Relation keyword arguments of a statement row (those the model has)."""
        flags: dict[str, object] = {
            "negated": (r["negated"] or "false") == "true",
            "certainty": _local(r["certainty"]) or "Asserted",
            "evidence_level": _local(r["level"]),
            "question": r["kind"] == f"{KGO}ResearchQuestion",
            "note": r["note"],
            "proposed": (r["proposed"] or "false") == "true",
            "confidence": _local(r["confidence"]),
            "comparison": _local(r["comparison"]),
            "degree": _local(r["degree"]),
            "mediation": _local(r["mediation"]),
        }
        fields = Relation.__dataclass_fields__
        kept = {k: v for k, v in flags.items() if k in fields and v not in (None, False)}
        if "negated" in kept or "certainty" in fields:
            kept["certainty"] = flags["certainty"]
        if kept.get("question"):
            kept = self._question_flags(r, kept)
        lost = [k for k, v in flags.items() if k not in fields and v not in (None, False)]
        if lost:
            self.report.warn("not in this model", f"{self.id}: {', '.join(lost)} of {r['a']}")
        return kept

    def _question_flags(self, r: dict, flags: dict[str, object]) -> dict[str, object]:
        """A research question's RDF leaves out its polarity and certainty, but its IRI hashes
        them: the pair that gives the IRI back is the one the source had."""
        from ..emission import Statement, statement_digest
        from ..model import CERTAINTIES
        from ..summary import ClaimKey

        digest = r["a"].rsplit("/", 1)[-1]
        key = ClaimKey(
            r["s"],
            r["p"],
            r["o"],
            _local(r["comparison"]),
            r["comparator"],
            _local(r["degree"]),
            _local(r["mediation"]),
            r["mediator"],
        )
        span = Span(int(r["start"]), int(r["end"])) if r["start"] is not None else None
        for negated in (False, True):
            for certainty in CERTAINTIES:
                guess = {**flags, "negated": negated, "certainty": certainty}
                rel = Relation("R", "x", "S", "O", **guess)  # type: ignore[arg-type]
                if statement_digest(Statement(f"<{self.iri}>", key, rel, span)) == digest:
                    return guess
        return flags

    def _qualifier_mention(self, entity: str, sentence: Span) -> str | None:
        """A mention of a comparator or mediator: its label anywhere in the text or, for an
        entity grounded by its CURIE (whose words do not matter), the sentence's first word."""
        row = self.entities.get(entity)
        how = self._entity(entity)
        mine = [m for k, m in self.mentions.items() if k[1] == entity]
        if mine:
            return mine[0].id
        span = self._room((row or {}).get("label") or "")
        if span is None and how is not None and how[1]:
            word = re.compile(r"\w+").search("".join(self.chars), sentence.start, sentence.end)
            span = Span(word.start(), word.end()) if word else None
        if how is None or span is None:
            self.report.warn(
                "qualifier not placed", f"{self.id}: no room for a mention of {entity}"
            )
            return None
        m = self._mention(span, entity, "".join(self.chars[span.start : span.end]))
        return m.id if m else None

    def document(self, declared: set[str]) -> Document:
        self._text()
        relations: list[Relation] = []
        for r in self.rows:
            if r["review"] == f"{KGO}Rejected":  # not a claim; the corpus's log keeps the review
                self.report.warn("rejected in review", f"{self.id}: {r['a']} left out")
                continue
            flags = self._flags(r)
            if r["start"] is None:  # a document-level statement: between concepts
                ends = [
                    self._entity(e) for e in (r["s"], r["o"], r["comparator"], r["mediator"]) if e
                ]
                if any(e is None or not e[1] for e in ends):
                    continue
                for e in (r["s"], r["o"], r["comparator"], r["mediator"]):
                    if e:
                        self._extra(e, declared)
                        flags |= {k: compress(e) for k in ("comparator", "mediator") if r[k] == e}
                relations.append(
                    Relation(
                        f"R{len(relations) + 1}",
                        _local(r["p"]) or r["p"],
                        ends[0][1][0],  # type: ignore[index]
                        ends[1][1][0],  # type: ignore[index]
                        by_concept=True,
                        **flags,  # type: ignore[arg-type]
                    )
                )
                continue
            spans = self._place(r)
            if spans is None:
                self.report.warn(
                    "statement not placed",
                    f"{self.id}: cannot find {r['stext']!r} and {r['otext']!r} in the sentence "
                    f"{r['start']}-{r['end']} of {r['a']}",
                )
                continue
            qualified = bool(r["comparator"] or r["mediator"])
            # a comparator / mediator names the claim by its subject mention: one of its own
            sm = self._mention(
                spans[0], r["s"], r["stext"], own=len(relations) if qualified else None
            )
            om = self._mention(spans[1], r["o"], r["otext"])
            if sm is None or om is None:
                continue
            for k in ("comparator", "mediator"):
                if r[k]:
                    ref = self._qualifier_mention(r[k], Span(int(r["start"]), int(r["end"])))
                    if ref is None:
                        break
                    flags[k] = ref
            else:
                relations.append(
                    Relation(
                        f"R{len(relations) + 1}",
                        _local(r["p"]) or r["p"],
                        sm.id,
                        om.id,
                        **flags,  # type: ignore[arg-type]
                    )
                )
        for entity in sorted(self.entities):
            self._extra(entity, declared)
        first: list[Mention] = []  # the mention that declares an entity comes first
        for entity, row in sorted(self.entities.items()):
            if row["declared"] == "true" and entity not in declared:
                declared.add(entity)
                label = row["label"] or ""
                m = next(
                    (m for k, m in self.mentions.items() if k[1] == entity and m.text == label),
                    None,
                )
                if m is None:
                    self.report.warn(
                        "label not placed",
                        f"{self.id}: no room for the label {label!r} of {entity}",
                    )
                else:
                    first.append(m)
        ordered = first + [m for m in self.mentions.values() if m not in first]
        self.report.mentions += len(ordered)
        self.report.relations += len(relations)
        return Document(
            self.id,
            "".join(self.chars),
            tuple(ordered),
            tuple(relations),
            MappingProxyType(self._metadata()),
        )

    def _extra(self, entity: str, declared: set[str]) -> None:
        """A mention of ``entity`` (its label) unless the document has one the build will use."""
        row = self.entities.get(entity)
        if row is None:
            return
        label = row["label"] or entity.rsplit("/", 1)[-1]
        mine = [m for k, m in self.mentions.items() if k[1] == entity]
        needs_label = row["declared"] == "true" and entity not in declared
        if mine and (not needs_label or any(m.text == label for m in mine)):
            return
        span = self._room(label)
        if span is None:
            if not mine:
                self.report.warn(
                    "mention not placed", f"{self.id}: no room for a mention of {entity}"
                )
            return
        self._mention(span, entity, label)

    def _metadata(self) -> dict[str, str]:
        m = self.meta
        out = {"format": "kgraph"}
        for key in ("title", "publisher", "date", "author", "url", "seed"):
            if m.get(key):
                out[key] = m[key]
        if m.get("sourceType"):
            out["source_type"] = _local(m["sourceType"]) or ""
        if self.pmid:
            out["pmid"] = self.pmid
        return out
