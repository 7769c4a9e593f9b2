"""What one document contributes to the graph, as N-Quads lines: its node, new entities, statements.

A **statement** is one relation of a document between grounded entities. It is written as

- a ``kgo:Assertion`` (an ``rdf:Statement``) with ``rdf:subject`` / ``rdf:predicate`` /
  ``rdf:object``, ``kgo:negated``, ``kgo:certainty``, ``kgo:evidenceLevel``, the qualifiers
  (``kgo:comparison`` + ``kgo:comparator``, ``kgo:degree``, ``kgo:mediation`` + ``kgo:mediator``),
  the annotator's ``skos:note``, ``kgo:proposed`` / ``kgo:confidence`` for an annotator's proposal
  (with ``prov:wasAttributedTo`` the software and ``prov:wasInfluencedBy`` its rules),
  ``prov:wasDerivedFrom`` the document, ``kgo:aboutClaim`` its claim, the mention texts and
  ``kgo:evidence``: a W3C Web Annotation whose target is the document, selected by a
  ``TextPositionSelector`` (sentence start and end) and a ``TextQuoteSelector`` (the sentence,
  with prefix and suffix); document-level relations get a target without selectors;
- or, for an open research question, a ``kgo:ResearchQuestion`` with the same subject, predicate,
  object, qualifiers, note and evidence, whether it asks about the relation or its negation
  (``kgo:questionNegated``) and how surely it is worded (``kgo:questionCertainty``), but no
  polarity or certainty of an assertion and no claim;
- plus the **direct triple** ``S P O`` when the statement says that S does P to O
  (:func:`kgraph.claims.direct_triple`).

>>> from kgraph.model import Relation
>>> st = Statement("<https://w3id.org/kgraph/document/d1>",
...     ClaimKey("https://w3id.org/kgraph/entity/a", "https://w3id.org/kgraph/ontology#treats",
...              "https://w3id.org/kgraph/entity/b"),
...     Relation("R1", "treats", "T1", "T2", question=True))
>>> lines = statement_lines(st, None, None, direct=False)
>>> sum("ResearchQuestion" in x for x in lines), sum("aboutClaim" in x for x in lines)
(1, 0)
>>> [x.split()[1].rsplit("#")[-1][:-1] for x in lines if "question" in x.split()[1]]
['questionNegated', 'questionCertainty']
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

from .model import Document, Relation, Span
from .nquads import FALSE, TRUE, TYPE, integer, iri, kgo_value, literal, quad, web_iri
from .nquads import C as _C
from .nquads import P as _P
from .summary import ClaimKey, qualifier_lines
from .vocab import KGA, KGD, KGO, compress

__all__ = [
    "CONTEXT",
    "Statement",
    "document_iri",
    "document_lines",
    "entity_lines",
    "statement_digest",
    "statement_lines",
]

CONTEXT = 32  # characters of prefix / suffix in a TextQuoteSelector

# the PROV terms of a proposal (kept here: a local edit for the annotator's proposals)
_PROV = "http://www.w3.org/ns/prov#"
P = {
    **_P,
    "attributed": iri(_PROV + "wasAttributedTo"),
    "influenced": iri(_PROV + "wasInfluencedBy"),
    "version": iri("http://www.w3.org/2002/07/owl#versionInfo"),
}
C = {**_C, "SoftwareAgent": iri(_PROV + "SoftwareAgent"), "Plan": iri(_PROV + "Plan")}


def document_iri(doc: Document) -> str:
    """``kgd:pubmed/<PMID>`` for PubMed documents, else ``kgd:<id>``: the same in every format.

    >>> document_iri(Document("d 1", "", metadata={}))
    'https://w3id.org/kgraph/document/d%201'
    """
    pmid = doc.metadata.get("pmid")
    if pmid:
        return f"{KGD}pubmed/{quote(pmid, safe='')}"
    return f"{KGD}{quote(doc.id, safe='')}"


def document_lines(doc: Document, d: str) -> tuple[list[str], str | None]:
    """The document node ``d`` (an IRI term) with its metadata; and the ``url`` when it is no
    absolute http(s) URL (the caller warns: it is not linked).

    >>> lines, bad = document_lines(Document("d1", "", metadata={"url": "x"}), "<d>")
    >>> len(lines), bad
    (4, 'x')
    """
    md = doc.metadata
    out = [quad(d, TYPE, C["Document"]), quad(d, P["title"], literal(md.get("title") or doc.id))]
    for key in ("publisher", "date", "author"):
        if md.get(key):
            out.append(quad(d, P["creator" if key == "author" else key], literal(md[key])))
    out.append(quad(d, P["source_type"], kgo_value(md.get("source_type") or "AnnotatedCorpus")))
    ident = f"PMID:{md['pmid']}" if md.get("pmid") else doc.id
    out.append(quad(d, P["identifier"], literal(ident)))
    bad = None
    if md.get("url"):
        url = web_iri(md["url"])
        if url is not None:
            out.append(quad(d, P["seeAlso"], iri(url)))
        else:
            bad = md["url"]
    if md.get("seed"):
        out.append(quad(d, P["dsource"], literal(md["seed"])))
    return out, bad


def entity_lines(entity: str, cls: str, text: str) -> list[str]:
    """An entity outside the lexicon: its class, the mention text as label, its identifier.

    >>> len(entity_lines("http://id.nlm.nih.gov/mesh/D1", "https://w3id.org/kgraph/ontology#Compound", "x"))
    3
    """
    e = iri(entity)
    out = [quad(e, TYPE, iri(cls)), quad(e, P["label"], literal(text))]
    curie = compress(entity)
    if curie and not entity.startswith(str(KGO)):
        out.append(quad(e, P["identifier"], literal(curie)))
    return out


#: Where the software agents and the annotator's rules get their IRIs (relations: proposals' PROV).
AGENT = "https://w3id.org/kgraph/agent/"
RULE = "https://w3id.org/kgraph/rule/"
#: The note items that name a rule or cue of ``kgraph/data/annotate/`` (``rule=rel.treats``).
RULE_ITEMS = ("rule", "neg", "hedge", "question", "level", "degree", "comparison", "mediation")


def _software_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("kgraph")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "unknown"


def proposal_provenance(a: str, note: str | None) -> list[str]:
    """What proposed an annotator's proposal ``a`` (an IRI term): ``prov:wasAttributedTo`` the
    software (``prov:SoftwareAgent``: kgraph and its version, from the note's ``software=`` item,
    else the running kgraph) and ``prov:wasInfluencedBy`` each rule and cue (``prov:Plan``) that
    the note names (``rule=ID; neg=ID; level=ID``).

    >>> lines = proposal_provenance("<a>", "rule=rel.treats; trigger='eases'; software=kgraph 1.2")
    >>> [x.split()[2] for x in lines if "#wasAttributedTo" in x or "#wasInfluencedBy" in x]
    ['<https://w3id.org/kgraph/agent/kgraph/1.2>', '<https://w3id.org/kgraph/rule/rel.treats>']
    >>> sum("SoftwareAgent" in x for x in lines), sum("#Plan>" in x for x in lines)
    (1, 1)
    """
    items = [part.strip().partition("=") for part in (note or "").split(";")]
    version = (
        next(
            (
                v.strip().removeprefix("kgraph").strip()
                for k, _, v in items
                if k.strip() == "software"
            ),
            "",
        )
        or _software_version()
    )
    agent = iri(f"{AGENT}kgraph/{quote(version, safe='')}")
    out = [
        quad(a, P["attributed"], agent),
        quad(agent, TYPE, C["SoftwareAgent"]),
        quad(agent, P["label"], literal(f"kgraph annotate {version}")),
        quad(agent, P["version"], literal(version)),
    ]
    for k, _, v in items:
        if k.strip() in RULE_ITEMS and v.strip():
            rule = iri(f"{RULE}{quote(v.strip(), safe='')}")
            out += [
                quad(a, P["influenced"], rule),
                quad(rule, TYPE, C["Plan"]),
                quad(rule, P["label"], literal(v.strip())),
            ]
    return out


@dataclass(frozen=True, slots=True)
class Statement:
    """One relation of a document between grounded entities: ``doc`` is the document's IRI term,
    ``key`` the claim key (entity IRIs), ``relation`` what the source says about it.

    >>> Statement("<d>", ClaimKey("s", "p", "o"), Relation("R1", "treats", "T1", "T2")).sentence is None
    True
    """

    doc: str
    key: ClaimKey
    relation: Relation
    sentence: Span | None = None


def statement_digest(st: Statement) -> str:
    """The hash behind a statement's IRIs: everything it states is in it, so equal statements
    (the same document read twice) merge and different ones never do.

    >>> st = Statement("<d>", ClaimKey("s", "p", "o"), Relation("R1", "treats", "T1", "T2"))
    >>> len(statement_digest(st)), statement_digest(st) == statement_digest(st)
    (24, True)
    """
    r = st.relation
    span = f"{st.sentence.start}-{st.sentence.end}" if st.sentence else ""
    flags = ["n" if r.negated else "p", r.certainty, r.evidence_level or ""]
    # what older builds could not say is added only when said, so their IRIs stay the same
    flags += ["question"] if r.question else []
    flags += ["proposed"] if r.proposed else []
    flags += [v or "" for v in st.key[3:]] if st.key.qualified else []
    key = "\x1f".join((st.doc, *st.key[:3], span, *flags))
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def statement_lines(
    st: Statement,
    doc: Document | None,
    claim: str | None,
    *,
    direct: bool,
    digest: str | None = None,
) -> list[str]:
    """The lines of one statement (see the module docstring); ``claim`` is its claim's IRI term,
    or ``None`` when the statement belongs to no claim (a question, an unreviewed proposal);
    ``doc`` gives the sentence's text for the quote selector.

    >>> st = Statement("<d>", ClaimKey("s", "p", "o"), Relation("R1", "treats", "T1", "T2"))
    >>> lines = statement_lines(st, None, "<c>", direct=True)
    >>> lines[0]
    '<s> <p> <o> <https://w3id.org/kgraph/graph/data> .'
    """
    r, key = st.relation, st.key
    digest = digest or statement_digest(st)
    a = iri(f"{KGA}{digest}")
    s, p, o = iri(key.subject), iri(key.predicate), iri(key.object)
    out = [quad(s, p, o)] if direct else []
    out += [
        quad(a, TYPE, C["ResearchQuestion" if r.question else "Assertion"]),
        quad(a, P["subject"], s),
        quad(a, P["predicate"], p),
        quad(a, P["object"], o),
        quad(a, P["derived"], st.doc),
        *qualifier_lines(a, key),
    ]
    # a question asks about a relation (maybe its negation, maybe in hedged words): it records
    # both as a question's own, so nothing that reads an assertion's polarity counts it
    neg, cert = ("q_negated", "q_certainty") if r.question else ("negated", "certainty")
    out.append(quad(a, P[neg], TRUE if r.negated else FALSE))
    out.append(quad(a, P[cert], kgo_value(r.certainty)))
    if claim is not None:
        out.append(quad(a, P["claim"], claim))
    if r.evidence_level:
        out.append(quad(a, P["level"], kgo_value(r.evidence_level)))
    if r.note:
        out.append(quad(a, P["note"], literal(r.note)))
    if r.proposed:
        out.append(quad(a, P["proposed"], TRUE))
        out += proposal_provenance(a, r.note)
    if r.confidence:
        out.append(quad(a, P["confidence"], kgo_value(r.confidence)))
    ev, tgt = iri(f"{KGA}{digest}-evidence"), iri(f"{KGA}{digest}-target")
    out += [
        quad(a, P["evidence"], ev),
        quad(ev, TYPE, C["Annotation"]),
        quad(ev, P["body"], a),
        quad(ev, P["target"], tgt),
        quad(tgt, TYPE, C["SpecificResource"]),
        quad(tgt, P["source"], st.doc),
    ]
    sentence = st.sentence
    if sentence is None or doc is None:
        return out
    text = doc.text
    sm, om = doc.mention(r.subject), doc.mention(r.object)
    pos, quo = iri(f"{KGA}{digest}-position"), iri(f"{KGA}{digest}-quote")
    start, end = sentence.start, sentence.end
    out += [
        quad(a, P["stext"], literal(sm.covered(text))),
        quad(a, P["otext"], literal(om.covered(text))),
        quad(tgt, P["selector"], pos),
        quad(tgt, P["selector"], quo),
        quad(pos, TYPE, C["Position"]),
        quad(pos, P["start"], integer(start)),
        quad(pos, P["end"], integer(end)),
        quad(quo, TYPE, C["Quote"]),
        quad(quo, P["exact"], literal(text[start:end])),
        quad(quo, P["prefix"], literal(text[max(0, start - CONTEXT) : start])),
        quad(quo, P["suffix"], literal(text[end : end + CONTEXT])),
    ]
    return out
