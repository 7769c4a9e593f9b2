"""How the explorer draws things: colour and shape per ontology class, sizes and widths.

Which claims are denied, contested, hedged or preclinical only is :mod:`kgraph.claims`'s to say;
this module only says how they look.

Subclasses share their parent's hue family (an ``Enantiomer`` is a lighter ``Compound`` blue, a
``Receptor`` a darker ``GeneOrProtein`` green), so the eye groups them; the shape separates the
families for readers who do not tell the colours apart.

>>> class_style("https://w3id.org/kgraph/ontology#Enantiomer").family
'Compound'
>>> identifier_url("MESH:D007649")
'https://meshb.nlm.nih.gov/record/ui?ui=D007649'
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

__all__ = [
    "EDGE_COLOURS",
    "LEVELS",
    "SCALES",
    "ClassStyle",
    "class_style",
    "edge_width",
    "identifier_url",
    "label_font",
    "legend",
    "level_key",
    "local_name",
    "node_size",
    "pretty",
    "wrap_label",
]


@dataclass(frozen=True)
class ClassStyle:
    """How nodes of one class are drawn: ``family`` is the top class whose hue they share.

    >>> class_style("https://w3id.org/kgraph/ontology#Receptor").as_dict()["shape"]
    'diamond'
    """

    name: str
    label: str
    color: str
    border: str
    shape: str
    family: str
    order: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# name: (label, fill, border, vis shape, family). Families: one hue each, subclasses lighter/darker.
_CLASSES: dict[str, tuple[str, str, str, str, str]] = {
    "Compound": ("Compound", "#3b7dd8", "#1f4e96", "dot", "Compound"),
    "Enantiomer": ("Enantiomer", "#79aeea", "#1f4e96", "dot", "Compound"),
    "Metabolite": ("Metabolite", "#a9cdf3", "#1f4e96", "dot", "Compound"),
    "DrugProduct": ("Drug product", "#1f4e96", "#0d2c5c", "square", "Compound"),
    "DrugClass": ("Drug class", "#8fa8c8", "#42597a", "hexagon", "Compound"),
    "GeneOrProtein": ("Gene or protein", "#4caf50", "#256b29", "diamond", "GeneOrProtein"),
    "ProteinComplex": ("Protein complex", "#2e9e4f", "#17582b", "diamond", "GeneOrProtein"),
    "Receptor": ("Receptor", "#1b8a3a", "#0e4d20", "diamond", "GeneOrProtein"),
    "Pathway": ("Pathway", "#8e5cc9", "#55307f", "hexagon", "Pathway"),
    "BiologicalProcess": ("Biological process", "#b896e3", "#55307f", "hexagon", "Pathway"),
    "BrainRegion": ("Brain region", "#e08a2c", "#8c4f0b", "triangle", "BrainRegion"),
    "CellType": ("Cell type", "#f2b872", "#8c4f0b", "triangle", "BrainRegion"),
    "Condition": ("Condition", "#c2185b", "#7a0f39", "square", "Condition"),
    "Phenotype": ("Phenotype", "#e57fa8", "#7a0f39", "square", "Condition"),
    "Outcome": ("Outcome", "#d4a017", "#7c5d07", "star", "Outcome"),
    "TherapeuticOutcome": ("Therapeutic outcome", "#f2c230", "#7c5d07", "star", "Outcome"),
    "AdverseEffect": ("Adverse effect", "#e8663d", "#8f3315", "star", "Outcome"),
    "Biomarker": ("Biomarker", "#16a2b8", "#0b5d6a", "triangleDown", "Biomarker"),
    "Therapy": ("Therapy", "#5c6bc0", "#2f3a80", "square", "Therapy"),
    "RouteOfAdministration": ("Route of administration", "#9e9e9e", "#5a5a5a", "dot", "Therapy"),
    "Dose": ("Dose", "#c7c7c7", "#6e6e6e", "dot", "Therapy"),
    "Study": ("Study", "#78909c", "#3e5059", "square", "Study"),
    "Organization": ("Organization", "#a1887f", "#5d4037", "square", "Study"),
    "Organism": ("Organism", "#7cb342", "#44661f", "triangle", "Organism"),
    "SequenceVariant": ("Sequence variant", "#26a69a", "#13564f", "diamond", "GeneOrProtein"),
    "CellLine": ("Cell line", "#f7d3a6", "#8c4f0b", "triangle", "BrainRegion"),
}
_ORDER = {name: i for i, name in enumerate(_CLASSES)}
_FALLBACK = ["#6d8f71", "#b07aa1", "#9c755f", "#76b7b2", "#edc948", "#ff9da7", "#59a14f"]

EDGE_COLOURS = {"claim": "#7d8590", "negated": "#d32f2f", "contested": "#e65100"}

#: Sizes that grow with a number (the page computes them with the same rule, from these):
#: node radius and label font ``min(base + per * sqrt(claims), most)`` (font: claims - 1),
#: line width ``min(per * documents, most)``.
SCALES: dict[str, tuple[float, ...]] = {
    "node": (10.0, 3.0, 34.0),
    "font": (14.0, 1.5, 22.0),
    "width": (1.5, 8.0),
}


@lru_cache(maxsize=4096)
def local_name(iri: str | None) -> str:
    """The part of an IRI after ``#`` or the last ``/``.

    >>> local_name("https://w3id.org/kgraph/ontology#Receptor")
    'Receptor'
    """
    if not iri:
        return ""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def class_style(
    iri: str | None, label: str | None = None, ancestors: Sequence[str] = ()
) -> ClassStyle:
    """The style of a class, by its local name, else by its nearest known ancestor, else a
    colour derived from its name (stable between runs).

    >>> class_style("https://example.org/onto#Kinase", ancestors=["https://x/onto#GeneOrProtein"]).shape
    'diamond'
    >>> class_style(None).label
    'Entity'
    """
    name = local_name(iri) or "Entity"
    for candidate in [name, *(local_name(a) for a in ancestors)]:
        if candidate in _CLASSES:
            text, fill, border, shape, family = _CLASSES[candidate]
            if candidate != name:
                text = _pretty(label or name)
            return ClassStyle(name, text, fill, border, shape, family, _ORDER[candidate])
    digest = int(hashlib.sha1(name.encode()).hexdigest(), 16)
    fill = _FALLBACK[digest % len(_FALLBACK)]
    return ClassStyle(name, _pretty(label or name), fill, "#444444", "dot", name, len(_ORDER))


@lru_cache(maxsize=4096)
def pretty(label: str) -> str:
    """A name for people: ``"GeneOrProtein"`` or ``"gene or protein"`` → ``"Gene or protein"``.

    >>> pretty("ClinicalPhase2"), pretty("NMDA receptor")
    ('Clinical phase 2', 'NMDA receptor')
    """
    if " " not in label:
        label = re.sub(r"(?<=[a-z])(?=[A-Z0-9])", " ", label).lower()
    text = label.strip()
    return text[:1].upper() + text[1:] if text else label


_pretty = pretty

#: Evidence levels from the strongest (approved practice, late trials) to the weakest.
LEVELS = [
    "ClinicalPractice",
    "ClinicalPhase4",
    "ClinicalPhase3",
    "ClinicalPhase2",
    "ClinicalPhase1",
    "ClinicalStudy",
    "Observational",
    "Review",
    "Preclinical",
    "Opinion",
]


def level_key(level: str) -> tuple[int, str]:
    """Sort key putting evidence levels strongest first, unknown ones last.

    >>> sorted(["Opinion", "Preclinical", "ClinicalPhase2"], key=level_key)
    ['ClinicalPhase2', 'Preclinical', 'Opinion']
    """
    return (LEVELS.index(level) if level in LEVELS else len(LEVELS), level)


def legend(styles: Iterable[ClassStyle], counts: dict[str, int] | None = None) -> list[dict]:
    """Legend entries for the classes present, grouped by family, with how many nodes each has.

    >>> [e["label"] for e in legend([class_style("x#Metabolite"), class_style("x#Compound")])]
    ['Compound', 'Metabolite']
    """
    unique = {s.name: s for s in styles}
    ordered = sorted(unique.values(), key=lambda s: (s.order, s.label))
    return [{**s.as_dict(), "count": (counts or {}).get(s.name, 0)} for s in ordered]


def edge_width(documents: int) -> float:
    """Line width for a claim supported by ``documents`` independent documents.

    >>> [edge_width(n) for n in (0, 1, 2, 4, 50)]
    [1.0, 1.5, 3.0, 6.0, 8.0]
    """
    per, most = SCALES["width"]
    if documents <= 0:
        return 1.0
    return min(per * documents, most)


@lru_cache(maxsize=1024)
def node_size(degree: int) -> float:
    """Node radius growing with the square root of its number of claims.

    >>> node_size(0), node_size(16)
    (10.0, 22.0)
    """
    base, per, most = SCALES["node"]
    return round(min(base + per * math.sqrt(degree), most), 1)


@lru_cache(maxsize=1024)
def label_font(degree: int) -> int:
    """Label font size in pixels: entities with more claims get larger labels.

    >>> label_font(1), label_font(10), label_font(80)
    (14, 18, 22)
    """
    base, per, most = SCALES["font"]
    return int(min(base + per * math.sqrt(max(degree - 1, 0)), most))


def wrap_label(label: str, width: int = 20) -> str:
    """``label`` broken into lines of about ``width`` characters at spaces (vis draws ``\\n``).

    >>> wrap_label("prefrontal-anterior cingulate connectivity")
    'prefrontal-anterior\\ncingulate\\nconnectivity'
    >>> wrap_label("ketamine")
    'ketamine'
    """
    if len(label) <= width:
        return label
    lines: list[str] = []
    line = ""
    for word in label.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


_OBO = re.compile(r"^(UBERON|MONDO|GO|HP|CL|CHEBI_OBO|ECO|NCIT|PR|DOID|SO|OBI)$")
_REGISTRY = {
    "MESH": "https://meshb.nlm.nih.gov/record/ui?ui={}",
    "CHEBI": "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{}",
    "NCBIGENE": "https://www.ncbi.nlm.nih.gov/gene/{}",
    "HGNC": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{}",
    "PMID": "https://pubmed.ncbi.nlm.nih.gov/{}/",
    "DOI": "https://doi.org/{}",
    "NCBITAXON": "https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id={}",
    "DRUGBANK": "https://go.drugbank.com/drugs/{}",
}
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9._:/()\-]+$")
_HTTP = re.compile(r"^https?://[^\s\"'<>]+$")


def identifier_url(curie: str) -> str | None:
    """The registry page of an identifier (CURIE or http(s) IRI), or ``None`` if unknown.

    >>> identifier_url("CHEBI:6121")
    'https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:6121'
    >>> identifier_url("UBERON:0001950")
    'http://purl.obolibrary.org/obo/UBERON_0001950'
    >>> identifier_url("HGNC:1033")
    'https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:1033'
    >>> identifier_url("javascript:alert(1)") is None
    True
    """
    text = curie.strip()
    if _HTTP.match(text):
        return text
    prefix, sep, local = text.partition(":")
    if not sep or not local or not _SAFE_LOCAL.match(local):
        return None
    key = prefix.upper()
    if key in _REGISTRY:
        return _REGISTRY[key].format(local)
    if _OBO.match(key):
        return f"http://purl.obolibrary.org/obo/{key}_{local}"
    return None
