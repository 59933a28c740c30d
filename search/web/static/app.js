// budgetkg page: ask, show the answer with evidence, edit and re-run the SPARQL, draw lineage.
// Plain JS, no libraries, nothing loaded from the network.
"use strict";

const EXAMPLES = [
  "哪些项目执行率低于60%",
  "汾阳市人社局2024年政府采购预算总额",
  "哪些项目的立项依据是晋财社【2019】1号",
  "大同市人力资源和社会保障局下属有哪些单位",
  "哪个项目因为合同问题没付款",
];
// answer columns whose values can be traced (project, unit, department, policy document)
const ENTITY_COLUMNS = new Set(["项目", "单位", "主管部门", "文件", "实施单位"]);
const PREFIXES = {
  "https://w3id.org/budgetkg/ontology#": "bkg:",
  "https://w3id.org/budgetkg/id/": "id:",
  "http://www.w3.org/2004/02/skos/core#": "skos:",
  "http://www.w3.org/ns/org#": "org:",
  "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
  "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
  "http://www.w3.org/2001/XMLSchema#": "xsd:",
  "http://purl.org/linked-data/cube#": "qb:",
  "http://www.w3.org/ns/prov#": "prov:",
  "http://purl.org/dc/terms/": "dcterms:",
};
const KINDS = {
  document: { name: "政策文件", color: "#b03a2e" },
  funding_level: { name: "资金来源", color: "#1e8449" },
  project: { name: "项目", color: "#ca6f1e" },
  series: { name: "项目系列", color: "#9a7d0a" },
  report: { name: "报告", color: "#566573" },
  function_class: { name: "功能科目", color: "#148f77" },
  unit: { name: "单位", color: "#2471a3" },
  department: { name: "主管部门", color: "#7d3c98" },
};
const COLUMN_ORDER = ["document", "funding_level", "project", "series", "report", "function_class", "unit", "department"];
const TRACEABLE = new Set(["project", "unit", "department", "document"]);
const SVG_NS = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function showError(message) {
  const box = $("error-box");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, 9000);
}

async function fetchJSON(url, options) {
  const response = await fetch(url, options);
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const message = data && data.message ? data.message : `请求失败 (HTTP ${response.status})`;
    const err = new Error(message);
    err.data = data;
    throw err;
  }
  return data;
}

function formatValue(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Math.round(value * 10000) / 10000);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// -- asking ---------------------------------------------------------------------------------

async function ask(question) {
  question = question.trim();
  if (!question) { showError("请输入问题"); return; }
  const button = $("ask-button");
  button.disabled = true;
  $("answer-section").hidden = false;
  $("answer-text").textContent = "正在查询……";
  $("answer-text").className = "busy";
  $("answer-meta").textContent = "";
  $("answer-table").replaceChildren();
  try {
    const answer = await fetchJSON("/api/ask?q=" + encodeURIComponent(question));
    renderAnswer(answer);
  } catch (err) {
    $("answer-text").textContent = err.message;
    $("answer-text").className = "";
  } finally {
    button.disabled = false;
  }
}

function renderAnswer(answer) {
  $("answer-text").className = "";
  $("answer-text").textContent = answer.answer || "（没有回答）";
  const modes = { graph: "图谱查询", retrieval: "语义检索", hybrid: "图谱 + 检索" };
  $("answer-meta").textContent = `方式：${modes[answer.mode] || answer.mode}` +
    (answer.intent && answer.intent.type ? `；问题类型：${answer.intent.type}` : "") +
    (answer.rows ? `；${answer.rows.length} 行` : "");
  const table = $("answer-table");
  table.replaceChildren();
  const columns = answer.columns || [];
  let traceable = false;
  if (columns.length) {
    table.append(el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {}, c)))));
    const body = el("tbody");
    (answer.rows || []).forEach((row, i) => {
      const tr = el("tr", { class: "answer-row" });
      for (const column of columns) {
        const value = row[column];
        const td = el("td", { class: typeof value === "number" ? "num" : "" });
        if (ENTITY_COLUMNS.has(column) && value) {
          traceable = true;
          const link = el("a", { class: "entity", href: "#trace-section", title: "查看脉络图", "data-entity": String(value) }, String(value));
          link.addEventListener("click", (event) => { event.preventDefault(); trace(String(value)); });
          td.append(link);
        } else {
          td.textContent = formatValue(value);
        }
        tr.append(td);
      }
      body.append(tr);
      const evidence = (answer.evidence || [])[i];
      if (evidence && evidence.text) {
        const cell = el("td", { colSpan: columns.length, class: "evidence" },
          el("span", { class: "source" }, `依据：${evidence.report || ""}${evidence.page ? " 第" + evidence.page + "页" : ""}`),
          evidence.text);
        const item = el("tr", { class: "evidence-row" }, cell);
        if (evidence.report_id) {  // the report's own page (figures, charts, projects, findings)
          const link = el("a", { class: "report-page-link", href: "/report/" + evidence.report_id, title: "报告页" }, "报告页");
          link.addEventListener("click", (event) => event.stopPropagation());
          cell.append(" ", link);
        }
        if (evidence.page_view) {  // click: the printed page behind it (source.js)
          item.classList.add("has-source");
          item.title = evidence.image ? "点击查看原报告该页（引文高亮）" : "点击查看引文所在的原文";
          item.addEventListener("click", () => showSource(evidence));
        }
        body.append(item);
      }
    });
    table.append(body);
  }
  $("entity-hint").hidden = !traceable;
  if (answer.sparql) {
    $("sparql-editor").value = answer.sparql;
    $("sparql-status").textContent = "已载入回答所用的查询，可修改后运行。";
    $("sparql-results").replaceChildren();
    $("sparql-graph").hidden = true;
  }
}

// -- SPARQL ---------------------------------------------------------------------------------

function shorten(iri) {
  for (const [base, prefix] of Object.entries(PREFIXES)) {
    if (iri.startsWith(base)) return prefix + iri.slice(base.length);
  }
  return iri;
}

async function runSparql() {
  const query = $("sparql-editor").value;
  const status = $("sparql-status");
  const table = $("sparql-results");
  const graph = $("sparql-graph");
  const button = $("sparql-run");
  button.disabled = true;
  status.textContent = "正在运行……";
  table.replaceChildren();
  graph.hidden = true;
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query; charset=utf-8",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: query,
    });
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      try { message = (await response.json()).message || message; } catch (e) { /* keep */ }
      status.textContent = "查询出错：" + message;
      return;
    }
    const elapsed = Math.round(performance.now() - started);
    if (type.includes("turtle")) {
      graph.textContent = await response.text();
      graph.hidden = false;
      status.textContent = `完成（${elapsed} 毫秒），结果为 RDF 图（Turtle）。`;
      return;
    }
    const data = await response.json();
    if (typeof data.boolean === "boolean") {
      status.textContent = `完成（${elapsed} 毫秒）：${data.boolean ? "是 (true)" : "否 (false)"}`;
      return;
    }
    const vars = data.head.vars || [];
    const bindings = data.results.bindings || [];
    status.textContent = `完成（${elapsed} 毫秒），${bindings.length} 行` + (bindings.length > 500 ? "，显示前 500 行" : "") + "。";
    table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, "?" + v)))));
    const body = el("tbody");
    for (const binding of bindings.slice(0, 500)) {
      body.append(el("tr", {}, ...vars.map((v) => {
        const term = binding[v];
        if (!term) return el("td");
        const text = term.type === "uri" ? shorten(term.value) : term.value;
        return el("td", { title: term.value, class: term.datatype && /(integer|decimal|double|float)$/.test(term.datatype) ? "num" : "" }, text);
      })));
    }
    table.append(body);
  } catch (err) {
    status.textContent = "查询出错：" + err.message;
  } finally {
    button.disabled = false;
  }
}

// -- lineage graph --------------------------------------------------------------------------

async function trace(name) {
  const section = $("trace-section");
  section.hidden = false;
  $("trace-title").textContent = name;
  $("trace-meta").textContent = "正在追溯……";
  $("trace-container").replaceChildren();
  section.scrollIntoView({ behavior: "smooth", block: "start" });
  try {
    const data = await fetchJSON("/api/trace?entity=" + encodeURIComponent(name));
    drawLineage(data);
  } catch (err) {
    const candidates = err.data && err.data.candidates && err.data.candidates.length
      ? "　候选：" + err.data.candidates.join("；") : "";
    $("trace-meta").textContent = err.message + candidates;
  }
}

function drawLineage(data) {
  const nodes = data.nodes || [];
  const edges = data.edges || [];
  const root = nodes.find((n) => n.id === data.root);
  $("trace-title").textContent = root ? `${root.label}（${(KINDS[root.kind] || {}).name || root.kind}）` : data.name;
  $("trace-meta").textContent = `节点 ${nodes.length} 个，关系 ${edges.length} 条。点击节点可继续追溯；鼠标悬停查看详情。`;

  // columns by kind, then order each column by the mean position of its neighbours
  const present = COLUMN_ORDER.filter((kind) => nodes.some((n) => n.kind === kind));
  for (const n of nodes) if (!present.includes(n.kind)) present.push(n.kind);
  const columns = present.map((kind) => nodes.filter((n) => n.kind === kind)
    .sort((a, b) => String(a.label).localeCompare(String(b.label), "zh")));
  const neighbours = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (neighbours.has(e.source) && neighbours.has(e.target)) {
      neighbours.get(e.source).push(e.target);
      neighbours.get(e.target).push(e.source);
    }
  }
  const rank = new Map();
  const renumber = () => columns.forEach((column) => column.forEach((n, i) => rank.set(n.id, i)));
  renumber();
  for (let pass = 0; pass < 6; pass++) {
    const order = pass % 2 === 0 ? columns : [...columns].reverse();
    for (const column of order) {
      const score = new Map(column.map((n) => {
        const around = neighbours.get(n.id).map((id) => rank.get(id)).filter((r) => r !== undefined);
        return [n.id, around.length ? around.reduce((a, b) => a + b, 0) / around.length : rank.get(n.id)];
      }));
      column.sort((a, b) => score.get(a.id) - score.get(b.id));
      column.forEach((n, i) => rank.set(n.id, i));
    }
  }
  const boxW = 176, boxH = 26, colGap = 80, rowGap = 12, top = 36, left = 16;
  const tallest = Math.max(...columns.map((c) => c.length));
  const position = new Map();
  columns.forEach((column, ci) => {
    const offset = (tallest - column.length) * (boxH + rowGap) / 2;
    column.forEach((n, i) => position.set(n.id, { x: left + ci * (boxW + colGap), y: top + offset + i * (boxH + rowGap), column: ci }));
  });
  const width = left * 2 + columns.length * boxW + (columns.length - 1) * colGap;
  const height = top + tallest * (boxH + rowGap) + 16;
  const canvas = svg("svg", { id: "trace-svg", width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
                              "aria-label": "脉络图" });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#9aa5b1" }));
  defs.append(marker);
  canvas.append(defs);
  columns.forEach((column, ci) => {
    const kind = column[0].kind;
    canvas.append(svg("text", { x: left + ci * (boxW + colGap) + boxW / 2, y: 18, "text-anchor": "middle", class: "edge-label",
                                "font-size": 12, "font-weight": 600 }, (KINDS[kind] || {}).name || kind));
  });
  const edgeLayer = svg("g");
  const labelEdges = edges.length <= 40;
  // several edges with one label leaving (or entering) one node get one label next to that node
  const fanOut = new Map(), fanIn = new Map();
  for (const e of edges) {
    const out = e.source + "\u0000" + (e.label || ""), into = e.target + "\u0000" + (e.label || "");
    fanOut.set(out, (fanOut.get(out) || 0) + 1);
    fanIn.set(into, (fanIn.get(into) || 0) + 1);
  }
  const fanLabelled = new Set();
  for (const e of edges) {
    const a = position.get(e.source), b = position.get(e.target);
    if (!a || !b) continue;
    let d, mx, my;
    if (a.column === b.column) {  // same column: an arc on the right
      const x = a.x + boxW, y1 = a.y + boxH / 2, y2 = b.y + boxH / 2, bulge = 30 + Math.min(60, Math.abs(y2 - y1) / 4);
      d = `M ${x} ${y1} C ${x + bulge} ${y1}, ${x + bulge} ${y2}, ${x} ${y2}`;
      mx = x + bulge * 0.75; my = (y1 + y2) / 2;
    } else {
      const forward = a.column < b.column;
      const x1 = forward ? a.x + boxW : a.x, x2 = forward ? b.x : b.x + boxW;
      const y1 = a.y + boxH / 2, y2 = b.y + boxH / 2, bend = (x2 - x1) / 2;
      d = `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
      mx = (x1 + x2) / 2; my = (y1 + y2) / 2 - 3;
    }
    const path = svg("path", { d, class: "edge", "marker-end": "url(#arrow)" });
    const details = [e.label || e.relation];
    if (e.annual_wan !== undefined) details.push(`本年 ${formatValue(e.annual_wan)} 万元`);
    if (e.period_wan !== undefined) details.push(`期间 ${formatValue(e.period_wan)} 万元`);
    path.append(svg("title", {}, details.join("，")));
    edgeLayer.append(path);
    if (labelEdges && e.label) {
      const out = e.source + "\u0000" + e.label, into = e.target + "\u0000" + e.label;
      const fan = a.column === b.column ? null
        : fanOut.get(out) > 1 && fanOut.get(out) >= fanIn.get(into) ? { key: "o" + out, node: a, count: fanOut.get(out), outward: a.column < b.column }
        : fanIn.get(into) > 1 ? { key: "i" + into, node: b, count: fanIn.get(into), outward: b.column < a.column } : null;
      if (fan) {
        if (!fanLabelled.has(fan.key)) {
          fanLabelled.add(fan.key);
          edgeLayer.append(svg("text", { x: fan.outward ? fan.node.x + boxW + 4 : fan.node.x - 4, y: fan.node.y - 3,
                                         "text-anchor": fan.outward ? "start" : "end", class: "edge-label" },
                               `${e.label}（${fan.count}）`));
        }
      } else {
        edgeLayer.append(svg("text", { x: mx, y: my, "text-anchor": "middle", class: "edge-label" }, e.label));
      }
    }
  }
  canvas.append(edgeLayer);
  const nodeLayer = svg("g");
  for (const n of nodes) {
    const p = position.get(n.id);
    const kind = KINDS[n.kind] || { name: n.kind, color: "#777" };
    const clickable = TRACEABLE.has(n.kind) && n.id !== data.root;
    const group = svg("g", { class: "node" + (n.id === data.root ? " root" : "") + (clickable ? " clickable" : ""),
                             transform: `translate(${p.x},${p.y})`, "data-id": n.id, "data-kind": n.kind });
    group.append(svg("rect", { width: boxW, height: boxH, fill: kind.color, rx: 4 }));
    const label = String(n.label || n.id);
    group.append(svg("text", { x: 8, y: 17 }, label.length > 13 ? label.slice(0, 12) + "…" : label));
    const details = [`${kind.name}：${label}`];
    if (n.year) details.push(`年度 ${n.year}`);
    if (n.annual_wan !== undefined && n.annual_wan !== null) details.push(`本年 ${formatValue(n.annual_wan)} 万元`);
    if (n.carryover) details.push("上年结转");
    if (n.page) details.push(`第 ${n.page} 页`);
    if (clickable) details.push("（点击追溯）");
    group.append(svg("title", {}, details.join("\n")));
    if (clickable) group.addEventListener("click", () => trace(label));
    nodeLayer.append(group);
  }
  canvas.append(nodeLayer);
  $("trace-container").replaceChildren(canvas);
  $("trace-legend").replaceChildren(...present.map((kind) => {
    const item = el("span", {}, (KINDS[kind] || {}).name || kind);
    item.style.setProperty("--swatch", (KINDS[kind] || {}).color || "#777");
    return item;
  }));
}

// -- reports --------------------------------------------------------------------------------

async function loadReports() {
  const table = $("reports-table");
  try {
    const reports = await fetchJSON("/api/reports");
    table.replaceChildren(el("thead", {}, el("tr", {}, ...["报告", "源文件", "三元组", "段落", "警告", "状态"].map((c) => el("th", {}, c)))));
    const body = el("tbody");
    for (const r of reports) {
      const link = el("a", { class: "entity report-link", href: "/report/" + (r.id || r.iri.split("/").pop()), title: "查看报告页" }, r.title || r.iri);
      body.append(el("tr", { class: "report-row" },
        el("td", {}, link), el("td", {}, r.file || ""), el("td", { class: "num" }, r.triples),
        el("td", { class: "num" }, r.passages), el("td", { class: "num" }, r.warnings),
        el("td", {}, el("span", { class: "status " + r.status, title: r.status_text }, r.status_text.split(" (")[0]))));
    }
    table.append(body);
  } catch (err) {
    table.replaceChildren(el("caption", {}, "无法读取报告列表：" + err.message));
  }
}

// -- wiring ---------------------------------------------------------------------------------

function init() {
  const examples = $("examples");
  for (const question of EXAMPLES) {
    const button = el("button", { type: "button", class: "example" }, question);
    button.addEventListener("click", () => { $("question").value = question; ask(question); });
    examples.append(button);
  }
  $("ask-form").addEventListener("submit", (event) => { event.preventDefault(); ask($("question").value); });
  $("sparql-run").addEventListener("click", runSparql);
  $("sparql-editor").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runSparql();
  });
  loadReports();
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { $("question").value = initial; ask(initial); }
}

document.addEventListener("DOMContentLoaded", init);
