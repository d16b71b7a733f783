// A unit handler's own list: the API takes the unit from the token, so nothing here can
// widen it. Each case with its most pressing clock.
import { get } from "../api.js";
import { caseLink, h, section, table, when } from "../dom.js";
import { label, t } from "../i18n.js";

const PRESSING = ["overdue", "due-soon", "running", "paused"];

/** The clock that matters most: overdue first, then due soon, then the earliest due. */
function pressing(clocks) {
  const running = clocks.filter((c) => PRESSING.includes(c.condition));
  running.sort((a, b) => PRESSING.indexOf(a.condition) - PRESSING.indexOf(b.condition)
    || String(a.due_at).localeCompare(String(b.due_at)));
  return running[0] ?? null;
}

export default async function myCases({ who }) {
  const answer = await get("/my-cases", { limit: 200 });
  const rows = table("my-cases", [
    ["case_id", (c) => caseLink(c.case_id)],
    ["subject", (c) => c.subject ?? "—"],
    ["category", (c) => label("category", c.category)],
    ["community", (c) => c.community ?? "—"],
    ["role", (c) => (c.role === "lead" ? t("lead") : t("assisting"))],
    ["acceptance_due", (c) => when(c.acceptance_due)],
    ["answer_due", (c) => when(c.answer_due)],
    ["clock", (c) => {
      const clock = pressing(c.clocks ?? []);
      if (!clock) return "—";
      return h("span", { class: `condition ${clock.condition}` },
        `${label("kind", clock.kind)} · ${label("condition", clock.condition)}`);
    }],
  ], answer.cases);
  return h("div", { class: "page my-cases" },
    h("h1", {}, t("nav.my-cases")),
    h("p", { class: "hint", id: "unit-only" }, t("unit_only", label("unit", who.unit_id))),
    section("my_cases", h("p", { class: "hint" }, `${answer.cases.length} / ${answer.total}`), rows));
}
