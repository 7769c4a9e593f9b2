"""Namespaces: the kgraph ontology's own and the standard ones it reuses.

Every namespace is an :class:`rdflib.Namespace`, which is a ``str``, so ``KGO.antagonistOf`` works
with rdflib and, as ``str(...)``, with pyoxigraph.

>>> str(KGO.antagonistOf)
'https://w3id.org/kgraph/ontology#antagonistOf'
>>> expand("MESH:D007649")
'http://id.nlm.nih.gov/mesh/D007649'
>>> expand("kg:ketamine")
'https://w3id.org/kgraph/entity/ketamine'
>>> compress("http://purl.obolibrary.org/obo/CHEBI_6121")
'CHEBI:6121'

Every prefix the readers can produce expands:

>>> from kgraph.formats._ids import _PREFIXES
>>> [p for p in set(_PREFIXES.values()) if converter().get_record(p) is None]
[]
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BIOLINK",
    "GRAPH_DATA",
    "GRAPH_ONTOLOGY",
    "KG",
    "KGA",
    "KGD",
    "KGO",
    "OA",
    "OBO",
    "PREFIXES",
    "compress",
    "corpus_dir",
    "expand",
    "ontology_dir",
    "shorten",
]

KGO = Namespace("https://w3id.org/kgraph/ontology#")
KG = Namespace("https://w3id.org/kgraph/entity/")
KGD = Namespace("https://w3id.org/kgraph/document/")
KGA = Namespace("https://w3id.org/kgraph/assertion/")
KGG = Namespace("https://w3id.org/kgraph/graph/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
OA = Namespace("http://www.w3.org/ns/oa#")
OBO = Namespace("http://purl.obolibrary.org/obo/")

#: The named graph holding what a build derives from documents.
GRAPH_DATA = str(KGG.data)
#: The named graph holding the ontology and the entity lexicon.
GRAPH_ONTOLOGY = str(KGG.ontology)

#: Prefixes used in SPARQL queries, Turtle output and CURIEs (``kgraph query`` adds them for you).
PREFIXES: dict[str, str] = {
    "kgo": str(KGO),
    "kg": str(KG),
    "kgd": str(KGD),
    "kga": str(KGA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "biolink": str(BIOLINK),
    "obo": str(OBO),
}

#: CURIE prefixes of entity identifiers, in the spelling of the Bioregistry / OBO Foundry:
#: (prefix, IRI prefix, other spellings met in corpora), one table rather than repeated dicts.
_OBO = str(OBO)
_IDENTIFIERS = "https://identifiers.org/"
_PREFIX_TABLE: list[tuple[str, str, tuple[str, ...]]] = [
    ("kg", str(KG), ()),
    ("MESH", "http://id.nlm.nih.gov/mesh/", ("mesh",)),
    *((p, f"{_OBO}{p}_", ()) for p in ("CHEBI", "UBERON", "MONDO", "HP", "GO", "CL", "NCIT")),
    *((p, f"{_OBO}{p}_", ()) for p in ("ECO", "NCBITaxon", "DOID", "SO", "PR")),
    ("OMIM", "https://omim.org/entry/", ("MIM",)),
    ("uniprot", "https://www.uniprot.org/uniprotkb/", ()),
    ("HGNC", f"{_IDENTIFIERS}hgnc:", ()),
    ("NCBIGene", f"{_IDENTIFIERS}ncbigene:", ()),
    ("dbsnp", f"{_IDENTIFIERS}dbsnp:", ()),
    ("cellosaurus", f"{_IDENTIFIERS}cellosaurus:", ()),
    ("tmvar", "https://w3id.org/kgraph/variant/tmvar/", ()),
    ("PMID", f"{_IDENTIFIERS}pubmed:", ("pmid",)),
    ("DOI", "https://doi.org/", ("doi",)),
    ("biolink", str(BIOLINK), ()),
]
_ID_PREFIXES: list[dict[str, object]] = [
    {"prefix": p, "uri_prefix": u, **({"prefix_synonyms": list(syn)} if syn else {})}
    for p, u, syn in _PREFIX_TABLE
]


@lru_cache(maxsize=1)
def converter():
    """The :class:`curies.Converter` for entity identifiers (built once)."""
    import curies

    return curies.Converter.from_extended_prefix_map(_ID_PREFIXES)


def expand(curie: str) -> str:
    """The IRI of a CURIE; the local part is percent-encoded where an IRI needs it.

    Raises ``ValueError`` for a prefix kgraph does not know.

    >>> expand("CHEBI:6121")
    'http://purl.obolibrary.org/obo/CHEBI_6121'
    """
    prefix, sep, local = curie.partition(":")
    if not sep:
        raise ValueError(f"not a CURIE: {curie!r}")
    record = converter().get_record(prefix) or converter().get_record(prefix.upper())
    if record is None:
        raise ValueError(f"unknown identifier prefix {prefix!r} in {curie!r}")
    return record.uri_prefix + quote(local, safe="-._~:@!$'()*+,;=")


def compress(iri: str) -> str | None:
    """The CURIE of an IRI, or ``None`` when no known prefix matches.

    >>> compress("http://id.nlm.nih.gov/mesh/D007649"), compress("https://example.org/x")
    ('MESH:D007649', None)
    """
    return converter().compress(iri)


def shorten(iri: str) -> str:
    """A short, readable form of an IRI: a kgraph or identifier CURIE when one fits, else the IRI.

    >>> shorten("https://w3id.org/kgraph/ontology#antagonistOf")
    'kgo:antagonistOf'
    >>> shorten("http://id.nlm.nih.gov/mesh/D007649")
    'MESH:D007649'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    if best and _local_ok(iri[len(best) :]):
        return f"{name}:{iri[len(best) :]}"
    return compress(iri) or iri


def _local_ok(local: str) -> bool:
    return bool(local) and all(c.isalnum() or c in "_-." for c in local)


def _repo_dir(name: str, env: str) -> Path:
    # $ENV, else the copy a wheel carries (setup.py puts it in kgraph/_bundled/), else the checkout's
    if os.environ.get(env):
        return Path(os.environ[env])
    here = Path(__file__).resolve().parent
    bundled = here / "_bundled" / name
    return bundled if bundled.is_dir() else here.parent / name


def ontology_dir() -> Path:
    """The ontology files: ``$KGRAPH_ONTOLOGY``, the installed copy, or the checkout's ``ontology/``.

    >>> (ontology_dir() / "kgraph.ttl").exists()
    True
    """
    return _repo_dir("ontology", "KGRAPH_ONTOLOGY")


def corpus_dir() -> Path:
    """The bundled corpus: ``$KGRAPH_CORPUS``, the installed copy, or the checkout's ``corpus/``.

    >>> (corpus_dir() / "manifest.toml").exists()
    True
    """
    return _repo_dir("corpus", "KGRAPH_CORPUS")
