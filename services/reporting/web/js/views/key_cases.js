// The key-case ledger ("one case, one policy"): open cases longest first, then resolved ones.
import { exportsOffered, get, offers } from "../api.js";
import { barChart } from "../charts.js";
import { caseLink, exportLinks, h, section, table, when } from "../dom.js";
import { t } from "../i18n.js";

const COLUMNS = [
  ["case_id", (k) => caseLink(k.case_id)],
  ["reasons", (k) => (k.reasons ?? []).join("、") || "—"],
  ["entered_at", (k) => when(k.entered_at)],
  ["age_days", (k) => k.age_days],
  ["plan", (k) => k.plan ?? "—"],
  ["leader_in_charge", (k) => k.leader_in_charge ?? "—"],
  ["progress_count", (k) => k.progress_count],
  ["last_progress_at", (k) => when(k.last_progress_at)],
];

export default async function keyCases() {
  if (!(await offers("/api/v1/key-cases"))) {
    return h("div", { class: "page" }, h("h1", {}, t("nav.key-cases")), h("p", { class: "empty" }, t("not_yet")));
  }
  const [open, resolved, exports] = await Promise.all([
    get("/key-cases", { status: "open", limit: 200 }),
    get("/key-cases", { status: "resolved", limit: 200 }),
    exportsOffered(),
  ]);
  // Days in the ledger per open case: which ones have waited longest for their plan.
  const chart = open.items.length ? barChart("chart-key-cases", open.items.map((k) => k.case_id),
    [{ name: t("age_days"), data: open.items.map((k) => k.age_days) }], { horizontal: true }) : null;
  return h("div", { class: "page key-cases" },
    h("h1", {}, t("nav.key-cases")),
    section("key_cases_open", exportLinks(exports, "key-cases"), chart, table("key-cases-open", COLUMNS, open.items)),
    section("key_cases_resolved", table("key-cases-resolved",
      [...COLUMNS, ["resolved_at", (k) => when(k.resolved_at)]], resolved.items)));
}
