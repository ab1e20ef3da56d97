// Documents: search by words, outlet and dates (kept in the URL), paged, exportable.
"use strict";

const PAGE = 50;

async function apply(params) {
  const p = new URLSearchParams();
  for (const key of ["q", "outlet", "since", "until"]) if (params.get(key)) p.set(key, params.get(key));
  T.exportLinks(document.getElementById("exports"), "/api/documents", p, ["csv", "jsonl", "parquet"]);
  const offset = Number(params.get("offset") || 0);
  p.set("limit", String(PAGE));
  p.set("offset", String(offset));
  const table = document.getElementById("documents");
  try {
    const body = await T.api("/api/documents", p);
    document.getElementById("count").textContent =
      `${body.total} documents` + (body.total > PAGE ? ` (${offset + 1}\u2013${offset + body.items.length})` : "");
    table.replaceChildren(
      T.el("tr", {}, ["published", "title", "outlet", "events", "reports"].map((h) => T.el("th", {}, h))),
      ...body.items.map((d) => T.el("tr", { class: "doc" },
        T.el("td", {}, d.published || ""),
        T.el("td", {}, T.el("a", { href: "/documents/" + d.id }, d.title || d.source)),
        T.el("td", {}, d.outlet || ""), T.el("td", {}, String(d.events)), T.el("td", {}, String(d.reports)))));
    const turn = (id, to, show) => {
      const button = document.getElementById(id);
      button.hidden = !show;
      button.onclick = () => { const q = T.params(); q.set("offset", String(to)); apply(T.setParams(q, true)); };
    };
    turn("prev", Math.max(0, offset - PAGE), offset > 0);
    turn("next", offset + PAGE, Boolean(body.next));
  } catch (err) { T.fail(table, err); }
  document.body.dataset.ready = "1";
}

(async function main() {
  await T.header("/documents");
  T.bindForm(document.getElementById("filters"), apply);
  await apply(T.params());
})();
