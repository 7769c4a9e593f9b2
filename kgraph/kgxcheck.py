"""Run KGX's validator on a KGX JSON Lines export, offline (a script as well as a module).

KGX (``pip install kgx biolink-model``) builds a Biolink Model Toolkit when it is imported, and by
default that Toolkit downloads the model YAML and a predicate map, and KGX the Biolink JSON-LD
context. Here the Toolkit reads the model YAML shipped in the ``biolink-model`` package, the
predicate map (used only to collapse qualifiers into predicates, not to validate) is empty, and the
JSON-LD context is that package's prefix map plus the export's own ``prefixes.json``.

This file imports nothing from kgraph, so an interpreter that has only KGX can run it:

    .venv-kgx/bin/python kgraph/kgxcheck.py nodes.jsonl edges.jsonl prefixes.json

prints the errors as JSON and exits 1 when there are any, 3 when this interpreter lacks KGX or the
Biolink model (so "could not validate" never reads as "errors found").

>>> from pathlib import Path
>>> callable(validate) and Path(__file__).name
'kgxcheck.py'
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

__all__ = ["validate"]


def validate(nodes: Path, edges: Path, prefixes: Path | None = None) -> dict[str, object]:
    """KGX's validation errors of the two files, ``{level: {type: {message: [ids]}}}``.

    >>> import importlib.util
    >>> importlib.util.find_spec("kgx") is None or callable(validate)
    True
    """
    import importlib.resources as ir

    package = ir.files("biolink_model")
    schema = str(package / "schema" / "biolink_model.yaml")
    context = json.loads((package / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    if prefixes is not None and Path(prefixes).exists():
        own = json.loads(Path(prefixes).read_text(encoding="utf-8"))["@context"]
        context.update({k: v for k, v in own.items() if k not in context})  # Biolink's first
    import bmt.toolkit

    # kgx builds a Toolkit with the default (remote) schema on import: make the default local
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config

    kgx.config.jsonld_context_map["biolink"] = context
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    validator = Validator()
    Transformer(stream=True).transform(
        input_args={"filename": [str(nodes), str(edges)], "format": "jsonl"},
        output_args={"format": "null"},
        inspector=validator,
    )
    return validator.get_errors()


def main(argv: list[str]) -> int:
    """``kgxcheck.py NODES EDGES [PREFIXES]``: print the errors as JSON; 1 when there are any.

    Exits 2 on a usage error and 3 when KGX or the Biolink model is not importable here.
    """
    if len(argv) not in (2, 3):
        print("usage: kgxcheck.py NODES EDGES [PREFIXES]", file=sys.stderr)
        return 2
    import importlib.util
    import logging

    missing = [m for m in ("kgx", "bmt", "biolink_model") if importlib.util.find_spec(m) is None]
    if missing:
        print(
            f"{sys.executable} cannot validate: {', '.join(missing)} not installed "
            "(pip install kgx biolink-model)",
            file=sys.stderr,
        )
        return 3

    logging.disable(logging.WARNING)  # KGX logs every record it skips; the JSON says it all
    errors = validate(*(Path(a) for a in argv))
    print(json.dumps(errors, default=str))
    return 1 if errors else 0


if __name__ == "__main__":
    # run as a script, this file's folder (kgraph/) heads sys.path: its modules must not shadow
    # the packages kgx imports
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    sys.exit(main(sys.argv[1:]))
