"""Packaging step: copy the top-level ``ontology/`` and ``corpus/`` into the wheel.

The repository keeps ``ontology/`` and ``corpus/`` at the top level (they are the source of truth,
edited and reviewed there). A wheel must carry them, so ``build_py`` copies them into
``kgraph/_bundled/`` of the build tree; :func:`kgraph.vocab.ontology_dir` and
:func:`kgraph.vocab.corpus_dir` look there first. An editable install needs no copy: the checkout's
folders are found beside the package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Top-level folders shipped inside the package, and the files of each that are shipped.
BUNDLED = {
    "ontology": ("*.ttl", "*.md"),
    "corpus": ("*.txt", "*.ann", "*.conf", "*.toml", "*.md"),
}


class BuildPyWithData(build_py):
    """``build_py`` that also copies :data:`BUNDLED` into ``kgraph/_bundled/``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in BUNDLED.items():
            source = HERE / folder
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; the wheel needs it")
            target = Path(self.build_lib) / "kgraph" / "_bundled" / folder
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            for pattern in patterns:
                for path in sorted(source.glob(pattern)):
                    shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithData})
