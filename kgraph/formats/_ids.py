"""Helpers the PubTator, BioC and PubAnnotation readers share.

* :func:`curies_for` turns the raw identifier column of a mention into CURIEs.
* :func:`resolve_endpoint` and :func:`concept_relations` turn concept-level relation ends into
  relations (offsets are checked by :mod:`kgraph.formats._spans`).

Identifier rules (:func:`curies_for`):

* whitespace is stripped (BioRED has ``" CVCL_1452"``); ``-1``, ``-`` and ``""`` mean "no
  identifier" and give ``()``;
* composites are split on ``|``, ``,`` and ``;`` (BC5CDR ``D014786|D006311``, BioRED
  ``116590,50689``, PubTator Central ``7157;7158``), **except** for sequence variants, whose tmVar
  notation contains ``|`` (``p|SUB|E|333|D``) and is kept whole;
* the prefix comes from the source type: MeSH ``D…``/``C…`` ids of chemicals and diseases become
  ``MESH:…``, genes ``NCBIGene:…``, species ``NCBITaxon:…``, Cellosaurus accessions
  ``cellosaurus:CVCL_…``, rsIDs ``dbsnp:rs…`` and any other variant notation ``tmvar:…`` (verbatim;
  the RDF layer percent-encodes it);
* an identifier that already has a prefix (``MESH:D001``, ``OMIM:601665``) keeps it, with the
  prefix spelled the usual way (``mesh:`` → ``MESH:``); an OBO PURL becomes ``GO:0051179``;
* a bare identifier the rules do not recognise gives no CURIE rather than a guessed one.

>>> curies_for("D014786|D006311", "Disease", "pubtator")
('MESH:D014786', 'MESH:D006311')
>>> curies_for("116590,50689", "GeneOrGeneProduct", "pubtator")
('NCBIGene:116590', 'NCBIGene:50689')
>>> curies_for(" CVCL_1452", "CellLine", "bioc-xml")
('cellosaurus:CVCL_1452',)
>>> curies_for("p|SUB|E|333|D", "SequenceVariant", "pubtator")
('tmvar:p|SUB|E|333|D',)
>>> curies_for("rs6232", "SequenceVariant", "pubtator")
('dbsnp:rs6232',)
>>> curies_for("-1", "Chemical", "pubtator"), curies_for("-", "ChemicalEntity", "pubtator")
((), ())
>>> curies_for("OMIM:601665", "DiseaseOrPhenotypicFeature", "pubtator")
('OMIM:601665',)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError
from ..model import Relation

__all__ = [
    "KNOWN_TYPES",
    "VARIANT_TYPES",
    "UnusableRelation",
    "concept_relations",
    "corpus_name",
    "curies_for",
    "id_parts",
    "known_prefix",
    "resolve_endpoint",
]

#: Source types whose identifiers are tmVar/dbSNP notations (never split on ``|``).
VARIANT_TYPES = frozenset(
    {
        "SequenceVariant",
        "Mutation",
        "Variant",
        "DNAMutation",
        "ProteinMutation",
        "SNP",
        "DNAAcidChange",
        "ProteinAcidChange",
        "AcidChange",
    }
)
_MESH_TYPES = frozenset({"Chemical", "ChemicalEntity", "Disease", "DiseaseOrPhenotypicFeature"})
_GENE_TYPES = frozenset({"Gene", "GeneOrGeneProduct"})
_SPECIES_TYPES = frozenset({"Species", "OrganismTaxon"})
_CELL_TYPES = frozenset({"CellLine"})
#: Every source type whose identifiers :func:`curies_for` knows how to prefix.
KNOWN_TYPES = _MESH_TYPES | _GENE_TYPES | _SPECIES_TYPES | _CELL_TYPES | VARIANT_TYPES

#: How a prefix is usually spelled (bioregistry's preferred prefixes), by its lower-case form.
_PREFIXES = {
    p.lower(): p
    for p in (
        "MESH",
        "NCBIGene",
        "NCBITaxon",
        "cellosaurus",
        "dbsnp",
        "tmvar",
        "OMIM",
        "CHEBI",
        "GO",
        "HP",
        "MONDO",
        "UBERON",
        "HGNC",
        "DOID",
        "NCIT",
        "CL",
        "SO",
        "PR",
        "uniprot",
    )
}
_PREFIXES.update({"gene": "NCBIGene", "taxonomy": "NCBITaxon", "rs#": "dbsnp"})

_MISSING = frozenset({"", "-", "-1"})
#: The type word before ``|`` in a PubTator3 relation end (``Chemical|MESH:D007649``).
_TYPE_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")


class UnusableRelation(FormatError):
    """A relation the reader cannot place (its ends name no mention of the document).

    Recoverable: with an ``on_issue`` callback the relation is reported and skipped, the rest of
    the document is kept.

    >>> e = UnusableRelation("R1: no mention carries D9", path="x.pubtator", line=3)
    >>> str(e), isinstance(e, FormatError)
    ('x.pubtator:3: R1: no mention carries D9', True)
    """


_SPLIT = re.compile(r"[|,;]")
_MESH_ID = re.compile(r"[CD]\d+")
_DIGITS = re.compile(r"\d+")
_CELLOSAURUS = re.compile(r"CVCL_[A-Z0-9]+")
_RSID = re.compile(r"rs\d+", re.IGNORECASE)
_PREFIXED = re.compile(r"([A-Za-z][\w.#-]*):(\S+)")
_OBO_PURL = re.compile(r"https?://purl\.obolibrary\.org/obo/([A-Za-z]+)_(\w+)")


@lru_cache(maxsize=1 << 16)
def curies_for(raw_id: str, source_type: str, fmt: str) -> tuple[str, ...]:
    """The CURIEs a raw identifier column stands for (see the module docstring for the rules).

    ``fmt`` is the reader's name; the rules do not depend on it today, it is there so that a
    format-specific convention can be added without changing every caller.
    """
    raw = raw_id.strip()
    if raw in _MISSING:
        return ()
    if source_type in VARIANT_TYPES:
        return _variant(raw)
    out: list[str] = []
    for part in _SPLIT.split(raw):
        part = part.strip()
        if part in _MISSING:
            continue
        curie = _one(part, source_type)
        if curie is not None and curie not in out:
            out.append(curie)
    return tuple(out)


def known_prefix(name: str) -> str | None:
    """The usual spelling of a CURIE prefix kgraph knows (``"mesh"`` → ``"MESH"``), else None.

    >>> known_prefix("mesh"), known_prefix("nosuchprefix")
    ('MESH', None)
    """
    return _PREFIXES.get(name.lower())


def _one(part: str, source_type: str) -> str | None:
    m = _OBO_PURL.fullmatch(part)
    if m:
        return f"{m.group(1).upper()}:{m.group(2)}"
    m = _PREFIXED.fullmatch(part)
    if m and not part.startswith(("http:", "https:")):
        prefix = m.group(1)
        canonical = _PREFIXES.get(prefix.lower(), prefix)
        local = m.group(2)
        return (
            f"dbsnp:rs{local}"
            if canonical == "dbsnp" and local.isdigit()
            else f"{canonical}:{local}"
        )
    if source_type in _MESH_TYPES:
        return f"MESH:{part}" if _MESH_ID.fullmatch(part) else None
    if source_type in _GENE_TYPES:
        return f"NCBIGene:{part}" if _DIGITS.fullmatch(part) else None
    if source_type in _SPECIES_TYPES:
        return f"NCBITaxon:{part}" if _DIGITS.fullmatch(part) else None
    if source_type in _CELL_TYPES or _CELLOSAURUS.fullmatch(part):
        return f"cellosaurus:{part}" if _CELLOSAURUS.fullmatch(part) else None
    return None


def _variant(raw: str) -> tuple[str, ...]:
    if _RSID.fullmatch(raw):
        return (f"dbsnp:rs{raw[2:]}",)
    if ";" in raw and ("tmVar:" in raw or "RS#:" in raw):
        # PubTator Central: "tmVar:p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;RS#:113488022"
        out = []
        for part in raw.split(";"):
            key, _, value = part.partition(":")
            if key == "tmVar" and value:
                out.append(f"tmvar:{value}")
            elif key == "RS#" and value:
                out.append(f"dbsnp:rs{value}")
        return tuple(out)
    if raw.startswith("tmVar:"):
        return (f"tmvar:{raw[6:]}",)
    if raw.startswith("RS#:"):
        return (f"dbsnp:rs{raw[4:]}",)
    return (f"tmvar:{raw}",)


def id_parts(raw_id: str, source_type: str, fmt: str, into: dict[str, str]) -> tuple[str, ...]:
    """:func:`curies_for`, also recording in ``into`` the CURIE of each raw id part.

    ``into`` maps the raw ids a document's mentions carry (whole, and each part of a composite)
    to a CURIE, so that concept-level relation endpoints can be resolved with the type of a
    mention that carries them. The first mention to carry an id decides its CURIE.

    >>> ids = {}
    >>> id_parts("D001241|D010146", "Chemical", "pubtator", ids)
    ('MESH:D001241', 'MESH:D010146')
    >>> ids["D010146"]
    'MESH:D010146'
    """
    concepts, keys = _id_keys(raw_id, source_type, fmt)
    for key, curie in keys:
        if key not in into:
            into[key] = curie
    return concepts


@lru_cache(maxsize=1 << 16)
def _id_keys(
    raw_id: str, source_type: str, fmt: str
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    concepts = curies_for(raw_id, source_type, fmt)
    keys: list[tuple[str, str]] = []
    if concepts:
        whole = raw_id.strip()
        if source_type in VARIANT_TYPES or not _SPLIT.search(whole):
            keys.append((whole, concepts[0]))
        if source_type not in VARIANT_TYPES:
            for part in _SPLIT.split(whole):
                part = part.strip()
                one = curies_for(part, source_type, fmt)
                if one:
                    keys.append((part, one[0]))
    return concepts, tuple(keys)


def resolve_endpoint(
    raw: str, ids: dict[str, str], path: str, line: int | None, document: str
) -> tuple[str, ...]:
    """The CURIE(s) of a concept-level relation endpoint, through a document's ``ids`` map.

    An endpoint is normally one id that some mention carries, possibly only inside a composite.
    BioRED also has an endpoint that is itself a composite (``D007859|D008569`` in PMID 16428827):
    it resolves to one CURIE per part. PubTator3 writes an end as ``Type|id``
    (``Chemical|MESH:D007649``): the id after the type word is looked up. An id no mention
    carries is an :class:`UnusableRelation` (a recoverable :class:`FormatError`).

    >>> ids = {"MESH:D007649": "MESH:D007649", "627": "NCBIGene:627"}
    >>> resolve_endpoint("Chemical|MESH:D007649", ids, "x", 1, "d")
    ('MESH:D007649',)
    >>> resolve_endpoint("Gene|628", ids, "x", 1, "d")
    Traceback (most recent call last):
    ...
    kgraph.formats._ids.UnusableRelation: x:1: document d: relation endpoint 'Gene|628' is not the identifier of any mention of the document
    """
    raw = raw.strip()
    curie = ids.get(raw)
    if curie is not None:
        return (curie,)
    parts = [p.strip() for p in _SPLIT.split(raw)]
    if len(parts) > 1 and all(p in ids for p in parts):
        return tuple(dict.fromkeys(ids[p] for p in parts))
    head, bar, tail = raw.partition("|")
    if bar and _TYPE_WORD.fullmatch(head) and tail.strip() in ids:
        return (ids[tail.strip()],)
    raise UnusableRelation(
        f"relation endpoint {raw!r} is not the identifier of any mention of the document",
        path=path,
        line=line,
        document=document,
    )


def concept_relations(
    rid: str,
    rtype: str,
    subjects: tuple[str, ...],
    objects: tuple[str, ...],
    attributes: dict[str, str],
    line: int | None,
) -> list[Relation]:
    """The concept-level relations one source relation stands for.

    Usually one, with id ``rid``. When an endpoint is a composite, one relation per pair of
    concepts, with ids ``rid#1``, ``rid#2``, … (so the source relation is still ``rid``).

    >>> rs = concept_relations("R1", "CID", ("MESH:D1",), ("MESH:D2", "MESH:D3"), {}, None)
    >>> [(r.id, r.subject, r.object, r.by_concept) for r in rs]
    [('R1#1', 'MESH:D1', 'MESH:D2', True), ('R1#2', 'MESH:D1', 'MESH:D3', True)]
    """
    attrs = MappingProxyType(attributes)
    if len(subjects) == 1 and len(objects) == 1:
        return [Relation(rid, rtype, subjects[0], objects[0], True, attributes=attrs, line=line)]
    out = []
    for s in subjects:
        for o in objects:
            rel_id = f"{rid}#{len(out) + 1}"
            out.append(Relation(rel_id, rtype, s, o, True, attributes=attrs, line=line))
    return out


def corpus_name(path: str | Path, suffixes: tuple[str, ...]) -> str:
    """The file name without the longest of ``suffixes`` it ends with (case-insensitive).

    >>> corpus_name("/data/CDR_TrainingSet.PubTator.txt", (".pubtator.txt", ".txt"))
    'CDR_TrainingSet'
    """
    name = Path(path).name
    lower = name.lower()
    for suffix in sorted(suffixes, key=len, reverse=True):
        if lower.endswith(suffix) and len(suffix) < len(name):
            return name[: -len(suffix)]
    return Path(path).stem


def utf8_text(data: bytes, path: str | Path) -> str:
    """``data`` (a whole file) as UTF-8 text, or a :class:`FormatError` naming the bad byte's line.

    >>> utf8_text(b"a\\n\\xff", "x.ann")
    Traceback (most recent call last):
    kgraph.errors.FormatError: x.ann:2: not UTF-8 text (byte 2)
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FormatError(f"not UTF-8 text (byte {e.start})", path=path, line=line) from None


def utf8_line(raw: bytes, path: str, line: int, document: str | None = None) -> str:
    """One line ``raw`` of a line-oriented file as UTF-8 text, or a :class:`FormatError`."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        message = f"not UTF-8 text: byte {raw[e.start : e.start + 1]!r} at column {e.start + 1}"
        raise FormatError(message, path=path, line=line, document=document) from None
