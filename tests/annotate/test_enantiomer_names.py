"""The enantiomers of ketamine under the names papers give them ("the R-enantiomer of ketamine",
"(R)-ketamine", "R-(−)-ketamine", ...) are grounded to arketamine and esketamine, never to the
racemate. Every sentence here is written for the test."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kgraph.annotate import annotate_text
from kgraph.cli import main
from kgraph.formats import read

ARKETAMINE = [
    "R-enantiomer of ketamine",
    "R enantiomer of ketamine",
    "(R)-enantiomer of ketamine",
    "R-isomer of ketamine",
    "(R)-isomer of ketamine",
    "ketamine's R-enantiomer",
    "ketamine's (R)-enantiomer",
    "R-ketamine",
    "(R)-ketamine",
    "R(-)-ketamine",
    "R-(-)-ketamine",
    "R(−)-ketamine",  # a minus sign, U+2212, as the definition writes it
    "R-(−)-ketamine",
    "(R)-(-)-ketamine",
    "(R)-(−)-ketamine",
]
ESKETAMINE = [
    "S-enantiomer of ketamine",
    "S enantiomer of ketamine",
    "(S)-enantiomer of ketamine",
    "S-isomer of ketamine",
    "(S)-isomer of ketamine",
    "ketamine's S-enantiomer",
    "ketamine's (S)-enantiomer",
    "S-ketamine",
    "(S)-ketamine",
    "S(+)-ketamine",
    "S-(+)-ketamine",
    "(S)-(+)-ketamine",
]


def groundings(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(m.text, m.concepts) for m in annotate_text(text).mentions]


@pytest.mark.parametrize(
    ("name", "concept"),
    [(n, "kg:arketamine") for n in ARKETAMINE] + [(n, "kg:esketamine") for n in ESKETAMINE],
)
def test_an_enantiomer_name_is_grounded_as_a_whole(name: str, concept: str) -> None:
    text = f"In rodents, {name} produced a sustained antidepressant effect."
    assert (name, (concept,)) in groundings(text)
    assert "kg:ketamine" not in {c for _, cs in groundings(text) for c in cs}


def test_kgraph_annotate_grounds_the_enantiomers(tmp_path) -> None:
    src = tmp_path / "enantiomers.txt"
    src.write_text(
        "The R-enantiomer of ketamine, arketamine, had longer-lasting effects than "
        "(S)-ketamine in mice. Both R-(−)-ketamine and the (S)-enantiomer of ketamine were "
        "given once; racemic ketamine was the comparator.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["annotate", str(src), "-o", str(out), "--no-general-lexicon"])
    assert r.exit_code == 0, r.output
    [doc] = read(out)
    ketamines = {"kg:ketamine", "kg:arketamine", "kg:esketamine"}
    got = {(m.text, m.concepts) for m in doc.mentions if ketamines & set(m.concepts)}
    assert got == {
        ("R-enantiomer of ketamine", ("kg:arketamine",)),
        ("arketamine", ("kg:arketamine",)),
        ("(S)-ketamine", ("kg:esketamine",)),
        ("R-(−)-ketamine", ("kg:arketamine",)),
        ("(S)-enantiomer of ketamine", ("kg:esketamine",)),
        ("racemic ketamine", ("kg:ketamine",)),
    }


def test_a_bare_enantiomer_is_not_grounded() -> None:
    """'the R-enantiomer' alone says of what only in context: no lexicon name claims it."""
    assert groundings("The R-enantiomer was more potent.") == []
