"""The RDF of curation acts: W3C Web Annotations (assessing / editing) with PROV for who and when.

>>> CURATOR
'https://w3id.org/kgraph/curator/'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import quote

from ..nquads import nquad_literal
from ..vocab import GRAPH_DATA, GRAPH_ONTOLOGY, KGA, KGO, expand
from .log import MOTIVATION, STATUS, Act

__all__ = ["CURATOR", "act_lines", "entity_lines"]

# -- RDF ----------------------------------------------------------------------------------------

_OA = "http://www.w3.org/ns/oa#"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Curators' IRIs: one per name.
CURATOR = "https://w3id.org/kgraph/curator/"


def act_lines(assertion: str, status_: str, acts: Iterable[Act], graph: str) -> list[str]:
    """N-Quads of the review of one assertion (IRI ``assertion``, without angle brackets).

    >>> a = Act("reject", "d1", "kg:a", "treats", "kg:b", curator="ann", time="2026-01-02T03:04:05Z",
    ...         reason="no such claim")
    >>> lines = act_lines("https://w3id.org/kgraph/assertion/x", "Rejected", [a], "urn:g")
    >>> any("reviewStatus> <https://w3id.org/kgraph/ontology#Rejected>" in x for x in lines)
    True
    >>> any("#assessing>" in x for x in lines)
    True
    """
    g = f"<{graph}>"
    s = f"<{assertion}>"
    out = [f"{s} <{KGO}reviewStatus> <{KGO}{status_}> {g} ."]
    for act in acts:
        text = None
        if act.reason or act.set:
            text = act.reason
            if act.act == "correct":
                change = ", ".join(f"{k} = {json.dumps(v)}" for k, v in act.set.items())
                text = f"{text} (set {change})" if text else f"set {change}"
        out += _annotation(act, s, g, text)
    return out


def _annotation(act: Act, target: str, g: str, text: str | None) -> list[str]:
    """The Web Annotation of one act on ``target`` (an N-Quads term) in graph ``g``; ``text``:
    its textual body, if any."""
    node = f"<{KGA}review-{act.digest}>"
    agent = f"<{CURATOR}{quote(act.curator, safe='')}>"
    out = [
        f"{node} <{_RDF}type> <{_OA}Annotation> {g} .",
        f"{node} <{_OA}motivatedBy> <{_OA}{MOTIVATION[act.act]}> {g} .",
        f"{node} <{_OA}hasTarget> {target} {g} .",
        f"{node} <{KGO}reviewAct> <{KGO}{STATUS[act.act]}> {g} .",
        f"{node} <{_PROV}wasAttributedTo> {agent} {g} .",
        f"{node} <{_DCT}created> {nquad_literal(_xsd_time(act.time), _XSD + 'dateTime')} {g} .",
        f"{agent} <{_RDF}type> <{_PROV}Agent> {g} .",
        f"{agent} <{_RDFS}label> {nquad_literal(act.curator)} {g} .",
    ]
    if text is not None:
        body = f"<{KGA}review-{act.digest}-body>"
        out += [
            f"{node} <{_OA}hasBody> {body} {g} .",
            f"{body} <{_RDF}type> <{_OA}TextualBody> {g} .",
            f"{body} <{_RDF}value> {nquad_literal(text)} {g} .",
        ]
    return out + [f"{node} <{KGO}reviewTag> {nquad_literal(t)} {g} ." for t in act.tags]


_SKOS = "http://www.w3.org/2004/02/skos/core#"


def entity_lines(act: Act) -> list[str]:
    """N-Quads of a reviewed lexicon entry (an ``add-entity`` act): the entity as
    ``ontology/entities.ttl`` writes one (class, ``rdfs:label``, ``skos:altLabel``, each identifier
    as ``skos:exactMatch`` and ``dcterms:identifier``) in the ontology graph, and the act as a Web
    Annotation (``oa:editing``) on it in the data graph.

    >>> a = Act("add-entity", "d1", "kg:text/compound/zorb", "rdf:type", "kgo:Compound",
    ...         set={"entity": "kg:zorb", "label": "zorb", "identifiers": ["CHEBI:1"]},
    ...         curator="ann", time="2026-01-02T03:04:05Z")
    >>> lines = entity_lines(a)
    >>> any("exactMatch> <http://purl.obolibrary.org/obo/CHEBI_1>" in x for x in lines)
    True
    """
    o, d = f"<{GRAPH_ONTOLOGY}>", f"<{GRAPH_DATA}>"
    e = f"<{expand(str(act.set['entity']))}>"
    cls = f"<{KGO}{act.object.removeprefix('kgo:')}>"
    out = [
        f"{e} <{_RDF}type> {cls} {o} .",
        f"{e} <{_RDFS}label> {_en(str(act.set['label']))} {o} .",
    ]
    out += [f"{e} <{_SKOS}altLabel> {_en(str(x))} {o} ." for x in act.set.get("synonyms", ())]  # type: ignore[union-attr]
    for curie in act.set.get("identifiers", ()):  # type: ignore[union-attr]
        out += [
            f"{e} <{_SKOS}exactMatch> <{expand(str(curie))}> {o} .",
            f"{e} <{_DCT}identifier> {nquad_literal(str(curie))} {o} .",
        ]
    return out + _annotation(act, e, d, act.reason or None)


def _en(text: str) -> str:
    return nquad_literal(text) + "@en"


def _xsd_time(value: str) -> str:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
