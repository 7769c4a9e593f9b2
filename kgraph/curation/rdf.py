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
from ..vocab import KGA, KGO
from .log import MOTIVATION, STATUS, Act

__all__ = ["CURATOR", "act_lines"]

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
        node = f"<{KGA}review-{act.digest}>"
        body = f"<{KGA}review-{act.digest}-body>"
        agent = f"<{CURATOR}{quote(act.curator, safe='')}>"
        out += [
            f"{node} <{_RDF}type> <{_OA}Annotation> {g} .",
            f"{node} <{_OA}motivatedBy> <{_OA}{MOTIVATION[act.act]}> {g} .",
            f"{node} <{_OA}hasTarget> {s} {g} .",
            f"{node} <{KGO}reviewAct> <{KGO}{STATUS[act.act]}> {g} .",
            f"{node} <{_PROV}wasAttributedTo> {agent} {g} .",
            f"{node} <{_DCT}created> {nquad_literal(_xsd_time(act.time), _XSD + 'dateTime')} {g} .",
            f"{agent} <{_RDF}type> <{_PROV}Agent> {g} .",
            f"{agent} <{_RDFS}label> {nquad_literal(act.curator)} {g} .",
        ]
        if act.reason or act.set:
            text = act.reason
            if act.act == "correct":
                change = ", ".join(f"{k} = {json.dumps(v)}" for k, v in act.set.items())
                text = f"{text} (set {change})" if text else f"set {change}"
            out += [
                f"{node} <{_OA}hasBody> {body} {g} .",
                f"{body} <{_RDF}type> <{_OA}TextualBody> {g} .",
                f"{body} <{_RDF}value> {nquad_literal(text)} {g} .",
            ]
        out += [f"{node} <{KGO}reviewTag> {nquad_literal(t)} {g} ." for t in act.tags]
    return out


def _xsd_time(value: str) -> str:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
