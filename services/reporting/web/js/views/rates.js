// Rates for a period and grouping, the district's last 12 months, and the monthly ranking.
import { exportsOffered, get } from "../api.js";
import { barChart, lineChart } from "../charts.js";
import { exportLinks, h, section, table, when } from "../dom.js";
import { label, t } from "../i18n.js";

const RATES = ["timely-acceptance", "on-time-answer", "first-visit-resolution", "repeat",
  "collective", "skip-level", "evaluation-participation", "unit-satisfaction", "office-satisfaction"];
const GROUPINGS = ["unit", "community", "category", "district"];

/** A rate as a percentage, its exact fraction on hover; "n/a" for an empty denominator. */
function percent(rate) {
  if (!rate || !rate.applicable) return h("span", { class: "na" }, t("not_applicable"));
  const value = (Number(rate.decimal) * 100).toFixed(1);
  return h("span", { title: `${rate.value} = ${rate.numerator}/${rate.denominator}` }, `${value}%`);
}

function chartValue(rate) {
  return rate && rate.applicable ? Number((Number(rate.decimal) * 100).toFixed(2)) : null;
}

function groupName(by, key) {
  if (by === "unit") return label("unit", key);
  if (by === "category") return label("category", key);
  return key ?? t("by.district");
}

function controls(period, by) {
  const go = (event) => {
    event.preventDefault();
    const form = event.target;
    location.hash = `#/rates?period=${encodeURIComponent(form.period.value.trim())}&by=${form.by.value}`;
  };
  return h("form", { class: "controls", onsubmit: go },
    h("label", {}, t("period"), " ", h("input", { name: "period", value: period, size: 8, pattern: "\\d{4}(-\\d{2}|-Q[1-4])?" })),
    h("label", {}, t("group_by"), " ", h("select", { name: "by" }, GROUPINGS.map(
      (g) => h("option", { value: g, selected: g === by }, t(`by.${g}`))))),
    h("button", { type: "submit" }, t("show")));
}

async function ranking(month) {
  const listed = await get("/rankings", { month });
  const latest = listed.rankings?.[0];
  if (!latest) return { chart: null, rows: h("p", { class: "empty", id: "ranking" }, t("none")) };
  const published = await get(`/rankings/${encodeURIComponent(latest.ranking_id)}`);
  const entries = published.entries ?? [];
  const names = entries.map((e) => groupName(published.by, e.key));
  // No chart while no group has a score (a month whose rates are all "not applicable").
  const scored = entries.some((e) => e.score !== null);
  const chart = scored ? barChart("chart-ranking", names, [{
    name: t("score"), data: entries.map((e) => (e.score === null ? null : Number(e.score))),
  }], { horizontal: true }) : null;
  const weighted = Object.keys(published.weights ?? {});
  const rows = table("ranking", [
    ["position", (e) => e.position ?? "—"],
    [`by.${published.by}`, (e) => groupName(published.by, e.key)],
    ["score", (e) => e.score ?? "—"],
    ...weighted.map((r) => [label("rate", r), (e) => percent(e.rates[r])]),
  ], entries);
  return { chart, rows, computedAt: published.computed_at };
}

export default async function rates({ who, params }) {
  const month = who.today.slice(0, 7);
  const period = params.get("period") || month;
  const by = GROUPINGS.includes(params.get("by")) ? params.get("by") : "unit";
  const rankingMonth = /^\d{4}-\d{2}$/.test(period) ? period : month;
  const [answer, trend, ranked, exports] = await Promise.all([
    get("/rates", { period, by, limit: 200 }), get("/rates/trend", { months: 12 }),
    ranking(rankingMonth), exportsOffered(),
  ]);
  const rateTable = table("rates", [
    [`by.${by}`, (g) => groupName(by, g.key)],
    ...RATES.map((r) => [label("rate", r), (g) => percent(g.rates[r])]),
  ], answer.groups);
  const months = trend.months.map((m) => m.period.name);
  const trendChart = lineChart("chart-trend", months, RATES.map((r) => ({
    name: label("rate", r), data: trend.months.map((m) => chartValue(m.rates[r])),
  })));
  return h("div", { class: "page rates" },
    h("h1", {}, t("nav.rates")),
    controls(period, by),
    section("rates", exportLinks(exports, "rates", { period }), rateTable),
    section("trend", trendChart),
    section("ranking", h("p", { class: "hint" }, rankingMonth, " ", ranked.computedAt ? when(ranked.computedAt) : ""),
      exportLinks(exports, "rankings", { period: rankingMonth }), ranked.chart, ranked.rows));
}
