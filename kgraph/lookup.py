"""Look up lexicon entities by label, synonym or identifier: what to write when annotating by hand.

The lexicon is the ontology's ``entities.ttl`` (read with the ontology, as grounding reads it), so
a look-up needs no built store. :func:`search` answers ``kgraph entities SEARCH``;
:func:`better_named` is the build's check that a mention grounded by identifier is not named after
another entity (a "BDNF" mention referenced to ``kg:trkb``).

>>> [e.curie for e, how in search("BDNF")][:1]
['kg:bdnf']
>>> hit, how = search("NCBIGene:627")[0]
>>> hit.curie, how
('kg:bdnf', 'identifier')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .formats._ids import known_prefix
from .grounding import Lexicon, normalise_label
from .suggest import suggest
from .vocab import DCTERMS, KG, KGO, RDFS, SKOS, expand, ontology_dir

__all__ = ["EntityInfo", "better_named", "entity_index", "search"]


@dataclass(frozen=True)
class EntityInfo:
    """A lexicon entity: IRI, ``kg:`` CURIE, label, class, synonyms, identifiers, definition.

    >>> e = EntityInfo("https://w3id.org/kgraph/entity/bdnf", "BDNF", "GeneOrProtein", ("brain-derived neurotrophic factor",))
    >>> e.curie, e.names()
    ('kg:bdnf', ('BDNF', 'brain-derived neurotrophic factor'))
    """

    iri: str
    label: str
    cls: str  # the kgo: class's local name
    synonyms: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    definition: str = ""

    @property
    def curie(self) -> str:
        """``kg:name`` (what a brat ``Reference`` note names).

        >>> EntityInfo("https://w3id.org/kgraph/entity/bdnf", "BDNF", "GeneOrProtein").curie
        'kg:bdnf'
        """
        return "kg:" + self.iri[len(str(KG)) :] if self.iri.startswith(str(KG)) else self.iri

    def names(self) -> tuple[str, ...]:
        """The label, then the synonyms."""
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class _Index:
    entities: tuple[EntityInfo, ...]
    by_name: dict[str, tuple[EntityInfo, ...]]  # normalised label or synonym → entities
    by_id: dict[str, EntityInfo]  # identifier IRI, kg: IRI → entity


def entity_index(folder: Path | None = None) -> tuple[EntityInfo, ...]:
    """Every lexicon entity of the ontology in ``folder`` (default: :func:`ontology_dir`), in file
    order.

    >>> any(e.curie == "kg:trkb" and "NTRK2" in e.synonyms for e in entity_index())
    True
    """
    return _index(Path(folder or ontology_dir()).resolve()).entities


@lru_cache(maxsize=4)
def _index(folder: Path) -> _Index:
    import pyoxigraph as ox

    lex = Lexicon.load(folder)
    wanted = {
        str(RDFS.label): "label",
        str(SKOS.altLabel): "synonyms",
        str(DCTERMS.identifier): "identifiers",
        str(SKOS.definition): "definition",
    }
    values: dict[str, dict[str, list[str]]] = {e: {} for e in lex.entity_class}
    for path in lex.files:
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            field = wanted.get(t.predicate.value)
            slot = values.get(t.subject.value) if field else None
            if slot is not None and isinstance(t.object, ox.Literal):
                slot.setdefault(field, []).append(t.object.value)
    kgo = str(KGO)
    entities = []
    for iri, cls in lex.entity_class.items():
        v = values[iri]
        entities.append(
            EntityInfo(
                iri,
                (v.get("label") or [lex.entity_label.get(iri, iri)])[0],
                cls[len(kgo) :] if cls.startswith(kgo) else cls,
                tuple(dict.fromkeys(v.get("synonyms", []))),
                tuple(dict.fromkeys(v.get("identifiers", []))),
                (v.get("definition") or [""])[0],
            )
        )
    by_name: dict[str, list[EntityInfo]] = {}
    by_id: dict[str, EntityInfo] = {}
    for e in entities:
        for name in e.names():
            group = by_name.setdefault(normalise_label(name), [])
            if e not in group:
                group.append(e)
        by_id.setdefault(e.iri, e)
        for ident in e.identifiers:
            try:
                by_id.setdefault(expand(ident), e)
            except ValueError:
                pass
    return _Index(tuple(entities), {k: tuple(v) for k, v in by_name.items()}, by_id)


def search(
    text: str, *, folder: Path | None = None, limit: int = 10
) -> list[tuple[EntityInfo, str]]:
    """Lexicon entities for ``text``, best first, each with how it matched.

    ``how`` is ``"identifier"`` (an IRI, a ``kg:`` CURIE or an identifier CURIE such as
    ``MESH:D007649``, prefix in any case), ``"name"`` (a label or synonym, ignoring case),
    ``"part of name"`` (``text`` occurs in a label or synonym) or, only when none of these
    matched, ``"similar"`` (a close spelling: the did-you-mean answers). An empty list when nothing
    is close.

    >>> [(e.curie, how) for e, how in search("ketamin", limit=2)]
    [('kg:ketamine', 'part of name'), ('kg:esketamine', 'part of name')]
    >>> [(e.curie, how) for e, how in search("ketmaine", limit=1)]
    [('kg:ketamine', 'similar')]
    """
    index = _index(Path(folder or ontology_dir()).resolve())
    query = text.strip()
    if not query:
        return []
    out: list[tuple[EntityInfo, str]] = []

    def add(e: EntityInfo, how: str) -> None:
        if all(e is not seen for seen, _ in out):
            out.append((e, how))

    for candidate in _as_iris(query):
        if candidate in index.by_id:
            add(index.by_id[candidate], "identifier")
    key = normalise_label(query)
    for e in index.by_name.get(key, ()):
        add(e, "name")
    if len(key) >= 3:
        for name, group in index.by_name.items():
            if key in name and name != key:
                for e in group:
                    add(e, "part of name")
    if not out:
        for name in suggest(query, list(index.by_name), limit=limit, cutoff=80):
            for e in index.by_name[name]:
                add(e, "similar")
    return out[:limit]


def _as_iris(text: str) -> list[str]:
    """The IRIs ``text`` may stand for: itself, a ``kg:`` name, a CURIE with its prefix in any
    case (``hgnc:1033``, ``ncbigene:627``)."""
    out = [text]
    prefix, sep, local = text.partition(":")
    if sep and "//" not in text:
        spellings = [prefix, prefix.upper(), known_prefix(prefix) or prefix]
        for p in dict.fromkeys(spellings):
            try:
                out.append(expand(f"{p}:{local}"))
            except ValueError:
                pass
    return out


#: Below this similarity (RapidFuzz WRatio, 0–100) to every name of the entity a mention is
#: grounded to, the mention's text does not look like a name of it ("BDNF" and "TrkB": 34;
#: "regular antidepressants" and "conventional antidepressant treatment": 67).
RESEMBLES = 60.0


def better_named(lexicon: Lexicon, text: str, entities: tuple[str, ...]) -> str | None:
    """A warning when ``text`` is the name of lexicon entities none of which is among ``entities``
    (the ones its mention was grounded to, by identifier) and does not resemble any name of those
    (:data:`RESEMBLES`), else ``None``.

    >>> lex = Lexicon.load()
    >>> print(better_named(lex, "BDNF", ("https://w3id.org/kgraph/entity/trkb",)))
    text 'BDNF' is grounded to kg:trkb (TrkB) but is the name of kg:bdnf (BDNF)
    >>> better_named(lex, "BDNF", ("https://w3id.org/kgraph/entity/bdnf",)) is None
    True
    """
    if not lexicon.files:
        return None
    index = _index(lexicon.files[0].parent.resolve())
    named = index.by_name.get(normalise_label(text))
    if not named or any(e.iri in entities for e in named):
        return None
    grounded = [index.by_id.get(e) for e in entities]
    if any(g is None for g in grounded):
        return None  # an entity outside the lexicon: its name cannot be compared
    from rapidfuzz import fuzz, process, utils

    names = [n for g in grounded if g is not None for n in g.names()]
    close = process.extractOne(
        text, names, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=RESEMBLES
    )
    if close is not None:
        return None  # named after another entity too, but also like this one: a curator's choice
    was = ", ".join(f"{g.curie} ({g.label})" for g in grounded if g is not None)
    better = ", ".join(f"{e.curie} ({e.label})" for e in named)
    return f"text {text!r} is grounded to {was} but is the name of {better}"
