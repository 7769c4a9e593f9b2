"""Reviewed lexicon entries as ``ontology/entities.ttl`` Turtle (``kgraph curate lexicon``).

An ``add-entity`` act makes an entity a lexicon entity on every build that replays its log; this
writes the entries in the lexicon's own form (class, ``rdfs:label``, ``skos:altLabel``, each
identifier as ``skos:exactMatch`` and ``dcterms:identifier``) so that they can be made permanent.

>>> lexicon_turtle([])  # no log, no entries
''
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..nquads import nquad_literal
from ..vocab import expand
from .entities import entries
from .log import LOG, read_log

__all__ = ["lexicon_turtle"]

_PREFIXES = """@prefix kg: <https://w3id.org/kgraph/entity/> .
@prefix kgo: <https://w3id.org/kgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def _subjects(path: Path) -> set[str]:
    import pyoxigraph as ox

    return {t.subject.value for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}


def lexicon_turtle(corpora: Iterable[str | Path], *, existing: str | Path | None = None) -> str:
    """The reviewed entries of the corpora's logs as Turtle (prefixes, then one block per
    entity); entities the Turtle file ``existing`` already describes are left out, and nothing
    at all is given when none is left.

    >>> import tempfile, pathlib
    >>> from kgraph.curation.log import Act, append
    >>> corpus = pathlib.Path(tempfile.mkdtemp())
    >>> _ = append(corpus / "curation.jsonl", Act("add-entity", "d", "kg:text/compound/zorb",
    ...     "rdf:type", "kgo:Compound", set={"entity": "kg:zorb", "label": "zorb",
    ...     "identifiers": ["CHEBI:1"]}, curator="ann", time="2026-01-02T03:04:05Z"))
    >>> print(lexicon_turtle([corpus]).split("\\n\\n")[-1], end="")
    # reviewed by ann, 2026-01-02T03:04:05Z (curation.jsonl:1)
    kg:zorb a kgo:Compound ;
        rdfs:label "zorb"@en ;
        skos:exactMatch <http://purl.obolibrary.org/obo/CHEBI_1> ;
        dcterms:identifier "CHEBI:1" .
    """
    acts = []
    for corpus in corpora:
        log = Path(corpus) / LOG
        if log.exists():
            acts += read_log(log)
    known = _subjects(Path(existing)) if existing is not None else set()
    blocks = []
    for a in entries(acts):
        entity = str(a.set["entity"])
        if expand(entity) in known:
            continue
        lines = [
            f"# reviewed by {a.curator}, {a.time} ({Path(a.path or LOG).name}:{a.line})"
            + (f": {a.reason}" if a.reason else ""),
            f"{entity} a {a.object} ;",
            f"    rdfs:label {nquad_literal(str(a.set['label']))}@en",
        ]
        synonyms = [f"{nquad_literal(str(x))}@en" for x in a.set.get("synonyms", ())]  # type: ignore[union-attr]
        if synonyms:
            lines[-1] += " ;"
            lines.append(f"    skos:altLabel {', '.join(synonyms)}")
        ids = [str(x) for x in a.set.get("identifiers", ())]  # type: ignore[union-attr]
        if ids:
            lines[-1] += " ;"
            lines.append(f"    skos:exactMatch {', '.join(f'<{expand(x)}>' for x in ids)} ;")
            lines.append(f"    dcterms:identifier {', '.join(nquad_literal(x) for x in ids)}")
        lines[-1] += " ."
        blocks.append("\n".join(lines) + "\n")
    if not blocks:
        return ""
    return "\n".join(
        ["\n# Reviewed lexicon entries (kgraph curate lexicon)\n" + _PREFIXES, *blocks]
    )
