"""Text to proposed claims: ``kgraph annotate`` (issue 14).

The stages live one per module (``sentences``, ``abbreviations``, ``matcher``, ``relations``,
``context``, ``pipeline``); the rules and cue tables are data in ``kgraph/data/annotate/``;
``inputs`` reads text, Markdown, HTML and entity-bearing files; ``writer`` writes a corpus folder.

>>> doc = annotate_text("Esketamine may cause dissociation.")
>>> [(r.type, r.certainty, r.proposed) for r in doc.relations]
[('hasAdverseEffect', 'Hedged', True)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from types import MappingProxyType

from ..errors import KGraphError
from ..grounding import Lexicon
from ..model import Document
from ..vocab import corpus_dir
from .imported import add_levels_and_certainty
from .inputs import AnnotateInputError, read_inputs
from .pipeline import Settings, annotate_document, annotate_text
from .rules import load_rules
from .writer import write_corpus

__all__ = [
    "AnnotateInputError",
    "Settings",
    "add_levels_and_certainty",
    "annotate_document",
    "annotate_files",
    "annotate_text",
]

DEFAULT_SOURCE_TYPE = {True: "PeerReviewedArticle", False: "ScienceNews"}


def _signed(doc: Document, version: str) -> Document:
    """``doc`` with ``software=kgraph VERSION`` closing each proposed relation's note: the build
    attributes the proposal to that software (``prov:wasAttributedTo``, a ``prov:SoftwareAgent``).

    >>> d = _signed(annotate_text("Ketamine blocks NMDA receptors."), "1.2")
    >>> d.relations[0].note.endswith("; software=kgraph 1.2")
    True
    """
    rels = tuple(
        replace(
            r,
            note=f"{r.note}; software=kgraph {version}" if r.note else f"software=kgraph {version}",
        )
        if r.proposed
        else r
        for r in doc.relations
    )
    return Document(doc.id, doc.text, doc.mentions, rels, doc.metadata, doc.source, doc.line)


def annotate_files(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    title: str | None = None,
    source_type: str | None = None,
    date: str | None = None,
    url: str | None = None,
    pmid: str | None = None,
    publisher: str | None = None,
    force: bool = False,
) -> tuple[Path, list[Document]]:
    """Annotate each input file and write the corpus folder ``out`` (see :mod:`kgraph.annotate.writer`).

    ``title``, ``url`` and ``pmid`` name one document, so they need exactly one input document.
    Defaults come from the input (HTML ``<title>``, PubTator/BioC titles and PMIDs, a text's first line).

    >>> import tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "note.txt").write_text("Ketamine blocks NMDA receptors in mice.\\n")
    >>> folder, [doc] = annotate_files([tmp / "note.txt"], tmp / "out", date="2024")
    >>> sorted(p.name for p in folder.glob("note.*")), doc.relations[0].evidence_level
    (['note.ann', 'note.txt'], 'Preclinical')
    """
    lexicon = Lexicon.load()
    rules = load_rules()
    if source_type is not None and source_type not in rules.fallback:
        known = ", ".join(rules.fallback)
        raise KGraphError(f"unknown source type {source_type!r} (known: {known})")
    sources = list(read_inputs([Path(p) for p in paths], lexicon))
    if len(sources) != 1 and any(v is not None for v in (title, url, pmid)):
        raise KGraphError(
            f"--title, --url and --pmid describe one document, but the inputs hold {len(sources)}"
        )
    try:
        version = metadata.version("kgraph")
    except metadata.PackageNotFoundError:  # pragma: no cover - a source tree without install
        version = "(source tree)"
    done = []
    for src in sources:
        meta = dict(src.document.metadata)
        meta.setdefault("title", Path(src.path).stem)
        for key, value in (
            ("title", title),
            ("date", date),
            ("url", url),
            ("pmid", pmid),
            ("publisher", publisher),
            ("source_type", source_type),
        ):
            if value is not None:
                meta[key] = value
        if meta.get("source_type") == "AnnotatedCorpus":  # the reader's word for a corpus file:
            del meta["source_type"]  # what annotate writes is a new reading of the article
        meta.setdefault("source_type", DEFAULT_SOURCE_TYPE[src.has_mentions])
        meta.setdefault("publisher", "not stated")
        meta.setdefault("date", "not stated")
        if meta.get("pmid") and not meta.get("url"):
            meta["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{meta['pmid']}/"
        d = src.document
        doc = Document(d.id, d.text, d.mentions, (), MappingProxyType(meta), d.source, d.line)
        doc = annotate_document(
            doc, lexicon=lexicon, rules=rules, settings=Settings(keep_mentions=src.has_mentions)
        )
        done.append((_signed(doc, version), src.offsets))
    header = (
        f"# Proposed by kgraph {version} (kgraph annotate): every mention and relation marked\n"
        "# 'Proposed' awaits review; its note names the rule (kgraph/data/annotate/).\n"
    )
    folder = write_corpus(out, done, force=force, header=header, conf_dir=corpus_dir())
    return folder, [d for d, _ in done]
