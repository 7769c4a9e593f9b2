"""The gold reader: standoff annotations in the repository, abstract text from ../shared/corpora.

Tests that need the abstracts skip, saying why, when the corpora are absent; the checks on the
repository's own files (no abstract text stored, well-formed lines) run everywhere.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import warnings
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgraph.errors import FormatError
from kgraph.formats import gold, pubtator, read, resolve
from kgraph.grounding import Lexicon
from kgraph.model import Document

GOLD = gold.gold_dir()
SKIP = gold.skip_reason(GOLD)
needs_corpora = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")

#: Mention types the corpus's own Chemical / Disease annotations may carry in the gold set.
COMPATIBLE = {
    "Chemical": {"Compound", "Enantiomer", "Metabolite", "DrugClass"},
    "Disease": {"Condition", "AdverseEffect", "Phenotype", "TherapeuticOutcome"},
}


def ann_files() -> list[Path]:
    return sorted(GOLD.glob("*.ann"))


@cache
def documents() -> tuple[Document, ...]:
    return tuple(read(GOLD))


@cache
def pubtator_docs(path: Path) -> dict[str, Document]:
    return {d.id: d for d in pubtator.read(path)}


def lines_of(ann: Path, kind: str) -> list[list[str]]:
    return [
        line.split("\t")
        for line in ann.read_text(encoding="utf-8").splitlines()
        if line.startswith(kind)
    ]


def test_a_gold_folder_is_detected_and_the_bundled_corpus_is_not():
    from kgraph.vocab import corpus_dir

    assert resolve(GOLD).name == "gold"
    assert resolve(corpus_dir()).name == "kgraph"


def test_the_repository_stores_offsets_only():
    assert len(ann_files()) >= 15
    for ann in ann_files():
        for n, fields in enumerate(lines_of(ann, "T"), 1):
            assert len(fields) == 2, f"{ann.name}: T line {n} has a text column"
            assert re.fullmatch(r"\w+ \d+ \d+(;\d+ \d+)*", fields[1]), f"{ann.name}: {fields}"


@needs_corpora
def test_no_abstract_text_is_copied_into_the_repository():
    """No run of eight words of any abstract appears in any file of the gold folder."""
    files = " ".join(
        re.findall(r"\w+", " ".join(p.read_text(encoding="utf-8") for p in GOLD.iterdir()).lower())
    )
    for doc in documents():
        words = re.findall(r"\w+", doc.text.lower())
        for i in range(len(words) - 7):
            run = " ".join(words[i : i + 8])
            assert f" {run} " not in f" {files} ", f"PMID {doc.id}: {run!r} is in the gold folder"


@needs_corpora
def test_counts_per_document_match_the_annotation_files():
    docs = documents()
    assert [d.id for d in docs] == [str(e["pmid"]) for e in gold._manifest(GOLD)[2]]
    for doc in docs:
        ann = GOLD / f"{doc.id}.ann"
        relations = lines_of(ann, "R")
        claims = [r for r in relations if r[1].split()[0] not in ("comparator", "mediator")]
        attributes = [a[1].split() for a in lines_of(ann, "A")]
        questions = {a[1] for a in attributes if a[0] == "ResearchQuestion"}
        negated = {a[1] for a in attributes if a[0] == "Negated"}
        assert len(doc.mentions) == len(lines_of(ann, "T")), doc.id
        kept = [r for r in claims if gold._HAS_QUALIFIERS or r[0] not in questions]
        assert len(doc.relations) == len(kept), doc.id
        assert sum(r.negated for r in doc.relations) == len(negated), doc.id
        assert all(r.evidence_level for r in doc.relations), doc.id
        assert doc.metadata["source_type"] == "PeerReviewedArticle"
        assert doc.metadata["pmid"] == doc.id and doc.source == str(ann)


@needs_corpora
def test_offsets_land_on_the_corpus_own_entities():
    """Where a gold mention has the span of a BC5CDR annotation, the types and MeSH ids agree.

    A gold mention may differ from the corpus's identifier only with an annotator note saying why
    (e.g. "ketamine" that names the S-ketamine a study gave); such overrides stay few.
    """
    lexicon = Lexicon.load()
    entries = {str(e["pmid"]): e for e in gold._manifest(GOLD)[2]}
    root = gold._corpora(*gold._manifest(GOLD)[:2], None)
    checked = Counter()
    for doc in documents():
        e = entries[doc.id]
        source = pubtator_docs(root / e["corpus"] / e["file"])[doc.id]
        assert source.text == doc.text
        theirs = {(m.start, m.end): m for m in source.mentions}
        noted = {n[1].split()[1] for n in lines_of(GOLD / f"{doc.id}.ann", "#")}
        for m in doc.mentions:
            other = theirs.get((m.start, m.end))
            if other is None:
                continue
            assert m.type in COMPATIBLE[other.type], (doc.id, m.id, m.type, other.type)
            checked["type"] += 1
            mesh = {c for c in other.concepts if c.startswith("MESH:")}
            mine = {lexicon.entity_for_curie(c) for c in m.concepts}
            if mesh and m.concepts:
                if mine & {lexicon.entity_for_curie(c) for c in mesh}:
                    checked["id"] += 1
                else:
                    assert m.id in noted, (doc.id, m.id, m.concepts, sorted(mesh))
                    checked["override"] += 1
    assert checked["type"] >= 300 and checked["id"] >= 250 and checked["override"] <= 10, checked


@needs_corpora
def test_qualifiers_and_questions_come_through():
    rels = [r for d in documents() for r in d.relations]
    if gold._HAS_QUALIFIERS:
        assert any(r.mediation == "Independent" and r.mediator for r in rels)
        assert any(r.comparison == "More" and r.comparator for r in rels)
        assert any(r.degree == "Strong" for r in rels)
        assert any(r.question for r in rels)
    else:
        assert any(r.attributes.get("Mediation") == "Independent" for r in rels)
        assert any("comparator" in r.attributes for r in rels)
        assert not any("ResearchQuestion" in r.attributes for r in rels)
    assert any(r.certainty == "Hedged" for r in rels) and any(r.negated for r in rels)


def copy_gold(tmp_path: Path) -> Path:
    target = tmp_path / "gold"
    shutil.copytree(GOLD, target)
    manifest = target / "manifest.toml"
    # keep the corpora where they are: point the copy back at them
    text = manifest.read_text(encoding="utf-8")
    root = gold._corpora(*gold._manifest(GOLD)[:2], None)
    manifest.write_text(
        re.sub(r'(?m)^corpora = ".*"', f"corpora = {str(root)!r}".replace("'", '"'), text),
        encoding="utf-8",
    )
    return target


@needs_corpora
def test_a_changed_checksum_is_an_error_naming_the_file(tmp_path):
    target = copy_gold(tmp_path)
    manifest = target / "manifest.toml"
    first = gold._manifest(GOLD)[2][0]
    text = manifest.read_text(encoding="utf-8").replace(first["sha256"], "0" * 64)
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        list(read(target))
    message = str(info.value)
    assert str(manifest) in message and first["file"] in message and first["pmid"] in message
    assert "has changed" in message and info.value.line is not None


@needs_corpora
def test_a_changed_abstract_is_an_error_naming_the_corpus_file(tmp_path):
    root = gold._corpora(*gold._manifest(GOLD)[:2], None)
    first = gold._manifest(GOLD)[2][0]
    corpora = tmp_path / "corpora"
    shutil.copytree(root / first["corpus"], corpora / first["corpus"])
    path = corpora / first["corpus"] / first["file"]
    data = path.read_text(encoding="utf-8")
    prefix = f"{first['pmid']}|a|"
    at = data.index(prefix) + len(prefix)
    path.write_text(data[:at] + "X" + data[at + 1 :], encoding="utf-8")
    with pytest.raises(FormatError, match=re.escape(str(path))):
        list(read(GOLD, corpora=corpora))


def test_without_the_corpora_the_reader_says_it_skipped(tmp_path):
    missing = tmp_path / "no-corpora"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert list(read(GOLD, corpora=missing)) == []
    [warning] = [w for w in caught if issubclass(w.category, gold.GoldSkipped)]
    assert "skipped the gold set" in str(warning.message) and str(missing) in str(warning.message)
    issues: list[FormatError] = []
    assert list(read(GOLD, corpora=missing, on_issue=issues.append)) == []
    assert len(issues) == 1 and "KGRAPH_CORPORA" in str(issues[0])


@needs_corpora
@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda s: s.replace("\n", "\tcovered\n", 1), "no text column"),
        (lambda s: re.sub(r"(?m)^(T1\t\w+) \d+ \d+", r"\1 5 99999", s), "does not fit"),
        (lambda s: s + "R99\tcauses Arg1:T1 Arg2:T999\n", "T999"),
    ],
)
def test_a_malformed_annotation_file_is_an_error_naming_it(tmp_path, edit, problem):
    target = copy_gold(tmp_path)
    pmid = str(gold._manifest(GOLD)[2][0]["pmid"])
    ann = target / f"{pmid}.ann"
    ann.write_text(edit(ann.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(FormatError, match=problem) as info:
        list(read(target))
    assert info.value.path == str(ann) and info.value.line is not None


@needs_corpora
def test_the_build_adds_the_abstracts_as_research_evidence():
    from kgraph.build import build_store
    from kgraph.store import open_store

    store = open_store("memory:")
    report = build_store(store, [GOLD])
    assert report.documents == len(ann_files())
    result = store.query(
        "PREFIX kgo: <https://w3id.org/kgraph/ontology#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?id WHERE { ?d kgo:sourceType kgo:PeerReviewedArticle ; dcterms:identifier ?id }"
    )
    ids = sorted(str(getattr(row[0], "value", row[0])) for row in result.rows)
    assert ids == sorted(f"PMID:{p.stem}" for p in ann_files())


@needs_corpora
def test_the_readme_statistics_match_the_files():
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- statistics -->\n", 1)[1].split("\n<!-- /statistics -->", 1)[0]
    docs = list(read(GOLD, raw=True))
    assert block == gold.statistics_table(gold.statistics(docs))
    stats = gold.statistics(docs)
    assert stats["abstracts"] == len(ann_files())
    assert sum(stats["mentions"].values()) == sum(len(lines_of(a, "T")) for a in ann_files())


@needs_corpora
def test_each_entity_has_one_type_and_the_lexicon_s_class():
    """The builder gives an entity one class: the gold set types each concept one way, the lexicon's."""
    lexicon = Lexicon.load()
    types: dict[str, set[str]] = {}
    for doc in read(GOLD, raw=True):
        for m in doc.mentions:
            for curie in m.concepts:
                types.setdefault(curie, set()).add(m.type)
                entity = lexicon.entity_for_curie(curie)
                cls = lexicon.entity_class.get(entity) if entity else None
                if cls is not None:
                    assert cls.rsplit("#", 1)[-1] == m.type, (doc.id, m.id, curie, m.type, cls)
    mixed = {c: t for c, t in types.items() if len(t) > 1}
    assert not mixed, mixed


# --- fuzzing: whatever the files hold, reading gives documents or a FormatError, nothing else ---


def one_document_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A gold folder with the first abstract only (fast), pointing at the real corpora."""
    target = copy_gold(tmp_path)
    source = (target / "manifest.toml").read_text(encoding="utf-8")
    head, _, rest = source.partition("[[document]]")
    first = "[[document]]" + rest.split("[[document]]")[0]
    (target / "manifest.toml").write_text(head + first, encoding="utf-8")
    pmid = str(gold._manifest(target)[2][0]["pmid"])
    return target, target / f"{pmid}.ann"


def fuzz(test):
    """A hypothesis test over a fresh one-abstract copy of the gold set (see one_document_copy)."""
    quick = settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    return needs_corpora(quick(given(data=st.data())(test)))


def read_or_format_error(path: Path) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gold.GoldSkipped)  # a mutated corpora path: skipped
            docs = list(read(path))
        for doc in docs:
            for m in doc.mentions:
                assert 0 <= m.start < m.end <= len(doc.text)
    except FormatError as e:
        assert e.path is not None


@fuzz
def test_fuzz_annotation_file(tmp_path, data):
    target, ann = one_document_copy(Path(tempfile.mkdtemp(dir=tmp_path)))
    raw = bytearray(ann.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.sampled_from(b"\t \n;:0123456789TRANA#-x\xff"))
    ann.write_bytes(bytes(raw))
    read_or_format_error(target)


@fuzz
def test_fuzz_manifest(tmp_path, data):
    target, _ = one_document_copy(Path(tempfile.mkdtemp(dir=tmp_path)))
    manifest = target / "manifest.toml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    at = data.draw(st.integers(0, len(lines) - 1))
    key = lines[at].split("=", 1)[0] if "=" in lines[at] else "pmid "
    value = data.draw(
        st.one_of(
            st.text(max_size=30).map(json.dumps),
            st.integers(-5, 10**12).map(str),
            st.sampled_from(['"../../etc"', '"bc5cdr/../x"', "[1, 2]", '"9" ', "{}"]),
        )
    )
    lines[at] = f"{key}= {value}"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read_or_format_error(target)


def relation_signatures() -> dict[str, tuple[set[str], set[str]]]:
    """Subject and object types of each relation type, from ``corpus/annotation.conf``."""
    conf = (Path(__file__).resolve().parents[2] / "corpus" / "annotation.conf").read_text()
    section, out = "", {}
    for line in conf.splitlines():
        if line.startswith("["):
            section = line.strip()
        elif section == "[relations]" and line.strip() and not line.startswith("#"):
            name, args = line.split(None, 1)
            a1, a2 = (re.search(rf"{k}:([^,]+)", args).group(1).strip() for k in ("Arg1", "Arg2"))
            out[name] = (set(a1.split("|")), set(a2.split("|")))
    return out


@needs_corpora
def test_every_relation_respects_the_domain_and_range_of_its_property():
    signatures = relation_signatures()
    checked = 0
    for doc in read(GOLD, raw=True):
        for r in doc.relations:
            if r.type in ("comparator", "mediator"):
                continue
            domain, range_ = signatures[r.type]
            subject, obj = doc.mention(r.subject).type, doc.mention(r.object).type
            assert "<ENTITY>" in domain or subject in domain, (doc.id, r.id, r.type, subject)
            assert "<ENTITY>" in range_ or obj in range_, (doc.id, r.id, r.type, obj)
            checked += 1
    assert checked >= 250
