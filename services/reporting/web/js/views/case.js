// One case: who is responsible, its clocks and its timeline, today or as it stood at the end
// of a chosen day in the district (the API's ?as_of=, computed by the server).
import { get } from "../api.js";
import { h, section, table, when } from "../dom.js";
import { label, t } from "../i18n.js";

// The events by which the petitioner is told something (acceptance, refusal, answers,
// decisions): marked in the timeline, so "what had been told" reads at a glance.
const TOLD = new Set(["case.unit-acceptance-recorded", "case.not-accepted", "case.answer-delivered",
  "case.review-decision-delivered", "case.reexamination-decided",
  "case.transferred-to-discipline-inspection"]);
// The public facts worth a line in the timeline (the rest stays in the event).
const DETAILS = ["unit_id", "kind", "outcome", "reason", "days", "due_at", "satisfaction",
  "evaluator", "reviewing_body", "into_case_id", "note", "instructions", "approver", "rule_id"];

const short = (type) => type.replace(/^petition\./, "").replace(/\.v\d+$/, "");

// How a fact reads: units and clock kinds in words, instants as the district's (no zone change).
const SHOWN = {
  unit_id: (v) => label("unit", v),
  kind: (v) => label("kind", v),
  days: (v) => t("days", v),
  due_at: (v) => `${String(v).slice(0, 16).replace("T", " ")} ${String(v).slice(-6)}`,
};

function details(data) {
  return DETAILS.filter((k) => data[k] !== undefined && data[k] !== null)
    .map((k) => `${t(k === "days" ? "extension_days" : k)}: ${(SHOWN[k] ?? String)(data[k])}`).join("; ");
}

function summary(c) {
  const fact = (key, value) => [h("dt", {}, t(key)), h("dd", {}, value ?? "—")];
  return h("dl", { class: "facts", id: "case-summary" },
    fact("stage", label("stage", c.stage)),
    fact("subject", c.subject),
    fact("category", label("category", c.category)),
    fact("community", c.community),
    fact("registered_at", when(c.registered_at)),
    fact("unit", label("unit", c.unit_id)),
    fact("assisting", (c.assisting_unit_ids ?? []).map((u) => label("unit", u)).join("、") || "—"),
    fact("acceptance_due", when(c.assignment?.acceptance_due)),
    fact("answer_due", when(c.assignment?.answer_due)));
}

function asOfControl(caseId, asOf, honoured, today) {
  const go = (event) => {
    event.preventDefault();
    const day = event.target.as_of.value;
    location.hash = `#/case/${encodeURIComponent(caseId)}${day ? `?as_of=${day}` : ""}`;
  };
  return h("form", { class: "controls", id: "as-of", onsubmit: go },
    h("label", {}, t("as_of"), " ", h("input", { type: "date", name: "as_of", value: asOf ?? "", max: today })),
    h("button", { type: "submit" }, t("show")),
    h("a", { href: `#/case/${encodeURIComponent(caseId)}` }, t("today")),
    h("span", { class: honoured ? "hint" : "error" }, honoured ? t("as_of_hint") : t("not_yet")));
}

/** The calendar day after "YYYY-MM-DD" (date arithmetic only: no time zone involved). */
function nextDay(day) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

export default async function casePage({ who, arg, params }) {
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(params.get("as_of") ?? "") ? params.get("as_of") : null;
  const c = await get(`/cases/${encodeURIComponent(arg)}`, { as_of: asOf });
  // The API answers "as_of" (the instant the case is shown at): when it is not the chosen day,
  // this reporting cannot go back in time yet, and the page says so rather than mislead.
  const honoured = !asOf || String(c.as_of).startsWith(asOf)
    || String(c.as_of).startsWith(`${nextDay(asOf)}T00:00:00`);
  const clocks = table("case-clocks", [
    ["kind", (k) => label("kind", k.kind)],
    ["unit", (k) => label("unit", k.unit_id)],
    ["condition", (k) => h("span", { class: `condition ${k.condition}` }, label("condition", k.condition))],
    ["started_at", (k) => when(k.started_at)],
    ["warn_at", (k) => when(k.warn_at)],
    ["due_at", (k) => when(k.due_at)],
  ], c.clocks);
  const timeline = table("timeline", [
    ["time", (e) => when(e.occurred_at)],
    ["event", (e) => h("span", {}, label("event", short(e.type)),
      TOLD.has(short(e.type)) ? h("span", { class: "told" }, ` · ${t("told_petitioner")}`) : null)],
    ["details", (e) => details(e.data ?? {})],
  ], c.events);
  return h("div", { class: "page case" },
    h("h1", {}, `${t("nav.case")} ${c.case_id}`),
    asOfControl(c.case_id, asOf, honoured, who.today),
    h("p", { class: "hint", id: "case-as-of" }, t("as_of"), " ", when(c.as_of)),
    section("summary", summary(c)),
    section("clocks", clocks),
    section("timeline", timeline));
}
