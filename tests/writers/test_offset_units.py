"""BioC offset units: ``kgraph export --offset-unit utf-16|code-point|utf-8`` on astral-plane text,
and the reader's ``offset_unit`` for files that state none (a Java tool's UTF-16 offsets)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.errors import FormatError
from kgraph.formats import read
from kgraph.model import Document, Mention, Span
from kgraph.writers import write

from .test_writers import ASTRAL_TEXT, _offsets, astral_corpus, built, data_graph  # noqa: F401

UNITS = {
    "utf-16": lambda text: len(text.encode("utf-16-le")) // 2,  # what Java counts
    "code-point": len,  # what Python counts
    "utf-8": lambda text: len(text.encode("utf-8")),  # what C and Rust count
}


@pytest.fixture
def store_dir(astral_corpus, tmp_path):  # noqa: F811
    store = tmp_path / "store"
    r = CliRunner().invoke(main, ["build", "-q", "--store", str(store), str(astral_corpus)])
    assert r.exit_code == 0, r.output
    return store


def _offset_of(raw: str, fmt: str, phrase: str) -> tuple[int, int]:
    if fmt == "bioc-json":
        [d] = json.loads(raw)["documents"]
        [ann] = [x for x in d["passages"][0]["annotations"] if x["text"] == phrase]
        loc = ann["locations"][0]
        return loc["offset"], loc["length"]
    block = raw[: raw.index(f"<text>{phrase}</text>")]
    offset, length = re.findall(r'offset="(\d+)" length="(\d+)"', block)[-1]
    return int(offset), int(length)


@pytest.mark.parametrize("unit", sorted(UNITS))
@pytest.mark.parametrize("fmt", ["bioc-xml", "bioc-json"])
def test_export_offset_unit_option(store_dir, astral_corpus, tmp_path, fmt, unit):  # noqa: F811
    out = tmp_path / f"x.{fmt.replace('-', '.')}"
    args = ["export", "--store", str(store_dir), "--format", fmt, "-o", str(out)]
    r = CliRunner().invoke(main, [*args, "--offset-unit", unit])
    assert r.exit_code == 0, r.output
    assert f"offsets in {unit}" in r.output
    raw = out.read_text(encoding="utf-8")
    assert f"kgraph-{unit}.key" in raw
    for phrase in ("NMDA receptors", "depression"):  # after one and after three astral letters
        a, b = _offsets(ASTRAL_TEXT, phrase)
        count = UNITS[unit]
        assert _offset_of(raw, fmt, phrase) == (
            count(ASTRAL_TEXT[:a]),
            count(ASTRAL_TEXT[a:b]),
        )
    # the three units give three different offsets here, and each reads back to the same graph
    assert (
        len(
            {
                count(ASTRAL_TEXT[: _offsets(ASTRAL_TEXT, "depression")[0]])
                for count in UNITS.values()
            }
        )
        == 3
    )
    assert data_graph(built(out)) == data_graph(built(astral_corpus))


def test_export_offset_unit_is_refused_for_other_formats(store_dir, tmp_path):
    for fmt in ("brat", "nq"):
        r = CliRunner().invoke(
            main,
            ["export", "--store", str(store_dir), "--format", fmt, "-o", str(tmp_path / "o"),
             "--offset-unit", "utf-8"],
        )  # fmt: skip
        assert r.exit_code == 2 and "--offset-unit is for" in r.output


def _java_file(tmp_path, with_infon: bool):
    """A BioC JSON file as a Java tool writes it: UTF-16 offsets, no statement of the unit."""
    doc = Document("j", ASTRAL_TEXT, (Mention("T1", "Receptor", (Span(*_offsets(ASTRAL_TEXT, "NMDA receptors")),), "NMDA receptors"),))  # fmt: skip
    out = tmp_path / "java.bioc.json"
    write([doc], out, "bioc-json", offset_unit="utf-16")
    data = json.loads(out.read_text())
    if not with_infon:
        del data["documents"][0]["infons"]["offset_unit"]
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def test_reader_offset_unit_for_files_that_state_none(tmp_path):
    out = _java_file(tmp_path, with_infon=False)
    [doc] = read(out, offset_unit="utf-16")
    assert [m.covered(doc.text) for m in doc.mentions] == ["NMDA receptors"]
    with pytest.raises(FormatError, match=r"is not at 36-50"):  # read as code points: off by two
        list(read(out))


def test_a_stated_unit_wins_over_the_option(tmp_path):
    out = _java_file(tmp_path, with_infon=True)
    [doc] = read(out, offset_unit="utf-8")
    assert [m.covered(doc.text) for m in doc.mentions] == ["NMDA receptors"]


def test_unknown_and_splitting_units_are_errors(tmp_path):
    with pytest.raises(FormatError, match="offset unit must be one of"):
        list(read(_java_file(tmp_path, with_infon=False), offset_unit="bytes"))
    out = tmp_path / "u.bioc.json"
    doc = Document("u", "\U0001f600 x", (Mention("T1", "Compound", (Span(2, 3),), "x"),))
    write([doc], out, "bioc-json", offset_unit="utf-8")
    data = json.loads(out.read_text())
    assert data["documents"][0]["passages"][0]["annotations"][0]["locations"][0]["offset"] == 5
    data["documents"][0]["passages"][0]["annotations"][0]["locations"][0]["offset"] = 2
    out.write_text(json.dumps(data))
    with pytest.raises(FormatError, match=r"u\.bioc\.json.*splits a UTF-8 character"):
        list(read(out))
    data["documents"][0]["infons"]["offset_unit"] = "utf-32"
    out.write_text(json.dumps(data))
    with pytest.raises(FormatError, match="offset_unit 'utf-32' is not one of"):
        list(read(out))
