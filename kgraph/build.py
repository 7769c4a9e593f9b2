"""From grounded documents to RDF: the direct triples plus an evidence-bearing assertion per claim.

For every relation of a document whose ends ground to entities ``S`` and ``O`` and whose type maps to
property ``P``, the builder writes (all into the data graph, IRIs deterministic):

- the **direct triple** ``S P O`` (not for a negated claim: "X does not block Y" asserts nothing);
- an **assertion** ``kga:<hash>`` (``kgo:Assertion``, an ``rdf:Statement``) with ``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``, ``kgo:negated``, ``kgo:certainty``, ``kgo:evidenceLevel``,
  ``prov:wasDerivedFrom`` the document, the mention texts, and ``kgo:evidence``: a W3C Web Annotation
  whose target is the document, selected by a ``TextPositionSelector`` (sentence start and end) and a
  ``TextQuoteSelector`` (the sentence, with prefix and suffix). Document-level relations (PubTator,
  BioC) get a target without selectors.

Each entity also gets ``kgo:mentionedIn`` its documents; entities outside the lexicon get their class,
a label and their identifier.

Lines are N-Quads strings, so any store can bulk-load them.

>>> from kgraph.model import Document, Mention, Relation, Span
>>> doc = Document("d1", "Ketamine blocks NMDA receptors.\\n",
...     (Mention("T1", "Compound", (Span(0, 8),), "Ketamine", ("kg:ketamine",)),
...      Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors", ("kg:nmda_receptor",))),
...     (Relation("R1", "antagonistOf", "T1", "T2", evidence_level="Review"),),
...     {"title": "t", "source_type": "Review", "format": "kgraph"})
>>> b = Builder()
>>> lines = list(b.document_lines(doc))
>>> any("ketamine> <https://w3id.org/kgraph/ontology#antagonistOf>" in x for x in lines)
True
>>> b.report.relations, b.report.assertions
(1, 1)
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .curation import Curation, excluded
from .errors import FormatError, GroundingError
from .grounding import Grounded, Lexicon, ground_mention, relation_property
from .model import Document, Relation
from .vocab import (
    DCTERMS,
    GRAPH_DATA,
    KGA,
    KGD,
    KGO,
    OA,
    PROV,
    RDF,
    RDFS,
    XSD,
    compress,
)

if TYPE_CHECKING:
    from .validate import ValidationReport

__all__ = ["BuildReport", "Builder", "build_store", "document_iri", "nquad_literal"]

_G = f"<{GRAPH_DATA}>"
_TYPE = f"<{RDF.type}>"
_LABEL = f"<{RDFS.label}>"
_CONTEXT = 32  # characters of prefix / suffix in a TextQuoteSelector
_XSD_INT = f"<{XSD.integer}>"  # Oxigraph stores derived integer types as xsd:integer
_XSD_BOOL = f"<{XSD.boolean}>"
_TRUE = f'"true"^^{_XSD_BOOL}'
_FALSE = f'"false"^^{_XSD_BOOL}'

_CACHE_SIZE = 1 << 18  # grounding results kept per build (a bound for huge text-grounded corpora)

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nquad_literal(value: str, datatype: str | None = None) -> str:
    """An N-Quads literal.

    >>> nquad_literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    lit = '"' + value.translate(_ESCAPES) + '"'
    return f"{lit}^^<{datatype}>" if datatype else lit


_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def web_iri(url: str) -> str | None:
    """``url`` as an IRI N-Quads can carry when it is an absolute http(s) URL, else ``None``.

    >>> web_iri("https://example.org/a b?q=%zz"), web_iri("javascript:alert(1)"), web_iri("x y")
    ('https://example.org/a%20b?q=%25zz', None, None)
    """
    import pyoxigraph

    url = url.strip()
    if not re.match(r"(?i)https?://", url):
        return None
    iri = quote(_BARE_PERCENT.sub("%25", url), safe=":/?#[]@!$&()*+,;=%~")
    try:
        pyoxigraph.NamedNode(iri)  # the parser the store loads with: the same checks
    except ValueError:
        return None
    return iri


def _int(n: int) -> str:
    return f'"{n}"^^{_XSD_INT}'


def document_iri(doc: Document) -> str:
    """``kgd:pubmed/<PMID>`` for PubMed documents, else ``kgd:<id>``: the same in every format."""
    pmid = doc.metadata.get("pmid")
    if pmid:
        return f"{KGD}pubmed/{quote(pmid, safe='')}"
    return f"{KGD}{quote(doc.id, safe='')}"


def _p(iri: str) -> str:
    return f"<{iri}>"


# Predicates, pre-formatted once.
_P = {
    name: _p(str(iri))
    for name, iri in {
        "subject": RDF.subject,
        "predicate": RDF.predicate,
        "object": RDF.object,
        "negated": KGO.negated,
        "certainty": KGO.certainty,
        "level": KGO.evidenceLevel,
        "derived": PROV.wasDerivedFrom,
        "evidence": KGO.evidence,
        "stext": KGO.subjectText,
        "otext": KGO.objectText,
        "body": OA.hasBody,
        "target": OA.hasTarget,
        "source": OA.hasSource,
        "selector": OA.hasSelector,
        "start": OA.start,
        "end": OA.end,
        "exact": OA.exact,
        "prefix": OA.prefix,
        "suffix": OA.suffix,
        "mentioned": KGO.mentionedIn,
        "title": DCTERMS.title,
        "publisher": DCTERMS.publisher,
        "date": DCTERMS.date,
        "creator": DCTERMS.creator,
        "identifier": DCTERMS.identifier,
        "source_type": KGO.sourceType,
        "seeAlso": RDFS.seeAlso,
        "dsource": DCTERMS.source,
        # the summary (see Builder.summary_lines)
        "claim": KGO.aboutClaim,
        "c_subject": KGO.claimSubject,
        "c_predicate": KGO.claimPredicate,
        "c_object": KGO.claimObject,
        "c_sup": KGO.supportingStatementCount,
        "c_den": KGO.denyingStatementCount,
        "c_supdocs": KGO.supportingDocumentCount,
        "c_dendocs": KGO.denyingDocumentCount,
        "c_firm": KGO.firmStatementCount,
        "c_research": KGO.researchStatementCount,
        "c_st": KGO.supportingSourceType,
        "c_level": KGO.supportingEvidenceLevel,
        "d_statements": KGO.statementCount,
        "d_negated": KGO.negatedStatementCount,
        "d_hedged": KGO.hedgedStatementCount,
        "d_entities": KGO.entityCount,
        "d_unique": KGO.uniqueClaimCount,
        "d_level": KGO.usesEvidenceLevel,
    }.items()
}
_C = {
    name: _p(str(iri))
    for name, iri in {
        "Assertion": KGO.Assertion,
        "Claim": KGO.Claim,
        "Document": KGO.Document,
        "Annotation": OA.Annotation,
        "SpecificResource": OA.SpecificResource,
        "Position": OA.TextPositionSelector,
        "Quote": OA.TextQuoteSelector,
    }.items()
}


@dataclass
class BuildReport:
    """What a build read, wrote and skipped (``skipped`` counts by reason)."""

    documents: int = 0
    mentions: int = 0
    relations: int = 0
    assertions: int = 0
    triples: int = 0
    entities: set[str] = field(default_factory=set)
    grounded: Counter = field(default_factory=Counter)  # how mentions were grounded
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    max_warnings: int = 200
    validation: ValidationReport | None = None  # set when the build validated (kgraph.validate)

    def warn(self, reason: str, error: FormatError) -> None:
        self.skipped[reason] += 1
        if len(self.warnings) < self.max_warnings:
            self.warnings.append(str(error))

    def summary(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "mentions": self.mentions,
            "entities": len(self.entities),
            "relations": self.relations,
            "assertions": self.assertions,
            "triples": self.triples,
            "grounded": dict(self.grounded),
            "skipped": dict(self.skipped),
            "warnings": sum(self.skipped.values()),
        }


#: Source types whose statements are opinion or promotion, not research (see researchStatementCount).
WEAK_SOURCE_TYPES = frozenset({"OpinionArticle", "ClinicMarketingPage"})


@dataclass(slots=True)
class _ClaimTally:
    iri: str
    supporting: int = 0
    denying: int = 0
    firm: int = 0
    research: int = 0
    supporting_docs: set[str] = field(default_factory=set)
    denying_docs: set[str] = field(default_factory=set)
    source_types: set[str] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _DocTally:
    source_type: str
    statements: int = 0
    negated: int = 0
    hedged: int = 0
    entities: set[str] = field(default_factory=set)
    levels: set[str] = field(default_factory=set)


class Builder:
    """Turns documents into N-Quads lines; holds the lexicon and what it has declared so far.

    ``lenient=True`` turns grounding errors (unknown type, relation or entity) into warnings that
    the report counts; a malformed file is always an error.
    """

    def __init__(self, lexicon: Lexicon | None = None, *, lenient: bool = False) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.lenient = lenient
        self.report = BuildReport()
        self._declared: set[str] = set()
        self._grounding: dict[tuple, Grounded] = {}  # (format, type, concepts or text) → result
        self._properties: dict[tuple[str, str], str] = {}  # (format, relation type) → property
        # What the summary needs, counted once per distinct assertion (a document read twice,
        # or from two corpora, merges into the same nodes and must not count twice).
        self._seen: set[str] = set()
        self._claims: dict[tuple[str, str, str], _ClaimTally] = {}
        self._docs: dict[str, _DocTally] = {}
        self.curation = None  # kgraph.curation.Curation: the review of the statements, if any

    def lines(
        self, documents: Iterable[Document], progress: Callable[[Document], None] | None = None
    ) -> Iterator[str]:
        """Every N-Quads line for ``documents``, one document at a time, then the summary."""
        for doc in documents:
            yield from self.document_lines(doc)
            if progress is not None:
                progress(doc)
        yield from self.summary_lines()

    def summary_lines(self) -> Iterator[str]:
        """The summary of every document read so far, derived from their assertions.

        One ``kgo:Claim`` per distinct (subject, predicate, object) of the assertions, with how
        many statements and documents support and deny it, how many of its supporting statements
        are firm (asserted without hedging, at a level other than preclinical) and how many are
        research (from a source other than an opinion article or clinic marketing page, at a
        level other than opinion), and the source types and levels behind it; and per document,
        how many statements it makes (negated, hedged), entities it mentions and claims no other
        document makes. Whole-graph questions then read a few counts instead of every statement.
        Lines are yielded claim by claim, so a summary of millions of claims is never one list.

        >>> b = Builder()
        >>> doc = Document("d1", "Ketamine blocks NMDA receptors.", (), ())
        >>> b.document_lines(doc) and list(b.summary_lines())[-1].split()[1]
        '<https://w3id.org/kgraph/ontology#uniqueClaimCount>'
        """
        rep = self.report
        owners: dict[str, int] = {}  # document → claims that only it makes
        for (s, p, o), t in sorted(self._claims.items()):
            c = t.iri
            out = [
                f"{c} {_TYPE} {_C['Claim']} {_G} .",
                f"{c} {_P['c_subject']} <{s}> {_G} .",
                f"{c} {_P['c_predicate']} <{p}> {_G} .",
                f"{c} {_P['c_object']} <{o}> {_G} .",
                f"{c} {_P['c_sup']} {_int(t.supporting)} {_G} .",
                f"{c} {_P['c_den']} {_int(t.denying)} {_G} .",
                f"{c} {_P['c_supdocs']} {_int(len(t.supporting_docs))} {_G} .",
                f"{c} {_P['c_dendocs']} {_int(len(t.denying_docs))} {_G} .",
                f"{c} {_P['c_firm']} {_int(t.firm)} {_G} .",
                f"{c} {_P['c_research']} {_int(t.research)} {_G} .",
            ]
            out += [f"{c} {_P['c_st']} <{KGO}{quote(x)}> {_G} ." for x in sorted(t.source_types)]
            out += [f"{c} {_P['c_level']} <{KGO}{quote(x)}> {_G} ." for x in sorted(t.levels)]
            rep.triples += len(out)
            yield from out
            sup, den = t.supporting_docs, t.denying_docs
            if len(sup) <= 1 and len(den) <= 1 and len(docs := sup | den) == 1:
                (only,) = docs
                owners[only] = owners.get(only, 0) + 1
        for d, t in sorted(self._docs.items()):
            out = [f"{d} {_P['d_level']} <{KGO}{quote(x)}> {_G} ." for x in sorted(t.levels)]
            out += [
                f"{d} {_P['d_statements']} {_int(t.statements)} {_G} .",
                f"{d} {_P['d_negated']} {_int(t.negated)} {_G} .",
                f"{d} {_P['d_hedged']} {_int(t.hedged)} {_G} .",
                f"{d} {_P['d_entities']} {_int(len(t.entities))} {_G} .",
                f"{d} {_P['d_unique']} {_int(owners.get(d, 0))} {_G} .",
            ]
            rep.triples += len(out)
            yield from out

    def _fail(self, reason: str, error: GroundingError) -> None:
        if not self.lenient:
            raise error
        self.report.warn(reason, error)

    def document_lines(self, doc: Document) -> list[str]:
        """The N-Quads lines of one document (a list, so a failing document writes nothing)."""
        lex, rep = self.lexicon, self.report
        out: list[str] = []
        d = _p(document_iri(doc))
        self._document(doc, d, out)
        tally = self._docs.get(d)
        if tally is None:
            source_type = doc.metadata.get("source_type") or "AnnotatedCorpus"
            tally = self._docs[d] = _DocTally(source_type)
        grounded: dict[str, Grounded] = {}
        fmt = doc.metadata.get("format", "default")
        cache, declared, known = self._grounding, self._declared, lex.entity_class
        how = rep.grounded
        for m in doc.mentions:
            # Grounding depends only on the format, the type and the concepts (or, without
            # concepts, the text): look each key up once per build, not once per mention.
            key = (fmt, m.type, m.concepts or m.text)
            g = cache.get(key)
            if g is None:
                try:
                    g = ground_mention(lex, doc, m)
                except GroundingError as e:
                    self._fail(
                        "unknown entity type" if "type" in e.message else "unknown entity", e
                    )
                    continue
                if len(cache) >= _CACHE_SIZE:
                    cache.clear()
                cache[key] = g
            grounded[m.id] = g
            how[g.how] += 1
            for e in g.entities:
                if e not in declared and e not in known:
                    self._declare(e, g.cls, m.text, m.concepts, out)
        mentioned = {e for g in grounded.values() for e in g.entities}
        concept_entities: dict[str, str] = {}
        if any(r.by_concept for r in doc.relations):
            for m in doc.mentions:
                if m.id in grounded:
                    for curie, e in zip(m.concepts, grounded[m.id].entities, strict=False):
                        concept_entities.setdefault(curie, e)
        for r in doc.relations:
            p = self._properties.get((fmt, r.type))
            if p is None:
                try:
                    p = relation_property(lex, doc, r)
                except GroundingError as e:
                    self._fail("unknown relation type", e)
                    continue
                self._properties[(fmt, r.type)] = p
            ends = self._ends(doc, r, grounded, concept_entities)
            if ends is None:
                continue
            subjects, objects, sentence = ends
            rep.relations += 1
            for s in subjects:
                for o in objects:
                    if s != o:
                        self._assertion(doc, d, r, s, p, o, sentence, out)
        tail = f"> {_P['mentioned']} {d} {_G} ."
        out += ["<" + e + tail for e in sorted(mentioned)]
        tally.entities |= mentioned
        rep.documents += 1
        rep.mentions += len(doc.mentions)
        rep.entities.update(mentioned)
        rep.triples += len(out)
        return out

    def _ends(self, doc, r: Relation, grounded, concept_entities):
        if r.by_concept:
            s, o = concept_entities.get(r.subject), concept_entities.get(r.object)
            if s is None or o is None:
                missing = r.subject if s is None else r.object
                return self._end_not_grounded(
                    doc, r, f"names {missing}, which no grounded mention carries"
                )
            return (s,), (o,), None
        gs, go = grounded.get(r.subject), grounded.get(r.object)
        if gs is None or go is None:
            missing = r.subject if gs is None else r.object
            return self._end_not_grounded(
                doc, r, f"points at mention {missing}, which was not grounded"
            )
        return gs.entities, go.entities, doc.sentence_span(r)

    def _end_not_grounded(self, doc: Document, r: Relation, what: str) -> None:
        self._fail(
            "relation end not grounded",
            GroundingError(
                f"relation {r.id} ({r.type}) {what}", path=doc.source, line=r.line, document=doc.id
            ),
        )

    def _document(self, doc: Document, d: str, out: list[str]) -> None:
        md = doc.metadata
        out.append(f"{d} {_TYPE} {_C['Document']} {_G} .")
        title = md.get("title") or doc.id
        out.append(f"{d} {_P['title']} {nquad_literal(title)} {_G} .")
        for key in ("publisher", "date", "author"):
            if md.get(key):
                pred = _P["creator" if key == "author" else key]
                out.append(f"{d} {pred} {nquad_literal(md[key])} {_G} .")
        source_type = md.get("source_type") or "AnnotatedCorpus"
        out.append(f"{d} {_P['source_type']} <{KGO}{quote(source_type)}> {_G} .")
        ident = f"PMID:{md['pmid']}" if md.get("pmid") else doc.id
        out.append(f"{d} {_P['identifier']} {nquad_literal(ident)} {_G} .")
        if md.get("url"):
            url = web_iri(md["url"])
            if url is not None:
                out.append(f"{d} {_P['seeAlso']} <{url}> {_G} .")
            else:  # a relative, javascript: or malformed "url" is no link; say so, keep building
                self.report.warn(
                    "url is not an http(s) URL",
                    FormatError(
                        f"url {md['url'][:80]!r} is not an absolute http(s) URL; not linked",
                        path=doc.source,
                        line=doc.line,
                        document=doc.id,
                    ),
                )
        if md.get("seed"):
            out.append(f"{d} {_P['dsource']} {nquad_literal(md['seed'])} {_G} .")

    def _declare(self, entity: str, cls: str, text: str, concepts, out: list[str]) -> None:
        if entity in self._declared or entity in self.lexicon.entity_class:
            return
        self._declared.add(entity)
        e = _p(entity)
        out.append(f"{e} {_TYPE} <{cls}> {_G} .")
        out.append(f"{e} {_LABEL} {nquad_literal(text)} {_G} .")
        curie = compress(entity)
        if curie and not entity.startswith(str(KGO)):
            out.append(f"{e} {_P['identifier']} {nquad_literal(curie)} {_G} .")

    def _assertion(self, doc, d, r: Relation, s, p, o, sentence, out: list[str]) -> None:
        lex = self.lexicon
        if p in lex.symmetric and o < s:
            s, o = o, s
        span = f"{sentence.start}-{sentence.end}" if sentence else ""
        # Everything an assertion states is in its key: equal statements merge, others never do.
        flags = ("n" if r.negated else "p", r.certainty, r.evidence_level or "")
        key = "\x1f".join((d, s, p, o, span, *flags))
        digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
        a = f"<{KGA}{digest}>"
        self.report.assertions += 1
        if self.curation is not None:  # a rejected statement: its assertion only (curation.py)
            out += self.curation.lines(doc, r, digest)
            if excluded(r):
                return self._evidence(doc, d, r, s, p, o, sentence, out, a, digest)
        claim = self._claims.get((s, p, o))
        if claim is None:
            spo = "\x1f".join((s, p, o)).encode()
            iri = f"<{KGA}claim-{hashlib.blake2b(spo, digest_size=12).hexdigest()}>"
            claim = self._claims[(s, p, o)] = _ClaimTally(iri)
        if digest not in self._seen:
            self._seen.add(digest)
            self._tally(d, r, claim)
        if not r.negated:
            out.append(f"<{s}> <{p}> <{o}> {_G} .")
        out.append(f"{a} {_P['claim']} {claim.iri} {_G} .")
        self._evidence(doc, d, r, s, p, o, sentence, out, a, digest)

    def _evidence(self, doc, d, r: Relation, s, p, o, sentence, out: list[str], a, digest) -> None:
        out += [
            f"{a} {_TYPE} {_C['Assertion']} {_G} .",
            f"{a} {_P['subject']} <{s}> {_G} .",
            f"{a} {_P['predicate']} <{p}> {_G} .",
            f"{a} {_P['object']} <{o}> {_G} .",
            f"{a} {_P['negated']} {_TRUE if r.negated else _FALSE} {_G} .",
            f"{a} {_P['certainty']} <{KGO}{r.certainty}> {_G} .",
            f"{a} {_P['derived']} {d} {_G} .",
        ]
        if r.evidence_level:
            out.append(f"{a} {_P['level']} <{KGO}{quote(r.evidence_level)}> {_G} .")
        ev, tgt = f"<{KGA}{digest}-evidence>", f"<{KGA}{digest}-target>"
        out += [
            f"{a} {_P['evidence']} {ev} {_G} .",
            f"{ev} {_TYPE} {_C['Annotation']} {_G} .",
            f"{ev} {_P['body']} {a} {_G} .",
            f"{ev} {_P['target']} {tgt} {_G} .",
            f"{tgt} {_TYPE} {_C['SpecificResource']} {_G} .",
            f"{tgt} {_P['source']} {d} {_G} .",
        ]
        if sentence is None:
            return
        text = doc.text
        sm, om = doc.mention(r.subject), doc.mention(r.object)
        pos, quo = f"<{KGA}{digest}-position>", f"<{KGA}{digest}-quote>"
        out += [
            f"{a} {_P['stext']} {nquad_literal(sm.covered(text))} {_G} .",
            f"{a} {_P['otext']} {nquad_literal(om.covered(text))} {_G} .",
            f"{tgt} {_P['selector']} {pos} {_G} .",
            f"{tgt} {_P['selector']} {quo} {_G} .",
            f"{pos} {_TYPE} {_C['Position']} {_G} .",
            f"{pos} {_P['start']} {_int(sentence.start)} {_G} .",
            f"{pos} {_P['end']} {_int(sentence.end)} {_G} .",
            f"{quo} {_TYPE} {_C['Quote']} {_G} .",
            f"{quo} {_P['exact']} {nquad_literal(text[sentence.start : sentence.end])} {_G} .",
            f"{quo} {_P['prefix']} "
            f"{nquad_literal(text[max(0, sentence.start - _CONTEXT) : sentence.start])} {_G} .",
            f"{quo} {_P['suffix']} "
            f"{nquad_literal(text[sentence.end : sentence.end + _CONTEXT])} {_G} .",
        ]

    def _tally(self, d: str, r: Relation, claim: _ClaimTally) -> None:
        doc = self._docs[d]
        doc.statements += 1
        level = r.evidence_level
        if level:
            doc.levels.add(level)
        if r.certainty == "Hedged":
            doc.hedged += 1
        if r.negated:
            doc.negated += 1
            claim.denying += 1
            claim.denying_docs.add(d)
            return
        claim.supporting += 1
        claim.supporting_docs.add(d)
        claim.source_types.add(doc.source_type)
        if level:
            claim.levels.add(level)
        if r.certainty == "Asserted" and level != "Preclinical":
            claim.firm += 1
        if doc.source_type not in WEAK_SOURCE_TYPES and level != "Opinion":
            claim.research += 1


def build_store(
    store,
    sources,
    *,
    format: str | None = None,
    lenient: bool = False,
    mappings=(),
    ontology: Path | None = None,
    progress: Callable[[Document], None] | None = None,
    validate: bool | None = False,
) -> BuildReport:
    """Read every source, build the graph and replace ``store``'s graphs with it, all or nothing.

    ``sources`` are files or folders (see :mod:`kgraph.formats`); ``format`` forces a reader.
    A :class:`~kgraph.errors.FormatError` anywhere leaves the store as it was.
    ``validate=True`` then checks the new graph against the SHACL shapes (``report.validation``,
    see :mod:`kgraph.validate`); ``None`` does so only below ``kgraph.validate.AUTO_LIMIT`` triples.

    >>> from kgraph.store import open_store
    >>> from kgraph.vocab import corpus_dir
    >>> store = open_store("memory:")
    >>> report = build_store(store, [corpus_dir()])
    >>> report.documents
    4
    """
    from . import formats

    lexicon = Lexicon.load(ontology, mappings=mappings)
    builder = Builder(lexicon, lenient=lenient)
    on_issue = (lambda e: builder.report.warn("recoverable input problem", e)) if lenient else None
    builder.curation = curation = Curation.for_sources(sources, lexicon)  # a bad log stops here

    def documents() -> Iterator[Document]:
        # The same document read twice (or from two corpora, as BC5CDR and BioRED share PubMed
        # abstracts) lands on the same document node: RDF's set semantics merge what is equal.
        for source in sources:
            yield from curation.documents(source, formats.read(source, format, on_issue=on_issue))

    store.replace(builder.lines(documents(), progress), lexicon.files)
    for error in curation.report.orphan_errors():
        builder.report.warn("curation act matches no statement (orphan)", error)
    if validate or validate is None:
        from .validate import AUTO_LIMIT, available
        from .validate import validate as run_validation

        if validate or (builder.report.triples < AUTO_LIMIT and available()):
            builder.report.validation = run_validation(store)
    return builder.report
