"""The ``kgraph`` command: a thin layer over the library.

Every command takes ``--store`` (default ``build/store``, or ``$KGRAPH_STORE``), so several graphs
can live side by side.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .errors import KGraphError

__all__ = ["main"]

err = Console(stderr=True)
out = Console()

RESULT_FORMATS = ["table", "csv", "tsv", "json", "xml"]
EXPORT_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]


def _store_option(f):
    return click.option(
        "--store",
        "store_url",
        metavar="PATH|URL",
        default=None,
        help="Store path or URL (default: build/store, or $KGRAPH_STORE).",
    )(f)


class _Group(click.Group):
    """Turns kgraph's own errors into one clear line on stderr and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGraphError as e:
            err.print(f"[bold red]error:[/] {e}", highlight=False, markup=True, soft_wrap=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgraph")
def main() -> None:
    """Build, query and explore an evidence-backed knowledge graph of ketamine research."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_store_option
@click.option(
    "--format",
    "fmt",
    default=None,
    help="Reader to use (default: from each file name). See `kgraph formats`.",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Report unknown types/entities and recoverable input problems as warnings "
    "instead of failing.",
)
@click.option(
    "--mapping",
    "mappings",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Extra TOML mapping table of source types to ontology classes/properties.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(sources, store_url, fmt, lenient, mappings, quiet) -> None:
    """Build the graph from SOURCES (default: the bundled corpus) into the store, replacing it.

    The new graph is written beside the old one and swapped in only when complete: an error leaves
    the store as it was.
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .build import build_store
    from .store import open_store
    from .vocab import corpus_dir

    sources = list(sources) or [corpus_dir()]
    store = open_store(store_url)
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} documents"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("building", total=None)

        def progress(doc) -> None:
            bar.update(task, advance=1, description=f"reading {Path(doc.source or '').name}")

        report = build_store(
            store, sources, format=fmt, lenient=lenient, mappings=mappings, progress=progress
        )
    elapsed = time.perf_counter() - started
    summary = report.summary()
    table = Table(title=f"kgraph build → {store.url}", show_header=False)
    for key in ("documents", "mentions", "entities", "relations", "assertions", "triples"):
        table.add_row(key, f"{summary[key]:,}")
    table.add_row("warnings", f"{summary['warnings']:,}")
    for how, n in sorted(report.grounded.items()):
        table.add_row(f"  grounded by {how}", f"{n:,}")
    for reason, n in sorted(report.skipped.items()):
        table.add_row(f"  skipped: {reason}", f"{n:,}")
    table.add_row("time", f"{elapsed:.2f} s")
    out.print(table)
    for w in report.warnings[:10]:
        err.print(f"[yellow]warning:[/] {w}", highlight=False)
    if len(report.warnings) > 10:
        err.print(f"… and {summary['warnings'] - 10:,} more warnings")


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.File("r"), help="Read the query from FILE.")
@_store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Output format (SPARQL 1.1 results formats or a table).",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of a named query (repeatable), e.g. --param compound=arketamine.",
)
def query(sparql, file, store_url, fmt, list_, params) -> None:
    """Run a SPARQL query, or a named query by NAME (see --list).

    Prefixes kgo:, kg:, rdfs:, skos:, oa:, prov:… are predeclared. `kgraph query
    mechanism-chains --param compound=arketamine` runs a named query; `-` reads the query from
    standard input.
    """
    from .queries import named_queries, run_named
    from .store import open_store

    if list_:
        table = Table("name", "title", "parameters", title="named queries (kgraph query NAME)")
        for q in named_queries().values():
            table.add_row(q.name, q.title, "\n".join(p.signature() for p in q.params) or "—")
        out.print(table)
        return
    if file is not None:
        sparql = file.read()
    if not sparql:
        raise click.UsageError("give a query, a named query (see --list), or -f FILE")
    if sparql == "-":
        sparql = sys.stdin.read()
    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"--param takes NAME=VALUE, not {item!r}")
        values[name.strip()] = value
    store = open_store(store_url, read_only=True)
    if file is None and sparql.strip() in named_queries():
        result = run_named(store, sparql.strip(), **values)
    elif values:
        raise click.UsageError(
            f"--param is for named queries; {sparql.strip()[:40]!r} is not one (see --list)"
        )
    else:
        result = store.query(sparql)
    _print_result(result, fmt)


def _print_result(result, fmt: str) -> None:
    from pyoxigraph import NamedNode

    from .store.results import term_text
    from .vocab import shorten

    if fmt != "table":
        kind = {"table": "json"}.get(fmt, fmt)
        sys.stdout.buffer.write(result.serialize("nt" if result.kind == "graph" else kind))
        return
    if result.kind == "ask":
        out.print("true" if result.boolean else "false")
        return
    if result.kind == "graph":
        sys.stdout.buffer.write(result.serialize("ttl"))
        return
    table = Table(*result.variables, show_lines=False)
    for row in result.rows:
        table.add_row(
            *(shorten(t.value) if isinstance(t, NamedNode) else term_text(t) for t in row)
        )
    out.print(table)
    err.print(f"{len(result.rows)} row(s)")


@main.command()
@_store_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("build/kgraph.html"),
    show_default=True,
    help="Where to write the HTML page.",
)
def view(store_url, output) -> None:
    """Write the graph as a self-contained, offline HTML explorer."""
    from .store import open_store
    from .views import write_html

    store = open_store(store_url, read_only=True)
    info = write_html(store, output)
    err.print(f"wrote {output} ({info['nodes']} nodes, {info['edges']} edges)")


_STATS = {
    "documents": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kgo:Document }",
    "assertions": "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Assertion }",
    "claims": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
    "{ ?a a kgo:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }",
    "entities": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kgo:mentionedIn ?d }",
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}
_BY = {
    "entities by class": """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e kgo:mentionedIn ?d ; a ?c . ?c rdfs:label ?key . FILTER(STRSTARTS(STR(?c), STR(kgo:)))
        } GROUP BY ?key ORDER BY DESC(?n)""",
    "assertions by relation": """SELECT ?key (COUNT(*) AS ?n) WHERE {
        ?a a kgo:Assertion ; rdf:predicate ?p . ?p rdfs:label ?key } GROUP BY ?key
        ORDER BY DESC(?n)""",
    "assertions by evidence level": """SELECT ?key (COUNT(*) AS ?n) WHERE {
        ?a a kgo:Assertion . OPTIONAL { ?a kgo:evidenceLevel ?l }
        BIND(COALESCE(STRAFTER(STR(?l), "#"), "(none)") AS ?key) } GROUP BY ?key
        ORDER BY DESC(?n)""",
    "documents by source type": """SELECT ?key (COUNT(*) AS ?n) WHERE {
        ?d a kgo:Document ; kgo:sourceType ?t BIND(STRAFTER(STR(?t), "#") AS ?key) }
        GROUP BY ?key ORDER BY DESC(?n)""",
}


def stats_of(store) -> dict[str, object]:
    """Counts of the store's documents, assertions, claims, entities and triples, and breakdowns."""
    result: dict[str, object] = {}
    for key, sparql in _STATS.items():
        result[key] = int(store.query(sparql).rows[0][0].value)
    for key, sparql in _BY.items():
        result[key] = {r[0].value: int(r[1].value) for r in store.query(sparql).rows}
    return result


@main.command()
@_store_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def stats(store_url, fmt) -> None:
    """Counts: documents, assertions, entities by class, relations, evidence levels."""
    from .store import open_store

    data = stats_of(open_store(store_url, read_only=True))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    table = Table("what", "count", title="kgraph stats")
    for key in _STATS:
        table.add_row(key, f"{data[key]:,}")
    for key in _BY:
        table.add_section()
        table.add_row(f"[bold]{key}[/]", "")
        for name, n in data[key].items():  # type: ignore[union-attr]
            table.add_row(f"  {name}", f"{n:,}")
    out.print(table)


@main.command()
@_store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
def export(store_url, fmt, output) -> None:
    """Export the whole graph (ontology and data) as RDF."""
    from .export import export_bytes
    from .store import open_store

    data = export_bytes(open_store(store_url, read_only=True), fmt)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        err.print(f"wrote {output} ({len(data):,} bytes)")


@main.command("formats")
def list_formats() -> None:
    """List the input formats kgraph reads."""
    from .formats import formats

    table = Table("format", "file endings", "what")
    for name, reader in sorted(formats().items()):
        table.add_row(name, " ".join(reader.suffixes) or "(folder)", reader.description)
    out.print(table)


if __name__ == "__main__":  # pragma: no cover
    main()
