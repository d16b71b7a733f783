// The dashboard's shell: who is signed in, the pages their role may see, and hash routing
// ("#/rates?period=2026-03", "#/case/<id>?as_of=2026-03-05").
import { me } from "./api.js";
import { disposeCharts, drawCharts } from "./charts.js";
import { failure, h } from "./dom.js";
import { applyStatic, label, t, toggleLanguage } from "./i18n.js";
import accountability from "./views/accountability.js";
import casePage from "./views/case.js";
import keyCases from "./views/key_cases.js";
import live from "./views/live.js";
import myCases from "./views/my_cases.js";
import overview from "./views/overview.js";
import rates from "./views/rates.js";

const OFFICE = ["clerk", "leader", "auditor"];
const CASE_ROLES = [...OFFICE, "unit-handler"];
// The pages in the order of the menu; a role sees the pages whose API it may read.
const PAGES = [
  { name: "overview", roles: OFFICE, view: overview },
  { name: "rates", roles: OFFICE, view: rates },
  { name: "accountability", roles: OFFICE, view: accountability },
  { name: "key-cases", roles: OFFICE, view: keyCases },
  { name: "my-cases", roles: ["unit-handler"], view: myCases },
  { name: "live", roles: [...CASE_ROLES, "operator"], view: live },  // operators: ids only
  { name: "case", roles: CASE_ROLES, view: casePage, hidden: true },
];

let who = null;
let shown = 0;       // the latest navigation: a slower, older one must not overwrite it
let leave = null;    // what the current page does when left (e.g. close its event stream)

function allowed() {
  return PAGES.filter((page) => page.roles.includes(who.role));
}

function route() {
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [name, ...rest] = path.split("/");
  const pages = allowed();
  const page = pages.find((p) => p.name === name) ?? pages.find((p) => !p.hidden);
  return { page, arg: decodeURIComponent(rest.join("/")), params: new URLSearchParams(query) };
}

function renderChrome() {
  applyStatic(document);
  const current = route().page?.name;
  const links = allowed().filter((p) => !p.hidden).map((p) => h("a", {
    href: `#/${p.name}`, "data-page": p.name, class: p.name === current ? "current" : null,
  }, t(`nav.${p.name}`)));
  const find = h("form", { class: "find", onsubmit: (event) => {
    event.preventDefault();
    const id = event.target.elements.case_id.value.trim();
    if (id) location.hash = `#/case/${encodeURIComponent(id)}`;
  } }, h("input", { name: "case_id", placeholder: t("find_case"), "aria-label": t("find_case") }));
  document.getElementById("nav").replaceChildren(...links, find);
  const unit = who.unit_id ? ` · ${label("unit", who.unit_id)}` : "";
  document.getElementById("who").textContent =
    `${who.subject} (${label("role", who.role)}) · ${who.district}${unit}`;
  document.getElementById("district-now").textContent = `${who.now.slice(0, 16).replace("T", " ")} ${who.now.slice(-6)}`;
}

async function show() {
  const number = ++shown;
  disposeCharts();
  leave?.();
  leave = null;
  renderChrome();
  const main = document.getElementById("view");
  const { page, arg, params } = route();
  main.dataset.ready = "false";
  main.dataset.page = page?.name ?? "";
  main.replaceChildren(h("p", { class: "loading" }, t("loading")));
  if (!page) return;
  try {
    const shownPage = await page.view({ who, arg, params });
    if (number !== shown) return shownPage.leave?.();
    main.replaceChildren(shownPage.root ?? shownPage);
    leave = shownPage.leave ?? null;
    drawCharts();
  } catch (error) {
    if (number !== shown) return;
    main.replaceChildren(failure(error));
  }
  main.dataset.ready = "true";  // the browser tests wait for this
}

async function start() {
  who = await me();
  document.getElementById("lang").addEventListener("click", () => {
    toggleLanguage();
    show();
  });
  addEventListener("hashchange", show);
  await show();
}

start();
