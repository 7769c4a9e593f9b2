"""Cut whole documents, byte for byte, out of the shared corpora at test time.

The repository holds no third-party text (issue 18, item 6): tests that need real BC5CDR, BioRED or
PGxCorpus documents name them by id, and :func:`cut` writes a small file of just those documents
into a temporary folder, keeping the source file's own header, line endings and footer, so the
readers see the real thing. Without ``../shared/corpora`` the tests skip and say why (in CI, where
``KGRAPH_REQUIRE_INTEGRATION`` is set, they fail instead).

:data:`SAMPLES` lists every cut the tests use: file name → (corpus file, document ids).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"

#: The cuts the tests read, by file name (the readers take the corpus name from it).
SAMPLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cdr_train_sample.PubTator.txt": (
        "bc5cdr/CDR_TrainingSet.PubTator.txt",
        ("11587867", "15863244", "19211690"),
    ),
    "cdr_test_sample.PubTator.txt": ("bc5cdr/CDR_TestSet.PubTator.txt", ("8701013",)),
    "biored_train_sample.PubTator.txt": (
        "biored/Train.PubTator.txt",
        ("11054569", "20528871", "17177139", "21163864"),
    ),
    "cdr_train_sample.BioC.xml": (
        "bc5cdr/CDR_TrainingSet.BioC.xml",
        ("11587867", "15863244", "19211690"),
    ),
    "cdr_test_crlf.BioC.xml": ("bc5cdr/CDR_TestSet.BioC.xml", ("8701013",)),
    "biored_train_sample.BioC.XML": (
        "biored/Train.BioC.XML",
        ("11054569", "20528871", "17177139", "21163864"),
    ),
    "biored_train_sample.BioC.JSON": (
        "biored/Train.BioC.JSON",
        ("11054569", "20528871", "17177139", "21163864"),
    ),
}


def require_corpora(*names: str) -> Path:
    """The shared corpora folder; skip (fail in CI) when it or a named file is missing."""
    missing = [n for n in names if not (CORPORA / n).exists()] if CORPORA.is_dir() else names
    if missing:
        message = (
            f"third-party corpora are read from {CORPORA}, not kept in the repository; "
            f"missing: {', '.join(missing)}"
        )
        if os.environ.get("KGRAPH_REQUIRE_INTEGRATION"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPORA


def cut(name: str, folder: Path) -> Path:
    """Write the sample ``name`` of :data:`SAMPLES` into ``folder`` (once) and return its path."""
    source_name, ids = SAMPLES[name]
    dest = folder / name
    if dest.exists():
        return dest
    source = require_corpora(source_name) / source_name
    data = source.read_bytes()
    lower = name.lower()
    if lower.endswith(".pubtator.txt"):
        out = cut_pubtator(data, ids)
    elif lower.endswith(".xml"):
        out = cut_bioc_xml(data, ids)
    elif lower.endswith(".json"):
        out = cut_bioc_json(data, ids)
    else:  # pragma: no cover - SAMPLES names only these
        raise ValueError(name)
    dest.write_bytes(out)
    return dest


def cut_all(folder: Path) -> Path:
    """Every sample of :data:`SAMPLES` in ``folder``."""
    for name in SAMPLES:
        cut(name, folder)
    return folder


def cut_pubtator(data: bytes, ids: tuple[str, ...]) -> bytes:
    """The documents ``ids`` of a PubTator file, in file order, with its line endings."""
    newline = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    blocks = re.split(re.escape(newline) + rb"(?:[ \t]*" + re.escape(newline) + rb")+", data)
    by_id = {b.split(b"|", 1)[0].strip(): b for b in blocks if b.strip()}
    kept = [by_id[i.encode()] for i in ids if i.encode() in by_id]
    _check(len(kept), ids)
    return (newline + newline).join(kept) + newline


def cut_bioc_xml(data: bytes, ids: tuple[str, ...]) -> bytes:
    """The documents ``ids`` of a BioC XML file, between the file's own header and footer."""
    starts = [m.start() for m in re.finditer(rb"<document>", data)]
    if not starts:
        raise ValueError("no <document> in the file")
    head = data[: starts[0]]
    docs = []
    for s in starts:
        end = data.index(b"</document>", s) + len(b"</document>")
        docs.append((s, end))
    newline = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
    tail = data[docs[-1][1] :].rstrip(b"\r\n") + (newline if data.endswith(b"\n") else b"")
    by_id = {}
    for s, end in docs:
        doc_id = re.search(rb"<id>\s*([^<]*?)\s*</id>", data[s:end]).group(1)
        by_id[doc_id.decode()] = data[s:end]
    kept = [by_id[i] for i in ids if i in by_id]
    _check(len(kept), ids)
    gap = data[docs[0][1] : docs[1][0]] if len(docs) > 1 else newline
    return head + gap.join(kept) + tail


def cut_bioc_json(data: bytes, ids: tuple[str, ...]) -> bytes:
    """The document objects ``ids`` of a BioC JSON collection, copied as they are."""
    text = data.decode("utf-8")
    at = re.search(r'"documents"\s*:\s*\[', text)
    if at is None:
        raise ValueError("no 'documents' list in the file")
    decoder = json.JSONDecoder()
    pos = at.end()
    spans = []
    while True:
        pos = len(text) - len(text[pos:].lstrip())
        if text[pos] == "]":
            break
        obj, end = decoder.raw_decode(text, pos)
        spans.append((pos, end, str(obj.get("id"))))
        pos = end
        pos = len(text) - len(text[pos:].lstrip())
        if text[pos] == ",":
            pos += 1
    head, tail = text[: spans[0][0]], text[spans[-1][1] :]
    sep = text[spans[0][1] : spans[1][0]] if len(spans) > 1 else ","
    by_id = {i: text[s:e] for s, e, i in spans}
    kept = [by_id[i] for i in ids if i in by_id]
    _check(len(kept), ids)
    return (head + sep.join(kept) + tail).encode("utf-8")


def _check(found: int, ids: tuple[str, ...]) -> None:
    if found != len(ids):
        raise ValueError(f"found {found} of the documents {', '.join(ids)}")


def copy_pgx(names: tuple[str, ...], folder: Path) -> Path:
    """Copy PGxCorpus brat documents (``name.txt`` + ``name.ann``) into ``folder``."""
    src = require_corpora("pgxcorpus/brat") / "pgxcorpus" / "brat"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        for ext in (".txt", ".ann"):
            shutil.copy2(src / f"{name}{ext}", folder / f"{name}{ext}")
    return folder
