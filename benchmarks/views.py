"""The HTML explorer at size: page generation and time to first draw, for 200, 2,000 and 20,000
nodes (about 2 claims per node), against the naive pyvis route measured in the same run.

* **naive**: what pyvis's documentation suggests: ``Network.add_node`` / ``add_edge`` for every
  node and claim (each call scans the nodes already added: quadratic) and ``generate_html()``.
  Its page still loads Bootstrap and Tom Select from CDNs, so it is not drawn here.
* **kgraph**: :func:`kgraph.views.render_html` on the same graph: layout in Python, columns of
  data, one self-contained page (the evidence of every claim included).
* **first draw**: the page opened from a file in headless Chromium, from navigation start to
  vis-network's first ``afterDrawing`` event (the page records ``performance.now()`` there).

The naive route runs in a child process with a time limit (``naive_limit`` seconds); when it
runs out, the table says so and gives a quadratic extrapolation from the sizes that finished,
marked as such.

    python -m benchmarks.views                 # 200, 2,000, 20,000 nodes, with the browser
    python -m benchmarks.views --sizes 200 2000 --no-browser
    python -m benchmarks.views --real          # the real-corpora graph: first draw, interactions
    python -m benchmarks.views --sizes 20000 --runs 5   # the 20,000-node ratio, five runs

* **real corpora**: BC5CDR + BioRED + PGxCorpus + the bundled corpus built into one store
  (``benchmarks.synthetic.real_sources``), its whole-graph page opened at 1024×768: first draw,
  then each interaction a person makes (select an entity, a claim, a class filter, search, open
  a bundle, focus, compare) timed from the call to the second animation frame after it (the
  frame in which vis-network has redrawn), median and worst of ``repeats``.

The load average (``/proc/loadavg``) is recorded before and after each measurement: the machine
is shared, and a figure means little without it.

>>> rows = run(sizes=(50,), browser=False, repeats=1)
>>> rows[0]["nodes"], rows[0]["ratio"] > 0
(50, True)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

__all__ = [
    "INTERACTIONS",
    "interaction_latency",
    "loadavg",
    "main",
    "naive_html",
    "ratio_summary",
    "real_corpora",
    "run",
    "screenshot",
    "screenshots",
    "synthetic_graph",
    "time_to_first_draw",
]

KG = "https://w3id.org/kgraph/entity/"
KGO = "https://w3id.org/kgraph/ontology#"
CLASSES = [
    ("Compound", 8),
    ("Metabolite", 2),
    ("GeneOrProtein", 10),
    ("Receptor", 5),
    ("BiologicalProcess", 10),
    ("Pathway", 3),
    ("BrainRegion", 4),
    ("Condition", 5),
    ("TherapeuticOutcome", 4),
    ("AdverseEffect", 4),
    ("Biomarker", 3),
    ("Therapy", 3),
]
RELATIONS = ["increases", "decreases", "associatedWith", "involvedIn", "antagonistOf", "treats"]
LEVELS = ["Preclinical", "ClinicalStudy", "ClinicalPhase2", "Review", "Opinion"]
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def synthetic_graph(n: int, *, seed: int = 0) -> nx.MultiDiGraph:
    """A graph shaped like :func:`kgraph.views.graph_of`'s: ``n`` entities, about ``2 n`` claims
    (preferential attachment, so some hubs), 1–2 statements of evidence per claim (1.25 on average,
    as in the bundled corpus) from ``n / 10``
    documents, some synonyms and identifiers, some hedged, negated and preclinical claims."""
    rng = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 2, seed=seed)
    names, weights = zip(*CLASSES, strict=True)
    g = nx.MultiDiGraph()
    for v in skeleton:
        cls = rng.choices(names, weights)[0]
        g.add_node(
            f"{KG}e{v}",
            label=f"{cls.lower()} {v}",
            cls=KGO + cls,
            class_label=cls,
            synonyms=[f"alias {v}"] if v % 7 == 0 else [],
            identifiers=[f"MESH:D{v:06d}"] if v % 5 == 0 else [],
            definition=None,
        )
    docs = max(1, n // 10)
    for a, b in skeleton.edges():
        s, o = (a, b) if rng.random() < 0.5 else (b, a)
        rel = rng.choice(RELATIONS)
        rows = []
        for _ in range(rng.choice((1, 1, 1, 2))):  # 1.25 a claim, as in the bundled corpus
            d = rng.randrange(docs)
            rows.append(
                {
                    "s": f"{KG}e{s}",
                    "p": KGO + rel,
                    "o": f"{KG}e{o}",
                    "quote": f"In this study, entity {s} {rel} entity {o} in the model examined.",
                    "subject_text": f"entity {s}",
                    "object_text": f"entity {o}",
                    "document": f"https://w3id.org/kgraph/document/d{d}",
                    "title": f"Synthetic paper {d}",
                    "publisher": "Synthetic Journal",
                    "date": "2025",
                    "source_type": "PeerReviewedArticle",
                    "certainty": "Hedged" if rng.random() < 0.2 else "Asserted",
                    "level": rng.choice(LEVELS),
                    "negated": rng.random() < 0.05,
                }
            )
        g.add_edge(
            f"{KG}e{s}",
            f"{KG}e{o}",
            key=KGO + rel,
            predicate=KGO + rel,
            label=rel,
            statements=len(rows),
            documents=len({r["document"] for r in rows}),
            negated=sum(r["negated"] for r in rows),
            hedged=sum(r["certainty"] == "Hedged" for r in rows),
            levels=sorted({r["level"] for r in rows}),
            evidence=rows,
        )
    return g


def naive_html(g: nx.MultiDiGraph) -> str:
    """The page as pyvis's documentation builds it: ``add_node``/``add_edge``, ``generate_html``."""
    from pyvis.network import Network

    from kgraph.views.style import class_style, edge_width

    net = Network(height="900px", width="100%", directed=True, cdn_resources="in_line")
    for v, d in g.nodes(data=True):
        s = class_style(d.get("cls"))
        net.add_node(v, label=d["label"], title=s.label, color=s.color, shape=s.shape)
    for a, b, d in g.edges(data=True):
        quote = d["evidence"][0]["quote"] if d.get("evidence") else ""
        net.add_edge(a, b, label=d["label"], title=quote, width=edge_width(d["documents"]))
    return net.generate_html()


def _naive_child(n: int, seed: int, queue) -> None:
    g = synthetic_graph(n, seed=seed)
    started = time.process_time()
    html = naive_html(g)
    queue.put((time.process_time() - started, len(html.encode())))


def _naive(n: int, seed: int, limit: float) -> tuple[float | None, int | None]:
    """Seconds and bytes of the naive route in a child process, or ``(None, None)`` past ``limit``."""
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_naive_child, args=(n, seed, queue))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        return None, None
    return queue.get(timeout=5)


def time_to_first_draw(browser, path: Path, *, timeout: float = 120.0) -> float:
    """Milliseconds from navigation start to the page's first vis-network draw."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(path.resolve().as_uri(), timeout=timeout * 1000)
        page.wait_for_function("window.__kgraphFirstDraw !== undefined", timeout=timeout * 1000)
        return float(page.evaluate("window.__kgraphFirstDraw"))
    finally:
        page.close()


#: What a person does on the page, as page-side JavaScript (``k`` is ``window.kgraph``; ``hub``
#: the most connected entity, ``edge`` its first claim, ``pair`` the two compounds with the
#: most claims).
INTERACTIONS: dict[str, str] = {
    "select entity": "k.selectNode(hub)",
    "select claim": "k.selectEdge(edge)",
    "class filter": "document.querySelector('#legend input').click()",
    "class filter back": "document.querySelector('#legend input').click()",
    "search": "k.search('ke')",
    "open bundle": "k.bundles.length && k.openBundle(0, !k.bundles[0].open)",
    "focus depth 1": "k.focus(hub, 1)",
    "show all": "k.clearFocus()",
    "compare": "k.compare(pair)",
    "copy link": "k.stateParams()",
}

_SETUP = """() => {
  const k = window.kgraph, d = k.data, E = d.edges, n = d.nodes.iri.length, deg = new Uint32Array(n);
  for (let j = 0; j < E.from.length; j++) { deg[E.from[j]]++; deg[E.to[j]]++; }
  let hub = 0;
  for (let i = 1; i < n; i++) if (deg[i] > deg[hub]) hub = i;
  const edge = E.from.findIndex((a, j) => a === hub || E.to[j] === hub);
  const pair = Object.keys(d.profiles).map(Number)
    .sort((a, b) => d.profiles[b].length - d.profiles[a].length).slice(0, 2);
  window.__bench = {hub, edge, pair, actions: {ACTIONS}};
}"""

_TIMED = """async (name) => {
  const act = window.__bench.actions[name];
  const t0 = performance.now();
  act();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}"""


def interaction_latency(browser, path: Path, *, repeats: int = 5) -> dict[str, float]:
    """Median milliseconds of each of :data:`INTERACTIONS` on the page at ``path`` (1024×768),
    from the call to the second animation frame after it (``NAME max``: the slowest of the
    ``repeats``); and ``first draw``."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        page.goto(path.resolve().as_uri(), timeout=300_000)
        page.wait_for_function("window.__kgraphFirstDraw !== undefined", timeout=300_000)
        out = {"first draw": float(page.evaluate("window.__kgraphFirstDraw"))}
        # the actions are compiled by Playwright with the set-up script (the page's CSP
        # forbids eval, so they cannot be passed in as text)
        actions = ", ".join(
            f"{json.dumps(name)}: () => {{ {code}; }}" for name, code in INTERACTIONS.items()
        )
        page.evaluate(_SETUP.replace("{ACTIONS}", "{" + actions + "}"))
        for name in INTERACTIONS:
            times = [float(page.evaluate(_TIMED, name)) for _ in range(max(1, repeats))]
            out[name] = statistics.median(times)
            out[f"{name} max"] = max(times)
        return out
    finally:
        page.close()


def real_corpora(*, repeats: int = 5, store: str | None = None) -> dict[str, object]:
    """The real-corpora graph (BC5CDR + BioRED + PGxCorpus + bundled): build (into ``store``,
    an Oxigraph path, reused when it already holds a graph), page generation, first draw and
    interaction latencies (see :func:`interaction_latency`)."""
    from playwright.sync_api import sync_playwright

    from kgraph.build import build_store
    from kgraph.store import open_store
    from kgraph.views import graph_of, render_html

    from .synthetic import real_sources

    load_before = loadavg()
    with tempfile.TemporaryDirectory() as tmp:
        where = store or str(Path(tmp) / "store")
        fresh = not Path(where).exists()
        s = open_store(f"oxigraph:{where}")
        built = None
        if fresh:  # a new store: build it (else reuse it)
            started = time.perf_counter()
            build_store(s, real_sources(), lenient=True)
            built = time.perf_counter() - started
        started = time.perf_counter()
        g = graph_of(s)
        graph_s = time.perf_counter() - started
        started = time.perf_counter()
        html = render_html(g, title="real corpora")
        render_s = time.perf_counter() - started
        page = Path(tmp) / "real.html"
        page.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            b = _launch(p)
            try:
                latency = interaction_latency(b, page, repeats=repeats)
            finally:
                b.close()
    return {
        "nodes": g.number_of_nodes(),
        "claims": g.number_of_edges(),
        "build_s": built,
        "graph_s": graph_s,
        "render_s": render_s,
        "page_mb": len(html.encode()) / 1e6,
        "latency_ms": latency,
        "load": (load_before, loadavg()),
    }


def loadavg() -> str:
    """The machine's load averages (1, 5, 15 minutes) as ``/proc/loadavg`` gives them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def ratio_summary(rows: list[dict], n: int) -> str:
    """One line: the speed-up over naive pyvis at ``n`` nodes in each run, min / median / max.

    >>> ratio_summary([{"nodes": 9, "ratio": 20.0}, {"nodes": 9, "ratio": 30.0}], 9)
    '9 nodes: speed-up per run 20.0×, 30.0×; min 20.0× / median 25.0× / max 30.0×'
    """
    ratios = [r["ratio"] for r in rows if r["nodes"] == n and r["ratio"]]
    return (
        f"{n:,} nodes: speed-up per run "
        + ", ".join(f"{x:.1f}×" for x in ratios)
        + f"; min {min(ratios):.1f}× / median {statistics.median(ratios):.1f}× / max {max(ratios):.1f}×"
    )


def real_table(result: dict[str, object]) -> str:
    """The real-corpora figures as plain text, against the targets (first draw < 2 s,
    interactions < 100 ms)."""
    lat: dict[str, float] = result["latency_ms"]  # type: ignore[assignment]
    lines = [
        f"load average before / after: {result['load'][0]} / {result['load'][1]}",
        f"real corpora: {result['nodes']:,} entities, {result['claims']:,} claims, page "
        f"{result['page_mb']:.1f} MB; graph {result['graph_s']:.2f} s, page {result['render_s']:.2f} s"
        + (f", build {result['build_s']:.0f} s" if result["build_s"] else ""),
        f"{'action':<20} {'median':>7} {'worst':>7}  target",
    ]
    for name, ms in lat.items():
        if name.endswith(" max"):
            continue
        target = 2000 if name == "first draw" else 100
        worst = lat.get(f"{name} max", ms)
        lines.append(
            f"{name:<20} {ms:>5.0f} ms {worst:>4.0f} ms  {'<' if ms < target else '≥'} {target} ms"
        )
    return "\n".join(lines)


def _launch(playwright):
    from shutil import which

    path = next(
        (p for p in map(which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    if path is None:
        raise RuntimeError("no Chromium found (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=path, args=BROWSER_ARGS, headless=True)


def run(
    sizes: tuple[int, ...] = (200, 2_000, 20_000),
    browser: bool = True,
    *,
    repeats: int = 3,
    naive_limit: float = 120.0,
    seed: int = 0,
) -> list[dict]:
    """One row per size: ``nodes``, ``edges``, ``statements``, ``naive_s`` (CPU seconds, or
    extrapolated past ``naive_limit``: see ``naive_note``), ``kgraph_s`` (CPU seconds, best of
    ``repeats``; ``kgraph_wall_s`` the median wall time), ``ratio``, page bytes of both, and
    ``first_draw_ms`` (``None`` without ``browser``).

    Times are CPU time (``time.process_time``), so other work on the machine disturbs the
    comparison less than it would wall time; both routes run in this one call."""
    from kgraph.views import render_html

    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        pages: list[Path] = []
        for n in sizes:
            g = synthetic_graph(n, seed=seed)
            times, walls = [], []
            for _ in range(max(1, repeats)):
                started, wall = time.process_time(), time.perf_counter()
                html = render_html(g, title=f"synthetic {n}")
                times.append(time.process_time() - started)
                walls.append(time.perf_counter() - wall)
            page = Path(tmp) / f"kgraph-{n}.html"
            page.write_text(html, encoding="utf-8")
            pages.append(page)
            naive_s, naive_bytes = _naive(n, seed, naive_limit)
            rows.append(
                {
                    "nodes": n,
                    "edges": g.number_of_edges(),
                    "statements": sum(len(d["evidence"]) for *_, d in g.edges(data=True)),
                    "naive_s": naive_s,
                    "naive_note": "measured"
                    if naive_s is not None
                    else f"over {naive_limit:.0f} s",
                    "naive_bytes": naive_bytes,
                    "kgraph_s": min(times),
                    "kgraph_wall_s": statistics.median(walls),
                    "kgraph_bytes": len(html.encode()),
                    "first_draw_ms": None,
                }
            )
        _extrapolate(rows)
        if browser:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                b = _launch(p)
                try:
                    for row, page in zip(rows, pages, strict=True):
                        row["first_draw_ms"] = time_to_first_draw(b, page)
                finally:
                    b.close()
    return rows


def _extrapolate(rows: list[dict]) -> None:
    """Fill in naive times that ran out of time, from ``a n²`` fitted on the largest size that
    finished (the route is quadratic), and compute ratios."""
    done = [r for r in rows if r["naive_s"] is not None]
    for r in rows:
        if r["naive_s"] is None and done:
            ref = max(done, key=lambda x: x["nodes"])
            r["naive_s"] = ref["naive_s"] * (r["nodes"] / ref["nodes"]) ** 2
            r["naive_note"] += f"; extrapolated (n² from {ref['nodes']:,} nodes)"
        r["ratio"] = r["naive_s"] / r["kgraph_s"] if r["naive_s"] else None


def screenshot(
    path: str | Path = "docs/explorer.png", *, width: int = 1400, height: int = 900
) -> Path:
    """A screenshot of the explorer's default view of the bundled corpus (for the README)."""
    from playwright.sync_api import sync_playwright

    import kgraph
    from kgraph.views import render_html

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        page_file = Path(tmp) / "explorer.html"
        page_file.write_text(render_html(kgraph.load().store), encoding="utf-8")
        b = _launch(p)
        try:
            page = b.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.as_uri())
            page.wait_for_function("document.documentElement.dataset.drawn === '1'")
            page.wait_for_timeout(500)
            page.screenshot(path=str(path))
        finally:
            b.close()
    return path


def screenshots(folder: str | Path = "docs", *, width: int = 1024, height: int = 768) -> list[Path]:
    """The README's screenshots of the bundled corpus at ``width``×``height``: the overview,
    the evidence panel of a qualified claim, the compare view of the four ketamine compounds
    and the mechanism path view of ketamine."""
    from playwright.sync_api import sync_playwright

    import kgraph
    from kgraph.views import render_html
    from kgraph.views.mechanisms import chains_page

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    store = kgraph.load().store
    four = ["ketamine", "esketamine", "arketamine", "hydroxynorketamine"]
    shots = {
        "explorer-overview.png": (render_html(store), None),
        "explorer-evidence.png": (
            render_html(store),
            "kgraph.selectEdge(kgraph.findEdge('arketamine', 'has adverse effect', 'dissociation'))",
        ),
        "explorer-compare.png": (render_html(store, compare=four), None),
        "explorer-paths.png": (chains_page(store, "ketamine")[0], None),
    }
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        b = _launch(p)
        try:
            for name, (html, action) in shots.items():
                page_file = Path(tmp) / f"{name}.html"
                page_file.write_text(html, encoding="utf-8")
                page = b.new_page(viewport={"width": width, "height": height})
                page.goto(page_file.as_uri())
                page.wait_for_function("document.documentElement.dataset.drawn === '1'")
                if action:
                    page.evaluate(f"() => {{ {action}; }}")
                page.wait_for_timeout(500)
                page.screenshot(path=str(folder / name))
                page.close()
                written.append(folder / name)
        finally:
            b.close()
    return written


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def table(rows: list[dict]) -> str:
    """The rows as a plain-text table."""
    head = (
        f"{'nodes':>7} {'claims':>7} {'statements':>10} {'naive pyvis':>12} {'kgraph':>9} "
        f"{'speed-up':>9} {'page MB':>8} {'first draw':>11}"
    )
    lines = [head, "-" * len(head)]
    notes = []
    for r in rows:
        naive = _fmt(r["naive_s"], ".2f") + " s" + ("*" if r["naive_note"] != "measured" else " ")
        if r["naive_note"] != "measured":
            notes.append(f"* {r['nodes']:,} nodes: naive route {r['naive_note']}")
        lines.append(
            f"{r['nodes']:>7,} {r['edges']:>7,} {r['statements']:>10,} {naive:>12} "
            f"{r['kgraph_s']:>7.3f} s "
            f"{_fmt(r['ratio'], '.1f') + '×':>9} {r['kgraph_bytes'] / 1e6:>8.1f} "
            f"{_fmt(r['first_draw_ms'], ',.0f') + ' ms':>11}"
        )
    lines.append("")
    lines.append(
        "CPU seconds. naive pyvis: add_node/add_edge + generate_html (child process, "
        "time-limited; its page has no evidence but one quote per claim as a tooltip). kgraph: "
        "render_html, best of runs, layout and every statement of evidence included. first draw: "
        "headless Chromium, from navigation start to vis-network's first afterDrawing."
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        notes.append(f"load average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return "\n".join(lines + notes)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.views", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2_000, 20_000])
    parser.add_argument(
        "--no-browser", action="store_true", help="skip the Chromium first-draw timing"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--naive-limit", type=float, default=120.0, help="seconds (default 120)")
    parser.add_argument("--screenshot", metavar="PNG", help="also write the README screenshot here")
    parser.add_argument(
        "--screenshots", metavar="DIR", help="write the README's four 1024x768 screenshots to DIR"
    )
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole size table (ratios)")
    parser.add_argument("--real", action="store_true", help="time the real-corpora graph instead")
    parser.add_argument("--store", help="Oxigraph path for the real-corpora graph (reused)")
    args = parser.parse_args(argv)
    if args.screenshots:
        for path in screenshots(args.screenshots):
            print(f"wrote {path}")
        return []
    if args.real:
        result = real_corpora(repeats=args.repeats, store=args.store)
        print(real_table(result))
        return [result]
    rows: list[dict] = []
    print(f"load average at the start: {loadavg()}")
    for k in range(max(1, args.runs)):
        batch = run(
            tuple(args.sizes),
            browser=not args.no_browser,
            repeats=args.repeats,
            naive_limit=args.naive_limit,
            seed=0,
        )
        if args.runs > 1:
            print(f"run {k + 1} of {args.runs}")
        print(table(batch))
        rows += batch
    if args.runs > 1:
        for n in args.sizes:
            print(ratio_summary(rows, n))
        print(f"load average at the end: {loadavg()}")
    if args.screenshot:
        print(f"wrote {screenshot(args.screenshot)}")
    return rows


if __name__ == "__main__":
    main()
