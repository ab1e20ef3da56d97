// tocsin dashboard: helpers shared by every page (no framework, no build step).
// Text from the store is only ever put into the page with textContent, never
// as HTML, and links from documents are kept only when they are http(s).
"use strict";

const T = {};

T.TYPE_COLOURS = {
  ASSAULT: "#c0392b", COERCE: "#e67e22", MOBILIZE: "#8e44ad", THREATEN: "#d35400",
  SANCTION: "#a0522d", PROTEST: "#b7950b", DISAPPROVE: "#e84393", REJECT: "#7f8c8d",
  DEMAND: "#16a085", INVESTIGATE: "#2c3e50", RETREAT: "#27ae60", CONCEDE: "#1abc9c",
  AID: "#2980b9", COOPERATE: "#3498db", SUPPORT: "#5dade2", CONSULT: "#0e6655",
  AGREE: "#229954", CRIME: "#566573",
};
T.QUAD_COLOURS = {
  material_conflict: "#c0392b", verbal_conflict: "#e67e22",
  verbal_cooperation: "#2e86c1", material_cooperation: "#229954",
};

/** Build an element: T.el("a", {href: url, class: "x"}, "text", child...). */
T.el = function (tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "href") node.setAttribute("href", T.safeHref(value));
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

/** Only http(s) and same-site links survive; "javascript:" and the like become "#". */
T.safeHref = function (value) {
  try {
    const url = new URL(String(value), window.location.origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "#";
  } catch (err) {
    return "#";
  }
};

/** GET an API path with query parameters; throws an Error with the API's message. */
T.api = async function (path, params) {
  const query = params ? "?" + params.toString() : "";
  const response = await fetch(path + query, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
  return body;
};

/** The page's query string (the filters), as URLSearchParams. */
T.params = () => new URLSearchParams(window.location.search);

/** Put the filters in the URL (kept on reload), dropping empty values. */
T.setParams = function (params, push) {
  const clean = new URLSearchParams();
  for (const [k, v] of params.entries()) if (v !== "") clean.append(k, v);
  const url = window.location.pathname + (clean.toString() ? "?" + clean : "") + window.location.hash;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
  return clean;
};

/** Fill a filter form from the URL, and on submit write it back and call apply(). */
T.bindForm = function (form, apply) {
  const params = T.params();
  for (const input of form.elements) {
    if (input.name && params.has(input.name)) input.value = params.get(input.name);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = T.params();
    for (const input of form.elements) {
      if (!input.name) continue;
      next.delete(input.name);
      if (input.value) next.set(input.name, input.value);
    }
    next.delete("offset");
    apply(T.setParams(next, true));
  });
  window.addEventListener("popstate", () => {
    const now = T.params();
    for (const input of form.elements) if (input.name) input.value = now.get(input.name) || "";
    apply(now);
  });
};

/** Links to download the current view in each format. */
T.exportLinks = function (container, path, params, formats) {
  container.replaceChildren("Export this view:");
  for (const fmt of formats || ["csv", "jsonl", "geojson", "parquet"]) {
    const p = new URLSearchParams(params);
    p.delete("offset"); p.delete("day"); p.delete("window"); p.delete("colour");
    p.set("format", fmt);
    container.append(T.el("a", { href: path + "?" + p, download: "", class: "export-" + fmt }, fmt.toUpperCase()));
  }
};

T.badge = (text, kind) => T.el("span", { class: "badge " + (kind || text) }, text);
T.chip = (text) => T.el("span", { class: "chip" }, text);
T.colourOf = (event, mode) =>
  mode === "quad" ? T.QUAD_COLOURS[event.quad] || "#777" : T.TYPE_COLOURS[event.type] || "#777";
T.dateRange = (start, end) => (!start ? "undated" : !end || end === start ? start : start + " \u2013 " + end);

/** Show an error where a panel's content would go. */
T.fail = function (container, err) {
  container.replaceChildren(T.el("p", { class: "error" }, String(err.message || err)));
};

/** The top bar: brand, navigation, the store's path. */
T.header = async function (active) {
  const pages = [["/", "Overview"], ["/map", "Map"], ["/situations", "Situations"],
    ["/documents", "Documents"], ["/api/docs", "API"]];
  const nav = T.el("nav", {}, pages.map(([href, label]) =>
    T.el("a", { href, class: href === active ? "active" : null }, label)));
  const store = T.el("span", { class: "store" });
  document.body.prepend(T.el("header", { class: "top" },
    T.el("a", { href: "/", class: "brand" }, "tocsin"), nav, store));
  try {
    const caps = await T.api("/api/capabilities");
    T.caps = caps;
    store.textContent = "tocsin " + caps.version + (caps.writes ? " \u00b7 writes enabled" : " \u00b7 read-only");
  } catch (err) {
    store.textContent = "API unreachable: " + err.message;
  }
  return T.caps;
};
