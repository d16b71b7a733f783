// Breaches of responsibility letters and the accountability reviews they opened.
import { exportsOffered, get, offers } from "../api.js";
import { caseLink, exportLinks, h, section, table, when } from "../dom.js";
import { label, t } from "../i18n.js";

/** The targets and measured values as the API states them (exact, not rounded). */
function target(b) {
  return [b.target ? label("target", b.target) : null, b.rate ? label("rate", b.rate) : null].filter(Boolean).join(" · ") || "—";
}

export default async function accountability() {
  if (!(await offers("/api/v1/breaches"))) {
    return h("div", { class: "page" }, h("h1", {}, t("nav.accountability")), h("p", { class: "empty" }, t("not_yet")));
  }
  const [breaches, reviews, exports] = await Promise.all([
    get("/breaches", { limit: 200 }), get("/accountability-reviews", { limit: 200 }), exportsOffered(),
  ]);
  const breachRows = table("breaches", [
    ["unit", (b) => label("unit", b.unit_id)],
    ["target", target],
    ["measured", (b) => b.measured ?? "—"],
    ["threshold", (b) => b.threshold ?? "—"],
    ["period", (b) => b.period],
    ["cases", (b) => h("span", {}, (b.case_ids ?? []).flatMap((id, i) => (i ? [" ", caseLink(id)] : [caseLink(id)])))],
    ["recorded_at", (b) => when(b.recorded_at)],
    ["review_status", (b) => label("review", b.review_status)],
  ], breaches.items);
  const reviewRows = table("reviews", [
    ["unit", (r) => label("unit", r.unit_id)],
    ["status", (r) => label("review", r.status)],
    ["opened_at", (r) => when(r.opened_at)],
    ["concluded_at", (r) => when(r.concluded_at)],
    ["responsible_person", (r) => r.responsible_person ?? "—"],
    ["conclusion", (r) => r.conclusion ?? "—"],
  ], reviews.items);
  return h("div", { class: "page accountability" },
    h("h1", {}, t("nav.accountability")),
    section("breaches", exportLinks(exports, "breaches"), breachRows),
    section("reviews", reviewRows));
}
