"""Biolink choices of the KGX export: categories, node ids, predicates by evidence, prefixes.

A node's id is a standard CURIE when the entity has an identifier (the best one for its Biolink
category, :data:`PREFERRED`), else its kgraph CURIE; :func:`prefix_map` gives the namespace of every
prefix Biolink's own map lacks. Categories come from the ontology's SKOS mappings
(:func:`biolink_mappings`), never a mixin. :func:`predicate_for` chooses the predicate of a
statement by its evidence. :mod:`kgraph.kgx_export` builds and writes the records.

>>> node_id(str(KG.ketamine), ["MESH:D007649", "CHEBI:6121"], "biolink:SmallMolecule")
'CHEBI:6121'
"""

from __future__ import annotations

from collections.abc import Iterable

from .claims import is_research
from .store import Store
from .vocab import BIOLINK, KG, KGA, KGD, KGO, PREFIXES, compress, converter

__all__ = [
    "KGX_PREFIXES",
    "NAMED_THING",
    "PREFERRED",
    "RELATED_TO",
    "biolink_mappings",
    "biolink_spelling",
    "category",
    "curie",
    "local_name",
    "node_id",
    "predicate_for",
    "prefix_map",
]

RELATED_TO = "biolink:related_to"
NAMED_THING = "biolink:NamedThing"

#: The prefixes of kgraph's own CURIEs in the KGX output (written as ``prefixes.json``).
KGX_PREFIXES: dict[str, str] = {"kg": str(KG), "kga": str(KGA), "kgd": str(KGD), "kgo": str(KGO)}

#: kgraph's spelling of an identifier prefix → Biolink's (the rest are spelled alike).
_BIOLINK_SPELLING = {"uniprot": "UniProtKB", "dbsnp": "DBSNP", "DOI": "doi", "MIM": "OMIM"}

#: Identifier prefixes, best first, for the node id of each Biolink category; then :data:`_ANY`.
PREFERRED: dict[str, tuple[str, ...]] = {
    "biolink:SmallMolecule": ("CHEBI", "PUBCHEM.COMPOUND", "DRUGBANK", "UNII", "MESH"),
    "biolink:ChemicalEntity": ("CHEBI", "PUBCHEM.COMPOUND", "DRUGBANK", "UNII", "MESH"),
    "biolink:Drug": ("RXCUI", "DRUGBANK", "CHEBI", "UNII", "MESH"),
    "biolink:ChemicalRole": ("CHEBI", "MESH"),
    "biolink:Gene": ("HGNC", "NCBIGene", "ENSEMBL", "UniProtKB", "MESH"),
    "biolink:Protein": ("UniProtKB", "PR", "MESH"),
    "biolink:MacromolecularComplex": ("GO", "ComplexPortal", "MESH"),
    "biolink:Pathway": ("GO", "REACT", "KEGG.PATHWAY", "WIKIPATHWAYS", "MESH"),
    "biolink:BiologicalProcess": ("GO", "REACT", "MESH"),
    "biolink:AnatomicalEntity": ("UBERON", "FMA", "MESH"),
    "biolink:Cell": ("CL", "MESH"),
    "biolink:Disease": ("MONDO", "DOID", "OMIM", "NCIT", "HP", "MESH"),
    "biolink:DiseaseOrPhenotypicFeature": ("MONDO", "HP", "DOID", "NCIT", "MESH"),
    "biolink:PhenotypicFeature": ("HP", "MONDO", "NCIT", "MESH"),
    "biolink:OrganismTaxon": ("NCBITaxon", "MESH"),
    "biolink:SequenceVariant": ("DBSNP", "CLINVAR"),
}
_ANY = ("CHEBI", "GO", "HGNC", "NCBIGene", "UniProtKB", "MONDO", "HP", "UBERON", "CL", "DOID",
        "PR", "NCIT", "OMIM", "NCBITaxon", "DBSNP", "MESH", "UMLS")  # fmt: skip

#: Levels of evidence from studies in people, and the levels that make clinical evidence firm.
_CLINICAL = {
    "ClinicalPhase1",
    "ClinicalPhase2",
    "ClinicalPhase3",
    "ClinicalPhase4",
    "ClinicalStudy",
}
_FIRM_CLINICAL = {"ClinicalPhase3", "ClinicalPhase4", "ClinicalPractice"}
_TREATING = {str(KGO.treats), str(KGO.approvedFor), str(KGO.studiedFor)}


def predicate_for(
    p: str,
    mapped: dict[str, str],
    *,
    certainty: str | None,
    level: str | None,
    source_type: str | None,
    proposed: bool = False,
) -> str:
    """The Biolink predicate of a statement with kgraph property ``p``, chosen by its evidence.

    ``treats`` / ``approvedFor``: ``biolink:treats`` only when asserted (not hedged) at phase 3, 4
    or clinical practice by a research source (not an opinion article or clinic page); else
    ``in_clinical_trials_for`` (a human study), ``beneficial_in_models_for`` (preclinical),
    ``applied_to_treat`` (clinical practice stated by a weaker source) or the non-committal
    ``treats_or_applied_or_studied_to_treat``. ``studiedFor`` the same, never ``treats``; nor an
    annotator's unreviewed proposal.

    >>> t = str(KGO.treats)
    >>> predicate_for(t, {}, certainty="Asserted", level="ClinicalPhase3", source_type="ScienceNews")
    'biolink:treats'
    >>> predicate_for(t, {}, certainty="Hedged", level="ClinicalPhase3", source_type="ScienceNews")
    'biolink:in_clinical_trials_for'
    >>> predicate_for(t, {}, certainty="Asserted", level="Opinion", source_type="ClinicMarketingPage")
    'biolink:treats_or_applied_or_studied_to_treat'
    >>> predicate_for(t, {}, certainty="Asserted", level="Preclinical", source_type="ScienceNews")
    'biolink:beneficial_in_models_for'
    """
    if p not in _TREATING:
        return mapped.get(p, RELATED_TO)
    research = source_type is None or is_research(source_type, level)
    firm = certainty == "Asserted" and level in _FIRM_CLINICAL and research and not proposed
    if firm and p != str(KGO.studiedFor):
        return "biolink:treats"
    if level in _CLINICAL:
        return "biolink:in_clinical_trials_for"
    if level == "Preclinical":
        return "biolink:beneficial_in_models_for"
    if level == "ClinicalPractice" and p != str(KGO.studiedFor):
        return "biolink:applied_to_treat"
    if p == str(KGO.studiedFor):
        return "biolink:studied_to_treat"
    return "biolink:treats_or_applied_or_studied_to_treat"


def biolink_spelling(curie: str) -> str:
    """A CURIE with its prefix spelled as Biolink spells it.

    >>> biolink_spelling("uniprot:P12345"), biolink_spelling("MESH:D007649")
    ('UniProtKB:P12345', 'MESH:D007649')
    """
    prefix, _, local = curie.partition(":")
    return f"{_BIOLINK_SPELLING.get(prefix, prefix)}:{local}"


def node_id(iri: str, identifiers: Iterable[str], category: str) -> str:
    """The KGX id of an entity: its best standard identifier for ``category``, else its CURIE.

    >>> node_id(str(KG.ketamine), ["MESH:D007649", "CHEBI:6121"], "biolink:SmallMolecule")
    'CHEBI:6121'
    >>> node_id(str(KG.rapid_antidepressant_effect), [], "biolink:NamedThing")
    'kg:rapid_antidepressant_effect'
    """
    ids = [biolink_spelling(i) for i in identifiers]
    order = PREFERRED.get(category, ()) + _ANY
    ranked = sorted(
        (order.index(i.partition(":")[0]), n, i)
        for n, i in enumerate(ids)
        if i.partition(":")[0] in order
    )
    return ranked[0][2] if ranked else curie(iri)


_TEXT = f"{KG}text/"  # entities minted from a mention's class and text: kg:text/CLASS/SLUG


def curie(iri: str) -> str:
    """``kg:ketamine``, ``MESH:D007649``, ``kgo:antagonistOf``, ``kgtext.compound:warfarin`` (an
    entity minted from a mention's text); the IRI when no prefix fits.

    >>> curie(f"{KG}text/adverseeffect/harms_the_bladder")
    'kgtext.adverseeffect:harms_the_bladder'
    """
    if iri.startswith(_TEXT) and iri.count("/") == _TEXT.count("/") + 1:
        cls, _, name = iri[len(_TEXT) :].partition("/")
        return f"kgtext.{cls}:{name}"
    for prefix, ns in KGX_PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    found = compress(iri)
    if found:
        return biolink_spelling(found)
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def local_name(iri: object) -> str | None:
    """The local name of an IRI (after ``#`` or the last ``/``), ``None`` for none.

    >>> local_name("https://w3id.org/kgraph/ontology#Hedged"), local_name(None)
    ('Hedged', None)
    """
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else None


_MAPPINGS = """
SELECT ?term ?kind ?target WHERE {
  VALUES ?kind { skos:exactMatch skos:closeMatch skos:broadMatch }
  ?term ?kind ?target . FILTER(STRSTARTS(STR(?target), STR(biolink:)))
}"""
_RANK = {"exactMatch": 0, "closeMatch": 1, "broadMatch": 2}


def biolink_mappings(store: Store) -> dict[str, str]:
    """Each kgraph class or property → its best Biolink term (exact, then close, then broad match;
    the alphabetically first at the best level), as a ``biolink:`` CURIE.

    >>> from kgraph import load
    >>> biolink_mappings(load().store)[str(KGO.Compound)]
    'biolink:SmallMolecule'
    """
    best: dict[str, tuple[int, str]] = {}
    for row in store.query(_MAPPINGS).rows:
        term, kind, target = (t.value for t in row)
        rank = (_RANK[local_name(kind) or ""], "biolink:" + target[len(str(BIOLINK)) :])
        if term not in best or rank < best[term]:
            best[term] = rank
    return {term: curie for term, (_, curie) in best.items()}


def category(cls: str | None, mapped: dict[str, str], parents: dict[str, list[str]]) -> str:
    """The Biolink category of ``cls``: its own mapping, else the nearest superclass's.

    >>> category("A", {"B": "biolink:Gene"}, {"A": ["B"]}), category(None, {}, {})
    ('biolink:Gene', 'biolink:NamedThing')
    """
    seen: set[str] = set()
    todo = [cls] if cls else []
    while todo:
        c = todo.pop(0)
        if c in seen:
            continue
        seen.add(c)
        if c in mapped and not mapped[c].endswith(("Association", "Publication")):
            return mapped[c]
        todo += parents.get(c, [])
    return NAMED_THING


def prefix_map(nodes: Iterable[dict], edges: Iterable[dict]) -> dict[str, str]:
    """Every CURIE prefix the records use (ids, subjects, objects, cross-references,
    publications, comparators, mediators) that Biolink's prefix map lacks → its namespace: the
    export's ``prefixes.json`` (kgraph's own prefixes, and those of other sources such as tmVar).

    >>> prefix_map([{"id": "kg:ketamine", "xref": ["MESH:D007649", "tmvar:c.1A>G"]}], [])
    {'kg': 'https://w3id.org/kgraph/entity/', 'tmvar': 'https://w3id.org/kgraph/variant/tmvar/'}
    """
    used: set[str] = set()
    for record in (*nodes, *edges):
        for key in ("id", "subject", "object", "xref", "publications", "kgo_comparator",
                    "kgo_mediator"):  # fmt: skip
            values = record.get(key) or []
            for value in [values] if isinstance(values, str) else values:
                prefix, colon, _ = str(value).partition(":")
                if colon and "/" not in prefix:
                    used.add(prefix)
    spelled = {v: k for k, v in _BIOLINK_SPELLING.items()}
    standard = {*_ANY, *(p for order in PREFERRED.values() for p in order), "PMID", "doi"}
    out: dict[str, str] = {}
    for prefix in sorted(used - standard):  # Biolink's own prefix map has the standard ones
        if prefix in KGX_PREFIXES:
            out[prefix] = KGX_PREFIXES[prefix]
        elif prefix.startswith("kgtext."):
            out[prefix] = f"{_TEXT}{prefix[len('kgtext.') :]}/"
        elif (record := converter().get_record(spelled.get(prefix, prefix))) is not None:
            out[prefix] = record.uri_prefix
    return out
