// Small DOM helpers: elements, tables, sections and the district's instants as text.
import { t } from "./i18n.js";

/** h("a", {href: "#"}, "text", child) -> element; attributes starting with "on" are events. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A table: columns are [titleKey, row => cell]; a cell is text or an element. */
export function table(id, columns, rows) {
  if (!rows.length) return h("p", { id, class: "empty" }, t("none"));
  const head = h("tr", {}, columns.map(([key]) => h("th", { scope: "col" }, t(key))));
  const body = rows.map((row) => h("tr", {}, columns.map(([, cell]) => h("td", {}, cell(row)))));
  return h("table", { id }, h("thead", {}, head), h("tbody", {}, body));
}

/** A titled section of a page. */
export function section(titleKey, ...content) {
  return h("section", {}, h("h2", {}, t(titleKey)), ...content);
}

/** An instant as the API gave it (district time, e.g. +08:00), never the browser's zone:
 * "2026-03-05T14:03:07.123+08:00" -> "2026-03-05 14:03 +08:00". */
export function when(iso) {
  if (!iso) return "—";
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[^+Z-]*([+-]\d{2}:\d{2}|Z)?$/.exec(iso);
  if (!match) return iso;
  const text = `${match[1]} ${match[2]}${match[3] ? ` ${match[3]}` : ""}`;
  return h("time", { datetime: iso, title: iso }, text);
}

/** A link to a case's page. */
export function caseLink(caseId) {
  return h("a", { href: `#/case/${encodeURIComponent(caseId)}`, class: "case" }, caseId);
}

/** A figure for a headline number. */
export function card(key, value, tone = "") {
  return h("div", { class: `card ${tone}`, "data-key": key },
    h("span", { class: "value" }, value), h("span", { class: "label" }, t(key)));
}

/** Export links (CSV and XLSX) for a report, with the page's filters, when exports exist. */
export function exportLinks(offered, report, params = {}) {
  if (!offered) return null;
  const query = new URLSearchParams({ ...params, lang: document.documentElement.lang === "en" ? "en" : "zh" });
  const link = (format) => h("a", {
    href: `/api/v1/exports/${report}.${format}?${query}`, class: "export", download: true,
  }, `${report}.${format}`);
  return h("p", { class: "exports" }, `${t("exports")}: `, link("csv"), " ", link("xlsx"));
}

/** A page's failure, in words, in place of its content. */
export function failure(error) {
  return h("p", { class: "error" }, t("failed", error.message ?? error));
}
