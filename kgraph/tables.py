"""Tables that fit the terminal: wrap long cells, drop columns that cannot fit, and say so.

Rich shrinks every column of a table that is too wide until each is a character or two wide (a
15-column result in 80 columns is unreadable). :func:`fit_table` decides instead: each column
keeps at least its longest word (up to :data:`WORD`) and wraps (headers wrap at ``_``, shown as a
space); columns named in ``keep`` (names a user must type) are never cut or wrapped; when the
columns still do not fit, others are left out and returned (identifiers first, then numbers, then
columns with the same value in every row, then from the right), so the caller can say
``--format csv`` shows everything.

>>> from rich.console import Console
>>> table, dropped = fit_table(["name", "title"], [["contested-claims", "Claims denied"]], width=40)
>>> dropped
[]
>>> Console(width=40).print(table)
┏━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ name             ┃ title         ┃
┡━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ contested-claims │ Claims denied │
└──────────────────┴───────────────┘
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

__all__ = ["WORD", "dropped_note", "fit_table", "table_width"]

#: A column wraps no narrower than its longest word, up to this many characters.
WORD = 20
#: Characters a column adds to a table beyond its text (padding and a border), and the last border.
_PER_COLUMN = 3
_EDGE = 1


def table_width(widths: Sequence[int]) -> int:
    """The width of a boxed table whose columns hold ``widths`` characters of text.

    >>> table_width([10, 20])
    37
    """
    return sum(widths) + _PER_COLUMN * len(widths) + _EDGE


def _natural(header: str, cells: Sequence[str]) -> int:
    return max([len(header), *(max((len(x) for x in c.splitlines()), default=0) for c in cells)])


def _least(header: str, cells: Sequence[str], natural: int) -> int:
    words = [len(w) for c in [_header(header), *cells] for w in c.split()]
    return min(natural, max(min(max(words, default=1), WORD), 4))


def _tier(cells: Sequence[str]) -> int:
    """Which columns go first when some must: identifiers (IRIs, CURIEs), then numbers, then
    columns with one value in every row (what the query was asked about), then the rest."""
    values = [c for c in cells if c]
    if values and all(" " not in c and (":" in c or "/" in c) for c in values):
        return 0
    if values and all(c.replace(".", "", 1).lstrip("-").isdigit() for c in values):
        return 1
    if len(cells) > 1 and len(set(cells)) == 1:
        return 2
    return 3


def _header(name: str) -> str:
    return name.replace("_", " ")


def fit_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int,
    keep: Sequence[str] = (),
    title: str | None = None,
) -> tuple[Table, list[str]]:
    """A rich :class:`~rich.table.Table` of ``rows`` no wider than ``width``, and the columns left
    out (in the order they were dropped; never one in ``keep``).

    >>> cols = [f"column_{i}" for i in range(15)]
    >>> table, dropped = fit_table(cols, [["some value here"] * 15], width=80)
    >>> 0 < len(dropped) < 15 and dropped[0] == "column_14"
    True
    """
    cells = [[str(r[i]) for r in rows] for i in range(len(columns))]
    natural = [_natural(h, c) for h, c in zip(columns, cells, strict=True)]
    least = [
        natural[i] if columns[i] in keep else _least(columns[i], cells[i], natural[i])
        for i in range(len(columns))
    ]
    shown = list(range(len(columns)))
    dropped: list[str] = []
    order = sorted(
        (i for i in shown if columns[i] not in keep),
        key=lambda i: (_tier(cells[i]), -i),
    )
    while len(shown) > 1 and table_width([least[i] for i in shown]) > width and order:
        victim = order.pop(0)
        shown.remove(victim)
        dropped.append(columns[victim])
    table = Table(title=title, expand=False)
    for i in shown:
        fixed = columns[i] in keep
        table.add_column(
            columns[i] if fixed else _header(columns[i]),
            min_width=least[i],
            no_wrap=fixed,
            overflow="ellipsis" if fixed else "fold",
        )
    for r in range(len(rows)):
        table.add_row(*(cells[i][r] for i in shown))
    return table, dropped


def dropped_note(dropped: Sequence[str]) -> str:
    """The line that says which columns a table left out and how to see them.

    >>> dropped_note(["quote", "sentence"])
    '2 columns not shown (quote, sentence): --format csv (or json) shows every column'
    >>> dropped_note([])
    ''
    """
    if not dropped:
        return ""
    n = len(dropped)
    return (
        f"{n} column{'s' if n != 1 else ''} not shown ({', '.join(dropped)}): "
        "--format csv (or json) shows every column"
    )
