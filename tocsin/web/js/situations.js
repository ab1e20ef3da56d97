// Situations: claims about the same happening, side by side: the first asserted
// account (A), the accounts against it (B) and the uncertain ones, each with its
// speaker, relay, evidence, polarity, date and outlet, linked to its sentence.
"use strict";

const SIDES = [["A", "Account"], ["B", "Against it"], ["neutral", "Uncertain"]];

function claimCard(c) {
  const evidence = (c.evidence || "").split(/[,;]\s*|\s+/).filter(Boolean);
  return T.el("div", { class: "claim", "data-polarity": c.polarity, id: "claim-" + c.id },
    T.el("div", {}, T.el("span", { class: "who" }, c.speaker || "unnamed source"),
      c.speaker_type ? T.el("span", { class: "muted" }, ` (${c.speaker_type})`) : "", " ",
      T.badge(c.polarity || "?"), c.hedged ? T.chip("hedged") : ""),
    c.reported_via ? T.el("div", { class: "meta" }, "via " + c.reported_via) : "",
    c.quote ? T.el("blockquote", {}, c.quote) : "",
    T.el("div", { class: "meta" }, "evidence: ", evidence.length ? evidence.map(T.chip) : "none"),
    T.el("div", { class: "meta" }, `${c.published || "undated"} \u00b7 ${c.outlet || "unknown outlet"} \u00b7 `,
      T.el("a", { href: `/documents/${c.doc_id}#c-${c.id}` }, "sentence \u203a")));
}

function situationCard(s) {
  const claims = s.claims || [];
  const columns = SIDES.map(([side, title]) => {
    const mine = claims.filter((c) => (c.side || "neutral") === side);
    return T.el("div", { class: "side side-" + side }, T.el("h3", {}, `${title} (${mine.length})`),
      mine.length ? mine.map(claimCard) : T.el("p", { class: "muted" }, "\u2013"));
  });
  return T.el("section", { class: "card situation", id: "s-" + s.id, "data-status": s.status },
    T.el("div", { class: "head" }, T.badge(s.status), T.el("b", {}, s.types || s.family || ""),
      T.el("span", {}, `${s.place_name || "somewhere"}${s.country ? " (" + s.country + ")" : ""}`),
      T.el("span", { class: "muted" }, `${T.dateRange(s.date_start, s.date_end)} \u00b7 ${s.n_claims} claims, ${s.n_sources} sources, ${s.n_outlets} outlets`),
      T.el("a", { href: `/api/situations/${s.id}`, class: "muted" }, s.id)),
    T.el("div", { class: "sides" }, columns));
}

const PAGE = 20;

/** The "More" button: fetches the next page of situations and appends it. */
function more(body) {
  const button = document.getElementById("more");
  button.hidden = !body.next;
  button.onclick = async () => {
    try {
      const next = await T.api(body.next.split("?")[0], new URLSearchParams(body.next.split("?")[1]));
      document.getElementById("situations").append(...next.items.map(situationCard));
      more(next);
    } catch (err) { T.fail(document.getElementById("note"), err); }
  };
}

async function apply(params) {
  const box = document.getElementById("situations");
  const note = document.getElementById("note");
  const p = new URLSearchParams();
  for (const key of ["status", "min_claims"]) if (params.get(key)) p.set(key, params.get(key));
  T.exportLinks(document.getElementById("exports"), "/api/situations", p, ["csv", "jsonl", "parquet"]);
  if (T.caps && !T.caps.features.situations) {
    note.textContent = "Situations: not available in this build (the claims module is not installed).";
    box.replaceChildren();
    return;
  }
  try {
    p.set("limit", String(PAGE));
    const body = await T.api("/api/situations", p);
    note.textContent = body.note || `${body.total} situation${body.total === 1 ? "" : "s"}, most claims first`;
    box.replaceChildren(...body.items.map(situationCard));
    more(body);
  } catch (err) { T.fail(box, err); }
  document.body.dataset.ready = "1";
}

(async function main() {
  await T.header("/situations");
  T.bindForm(document.getElementById("filters"), apply);
  await apply(T.params());
})();
