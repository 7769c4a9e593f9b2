"""The rule and cue tables of the annotator, read from ``kgraph/data/annotate/`` and the ontology.

Every rule and cue carries an ``id``; a proposal's note names the ids that made it.

>>> rules = load_rules()
>>> rules.relation("rel.antagonist.noun").properties
('antagonistOf',)
>>> rules.fits("antagonistOf", "Compound", "Receptor"), rules.fits("antagonistOf", "Receptor", "Compound")
(True, False)
>>> rules.fits("antagonistOf", "Enantiomer", "Receptor")  # a subclass of Compound
True
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import KGraphError
from ..vocab import ontology_dir

__all__ = ["Candidate", "Cue", "RelationRule", "Rules", "load_rules"]

_KGO = "https://w3id.org/kgraph/ontology#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ORDERS = ("SO", "OS", "nominal", "pair", "after", "near", "sentence")


@dataclass(frozen=True, slots=True)
class RelationRule:
    """A trigger pattern and the properties it may propose.

    >>> r = load_rules().relation("rel.induced-adjective")
    >>> r.order, r.properties, bool(r.pattern.search("haloperidol-induced catalepsy"))
    ('SO', ('hasAdverseEffect', 'causes'), True)
    """

    id: str
    properties: tuple[str, ...]
    order: str
    pattern: re.Pattern[str] | None
    prior: float = 0.5
    gap: int = 90
    subjects: frozenset[str] = frozenset()  # narrower than the property's domain, when given
    objects: frozenset[str] = frozenset()
    unless: re.Pattern[str] | None = None  # a "near" pair with this between its ends is no pair


@dataclass(frozen=True, slots=True)
class Cue:
    """A context cue: a pattern, its scope and (for levels and qualifiers) the value it gives.

    >>> cue = next(c for c in load_rules().levels if c.id == "lvl.phase2")
    >>> cue.value, bool(cue.pattern.search("a phase II trial"))
    ('ClinicalPhase2', True)
    """

    id: str
    pattern: re.Pattern[str]
    scope: str = "forward"
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A pattern for names the lexicon lacks; ``alt`` is the class to use instead when the
    candidate's sentence matches ``alt_when`` ("seizures" after "-induced" is an adverse effect).

    >>> c = next(c for c in load_rules().candidates if c.id == "cand.condition-word")
    >>> c.type, c.alt, bool(c.pattern.search("generalized seizures"))
    ('Condition', 'AdverseEffect', True)
    """

    id: str
    type: str
    pattern: re.Pattern[str]
    alt: str | None = None
    alt_when: re.Pattern[str] | None = None


@dataclass
class Rules:
    """Everything the annotator's stages read: relation rules, cues, entity rules, ontology constraints.

    >>> rules = load_rules()
    >>> rules.is_a("Enantiomer", "Compound"), "pain" in rules.stoplist
    (True, True)
    """

    relations: tuple[RelationRule, ...]
    negation: tuple[Cue, ...]
    hedging: tuple[Cue, ...]
    question: tuple[Cue, ...]
    levels: tuple[Cue, ...]
    comparison: tuple[Cue, ...]
    degree: tuple[Cue, ...]
    mediation: tuple[Cue, ...]
    comparator: re.Pattern[str]
    terminators: re.Pattern[str]
    pseudo: re.Pattern[str]
    fallback: dict[str, str]
    whole_text: frozenset[str]  # source types whose whole text gives the document's level
    stoplist: frozenset[str]
    matching: dict[str, float]
    variants: tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, suffix, replacements)
    candidates: tuple[Candidate, ...]
    # concept CURIE or "class:Name" → (pattern of the text before, pattern of the text after) pairs
    exclusions: dict[str, tuple[tuple[re.Pattern[str] | None, re.Pattern[str] | None], ...]]
    calibration: dict[str, object]
    domains: dict[str, frozenset[str] | None] = field(default_factory=dict)  # None: any class
    ranges: dict[str, frozenset[str] | None] = field(default_factory=dict)
    superclasses: dict[str, frozenset[str]] = field(default_factory=dict)  # local names
    # document.toml's [adverse]: keyword patterns, weights and threshold of the document-level model
    document: dict[str, object] = field(default_factory=dict)
    # memo of fits() and of the rules that can fire on a set of class pairs (not an init field, so
    # dataclasses.replace starts a fresh one)
    _memo: dict[tuple, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def relation(self, rule_id: str) -> RelationRule:
        """The relation rule with this id (``KeyError`` if none)."""
        for r in self.relations:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def is_a(self, cls: str, ancestor: str) -> bool:
        """Whether class ``cls`` (local name) is ``ancestor`` or one of its subclasses."""
        return cls == ancestor or ancestor in self.superclasses.get(cls, ())

    def fits(self, prop: str, subject_cls: str, object_cls: str) -> bool:
        """Whether ``prop``'s domain takes ``subject_cls`` and its range ``object_cls``."""
        key = ("fits", prop, subject_cls, object_cls)
        ok = self._memo.get(key)
        if ok is None:
            ok = self._memo[key] = self._fits(prop, subject_cls, object_cls)
        return ok  # type: ignore[return-value]

    def _fits(self, prop: str, subject_cls: str, object_cls: str) -> bool:
        if prop not in self.domains and prop not in self.ranges:
            return False
        dom, rng = self.domains.get(prop), self.ranges.get(prop)
        ok_s = dom is None or any(self.is_a(subject_cls, c) for c in dom)
        ok_o = rng is None or any(self.is_a(object_cls, c) for c in rng)
        return ok_s and ok_o


def _data(name: str, folder: Path | None) -> dict:
    try:
        if folder is not None:
            path = Path(folder) / name
            return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        res = resources.files("kgraph").joinpath("data", "annotate", name)
        return tomllib.loads(res.read_text(encoding="utf-8")) if res.is_file() else {}
    except tomllib.TOMLDecodeError as e:
        raise KGraphError(f"{name}: invalid TOML: {e}") from None


def _priors(name: str, folder: Path | None) -> dict[str, dict[str, tuple[int, int]]]:
    """The adverse model's per-concept counts (``adverse-priors.tsv``: kind, concept, training
    documents holding it beside a partner, those among them where it is in an adverse pair), by kind
    (``compound`` / ``condition``); empty when the file is absent."""
    if folder is not None:
        path = Path(folder) / name
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    else:
        res = resources.files("kgraph").joinpath("data", "annotate", name)
        text = res.read_text(encoding="utf-8") if res.is_file() else ""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        try:
            kind, concept, n, k = cols
            counts = (int(n), int(k))
        except ValueError:
            raise KGraphError(
                f"{name}, line {i}: expected kind, concept, documents, adverse documents "
                f"(tab-separated integers last), got {line!r}"
            ) from None
        if not 0 <= counts[1] <= counts[0]:
            raise KGraphError(f"{name}, line {i}: adverse documents must be 0..documents")
        out.setdefault(kind, {})[concept] = counts
    return out


def _compile(pattern: str, where: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise KGraphError(f"{where}: bad regular expression: {e}") from None


def _word(pattern: str) -> str:
    """Anchor a cue at a word start (unless it starts with a mark)."""
    if pattern.startswith(("\\b", "(?", "-", ",")):
        return pattern
    return rf"(?<![\w-])(?:{pattern})"


def _cues(table: list[dict], kind: str) -> tuple[Cue, ...]:
    out = []
    for c in table:
        if "id" not in c or "pattern" not in c:
            raise KGraphError(f"cues.toml: a [[{kind}]] entry lacks id or pattern")
        out.append(
            Cue(
                c["id"],
                _compile(_word(c["pattern"]), f"cues.toml {c['id']}"),
                c.get("scope", "forward"),
                c.get("value"),
            )
        )
    return tuple(out)


def _ontology_constraints(folder: Path):
    """Domains, ranges (None = unconstrained) and superclasses of kgraph.ttl, by local name."""
    import pyoxigraph as ox

    path = folder / "kgraph.ttl"
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    by_sp: dict[tuple[object, str], list] = {}
    for t in triples:
        by_sp.setdefault((t.subject, t.predicate.value), []).append(t.object)

    def classes(node) -> frozenset[str] | None:
        if isinstance(node, ox.NamedNode):
            v = node.value
            return frozenset({v[len(_KGO) :]}) if v.startswith(_KGO) else None
        union = by_sp.get((node, _OWL + "unionOf"))
        if not union:
            return None
        out: set[str] = set()
        lst = union[0]
        while isinstance(lst, ox.BlankNode):
            first = by_sp.get((lst, _RDF + "first"), [None])[0]
            if isinstance(first, ox.NamedNode) and first.value.startswith(_KGO):
                out.add(first.value[len(_KGO) :])
            lst = by_sp.get((lst, _RDF + "rest"), [None])[0]
        return frozenset(out)

    domains: dict[str, frozenset[str] | None] = {}
    ranges: dict[str, frozenset[str] | None] = {}
    parents: dict[str, set[str]] = {}
    for t in triples:
        s = t.subject
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(_KGO):
            continue
        local = s.value[len(_KGO) :]
        p = t.predicate.value
        if p == _RDF + "type" and t.object.value in (_OWL + "ObjectProperty",):
            domains.setdefault(local, None)
            ranges.setdefault(local, None)
        elif p == _RDFS + "domain":
            domains[local] = classes(t.object)
        elif p == _RDFS + "range":
            ranges[local] = classes(t.object)
        elif p == _RDFS + "subClassOf" and isinstance(t.object, ox.NamedNode):
            if t.object.value.startswith(_KGO):
                parents.setdefault(local, set()).add(t.object.value[len(_KGO) :])
    supers: dict[str, frozenset[str]] = {}
    for c in parents:
        seen: set[str] = set()
        todo = list(parents[c])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(parents.get(x, ()))
        supers[c] = frozenset(seen)
    return domains, ranges, supers


def _exclusions(table: list[dict]):
    out: dict[str, list] = {}
    for x in table:
        where = f"entities.toml {x['id']}"
        before = _compile(r"(?<![\w-])" + x["before"], where) if x.get("before") else None
        after = _compile("^" + x["after"], where) if x.get("after") else None
        key = x["concept"] if "concept" in x else "class:" + x["class"]
        out.setdefault(key, []).append((before, after))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=4)
def load_rules(folder: Path | None = None, ontology: Path | None = None) -> Rules:
    """Read the rule tables (default: the packaged ones) and the ontology's domains and ranges."""
    rel = _data("relations.toml", folder)
    cues = _data("cues.toml", folder)
    ent = _data("entities.toml", folder)
    cal = _data("calibration.toml", folder)
    adverse = _data("document.toml", folder).get("adverse", {})
    relations = []
    for r in rel.get("rule", []):
        order = r.get("order", "SO")
        if order not in _ORDERS:
            raise KGraphError(f"relations.toml {r.get('id')}: order must be one of {_ORDERS}")
        pat = r.get("pattern")
        relations.append(
            RelationRule(
                r["id"],
                tuple(r["properties"]),
                order,
                _compile(_word(pat), f"relations.toml {r['id']}") if pat else None,
                float(r.get("prior", 0.5)),
                int(r.get("gap", 90)),
                frozenset(r.get("subjects", ())),
                frozenset(r.get("objects", ())),
                _compile(r["unless"], f"relations.toml {r['id']}") if r.get("unless") else None,
            )
        )
    domains, ranges, supers = _ontology_constraints(Path(ontology) if ontology else ontology_dir())
    for r in relations:
        for p in r.properties:
            if p not in domains:
                raise KGraphError(f"relations.toml {r.id}: {p!r} is not a property of the ontology")
    match = ent.get("matching", {})
    return Rules(
        relations=tuple(relations),
        negation=_cues(cues.get("negation", []), "negation"),
        hedging=_cues(cues.get("hedging", []), "hedging"),
        question=_cues(cues.get("question", []), "question"),
        levels=_cues(cues.get("level", []), "level"),
        comparison=_cues(cues.get("comparison", []), "comparison"),
        degree=_cues(cues.get("degree", []), "degree"),
        mediation=_cues(cues.get("mediation", []), "mediation"),
        comparator=_compile(
            _word(cues.get("comparator", [{}])[0].get("pattern", "than")), "cues.toml comparator"
        ),
        terminators=_compile(cues.get("terminators", {}).get("pattern", ";"), "terminators"),
        pseudo=_compile(_word(cues.get("pseudo", {}).get("pattern", "(?!x)x")), "pseudo"),
        fallback=dict(cues.get("fallback", {})),
        whole_text=frozenset(cues.get("document", {}).get("whole_text", ())),
        stoplist=frozenset(w.lower() for w in ent.get("stoplist", {}).get("words", [])),
        matching={k: float(v) for k, v in match.items()},
        variants=tuple(
            (v["id"], v["suffix"], tuple(v["replacements"])) for v in ent.get("variant", [])
        ),
        candidates=tuple(
            Candidate(
                c["id"],
                c["type"],
                _compile(c["pattern"], f"entities.toml {c['id']}", 0),
                c.get("alt"),
                _compile(c["alt_when"], f"entities.toml {c['id']}") if c.get("alt_when") else None,
            )
            for c in ent.get("candidate", [])
        ),
        calibration=cal,
        exclusions=_exclusions(ent.get("exclude", [])),
        domains=domains,
        ranges=ranges,
        superclasses=supers,
        document={
            "keywords": {
                k: _compile(_word(v), f"document.toml keyword {k}")
                for k, v in adverse.get("keywords", {}).items()
            },
            "weights": {k: float(v) for k, v in adverse.get("weights", {}).items()},
            "threshold": float(adverse.get("threshold", 0.5)),
            "smoothing": float(adverse.get("smoothing", 4.0)),
            # above 1: no condition is typed by use (kgraph.annotate.pipeline.type_by_use)
            "adverse_effect_share": float(adverse.get("adverse_effect_share", 2.0)),
            "priors": _priors("adverse-priors.tsv", folder),
        },
    )
