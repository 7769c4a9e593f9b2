"""The curation log: one act per line of ``curation.jsonl``, parsed strictly, appended only.

See :mod:`kgraph.curation` for the format.

>>> LOG, ACTS
('curation.jsonl', ('accept', 'reject', 'correct', 'add', 'add-entity'))
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

from ..errors import FormatError
from ..formats.brat import _decode  # UTF-8, a bad byte named by its line; BOM dropped
from ..model import CERTAINTIES, Span

__all__ = [
    "ACTS",
    "ADD_ONLY",
    "ENTITY_FIELDS",
    "LOG",
    "SETTABLE",
    "STATUS",
    "TAGS",
    "Act",
    "append",
    "now",
    "read_log",
]

#: The log's file name in a corpus folder.
LOG = "curation.jsonl"
#: What a curator can do to a statement, and ``add-entity``: a reviewed lexicon entry for an entity
#: the text grounded outside the lexicon (subject: the proposed entity, ``kg:text/CLASS/NAME``;
#: predicate ``rdf:type``; object: its class, ``kgo:Compound``; ``set``: :data:`ENTITY_FIELDS`).
ACTS = ("accept", "reject", "correct", "add", "add-entity")
#: What an ``add-entity`` act sets: the new entity's CURIE (``kg:snake_case_name``), its label,
#: synonyms and identifiers (CURIEs), in this order.
ENTITY_FIELDS = ("entity", "label", "synonyms", "identifiers")
#: Why (in the spirit of INDRA's curation tags).
TAGS = (
    "correct",
    "wrong_grounding",
    "wrong_polarity",
    "wrong_relation",
    "wrong_direction",
    "wrong_certainty",
    "wrong_level",
    "wrong_qualifier",
    "hypothesis",
    "not_in_text",
    "missed",
    "other",
)
#: The fields ``correct`` may set, and ``add`` may give.
SETTABLE = (
    "predicate",
    "negated",
    "certainty",
    "evidence_level",
    "comparison",
    "degree",
    "mediation",
)
#: What only ``add`` may give: where the statement's ends are in the sentence, and their classes.
ADD_ONLY = ("subject_text", "object_text", "subject_type", "object_type")
_KEYS = (
    "act",
    "document",
    "subject",
    "predicate",
    "object",
    "sentence",
    "quote",
    "set",
    "curator",
    "time",
    "reason",
    "tags",
)
_REQUIRED = ("act", "document", "subject", "predicate", "object", "curator", "time")
MOTIVATION = {"accept": "assessing", "reject": "assessing", "correct": "editing", "add": "editing",
              "add-entity": "editing"}  # fmt: skip
STATUS = {"accept": "Accepted", "reject": "Rejected", "correct": "Corrected", "add": "Added",
          "add-entity": "Added"}  # fmt: skip
#: The relation attribute replay sets to the review status (read by the builder and RDF).
STATUS_KEY = "kgraph:review"


@dataclass(frozen=True)
class Act:
    """One curation act (one line of the log); ``path``/``line`` say where it was read.

    >>> a = Act("correct", "d1", "kg:a", "treats", "kg:b", set={"negated": True}, curator="ann",
    ...         time="2026-01-01T00:00:00Z")
    >>> a.verdict(), a.as_dict()["set"]
    (('correct', (('negated', 'True'),)), {'negated': True})
    """

    act: str
    document: str
    subject: str
    predicate: str
    object: str
    sentence: Span | None = None
    quote: str | None = None
    set: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    curator: str = ""
    time: str = ""
    reason: str = ""
    tags: tuple[str, ...] = ()
    path: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def to_json(self) -> str:
        """The act as one log line (keys in a fixed order, no trailing newline)."""
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def as_dict(self) -> dict[str, object]:
        """The act as the log's JSON object (keys in the log's order)."""
        obj: dict[str, object] = {
            "act": self.act,
            "document": self.document,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
        }
        if self.sentence is not None:
            obj["sentence"] = [self.sentence.start, self.sentence.end]
        if self.quote is not None:
            obj["quote"] = self.quote
        if self.set:
            obj["set"] = dict(self.set)
        obj |= {"curator": self.curator, "time": self.time, "reason": self.reason}
        obj["tags"] = list(self.tags)
        return obj

    @property
    def key(self) -> tuple:
        """What the act is about: the statement, independent of who said what about it."""
        return (self.document, self.subject, self.predicate, self.object, self.quote)

    @property
    def digest(self) -> str:
        return hashlib.blake2b(self.to_json().encode(), digest_size=10).hexdigest()

    def verdict(self) -> tuple:
        """What the act says about the statement (equal verdicts agree)."""
        return (self.act, tuple(sorted((k, str(v)) for k, v in self.set.items())))

    @classmethod
    def from_json(cls, text: str, path: str | Path | None = None, line: int | None = None) -> Act:
        """Parse one log line strictly: a :class:`FormatError` names the file, line and problem."""

        def fail(msg: str) -> FormatError:
            return FormatError(msg, path=path, line=line)

        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise fail(f"not JSON: {e.msg} (column {e.colno})") from None
        except RecursionError:
            raise fail("not JSON: nested too deeply") from None
        if not isinstance(obj, dict):
            raise fail("an act must be a JSON object")
        unknown = sorted(set(obj) - set(_KEYS))
        if unknown:
            raise fail(f"unknown key(s) {', '.join(unknown)} (known: {', '.join(_KEYS)})")
        missing = [k for k in _REQUIRED if not (isinstance(obj.get(k), str) and obj[k].strip())]
        if missing:
            raise fail(f"act lacks {', '.join(missing)}")
        act = obj["act"]
        if act not in ACTS:
            raise fail(f"act must be one of {', '.join(ACTS)}, not {act!r}")
        for k in ("subject", "object"):
            if ":" not in obj[k]:
                raise fail(f"{k} {obj[k]!r} is not a CURIE or IRI")
        try:
            datetime.fromisoformat(obj["time"].replace("Z", "+00:00"))
        except ValueError:
            raise fail(f"time {obj['time']!r} is not an ISO 8601 date and time") from None
        sentence = obj.get("sentence")
        if sentence is not None:
            ok = isinstance(sentence, list) and len(sentence) == 2
            ok = ok and all(type(n) is int and n >= 0 for n in sentence)
            if not ok or sentence[1] < sentence[0]:
                raise fail(f"sentence must be [start, end], not {sentence!r}")
            sentence = Span(sentence[0], sentence[1])
        quote_ = obj.get("quote")
        if quote_ is not None and not isinstance(quote_, str):
            raise fail("quote must be a string")
        for k in ("reason",):
            if not isinstance(obj.get(k, ""), str):
                raise fail(f"{k} must be a string")
        tags = obj.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise fail("tags must be a list of strings")
        bad = [t for t in tags if t not in TAGS]
        if bad:
            raise fail(f"unknown tag(s) {', '.join(bad)} (known: {', '.join(TAGS)})")
        changes = obj.get("set", {})
        if not isinstance(changes, dict):
            raise fail("set must be an object")
        if act == "add-entity":
            problem = _check_entity(obj, changes)
            if problem:
                raise fail(problem)
            changes = {k: changes[k] for k in ENTITY_FIELDS if k in changes}  # the log's order
            return cls(act, obj["document"], obj["subject"], obj["predicate"], obj["object"],
                       sentence, quote_, MappingProxyType(changes), obj["curator"], obj["time"],
                       obj.get("reason", ""), tuple(tags), str(path) if path is not None else None,
                       line)  # fmt: skip
        allowed = SETTABLE + (ADD_ONLY if act == "add" else ())
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise fail(f"set: unknown field(s) {', '.join(unknown)} (known: {', '.join(allowed)})")
        if act == "correct" and not changes:
            raise fail("a correct act must set at least one of " + ", ".join(SETTABLE))
        if act != "correct" and act != "add" and changes:
            raise fail(f"a {act} act sets nothing")
        if act == "add" and quote_ is None:
            raise fail("an add act needs the quote of its sentence")
        problem = _check_changes(changes)
        if problem:
            raise fail(f"set: {problem}")
        return cls(
            act,
            obj["document"],
            obj["subject"],
            obj["predicate"],
            obj["object"],
            sentence,
            quote_,
            MappingProxyType(dict(changes)),
            obj["curator"],
            obj["time"],
            obj.get("reason", ""),
            tuple(tags),
            str(path) if path is not None else None,
            line,
        )


_ENTITY_NAME = re.compile(r"kg:[a-z0-9]+(?:_[a-z0-9]+)*")


def _check_entity(obj: Mapping[str, object], changes: Mapping[str, object]) -> str | None:
    """What is wrong with an ``add-entity`` act, or ``None``."""
    if obj["predicate"] != "rdf:type":
        return "an add-entity act's predicate is rdf:type"
    if not str(obj["object"]).startswith("kgo:"):
        return f"an add-entity act's object is the entity's class (kgo:Compound, …), not {obj['object']!r}"
    unknown = sorted(set(changes) - set(ENTITY_FIELDS))
    if unknown:
        return f"set: unknown field(s) {', '.join(unknown)} (known: {', '.join(ENTITY_FIELDS)})"
    entity, label = changes.get("entity"), changes.get("label")
    if not isinstance(entity, str) or not _ENTITY_NAME.fullmatch(entity):
        return f"set: entity must be a kg: name in lower snake_case (kg:new_drug), not {entity!r}"
    if not isinstance(label, str) or not label.strip():
        return "set: label must be a non-empty string"
    for k in ("synonyms", "identifiers"):
        v = changes.get(k, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            return f"set: {k} must be a list of non-empty strings"
    bad = [x for x in changes.get("identifiers", []) if ":" not in x or x.startswith("kg:")]
    if bad:
        return (
            f"set: identifiers must be CURIEs of other registries (CHEBI:…, MESH:…), not {bad[0]!r}"
        )
    return None


def _check_changes(changes: Mapping[str, object]) -> str | None:
    for k, v in changes.items():
        if k == "negated":
            if not isinstance(v, bool):
                return "negated must be true or false"
        elif not isinstance(v, str) or not v.strip():
            return f"{k} must be a non-empty string"
    if "certainty" in changes and changes["certainty"] not in CERTAINTIES:
        return f"certainty must be one of {', '.join(CERTAINTIES)}"
    return None


def read_log(path: str | Path) -> list[Act]:
    """Every act of a ``curation.jsonl`` file, in file order (blank lines are skipped).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "curation.jsonl"
    >>> _ = p.write_text('{"act": "accept"}\\n')
    >>> read_log(p)
    Traceback (most recent call last):
    ...
    kgraph.errors.FormatError: .../curation.jsonl:1: act lacks document, subject, predicate, object, curator, time
    """
    path = Path(path)
    text = _decode(path)
    acts = []
    for n, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            acts.append(Act.from_json(line, path, n))
    return acts


def append(path: str | Path, act: Act) -> int:
    """Append ``act`` to the log at ``path`` (created if missing); the line number it got.

    The file is locked while it is read and appended to, so acts sent at once (a server's
    POSTs) each get a whole line of their own.

    >>> import tempfile, pathlib
    >>> log = pathlib.Path(tempfile.mkdtemp()) / LOG
    >>> a = Act("accept", "d1", "kg:a", "treats", "kg:b", curator="ann", time="2026-01-01T00:00:00Z")
    >>> append(log, a), append(log, a)
    (1, 2)
    """
    path = Path(path)
    Act.from_json(act.to_json(), path, None)  # what is written must read back
    with path.open("ab+") as f:
        _lock(f)
        f.seek(0)
        existing = f.read()
        prefix = b"" if not existing or existing.endswith(b"\n") else b"\n"
        f.write(prefix + act.to_json().encode("utf-8") + b"\n")
        f.flush()
    return existing.count(b"\n") + (1 if prefix else 0) + 1


def _lock(f) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: appends are still whole lines
        return
    fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # released when the file is closed


def now() -> str:
    """The current UTC time in the log's format.

    >>> now().endswith("Z"), len(now())
    (True, 20)
    """
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
