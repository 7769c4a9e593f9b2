"""What ``kgraph export --format brat|bioc-xml|bioc-json|pubannotation`` does (the CLI is a hook).

>>> from kgraph import load
>>> export_annotations(load().store, "brat", None, None)
Traceback (most recent call last):
...
click.exceptions.UsageError: brat writes a folder: give -o PATH
"""

from __future__ import annotations

from pathlib import Path

import click

from . import write_store, writers

__all__ = ["export_annotations"]


def export_annotations(
    store, fmt: str, output: str | None, console, *, offset_unit: str | None = None
) -> None:
    """Write the documents of ``store`` in ``fmt`` to ``output``; report to ``console``
    (``offset_unit``: BioC only, see :mod:`kgraph.writers.bioc`).

    >>> import tempfile, rich.console
    >>> from kgraph import load
    >>> out = tempfile.mkdtemp() + "/x.bioc.json"
    >>> export_annotations(load().store, "bioc-json", out, rich.console.Console(width=200))
    wrote 4 documents (...) in BioC JSON collection to ...
    """
    if output is None:
        what = "a folder" if fmt == "brat" else "a file"
        raise click.UsageError(f"{fmt} writes {what}: give -o PATH")
    options = {}
    if offset_unit is not None:
        if not fmt.startswith("bioc"):
            raise click.UsageError(f"--offset-unit is for bioc-xml or bioc-json, not {fmt}")
        options["offset_unit"] = offset_unit
    paths, report = write_store(store, Path(output), fmt, **options)
    size = sum(p.stat().st_size for p in paths)
    console.print(
        f"wrote {report.documents:,} documents ({report.mentions:,} mentions, "
        f"{report.relations:,} relations) in {writers()[fmt].description} to {output} "
        f"({len(paths)} files, {size:,} bytes)"
        + (f", offsets in {offset_unit}" if offset_unit else "")
    )
    for reason, n in sorted(report.skipped.items()):
        console.print(f"[yellow]not written: {n:,} × {reason}[/yellow]")
    for warning in report.warnings[:20]:
        console.print(f"  {warning}")
