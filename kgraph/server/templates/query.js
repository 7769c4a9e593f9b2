"use strict";
const q = document.getElementById("q");
const run = document.getElementById("run");
const statusLine = document.getElementById("status");
const out = document.getElementById("out");
const graphLink = document.getElementById("graph");
const examples = document.getElementById("examples");
const params = document.getElementById("params");
let named = null; // the named query chosen, while its text is not edited
const given = new URLSearchParams(window.location.search).get("query");
if (given) { q.value = given; }
function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? "error" : "";
}
function cell(term) {
  const td = document.createElement("td");
  if (term) { td.textContent = term.value; td.title = term.type; }
  return td;
}
function showTable(data) {
  out.replaceChildren();
  if (typeof data.boolean === "boolean") {
    const p = document.createElement("p");
    p.textContent = data.boolean ? "true" : "false";
    out.appendChild(p);
    setStatus("ASK answered", false);
    return;
  }
  const vars = data.head.vars;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const tr = body.insertRow();
    for (const v of vars) { tr.appendChild(cell(binding[v])); }
  }
  out.appendChild(table);
  const n = data.results.bindings.length;
  setStatus(n + (n === 1 ? " row" : " rows"), false);
}
function updateLink() {
  graphLink.href = "/graph?query=" + encodeURIComponent(q.value);
}
function showParams(item) {
  params.replaceChildren();
  if (!item) { return; }
  for (const p of item.params) {
    const label = document.createElement("label");
    const name = document.createElement("span");
    name.textContent = p.name + (p.required ? " (required)" : "");
    const input = document.createElement("input");
    input.name = p.name;
    input.required = p.required;
    input.placeholder = p.default === null ? p.type : p.default;
    input.dataset.param = p.name;
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = p.description;
    label.append(name, input, hint);
    params.appendChild(label);
  }
}
function namedRequest() {
  const search = new URLSearchParams();
  const missing = [];
  for (const input of params.querySelectorAll("input[data-param]")) {
    const value = input.value.trim();
    if (value) { search.set(input.dataset.param, value); }
    else if (input.required) { missing.push(input.dataset.param); }
  }
  if (missing.length) { return { missing }; }
  return { url: "/queries/" + encodeURIComponent(named.name) + "?" + search.toString() };
}
async function runQuery() {
  updateLink();
  let request;
  if (named) {
    const built = namedRequest();
    if (built.missing) {
      out.replaceChildren();
      setStatus("give a value for: " + built.missing.join(", "), true);
      return;
    }
    request = fetch(built.url, { headers: { "Accept": "application/sparql-results+json" } });
  } else {
    request = fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: q.value,
    });
  }
  setStatus("running…", false);
  run.disabled = true;
  try {
    const response = await request;
    const text = await response.text();
    if (!response.ok) {
      out.replaceChildren();
      setStatus(response.status + " " + response.statusText + ": " + text, true);
      return;
    }
    if ((response.headers.get("Content-Type") || "").startsWith("text/turtle")) {
      const pre = document.createElement("pre");
      pre.textContent = text;
      out.replaceChildren(pre);
      setStatus((response.headers.get("X-KGraph-Rows") || "?") + " triples", false);
    } else {
      showTable(JSON.parse(text));
    }
  } catch (e) {
    setStatus("request failed: " + e, true);
  } finally {
    run.disabled = false;
  }
}
run.addEventListener("click", runQuery);
q.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { runQuery(); }
});
q.addEventListener("input", () => {
  updateLink();
  if (named) { named = null; examples.value = ""; showParams(null); }
});
updateLink();
fetch("/queries").then((r) => r.json()).then((list) => {
  for (const item of list) {
    const option = document.createElement("option");
    option.value = item.name;
    option.textContent = item.title;
    option.title = item.description;
    examples.appendChild(option);
  }
  examples.addEventListener("change", () => {
    const found = list.find((item) => item.name === examples.value) || null;
    named = found;
    showParams(found);
    if (found) { q.value = found.sparql; updateLink(); }
  });
}).catch(() => {});
