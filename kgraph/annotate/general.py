"""The general MeSH name layer: chemicals and diseases the kgraph lexicon lacks, grounded to MeSH.

The kgraph lexicon (``ontology/entities.ttl``) names the entities of ketamine research; a general
pharmacology abstract names many more compounds and diseases. This layer matches the names of a
shipped table (``kgraph/data/annotate/mesh-names.tsv``: name, MeSH id, class, counts), learnt from
the gold mention strings of BC5CDR Training+Development and BioRED Train+Dev by
``python -m benchmarks.mesh_names`` (see that module for what was left out), with the matcher's
machinery (folding, variants, a document's own short forms). It runs after the lexicon: its
matches fill only the text the lexicon left free, and they are proposals like unknown-entity
candidates, with the note ``rule=lex.mesh-general``. A MeSH id the lexicon lists grounds to the
lexicon's entity and class; any other id to ``MESH:…`` with the table's class (Compound or
Condition). Its grounding score is the share of the training documents where the name was found
that annotate it there, at most 0.9 (``score_general`` under ``[matching]`` of ``entities.toml``
overrides that cap).

>>> rows = [NameRow("zorbitol", "MESH:D000001", "Compound", 5, 4, 4),
...         NameRow("blue fever", "MESH:D000002", "Condition", 3, 2, 1)]
>>> m = general_matcher(rows=tuple(rows))
>>> [(h.text, h.concept, h.type, h.score, h.rule)
...  for h in general_hits(m, "Zorbitol gave blue fevers.", [])]
[('Zorbitol', 'MESH:D000001', 'Compound', 0.9, 'lex.mesh-general'), ('blue fevers', 'MESH:D000002', 'Condition', 0.5, 'lex.mesh-general')]
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import KGraphError
from ..grounding import Lexicon
from .matcher import Matcher
from .names import Entry, Hit, with_variants
from .rules import Rules, load_rules

__all__ = [
    "CLASSES",
    "COLUMNS",
    "DROP",
    "RULE",
    "TABLE",
    "NameRow",
    "general_entries",
    "general_hits",
    "general_matcher",
    "read_table",
]

#: The rule id a proposal's note names.
RULE = "lex.mesh-general"
#: The packaged table (under ``kgraph/data/annotate/``).
TABLE = "mesh-names.tsv.gz"
#: The columns of the table, in order.
COLUMNS = ("name", "id", "class", "mentions", "found", "annotated")
#: The classes a row may give; ``drop`` rows list names never to match (rarely annotated).
CLASSES = ("Compound", "Condition")
DROP = "drop"
_KG = "https://w3id.org/kgraph/entity/"
_KGO = "https://w3id.org/kgraph/ontology#"


@dataclass(frozen=True, slots=True)
class NameRow:
    """One line of the table: a name as most often written, its MeSH id and class, how many gold
    mentions it had, in how many source documents the matcher found it and in how many of those a
    gold mention stood there.

    >>> NameRow("aspirin", "MESH:D001241", "Compound", 12, 9, 9).ratio
    1.0
    """

    name: str
    id: str
    cls: str
    mentions: int
    found: int
    annotated: int

    @property
    def ratio(self) -> float:
        """The share of documents where the name was found that annotate it (1.0 when unseen)."""
        return self.annotated / self.found if self.found else 1.0

    def line(self) -> str:
        """The row as a tab-separated line.

        >>> NameRow("aspirin", "MESH:D001241", "Compound", 12, 9, 9).line()
        'aspirin\\tMESH:D001241\\tCompound\\t12\\t9\\t9'
        """
        return "\t".join(
            (self.name, self.id, self.cls, str(self.mentions), str(self.found), str(self.annotated))
        )


def _open_text(path: Path | None) -> tuple[str, str]:
    if path is None:
        res = resources.files("kgraph").joinpath("data", "annotate", TABLE)
        if not res.is_file():
            raise KGraphError(f"the packaged table {TABLE} is missing from kgraph/data/annotate/")
        data, where = res.read_bytes(), f"kgraph/data/annotate/{TABLE}"
    else:
        if not Path(path).is_file():
            raise KGraphError(f"{path}: no such table of general MeSH names")
        data, where = Path(path).read_bytes(), str(path)
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8"), where


def read_table(path: str | Path | None = None) -> tuple[NameRow, ...]:
    """The rows of a table (default: the packaged one); ``#`` lines are comments, the first other
    line names the columns. A malformed line is an error naming the file and line.

    >>> rows = read_table()
    >>> len(rows) > 1000, {r.cls for r in rows} <= {*CLASSES, DROP}
    (True, True)
    """
    return _read_table(None if path is None else Path(path))


@lru_cache(maxsize=4)
def _read_table(path: Path | None) -> tuple[NameRow, ...]:
    text, where = _open_text(path)
    rows: list[NameRow] = []
    header = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            if tuple(cells) != COLUMNS:
                raise KGraphError(f"{where}:{n}: expected the header {'/'.join(COLUMNS)}")
            header = True
            continue
        if len(cells) != len(COLUMNS):
            raise KGraphError(f"{where}:{n}: {len(cells)} columns, expected {len(COLUMNS)}")
        name, curie, cls, *counts = cells
        if cls not in (*CLASSES, DROP):
            raise KGraphError(f"{where}:{n}: class {cls!r} is not one of {(*CLASSES, DROP)}")
        if not name.strip() or (cls != DROP and not curie.startswith("MESH:")):
            raise KGraphError(f"{where}:{n}: a row needs a name and a MESH: identifier")
        try:
            mentions, found, annotated = (int(c) for c in counts)
        except ValueError:
            raise KGraphError(f"{where}:{n}: counts must be whole numbers") from None
        rows.append(NameRow(name, curie, cls, mentions, found, annotated))
    if not header:
        raise KGraphError(f"{where}: no header line")
    return tuple(rows)


def general_entries(
    rows: Iterable[NameRow], lexicon: Lexicon | None = None, rules: Rules | None = None
) -> list[Entry]:
    """Matcher entries for the table's names (``drop`` rows left out): a MeSH id the lexicon lists
    grounds to the lexicon's entity and class, any other to itself with the row's class.

    >>> es = general_entries([NameRow("Ketalar", "MESH:D007649", "Compound", 2, 2, 2)])
    >>> [(e.name, e.concept, e.type, e.rule) for e in es]
    [('Ketalar', 'kg:ketamine', 'Compound', 'lex.mesh-general')]
    """
    lexicon = lexicon or Lexicon.load()
    rules = rules or load_rules()
    cap = float(rules.matching.get("score_general", 0.9))
    out = []
    for r in rows:
        if r.cls == DROP:
            continue
        concept, cls = r.id, r.cls
        e = lexicon.entity_for_curie(r.id)
        if e is not None and e in lexicon.entity_class and e.startswith(_KG):
            concept = "kg:" + e[len(_KG) :]
            full = lexicon.entity_class[e]
            cls = full[len(_KGO) :] if full.startswith(_KGO) else full.rsplit("#", 1)[-1]
        out.append(Entry(r.name, concept, cls, round(min(cap, r.ratio), 2), RULE))
    return out


def general_matcher(
    lexicon: Lexicon | None = None,
    rules: Rules | None = None,
    rows: tuple[NameRow, ...] | None = None,
) -> Matcher:
    """The matcher over the table's names and their variants, minus its ``drop`` names; built once
    for each (lexicon, rules, rows) and cached.

    >>> general_matcher() is general_matcher()
    True
    """
    lexicon = lexicon or Lexicon.load()
    rules = rules or load_rules()
    rows = read_table() if rows is None else rows
    key = (id(lexicon), id(rules), id(rows))
    cached = _CACHE.get(key)
    if (
        cached is None
        or cached[0] is not lexicon
        or cached[1] is not rules
        or cached[2] is not rows
    ):
        if len(_CACHE) > 8:
            _CACHE.clear()
        entries = with_variants(general_entries(rows, lexicon, rules), rules)
        drop = [r.name for r in rows if r.cls == DROP]
        probe = Matcher((), rules)
        cached = _CACHE[key] = (
            lexicon,
            rules,
            rows,
            Matcher(entries, rules, drop={probe.key(d) for d in drop}),
        )
    return cached[3]


_CACHE: dict[tuple[int, int, int], tuple] = {}


def general_hits(
    matcher: Matcher, text: str, taken: Iterable[Hit], abbreviations: Iterable = ()
) -> list[Hit]:
    """The general matcher's hits in ``text`` that overlap none of the ``taken`` (lexicon) hits,
    each named by the layer's rule (:data:`RULE`), whether it matched a name, a variant or a short
    form the document defines.

    >>> from kgraph.annotate.matcher import Matcher
    >>> lex = Matcher.from_lexicon().find("Ketamine and ketamine hydrochloride.")
    >>> g = general_matcher(rows=(NameRow("ketamine hydrochloride", "MESH:D1", "Compound", 1, 1, 1),))
    >>> [h.text for h in lex], general_hits(g, "Ketamine and ketamine hydrochloride.", lex)
    (['Ketamine', 'ketamine hydrochloride'], [])
    """
    occupied = [(h.start, h.end) for h in taken]
    return [
        Hit(h.start, h.end, h.text, h.concept, h.type, h.score, RULE)
        for h in matcher.find(text, abbreviations)
        if not any(h.start < b and a < h.end for a, b in occupied)
    ]
