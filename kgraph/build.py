"""From grounded documents to RDF: the build orchestrates reading, grounding, emission and summary.

For every relation of a document whose ends ground to entities ``S`` and ``O`` and whose type maps to
property ``P``, the builder writes a statement (:mod:`kgraph.emission`): an assertion node with its
qualifiers, note and evidence (or a research-question node), the direct triple ``S P O`` when the
statement says so (:func:`kgraph.claims.direct_triple`), and counts it in the summary
(:mod:`kgraph.summary`). Each entity also gets ``kgo:mentionedIn`` its documents; entities outside
the lexicon get their class, a label and their identifier. Lines are N-Quads strings
(:mod:`kgraph.nquads`), so any store can bulk-load them.

A comparator or mediator that grounds to several entities (a composite mention) gives one statement
per entity, as composite subjects and objects do.

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

import copyreg
import io
import itertools
import os
import pickle
import struct
import subprocess
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

from . import formats
from .annotate.imported import add_levels_and_certainty
from .claims import direct_triple
from .counts import triple_counts
from .curation import Curation, excluded
from .emission import (
    Statement,
    document_iri,
    document_lines,
    entity_lines,
    statement_digest,
    statement_lines,
)
from .errors import FormatError, GroundingError, KGraphError
from .grounding import Grounded, Lexicon, error_in, ground_mention, relation_property
from .lookup import better_named
from .messages import group_warning
from .model import Document, Relation
from .nquads import P, iri, nquad_literal, quad, web_iri
from .summary import ClaimKey, Summary
from .validate import AUTO_LIMIT, ValidationReport, available
from .validate import validate as run_validation
from .vocab import KGA

__all__ = [
    "READ_AHEAD_BYTES",
    "BuildReport",
    "Builder",
    "build_store",
    "document_iri",
    "documents_ahead",
    "nquad_literal",
    "web_iri",
]

#: Sources this large in all are read (parsed, given levels and hedging) by a second process while
#: this one builds and the store loads: on two cores or more, the build then waits less for either.
READ_AHEAD_BYTES = 24 << 20

_CACHE_SIZE = 1 << 18  # grounding results kept per build (a bound for huge text-grounded corpora)


@dataclass
class BuildReport:
    """What a build read, wrote and skipped (``skipped`` counts by reason).

    ``assertions`` counts statements written (research questions included: ``questions`` says how
    many of them are questions, ``proposals`` how many are an annotator's unreviewed proposals).

    >>> report = BuildReport(documents=1)
    >>> report.summary()["documents"], report.summary()["warnings"]
    (1, 0)
    """

    documents: int = 0
    mentions: int = 0
    relations: int = 0
    assertions: int = 0
    questions: int = 0
    proposals: int = 0
    triples: int = 0
    entities: set[str] = field(default_factory=set)
    grounded: Counter = field(default_factory=Counter)  # how mentions were grounded
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)  # counted by reason, neither error nor warning
    warnings: list[str] = field(default_factory=list)
    max_warnings: int = 200
    validation: ValidationReport | None = None  # set when the build validated (kgraph.validate)
    _grouped: dict = field(default_factory=dict, repr=False)  # (reason, key) → [index, count]

    def warn(self, reason: str, error: FormatError, key: str | None = None) -> None:
        """Count a warning. Warnings with the same ``key`` (an unknown type) are listed once, with
        how many times they occurred."""
        self.skipped[reason] += 1
        if key is not None:
            if group_warning(self.warnings, self._grouped, (reason, key), str(error)):
                return
        if len(self.warnings) < self.max_warnings:
            self.warnings.append(str(error))

    def summary(self) -> dict[str, object]:
        return {
            "documents": self.documents,
            "mentions": self.mentions,
            "entities": len(self.entities),
            "relations": self.relations,
            "assertions": self.assertions,
            "questions": self.questions,
            "proposals": self.proposals,
            "triples": self.triples,
            "grounded": dict(self.grounded),
            "skipped": dict(self.skipped),
            "warnings": sum(self.skipped.values()),
            "notes": dict(self.notes),
        }


class Builder:
    """Turns documents into N-Quads lines; holds the lexicon and what it has declared so far.

    ``lenient=True`` turns grounding errors (unknown type, relation or entity; a mention type that
    conflicts with the lexicon's class) into warnings that the report counts; a malformed file is
    always an error. A conflict that comes from a third-party corpus's mapped type (``Chemical``) is
    no error: the lexicon's class wins and ``report.notes`` counts it
    (:data:`kgraph.grounding.OWN_TYPE_FORMATS`). ``include_proposed=True`` treats an annotator's unreviewed proposals
    (``Proposed``) as statements: direct triples and claim summary; by default they are written
    as marked assertions only.
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        lenient: bool = False,
        include_proposed: bool = False,
    ) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.lenient = lenient
        self.include_proposed = include_proposed
        self.report = BuildReport()
        self._declared: set[str] = set()
        self._grounding: dict[tuple, Grounded] = {}  # (format, type, concepts or text) → result
        self._named: dict[tuple, str | None] = {}  # (text, entities) → better_named's note
        self._properties: dict[tuple[str, str], str] = {}  # (format, relation type) → property
        # What the summary needs, counted once per distinct statement (a document read twice,
        # or from two corpora, merges into the same nodes and must not count twice).
        self._seen: set[str] = set()
        self.summary = Summary()
        self.curation: Curation | None = None  # the corpora's review, replayed (kgraph.curation)

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
        """The summary of every document read so far (see :meth:`kgraph.summary.Summary.lines`).

        >>> b = Builder()
        >>> doc = Document("d1", "Ketamine blocks NMDA receptors.", (), ())
        >>> b.document_lines(doc) and list(b.summary_lines())[-1].split()[1]
        '<https://w3id.org/kgraph/ontology#uniqueClaimCount>'
        """
        for line in self.summary.lines():
            self.report.triples += 1
            yield line

    def _fail(self, reason: str, error: GroundingError, key: str | None = None) -> None:
        if not self.lenient:
            raise error
        self.report.warn(reason, error, key)

    def document_lines(self, doc: Document) -> list[str]:
        """The N-Quads lines of one document (a list, so a failing document writes nothing)."""
        rep = self.report
        d = iri(document_iri(doc))
        out, bad_url = document_lines(doc, d)
        if bad_url is not None:  # a relative, javascript: or malformed "url" is no link
            rep.warn(
                "url is not an http(s) URL",
                error_in(
                    doc,
                    f"url {bad_url[:80]!r} is not an absolute http(s) URL; not linked",
                    doc.line,
                    FormatError,
                ),
            )
        tally = self.summary.document(d, doc.metadata.get("source_type") or "AnnotatedCorpus")
        grounded = self._ground(doc, out)
        mentioned = {e for g in grounded.values() for e in g.entities}
        concept_entities: dict[str, str] = {}
        if any(r.by_concept for r in doc.relations):
            for m in doc.mentions:
                if m.id in grounded:
                    for curie, e in zip(m.concepts, grounded[m.id].entities, strict=False):
                        concept_entities.setdefault(curie, e)
        for r in doc.relations:
            fmt = doc.metadata.get("format", "default")
            p = self._properties.get((fmt, r.type))
            if p is None:
                try:
                    p = relation_property(self.lexicon, doc, r)
                except GroundingError as e:
                    self._fail("unknown relation type", e, r.type)
                    continue
                self._properties[(fmt, r.type)] = p
            ends = self._ends(doc, r, grounded, concept_entities)
            if ends is None:
                continue
            subjects, objects, comparators, mediators, sentence = ends
            rep.relations += 1
            symmetric = p in self.lexicon.symmetric
            for s in subjects:
                for o in objects:
                    if s == o:
                        continue
                    a, b = (o, s) if symmetric and o < s else (s, o)
                    for cmp in comparators:
                        for med in mediators:
                            q = (r.comparison, cmp, r.degree, r.mediation, med)
                            key = ClaimKey(a, p, b, *q)
                            out += self._statement(doc, Statement(d, key, r, sentence), tally)
        out += [quad(iri(e), P["mentioned"], d) for e in sorted(mentioned)]
        tally.add_entities(mentioned)
        rep.documents += 1
        rep.mentions += len(doc.mentions)
        rep.entities.update(mentioned)
        rep.triples += len(out)
        return out

    def _ground(self, doc: Document, out: list[str]) -> dict[str, Grounded]:
        """Ground every mention of ``doc``; declare the new entities outside the lexicon."""
        lex, how = self.lexicon, self.report.grounded
        fmt = doc.metadata.get("format", "default")
        cache, declared, known = self._grounding, self._declared, lex.entity_class
        grounded: dict[str, Grounded] = {}
        for m in doc.mentions:
            # Grounding depends only on the format, the type and the concepts (or, without
            # concepts, the text): look each key up once per build, not once per mention.
            key = (fmt, m.type, m.concepts or m.text)
            g = cache.get(key)
            if g is None:
                try:
                    g = ground_mention(lex, doc, m)
                except GroundingError as e:
                    unknown_type = "type" in e.message
                    self._fail(
                        "unknown entity type" if unknown_type else "unknown entity",
                        e,
                        m.type if unknown_type else None,
                    )
                    continue
                if len(cache) >= _CACHE_SIZE:
                    cache.clear()
                cache[key] = g
            if g.conflict and g.mapped:  # a third-party corpus's coarse type: the lexicon wins
                self.report.notes["mapped type gave way to the lexicon's class"] += 1
            elif g.conflict:  # reported for every mention, cached or not: each has its line
                self._fail(
                    "mention type conflicts with the lexicon",
                    error_in(doc, f"mention {m.id} ({m.text!r}): {g.conflict}", m.line),
                )
            grounded[m.id] = g
            how[g.how] += 1
            if g.how == "identifier" and (note := self._better_named(m.text, g.entities)):
                e = error_in(doc, note, m.line)
                self.report.warn("mention named after another entity", e)
            for e in g.entities:
                if e not in declared and e not in known:
                    declared.add(e)
                    out += entity_lines(e, g.cls, m.text)
        return grounded

    def _better_named(self, text: str, entities: tuple[str, ...]) -> str | None:
        """:func:`kgraph.lookup.better_named`, looked up once per text and entities (bounded as
        the grounding cache is): a corpus names the same entities the same way again and again."""
        key = (text, entities)
        if key not in self._named:
            if len(self._named) >= _CACHE_SIZE:
                self._named.clear()
            self._named[key] = better_named(self.lexicon, text, entities)
        return self._named[key]

    def _ends(self, doc, r: Relation, grounded, concept_entities):
        """Subjects, objects, comparators, mediators (entity IRIs) and the sentence of ``r``."""
        if r.by_concept:
            ends = []
            for curie in (r.subject, r.object, r.comparator, r.mediator):
                e = concept_entities.get(curie) if curie else None
                if curie and e is None:
                    return self._end_not_grounded(
                        doc, r, f"names {curie}, which no grounded mention carries"
                    )
                ends.append((e,))
            return (*ends, None)
        ends = []
        for mention in (r.subject, r.object, r.comparator, r.mediator):
            if mention is None:
                ends.append((None,))
                continue
            g = grounded.get(mention)
            if g is None:
                return self._end_not_grounded(
                    doc, r, f"points at mention {mention}, which was not grounded"
                )
            ends.append(g.entities)
        return (*ends, doc.sentence_span(r))

    def _end_not_grounded(self, doc: Document, r: Relation, what: str) -> None:
        self._fail(
            "relation end not grounded",
            error_in(doc, f"relation {r.id} ({r.type}) {what}", r.line),
        )

    def _statement(self, doc: Document, st: Statement, tally) -> list[str]:
        r, rep = st.relation, self.report
        digest = statement_digest(st)
        new = digest not in self._seen
        self._seen.add(digest)
        rep.assertions += 1
        rejected = excluded(r)  # a curator rejected it: an assertion, no claim, no direct triple
        unreviewed = r.proposed and not self.include_proposed
        rep.questions += r.question
        rep.proposals += r.proposed
        claim = None
        if r.question:
            if new:
                self.summary.question(st.doc, tally.source_type)
        elif not unreviewed and not rejected:
            if new:
                claim = self.summary.tally(
                    st.doc,
                    tally.source_type,
                    st.key,
                    negated=r.negated,
                    certainty=r.certainty,
                    level=r.evidence_level,
                    statement=iri(f"{KGA}{digest}"),
                )
            else:
                claim = self.summary.claim_iri(st.key)
        direct = direct_triple(
            negated=r.negated,
            question=r.question,
            proposed=unreviewed,
            rejected=rejected,
            comparison=r.comparison,
        )
        out = statement_lines(st, doc, claim, direct=direct, digest=digest)
        return out + (self.curation.lines(doc, r, digest) if self.curation else [])


def _sources_bytes(sources: Iterable, limit: int) -> int:
    """The size of the files of ``sources`` (folders walked), counted until ``limit`` is reached."""
    total = 0
    for source in sources:
        path = Path(source)
        files = path.rglob("*") if path.is_dir() else (path,)
        for f in files:
            try:
                total += f.stat().st_size if f.is_file() else 0
            except OSError:
                continue
            if total >= limit:
                return total
    return total


def _proxy(m: MappingProxyType) -> tuple:
    return (_mapping, (dict(m),))


def _mapping(d: dict) -> MappingProxyType:
    return MappingProxyType(d)


class _Pickler(pickle.Pickler):
    """A pickler for documents: their read-only mappings travel as the mappings they wrap."""

    dispatch_table: ClassVar[dict] = {**copyreg.dispatch_table, MappingProxyType: _proxy}


def _frame(items: list) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(items)
    data = buf.getvalue()
    return struct.pack("<Q", len(data)) + data


def _read_worker() -> None:  # pragma: no cover - runs in the reading process (tested through it)
    """The reading process: what to read comes pickled on stdin; batches of ``("doc", source
    index, document)``, ``("issue", error)``, ``("end", source index)`` and ``("error", error)``
    go, length-prefixed, to the file descriptor named in ``argv[1]``, in reading order."""
    sources, format, lenient = pickle.load(sys.stdin.buffer)
    out = os.fdopen(int(sys.argv[1]), "wb", buffering=1 << 20)
    items: list = []

    def issue(error: FormatError) -> None:
        items.append(("issue", error))

    try:
        for i, source in enumerate(sources):
            for doc in formats.read(source, format, on_issue=issue if lenient else None):
                items.append(("doc", i, add_levels_and_certainty(doc)))
                if len(items) >= 64:
                    out.write(_frame(items))
                    items.clear()
            items.append(("end", i))
    except Exception as e:  # raised in the building process, where the reading would have
        try:
            pickle.dumps(e)
            items.append(("error", e))
        except Exception:
            items.append(("error", KGraphError(f"{type(e).__name__}: {e}")))
    try:
        out.write(_frame(items))
        out.close()
    except BrokenPipeError:  # the building process stopped reading (it failed or was killed)
        pass


def documents_ahead(
    sources: list, format: str | None = None, on_issue: Callable[[FormatError], None] | None = None
) -> Iterator[Iterator[Document]]:
    """The documents of each source (one iterator per source, in order), read as
    :func:`kgraph.formats.read` reads them and given levels and hedging
    (:func:`~kgraph.annotate.imported.add_levels_and_certainty`) by a second process, ahead of the
    caller. Recoverable problems reach ``on_issue`` (``None``: the first one is raised) and an error
    is raised where the reading met it, as without the second process; the process ends with the
    iteration, or is stopped when the caller stops early.

    >>> from kgraph.vocab import corpus_dir
    >>> [sum(1 for _ in docs) for docs in documents_ahead([corpus_dir()])]
    [4]
    """
    read, write = os.pipe()
    root = str(Path(__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from kgraph.build import _read_worker; _read_worker()",
                str(write),
            ],
            stdin=subprocess.PIPE,
            pass_fds=(write,),
            env=env,
        )
    finally:
        os.close(write)
    pending: deque = deque()
    with os.fdopen(read, "rb", buffering=1 << 20) as pipe:
        try:
            assert proc.stdin is not None
            pickle.dump((list(sources), format, on_issue is not None), proc.stdin)
            proc.stdin.close()

            def items() -> Iterator[tuple]:
                while True:
                    if not pending:
                        head = pipe.read(8)
                        if len(head) < 8:
                            raise KGraphError(
                                f"the process reading the sources ended unexpectedly "
                                f"(exit status {proc.wait()})"
                            )
                        pending.extend(pickle.loads(pipe.read(struct.unpack("<Q", head)[0])))
                    yield pending.popleft()

            stream = items()

            def one(index: int) -> Iterator[Document]:
                for item in stream:
                    kind = item[0]
                    if kind == "doc":
                        if item[1] == index:
                            yield item[2]
                    elif kind == "issue":
                        if on_issue is None:  # pragma: no cover - the reader raises instead
                            raise item[1]
                        on_issue(item[1])
                    elif kind == "error":
                        raise item[1]
                    elif item[1] == index:  # "end" of this source
                        return

            for index in range(len(sources)):
                yield one(index)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()


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
    include_proposed: bool = False,
    read_ahead: bool | None = None,
) -> BuildReport:
    """Read every source, build the graph and replace ``store``'s graphs with it, all or nothing.

    ``sources`` are files or folders (see :mod:`kgraph.formats`); ``format`` forces a reader.
    A :class:`~kgraph.errors.FormatError` anywhere leaves the store as it was.
    ``include_proposed=True`` counts an annotator's unreviewed proposals as statements (see
    :class:`Builder`). ``read_ahead``: read the sources in a second process (:func:`documents_ahead`);
    ``None`` does so on two cores or more for sources of :data:`READ_AHEAD_BYTES` or more.
    ``validate=True`` then checks the new graph against the SHACL shapes (``report.validation``,
    see :mod:`kgraph.validate`); ``None`` does so only below ``kgraph.validate.AUTO_LIMIT`` triples.

    >>> from kgraph.store import open_store
    >>> from kgraph.vocab import corpus_dir
    >>> store = open_store("memory:")
    >>> report = build_store(store, [corpus_dir()])
    >>> report.documents
    4
    """
    lexicon = Lexicon.load(ontology, mappings=mappings)
    builder = Builder(lexicon, lenient=lenient, include_proposed=include_proposed)
    on_issue = (lambda e: builder.report.warn("recoverable input problem", e)) if lenient else None
    builder.curation = curation = Curation.for_sources(sources, lexicon)  # a bad log stops here
    builder.lexicon = curation.lexicon  # grown by the logs' reviewed lexicon entries

    sources = list(sources)
    if read_ahead is None:
        read_ahead = (os.cpu_count() or 1) >= 2 and (
            _sources_bytes(sources, READ_AHEAD_BYTES) >= READ_AHEAD_BYTES
        )

    def documents() -> Iterator[Document]:
        # The same document read twice (or from two corpora, as BC5CDR and BioRED share PubMed
        # abstracts) lands on the same document node: RDF's set semantics merge what is equal.
        # Imported corpora come without levels and hedging: kgraph.annotate's cue rules add them
        # where the text supports one (issue 14 item 4; kgraph.annotate.imported)
        per_source: Iterator[Iterator[Document]]
        if read_ahead:
            per_source = documents_ahead(sources, format, on_issue)
        else:
            per_source = (
                map(add_levels_and_certainty, formats.read(s, format, on_issue=on_issue))
                for s in sources
            )
        try:
            for source, docs in zip(sources, per_source, strict=False):
                yield from curation.documents(source, docs)  # the review replayed (curation)
        finally:
            close = getattr(per_source, "close", None)
            if close is not None:  # the reading process ends here, whether or not all was read
                close()

    lines = itertools.chain(curation.entity_lines(), builder.lines(documents(), progress))
    store.replace(lines, lexicon.files)
    for error in curation.report.orphan_errors():
        builder.report.warn("curation act matches no statement (orphan)", error)
    # one definition of "triples": see kgraph.counts
    builder.report.triples = triple_counts(store)["triples"]
    if validate or validate is None:
        if validate or (builder.report.triples < AUTO_LIMIT and available()):
            builder.report.validation = run_validation(store)
    return builder.report
