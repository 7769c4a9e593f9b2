"""The loader attacks of the reliability review (issue 16, items 7 and 8): each test reproduces
the attack on a copy of the bundled corpus and checks the answer a user should get."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.build import build_store
from kgraph.cli import main
from kgraph.errors import FormatError
from kgraph.export import export_bytes
from kgraph.formats import brat
from kgraph.store import open_store

DOC = "northwestern-ketamine-neurogenesis"
SECRET = "outside-the-corpus secret sentence 7f3a"


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n" * 5000)
    return secret


def test_a_symlinked_text_outside_the_corpus_is_refused(corpus_copy: Path, tmp_path: Path) -> None:
    """Item 7: the .txt of a pair is a link to a file elsewhere; its text must not enter the graph."""
    secret = _outside(tmp_path)
    text = corpus_copy / f"{DOC}.txt"
    text.unlink()
    os.symlink(secret, text)
    store = open_store("memory:")
    with pytest.raises(FormatError, match="outside the corpus folder") as e:
        build_store(store, [corpus_copy])
    assert SECRET not in str(e.value)
    with pytest.raises(FormatError, match="outside the corpus folder"):
        list(brat.read(corpus_copy))


def test_a_symlinked_annotation_does_not_print_a_system_file(corpus_copy: Path) -> None:
    """Item 7: the .ann is a link to a system file; the error must not quote its first line."""
    target = Path("/etc/passwd")
    if not target.exists():
        pytest.skip("no /etc/passwd to link to")
    ann = corpus_copy / f"{DOC}.ann"
    ann.unlink()
    os.symlink(target, ann)
    result = CliRunner().invoke(main, ["build", str(corpus_copy), "--store", "memory:", "-q"])
    assert result.exit_code == 1
    first = target.read_text().splitlines()[0]
    assert first not in result.output and "outside the corpus folder" in result.output


def test_a_link_inside_the_corpus_is_read(corpus_copy: Path) -> None:
    """Staying inside the folder does not forbid links that stay inside it."""
    text = corpus_copy / f"{DOC}.txt"
    kept = corpus_copy / "texts" / text.name
    kept.parent.mkdir()
    text.rename(kept)
    os.symlink(kept, text)
    store = open_store("memory:")
    build_store(store, [corpus_copy])
    assert len(store.query("SELECT ?d WHERE { ?d a kgo:Document }").rows) == 4


def test_a_title_over_16_mib_is_a_file_and_line_error(corpus_copy: Path) -> None:
    """Item 8: Oxigraph reads N-Quads lines of at most 16 MiB; a huge title crashed the build."""
    manifest = corpus_copy / "manifest.toml"
    text = manifest.read_text()
    start = text.index('title = "') + len('title = "')
    end = text.index('"', start)
    manifest.write_text(text[:start] + "A" * (17 << 20) + text[end:])
    line = text[:start].count("\n") + 1
    result = CliRunner().invoke(main, ["build", str(corpus_copy), "--store", "memory:", "-q"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "MemoryError" not in result.output
    assert f"manifest.toml:{line}:" in result.output
    assert "title is 17,825,792 characters long" in result.output


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\x0c", "\u2029", "\x1c"])
def test_brat_lines_end_at_newline_only(corpus_copy: Path, separator: str) -> None:
    """Item 8: an annotator note holding U+2028, NEL or a form feed is one line, not two."""
    ann = corpus_copy / f"{DOC}.ann"
    note = f"#99\tAnnotatorNotes T1\tfirst part{separator}second part"
    ann.write_text(ann.read_text().rstrip("\n") + "\n" + note + "\n")
    (doc,) = [d for d in brat.read(corpus_copy) if d.id == DOC]
    assert doc.mentions  # read without a "malformed line" error


def test_graphml_with_control_characters_is_well_formed(corpus_copy: Path) -> None:
    """Item 8: a label holding a control character made the GraphML export invalid XML."""
    store = open_store("memory:")
    build_store(store, [corpus_copy])
    store._reader().update(
        "INSERT DATA { GRAPH <https://w3id.org/kgraph/graph/data> { "
        '<https://w3id.org/kgraph/entity/ketamine> rdfs:label "keta\\u0001mine\\u000Bx" } }',
        prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
    )
    data = export_bytes(store, "graphml")
    root = ET.fromstring(data)  # raises on invalid XML
    labels = [el.text or "" for el in root.iter() if el.text and "keta" in el.text]
    assert any("keta\ufffdmine" in label for label in labels)
