"""N-Quads lines: literals, IRIs and the pre-formatted terms the build writes into the data graph.

Every line the build yields is one N-Quads statement in the data graph, so any store can bulk-load
it. The tables :data:`P` (predicates) and :data:`C` (classes) are formatted once.

>>> quad(iri("https://example.org/a"), P["title"], literal("A \\"title\\""))
'<https://example.org/a> <http://purl.org/dc/terms/title> "A \\\\"title\\\\"" <https://w3id.org/kgraph/graph/data> .'
>>> integer(3), TRUE
('"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .vocab import DCTERMS, GRAPH_DATA, KGO, OA, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "FALSE",
    "TRUE",
    "TYPE",
    "C",
    "G",
    "P",
    "decimal",
    "integer",
    "iri",
    "kgo_value",
    "literal",
    "nquad_literal",
    "quad",
    "web_iri",
]

#: The data graph, as an N-Quads term.
G = f"<{GRAPH_DATA}>"
TYPE = f"<{RDF.type}>"
_XSD_INT = f"<{XSD.integer}>"  # Oxigraph stores derived integer types as xsd:integer
_XSD_BOOL = f"<{XSD.boolean}>"
TRUE = f'"true"^^{_XSD_BOOL}'
FALSE = f'"false"^^{_XSD_BOOL}'

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nquad_literal(value: str, datatype: str | None = None) -> str:
    """An N-Quads literal.

    >>> nquad_literal('say "hi"\\n')
    '"say \\\\"hi\\\\"\\\\n"'
    """
    lit = '"' + value.translate(_ESCAPES) + '"'
    return f"{lit}^^<{datatype}>" if datatype else lit


#: A plain string literal (the short name used by the emitters).
literal = nquad_literal


def iri(value: str) -> str:
    """An IRI term: ``<value>``.

    >>> iri("https://w3id.org/kgraph/entity/ketamine")
    '<https://w3id.org/kgraph/entity/ketamine>'
    """
    return f"<{value}>"


def integer(n: int) -> str:
    """An ``xsd:integer`` literal.

    >>> integer(7)
    '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    return f'"{n}"^^{_XSD_INT}'


def decimal(text: str) -> str:
    """An ``xsd:decimal`` literal from its text (written as given: pass the canonical form).

    >>> decimal("0.77")
    '"0.77"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    return f'"{text}"^^<{XSD.decimal}>'


def kgo_value(name: str) -> str:
    """The IRI term of a controlled value of the ontology (``kgo:Hedged``, ``kgo:Review``, …).

    >>> kgo_value("Less")
    '<https://w3id.org/kgraph/ontology#Less>'
    """
    return f"<{KGO}{quote(name)}>"


def quad(s: str, p: str, o: str) -> str:
    """One line of the data graph from three formatted terms.

    >>> quad("<a>", "<b>", '"c"')
    '<a> <b> "c" <https://w3id.org/kgraph/graph/data> .'
    """
    return f"{s} {p} {o} {G} ."


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
    out = quote(_BARE_PERCENT.sub("%25", url), safe=":/?#[]@!$&()*+,;=%~")
    try:
        pyoxigraph.NamedNode(out)  # the parser the store loads with: the same checks
    except ValueError:
        return None
    return out


def _terms(table: dict[str, object]) -> dict[str, str]:
    return {name: iri(str(term)) for name, term in table.items()}


#: Predicates, pre-formatted once.
P: dict[str, str] = _terms(
    {
        "subject": RDF.subject,
        "predicate": RDF.predicate,
        "object": RDF.object,
        "label": RDFS.label,
        "negated": KGO.negated,
        "certainty": KGO.certainty,
        "q_negated": KGO.questionNegated,
        "q_certainty": KGO.questionCertainty,
        "level": KGO.evidenceLevel,
        "comparison": KGO.comparison,
        "comparator": KGO.comparator,
        "degree": KGO.degree,
        "mediation": KGO.mediation,
        "mediator": KGO.mediator,
        "note": SKOS.note,
        "proposed": KGO.proposed,
        "confidence": KGO.confidence,
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
        # the summary (kgraph.summary)
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
        "c_weight": KGO.evidenceWeight,
        "c_reason": KGO.weightReason,
        "c_resdocs": KGO.researchDocumentCount,
        "c_order": KGO.weightOrder,
        "c_basis": KGO.weightBasis,
        "c_hedged": KGO.hedgedSupportingStatementCount,
        "c_example": KGO.exampleStatement,
        "c_example_den": KGO.exampleDenyingStatement,
        "bin_statements": KGO.binStatementCount,
        "bin_documents": KGO.documentCount,
        "bin_above": KGO.documentsAbove,
        "d_statements": KGO.statementCount,
        "d_negated": KGO.negatedStatementCount,
        "d_hedged": KGO.hedgedStatementCount,
        "d_questions": KGO.researchQuestionCount,
        "d_entities": KGO.entityCount,
        "d_unique": KGO.uniqueClaimCount,
        "d_level": KGO.usesEvidenceLevel,
    }
)

#: Classes, pre-formatted once.
C: dict[str, str] = _terms(
    {
        "Assertion": KGO.Assertion,
        "ResearchQuestion": KGO.ResearchQuestion,
        "Claim": KGO.Claim,
        "StatementCountBin": KGO.StatementCountBin,
        "Document": KGO.Document,
        "Annotation": OA.Annotation,
        "SpecificResource": OA.SpecificResource,
        "Position": OA.TextPositionSelector,
        "Quote": OA.TextQuoteSelector,
    }
)
