"""The kgraph annotation scheme's attributes and qualifying relations (``corpus/README.md``),
read from a brat file's attributes, notes and ``comparator`` / ``mediator`` relations.

:func:`relation_fields` turns a relation's attributes and notes into :class:`~kgraph.model.Relation`
keyword arguments; :func:`attach_qualifiers` gives each ``comparator`` / ``mediator`` relation to
the one claim whose subject mention is its Arg1; :func:`proposal` reads ``Proposed`` /
``Confidence`` of a mention. Errors are built by the caller's ``error(message, line)``.

>>> from kgraph.errors import FormatError
>>> f = relation_fields({"Degree": "Weak"}, ["hyp"], lambda m, line: FormatError(m), "R1")
>>> f["degree"], f["certainty"], f["note"]
('Weak', 'Hedged', None)
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from ..errors import FormatError
from ..model import CERTAINTIES, COMPARISONS, CONFIDENCES, DEGREES, MEDIATIONS

__all__ = ["QUALIFYING_RELATIONS", "attach_qualifiers", "proposal", "relation_fields"]

_HEDGE_WORDS = {"hyp", "hypo", "htp", "hedged", "speculation", "speculative"}
_NEG_WORDS = {"neg", "not", "negated", "negation"}

#: Relations that qualify a claim rather than state one: Arg1 is the claim's subject mention.
QUALIFYING_RELATIONS = ("comparator", "mediator")

#: Attributes with a closed set of values: brat name → (Relation field, allowed values).
_CLOSED = {
    "Certainty": ("certainty", CERTAINTIES),
    "Comparison": ("comparison", COMPARISONS),
    "Degree": ("degree", DEGREES),
    "Mediation": ("mediation", MEDIATIONS),
    "Confidence": ("confidence", CONFIDENCES),
}
#: Flag attributes: brat name → Relation field.
_FLAGS = {
    "Negated": "negated",
    "Negation": "negated",
    "ResearchQuestion": "question",
    "Proposed": "proposed",
}
_TRUE = ("true", "yes", "1")
#: Attributes read only into their Relation fields; the scheme's newer ones stay in
#: ``Relation.attributes`` too, as brat wrote them, for code that reads them there.
_OWN = {"Negated", "Negation", "Certainty", "EvidenceLevel"}


def relation_fields(
    a: dict[str, str], notes: list[str], error: Callable[..., FormatError], rid: str
) -> dict[str, object]:
    """The Relation keyword arguments of a relation's attributes and notes.

    >>> from kgraph.errors import FormatError
    >>> error = lambda message, line=None: FormatError(message, path="a.ann", line=line)
    >>> f = relation_fields({"Negated": "true"}, ["hyp"], error, "R1")
    >>> f["negated"], f["certainty"], f["note"]
    (True, 'Hedged', None)
    """
    f: dict[str, object] = {field: False for field in _FLAGS.values()}
    for name, field in _FLAGS.items():
        if name in a:
            f[field] = bool(f[field]) or a[name].lower() in _TRUE
    for name, (field, allowed) in _CLOSED.items():
        value = a.get(name)
        if value is not None and value not in allowed:
            raise error(
                f"{name.lower()} of {rid} ({name}) must be one of {', '.join(allowed)}, not {value!r}",
                int(a.get("__line__" + name, 0)) or None,
            )
        f[field] = value
    f["certainty"] = f["certainty"] or "Asserted"
    f["evidence_level"] = a.get("EvidenceLevel")
    f["comparator"] = f["mediator"] = None
    if "Mediation" in a:
        f["__line__Mediation"] = int(a["__line__Mediation"])
    extra = {k: v for k, v in a.items() if not k.startswith("__") and k not in _OWN}
    kept = []
    for note in notes:
        words = set(note.lower().replace(",", " ").split())
        if words and words <= (_HEDGE_WORDS | _NEG_WORDS):  # PGxCorpus-style modality notes
            f["negated"] = bool(f["negated"]) or bool(words & _NEG_WORDS)
            if words & _HEDGE_WORDS:
                f["certainty"] = "Hedged"
        else:
            kept.append(note)
    if notes:
        extra["note"] = notes[0]
    f["note"] = "\n".join(kept) or None
    f["attributes"] = MappingProxyType(extra)
    return f


def attach_qualifiers(
    qualifying: list[dict],
    rel_parts: dict[str, dict],
    fields: dict[str, dict[str, object]],
    attrs: dict[str, dict[str, str]],
    error: Callable[..., FormatError],
) -> None:
    """Set ``comparator`` / ``mediator`` of the claim whose subject mention is each one's Arg1.

    >>> from kgraph.errors import FormatError
    >>> error = lambda message, line=None: FormatError(message, path="a.ann", line=line)
    >>> fields = {"R1": relation_fields({"Comparison": "More"}, [], error, "R1")}
    >>> q = {"id": "R2", "type": "comparator", "subject": "T1", "object": "T3", "line": 5}
    >>> attach_qualifiers([q], {"R1": {"subject": "T1"}}, fields, {}, error)
    >>> fields["R1"]["comparator"]
    'T3'
    """
    by_subject: dict[str, list[str]] = {}
    for rid, part in rel_parts.items():
        by_subject.setdefault(part["subject"], []).append(rid)
    for q in qualifying:
        kind, subject, line = q["type"], q["subject"], q["line"]
        if q["id"] in attrs:
            raise error(
                f"attributes belong on the claim, not on the {kind} relation {q['id']}", line
            )
        claims = by_subject.get(subject, [])
        if len(claims) != 1:
            which = f" ({', '.join(claims)})" if claims else ""
            raise error(
                f"{kind} {q['id']}: its Arg1 {subject} must be the subject of exactly one claim "
                f"relation, and is the subject of {len(claims)}{which}; give each qualified claim "
                "its own subject mention",
                line,
            )
        (rid,) = claims
        f = fields[rid]
        if f[kind] is not None:
            raise error(f"{rid} already has a {kind} ({f[kind]}); one per claim", line)
        needed = "comparison" if kind == "comparator" else "mediation"
        if f[needed] is None:
            raise error(
                f"{kind} {q['id']} qualifies {rid}, which has no {needed.capitalize()} attribute",
                line,
            )
        f[kind] = q["object"]


def proposal(
    a: dict[str, str], error: Callable[..., FormatError], target: str
) -> tuple[bool, str | None]:
    """Whether ``target`` is proposed, and its confidence, from its attributes ``a``.

    >>> error = lambda message, line=None: FormatError(message, path="a.ann", line=line)
    >>> proposal({"Proposed": "yes", "Confidence": "High"}, error, "R1")
    (True, 'High')
    >>> proposal({"Confidence": "Sure"}, error, "R1")
    Traceback (most recent call last):
    ...
    kgraph.errors.FormatError: a.ann: Confidence of R1 must be one of High, Medium, Low, not 'Sure'
    """
    proposed = a.get("Proposed", "false").lower() in _TRUE
    confidence = a.get("Confidence")
    if confidence is not None and confidence not in CONFIDENCES:
        raise error(
            f"Confidence of {target} must be one of {', '.join(CONFIDENCES)}, not {confidence!r}",
            int(a.get("__line__Confidence", 0)) or None,
        )
    return proposed, confidence
