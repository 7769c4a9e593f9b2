"""Grounding: from a mention's type, identifiers and text to an entity IRI and an ontology class.

The :class:`Lexicon` is read from the ontology (``kgraph.ttl`` for classes and properties,
``entities.ttl`` for named entities with labels, synonyms and identifiers) plus the mapping table of
external corpus types (``kgraph/data/mappings.toml``).

Rules, in order, for a mention:

1. each of its CURIEs: a ``kg:`` CURIE must name an entity of the lexicon; any other CURIE lands on
   the lexicon entity that lists it as an identifier (so MeSH D007649 *is* ``kg:ketamine``), else on
   the CURIE's own IRI;
2. no CURIE: a lexicon entity whose label or synonym equals the text (case-insensitive);
3. else an entity minted from the class and the text (``kg:text/compound/warfarin``), counted as
   grounded by text only.

A mention typed with an ontology class that contradicts the lexicon's class of its entity (neither
class is a kind of the other: a ``Receptor`` mention of an entity the lexicon calls a ``Compound``)
is grounded to the entity with the lexicon's class, and :attr:`Grounded.conflict` says why ; the build
reports it as an error naming file and line (a counted warning with ``--lenient``). An external
corpus's type, mapped to a class by the mapping table (:data:`OWN_TYPE_FORMATS`), defers to the
lexicon: :attr:`Grounded.mapped` is set and the build counts a note. A type more general or more
specific than the lexicon's (``Compound`` for an enantiomer) is no conflict.

>>> lex = Lexicon.load()
>>> lex.entity_for_curie("kg:esketamine") == str(KG.esketamine)
True
>>> lex.class_for_type("Chemical", "pubtator") == str(KGO.Compound)
True
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from .errors import GroundingError
from .model import Document, Mention, Relation
from .vocab import DCTERMS, KG, KGO, OWL, RDF, RDFS, SKOS, expand, ontology_dir

__all__ = ["Grounded", "Lexicon", "error_in", "ground_mention", "load_mappings", "normalise_label"]

_WS = re.compile(r"\s+")
_SLUG = re.compile(r"[^a-z0-9]+")


def normalise_label(text: str) -> str:
    """Lower case, single spaces, straight quotes and hyphens: the key of the label index.

    >>> normalise_label("  NMDA\\u2013Receptor ")
    'nmda-receptor'
    """
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    return _WS.sub(" ", text).strip().lower()


def error_in(doc: Document, message: str, line: int | None, cls: type = GroundingError):
    """An error of class ``cls`` at ``line`` of ``doc`` (its file and id).

    >>> from kgraph.model import Document
    >>> print(error_in(Document("d1", "x", source="a.ann"), "unknown type 'Drug'", 3))
    a.ann:3: document d1: unknown type 'Drug'
    """
    return cls(message, path=doc.source, line=line, document=doc.id)


def _slug(text: str) -> str:
    return _SLUG.sub("_", normalise_label(text)).strip("_") or "x"


def load_mappings(*extra: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The packaged mapping table, updated by each TOML file in ``extra`` (same layout).

    >>> load_mappings()["default"]["types"]["Chemical"]
    'Compound'
    """
    data = tomllib.loads(resources.files("kgraph").joinpath("data", "mappings.toml").read_text())
    for path in extra:
        try:
            more = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise GroundingError(f"invalid mapping table: {e}", path=path) from None
        for fmt, tables in more.items():
            for kind, table in tables.items():
                data.setdefault(fmt, {}).setdefault(kind, {}).update(table)
    return data


@dataclass
class Lexicon:
    """What the ontology knows: classes, properties and named entities with their names and ids."""

    classes: dict[str, str] = field(default_factory=dict)  # local name → IRI
    properties: dict[str, str] = field(default_factory=dict)  # local name → IRI
    symmetric: set[str] = field(default_factory=set)  # property IRIs
    superclasses: dict[str, set[str]] = field(default_factory=dict)  # class IRI → ancestors
    entity_class: dict[str, str] = field(default_factory=dict)  # entity IRI → class IRI
    entity_label: dict[str, str] = field(default_factory=dict)  # entity IRI → label
    by_label: dict[str, str] = field(default_factory=dict)  # normalised label → entity IRI
    by_iri: dict[str, str] = field(default_factory=dict)  # identifier IRI → entity IRI
    broader: dict[str, set[str]] = field(default_factory=dict)  # entity → its skos:broader ones
    mappings: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()

    @classmethod
    def load(cls, folder: Path | None = None, mappings: Iterable[Path] = ()) -> Lexicon:
        """Read ``kgraph.ttl`` and ``entities.ttl`` from ``folder`` (default: the ontology dir)."""
        folder = Path(folder) if folder else ontology_dir()
        return _load_cached(folder.resolve(), tuple(Path(m).resolve() for m in mappings))

    # -- look-ups ---------------------------------------------------------------------------
    def class_for_type(self, type_: str, fmt: str = "default") -> str | None:
        """The class IRI of a source entity type, or ``None`` when nothing maps it."""
        return self._mapped(self.classes, "types", type_, fmt)

    def property_for_type(self, type_: str, fmt: str = "default") -> str | None:
        """The property IRI of a source relation type, or ``None`` when nothing maps it."""
        return self._mapped(self.properties, "relations", type_, fmt)

    def _mapped(self, iris: dict[str, str], kind: str, type_: str, fmt: str) -> str | None:
        """``iris[type_]``, else ``iris`` of the local name the ``fmt`` (then default) mapping
        table of ``kind`` gives ``type_``."""
        if type_ in iris:
            return iris[type_]
        for table in (self.mappings.get(fmt, {}), self.mappings.get("default", {})):
            local = table.get(kind, {}).get(type_)
            if local:
                return iris.get(local)
        return None

    def entity_for_curie(self, curie: str) -> str | None:
        """The entity IRI a CURIE denotes: a lexicon entity when one lists it, else its own IRI."""
        try:
            iri = expand(curie)
        except ValueError:
            return None
        if iri.startswith(str(KG)):
            return iri if iri in self.entity_class else None
        return self.by_iri.get(iri, iri)

    def entity_for_label(self, text: str) -> str | None:
        """The lexicon entity whose label or synonym is ``text`` (case-insensitive)."""
        return self.by_label.get(normalise_label(text))

    def is_a(self, cls: str, ancestor: str) -> bool:
        return cls == ancestor or ancestor in self.superclasses.get(cls, ())

    def broader_closure(self, entity: str) -> set[str]:
        """The entity and every entity above it in the entity hierarchy (``skos:broader*``).

        >>> lex = Lexicon(broader={"a": {"b"}, "b": {"c"}})
        >>> sorted(lex.broader_closure("a"))
        ['a', 'b', 'c']
        """
        seen, todo = {entity}, [entity]
        while todo:
            for b in self.broader.get(todo.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen


@lru_cache(maxsize=8)
def _load_cached(folder: Path, mappings: tuple[Path, ...]) -> Lexicon:
    # Parsed with pyoxigraph (several times faster than rdflib here: every build starts with it),
    # then indexed in plain dicts in file order, so that the first entity to claim a name keeps it.
    import pyoxigraph as ox

    files = tuple(p for p in (folder / "kgraph.ttl", folder / "entities.ttl") if p.exists())
    if not files:
        raise GroundingError("no ontology here (kgraph.ttl)", path=folder)
    index: dict[tuple[str, str], list] = {}  # (subject IRI, predicate IRI) → objects, in order
    typed: list[tuple[str, str]] = []  # (subject IRI, class IRI) of every rdf:type triple
    rdf_type = str(RDF.type)
    for p in files:
        try:
            triples = list(ox.parse(path=str(p), format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError, OSError) as e:
            raise GroundingError(f"cannot parse the ontology: {e}", path=p) from None
        for t in triples:
            s, pred = _key(t.subject), t.predicate.value
            index.setdefault((s, pred), []).append(t.object)
            if pred == rdf_type and isinstance(t.object, ox.NamedNode) and s[:2] != "_:":
                typed.append((s, t.object.value))

    def objects(s: str, pred) -> list:
        return index.get((s, str(pred)), [])

    lex = Lexicon(mappings=load_mappings(*mappings), files=files)
    kgo = str(KGO)
    for s, c in typed:
        if s.startswith(kgo):
            if c == str(OWL.Class):
                lex.classes[s[len(kgo) :]] = s
            elif c in (str(OWL.ObjectProperty), str(OWL.SymmetricProperty)):
                lex.properties[s[len(kgo) :]] = s
        if c == str(OWL.SymmetricProperty):
            lex.symmetric.add(s)
    for c in lex.classes.values():
        ancestors: set[str] = set()
        todo = [c]
        while todo:
            for sup in objects(todo.pop(), RDFS.subClassOf):
                if isinstance(sup, ox.NamedNode) and sup.value not in ancestors:
                    ancestors.add(sup.value)
                    todo.append(sup.value)
        lex.superclasses[c] = ancestors
    # A relation type is a property between entities: the statement vocabulary (aboutClaim,
    # evidenceLevel, the qualifiers, mentionedIn…) is not something a text annotates.
    entity = str(KGO.Entity)

    def members(node) -> list[str]:
        """A class, or the members of an owl:unionOf class (the list cells are blank nodes)."""
        union = objects(_key(node), OWL.unionOf)
        if not union:
            return [_key(node)]
        out, cell = [], union[0]
        while isinstance(cell, ox.BlankNode):
            out += [_key(m) for m in objects(_key(cell), RDF.first)]
            cell = next(iter(objects(_key(cell), RDF.rest)), None)
        return out

    def between_entities(p: str) -> bool:
        for side in (RDFS.domain, RDFS.range):
            for node in objects(p, side):
                for m in members(node):
                    if m != entity and entity not in lex.superclasses.get(m, ()):
                        return False
        return True

    lex.properties = {k: v for k, v in lex.properties.items() if between_entities(v)}
    class_iris = set(lex.classes.values())
    for e, c in typed:
        if c in class_iris and e.startswith(str(KG)):
            lex.entity_class[e] = c
    for e in lex.entity_class:
        labels = objects(e, RDFS.label)
        label = labels[0].value if labels else None
        lex.entity_label[e] = label if label else e.rsplit("/", 1)[-1]
        for name in [*labels[:1], *objects(e, SKOS.altLabel)]:
            if name.value:
                lex.by_label.setdefault(normalise_label(name.value), e)
        for ident in objects(e, DCTERMS.identifier):
            try:
                lex.by_iri.setdefault(expand(ident.value), e)
            except ValueError:
                pass
        for match in objects(e, SKOS.exactMatch):
            lex.by_iri.setdefault(match.value, e)
        for b in objects(e, SKOS.broader):
            if isinstance(b, ox.NamedNode):
                lex.broader.setdefault(e, set()).add(b.value)
    return lex


def _key(term) -> str:
    """The index key of a term: an IRI, or ``_:id`` for a blank node."""
    return f"_:{term.value}" if type(term).__name__ == "BlankNode" else term.value


@dataclass(frozen=True, slots=True)
class Grounded:
    """A grounded mention: its entities (one per concept), their class, and how it was grounded.

    >>> Grounded(("https://w3id.org/kgraph/entity/ketamine",), "kgo:Compound", "label").how
    'label'
    """

    entities: tuple[str, ...]
    cls: str
    how: str  # "identifier" | "label" | "text"
    conflict: str | None = None  # the mention's type contradicts the lexicon's class: why
    mapped: bool = False  # the type is a third-party corpus's, mapped onto a kgraph class


#: Formats whose entity types are kgraph's own classes (the annotators chose them): there a type
#: that contradicts the lexicon is an error; a third-party corpus's coarse type ("Chemical",
#: "DiseaseOrPhenotypicFeature"), mapped through ``mappings.toml``, gives way to the lexicon's class.
OWN_TYPE_FORMATS = frozenset({"kgraph", "brat", "gold", "default"})


def ground_mention(lex: Lexicon, doc: Document, m: Mention) -> Grounded:
    """Ground one mention; raises :class:`GroundingError` (with file and line) when it cannot.

    >>> from kgraph.model import Span
    >>> doc = Document("d", "Ketamine", metadata={"format": "kgraph"})
    >>> g = ground_mention(Lexicon.load(), doc, Mention("T1", "Compound", (Span(0, 8),), "Ketamine"))
    >>> g.entities, g.how
    (('https://w3id.org/kgraph/entity/ketamine',), 'label')
    """
    fmt = doc.metadata.get("format", "default")
    cls = lex.class_for_type(m.type, fmt)
    if cls is None:
        raise error_in(
            doc, f"unknown entity type {m.type!r} of mention {m.id} ({m.text!r})", m.line
        )
    if m.concepts:
        entities = []
        for curie in m.concepts:
            e = lex.entity_for_curie(curie)
            if e is None:
                raise error_in(
                    doc, f"unknown entity {curie!r} for mention {m.id} ({m.text!r})", m.line
                )
            entities.append(e)
        how = "identifier"
    else:
        e = lex.entity_for_label(m.text)
        if e is not None:
            entities, how = [e], "label"
        else:
            local = cls.rsplit("#", 1)[-1].lower()
            entities, how = [f"{KG}text/{local}/{quote(_slug(m.text))}"], "text"
    typed, conflict = cls, None
    # only a type the annotator chose from the ontology is held to the lexicon (``mapped`` False);
    # an external corpus's coarse type (BioRED's DiseaseOrPhenotypicFeature) reaches a class through
    # the mapping table, and its conflict is a note the build counts
    for e in entities:
        known = lex.entity_class.get(e)
        if known is None:
            continue
        if conflict is None and not (lex.is_a(known, typed) or lex.is_a(typed, known)):
            conflict = (
                f"typed {m.type!r} but the lexicon has {_local(e)} as {_local(known)} "
                f"(neither is a kind of the other)"
            )
        if cls == typed:
            cls = known  # the lexicon's class of the first lexicon entity wins
    mapped = fmt not in OWN_TYPE_FORMATS or m.type not in lex.classes
    return Grounded(tuple(dict.fromkeys(entities)), cls, how, conflict, mapped)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def relation_property(lex: Lexicon, doc: Document, r: Relation) -> str:
    """The property IRI of a relation; raises :class:`GroundingError` when none maps it."""
    p = lex.property_for_type(r.type, doc.metadata.get("format", "default"))
    if p is None:
        raise error_in(doc, f"unknown relation type {r.type!r} of {r.id}", r.line)
    return p
