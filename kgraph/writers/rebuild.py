"""One graph document rebuilt (:func:`kgraph.writers.graph.documents` explains how): its text
from the quoted sentences, its mentions placed in them, its relations with their flags.

>>> from kgraph.writers.report import ExportReport
>>> rebuilt = Rebuild("https://w3id.org/kgraph/document/d1", {"title": "t"}, [], {}, ExportReport())
>>> rebuilt.document(set()).metadata["title"]
't'
"""

from __future__ import annotations

import re
from types import MappingProxyType
from urllib.parse import unquote

from ..emission import Statement, statement_digest
from ..errors import FormatError
from ..model import CERTAINTIES, Document, Mention, Relation, Span
from ..summary import ClaimKey
from ..vocab import KG, KGD, KGO, compress
from .report import local

__all__ = ["Rebuild"]

_CONTEXT = 32  # the build's prefix / suffix length (kgraph.nquads.CONTEXT)
_PUBMED = f"{KGD}pubmed/"
_MINTED = f"{KG}text/"


class Rebuild:
    """One document: text from the quoted sentences, mentions placed in them, relations.

    >>> from kgraph.writers.report import ExportReport
    >>> Rebuild("https://w3id.org/kgraph/document/pubmed/123", {}, [], {}, ExportReport()).pmid
    '123'
    """

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
        cls = local(row["class"]) if row else None
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
        question = r["kind"] == f"{KGO}ResearchQuestion"
        # a question records its own polarity and certainty (no assertion's, which it is not)
        negated, certainty = (
            (r["qnegated"], r["qcertainty"]) if question else (r["negated"], r["certainty"])
        )
        flags: dict[str, object] = {
            "negated": (negated or "false") == "true",
            "certainty": local(certainty) or "Asserted",
            "evidence_level": local(r["level"]),
            "question": question,
            "note": r["note"],
            "proposed": (r["proposed"] or "false") == "true",
            "confidence": local(r["confidence"]),
            "comparison": local(r["comparison"]),
            "degree": local(r["degree"]),
            "mediation": local(r["mediation"]),
        }
        fields = Relation.__dataclass_fields__
        kept = {k: v for k, v in flags.items() if k in fields and v not in (None, False)}
        if "negated" in kept or "certainty" in fields:
            kept["certainty"] = flags["certainty"]
        if kept.get("question") and None in (r["qnegated"], r["qcertainty"]):
            kept = self._question_flags(r, kept)  # a store from before questions kept them
        lost = [k for k, v in flags.items() if k not in fields and v not in (None, False)]
        if lost:
            self.report.warn("not in this model", f"{self.id}: {', '.join(lost)} of {r['a']}")
        return kept

    def _question_flags(self, r: dict, flags: dict[str, object]) -> dict[str, object]:
        """The polarity and certainty of a research question in a store built before questions
        recorded them (``kgo:questionNegated``, ``kgo:questionCertainty``): its IRI hashes them,
        so the pair that gives the IRI back is the one the source had."""
        digest = r["a"].rsplit("/", 1)[-1]
        key = ClaimKey(
            r["s"],
            r["p"],
            r["o"],
            local(r["comparison"]),
            r["comparator"],
            local(r["degree"]),
            local(r["mediation"]),
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
                        local(r["p"]) or r["p"],
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
                        local(r["p"]) or r["p"],
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
            out["source_type"] = local(m["sourceType"]) or ""
        if self.pmid:
            out["pmid"] = self.pmid
        return out
