// Simplified Chinese by default, English on request; the choice is kept in localStorage.
// Words of the API (conditions, rates, categories ...) go through label(kind, value): an
// unknown value is shown as the API gave it rather than hidden.
import { ZH } from "./dict_zh.js";
import { EN } from "./dict_en.js";

const KEY = "casebus.lang";
const DICTIONARIES = { zh: ZH, en: EN };

export function language() {
  return localStorage.getItem(KEY) === "en" ? "en" : "zh";
}

export function toggleLanguage() {
  localStorage.setItem(KEY, language() === "zh" ? "en" : "zh");
}

/** The text of a key in the current language (English, then the key, when missing). */
export function t(key, ...args) {
  const text = DICTIONARIES[language()][key] ?? EN[key] ?? key;
  return args.reduce((s, a, i) => s.replace(`{${i}}`, String(a)), text);
}

/** A value of the API in words: label("condition", "overdue") -> "已超期". */
export function label(kind, value) {
  if (value === null || value === undefined || value === "") return "—";
  const words = DICTIONARIES[language()][`${kind}.${value}`];
  return words ?? String(value);
}

/** Translate every element marked data-i18n under root, and the page's language. */
export function applyStatic(root) {
  document.documentElement.lang = language() === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  if (root === document) document.title = t("title");
}
