// What mermaid itself reads from each diagram file: one JSON line per file, in the shape of
// report-builder's `diagram --dump` (only the fields both have), or {"file", "error"} when
// mermaid refuses the diagram. Run by bench/mermaid_parity.py inside its npm folder (mermaid 11
// and jsdom, which gives mermaid the DOM it expects).
import fs from "fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
// Box colours are tested with CSS.supports, as in a browser (jsdom has no CSS object): a value
// is a colour when an element's style takes it.
globalThis.window.CSS = { supports: (property, value) => {
  const style = new dom.window.Option().style;
  style[property] = value;
  return style[property] !== "";
} };
Object.defineProperty(globalThis, "navigator", { value: dom.window.navigator, configurable: true });
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

// A markdown string's text as drawn without its emphasis marks, each line trimmed.
const md = (text, type) => type !== "markdown" ? text : text
  .replace(/\*\*(.+?)\*\*|__(.+?)__/g, "$1$2").replace(/\*(.+?)\*|_(.+?)_/g, "$1$2")
  .split("\n").map((line) => line.trim()).join("\n");
const entries = (m) => (m instanceof Map ? [...m.entries()] : Object.entries(m));
const title = (db) => (db.getDiagramTitle && db.getDiagramTitle()) || null;
const iso = (d) => {
  const t = new Date(d);
  const date = t.toISOString().slice(0, 10);
  const time = t.toISOString().slice(11, 19);
  if (time === "00:00:00") return date;
  return date + "T" + (time.endsWith(":00") ? time.slice(0, 5) : time);
};
const LINES = {
  0: ["solid", "arrow"], 1: ["dotted", "arrow"], 3: ["solid", "cross"], 4: ["dotted", "cross"],
  5: ["solid", "none"], 6: ["dotted", "none"], 24: ["solid", "open"], 25: ["dotted", "open"],
  33: ["solid", "both"], 34: ["dotted", "both"],
};
const STARTS = { 10: "loop", 12: "alt", 15: "opt", 19: "par", 22: "rect", 27: "critical",
  30: "break", 32: "par" };
const BRANCHES = { 13: "else", 20: "and", 28: "option" };
const ENDS = new Set([11, 14, 16, 21, 23, 29, 31]);
const SHAPES = { 0: "default", 1: "rounded", 2: "square", 3: "circle", 4: "cloud", 5: "bang",
  6: "hexagon" };

function read(type, db) {
  if (type === "pie") {
    return { kind: "pie", title: title(db), show_data: db.getShowData(),
      slices: entries(db.getSections()).map(([label, value]) => ({ label, value })) };
  }
  if (type === "xychart") {
    const d = db.getXYChartData();
    const x = d.xAxis.type === "band" ? { title: d.xAxis.title || null, categories: d.xAxis.categories }
      : { title: d.xAxis.title || null, min: d.xAxis.min, max: d.xAxis.max };
    return { kind: "xychart", title: d.title || title(db), orientation: db.getChartConfig().chartOrientation,
      x_axis: x, y_axis: { title: d.yAxis.title || null },
      series: d.plots.map((p) => ({ type: p.type, values: p.data.map((v) => v[1]) })) };
  }
  if (type === "timeline") {
    return { kind: "timeline", periods: db.getTasks().map((t) => ({ label: t.task,
      section: t.section || null, events: t.events })) };
  }
  if (type === "radar") {
    const o = db.getOptions();
    return { kind: "radar", title: title(db), axes: db.getAxes().map((a) => ({ id: a.name, label: a.label })),
      series: db.getCurves().map((c) => ({ id: c.name, label: c.label, values: c.entries })) };
  }
  if (type.startsWith("flowchart")) {
    const subgraphs = db.getSubGraphs();
    const groups = new Set(subgraphs.map((s) => s.id));
    const stroke = { normal: "solid", dotted: "dotted", thick: "thick", invisible: "invisible" };
    return { kind: "flowchart", direction: db.getDirection() === "TD" ? "TB" : db.getDirection(),
      nodes: [...db.getVertices().values()].filter((v) => !groups.has(v.id))
        .map((v) => ({ id: v.id, label: md(v.text, v.labelType) })),
      edges: db.getEdges().map((e) => ({ from: e.start, to: e.end,
        label: md(e.text, e.labelType) || null,
        style: stroke[e.stroke] || e.stroke })),
      subgraphs: subgraphs.map((s) => ({ id: s.id, title: md(s.title, s.labelType),
        nodes: [...s.nodes].sort() })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
  }
  if (type === "quadrantChart") {
    const q = db.getQuadrantData();
    const left = q.quadrants[1];
    const wide = 2 * left.width, high = 2 * left.height;
    const axis = (i) => q.axisLabels[i] ? q.axisLabels[i].text : "";
    return { kind: "quadrant", title: q.title ? q.title.text : null,
      x_axis: [axis(0), axis(1)], y_axis: [axis(2), axis(3)],
      quadrants: q.quadrants.map((x) => x.text.text),
      points: q.points.map((p) => ({ label: p.text.text,
        x: Math.round(((p.x - left.x) / wide) * 1000) / 1000,
        y: Math.round((1 - (p.y - left.y) / high) * 1000) / 1000,
        color: p.fill, radius: p.radius, stroke: p.strokeColor, stroke_width: p.strokeWidth })) };
  }
  if (type === "gantt") {
    return { kind: "gantt", title: title(db), tasks: db.getTasks().map((t) => ({ label: t.task,
      section: t.section || null, id: t.id, start: iso(t.startTime), end: iso(t.endTime),
      tags: ["done", "active", "crit", "vert"].filter((k) => t[k]), milestone: Boolean(t.milestone) })) };
  }
  if (type === "sequence") {
    const boxes = new Map();
    for (const box of db.getBoxes()) for (const key of box.actorKeys) boxes.set(key, box.name || null);
    const steps = [];
    for (const m of db.getMessages()) {
      if (LINES[m.type]) steps.push({ kind: "message", from: m.from, to: m.to, text: m.message,
        line: LINES[m.type][0], head: LINES[m.type][1] });
      else if (m.type === 2) steps.push({ kind: "note", place: ["left", "right", "over"][m.placement],
        actors: m.from === m.to ? [m.from] : [m.from, m.to], text: m.message });
      else if (m.type === 17) steps.push({ kind: "activate", actor: m.from });
      else if (m.type === 18) steps.push({ kind: "deactivate", actor: m.from });
      else if (STARTS[m.type]) steps.push({ kind: "start", place: STARTS[m.type], text: m.message });
      else if (BRANCHES[m.type]) steps.push({ kind: "branch", place: BRANCHES[m.type], text: m.message });
      else if (ENDS.has(m.type)) steps.push({ kind: "end" });
    }
    return { kind: "sequence", title: title(db),
      participants: [...db.getActors().values()].map((a) => ({ id: a.name, label: a.description,
        type: a.type, box: boxes.get(a.name) ?? null })),
      created: [...db.getCreatedActors().keys()], destroyed: [...db.getDestroyedActors().keys()],
      steps };
  }
  if (type === "sankey") {
    const g = db.getGraph();
    return { kind: "sankey", nodes: g.nodes.map((n) => n.id),
      links: g.links.map((l) => ({ source: l.source, target: l.target, value: l.value })) };
  }
  if (type === "mindmap") {
    const walk = (n) => ({ label: md(n.descr, n.labelType ?? "markdown"), shape: SHAPES[n.type] ?? String(n.type),
      children: n.children.map(walk) });
    return { kind: "mindmap", root: walk(db.getMindmap()) };
  }
  return { kind: type, unsupported: true };
}

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  try {
    // mermaid.render hands the front matter's title to the diagram (preprocessDiagram); so does
    // this, reading a top-level `title:` line of the front matter.
    const front = /^\s*---\n([\s\S]*?)\n---/.exec(text);
    const line = front && /^title:\s*(.*)$/m.exec(front[1]);
    const metadata = line ? { title: line[1].trim().replace(/^(["'])(.*)\1$/, "$2") } : {};
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text, metadata);
    console.log(JSON.stringify({ file, mermaid: read(diagram.type, diagram.db) }));
  } catch (error) {
    console.log(JSON.stringify({ file, error: String(error && error.message || error).split("\n")[0] }));
  }
}
