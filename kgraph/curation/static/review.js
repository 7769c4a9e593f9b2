/* kgraph-review: the explorer's review mode (kgraph.curation.explorer).
   A queue of proposals, most confident first; accept / reject / correct on every statement card of
   the evidence panel; "add to the lexicon" on an entity the text named outside the lexicon. Each
   act is a curation.jsonl line, written exactly as `kgraph curate` writes it (Python's json.dumps);
   offline the lines are collected for download, on `kgraph serve --allow-curation` each is POSTed
   to the server, which appends it to the log. Text only: nothing reaches innerHTML. */
(function () {
  "use strict";
  var K = window.kgraph, block = document.getElementById("kgraph-review");
  if (!K || !block || !K.hooks) return;
  var R = JSON.parse(block.textContent);
  var D = K.data, V = D.evidence, E = D.edges, N = D.nodes, VOC = R.vocab;
  var lines = [], outcome = {}, on = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function button(label, cls, fn) {
    var b = el("button", cls, label);
    b.type = "button";
    b.addEventListener("click", fn);
    return b;
  }
  function select(name, values, current, blank) {
    var s = el("select");
    s.name = name;
    s.setAttribute("aria-label", name.replace("_", " "));
    if (blank !== undefined) s.appendChild(el("option", null, blank)).value = "";
    values.forEach(function (v) {
      var o = el("option", null, v);
      o.value = v;
      if (v === current) o.selected = true;
      s.appendChild(o);
    });
    return s;
  }

  // Python's json.dumps(obj, ensure_ascii=False) with its default separators: a line made here
  // equals the line `kgraph curate` (and the server) writes for the same act.
  function dump(v) {
    if (Array.isArray(v)) return "[" + v.map(dump).join(", ") + "]";
    if (v !== null && typeof v === "object")
      return "{" + Object.keys(v).map(function (k) { return JSON.stringify(k) + ": " + dump(v[k]); }).join(", ") + "}";
    return JSON.stringify(v);
  }
  function now() { return new Date().toISOString().replace(/\.\d{3}Z$/, "Z"); }

  /* ---------- the keys of statements ---------- */
  function keyOf(k) {  // statement k of the page
    var x = R.keys[k];
    if (!x) return null;
    var key = { document: x.document, subject: x.subject, predicate: x.predicate, object: x.object,
      sentence: x.sentence, quote: V.quote[k] == null ? null : V.quote[k], current: x };
    return key;
  }
  function keyOfRow(q) {  // a queue row (kgraph.curation.queue)
    return { document: q.document, subject: q.subject, predicate: q.predicate, object: q.object,
      sentence: q.sentence, quote: q.quote, current: { predicate: q.predicate, negated: q.negated,
        certainty: q.certainty, evidence_level: q.evidence_level, comparison: q.comparison } };
  }
  function ident(key) { return [key.document, key.subject, key.predicate, key.object, key.quote].join("\u0001"); }

  // An act in the log's key order (kgraph.curation.log.Act.as_dict).
  function makeAct(key, kind, changes, curator, reason, tags) {
    var a = { act: kind, document: key.document, subject: key.subject, predicate: key.predicate, object: key.object };
    if (key.sentence) a.sentence = key.sentence;
    if (key.quote != null) a.quote = key.quote;
    if (changes && Object.keys(changes).length) a.set = changes;
    a.curator = curator;
    a.time = now();
    a.reason = reason;
    a.tags = tags;
    return a;
  }

  /* ---------- recording ---------- */
  var side, status, logBox, countBox, queueList, entityList;
  function say(text, bad) { status.textContent = text; status.className = bad ? "review-status bad" : "review-status"; }
  function record(a, id, label) {
    var curatorBox = document.getElementById("review-curator"), curator = curatorBox.value.trim();
    if (!curator) { curatorBox.focus(); say("Type your name as curator first.", true); return Promise.resolve(false); }
    a.curator = curator;
    var line = dump(a);
    var sent = Promise.resolve(null);
    if (R.post) {
      sent = fetch(R.post, { method: "POST", body: line, headers: { "Content-Type": "application/json",
        "Authorization": "Bearer " + document.getElementById("review-token").value } })
        .then(function (r) { return r.text().then(function (t) { if (!r.ok) throw new Error(t); return JSON.parse(t); }); });
    }
    return sent.then(function (answer) {
      lines.push(line);
      logBox.value = lines.join("\n") + "\n";
      countBox.textContent = lines.length + (lines.length === 1 ? " act" : " acts");
      outcome[id] = label;
      say(answer ? "Appended to the server's log (line " + answer.line + ")." : label[0].toUpperCase() + label.slice(1) + ": downloadable below.");
      markDone();
      return true;
    }, function (e) { say("The server refused the act: " + e.message, true); return false; });
  }
  function markDone() {
    document.querySelectorAll("[data-review-id]").forEach(function (x) {
      var o = outcome[x.getAttribute("data-review-id")];
      x.classList.toggle("review-done", !!o);
      var out = x.querySelector(".review-outcome");
      if (out) out.textContent = o || "";
    });
  }

  /* ---------- the buttons of a statement ---------- */
  var TAG_OF = { predicate: "wrong_relation", negated: "wrong_polarity", certainty: "wrong_certainty",
    evidence_level: "wrong_level", comparison: "wrong_qualifier", degree: "wrong_qualifier", mediation: "wrong_qualifier" };
  function bar(key) {
    var id = ident(key), cur = key.current, wrap = el("div", "review-bar");
    wrap.setAttribute("data-review-id", id);
    var reason = el("input", "review-reason");
    reason.placeholder = "reason (optional)";
    reason.setAttribute("aria-label", "reason");
    var tag = select("tag", VOC.tags, null, "(no tag)");
    function tags(defaults) { return tag.value ? [tag.value] : defaults; }
    function act(kind, changes, defaults, label) {
      return record(makeAct(key, kind, changes, "", reason.value.trim(), tags(defaults)), id, label);
    }
    var row = el("div", "review-actions");
    row.append(
      button("Accept", "review-accept", function () { act("accept", null, [], "accepted"); }),
      button("Reject", "review-reject", function () { act("reject", null, [], "rejected"); }),
      button(cur.negated ? "Correct: affirmed" : "Correct: negated", "review-polarity", function () {
        act("correct", { negated: !cur.negated }, ["wrong_polarity"], "corrected");
      }),
      el("span", "review-outcome", outcome[id] || ""));
    // the correction form: relation, polarity, certainty, level, qualifiers
    var form = el("details", "review-correct"), fields = el("div", "review-fields"), inputs = {};
    form.appendChild(el("summary", null, "Correct\u2026"));
    function field(name, label, input) {
      var l = el("label", null, label + " ");
      l.appendChild(input);
      fields.appendChild(l);
      inputs[name] = input;
    }
    field("predicate", "relation", select("predicate", VOC.predicates, cur.predicate));
    field("negated", "polarity", select("negated", ["affirmed", "negated"], cur.negated ? "negated" : "affirmed"));
    field("certainty", "certainty", select("certainty", VOC.certainty, cur.certainty));
    field("evidence_level", "level", select("evidence_level", VOC.evidence_level, cur.evidence_level, "(none)"));
    ["comparison", "degree", "mediation"].forEach(function (q) { field(q, q, select(q, VOC[q], cur[q], "(none)")); });
    form.appendChild(fields);
    form.appendChild(button("Save correction", "review-save", function () {
      var changes = {}, auto = [];
      VOC.settable.forEach(function (name) {  // the log's order of the fields (kgraph.curation.log.SETTABLE)
        var input = inputs[name];
        if (!input || input.value === "") return;  // a qualifier cannot be removed here
        var value = name === "negated" ? input.value === "negated" : input.value;
        var was = name === "negated" ? !!cur.negated : cur[name] == null ? "" : cur[name];
        if (value === was) return;
        changes[name] = value;
        if (auto.indexOf(TAG_OF[name]) < 0) auto.push(TAG_OF[name]);
      });
      if (!Object.keys(changes).length) { say("Change a field first: nothing differs from the statement.", true); return; }
      act("correct", changes, auto, "corrected").then(function (ok) { if (ok) form.open = false; });
    }));
    wrap.append(row, form, reason, tag);
    return wrap;
  }
  K.hooks.statement.push(function (card, k) {
    if (!on) return;
    var key = keyOf(k);
    if (key) card.appendChild(bar(key));
  });

  /* ---------- entities the text named outside the lexicon ---------- */
  var byIri = {};
  R.entities.forEach(function (e) { byIri[e.iri] = e; });
  function snake(label) { return "kg:" + (label.toLowerCase().match(/[a-z0-9]+/g) || []).join("_"); }
  function list(text) { return text.split(/[;,\n]/).map(function (x) { return x.trim(); }).filter(Boolean); }
  K.hooks.node.push(function (panel, i) {
    var e = byIri[N.iri[i]];
    if (!on || !e || !e.document) return;
    var id = "entity\u0001" + e.entity, box = el("section", "review-entity");
    box.setAttribute("data-review-id", id);
    box.appendChild(el("h3", null, "Add to the lexicon"));
    box.appendChild(el("p", "muted", "The text named this entity, but the lexicon lacks it. A reviewed entry makes it a lexicon entity on every build (kgraph curate lexicon writes it for entities.ttl)."));
    var inputs = {};
    function field(name, label, input) {
      var l = el("label", null, label + " ");
      l.appendChild(input);
      box.appendChild(l);
      inputs[name] = input;
    }
    function text(value, placeholder) { var t = el("input"); t.value = value || ""; t.placeholder = placeholder || ""; return t; }
    field("label", "label", text(e.label));
    field("class", "class", select("class", VOC.classes, e.class));
    field("synonyms", "synonyms", text("", "other names, separated by ;"));
    field("identifiers", "identifiers", text("", "checked CURIEs: CHEBI:\u2026; MESH:\u2026"));
    field("entity", "name", text(snake(e.label)));
    inputs.label.addEventListener("input", function () { inputs.entity.value = snake(inputs.label.value); });
    field("reason", "reason", text("", "optional"));
    var go = button("Add to the lexicon", "review-add-entity", function () {
      var label = inputs.label.value.trim();
      if (!label) { say("A new entity needs a label.", true); return; }
      var changes = { entity: inputs.entity.value.trim() || snake(label), label: label };
      var syn = list(inputs.synonyms.value), ids = list(inputs.identifiers.value);
      if (syn.length) changes.synonyms = syn;
      if (ids.length) changes.identifiers = ids;
      var key = { document: e.document, subject: e.entity, predicate: "rdf:type", object: "kgo:" + inputs.class.value };
      record(makeAct(key, "add-entity", changes, "", inputs.reason.value.trim(), []), id, "added to the lexicon as " + changes.entity);
    });
    box.append(go, el("span", "review-outcome", outcome[id] || ""));
    panel.appendChild(box);
  });

  /* ---------- the queue ---------- */
  function edgeOf(k) {
    for (var j = 0; j < E.ev0.length; j++) if (k >= E.ev0[j] && k < E.ev0[j] + E.evn[j]) return j;
    return -1;
  }
  function openRow(i) {
    var q = R.queue[i], j = q.k == null ? -1 : edgeOf(q.k);
    if (j >= 0) {
      K.selectEdge(j);
      var card = document.querySelector('#panel [data-statement="' + q.k + '"]');
      if (card) { card.classList.add("review-focus"); card.scrollIntoView({ block: "nearest" }); }
      return;
    }
    K.openPanel();  // not drawn in this view: the proposal on its own
    var panel = document.getElementById("panel"), card2 = el("div", "statement proposed review-focus");
    panel.appendChild(el("h3", null, "Proposal (not drawn in this view)"));
    card2.appendChild(el("p", "review-statement", q.subject_text + " \u2014 " + q.predicate + " \u2192 " + q.object_text));
    card2.appendChild(el("blockquote", null, q.quote || "(no quote recorded)"));
    card2.appendChild(bar(keyOfRow(q)));
    panel.appendChild(card2);
  }
  function buildSide() {
    side = el("section", "review-side");
    side.id = "review";
    side.appendChild(el("h2", null, "Review"));
    var who = el("label", null, "Curator ");
    var curator = el("input");
    curator.id = "review-curator";
    curator.autocomplete = "name";
    curator.placeholder = "your name";
    who.appendChild(curator);
    side.appendChild(who);
    var tok = el("label", null, "Token ");
    var token = el("input");
    token.id = "review-token";
    token.type = "password";
    tok.appendChild(token);
    tok.hidden = !R.post;
    side.appendChild(tok);
    side.appendChild(el("p", "hint", R.post ? "Each act is sent to the server, which appends it to the corpus's curation.jsonl."
      : "Offline: download the acts and append them to the corpus's curation.jsonl; the next build replays them."));
    status = el("p", "review-status");
    status.setAttribute("role", "status");
    side.appendChild(status);
    side.appendChild(el("h2", null, "Proposals (" + R.queue.length + "), most confident first"));
    queueList = el("ol", "review-queue");
    R.queue.forEach(function (q, i) {
      var li = el("li", "review-item " + (q.confidence || "")), b = el("button", "link-button");
      li.setAttribute("data-review-id", ident(keyOfRow(q)));
      b.type = "button";
      b.append(el("span", "badge review-confidence", (q.confidence || "no") + " confidence"), " ",
        (q.subject_text || q.subject) + " \u2014 " + q.predicate + (q.negated ? " (negated)" : "") + " \u2192 " + (q.object_text || q.object));
      b.addEventListener("click", function () { openRow(i); });
      li.append(b, el("span", "review-outcome"));
      queueList.appendChild(li);
    });
    if (!R.queue.length) queueList.appendChild(el("li", "muted", "No proposals await review."));
    side.appendChild(queueList);
    var drawn = R.entities.filter(function (e) { return e.document; });
    if (drawn.length) {
      side.appendChild(el("h2", null, "New entities (" + drawn.length + ")"));
      entityList = el("ul", "review-entities");
      drawn.forEach(function (e) {
        var li = el("li"), i = N.iri.indexOf(e.iri);
        li.setAttribute("data-review-id", "entity\u0001" + e.entity);
        li.append(button(e.label + " (" + (e.class || "?") + ")", "link-button", function () { if (i >= 0) K.selectNode(i); }),
          el("span", "review-outcome"));
        entityList.appendChild(li);
      });
      side.appendChild(entityList);
    }
    countBox = el("p", "review-count", "0 acts");
    logBox = el("textarea", "review-log");
    logBox.id = "review-log";
    logBox.readOnly = true;
    logBox.setAttribute("aria-label", "curation.jsonl lines");
    var dl = button("Download curation.jsonl", "review-download", function () {
      var a = el("a");
      a.href = URL.createObjectURL(new Blob([logBox.value], { type: "application/x-ndjson" }));
      a.download = "curation.jsonl";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    dl.id = "review-download";
    side.append(el("h2", null, "Acts"), countBox, logBox, dl);
    var nav = document.getElementById("sidebar");
    nav.insertBefore(side, nav.firstChild);
  }
  function setOn(value) {
    on = value;
    document.body.classList.toggle("reviewing", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    toggle.textContent = on ? "Leave review" : "Review (" + R.queue.length + ")";
    if (on && !side) buildSide();
    if (side) side.hidden = !on;
    if (on) document.getElementById("sidebar").scrollTop = 0;
    // the open panel again, with (or without) the review buttons
    if (side && !document.getElementById("panel").hidden && location.hash && K.loadState) K.loadState(location.hash);
  }
  var toggle = button("Review", "review-toggle", function () { setOn(!on); });
  toggle.id = "review-toggle";
  toggle.title = "Accept, reject or correct statements; add new entities to the lexicon";
  document.getElementById("share").insertBefore(toggle, document.getElementById("share").firstChild);
  setOn(!!R.open);
  K.review = { lines: function () { return lines.slice(); }, dump: dump, on: function () { return on; }, setOn: setOn };
  document.documentElement.setAttribute("data-review-ready", "1");
})();
