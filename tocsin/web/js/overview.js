// Overview: store counts, escalation index, alerts, indicator board, events per day.
"use strict";

function unavailable(container, what) {
  container.replaceChildren(T.el("p", { class: "unavailable" },
    `${what}: not available in this build (the warnings module is not installed).`));
}

/** A generic table of API items (the warnings payloads), columns from the first item. */
function itemsTable(items, columns) {
  if (!items.length) return T.el("p", { class: "muted" }, "Nothing yet.");
  const cols = columns || Object.keys(items[0]).filter((k) => typeof items[0][k] !== "object").slice(0, 6);
  return T.el("table", { class: "list" },
    T.el("tr", {}, cols.map((c) => T.el("th", {}, c))),
    items.map((it) => T.el("tr", {}, cols.map((c) => T.el("td", {}, it[c] === null || it[c] === undefined ? "" : String(it[c]))))));
}

async function loadWarnings(caps, params) {
  const boxes = { index: "Escalation index", alerts: "Alerts", indicators: "Indicators" };
  for (const [name, label] of Object.entries(boxes)) {
    const box = document.getElementById(name);
    if (!caps || !caps.features[name]) { unavailable(box, label); continue; }
    try {
      const body = await T.api("/api/" + name, params);
      const items = body.items || [];
      if (name === "index") {
        box.replaceChildren(T.line(items.map((r) => ({ x: r.day || r.date, y: r.value ?? r.index }))));
      } else {
        box.replaceChildren(itemsTable(items));
      }
    } catch (err) { T.fail(box, err); }
  }
}

const DEFAULT_DAYS = 90;

/**
 * The window of the index, alerts and timeline: since/until from the URL, else the
 * last DEFAULT_DAYS days up to the latest publication day (the whole history makes
 * the server score every event; the latest event day can lie in the future, as when
 * an article speaks of troops massed "by the end of December"). The dates are
 * written into the form, where they can be changed; the note under it says so and
 * links to the whole history.
 */
function withDefaultWindow(params, stats) {
  const note = document.getElementById("window-note");
  if (params.get("since") || params.get("until") || !stats || !stats.last_date) {
    note.replaceChildren();
    return params;
  }
  const until = stats.last_published && stats.last_published < stats.last_date
    ? stats.last_published : stats.last_date;
  const start = new Date(until + "T00:00:00Z");
  start.setUTCDate(start.getUTCDate() - (DEFAULT_DAYS - 1));
  let since = start.toISOString().slice(0, 10);
  if (stats.first_date && since < stats.first_date) since = stats.first_date;
  const out = new URLSearchParams(params);
  out.set("since", since);
  out.set("until", until);
  const form = document.getElementById("filters");
  form.elements.since.value = since;
  form.elements.until.value = until;
  const all = new URLSearchParams(params);
  all.set("since", stats.first_date || since);
  all.set("until", stats.last_date);
  note.replaceChildren(`Showing the ${DEFAULT_DAYS} days up to the latest report (${since} \u2026 ${until}); change the dates above, or `,
    T.el("a", { href: "/?" + all, id: "all-history" }, "show the whole history"), ".");
  return out;
}

async function loadStats() {
  const s = await T.api("/api/stats");
  const cards = [["documents", s.documents], ["reports", s.reports], ["events", s.events],
    ["geocoded", s.events_geocoded], ["skipped inputs", s.skipped],
    ["dates", s.first_date ? `${s.first_date} \u2026 ${s.last_date}` : "\u2013"]];
  document.getElementById("stats").replaceChildren(...cards.map(([label, value]) =>
    T.el("div", { class: "stat", id: "stat-" + label.split(" ")[0] },
      T.el("b", {}, typeof value === "number" ? value.toLocaleString("en") : value), T.el("span", {}, label))));
  document.getElementById("types").replaceChildren(T.hbars(Object.entries(s.events_by_type)
    .map(([t, n]) => [t, n, T.TYPE_COLOURS[t]])));
  const places = document.getElementById("places");
  places.replaceChildren(s.top_places.length ? T.el("table", { class: "list" },
    s.top_places.map((p) => T.el("tr", {},
      T.el("td", {}, T.el("a", { href: `/map?near=${encodeURIComponent(p.place)}&km=25` }, p.place)),
      T.el("td", {}, p.country || ""), T.el("td", {}, String(p.events))))) : T.el("p", { class: "muted" }, "No places."));
  return s;
}

async function loadTimeline(params) {
  const p = new URLSearchParams();
  for (const key of ["since", "until"]) if (params.get(key)) p.set(key, params.get(key));
  if (params.get("region")) p.set("country", params.get("region"));
  const body = await T.api("/api/events/timeline", p);
  const rows = body.items.map((r) => ({ day: r.day, key: r.quad, value: r.events }));
  const legend = T.el("div", { class: "muted", style: "font-size:11px" }, Object.entries(T.QUAD_COLOURS).map(([q, c]) =>
    T.el("span", { style: "margin-right:10px" }, T.el("i", { style: `display:inline-block;width:9px;height:9px;background:${c};margin-right:3px` }), q.replace("_", " "))));
  document.getElementById("timeline").replaceChildren(T.stackedBars(rows, T.QUAD_COLOURS), legend);
}

(async function main() {
  const caps = await T.header("/");
  const stats = await loadStats().catch((e) => { T.fail(document.getElementById("stats"), e); return null; });
  const apply = (given) => {
    const params = withDefaultWindow(given, stats);
    loadTimeline(params).catch((e) => T.fail(document.getElementById("timeline"), e));
    loadWarnings(caps, params);
  };
  T.bindForm(document.getElementById("filters"), apply);
  apply(T.params());
})();
