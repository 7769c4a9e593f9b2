"""The ``kgraph`` command: a thin layer over the library.

Every command takes ``--store`` (default ``build/store``, or ``$KGRAPH_STORE``), so several graphs
can live side by side.

>>> from click.testing import CliRunner
>>> print(CliRunner().invoke(main, ["query", "--help"]).output.splitlines()[0])
Usage: main query [OPTIONS] [SPARQL]
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import KGraphError
from .export import FORMATS as EXPORTS
from .store.results import RESULT_FORMATS

__all__ = ["main"]

EXPORT_FORMATS = list(EXPORTS)
#: Annotation formats written back from the graph's documents (kgraph.writers).
ANNOTATION_FORMATS = ["brat", "bioc-xml", "bioc-json", "pubannotation"]

err = Console(stderr=True)
out = Console()


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
            err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
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
@click.option(
    "--include-proposed",
    is_flag=True,
    help="Count unreviewed proposals (`kgraph annotate`) as claims: direct triples and claim "
    "summary. By default they are kept as proposal statements only.",
)
@click.option(
    "--validate/--no-validate",
    "validate",
    default=None,
    help="Check the new graph against the SHACL shapes (default: when it has under 50,000 "
    "triples; pySHACL is slow on big graphs, use `kgraph validate` on purpose there).",
)
@click.option(
    "--diff/--no-diff",
    "show_diff",
    default=True,
    help="Print what the build changed against the previous graph (documents, statements, "
    "claims; compared by digests inside the stores, about 20 CPU-seconds per 100,000 "
    "abstracts).",
)
def build(
    sources, store_url, fmt, lenient, mappings, quiet, include_proposed, validate, show_diff
) -> None:
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
    previous = store.current() if show_diff and hasattr(store, "current") else None  # issue 19
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
            store,
            sources,
            format=fmt,
            lenient=lenient,
            include_proposed=include_proposed,
            mappings=mappings,
            progress=progress,
            validate=validate,
        )
    elapsed = time.perf_counter() - started
    summary = report.summary()
    from .messages import store_name, validation_note
    from .validate import AUTO_LIMIT, available

    table = Table(title=f"kgraph build → {store_name(store.url)}", show_header=False)
    for key in ("documents", "mentions", "entities", "relations", "assertions", "triples"):
        table.add_row(key, f"{summary[key]:,}")
    table.add_row("warnings", f"{summary['warnings']:,}")
    for how, n in sorted(report.grounded.items()):
        table.add_row(f"  grounded by {how}", f"{n:,}")
    for reason, n in sorted(report.skipped.items()):
        table.add_row(f"  skipped: {reason}", f"{n:,}")
    for reason, n in sorted(report.notes.items()):
        table.add_row(f"  note: {reason}", f"{n:,}")
    checked = report.validation
    table.add_row("SHACL violations", validation_note(checked, validate, AUTO_LIMIT, available()))
    table.add_row("time", f"{elapsed:.2f} s")
    out.print(table)
    for w in report.warnings[:10]:
        err.print(f"[yellow]warning:[/] {escape(w)}", highlight=False)
    if len(report.warnings) > 10:
        err.print(f"… and {summary['warnings'] - 10:,} more warnings")
    if checked is not None and not checked.conforms:
        err.print(
            f"[yellow]warning:[/] the graph breaks {len(checked.violations):,} SHACL "
            "constraint(s): `kgraph validate` lists them"
        )
    from .diff import since

    if (change := since(store, previous)) is not None:
        out.print(change.summary(), highlight=False, markup=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_store_option
@click.option("--format", "fmt", default=None, help="Reader to use (default: from each name).")
@click.option("--lenient", is_flag=True, help="Report unknown types/entities as warnings.")
def add(files, store_url, fmt, lenient) -> None:
    """Add the documents of FILES to the store (a document already there is replaced), as a
    rebuild with them would; prints what changed."""
    from .incremental import add_documents
    from .store import open_store

    report = add_documents(open_store(store_url), files, format=fmt, lenient=lenient)
    out.print(report.diff.summary(), highlight=False, markup=False)
    for w in report.build.warnings[:10]:
        err.print(f"[yellow]warning:[/] {w}", highlight=False)


@main.command()
@click.argument("documents", nargs=-1, required=True)
@_store_option
def remove(documents, store_url) -> None:
    """Remove DOCUMENTS (identifiers such as PMID:123, document ids or IRIs) from the store."""
    from .incremental import remove_documents
    from .store import open_store

    report = remove_documents(open_store(store_url), documents)
    out.print(report.diff.summary(), highlight=False, markup=False)


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Every item as JSON.")
def diff(a, b, as_json) -> None:
    """What changed from A to B (stores, or a store and a corpus file or folder): documents,
    statements and claims added, removed and changed."""
    from .diff import diff as compare
    from .diff import opened

    with opened(a) as sa, opened(b) as sb:
        change = compare(sa, sb)
    if as_json:
        click.echo(json.dumps(change.to_json(), indent=1, ensure_ascii=False))
    else:
        out.print(change.summary(), highlight=False, markup=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Corpus folder to write (manifest.toml + .txt + .ann); `kgraph build` reads it.",
)
@click.option("--title", default=None, help="Document title (default: from the input).")
@click.option(
    "--source-type",
    default=None,
    help="kgo: source type, e.g. PeerReviewedArticle, ScienceNews, ClinicMarketingPage.",
)
@click.option("--date", default=None, help="Publication date (ISO 8601).")
@click.option("--url", default=None, help="Where the document was published.")
@click.option("--pmid", default=None, help="PubMed id (default: from PubTator/BioC input).")
@click.option("--publisher", default=None, help="Site or outlet (default: 'not stated').")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option(
    "--no-general-lexicon",
    is_flag=True,
    help="Match only the kgraph lexicon, not the general MeSH names of chemicals and diseases.",
)
def annotate(
    inputs, out_dir, title, source_type, date, url, pmid, publisher, force, no_general_lexicon
) -> None:
    """Propose grounded, qualified claims for INPUTS (text, Markdown, HTML, PubTator, BioC,
    brat, PubAnnotation; `-` reads pasted text from standard input) and write them, marked
    Proposed, as a corpus folder."""
    from .annotate import annotate_files

    meta = {"title": title, "source_type": source_type, "date": date, "url": url, "pmid": pmid}
    folder, docs = annotate_files(
        inputs,
        out_dir,
        publisher=publisher,
        force=force,
        general_lexicon=not no_general_lexicon,
        **meta,
    )
    table = Table(title=f"kgraph annotate → {folder}", show_header=True)
    for col in ("document", "mentions", "relations", "high", "medium", "low"):
        table.add_column(col)
    for d in docs:
        bins = [sum(r.confidence == b for r in d.relations) for b in ("High", "Medium", "Low")]
        table.add_row(d.id, str(len(d.mentions)), str(len(d.relations)), *map(str, bins))
    out.print(table)


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.File("r"), help="Read the query from FILE.")
@_store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(RESULT_FORMATS)),
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
    from .query import run
    from .store import open_store

    if list_:
        rows = [
            [q.name, q.title, "\n".join(p.signature() for p in q.params) or "—"]
            for q in named_queries().values()
        ]
        _print_table(["name", "title", "parameters"], rows, "named queries (kgraph query NAME)")
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
    from .errors import QueryError
    from .messages import empty_result_note, sparql_error
    from .suggest import check_values, unknown

    name = sparql.strip()
    named = file is None and name in named_queries()
    if file is None and not named and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise KGraphError(unknown("named query", name, named_queries()) + " (kgraph query --list)")
    if named:
        check_values(named_queries()[name], values)
    elif values:
        raise click.UsageError(
            f"--param is for named queries; {sparql.strip()[:40]!r} is not one (see --list)"
        )
    store = open_store(store_url, read_only=True)
    try:
        result = run_named(store, name, **values) if named else run(store, sparql)
    except QueryError as e:
        raise KGraphError(sparql_error(sparql, str(e))) from None
    _print_result(result, fmt)
    if fmt == "table" and result.kind == "select" and not result.rows:
        err.print(empty_result_note(store, values if named else None), highlight=False)


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
    if not result.rows:
        return
    rows = [
        [shorten(t.value) if isinstance(t, NamedNode) else term_text(t) for t in row]
        for row in result.rows
    ]
    _print_table([str(v) for v in result.variables], rows)
    err.print(f"{len(result.rows)} row(s)")


def _print_table(columns, rows, title=None, keep=("name",)) -> None:
    """A table that fits the terminal; the columns it leaves out are named on stderr."""
    from .tables import dropped_note, fit_table

    table, dropped = fit_table(columns, rows, width=out.width, keep=keep, title=title)
    out.print(table)
    if dropped:
        err.print(dropped_note(dropped), highlight=False)


@main.command("resolve")
@click.argument("names", nargs=-1, required=True)
@_store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "tsv"]),
    default="table",
    show_default=True,
    help="A table, or NAME<TAB>IRI lines (NAME<TAB>error: … for a name that fails).",
)
def resolve_names(names, store_url, fmt) -> None:
    """Say which entity each of NAMES means (label, synonym, CURIE or IRI), as every command,
    named query, notebook and view resolves it; ambiguous names list their candidates, unknown
    ones the closest names. Exit 1 if any name fails.
    """
    from .errors import AmbiguousNameError, UnknownNameError
    from .query import resolve
    from .store import open_store

    store = open_store(store_url, read_only=True)
    rows, failed = [], False
    for name in names:
        try:
            rows.append((name, resolve(store, name)))
        except (AmbiguousNameError, UnknownNameError) as e:
            rows.append((name, f"error: {e}"))
            failed = True
    if fmt == "tsv":
        for name, answer in rows:
            click.echo(f"{name}\t{answer}")
    else:
        table = Table("name", "entity")
        for name, answer in rows:
            table.add_row(name, answer)
        out.print(table)
    if failed:
        sys.exit(1)


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
@click.option(
    "--focus", metavar="NAME", help="Show only NAME's neighbourhood (label, synonym, CURIE)."
)
@click.option(
    "--depth", type=click.IntRange(0, 10), default=1, show_default=True, help="Neighbourhood depth."
)
@click.option(
    "--path",
    "path_between",
    nargs=2,
    metavar="FROM TO",
    help="Show the chains of asserted claims from FROM to TO (e.g. ketamine 'antidepressant effect').",
)
@click.option(
    "--max-length",
    type=click.IntRange(1, 8),
    default=4,
    show_default=True,
    help="Longest chain --path shows, in claims.",
)
@click.option(
    "--query",
    "query_file",
    type=click.File("r"),
    metavar="FILE",
    help="Show the result of a SPARQL CONSTRUCT, or of a SELECT with ?s ?p ?o.",
)
@click.option(
    "--compare",
    "compare",
    is_flag=True,
    help="Open on NAMES side by side (e.g. --compare ketamine esketamine arketamine).",
)
@click.option(
    "--mechanisms",
    metavar="NAME",
    help="Show how NAME is said to work: its mechanism chains, ranked by weight and specificity.",
)
@click.argument("names", nargs=-1)
@click.option("--title", help="Page title.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@click.option(  # kgraph.curation.explorer
    "--review",
    is_flag=True,
    help="Open in review mode: accept, reject or correct statements; download curation.jsonl.",
)
def view(
    store_url,
    output,
    focus,
    depth,
    path_between,
    max_length,
    query_file,
    compare,
    mechanisms,
    names,
    title,
    open_browser,
    review,
) -> None:
    """Write the graph as a self-contained, offline HTML explorer.

    The page needs no network: search, filters, evidence panel and focus all work from the file.
    """
    from .store import open_store
    from .views import write_html

    if sum(x is not None for x in (focus, path_between, query_file)) > 1:
        raise click.UsageError("give only one of --focus, --path and --query")
    if bool(names) != compare or (compare and len(names) < 2):
        raise click.UsageError(
            "--compare takes two or more compound names (and only it takes names)"
        )
    store = open_store(store_url, read_only=True)
    if mechanisms is not None:
        from .views.mechanisms import write_chains

        done = write_chains(store, output, mechanisms, cutoff=max_length)
        err.print(f"wrote {output} ({done['chains']} mechanism chains; best: {done['best']})")
        return
    info = write_html(
        store,
        output,
        focus=focus,
        depth=depth,
        path_between=tuple(path_between) if path_between else None,
        query=query_file.read() if query_file is not None else None,
        title=title,
        cutoff=max_length,
        compare=names or None,
        review=review,
    )
    extra = f", {info['paths']} chains" if "paths" in info else ""
    err.print(f"wrote {output} ({info['nodes']} nodes, {info['edges']} edges{extra})")
    if info.get("note"):
        err.print(f"[yellow]note:[/] {info['note']}", highlight=False)
    if open_browser:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


@main.command()
@_store_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def stats(store_url, fmt) -> None:
    """Counts: documents, assertions, entities by class, relations, evidence levels."""
    from .query import BREAKDOWNS
    from .query import stats as stats_of
    from .store import open_store

    data = stats_of(open_store(store_url, read_only=True))
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    table = Table("what", "count", title="kgraph stats")
    for key, value in data.items():
        if key not in BREAKDOWNS:
            table.add_row(key, f"{value:,}")
    for key in BREAKDOWNS:
        table.add_section()
        table.add_row(f"[bold]{key}[/]", "")
        for name, n in data[key].items():  # type: ignore[union-attr]
            table.add_row(f"  {name}", f"{n:,}")
    out.print(table)


@main.command()
@_store_option
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS + ANNOTATION_FORMATS), required=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # a string: kgx tells a folder by its trailing "/"
    default=None,
    help="File to write (default: standard output). For kgx: a folder, existing or ending in "
    "/ (nodes.jsonl, edges.jsonl), or a prefix (PREFIX_nodes.jsonl, PREFIX_edges.jsonl).",
)
@click.option(  # kgraph.writers.bioc
    "--offset-unit",
    type=click.Choice(["utf-16", "code-point", "utf-8"]),
    default=None,
    help="bioc-xml / bioc-json: what offsets count (default utf-16, as Java BioC tools do).",
)
def export(store_url, fmt, output, offset_unit) -> None:
    """Export the whole graph: RDF (ttl, nt, nq, trig, jsonld), KGX JSON Lines (kgx, Biolink),
    GraphML (graphml) or W3C Web Annotations of the evidence (wa); or its documents with their
    annotations, for brat / INCEpTION / BioC / PubAnnotation tools (brat: -o DIR, the others -o FILE).

    For a big graph, `--format nq` feeds Virtuoso's and QLever's bulk loaders.
    """
    from .export import export_bytes, write_export
    from .store import open_store

    store = open_store(store_url, read_only=True)
    if fmt in ANNOTATION_FORMATS:
        from .writers.cli import export_annotations

        return export_annotations(store, fmt, output, err, offset_unit=offset_unit)
    if offset_unit is not None:
        raise click.UsageError("--offset-unit is for --format bioc-xml or bioc-json")
    if output is None:
        if fmt == "kgx":
            raise click.UsageError("kgx writes two files: give -o DIR or -o PREFIX")
        sys.stdout.buffer.write(export_bytes(store, fmt))
        return
    for path in write_export(store, fmt, output):
        err.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


@main.command()
@_store_option
@click.option(
    "--inference",
    type=click.Choice(["none", "rdfs"]),
    default="none",
    show_default=True,
    help="RDFS inference before checking (slower; adds types from domains and ranges).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def validate(store_url, inference, fmt) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 if it breaks any."""
    from .counts import triple_counts
    from .store import open_store
    from .validate import validate as run_validation

    store = open_store(store_url, read_only=True)
    report = run_validation(store, inference=inference)
    triples = triple_counts(store)["triples"]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "conforms": report.conforms,
                    "triples": triples,
                    "violations": [v.__dict__ for v in report.violations],
                },
                indent=2,
            )
        )
    elif report.conforms:
        out.print(f"[green]conforms[/]: the graph's {triples:,} triples meet every SHACL shape")
    else:
        table = Table("focus node", "path", "message", "value", title="SHACL violations")
        for v in report.violations:
            table.add_row(v.focus, v.path or "", v.message, v.value or "")
        out.print(table)
        err.print(f"{len(report.violations):,} violation(s) in a graph of {triples:,} triples")
    if not report.conforms:
        sys.exit(1)


@main.command("entities")
@click.argument("search")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def entities_command(search, limit, fmt) -> None:
    """Look up lexicon entities by label, synonym or identifier (what to write in a brat
    Reference note): kg: name, class, identifiers, definition. No store needed."""
    from .lookup import search as lookup

    hits = lookup(search, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([{"match": how, "curie": e.curie, **e.__dict__} for e, how in hits]))
        return
    if not hits:
        raise KGraphError(f"no lexicon entity is called anything like {search!r}")
    for e, how in hits:  # one block per entity: readable at any width, nothing left out
        out.print(f"[bold]{e.curie}[/]  {escape(e.label)}  ({e.cls}; matched by {how})")
        for key, value in (
            ("identifiers", ", ".join(e.identifiers)),
            ("synonyms", ", ".join(e.synonyms)),
            ("definition", e.definition),
        ):
            if value:
                out.print(f"  {key}: {escape(value)}", highlight=False)


from .curation.commands import curate  # noqa: E402  (kgraph curate …: kgraph/curation/commands.py)

main.add_command(curate)


@main.command("formats")
def list_formats() -> None:
    """List the input formats kgraph reads."""
    from .formats import formats

    table = Table("format", "file endings", "what")
    for name, reader in sorted(formats().items()):
        table.add_row(name, " ".join(reader.suffixes) or "(folder)", reader.description)
    out.print(table)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0: any free one).")
@_store_option
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=float,
    help="Seconds a query may run; past that it is stopped (503).",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    type=int,
    help="Largest result (rows or triples); larger ones are refused (507), never cut short.",
)
@click.option(
    "--max-bytes",
    default=64,
    show_default=True,
    type=int,
    help="Largest answer in MiB; larger ones are refused (507).",
)
@click.option(
    "--max-memory",
    default=1024,
    show_default=True,
    type=int,
    help="MiB a query's worker may grow by; past that the query is stopped (507).",
)
@click.option("--workers", default=2, show_default=True, type=int, help="Query worker processes.")
@click.option(
    "--short-timeout",
    default=0.5,
    show_default=True,
    type=float,
    help="Seconds a query may run in the reserved lane used when every worker is busy.",
)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (needs --token).")
@click.option(
    "--token",
    envvar="KGRAPH_TOKEN",
    default=None,
    help="Bearer token an update must carry (or $KGRAPH_TOKEN).",
)
@click.option(
    "--cors-origin",
    default=None,
    metavar="ORIGIN",
    help="Allow cross-origin requests from ORIGIN (off by default).",
)
@click.option(
    "--allow-curation",
    is_flag=True,
    help="Take curation acts (POST /curation, the /review page) into --corpus's curation.jsonl.",
)
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None)
def serve(
    host,
    port,
    store_url,
    timeout,
    max_rows,
    max_bytes,
    max_memory,
    workers,
    short_timeout,
    allow_update,
    token,
    cors_origin,
    allow_curation,
    corpus,
):
    """Serve SPARQL (/sparql), the explorer (/) and a query page (/query) over HTTP.

    Read-only and bound to 127.0.0.1 unless told otherwise; each query runs in a worker process
    that is stopped at --timeout. A rebuilt store is served from the next request on.
    """
    from .server import ServerConfig
    from .server import serve as run_server
    from .store import default_store

    path = Path(store_url or default_store())
    if "://" in str(path) or str(path) in ("memory:", ":memory:"):
        raise click.UsageError("kgraph serve needs an on-disk store (--store PATH)")
    if str(path).startswith("oxigraph:"):
        path = Path(str(path)[len("oxigraph:") :])
    config = ServerConfig(
        store=path,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes << 20,
        max_memory=max_memory << 20,
        workers=workers,
        short_timeout=short_timeout,
        allow_update=allow_update,
        token=token,
        cors_origin=cors_origin,
        allow_curation=allow_curation,
        corpus=corpus,
    )
    if host not in ("127.0.0.1", "::1", "localhost"):
        err.print(f"[yellow]warning:[/] listening on {host}: other machines can reach this server")
    run_server(config, announce=lambda line: click.echo(line, err=True))


if __name__ == "__main__":  # pragma: no cover
    main()
