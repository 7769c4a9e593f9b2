"""kgraph annotate: stages, inputs, the written corpus folder, bad input, the CLI round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.annotate import annotate_files, annotate_text
from kgraph.annotate.abbreviations import find_abbreviations
from kgraph.annotate.context import statement_context
from kgraph.annotate.extract import AnnotateInputError, html_source
from kgraph.annotate.matcher import Matcher
from kgraph.annotate.rules import load_rules
from kgraph.annotate.sentences import split_sentences
from kgraph.cli import main
from kgraph.formats import read
from kgraph.model import Span

ABSTRACT = (
    "Ketamine for treatment-resistant depression (TRD): a randomised trial.\n"
    "Ketamine blocks NMDA receptors. In TRD, ketamine produced a rapid antidepressant effect.\n"
    "Esketamine did not cause dissociation in this phase 3 trial. Arketamine may cause less "
    "dissociation than esketamine.\n"
)


def rel(doc, type_):
    return [r for r in doc.relations if r.type == type_]


# -- stages -----------------------------------------------------------------------------------------


def test_sentences_keep_abbreviations_and_decimals_inside() -> None:
    text = "Doses of approx. 0.5 mg/kg were used, e.g. in TRD. Results were clear."
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "Doses of approx. 0.5 mg/kg were used, e.g. in TRD.",
        "Results were clear.",
    ]


def test_abbreviation_short_form_grounds_like_its_long_form() -> None:
    doc = annotate_text(ABSTRACT)
    trd = [m for m in doc.mentions if m.text == "TRD"]
    assert trd and all(m.concepts == ("kg:treatment_resistant_depression",) for m in trd)
    assert find_abbreviations("no definition here (xyz)") == ()


def test_matcher_variants_case_and_stoplist() -> None:
    m = Matcher.from_lexicon()
    found = {h.text: h for h in m.find("Depressive patients got NMDA receptors blockers; hnk.")}
    assert found["Depressive"].concept == "kg:depression" and found["Depressive"].score < 1
    assert "NMDA receptors" in found
    assert "hnk" not in found  # a short form matches in its own case only
    assert not m.find("the effect of the drug on patients")  # generic words are stoplisted


def test_unknown_candidates_are_low_confidence() -> None:
    doc = annotate_text("Zorbamine blocks the Q7 receptor.")
    cand = {m.text: m for m in doc.mentions}
    assert cand["Zorbamine"].type == "Compound" and not cand["Zorbamine"].concepts
    note = doc.metadata["proposal:" + cand["Zorbamine"].id]
    assert "rule=cand.drug-suffix" in note
    assert cand["Zorbamine"].proposed and cand["Zorbamine"].confidence == "Low"


def test_apposition_is_not_the_subject() -> None:
    doc = annotate_text(
        "Esketamine, an NMDA receptor antagonist, produced a rapid antidepressant effect."
    )
    [r] = rel(doc, "hasOutcome")
    assert doc.mention(r.subject).text == "Esketamine"
    assert rel(doc, "memberOf")


def test_a_verb_after_but_shares_the_first_subject() -> None:
    doc = annotate_text(
        "Ketamine increased locomotor activity in rats, but reduced prepulse inhibition."
    )
    found = {
        (r.type, doc.mention(r.subject).text, doc.mention(r.object).text) for r in doc.relations
    }
    assert found == {
        ("increases", "Ketamine", "locomotor activity"),
        ("decreases", "Ketamine", "prepulse inhibition"),
    }


def test_relations_respect_domain_and_range() -> None:
    doc = annotate_text("Ketamine blocks NMDA receptors.")
    [r] = rel(doc, "antagonistOf")
    assert doc.mention(r.subject).text == "Ketamine"
    assert "rule=rel.antagonist.verb" in r.note
    # depression is no receptor: "blocks" cannot make ketamine its antagonist
    assert not rel(annotate_text("Ketamine blocks depression."), "antagonistOf")


@pytest.mark.parametrize(
    ("sentence", "negated", "certainty"),
    [
        ("Ketamine did not cause dissociation.", True, "Asserted"),
        ("There was no increase in dissociation after ketamine.", True, "Asserted"),
        ("Ketamine failed to reduce dissociation.", True, "Asserted"),
        ("Ketamine may cause dissociation.", False, "Hedged"),
        ("These data suggest that ketamine causes dissociation.", False, "Hedged"),
        ("Ketamine caused dissociation, but not nausea.", False, "Asserted"),
        ("Not only did ketamine cause dissociation, it lasted.", False, "Asserted"),
    ],
)
def test_negation_and_hedging_cues(sentence: str, negated: bool, certainty: str) -> None:
    s, o = (
        sentence.index("ketamine") if "ketamine" in sentence else 0,
        sentence.index("dissociation"),
    )
    ctx = statement_context(sentence, Span(s, s + 8), Span(o, o + 12))
    assert (ctx.negated, ctx.certainty) == (negated, certainty)


def test_qualifiers_comparison_degree_mediation() -> None:
    doc = annotate_text("Arketamine may cause less dissociation than esketamine.")
    [r] = rel(doc, "hasAdverseEffect")
    assert r.comparison == "Less"
    assert doc.mention(r.comparator).text == "esketamine"
    doc = annotate_text("Hydroxynorketamine weakly blocks the NMDA receptor.")
    assert rel(doc, "antagonistOf")[0].degree == "Weak"
    doc = annotate_text("Ketamine increases neuroplasticity through the AMPA receptor.")
    [r] = rel(doc, "increases")
    assert r.mediation == "Through"
    assert doc.mention(r.mediator).text == "AMPA receptor"


def test_evidence_level_from_cues_then_source_type() -> None:
    doc = annotate_text(ABSTRACT)
    levels = {r.evidence_level for r in doc.relations}
    assert "ClinicalPhase3" in levels
    doc = annotate_text(
        "Ketamine blocks NMDA receptors.", metadata={"source_type": "OpinionArticle"}
    )
    assert doc.relations[0].evidence_level == "Opinion"
    doc = annotate_text("In mice, ketamine blocks NMDA receptors.")
    assert doc.relations[0].evidence_level == "Preclinical"


def test_every_proposal_is_marked() -> None:
    doc = annotate_text(ABSTRACT)
    assert doc.relations
    for r in doc.relations:
        assert r.proposed
        assert r.confidence in ("High", "Medium", "Low")
        assert r.note.startswith("rule=")
        load_rules().relation(r.note.split(";")[0][5:])  # names a real rule


# -- inputs and the corpus folder --------------------------------------------------------------------


def test_html_offset_map_points_back_into_the_source() -> None:
    html = "<html><head><title>A page</title></head><body><h1>Ketamine &amp; mood</h1>" + (
        "<p>Ketamine blocks NMDA receptors.</p></body></html>"
    )
    src = html_source(html, "x.html")
    text = src.document.text
    assert src.document.metadata["title"] == "A page"
    i = text.index("NMDA")
    j = src.offsets.source_offset(i)
    assert html[j : j + 4] == "NMDA"


def test_written_folder_builds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ABSTRACT, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "# Note\n\nKetamine **blocks** NMDA receptors.\n", encoding="utf-8"
    )
    (tmp_path / "c.html").write_text(
        "<title>C</title><p>Esketamine may cause dissociation.</p>", encoding="utf-8"
    )
    out = tmp_path / "out"
    folder, docs = annotate_files(sorted(tmp_path.glob("[abc].*")), out, source_type="ScienceNews")
    names = {p.name for p in folder.iterdir()}
    assert {"manifest.toml", "a.txt", "a.ann", "b.offsets.tsv", "c.offsets.tsv"} <= names
    assert "a.offsets.tsv" not in names  # plain text is its own document of record
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
    back = list(read(folder))
    assert [d.id for d in back] == ["a", "b", "c"]
    assert back[2].metadata["title"] == "C"
    a = back[0]
    assert len(a.relations) >= len(docs[0].relations)  # + comparator/mediator lines
    assert any(r.proposed for r in a.relations)


def test_pubtator_input_keeps_and_grounds_its_entities(tmp_path: Path) -> None:
    p = tmp_path / "x.pubtator"
    p.write_text(
        "1|t|Ketamine in depression.\n1|a|Ketamine relieved depression in mice.\n"
        "1\t0\t8\tKetamine\tChemical\tD007649\n1\t12\t22\tdepression\tDisease\tD003866\n"
        "1\t24\t32\tKetamine\tChemical\tD007649\n1\t42\t52\tdepression\tDisease\tD003866\n"
        "1\tCID\tD007649\tD003866\n",
        encoding="utf-8",
    )
    _, [doc] = annotate_files([p], tmp_path / "out")
    assert doc.metadata["pmid"] == "1" and doc.metadata["title"] == "Ketamine in depression."
    assert doc.metadata["source_type"] == "PeerReviewedArticle"
    assert doc.mention("T1").concepts == ("kg:ketamine",)
    assert doc.mention("T1").type == "Compound"
    treats = rel(doc, "treats")
    assert treats and all(r.evidence_level == "Preclinical" and r.proposed for r in treats)
    assert all(not r.by_concept for r in doc.relations)  # the source's relations are not kept


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bin.txt", b"\x00\x01\x02binary", "binary file"),
        ("empty.txt", b"  \n\n", "empty text"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "not UTF-8"),
        ("page.html", b"<html><script>x()</script><p> </p></html>", "holds no text"),
        ("bad.pubtator", b"1|t|Title\n1\tnot a number\t3\tx\tChemical\tD1\n", "cannot read it"),
    ],
)
def test_bad_input_names_the_file_and_writes_nothing(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    out = tmp_path / "out"
    with pytest.raises(AnnotateInputError, match=message) as e:
        annotate_files([p], out)
    assert name in str(e.value)
    assert not out.exists()
    assert [x.name for x in tmp_path.iterdir()] == [name]  # no temporary folder left behind


def test_existing_folder_is_not_replaced_without_force(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ketamine blocks NMDA receptors.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="not empty"):
        annotate_files([tmp_path / "a.txt"], out)
    assert (out / "keep.txt").exists()
    annotate_files([tmp_path / "a.txt"], out, force=True)
    assert not (out / "keep.txt").exists() and (out / "a.ann").exists()


def test_cli_annotate_then_build(tmp_path: Path) -> None:
    (tmp_path / "abstract.txt").write_text(ABSTRACT, encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "proposed"
    res = runner.invoke(
        main,
        [
            "annotate",
            str(tmp_path / "abstract.txt"),
            "-o",
            str(out),
            "--pmid",
            "123",
            "--source-type",
            "PeerReviewedArticle",
            "--date",
            "2024-01-01",
        ],
    )
    assert res.exit_code == 0, res.output
    manifest = (out / "manifest.toml").read_text(encoding="utf-8")
    assert 'pmid = "123"' in manifest and 'date = "2024-01-01"' in manifest
    for extra in ([], ["--include-proposed"]):
        res = runner.invoke(main, ["build", str(out), "--store", "memory:", "-q", *extra])
        assert res.exit_code == 0, res.output
    res = runner.invoke(
        main, ["annotate", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x")]
    )
    assert res.exit_code == 1 and "missing.txt" in res.output


@pytest.mark.corpus
def test_benchmark_smoke(shared_corpora: Path, tmp_path: Path) -> None:
    """A tiny slice of ``python -m benchmarks.annotate``: every row is there, with its baseline."""
    import json
    import sys

    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks import annotate as bench

    out = tmp_path / "a.json"
    assert bench.main(["--limit", "5", "--json", str(out)]) == 0
    rows = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert set(rows) == {"E1", "E2", "E3", "E4", "E5", "E6", "E7", "C"}
    for key in ("E1", "E2", "E3", "E4", "E5", "E7"):
        assert rows[key]["rules"] and rows[key]["baseline"], key
    assert 0 <= rows["E3"]["rules"]["P"] <= 1 and rows["E7"]["rules"]["chars/s"] > 0
    assert rows["E6"]["skipped"] or rows["E6"]["rules"]


_DIRECT = """SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o .
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/kgraph/entity/")
         && STRSTARTS(STR(?o), "https://w3id.org/kgraph/entity/")
         && STRSTARTS(STR(?p), "https://w3id.org/kgraph/ontology#")) }"""


def test_proposals_give_direct_triples_only_when_included(tmp_path: Path) -> None:
    from kgraph.build import build_store
    from kgraph.store import open_store

    (tmp_path / "a.txt").write_text(ABSTRACT, encoding="utf-8")
    folder, [doc] = annotate_files([tmp_path / "a.txt"], tmp_path / "out")
    counts = []
    for include in (False, True):
        store = open_store("memory:")
        report = build_store(store, [folder], include_proposed=include)
        assert report.proposals == len(doc.relations)
        counts.append(store.query(_DIRECT).dicts()[0]["n"])
    assert counts[0] == 0
    assert counts[1] > 0


def test_brat_input_mentions_without_ids_ground_by_name(tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text("Ketamine blocks NMDA receptors in rats.\n", encoding="utf-8")
    (tmp_path / "k.ann").write_text(
        "T1\tChemical 0 8\tKetamine\nN1\tReference T1 MESH:D007649\tKetamine\n"
        "T2\tGene_or_protein 16 30\tNMDA receptors\n",
        encoding="utf-8",
    )
    _, [doc] = annotate_files([tmp_path / "k.ann"], tmp_path / "out")
    assert doc.mention("T2").concepts == ("kg:nmda_receptor",)
    assert doc.mention("T2").type == "Receptor"
    [r] = rel(doc, "antagonistOf")
    assert r.evidence_level == "Preclinical"


def test_offset_map_that_runs_backwards_is_refused() -> None:
    from kgraph.annotate.extract import _Builder

    b = _Builder()
    b.add("abc", 10)
    b.add("def", 2)  # an extractor that went back in the source
    with pytest.raises(AnnotateInputError, match=r"page\.html: cannot build the offset map"):
        b.result("page.html")


def test_markdown_drops_markup_and_code_keeps_offsets(tmp_path: Path) -> None:
    from kgraph.annotate.extract import markdown_source

    md = "# Ketamine note\n\n```\ncode = 1\n```\n\n- Ketamine *blocks* [NMDA receptors](x).\n"
    src = markdown_source(md, tmp_path / "n.md")
    text = src.document.text
    assert "code" not in text and "*" not in text and "](x)" not in text
    i = text.index("NMDA")
    assert md[src.offsets.source_offset(i) :].startswith("NMDA receptors")
    assert src.document.metadata["title"] == "Ketamine note"


def test_one_document_options_need_one_document(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Ketamine blocks NMDA receptors.\n", encoding="utf-8")
    with pytest.raises(Exception, match="describe one document"):
        annotate_files([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "out", title="T")
    with pytest.raises(Exception, match="unknown source type"):
        annotate_files([tmp_path / "a.txt"], tmp_path / "out", source_type="Blog")
    assert not (tmp_path / "out").exists()


def test_pasted_text_on_standard_input(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "pasted"
    res = runner.invoke(main, ["annotate", "-", "-o", str(out)], input=ABSTRACT)
    assert res.exit_code == 0, res.output
    assert (out / "pasted.txt").read_text(encoding="utf-8") == ABSTRACT
    res = runner.invoke(main, ["annotate", "-", "-o", str(tmp_path / "x")], input="  \n")
    assert res.exit_code == 1 and "<stdin>: empty text" in res.output
