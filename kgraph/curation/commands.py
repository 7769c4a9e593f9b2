"""``kgraph curate``: accept, reject, correct or add a statement; list the log; diff a review.

The command logic of the CLI (``kgraph/cli.py`` only adds this group).

>>> sorted(curate.commands)
['accept', 'add', 'add-entity', 'correct', 'diff', 'lexicon', 'list', 'page', 'reject']
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..model import Span
from ..store import open_store
from .acts import curate as curate_act
from .diff import diff_folders
from .lexicon import lexicon_turtle
from .log import LOG, TAGS, append
from .page import review_page
from .report import review

__all__ = ["curate"]


def _span(value: str | None) -> Span | None:
    if value is None:
        return None
    start, sep, end = value.partition(":")
    if not sep or not start.isdigit() or not end.isdigit() or int(end) < int(start):
        raise click.BadParameter(f"{value!r} is not START:END")
    return Span(int(start), int(end))


def _common(f):
    options = [
        click.option(
            "--corpus",
            required=True,
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help=f"The corpus folder (its {LOG} gets the act).",
        ),
        click.option("--document", required=True, help="Document id (or PMID)."),
        click.option("--subject", required=True, help="Subject: a name, synonym, CURIE or IRI."),
        click.option("--predicate", required=True, help="The relation (e.g. antagonistOf)."),
        click.option("--object", "object_", required=True, help="Object: a name, CURIE or IRI."),
        click.option(
            "--curator", required=True, envvar="KGRAPH_CURATOR", help="Who ($KGRAPH_CURATOR)."
        ),
        click.option("--reason", default="", help="Why, in a sentence."),
        click.option(
            "--tag",
            "tags",
            multiple=True,
            type=click.Choice(TAGS),
            help="A reason code (repeatable).",
        ),
        click.option(
            "--quote", default=None, help="The sentence's text (when several make the statement)."
        ),
        click.option("--sentence", default=None, help="The sentence's START:END offsets."),
        click.option("--time", default=None, help="When (ISO 8601; default: now)."),
        click.option(
            "--store",
            "store_url",
            default=None,
            help="Resolve names through this graph (default: CURIEs and lexicon labels only).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _changes(f):
    options = [
        click.option("--set-predicate", default=None, help="The right relation."),
        click.option(
            "--polarity",
            type=click.Choice(["negated", "affirmed"]),
            default=None,
            help="The right polarity.",
        ),
        click.option("--certainty", type=click.Choice(["Asserted", "Hedged"]), default=None),
        click.option("--level", default=None, help="The right evidence level (e.g. Preclinical)."),
        click.option("--comparison", default=None, help="Less | More | Similar."),
        click.option("--degree", default=None, help="Weak | Moderate | Strong."),
        click.option("--mediation", default=None, help="Through | Independent."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _run(act: str, kw: dict, changes: dict[str, object] | None = None) -> None:
    store = None
    if kw.get("store_url"):
        store = open_store(kw["store_url"], read_only=True)
    a, line = curate_act(
        kw["corpus"],
        act,
        document=kw["document"],
        subject=kw["subject"],
        predicate=kw["predicate"],
        object=kw["object_"],
        curator=kw["curator"],
        reason=kw["reason"],
        tags=kw["tags"],
        quote=kw["quote"],
        sentence=_span(kw["sentence"]),
        changes=changes,
        time=kw["time"],
        store=store,
    )
    click.echo(
        f"{kw['corpus'] / LOG}:{line}: {a.act} {a.subject} {a.predicate} {a.object}", err=True
    )


@click.group()
def curate() -> None:
    """Review statements: accept, reject, correct or add one, recorded in the corpus's
    curation.jsonl and replayed on every build."""


@curate.command()
@_common
def accept(**kw) -> None:
    """Accept a statement (a proposal becomes a claim)."""
    _run("accept", kw)


@curate.command()
@_common
def reject(**kw) -> None:
    """Reject a statement: no direct triple, no claim; kept visible as rejected with the reason."""
    _run("reject", kw)


def _gather(kw: dict) -> dict[str, object]:
    changes: dict[str, object] = {}
    for opt, key in (
        ("set_predicate", "predicate"),
        ("certainty", "certainty"),
        ("level", "evidence_level"),
        ("comparison", "comparison"),
        ("degree", "degree"),
        ("mediation", "mediation"),
    ):
        value = kw.pop(opt, None)
        if value is not None:
            changes[key] = value.removeprefix("kgo:") if key == "predicate" else value
    polarity = kw.pop("polarity", None)
    if polarity is not None:
        changes["negated"] = polarity == "negated"
    return changes


@curate.command()
@_common
@_changes
def correct(**kw) -> None:
    """Correct a statement's relation, polarity, certainty, level or a qualifier."""
    changes = _gather(kw)
    if not changes:
        raise click.UsageError("say what to correct (--set-predicate, --polarity, --certainty, …)")
    _run("correct", kw, changes)


@curate.command()
@_common
@_changes
@click.option("--subject-text", required=True, help="The subject's words in the sentence.")
@click.option("--object-text", required=True, help="The object's words in the sentence.")
@click.option("--subject-type", default=None, help="The subject's class, if outside the lexicon.")
@click.option("--object-type", default=None, help="The object's class, if outside the lexicon.")
def add(**kw) -> None:
    """Add a statement the annotation missed (give --quote or --sentence)."""
    if kw["quote"] is None and kw["sentence"] is None:
        raise click.UsageError("add needs the sentence: --quote TEXT or --sentence START:END")
    changes = _gather(kw)
    changes.pop("predicate", None)
    for key in ("subject_text", "object_text", "subject_type", "object_type"):
        value = kw.pop(key)
        if value is not None:
            changes[key] = value
    _run("add", kw, changes)


@curate.command("add-entity")
@click.option(
    "--corpus", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--document", required=True, help="A document that mentions it (id or PMID).")
@click.option(
    "--subject",
    required=True,
    help="The proposed entity: its kg:text/… CURIE, or its words in the document.",
)
@click.option("--class", "cls", required=True, help="Its class (Compound, Receptor, …).")
@click.option("--label", required=True, help="Its preferred label.")
@click.option("--synonym", "synonyms", multiple=True, help="Another name (repeatable).")
@click.option(
    "--identifier", "identifiers", multiple=True, help="A checked CURIE, CHEBI:… (repeatable)."
)
@click.option("--entity", default=None, help="Its kg: name (default: the label in snake_case).")
@click.option("--curator", required=True, envvar="KGRAPH_CURATOR", help="Who ($KGRAPH_CURATOR).")
@click.option("--reason", default="", help="Why, in a sentence.")
@click.option("--tag", "tags", multiple=True, type=click.Choice(TAGS), help="A reason code.")
@click.option("--time", default=None, help="When (ISO 8601; default: now).")
def add_entity(**kw) -> None:
    """Accept an entity the lexicon lacks (annotate proposes them at low confidence): a reviewed
    lexicon entry, replayed by every build; `kgraph curate lexicon` writes it for entities.ttl."""
    changes = {"entity": kw["entity"], "label": kw["label"], "synonyms": list(kw["synonyms"]),
               "identifiers": list(kw["identifiers"])}  # fmt: skip
    a, line = curate_act(
        kw["corpus"],
        "add-entity",
        document=kw["document"],
        subject=kw["subject"],
        predicate="rdf:type",
        object=kw["cls"],
        curator=kw["curator"],
        reason=kw["reason"],
        tags=kw["tags"],
        changes=changes,
        time=kw["time"],
    )
    click.echo(f"{kw['corpus'] / LOG}:{line}: add-entity {a.set['entity']} ({a.object})", err=True)


@curate.command()
@click.option(
    "--corpus",
    "corpora",
    required=True,
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=f"A corpus folder whose {LOG} to read (repeatable).",
)
@click.option(
    "--append-to",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Append the entries to this Turtle file (ontology/entities.ttl); default: print them.",
)
def lexicon(corpora: tuple[Path, ...], append_to: Path | None) -> None:
    """The reviewed lexicon entries (add-entity acts) as entities.ttl Turtle, to make them
    permanent; an entity the file already has is left out."""
    text = lexicon_turtle(corpora, existing=append_to)
    if append_to is None:
        sys.stdout.write(text)
        return
    if not text:
        click.echo(f"nothing to add: {append_to} has every reviewed entry", err=True)
        return
    with append_to.open("a", encoding="utf-8") as f:
        f.write(text)
    click.echo(f"appended {text.count(' a kgo:')} entities to {append_to}", err=True)


@curate.command("list")
@click.option(
    "--corpus", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--document", default=None, help="Only this document's acts.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
def list_(corpus: Path, document: str | None, fmt: str) -> None:
    """The log's acts, each with what replay made of it (applied, contested, orphan)."""
    rows = [r for r in review(corpus) if document in (None, r["document"])]
    if fmt == "jsonl":
        import json

        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{corpus / LOG}")
    for col in ("line", "act", "document", "statement", "curator", "time", "reason", "outcome"):
        table.add_column(col)
    for r in rows:
        statement = f"{r['subject']} {r['predicate']} {r['object']}"
        table.add_row(
            str(r["line"]),
            r["act"],
            r["document"],
            statement,
            r["curator"],
            r["time"],
            r["reason"],
            r["outcome"],
        )
    Console().print(table)


@curate.command()
@click.argument("proposed", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("reviewed", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--curator", required=True, envvar="KGRAPH_CURATOR", help="Who reviewed.")
@click.option("--reason", default="reviewed in brat", show_default=True)
@click.option(
    "--append-to",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help=f"Append the acts to this corpus's {LOG} (default: print them).",
)
def diff(proposed: Path, reviewed: Path, curator: str, reason: str, append_to: Path | None) -> None:
    """Curation lines from a proposal folder and the same folder reviewed in brat / INCEpTION."""
    acts = diff_folders(proposed, reviewed, curator=curator, reason=reason)
    if append_to is None:
        for a in acts:
            sys.stdout.write(a.to_json() + "\n")
        return
    for a in acts:
        line = append(append_to / LOG, a)
        click.echo(
            f"{append_to / LOG}:{line}: {a.act} {a.subject} {a.predicate} {a.object}", err=True
        )
    if not acts:
        click.echo("no differences: nothing reviewed", err=True)


@curate.command()
@click.option("--store", "store_url", default=None, help="The graph (default: build/store).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--title", default="kgraph review", show_default=True)
def page(store_url: str | None, output: Path, title: str) -> None:
    """Write the explorer opened in review mode (as `kgraph view --review`): proposals most
    confident first, accept / reject / correct on each statement, new entities for the lexicon;
    it collects the acts as curation.jsonl lines to download."""
    store = open_store(store_url, read_only=True)
    output.write_text(review_page(store, title=title), encoding="utf-8")
    click.echo(f"wrote {output}", err=True)
