"""``python -m kgraph`` runs the command-line interface."""

from .cli import main

main()
