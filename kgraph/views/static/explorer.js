/* kgraph explorer. Reads the graph from the JSON block (never evaluated as code) and renders
   every text through textContent / createElement: no data ever reaches innerHTML. */
(function () {
  "use strict";

  var mark = function (name) { if (window.performance && performance.mark) performance.mark("kgraph:" + name); };
  mark("start");
  var data = JSON.parse(document.getElementById("kgraph-data").textContent);
  mark("parsed");
  var N = data.nodes, E = data.edges, V = data.evidence;
  var FLAG = data.style.flags, COLOUR = data.style.colours;
  var nNodes = N.iri.length, nEdges = E.from.length;
  var SVG = "http://www.w3.org/2000/svg";

  /* ---------- small DOM helpers (text only) ---------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\/[^\s"'<>]+$/.test(url); }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }

  /* ---------- derived tables ---------- */
  // 0 asserted, 1 dashed, 2 contested, 3 negated, 4 unreviewed proposal (every statement is one)
  var kindOf = new Uint8Array(nEdges), PROPOSAL = 4, PROPOSAL_COLOUR = "#7b1fa2";
  function onlyProposals(j) {
    if (!V.prop || !E.evn[j]) return false;
    for (var k = E.ev0[j]; k < E.ev0[j] + E.evn[j]; k++) if (!Object.prototype.hasOwnProperty.call(V.prop, k)) return false;
    return true;
  }
  for (var j = 0; j < nEdges; j++) {
    var f = E.flags[j];
    kindOf[j] = onlyProposals(j) ? PROPOSAL : f & FLAG.negated ? 3 : f & FLAG.contested ? 2 : f & FLAG.dashed ? 1 : 0;
  }
  var adjacency = new Array(nNodes);
  for (var i = 0; i < nNodes; i++) adjacency[i] = [];
  for (j = 0; j < nEdges; j++) {
    adjacency[E.from[j]].push(j);
    if (E.to[j] !== E.from[j]) adjacency[E.to[j]].push(j);
  }
  var NO_INFO = { syn: [], ids: [], def: null };
  function info(i) { return N.info[i] || NO_INFO; }
  var searchNames = new Array(nNodes), searchText = new Array(nNodes);
  for (i = 0; i < nNodes; i++) {
    var more = info(i);
    searchNames[i] = [N.label[i]].concat(more.syn, more.ids.map(function (x) { return x[0]; }));
    searchText[i] = searchNames[i].map(function (s) { return String(s).toLowerCase(); });
  }
  var highlighted = new Set(data.highlight);

  function relLabel(j) { return data.relations[E.rel[j]].label; }
  function edgeLabel(j) {
    var f = E.flags[j], label = relLabel(j).toLowerCase();
    if (kindOf[j] === 4) return "? " + label;
    if (f & FLAG.negated) return "\u2715 not " + label;
    if (f & FLAG.contested) return "\u26a0 " + label;
    return label;
  }
  function edgeColour(j) {
    var f = E.flags[j];
    return f & FLAG.negated ? COLOUR.negated : f & FLAG.contested ? COLOUR.contested : COLOUR.claim;
  }

  /* ---------- vis data ---------- */
  var showLabels = data.meta.edgeLabels;
  // sizes from the numbers of claims and documents, by the rules of kgraph/views/style.py
  var SCALE = data.style.scales, degree = new Uint32Array(nNodes);
  for (j = 0; j < nEdges; j++) { degree[E.from[j]]++; degree[E.to[j]]++; }
  function grow(rule, k) { return Math.min(rule[0] + rule[1] * Math.sqrt(Math.max(k, 0)), rule[2]); }
  function nodeSize(i) { return Math.round(grow(SCALE.node, degree[i]) * 10) / 10; }
  // Width: the claim's evidence weight (kgraph.claims) when it has one, else its documents.
  function edgeWidth(j) {
    if (E.w && E.w[j] !== null && E.w[j] !== undefined) return 1 + (SCALE.width[1] - 1) * E.w[j];
    return E.docs[j] > 0 ? Math.min(SCALE.width[0] * E.docs[j], SCALE.width[1]) : 1;
  }

  // only what differs from the defaults in data.options: vis merges options per item, so lean
  // items draw large graphs much sooner
  // Entity labels are not vis-network's: the page draws them itself (see "labels by weight and
  // zoom"), so vis never measures thousands of texts and labels never overlap.
  var defaultWidth = data.options.edges.width;
  var nodeItems = new Array(nNodes);
  for (i = 0; i < nNodes; i++) {
    var item = { id: i, group: "c" + N.cls[i], size: nodeSize(i), x: N.x[i], y: N.y[i] };
    if (highlighted.has(i)) item.borderWidth = 4;
    nodeItems[i] = item;
  }
  function edgeItem(j) {
    var item = { id: j, from: E.from[j], to: E.to[j] }, width = edgeWidth(j);
    if (width !== defaultWidth) item.width = width;
    if (E.flags[j] & FLAG.dashed) item.dashes = [7, 5];
    if (kindOf[j] === PROPOSAL) item.dashes = [2, 4];
    if (kindOf[j] >= 2) {
      var colour = kindOf[j] === PROPOSAL ? PROPOSAL_COLOUR : edgeColour(j);
      item.color = { color: colour, highlight: "#1d2733", hover: colour, opacity: 1 };
      item.font = { color: colour };
    }
    if (showLabels) item.label = edgeLabel(j);
    if (E.curve[j]) item.smooth = { enabled: true, type: "curvedCW", roundness: E.curve[j] };
    return item;
  }
  var edgeItems = new Array(nEdges);
  for (j = 0; j < nEdges; j++) edgeItems[j] = edgeItem(j);

  /* ---------- hub bundles: the leaves of a hub, by class, drawn as one counted node ---------- */
  // Chosen in Python (kgraph/views/network.py hub_bundles, which also lays the graph out as it is
  // first drawn: each bundle one node, its leaves on a ring around it); a click expands one.
  var bundles = [], leafBundle = new Int32Array(nNodes).fill(-1);
  (data.bundles || []).forEach(function (g) {
    var k = bundles.length, x = 0, y = 0, out = 0, edges = [];
    g.members.forEach(function (i) {
      leafBundle[i] = k;
      x += N.x[i]; y += N.y[i];
      adjacency[i].forEach(function (j) { edges.push(j); if (E.from[j] === g.hub) out++; });
    });
    bundles.push({ hub: g.hub, cls: g.cls, members: g.members, x: x / g.members.length, y: y / g.members.length,
      edges: edges, outward: out * 2 >= edges.length, open: false });
  });
  function bundleId(k) { return "b" + k; }
  function bundleIndex(id) { return typeof id === "string" && id.charAt(0) === "b" ? parseInt(id.slice(1), 10) : -1; }
  function plural(name) {  // "therapy" → "therapies", "route of administration" → "routes of administration"
    var at = name.indexOf(" of "), head = at < 0 ? name : name.slice(0, at), tail = at < 0 ? "" : name.slice(at);
    head = /[^aeiou]y$/.test(head) ? head.slice(0, -1) + "ies" : /(s|x|ch|sh)$/.test(head) ? head + "es" : head + "s";
    return head + tail;
  }
  function bundleLabel(b, shown) {
    var name = data.classes[b.cls].label.toLowerCase();
    return "+" + shown + " " + (shown === 1 ? name : plural(name));
  }
  var bundleOn = new Uint8Array(bundles.length), bundleShown = new Uint32Array(bundles.length);
  bundles.forEach(function (b, k) {
    bundleShown[k] = b.members.length;
    nodeItems.push({ id: bundleId(k), group: "c" + b.cls,
      size: Math.min(10 + 2.2 * Math.sqrt(b.members.length), 24), x: b.x, y: b.y,
      shapeProperties: { borderDashes: [4, 3] }, borderWidth: 2 });
    var item = { id: bundleId(k), from: b.outward ? b.hub : bundleId(k), to: b.outward ? bundleId(k) : b.hub,
      dashes: [3, 4], width: 1.5, color: { color: "#9aa6b2", highlight: "#1d2733", hover: "#9aa6b2", opacity: 0.9 } };
    edgeItems.push(item);
  });

  var nodeOn = new Uint8Array(nNodes).fill(1);
  var edgeOn = new Uint8Array(nEdges).fill(1);
  mark("items");

  /* ---------- what is drawn: a DataView over every item, refreshed after each change ----------
     nodeOn / edgeOn / bundleOn say what the filters, the focus and the bundles leave. Of that, a big
     graph (over LOD_NODES entities) draws at most LOD_NODES entities at a time: the most connected
     ones inside the view, plus the pinned ones (selection, highlights, opened bundles), so the
     overview stays readable and every redraw cheap; zooming in shows more. vis-network only holds
     what is drawn: a filter, a focus or a zoom is one DataView refresh that adds and removes the
     items that changed, never a rebuild and never one update per item. */
  var LOD_NODES = 200, lod = !!data.meta.large && nNodes > LOD_NODES, busy = 0;
  var nodeDrawn = new Uint8Array(nNodes), edgeDrawn = new Uint8Array(nEdges);
  var pinned = new Set(data.highlight), relabelled = false, labelOrder = null;
  // rank: the backbone of the layout (kgraph/views/layout.py) first, then by number of claims
  var core = new Uint8Array(nNodes);
  (data.meta.backbone || []).forEach(function (i) { core[i] = 1; });
  var byDegree = Array.from({ length: nNodes }, function (_, i) { return i; })
    .sort(function (a, b) { return core[b] - core[a] || degree[b] - degree[a] || a - b; });
  var nCore = (data.meta.backbone || []).length || LOD_NODES, EDGE_LOD = 300;
  function weightOf(j) { return E.w && E.w[j] !== null && E.w[j] !== undefined ? E.w[j] : 1 - 1 / (1 + E.docs[j]); }
  var byWeight = Array.from({ length: nEdges }, function (_, j) { return j; });
  if (lod) byWeight.sort(function (a, b) { return weightOf(b) - weightOf(a) || a - b; });
  var bundleDrawn = new Uint8Array(bundles.length);
  applyBundles();
  var nodesDS = new vis.DataSet(nodeItems);
  var edgesDS = new vis.DataSet(edgeItems);
  mark("datasets");
  var container = document.getElementById("graph");
  var network = null;

  function sizeOf(id) {
    var k = bundleIndex(id);
    return k >= 0 ? nodeItems[nNodes + k].size : nodeItems[id].size;
  }
  function posOf(id) {  // where a node (or bundle) is: as vis has it when drawn, else as laid out
    var n = network && network.body.nodes[id];
    if (n) return { x: n.x, y: n.y };
    var k = bundleIndex(id);
    return k >= 0 ? { x: bundles[k].x, y: bundles[k].y } : { x: N.x[id], y: N.y[id] };
  }
  function isDrawn(id) {
    var k = bundleIndex(id);
    return k >= 0 ? bundleDrawn[k] === 1 : nodeDrawn[id] === 1;
  }
  /* What the filters leave (entities, and the closed bundles standing for leaves): what "fit"
     shows. In a big graph, its LOD_NODES most connected entities (the backbone of the layout)
     and their bundles: the overview; the rest sits around them and appears as one zooms in. */
  function shownIds() {
    var out = [], i, k;
    if (lod) {
      var top = new Uint8Array(nNodes);
      for (var r = 0, n = 0; r < nNodes && n < nCore; r++) if (nodeOn[byDegree[r]]) { top[byDegree[r]] = 1; out.push(byDegree[r]); n++; }
      for (k = 0; k < bundles.length; k++) if (bundleOn[k] && top[bundles[k].hub]) out.push(bundleId(k));
      return out;
    }
    for (i = 0; i < nNodes; i++) if (nodeOn[i]) out.push(i);
    for (k = 0; k < bundles.length; k++) if (bundleOn[k]) out.push(bundleId(k));
    return out;
  }
  // the canvas size, read again only when it changes (reading it after a DOM change would lay
  // the whole page out again, on every frame)
  var canvasSize = null;
  function viewSize() {
    if (!canvasSize) canvasSize = { w: container.clientWidth || 800, h: container.clientHeight || 600 };
    return canvasSize;
  }
  window.addEventListener("resize", function () { canvasSize = null; });
  function currentView() { return { position: network.getViewPosition(), scale: network.getScale() }; }
  /* The view (centre and scale) that shows every node of ids, pad pixels (room for labels) inside
     the canvas, zoomed in no further than maxZoom: computed from the positions, so it is known
     before anything moves (and what that view will draw can be prepared at once). */
  function fitView(ids, maxZoom, pad) {
    if (!ids.length) return { position: { x: 0, y: 0 }, scale: 1 };
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = posOf(id), r = sizeOf(id);
      if (p.x - r < x0) x0 = p.x - r;
      if (p.x + r > x1) x1 = p.x + r;
      if (p.y - r < y0) y0 = p.y - r;
      if (p.y + r > y1) y1 = p.y + r;
    });
    pad = pad === undefined ? 36 : pad;
    var sz = viewSize(), label = 18;  // labels hang below their nodes
    var scale = Math.min((sz.w - 2 * pad) / Math.max(x1 - x0, 1), (sz.h - 2 * pad - label) / Math.max(y1 - y0, 1), maxZoom || 1.2);
    scale = Math.max(scale, 0.01);
    return { position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 + label / 2 / scale }, scale: scale };
  }
  function lodSet(view) {  // the LOD_NODES most connected entities the filters leave inside view
    var keep = new Uint8Array(nNodes), sz = viewSize(), s = view.scale, n = 0;
    var hw = sz.w / s * 0.55, hh = sz.h / s * 0.55, cx = view.position.x, cy = view.position.y;
    for (var r = 0; r < nNodes && n < LOD_NODES; r++) {
      var i = byDegree[r];
      if (!nodeOn[i] || Math.abs(N.x[i] - cx) > hw || Math.abs(N.y[i] - cy) > hh) continue;
      keep[i] = 1;
      n++;
    }
    return keep;
  }
  function computeDrawn(view) {  // nodeDrawn / bundleDrawn / edgeDrawn for view; true if any changed
    var keep = lod ? lodSet(view) : null, changed = false, v, i, j, k;
    for (i = 0; i < nNodes; i++) {
      v = nodeOn[i] && (!keep || keep[i] || pinned.has(i) || (leafBundle[i] >= 0 && bundles[leafBundle[i]].open)) ? 1 : 0;
      if (v !== nodeDrawn[i]) { nodeDrawn[i] = v; changed = true; }
    }
    for (k = 0; k < bundles.length; k++) {
      v = bundleOn[k] && nodeDrawn[bundles[k].hub] ? 1 : 0;
      if (v !== bundleDrawn[k]) { bundleDrawn[k] = v; changed = true; }
    }
    // edges thinned by weight: a big graph draws its EDGE_LOD heaviest claims between drawn
    // entities, and every claim of a pinned (selected) entity
    var room = lod ? EDGE_LOD : nEdges;
    for (var r = 0; r < nEdges; r++) {
      j = byWeight[r];
      v = edgeOn[j] && nodeDrawn[E.from[j]] && nodeDrawn[E.to[j]] ? 1 : 0;
      if (v && room <= 0 && !pinned.has(E.from[j]) && !pinned.has(E.to[j])) v = 0;
      if (v) room--;
      if (v !== edgeDrawn[j]) { edgeDrawn[j] = v; changed = true; }
    }
    return changed;
  }
  var startView = fitView(shownIds(), 1.2);
  computeDrawn(startView);
  var nodesView = new vis.DataView(nodesDS, { filter: function (item) { return isDrawn(item.id); } });
  var edgesView = new vis.DataView(edgesDS, { filter: function (item) {
    var k = bundleIndex(item.id);
    return k >= 0 ? bundleDrawn[k] === 1 : edgeDrawn[item.id] === 1;
  } });
  /* Bring what vis-network holds in line with the flags, for view (default: the current one). */
  function sync(view) {
    if (computeDrawn(view || currentView())) {
      // vis-network draws the whole canvas at once on each data change when physics is off, and
      // goes over every edge after each of the four changes (entities and claims, added and
      // removed): both held back while the two views change, then done once, the drawing on the
      // next frame
      var emitter = network.body.emitter, emit = emitter.emit, changes = 0;
      emitter.emit("_blockRedraw");
      emitter.emit = function (name) {
        if (name === "_dataChanged") { changes++; return emitter; }
        return emit.apply(emitter, arguments);
      };
      try {
        nodesView.refresh();
        edgesView.refresh();
      } finally {
        emitter.emit = emit;
        if (changes) emitter.emit("_dataChanged");
        emitter.emit("_allowRedraw");
      }
      emitter.emit("_requestRedraw");
      labelOrder = null;
    } else if (relabelled) {
      labelKey = null;
      network.redraw();
    }
    relabelled = false;
    updateSummary();
  }
  function goTo(view, duration) {  // prepare what view draws, then move there (a big graph: at once)
    if (lod) duration = 0;
    sync(view);
    network.moveTo({ position: view.position, scale: view.scale,
      animation: duration ? { duration: duration, easingFunction: "easeInOutQuad" } : false });
  }
  function pin(ids) {  // these stay drawn whatever the zoom (with the highlighted entities)
    pinned = new Set(data.highlight.concat(ids.filter(function (id) { return typeof id === "number"; })));
  }
  function drawnNodes() {
    var out = [];
    for (var i = 0; i < nNodes; i++) if (nodeDrawn[i]) out.push(i);
    bundles.forEach(function (b, k) { if (bundleDrawn[k]) out.push(bundleId(k)); });
    return out;
  }
  function drawnEdges() {
    var out = [];
    for (var j = 0; j < nEdges; j++) if (edgeDrawn[j]) out.push(j);
    bundles.forEach(function (b, k) { if (bundleDrawn[k]) out.push(bundleId(k)); });
    return out;
  }

  // a selected claim's relation is written larger and darker (readable at zoom 1, where the
  // others are not drawn)
  data.options.edges.chosen = { edge: true, label: function (values) { values.size = 13; values.color = "#1d2733"; values.mod = "bold"; } };
  network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);
  mark("network");
  network.once("afterDrawing", function () {
    mark("drawn");
    window.__kgraphFirstDraw = performance.now();
    document.documentElement.setAttribute("data-drawn", "1");
  });
  if (!data.meta.physics) network.moveTo({ position: startView.position, scale: startView.scale, animation: false });
  function fitAll(animate) { goTo(fitView(shownIds(), 1.2), animate ? 300 : 0); }
  // after the person zooms or pans: what the new view draws (at rest, not on every frame)
  var lodTimer = null, lodPending = false;
  function viewChanged() {
    if (!lod) return;
    if (!lodPending) { lodPending = true; busy++; }
    clearTimeout(lodTimer);
    lodTimer = setTimeout(function () { lodPending = false; busy--; sync(); }, 120);
  }
  network.on("zoom", viewChanged);
  network.on("dragEnd", viewChanged);
  network.on("animationFinished", viewChanged);

  /* ---------- labels by weight and zoom ---------- */
  // Drawn over the canvas after each frame, in order of weight: the selection first, then the
  // highlighted entities, then by number of claims (a bundle by its count). A label is placed only
  // where it overlaps no label and no entity already placed, so labels never pile up; the
  // HUB_LABELS heaviest at HUB_PX, the rest at LABEL_PX, the same size on screen at any zoom:
  // zooming in makes room for more.
  var HUB_LABELS = 14, HUB_PX = 13, LABEL_PX = 11, CELL = 64, placed = [];
  var FACE = data.options.nodes.font.face, widths = new Map();
  function labelText(id) {
    var k = bundleIndex(id);
    return k >= 0 ? bundleLabel(bundles[k], bundleShown[k]) : wrapped(id);
  }
  /* A long label broken into lines of about 20 characters at spaces (as kgraph.views.style.
     wrap_label breaks it for the layout's label boxes), worked out when first drawn. */
  var wraps = new Array(nNodes);
  function wrapped(i) {
    if (wraps[i] !== undefined) return wraps[i];
    var text = N.label[i], lines = [], line = "";
    if (text.length > 20) {
      text.split(" ").forEach(function (word) {
        if (line && line.length + 1 + word.length > 20) { lines.push(line); line = word; }
        else line = line ? line + " " + word : word;
      });
      lines.push(line);
      text = lines.join("\n");
    }
    return (wraps[i] = text);
  }
  function orderLabels() {  // the HUB_LABELS heaviest entities, then the bundles (biggest first), then the rest
    var items = [], folds = [];
    drawnNodes().forEach(function (id) {
      var k = bundleIndex(id);
      if (k >= 0) folds.push([bundleShown[k], id]);
      else items.push([highlighted.has(id) ? 1e9 : degree[id], id]);
    });
    items.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    folds.sort(function (a, b) { return b[0] - a[0]; });
    var ids = items.map(function (x) { return x[1]; });
    return ids.slice(0, HUB_LABELS).concat(folds.map(function (x) { return x[1]; }), ids.slice(HUB_LABELS));
  }
  function measure(ctx, font, text) {
    var key = font + "\u0000" + text, w = widths.get(key);
    if (w === undefined) { w = ctx.measureText(text).width; widths.set(key, w); }
    return w;
  }
  /* Where each label goes (computed again only when the view, the drawn set or the selection
     changed: most frames of an interaction just paint the same labels). */
  var labelKey = null;
  function placeLabels(ctx, selected) {
    var view = network.body.view, s = view.scale, tx = view.translation.x, ty = view.translation.y;
    var sz = viewSize(), w = sz.w, h = sz.h, bodyNodes = network.body.nodes;
    var grid = new Map(), discs = new Map(), screen = [];
    function overlaps(b, add, within, except) {  // b overlaps a box of within (default: the labels)
      within = within || grid;
      for (var cx = Math.floor(b[0] / CELL); cx <= Math.floor(b[2] / CELL); cx++) {
        for (var cy = Math.floor(b[1] / CELL); cy <= Math.floor(b[3] / CELL); cy++) {
          var key = cx * 65536 + cy, list = within.get(key);
          if (add) { if (!list) within.set(key, list = []); list.push(b); continue; }
          if (!list) continue;
          for (var q = 0; q < list.length; q++) {
            var o = list[q];
            if (o !== except && b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]) return true;
          }
        }
      }
      return false;
    }
    labelOrder.forEach(function (id) {
      var n = bodyNodes[id];
      if (!n || n.options.hidden) return;
      var x = n.x * s + tx, y = n.y * s + ty, r = n.options.size * s;
      if (x < -150 || y < -40 || x > w + 150 || y > h + 10) return;
      var e = [id, x, y, r, [x - r, y - r, x + r, y + r]];
      if (selected.has(id)) screen.unshift(e); else screen.push(e);
      overlaps(e[4], true, discs);  // labels keep off every entity drawn
    });
    placed = [];
    var hubs = 0;
    screen.forEach(function (e) {
      var id = e[0], k = bundleIndex(id), chosen = selected.has(id);
      var heavy = k < 0 && (chosen || hubs < HUB_LABELS);
      if (k < 0 && !chosen) hubs++;
      var px = heavy ? HUB_PX : LABEL_PX;
      var font = (k >= 0 ? "italic " : heavy ? "600 " : "") + px + "px " + FACE;
      var lines = labelText(id).split("\n"), width = 0;
      ctx.font = font;
      lines.forEach(function (line) { width = Math.max(width, measure(ctx, font, line)); });
      var lh = Math.round(px * 1.2), tall = lh * lines.length, x = e[1], y = e[2], r = e[3];
      if (!chosen && overlaps(e[4], false)) return;  // its entity lies under a label placed before
      // below the entity, else above, right or left of it (chains in columns: right, left, below,
      // above): the first place free of labels and
      // entities (a heavy label, failing that, the first free of labels), inside the canvas
      var below = [x, y + r + 2], above = [x, y - r - 2 - tall];
      var right = [x + r + 4 + width / 2, y - tall / 2], left = [x - r - 4 - width / 2, y - tall / 2];
      var spots = data.meta.layered ? [right, left, below, above] : [below, above, right, left];
      var box = null;
      for (var pass = 0; pass < (heavy || k >= 0 ? 2 : 1) && !box; pass++) {
        for (var t = 0; t < spots.length && !box; t++) {
          var b = [spots[t][0] - width / 2 - 2, spots[t][1], spots[t][0] + width / 2 + 2, spots[t][1] + tall];
          if (b[0] < 0 || b[2] > w || b[1] < 0 || b[3] > h) continue;
          if (chosen || (!overlaps(b, false) && (pass === 1 || !overlaps(b, false, discs, e[4])))) box = b;
        }
      }
      if (!box) return;
      overlaps(box, true);
      overlaps(e[4], true);  // no later label covers a labelled entity
      placed.push({ id: id, px: px, box: box, font: font, lines: lines, lh: lh,
        colour: k >= 0 ? "#33404d" : chosen ? "#000000" : "#1d2733" });
    });
  }
  function drawLabels(ctx) {
    if (!labelOrder) { labelOrder = orderLabels(); labelKey = null; }
    var view = network.body.view, sz = viewSize(), chosen = network.getSelectedNodes();
    var key = [view.scale, view.translation.x, view.translation.y, sz.w, sz.h, chosen.join(",")].join("|");
    if (key !== labelKey) { placeLabels(ctx, new Set(chosen)); labelKey = key; }
    ctx.save();
    var pr = network.canvas.pixelRatio || 1;
    ctx.setTransform(pr, 0, 0, pr, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    placed.forEach(function (p) {
      var cx = (p.box[0] + p.box[2]) / 2;
      ctx.font = p.font;
      ctx.fillStyle = p.colour;
      p.lines.forEach(function (line, q) {
        ctx.strokeText(line, cx, p.box[1] + q * p.lh);
        ctx.fillText(line, cx, p.box[1] + q * p.lh);
      });
    });
    ctx.restore();
  }
  network.on("dragging", function () { labelKey = null; });  // a dragged entity moves its label
  network.on("afterDrawing", drawLabels);
  function labelAt(x, y) {  // the entity whose label is drawn at this point of the canvas, if any
    for (var q = placed.length - 1; q >= 0; q--) {
      var b = placed[q].box;
      if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) return placed[q].id;
    }
    return null;
  }

  /* ---------- filters ---------- */
  var state = {
    classes: data.classes.map(function () { return true; }),
    relations: data.relations.map(function () { return true; }),
    levels: data.levels.map(function () { return true; }),
    documents: data.documents.map(function () { return true; }),
    kinds: [true, true, true, true, true],
    focus: null, // {node, depth, set}
  };
  function allOn(list) { return list.every(Boolean); }
  function levelOn(j) {  // some statement of claim j is at a level that is switched on
    var k, end = E.ev0[j] + E.evn[j];
    if (!E.evn[j]) {
      var lv = E.lv[j] || [];
      for (k = 0; k < lv.length; k++) if (state.levels[lv[k]]) return true;
      return false;
    }
    for (k = E.ev0[j]; k < end; k++) if (V.level[k] >= 0 && state.levels[V.level[k]]) return true;
    return false;
  }
  function documentOn(j) {
    for (var k = E.ev0[j], end = E.ev0[j] + E.evn[j]; k < end; k++) if (state.documents[V.doc[k]]) return true;
    return false;
  }
  function applyFilters() {
    var levelsAll = allOn(state.levels), docsAll = allOn(state.documents);
    var edgeFilter = !levelsAll || !docsAll || !allOn(state.relations) || !allOn(state.kinds);
    var focusSet = state.focus ? state.focus.set : null;
    var touched = edgeFilter ? new Uint8Array(nNodes) : null;
    for (var j = 0; j < nEdges; j++) {
      var a = E.from[j], b = E.to[j];
      var on = state.classes[N.cls[a]] && state.classes[N.cls[b]] && state.relations[E.rel[j]] &&
        state.kinds[kindOf[j]] &&
        (levelsAll || levelOn(j)) &&
        (docsAll || documentOn(j)) &&
        (!focusSet || (focusSet.has(a) && focusSet.has(b)));
      edgeOn[j] = on ? 1 : 0;
      if (on && touched) { touched[a] = 1; touched[b] = 1; }
    }
    for (var i = 0; i < nNodes; i++) {
      var show = state.classes[N.cls[i]] && (!focusSet || focusSet.has(i)) && (!touched || touched[i] === 1);
      nodeOn[i] = show ? 1 : 0;
    }
    applyBundles();  // (what is drawn follows with sync(), or goTo() when the view moves too)
  }
  function applyBundles() {  // a closed bundle stands for its leaves that the filters leave on
    bundles.forEach(function (b, k) {
      var shown = 0;
      b.members.forEach(function (i) { if (nodeOn[i]) shown++; });
      b.claims = 0;
      b.edges.forEach(function (j) { b.claims += edgeOn[j]; });
      bundleOn[k] = !b.open && shown > 0 && nodeOn[b.hub] ? 1 : 0;
      if (bundleOn[k]) {  // (with its hub hidden, a bundle's leaves are shown one by one)
        b.members.forEach(function (i) { nodeOn[i] = 0; });
        b.edges.forEach(function (j) { edgeOn[j] = 0; });
      }
      if (shown !== bundleShown[k]) { bundleShown[k] = shown; relabelled = true; }
    });
  }
  function openBundle(k, open) {
    var b = bundles[k];
    b.open = open;
    applyFilters();
    if (open) {
      showBundle(k);  // (the panel first: the view is fitted to the canvas beside it)
      goTo(fitView(b.members.concat([b.hub]).filter(function (i) { return nodeOn[i]; }), 1.3), 300);
    } else {
      hidePanel();
      sync();
    }
  }

  /* After a filter, what is left is re-fitted so it fills the view (the pruned layout). */
  function refit() {
    busy++;
    goTo(fitView(shownIds(), 1.2), 250);
    setTimeout(function () { busy--; }, 300);
  }
  function shownEntities() {  // entities drawn, or counted in a closed bundle that is drawn
    var n = 0;
    for (var i = 0; i < nNodes; i++) n += nodeOn[i];
    bundles.forEach(function (b, k) { if (bundleOn[k]) n += bundleShown[k]; });
    return n;
  }
  function shownClaims() {  // claims drawn, or folded into a bundle that is drawn
    var n = 0;
    for (var j = 0; j < nEdges; j++) n += edgeOn[j];
    bundles.forEach(function (b, k) { if (bundleOn[k]) n += b.claims; });
    return n;
  }
  function neighbourhood(start, depth) {
    var seen = new Set([start]), frontier = [start];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (v) {
        adjacency[v].forEach(function (j) {
          var w = E.from[j] === v ? E.to[j] : E.from[j];
          if (!seen.has(w)) { seen.add(w); next.push(w); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  function focusOn(node, depth) {
    depth = Math.max(0, Math.min(10, depth | 0));
    state.focus = { node: node, depth: depth, set: neighbourhood(node, depth) };
    state.classes[N.cls[node]] = true;
    syncChecks();
    applyFilters();
    var bar = clear(document.getElementById("focus-bar"));
    add(bar, el("span", null, "Focus: "), el("strong", null, N.label[node]),
      el("span", "muted", "depth " + depth + " \u00b7 " + state.focus.set.size + " entities"));
    var back = el("button", null, "Show all");
    back.type = "button";
    back.addEventListener("click", clearFocus);
    add(bar, back);
    bar.hidden = false;
    var ids = Array.from(state.focus.set).filter(function (v) { return nodeOn[v]; });
    bundles.forEach(function (b, k) { if (bundleOn[k]) ids.push(bundleId(k)); });
    pin([node]);
    goTo(fitView(ids, 1.3), 300);
    saveState();
  }
  function clearFocus() {
    state.focus = null;
    document.getElementById("focus-bar").hidden = true;
    applyFilters();
    fitAll(true);
  }

  /* ---------- summary ---------- */
  function updateSummary() {
    var shown = 0, shownEdges = 0;
    for (var i = 0; i < nNodes; i++) shown += nodeOn[i];
    for (var j = 0; j < nEdges; j++) shownEdges += edgeOn[j];
    var folded = 0;
    bundles.forEach(function (b, k) { if (bundleOn[k]) folded += bundleShown[k]; });
    var text = [[nNodes, "entity", "entities"], [nEdges, "claim", "claims"],
      [data.meta.statements, "statement", "statements"], [data.meta.documents, "document", "documents"]]
      .map(function (x) { return x[0].toLocaleString() + " " + (x[0] === 1 ? x[1] : x[2]); }).join(" \u00b7 ");
    if (shown !== nNodes || shownEdges !== nEdges) {
      text += " \u2014 showing " + shown.toLocaleString() + " entities, " + shownEdges.toLocaleString() + " claims";
      if (folded) text += " (" + folded.toLocaleString() + " more in bundles: click one to open it)";
    }
    if (lod) {  // a big graph draws its most connected entities in view; zooming in shows more
      var drawn = 0;
      for (i = 0; i < nNodes; i++) drawn += nodeDrawn[i];
      if (drawn < shown) text += " — drawing the " + drawn.toLocaleString() + " most connected in view: zoom in, search or focus for the rest";
    }
    document.getElementById("summary").textContent = text;
  }
  if (data.note) document.getElementById("note").textContent = data.note;

  /* ---------- legend and filter lists ---------- */
  function shapeIcon(shape, fill, stroke) {
    var s = svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14" }), p;
    var a = { fill: fill, stroke: stroke, "stroke-width": 1.2 };
    if (shape === "square") p = svg("rect", Object.assign({ x: 2, y: 2, width: 10, height: 10 }, a));
    else if (shape === "diamond") p = svg("polygon", Object.assign({ points: "7,1 13,7 7,13 1,7" }, a));
    else if (shape === "triangle") p = svg("polygon", Object.assign({ points: "7,1.5 13,12.5 1,12.5" }, a));
    else if (shape === "triangleDown") p = svg("polygon", Object.assign({ points: "1,1.5 13,1.5 7,12.5" }, a));
    else if (shape === "hexagon") p = svg("polygon", Object.assign({ points: "3.5,1.5 10.5,1.5 13.5,7 10.5,12.5 3.5,12.5 0.5,7" }, a));
    else if (shape === "star") p = svg("polygon", Object.assign({ points: "7,0.8 8.8,5 13.3,5.2 9.8,8.1 11,12.6 7,10.1 3,12.6 4.2,8.1 0.7,5.2 5.2,5" }, a));
    else p = svg("circle", Object.assign({ cx: 7, cy: 7, r: 5.5 }, a));
    s.appendChild(p);
    var wrap = el("span", "swatch");
    wrap.appendChild(s);
    return wrap;
  }
  function lineIcon(colour, dashed, mark) {
    var s = svg("svg", { width: 30, height: 10, viewBox: "0 0 30 10" });
    var line = svg("line", { x1: 1, y1: 5, x2: 29, y2: 5, stroke: colour, "stroke-width": 2 });
    if (dashed) line.setAttribute("stroke-dasharray", "5 3");
    s.appendChild(line);
    if (mark) {
      var t = svg("text", { x: 15, y: 9, "font-size": 10, "text-anchor": "middle", fill: colour, "font-weight": "bold" });
      t.textContent = mark;
      s.appendChild(svg("rect", { x: 10, y: 0, width: 10, height: 10, fill: "#fff" }));
      s.appendChild(t);
    }
    var wrap = el("span", "edge-swatch");
    wrap.appendChild(s);
    return wrap;
  }
  /* A long list (a big graph's thousands of documents or compounds) shows its first ROWS_FIRST
     rows and a button for the rest: thousands of rows would hold up the first draw. */
  var ROWS_FIRST = 60;
  function lazyRows(list, count, row) {
    for (var k = 0; k < Math.min(count, ROWS_FIRST); k++) row(k);
    if (count <= ROWS_FIRST) return;
    var li = el("li", "more"), more = el("button", "link-button", "Show all " + count.toLocaleString());
    more.type = "button";
    more.addEventListener("click", function () {
      li.remove();
      for (var k = ROWS_FIRST; k < count; k++) row(k);
    });
    add(li, more);
    list.appendChild(li);
  }
  var checkboxes = { classes: [], relations: [], levels: [], documents: [], kinds: [] };
  function checkRow(list, key, index, icon, name, count, title) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = state[key][index];
    box.setAttribute("data-" + key, String(index));
    box.addEventListener("change", function () { state[key][index] = box.checked; applyFilters(); refit(); saveState(); });
    checkboxes[key][index] = box;  // (rows not yet shown have none: syncChecks skips them)
    var nameEl = el("span", "name", name);
    if (title) nameEl.title = title;
    add(label, box, icon, nameEl, count === null ? null : el("span", "count", count));
    add(li, label);
    list.appendChild(li);
  }
  function syncChecks() {
    for (var key in checkboxes) checkboxes[key].forEach(function (b, k) { b.checked = state[key][k]; });
  }
  var legendEl = document.getElementById("legend");
  data.classes.forEach(function (c, k) {
    checkRow(legendEl, "classes", k, shapeIcon(c.shape, c.color, c.border), c.label, c.count);
  });
  var kindCounts = [0, 0, 0, 0, 0];
  for (j = 0; j < nEdges; j++) kindCounts[kindOf[j]]++;
  var kinds = [
    [lineIcon(COLOUR.claim, false, null), "Asserted"],
    [lineIcon(COLOUR.claim, true, null), "Hedged or preclinical only"],
    [lineIcon(COLOUR.contested, false, "\u26a0"), "Contested (some sources deny)"],
    [lineIcon(COLOUR.negated, false, "\u2715"), "Negated (every source denies)"],
    [lineIcon(PROPOSAL_COLOUR, true, "?"), "Unreviewed proposal"],
  ];
  var edgeLegend = document.getElementById("edge-legend");
  kinds.forEach(function (k, idx) {
    if (idx === PROPOSAL && !kindCounts[idx]) return;  // shown only when the graph has proposals
    checkRow(edgeLegend, "kinds", idx, k[0], k[1], kindCounts[idx]);
  });
  var relEl = document.getElementById("relations");
  lazyRows(relEl, data.relations.length, function (k) {
    var r = data.relations[k];
    checkRow(relEl, "relations", k, null, r.label, r.count, r.iri);
  });
  var levelEl = document.getElementById("levels");
  data.levels.forEach(function (l, k) { checkRow(levelEl, "levels", k, null, l.label, null); });
  var docEl = document.getElementById("documents");
  lazyRows(docEl, data.documents.length, function (k) {
    var d = data.documents[k];
    checkRow(docEl, "documents", k, null, d.title, d.claims, [d.title, d.publisher, d.date].filter(Boolean).join(" \u00b7 "));
  });

  [relEl, levelEl, docEl].forEach(function (list) {  // no empty filter sections
    if (!list.children.length) list.parentNode.hidden = true;
  });

  /* ---------- display controls ---------- */
  var physicsBox = document.getElementById("physics");
  physicsBox.checked = !!data.meta.physics;
  if (data.meta.large) {  // positions come from Python; a simulation of thousands of nodes would freeze the page
    physicsBox.disabled = true;
    physicsBox.parentNode.title = "Off for graphs of more than " + data.meta.physicsMax + " entities";
  }
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });
  var labelsBox = document.getElementById("edge-labels");
  labelsBox.checked = showLabels;
  labelsBox.addEventListener("change", function () {
    showLabels = labelsBox.checked;
    var updates = new Array(nEdges);
    for (var j = 0; j < nEdges; j++) updates[j] = { id: j, label: showLabels ? edgeLabel(j) : " " };
    edgesDS.update(updates);
  });
  document.getElementById("fit").addEventListener("click", function () { fitAll(true); });
  document.getElementById("reset").addEventListener("click", function () {
    ["classes", "relations", "levels", "documents", "kinds"].forEach(function (key) {
      state[key] = state[key].map(function () { return true; });
    });
    state.focus = null;
    document.getElementById("focus-bar").hidden = true;
    syncChecks();
    applyFilters();
    fitAll(true);
  });

  /* ---------- search ---------- */
  var searchBox = document.getElementById("search");
  var resultsEl = document.getElementById("search-results");
  function search(query) {
    var q = String(query).trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < nNodes; i++) {
      var texts = searchText[i], best = 9, why = null;
      for (var t = 0; t < texts.length; t++) {
        var s = texts[t], score = s === q ? 0 : s.indexOf(q) === 0 ? 1 : s.indexOf(q) > 0 ? 2 : 9;
        if (t > 0 && score < 9) score += 0.5;
        if (score < best) { best = score; why = t > 0 ? searchNames[i][t] : null; }
      }
      if (best < 9) hits.push({ node: i, score: best, why: why });
    }
    hits.sort(function (a, b) { return a.score - b.score || N.label[a.node].localeCompare(N.label[b.node]); });
    return hits.slice(0, 15);
  }
  function showResults() {
    clear(resultsEl);
    search(searchBox.value).forEach(function (h) {
      var li = el("li"), b = el("button");
      b.type = "button";
      b.setAttribute("data-node", String(h.node));
      add(b, el("span", null, N.label[h.node]), " ",
        el("span", "why", data.classes[N.cls[h.node]].label + (h.why ? " \u00b7 also: " + h.why : "")));
      b.addEventListener("click", function () { selectNode(h.node); });
      add(li, b);
      resultsEl.appendChild(li);
    });
  }
  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(showResults, nNodes > 5000 ? 150 : 30);
  });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = search(searchBox.value);
      if (hits.length) selectNode(hits[0].node);
    }
  });

  /* ---------- selection and the evidence panel ---------- */
  var panel = document.getElementById("panel");
  function nodeButton(i) {
    var b = el("button", "link-button", N.label[i]);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(i); });
    return b;
  }
  function ensureVisible(i) {
    if (leafBundle[i] >= 0 && !bundles[leafBundle[i]].open) { bundles[leafBundle[i]].open = true; applyFilters(); }
    if (nodeOn[i]) return;
    if (state.focus && !state.focus.set.has(i)) { state.focus = null; document.getElementById("focus-bar").hidden = true; }
    state.classes[N.cls[i]] = true;
    syncChecks();
    applyFilters();
  }
  function inView(ids, margin, pinning) {  // every node of ids is drawn inside the canvas (with a margin)
    var sz = viewSize(), s = network.getScale(), c = network.getViewPosition();
    return ids.every(function (id) {  // (pinning: entities shown and pinned are drawn at the next sync)
      if (!(pinning && typeof id === "number" && nodeOn[id]) && !isDrawn(id)) return false;
      var p = posOf(id), x = (p.x - c.x) * s + sz.w / 2, y = (p.y - c.y) * s + sz.h / 2;
      return x >= margin && y >= margin && x <= sz.w - margin && y <= sz.h - margin;
    });
  }
  /* After the panel has opened (the canvas has its final size): draw ids, and move the view only
     if they are not all in it at a readable zoom. */
  function bringIntoView(ids) {
    ids = ids.filter(function (id) { return typeof id !== "number" || nodeOn[id]; });
    pin(ids);
    // where they are is known before they are drawn: what is drawn is worked out once, for the
    // view they end in (a hub's hundreds of claims are not added for a view about to change)
    if (!ids.length || (inView(ids, 40, true) && network.getScale() >= 0.75)) { sync(); return; }
    if (ids.length === 1) goTo({ position: posOf(ids[0]), scale: Math.max(network.getScale(), 1.0) }, 0);
    else goTo(fitView(ids, 1.0, 60), 0);
  }
  function selectNode(i) {
    ensureVisible(i);
    showNode(i);
    bringIntoView([i]);
    network.selectNodes(nodeOn[i] ? [i] : []);
  }
  function selectEdge(j) {
    ensureVisible(E.from[j]);
    ensureVisible(E.to[j]);
    showEdge(j);
    if (edgeOn[j]) {
      bringIntoView([E.from[j], E.to[j]]);
      network.selectEdges([j]);
    } else {
      sync();
    }
  }
  /* A hub of a big graph has hundreds of claims: the panel lists LIST_FIRST, then a button
     adds the rest (building them all would hold up the click). */
  var LIST_FIRST = 60;
  function listSome(ul, items, row) {
    items.slice(0, LIST_FIRST).forEach(function (x) { ul.appendChild(row(x)); });
    if (items.length <= LIST_FIRST) return;
    var li = el("li"), more = el("button", "link-button more", "Show all " + items.length);
    more.type = "button";
    more.addEventListener("click", function () {
      li.remove();
      items.slice(LIST_FIRST).forEach(function (x) { ul.appendChild(row(x)); });
    });
    add(li, more);
    ul.appendChild(li);
  }
  function showBundle(k) {
    var b = bundles[k], c = data.classes[b.cls];
    openPanel();
    add(panel, el("h3", null, "Bundle"), el("h2", null, b.members.length + " " + c.label.toLowerCase() +
      (b.members.length === 1 ? "" : "s") + " linked only to " + N.label[b.hub]));
    var fold = el("button", null, "Fold them again");
    fold.type = "button";
    fold.addEventListener("click", function () { openBundle(k, false); });
    add(panel, fold);
    var ul = el("ul", "edge-list");
    listSome(ul, b.edges, function (j) {
      var li = el("li"), btn = el("button", ["", "", "contested", "negated", "proposed"][kindOf[j]]);
      btn.type = "button";
      add(btn, N.label[E.from[j]] + " \u2192 " + edgeLabel(j) + " \u2192 " + N.label[E.to[j]]);
      btn.addEventListener("click", function () { selectEdge(j); });
      add(li, btn);
      return li;
    });
    add(panel, ul);
  }
  function badges(j) {
    var f = E.flags[j], wrap = el("div");
    if (kindOf[j] === PROPOSAL) add(wrap, el("span", "badge proposed", "? unreviewed proposal: no reviewer has accepted it"));
    if (f & FLAG.negated) add(wrap, el("span", "badge negated", "\u2715 negated by every source"));
    if (f & FLAG.contested) add(wrap, el("span", "badge contested", "\u26a0 contested"));
    if (f & FLAG.hedged) add(wrap, el("span", "badge hedged", "hedged"));
    if (f & FLAG.preclinical) add(wrap, el("span", "badge preclinical", "preclinical evidence only"));
    return wrap;
  }
  function highlightQuote(quote, subj, obj) {
    var spans = [];
    var lower = quote.toLowerCase();
    [[subj, "subj"], [obj, "obj"]].forEach(function (pair) {
      var text = pair[0];
      if (!text) return;
      var at = quote.indexOf(text);
      if (at < 0) at = lower.indexOf(text.toLowerCase());
      if (at < 0) return;
      var end = at + text.length;
      var clash = spans.some(function (s) { return at < s[1] && end > s[0]; });
      if (!clash) spans.push([at, end, pair[1]]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var bq = el("blockquote"), pos = 0;
    spans.forEach(function (s) {
      if (s[0] > pos) add(bq, quote.slice(pos, s[0]));
      add(bq, el("mark", s[2], quote.slice(s[0], s[1])));
      pos = s[1];
    });
    if (pos < quote.length) add(bq, quote.slice(pos));
    return bq;
  }
  function link(text, url, cls) {  // an outside link, only for http(s) addresses
    if (!safeUrl(url)) return null;
    var a = el("a", cls || null, text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  var QUALIFIER_SYMBOL = { comparison: "\u2248", degree: "\u00b1", mediation: "\u21aa" };
  // qualifier texts come from kgraph.claims.qualifier_text ("less than esketamine; weak")
  function qualifierKind(text) {
    return /^(less|more|about)/.test(text) ? "comparison" : /^(weak|moderate|strong)/.test(text) ? "degree" : "mediation";
  }
  function qualifierBadge(text) { return el("span", "badge qualifier " + qualifierKind(text), text); }
  function qualifierBadges(k) {
    var q = V.qual && V.qual[k];
    if (!q) return null;
    var wrap = el("div", "qualifiers");
    String(q).split("; ").forEach(function (x) { add(wrap, qualifierBadge(x), " "); });
    return wrap;
  }
  // review mode (kgraph/curation/static/review.js) adds its buttons to statement cards and entity panels
  var hooks = { statement: [], node: [] };
  function isRejected(k) { return V.rev && V.rev[k] === "Rejected"; }
  function isProposed(k) { return V.prop && Object.prototype.hasOwnProperty.call(V.prop, k); }
  function statement(k) {
    var card = el("div", "statement" + (V.neg[k] ? " negated" : "") + (isProposed(k) ? " proposed" : "") +
      (isRejected(k) ? " rejected" : ""));
    card.setAttribute("data-statement", String(k));
    var ctx = V.ctx && V.ctx[k];
    if (ctx && ctx[0]) add(card, el("p", "context before", "\u2026 " + ctx[0]));
    add(card, highlightQuote(V.quote[k] || "(no quote recorded)", V.stext[k], V.otext[k]));
    if (ctx && ctx[1]) add(card, el("p", "context after", ctx[1] + " \u2026"));
    add(card, qualifierBadges(k));
    var doc = data.documents[V.doc[k]];
    var meta = el("div", "meta");
    add(meta, el("div", "doc", doc.title));
    var where = [doc.publisher, doc.date, doc.type].filter(Boolean).join(" \u00b7 ");
    if (where) add(meta, el("div", null, where));
    var links = el("div", "links");
    add(links, link("source \u2197", doc.url, "source"), link((doc.ident || "PubMed") + " \u2197", doc.pubmed, "pubmed"),
      link("DOI \u2197", doc.doi, "doi"));
    if (links.childNodes.length) add(meta, links);
    if (doc.restated) {
      add(meta, el("div", "restated", "Restated in our own words from the source article (" +
        (doc.ident || "bundled corpus") + "): the wording is ours, not the article's."));
    }
    var how = "Certainty: " + (V.cert[k] >= 0 ? data.certainties[V.cert[k]].toLowerCase() : "unknown") +
      " \u00b7 Evidence: " + (V.level[k] >= 0 ? data.levels[V.level[k]].label.toLowerCase() : "unknown");
    var line = el("div", null, how);
    if (V.neg[k]) add(line, " ", el("span", "badge negated", "negated"));
    if (isProposed(k)) add(line, " ", el("span", "badge proposed", "unreviewed proposal" + (V.prop[k] ? " \u00b7 " + V.prop[k].toLowerCase() + " confidence" : "")));
    if (isRejected(k)) add(line, " ", el("span", "badge rejected", "rejected in review"));
    add(meta, line);
    if (V.note && V.note[k]) add(meta, el("div", "note", "Annotator's note: " + V.note[k]));
    add(card, meta);
    hooks.statement.forEach(function (f) { f(card, k); });
    return card;
  }
  // The qualifiers every statement of a claim carries ("less than the comparator", "weak"), shown in
  // the claim's head: "arketamine has adverse effect dissociation" is never read without its "less than".
  function sharedQualifiers(j) {
    if (!V.qual || !E.evn[j]) return null;
    var heads = null, texts = [];
    for (var k = E.ev0[j]; k < E.ev0[j] + E.evn[j]; k++) {
      var q = V.qual[k] ? String(V.qual[k]).split("; ") : [];
      var h = q.map(function (x) { return x.split(" ")[0]; });
      heads = heads === null ? h : heads.filter(function (x) { return h.indexOf(x) >= 0; });
      q.forEach(function (x) { if (texts.indexOf(x) < 0) texts.push(x); });
    }
    var shown = texts.filter(function (x) { return heads && heads.indexOf(x.split(" ")[0]) >= 0; });
    if (!shown.length) return null;
    var wrap = el("div", "qualifiers head-qualifiers");
    add(wrap, el("span", "muted", "as every source states it: "));
    shown.forEach(function (x) { add(wrap, qualifierBadge(x), " "); });
    return wrap;
  }
  function weightLine(j) {
    var p = el("p", "weight");
    if (E.w && E.w[j] !== null && E.w[j] !== undefined) {
      add(p, el("strong", null, "Evidence weight " + E.w[j].toFixed(2)));
      if (E.why && E.why[j]) add(p, " \u2014 " + E.why[j]);
      return p;
    }
    var docs = E.docs[j], stmts = E.stmts[j];
    add(p, stmts + (stmts === 1 ? " statement" : " statements") + " from " + docs +
      (docs === 1 ? " document" : " independent documents"));
    return p;
  }
  var showRejected = false;
  function showEdge(j) {
    openPanel();
    selection = edgeKey(j);
    var head = el("div", "claim-head");
    add(head, nodeButton(E.from[j]), " ", el("span", "rel", edgeLabel(j)), " ", nodeButton(E.to[j]));
    if (data.chains && data.chains.length) {
      var back = el("button", "link-button back", "\u2190 all chains");
      back.type = "button";
      back.addEventListener("click", showChains);
      add(panel, back);
    }
    add(panel, el("h3", null, "Claim"), head, sharedQualifiers(j), badges(j), weightLine(j));
    var key = el("div", "key");
    add(key, el("span", null, "highlighted: "), el("mark", "subj", "subject"), el("mark", "obj", "object"));
    add(panel, key);
    if (!E.evn[j]) add(panel, el("p", "muted", "No statement details in this view."));
    var rejected = 0;
    for (var k = E.ev0[j]; k < E.ev0[j] + E.evn[j]; k++) {
      if (isRejected(k) && !showRejected) { rejected++; continue; }
      add(panel, statement(k));
    }
    if (rejected || showRejected) {
      var t = el("button", "toggle-rejected", showRejected ? "Hide statements rejected in review" :
        "Show " + rejected + " statement" + (rejected === 1 ? "" : "s") + " rejected in review");
      t.type = "button";
      t.addEventListener("click", function () { showRejected = !showRejected; showEdge(j); });
      add(panel, t);
    }
    var against = (E.against && E.against[j]) || [];
    if (against.length) {
      var box = el("section", "against");
      add(box, el("h3", null, "Contradicted by (" + against.length + ")"));
      against.forEach(function (x) {
        var h = el("div", "claim-head small");
        var b = el("button", "link-button", N.label[E.from[x]] + " " + edgeLabel(x) + " " + N.label[E.to[x]]);
        b.type = "button";
        b.addEventListener("click", function () { selectEdge(x); });
        add(h, b);
        add(box, h);
        for (var k = E.ev0[x]; k < E.ev0[x] + E.evn[x]; k++) if (!isRejected(k)) add(box, statement(k));
      });
      add(panel, box);
    }
    panel.scrollTop = 0;
    saveState();
  }
  function showNode(i) {
    openPanel();
    selection = "n:" + short(N.iri[i]);
    var c = data.classes[N.cls[i]];
    var cls = el("div");
    add(cls, shapeIcon(c.shape, c.color, c.border), " ", el("span", null, c.label));
    add(panel, el("h3", null, "Entity"), el("h2", null, N.label[i]), cls);
    var dl = el("dl"), more = info(i);
    if (more.def) add(dl, el("dt", null, "Definition"), el("dd", null, more.def));
    if (more.syn.length) add(dl, el("dt", null, "Synonyms"), el("dd", null, more.syn.join("; ")));
    if (more.ids.length) {
      var dd = el("dd");
      more.ids.forEach(function (pair, k) {
        if (k) add(dd, ", ");
        if (safeUrl(pair[1])) {
          var a = el("a", null, pair[0]);
          a.href = pair[1];
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          add(dd, a);
        } else {
          add(dd, el("span", null, pair[0]));
        }
      });
      add(dl, el("dt", null, "Identifiers"), dd);
    }
    add(dl, el("dt", null, "IRI"), el("dd", "iri", N.iri[i]));
    add(panel, dl);
    var controls = el("div", "focus-controls"), btn = el("button", null, "Focus on this node"), depth = el("input");
    btn.type = "button";
    depth.type = "number";
    depth.min = "0";
    depth.max = "10";
    depth.value = String(state.focus ? state.focus.depth : 1);
    depth.setAttribute("aria-label", "depth");
    btn.addEventListener("click", function () { focusOn(i, parseInt(depth.value, 10) || 1); });
    add(controls, btn, el("span", "muted", "depth"), depth);
    if (PROFILE[i] && PROFILE[i].length) {
      var cmp = el("button", null, compareSet.indexOf(i) >= 0 ? "In the comparison" : "Compare with\u2026");
      cmp.type = "button";
      cmp.addEventListener("click", function () {
        if (compareSet.indexOf(i) < 0) compareSet.push(i);
        setCompare(compareSet);
      });
      add(controls, cmp);
    }
    add(panel, controls);
    var out = adjacency[i].filter(function (j) { return E.from[j] === i; });
    var inc = adjacency[i].filter(function (j) { return E.from[j] !== i; });
    [[out, "Claims about it (" + out.length + ")"], [inc, "Claims pointing to it (" + inc.length + ")"]].forEach(function (part) {
      if (!part[0].length) return;
      add(panel, el("h3", null, part[1]));
      var ul = el("ul", "edge-list");
      listSome(ul, part[0], function (j) {
        var li = el("li"), b = el("button", ["", "", "contested", "negated", "proposed"][kindOf[j]]);
        b.type = "button";
        var other = E.from[j] === i ? E.to[j] : E.from[j];
        add(b, E.from[j] === i ? edgeLabel(j) + " \u2192 " + N.label[other] : N.label[other] + " \u2192 " + edgeLabel(j));
        add(b, el("span", "muted", " (" + E.docs[j] + (E.docs[j] === 1 ? " doc)" : " docs)")));
        b.addEventListener("click", function () { selectEdge(j); });
        add(li, b);
        return li;
      });
      add(panel, ul);
    });
    hooks.node.forEach(function (f) { f(panel, i); });
    panel.scrollTop = 0;
  }
  /* The panel sits beside the graph, never over it: the canvas narrows while it is open. */
  var wrap = document.getElementById("graph-wrap");
  function resizeGraph() {  // the canvas takes its new size; it is drawn on the next frame
    canvasSize = null;      // (a big graph is not drawn twice, once here and once after the move)
    network.setSize("100%", "100%");
    network.body.emitter.emit("_requestRedraw");
  }
  function hidePanel() {
    clear(panel);
    if (panel.hidden) return;
    panel.hidden = true;
    var centre = network.getViewPosition(), scale = network.getScale();
    wrap.classList.remove("with-panel");
    wrap.classList.remove("with-wide-panel");
    panel.classList.remove("wide");
    resizeGraph();
    network.moveTo({ position: centre, scale: scale, animation: false });
  }
  function setWide(wide) {  // the compare table takes more room; the graph keeps the rest
    if (panel.classList.contains("wide") === wide) return;
    var centre = network.getViewPosition(), scale = network.getScale();
    panel.classList.toggle("wide", wide);
    wrap.classList.toggle("with-wide-panel", wide);
    resizeGraph();
    network.moveTo({ position: centre, scale: scale, animation: false });
  }
  function openPanel() {
    clear(panel);
    setWide(false);
    if (panel.hidden) {
      var centre = network.getViewPosition(), scale = network.getScale();
      panel.hidden = false;
      wrap.classList.add("with-panel");
      resizeGraph();
      network.moveTo({ position: centre, scale: scale, animation: false });
    }
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.title = "Close";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { hidePanel(); network.unselectAll(); selection = null; saveState(); });
    add(panel, close);
  }
  network.on("click", function (params) {
    // an entity, else a label (it names its entity, over any line), else a line
    var hit = params.nodes.length ? params.nodes[0] : labelAt(params.pointer.DOM.x, params.pointer.DOM.y);
    var bk = hit !== null ? bundleIndex(hit) : params.edges.length ? bundleIndex(params.edges[0]) : -1;
    if (bk >= 0) openBundle(bk, true);
    else if (hit !== null) { showNode(hit); bringIntoView([hit]); network.selectNodes([hit]); }
    else if (params.edges.length) { showEdge(params.edges[0]); bringIntoView([E.from[params.edges[0]], E.to[params.edges[0]]]); }
    else hidePanel();
  });

  /* ---------- hover tooltip (plain text; vis's own HTML popups are not used) ---------- */
  var tip = document.getElementById("tooltip");
  function showTip(text, pointer) {
    tip.textContent = text;
    tip.style.left = pointer.DOM.x + 14 + "px";
    tip.style.top = pointer.DOM.y + 14 + "px";
    tip.hidden = false;
  }
  network.on("hoverNode", function (p) {
    var bk = bundleIndex(p.node);
    if (bk >= 0) {
      showTip(bundleShown[bk] + " " + data.classes[bundles[bk].cls].label.toLowerCase() + " linked only to " + N.label[bundles[bk].hub] + " \u2014 click to show them", p.pointer);
      return;
    }
    showTip(N.label[p.node] + " \u2014 " + data.classes[N.cls[p.node]].label + " (" + adjacency[p.node].length + " claims)", p.pointer);
  });
  network.on("hoverEdge", function (p) {
    var j = p.edge;
    if (typeof j !== "number") return;
    showTip(N.label[E.from[j]] + " \u2192 " + edgeLabel(j) + " \u2192 " + N.label[E.to[j]] + " (" + E.docs[j] + " docs)", p.pointer);
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("blurEdge", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  /* ---------- mechanism chains, ranked (kgraph/views/mechanisms.py) ---------- */
  function showChains() {
    openPanel();
    selection = null;
    var list = data.chains || [];
    add(panel, el("h3", null, "Mechanism chains"), el("h2", null, list.length + " chain" + (list.length === 1 ? "" : "s") + " from " +
      (data.highlight.length ? N.label[data.highlight[0]] : "")));
    add(panel, el("p", "muted", "Mechanistic claims only, each in its stated direction. Ranked by score = evidence weight \u00d7 specificity " +
      "(a chain through hubs, which node degree alone would predict, is less specific). Click a relation for its evidence."));
    var ol = el("ol", "chains");
    list.forEach(function (c, r) {
      var li = el("li", "chain");
      li.setAttribute("data-chain", String(r));
      var show = el("button", "chain-show", "show");
      show.type = "button";
      show.addEventListener("click", function () {
        network.setSelection({ nodes: c.nodes, edges: c.edges }, { unselectAll: true, highlightEdges: false });
        bringIntoView(c.nodes);
      });
      var hops = el("div", "hops");
      c.nodes.forEach(function (n, h) {
        add(hops, nodeButton(n));
        if (h < c.edges.length) {
          var j = c.edges[h], b = el("button", "hop", " \u2014" + edgeLabel(j) + "\u2192 ");
          b.type = "button";
          b.setAttribute("data-edge", String(j));
          b.addEventListener("click", function () { selectEdge(j); });
          add(hops, b);
        }
      });
      add(li, hops, el("span", "muted", "score " + c.score.toFixed(2) + " \u00b7 weight " + c.weight.toFixed(2) +
        " \u00b7 specificity " + c.specificity.toFixed(2) + " "), show);
      add(ol, li);
    });
    add(panel, ol);
    panel.scrollTop = 0;
  }

  /* ---------- compare view: compounds side by side (rows from kgraph/views/compare.py) ---------- */
  var compareSet = [], PROFILE = data.profiles || {};
  var compareList = document.getElementById("compare-list"), compareBoxes = new Map();
  var compounds = Object.keys(PROFILE).map(Number).filter(function (i) { return PROFILE[i].length; })
    .sort(function (a, b) { return PROFILE[b].length - PROFILE[a].length || N.label[a].localeCompare(N.label[b]); });
  lazyRows(compareList, compounds.length, function (r) {
    var i = compounds[r];
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = compareSet.indexOf(i) >= 0;
    box.setAttribute("data-compound", String(i));
    box.addEventListener("change", function () {
      var next = compareSet.filter(function (x) { return x !== i; });
      if (box.checked) next.push(i);
      compareSet = next;
      saveState();
    });
    compareBoxes.set(i, box);
    add(label, box, el("span", "name", N.label[i]), el("span", "count", PROFILE[i].length));
    add(li, label);
    compareList.appendChild(li);
  });
  if (!compounds.length) document.getElementById("compare-section").hidden = true;
  document.getElementById("compare-go").addEventListener("click", function () { setCompare(compareSet); });
  function claimLine(j, quals) {
    var b = el("button", "claim " + ["", "dashed", "contested", "negated", "proposed"][kindOf[j]]);
    b.type = "button";
    b.setAttribute("data-edge", String(j));
    add(b, el("span", "rel", edgeLabel(j)));
    (quals || []).forEach(function (q) { add(b, " ", qualifierBadge(q)); });
    var strength = E.w && E.w[j] !== null && E.w[j] !== undefined ? "weight " + E.w[j].toFixed(2) : E.docs[j] + (E.docs[j] === 1 ? " doc" : " docs");
    add(b, " ", el("span", "muted", strength));
    b.addEventListener("click", function () { selectEdge(j); });
    return b;
  }
  function setCompare(list) {
    compareSet = list.filter(function (i) { return PROFILE[i]; });
    compareBoxes.forEach(function (box, i) { box.checked = compareSet.indexOf(i) >= 0; });
    if (compareSet.length < 2) {
      openPanel();
      setWide(true);
      add(panel, el("h3", null, "Compare"), el("p", "muted", "Tick two or more compounds under \u201cCompare compounds\u201d."));
      saveState();
      return;
    }
    openPanel();
    setWide(true);
    selection = null;
    add(panel, el("h3", null, "Compare"), el("h2", null, compareSet.map(function (i) { return N.label[i]; }).join(" \u00b7 ")));
    add(panel, el("p", "muted", "Shared rows first; a claim's badges are its statements' qualifiers; click a claim for its evidence."));
    var rows = new Map();  // category:object -> {cat, obj, cells: [[j, quals]...] per compound}
    compareSet.forEach(function (c, col) {
      PROFILE[c].forEach(function (r) {
        var key = r[0] + ":" + r[1];
        if (!rows.has(key)) rows.set(key, { cat: r[0], obj: r[1], cells: compareSet.map(function () { return []; }) });
        rows.get(key).cells[col].push([r[2], r[3]]);
      });
    });
    var sorted = Array.from(rows.values()).map(function (r) {
      r.shared = r.cells.every(function (c) { return c.length > 0; });
      return r;
    }).sort(function (a, b) {
      return a.cat - b.cat || (b.shared - a.shared) || N.label[a.obj].localeCompare(N.label[b.obj]);
    });
    var table = el("table", "compare"), thead = el("thead"), hr = el("tr");
    add(hr, el("th", null, ""));
    compareSet.forEach(function (c) { add(hr, el("th", null, N.label[c])); });
    add(thead, hr);
    add(table, thead);
    var body = el("tbody"), lastCat = -1;
    sorted.forEach(function (r) {
      if (r.cat !== lastCat) {
        var ch = el("tr", "category"), td = el("th", null, data.categories[r.cat]);
        td.colSpan = compareSet.length + 1;
        add(ch, td);
        add(body, ch);
        lastCat = r.cat;
      }
      var tr = el("tr", r.shared ? "shared" : "distinct");
      tr.setAttribute("data-object", N.iri[r.obj]);
      var name = el("th", "object");
      add(name, nodeButton(r.obj));
      if (r.shared) add(name, " ", el("span", "badge shared", "shared"));
      add(tr, name);
      r.cells.forEach(function (cell) {
        var td = el("td");
        if (!cell.length) add(td, el("span", "muted", "\u2014"));
        cell.forEach(function (x) { add(td, claimLine(x[0], x[1])); });
        add(tr, td);
      });
      add(body, tr);
    });
    add(table, body);
    add(panel, table);
    panel.scrollTop = 0;
    saveState();
  }

  /* ---------- permalinks: the view's state lives in the URL fragment ---------- */
  // #sel=n:IRI | e:SUBJECT PREDICATE OBJECT  &focus=IRI&depth=N  &hide=c:Class|r:IRI|k:N|l:LEVEL|d:IRI
  // &open=HUB-IRI CLASS (opened bundles)  &compare=IRI,IRI…
  var selection = null, restoring = false;
  var nodeByIri = new Map();
  for (i = 0; i < nNodes; i++) nodeByIri.set(N.iri[i], i);
  var KEYS = [["classes", "c", function (k) { return data.classes[k].label; }],
    ["relations", "r", function (k) { return short(data.relations[k].iri); }],
    ["kinds", "k", function (k) { return String(k); }],
    ["levels", "l", function (k) { return data.levels[k].id; }],
    ["documents", "d", function (k) { return short(data.documents[k].iri); }]];
  var SHORT = [["kg:", "https://w3id.org/kgraph/entity/"], ["kgo:", "https://w3id.org/kgraph/ontology#"], ["kgd:", "https://w3id.org/kgraph/document/"]];
  function short(iri) {
    for (var k = 0; k < SHORT.length; k++) if (iri.indexOf(SHORT[k][1]) === 0) return SHORT[k][0] + iri.slice(SHORT[k][1].length);
    return iri;
  }
  function long(text) {
    for (var k = 0; k < SHORT.length; k++) if (text.indexOf(SHORT[k][0]) === 0) return SHORT[k][1] + text.slice(SHORT[k][0].length);
    return text;
  }
  function stateParams() {
    var p = new URLSearchParams();
    if (selection) p.set("sel", selection);
    if (state.focus) { p.set("focus", short(N.iri[state.focus.node])); p.set("depth", String(state.focus.depth)); }
    var hide = [];
    KEYS.forEach(function (x) {
      state[x[0]].forEach(function (on, k) { if (!on) hide.push(x[1] + ":" + x[2](k)); });
    });
    if (hide.length) p.set("hide", hide.join("|"));
    var open = bundles.filter(function (b) { return b.open; })
      .map(function (b) { return short(N.iri[b.hub]) + " " + data.classes[b.cls].label; });
    if (open.length) p.set("open", open.join("|"));
    if (compareSet.length) p.set("compare", compareSet.map(function (i) { return short(N.iri[i]); }).join(","));
    return p;
  }
  // written at once: other modules (review mode) read the fragment right after a click; a write
  // that would not change it is skipped (history.replaceState is a call to the browser process)
  function saveState() {
    if (restoring) return;
    var text = stateParams().toString().replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%7C/g, "|").replace(/%2F/g, "/");
    if ((text ? "#" + text : "") === location.hash) return;
    try { history.replaceState(null, "", text ? "#" + text : location.pathname + location.search); } catch (e) { /* sandboxed frames */ }
  }
  function edgeKey(j) { return "e:" + short(N.iri[E.from[j]]) + " " + short(data.relations[E.rel[j]].iri) + " " + short(N.iri[E.to[j]]); }
  function loadState(hash) {
    var p = new URLSearchParams(String(hash || "").replace(/^#/, ""));
    if (![].concat(Array.from(p.keys())).length) return false;
    restoring = true;
    try {
      KEYS.forEach(function (x) { state[x[0]] = state[x[0]].map(function () { return true; }); });
      (p.get("hide") || "").split("|").forEach(function (item) {
        var at = item.indexOf(":");
        if (at < 0) return;
        var tag = item.slice(0, at), value = item.slice(at + 1);
        KEYS.forEach(function (x) {
          if (x[1] !== tag) return;
          state[x[0]].forEach(function (_, k) { if (x[2](k) === value) state[x[0]][k] = false; });
        });
      });
      var opened = new Set((p.get("open") || "").split("|"));
      bundles.forEach(function (b) { b.open = opened.has(short(N.iri[b.hub]) + " " + data.classes[b.cls].label); });
      syncChecks();
      var f = nodeByIri.get(long(p.get("focus") || ""));
      if (f !== undefined) focusOn(f, parseInt(p.get("depth") || "1", 10));
      else { state.focus = null; document.getElementById("focus-bar").hidden = true; applyFilters(); sync(); }
      var cmp = (p.get("compare") || "").split(",").map(function (iri) { return nodeByIri.get(long(iri)); })
        .filter(function (v) { return v !== undefined; });
      if (cmp.length) setCompare(cmp);
      var sel = p.get("sel") || "";
      if (sel.indexOf("n:") === 0 && nodeByIri.has(long(sel.slice(2)))) selectNode(nodeByIri.get(long(sel.slice(2))));
      else if (sel.indexOf("e:") === 0) {
        for (var j = 0; j < nEdges; j++) if (edgeKey(j) === sel) { selectEdge(j); break; }
      }
    } finally {
      restoring = false;
    }
    saveState();
    return true;
  }
  function copyLink() {
    saveState();
    var box = document.getElementById("link-text");
    box.value = location.href;
    box.hidden = false;
    box.select();
    var done = function () { document.getElementById("copy-link").textContent = "Link copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(location.href).then(done, function () { document.execCommand("copy") && done(); });
    } else if (document.execCommand("copy")) done();
    return location.href;
  }
  document.getElementById("copy-link").addEventListener("click", copyLink);

  /* ---------- export this view: PNG of the canvas, GraphML of the entities and claims shown ---------- */
  function download(name, url) {
    var a = el("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function pngOfView() {
    var src = container.querySelector("canvas"), out = document.createElement("canvas");
    out.width = src.width; out.height = src.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    return out.toDataURL("image/png");
  }
  function xml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }[c];
    }).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
  }
  function graphmlOfView() {
    var shown = new Uint8Array(nNodes), lines = [];
    for (var i = 0; i < nNodes; i++) shown[i] = nodeOn[i];
    var edges = [];
    for (var j = 0; j < nEdges; j++) if (edgeOn[j]) edges.push(j);
    bundles.forEach(function (b, k) {  // a drawn bundle stands for its leaves and their claims
      if (!bundleOn[k]) return;
      b.members.forEach(function (m) { if (state.classes[N.cls[m]]) shown[m] = 1; });
      b.edges.forEach(function (j) { if (shown[E.from[j]] && shown[E.to[j]] && state.relations[E.rel[j]] && state.kinds[kindOf[j]]) edges.push(j); });
    });
    lines.push('<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      '<key id="label" for="node" attr.name="label" attr.type="string"/>',
      '<key id="class" for="node" attr.name="class" attr.type="string"/>',
      '<key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
      '<key id="predicate" for="edge" attr.name="predicate" attr.type="string"/>',
      '<key id="documents" for="edge" attr.name="documents" attr.type="int"/>',
      '<key id="statements" for="edge" attr.name="statements" attr.type="int"/>',
      '<key id="kind" for="edge" attr.name="kind" attr.type="string"/>',
      '<graph id="kgraph" edgedefault="directed">');
    for (i = 0; i < nNodes; i++) {
      if (!shown[i]) continue;
      lines.push('<node id="' + xml(N.iri[i]) + '"><data key="label">' + xml(N.label[i]) +
        '</data><data key="class">' + xml(data.classes[N.cls[i]].label) + "</data></node>");
    }
    var KIND = ["asserted", "hedged or preclinical only", "contested", "negated", "unreviewed proposal"];
    edges.forEach(function (j) {
      lines.push('<edge source="' + xml(N.iri[E.from[j]]) + '" target="' + xml(N.iri[E.to[j]]) + '">' +
        '<data key="relation">' + xml(relLabel(j)) + '</data><data key="predicate">' + xml(data.relations[E.rel[j]].iri) +
        '</data><data key="documents">' + E.docs[j] + '</data><data key="statements">' + E.stmts[j] +
        '</data><data key="kind">' + KIND[kindOf[j]] + "</data></edge>");
    });
    lines.push("</graph>", "</graphml>");
    return lines.join("\n");
  }
  document.getElementById("export-png").addEventListener("click", function () { download("kgraph-view.png", pngOfView()); });
  document.getElementById("export-graphml").addEventListener("click", function () {
    download("kgraph-view.graphml", URL.createObjectURL(new Blob([graphmlOfView()], { type: "application/graphml+xml" })));
  });
  window.addEventListener("hashchange", function () { loadState(location.hash); });

  updateSummary();
  if (!loadState(location.hash)) {
    if (data.compare && data.compare.length) setCompare(data.compare);
    else if (data.chains && data.chains.length) showChains();
  }
  mark("ready");

  /* for tests, notebooks and the curious */
  window.kgraph = {
    data: data,
    network: network,
    nodes: nodesDS,
    edges: edgesDS,
    view: { nodes: nodesView, edges: edgesView },  // what vis-network holds: the drawn items
    lod: lod,
    labels: function () { return placed.map(function (p) { return { id: p.id, text: labelText(p.id), px: p.px, box: p.box.slice() }; }); },
    labelAt: labelAt,
    drawnNodes: drawnNodes,
    drawnEdges: drawnEdges,
    search: search,
    selectNode: selectNode,
    selectEdge: selectEdge,
    openPanel: openPanel,
    hooks: hooks,
    focus: focusOn,
    clearFocus: clearFocus,
    copyLink: copyLink,
    compare: function (list) { setCompare(list); },
    showChains: showChains,
    compareSet: function () { return compareSet.slice(); },
    stateParams: function () { return stateParams().toString(); },
    loadState: loadState,
    graphml: graphmlOfView,
    png: pngOfView,
    bundles: bundles,
    openBundle: openBundle,
    inView: inView,
    shownEntities: shownEntities,
    shownClaims: shownClaims,
    idle: function () { return busy === 0; },
    findEdge: function (from, rel, to) {
      for (var j = 0; j < nEdges; j++) {
        if (N.label[E.from[j]] === from && N.label[E.to[j]] === to && (!rel || relLabel(j).toLowerCase() === rel.toLowerCase())) return j;
      }
      return -1;
    },
  };
})();
