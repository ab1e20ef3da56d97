// Small SVG charts drawn by hand: stacked bars per day, horizontal bars, a line.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Stacked bars: rows [{day, key, value}], one bar per day, coloured by key. */
T.stackedBars = function (rows, colours, width = 560, height = 180) {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const totals = {};
  for (const r of rows) totals[r.day] = (totals[r.day] || 0) + r.value;
  const max = Math.max(1, ...Object.values(totals));
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height + 20}`, width: "100%", role: "img" });
  if (!days.length) return T.el("p", { class: "muted" }, "No dated events.");
  const first = Date.parse(days[0]);
  const span = Math.max(1, (Date.parse(days[days.length - 1]) - first) / 864e5);
  const bar = Math.max(2, Math.min(12, (width - 20) / (span + 1) - 1));
  const x = (day) => 10 + ((Date.parse(day) - first) / 864e5) * ((width - 20 - bar) / span);
  const base = {};
  for (const r of rows) {
    const h = (r.value / max) * height;
    const y = height - (base[r.day] || 0) - h;
    base[r.day] = (base[r.day] || 0) + h;
    const rect = svgEl("rect", { x: x(r.day), y, width: bar, height: h, fill: colours[r.key] || "#777" });
    rect.append(svgEl("title", {}, `${r.day} ${r.key}: ${r.value}`));
    svg.append(rect);
  }
  svg.append(svgEl("text", { x: 10, y: height + 15, "font-size": 11, fill: "#5e6b78" }, days[0]));
  svg.append(svgEl("text", { x: width - 10, y: height + 15, "font-size": 11, fill: "#5e6b78",
    "text-anchor": "end" }, days[days.length - 1]));
  svg.append(svgEl("text", { x: 10, y: 10, "font-size": 11, fill: "#5e6b78" }, `max ${max}/day`));
  return svg;
};

/** Horizontal bars: pairs [label, value, colour]. */
T.hbars = function (pairs) {
  const max = Math.max(1, ...pairs.map((p) => p[1]));
  const wrap = T.el("div", {});
  for (const [label, value, colour] of pairs) {
    const bar = T.el("div", { style: `height:12px;border-radius:2px;background:${colour || "#6b7785"};width:${(100 * value) / max}%` });
    wrap.append(T.el("div", { style: "display:grid;grid-template-columns:110px 1fr 40px;gap:8px;align-items:center;font-size:12px;margin:2px 0" },
      T.el("span", {}, label), bar, T.el("span", { class: "muted" }, String(value))));
  }
  return wrap;
};

/** A line: points [{x: "YYYY-MM-DD", y: number}]. */
T.line = function (points, width = 560, height = 160) {
  if (!points.length) return T.el("p", { class: "muted" }, "No values.");
  const xs = points.map((p) => Date.parse(p.x));
  const ys = points.map((p) => Number(p.y) || 0);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  const y1 = Math.max(...ys, 1e-9), y0 = Math.min(0, ...ys);
  const sx = (v) => 10 + ((v - x0) / (x1 - x0)) * (width - 20);
  const sy = (v) => height - 5 - ((v - y0) / (y1 - y0)) * (height - 15);
  const d = points.map((p, i) => `${i ? "L" : "M"}${sx(xs[i]).toFixed(1)},${sy(ys[i]).toFixed(1)}`).join(" ");
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height + 20}`, width: "100%", role: "img" });
  svg.append(svgEl("path", { d, fill: "none", stroke: "#a4161a", "stroke-width": 2 }));
  svg.append(svgEl("text", { x: 10, y: height + 15, "font-size": 11, fill: "#5e6b78" }, points[0].x));
  svg.append(svgEl("text", { x: width - 10, y: height + 15, "font-size": 11, fill: "#5e6b78", "text-anchor": "end" }, points[points.length - 1].x));
  return svg;
};
