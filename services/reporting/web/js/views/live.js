// The live feed: the district's case events as they happen, over server-sent events with the
// session cookie (EventSource cannot send headers). The browser resumes after a drop by
// itself with Last-Event-ID; we keep the newest rows only, so a long session stays small.
import { offers } from "../api.js";
import { CASE_EVENT_TYPES } from "../event_types.js";
import { caseLink, h, section, when } from "../dom.js";
import { label, t } from "../i18n.js";

const KEEP = 100;

function row(item) {
  const type = String(item.type).replace(/^petition\./, "").replace(/\.v\d+$/, "");
  return h("tr", { "data-position": item.position },
    h("td", {}, when(item.time)), h("td", {}, label("event", type)),
    h("td", {}, item.case_id ? caseLink(item.case_id) : "—"), h("td", {}, label("unit", item.unit_id)));
}

export default async function live({ params }) {
  if (!(await offers("/api/v1/stream"))) {
    return h("div", { class: "page" }, h("h1", {}, t("nav.live")), h("p", { class: "empty" }, t("not_yet")));
  }
  const types = params.get("types") ?? "";
  const state = h("p", { class: "hint", id: "live-state" }, t("loading"));
  const body = h("tbody", { id: "live-rows" });
  const filter = h("form", { class: "controls", onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/live?types=${encodeURIComponent(event.target.types.value.trim())}`;
  } }, h("label", {}, t("types_filter"), " ", h("input", { name: "types", value: types, size: 40 })),
  h("button", { type: "submit" }, t("connect")));
  const query = new URLSearchParams(types ? { types } : {});
  const source = new EventSource(`/api/v1/stream${query.size ? `?${query}` : ""}`);
  source.onopen = () => { state.textContent = t("connected"); };
  source.onerror = () => { state.textContent = t("disconnected"); };
  // Every event arrives under its wire type's name; "message" covers unnamed ones.
  const add = (event) => {
    const item = JSON.parse(event.data);
    body.prepend(row(item));
    while (body.children.length > KEEP) body.lastElementChild.remove();
  };
  source.onmessage = add;
  const named = types ? types.split(",").map((s) => s.trim()).filter(Boolean) : CASE_EVENT_TYPES;
  for (const type of named) source.addEventListener(type, add);
  const root = h("div", { class: "page live" }, h("h1", {}, t("nav.live")), filter, state,
    section("live_feed", h("table", { id: "live-feed" },
      h("thead", {}, h("tr", {}, ["time", "event", "case_id", "unit"].map((k) => h("th", {}, t(k))))), body)));
  return { root, leave: () => source.close() };
}
