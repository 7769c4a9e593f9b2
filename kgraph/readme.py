"""The README's tables, generated from the registries, so the documentation cannot drift.

Each table sits in ``README.md`` between ``<!-- NAME -->`` and ``<!-- /NAME -->``:
``formats`` (the readers of :mod:`kgraph.formats`), ``exports`` (:data:`kgraph.export.FORMATS`),
``result-formats`` (what ``kgraph query --format`` writes, with pyoxigraph's media types),
``commands`` (the ``kgraph`` commands) and ``named-queries`` (:mod:`kgraph.queries`). A test
compares them; ``python -m kgraph.readme README.md`` rewrites them.

>>> tables()["exports"].splitlines()[0]
'| `--format` | what it writes |'
>>> "<!-- exports -->" in update("<!-- exports -->\\nold\\n<!-- /exports -->")
True
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .cli import main
from .export import FORMATS as EXPORT_FORMATS
from .formats import formats
from .queries import markdown_table
from .store.results import RESULT_FORMATS

__all__ = ["tables", "update"]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _formats() -> str:
    lines = ["| `--format` | file endings | what it reads |", "|---|---|---|"]
    for name, reader in sorted(formats().items()):
        endings = ", ".join(f"`{s}`" for s in reader.suffixes) or "a folder"
        lines.append(f"| `{name}` | {endings} | {_cell(reader.description)} |")
    return "\n".join(lines) + "\n"


def _exports() -> str:
    lines = ["| `--format` | what it writes |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(text)} |" for name, text in EXPORT_FORMATS.items()]
    return "\n".join(lines) + "\n"


def _result_formats() -> str:
    lines = ["| `--format` | media type | file ending |", "|---|---|---|"]
    for name in RESULT_FORMATS:
        if name == "table":
            lines.append("| `table` | a table on the terminal (the default) | |")
            continue
        fmt = ox.QueryResultsFormat.from_extension(name)
        lines.append(f"| `{name}` | `{fmt.media_type}` | `.{fmt.file_extension}` |")
    return "\n".join(lines) + "\n"


def _commands() -> str:
    lines = ["| command | what it does |", "|---|---|"]
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        first = (command.help or "").strip().split("\n\n")[0]
        lines.append(f"| `kgraph {name}` | {_cell(first)} |")
    return "\n".join(lines) + "\n"


def tables() -> dict[str, str]:
    """Every generated table (Markdown), by its README marker name.

    >>> sorted(tables())
    ['commands', 'exports', 'formats', 'named-queries', 'result-formats']
    """
    return {
        "formats": _formats(),
        "exports": _exports(),
        "result-formats": _result_formats(),
        "commands": _commands(),
        "named-queries": markdown_table(),
    }


def update(text: str) -> str:
    """``text`` (a README) with every marked table replaced by the generated one.

    >>> update("<!-- exports -->\\nstale\\n<!-- /exports -->").count("| `ttl` |")
    1
    """
    for name, table in tables().items():
        pattern = re.compile(
            rf"(<!-- {re.escape(name)} -->\n).*?(<!-- /{re.escape(name)} -->)", re.S
        )
        text = pattern.sub(lambda m, t=table: m.group(1) + t + m.group(2), text)
    return text


if __name__ == "__main__":  # pragma: no cover - python -m kgraph.readme README.md
    for arg in sys.argv[1:] or ["README.md"]:
        path = Path(arg)
        path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
