"""Write annotated documents as a kgraph corpus folder: ``manifest.toml`` + ``NAME.txt`` + brat ``NAME.ann``.

The folder is written to a temporary sibling and renamed into place at the end, so a failure
leaves nothing half-written. The ``.ann`` lines follow the knowledge-model scheme: ``Proposed``,
``Confidence`` and an ``AnnotatorNotes`` note ``rule=ID; …`` on every proposal, ``Comparison`` /
``Degree`` / ``Mediation`` attributes and ``comparator`` / ``mediator`` relations from the claim's
subject mention.

>>> from kgraph.annotate.pipeline import annotate_text
>>> doc = annotate_text("Ketamine blocks NMDA receptors.", "k")
>>> print(ann_text(doc), end="")  # doctest: +NORMALIZE_WHITESPACE
T1	Compound 0 8	Ketamine
N1	Reference T1 kg:ketamine	Ketamine
A1	Proposed T1
A2	Confidence T1 High
#1	AnnotatorNotes T1	rule=lex.label; score=1.00
T2	Receptor 16 30	NMDA receptors
N2	Reference T2 kg:nmda_receptor	NMDA receptors
A3	Proposed T2
A4	Confidence T2 High
#2	AnnotatorNotes T2	rule=lex.synonym; score=0.90
R1	antagonistOf Arg1:T1 Arg2:T2
A5	Proposed R1
A6	Confidence R1 High
#3	AnnotatorNotes R1	rule=rel.antagonist.verb; trigger='blocks'
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import KGraphError
from ..model import Document, Mention, Relation
from .extract import OffsetMap

__all__ = ["MANIFEST_FIELDS", "ann_text", "write_corpus"]

MANIFEST_FIELDS = ("title", "publisher", "date", "source_type", "author", "url", "pmid", "seed")


def _mention_note(doc: Document, mid: str) -> dict[str, str]:
    raw = doc.metadata.get(f"proposal:{mid}")
    if not raw:
        return {}
    out = {}
    for part in raw.split(";"):
        k, _, v = part.strip().partition("=")
        out[k] = v
    return out


def _split_subjects(doc: Document) -> tuple[list[Mention], list[Relation], Document]:
    """A qualified claim whose subject mention is the subject of other claims gets its own copy of
    that mention: a ``comparator``/``mediator`` line hangs off the subject mention, and must say
    which claim it qualifies."""
    mentions = list(doc.mentions)
    subjects = Counter(r.subject for r in doc.relations if not r.by_concept)
    n = max((int(m.id[1:]) for m in mentions if m.id[1:].isdigit()), default=0)
    relations = []
    for r in doc.relations:
        qualified = bool(r.comparator or r.mediator)
        if qualified and subjects[r.subject] > 1:
            m = doc.mention(r.subject)
            n += 1
            copy = replace(m, id=f"T{n}", line=None)
            mentions.append(copy)
            subjects[r.subject] -= 1
            key = f"proposal:{r.subject}"
            if key in doc.metadata:  # the copy is as much a proposal as the original
                doc = Document(
                    doc.id,
                    doc.text,
                    doc.mentions,
                    doc.relations,
                    {**doc.metadata, f"proposal:{copy.id}": doc.metadata[key]},
                )
            r = replace(r, subject=copy.id)
        relations.append(r)
    return mentions, relations, doc


def ann_text(doc: Document) -> str:
    """The brat ``.ann`` text of an annotated document (mention-level relations only).

    >>> from kgraph.annotate.pipeline import annotate_text
    >>> ann_text(annotate_text("Arketamine may cause less dissociation than esketamine.")).count("comparator")
    1
    """
    mentions, relations, doc = _split_subjects(doc)
    lines: list[str] = []
    a = n = note = 0
    for m in sorted(
        mentions, key=lambda m: (m.start, m.end, int(m.id[1:]) if m.id[1:].isdigit() else 0)
    ):
        spans = ";".join(f"{s.start} {s.end}" for s in m.spans)
        covered = m.covered(doc.text).replace("\n", " ").replace("\t", " ")
        lines.append(f"{m.id}\t{m.type} {spans}\t{covered}")
        for c in m.concepts:
            n += 1
            lines.append(f"N{n}\tReference {m.id} {c}\t{covered}")
        if m.proposed:
            a += 1
            lines.append(f"A{a}\tProposed {m.id}")
        if m.confidence:
            a += 1
            lines.append(f"A{a}\tConfidence {m.id} {m.confidence}")
        info = _mention_note(doc, m.id)
        if info:
            note += 1
            text = "; ".join(f"{k}={v}" for k, v in info.items() if k != "confidence")
            lines.append(f"#{note}\tAnnotatorNotes {m.id}\t{text}")
    r_n = sum(1 for r in relations if not r.by_concept)
    for r in relations:
        if r.by_concept:
            continue
        lines.append(f"{r.id}\t{r.type} Arg1:{r.subject} Arg2:{r.object}\t")

        def attr(body: str) -> None:
            nonlocal a
            a += 1
            lines.append(f"A{a}\t{body}")

        if r.negated:
            attr(f"Negated {r.id}")
        if r.certainty != "Asserted":
            attr(f"Certainty {r.id} {r.certainty}")
        if r.evidence_level:
            attr(f"EvidenceLevel {r.id} {r.evidence_level}")
        for name, value in (
            ("Comparison", r.comparison),
            ("Degree", r.degree),
            ("Mediation", r.mediation),
        ):
            if value:
                attr(f"{name} {r.id} {value}")
        if r.question:
            attr(f"ResearchQuestion {r.id}")
        if r.proposed:
            attr(f"Proposed {r.id}")
        if r.confidence:
            attr(f"Confidence {r.id} {r.confidence}")
        for role, end in (("comparator", r.comparator), ("mediator", r.mediator)):
            if end:
                r_n += 1
                lines.append(f"R{r_n}\t{role} Arg1:{r.subject} Arg2:{end}\t")
        if r.note:
            note += 1
            lines.append(f"#{note}\tAnnotatorNotes {r.id}\t{r.note}")
    return "\n".join(lines) + ("\n" if lines else "")


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def manifest_text(entries: list[dict[str, str]], header: str = "") -> str:
    """The ``manifest.toml`` of a corpus folder.

    >>> print(manifest_text([{"id": "a", "title": 'Say "hi"', "publisher": "p", "date": "2024",
    ...                       "source_type": "ScienceNews"}]).strip())
    [[document]]
    id = "a"
    title = "Say \\"hi\\""
    publisher = "p"
    date = "2024"
    source_type = "ScienceNews"
    """
    out = [header] if header else []
    for e in entries:
        out.append("[[document]]")
        out.append(f"id = {_toml(e['id'])}")
        for k in MANIFEST_FIELDS:
            if e.get(k):
                out.append(f"{k} = {_toml(e[k])}")
        out.append("")
    return "\n".join(out)


def _unique_ids(docs: list[Document]) -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for d in docs:
        base = d.id or "document"
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def write_corpus(
    out: str | Path,
    docs: Iterable[tuple[Document, OffsetMap | None]],
    *,
    force: bool = False,
    header: str = "",
    conf_dir: Path | None = None,
) -> Path:
    """Write the folder ``out`` atomically; refuses to replace a non-empty folder unless ``force``.

    >>> import tempfile, pathlib
    >>> from kgraph.annotate.pipeline import annotate_text
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "proposed"
    >>> doc = annotate_text("Ketamine blocks NMDA receptors.", "k", metadata={"title": "K"})
    >>> sorted(p.name for p in write_corpus(out, [(doc, None)]).iterdir())
    ['k.ann', 'k.txt', 'manifest.toml']
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise KGraphError(f"{out}: exists and is not empty (pass --force to replace it)")
    items = list(docs)
    if not items:
        raise KGraphError(f"{out}: nothing to write (no documents)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        entries = []
        for (doc, offsets), doc_id in zip(items, _unique_ids([d for d, _ in items]), strict=True):
            (tmp / f"{doc_id}.txt").write_text(doc.text, encoding="utf-8", newline="")
            (tmp / f"{doc_id}.ann").write_text(ann_text(doc), encoding="utf-8", newline="")
            if offsets is not None:
                (tmp / f"{doc_id}.offsets.tsv").write_text(offsets.to_tsv(), encoding="utf-8")
            entry = {"id": doc_id}
            entry.update({k: str(v) for k, v in doc.metadata.items() if k in MANIFEST_FIELDS and v})
            entries.append(entry)
        (tmp / "manifest.toml").write_text(manifest_text(entries, header), encoding="utf-8")
        if conf_dir is not None:
            for name in ("annotation.conf", "visual.conf"):
                if (conf_dir / name).exists():
                    shutil.copyfile(conf_dir / name, tmp / name)
        os.chmod(tmp, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            old.rmdir()
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
