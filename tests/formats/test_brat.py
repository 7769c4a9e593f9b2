"""brat standoff: PGxCorpus documents (read from ../shared/corpora), hand-made files with the same
quirks, and a catalogue of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.errors import FormatError
from kgraph.formats import brat, resolve
from kgraph.model import Span

from .corpus_cuts import copy_pgx


@pytest.fixture(scope="module")
def pgx(tmp_path_factory) -> Path:
    """Two PGxCorpus documents, copied from ../shared/corpora at test time (CC BY-NC: never kept in
    the repository)."""
    return copy_pgx(("10070957_8", "10098858_5"), tmp_path_factory.mktemp("pgx"))


def test_discontinuous_out_of_order_fragments_keep_their_order(data_dir: Path) -> None:
    """Hand-made: a fragment list given end first, as PGxCorpus writes them."""
    [doc] = brat.read(data_dir / "brat" / "handmade_discontinuous.ann")
    t6 = doc.mention("T6")
    beta, levels = doc.text.index("compound beta"), doc.text.index("levels of")
    assert t6.spans == (Span(beta, beta + 13), Span(levels, levels + 9))  # as given, not sorted
    assert t6.covered(doc.text) == "compound beta levels of"
    assert (t6.start, t6.end) == (levels, beta + 13)
    # trailing space in the text column is not part of the span
    assert doc.mention("T1").text == "X1/X1 genotype"
    assert len(doc.mentions) == 6
    assert {r.type for r in doc.relations} == {"increases"}
    assert doc.relations[0].subject == "T1" and doc.relations[0].object == "T6"


def test_pgxcorpus_discontinuous_fragments(pgx: Path) -> None:
    [doc] = brat.read(pgx / "10070957_8.ann")
    t10 = doc.mention("T10")
    assert t10.spans == (Span(116, 125), Span(73, 82))  # as given, not sorted
    assert t10.covered(doc.text) == "estradiol levels of"
    assert (t10.start, t10.end) == (73, 125)
    assert doc.mention("T1").text == "A2/A2 genotype"
    assert len(doc.mentions) == 14
    assert {r.type for r in doc.relations} == {"increases"}
    assert doc.relations[0].subject == "T1" and doc.relations[0].object == "T10"


@pytest.mark.parametrize("where", ["handmade", "pgxcorpus"])
def test_modality_notes_set_certainty_and_negation(where: str, data_dir: Path, request) -> None:
    if where == "handmade":
        path = data_dir / "brat" / "handmade_note.ann"
    else:
        path = request.getfixturevalue("pgx") / "10098858_5.ann"
    [doc] = brat.read(path)
    noted = [r for r in doc.relations if "note" in r.attributes]
    assert noted, "the document has annotator notes"
    for r in noted:
        words = set(r.attributes["note"].lower().split())
        assert (r.certainty == "Hedged") == bool(words & {"hyp", "hypo", "htp"})
        assert r.negated == bool(words & {"neg", "not"})
    assert any(r.certainty == "Hedged" for r in noted)


def test_resolve_by_suffix_and_folder(data_dir: Path) -> None:
    assert resolve(data_dir / "brat" / "handmade_note.ann").name == "brat"
    assert resolve(data_dir / "brat").name == "brat"


def write_pair(tmp_path: Path, text: str, ann: str | bytes) -> Path:
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "doc.ann"
    if isinstance(ann, bytes):
        path.write_bytes(ann)
    else:
        path.write_text(ann, encoding="utf-8")
    return path


TEXT = "Ketamine blocks NMDA receptors in the hippocampus.\n"
GOOD = "T1\tCompound 0 8\tKetamine\nT2\tReceptor 16 30\tNMDA receptors\n"
EXTRA = "T3\tBrainRegion 38 49\thippocampus\n"
REL = "R1\tantagonistOf Arg1:T1 Arg2:T2\n"

# (name, .ann content, expected line, words the message must contain)
BAD = [
    ("no tab", GOOD + "R1 antagonistOf Arg1:T1 Arg2:T2\n", 3, "malformed line"),
    ("bad offsets", "T1\tCompound 0 eight\tKetamine\n", 1, "bad offsets"),
    ("reversed span", "T1\tCompound 8 0\tKetamine\n", 1, "reversed"),
    ("past the end", "T1\tCompound 0 800\tKetamine\n", 1, "past the end"),
    ("text mismatch", "T1\tCompound 0 8\tEsketamine\n", 1, "covers 'Ketamine'"),
    ("missing text column", "T1\tCompound 0 8\n", 1, "text column"),
    ("relation to unknown mention", GOOD + "R1\tantagonistOf Arg1:T1 Arg2:T9\n", 3, "T9"),
    ("relation with one argument", GOOD + "R1\tantagonistOf Arg1:T1\n", 3, "relation must read"),
    ("duplicate id", GOOD + "T2\tReceptor 16 30\tNMDA receptors\n", 3, "duplicate"),
    (
        "normalisation of unknown mention",
        GOOD + "N1\tReference T7 kg:ketamine\tketamine\n",
        3,
        "unknown mention T7",
    ),
    ("bad normalisation", GOOD + "N1\tReference T1\tketamine\n", 3, "Reference T<n>"),
    ("unknown kind", GOOD + "X1\tsomething\n", 3, "unknown annotation kind"),
    (
        "bad certainty",
        GOOD + "R1\tantagonistOf Arg1:T1 Arg2:T2\nA1\tCertainty R1 Maybe\n",
        4,
        "certainty",
    ),
    ("attribute on unknown", GOOD + "A1\tNegated R5\n", 3, "unknown annotation R5"),
    ("bad comparison", GOOD + REL + "A1\tComparison R1 Fewer\n", 4, "comparison of R1"),
    ("bad degree", GOOD + REL + "A1\tDegree R1 Tiny\n", 4, "Weak, Moderate, Strong"),
    ("bad mediation", GOOD + REL + "A1\tMediation R1 Via\n", 4, "Through, Independent"),
    ("bad confidence", GOOD + REL + "A1\tProposed R1\nA2\tConfidence R1 Sure\n", 5, "High"),
    (
        "comparator without comparison",
        GOOD + EXTRA + REL + "R2\tcomparator Arg1:T1 Arg2:T3\n",
        5,
        "no Comparison attribute",
    ),
    (
        "comparator of a mention that is the subject of two claims",
        GOOD
        + EXTRA
        + REL
        + "R2\tactsIn Arg1:T1 Arg2:T3\nA1\tComparison R1 Less\nA2\tComparison R2 Less\n"
        + "R3\tcomparator Arg1:T1 Arg2:T3\n",
        8,
        "subject of 2 (R1, R2)",
    ),
    (
        "comparator of a mention that is the subject of no claim",
        GOOD + EXTRA + REL + "R2\tcomparator Arg1:T2 Arg2:T3\n",
        5,
        "subject of 0",
    ),
    (
        "mediation without mediator",
        GOOD + REL + "A1\tEvidenceLevel R1 Review\nA2\tMediation R1 Through\n",
        5,
        "no mediator relation",
    ),
    (
        "two mediators",
        GOOD
        + EXTRA
        + REL
        + "A1\tMediation R1 Through\nR2\tmediator Arg1:T1 Arg2:T3\nR3\tmediator Arg1:T1 Arg2:T2\n",
        7,
        "already has a mediator",
    ),
    (
        "attribute on a qualifying relation",
        GOOD + EXTRA + REL + "A1\tMediation R1 Through\nR2\tmediator Arg1:T1 Arg2:T3\n"
        "A2\tNegated R2\n",
        6,
        "belong on the claim",
    ),
    ("qualifier to a missing mention", GOOD + REL + "R2\tmediator Arg1:T1 Arg2:T9\n", 4, "T9"),
]


@pytest.mark.parametrize(("name", "ann", "line", "words"), BAD, ids=[b[0] for b in BAD])
def test_malformed_annotation_names_file_and_line(tmp_path, name, ann, line, words) -> None:
    path = write_pair(tmp_path, TEXT, ann)
    with pytest.raises(FormatError) as info:
        list(brat.read(path))
    e = info.value
    assert e.path == str(path)
    assert e.line == line
    assert words in e.message
    assert str(e).startswith(f"{path}:{line}: document doc: ")


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = write_pair(
        tmp_path, TEXT, GOOD.encode() + "N1\tReference T1 kg:k\tcaf\xe9\n".encode("latin-1")
    )
    with pytest.raises(FormatError, match="not UTF-8") as info:
        list(brat.read(path))
    assert info.value.line == 3


def test_missing_text_file(tmp_path: Path) -> None:
    (tmp_path / "doc.ann").write_text(GOOD)
    with pytest.raises(FormatError, match=r"doc\.txt"):
        list(brat.read(tmp_path / "doc.ann"))


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"no \.ann files"):
        list(brat.read(tmp_path))


def test_mismatch_is_reported_not_raised_when_asked(tmp_path: Path) -> None:
    path = write_pair(tmp_path, TEXT, "T1\tCompound 0 8\tEsketamine\n")
    issues: list[FormatError] = []
    [doc] = brat.read(path, on_issue=issues.append)
    assert len(issues) == 1 and issues[0].line == 1
    assert doc.mention("T1").text == "Esketamine"


def test_crlf_annotation_file(tmp_path: Path) -> None:
    path = write_pair(
        tmp_path, TEXT, (GOOD + "R1\tantagonistOf Arg1:T1 Arg2:T2\t\n").replace("\n", "\r\n")
    )
    [doc] = brat.read(path)
    assert [m.text for m in doc.mentions] == ["Ketamine", "NMDA receptors"]
    assert doc.relations[0].type == "antagonistOf"


@pytest.mark.corpus
def test_pgxcorpus_counts_match_the_published_figures(shared_corpora: Path) -> None:
    from collections import Counter

    docs = list(brat.read(shared_corpora / "pgxcorpus" / "brat"))
    assert len(docs) == 945
    assert len({d.id.split("_")[0] for d in docs}) == 911
    assert sum(len(d.mentions) for d in docs) == 6761
    relations = [r for d in docs for r in d.relations]
    assert len(relations) == 2871
    assert sum(1 for d in docs if not d.relations) == 26
    assert Counter(r.type for r in relations) == {
        "influences": 936,
        "isAssociatedWith": 730,
        "isEquivalentTo": 293,
        "decreases": 263,
        "increases": 243,
        "treats": 238,
        "causes": 168,
    }
    types = Counter(m.type for d in docs for m in d.mentions)
    assert len(types) == 10 and types["Chemical"] == 1718 and types["Gene_or_protein"] == 1708
    assert sum(1 for d in docs for m in d.mentions if len(m.spans) > 1) == 409
    # modality notes: hyp 651 + hyp neg 10 + hypo 2 + htp neg 1; neg 171 + 10 + Neg 1 + 1 + not 4
    assert sum(r.certainty == "Hedged" for r in relations) == 664
    assert sum(r.negated for r in relations) == 187


# -- the knowledge-model scheme: qualifiers, questions, notes, proposals (corpus/README.md) ------


def test_qualified_corpus_reads_every_qualifier(qualified_corpus: Path) -> None:
    [doc] = brat.read(qualified_corpus / "qualified.ann")
    r = {rel.id: rel for rel in doc.relations}
    assert set(r) == {"R1", "R3", "R4", "R6", "R8", "R9"}, "comparator/mediator are no claims"
    assert (r["R1"].comparison, r["R1"].comparator) == ("Less", "T3")
    assert doc.mention(r["R1"].comparator).text == "esketamine"
    assert r["R3"].degree == "Weak" and r["R3"].note.startswith("weaker, not absent")
    assert (r["R4"].mediation, doc.mention(r["R4"].mediator).text) == (
        "Independent",
        "NMDA receptors",
    )
    assert (r["R6"].mediation, r["R6"].mediator) == ("Through", "T11")
    assert r["R8"].question and not r["R6"].question
    assert r["R9"].proposed and r["R9"].confidence == "Medium"
    assert r["R9"].note == "rule=treat-verb; cue=relieves"
    assert [x.id for x in r.values() if x.qualified] == ["R1", "R3", "R4", "R6"]
    assert not any(rel.proposed for rel in doc.relations if rel.id != "R9")


def test_proposed_mention_and_several_notes(tmp_path: Path) -> None:
    ann = (
        GOOD
        + REL
        + "A1\tProposed T2\nA2\tConfidence T2 Low\n"
        + "#1\tAnnotatorNotes R1\tfirst note\n#2\tAnnotatorNotes R1\tsecond note\n"
        + "#3\tAnnotatorNotes R1\thyp\n"
    )
    [doc] = brat.read(write_pair(tmp_path, TEXT, ann))
    t2 = doc.mention("T2")
    assert (t2.proposed, t2.confidence) == (True, "Low")
    assert not doc.mention("T1").proposed
    [rel] = doc.relations
    assert rel.note == "first note\nsecond note", "a modality note sets certainty, it is no note"
    assert rel.certainty == "Hedged"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x1c"])
def test_annotation_lines_end_at_newline_only(tmp_path: Path, separator: str) -> None:
    """brat splits .ann lines at \\n: a Unicode line separator in a text column is text."""
    text = f"Ketamine{separator}blocks NMDA receptors.\n"
    ann = (
        f"T1\tCompound 0 15\tKetamine{separator}blocks\nT2\tReceptor 16 30\tNMDA receptors\n"
        f"R1\tantagonistOf Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes R1\tsee{separator}above\n"
    )
    [doc] = brat.read(write_pair(tmp_path, text, ann))
    assert doc.mention("T1").text == f"Ketamine{separator}blocks"
    assert doc.relations[0].line == 3 and doc.relations[0].note == f"see{separator}above"


def _conf_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("[") and line.strip().endswith("]"):
            current = line.strip()[1:-1]
            sections[current] = []
        elif line.strip() and not line.lstrip().startswith("#"):
            sections.setdefault(current, []).append(line)
    return sections


def test_annotation_conf_declares_the_ontology_and_the_scheme() -> None:
    """brat's annotation.conf lists every class, property, qualifying relation and attribute
    value the reader and the ontology know, and nothing else."""
    from kgraph import model
    from kgraph.grounding import Lexicon
    from kgraph.vocab import corpus_dir

    lex = Lexicon.load()
    conf = _conf_sections(corpus_dir() / "annotation.conf")
    entities = {x.strip().lstrip("!") for x in conf["entities"]}
    kinds = {n for n, c in lex.classes.items() if lex.is_a(c, lex.classes["Entity"])}
    assert entities == kinds
    relations = {line.split("\t")[0] for line in conf["relations"]}
    assert relations == set(lex.properties) | set(brat.QUALIFYING_RELATIONS)
    values = {}
    for line in conf["attributes"]:
        name, _, spec = line.partition("\t")
        values[name] = tuple(spec.split("Value:")[1].split("|")) if "Value:" in spec else None
    assert values == {
        "Negated": None,
        "Certainty": model.CERTAINTIES,
        "EvidenceLevel": values["EvidenceLevel"],
        "Comparison": model.COMPARISONS,
        "Degree": model.DEGREES,
        "Mediation": model.MEDIATIONS,
        "ResearchQuestion": None,
        "Proposed": None,
        "Confidence": model.CONFIDENCES,
    }
    visual = "\n".join(_conf_sections(corpus_dir() / "visual.conf")["labels"])
    for name in (*entities - {"Entity"}, *relations, *values):
        assert f"\n{name} | " in "\n" + visual, f"{name} has no label in visual.conf"
