"""Lexicon growth through the log: ``add-entity`` acts become lexicon entries for the build.

A reviewed entry (:func:`entries`: a curator's latest act per new entity, left out when curators
disagree) grows the lexicon (:func:`grow`): the entity gets its class, label, synonyms and
identifiers, so every mention with one of those names grounds to it, and the entity the text named
before (``kg:text/CLASS/NAME``) becomes an alias of it, so acts that named that one still apply.

>>> minted("kg:text/compound/zorb") == MINTED + "compound/zorb"
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..errors import FormatError
from ..grounding import Lexicon, normalise_label
from ..vocab import KG, expand
from .log import Act

__all__ = ["MINTED", "entries", "grow", "minted"]

#: Where the IRIs of entities the text named (outside the lexicon) start.
MINTED = f"{KG}text/"


def minted(name: str) -> str:
    """The IRI of an entity the text named, from its CURIE (``kg:text/CLASS/NAME``) or IRI.

    >>> minted("kg:text/compound/zorb")
    'https://w3id.org/kgraph/entity/text/compound/zorb'
    """
    return f"{KG}{name[3:]}" if name.startswith("kg:") else name


def entries(acts: Iterable[Act], report=None) -> list[Act]:
    """The reviewed lexicon entries of ``acts`` (``add-entity``), one per new entity: a curator's
    later act supersedes their earlier one; curators who disagree leave it out (``report.contested``).

    >>> a = Act("add-entity", "d", "kg:text/compound/zorb", "rdf:type", "kgo:Compound",
    ...         set={"entity": "kg:zorb", "label": "zorb"}, curator="ann", time="2026-01-01T00:00:00Z")
    >>> [e.set["entity"] for e in entries([a, a])]
    ['kg:zorb']
    """
    about: dict[str, list[Act]] = {}
    for a in acts:
        if a.act == "add-entity":
            about.setdefault(str(a.set["entity"]), []).append(a)
    out = []
    for acts_ in about.values():
        latest = {a.curator: a for a in acts_}
        if len({(a.subject, a.object, a.verdict()) for a in latest.values()}) > 1:
            if report is not None:
                report.contested += 1
            continue
        out.append(list(latest.values())[-1])
    return out


def grow(lexicon: Lexicon, reviewed: Iterable[Act]) -> Lexicon:
    """``lexicon`` with the reviewed entries: each a lexicon entity (class, label, synonyms and
    identifiers for grounding), and the text-named entity it replaces an alias of it. A class the
    ontology lacks is a :class:`FormatError` naming the log's line.

    >>> a = Act("add-entity", "d", "kg:text/compound/zorb", "rdf:type", "kgo:Compound",
    ...         set={"entity": "kg:zorb", "label": "Zorb", "identifiers": ["CHEBI:1"]}, curator="c",
    ...         time="2026-01-01T00:00:00Z")
    >>> lex = grow(Lexicon.load(), [a])
    >>> lex.entity_for_label("zorb") == lex.entity_for_curie("CHEBI:1") == f"{KG}zorb"
    True
    """
    reviewed = list(reviewed)
    if not reviewed:
        return lexicon
    lex = replace(
        lexicon,
        entity_class=dict(lexicon.entity_class),
        entity_label=dict(lexicon.entity_label),
        by_label=dict(lexicon.by_label),
        by_iri=dict(lexicon.by_iri),
    )
    for a in reviewed:
        cls = lexicon.classes.get(a.object.removeprefix("kgo:"))
        if cls is None:
            raise FormatError(f"add-entity: no class {a.object} in the ontology", path=a.path,
                              line=a.line)  # fmt: skip
        e = expand(str(a.set["entity"]))
        lex.entity_class[e] = cls
        lex.entity_label[e] = str(a.set["label"])
        for name in (a.set["label"], *a.set.get("synonyms", ())):  # type: ignore[misc]
            lex.by_label.setdefault(normalise_label(str(name)), e)
        for curie in a.set.get("identifiers", ()):  # type: ignore[union-attr]
            lex.by_iri.setdefault(expand(str(curie)), e)
        lex.by_iri[minted(a.subject)] = e  # acts that name the text's entity find this one
    return lex
