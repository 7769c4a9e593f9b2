"""brat standoff writer: a kgraph corpus folder that brat, INCEpTION and ``kgraph build`` read.

The folder gets, per document, ``ID.txt`` (the text, byte for byte) and ``ID.ann`` (``T``
mentions, ``N`` normalisations to CURIEs, ``R`` relations, ``A`` attributes, ``#`` notes), plus
``manifest.toml`` (the documents' metadata, see ``corpus/README.md``) and an ``annotation.conf``
that declares every entity type, relation type and attribute (with every value) the files use,
so brat opens the folder without complaint. brat offsets are code points, as in
:class:`kgraph.model.Span`.

Document-level relations (between concepts, from PubTator or BioC) have no mentions to join in
brat: they are left out and counted in the returned report's ``skipped``.

>>> import tempfile, pathlib
>>> from kgraph.model import Document, Mention, Relation, Span
>>> doc = Document("d1", "Ketamine blocks NMDA receptors.\\n",
...     (Mention("T1", "Compound", (Span(0, 8),), "Ketamine", ("kg:ketamine",)),
...      Mention("T2", "Receptor", (Span(16, 30),), "NMDA receptors")),
...     (Relation("R1", "antagonistOf", "T1", "T2", certainty="Hedged"),),
...     {"title": "t", "publisher": "p", "date": "2024", "source_type": "Review"})
>>> out = pathlib.Path(tempfile.mkdtemp()) / "corpus"
>>> [p.name for p in write([doc], out)]
['d1.txt', 'd1.ann', 'manifest.toml', 'annotation.conf']
>>> print((out / "d1.ann").read_text().replace("\\t", " | "), end="")
T1 | Compound 0 8 | Ketamine
N1 | Reference T1 kg:ketamine | Ketamine
T2 | Receptor 16 30 | NMDA receptors
R1 | antagonistOf Arg1:T1 Arg2:T2 |
A1 | Certainty R1 Hedged
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from ..errors import FormatError
from ..model import Document
from . import register
from .fields import mention_relations, qualifying, relation_attributes, relation_note

__all__ = ["ann_text", "annotation_conf", "write"]

_MANIFEST_KEYS = ("title", "publisher", "date", "source_type", "author", "url", "seed", "pmid")
_REQUIRED = ("title", "publisher", "date", "source_type")


def _stem(doc_id: str) -> str:
    """A file-name stem for a document id (what the manifest's ``id`` may hold)."""
    stem = quote(doc_id, safe=" -_.,()+=@")
    return "_" + stem if stem.startswith(".") else stem


def ann_text(doc: Document, report=None) -> str:
    """The ``.ann`` file of one document (document-level relations are counted in ``report``).

    >>> from kgraph.model import Document, Mention, Span
    >>> ann_text(Document("d", "Ketamine.", (Mention("T1", "Compound", (Span(0, 8),), "Ketamine"),)))
    'T1\\tCompound 0 8\\tKetamine\\n'
    """
    out: list[str] = []
    n = a = note = 0
    extra: list[str] = []  # comparator / mediator relations, after the claims
    for m in doc.mentions:
        frags = ";".join(f"{s.start} {s.end}" for s in m.spans)
        covered = m.covered(doc.text)
        if "\n" in covered or "\t" in covered:
            raise FormatError(
                f"mention {m.id} covers a line break or tab, which brat cannot show",
                document=doc.id,
            )
        out.append(f"{m.id}\t{m.type} {frags}\t{covered}")
        for c in m.concepts:
            n += 1
            out.append(f"N{n}\tReference {m.id} {c}\t{covered}")
        for key, value in sorted(getattr(m, "attributes", {}).items()):
            a += 1
            out.append(f"A{a}\t{key} {m.id}" + ("" if value in (None, "true") else f" {value}"))
    for r in mention_relations(doc, report):
        out.append(f"{r.id}\t{r.type} Arg1:{r.subject} Arg2:{r.object}\t")
        for key, value in relation_attributes(r):
            a += 1
            out.append(f"A{a}\t{key} {r.id}" + ("" if value is None else f" {value}"))
        for kind, ref in qualifying(r):
            extra.append(f"{kind} Arg1:{r.subject} Arg2:{ref}")
        for text in (relation_note(r) or "").split("\n"):
            if text.strip():
                note += 1
                out.append(f"#{note}\tAnnotatorNotes {r.id}\t{' '.join(text.split())}")
    used = {line.split("\t", 1)[0] for line in out}
    k = 0
    for body in extra:
        k += 1
        while f"R{k}" in used:
            k += 1
        out.append(f"R{k}\t{body}\t")
    return "".join(line + "\n" for line in out)


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def annotation_conf(documents: Iterable[Document]) -> str:
    """An ``annotation.conf`` declaring every type and attribute value ``documents`` use.

    >>> from kgraph.model import Document, Mention, Relation, Span
    >>> d = Document("d", "ab", (Mention("T1", "Compound", (Span(0, 1),), "a"),),
    ...     (Relation("R1", "treats", "T1", "T1", negated=True, evidence_level="Review"),))
    >>> print(annotation_conf([d]))  # doctest: +NORMALIZE_WHITESPACE
    # brat configuration written by kgraph export: the types and attributes these files use.
    [entities]
    Compound
    [relations]
    treats	Arg1:<ENTITY>, Arg2:<ENTITY>
    [events]
    [attributes]
    EvidenceLevel	Arg:<RELATION>, Value:Review
    Negated	Arg:<RELATION>
    """
    types: set[str] = set()
    relations: set[str] = set()
    attrs: dict[tuple[str, str], set[str]] = {}
    for doc in documents:
        for m in doc.mentions:
            types.add(m.type)
            for key, value in getattr(m, "attributes", {}).items():
                vals = attrs.setdefault((key, "<ENTITY>"), set())
                if value not in (None, "true"):
                    vals.add(value)
        for r in doc.relations:
            if r.by_concept:
                continue
            relations.add(r.type)
            relations.update(kind for kind, _ in qualifying(r))
            for key, value in relation_attributes(r):
                vals = attrs.setdefault((key, "<RELATION>"), set())
                if value is not None:
                    vals.add(value)
    lines = [
        "# brat configuration written by kgraph export: the types and attributes these files use."
    ]
    lines += ["[entities]", *sorted(types), "[relations]"]
    lines += [f"{t}\tArg1:<ENTITY>, Arg2:<ENTITY>" for t in sorted(relations)]
    lines += ["[events]", "[attributes]"]
    for (key, target), values in sorted(attrs.items()):
        spec = f"{key}\tArg:{target}"
        if values:
            spec += ", Value:" + "|".join(sorted(values))
        lines.append(spec)
    return "\n".join(lines) + "\n"


def write(documents: Iterable[Document], path: Path, *, report=None) -> list[Path]:
    """Write ``documents`` into the folder ``path`` (created; files of the same name replaced).

    >>> import tempfile, pathlib
    >>> from kgraph.model import Document
    >>> [p.name for p in write([Document("a/b", "x")], pathlib.Path(tempfile.mkdtemp()))]
    ['a%2Fb.txt', 'a%2Fb.ann', 'manifest.toml', 'annotation.conf']
    """
    path.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    docs: list[Document] = []
    manifest = ["# Written by kgraph export: the documents of a graph, for review.", ""]
    stems: set[str] = set()
    for doc in documents:
        stem = _stem(doc.id)
        if stem in stems:
            raise FormatError(
                f"two documents share the file name {stem!r}", path=path, document=doc.id
            )
        stems.add(stem)
        ann = ann_text(doc, report)
        txt_path, ann_path = path / f"{stem}.txt", path / f"{stem}.ann"
        txt_path.write_text(doc.text, encoding="utf-8", newline="")
        ann_path.write_text(ann, encoding="utf-8", newline="")
        written += [txt_path, ann_path]
        md = doc.metadata
        manifest.append("[[document]]")
        manifest.append(f"id = {_toml(stem)}")
        for key in _MANIFEST_KEYS:
            value = md.get(key) or (doc.id if key == "title" else None)
            if value is None and key in _REQUIRED:
                value = "not stated"
                if report is not None:
                    report.warn(
                        "metadata not stated", f"{doc.id}: no {key}; the manifest says 'not stated'"
                    )
            if value is not None:
                manifest.append(f"{key} = {_toml(str(value))}")
        manifest.append("")
        docs.append(doc.__class__(doc.id, "", doc.mentions, doc.relations))  # types only
    (path / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    (path / "annotation.conf").write_text(annotation_conf(docs), encoding="utf-8")
    return [*written, path / "manifest.toml", path / "annotation.conf"]


register("brat", write, description="brat standoff + manifest.toml + annotation.conf (a folder)")
