"""The wheel works outside the checkout: build it, install it into a fresh venv, use it from an
empty folder.

Issue 18, item 1: a non-editable install stopped with "no ontology here", because ``ontology/`` and
``corpus/`` were not in the wheel. This test builds the wheel from the repository (the current
venv's setuptools, no build isolation, so no download), installs it without its dependencies into
a fresh venv that reaches the current venv's packages through a path file (quick and offline; the
wheel's own declared requirements are then checked with ``pip check``), and runs ``build``,
``view``, ``query``, ``serve`` (start and one request) and ``export`` from an empty temporary
folder, with ``KGRAPH_ONTOLOGY`` / ``KGRAPH_CORPUS`` unset.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300):
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )
    return proc


def _files(folder: str) -> list[str]:
    """The files of ``folder`` git knows: tracked, or new and not ignored."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", folder or "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        pytest.skip("not a git checkout: cannot list the files the wheel must carry")
    return [line for line in out.stdout.splitlines() if (ROOT / line).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    try:
        import setuptools

        major = int(setuptools.__version__.split(".")[0])
    except ImportError:
        major = 0
    if major < 77:
        pytest.skip("building the wheel offline needs setuptools>=77 (the `test` extra has it)")
    # Build from a copy of the files git knows (tracked, or new and not ignored): a stale build/
    # folder of the checkout cannot leak into the wheel, and a file left out of git shows up here.
    source = tmp_path_factory.mktemp("source")
    for name in _files(""):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(source),
        ],
        cwd=source,
        env=dict(os.environ),
    )
    (found,) = dist.glob("kgraph-*.whl")
    return found


def test_wheel_carries_package_data_ontology_and_corpus(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    # every file of the package the repository tracks: modules, queries, templates, data tables
    for path in _files("kgraph"):
        if "__pycache__" not in path:
            assert path in names, f"{path} is not in the wheel"
    # the top-level ontology and corpus, as kgraph.vocab finds them in an installed copy
    for folder in ("ontology", "corpus"):
        for path in _files(folder):
            assert f"kgraph/_bundled/{path}" in names, f"{path} is not in the wheel"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> dict[str, Path]:
    """A fresh venv with the wheel installed, reaching this venv's packages for the dependencies."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        cwd=env_dir,
        env=dict(os.environ),
    )
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=env_dir,
        env=dict(os.environ),
    ).stdout.strip()
    # A plain path line: this venv's packages become importable, but its .pth files (the editable
    # install of kgraph among them) are not run, so `kgraph` comes from the wheel.
    Path(site, "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return {"python": python, "bin": env_dir / "bin", "site": Path(site)}


def _clean_env(installed: dict[str, Path], home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KGRAPH_", "PYTHON"))}
    env["PATH"] = f"{installed['bin']}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    env["COLUMNS"] = "80"
    return env


def test_installed_kgraph_is_the_wheel_and_its_requirements_are_met(installed, tmp_path) -> None:
    env = _clean_env(installed, tmp_path)
    where = _run(
        [
            str(installed["python"]),
            "-c",
            "import kgraph.vocab as v; print(v.__file__); "
            "print(v.ontology_dir()); print(v.corpus_dir())",
        ],
        cwd=tmp_path,
        env=env,
    ).stdout.split()
    for path in where:
        assert Path(path).is_relative_to(installed["site"]), f"{path} is not the installed copy"
    _run(
        [sys.executable, "-m", "pip", "--python", str(installed["python"]), "check"],
        cwd=tmp_path,
        env=env,
    )


def test_build_view_query_serve_export_from_an_empty_folder(installed, tmp_path) -> None:
    work = tmp_path / "empty"
    work.mkdir()
    env = _clean_env(installed, tmp_path)
    kgraph = str(installed["bin"] / "kgraph")

    built = _run([kgraph, "build", "-q"], cwd=work, env=env)
    assert re.search(r"documents\s+│?\s*4\b", built.stdout), built.stdout
    assert (work / "build" / "store").is_dir()
    assert "0 (conforms)" in built.stdout  # pySHACL comes with the default install

    found = _run([kgraph, "entities", "BDNF"], cwd=work, env=env)
    assert found.stdout.startswith("kg:bdnf")

    _run([kgraph, "view", "-o", "x.html"], cwd=work, env=env)
    page = (work / "x.html").read_text(encoding="utf-8")
    assert "ketamine" in page.lower() and "<html" in page.lower()

    rows = _run(
        [kgraph, "query", "--format", "csv", "SELECT ?d WHERE { ?d a kgo:Document }"],
        cwd=work,
        env=env,
    )
    assert len(rows.stdout.strip().splitlines()) == 1 + 4, rows.stdout
    named = _run([kgraph, "query", "--format", "csv", "contested-claims"], cwd=work, env=env)
    assert named.stdout.strip(), "a named query (package data) gave no output"

    _run([kgraph, "export", "--format", "ttl", "-o", "graph.ttl"], cwd=work, env=env)
    assert "kgo:" in (work / "graph.ttl").read_text(encoding="utf-8")

    server = subprocess.Popen(
        [kgraph, "serve", "--port", "0", "--workers", "1"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 60
        seen = []
        while url is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            if not line and server.poll() is not None:
                break
            seen.append(line)
            m = re.search(r"https?://[\w.\[\]:-]+:\d+", line)
            url = m.group(0) if m else None
        assert url, f"kgraph serve did not announce its address: {''.join(seen)}"
        query = urllib.parse.urlencode({"query": "ASK { ?d a kgo:Document }"})
        request = urllib.request.Request(
            f"{url}/sparql?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert b"true" in response.read()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
