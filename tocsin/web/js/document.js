// Document view: the cleaned text with actors, places, times, quantities, equipment,
// event triggers and claims highlighted; every highlight and list item is linked.
// The text is put in with text nodes only: markup in an article stays visible text.
"use strict";

const KINDS = ["actor", "place", "time", "quantity", "equipment", "event", "claim"];

function mentionLabel(m) {
  if (m.kind === "actor") return m.code || "? " + (m.reason || "uncoded");
  if (m.kind === "place") {
    if (m.geonameid === null && m.lat === null) return "? " + (m.reason || "unresolved");
    return `${m.name}, ${m.admin1 || "-"}, ${m.country} (${m.precision})`;
  }
  if (m.kind === "time") return m.date_start ? T.dateRange(m.date_start, m.date_end) : "? " + (m.reason || "");
  if (m.kind === "quantity") return [m.approx, m.value, m.unit, m.counts].filter((x) => x !== null && x !== undefined && x !== "").join(" ");
  return (m.code || "") + (m.name ? " " + m.name : "");
}

/** All spans to highlight: {kind, start, end, label, anchor}. */
function spansOf(doc) {
  const spans = doc.mentions.map((m) => ({ kind: m.kind, start: m.start, end: m.end, label: `${m.kind}: ${mentionLabel(m)}` }));
  for (const e of doc.events) {
    spans.push({ kind: "event", start: e.trigger_start, end: e.trigger_end, anchor: "ev-" + e.id,
      label: `event: ${e.type}${e.mode ? "/" + e.mode : ""} ${e.actor || "?"} \u2192 ${e.target || "\u2013"}` });
  }
  for (const c of doc.claims || []) {
    if (c.quote_start !== null && c.quote_end !== null && c.quote_end > c.quote_start) {
      spans.push({ kind: "claim", start: c.quote_start, end: c.quote_end, anchor: "c-" + c.id,
        label: `claim: ${c.speaker || "unnamed"} (${c.polarity})` });
    }
  }
  return spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start);
}

/** The text cut at every span edge; each piece marked by the innermost span over it. */
function renderText(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(Math.max(0, s.start)); cuts.add(Math.min(text.length, s.end)); }
  const edges = [...cuts].sort((a, b) => a - b);
  const out = document.createDocumentFragment();
  const anchored = new Set();
  for (let i = 0; i < edges.length - 1; i += 1) {
    const a = edges[i], b = edges[i + 1];
    const piece = text.slice(a, b);
    const over = spans.filter((s) => s.start <= a && s.end >= b);
    if (!over.length) { out.append(document.createTextNode(piece)); continue; }
    over.sort((x, y) => (x.end - x.start) - (y.end - y.start));
    const mark = T.el("mark", { class: over[0].kind, title: over.map((s) => s.label).join("\n") }, piece);
    for (const s of over) {
      if (s.anchor && !anchored.has(s.anchor)) { anchored.add(s.anchor); mark.id = mark.id || s.anchor; if (mark.id !== s.anchor) mark.prepend(T.el("a", { id: s.anchor })); }
    }
    mark.addEventListener("click", () => {
      document.getElementById("detail").replaceChildren(...over.map((s) => T.el("div", {}, s.label)));
    });
    out.append(mark);
  }
  return out;
}

function flash(id) {
  const target = document.getElementById(id);
  if (!target) return;
  target.scrollIntoView({ block: "center" });
  const mark = target.closest("mark") || target;
  mark.classList.add("flash");
  setTimeout(() => mark.classList.remove("flash"), 2500);
}

function kindToggles(container, textBox) {
  container.replaceChildren("Highlight: ", ...KINDS.map((k) => {
    const box = T.el("input", { type: "checkbox", checked: true, "data-kind": k });
    box.addEventListener("change", () => textBox.classList.toggle("hide-" + k, !box.checked));
    return T.el("label", {}, box, T.el("i", { style: `background:var(--${k})` }), k);
  }));
}

async function main() {
  await T.header("/documents");
  const id = decodeURIComponent(window.location.pathname.split("/").pop());
  let doc;
  try {
    doc = await T.api("/api/documents/" + encodeURIComponent(id));
  } catch (err) {
    T.fail(document.getElementById("doc-text"), err);
    document.body.dataset.ready = "1";
    return;
  }
  document.title = "tocsin \u00b7 " + (doc.title || doc.id);
  document.getElementById("title").textContent = doc.title || doc.source;
  const meta = document.getElementById("meta");
  meta.replaceChildren(`${doc.outlet || "unknown outlet"} \u00b7 ${doc.published || "undated"} \u00b7 ${doc.id} \u00b7 `);
  if (doc.url) meta.append(T.el("a", { href: doc.url, rel: "noopener noreferrer", target: "_blank", id: "source-link" }, "original"));
  const textBox = document.getElementById("doc-text");
  textBox.replaceChildren(renderText(doc.text, spansOf(doc)));
  kindToggles(document.getElementById("kinds"), textBox);
  document.getElementById("n-events").textContent = String(doc.events.length);
  document.getElementById("events").replaceChildren(...doc.events.map((e) =>
    T.el("li", { class: "event", style: `border-left-color:${T.colourOf(e, "type")}` },
      T.el("a", { href: "#ev-" + e.id, onclick: () => setTimeout(() => flash("ev-" + e.id)) },
        T.el("b", {}, e.type), e.mode ? " / " + e.mode : ""),
      e.negated ? " [negated]" : "", e.hedged ? " [hedged]" : "",
      T.el("div", { class: "meta" }, `${e.actor || "?"} \u2192 ${e.target || "\u2013"} \u00b7 ${e.place_name || "no place"} \u00b7 ${T.dateRange(e.date_start, e.date_end)} (${e.date_source || "no"} date)`))));
  const claims = doc.claims || [];
  document.getElementById("n-claims").textContent = String(claims.length);
  document.getElementById("claims").replaceChildren(...(claims.length ? claims.map((c) =>
    T.el("div", { class: "claim" },
      T.el("a", { href: "#c-" + c.id, onclick: () => setTimeout(() => flash("c-" + c.id)) }, c.speaker || "unnamed source"),
      " ", T.badge(c.polarity || "?"), c.reported_via ? T.el("div", { class: "meta" }, "via " + c.reported_via) : "",
      T.el("div", { class: "meta" }, "evidence: " + (c.evidence || "none"))))
    : [T.el("p", { class: "muted" }, "No claims stored for this document.")]));
  document.getElementById("reports").replaceChildren(T.el("table", { class: "list" }, doc.reports.map((r) =>
    T.el("tr", {}, T.el("td", {}, r.kind), T.el("td", {}, r.outlet || ""), T.el("td", {}, r.published || ""), T.el("td", { class: "muted" }, r.source)))));
  if (window.location.hash) flash(window.location.hash.slice(1));
  document.body.dataset.ready = "1";
}

main();
