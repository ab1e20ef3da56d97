// Map: events as circles (colour by PLOVER type or quad class, size by reports) over
// an offline basemap of countries (Natural Earth via the world-atlas package), a time
// slider, and the filtered list of events beside it. Filters live in the URL.
"use strict";

const FILTERS = ["type", "actor", "country", "text", "near", "km", "since", "until"];
const state = { points: [], days: [], map: null, layer: null, legend: null, offset: 0 };

function filterParams(params) {
  const p = new URLSearchParams();
  for (const key of FILTERS) for (const v of params.getAll(key)) if (v) p.append(key, v);
  return p;
}

async function basemap(map) {
  try {
    const response = await fetch("/vendor/world-atlas/countries-50m.json");
    const topo = await response.json();
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      style: { color: "#8a96a3", weight: 0.7, fillColor: "#f1efe8", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
  } catch (err) {
    document.getElementById("map-note").textContent = "Basemap missing (run the set-up's npm ci): " + err.message;
  }
}

function popup(p) {
  return T.el("div", {},
    T.el("b", {}, p.type + (p.mode ? " / " + p.mode : "")), T.el("br"),
    `${p.actor || "?"} \u2192 ${p.target || "\u2013"}`, T.el("br"),
    `${p.place_name || ""} (${p.country || "?"}) \u00b7 ${T.dateRange(p.date_start, p.date_end)}`, T.el("br"),
    `trigger \u201c${p.trigger}\u201d \u00b7 ${p.reports} report${p.reports === 1 ? "" : "s"}`, T.el("br"),
    T.el("a", { href: `/documents/${p.doc_id}#ev-${p.id}` }, "open the document"));
}

function legend(map, mode) {
  if (state.legend) state.legend.remove();
  const colours = mode === "quad" ? T.QUAD_COLOURS : T.TYPE_COLOURS;
  const present = new Set(state.points.map((p) => (mode === "quad" ? p.quad : p.type)));
  state.legend = L.control({ position: "bottomleft" });
  state.legend.onAdd = () => T.el("div", { class: "legend", id: "legend" },
    Object.entries(colours).filter(([k]) => present.has(k)).map(([k, c]) =>
      T.el("div", {}, T.el("i", { style: `background:${c}` }), k.replace("_", " "))),
    T.el("div", { class: "muted" }, "size: reports"));
  state.legend.addTo(map);
}

function drawPoints() {
  const params = T.params();
  const mode = params.get("colour") === "quad" ? "quad" : "type";
  const slider = document.getElementById("day");
  const day = state.days[Number(slider.value)];
  const windowDays = document.getElementById("window").value;
  document.getElementById("day-label").textContent = day || "";
  const from = day && windowDays !== "all" ? new Date(Date.parse(day) - (Number(windowDays) - 1) * 864e5).toISOString().slice(0, 10) : null;
  if (state.layer) state.layer.remove();
  state.layer = L.featureGroup();
  let shown = 0;
  for (const p of state.points) {
    const start = p.date_start || "", end = p.date_end || start;
    if (day && start > day) continue;
    if (from && end < from) continue;
    const colour = T.colourOf(p, mode);
    L.circleMarker([p.lat, p.lon], {
      radius: 4 + 3 * Math.sqrt(p.reports || 1), color: "#222", weight: 0.6,
      fillColor: colour, fillOpacity: 0.8, className: "event-point",
    }).bindPopup(popup(p)).addTo(state.layer);
    shown += 1;
  }
  state.layer.addTo(state.map);
  legend(state.map, mode);
  document.getElementById("map-note").textContent =
    `${shown} of ${state.points.length} geocoded events on the map` + (state.truncated ? " (first ones only: narrow the filters)" : "");
}

/** The box around the middle 90% of points (a few far-off events do not zoom the map out). */
function coreBounds(points) {
  if (!points.length) return null;
  const q = (values, f) => values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(f * values.length))];
  const lats = points.map((p) => p.lat), lons = points.map((p) => p.lon);
  const box = L.latLngBounds([q([...lats], 0.05), q([...lons], 0.05)], [q([...lats], 0.95), q([...lons], 0.95)]);
  return box.isValid() ? box : null;
}

async function loadPoints(params) {
  const body = await T.api("/api/events/points", filterParams(params));
  state.points = body.items;
  state.truncated = body.truncated;
  const days = state.points.map((p) => p.date_start).filter(Boolean).sort();
  state.days = [];
  if (days.length) {
    for (let t = Date.parse(days[0]); t <= Date.parse(days[days.length - 1]); t += 864e5) {
      state.days.push(new Date(t).toISOString().slice(0, 10));
    }
  }
  const slider = document.getElementById("day");
  slider.max = String(Math.max(0, state.days.length - 1));
  const wanted = state.days.indexOf(params.get("day") || "");
  slider.value = String(wanted >= 0 ? wanted : state.days.length - 1);
  document.getElementById("window").value = params.get("window") || "all";
  drawPoints();
  const bounds = coreBounds(state.points);
  if (bounds) state.map.fitBounds(bounds.pad(0.25), { maxZoom: 7 });
}

function eventItem(e, mode) {
  return T.el("li", { class: "event", style: `border-left-color:${T.colourOf(e, mode)}`, "data-type": e.type },
    T.el("div", {}, T.el("b", {}, e.type), e.mode ? ` / ${e.mode}` : "", e.negated ? " [negated]" : "", e.hedged ? " [hedged]" : ""),
    T.el("div", { class: "meta" }, `${T.dateRange(e.date_start, e.date_end)} \u00b7 ${e.actor || "?"} \u2192 ${e.target || "\u2013"} \u00b7 ${e.place_name || "no place"}`),
    T.el("div", { class: "sentence" }, e.sentence),
    T.el("a", { href: `/documents/${e.doc_id}#ev-${e.id}`, class: "meta" }, "document \u203a"));
}

async function loadList(params, append) {
  const p = filterParams(params);
  p.set("limit", "50");
  p.set("offset", String(state.offset));
  const body = await T.api("/api/events", p);
  const list = document.getElementById("events");
  const mode = params.get("colour") === "quad" ? "quad" : "type";
  const items = body.items.map((e) => eventItem(e, mode));
  if (append) list.append(...items); else list.replaceChildren(...items);
  document.getElementById("count").textContent = body.total.toLocaleString("en");
  document.getElementById("more").hidden = !body.next;
  state.offset = body.offset + body.items.length;
}

async function apply(params) {
  state.offset = 0;
  T.exportLinks(document.getElementById("exports"), "/api/events", filterParams(params));
  document.getElementById("f-colour").value = params.get("colour") || "type";
  await Promise.all([
    loadPoints(params).catch((e) => T.fail(document.getElementById("map-note"), e)),
    loadList(params, false).catch((e) => T.fail(document.getElementById("events"), e)),
  ]);
  document.body.dataset.ready = "1";
}

(async function main() {
  const caps = await T.header("/map");
  const select = document.getElementById("f-type");
  try {
    const stats = await T.api("/api/stats");
    for (const t of Object.keys(stats.events_by_type).sort()) select.append(T.el("option", { value: t }, t));
  } catch (err) { /* the list below reports API errors */ }
  state.map = L.map("map", { worldCopyJump: true, minZoom: 2 }).setView([49, 31], 4);
  state.map.attributionControl.addAttribution("Natural Earth (world-atlas)");
  await basemap(state.map);
  if (caps && caps.tiles) {
    document.getElementById("tiles-box").hidden = false;
    let tiles = null;
    document.getElementById("tiles").addEventListener("change", (ev) => {
      if (ev.target.checked) tiles = L.tileLayer(caps.tiles, { maxZoom: 18 }).addTo(state.map);
      else if (tiles) tiles.remove();
    });
  }
  const keepSlider = () => {
    const p = T.params();
    p.set("day", state.days[Number(document.getElementById("day").value)] || "");
    p.set("window", document.getElementById("window").value);
    T.setParams(p, false);
    drawPoints();
  };
  document.getElementById("day").addEventListener("input", keepSlider);
  document.getElementById("window").addEventListener("change", keepSlider);
  document.getElementById("more").addEventListener("click", () => loadList(T.params(), true));
  document.getElementById("reset").addEventListener("click", () => {
    document.getElementById("filters").reset();
    apply(T.setParams(new URLSearchParams(), true));
  });
  T.bindForm(document.getElementById("filters"), apply);
  await apply(T.params());
})();
