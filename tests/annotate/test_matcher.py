"""The lexicon matcher's behaviours (issue 14, E1/E2): folding, learnt drop lists, a document's own
short forms, list members sharing a head, dictionaries from annotated documents, context exclusions.

Every text here is written for the test; ``tests/data/pubtator/handmade_dictionary.PubTator.txt``
is hand-made too (tests/data/README.md).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kgraph.annotate.abbreviations import find_abbreviations
from kgraph.annotate.dictionary import annotation_ratios, gold_entries, rarely_annotated
from kgraph.annotate.matcher import Entry, Matcher, fold, with_variants
from kgraph.annotate.rules import load_rules
from kgraph.formats import read

DATA = Path(__file__).resolve().parents[1] / "data" / "pubtator"


@pytest.fixture(scope="module")
def rules():
    return replace(load_rules(), stoplist=frozenset())


def found(m: Matcher, text: str, abbreviations: bool = True) -> list[tuple[str, str | None]]:
    abbr = find_abbreviations(text) if abbreviations else ()
    return [(h.text, h.concept) for h in m.find(text, abbr)]


# -- folding ---------------------------------------------------------------------------------------


def test_british_spellings_greek_letters_and_dashes_fold_alike(rules) -> None:
    m = Matcher(
        [
            Entry("brain edema", "D:edema", "Disease", 1.0, "t"),
            Entry("TNF-alpha converting enzyme", "D:tace", "Chemical", 1.0, "t"),
            Entry("haemorrhagic cystitis", "D:hc", "Disease", 1.0, "t"),
            Entry("anti-inflammatory drug", "D:nsaid", "Chemical", 1.0, "t"),
        ],
        rules,
    )
    text = "Brain oedema, TNF-α converting enzyme, hemorrhagic-cystitis and anti inflammatory drug."
    hits = m.find(text)
    # each hit's span is the original text, however long the folded spelling was
    assert [(h.text, h.concept) for h in hits] == [
        ("Brain oedema", "D:edema"),
        ("TNF-α converting enzyme", "D:tace"),
        ("hemorrhagic-cystitis", "D:hc"),
        ("anti inflammatory drug", "D:nsaid"),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)


def test_fold_keeps_a_map_back_to_the_text() -> None:
    text = "Leucocytes, α-synuclein and tumour."
    folded, where = fold(text)
    assert folded == "leukocytes, alpha synuclein and tumor."
    assert where is not None and len(where) == len(folded)
    start = folded.index("tumor")
    assert text[where[start] : where[start + len("tumor") - 1] + 1] == "tumour"


def test_a_plain_matcher_does_not_fold(rules) -> None:
    m = Matcher([Entry("brain edema", "D:1", "Disease", 1.0, "t")], rules, folding=False)
    assert found(m, "brain oedema") == [] and found(m, "Brain edema") == [("Brain edema", "D:1")]


# -- learnt drop lists -----------------------------------------------------------------------------


def test_dropped_names_and_short_forms_dropped_only_where_undefined(rules) -> None:
    names = [
        Entry("spreading depression", "D:sd", "Disease", 1.0, "t"),
        Entry("SD", "D:sd", "Disease", 1.0, "t"),
        Entry("death", "D:death", "Disease", 1.0, "t"),
    ]
    m = Matcher(names, rules, drop={"death", "undefined:SD"})
    assert found(m, "Death and SD (mean) were recorded.") == []
    defined = "Cortical spreading depression (SD) was seen; SD recurred."
    assert found(m, defined) == [
        ("spreading depression", "D:sd"),
        ("SD", "D:sd"),
        ("SD", "D:sd"),
    ]


# -- a document's own short forms ------------------------------------------------------------------


def test_a_defined_short_form_means_its_long_form_here(rules) -> None:
    m = Matcher(
        [
            Entry("contrast media", "D:cm", "Chemical", 1.0, "t"),
            Entry("CM", "D:cardiomyopathy", "Disease", 1.0, "t"),
        ],
        rules,
    )
    # the dictionary's CM (another entity) gives way to the document's definition
    assert found(m, "Iodinated contrast media (CM) were given. CM caused no harm.") == [
        ("contrast media", "D:cm"),
        ("CM", "D:cm"),
        ("CM", "D:cm"),
    ]


def test_a_short_form_whose_long_form_is_unknown(rules) -> None:
    m = Matcher(
        [
            Entry("pentylenetetrazole", "D:ptz", "Chemical", 1.0, "t"),
            Entry("PTZ", "D:ptz", "Chemical", 1.0, "t"),
            Entry("SD", "D:spreading", "Disease", 1.0, "t"),
        ],
        rules,
    )
    # a long form sharing a word stem with the entity's names keeps the dictionary's meaning
    assert ("PTZ", "D:ptz") in found(m, "Pentetrazol (PTZ) induced seizures; PTZ was given twice.")
    # one that shares none means something else here
    assert found(m, "Values are means with standard deviation (SD); SD was small.") == []


# -- list members sharing a head -------------------------------------------------------------------


def test_members_of_a_list_take_the_name_of_member_plus_head(rules) -> None:
    m = Matcher(
        [
            Entry("renal toxicity", "D:renal", "Disease", 1.0, "t"),
            Entry("hepatic toxicity", "D:hepatic", "Disease", 1.0, "t"),
            Entry("cardiac toxicity", "D:cardiac", "Disease", 1.0, "t"),
        ],
        rules,
    )
    hits = m.find("It caused cardiac, renal and hepatic toxicity in rats.")
    assert [(h.text, h.concept, h.rule) for h in hits] == [
        ("cardiac", "D:cardiac", "lex.composite"),
        ("renal", "D:renal", "lex.composite"),
        ("hepatic toxicity", "D:hepatic", "t"),
    ]
    # a member the lexicon has no "member + head" name for gives nothing (and stops the list)
    assert found(m, "bone and hepatic toxicity") == [("hepatic toxicity", "D:hepatic")]


# -- dictionaries from annotated documents ---------------------------------------------------------


def test_dictionary_from_gold_strings_and_its_learnt_drop_list(rules) -> None:
    docs = list(read(DATA / "handmade_dictionary.PubTator.txt", "pubtator"))
    entries = gold_entries(docs, matcher=Matcher((), rules))
    by_name = {e.name.lower(): (e.concept, e.type) for e in entries}
    assert by_name["tremor"] == ("MESH:D014202", "Disease")
    assert by_name["lc"] == ("MESH:D016651", "Chemical")
    assert "renal and hepatic toxicity" not in by_name  # a composite mention gives no entry

    m = Matcher(with_variants(entries, rules), rules)
    ratios = annotation_ratios(m, docs, per_document=True)
    assert ratios["sodium"] == (3, 1)  # found in three documents, annotated in one
    assert ratios["tremor"] == (2, 2)
    drop = rarely_annotated(ratios, 0.5)
    assert "sodium" in drop and "tremor" not in drop

    learnt = Matcher(with_variants(entries, rules), rules, drop)
    first = docs[0]
    hits = {(h.text, h.concept) for h in learnt.find(first.text, find_abbreviations(first.text))}
    assert ("renal", "MESH:D007674") in hits  # "renal and hepatic toxicity": both ids
    assert ("hepatic toxicity", "MESH:D056486") in hits
    assert not any(h.text.lower() == "sodium" for h in learnt.find(docs[2].text))


# -- inflected and adjectival variants ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "matched"),
    [
        # a plural name in "-ias" gives its singular (E1 dictionary strings are often plural)
        ("arthralgias", "She reported arthralgia and fever.", "arthralgia"),
        ("myalgias", "Myalgia was common.", "Myalgia"),
        # "-pathy" names give their adjective and plural, "-lysis" names their adjective
        ("neuropathy", "Neuropathic pain followed.", "Neuropathic"),
        ("cardiomyopathy", "Two cardiomyopathies were seen.", "cardiomyopathies"),
        ("hemolysis", "A haemolytic anaemia developed.", "haemolytic"),
        # "-ema" names give "-ematous", "-itis" names "-itic"
        ("edema", "The tissue was oedematous.", "oedematous"),
        ("arthritis", "Arthritic joints ached.", "Arthritic"),
        # an eponym's possessive may be left out
        ("Parkinson's disease", "Parkinson disease progressed.", "Parkinson disease"),
    ],
)
def test_inflected_and_adjectival_variants(rules, name: str, text: str, matched: str) -> None:
    m = Matcher(with_variants([Entry(name, "D:x", "Disease", 1.0, "t")], rules), rules)
    assert found(m, text) == [(matched, "D:x")]


@pytest.mark.parametrize("name", ["gas", "pancreas", "atlas", "tetanus"])
def test_no_singular_for_words_in_as_or_us(rules, name: str) -> None:
    """Only "-ias" drops its "s": "gas", "pancreas" and "tetanus" are not plurals."""
    from kgraph.annotate.names import variants

    assert not [v for v, rule in variants(name, rules) if rule == "var.singular"]


def test_word_swaps_learnt_from_names_of_one_concept(rules) -> None:
    """Names of one concept that differ in one word teach a swap ("heart" / "cardiac") when two
    concepts show it; the swap then names other concepts' entries ("cardiac arrest" from "heart
    arrest"), never over a name the dictionary already gives another concept."""
    from kgraph.annotate.dictionary import with_substitutions, word_substitutions
    from kgraph.model import Document, Mention, Span

    names = [
        ("Heart failure", "D1"),
        ("cardiac failure", "D1"),
        ("heart disease", "D2"),
        ("cardiac diseases", "D2"),  # plural: folded keys differ in two words, no swap
        ("cardiac disease", "D2"),
        ("heart arrest", "D3"),
        ("renal failure", "D4"),
        ("kidney failure", "D4"),  # renal/kidney: one concept only, not learnt
        ("renal disease", "D5"),
        ("cardiac tumor", "D6"),
        ("heart tumor", "D7"),  # both names held: each keeps its own concept
    ]
    ms = tuple(
        Mention(f"T{i}", "Disease", (Span(0, len(n)),), n, (c,)) for i, (n, c) in enumerate(names)
    )
    plain = Matcher((), rules)
    entries = gold_entries([Document("1", "x", ms)], matcher=plain)
    swaps = word_substitutions(entries, plain)
    assert swaps == {("heart", "cardiac"), ("cardiac", "heart")}
    out = with_substitutions(entries, swaps, plain)
    m = Matcher(out, rules)
    found = {h.text: h.concept for h in m.find("Cardiac arrest, kidney disease, heart tumor.")}
    assert found == {"Cardiac arrest": "D3", "heart tumor": "D7"}
    assert all(e.rule == "dict.substitute" for e in out[len(entries) :])


# -- the kgraph lexicon's context exclusions (E2) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "concept"),
    [
        ("Non-steroidal anti-inflammatory drugs eased it.", "inflammatory", None),
        ("Patients with inflammatory bowel disease.", "inflammatory", None),
        ("It dampened the inflammatory response.", "inflammatory", "kg:inflammation"),
        ("Men with heroin addiction were enrolled.", "addiction", None),
        # "addiction" alone is no substance use disorder in either corpus (cross-validated, E2 --dev)
        ("Addiction was rare after ketamine.", "Addiction", None),
        ("Drug abuse was rare after ketamine.", "Drug abuse", "kg:substance_use_disorder"),
        ("Patients with bipolar depression were enrolled.", "depression", None),
        ("Reserpine caused behavioural depression in rats.", "depression", None),
        ("Depression lifted within a day of ketamine.", "Depression", "kg:depression"),
        ("N-acetyl serotonin was measured.", "serotonin", None),
        ("Serotonin was measured.", "Serotonin", "kg:serotonin"),
        ("A serotonin transporter gene polymorphism.", "serotonin", None),
        ("A variant of the 5-HT(2C) receptor gene.", "5-HT", None),
        ("Effects of ketamine on BDNF mRNA were measured.", "ketamine", "kg:ketamine"),
        ("Serotonin transporter blockade raised serotonin levels.", "serotonin", "kg:serotonin"),
        ("The Glu 272 to stop change was found.", "Glu", None),
        ("Glutamate release rose after ketamine.", "Glutamate", "kg:glutamate"),
    ],
)
def test_lexicon_exclusions_for_other_senses(text: str, name: str, concept: str | None) -> None:
    hits = {h.text: h.concept for h in Matcher.from_lexicon().find(text)}
    assert hits.get(name) == concept


# -- the benchmark's data: no held-out abstract in a dictionary or a tuning pool --------------------


def _bench():
    import sys

    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks import annotate as bench

    return bench


@pytest.mark.corpus
def test_e1_biored_strings_leave_out_bc5cdr_test_abstracts(shared_corpora: Path) -> None:
    bench = _bench()
    test = bench.pmids(shared_corpora / "bc5cdr" / "CDR_TestSet.PubTator.txt")
    extra, left_out = bench.biored_extra(test)
    overlap = {
        split: len(bench.pmids(shared_corpora / "biored" / f"{split}.PubTator.txt") & test)
        for split in ("Train", "Dev")
    }
    assert left_out == {"BioRED Train": overlap["Train"], "BioRED Dev": overlap["Dev"]}
    assert overlap["Train"] > 0 and not {d.id for d in extra} & test
    # BioRED's disease mentions under BC5CDR's type name, and nothing else
    assert {m.type for d in extra for m in d.mentions} == {"Disease"}
    # ids in BC5CDR's convention: MeSH only (BioRED has OMIM ids for a few diseases)
    assert all(c.startswith("MESH:") for d in extra for m in d.mentions for c in m.concepts)
    assert not any(d.relations for d in extra)


@pytest.mark.corpus
def test_e2_pool_leaves_out_every_held_out_abstract(shared_corpora: Path) -> None:
    bench = _bench()
    held = bench.pmids(shared_corpora / "bc5cdr" / "CDR_TestSet.PubTator.txt") | bench.pmids(
        shared_corpora / "biored" / "Test.PubTator.txt"
    )
    pool, left_out = bench.e2_pool()
    assert not {d.id for d in pool} & held
    assert sum(left_out.values()) > 0
    assert left_out["BioRED Train"] == len(
        bench.pmids(shared_corpora / "biored" / "Train.PubTator.txt") & held
    )


@pytest.mark.corpus
def test_e1_says_how_many_missed_ids_the_dictionary_names_nowhere(shared_corpora: Path) -> None:
    """E1's row tells what bounds its recall: of the ids it missed, the share that no dictionary
    name gives (each share a whole number of the missed ids, so a fraction of the row's fn)."""
    bench = _bench()
    row = bench.e1(20, tune=True)
    shares = row.extra["missed ids the dictionary names nowhere"]
    assert set(shares) == {"Chemical", "Disease"}
    for t, share in shares.items():
        fn = row.rules[t]["fn"]
        assert fn > 0 and 0 < share <= 1
        assert any(abs(share - k / fn) < 0.0006 for k in range(fn + 1)), (t, share, fn)
    assert ("no MeSH vocabulary" in row.what) == (bench.mesh_table() is None)


# -- MeSH descriptor names (E1's vocabulary beyond the gold strings) --------------------------------


def test_descriptor_table_from_csv_or_wheel_and_its_errors(tmp_path: Path) -> None:
    import zipfile

    from kgraph.annotate.dictionary import read_descriptors
    from kgraph.errors import KGraphError

    rows = "id,scheme,subject\nhttps://id.nlm.nih.gov/mesh/D000001,MeSH,Zorbitol\n"
    (tmp_path / "m.csv").write_text(rows, encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "m.whl", "w") as z:
        z.writestr("pkg/vocabularies/subjects_mesh.csv", rows)
    want = [("MESH:D000001", "Zorbitol")]
    assert read_descriptors(tmp_path / "m.csv") == read_descriptors(tmp_path / "m.whl") == want
    with zipfile.ZipFile(tmp_path / "empty.whl", "w") as z:
        z.writestr("pkg/other.txt", "x")
    (tmp_path / "bad.csv").write_text("id,scheme,subject\nnot-an-id,MeSH,\n", encoding="utf-8")
    for name, message in (
        ("missing.csv", "no such MeSH descriptor table"),
        ("empty.whl", "holds no subjects_mesh.csv"),
        ("bad.csv", "bad.csv:2: expected a MeSH descriptor id and a name"),
    ):
        with pytest.raises(KGraphError, match=message):
            read_descriptors(tmp_path / name)


def test_descriptor_names_typed_by_known_ids_or_their_words(rules) -> None:
    from kgraph.annotate.dictionary import descriptor_entries

    entries = descriptor_entries(
        [
            ("MESH:D000001", "Zorbitol"),  # a chemical's suffix
            ("MESH:D000002", "Kidney Injury, Zorbic"),  # inverted: also "Zorbic Kidney Injury"
            ("MESH:D000003", "Zorbamides"),  # a plural: a class, left out
            ("MESH:D000004", "Zorb Cells"),  # cells, neither
            ("MESH:D000005", "Zorbex"),  # no telling suffix, but the corpus types its id
            ("MESH:D000077208", "Zorbanil"),  # a post-2017 id: the corpus uses another one
        ],
        {"MESH:D000005": "Chemical"},
    )
    assert [(e.name, e.concept, e.type) for e in entries] == [
        ("Zorbitol", "MESH:D000001", "Chemical"),
        ("Kidney Injury, Zorbic", "MESH:D000002", "Disease"),
        ("Zorbic Kidney Injury", "MESH:D000002", "Disease"),
        ("Zorbex", "MESH:D000005", "Chemical"),
    ]
    m = Matcher(with_variants(entries, rules), rules)
    assert found(m, "Zorbic kidney injury after zorbitol.") == [
        ("Zorbic kidney injury", "MESH:D000002"),
        ("zorbitol", "MESH:D000001"),
    ]


@pytest.mark.corpus
def test_e1_with_a_descriptor_table_finds_ids_the_gold_strings_lack(
    shared_corpora: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A descriptor naming an id of the scored documents that no gold string names adds it to
    the rules' figures; the figures without the table stay in the row's extra, and equal the row
    of a run that has no table."""
    bench = _bench()
    monkeypatch.setattr(bench, "MESH_DIR", tmp_path / "nothing here")
    plain = bench.e1(20, tune=True)
    docs = bench._docs(
        shared_corpora / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt", "pubtator", 20
    )
    train = bench._docs(shared_corpora / "bc5cdr" / "CDR_TrainingSet.PubTator.txt", "pubtator", 20)
    known = {c for d in train for m in d.mentions for c in m.concepts}
    new = {
        (c, m.text)
        for d in docs
        for m in d.mentions
        if m.type == "Disease" and len(m.concepts) == 1 and m.text.isalpha() and len(m.text) > 6
        for c in m.concepts
        if c not in known and bench.re.fullmatch(r"MESH:D\d{6}", c)
    }
    assert new, "the first 20 Development abstracts have diseases the first 20 Training ones lack"
    table = tmp_path / "mesh.csv"
    table.write_text(
        "id,scheme,subject\n"
        + "".join(f"https://id.nlm.nih.gov/mesh/{c[5:]},MeSH,{name}\n" for c, name in new),
        encoding="utf-8",
    )
    row = bench.e1(20, tune=True, mesh=table)
    assert "MeSH descriptor names" in row.what and row.extra["MeSH descriptor table"]["descriptors"]
    without = row.extra["gold strings only"]["Disease"]
    assert row.rules["Disease"]["tp"] > without["tp"]
    assert plain.rules["Disease"] == without and "no MeSH vocabulary" in plain.what
