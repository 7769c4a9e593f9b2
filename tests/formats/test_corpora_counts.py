"""The readers on the real corpora: every count must equal the one in the corpus README.

The corpora live outside the repository, in ``../shared/corpora`` (see each README there for the
numbers and where they come from). Without them these tests skip.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from kgraph.errors import FormatError
from kgraph.formats import bioc, pubtator
from kgraph.model import Document

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not CORPORA.is_dir(), reason=f"the shared corpora are not at {CORPORA} (../shared/corpora)"
    ),
]

READERS = {"pubtator": pubtator.read, "bioc-xml": bioc.read_xml, "bioc-json": bioc.read_json}


@cache
def load(path: Path, fmt: str, individual_mentions: bool = False) -> tuple[Document, ...]:
    options = {} if fmt == "pubtator" else {"individual_mentions": individual_mentions}
    if individual_mentions:
        options["on_issue"] = lambda e: None
    return tuple(READERS[fmt](path, **options))


def source_relations(docs) -> list:
    """One relation per source relation (a composite endpoint gives ``R3#1``, ``R3#2``)."""
    return [r for d in docs for r in d.relations if "#" not in r.id or r.id.endswith("#1")]


# --------------------------------------------------------------------------------------------
# BC5CDR

CDR = CORPORA / "bc5cdr"
CDR_SPLITS = {
    # split: (Chemical, Disease, CID, no-ID Chemical, no-ID Disease, Chemical IDs, Disease IDs)
    "TrainingSet": (5203, 4182, 1038, 44, 32, 1467, 1965),
    "DevelopmentSet": (5347, 4244, 1012, 43, 16, 1507, 1864),
    "TestSet": (5385, 4424, 1066, 30, 61, 1434, 1988),
}


@pytest.mark.parametrize("split", CDR_SPLITS)
def test_bc5cdr_pubtator(split):
    chem, dis, cid, chem_none, dis_none, chem_ids, dis_ids = CDR_SPLITS[split]
    docs = load(CDR / f"CDR_{split}.PubTator.txt", "pubtator")
    assert len(docs) == 500 == len({d.id for d in docs})
    types = Counter(m.type for d in docs for m in d.mentions)
    assert types == {"Chemical": chem, "Disease": dis}
    assert Counter(r.type for d in docs for r in d.relations) == {"CID": cid}
    assert all(len(r.id.split("#")) == 1 for d in docs for r in d.relations)
    # "-1" = no MeSH id
    none = Counter(m.type for d in docs for m in d.mentions if not m.concepts)
    assert none == {"Chemical": chem_none, "Disease": dis_none}
    # distinct (PMID, MeSH id) pairs, composites split: the README's "Counted here" columns
    ids = {(d.id, m.type, c) for d in docs for m in d.mentions for c in m.concepts}
    assert Counter(t for _, t, _ in ids) == {"Chemical": chem_ids, "Disease": dis_ids}
    assert all(d.text[m.start : m.end] == m.text for d in docs for m in d.mentions)


CDR_BIOC = {
    # split: (annotations, Chemical, Disease, multi-location, misplaced IndividualMentions)
    "TrainingSet": (9570, 5207, 4363, 73, ["11587867", "15863244", "20722491"]),
    "DevelopmentSet": (9773, 5352, 4421, 43, ["6415512"]),
    "TestSet": (9928, 5394, 4534, 37, []),
}


@pytest.mark.parametrize("split", CDR_SPLITS)
def test_bc5cdr_bioc_xml(split):
    chem, dis, cid, *_ = CDR_SPLITS[split]
    path = CDR / f"CDR_{split}.BioC.xml"
    docs = load(path, "bioc-xml")
    assert len(docs) == 500
    assert Counter(m.type for d in docs for m in d.mentions) == {"Chemical": chem, "Disease": dis}
    assert Counter(r.type for d in docs for r in d.relations) == {"CID": cid}

    # the same documents, texts, mentions and relations as the PubTator file
    tagged = {d.id: d for d in load(CDR / f"CDR_{split}.PubTator.txt", "pubtator")}
    assert [d.id for d in docs] == list(tagged)
    for d in docs:
        t = tagged[d.id]
        assert d.text == t.text
        assert sorted((m.start, m.end, m.type, m.concepts) for m in d.mentions) == sorted(
            (m.start, m.end, m.type, m.concepts) for m in t.mentions
        )
        assert sorted((r.subject, r.object) for r in d.relations) == sorted(
            (r.subject, r.object) for r in t.relations
        )


@pytest.mark.parametrize("split", CDR_SPLITS)
def test_bc5cdr_bioc_xml_with_individual_mentions(split):
    total, chem, dis, multi, misplaced = CDR_BIOC[split]
    path = CDR / f"CDR_{split}.BioC.xml"
    issues: list[FormatError] = []
    docs = list(bioc.read_xml(path, individual_mentions=True, on_issue=issues.append))
    assert sum(len(d.mentions) for d in docs) == total
    assert Counter(m.type for d in docs for m in d.mentions) == {"Chemical": chem, "Disease": dis}
    assert sum(len(m.spans) > 1 for d in docs for m in d.mentions) == multi
    # the README names the 15863244 offset error; the other three are discontinuous parts
    # whose second location is one character off. All are moved onto the text they quote.
    assert sorted(i.document for i in issues) == misplaced
    assert all("moved to" in i.message for i in issues)
    assert all(m.covered(d.text) == m.text for d in docs for m in d.mentions)
    if misplaced:
        with pytest.raises(FormatError, match="is not at"):
            list(bioc.read_xml(path, individual_mentions=True))


# --------------------------------------------------------------------------------------------
# BioRED

BIORED = CORPORA / "biored"
TYPES = (
    "GeneOrGeneProduct",
    "DiseaseOrPhenotypicFeature",
    "ChemicalEntity",
    "OrganismTaxon",
    "SequenceVariant",
    "CellLine",
)
BIORED_SPLITS = {
    # split: (docs, per-type mentions in TYPES order, mentions, relations)
    "Train": (400, (4430, 3646, 2853, 1429, 890, 103), 13351, 4178),
    "Dev": (100, (1087, 982, 822, 370, 250, 22), 3533, 1162),
    "Test": (100, (1180, 917, 754, 393, 241, 50), 3535, 1163),
}
RELATION_TYPES = {
    "Association": (2192, 560, 635),
    "Positive_Correlation": (1089, 352, 325),
    "Negative_Correlation": (763, 216, 171),
    "Bind": (61, 19, 9),
    "Cotreatment": (31, 10, 14),
    "Comparison": (28, 5, 6),
    "Drug_Interaction": (11, 0, 2),
    "Conversion": (3, 0, 1),
}
NOVELTY = {"Novel": (2838, 835, 859), "No": (1340, 327, 304)}
#: Source relations with a composite endpoint ("D015458|D016399"): each gives two relations.
COMPOSITE_ENDPOINTS = {"Train": 4, "Dev": 0, "Test": 1}
#: Mentions without an identifier ("-"): Chemical, Gene, Disease.
NO_ID = {"Train": (16, 14, 1), "Dev": (11, 4, 5), "Test": (9, 2, 1)}
#: Variant identifiers: rsIDs and tmVar notations with "|".
VARIANTS = {"Train": (528, 360), "Dev": (126, 123), "Test": (130, 111)}
FILES = {"pubtator": "PubTator.txt", "bioc-xml": "BioC.XML", "bioc-json": "BioC.JSON"}


@pytest.mark.parametrize("fmt", FILES)
@pytest.mark.parametrize("split", BIORED_SPLITS)
def test_biored(split, fmt):
    n_docs, per_type, n_mentions, n_relations = BIORED_SPLITS[split]
    col = list(BIORED_SPLITS).index(split)
    docs = load(BIORED / f"{split}.{FILES[fmt]}", fmt)
    assert len(docs) == n_docs == len({d.id for d in docs})
    assert Counter(m.type for d in docs for m in d.mentions) == dict(
        zip(TYPES, per_type, strict=True)
    )
    assert sum(len(d.mentions) for d in docs) == n_mentions
    rels = source_relations(docs)
    assert len(rels) == n_relations
    by_type = Counter(r.type for r in rels)
    assert by_type == {t: n[col] for t, n in RELATION_TYPES.items() if n[col]}
    assert Counter(r.attributes["novel"] for r in rels) == {k: v[col] for k, v in NOVELTY.items()}
    expanded = sum(len(d.relations) for d in docs) - n_relations
    assert expanded == COMPOSITE_ENDPOINTS[split]
    assert all(r.by_concept for d in docs for r in d.relations)

    none = Counter(m.type for d in docs for m in d.mentions if not m.concepts)
    chem, gene, dis = NO_ID[split]
    assert none == {
        k: v
        for k, v in {
            "ChemicalEntity": chem,
            "GeneOrGeneProduct": gene,
            "DiseaseOrPhenotypicFeature": dis,
        }.items()
        if v
    }
    variants = [m.concepts for d in docs for m in d.mentions if m.type == "SequenceVariant"]
    rs, tm = VARIANTS[split]
    assert sum(c[0].startswith("dbsnp:rs") for c in variants) == rs
    assert sum(c[0].startswith("tmvar:") and "|" in c[0] for c in variants) == tm
    assert all(len(c) == 1 for c in variants)  # tmVar ids are never split
    assert all(m.covered(d.text) == m.text for d in docs for m in d.mentions)


def test_biored_pair_types():
    """Relations by entity-type pair, all splits (README): checks that endpoints resolve right."""
    pairs: Counter = Counter()
    short = {
        "GeneOrGeneProduct": "Gene",
        "DiseaseOrPhenotypicFeature": "Disease",
        "ChemicalEntity": "Chemical",
        "SequenceVariant": "Variant",
    }
    for split in BIORED_SPLITS:
        for d in load(BIORED / f"{split}.PubTator.txt", "pubtator"):
            kind = {c: short.get(m.type, m.type) for m in d.mentions for c in m.concepts}
            for r in d.relations:
                if "#" not in r.id or r.id.endswith("#1"):
                    pairs[tuple(sorted((kind[r.subject], kind[r.object])))] += 1
    assert pairs == {
        ("Disease", "Gene"): 1633,
        ("Chemical", "Disease"): 1237,
        ("Gene", "Gene"): 1227,
        ("Chemical", "Gene"): 923,
        ("Disease", "Variant"): 893,
        ("Chemical", "Chemical"): 488,
        ("Chemical", "Variant"): 76,
        ("Variant", "Variant"): 25,
        ("Gene", "Variant"): 1,
    }


@pytest.mark.parametrize("split", BIORED_SPLITS)
def test_biored_pubtator_and_bioc_agree_document_by_document(split):
    tagged = load(BIORED / f"{split}.PubTator.txt", "pubtator")
    xml = load(BIORED / f"{split}.BioC.XML", "bioc-xml")
    js = load(BIORED / f"{split}.BioC.JSON", "bioc-json")
    assert [d.id for d in tagged] == [d.id for d in xml] == [d.id for d in js]
    for a, b, c in zip(tagged, xml, js, strict=True):
        assert a.text == b.text == c.text
        ma = {(m.start, m.end, m.type, m.concepts) for m in a.mentions}
        assert ma == {(m.start, m.end, m.type, m.concepts) for m in b.mentions}
        assert ma == {(m.start, m.end, m.type, m.concepts) for m in c.mentions}
        ra = sorted((r.type, r.subject, r.object, r.attributes["novel"]) for r in a.relations)
        assert ra == sorted(
            (r.type, r.subject, r.object, r.attributes["novel"]) for r in b.relations
        )
        assert ra == sorted(
            (r.type, r.subject, r.object, r.attributes["novel"]) for r in c.relations
        )
