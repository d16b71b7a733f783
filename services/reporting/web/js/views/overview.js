// The district overview: open, due-soon and overdue cases and their ages, per unit, community
// and category; the pressing clocks; the open cases. All from the district-scoped API.
import { exportsOffered, get } from "../api.js";
import { barChart } from "../charts.js";
import { card, caseLink, exportLinks, h, section, table, when } from "../dom.js";
import { label, t } from "../i18n.js";

const BUCKETS = ["0-7", "8-15", "16-30", "31-60", ">60"];

/** Columns shared by the three breakdowns: counts, then the ages. */
function countColumns(nameKey, name) {
  return [
    [nameKey, name],
    ["total_open", (r) => r.open],
    ["due_soon", (r) => r.due_soon],
    ["overdue", (r) => r.overdue],
    ...BUCKETS.map((b) => [`${t("aging")} ${b}`, (r) => r.aging[b] ?? 0]),
  ];
}

function unitCharts(units) {
  const names = units.map((u) => label("unit", u.unit_id));
  const counts = barChart("chart-units", names, [
    { name: t("on_track"), data: units.map((u) => u.open - u.due_soon - u.overdue) },
    { name: t("due_soon"), data: units.map((u) => u.due_soon), itemStyle: { color: "#e6a23c" } },
    { name: t("overdue"), data: units.map((u) => u.overdue), itemStyle: { color: "#d9363e" } },
  ], { stack: true });
  const ages = barChart("chart-aging", names,
    BUCKETS.map((b) => ({ name: t("days", b), data: units.map((u) => u.aging[b] ?? 0) })),
    { stack: true });
  return h("div", { class: "charts" }, counts, ages);
}

export default async function overview() {
  const [backlog, clocks, cases, exports] = await Promise.all([
    get("/backlog"), get("/clocks", { limit: 50 }), get("/backlog/cases", { limit: 50 }),
    exportsOffered(),
  ]);
  const headline = h("div", { class: "cards" },
    card("total_open", backlog.total_open),
    card("due_soon", backlog.due_soon, backlog.due_soon ? "warn" : ""),
    card("overdue", backlog.overdue, backlog.overdue ? "alert" : ""),
    card("unassigned", backlog.unassigned),
    card("reports_open", backlog.reports_open));
  const clockRows = table("pressing-clocks", [
    ["case_id", (c) => caseLink(c.case_id)],
    ["clock", (c) => label("kind", c.kind)],
    ["unit", (c) => label("unit", c.responsible_unit)],
    ["condition", (c) => h("span", { class: `condition ${c.condition}` }, label("condition", c.condition))],
    ["due_at", (c) => when(c.due_at)],
  ], clocks.clocks);
  const caseRows = table("open-cases", [
    ["case_id", (c) => caseLink(c.case_id)],
    ["unit", (c) => label("unit", c.unit_id)],
    ["community", (c) => c.community ?? "—"],
    ["category", (c) => label("category", c.category)],
    ["registered_at", (c) => when(c.registered_at)],
    ["urgency", (c) => h("span", { class: `condition ${c.urgency}` }, label("urgency", c.urgency))],
    ["due_at", (c) => when(c.due_at)],
  ], cases.cases);
  return h("div", { class: "page overview" },
    h("h1", {}, t("nav.overview")),
    headline,
    exportLinks(exports, "backlog"),
    unitCharts(backlog.units),
    section("by_unit", table("backlog-units", countColumns("unit", (r) => label("unit", r.unit_id)), backlog.units)),
    section("by_community", table("backlog-communities", countColumns("community", (r) => r.community), backlog.communities)),
    section("by_category", table("backlog-categories", countColumns("category", (r) => label("category", r.category)), backlog.categories)),
    section("clocks_pressing", exportLinks(exports, "overdue"), clockRows),
    section("open_cases", h("p", { class: "hint" }, `${cases.cases.length} / ${cases.total}`), caseRows));
}
