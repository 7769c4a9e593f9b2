"""`kgraph entities` look-ups and the build's "named after another entity" warning (issue 18, 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.build import build_store
from kgraph.lookup import better_named, entity_index, search
from kgraph.store import open_store

GOOD_TXT = "BDNF rises after the drug; TrkB is its receptor.\n"


@pytest.mark.parametrize(
    ("text", "curie", "how"),
    [
        ("BDNF", "kg:bdnf", "name"),
        ("brain-derived neurotrophic factor", "kg:bdnf", "name"),
        ("HGNC:1033", "kg:bdnf", "identifier"),
        ("hgnc:1033", "kg:bdnf", "identifier"),
        ("NCBIGene:627", "kg:bdnf", "identifier"),
        ("kg:trkb", "kg:trkb", "identifier"),
        ("https://w3id.org/kgraph/entity/trkb", "kg:trkb", "identifier"),
        ("MESH:D007649", "kg:ketamine", "identifier"),
        ("ketmaine", "kg:ketamine", "similar"),
    ],
)
def test_search_by_label_synonym_identifier_or_spelling(text, curie, how) -> None:
    hits = search(text)
    assert hits, f"nothing for {text!r}"
    entity, found_how = hits[0]
    assert (entity.curie, found_how) == (curie, how)


def test_search_result_carries_class_identifiers_and_definition() -> None:
    (bdnf, _), *_ = search("BDNF")
    assert bdnf.cls == "GeneOrProtein"
    assert {"HGNC:1033", "NCBIGene:627"} <= set(bdnf.identifiers)
    assert bdnf.definition and "brain-derived neurotrophic factor" in bdnf.synonyms


def test_nothing_close_gives_nothing() -> None:
    assert search("qqqqzzzz") == []


def test_index_covers_the_lexicon() -> None:
    index = entity_index()
    assert len(index) > 100 and len({e.iri for e in index}) == len(index)


def _brat(tmp_path: Path, reference: str, mtype: str) -> Path:
    """A "BDNF" mention referenced to ``reference``, typed ``mtype`` (the type of that entity, so
    only the name can give it away)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "d.txt").write_text(GOOD_TXT)
    (folder / "d.ann").write_text(
        f"T1\t{mtype} 0 4\tBDNF\nN1\tReference T1 {reference}\tx\n"
        "T2\tReceptor 27 31\tTrkB\nN2\tReference T2 kg:trkb\tTrkB\n"
    )
    return folder


def test_bdnf_mention_grounded_to_trkb_warns(tmp_path: Path) -> None:
    """The reproduction: this built with 0 warnings."""
    report = build_store(
        open_store("memory:"), [_brat(tmp_path, "kg:trkb", "Receptor")], validate=False
    )
    assert report.skipped["mention named after another entity"] == 1
    (warning,) = report.warnings
    assert "d.ann:1" in warning and "'BDNF'" in warning and "kg:trkb" in warning
    assert "kg:bdnf" in warning


def test_bdnf_mention_grounded_to_bdnf_does_not_warn(tmp_path: Path) -> None:
    report = build_store(
        open_store("memory:"), [_brat(tmp_path, "kg:bdnf", "GeneOrProtein")], validate=False
    )
    assert report.warnings == []


def test_a_name_like_the_grounded_entity_is_left_to_the_curator() -> None:
    from kgraph.grounding import Lexicon

    lex = Lexicon.load()
    treatment = "https://w3id.org/kgraph/entity/conventional_antidepressant_treatment"
    assert better_named(lex, "traditional antidepressants", (treatment,)) is None
    assert better_named(lex, "BDNF", ("https://w3id.org/kgraph/entity/trkb",))
