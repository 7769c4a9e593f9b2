"""Fuzzing every registered reader: hostile bytes give documents or a FormatError, nothing else.

For each reader of :func:`kgraph.formats.formats` (the kgraph corpus format has its own module,
``test_corpus_fuzz.py``):

(a) arbitrary bytes, and random runs of the format's own tokens, written to a file the reader
    takes → a list of documents or a :class:`~kgraph.errors.FormatError` naming the file — never
    another exception, never a hang (a hard ``SIGALRM`` timeout per read);
(b) the real sample files of ``tests/data/<format>/`` (valid and malformed) after byte-, line-,
    number- and structure-level mutations → the same;
(c) documents the reader accepts build leniently into a memory store with no exception but
    Format/GroundingError;
(d) documents generated in each format's own syntax, with emoji, RTL and markup in their text,
    read back with the same text, spans and relations (offsets are code points everywhere);

plus bounded memory on a 50 MB single-line input and on deeply nested JSON/XML, and one
regression test per bug the fuzzing found.
"""

from __future__ import annotations

import json
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgraph.build import Builder
from kgraph.errors import FormatError
from kgraph.formats import formats
from kgraph.store import open_store

DATA = Path(__file__).resolve().parents[1] / "data"

#: The file-based readers fuzzed here, with the file name their input is written to. A reader
#: registered later and missing here fails :func:`test_every_reader_is_fuzzed`.
FILE_NAME = {
    "brat": "doc.ann",
    "pubtator": "sample.pubtator",
    "bioc-xml": "sample.bioc.xml",
    "bioc-json": "sample.bioc.json",
    "pubannotation": "sample.json",
}
CORPUS_READERS = {"kgraph", "gold"}  # fuzzed in test_corpus_fuzz.py and tests/formats/test_gold.py

#: Real small files of each format (valid ones and the malformed catalogue) to mutate.
SEEDS: dict[str, list[Path]] = {
    "brat": sorted((DATA / "brat").glob("*.ann")),
    "pubtator": sorted(
        [*(DATA / "pubtator").glob("*.txt"), *(DATA / "pubtator" / "malformed").glob("*")]
    ),
    "bioc-xml": sorted(
        p
        for p in [*(DATA / "bioc").glob("*"), *(DATA / "bioc" / "malformed").glob("*")]
        if p.suffix.lower() == ".xml"
    ),
    "bioc-json": sorted(
        [
            *(DATA / "bioc").glob("*.JSON"),
            *(DATA / "bioc" / "malformed").glob("*.bioc.json"),
        ]
    ),
    "pubannotation": sorted(
        [
            *(DATA / "pubannotation").glob("*.json*"),
            *(DATA / "pubannotation" / "malformed").glob("*"),
        ]
    ),
}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def write_input(work: Path, fmt: str, data: bytes, *, name: str | None = None) -> Path:
    """Write ``data`` where reader ``fmt`` reads it; a brat ``.ann`` gets a ``.txt`` beside it."""
    folder = work / fmt
    folder.mkdir(exist_ok=True)
    path = folder / (name or FILE_NAME[fmt])
    path.write_bytes(data)
    if fmt == "brat" and not path.with_suffix(".txt").exists():
        path.with_suffix(".txt").write_text("Ketamine blocks NMDA receptors.\n" * 4)
    return path


def test_every_reader_is_fuzzed() -> None:
    assert set(formats()) == set(FILE_NAME) | CORPUS_READERS
    for fmt, seeds in SEEDS.items():
        assert len(seeds) >= 2, f"no sample files of {fmt} to mutate"


# ---------------------------------------------------------------------------------------------
# (a) arbitrary bytes, and random runs of the format's tokens

TOKENS: dict[str, list[str]] = {
    "brat": [
        *"\t \n\r;:",
        "T1",
        "T2",
        "R1",
        "N1",
        "A1",
        "M1",
        "E1",
        "#1",
        "*",
        "Compound",
        "Receptor",
        "antagonistOf",
        "Arg1:T1",
        "Arg2:T2",
        "Arg2:T9",
        "Reference",
        "MESH:D007649",
        "kg:ketamine",
        "Negated",
        "Certainty",
        "Hedged",
        "EvidenceLevel",
        "AnnotatorNotes",
        "__line__Certainty",
        "__note__",
        "0",
        "8",
        "16",
        "30",
        "-1",
        "99999",
        "Ketamine",
    ],
    "pubtator": [
        *"\t \n\r|,;-",
        "123",
        "456",
        "|t|",
        "|a|",
        "Chemical",
        "Disease",
        "Gene",
        "SequenceVariant",
        "D001241",
        "D010146",
        "-1",
        "CID",
        "Association",
        "0",
        "7",
        "12",
        "16",
        "Novel",
        "p|SUB|E|333|D",
        "tmVar:",
        "RS#:",
        "Aspirin",
    ],
    "bioc-xml": [
        *"<>/=\"' \n&;",
        "<collection>",
        "</collection>",
        "<document>",
        "</document>",
        "<id>1</id>",
        "<passage>",
        "</passage>",
        "<offset>0</offset>",
        "<offset>",
        "</offset>",
        "<text>",
        "</text>",
        "<annotation id='1'>",
        "</annotation>",
        "<location offset='0' length='3'/>",
        "<infon key='type'>Chemical</infon>",
        "<infon key='MESH'>D001</infon>",
        "<relation id='R1'>",
        "</relation>",
        "<node refid='1' role='a'/>",
        "<sentence>",
        "</sentence>",
        "<!DOCTYPE collection SYSTEM 'BioC.dtd'>",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#x1F600;",
    ],
}
JSON_KEYS = [
    "documents",
    "id",
    "infons",
    "passages",
    "offset",
    "text",
    "annotations",
    "locations",
    "length",
    "relations",
    "nodes",
    "refid",
    "role",
    "type",
    "identifier",
    "entity1",
    "entity2",
    "sentences",
    "sourcedb",
    "sourceid",
    "divid",
    "target",
    "project",
    "tracks",
    "denotations",
    "span",
    "begin",
    "end",
    "obj",
    "subj",
    "pred",
    "attributes",
    "modifications",
]
JSON_WORDS = [
    "T1",
    "T2",
    "R1",
    "1",
    "Chemical",
    "Disease",
    "Gene:4790",
    "GO:0051179",
    "_FRAGMENT",
    "_lexicallyChainedTo",
    "negation",
    "certainty",
    "identifier",
    "MESH:D001",
    "D001",
    "CID",
    "title",
    "http://purl.obolibrary.org/obo/GO_0051179",
    "\ud800",
    "",
]
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 60)
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(JSON_WORDS)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(JSON_KEYS) | st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=40,
)


def json_bytes(value: Any, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def token_runs(fmt: str) -> st.SearchStrategy[bytes]:
    pieces = st.sampled_from(TOKENS[fmt]) | st.text(max_size=4)
    return st.lists(pieces, max_size=80).map(lambda p: "".join(p).encode("utf-8", "surrogatepass"))


READERS = sorted(FILE_NAME)


@pytest.mark.parametrize("fmt", READERS)
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes(fuzz, work: Path, fmt: str, data: bytes) -> None:
    path = write_input(work, fmt, data)
    fuzz.read(fmt, path)
    fuzz.read(fmt, path, lenient=True)


@pytest.mark.parametrize("fmt", ["brat", "pubtator", "bioc-xml"])
@given(st.data())
def test_token_soup(fuzz, work: Path, fmt: str, data: st.DataObject) -> None:
    path = write_input(work, fmt, data.draw(token_runs(fmt)))
    if fmt == "brat":  # the text the offsets point into is fuzzed too
        path.with_suffix(".txt").write_bytes(data.draw(token_runs("brat")))
    result = fuzz.read(fmt, path, lenient=True)
    if isinstance(result, list):
        fuzz.build(result)


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("bioc-json", "s.bioc.json"), ("pubannotation", "s.json"), ("pubannotation", "s.jsonl")],
)
@given(value=json_values, ascii_only=st.booleans())
def test_arbitrary_json(
    fuzz, work: Path, fmt: str, name: str, value: Any, ascii_only: bool
) -> None:
    raw = json_bytes(value, ascii_only)
    path = write_input(work, fmt, raw, name=name)
    result = fuzz.read(fmt, path, lenient=True)
    if isinstance(result, list):
        fuzz.build(result)


# ---------------------------------------------------------------------------------------------
# (b) mutated real files, (c) built


def _json_paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _json_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _json_paths(v, (*path, i))
    return out


@st.composite
def json_mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    """A structural mutation of a JSON (or JSON Lines) file: one value replaced or removed."""
    lines = raw.split(b"\n") if raw.lstrip()[:1] == b"{" and b"\n{" in raw else [raw]
    i = draw(st.integers(0, len(lines) - 1))
    try:
        doc = json.loads(lines[i])
    except ValueError:
        return raw
    paths = _json_paths(doc)
    where = draw(st.sampled_from(paths))
    action = draw(st.sampled_from(("replace", "delete", "wrap", "stringify", "duplicate")))
    if not where:
        doc = draw(json_values) if action == "replace" else [doc]
    else:
        parent = doc
        for key in where[:-1]:
            parent = parent[key]
        key = where[-1]
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif action == "wrap":
            parent[key] = [parent[key]]
        elif action == "stringify":
            parent[key] = json.dumps(parent[key])
        elif isinstance(parent, list):
            parent.append(parent[key])
        elif isinstance(parent[key], list) and parent[key]:
            parent[key].append(parent[key][0])
    lines[i] = json_bytes(doc, draw(st.booleans()))
    return b"\n".join(lines)


@st.composite
def xml_mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    """A structural mutation of an XML file: an element removed, duplicated, moved or retexted."""
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return raw
    elements = list(root.iter())
    parents = {child: parent for parent in elements for child in parent}
    target = draw(st.sampled_from(elements))
    action = draw(st.sampled_from(("remove", "duplicate", "text", "attribute", "move")))
    parent = parents.get(target)
    if action == "remove" and parent is not None:
        parent.remove(target)
    elif action == "duplicate" and parent is not None:
        parent.insert(list(parent).index(target), target)
    elif action == "move" and parent is not None:
        other = draw(st.sampled_from(elements))
        if other is not target and target not in other.iter():
            parent.remove(target)
            other.append(target)
    elif action == "text":
        target.text = draw(st.sampled_from(["", "-1", "x", "99999999", "1" * 40]) | st.text())
    else:
        key = draw(st.sampled_from(["offset", "length", "id", "refid", "key", "role"]))
        target.set(key, draw(st.sampled_from(["", "-1", "x", "3", "1" * 40]) | st.text()))
    try:
        return ET.tostring(root, encoding="utf-8")
    except ValueError:  # text that XML cannot carry (control characters): keep the original
        return raw


def mutations(fuzz, fmt: str, original: bytes) -> st.SearchStrategy[bytes]:
    plain = fuzz.mutated(original)
    if fmt in ("bioc-json", "pubannotation"):
        structural = json_mutated(original)
        return st.one_of(plain, structural, structural.flatmap(fuzz.mutated))
    if fmt == "bioc-xml":
        return st.one_of(plain, xml_mutated(original), xml_mutated(original).flatmap(xml_mutated))
    return plain


@pytest.mark.parametrize("fmt", READERS)
@given(data=st.data())
def test_mutated_sample_files(fuzz, work: Path, fmt: str, data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS[fmt]), label="seed")
    if fmt == "brat" and data.draw(st.booleans(), label="mutate the .txt"):
        # mutate the text the offsets point into, keep the annotations
        ann = write_input(work, fmt, seed.read_bytes())
        txt = seed.with_suffix(".txt").read_bytes()
        ann.with_suffix(".txt").write_bytes(data.draw(fuzz.mutated(txt), label="txt"))
        path = ann
    else:
        mutated = data.draw(mutations(fuzz, fmt, seed.read_bytes()), label="input")
        name = FILE_NAME[fmt] if fmt != "pubannotation" else "sample" + "".join(seed.suffixes)
        path = write_input(work, fmt, mutated, name=name)
        if fmt == "brat":
            path.with_suffix(".txt").write_bytes(seed.with_suffix(".txt").read_bytes())
    fuzz.read(fmt, path)
    result = fuzz.read(fmt, path, lenient=True)
    if isinstance(result, list):
        fuzz.build(result)


# ---------------------------------------------------------------------------------------------
# (d) generated documents in each format's syntax, read back exactly

#: Words with what breaks naive code: markup, quotes, backslashes, RTL marks, emoji.
WORDS = [
    "ketamine",
    "NMDA",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '"onmouseover="x',
    "it's",
    "C:\\path\\n",
    "كيتامين",
    "קטמין",
    "\u202eevil",
    "😀",
    "🧠🧪",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "&amp;",
    "]]>",
]
word = st.sampled_from(WORDS) | st.text(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S"), exclude_characters="|\t"),
    min_size=1,
    max_size=8,
)


@dataclass(frozen=True)
class Generated:
    """A document as data: a title, an abstract (no newlines), mentions on words, relations."""

    title: list[str]
    abstract: list[str]
    mentions: list[tuple[int, str, int]]  # (word index into title+abstract, type, concept number)
    relations: list[tuple[int, int]]  # (mention index, mention index)

    @property
    def words(self) -> list[str]:
        return self.title + self.abstract

    @property
    def text(self) -> str:
        return " ".join(self.title) + "\n" + " ".join(self.abstract)

    def span(self, k: int) -> tuple[int, int]:
        i = self.mentions[k][0]
        before = self.words[:i]
        start = sum(len(w) + 1 for w in before)  # the newline after the title is one character
        return start, start + len(self.words[i])


@st.composite
def generated(draw: st.DrawFn) -> Generated:
    title = draw(st.lists(word, min_size=1, max_size=6))
    abstract = draw(st.lists(word, min_size=1, max_size=12))
    n = len(title) + len(abstract)
    idx = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=6))
    mentions = [
        (i, draw(st.sampled_from(["Chemical", "Disease"])), draw(st.integers(1, 3))) for i in idx
    ]
    relations = []
    if len(mentions) >= 2:
        pairs = st.tuples(st.integers(0, len(mentions) - 1), st.integers(0, len(mentions) - 1))
        relations = [p for p in draw(st.lists(pairs, max_size=4)) if p[0] != p[1]]
    return Generated(title, abstract, mentions, relations)


BRAT_TYPE = {"Chemical": "Compound", "Disease": "Condition"}


def to_brat(g: Generated) -> tuple[bytes, bytes]:
    ann = []
    for k, (i, mtype, concept) in enumerate(g.mentions, 1):
        s, e = g.span(k - 1)
        ann.append(f"T{k}\t{BRAT_TYPE[mtype]} {s} {e}\t{g.words[i]}")
        ann.append(f"N{k}\tReference T{k} MESH:D00{concept}\t{g.words[i]}")
    for j, (a, b) in enumerate(g.relations, 1):
        ann.append(f"R{j}\tinduces Arg1:T{a + 1} Arg2:T{b + 1}\t")
        ann.append(f"A{j}\tEvidenceLevel R{j} Review")
    return g.text.encode(), ("\n".join(ann) + "\n").encode()


def _concept_pairs(g: Generated) -> list[tuple[str, str]]:
    return [(f"D00{g.mentions[a][2]}", f"D00{g.mentions[b][2]}") for a, b in g.relations]


def to_pubtator(g: Generated) -> bytes:
    lines = [f"77|t|{' '.join(g.title)}", f"77|a|{' '.join(g.abstract)}"]
    for k, (i, mtype, concept) in enumerate(g.mentions):
        s, e = g.span(k)
        lines.append(f"77\t{s}\t{e}\t{g.words[i]}\t{mtype}\tD00{concept}")
    lines += [f"77\tCID\t{a}\t{b}" for a, b in _concept_pairs(g)]
    return ("\n".join(lines) + "\n\n").encode()


def _bioc_relations(g: Generated) -> list[dict[str, str]]:
    return [{"type": "CID", "Chemical": a, "Disease": b} for a, b in _concept_pairs(g)]


def to_bioc_xml(g: Generated) -> bytes:
    def infons(d: dict[str, str]) -> str:
        return "".join(f"<infon key={quoteattr(k)}>{escape(v)}</infon>" for k, v in d.items())

    anns = []
    for k, (i, mtype, concept) in enumerate(g.mentions):
        s, e = g.span(k)
        anns.append(
            f"<annotation id='{k}'>{infons({'type': mtype, 'MESH': f'D00{concept}'})}"
            f"<location offset='{s}' length='{e - s}'/><text>{escape(g.words[i])}</text>"
            "</annotation>"
        )
    rels = [f"<relation id='R{j}'>{infons(r)}</relation>" for j, r in enumerate(_bioc_relations(g))]
    title, abstract = " ".join(g.title), " ".join(g.abstract)
    return (
        "<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE collection SYSTEM 'BioC.dtd'>"
        "<collection><source>fuzz</source><document><id>77</id>"
        f"<passage><infon key='type'>title</infon><offset>0</offset><text>{escape(title)}</text>"
        f"</passage><passage><infon key='type'>abstract</infon><offset>{len(title) + 1}</offset>"
        f"<text>{escape(abstract)}</text>{''.join(anns)}</passage>{''.join(rels)}</document>"
        "</collection>"
    ).encode()


def to_bioc_json(g: Generated) -> bytes:
    title, abstract = " ".join(g.title), " ".join(g.abstract)
    anns = []
    for k, (i, mtype, concept) in enumerate(g.mentions):
        s, e = g.span(k)
        anns.append(
            {
                "id": str(k),
                "infons": {"type": mtype, "identifier": f"D00{concept}"},
                "text": g.words[i],
                "locations": [{"offset": s, "length": e - s}],
            }
        )
    doc = {
        "id": "77",
        "passages": [
            {"infons": {"type": "title"}, "offset": 0, "text": title},
            {"infons": {"type": "abstract"}, "offset": len(title) + 1, "text": abstract},
        ],
        "relations": [
            {"id": f"R{j}", "infons": r, "nodes": []} for j, r in enumerate(_bioc_relations(g))
        ],
    }
    doc["passages"][1]["annotations"] = anns
    return json.dumps({"source": "fuzz", "documents": [doc]}).encode()


def to_pubannotation(g: Generated) -> bytes:
    dens = [
        {"id": f"T{k}", "span": {"begin": s, "end": e}, "obj": f"{mtype}:D00{concept}"}
        for k, ((_, mtype, concept), (s, e)) in enumerate(
            zip(g.mentions, [g.span(k) for k in range(len(g.mentions))], strict=True)
        )
    ]
    rels = [
        {"id": f"R{j}", "subj": f"T{a}", "pred": "CID", "obj": f"T{b}"}
        for j, (a, b) in enumerate(g.relations)
    ]
    doc = {
        "sourcedb": "PubMed",
        "sourceid": "77",
        "text": g.text,
        "denotations": dens,
        "relations": rels,
    }
    return json.dumps(doc, ensure_ascii=False).encode()


SERIALISERS: dict[str, Callable[[Generated], bytes]] = {
    "pubtator": to_pubtator,
    "bioc-xml": to_bioc_xml,
    "bioc-json": to_bioc_json,
    "pubannotation": to_pubannotation,
}


@pytest.mark.parametrize("fmt", READERS)
@given(g=generated())
def test_generated_documents_read_back_exactly(fuzz, work: Path, fmt: str, g: Generated) -> None:
    if fmt == "brat":
        txt, ann = to_brat(g)
        path = write_input(work, fmt, ann)
        path.with_suffix(".txt").write_bytes(txt)
    else:
        path = write_input(work, fmt, SERIALISERS[fmt](g))
    result = fuzz.read(fmt, path)
    assert isinstance(result, list), f"a valid {fmt} document was refused: {result}"
    [doc] = result
    assert doc.text == g.text
    spans = sorted((m.spans[0].start, m.spans[0].end, m.text) for m in doc.mentions)
    want = sorted((*g.span(k), g.words[i]) for k, (i, _, _) in enumerate(g.mentions))
    assert spans == want
    for m in doc.mentions:  # offsets are code points: the span covers the mention's text
        assert m.covered(doc.text) == m.text
    assert len(doc.relations) == len(g.relations)
    builder = Builder(lenient=True)
    store = open_store("memory:")
    with fuzz.timeout():
        store.replace(builder.lines(result))
    assert not builder.report.skipped, builder.report.warnings
    assert builder.report.relations == len(g.relations)


# ---------------------------------------------------------------------------------------------
# Memory: a 50 MB single line, deep nesting, a huge offset

BIG = 50 * 2**20


def peak_memory(fn: Callable[[], object]) -> tuple[object, int]:
    """Run ``fn``; return its result (or the FormatError it raised) and its peak allocation."""
    tracemalloc.start()
    try:
        try:
            result: object = fn()
        except FormatError as e:
            result = e
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def huge_line(fmt: str) -> bytes:
    """A valid-looking input of about 50 MB on one line (the document text is the long part)."""
    pad = "a" * BIG
    if fmt == "brat":
        return b"T1\tCompound 0 8\t" + pad.encode()  # a 50 MB text column
    if fmt == "pubtator":
        return f"1|t|{pad}".encode()
    if fmt == "bioc-xml":
        return (
            "<collection><document><id>1</id><passage><offset>0</offset>"
            f"<text>{pad}</text></passage></document></collection>"
        ).encode()
    if fmt == "bioc-json":
        return json.dumps(
            {"documents": [{"id": "1", "passages": [{"offset": 0, "text": pad}]}]}
        ).encode()
    return json.dumps({"text": pad}).encode()


def consume(docs) -> int:
    """Read documents one at a time, as the builder does, keeping none."""
    n = 0
    for _ in docs:
        n += 1
    return n


@pytest.mark.parametrize("fmt", READERS)
def test_50_mb_single_line_is_read_in_bounded_memory(work: Path, fmt: str) -> None:
    path = write_input(work, fmt, huge_line(fmt), name="big" + Path(FILE_NAME[fmt]).name[3:])
    if fmt == "brat":
        path.with_suffix(".txt").write_text("Ketamine\n")
    reader = formats()[fmt]
    result, peak = peak_memory(lambda: consume(reader.read(path, on_issue=lambda e: None)))
    # a constant factor of the input: the line, its decoded text and a copy or two of it
    assert peak < 6 * BIG, f"{fmt}: peak {peak / 2**20:.0f} MiB for a 50 MiB line ({result})"


DEEP = 200_000


@pytest.mark.parametrize(
    ("fmt", "name", "data"),
    [
        ("bioc-json", "deep.bioc.json", b"[" * DEEP + b"]" * DEEP),
        (
            "bioc-json",
            "deep2.bioc.json",
            b'{"documents": [' + b'{"a":' * DEEP + b"1" + b"}" * DEEP + b"]}",
        ),
        ("pubannotation", "deep.json", b"[" * DEEP + b"]" * DEEP),
        (
            "pubannotation",
            "deep.jsonl",
            b'{"text": "x", "a": ' + b"[" * DEEP + b"]" * DEEP + b"}\n",
        ),
        (
            "bioc-xml",
            "deep.xml",
            b"<collection><document>"
            + b"<a>" * DEEP
            + b"</a>" * DEEP
            + b"</document></collection>",
        ),
        ("bioc-xml", "open.xml", b"<collection>" + b"<document>" * DEEP),
    ],
    ids=[
        "bioc-json-list",
        "bioc-json-object",
        "pubannotation",
        "pubannotation-jsonl",
        "xml",
        "xml-unclosed",
    ],
)
def test_deep_nesting_is_refused_in_bounded_memory(
    work: Path, fmt: str, name: str, data: bytes
) -> None:
    path = write_input(work, fmt, data, name=name)
    reader = formats()[fmt]
    result, peak = peak_memory(lambda: consume(reader.read(path)))
    assert isinstance(result, FormatError), result
    assert result.path == str(path)
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("offset", ["1000000000000", "9" * 30])
def test_huge_passage_offset_is_refused_without_allocating_it(work: Path, offset: str) -> None:
    """A passage offset pads the text with that many spaces: 10^12 of them must not be tried."""
    data = (
        "<collection><document><id>1</id><passage><offset>0</offset><text>a</text></passage>"
        f"<passage><offset>{offset}</offset><text>b</text></passage></document></collection>"
    ).encode()
    path = write_input(work, "bioc-xml", data, name="offset.xml")
    result, peak = peak_memory(lambda: consume(formats()["bioc-xml"].read(path)))
    assert isinstance(result, FormatError) and "offset" in result.message, result
    assert peak < 64 * 2**20
    as_json = json.dumps(
        {"documents": [{"id": "1", "passages": [{"offset": int(offset), "text": "b"}]}]}
    ).encode()
    path = write_input(work, "bioc-json", as_json, name="offset.bioc.json")
    result, peak = peak_memory(lambda: consume(formats()["bioc-json"].read(path)))
    assert isinstance(result, FormatError) and "offset" in result.message, result
    assert peak < 64 * 2**20


# ---------------------------------------------------------------------------------------------
# Regressions: each input once crashed a reader or the builder with something not a FormatError


@dataclass(frozen=True)
class Case:
    fmt: str
    name: str
    data: bytes
    words: str  # in the FormatError's message


REGRESSIONS = [
    # int() refuses more than 4300 digits with a ValueError
    Case("brat", "digits.ann", b"T1\tCompound 0 " + b"9" * 5000 + b"\tKetamine\n", "offsets"),
    Case(
        "bioc-json",
        "digits.bioc.json",
        b'{"documents": [{"id": "1", "passages": [{"offset": '
        + b"9" * 5000
        + b', "text": "x"}]}]}',
        "JSON",
    ),
    Case(
        "pubannotation",
        "digits.json",
        b'{"text": "abc", "denotations": [{"id": "T1", "span": {"begin": '
        + b"1" * 5000
        + b', "end": 2}, "obj": "X"}]}',
        "JSON",
    ),
    Case("pubannotation", "digits.jsonl", b'{"text": "abc", "x": ' + b"1" * 5000 + b"}\n", "JSON"),
    # the json module recurses: deep nesting raised RecursionError
    Case("bioc-json", "deep.bioc.json", b"[" * 5000 + b"]" * 5000, "nested"),
    Case("pubannotation", "deep.json", b"[" * 5000 + b"]" * 5000, "nested"),
    Case("pubannotation", "deep.jsonl", b"[" * 5000 + b"]" * 5000 + b"\n", "nested"),
    # str.isdigit() accepts '²' and lstrip('-') accepts '--5'; int() refuses both
    Case(
        "bioc-xml",
        "minus.xml",
        b"<collection><document><id>1</id><passage><offset>--5</offset><text>x</text>"
        b"</passage></document></collection>",
        "not an integer",
    ),
    Case(
        "bioc-xml",
        "super.xml",
        "<collection><document><id>1</id><passage><offset>\u00b2</offset><text>x</text>"
        "</passage></document></collection>".encode(),
        "not an integer",
    ),
    Case(
        "bioc-xml",
        "superloc.xml",
        "<collection><document><id>1</id><passage><offset>0</offset><text>xyz</text>"
        "<annotation id='1'><location offset='\u00b2' length='1'/></annotation>"
        "</passage></document></collection>".encode(),
        "not an integer",
    ),
    # a JSON \\u escape can name half a surrogate pair, which no UTF-8 text holds
    Case("pubannotation", "surrogate.json", b'{"text": "ab\\ud800c"}', "surrogate"),
    Case("pubannotation", "surrogate.jsonl", b'{"text": "ab\\udc00c"}\n', "surrogate"),
    Case(
        "bioc-json",
        "surrogate.bioc.json",
        b'{"documents": [{"id": "1", "passages": [{"offset": 0, "text": "\\ud83d"}]}]}',
        "surrogate",
    ),
    # attribute names starting with __line__ collided with the line numbers the reader keeps
    Case("brat", "dunder.ann", b"T1\tCompound 0 8\tKetamine\nA1\t__line__x T9 abc\n", "__"),
]


@pytest.mark.parametrize("case", REGRESSIONS, ids=[c.name for c in REGRESSIONS])
def test_regression(fuzz, work: Path, case: Case) -> None:
    path = write_input(work, case.fmt, case.data, name=case.name)
    if case.fmt == "brat":
        path.with_suffix(".txt").write_text("Ketamine blocks NMDA receptors.\n")
    result = fuzz.read(case.fmt, path)
    assert isinstance(result, FormatError), result
    assert case.words in result.message, result.message
    assert fuzz.read(case.fmt, path, lenient=True) is not None


def test_valid_surrogate_pairs_in_json_escapes_still_read(work: Path) -> None:
    """The surrogate check must not refuse a pair (an emoji written with ensure_ascii)."""
    path = write_input(work, "pubannotation", b'{"text": "x \\ud83d\\ude00 y"}', name="pair.json")
    [doc] = formats()["pubannotation"].read(path)
    assert doc.text == "x \U0001f600 y"


@pytest.mark.parametrize(
    "target", ["not a url", "http://x/%zz", "javascript:alert(1)", "urn:isbn:0451450523"]
)
def test_document_url_that_is_not_an_http_iri_builds(fuzz, work: Path, target: str) -> None:
    """A PubAnnotation ``target`` (or a manifest ``url``) became ``rdfs:seeAlso <…>`` as it was:
    a relative or badly %-encoded one made the store refuse the whole build (StoreError)."""
    data = json.dumps({"text": "Ketamine.", "sourceid": "9", "target": target}).encode()
    path = write_input(work, "pubannotation", data, name="target.json")
    docs = fuzz.read("pubannotation", path)
    assert isinstance(docs, list)
    assert fuzz.build(docs) > 0


def test_relations_on_a_long_line_without_sentence_ends_build_in_linear_time(
    fuzz, work: Path
) -> None:
    """Each relation's evidence sentence was found by scanning character by character to the
    line's ends: 300 relations on a 200 KB line took 10 s, 500 on 1 MB over a minute."""
    import time

    text = "ketamine " * (2**20 // 9)  # one line, no sentence end
    ann = []
    for i in range(500):
        s = len(text) - 9 * (i + 2)
        ann.append(f"T{2 * i + 1}\tCompound {s} {s + 8}\tketamine")
        ann.append(f"T{2 * i + 2}\tCompound {s + 9} {s + 17}\tketamine")
        ann.append(f"R{i + 1}\tcombinedWith Arg1:T{2 * i + 1} Arg2:T{2 * i + 2}\t")
    path = write_input(work, "brat", ("\n".join(ann) + "\n").encode(), name="long.ann")
    path.with_suffix(".txt").write_text(text)
    docs = fuzz.read("brat", path)
    assert isinstance(docs, list)
    started = time.perf_counter()
    assert fuzz.build(docs) > 0
    assert time.perf_counter() - started < 15
