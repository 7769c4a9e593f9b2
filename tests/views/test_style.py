"""Style: colour and shape per class (subclasses in their parent's hues), claim flags, widths and
registry links."""

from __future__ import annotations

import pytest

from kgraph.views import style
from kgraph.vocab import KGO

FAMILIES = {
    "Enantiomer": "Compound",
    "Metabolite": "Compound",
    "DrugProduct": "Compound",
    "Receptor": "GeneOrProtein",
    "BiologicalProcess": "Pathway",
    "TherapeuticOutcome": "Outcome",
    "AdverseEffect": "Outcome",
    "CellType": "BrainRegion",
}


@pytest.mark.parametrize(("cls", "family"), sorted(FAMILIES.items()))
def test_subclasses_share_their_parents_family(cls: str, family: str) -> None:
    child, parent = style.class_style(str(KGO[cls])), style.class_style(str(KGO[family]))
    assert child.family == parent.family == family
    assert child.color != parent.color or child.shape != parent.shape


def test_every_class_looks_different() -> None:
    looks = [(s.color, s.shape) for s in map(style.class_style, style._CLASSES)]
    assert len(set(looks)) == len(looks)


def test_every_ontology_class_has_its_own_style(corpus_store) -> None:
    rows = corpus_store.query(
        "SELECT DISTINCT ?c WHERE { ?c rdfs:subClassOf+ kgo:Entity . FILTER(?c != kgo:Entity) }"
    ).rows
    classes = {style.local_name(r[0].value) for r in rows}
    assert classes, "the ontology defines entity classes"
    missing = sorted(c for c in classes if c not in style._CLASSES)
    assert not missing, f"classes without a style in kgraph/views/style.py: {missing}"


def test_unknown_class_takes_nearest_known_ancestor() -> None:
    s = style.class_style(
        "https://example.org/Kinase", "kinase", ["https://example.org/Enzyme", str(KGO.Receptor)]
    )
    assert (s.family, s.shape, s.label) == ("GeneOrProtein", "diamond", "Kinase")


def test_unknown_class_without_ancestor_gets_a_stable_colour() -> None:
    a, b = (
        style.class_style("https://example.org/Gadget"),
        style.class_style("https://example.org/Gadget"),
    )
    assert a == b and a.color.startswith("#") and a.family == "Gadget"


def test_legend_orders_by_family_and_counts() -> None:
    entries = style.legend(
        [
            style.class_style(str(KGO[c]))
            for c in ("AdverseEffect", "Metabolite", "Compound", "Metabolite")
        ],
        {"Metabolite": 2, "Compound": 1, "AdverseEffect": 5},
    )
    assert [(e["label"], e["count"]) for e in entries] == [
        ("Compound", 1),
        ("Metabolite", 2),
        ("Adverse effect", 5),
    ]


def test_edge_width_grows_with_documents_and_is_capped() -> None:
    widths = [style.edge_width(n) for n in range(0, 12)]
    assert widths == sorted(widths) and widths[1] < widths[2] < widths[3] and max(widths) == 8.0


@pytest.mark.parametrize(
    ("curie", "url"),
    [
        ("MESH:D007649", "https://meshb.nlm.nih.gov/record/ui?ui=D007649"),
        ("CHEBI:6121", "https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:6121"),
        ("UBERON:0002421", "http://purl.obolibrary.org/obo/UBERON_0002421"),
        ("MONDO:0002050", "http://purl.obolibrary.org/obo/MONDO_0002050"),
        ("GO:0007416", "http://purl.obolibrary.org/obo/GO_0007416"),
        ("HP:0000716", "http://purl.obolibrary.org/obo/HP_0000716"),
        ("CL:0000540", "http://purl.obolibrary.org/obo/CL_0000540"),
        ("NCBIGene:627", "https://www.ncbi.nlm.nih.gov/gene/627"),
        ("HGNC:1033", "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:1033"),
        ("PMID:10686270", "https://pubmed.ncbi.nlm.nih.gov/10686270/"),
        ("https://example.org/x", "https://example.org/x"),
        ("javascript:alert(1)", None),
        ("MESH:D00<img src=x>", None),
        ("WHATEVER:1", None),
        ("no identifier", None),
    ],
)
def test_identifier_urls(curie: str, url: str | None) -> None:
    assert style.identifier_url(curie) == url


def test_wrap_label_keeps_every_word() -> None:
    text = "ketamine-assisted psychotherapy with an unusually long name indeed"
    wrapped = style.wrap_label(text)
    assert wrapped.replace("\n", " ") == text
    assert all(len(line) <= 20 or " " not in line for line in wrapped.split("\n"))
