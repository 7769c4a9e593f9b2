"""SHACL validation of a graph against ``ontology/shapes.ttl`` (pySHACL).

The data graph is the store's two graphs together: the build's data and the ontology graph (the
schema and the entity lexicon), so the class hierarchy is there for ``sh:class`` and the
shapes' ``rdfs:subClassOf*`` checks. Inference is off by default: RDFS inference would only add
types from ``rdfs:domain``/``rdfs:range``, which would hide a claim whose end has no class, and it
more than doubles the time; ``inference="rdfs"`` (with ``kgraph.ttl`` as the ontology graph, as
``shapes.ttl`` describes) is there for those who want it.

On the bundled corpus (~7,000 triples) validation takes a few seconds; pySHACL grows with the graph
(a million triples takes many minutes), so ``kgraph build`` validates by default only below
:data:`AUTO_LIMIT` triples (pySHACL is a dependency of kgraph).

>>> from kgraph import load
>>> report = validate(load().store)
>>> report.conforms, report.violations
(True, [])
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KGraphError
from .store import Store
from .vocab import PREFIXES, compress, ontology_dir

__all__ = [
    "AUTO_LIMIT",
    "ValidationReport",
    "Violation",
    "available",
    "validate",
    "validate_graph",
]

#: ``kgraph build`` validates by default when the graph has fewer triples than this.
AUTO_LIMIT = 50_000

_SH = "http://www.w3.org/ns/shacl#"


def available() -> bool:
    """Whether pySHACL is installed (``kgraph build`` skips its default check without it).

    >>> available()
    True
    """
    import importlib.util

    return importlib.util.find_spec("pyshacl") is not None


@dataclass(frozen=True)
class Violation:
    """One result of the SHACL report: the node, the property path, what is wrong.

    >>> Violation("kg:x", None, "no label").severity
    'Violation'
    """

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    shape: str | None = None
    value: str | None = None
    constraint: str | None = None


@dataclass
class ValidationReport:
    """Whether the graph conforms, each violation, and pySHACL's own text.

    >>> report = ValidationReport(False, [Violation("a", None, "m"), Violation("b", None, "m")])
    >>> len(report), report.by_message()
    (2, {'m': 2})
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    text: str = ""

    def __len__(self) -> int:
        return len(self.violations)

    def by_message(self) -> dict[str, int]:
        """How many violations say each message."""
        counts: dict[str, int] = {}
        for v in self.violations:
            counts[v.message] = counts.get(v.message, 0) + 1
        return counts


def _short(term) -> str | None:
    """A CURIE (``kg:ketamine``) or the term's text."""
    if term is None:
        return None
    text = str(term)
    found = compress(text)
    if found:
        return found
    for prefix, ns in (*PREFIXES.items(), ("sh", _SH), ("kgsh", "https://w3id.org/kgraph/shapes#")):
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _path_text(graph, node) -> str | None:
    """A readable property path (an IRI, or ``^p`` / a sequence for the simple complex paths)."""
    import rdflib

    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return _short(node)
    inverse = graph.value(node, rdflib.URIRef(_SH + "inversePath"))
    if inverse is not None:
        return "^" + (_path_text(graph, inverse) or "?")
    try:
        items = list(rdflib.collection.Collection(graph, node))
    except Exception:
        items = []
    if items:
        return "/".join(_path_text(graph, i) or "?" for i in items)
    return str(node)


_lock = threading.Lock()


@contextmanager
def _prepared_queries() -> Iterator[None]:
    """Parse each SPARQL constraint once, not once per focus node.

    pySHACL hands rdflib the text of a shape's SPARQL constraint for every node it checks, and
    rdflib parses it every time (most of the run on the bundled corpus). For the duration of a
    validation, rdflib's SPARQL processor keeps the translated query of each text, as
    ``rdflib.plugins.sparql.prepareQuery`` would; the lock keeps the swap to one validation at
    a time.
    """
    from rdflib.plugins.sparql import processor

    cls = processor.SPARQLProcessor
    original = cls.query
    cache: dict[tuple, object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            prepared = cache.get(key)
            if prepared is None:
                prepared = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
                cache[key] = prepared
            strOrQuery = prepared
        return original(self, strOrQuery, initBindings or {}, initNs, base, DEBUG)

    with _lock:
        cls.query = query  # type: ignore[method-assign]
        try:
            yield
        finally:
            cls.query = original  # type: ignore[method-assign]


def validate_graph(
    data,
    *,
    shapes: Path | None = None,
    ontology: Path | None = None,
    inference: str = "none",
) -> ValidationReport:
    """Validate an :class:`rdflib.Graph` (data and lexicon together) against the shapes.

    ``shapes`` defaults to ``ontology/shapes.ttl``; ``ontology`` (the ``ont_graph``, default
    ``ontology/kgraph.ttl``) is used with ``inference="rdfs"``.

    >>> import rdflib
    >>> validate_graph(rdflib.Graph()).conforms
    True
    """
    try:
        import pyshacl
    except ImportError as e:  # pragma: no cover - pyshacl is a dependency of kgraph
        raise KGraphError(f"validation needs pySHACL (pip install pyshacl): {e}") from None
    import rdflib

    folder = ontology_dir()
    shapes = shapes or folder / "shapes.ttl"
    if not shapes.is_file():
        raise KGraphError(f"no SHACL shapes at {shapes}")
    try:
        shacl = rdflib.Graph().parse(shapes, format="turtle")
    except Exception as e:
        raise KGraphError(f"{shapes}: cannot read the shapes: {e}") from None
    ont = None
    if inference != "none":
        ont = rdflib.Graph().parse(ontology or folder / "kgraph.ttl", format="turtle")
    with _prepared_queries():
        conforms, results, text = pyshacl.validate(
            data,
            shacl_graph=shacl,
            ont_graph=ont,
            inference=inference,
            advanced=True,
            allow_warnings=True,
        )
    sh = rdflib.Namespace(_SH)
    violations = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        severity = results.value(result, sh.resultSeverity)
        violations.append(
            Violation(
                focus=_short(results.value(result, sh.focusNode)) or "",
                path=_path_text(results, results.value(result, sh.resultPath)),
                message=str(results.value(result, sh.resultMessage) or ""),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=_short(results.value(result, sh.sourceShape))
                if isinstance(results.value(result, sh.sourceShape), rdflib.URIRef)
                else None,
                value=_short(results.value(result, sh.value)),
                constraint=_short(results.value(result, sh.sourceConstraintComponent)),
            )
        )
    violations.sort(key=lambda v: (v.message, v.focus, v.path or "", v.value or ""))
    return ValidationReport(bool(conforms), violations, len(data), str(text))


def validate(store: Store, **options) -> ValidationReport:
    """Validate everything in ``store`` (data and ontology graphs) against ``shapes.ttl``.

    Options as for :func:`validate_graph`.

    >>> from kgraph import load
    >>> validate(load().store).violations
    []
    """
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=store.dump("nt"), format="nt")
    return validate_graph(graph, **options)
