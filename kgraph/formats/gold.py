"""The gold set: hand annotations kept as standoff over abstracts the repository does not hold.

A gold folder (``benchmarks/gold/``) has a ``manifest.toml`` that says ``format = "kgraph-gold"`` and
lists each abstract by corpus, split, PubTator file, PMID and the sha256 of its text, and one
``PMID.ann`` per abstract: brat standoff whose ``T`` lines carry no covered-text column (see
``benchmarks/gold/README.md``). Reading it:

1. finds the corpora folder: the ``corpora=`` option, else ``$KGRAPH_CORPORA``, else the manifest's
   ``corpora`` path (relative to the manifest);
2. reads each abstract by PMID from the PubTator file the manifest names, as ``title + "\\n" +
   abstract`` (the text :mod:`kgraph.formats.pubtator` builds, with the corpus's offsets), and checks
   its sha256;
3. fills in the covered text and parses the result with the brat reader, so every annotation brat
   knows (negation, certainty, evidence level, qualifiers, research questions, notes) comes through
   as it does for the bundled corpus.

Documents are peer-reviewed abstracts (``source_type`` ``PeerReviewedArticle``) with their PMID, so
``kgraph build benchmarks/gold`` adds them to the graph as research evidence. Without the corpora
nothing is read: the reader says that it skipped (a :class:`GoldSkipped` warning, or ``on_issue``).

>>> skip_reason(gold_dir(), corpora="/no/such/folder")
'skipped the gold set (... abstracts): the corpora folder /no/such/folder does not exist; ...'
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
import tomllib
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError
from ..model import Document, Relation
from . import register
from .brat import read_pair

__all__ = [
    "FORMAT",
    "GoldSkipped",
    "gold_dir",
    "read",
    "skip_reason",
    "statistics",
    "statistics_table",
]

FORMAT = "kgraph-gold"
MANIFEST = "manifest.toml"
ENV = "KGRAPH_CORPORA"
_REQUIRED = ("pmid", "corpus", "split", "file", "sha256", "chars")
_OPTIONAL = ("study",)
_SPANS = re.compile(r"^\d{1,18} \d{1,18}(;\d{1,18} \d{1,18})*$")
_HINT = f"set {ENV} or pass corpora=PATH (the folder holding bc5cdr/, biored/ …)"


class GoldSkipped(UserWarning):
    """The gold set was not read because the corpora that hold its abstracts are absent.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     list(read(gold_dir(), corpora="/no/such/folder"))
    []
    >>> caught[0].category.__name__
    'GoldSkipped'
    """


def gold_dir() -> Path:
    """The gold folder of a source checkout (``benchmarks/gold``; absent from an installed wheel).

    >>> gold_dir().parts[-2:]
    ('benchmarks', 'gold')
    """
    return Path(__file__).resolve().parents[2] / "benchmarks" / "gold"


def _is_gold_dir(p: Path) -> bool:
    manifest = p / MANIFEST
    if not manifest.is_file():
        return False
    try:
        head = manifest.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(rf'(?m)^format\s*=\s*"{FORMAT}"', head) is not None


def _entry_lines(source: str) -> list[int]:
    """The line of each ``[[document]]`` header, in order (tomllib gives no positions)."""
    return [n for n, line in enumerate(source.splitlines(), 1) if line.strip() == "[[document]]"]


def _manifest(path: Path) -> tuple[Path, dict, list[dict], list[int]]:
    manifest = path / MANIFEST if path.is_dir() else path
    if not manifest.is_file():
        raise FormatError(f"no {MANIFEST} here", path=manifest)
    try:
        source = manifest.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except UnicodeDecodeError as e:
        raise FormatError(f"not UTF-8 text (byte {e.start})", path=manifest) from None
    except tomllib.TOMLDecodeError as e:
        raise FormatError(f"invalid TOML: {e}", path=manifest) from None
    if data.get("format") != FORMAT:
        raise FormatError(f'not a gold manifest (expected format = "{FORMAT}")', path=manifest)
    corpora = data.get("corpora", "")
    if not isinstance(corpora, str) or "\x00" in corpora:
        raise FormatError("corpora must be a path (a string without NUL)", path=manifest)
    entries = data.get("document")
    lines = _entry_lines(source)
    if not isinstance(entries, list) or not entries:
        raise FormatError("the manifest lists no [[document]]", path=manifest)
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        line = lines[i] if i < len(lines) else None
        if not isinstance(entry, dict):
            raise FormatError("'document' must be an array of tables", path=manifest, line=line)
        missing = [k for k in _REQUIRED if k not in entry]
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
        if missing or unknown:
            what = f"lacks {', '.join(missing)}" if missing else f"has unknown {', '.join(unknown)}"
            raise FormatError(f"document entry {what}", path=manifest, line=line)
        pmid = str(entry["pmid"])
        if not pmid.isdigit():
            raise FormatError(f"pmid {pmid!r} is not a PubMed id", path=manifest, line=line)
        if pmid in seen:
            raise FormatError("duplicate pmid", path=manifest, line=line, document=pmid)
        seen.add(pmid)
        if (
            Path(str(entry["file"])).name != entry["file"]
            or not str(entry["corpus"]).isidentifier()
        ):
            raise FormatError("corpus and file must be plain names", path=manifest, line=line)
    return manifest, data, entries, lines


def _corpora(manifest: Path, data: dict, corpora: str | Path | None) -> Path:
    if corpora is not None:
        return Path(corpora)
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    return (manifest.parent / str(data.get("corpora", "corpora"))).resolve()


def skip_reason(path: str | Path, corpora: str | Path | None = None) -> str | None:
    """Why the gold set at ``path`` cannot be read here (corpora absent), or ``None`` if it can.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "manifest.toml").write_text(
    ...     'format = "kgraph-gold"\\n[[document]]\\npmid = 5\\ncorpus = "toy"\\nsplit = "test"\\n'
    ...     'file = "t.pubtator"\\nsha256 = "0"\\nchars = 1\\n')
    >>> skip_reason(d, corpora=d / "none")
    'skipped the gold set (1 abstract): the corpora folder .../none does not exist; ...'
    >>> (d / "toy").mkdir(); _ = (d / "toy" / "t.pubtator").write_text("5|t|Salt.\\n")
    >>> skip_reason(d, corpora=d) is None
    True
    """
    manifest, data, entries, _ = _manifest(Path(path))
    root = _corpora(manifest, data, corpora)
    n = len(entries)
    head = f"skipped the gold set ({n} abstract{'' if n == 1 else 's'})"
    try:
        if not root.is_dir():
            return f"{head}: the corpora folder {root} does not exist; {_HINT}"
        for entry in entries:
            f = root / str(entry["corpus"]) / str(entry["file"])
            if not f.is_file():
                return f"{head}: {f} is missing; {_HINT}"
    except (OSError, ValueError) as e:  # a NUL in $KGRAPH_CORPORA, a name too long …
        return f"{head}: the corpora folder {str(root)[:200]!r} cannot be used ({e}); {_HINT}"
    return None


def _abstracts(path: Path, pmids: set[str]) -> dict[str, tuple[str, str]]:
    """``{pmid: (title, text)}`` for the wanted PMIDs of a PubTator file, text = title\\nabstract."""
    titles: dict[str, str] = {}
    texts: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            pmid, bar, rest = line.partition("|")
            if not bar or pmid not in pmids or rest[:2] not in ("t|", "a|"):
                continue
            value = rest[2:].rstrip("\r\n")
            if rest[0] == "t":
                titles[pmid] = value
            elif pmid in titles:
                texts[pmid] = f"{titles[pmid]}\n{value}"
    return {p: (titles[p], texts.get(p, titles[p])) for p in titles}


def _brat(ann: Path, text: str, pmid: str) -> str:
    """The gold ``.ann`` with the covered text of each ``T`` line put back (brat's own form)."""
    out = []
    raw = ann.read_bytes()
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise FormatError("not UTF-8 text", path=ann, line=line, document=pmid) from None
    for n, line in enumerate(source.splitlines(), 1):
        if line.startswith("T"):
            parts = line.split("\t")
            head = parts[1].split(" ", 1) if len(parts) == 2 else []
            if len(head) != 2 or not _SPANS.match(head[1]):
                raise FormatError(
                    "a T line reads 'T<n><TAB>TYPE START END[;START END…]' and has no text "
                    "column (the gold set stores no abstract text)",
                    path=ann,
                    line=n,
                    document=pmid,
                )
            spans = [tuple(map(int, s.split())) for s in head[1].split(";")]
            for start, end in spans:
                if not start < end <= len(text):
                    raise FormatError(
                        f"span {start}-{end} does not fit the abstract ({len(text)} characters)",
                        path=ann,
                        line=n,
                        document=pmid,
                    )
            covered = " ".join(text[s:e] for s, e in spans)
            if "\n" in covered:
                raise FormatError(
                    "a mention may not run across the title's end", path=ann, line=n, document=pmid
                )
            line = f"{line}\t{covered}"
        out.append(line)
    return "\n".join(out) + "\n"


_HAS_QUALIFIERS = "comparator" in {f.name for f in dataclasses.fields(Relation)}


def _legacy_qualifiers(doc: Document) -> tuple[Relation, ...]:
    """Before :class:`~kgraph.model.Relation` had qualifier fields: keep them as attributes.

    ``comparator`` / ``mediator`` relations become attributes of the claim whose subject is their
    Arg1; research questions are left out (without the ``question`` field they would be built as
    claims).
    """
    claims = [r for r in doc.relations if r.type not in ("comparator", "mediator")]
    by_subject = {r.subject: r for r in claims}
    extra: dict[str, dict[str, str]] = {}
    for r in doc.relations:
        if r.type in ("comparator", "mediator") and r.subject in by_subject:
            extra.setdefault(by_subject[r.subject].id, {})[r.type] = r.object
    return tuple(
        dataclasses.replace(r, attributes=MappingProxyType({**r.attributes, **extra.get(r.id, {})}))
        for r in claims
        if "ResearchQuestion" not in r.attributes
    )


def read(
    path: str | Path,
    *,
    corpora: str | Path | None = None,
    on_issue: Callable[[FormatError], None] | None = None,
    raw: bool = False,
    **_: object,
) -> Iterator[Document]:
    """Read the gold folder ``path`` (or its manifest), with the abstracts from ``corpora``.

    ``raw=True`` gives the relations exactly as the brat reader parses them (for evaluation and
    statistics, whatever the model version); by default they are ready to build.

    >>> import hashlib, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "toy").mkdir()
    >>> _ = (d / "toy" / "t.pubtator").write_text("5|t|Salt.\\n5|a|It hurts.\\n")
    >>> sha = hashlib.sha256("Salt.\\nIt hurts.".encode()).hexdigest()
    >>> _ = (d / "manifest.toml").write_text(
    ...     'format = "kgraph-gold"\\n[[document]]\\npmid = 5\\ncorpus = "toy"\\nsplit = "test"\\n'
    ...     f'file = "t.pubtator"\\nsha256 = "{sha}"\\nchars = 15\\n')
    >>> _ = (d / "5.ann").write_text("T1\\tChemical 0 4\\n")  # no covered-text column
    >>> doc = next(read(d, corpora=d))
    >>> doc.id, doc.text, [(m.id, m.text) for m in doc.mentions]
    ('5', 'Salt.\\nIt hurts.', [('T1', 'Salt')])
    """
    manifest, data, entries, lines = _manifest(Path(path))
    reason = skip_reason(manifest, corpora)
    if reason is not None:
        if on_issue is not None:
            on_issue(FormatError(reason, path=manifest))
        else:
            warnings.warn(f"{manifest}: {reason}", GoldSkipped, stacklevel=2)
        return
    root = _corpora(manifest, data, corpora)
    wanted: dict[Path, set[str]] = {}
    for entry in entries:
        wanted.setdefault(root / entry["corpus"] / entry["file"], set()).add(str(entry["pmid"]))
    cache: dict[Path, dict[str, tuple[str, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="kgraph-gold-") as tmp:
        for entry, line in zip(entries, lines, strict=False):
            pmid = str(entry["pmid"])
            source = root / entry["corpus"] / entry["file"]
            if source not in cache:
                cache[source] = _abstracts(source, wanted[source])
            if pmid not in cache[source]:
                raise FormatError(
                    f"PMID {pmid} is not in {source}", path=manifest, line=line, document=pmid
                )
            title, text = cache[source][pmid]
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if digest != entry["sha256"] or len(text) != entry["chars"]:
                raise FormatError(
                    f"the text of PMID {pmid} in {source} has changed (sha256 {digest[:12]}…, "
                    f"{len(text)} characters; the manifest records {str(entry['sha256'])[:12]}…, "
                    f"{entry['chars']}): the offsets of {pmid}.ann may no longer fit",
                    path=manifest,
                    line=line,
                    document=pmid,
                )
            ann = manifest.parent / f"{pmid}.ann"
            if not ann.is_file():
                raise FormatError(f"{ann.name} is missing", path=manifest, line=line, document=pmid)
            txt_tmp, ann_tmp = Path(tmp) / f"{pmid}.txt", Path(tmp) / f"{pmid}.ann"
            txt_tmp.write_text(text, encoding="utf-8")
            ann_tmp.write_text(_brat(ann, text, pmid), encoding="utf-8")

            def moved(e: FormatError, ann: Path = ann) -> FormatError:
                message = e.message.replace(str(Path(tmp)), str(ann.parent))
                return FormatError(message, path=ann, line=e.line, document=e.document)

            try:
                doc = read_pair(
                    txt_tmp,
                    ann_tmp,
                    doc_id=pmid,
                    on_issue=None if on_issue is None else (lambda e: on_issue(moved(e))),
                )
            except FormatError as e:
                raise moved(e) from None
            metadata = {
                "format": "gold",
                "title": title,
                "pmid": pmid,
                "corpus": str(entry["corpus"]),
                "split": str(entry["split"]),
                "source_type": "PeerReviewedArticle",
                "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
            }
            if "study" in entry:
                metadata["study"] = str(entry["study"])
            relations = doc.relations if raw or _HAS_QUALIFIERS else _legacy_qualifiers(doc)
            yield Document(
                pmid,
                text,
                doc.mentions,
                relations,
                MappingProxyType(metadata),
                str(ann),
                1,
            )


register(
    "gold",
    read,
    suffixes=(),
    description="kgraph gold set: standoff annotations by PMID over abstracts read from the corpora",
    directory=_is_gold_dir,
    priority=20,
)


def statistics(documents: Iterator[Document] | list[Document]) -> dict[str, object]:
    """Counts of a gold set: abstracts by split, mentions and relations by type, and modality.

    Comparator / mediator links are counted as qualifiers, not as relations.

    >>> from kgraph.model import Mention, Span
    >>> doc = Document("1", "K blocks N.", (Mention("T1", "Compound", (Span(0, 1),), "K"),
    ...     Mention("T2", "Receptor", (Span(9, 10),), "N")),
    ...     (Relation("R1", "antagonistOf", "T1", "T2", negated=True, evidence_level="Review"),),
    ...     {"split": "test"})
    >>> s = statistics([doc])
    >>> s["abstracts"], s["mentions"]["Compound"], s["negated"], s["levels"]
    (1, 1, 1, {'Review': 1})
    """
    splits: dict[str, int] = {}
    mentions: dict[str, int] = {}
    relations: dict[str, int] = {}
    levels: dict[str, int] = {}
    qualifiers: dict[str, int] = {}
    negated = hedged = questions = grounded = 0
    count = 0

    def add(table: dict[str, int], key: str) -> None:
        table[key] = table.get(key, 0) + 1

    for doc in documents:
        count += 1
        add(splits, doc.metadata.get("split", "?"))
        for m in doc.mentions:
            add(mentions, m.type)
            grounded += bool(m.concepts)
        for r in doc.relations:
            if r.type in ("comparator", "mediator"):
                continue
            attrs = r.attributes
            question = bool(getattr(r, "question", False) or "ResearchQuestion" in attrs)
            questions += question
            add(relations, r.type)
            negated += r.negated
            hedged += r.certainty == "Hedged"
            add(levels, r.evidence_level or "none")
            for name in ("comparison", "degree", "mediation"):
                value = getattr(r, name, None) or attrs.get(name.capitalize())
                if value:
                    add(qualifiers, f"{name} {value}")
    return {
        "abstracts": count,
        "splits": dict(sorted(splits.items())),
        "mentions": dict(sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))),
        "grounded mentions": grounded,
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        "negated": negated,
        "hedged": hedged,
        "research questions": questions,
        "qualifiers": dict(sorted(qualifiers.items())),
        "levels": dict(sorted(levels.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def statistics_table(stats: dict[str, object]) -> str:
    """:func:`statistics` as the Markdown tables of ``benchmarks/gold/README.md``.

    >>> print(statistics_table({"abstracts": 1, "splits": {"test": 1}, "mentions": {"Dose": 2},
    ...     "grounded mentions": 1, "relations": {}, "negated": 0, "hedged": 0,
    ...     "research questions": 0, "qualifiers": {}, "levels": {}}).splitlines()[2])
    | abstracts | 1 (test 1) |
    """

    def pairs(table: object) -> str:
        items = table.items() if isinstance(table, dict) else []
        return ", ".join(f"{k} {v}" for k, v in items) or "none"

    mentions = stats["mentions"]
    relations = stats["relations"]
    assert isinstance(mentions, dict) and isinstance(relations, dict)
    rows = [
        "| what | count |",
        "|---|---|",
        f"| abstracts | {stats['abstracts']} ({pairs(stats['splits'])}) |",
        f"| mentions | {sum(mentions.values())} ({stats['grounded mentions']} grounded) |",
        f"| relations (claims and questions) | {sum(relations.values())} |",
        f"| negated | {stats['negated']} |",
        f"| hedged | {stats['hedged']} |",
        f"| research questions | {stats['research questions']} |",
        f"| qualifiers | {pairs(stats['qualifiers'])} |",
        f"| evidence levels | {pairs(stats['levels'])} |",
        "",
        "| mention type | count |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in mentions.items()),
        "",
        "| relation type | count |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in relations.items()),
    ]
    return "\n".join(rows)
